// Reference evaluators for the comparison, logical, bitwise, Select, Mod/FloorMod and IsNaN/IsInf/
// IsFinite ops (OpenVINO op specs; broadcast-rules.rst for auto_broadcast numpy/none/pdpd).
//
// Values are compared and combined exactly: floats (f16/bf16/f32/f64) as doubles, integers as int64
// (u64 as uint64), results wrapped to the output type. Where the spec leaves a result undefined,
// octet's choice is stated at the op (integer Mod/FloorMod by zero raises; shift counts outside
// [0, bits) shift every bit out).
#include <cmath>
#include <cstring>
#include <type_traits>

#include "host/graph/op_attrs.h"
#include "host/reference/logic_values.h"

namespace octet {
namespace ref {
namespace {

// The output shape of a broadcast and, per input, the flat source index of every output element.
struct Broadcast {
  Dims shape;
  std::vector<std::vector<int64_t>> index;
};

// `b` laid out as a rank(a) shape under the pdpd rule: its trailing-1-trimmed dims start at `axis`
// (-1: rank(a) - rank(b)), every other dim is 1; raises kModel when it does not fit onto `a`.
Dims pdpd_layout(const Node& node, const Dims& a, const Dims& b, int64_t axis) {
  const int64_t ra = static_cast<int64_t>(a.size());
  if (axis == -1) axis = ra - static_cast<int64_t>(b.size());
  size_t rb = b.size();
  while (rb > 0 && b[rb - 1] == 1) --rb;
  bool ok = axis >= 0 && axis + static_cast<int64_t>(rb) <= ra;
  Dims laid(a.size(), 1);
  for (size_t i = 0; ok && i < rb; ++i) {
    const size_t d = static_cast<size_t>(axis) + i;
    ok = b[i] == 1 || b[i] == a[d];
    laid[d] = b[i];
  }
  if (!ok)
    raise(ErrorCode::kModel, "{}: shape {} does not pdpd-broadcast onto {} at axis {}", node.describe(),
          to_string(b), to_string(a), axis);
  return laid;
}

Dims numpy_shape(const Node& node, const Dims& a, const Dims& b) {
  try {
    return broadcast_shapes(a, b);
  } catch (const Error& e) {
    rethrow_with_context(e, node.describe());
  }
}

// Broadcasts `shapes` together under `attrs`: numpy merges all of them; none needs them equal; pdpd
// lays every later shape onto the first.
Broadcast broadcast(const Node& node, const BinaryAttrs& attrs, const std::vector<Dims>& shapes) {
  Broadcast r;
  r.shape = shapes[0];
  std::vector<Dims> laid = shapes;
  for (size_t i = 1; i < shapes.size(); ++i) {
    if (attrs.broadcast == AutoBroadcast::kNumpy) {
      r.shape = numpy_shape(node, r.shape, shapes[i]);
    } else if (attrs.broadcast == AutoBroadcast::kNone) {
      if (shapes[i] != shapes[0])
        raise(ErrorCode::kModel, "{}: auto_broadcast 'none' needs identical shapes, got {} and {}",
              node.describe(), to_string(shapes[0]), to_string(shapes[i]));
    } else {
      laid[i] = pdpd_layout(node, shapes[0], shapes[i], attrs.pdpd_axis);
    }
  }
  for (const Dims& s : laid) r.index.push_back(broadcast_index(s, r.shape));
  return r;
}

void same_types(const Node& node, const Tensor& a, const Tensor& b) {
  if (a.type() != b.type())
    raise(ErrorCode::kModel, "{}: input types differ ({} and {})", node.describe(),
          element_type_name(a.type()), element_type_name(b.type()));
}

// Applies `op` to every broadcast pair of the node's two inputs, on values of the inputs' domain:
// double for floats, uint64 for u64, int64 for the other integers and boolean. `op` returns the
// element of the output (int64 for integer/boolean outputs, double for float outputs).
template <class Op>
Outputs binary(const Node& node, const Inputs& in, ElementType out_type, Op op) {
  need_inputs(node, in, 2, 2);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  same_types(node, a, b);
  const Broadcast bc = broadcast(node, node.attr<ElementwiseAttrs>(), {a.shape(), b.shape()});
  const auto& ia = bc.index[0];
  const auto& ib = bc.index[1];
  const size_t n = ia.size();
  const ElementType t = a.type();
  if (t == ElementType::kUndefined) unsupported_type(node, t);
  if (is_float(t)) {
    const auto va = read_doubles(a), vb = read_doubles(b);
    if (is_float(out_type)) {
      std::vector<double> r(n);
      for (size_t i = 0; i < n; ++i) r[i] = static_cast<double>(op(va[ia[i]], vb[ib[i]]));
      return {make_from_doubles(out_type, bc.shape, r)};
    }
    std::vector<int64_t> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = static_cast<int64_t>(op(va[ia[i]], vb[ib[i]]));
    return {make_int_tensor(out_type, bc.shape, r)};
  }
  const auto va = read_ints(a), vb = read_ints(b);
  std::vector<int64_t> r(n);
  if (t == ElementType::kU64) {
    for (size_t i = 0; i < n; ++i)
      r[i] = static_cast<int64_t>(op(static_cast<uint64_t>(va[ia[i]]), static_cast<uint64_t>(vb[ib[i]])));
  } else {
    for (size_t i = 0; i < n; ++i) r[i] = static_cast<int64_t>(op(va[ia[i]], vb[ib[i]]));
  }
  return {make_int_tensor(out_type, bc.shape, r)};
}

template <class Cmp>
Outputs compare(const Node& node, const Inputs& in, Cmp cmp) {
  return binary(node, in, ElementType::kBoolean,
                [&](auto x, auto y) -> int64_t { return cmp(x, y) ? 1 : 0; });
}

template <class Op>
Outputs logical(const Node& node, const Inputs& in, Op op) {
  need_inputs(node, in, 2, 2);
  for (size_t i = 0; i < 2; ++i)
    if (in[i]->type() != ElementType::kBoolean)
      raise(ErrorCode::kModel, "{}: input {} must be boolean, has {}", node.describe(), i,
            element_type_name(in[i]->type()));
  return binary(node, in, ElementType::kBoolean,
                [&](auto x, auto y) -> int64_t { return op(x != 0, y != 0); });
}

void need_integer(const Node& node, const Tensor& t, bool allow_boolean) {
  if (!is_integer(t.type()) && !(allow_boolean && t.type() == ElementType::kBoolean))
    raise(ErrorCode::kModel, "{}: element type {} is not an integer{} type", node.describe(),
          element_type_name(t.type()), allow_boolean ? " or boolean" : "");
}

template <class Op>
Outputs bitwise(const Node& node, const Inputs& in, Op op) {
  need_inputs(node, in, 2, 2);
  need_integer(node, *in[0], true);
  return binary(node, in, in[0]->type(), [&](auto x, auto y) -> int64_t {
    return static_cast<int64_t>(op(static_cast<uint64_t>(x), static_cast<uint64_t>(y)));
  });
}

// Integer division by zero has no defined result (spec: undefined); octet refuses it as Divide does.
[[noreturn]] void division_by_zero(const Node& node) {
  raise(ErrorCode::kInvalidArgument, "{}: integer modulo by zero", node.describe());
}

template <class Fn>
Outputs classify(const Node& node, const Inputs& in, Fn fn) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_float(x.type())) unsupported_type(node, x.type());
  std::vector<int64_t> r(static_cast<size_t>(x.element_count()));
  for (size_t i = 0; i < r.size(); ++i) r[i] = fn(x.get_as_double(static_cast<int64_t>(i))) ? 1 : 0;
  return {make_int_tensor(ElementType::kBoolean, x.shape(), r)};
}

}  // namespace

