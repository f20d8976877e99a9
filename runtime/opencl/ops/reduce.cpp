// Reduce* (f32, integer and boolean), Softmax, LogSoftmax, MVN-1/6 and CumSum launchers over an
// (outer, R, inner) view of the input.
#include <algorithm>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

const char* kFile = "reduce_f32.cl";

std::vector<bool> reduced_axes(const Node& node, const Tensor& axes_t) {
  int64_t rank = static_cast<int64_t>(node.input_shape(0).size());
  std::vector<bool> red(static_cast<size_t>(rank), false);
  for (int64_t a : axes_t.to_int64_vector()) red[static_cast<size_t>(normalize_axis(a, rank, "axes"))] = true;
  return red;
}

// MVN-1's axes: reduction_axes when given, else from 1 (across_channels) or 2 to the last.
std::vector<bool> mvn1_axes(const Node& node) {
  const Mvn1Attrs& a = node.attr<Mvn1Attrs>();
  const size_t rank = node.input_shape(0).size();
  std::vector<bool> red(rank, false);
  if (!a.reduction_axes.empty()) {
    for (int64_t axis : a.reduction_axes)
      if (axis >= 0 && axis < static_cast<int64_t>(rank)) red[static_cast<size_t>(axis)] = true;
  } else {
    for (size_t d = a.across_channels ? 1 : 2; d < rank; ++d) red[d] = true;
  }
  return red;
}

// (outer, R, inner) when the reduced dims of size > 1 form one block; false otherwise.
bool contiguous_view(const Dims& x, const std::vector<bool>& red, int64_t* outer, int64_t* R,
                     int64_t* inner) {
  int first = -1, last = -1;
  for (size_t i = 0; i < x.size(); ++i)
    if (red[i] && x[i] != 1) {
      if (first < 0) first = static_cast<int>(i);
      last = static_cast<int>(i);
    }
  *outer = 1, *R = 1, *inner = 1;
  if (first < 0) {
    *outer = element_count(x);
    return true;
  }
  for (int i = first; i <= last; ++i)
    if (!red[i] && x[i] != 1) return false;
  for (int i = 0; i < first; ++i) *outer *= x[i];
  for (int i = first; i <= last; ++i) *R *= x[i];
  for (size_t i = last + 1; i < x.size(); ++i) *inner *= x[i];
  return true;
}

// The kernels' mode of a reduction (reduce_f32.cl / reduce_int.cl).
int reduce_mode(OpKind op) {
  switch (op) {
    case OpKind::kReduceSum: return 0;
    case OpKind::kReduceMean: return 1;
    case OpKind::kReduceMax: return 2;
    case OpKind::kReduceMin: return 3;
    case OpKind::kReduceProd: return 4;
    case OpKind::kReduceL1: return 5;
    case OpKind::kReduceL2: return 6;
    case OpKind::kReduceLogicalAnd: return 7;
    case OpKind::kReduceLogicalOr: return 8;
    default: return -1;
  }
}

// The largest value of an integer type as the int64 that wraps to it (ReduceMin's identity).
int64_t int_type_max(ElementType t) {
  const int bits = element_bits(t);
  if (is_signed(t)) return bits >= 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
  return bits >= 64 ? -1 : (int64_t{1} << bits) - 1;
}

// Build options of reduce_int.cl for element type t.
std::string int_options(ElementType t) {
  std::string o = fmt::format("-DIT={} -DUT={}", cl_type(t), cl_unsigned_type(t));
  if (is_signed(t)) o += " -DIT_SIGNED";
  if (t == ElementType::kU64) o += " -DIT_U64";
  return o;
}

