// Hand-computed cases of the recurrent cells and sequences where the OpenVINO zoo cases cannot
// reach or where a closed form pins the semantics down: LSTMCell-1's peepholes (OpenVINO's
// serializer never writes them) and input_forget (OpenVINO's CPU plugin ignores it), the order of
// reverse steps under sequence_lengths, length 0, clip, both GRU linear_before_reset forms and
// lengths refused at run time. Expectations are computed in the test in double from the spec's
// formulas (hidden size 1 or 2, so every product is written out).
#include <cmath>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::f32;
using test::i32;
using test::OpCase;

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// ---- RNN: relu with unit weights is a running sum, exact in f32 ----

OpCase running_sum(const char* direction, std::vector<int64_t> lengths) {
  // X [2, 3, 1], H0 zeros, W = R = 1, B = 0, relu: h_t = relu(x_t + h_t-1).
  OpCase c(OpKind::kRNNSequence, 5);
  c.attr("hidden_size", "1")
      .attr("direction", direction)
      .attr("activations", "relu")
      .in(f32({2, 3, 1}, {1, 2, 4, 8, 16, 32}))
      .in(f32({2, 1, 1}, {0, 0}))
      .in(i32({2}, lengths))
      .in(f32({1, 1, 1}, {1}))
      .in(f32({1, 1, 1}, {1}))
      .in(f32({1, 1}, {0}));
  return c;
}

TEST(ReferenceRecurrent, ForwardStopsAtLengthAndZeroesTheRest) {
  const auto out = running_sum("forward", {2, 3}).run();
  ASSERT_EQ(out.size(), 2u);
  // Batch 0 runs 2 steps (1, 1+2); batch 1 all 3 (8, 24, 56).
  expect_floats(out[0], {2, 1, 3, 1}, {1, 3, 0, 8, 24, 56});
  expect_floats(out[1], {2, 1, 1}, {3, 56});
}

TEST(ReferenceRecurrent, ReverseRunsFromTheLastValidStep) {
  // Batch 0 (length 2) sees x1 = 2 then x0 = 1: Y[1] = 2, Y[0] = 3, Y[2] = 0; Ho is the state
  // after the last step taken (t = 0).
  const auto out = running_sum("reverse", {2, 3}).run();
  expect_floats(out[0], {2, 1, 3, 1}, {3, 2, 0, 56, 48, 32});
  expect_floats(out[1], {2, 1, 1}, {3, 56});
}

TEST(ReferenceRecurrent, BidirectionalStacksForwardThenReverse) {
  OpCase c(OpKind::kRNNSequence, 5);
  c.attr("hidden_size", "1")
      .attr("direction", "bidirectional")
      .attr("activations", "relu")
      .in(f32({1, 3, 1}, {1, 2, 4}))
      .in(f32({1, 2, 1}, {0, 100}))  // the reverse direction starts from its own state
      .in(i32({1}, {3}))
      .in(f32({2, 1, 1}, {1, 1}))
      .in(f32({2, 1, 1}, {1, 1}))
      .in(f32({2, 1}, {0, 0}));
  const auto out = c.run();
  expect_floats(out[0], {1, 2, 3, 1}, {1, 3, 7, 107, 106, 104});
  expect_floats(out[1], {1, 2, 1}, {7, 107});
}

TEST(ReferenceRecurrent, LengthZeroGivesZeroStates) {
  // OpenVINO's reference and CPU plugin give Ho = Co = 0 (not the initial state) for length 0.
  OpCase c(OpKind::kLSTMSequence, 5);
  c.attr("hidden_size", "1")
      .attr("direction", "forward")
      .in(f32({1, 2, 1}, {1, 2}))
      .in(f32({1, 1, 1}, {0.5f}))
      .in(f32({1, 1, 1}, {0.25f}))
      .in(i32({1}, {0}))
      .in(f32({1, 4, 1}, {1, 1, 1, 1}))
      .in(f32({1, 4, 1}, {1, 1, 1, 1}))
      .in(f32({1, 4}, {0, 0, 0, 0}));
  const auto out = c.run();
  ASSERT_EQ(out.size(), 3u);
  expect_floats(out[0], {1, 1, 2, 1}, {0, 0});
  expect_floats(out[1], {1, 1, 1}, {0});
  expect_floats(out[2], {1, 1, 1}, {0});
}