Outputs eval_Equal(const Node& node, const Inputs& in) {
  return compare(node, in, [](auto x, auto y) { return x == y; });
}
Outputs eval_NotEqual(const Node& node, const Inputs& in) {
  return compare(node, in, [](auto x, auto y) { return x != y; });
}
Outputs eval_Less(const Node& node, const Inputs& in) {
  return compare(node, in, [](auto x, auto y) { return x < y; });
}
Outputs eval_LessEqual(const Node& node, const Inputs& in) {
  return compare(node, in, [](auto x, auto y) { return x <= y; });
}
Outputs eval_Greater(const Node& node, const Inputs& in) {
  return compare(node, in, [](auto x, auto y) { return x > y; });
}
Outputs eval_GreaterEqual(const Node& node, const Inputs& in) {
  return compare(node, in, [](auto x, auto y) { return x >= y; });
}

Outputs eval_LogicalAnd(const Node& node, const Inputs& in) {
  return logical(node, in, [](bool x, bool y) { return x && y; });
}
Outputs eval_LogicalOr(const Node& node, const Inputs& in) {
  return logical(node, in, [](bool x, bool y) { return x || y; });
}
Outputs eval_LogicalXor(const Node& node, const Inputs& in) {
  return logical(node, in, [](bool x, bool y) { return x != y; });
}

