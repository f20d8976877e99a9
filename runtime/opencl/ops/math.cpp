// Launchers for issue 11's unary math ops (kernels/math.cl): f32 kernels for every op, exact
// integer kernels for Abs, Negative and Sign (Floor, Ceiling and Round leave integers unchanged:
// a device copy), Log and Sin ... Atanh on integers in double (devices with cl_khr_fp64), and
// IsNaN/IsInf/IsFinite with boolean outputs.
#include <cmath>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

const char* kFile = "math.cl";

// The kernel's name after "math_" / "int_".
std::string kernel_name(const Node& node) {
  switch (node.op) {
    case OpKind::kAbs: return "abs";
    case OpKind::kNegative: return "negative";
    case OpKind::kSign: return "sign";
    case OpKind::kFloor: return "floor";
    case OpKind::kCeiling: return "ceiling";
    case OpKind::kRound:
      return node.attr<RoundAttrs>().mode == RoundMode::kHalfAwayFromZero ? "round_half_away_from_zero"
                                                                          : "round_half_to_even";
    case OpKind::kLog: return "log";
    case OpKind::kSin: return "sin";
    case OpKind::kCos: return "cos";
    case OpKind::kTan: return "tan";
    case OpKind::kAsin: return "asin";
    case OpKind::kAcos: return "acos";
    case OpKind::kAtan: return "atan";
    case OpKind::kSinh: return "sinh";
    case OpKind::kCosh: return "cosh";
    case OpKind::kAsinh: return "asinh";
    case OpKind::kAcosh: return "acosh";
    case OpKind::kAtanh: return "atanh";
    case OpKind::kMish: return "mish";
    case OpKind::kSoftPlus: return "softplus";
    case OpKind::kSoftSign: return "softsign";
    case OpKind::kSelu: return "selu";
    case OpKind::kHardSigmoid: return "hard_sigmoid";
    case OpKind::kIsNaN: return "isnan";
    case OpKind::kIsInf: return "isinf";
    case OpKind::kIsFinite: return "isfinite";
    default: return "";
  }
}

// Integer results equal to the input: Floor, Ceiling, Round.
bool integer_identity(OpKind op) {
  return op == OpKind::kFloor || op == OpKind::kCeiling || op == OpKind::kRound;
}
bool integer_kernel(OpKind op) {
  return op == OpKind::kAbs || op == OpKind::kNegative || op == OpKind::kSign;
}
// Sin ... Atanh and Log: on integers the double result rounded and saturated (needs cl_khr_fp64).
bool transcendental(OpKind op) {
  switch (op) {
    case OpKind::kLog:
    case OpKind::kSin:
    case OpKind::kCos:
    case OpKind::kTan:
    case OpKind::kAsin:
    case OpKind::kAcos:
    case OpKind::kAtan:
    case OpKind::kSinh:
    case OpKind::kCosh:
    case OpKind::kAsinh:
    case OpKind::kAcosh:
    case OpKind::kAtanh: return true;
    default: return false;
  }
}

// Build options of int_transcendental for integer type t: the range [LO, HI] as the reference's
// doubles, and the type's limits as OpenCL C literals.
std::string saturation_options(ElementType t) {
  const int bits = element_bits(t);
  std::string lo, hi, min, max;
  if (is_signed(t)) {
    lo = fmt::format("{:.17g}", -std::ldexp(1.0, bits - 1));
    hi = fmt::format("{:.17g}", std::ldexp(1.0, bits - 1) - 1);
    min = bits == 64 ? "(-9223372036854775807L-1)" : fmt::format("({})", -(int64_t{1} << (bits - 1)));
    max = bits == 64 ? "9223372036854775807L" : fmt::format("{}", (int64_t{1} << (bits - 1)) - 1);
  } else {
    lo = "0.0";
    hi = fmt::format("{:.17g}", std::ldexp(1.0, bits) - 1);
    min = "0";
    max = bits == 64 ? "18446744073709551615UL" : fmt::format("{}U", (int64_t{1} << bits) - 1);
  }
  return fmt::format(" -DLO={} -DHI={} -DIT_MIN={} -DIT_MAX={}", lo, hi, min, max);
}

