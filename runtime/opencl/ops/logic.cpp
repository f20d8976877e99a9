// Launchers for the comparisons, LogicalAnd/Or/Xor/Not, Select, the bitwise ops and Mod/FloorMod
// (kernels/logic.cl): f32, integer and boolean values compared or combined exactly as
// host/reference/logic.cpp; numpy, none and pdpd broadcasting.
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

const char* kFile = "logic.cl";

// logic.cl's OP code of a comparison or binary logical op, or -1.
int compare_code(OpKind op) {
  switch (op) {
    case OpKind::kEqual: return 0;
    case OpKind::kNotEqual: return 1;
    case OpKind::kLess: return 2;
    case OpKind::kLessEqual: return 3;
    case OpKind::kGreater: return 4;
    case OpKind::kGreaterEqual: return 5;
    case OpKind::kLogicalAnd: return 6;
    case OpKind::kLogicalOr: return 7;
    case OpKind::kLogicalXor: return 8;
    default: return -1;
  }
}

// logic.cl's OP code of an op whose result has its operands' type (binary_values), or -1.
int value_code(OpKind op) {
  switch (op) {
    case OpKind::kBitwiseAnd: return 0;
    case OpKind::kBitwiseOr: return 1;
    case OpKind::kBitwiseXor: return 2;
    case OpKind::kBitwiseLeftShift: return 3;
    case OpKind::kBitwiseRightShift: return 4;
    case OpKind::kMod: return 5;
    case OpKind::kFloorMod: return 6;
    default: return -1;
  }
}

// Values the kernels handle: f32, byte-sized integers and boolean.
bool handled_type(ElementType t) {
  if (t == ElementType::kF32 || t == ElementType::kBoolean) return true;
  const int bits = element_bits(t);
  return is_integer(t) && (bits == 8 || bits == 16 || bits == 32 || bits == 64);
}

// An elementwise launch over the output with one stride list per operand (operand order of
// `shapes`), collapsed to as few dims as the broadcast allows.
struct Layout {
  Dims dims;
  std::vector<Dims> strides;
  bool flat = false;
};

Layout layout_of(const Node& node, const std::vector<Dims>& shapes) {
  const BinaryAttrs& a = node.attr<ElementwiseAttrs>();
  Layout l;
  l.dims = node.outputs[0].shape;
  auto s = elementwise_strides(shapes, l.dims, a.broadcast, a.pdpd_axis);
  if (!s) raise(ErrorCode::kInternal, "{}: inputs do not broadcast to the output", node.describe());
  l.strides = *s;
  std::vector<Dims*> ptrs;
  for (Dims& d : l.strides) ptrs.push_back(&d);
  collapse_dims(l.dims, ptrs);
  l.flat = l.dims.size() == 1;
  for (const Dims& d : l.strides) l.flat = l.flat && d[0] == 1;
  return l;
}