// Boolean per the spec; a numeric input (which OpenVINO accepts) gives 1 where it is 0, else 0.
Outputs eval_LogicalNot(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const int64_t n = x.element_count();
  if (is_float(x.type())) {
    std::vector<double> r(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) r[static_cast<size_t>(i)] = x.get_as_double(i) == 0.0 ? 1.0 : 0.0;
    return {make_from_doubles(x.type(), x.shape(), r)};
  }
  if (x.type() == ElementType::kUndefined) unsupported_type(node, x.type());
  std::vector<int64_t> r(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) r[static_cast<size_t>(i)] = x.get_as_int64(i) == 0 ? 1 : 0;
  return {make_int_tensor(x.type(), x.shape(), r)};
}

Outputs eval_Select(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const Tensor& cond = *in[0];
  const Tensor& a = *in[1];
  const Tensor& b = *in[2];
  if (cond.type() != ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: input 0 (cond) must be boolean, has {}", node.describe(),
          element_type_name(cond.type()));
  same_types(node, a, b);
  if (a.type() == ElementType::kUndefined) unsupported_type(node, a.type());
  // then and else first (pdpd lays else and cond onto then), cond last.
  const Broadcast bc = broadcast(node, node.attr<ElementwiseAttrs>(), {a.shape(), b.shape(), cond.shape()});
  const auto& ia = bc.index[0];
  const auto& ib = bc.index[1];
  const auto& ic = bc.index[2];
  const size_t n = ia.size();
  const auto* c = static_cast<const uint8_t*>(cond.data());
  if (element_bits(a.type()) < 8) {  // sub-byte types: through int64 values
    const auto va = read_ints(a), vb = read_ints(b);
    std::vector<int64_t> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = c[ic[i]] ? va[ia[i]] : vb[ib[i]];
    return {make_int_tensor(a.type(), bc.shape, r)};
  }
  const size_t w = static_cast<size_t>(element_bits(a.type()) / 8);
  Tensor out(a.type(), bc.shape);
  const auto* pa = static_cast<const uint8_t*>(a.data());
  const auto* pb = static_cast<const uint8_t*>(b.data());
  auto* po = static_cast<uint8_t*>(out.data());
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* src = c[ic[i]] ? pa + static_cast<size_t>(ia[i]) * w : pb + static_cast<size_t>(ib[i]) * w;
    std::memcpy(po + i * w, src, w);
  }
  return {out};
}

// Truncated remainder (C's %, sign of the dividend); floats exactly via fmod.
Outputs eval_Mod(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  if (in[0]->type() == ElementType::kBoolean) unsupported_type(node, in[0]->type());
  return binary(node, in, in[0]->type(), [&](auto x, auto y) {
    using T = decltype(x);
    if constexpr (std::is_floating_point_v<T>) {
      return std::fmod(x, y);
    } else {
      if (y == 0) division_by_zero(node);
      if constexpr (std::is_signed_v<T>)
        if (y == -1) return T{0};  // INT64_MIN % -1 would trap
      return static_cast<T>(x % y);
    }
  });
}

