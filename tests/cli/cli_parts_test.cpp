// Unit tests of CLI pieces with hand-computed expectations: the compare statistics (tolerance
// verdict, NaN/Inf/zero counts, worst element) and the -shape parser.
#include <gtest/gtest.h>

#include <cmath>

#include "tools/cli/cli.h"
#include "tools/cli/divergence.h"
#include "tools/cli/shape_spec.h"
#include "tools/cli/tensor_stats.h"

namespace octet::cli {
namespace {

TEST(CompareValues, ToleranceIsAbsolutePlusRelative) {
  // Allowed: 0.1 + 0.1 * |ref|: ref 10 allows 1.1, ref 0 allows 0.1.
  const Comparison c = compare_values({11.0, 0.15, 5.0, -1.0}, {10.0, 0.0, 5.0, -1.0}, {0.1, 0.1});
  EXPECT_EQ(c.count, 4u);
  EXPECT_EQ(c.within, 3u);  // 0.15 vs 0 is 0.05 beyond
  EXPECT_FALSE(c.pass);
  EXPECT_DOUBLE_EQ(c.max_abs, 1.0);
  // ref 0 divides by the floor 1e-3 * max|ref| = 0.01: 0.15 / 0.01.
  EXPECT_DOUBLE_EQ(c.rel_floor, 0.01);
  EXPECT_DOUBLE_EQ(c.max_rel, 15.0);
  EXPECT_DOUBLE_EQ(c.mean_abs, (1.0 + 0.15) / 4);
  EXPECT_EQ(c.worst_index, 1u);
  EXPECT_DOUBLE_EQ(c.worst_actual, 0.15);
  EXPECT_EQ(c.actual.zero, 0u);
  EXPECT_EQ(c.reference.zero, 1u);
}

TEST(CompareValues, PassReportsTheLargestDifference) {
  const Comparison c = compare_values({1.0, 2.5, 3.0}, {1.0, 2.0, 3.25}, {1.0, 0.0});
  EXPECT_TRUE(c.pass);
  EXPECT_EQ(c.worst_index, 1u);
  EXPECT_DOUBLE_EQ(c.max_abs, 0.5);
}

TEST(CompareValues, NanAndInfAreCountedApart) {
  const double nan = std::nan(""), inf = INFINITY;
  const Comparison c =
      compare_values({nan, inf, -inf, 1.0, nan, 0.0}, {nan, inf, inf, nan, 2.0, 0.0}, {0, 0});
  EXPECT_EQ(c.actual.nan, 2u);
  EXPECT_EQ(c.reference.nan, 2u);
  EXPECT_EQ(c.actual.inf, 2u);
  EXPECT_EQ(c.reference.inf, 2u);
  EXPECT_EQ(c.actual.zero, 1u);
  EXPECT_EQ(c.special_mismatches, 3u);  // -inf vs inf, 1 vs nan, nan vs 2
  EXPECT_EQ(c.within, 3u);              // nan/nan, inf/inf, 0/0
  EXPECT_EQ(c.max_abs, 0.0);            // only finite pairs have a difference
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.worst_index, 2u);
}

TEST(CompareValues, RelativeDifferenceHasAFloorNearZero) {
  // A reference of 1e-30 would give 1e29 without the floor; max|ref| 1 makes the floor 1e-3.
  const Comparison c = compare_values({1e-4, 1.0}, {1e-30, 1.0}, {0, 0});
  EXPECT_DOUBLE_EQ(c.max_rel, 0.1);
  // An all-zero reference still has the minimum floor 1e-6.
  EXPECT_DOUBLE_EQ(compare_values({1e-6}, {0.0}, {0, 0}).max_rel, 1.0);
}

TEST(CompareValues, CosineSimilarity) {
  // (1,0) vs (1,1): cos 45 degrees.
  EXPECT_NEAR(compare_values({1.0, 0.0}, {1.0, 1.0}, {0, 0}).cosine, std::sqrt(0.5), 1e-15);
  EXPECT_DOUBLE_EQ(compare_values({-2.0, 4.0}, {1.0, -2.0}, {0, 0}).cosine, -1.0);
  EXPECT_DOUBLE_EQ(compare_values({0.0, 0.0}, {0.0, 0.0}, {0, 0}).cosine, 1.0);
  EXPECT_DOUBLE_EQ(compare_values({0.0, 0.0}, {1.0, 0.0}, {0, 0}).cosine, 0.0);
}

TEST(CompareValues, IndexString) {
  EXPECT_EQ(index_string(0, {2, 3}), "[0,0]");
  EXPECT_EQ(index_string(5, {2, 3}), "[1,2]");
  EXPECT_EQ(index_string(7, {2, 3, 4}), "[0,1,3]");
}

// Hand-made per-layer results: input -> conv1 -> relu1 -> conv2 (reads relu1 and a skip from conv1).
TEST(FirstDivergence, InputsWithinToleranceBlameTheLayer) {
  const std::vector<LayerResult> layers = {{"conv1", true, true, {"input"}},
                                           {"relu1", true, true, {"conv1"}},
                                           {"conv2", true, false, {"relu1", "conv1"}},
                                           {"out", true, false, {"conv2"}}};
  const Divergence d = first_divergence(layers, {"input"});
  EXPECT_EQ(d.kind, Divergence::kLayer);
  EXPECT_EQ(d.layer, "conv2");
  EXPECT_NE(divergence_text(d).find("starts in this layer"), std::string::npos);
}

TEST(FirstDivergence, BadInputMeansPropagated) {
  // relu1 was not compared (no reference tensor) but conv1 fails before it in the list order given.
  const std::vector<LayerResult> layers = {{"relu1", true, true, {"conv1"}},
                                           {"conv2", true, false, {"relu1", "conv1"}},
                                           {"conv1", true, false, {"input"}}};
  const Divergence d = first_divergence(layers, {"input"});
  EXPECT_EQ(d.kind, Divergence::kPropagated);
  EXPECT_EQ(d.layer, "conv2");
  EXPECT_EQ(d.bad_inputs, std::vector<std::string>{"conv1"});
}

TEST(FirstDivergence, LooksThroughTensorsWithoutAReference) {
  // conv1 reads int8 codes (no reference) quantized from the model input: the error is conv1's own.
  std::vector<LayerResult> layers = {{"codes", false, false, {"input"}}, {"conv1", true, false, {"codes"}}};
  Divergence d = first_divergence(layers, {"input"});
  EXPECT_EQ(d.kind, Divergence::kLayer);
  EXPECT_EQ(d.looked_through, std::vector<std::string>{"codes"});
  EXPECT_NE(divergence_text(d).find("through codes"), std::string::npos) << divergence_text(d);
  // Codes quantized from a failing tensor: inherited.
  layers = {{"relu0", true, false, {"input"}},
            {"codes", false, false, {"relu0"}},
            {"conv1", true, false, {"codes"}}};
  layers[0].pass = true;  // relu0 passes: conv1 is first failing, through codes to relu0 (ok)
  EXPECT_EQ(first_divergence(layers, {"input"}).kind, Divergence::kLayer);
  layers.push_back({"bad", true, false, {"input"}});
  layers[1].inputs = {"bad"};  // codes now come from "bad", which fails but is listed later
  d = first_divergence(layers, {"input"});
  EXPECT_EQ(d.kind, Divergence::kPropagated);
  EXPECT_EQ(d.bad_inputs, std::vector<std::string>{"bad"});
}

TEST(FirstDivergence, UncomparedInputIsUnknownAndAllPassIsNone) {
  // conv1 has no reference and its inputs are unknown: nothing to look through.
  std::vector<LayerResult> layers = {{"conv1", false, false, {}}, {"relu1", true, false, {"conv1"}}};
  Divergence d = first_divergence(layers, {"input"});
  EXPECT_EQ(d.kind, Divergence::kUnknown);
  EXPECT_EQ(d.layer, "relu1");
  EXPECT_EQ(d.unchecked_inputs, std::vector<std::string>{"conv1"});
  layers[1].pass = true;
  EXPECT_EQ(first_divergence(layers, {"input"}).kind, Divergence::kNone);
}

// octet_compiled_model_tensor_inputs, which the first-divergence check relies on, against the edges
// of tests/zoo/mlp_fp32/model.xml read by hand (x -> fc0 MatMul -> fc0/add -> fc0/relu -> fc1 ...;
// the last Add's tensor is the output y). Constants (weights, biases) are left out.
TEST(TensorInputs, MatchTheIrEdges) {
  Model model = read_model(std::string(OCTET_ZOO_DIR) + "/mlp_fp32/model.xml");
  Compiled compiled = compile(model.get(), "CPU", {"precision=reference", "all_layers=true"});
  auto inputs_of = [&](const char* name) {
    size_t count = 0;
    const char* const* names = nullptr;
    check(octet_compiled_model_tensor_inputs(compiled.get(), name, &count, &names), name);
    return std::vector<std::string>(names, names + count);
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(inputs_of("fc0"), Names{"x"});
  EXPECT_EQ(inputs_of("fc0/add"), Names{"fc0"});
  EXPECT_EQ(inputs_of("fc0/relu"), Names{"fc0/add"});
  EXPECT_EQ(inputs_of("fc1"), Names{"fc0/relu"});
  EXPECT_EQ(inputs_of("y"), Names{"fc_out"});
  // The pointers stay valid and the same on a second call.
  size_t count = 0;
  const char* const* first = nullptr;
  const char* const* second = nullptr;
  ASSERT_EQ(octet_compiled_model_tensor_inputs(compiled.get(), "fc1", &count, &first), OCTET_OK);
  ASSERT_EQ(octet_compiled_model_tensor_inputs(compiled.get(), "fc1", &count, &second), OCTET_OK);
  EXPECT_EQ(first, second);
  EXPECT_EQ(octet_compiled_model_tensor_inputs(compiled.get(), "no_such_tensor", &count, &first),
            OCTET_ERROR_NOT_FOUND);
}

TEST(ShapeSpec, ParsesNamedAndUnnamedShapes) {
  auto specs = parse_shape_arg("[1,3,224,224]");
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].name, "");
  EXPECT_EQ(specs[0].dims, (std::vector<int64_t>{1, 3, 224, 224}));
  specs = parse_shape_arg("data[1, 3], mask[1,128]");
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "data");
  EXPECT_EQ(specs[1].name, "mask");
  EXPECT_EQ(specs[1].dims, (std::vector<int64_t>{1, 128}));
  specs = parse_shape_arg("scalar[]");
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_TRUE(specs[0].dims.empty());
}

TEST(ShapeSpec, MalformedIsAUsageError) {
  for (const char* bad :
       {"[1,3,", "[a]", "[1..0]", "[[1]]", "", "[1,3]]", "x[1]y", "[1,3][2]", "[+1]", "[1e3]"}) {
    try {
      parse_shape_arg(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const CliError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage) << bad;
    }
  }
  try {
    parse_shape_args({"a[1]", "a[2]"});
    ADD_FAILURE() << "accepted an input named twice";
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
}

}  // namespace
}  // namespace octet::cli
