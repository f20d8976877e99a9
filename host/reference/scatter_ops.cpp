// Reference ScatterUpdate, ScatterElementsUpdate and ScatterNDUpdate (OpenVINO op specs of the
// versions in ops.def). Without a reduction they copy bytes, so any byte-sized type works bit-exactly.
//
// Reductions follow the spec's sequential form, output[t] = reduction(output[t], update), with the
// updates taken in row-major order (the order OpenVINO's reference uses; the spec leaves the order of
// duplicates open). Every step is rounded to the data type, as an element of the output tensor is:
// f16/bf16/f32 compute the step in double and round once (exact for one +, -, * or / of two such
// values), integers compute in int64 and wrap to the type. min/max are `out < upd ? out : upd` and
// `out > upd ? out : upd` (a NaN update wins, a NaN output gives way, as in OpenVINO's reference).
// Boolean data: sum is OR, prod and min are AND, max is OR, sub is XOR (ScatterNDUpdate-15 spec).
// mean (ScatterElementsUpdate-12) divides the accumulated sum by the number of values in it (the
// updates, plus the data value with use_init_val); integers round down, toward -inf, as the spec says.
// use_init_val=false starts each updated element from its first update instead of the data value.
#include <cmath>
#include <cstring>

#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"
#include "host/reference/indexing_util.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

const char* reduction_name(ScatterReduction r) {
  switch (r) {
    case ScatterReduction::kNone: return "none";
    case ScatterReduction::kSum: return "sum";
    case ScatterReduction::kSub: return "sub";
    case ScatterReduction::kProd: return "prod";
    case ScatterReduction::kMin: return "min";
    case ScatterReduction::kMax: return "max";
    case ScatterReduction::kMean: return "mean";
  }
  return "?";
}

// Applies updates to a copy of `data`: apply(target, source) combines updates[source] into output
// element `target`; result() finishes the means and returns the tensor.
class Scatter {
 public:
  Scatter(const Node& node, const Tensor& data, const Tensor& updates, ScatterReduction reduction,
          bool use_init_val)
      : node_(node),
        out_(data.clone()),
        updates_(updates),
        reduction_(reduction),
        use_init_val_(use_init_val),
        width_(byte_width(node, data.type())) {
    if (updates.type() != data.type())
      raise(ErrorCode::kModel, "{}: updates ({}) and data ({}) must have the same element type",
            node.describe(), element_type_name(updates.type()), element_type_name(data.type()));
    if (reduction_ == ScatterReduction::kNone) return;
    const ElementType t = data.type();
    float_ = is_float(t);
    boolean_ = t == ElementType::kBoolean;
    unsigned_ = !float_ && !boolean_ && !is_signed(t);
    if (!float_ && !boolean_ && !is_integer(t)) unsupported_type(node, t);
    if (boolean_ && reduction_ == ScatterReduction::kMean)
      raise(ErrorCode::kModel, "{}: reduction 'mean' is not defined for boolean data", node.describe());
    const size_t n = static_cast<size_t>(data.element_count());
    count_.assign(n, 0);
    if (float_) {
      f_.resize(n);
      for (size_t i = 0; i < n; ++i) f_[i] = data.get_as_double(static_cast<int64_t>(i));
    } else {
      i_ = data.to_int64_vector();
    }
  }

  void apply(int64_t target, int64_t source) {
    const auto t = static_cast<size_t>(target);
    if (reduction_ == ScatterReduction::kNone) {
      auto* dst = static_cast<uint8_t*>(out_.data()) + t * width_;
      std::memcpy(dst, static_cast<const uint8_t*>(updates_.data()) + static_cast<size_t>(source) * width_,
                  width_);
      return;
    }
    const bool first = count_[t]++ == 0 && !use_init_val_;
    if (float_) {
      const double u = updates_.get_as_double(source);
      f_[t] = first ? u : round_to_type(combine_float(f_[t], u));
    } else {
      const int64_t u = updates_.get_as_int64(source);
      i_[t] = first ? u : wrap_to(out_.type(), combine_int(i_[t], u));
    }
  }

  Tensor result() {
    if (reduction_ == ScatterReduction::kNone) return out_;
    for (size_t t = 0; t < count_.size(); ++t) {
      if (count_[t] == 0) continue;  // untouched elements keep data's bits
      const int64_t n = count_[t] + (use_init_val_ ? 1 : 0);
      if (float_) {
        if (reduction_ == ScatterReduction::kMean) f_[t] = round_to_type(f_[t] / static_cast<double>(n));
        store_float(t, f_[t]);
      } else {
        if (reduction_ == ScatterReduction::kMean) i_[t] = floor_div(i_[t], n);
        store_int(t, i_[t]);
      }
    }
    return out_;
  }

