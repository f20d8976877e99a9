// Shape inference and attribute errors of RNNCell-1, GRUCell-3, LSTMCell-1/-4, RNNSequence-5,
// GRUSequence-5 and LSTMSequence-5. Expected shapes are the layouts of the OpenVINO op
// specifications, written out by hand.
#include "host/graph/op_attrs.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using Attrs = std::map<std::string, std::string>;

Attrs seq_attrs(int hidden, const char* direction) {
  return {{"hidden_size", std::to_string(hidden)}, {"direction", direction}};
}

// The inputs of a sequence op: X [b, t, i], H (and C) [b, nd, h], lengths [b], W, R, B.
std::vector<Node*> seq_inputs(Builder& b, int gates, bool lstm, int64_t batch, int64_t seq, int64_t in,
                              int64_t hs, int64_t nd, int64_t bias_gates = 0) {
  std::vector<Node*> v = {b.param({batch, seq, in}), b.param({batch, nd, hs})};
  if (lstm) v.push_back(b.param({batch, nd, hs}));
  v.push_back(b.param({batch}, ElementType::kI32));
  v.push_back(b.param({nd, gates * hs, in}));
  v.push_back(b.param({nd, gates * hs, hs}));
  v.push_back(b.param({nd, (bias_gates ? bias_gates : gates) * hs}));
  return v;
}

TEST(InferRecurrent, CellShapes) {
  Builder b;
  const Attrs a = {{"hidden_size", "7"}};
  EXPECT_EQ(b.infer(OpKind::kRNNCell,
                    {b.param({3, 5}), b.param({3, 7}), b.param({7, 5}), b.param({7, 7}), b.param({7})}, a),
            (Dims{3, 7}));
  EXPECT_EQ(b.last->outputs.size(), 1u);
  // GRUCell: B optional; linear_before_reset makes it [4 * hidden_size].
  EXPECT_EQ(
      b.infer(OpKind::kGRUCell, {b.param({1, 4}), b.param({1, 7}), b.param({21, 4}), b.param({21, 7})}, a, 3),
      (Dims{1, 7}));
  EXPECT_EQ(b.infer(OpKind::kGRUCell,
                    {b.param({2, 4}), b.param({2, 7}), b.param({21, 4}), b.param({21, 7}), b.param({28})},
                    {{"hidden_size", "7"}, {"linear_before_reset", "true"}}, 3),
            (Dims{2, 7}));
  // LSTMCell-4: two outputs (Ho, Co); f16 stays f16.
  const ElementType h = ElementType::kF16;
  EXPECT_EQ(b.infer(OpKind::kLSTMCell,
                    {b.param({2, 3}, h), b.param({2, 7}, h), b.param({2, 7}, h), b.param({28, 3}, h),
                     b.param({28, 7}, h), b.param({28}, h)},
                    a, 4),
            (Dims{2, 7}));
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{2, 7}));
  EXPECT_EQ(b.last->outputs[1].type, h);
  // LSTMCell-1 with OpenVINO's peepholes [3 * hidden_size]; the batch may be dynamic in X only.
  EXPECT_EQ(b.infer(OpKind::kLSTMCell,
                    {b.param({-1, 3}), b.param({5, 7}), b.param({5, 7}), b.param({28, 3}), b.param({28, 7}),
                     b.param({28}), b.param({21})},
                    {{"hidden_size", "7"}, {"input_forget", "true"}, {"weights_format", "fico"}}, 1),
            (Dims{5, 7}));
}

TEST(InferRecurrent, SequenceShapes) {
  Builder b;
  // Y [batch, num_directions, seq_length, hidden_size], Ho [batch, num_directions, hidden_size].
  EXPECT_EQ(b.infer(OpKind::kRNNSequence, seq_inputs(b, 1, false, 3, 5, 4, 7, 1), seq_attrs(7, "forward"), 5),
            (Dims{3, 1, 5, 7}));
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{3, 1, 7}));
  EXPECT_EQ(
      b.infer(OpKind::kGRUSequence, seq_inputs(b, 3, false, 2, 6, 5, 11, 2, 4),
              {{"hidden_size", "11"}, {"direction", "bidirectional"}, {"linear_before_reset", "true"}}, 5),
      (Dims{2, 2, 6, 11}));
  EXPECT_EQ(b.infer(OpKind::kLSTMSequence, seq_inputs(b, 4, true, 1, 3, 2, 1, 1), seq_attrs(1, "reverse"), 5),
            (Dims{1, 1, 3, 1}));
  ASSERT_EQ(b.last->outputs.size(), 3u);
  EXPECT_EQ(b.last->outputs[2].shape, (Dims{1, 1, 1}));
  // A dynamic seq_length carries through to Y; a batch known in any input fills the others.
  std::vector<Node*> in = seq_inputs(b, 4, true, -1, -1, 2, 3, 2);
  in[3] = b.param({4}, ElementType::kI64);
  EXPECT_EQ(b.infer(OpKind::kLSTMSequence, in, seq_attrs(3, "BIDIRECTIONAL"), 5), (Dims{4, 2, -1, 3}));
  // Constant lengths within [0, seq_length] pass, 0 included.
  in = seq_inputs(b, 1, false, 3, 5, 4, 7, 1);
  in[2] = b.ints({5, 0, 2}, ElementType::kI32);
  EXPECT_EQ(b.infer(OpKind::kRNNSequence, in, seq_attrs(7, "forward"), 5), (Dims{3, 1, 5, 7}));
}