// Two inputs broadcast against each other, one output: the comparisons (entry "compare") and the
// bitwise/logical value ops (entry "binary_values") differ only in their build options.
class BinaryKernel : public OclKernel {
 public:
  BinaryKernel(const Node& node, OpenClBackend& b, const std::string& options, const char* entry)
      : OclKernel(b, node, "") {
    layout_ = layout_of(node, {node.input_shape(0), node.input_shape(1)});
    impl_ = fmt::format("ocl_{}_{}{}", op_name(node.op), element_type_name(node.input_type(0)),
                        layout_.flat ? "" : "_bcast");
    kernel_ = make(kFile, options, entry);
    capture_constants(node, {0, 1});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const size_t r = layout_.dims.size();
    set_args(kernel_.get(), input(in, 0), input(in, 1), output(out, 0), dims_arg(layout_.dims),
             strides_arg(layout_.strides[0], r), strides_arg(layout_.strides[1], r), cl_int(layout_.flat));
    launch(ctx, kernel_.get(), {size_t(element_count(layout_.dims)), 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  Layout layout_;
};

std::unique_ptr<OclKernel> compare_kernel(const Node& node, OpenClBackend& b) {
  const ElementType t = node.input_type(0);
  return std::make_unique<BinaryKernel>(
      node, b, fmt::format("-DTA={} -DOP={}", cl_type(t), compare_code(node.op)), "compare");
}

std::unique_ptr<OclKernel> binary_values_kernel(const Node& node, OpenClBackend& b) {
  const ElementType t = node.input_type(0);
  std::string opts = fmt::format("-DTA={} -DUT={} -DOP={} -DTA_BITS={}", cl_type(t), cl_unsigned_type(t),
                                 value_code(node.op), element_bits(t));
  if (is_signed(t) || is_float(t)) opts += " -DTA_SIGNED";
  if (is_float(t)) opts += " -DTA_FLOAT";
  return std::make_unique<BinaryKernel>(node, b, opts, "binary_values");
}

class SelectKernel : public OclKernel {
 public:
  SelectKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const ElementType t = node.input_type(1);
    // then and else first (pdpd lays else and cond onto then), as the reference.
    Layout l = layout_of(node, {node.input_shape(1), node.input_shape(2), node.input_shape(0)});
    layout_ = {l.dims, {l.strides[2], l.strides[0], l.strides[1]}, l.flat};
    impl_ = fmt::format("ocl_select_{}{}", element_type_name(t), layout_.flat ? "" : "_bcast");
    kernel_ = make(kFile, fmt::format("-DST={}", cl_unsigned_type(t)), "select_values");
    capture_constants(node, {0, 1, 2});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const size_t r = layout_.dims.size();
    set_args(kernel_.get(), input(in, 0), input(in, 1), input(in, 2), output(out, 0), dims_arg(layout_.dims),
             strides_arg(layout_.strides[0], r), strides_arg(layout_.strides[1], r),
             strides_arg(layout_.strides[2], r), cl_int(layout_.flat));
    launch(ctx, kernel_.get(), {size_t(element_count(layout_.dims)), 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  Layout layout_;
};

class LogicalNotKernel : public OclKernel {
 public:
  static const char* kernel_of(const Node& node) {
    return node.op == OpKind::kBitwiseNot && node.input_type(0) != ElementType::kBoolean ? "bitwise_not"
                                                                                         : "logical_not";
  }
  // LogicalNot, and BitwiseNot (of booleans: the same).
  LogicalNotKernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, fmt::format("ocl_{}_{}", kernel_of(node), element_type_name(node.input_type(0)))) {
    kernel_ = make(kFile, fmt::format("-DTA={}", cl_type(node.input_type(0))), kernel_of(node));
    count_ = static_cast<size_t>(element_count(node.outputs[0].shape));
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0));
    launch(ctx, kernel_.get(), {count_, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  size_t count_ = 0;
};

Support no_kernel(const Node& node, size_t input) {
  const ElementType t = node.input_type(input);
  if (t == ElementType::kF16)
    return Support::no(fmt::format("input {} is f16, OpenCL float kernels take f32", input));
  return Support::no(fmt::format("OpenCL backend has no kernel for {} on {} inputs", op_name(node.op),
                                 element_type_name(t)));
}

}  // namespace

Support supports_logic(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const Dims& out = node.outputs[0].shape;
  if (out.size() > 8)
    return Support::no(fmt::format("OpenCL backend has no kernel for {} above rank 8", op_name(node.op)));
  if (node.op == OpKind::kLogicalNot)
    return handled_type(node.input_type(0)) ? Support::yes() : no_kernel(node, 0);
  const ElementType t = node.input_type(0);
  const bool integer = is_integer(t) && handled_type(t);  // byte-sized integers
  if (node.op == OpKind::kBitwiseNot)
    return integer || t == ElementType::kBoolean ? Support::yes() : no_kernel(node, 0);
  switch (node.op) {
    case OpKind::kBitwiseAnd:
    case OpKind::kBitwiseOr:
    case OpKind::kBitwiseXor:
      if (!integer && t != ElementType::kBoolean) return no_kernel(node, 0);
      break;
    case OpKind::kBitwiseLeftShift:
    case OpKind::kBitwiseRightShift:
      if (!integer) return no_kernel(node, 0);
      break;
    case OpKind::kMod:
    case OpKind::kFloorMod:
      if (t == ElementType::kF32) break;
      if (!integer) return no_kernel(node, 0);
      {
        // An integer division by zero raises on the CPU (host/reference/logic.cpp); a kernel cannot,
        // so only a constant divisor known to hold no zero runs here.
        const Tensor* d = node.input_constant(1);
        bool zero = !d;
        for (int64_t i = 0; d && !zero && i < d->element_count(); ++i) zero = d->get_as_int64(i) == 0;
        if (zero)
          return Support::no(fmt::format(
              "OpenCL backend has no kernel for {} on {} with a {} divisor (integer division by zero is an "
              "error the kernel cannot raise)",
              op_name(node.op), element_type_name(t), d ? "zero" : "computed"));
      }
      break;
    default: break;
  }
  if (node.op == OpKind::kSelect) {
    // Moved by byte width: any byte-sized type (f16 included).
    const int bits = element_bits(node.input_type(1));
    if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
      return Support::no(fmt::format("OpenCL backend has no kernel for Select on {} values",
                                     element_type_name(node.input_type(1))));
  } else if (!handled_type(node.input_type(0))) {
    return no_kernel(node, 0);
  }
  std::vector<Dims> shapes;
  for (size_t i = 0; i < node.inputs.size(); ++i) shapes.push_back(node.input_shape(i));
  if (node.op == OpKind::kSelect) shapes = {shapes[1], shapes[2], shapes[0]};
  const BinaryAttrs& a = node.attr<ElementwiseAttrs>();
  if (!elementwise_strides(shapes, out, a.broadcast, a.pdpd_axis))
    return Support::no("inputs do not broadcast to the output");  // not reached for an inferred node
  return Support::yes();
}

std::unique_ptr<Kernel> compile_logic(const Node& node, OpenClBackend& backend) {
  if (node.op == OpKind::kSelect) return std::make_unique<SelectKernel>(node, backend);
  if (node.op == OpKind::kLogicalNot || node.op == OpKind::kBitwiseNot)
    return std::make_unique<LogicalNotKernel>(node, backend);
  if (value_code(node.op) >= 0) return binary_values_kernel(node, backend);
  return compare_kernel(node, backend);
}

}  // namespace octet