// Floored remainder (Python's %, sign of the divisor): the exact remainder, moved into the divisor's
// sign by adding the divisor once (the only rounding, for floats).
Outputs eval_FloorMod(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  if (in[0]->type() == ElementType::kBoolean) unsupported_type(node, in[0]->type());
  return binary(node, in, in[0]->type(), [&](auto x, auto y) {
    using T = decltype(x);
    if constexpr (std::is_floating_point_v<T>) {
      double r = std::fmod(x, y);
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      return r == 0 ? std::copysign(0.0, y) : r;
    } else {
      if (y == 0) division_by_zero(node);
      if constexpr (std::is_signed_v<T>) {
        if (y == -1) return T{0};
        T r = static_cast<T>(x % y);
        if (r != 0 && ((r < 0) != (y < 0))) r = static_cast<T>(r + y);
        return r;
      } else {
        return static_cast<T>(x % y);
      }
    }
  });
}

Outputs eval_BitwiseAnd(const Node& node, const Inputs& in) {
  return bitwise(node, in, [](uint64_t x, uint64_t y) { return x & y; });
}
Outputs eval_BitwiseOr(const Node& node, const Inputs& in) {
  return bitwise(node, in, [](uint64_t x, uint64_t y) { return x | y; });
}
Outputs eval_BitwiseXor(const Node& node, const Inputs& in) {
  return bitwise(node, in, [](uint64_t x, uint64_t y) { return x ^ y; });
}

Outputs eval_BitwiseNot(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  need_integer(node, x, true);
  auto v = read_ints(x);
  const bool boolean = x.type() == ElementType::kBoolean;
  for (auto& e : v) e = boolean ? (e == 0) : ~e;  // wrapped to the type by make_int_tensor
  return {make_int_tensor(x.type(), x.shape(), v)};
}

// a << b. The spec leaves counts outside [0, bits) and signed overflow undefined: octet shifts in
// two's complement modulo 2^bits (overflowing bits are dropped), and a count outside [0, bits)
// shifts every bit out (result 0).
Outputs eval_BitwiseLeftShift(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  need_integer(node, *in[0], false);
  const int64_t bits = element_bits(in[0]->type());
  return binary(node, in, in[0]->type(), [&](auto x, auto y) -> int64_t {
    const auto count = static_cast<int64_t>(y);
    if (count < 0 || count >= bits) return 0;
    return static_cast<int64_t>(static_cast<uint64_t>(x) << count);
  });
}

// a >> b: arithmetic for signed types, logical for unsigned ones. A count outside [0, bits) shifts
// every bit out: 0, or -1 for a negative signed value.
Outputs eval_BitwiseRightShift(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  need_integer(node, *in[0], false);
  const int64_t bits = element_bits(in[0]->type());
  return binary(node, in, in[0]->type(), [&](auto x, auto y) -> int64_t {
    using T = decltype(x);
    const auto count = static_cast<int64_t>(y);
    if constexpr (std::is_floating_point_v<T>) {
      return 0;  // not reached: need_integer refused floats
    } else if constexpr (std::is_signed_v<T>) {
      // Signed values are sign-extended int64s; unsigned types below 64 bits read as non-negative.
      if (count < 0 || count >= bits) return x < 0 ? -1 : 0;
      return x >> count;
    } else {
      if (count < 0 || count >= bits) return 0;
      return static_cast<int64_t>(x >> count);
    }
  });
}

Outputs eval_IsNaN(const Node& node, const Inputs& in) {
  return classify(node, in, [](double x) { return std::isnan(x); });
}
Outputs eval_IsInf(const Node& node, const Inputs& in) {
  const IsInfAttrs& a = node.attr<IsInfAttrs>();
  return classify(node, in,
                  [&](double x) { return std::isinf(x) && (x > 0 ? a.detect_positive : a.detect_negative); });
}
Outputs eval_IsFinite(const Node& node, const Inputs& in) {
  return classify(node, in, [](double x) { return std::isfinite(x); });
}

}  // namespace ref
}  // namespace octet