TEST(InferRecurrent, AttributeValues) {
  Builder b;
  auto rnn = [&](Attrs a) {
    return b.op(OpKind::kRNNSequence, seq_inputs(b, 1, false, 2, 3, 4, 5, 1), a, 5);
  };
  // clip: "inf" (the serializer's spelling of the spec's default) and 0 mean no clipping; names are
  // case-insensitive; alpha/beta are only checked to be numbers.
  Node* n = rnn({{"hidden_size", "5"},
                 {"direction", "forward"},
                 {"clip", "inf"},
                 {"activations", "Relu"},
                 {"activations_alpha", "0.3, 1e-20"},
                 {"activations_beta", ""}});
  infer_node(*n);
  EXPECT_EQ(n->attr<RnnAttrs>().clip, 0.0f);
  EXPECT_EQ(n->attr<RnnAttrs>().activations, (std::vector<RnnActivation>{RnnActivation::kRelu}));
  n = rnn(
      {{"hidden_size", "5"}, {"direction", "forward"}, {"clip", "1.7"}, {"activations", "sigmoid, tanh"}});
  infer_node(*n);
  EXPECT_EQ(n->attr<RnnAttrs>().clip, 1.7f);              // as f32, like OpenVINO
  EXPECT_EQ(n->attr<RnnAttrs>().activations.size(), 1u);  // names past the first are not used
  // Defaults: LSTM sigmoid, tanh, tanh; GRU sigmoid, tanh.
  n = b.op(OpKind::kLSTMCell,
           {b.param({1, 2}), b.param({1, 3}), b.param({1, 3}), b.param({12, 2}), b.param({12, 3})},
           {{"hidden_size", "3"}}, 4);
  infer_node(*n);
  EXPECT_EQ(
      n->attr<RnnAttrs>().activations,
      (std::vector<RnnActivation>{RnnActivation::kSigmoid, RnnActivation::kTanh, RnnActivation::kTanh}));
}

TEST(InferRecurrent, AttributeErrors) {
  Builder b;
  auto rnn_in = [&] { return seq_inputs(b, 1, false, 2, 3, 4, 5, 1); };
  auto with = [](Attrs a, const std::string& k, const std::string& v) {
    a[k] = v;
    return a;
  };
  const Attrs ok = seq_attrs(5, "forward");
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "hidden_size", "0"), 5,
                     {"hidden_size", "positive"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), {{"hidden_size", "5"}}, 5, {"direction"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "direction", "both"), 5,
                     {"direction", "forward, reverse, bidirectional"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "activations", "softsign"), 5,
                     {"activations", "'softsign'", "relu, sigmoid and tanh"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "activations", ""), 5,
                     {"activations", "lists 0 functions", "needs 1"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "clip", "-1"), 5, {"clip", "must be >= 0"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "clip", "x"), 5, {"clip", "not a number"});
  expect_model_error(b, OpKind::kRNNSequence, rnn_in(), with(ok, "activations_alpha", "0.1, a"), 5,
                     {"activations_alpha", "'a'"});
  expect_model_error(b, OpKind::kGRUSequence, seq_inputs(b, 3, false, 2, 3, 4, 5, 1),
                     with(with(ok, "activations", "sigmoid"), "linear_before_reset", "false"), 5,
                     {"lists 1 functions", "needs 2"});
  // hardsigmoid: OpenVINO's op knows it, the spec does not and neither OpenVINO backend runs it.
  Node* n = b.op(OpKind::kRNNSequence, rnn_in(), with(ok, "activations", "hardsigmoid"), 5);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"hardsigmoid", "relu, sigmoid, tanh"});
  // Attributes an op version does not have are refused.
  n = b.op(OpKind::kRNNSequence, rnn_in(), with(ok, "linear_before_reset", "false"), 5);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"linear_before_reset", "RNNSequence-5"});
  n = b.op(OpKind::kLSTMCell,
           {b.param({1, 2}), b.param({1, 3}), b.param({1, 3}), b.param({12, 2}), b.param({12, 3})},
           {{"hidden_size", "3"}, {"input_forget", "false"}}, 4);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input_forget", "LSTMCell-4"});
  // LSTMCell-1 weights_format: only the spec's fico.
  n = b.op(OpKind::kLSTMCell,
           {b.param({1, 2}), b.param({1, 3}), b.param({1, 3}), b.param({12, 2}), b.param({12, 3})},
           {{"hidden_size", "3"}, {"weights_format", "ifco"}}, 1);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"weights_format", "'ifco'", "fico"});
  expect_model_error(b, OpKind::kLSTMCell,
                     {b.param({1, 2}), b.param({1, 3}), b.param({1, 3}), b.param({12, 2}), b.param({12, 3})},
                     {{"hidden_size", "3"}, {"weights_format", "abcd"}}, 1, {"weights_format"});
}

