// Reference ScaledDotProductAttention-13, per the spec's pseudo-code:
//   scores = Q K^T * scale + bias; weights = softmax(scores, -1); out = weights V
// with bias = triu(-inf, k=1) when causal, else the mask (boolean: false -> -inf; float: added).
// An optional sink input ([..., L, 1]) adds one logit per row to the softmax, whose weight is then
// dropped (the spec's concatenate / slice).
//
// Numerics: the whole op is evaluated in double (dot products, scale, bias, softmax and the
// weighted sum of V) and rounded once to the output type. The spec composes MatMul, Softmax and
// MatMul; evaluating the composition in double keeps it as close to exact as the double Softmax
// and reductions of evaluate.h, without rounding the scores or weights to f32/f16 in between.
// A row whose every score is -inf gives NaN, as softmax of the pseudo-code does.
#include <cmath>
#include <limits>

#include "host/graph/op_attrs.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

std::vector<double> read_doubles(const Tensor& t) {
  std::vector<double> v(static_cast<size_t>(t.element_count()));
  for (int64_t i = 0; i < t.element_count(); ++i) v[static_cast<size_t>(i)] = t.get_as_double(i);
  return v;
}

Dims batch_of(const Dims& shape) {
  return Dims(shape.begin(), shape.end() - 2);
}

