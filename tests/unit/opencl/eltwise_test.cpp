// Elementwise, FakeQuantize and Convert kernels against the spec-exact reference.
#include <cstring>

#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

using test::OpCase;
using test::random_tensor;

TEST(OpenClEltwise, UnaryOpsMatchReference) {
  OCTET_REQUIRE_OPENCL(backend);
  struct U {
    OpKind op;
    int version;
    std::vector<std::pair<std::string, std::string>> attrs;
  };
  std::vector<U> ops = {{OpKind::kRelu, 1, {}},
                        {OpKind::kClamp, 1, {{"min", "-0.25"}, {"max", "0.5"}}},
                        {OpKind::kSigmoid, 1, {}},
                        {OpKind::kTanh, 1, {}},
                        {OpKind::kSwish, 4, {}},
                        {OpKind::kHSwish, 4, {}},
                        {OpKind::kHSigmoid, 5, {}},
                        {OpKind::kGelu, 7, {{"approximation_mode", "erf"}}},
                        {OpKind::kGelu, 7, {{"approximation_mode", "tanh"}}},
                        {OpKind::kElu, 1, {{"alpha", "0.7"}}},
                        {OpKind::kExp, 1, {}},
                        {OpKind::kErf, 1, {}}};
  for (const U& u : ops) {
    for (Dims shape : {Dims{1}, Dims{7}, Dims{2, 3, 5, 7}, Dims{1, 16, 33}}) {
      OpCase c(u.op, u.version);
      c.input(random_tensor(shape, 11, -4.0f, 4.0f));
      for (auto& [k, v] : u.attrs) c.attr(k, v);
      c.finish();
      test::expect_matches_reference(c, std::string(op_name(u.op)) + " " + to_string(shape));
    }
  }
  OpCase s(OpKind::kSqrt);
  s.input(random_tensor({3, 17}, 5, 0.0f, 9.0f));
  s.finish();
  test::expect_matches_reference(s, "Sqrt");
  OpCase sw(OpKind::kSwish, 4);
  Tensor beta(ElementType::kF32, {});
  beta.data_as<float>()[0] = 1.7f;
  sw.input(random_tensor({4, 9}, 6, -3.0f, 3.0f)).input(beta, true);
  sw.finish();
  test::expect_matches_reference(sw, "Swish beta");
}

TEST(OpenClEltwise, BinaryOpsBroadcast) {
  OCTET_REQUIRE_OPENCL(backend);
  std::vector<std::pair<Dims, Dims>> shapes = {{{2, 3, 5}, {2, 3, 5}},
                                               {{2, 3, 5}, {5}},
                                               {{1}, {4, 7}},
                                               {{2, 1, 5}, {1, 3, 1}},
                                               {{1, 16, 9, 9}, {1, 16, 1, 1}},
                                               {{}, {3, 2}},
                                               {{3, 1, 2, 1, 2, 1, 3}, {2, 1, 1, 3, 1}}};
  for (OpKind op : {OpKind::kAdd, OpKind::kSubtract, OpKind::kMultiply, OpKind::kDivide, OpKind::kMaximum,
                    OpKind::kMinimum, OpKind::kSquaredDifference, OpKind::kPower}) {
    for (size_t i = 0; i < shapes.size(); ++i) {
      for (bool constant_b : {false, true}) {
        OpCase c(op);
        bool pow = op == OpKind::kPower;
        c.input(random_tensor(shapes[i].first, 21 + i, pow ? 0.1f : -2.0f, 2.0f))
            .input(random_tensor(shapes[i].second, 31 + i, pow ? -2.0f : 0.5f, 2.0f), constant_b);
        c.finish();
        test::expect_matches_reference(c, std::string(op_name(op)) + " " + to_string(shapes[i].first) +
                                              " x " + to_string(shapes[i].second));
      }
    }
  }
}

TEST(OpenClEltwise, PReluPerChannelAndScalar) {
  OCTET_REQUIRE_OPENCL(backend);
  for (Dims slope : {Dims{1}, Dims{6}, Dims{1, 6, 1, 1}}) {
    OpCase c(OpKind::kPRelu);
    c.input(random_tensor({2, 6, 3, 5}, 3)).input(random_tensor(slope, 4), true);
    c.finish();
    test::expect_matches_reference(c, "PRelu slope " + to_string(slope));
  }
}

Tensor f32(const std::vector<float>& v, Dims shape) {
  Tensor t(ElementType::kF32, std::move(shape));
  std::memcpy(t.data(), v.data(), v.size() * sizeof(float));
  return t;
}

TEST(OpenClEltwise, FakeQuantizeSpecExact) {
  OCTET_REQUIRE_OPENCL(backend);
  // Values on exact rounding ties and bounds: with il=0, ih=255, levels 256, x = k + 0.5 ties to even.
  std::vector<float> xs;
  for (int k = -2; k < 258; ++k) xs.push_back(k + 0.5f), xs.push_back(static_cast<float>(k));
  OpCase ties(OpKind::kFakeQuantize);
  ties.input(f32(xs, {static_cast<int64_t>(xs.size())}))
      .input(f32({0}, {}), true)
      .input(f32({255}, {}), true)
      .input(f32({-1}, {}), true)
      .input(f32({254}, {}), true)
      .attr("levels", "256");
  ties.finish();
  std::vector<Tensor> got = test::run_on_device(*backend, ties.node(), ties.inputs());
  for (size_t i = 0; i < xs.size(); ++i) {
    float x = xs[i];
    float q = x <= 0 ? 0 : x > 255 ? 255 : std::nearbyint(x);  // hand rule: half to even
    EXPECT_EQ(got[0].data_as<float>()[i], q - 1.0f) << "x=" << x;
  }
  // Per-channel ranges with independent broadcasting and an inverted range.
  Tensor il = f32({-1.0f, 0.5f, -0.2f}, {1, 3, 1, 1}), ih = f32({1.0f, -0.5f, 0.8f}, {1, 3, 1, 1});
  Tensor ol = f32({-2.0f}, {1}), oh = f32({3.0f, 1.0f, 2.0f}, {3, 1, 1});
  for (int levels : {256, 255, 16, 2}) {
    for (bool constant : {true, false}) {
      OpCase c(OpKind::kFakeQuantize);
      c.input(random_tensor({2, 3, 4, 5}, 8, -1.5f, 1.5f))
          .input(il, constant)
          .input(ih, constant)
          .input(ol, constant)
          .input(oh, constant)
          .attr("levels", std::to_string(levels));
      c.finish();
      test::expect_matches_reference(c, "FakeQuantize levels " + std::to_string(levels));
    }
  }
}

TEST(OpenClEltwise, Convert) {
  OCTET_REQUIRE_OPENCL(backend);
  Tensor x = random_tensor({3, 41}, 9, -300.0f, 300.0f);
  for (const char* dst : {"i32", "i64", "u8", "i8", "f16", "boolean"}) {
    OpCase c(OpKind::kConvert);
    c.input(x).attr("destination_type", dst);
    c.finish();
    test::expect_matches_reference(c, std::string("Convert f32 -> ") + dst);
  }
  Tensor i = test::i64_tensor({-5, 0, 7, 1 << 20, -(1 << 24) - 1}, {5});
  for (const char* dst : {"f32", "i32"}) {
    OpCase c(OpKind::kConvert);
    c.input(i).attr("destination_type", dst);
    c.finish();
    test::expect_matches_reference(c, std::string("Convert i64 -> ") + dst);
  }
}

}  // namespace
}  // namespace octet
