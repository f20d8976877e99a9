// Reference Bucketize-3, SearchSorted-15, SliceScatter-15, Inverse-14, ErfInv-17,
// ConvertPromoteTypes-14 and SegmentMax-16.
// - Bucketize / SearchSorted: binary searches (std::lower_bound / upper_bound) comparing values
//   exactly (integers as int64, anything with a float as double).
// - Inverse: LU decomposition with partial pivoting (largest magnitude) in double, as the spec's
//   algorithm, then rounded once; adjoint inverts the transpose, (A^T)^-1.
// - ErfInv: the inverse of std::erf to double precision (Newton steps on erf / erfc from Giles'
//   single-precision approximation), rounded once.
// - SegmentMax: the largest value of each segment's rows; ids >= num_segments are left out; an empty
//   segment holds 0 or the lowest finite value of the data type (fill_mode).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "host/graph/ops/misc_util.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// A tensor's values as keys that compare exactly: int64 when both operands are integers.
struct Keys {
  std::vector<double> f;
  std::vector<int64_t> i;
};
Keys keys_of(const Tensor& t, bool as_int) {
  Keys k;
  for (int64_t j = 0; j < t.element_count(); ++j) {
    if (as_int)
      k.i.push_back(t.get_as_int64(j));
    else
      k.f.push_back(t.get_as_double(j));
  }
  return k;
}

// Position in sorted[begin, end) of the first element > v (upper) or >= v (lower).
template <class T>
int64_t search(const std::vector<T>& sorted, size_t begin, size_t end, T v, bool upper) {
  const auto first = sorted.begin() + static_cast<std::ptrdiff_t>(begin);
  const auto last = sorted.begin() + static_cast<std::ptrdiff_t>(end);
  return (upper ? std::upper_bound(first, last, v) : std::lower_bound(first, last, v)) - first;
}

Tensor float_result(ElementType type, const Dims& shape, const std::vector<double>& v) {
  if (type == ElementType::kF64) {
    Tensor t(type, shape);
    std::copy(v.begin(), v.end(), t.data_as<double>());
    return t;
  }
  return make_float_tensor(type, shape, std::vector<float>(v.begin(), v.end()));
}

// Python slicing of one dim: the positions start, start + step, ... of `count` elements.
struct DimRange {
  int64_t start = 0, step = 1, count = 0;
};
DimRange python_slice(int64_t dim, int64_t begin, int64_t end, int64_t step) {
  const int64_t lo = step > 0 ? 0 : -1, hi = step > 0 ? dim : dim - 1;
  auto fix = [&](int64_t v) {
    if (v < 0) v = v < -dim ? -dim - 1 : v + dim;  // keeps INT64_MIN from overflowing
    return std::min(std::max(v, lo), hi);
  };
  const int64_t b = fix(begin), e = fix(end);
  const int64_t count =
      step > 0 ? (e > b ? (e - b + step - 1) / step : 0) : (b > e ? (b - e - step - 1) / -step : 0);
  return {b, step, count};
}

// erfinv(x) for |x| < 1 to double precision.
double erfinv(double x) {
  const double w = -std::log((1.0 - x) * (1.0 + x));
  double r;
  if (w < 5.0) {  // Giles (2011), single-precision coefficients: a start within ~1e-7
    const double s = w - 2.5;
    r = 2.81022636e-08;
    for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                     -0.00417768164, 0.246640727, 1.50140941})
      r = c + r * s;
  } else {
    const double s = std::sqrt(w) - 3.0;
    r = -0.000200214257;
    for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                     -0.00943887047, 1.00167406, 2.83297682})
      r = c + r * s;
  }
  double y = r * x;
  // Newton on erf(y) = x; near |x| = 1 on erfc(|y|) = 1 - |x|, which keeps the residual's digits.
  const double two_over_sqrt_pi = 1.1283791670955126;
  const double ax = std::fabs(x), sign = x < 0 ? -1.0 : 1.0;
  for (int it = 0; it < 4; ++it) {
    const double ay = std::fabs(y);
    const double residual = ax > 0.5 ? (1.0 - ax) - std::erfc(ay) : std::erf(ay) - ax;
    const double slope = two_over_sqrt_pi * std::exp(-ay * ay);
    if (slope == 0) break;
    y = sign * (ay - residual / slope);
  }
  return y;
}

}  // namespace