bool two_params(OpKind op) {
  return op == OpKind::kSelu || op == OpKind::kHardSigmoid;
}
bool classify(OpKind op) {
  return op == OpKind::kIsNaN || op == OpKind::kIsInf || op == OpKind::kIsFinite;
}

class MathKernel : public OclKernel {
 public:
  MathKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const ElementType t = node.input_type(0);
    const std::string name = kernel_name(node);
    count_ = static_cast<size_t>(element_count(node.outputs[0].shape));
    if (is_float(t)) {
      impl_ = "ocl_" + name + "_f32";
      kernel_ = make(kFile, "-cl-fp32-correctly-rounded-divide-sqrt", ("math_" + name).c_str());
      if (node.op == OpKind::kIsInf) {
        const IsInfAttrs& a = node.attr<IsInfAttrs>();
        flags_ = (a.detect_negative ? 1 : 0) | (a.detect_positive ? 2 : 0);
      }
    } else if (integer_identity(node.op)) {
      impl_ = fmt::format("ocl_{}_{}_copy", name, element_type_name(t));
      bytes_ = element_storage_bytes(t, element_count(node.outputs[0].shape));
    } else {
      impl_ = fmt::format("ocl_{}_{}", name, element_type_name(t));
      std::string opts = fmt::format("-DIT={} -DUT={}", cl_type(t), cl_unsigned_type(t));
      if (is_signed(t)) opts += " -DIT_SIGNED";
      if (transcendental(node.op)) {
        opts += fmt::format(" -DIFN={}", name) + saturation_options(t);
        kernel_ = make(kFile, opts, "int_transcendental");
      } else {
        kernel_ = make(kFile, opts, ("int_" + name).c_str());
      }
    }
    capture_constants(node, {0, 1, 2});
    params_ = two_params(node.op);
    classify_ = classify(node.op);
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!kernel_) {
      copy(ctx, input(in, 0), output(out, 0), bytes_);
      return;
    }
    if (params_)
      set_args(kernel_.get(), input(in, 0), output(out, 0), input(in, 1), input(in, 2));
    else if (classify_)
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(flags_));
    else
      set_args(kernel_.get(), input(in, 0), output(out, 0));
    launch(ctx, kernel_.get(), {count_, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  size_t count_ = 0, bytes_ = 0;
  bool params_ = false, classify_ = false;
  int flags_ = 0;
};

}  // namespace

Support supports_math(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const ElementType t = node.input_type(0);
  if (t == ElementType::kF32) {
    if (two_params(node.op))
      for (size_t i = 1; i < 3; ++i)
        if (node.input_type(i) != ElementType::kF32 || element_count(node.input_shape(i)) != 1)
          return Support::no(fmt::format("OpenCL backend has no kernel for {} with input {} of {} {}",
                                         op_name(node.op), i, element_type_name(node.input_type(i)),
                                         to_string(node.input_shape(i))));
    return Support::yes();
  }
  if (t == ElementType::kF16) return Support::no("input 0 is f16, OpenCL float kernels take f32");
  const int bits = element_bits(t);
  const bool byte_integer = is_integer(t) && (bits == 8 || bits == 16 || bits == 32 || bits == 64);
  if (byte_integer && (integer_identity(node.op) || integer_kernel(node.op))) return Support::yes();
  // Transcendental ops on integers round a double result (host/reference/math.cpp); float kernels
  // would not match every value, so these need doubles on the device.
  if (byte_integer && transcendental(node.op)) {
    if (backend.device().extensions.find("cl_khr_fp64") != std::string::npos) return Support::yes();
    return Support::no(fmt::format("OpenCL backend has no kernel for {} on {} inputs without cl_khr_fp64",
                                   op_name(node.op), element_type_name(t)));
  }
  return Support::no(fmt::format("OpenCL backend has no kernel for {} on {} inputs", op_name(node.op),
                                 element_type_name(t)));
}

std::unique_ptr<Kernel> compile_math(const Node& node, OpenClBackend& backend) {
  return std::make_unique<MathKernel>(node, backend);
}

}  // namespace octet