 private:
  double combine_float(double v, double u) const {
    switch (reduction_) {
      case ScatterReduction::kSum:
      case ScatterReduction::kMean: return v + u;
      case ScatterReduction::kSub: return v - u;
      case ScatterReduction::kProd: return v * u;
      case ScatterReduction::kMin: return v < u ? v : u;
      case ScatterReduction::kMax: return v > u ? v : u;
      case ScatterReduction::kNone: break;
    }
    return u;
  }

  int64_t combine_int(int64_t v, int64_t u) const {
    if (boolean_) {
      switch (reduction_) {
        case ScatterReduction::kSum:
        case ScatterReduction::kMax: return (v | u) != 0;
        case ScatterReduction::kProd:
        case ScatterReduction::kMin: return (v & u) != 0;
        case ScatterReduction::kSub: return (v ^ u) != 0;
        default: break;
      }
      raise(ErrorCode::kInternal, "{}: boolean reduction {}", node_.describe(), reduction_name(reduction_));
    }
    // Unsigned arithmetic wraps instead of overflowing; wrap_to then fits the result to the type.
    const auto uv = static_cast<uint64_t>(v), uu = static_cast<uint64_t>(u);
    const bool less = unsigned_ ? uv < uu : v < u;
    const bool greater = unsigned_ ? uv > uu : v > u;
    switch (reduction_) {
      case ScatterReduction::kSum:
      case ScatterReduction::kMean: return static_cast<int64_t>(uv + uu);
      case ScatterReduction::kSub: return static_cast<int64_t>(uv - uu);
      case ScatterReduction::kProd: return static_cast<int64_t>(uv * uu);
      case ScatterReduction::kMin: return less ? v : u;
      case ScatterReduction::kMax: return greater ? v : u;
      case ScatterReduction::kNone: break;
    }
    return u;
  }

  // One rounding of an exact-or-double result to the data type.
  double round_to_type(double v) const {
    switch (out_.type()) {
      case ElementType::kF32: return static_cast<float>(v);
      case ElementType::kF16: return half_to_float(float_to_half(static_cast<float>(v)));
      case ElementType::kBF16: return bf16_to_float(float_to_bf16(static_cast<float>(v)));
      default: return v;  // f64
    }
  }

  void store_float(size_t i, double v) {
    switch (out_.type()) {
      case ElementType::kF32: out_.data_as<float>()[i] = static_cast<float>(v); return;
      case ElementType::kF16: out_.data_as<uint16_t>()[i] = float_to_half(static_cast<float>(v)); return;
      case ElementType::kBF16: out_.data_as<uint16_t>()[i] = float_to_bf16(static_cast<float>(v)); return;
      case ElementType::kF64: out_.data_as<double>()[i] = v; return;
      default: unsupported_type(node_, out_.type());
    }
  }

  void store_int(size_t i, int64_t v) {
    // Little-endian: the low bytes of the wrapped value are the element.
    const int64_t w = wrap_to(out_.type(), v);
    std::memcpy(static_cast<uint8_t*>(out_.data()) + i * width_, &w, width_);
  }

  const Node& node_;
  Tensor out_;
  const Tensor& updates_;
  ScatterReduction reduction_;
  bool use_init_val_;
  size_t width_;
  bool float_ = false, boolean_ = false, unsigned_ = false;
  std::vector<int64_t> count_;  // updates applied to each output element
  std::vector<double> f_;
  std::vector<int64_t> i_;
};

void expect_shape(const Node& node, const char* what, const Dims& got, const Dims& want) {
  if (got != want)
    raise(ErrorCode::kModel, "{}: {} has shape {}, expected {}", node.describe(), what, to_string(got),
          to_string(want));
}

size_t scalar_axis(const Node& node, const Inputs& in, size_t i, size_t rank) {
  const std::vector<int64_t> v = int_input(node, in, i);
  if (v.size() != 1)
    raise(ErrorCode::kModel, "{}: input {} (axis) must hold one value, has {}", node.describe(), i, v.size());
  return static_cast<size_t>(node_axis(node, v[0], static_cast<int64_t>(rank), "axis"));
}

}  // namespace