Outputs eval_Bucketize(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const BucketizeAttrs& a = node.attr<BucketizeAttrs>();
  const Tensor& x = *in[0];
  const Tensor& b = *in[1];
  const bool as_int = !is_float(x.type()) && !is_float(b.type());
  const Keys xs = keys_of(x, as_int), bs = keys_of(b, as_int);
  const size_t n = static_cast<size_t>(b.element_count());
  std::vector<int64_t> out(static_cast<size_t>(x.element_count()));
  // with_right_bound: bucket i is (b[i-1], b[i]], so x lands after the boundaries < x (lower bound);
  // else [b[i-1], b[i]), after the boundaries <= x (upper bound).
  for (size_t j = 0; j < out.size(); ++j)
    out[j] = as_int ? search(bs.i, 0, n, xs.i[j], !a.with_right_bound)
                    : search(bs.f, 0, n, xs.f[j], !a.with_right_bound);
  return {make_int_tensor(a.output_type, x.shape(), out)};
}

Outputs eval_SearchSorted(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const SearchSortedAttrs& a = node.attr<SearchSortedAttrs>();
  const Tensor& sorted = *in[0];
  const Tensor& values = *in[1];
  if (sorted.shape().empty()) raise(ErrorCode::kModel, "{}: sorted_sequence is a scalar", node.describe());
  const bool as_int = !is_float(sorted.type()) && !is_float(values.type());
  const Keys ss = keys_of(sorted, as_int), vs = keys_of(values, as_int);
  const int64_t row_len = sorted.shape().back();
  // A 1-D sequence serves every value; else row r serves the values with the same leading index
  // (shape inference made the ranks and leading dims agree).
  const bool one_row = sorted.shape().size() == 1;
  if (!one_row && values.shape().size() != sorted.shape().size())
    raise(ErrorCode::kModel, "{}: values {} must have the rank of sorted_sequence {}", node.describe(),
          to_string(values.shape()), to_string(sorted.shape()));
  const int64_t per_row = one_row ? 1 : values.shape().back();
  std::vector<int64_t> out(static_cast<size_t>(values.element_count()));
  for (size_t j = 0; j < out.size(); ++j) {
    const int64_t row = one_row ? 0 : static_cast<int64_t>(j) / per_row;
    const size_t begin = static_cast<size_t>(row * row_len), end = begin + static_cast<size_t>(row_len);
    out[j] = as_int ? search(ss.i, begin, end, vs.i[j], a.right_mode)
                    : search(ss.f, begin, end, vs.f[j], a.right_mode);
  }
  return {make_int_tensor(a.output_type, values.shape(), out)};
}

Outputs eval_SliceScatter(const Node& node, const Inputs& in) {
  need_inputs(node, in, 5, 6);
  const Tensor& data = *in[0];
  const Tensor& updates = *in[1];
  const Dims& ds = data.shape();
  const int64_t rank = static_cast<int64_t>(ds.size());
  const auto start = int_input(node, in, 2), stop = int_input(node, in, 3), step = int_input(node, in, 4);
  std::vector<int64_t> axes;
  if (in.size() == 6)
    axes = int_input(node, in, 5);
  else
    for (size_t i = 0; i < start.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (stop.size() != start.size() || step.size() != start.size() || axes.size() != start.size())
    raise(ErrorCode::kModel, "{}: start, stop, step and axes have {}, {}, {} and {} values; they must agree",
          node.describe(), start.size(), stop.size(), step.size(), axes.size());
  std::vector<DimRange> sl;
  for (int64_t d = 0; d < rank; ++d) sl.push_back({0, 1, ds[static_cast<size_t>(d)]});
  std::vector<bool> used(static_cast<size_t>(rank), false);
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < -rank || axes[i] >= rank)
      raise(ErrorCode::kModel, "{}: axes[{}] = {} is out of range for rank {}", node.describe(), i, axes[i],
            rank);
    const size_t ax = static_cast<size_t>(axes[i] < 0 ? axes[i] + rank : axes[i]);
    if (used[ax]) raise(ErrorCode::kModel, "{}: axis {} appears twice in axes", node.describe(), ax);
    used[ax] = true;
    if (step[i] == 0) raise(ErrorCode::kModel, "{}: step[{}] is 0", node.describe(), i);
    sl[ax] = python_slice(ds[ax], start[i], stop[i], step[i]);
  }
  Dims slice_shape;
  for (const DimRange& r : sl) slice_shape.push_back(r.count);
  if (updates.shape() != slice_shape || updates.type() != data.type())
    raise(ErrorCode::kModel, "{}: updates {} {} must be {} {}, the shape of the slice of data {}",
          node.describe(), element_type_name(updates.type()), to_string(updates.shape()),
          element_type_name(data.type()), to_string(slice_shape), to_string(ds));
  const size_t bytes = byte_width(node, data.type());
  Tensor out = data.clone();
  auto* dst = static_cast<unsigned char*>(out.data());
  const auto* src = static_cast<const unsigned char*>(updates.data());
  const Dims strides = row_major_strides(ds);
  Dims coord(ds.size(), 0);
  for (int64_t i = 0; i < updates.element_count(); ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < ds.size(); ++d) off += (sl[d].start + coord[d] * sl[d].step) * strides[d];
    std::memcpy(dst + off * static_cast<int64_t>(bytes), src + i * static_cast<int64_t>(bytes), bytes);
    for (size_t d = ds.size(); d-- > 0;) {
      if (++coord[d] < slice_shape[d]) break;
      coord[d] = 0;
    }
  }
  return {out};
}

