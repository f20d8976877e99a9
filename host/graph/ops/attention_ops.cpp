// Shape inference for ScaledDotProductAttention-13 and Einsum-7.
#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/einsum_dims.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

bool known_and_differ(int64_t a, int64_t b) {
  return a >= 0 && b >= 0 && a != b;
}

// The dims of `shape` before its last two.
Dims batch_of(const Dims& shape) {
  return Dims(shape.begin(), shape.end() - 2);
}

}  // namespace

// Inputs query [N..., L, E], key [N..., S, E], value [N..., S, Ev], optional attention_mask
// ([..., L or 1, S or 1], T or boolean, or a scalar), scale (one value of T) and sink ([N..., L, 1]
// broadcastable, of the scores' rank: one extra logit per row that joins the softmax and is then
// dropped; OpenVINO 2025+ writes it as a sixth input of the same op version). Batch dims
// broadcast numpy-style across query, key, value and a mask of rank >= 3, as OpenVINO's shape
// inference merges them; the mask's L may broadcast the output's L (the spec's pseudo-code adds it
// to the [..., L, S] scores).
void infer_ScaledDotProductAttention(Node& node) {
  expect_inputs(node, 3, 6);
  const bool causal = node.attr<SdpaAttrs>().causal;
  const ElementType t = node.input_type(0);
  if (!is_float(t))
    raise(ErrorCode::kModel, "{}: query must have a floating-point type, has {}", node.describe(),
          element_type_name(t));
  expect_same_type(node, 0, 1);
  expect_same_type(node, 0, 2);
  for (size_t i = 0; i < 3; ++i) expect_rank(node, i, 3, 64);
  const Dims& q = node.input_shape(0);
  const Dims& k = node.input_shape(1);
  const Dims& v = node.input_shape(2);
  if (known_and_differ(q.back(), k.back()))
    raise(ErrorCode::kModel, "{}: query {} and key {} differ in the embedding dim E", node.describe(),
          to_string(q), to_string(k));
  if (known_and_differ(k[k.size() - 2], v[v.size() - 2]))
    raise(ErrorCode::kModel, "{}: key {} and value {} differ in the source length S", node.describe(),
          to_string(k), to_string(v));
  Dims batch = node_broadcast(node, batch_of(q), batch_of(k));
  batch = node_broadcast(node, batch, batch_of(v));
  int64_t l = q[q.size() - 2];
  const int64_t s = k[k.size() - 2];
  if (node.inputs.size() >= 4) {
    const ElementType mt = node.input_type(3);
    if (mt != t && mt != ElementType::kBoolean)
      raise(ErrorCode::kModel, "{}: attention_mask must be {} or boolean, is {}", node.describe(),
            element_type_name(t), element_type_name(mt));
    const Dims& m = node.input_shape(3);
    // A causal node ignores the mask (the spec); OpenVINO does not check its shape then either.
    if (!causal && !m.empty()) {
      if (m.size() < 2)
        raise(ErrorCode::kModel, "{}: attention_mask {} must be a scalar or have rank >= 2", node.describe(),
              to_string(m));
      const int64_t ml = m[m.size() - 2], ms = m.back();
      if (known_and_differ(ml, l) && ml != 1 && l != 1)
        raise(ErrorCode::kModel, "{}: attention_mask {} does not broadcast to L = {} (query {})",
              node.describe(), to_string(m), l, to_string(q));
      if (known_and_differ(ms, s) && ms != 1)
        raise(ErrorCode::kModel, "{}: attention_mask {} does not broadcast to S = {} (key {})",
              node.describe(), to_string(m), s, to_string(k));
      if (l == 1 || l == kDynamicDim) l = ml == 1 ? l : ml;
      if (m.size() > 2) batch = node_broadcast(node, batch, batch_of(m));
    }
  }
  if (node.inputs.size() >= 5) {
    expect_same_type(node, 0, 4);
    const Dims& sc = node.input_shape(4);
    if (sc.size() > 1 || (sc.size() == 1 && sc[0] != 1 && sc[0] != kDynamicDim))
      raise(ErrorCode::kModel, "{}: scale must be a scalar or have one element, has shape {}",
            node.describe(), to_string(sc));
  }
  Dims out = batch;
  out.push_back(l);
  if (node.inputs.size() == 6) {
    expect_same_type(node, 0, 5);
    const Dims& sink = node.input_shape(5);
    Dims rows = out;
    rows.push_back(1);
    if (sink.size() != rows.size() || !broadcasts_to(sink, rows))
      raise(ErrorCode::kModel, "{}: sink {} must have the scores' rank and broadcast to {}", node.describe(),
            to_string(sink), to_string(rows));
  }
  out.push_back(v.back());
  check_output_shape(node, out);
  set_single_output(node, t, out);
}

void infer_Einsum(Node& node) {
  if (node.inputs.empty()) raise(ErrorCode::kModel, "{}: Einsum needs at least one input", node.describe());
  const ElementType t = node.input_type(0);
  if (t == ElementType::kBoolean || t == ElementType::kUndefined)
    raise(ErrorCode::kModel, "{}: inputs must be numeric, input 0 is {}", node.describe(),
          element_type_name(t));
  std::vector<Dims> shapes;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    expect_same_type(node, 0, i);
    shapes.push_back(node.input_shape(i));
  }
  const Dims out = einsum_dims(node, shapes).output;
  check_output_shape(node, out);
  set_single_output(node, t, out);
}

}  // namespace octet
