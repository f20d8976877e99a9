// Reference evaluators for Parameter, Result, Const and Convert (ir-spec.md section 3).
#include <cmath>
#include <limits>
#include <optional>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Saturate, then truncate toward zero: what OV's CPU plugin does for float -> integer (ir-spec 3).
int64_t float_to_int(double v, ElementType dst) {
  if (std::isnan(v)) return 0;
  if (dst == ElementType::kU64) {
    if (v <= 0) return 0;
    if (v >= 18446744073709551615.0) return static_cast<int64_t>(std::numeric_limits<uint64_t>::max());
    return static_cast<int64_t>(static_cast<uint64_t>(std::trunc(v)));
  }
  if (dst == ElementType::kI64) {
    if (v >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
    if (v <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(std::trunc(v));
  }
  const int bits = element_bits(dst);
  const double lo = is_signed(dst) ? -std::ldexp(1.0, bits - 1) : 0.0;
  const double hi = is_signed(dst) ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
  return static_cast<int64_t>(std::trunc(std::min(std::max(v, lo), hi)));
}

}  // namespace

Outputs eval_Parameter(const Node& node, const Inputs&) {
  raise(ErrorCode::kInternal, "reference {}: a Parameter is fed, not evaluated", node.describe());
}

Outputs eval_Result(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  return {};
}

Outputs eval_Constant(const Node& node, const Inputs&) {
  if (!node.constant) raise(ErrorCode::kModel, "{}: constant has no value", node.describe());
  return {*node.constant};
}

Outputs eval_Convert(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const std::optional<ElementType> dst = node.attr<ConvertAttrs>().destination;
  const Tensor& x = *in[0];
  const ElementType src = x.type();
  if (src == ElementType::kUndefined || *dst == ElementType::kUndefined) unsupported_type(node, src);
  const int64_t n = x.element_count();
  const bool src_float = is_float(src);
  if (is_float(*dst)) {
    if (*dst == ElementType::kF64) {
      Tensor out(*dst, x.shape());
      for (int64_t i = 0; i < n; ++i)
        out.data_as<double>()[i] = src_float ? x.get_as_double(i)
                                   : src == ElementType::kU64
                                       ? static_cast<double>(static_cast<uint64_t>(x.get_as_int64(i)))
                                       : static_cast<double>(x.get_as_int64(i));
      return {out};
    }
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      // int -> float converts directly (one rounding to nearest), as static_cast does; going through
      // double would round twice for 64-bit values.
      float f;
      if (src_float)
        f = static_cast<float>(x.get_as_double(i));
      else if (src == ElementType::kU64)
        f = static_cast<float>(static_cast<uint64_t>(x.get_as_int64(i)));
      else
        f = static_cast<float>(x.get_as_int64(i));
      v[static_cast<size_t>(i)] = f;
    }
    return {make_float_tensor(*dst, x.shape(), v)};
  }
  std::vector<int64_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    int64_t r;
    if (*dst == ElementType::kBoolean)
      r = src_float ? x.get_as_double(i) != 0.0 : x.get_as_int64(i) != 0;
    else if (src_float)
      r = float_to_int(x.get_as_double(i), *dst);
    else
      r = x.get_as_int64(i);  // integer -> integer wraps (make_int_tensor), the C++ rule
    v[static_cast<size_t>(i)] = r;
  }
  return {make_int_tensor(*dst, x.shape(), v)};
}

}  // namespace ref
}  // namespace octet