Outputs eval_Inverse(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_float(x.type())) unsupported_type(node, x.type());
  const Dims& s = x.shape();
  if (s.size() < 2 || s[s.size() - 1] != s[s.size() - 2])
    raise(ErrorCode::kModel, "{}: input {} does not hold square matrices", node.describe(), to_string(s));
  const int64_t n = s.back(), nn = n * n;
  const bool adjoint = node.attr<InverseAttrs>().adjoint;
  std::vector<double> out(static_cast<size_t>(x.element_count()));
  std::vector<double> u(static_cast<size_t>(nn)), l(static_cast<size_t>(nn));
  std::vector<int64_t> perm(static_cast<size_t>(n));
  auto at = [n](std::vector<double>& m, int64_t r, int64_t c) -> double& {
    return m[static_cast<size_t>(r * n + c)];
  };
  for (int64_t m0 = 0; m0 < x.element_count(); m0 += nn) {
    // adjoint: the inverse of the (conjugate) transpose, so LU of A^T (OpenVINO 2024+ spec; the first
    // Inverse-14 text and reference returned the adjugate det(A) A^-1 instead).
    for (int64_t i = 0; i < nn; ++i)
      u[static_cast<size_t>(i)] = x.get_as_double(m0 + (adjoint ? (i % n) * n + i / n : i));
    std::fill(l.begin(), l.end(), 0.0);
    for (int64_t i = 0; i < n; ++i) perm[static_cast<size_t>(i)] = i;
    // PA = LU: for each column the row with the largest magnitude becomes the pivot.
    for (int64_t c = 0; c < n; ++c) {
      int64_t pivot = c;
      for (int64_t r = c + 1; r < n; ++r)
        if (std::fabs(at(u, r, c)) > std::fabs(at(u, pivot, c))) pivot = r;
      if (pivot != c) {
        for (int64_t k = 0; k < n; ++k) {
          std::swap(at(u, c, k), at(u, pivot, k));
          std::swap(at(l, c, k), at(l, pivot, k));
        }
        std::swap(perm[static_cast<size_t>(c)], perm[static_cast<size_t>(pivot)]);
      }
      at(l, c, c) = 1.0;
      for (int64_t r = c + 1; r < n; ++r) {
        const double f = at(u, r, c) / at(u, c, c);
        at(l, r, c) = f;
        for (int64_t k = c; k < n; ++k) at(u, r, k) -= f * at(u, c, k);
      }
    }
    // Column j of the inverse solves A x = e_j, i.e. L y = P e_j, then U x = y.
    std::vector<double> y(static_cast<size_t>(n));
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t r = 0; r < n; ++r) {
        double v = perm[static_cast<size_t>(r)] == j ? 1.0 : 0.0;
        for (int64_t k = 0; k < r; ++k) v -= at(l, r, k) * y[static_cast<size_t>(k)];
        y[static_cast<size_t>(r)] = v;
      }
      for (int64_t r = n - 1; r >= 0; --r) {
        double v = y[static_cast<size_t>(r)];
        for (int64_t k = r + 1; k < n; ++k) v -= at(u, r, k) * out[static_cast<size_t>(m0 + k * n + j)];
        out[static_cast<size_t>(m0 + r * n + j)] = v / at(u, r, r);
      }
    }
  }
  return {float_result(x.type(), s, out)};
}

