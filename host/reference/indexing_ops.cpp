// Reference TopK, GatherElements and GatherND (OpenVINO op specs of the versions in ops.def). They
// move elements bit for bit, so every byte-sized type works, integers included (shape subgraphs fold
// through here). The scatters are in scatter_ops.cpp.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"
#include "host/reference/indexing_util.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

int64_t checked_index(const Node& node, size_t input, int64_t value, int64_t position, int64_t size,
                      bool negatives) {
  const int64_t lo = negatives ? -size : 0;
  if (value < lo || value >= size)
    raise(ErrorCode::kInvalidArgument,
          "{}: input {} (indices) value {} at position {} is out of range [{}, {})", node.describe(), input,
          value, position, lo, size);
  return value < 0 ? value + size : value;
}

int64_t product(Dims::const_iterator begin, Dims::const_iterator end) {
  return std::accumulate(begin, end, int64_t{1}, [](int64_t a, int64_t b) { return a * b; });
}

namespace {

// TopK's order on one slice: a "comes before" b. Values are compared exactly (double holds every
// f16/bf16/f32/f64 value; integers compare as int64, u64 with its sign bit flipped). NaN counts as
// smaller than every number (TopK-3 spec), so `max` puts it last and `min` first. Equal values keep
// ascending index order, which is what TopK-11 `stable` asks for and what OpenVINO writes either way.
template <class Key>
struct TopKOrder {
  const std::vector<Key>* keys;
  bool max;
  static bool less(Key a, Key b) {
    if constexpr (std::is_floating_point_v<Key>) {
      if (std::isnan(a)) return !std::isnan(b);
      if (std::isnan(b)) return false;
    }
    return a < b;
  }
  bool operator()(int64_t i, int64_t j) const {
    const Key a = (*keys)[static_cast<size_t>(i)], b = (*keys)[static_cast<size_t>(j)];
    if (max ? less(b, a) : less(a, b)) return true;
    if (max ? less(a, b) : less(b, a)) return false;
    return i < j;
  }
};

// For each output position (slice o, rank r, inner i), the input position of the chosen element.
template <class Key>
std::vector<int64_t> topk_positions(const std::vector<Key>& keys, int64_t outer, int64_t n, int64_t inner,
                                    int64_t k, bool max, TopKSort sort) {
  std::vector<int64_t> pos(static_cast<size_t>(outer * k * inner));
  std::vector<Key> slice(static_cast<size_t>(n));
  std::vector<int64_t> order(static_cast<size_t>(n));
  const TopKOrder<Key> before{&slice, max};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      for (int64_t j = 0; j < n; ++j)
        slice[static_cast<size_t>(j)] = keys[static_cast<size_t>((o * n + j) * inner + i)];
      std::iota(order.begin(), order.end(), int64_t{0});
      std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      if (sort == TopKSort::kIndex) std::sort(order.begin(), order.begin() + k);
      for (int64_t r = 0; r < k; ++r)
        pos[static_cast<size_t>((o * k + r) * inner + i)] =
            (o * n + order[static_cast<size_t>(r)]) * inner + i;
    }
  return pos;
}

}  // namespace

Outputs eval_TopK(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const TopKAttrs& a = node.attr<TopKAttrs>();
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  if (!is_float(x.type()) && !is_integer(x.type()))
    raise(ErrorCode::kModel, "{}: input 0 (data) must be numeric, has {}", node.describe(),
          element_type_name(x.type()));
  const size_t axis = static_cast<size_t>(node_axis(node, a.axis, static_cast<int64_t>(xs.size()), "axis"));
  const std::vector<int64_t> kv = int_input(node, in, 1);
  if (kv.size() != 1)
    raise(ErrorCode::kModel, "{}: input 1 (k) must hold one value, has {}", node.describe(), kv.size());
  const int64_t n = xs[axis], k = kv[0];
  if (k < 1 || k > n)
    raise(ErrorCode::kModel, "{}: input 1 (k) is {}; it must lie in [1, {}]", node.describe(), k, n);
  const int64_t outer = product(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(axis));
  const int64_t inner = product(xs.begin() + static_cast<std::ptrdiff_t>(axis) + 1, xs.end());
  const bool max = a.mode == TopKMode::kMax;
  std::vector<int64_t> pos;
  if (is_float(x.type())) {
    std::vector<double> keys(static_cast<size_t>(x.element_count()));
    for (int64_t i = 0; i < x.element_count(); ++i) keys[static_cast<size_t>(i)] = x.get_as_double(i);
    pos = topk_positions(keys, outer, n, inner, k, max, a.sort);
  } else {
    std::vector<int64_t> keys = x.to_int64_vector();
    if (x.type() == ElementType::kU64)  // unsigned order in a signed comparison
      for (int64_t& v : keys) v ^= INT64_MIN;
    pos = topk_positions(keys, outer, n, inner, k, max, a.sort);
  }
  Dims out_shape = xs;
  out_shape[axis] = k;
  // The index output holds the position along the axis.
  std::vector<int64_t> along(pos.size());
  for (size_t p = 0; p < pos.size(); ++p) along[p] = (pos[p] / inner) % n;
  return {gather_elements(node, x, out_shape, pos), make_int_tensor(a.index_type, out_shape, along)};
}

