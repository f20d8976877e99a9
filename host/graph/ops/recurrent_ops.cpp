// Shape inference for RNNCell-1, GRUCell-3, LSTMCell-1/-4 and RNNSequence-5, GRUSequence-5,
// LSTMSequence-5. Every input's shape is checked against the layout its spec gives it (batch,
// input_size, num_directions, seq_length, hidden_size and the gate count), dynamic dims matching
// anything; the outputs are [batch, hidden_size] (cells) and Y [batch, num_directions, seq_length,
// hidden_size], Ho/Co [batch, num_directions, hidden_size] (sequences).
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

enum class Cell { kRnn, kGru, kLstm };

// Input positions of one op: -1 when the op has no such input.
struct Layout {
  Cell cell;
  bool sequence;
  int x, h, c, lengths, w, r, b, p;
  size_t min_inputs, max_inputs;
};

Layout layout_of(const Node& node) {
  switch (node.op) {
    case OpKind::kRNNCell: return {Cell::kRnn, false, 0, 1, -1, -1, 2, 3, 4, -1, 5, 5};
    // The spec makes GRUCell's B optional (zeros).
    case OpKind::kGRUCell: return {Cell::kGru, false, 0, 1, -1, -1, 2, 3, 4, -1, 4, 5};
    // LSTMCell: B optional (zeros); LSTMCell-1 also takes OpenVINO's peepholes P (zeros when absent).
    case OpKind::kLSTMCell:
      return {Cell::kLstm, false,
              0,           1,
              2,           -1,
              3,           4,
              5,           node.version == 1 ? 6 : -1,
              5,           node.version == 1 ? size_t{7} : size_t{6}};
    case OpKind::kRNNSequence: return {Cell::kRnn, true, 0, 1, -1, 2, 3, 4, 5, -1, 6, 6};
    case OpKind::kGRUSequence: return {Cell::kGru, true, 0, 1, -1, 2, 3, 4, 5, -1, 6, 6};
    case OpKind::kLSTMSequence: return {Cell::kLstm, true, 0, 1, 2, 3, 4, 5, 6, -1, 7, 7};
    default: raise(ErrorCode::kInternal, "{}: not a recurrent op", node.describe());
  }
}

const char* input_name(const Layout& l, int i) {
  if (i == l.x) return "X";
  if (i == l.h) return "initial_hidden_state";
  if (i == l.c) return "initial_cell_state";
  if (i == l.lengths) return "sequence_lengths";
  if (i == l.w) return "W";
  if (i == l.r) return "R";
  if (i == l.b) return "B";
  return "P";
}

// One named dim shared by several inputs (batch, input_size, ...): the first known value wins and
// every other known value must equal it.
class SharedDim {
 public:
  SharedDim(const Node& node, const Layout& layout, const char* what)
      : node_(node), layout_(layout), what_(what) {}
  void add(int input, size_t dim) {
    const int64_t v = node_.input_shape(static_cast<size_t>(input))[dim];
    if (v < 0) return;
    if (value_ >= 0 && v != value_)
      raise(ErrorCode::kModel, "{}: {} is {} in input {} ({}) {} but {} in input {} ({}) {}",
            node_.describe(), what_, v, input, input_name(layout_, input),
            to_string(node_.input_shape(static_cast<size_t>(input))), value_, from_,
            input_name(layout_, from_), to_string(node_.input_shape(static_cast<size_t>(from_))));
    value_ = v;
    from_ = input;
  }
  int64_t value() const { return value_; }

 private:
  const Node& node_;
  const Layout& layout_;
  const char* what_;
  int64_t value_ = kDynamicDim;
  int from_ = -1;
};

// Input i must have `want` dims wherever both are known; `layout` spells the spec's shape.
void expect_dims(const Node& node, const Layout& l, int i, const Dims& want, const std::string& layout) {
  const Dims& got = node.input_shape(static_cast<size_t>(i));
  bool ok = got.size() == want.size();
  for (size_t d = 0; ok && d < got.size(); ++d) ok = got[d] < 0 || want[d] < 0 || got[d] == want[d];
  if (!ok)
    raise(ErrorCode::kModel, "{}: input {} ({}) is {}; the spec's layout is {} = {}", node.describe(), i,
          input_name(l, i), to_string(got), layout, to_string(want));
}

