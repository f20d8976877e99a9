// Unit tests of CLI pieces with hand-computed expectations: the compare statistics (tolerance
// verdict, NaN/Inf/zero counts, worst element) and the -shape parser.
#include <gtest/gtest.h>

#include <cmath>

#include "tools/cli/cli.h"
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
  EXPECT_DOUBLE_EQ(c.max_rel, 0.1);  // ref 0 is below atol, so it has no relative difference
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

TEST(CompareValues, IndexString) {
  EXPECT_EQ(index_string(0, {2, 3}), "[0,0]");
  EXPECT_EQ(index_string(5, {2, 3}), "[1,2]");
  EXPECT_EQ(index_string(7, {2, 3, 4}), "[0,1,3]");
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