Outputs eval_GatherElements(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const Dims& is = in[1]->shape();
  const std::vector<int64_t> idx = int_input(node, in, 1);
  if (xs.empty() || is.size() != xs.size())
    raise(ErrorCode::kModel, "{}: data {} and indices {} must have the same rank >= 1", node.describe(),
          to_string(xs), to_string(is));
  const size_t axis = static_cast<size_t>(
      node_axis(node, node.attr<AxisAttrs>().axis, static_cast<int64_t>(xs.size()), "axis"));
  for (size_t d = 0; d < xs.size(); ++d)
    if (d != axis && xs[d] != is[d])
      raise(ErrorCode::kModel, "{}: indices {} and data {} differ in dim {}", node.describe(), to_string(is),
            to_string(xs), d);
  // Same shape off the axis: output position (outer o, j, inner i) reads data (o, idx, i).
  const int64_t inner = product(xs.begin() + static_cast<std::ptrdiff_t>(axis) + 1, xs.end());
  const int64_t n = xs[axis], m = is[axis];
  std::vector<int64_t> src(idx.size());
  for (size_t p = 0; p < idx.size(); ++p) {
    const int64_t i = static_cast<int64_t>(p) % inner, o = static_cast<int64_t>(p) / inner / m;
    const int64_t j = checked_index(node, 1, idx[p], static_cast<int64_t>(p), n, true);
    src[p] = (o * n + j) * inner + i;
  }
  return {gather_elements(node, x, is, src)};
}

Outputs eval_GatherND(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const Dims& is = in[1]->shape();
  const std::vector<int64_t> idx = int_input(node, in, 1);
  const size_t b = static_cast<size_t>(node.attr<GatherNDAttrs>().batch_dims);
  if (xs.empty() || is.empty() || b >= std::min(xs.size(), is.size()))
    raise(ErrorCode::kModel,
          "{}: batch_dims {} must be below the ranks of data {} and indices {} (both >= 1)", node.describe(),
          b, to_string(xs), to_string(is));
  const size_t k = static_cast<size_t>(is.back());
  if (k > xs.size() - b)
    raise(ErrorCode::kModel,
          "{}: index tuples of length {} address more than the {} non-batch dims of data {}", node.describe(),
          k, xs.size() - b, to_string(xs));
  for (size_t d = 0; d < b; ++d)
    if (xs[d] != is[d])
      raise(ErrorCode::kModel, "{}: batch dim {} of data {} and indices {} differ", node.describe(), d,
            to_string(xs), to_string(is));
  const auto bb = static_cast<std::ptrdiff_t>(b), kk = static_cast<std::ptrdiff_t>(k);
  const int64_t batches = product(is.begin(), is.begin() + bb);
  const int64_t tuples = product(is.begin() + bb, is.end() - 1);
  const int64_t slice = product(xs.begin() + bb + kk, xs.end());
  const int64_t batch_size = product(xs.begin() + bb, xs.end());
  Dims out_shape;
  if (node.version >= 8 || b == 0)
    out_shape.assign(is.begin(), is.begin() + bb);
  else
    out_shape.push_back(batches);  // GatherND-5 flattens the batch dims into one
  out_shape.insert(out_shape.end(), is.begin() + bb, is.end() - 1);
  out_shape.insert(out_shape.end(), xs.begin() + bb + kk, xs.end());
  std::vector<int64_t> src(static_cast<size_t>(batches * tuples * slice));
  size_t o = 0;
  for (int64_t n = 0; n < batches; ++n)
    for (int64_t t = 0; t < tuples; ++t) {
      const int64_t first = (n * tuples + t) * static_cast<int64_t>(k);  // the tuple's first index
      int64_t offset = 0;
      for (size_t j = 0; j < k; ++j) {
        const int64_t dim = xs[b + j];
        const int64_t p = first + static_cast<int64_t>(j);
        offset = offset * dim + checked_index(node, 1, idx[static_cast<size_t>(p)], p, dim, true);
      }
      const int64_t base = n * batch_size + offset * slice;
      for (int64_t s = 0; s < slice; ++s) src[o++] = base + s;
    }
  return {gather_elements(node, x, out_shape, src)};
}

}  // namespace ref
}  // namespace octet