class ReduceKernel : public OclKernel {
 public:
  ReduceKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const Dims& x = node.input_shape(0);
    const ElementType t = node.input_type(0);
    std::vector<bool> red = reduced_axes(node, *node.input_constant(1));
    mode_ = reduce_mode(node.op);
    integer_ = t != ElementType::kF32;
    if (integer_) min_init_ = int_type_max(t);
    const std::string file = integer_ ? "reduce_int.cl" : kFile;
    const std::string opts = integer_ ? int_options(t) : "";
    const std::string prefix = integer_ ? "reduce_int" : "reduce";
    const std::string type = integer_ ? std::string("_") + element_type_name(t) : "_f32";
    contiguous_ = contiguous_view(x, red, &outer_, &R_, &inner_);
    if (contiguous_) {
      impl_ = "ocl_reduce" + type;
      kernel_ = make(file, opts, (prefix + "_contig").c_str());
    } else {
      impl_ = "ocl_reduce" + type + "_generic";
      kernel_ = make(file, opts, (prefix + "_generic").c_str());
      Dims st = row_major_strides(x);
      for (size_t i = 0; i < x.size(); ++i) {
        (red[i] ? rdims_ : kdims_).push_back(x[i]);
        (red[i] ? rstrides_ : kstrides_).push_back(st[i]);
      }
      R_ = element_count(rdims_);
      outer_ = element_count(kdims_);
    }
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (contiguous_) {
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_), cl_int(mode_));
      if (integer_) set_args_from(5, cl_long(min_init_));
      launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
    } else {
      set_args(kernel_.get(), input(in, 0), output(out, 0), dims_arg(kdims_),
               strides_arg(kstrides_, kdims_.size()), dims_arg(rdims_), strides_arg(rstrides_, rdims_.size()),
               cl_int(R_), cl_int(mode_));
      if (integer_) set_args_from(8, cl_long(min_init_));
      launch(ctx, kernel_.get(), {size_t(outer_), 1, 1}, 1);
    }
  }

 private:
  void set_args_from(cl_uint i, cl_long v) {
    ocl::check(clSetKernelArg(kernel_.get(), i, sizeof(v), &v), "clSetKernelArg");
  }
  ocl::ClKernel kernel_;
  bool contiguous_ = true, integer_ = false;
  int mode_ = 0;
  int64_t outer_ = 1, R_ = 1, inner_ = 1, min_init_ = 0;
  Dims kdims_, kstrides_, rdims_, rstrides_;
};

class CumSumKernel : public OclKernel {
 public:
  CumSumKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const Dims& x = node.input_shape(0);
    const ElementType t = node.input_type(0);
    int64_t axis = node.inputs.size() > 1 ? node.input_constant(1)->get_as_int64(0) : 0;
    std::vector<bool> red(x.size(), false);
    if (!x.empty())
      red[static_cast<size_t>(normalize_axis(axis, static_cast<int64_t>(x.size()), "axis"))] = true;
    contiguous_view(x, red, &outer_, &R_, &inner_);
    const CumSumAttrs& a = node.attr<CumSumAttrs>();
    exclusive_ = a.exclusive, reverse_ = a.reverse;
    if (t == ElementType::kF32) {
      impl_ = "ocl_cumsum_f32";
      kernel_ = make(kFile, "", "cumsum");
    } else {
      impl_ = std::string("ocl_cumsum_") + element_type_name(t);
      kernel_ = make("reduce_int.cl", int_options(t), "cumsum_int");
    }
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_), cl_int(exclusive_),
             cl_int(reverse_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t outer_ = 1, R_ = 1, inner_ = 1;
  bool exclusive_ = false, reverse_ = false;
};