void infer_recurrent(Node& node) {
  const Layout l = layout_of(node);
  expect_inputs(node, l.min_inputs, l.max_inputs);
  const RnnAttrs& a = node.attr<RnnAttrs>();
  const int n_in = static_cast<int>(node.inputs.size());
  const ElementType t = node.input_type(0);
  if (!is_float(t))
    raise(ErrorCode::kModel, "{}: input 0 (X) must have a floating-point type, has {}", node.describe(),
          element_type_name(t));
  for (int i = 1; i < n_in; ++i) {
    if (i == l.lengths) {
      expect_integer(node, static_cast<size_t>(i), "sequence_lengths");
      continue;
    }
    if (node.input_type(static_cast<size_t>(i)) != t)
      raise(ErrorCode::kModel,
            "{}: input {} ({}) is {}; X and the states, weights and biases share one type ({})",
            node.describe(), i, input_name(l, i), element_type_name(node.input_type(static_cast<size_t>(i))),
            element_type_name(t));
  }
  // Ranks first, so that the shared dims below can index freely.
  const size_t state_rank = l.sequence ? 3 : 2;
  for (int i = 0; i < n_in; ++i) {
    size_t rank = state_rank;
    if (i == l.lengths || i == l.p) rank = 1;
    if (i == l.b) rank = l.sequence ? 2 : 1;
    const Dims& s = node.input_shape(static_cast<size_t>(i));
    if (s.size() != rank)
      raise(ErrorCode::kModel, "{}: input {} ({}) {} must have rank {}", node.describe(), i, input_name(l, i),
            to_string(s), rank);
  }
  const int64_t hs = a.hidden_size;
  const int64_t gates = l.cell == Cell::kRnn ? 1 : l.cell == Cell::kGru ? 3 : 4;
  const int64_t bias_gates = gates + (l.cell == Cell::kGru && a.linear_before_reset ? 1 : 0);
  const int64_t nd = a.direction == RnnDirection::kBidirectional ? 2 : 1;
  const size_t xr = state_rank - 1;  // last dim of X, H and C

  SharedDim batch(node, l, "batch_size"), input_size(node, l, "input_size"), dirs(node, l, "num_directions");
  for (int i : {l.x, l.h, l.c, l.lengths})
    if (i >= 0) batch.add(i, 0);
  input_size.add(l.x, xr);
  input_size.add(l.w, l.sequence ? 2 : 1);
  const int64_t bs = batch.value(), in = input_size.value();
  const std::string g = gates == 1 ? "" : std::to_string(gates) + " * ";
  if (l.sequence) {
    const int64_t seq = node.input_shape(0)[1];
    expect_dims(node, l, l.h, {bs, nd, hs}, "[batch_size, num_directions, hidden_size]");
    if (l.c >= 0) expect_dims(node, l, l.c, {bs, nd, hs}, "[batch_size, num_directions, hidden_size]");
    expect_dims(node, l, l.w, {nd, gates * hs, in}, "[num_directions, " + g + "hidden_size, input_size]");
    expect_dims(node, l, l.r, {nd, gates * hs, hs}, "[num_directions, " + g + "hidden_size, hidden_size]");
    expect_dims(node, l, l.b, {nd, bias_gates * hs},
                bias_gates == 1 ? "[num_directions, hidden_size]"
                                : "[num_directions, " + std::to_string(bias_gates) + " * hidden_size]");
    // Constant lengths are checked here; computed ones by the reference when it runs.
    if (const Tensor* len = node.input_constant(static_cast<size_t>(l.lengths))) {
      const std::vector<int64_t> v = len->to_int64_vector();
      for (size_t b = 0; b < v.size(); ++b)
        if (v[b] < 0 || (seq >= 0 && v[b] > seq))
          raise(ErrorCode::kModel,
                "{}: input {} (sequence_lengths) holds {} for batch {}; lengths lie in [0, {}]",
                node.describe(), l.lengths, v[b], b, seq);
    }
    const Dims y = {bs, nd, seq, hs}, state = {bs, nd, hs};
    check_output_shape(node, y);
    set_outputs(node, l.c >= 0 ? 3 : 2);
    node.outputs[0].type = t;
    node.outputs[0].shape = y;
    for (size_t o = 1; o < node.outputs.size(); ++o) {
      node.outputs[o].type = t;
      node.outputs[o].shape = state;
    }
    return;
  }
  expect_dims(node, l, l.h, {bs, hs}, "[batch_size, hidden_size]");
  if (l.c >= 0) expect_dims(node, l, l.c, {bs, hs}, "[batch_size, hidden_size]");
  expect_dims(node, l, l.w, {gates * hs, in}, "[" + g + "hidden_size, input_size]");
  expect_dims(node, l, l.r, {gates * hs, hs}, "[" + g + "hidden_size, hidden_size]");
  if (n_in > l.b)
    expect_dims(node, l, l.b, {bias_gates * hs},
                bias_gates == 1 ? "[hidden_size]" : "[" + std::to_string(bias_gates) + " * hidden_size]");
  if (l.p >= 0 && n_in > l.p) expect_dims(node, l, l.p, {3 * hs}, "[3 * hidden_size]");
  const Dims state = {bs, hs};
  set_outputs(node, l.c >= 0 ? 2 : 1);
  for (Value& v : node.outputs) {
    v.type = t;
    v.shape = state;
  }
}

}  // namespace

void infer_RNNCell(Node& node) {
  infer_recurrent(node);
}
void infer_GRUCell(Node& node) {
  infer_recurrent(node);
}
void infer_LSTMCell(Node& node) {
  infer_recurrent(node);
}
void infer_RNNSequence(Node& node) {
  infer_recurrent(node);
}
void infer_GRUSequence(Node& node) {
  infer_recurrent(node);
}
void infer_LSTMSequence(Node& node) {
  infer_recurrent(node);
}

}  // namespace octet
