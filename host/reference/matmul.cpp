// Reference MatMul-1 (ir-spec.md 4.4): transposes, rank-1 promotion, numpy batch broadcasting.
#include "host/reference/quantized_linear.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

Outputs eval_MatMul(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  if (!is_compute_float(a.type()) || b.type() != a.type()) unsupported_type(node, b.type());
  Dims as = a.shape(), bs = b.shape();
  if (as.empty() || bs.empty())
    raise(ErrorCode::kModel, "{}: scalar inputs are not allowed", node.describe());
  const bool ta = node.attr<MatMulAttrs>().transpose_a && as.size() > 1;
  const bool tb = node.attr<MatMulAttrs>().transpose_b && bs.size() > 1;
  const bool a1 = as.size() == 1, b1 = bs.size() == 1;
  if (a1) as.insert(as.begin(), 1);
  if (b1) bs.push_back(1);
  const int64_t m = ta ? as[as.size() - 1] : as[as.size() - 2];
  const int64_t k = ta ? as[as.size() - 2] : as[as.size() - 1];
  const int64_t kb = tb ? bs[bs.size() - 1] : bs[bs.size() - 2];
  const int64_t nn = tb ? bs[bs.size() - 2] : bs[bs.size() - 1];
  if (k != kb)
    raise(ErrorCode::kModel, "{}: inner dims differ ({} vs {})", node.describe(), to_string(a.shape()),
          to_string(b.shape()));
  const Dims a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
  const Dims batch = broadcast_shapes(a_batch, b_batch);
  const auto ia = broadcast_index(a_batch, batch), ib = broadcast_index(b_batch, batch);
  const auto va = read_floats(a), vb = read_floats(b);
  const int64_t a_mat = m * k, b_mat = k * nn;
  std::vector<float> y(ia.size() * static_cast<size_t>(m * nn), 0.0f);
  std::vector<float> arow(static_cast<size_t>(k)), bt(tb ? static_cast<size_t>(b_mat) : 0);
  for (size_t bi = 0; bi < ia.size(); ++bi) {
    const float* pa = &va[static_cast<size_t>(ia[bi] * a_mat)];
    const float* pb = &vb[static_cast<size_t>(ib[bi] * b_mat)];
    if (tb) {  // a [k, n] copy keeps the inner loop contiguous; values and order are unchanged
      for (int64_t j = 0; j < nn; ++j)
        for (int64_t p = 0; p < k; ++p) bt[static_cast<size_t>(p * nn + j)] = pb[j * k + p];
      pb = bt.data();
    }
    float* py = &y[bi * static_cast<size_t>(m * nn)];
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t p = 0; p < k; ++p) arow[p] = ta ? pa[p * m + i] : pa[i * k + p];
      // i-p-j order: per output the products are summed in ascending p, starting from 0.
      for (int64_t p = 0; p < k; ++p) {
        const float av = arow[p];
        for (int64_t j = 0; j < nn; ++j) py[i * nn + j] += av * pb[p * nn + j];
      }
    }
  }
  Dims out = batch;
  if (!a1) out.push_back(m);
  if (!b1) out.push_back(nn);
  return {make_float_tensor(a.type(), out, y)};
}

Outputs eval_QuantizedMatMul(const Node& node, const Inputs& in) {
  return evaluate_quantized_linear(node, in);  // exact integer arithmetic, see quantized_linear.h
}

}  // namespace ref
}  // namespace octet