Outputs eval_ScatterUpdate(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const Dims& is = in[1]->shape();
  const std::vector<int64_t> idx = int_input(node, in, 1);
  const size_t axis = scalar_axis(node, in, 3, xs.size());
  const auto ax = static_cast<std::ptrdiff_t>(axis);
  Dims want(xs.begin(), xs.begin() + ax);
  want.insert(want.end(), is.begin(), is.end());
  want.insert(want.end(), xs.begin() + ax + 1, xs.end());
  expect_shape(node, "input 2 (updates)", in[2]->shape(), want);
  // data[o, idx[m], i] = updates[o, m, i]
  const int64_t outer = product(xs.begin(), xs.begin() + ax), inner = product(xs.begin() + ax + 1, xs.end());
  const int64_t n = xs[axis], count = static_cast<int64_t>(idx.size());
  Scatter s(node, x, *in[2], ScatterReduction::kNone, true);
  for (int64_t m = 0; m < count; ++m) {
    // ScatterUpdate-3: "If an index ... is negative, then an exception is raised" (OpenVINO agrees).
    const int64_t j = checked_index(node, 1, idx[static_cast<size_t>(m)], m, n, false);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) s.apply((o * n + j) * inner + i, (o * count + m) * inner + i);
  }
  return {s.result()};
}

Outputs eval_ScatterElementsUpdate(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const ScatterElementsUpdateAttrs& a = node.attr<ScatterElementsUpdateAttrs>();
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const Dims& is = in[1]->shape();
  const std::vector<int64_t> idx = int_input(node, in, 1);
  if (xs.empty() || is.size() != xs.size())
    raise(ErrorCode::kModel, "{}: data {} and indices {} must have the same rank >= 1", node.describe(),
          to_string(xs), to_string(is));
  const size_t axis = scalar_axis(node, in, 3, xs.size());
  for (size_t d = 0; d < xs.size(); ++d)
    if (d != axis && is[d] > xs[d])
      raise(ErrorCode::kModel, "{}: indices {} exceed data {} in dim {}", node.describe(), to_string(is),
            to_string(xs), d);
  expect_shape(node, "input 2 (updates)", in[2]->shape(), is);
  const Dims xstride = row_major_strides(xs);
  Scatter s(node, x, *in[2], a.reduction, a.use_init_val);
  Dims coord(is.size(), 0);
  for (int64_t p = 0; p < static_cast<int64_t>(idx.size()); ++p) {
    int64_t target = 0;
    for (size_t d = 0; d < is.size(); ++d) {
      const int64_t c =
          d == axis ? checked_index(node, 1, idx[static_cast<size_t>(p)], p, xs[d], true) : coord[d];
      target += c * xstride[d];
    }
    s.apply(target, p);
    for (size_t d = is.size(); d-- > 0;) {
      if (++coord[d] < is[d]) break;
      coord[d] = 0;
    }
  }
  return {s.result()};
}

Outputs eval_ScatterNDUpdate(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const ScatterNDUpdateAttrs& a = node.attr<ScatterNDUpdateAttrs>();
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const Dims& is = in[1]->shape();
  const std::vector<int64_t> idx = int_input(node, in, 1);
  if (xs.empty() || is.empty() || is.back() > static_cast<int64_t>(xs.size()))
    raise(ErrorCode::kModel,
          "{}: indices {} must have rank >= 1 and tuples no longer than the rank of data {}", node.describe(),
          to_string(is), to_string(xs));
  const auto k = static_cast<size_t>(is.back());
  const auto kk = static_cast<std::ptrdiff_t>(k);
  Dims want(is.begin(), is.end() - 1);
  want.insert(want.end(), xs.begin() + kk, xs.end());
  const Dims& us = in[2]->shape();
  if (!(want.empty() && us == Dims{1})) expect_shape(node, "input 2 (updates)", us, want);
  const int64_t tuples = product(is.begin(), is.end() - 1), slice = product(xs.begin() + kk, xs.end());
  Scatter s(node, x, *in[2], a.reduction, true);
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t offset = 0;
    for (size_t j = 0; j < k; ++j) {
      const int64_t p = t * static_cast<int64_t>(k) + static_cast<int64_t>(j);
      offset = offset * xs[j] + checked_index(node, 1, idx[static_cast<size_t>(p)], p, xs[j], true);
    }
    for (int64_t e = 0; e < slice; ++e) s.apply(offset * slice + e, t * slice + e);
  }
  return {s.result()};
}

}  // namespace ref
}  // namespace octet
