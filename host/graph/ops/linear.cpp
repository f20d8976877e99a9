// Shape inference for Convolution, GroupConvolution and MatMul (ir-spec.md 4).
#include "host/common/error.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

bool known_and_differ(int64_t a, int64_t b) {
  return a >= 0 && b >= 0 && a != b;
}

}  // namespace

void infer_Convolution(Node& node) {
  expect_inputs(node, 2, 2);
  expect_rank(node, 0, 3, 5);
  expect_same_type(node, 0, 1);
  const Dims& data = node.input_shape(0);
  const Dims& filters = node.input_shape(1);
  const ConvGeometry g = conv_geometry(node, false);
  if (known_and_differ(data[1], filters[1]))
    raise(ErrorCode::kModel, "{}: data has {} input channels (shape {}) but filters expect {} (shape {})",
          node.describe(), data[1], to_string(data), filters[1], to_string(filters));
  Dims out = {data[0], filters[0]};
  out.insert(out.end(), g.output.begin(), g.output.end());
  set_single_output(node, node.input_type(0), out);
}

void infer_GroupConvolution(Node& node) {
  expect_inputs(node, 2, 2);
  expect_rank(node, 0, 3, 5);
  expect_same_type(node, 0, 1);
  const Dims& data = node.input_shape(0);
  const Dims& filters = node.input_shape(1);
  const ConvGeometry g = conv_geometry(node, true);
  const int64_t groups = filters[0], out_per_group = filters[1], in_per_group = filters[2];
  if (groups == 0)
    raise(ErrorCode::kModel, "{}: filters {} have zero groups", node.describe(), to_string(filters));
  if (groups > 0 && in_per_group >= 0 && known_and_differ(data[1], groups * in_per_group))
    raise(ErrorCode::kModel,
          "{}: data has {} channels (shape {}) but filters {} expect {} groups x {} channels = {}",
          node.describe(), data[1], to_string(data), to_string(filters), groups, in_per_group,
          groups * in_per_group);
  const int64_t out_channels = groups >= 0 && out_per_group >= 0 ? groups * out_per_group : kDynamicDim;
  Dims out = {data[0], out_channels};
  out.insert(out.end(), g.output.begin(), g.output.end());
  set_single_output(node, node.input_type(0), out);
}

void infer_MatMul(Node& node) {
  expect_inputs(node, 2, 2);
  expect_same_type(node, 0, 1);
  const bool ta = node.attr<MatMulAttrs>().transpose_a;
  const bool tb = node.attr<MatMulAttrs>().transpose_b;
  Dims a = node.input_shape(0);
  Dims b = node.input_shape(1);
  if (a.empty() || b.empty())
    raise(ErrorCode::kModel, "{}: inputs must have rank >= 1, have shapes {} and {}", node.describe(),
          to_string(a), to_string(b));
  // Transposes apply to rank >= 2 only; rank-1 operands then get a temporary unit axis.
  if (ta && a.size() >= 2) std::swap(a[a.size() - 1], a[a.size() - 2]);
  if (tb && b.size() >= 2) std::swap(b[b.size() - 1], b[b.size() - 2]);
  const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  const int64_t k_a = a[a.size() - 1], k_b = b[b.size() - 2];
  if (known_and_differ(k_a, k_b))
    raise(ErrorCode::kModel,
          "{}: inner dims differ: {} (input 0 shape {}, transpose_a={}) vs {} (input 1 shape {}, "
          "transpose_b={})",
          node.describe(), k_a, to_string(node.input_shape(0)), ta, k_b, to_string(node.input_shape(1)), tb);
  const Dims batch_a(a.begin(), a.end() - 2), batch_b(b.begin(), b.end() - 2);
  Dims out = node_broadcast(node, batch_a, batch_b);
  if (!a_vec) out.push_back(a[a.size() - 2]);
  if (!b_vec) out.push_back(b[b.size() - 1]);
  set_single_output(node, node.input_type(0), out);
}

}  // namespace octet