class NormKernel : public OclKernel {
 public:
  NormKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const Dims& x = node.input_shape(0);
    std::vector<bool> red(x.size(), false);
    if (node.op == OpKind::kSoftmax || node.op == OpKind::kLogSoftmax) {
      int64_t axis = node.attr<SoftmaxAttrs>().axis;
      red[static_cast<size_t>(normalize_axis(axis, static_cast<int64_t>(x.size()), "axis"))] = true;
      const char* name = node.op == OpKind::kSoftmax ? "softmax" : "log_softmax";
      impl_ = fmt::format("ocl_{}_f32", name);
      kernel_ = make(kFile, "", name);
      softmax_ = true;
    } else if (node.op == OpKind::kMVN1) {
      red = mvn1_axes(node);
      impl_ = "ocl_mvn1_f32";
      kernel_ = make(kFile, "", "mvn");
      const Mvn1Attrs& mvn = node.attr<Mvn1Attrs>();
      normalize_ = mvn.normalize_variance;
      eps_ = static_cast<float>(mvn.eps);
      inside_ = true;  // MVN-1 adds eps to the variance (host/reference/normalization_ops.cpp)
    } else {
      red = reduced_axes(node, *node.input_constant(1));
      impl_ = "ocl_mvn_f32";
      kernel_ = make(kFile, "", "mvn");
      const MvnAttrs& mvn = node.attr<MvnAttrs>();
      normalize_ = mvn.normalize_variance;
      eps_ = static_cast<float>(mvn.eps);
      inside_ = mvn.eps_mode == MvnEpsMode::kInsideSqrt;
    }
    contiguous_view(x, red, &outer_, &R_, &inner_);
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (softmax_)
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_));
    else
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_), cl_int(normalize_),
               eps_, cl_int(inside_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t outer_ = 1, R_ = 1, inner_ = 1;
  bool softmax_ = false, normalize_ = false, inside_ = true;
  float eps_ = 0;
};

}  // namespace

Support supports_reduce(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const Dims& x = node.input_shape(0);
  const ElementType t = node.input_type(0);
  if (x.size() > 8) return Support::no("rank above 8");
  const int mode = reduce_mode(node.op);
  const int bits = element_bits(t);
  const bool byte_integer = is_integer(t) && (bits == 8 || bits == 16 || bits == 32 || bits == 64);
  if (mode >= 7) {  // ReduceLogicalAnd/Or
    if (t != ElementType::kBoolean)
      return Support::no(
          fmt::format("OpenCL backend has no kernel for {} on {}", op_name(node.op), element_type_name(t)));
  } else if ((mode >= 0 || node.op == OpKind::kCumSum) && byte_integer) {
    // ReduceL2 of 64-bit integers takes the reference's double square root, which the kernel's
    // exact integer root matches only below 2^52.
    if (node.op == OpKind::kReduceL2 && bits == 64)
      return Support::no(
          fmt::format("OpenCL backend has no kernel for ReduceL2 on {}", element_type_name(t)));
  } else {
    s = check_float_node(node, {0});
    if (!s.ok) return s;
  }
  if (node.op == OpKind::kSoftmax || node.op == OpKind::kLogSoftmax) return Support::yes();
  if (node.op == OpKind::kMVN1) {
    int64_t o, r, i;
    if (!contiguous_view(x, mvn1_axes(node), &o, &r, &i))
      return Support::no("OpenCL backend has no kernel for MVN over non-adjacent axes");
    return Support::yes();
  }
  if (node.op == OpKind::kCumSum) {
    if (node.inputs.size() > 1 && !node.input_constant(1))
      return Support::no("OpenCL backend has no kernel for CumSum with a computed axis");
    return Support::yes();
  }
  if (node.inputs.size() < 2 || !node.input_constant(1)) return Support::no("axes must be a constant");
  if (node.op == OpKind::kMVN) {
    int64_t o, r, i;
    if (!contiguous_view(x, reduced_axes(node, *node.input_constant(1)), &o, &r, &i))
      return Support::no("MVN over non-adjacent axes not implemented");
  }
  return Support::yes();
}

std::unique_ptr<Kernel> compile_reduce(const Node& node, OpenClBackend& backend) {
  if (node.op == OpKind::kSoftmax || node.op == OpKind::kLogSoftmax || node.op == OpKind::kMVN ||
      node.op == OpKind::kMVN1)
    return std::make_unique<NormKernel>(node, backend);
  if (node.op == OpKind::kCumSum) return std::make_unique<CumSumKernel>(node, backend);
  return std::make_unique<ReduceKernel>(node, backend);
}

}  // namespace octet