Outputs eval_ErfInv(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_float(x.type())) unsupported_type(node, x.type());
  std::vector<double> out(static_cast<size_t>(x.element_count()));
  for (size_t i = 0; i < out.size(); ++i) {
    const double v = x.get_as_double(static_cast<int64_t>(i));
    if (std::isnan(v) || std::fabs(v) > 1)
      out[i] = std::numeric_limits<double>::quiet_NaN();
    else if (std::fabs(v) == 1)
      out[i] = std::copysign(std::numeric_limits<double>::infinity(), v);
    else
      out[i] = v == 0 ? v : erfinv(v);  // keeps -0
  }
  return {float_result(x.type(), x.shape(), out)};
}

// Both inputs converted to the promoted type: Convert-1's evaluator on stand-in Convert nodes.
Outputs eval_ConvertPromoteTypes(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const ElementType t =
      promoted_type(node, in[0]->type(), in[1]->type(), in[0]->shape().size(), in[1]->shape().size());
  Outputs out;
  for (size_t i = 0; i < 2; ++i) {
    Node convert;
    convert.op = OpKind::kConvert;
    convert.version = 1;
    convert.name = node.name;
    convert.ir_id = node.ir_id;
    convert.attrs.set("destination_type", element_type_name(t));
    convert.parse_attributes();
    out.push_back(eval_Convert(convert, {in[i]})[0]);
  }
  return out;
}

Outputs eval_SegmentMax(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const Tensor& data = *in[0];
  const ElementType type = data.type();
  if (data.shape().empty()) raise(ErrorCode::kModel, "{}: data is a scalar", node.describe());
  const std::vector<int64_t> ids = int_input(node, in, 1);
  const int64_t rows = data.shape()[0];
  if (static_cast<int64_t>(ids.size()) != rows)
    raise(ErrorCode::kModel, "{}: {} segment_ids for {} rows of data", node.describe(), ids.size(), rows);
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] < 0 || (i > 0 && ids[i] < ids[i - 1]))
      raise(ErrorCode::kModel, "{}: segment_ids[{}] = {}; the spec wants sorted non-negative ids",
            node.describe(), i, ids[i]);
  const int64_t segments = in.size() == 3 ? in[2]->get_as_int64(0) : (ids.empty() ? 0 : ids.back() + 1);
  if (segments < 0) raise(ErrorCode::kModel, "{}: num_segments is {}", node.describe(), segments);
  const int64_t width = rows > 0 ? data.element_count() / rows : 0;
  Dims shape = data.shape();
  shape[0] = segments;
  const size_t n = static_cast<size_t>(segments * width);
  const bool lowest = node.attr<SegmentMaxAttrs>().fill_lowest;
  std::vector<bool> seen(static_cast<size_t>(segments), false);
  if (is_float(type)) {
    double fill = 0;
    if (lowest)
      fill = type == ElementType::kF64    ? -std::numeric_limits<double>::max()
             : type == ElementType::kF16  ? -65504.0
             : type == ElementType::kBF16 ? -3.3895313892515355e38
                                          : -static_cast<double>(std::numeric_limits<float>::max());
    std::vector<double> out(n, fill);
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t s = ids[static_cast<size_t>(r)];
      if (s >= segments) continue;
      for (int64_t e = 0; e < width; ++e) {
        const double v = data.get_as_double(r * width + e);
        double& o = out[static_cast<size_t>(s * width + e)];
        o = seen[static_cast<size_t>(s)] ? std::max(o, v) : v;
      }
      seen[static_cast<size_t>(s)] = true;
    }
    return {float_result(type, shape, out)};
  }
  if (!is_integer(type)) unsupported_type(node, type);
  const int bits = element_bits(type);
  const int64_t fill = lowest && is_signed(type)
                           ? (bits == 64 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (bits - 1)))
                           : 0;
  std::vector<int64_t> out(n, fill);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t s = ids[static_cast<size_t>(r)];
    if (s >= segments) continue;
    for (int64_t e = 0; e < width; ++e) {
      const int64_t v = data.get_as_int64(r * width + e);
      int64_t& o = out[static_cast<size_t>(s * width + e)];
      o = seen[static_cast<size_t>(s)] ? std::max(o, v) : v;
    }
    seen[static_cast<size_t>(s)] = true;
  }
  return {make_int_tensor(type, shape, out)};
}

}  // namespace ref
}  // namespace octet