TEST(ReferenceRecurrent, LengthsOutsideTheSequenceAreRefused) {
  for (int64_t bad : {-1, 4}) {
    const OpCase c = running_sum("forward", {3, bad});
    try {
      c.run();
      ADD_FAILURE() << "no error for length " << bad;
    } catch (const Error& e) {
      // A run-time value, like an index out of range: kInvalidArgument.
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
      EXPECT_NE(std::string(e.what()).find("sequence_lengths holds " + std::to_string(bad) + " for batch 1"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(ReferenceRecurrent, ClipBoundsEveryGateInput) {
  // RNNCell relu with clip 0.5: h = min(relu(x + h0), 0.5).
  OpCase c(OpKind::kRNNCell, 1);
  c.attr("hidden_size", "1")
      .attr("activations", "relu")
      .attr("clip", "0.5")
      .in(f32({3, 1}, {0.25f, 3, -2}))
      .in(f32({3, 1}, {0, 0, 0}))
      .in(f32({1, 1}, {1}))
      .in(f32({1, 1}, {1}))
      .in(f32({1}, {0}));
  expect_floats(c.run1(), {3, 1}, {0.25f, 0.5f, 0});
}

// ---- GRU: both linear_before_reset forms, hidden size 1 ----

TEST(ReferenceRecurrent, GruLinearBeforeReset) {
  const double x = 0.5, h = -0.75;
  const double wz = 0.3, wr = -0.2, wh = 0.9, rz = 0.4, rr = 0.6, rh = -1.1;
  const double bz = 0.1, br = -0.3, wbh = 0.2, rbh = 0.7;
  const double z = sigmoid(x * wz + h * rz + bz), r = sigmoid(x * wr + h * rr + br);
  for (bool lbr : {false, true}) {
    // B: [Bz, Br, Bh] (Bh = Wbh + Rbh) or [Bz, Br, Wbh, Rbh].
    const double hh =
        lbr ? std::tanh(x * wh + r * (h * rh + rbh) + wbh) : std::tanh(x * wh + (r * h) * rh + wbh + rbh);
    const double want = (1 - z) * hh + z * h;
    OpCase c(OpKind::kGRUCell, 3);
    c.attr("hidden_size", "1")
        .attr("linear_before_reset", lbr ? "true" : "false")
        .in(f32({1, 1}, {static_cast<float>(x)}))
        .in(f32({1, 1}, {static_cast<float>(h)}))
        .in(f32({3, 1}, {0.3f, -0.2f, 0.9f}))
        .in(f32({3, 1}, {0.4f, 0.6f, -1.1f}));
    if (lbr)
      c.in(f32({4}, {0.1f, -0.3f, 0.2f, 0.7f}));
    else
      c.in(f32({3}, {0.1f, -0.3f, 0.9f}));
    expect_floats(c.run1(), {1, 1}, {static_cast<float>(want)}, 2e-7f);
  }
}

// ---- LSTMCell-1: peepholes and input_forget ----

struct LstmPoint {
  double x = 0.8, h = -0.4, c = 0.6;
  double w[4] = {0.5, -0.7, 0.3, 0.9};  // f, i, c, o
  double r[4] = {-0.2, 0.4, 0.8, -0.6};
  double b[4] = {0.1, 0.2, -0.3, 0.05};
  double p[3] = {0.7, -0.5, 0.35};  // f, i, o
  double pre(int g) const { return x * w[g] + h * r[g] + b[g]; }
};

OpCase lstm_v1(const LstmPoint& s, bool peepholes, bool input_forget) {
  auto f = [](double v) { return static_cast<float>(v); };
  OpCase c(OpKind::kLSTMCell, 1);
  c.attr("hidden_size", "1")
      .attr("input_forget", input_forget ? "true" : "false")
      .attr("weights_format", "fico")
      .in(f32({1, 1}, {f(s.x)}))
      .in(f32({1, 1}, {f(s.h)}))
      .in(f32({1, 1}, {f(s.c)}))
      .in(f32({4, 1}, {f(s.w[0]), f(s.w[1]), f(s.w[2]), f(s.w[3])}))
      .in(f32({4, 1}, {f(s.r[0]), f(s.r[1]), f(s.r[2]), f(s.r[3])}))
      .in(f32({4}, {f(s.b[0]), f(s.b[1]), f(s.b[2]), f(s.b[3])}));
  if (peepholes) c.in(f32({3}, {f(s.p[0]), f(s.p[1]), f(s.p[2])}));
  return c;
}

TEST(ReferenceRecurrent, LstmCellV1Peepholes) {
  // OpenVINO's reference: ft = f(.. + Pf Ct-1), it = f(.. + Pi Ct-1), ot = f(.. + Po Ct).
  const LstmPoint s;
  const double ft = sigmoid(s.pre(0) + s.p[0] * s.c), it = sigmoid(s.pre(1) + s.p[1] * s.c);
  const double cell = ft * s.c + it * std::tanh(s.pre(2));
  const double ot = sigmoid(s.pre(3) + s.p[2] * cell);
  const auto out = lstm_v1(s, true, false).run();
  ASSERT_EQ(out.size(), 2u);
  expect_floats(out[0], {1, 1}, {static_cast<float>(ot * std::tanh(cell))}, 2e-7f);
  expect_floats(out[1], {1, 1}, {static_cast<float>(cell)}, 2e-7f);
  // Without P (inputs 5 or 6 only) the cell is LSTMCell-4's.
  const double ft0 = sigmoid(s.pre(0)), it0 = sigmoid(s.pre(1));
  const double cell0 = ft0 * s.c + it0 * std::tanh(s.pre(2));
  const auto plain = lstm_v1(s, false, false).run();
  expect_floats(plain[0], {1, 1}, {static_cast<float>(sigmoid(s.pre(3)) * std::tanh(cell0))}, 2e-7f);
  expect_floats(plain[1], {1, 1}, {static_cast<float>(cell0)}, 2e-7f);
}

TEST(ReferenceRecurrent, LstmCellV1InputForget) {
  // input_forget: it = 1 - ft (the input gate's weights are not used).
  const LstmPoint s;
  const double ft = sigmoid(s.pre(0) + s.p[0] * s.c);
  const double cell = ft * s.c + (1 - ft) * std::tanh(s.pre(2));
  const double ot = sigmoid(s.pre(3) + s.p[2] * cell);
  const auto out = lstm_v1(s, true, true).run();
  expect_floats(out[0], {1, 1}, {static_cast<float>(ot * std::tanh(cell))}, 2e-7f);
  expect_floats(out[1], {1, 1}, {static_cast<float>(cell)}, 2e-7f);
}

TEST(ReferenceRecurrent, LstmHIsNotClipped) {
  // clip bounds the gates' inputs but not h's argument Ct: with relu for h, Ht = ot * Ct may pass
  // clip. f = i = o = sigmoid(clamp(10)) = sigmoid(1), c = relu(clamp(10)) = 1, Ct-1 = 5.
  OpCase c(OpKind::kLSTMCell, 4);
  c.attr("hidden_size", "1")
      .attr("activations", "sigmoid, relu, relu")
      .attr("clip", "1")
      .in(f32({1, 1}, {10}))
      .in(f32({1, 1}, {0}))
      .in(f32({1, 1}, {5}))
      .in(f32({4, 1}, {1, 1, 1, 1}))
      .in(f32({4, 1}, {0, 0, 0, 0}));
  const double g = sigmoid(1.0), cell = g * 5 + g * 1;
  const auto out = c.run();
  expect_floats(out[0], {1, 1}, {static_cast<float>(g * cell)}, 2e-6f);
  expect_floats(out[1], {1, 1}, {static_cast<float>(cell)}, 2e-6f);
}

}  // namespace
}  // namespace octet