TEST(InferRecurrent, InputErrors) {
  Builder b;
  const Attrs fwd = seq_attrs(5, "forward");
  // Wrong input count, types and ranks.
  expect_model_error(b, OpKind::kRNNCell,
                     {b.param({2, 4}), b.param({2, 5}), b.param({5, 4}), b.param({5, 5})},
                     {{"hidden_size", "5"}}, 1, {"input"});
  std::vector<Node*> in = seq_inputs(b, 1, false, 2, 3, 4, 5, 1);
  in[0] = b.param({2, 3, 4}, ElementType::kI32);
  expect_model_error(b, OpKind::kRNNSequence, in, fwd, 5, {"input 0 (X) must have a floating-point type"});
  in = seq_inputs(b, 1, false, 2, 3, 4, 5, 1);
  in[4] = b.param({1, 5, 5}, ElementType::kF16);
  expect_model_error(b, OpKind::kRNNSequence, in, fwd, 5, {"input 4 (R) is f16", "share one type (f32)"});
  in = seq_inputs(b, 1, false, 2, 3, 4, 5, 1);
  in[2] = b.param({2});
  expect_model_error(b, OpKind::kRNNSequence, in, fwd, 5, {"sequence_lengths"});
  in = seq_inputs(b, 1, false, 2, 3, 4, 5, 1);
  in[5] = b.param({5});
  expect_model_error(b, OpKind::kRNNSequence, in, fwd, 5, {"input 5 (B) [5] must have rank 2"});
  // Dims against the spec's layouts.
  expect_model_error(
      b, OpKind::kRNNSequence, seq_inputs(b, 1, false, 2, 3, 4, 6, 1), fwd, 5,
      {"input 1 (initial_hidden_state) is [2,1,6]", "[batch_size, num_directions, hidden_size]"});
  expect_model_error(b, OpKind::kRNNSequence, seq_inputs(b, 1, false, 2, 3, 4, 5, 1),
                     seq_attrs(5, "bidirectional"), 5, {"num_directions", "[2,2,5]"});
  expect_model_error(b, OpKind::kGRUSequence, seq_inputs(b, 3, false, 2, 3, 4, 5, 1),
                     {{"hidden_size", "5"}, {"direction", "forward"}, {"linear_before_reset", "true"}}, 5,
                     {"input 5 (B) is [1,15]", "[num_directions, 4 * hidden_size] = [1,20]"});
  in = seq_inputs(b, 4, true, 2, 3, 4, 5, 1);
  in[4] = b.param({1, 20, 3});
  expect_model_error(b, OpKind::kLSTMSequence, in, fwd, 5,
                     {"input_size is 3 in input 4 (W)", "4 in input 0 (X)"});
  in = seq_inputs(b, 4, true, 2, 3, 4, 5, 1);
  in[3] = b.param({3}, ElementType::kI32);
  expect_model_error(b, OpKind::kLSTMSequence, in, fwd, 5, {"batch_size is 3 in input 3 (sequence_lengths)"});
  expect_model_error(b, OpKind::kLSTMCell,
                     {b.param({2, 3}), b.param({2, 7}), b.param({2, 7}), b.param({28, 3}), b.param({28, 7}),
                      b.param({28}), b.param({20})},
                     {{"hidden_size", "7"}}, 1, {"input 6 (P) is [20]", "[3 * hidden_size] = [21]"});
  expect_model_error(
      b, OpKind::kGRUCell, {b.param({2, 3}), b.param({2, 7}), b.param({20, 3}), b.param({21, 7})},
      {{"hidden_size", "7"}}, 3, {"input 2 (W) is [20,3]", "[3 * hidden_size, input_size] = [21,3]"});
  // Constant lengths outside [0, seq_length].
  for (int64_t bad : {-1, 4}) {
    in = seq_inputs(b, 1, false, 2, 3, 4, 5, 1);
    in[2] = b.ints({3, bad}, ElementType::kI64);
    expect_model_error(b, OpKind::kRNNSequence, in, fwd, 5, {"sequence_lengths", "for batch 1", "[0, 3]"});
  }
}

}  // namespace
}  // namespace octet::test