// numpy broadcast of a and b, raising kModel naming the node.
Dims broadcast_or_fail(const Node& node, const Dims& a, const Dims& b, const char* what) {
  const size_t r = std::max(a.size(), b.size());
  Dims out(r, 1);
  for (size_t i = 0; i < r; ++i) {
    const int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
    const int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
    if (da != db && da != 1 && db != 1)
      raise(ErrorCode::kModel, "{}: {} {} and {} do not broadcast", node.describe(), what, to_string(a),
            to_string(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

}  // namespace

Outputs eval_ScaledDotProductAttention(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 6);
  const bool causal = node.attr<SdpaAttrs>().causal;
  const Tensor &q = *in[0], &k = *in[1], &v = *in[2];
  const ElementType type = q.type();
  if (!is_compute_float(type) && type != ElementType::kF64) unsupported_type(node, type);
  if (k.type() != type || v.type() != type) unsupported_type(node, k.type() != type ? k.type() : v.type());
  const Dims &qs = q.shape(), &ks = k.shape(), &vs = v.shape();
  if (qs.size() < 3 || ks.size() < 3 || vs.size() < 3)
    raise(ErrorCode::kModel, "{}: query {}, key {} and value {} must have rank >= 3", node.describe(),
          to_string(qs), to_string(ks), to_string(vs));
  const int64_t l_q = qs[qs.size() - 2], e = qs.back(), s = ks[ks.size() - 2], ev = vs.back();
  if (ks.back() != e || vs[vs.size() - 2] != s)
    raise(ErrorCode::kModel, "{}: query {}, key {} and value {} do not agree on E and S", node.describe(),
          to_string(qs), to_string(ks), to_string(vs));
  Dims batch = broadcast_or_fail(node, batch_of(qs), batch_of(ks), "batch dims");
  batch = broadcast_or_fail(node, batch, batch_of(vs), "batch dims");
  int64_t l = l_q;
  const Tensor* mask = !causal && in.size() >= 4 ? in[3] : nullptr;
  if (mask) {
    const Dims& ms = mask->shape();
    if (mask->type() != type && mask->type() != ElementType::kBoolean) unsupported_type(node, mask->type());
    if (ms.size() == 1)
      raise(ErrorCode::kModel, "{}: attention_mask {} has rank 1", node.describe(), to_string(ms));
    if (ms.size() >= 2) {
      const int64_t ml = ms[ms.size() - 2], mss = ms.back();
      if ((ml != l && ml != 1 && l != 1) || (mss != s && mss != 1))
        raise(ErrorCode::kModel, "{}: attention_mask {} does not broadcast to [L, S] = [{}, {}]",
              node.describe(), to_string(ms), l, s);
      if (l == 1) l = ml;
      if (ms.size() > 2) batch = broadcast_or_fail(node, batch, batch_of(ms), "batch dims");
    }
  }
  double scale = 1.0 / std::sqrt(static_cast<double>(e));
  if (in.size() >= 5) {
    if (in[4]->element_count() != 1)
      raise(ErrorCode::kModel, "{}: scale must hold one value, has shape {}", node.describe(),
            to_string(in[4]->shape()));
    scale = in[4]->get_as_double(0);
  }

  // Flat offsets of each operand's [L or S, E] matrix per output batch element.
  const int64_t batches = element_count(batch);
  const std::vector<int64_t> qb = broadcast_index(batch_of(qs), batch);
  const std::vector<int64_t> kb = broadcast_index(batch_of(ks), batch);
  const std::vector<int64_t> vb = broadcast_index(batch_of(vs), batch);
  Dims score_shape = batch;
  score_shape.push_back(l);
  score_shape.push_back(s);
  std::vector<int64_t> mask_index;
  std::vector<double> mask_values;
  if (mask) {
    mask_index = broadcast_index(mask->shape(), score_shape);
    mask_values = read_doubles(*mask);
  }
  const bool bool_mask = mask && mask->type() == ElementType::kBoolean;
  std::vector<int64_t> sink_index;
  std::vector<double> sink_values;
  if (in.size() == 6) {
    Dims rows = batch;
    rows.push_back(l);
    rows.push_back(1);
    const Dims& ss = in[5]->shape();
    if (in[5]->type() != type) unsupported_type(node, in[5]->type());
    bool fits = ss.size() == rows.size();
    for (size_t i = 0; fits && i < ss.size(); ++i) fits = ss[i] == rows[i] || ss[i] == 1;
    if (!fits)
      raise(ErrorCode::kModel, "{}: sink {} does not broadcast to {}", node.describe(), to_string(ss),
            to_string(rows));
    sink_index = broadcast_index(ss, rows);
    sink_values = read_doubles(*in[5]);
  }
  const std::vector<double> qv = read_doubles(q), kv = read_doubles(k), vv = read_doubles(v);
  const double inf = std::numeric_limits<double>::infinity();

  Dims out_shape = batch;
  out_shape.push_back(l);
  out_shape.push_back(ev);
  std::vector<double> out(static_cast<size_t>(batches * l * ev), 0.0);
  std::vector<double> w(static_cast<size_t>(s));
  for (int64_t b = 0; b < batches; ++b) {
    const double* qm = &qv[static_cast<size_t>(qb[static_cast<size_t>(b)] * l_q * e)];
    const double* km = &kv[static_cast<size_t>(kb[static_cast<size_t>(b)] * s * e)];
    const double* vm = &vv[static_cast<size_t>(vb[static_cast<size_t>(b)] * s * ev)];
    for (int64_t i = 0; i < l; ++i) {
      const double* qrow = qm + (l_q == 1 ? 0 : i) * e;
      double max = -inf;
      for (int64_t j = 0; j < s; ++j) {
        double dot = 0;
        for (int64_t c = 0; c < e; ++c) dot += qrow[c] * km[j * e + c];
        double score = dot * scale;
        if (causal) {
          if (j > i) score = -inf;
        } else if (mask) {
          const double m =
              mask_values[static_cast<size_t>(mask_index[static_cast<size_t>((b * l + i) * s + j)])];
          score = bool_mask ? (m != 0 ? score : -inf) : score + m;
        }
        w[static_cast<size_t>(j)] = score;
        max = std::max(max, score);
      }
      double sink = -inf;
      if (!sink_values.empty()) {
        sink = sink_values[static_cast<size_t>(sink_index[static_cast<size_t>(b * l + i)])];
        max = std::max(max, sink);
      }
      double sum = std::exp(sink - max);                   // 0 without a sink
      for (double& x : w) sum += (x = std::exp(x - max));  // all -inf: exp(NaN) = NaN, as the spec's softmax
      double* orow = &out[static_cast<size_t>((b * l + i) * ev)];
      for (int64_t j = 0; j < s; ++j) {
        const double p = w[static_cast<size_t>(j)] / sum;
        for (int64_t c = 0; c < ev; ++c) orow[c] += p * vm[j * ev + c];
      }
    }
  }
  if (type == ElementType::kF64) {
    Tensor t(type, out_shape);
    std::copy(out.begin(), out.end(), t.data_as<double>());
    return {t};
  }
  return {make_float_tensor(type, out_shape, std::vector<float>(out.begin(), out.end()))};
}

}  // namespace ref
}  // namespace octet
