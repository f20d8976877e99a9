// Pooling, reductions, Softmax and MVN kernels against the spec-exact reference.
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

using test::OpCase;
using test::random_tensor;

struct PoolCase {
  Dims x;
  std::string kernel, strides, pads_begin, pads_end, rounding = "floor", auto_pad = "explicit";
};

TEST(OpenClPool, MaxAndAvg) {
  OCTET_REQUIRE_OPENCL(backend);
  std::vector<PoolCase> cases = {
      {{1, 3, 8, 8}, "2,2", "2,2", "0,0", "0,0"},
      {{2, 4, 7, 9}, "3,3", "2,2", "1,1", "1,1"},
      {{1, 2, 11, 6}, "3,2", "2,1", "0,1", "1,0", "ceil"},
      {{1, 5, 9, 9}, "3,3", "2,2", "0,0", "0,0", "floor", "same_upper"},
      {{1, 3, 13}, "4", "3", "1", "2"},
      {{1, 16, 7, 7}, "7,7", "1,1", "0,0", "0,0"},
  };
  uint32_t seed = 400;
  for (const PoolCase& k : cases) {
    for (int v : {1, 8}) {
      OpCase c(OpKind::kMaxPool, v);
      c.input(random_tensor(k.x, seed += 5)).attr("kernel", k.kernel).attr("strides", k.strides);
      c.attr("pads_begin", k.pads_begin).attr("pads_end", k.pads_end).attr("rounding_type", k.rounding);
      c.attr("auto_pad", k.auto_pad);
      if (v == 8) {
        std::string ones = k.x.size() == 3 ? "1" : "1,1";
        c.attr("dilations", ones).attr("index_element_type", seed % 2 ? "i32" : "i64").attr("axis", "0");
      }
      c.finish();
      test::expect_matches_reference(c,
                                     "MaxPool-" + std::to_string(v) + " " + to_string(k.x) + " k" + k.kernel);
    }
    for (const char* exclude : {"true", "false"}) {
      OpCase c(OpKind::kAvgPool);
      c.input(random_tensor(k.x, seed += 5)).attr("kernel", k.kernel).attr("strides", k.strides);
      c.attr("pads_begin", k.pads_begin).attr("pads_end", k.pads_end).attr("rounding_type", k.rounding);
      c.attr("auto_pad", k.auto_pad).attr("exclude-pad", exclude);
      c.finish();
      test::expect_matches_reference(c,
                                     "AvgPool " + to_string(k.x) + " k" + k.kernel + " exclude " + exclude);
    }
  }
  OpCase d(OpKind::kMaxPool, 8);  // dilated, indices over H*W
  d.input(random_tensor({2, 3, 9, 9}, 7))
      .attr("kernel", "3,3")
      .attr("strides", "1,1")
      .attr("dilations", "2,2");
  d.attr("pads_begin", "1,1").attr("pads_end", "1,1").attr("axis", "2");
  d.finish();
  test::expect_matches_reference(d, "MaxPool-8 dilated axis 2");
}

TEST(OpenClReduce, AxesAndKeepDims) {
  OCTET_REQUIRE_OPENCL(backend);
  std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{2, 3, 5, 7}, {2, 3}}, {{2, 3, 5, 7}, {1}}, {{2, 3, 5, 7}, {0, 2}}, {{2, 3, 5, 7}, {-1}},
      {{4, 9}, {0, 1}},       {{6}, {0}},          {{3, 4, 5}, {}},        {{2, 1, 5, 3}, {1, 3}}};
  for (OpKind op : {OpKind::kReduceSum, OpKind::kReduceMean, OpKind::kReduceMax})
    for (const auto& [shape, axes] : cases)
      for (bool keep : {false, true}) {
        OpCase c(op);
        c.input(random_tensor(shape, 600))
            .input(test::i64_tensor(axes, {static_cast<int64_t>(axes.size())}), true);
        c.attr("keep_dims", keep ? "true" : "false");
        c.finish();
        test::expect_matches_reference(c, std::string(op_name(op)) + " " + to_string(shape) + " axes " +
                                              to_string(axes) + (keep ? " keep" : ""));
      }
}

TEST(OpenClReduce, SoftmaxAndMvn) {
  OCTET_REQUIRE_OPENCL(backend);
  for (int64_t axis : {0, 1, 3, -1}) {
    OpCase c(OpKind::kSoftmax, 8);
    c.input(random_tensor({2, 5, 3, 7}, 700, -5.0f, 5.0f)).attr("axis", std::to_string(axis));
    c.finish();
    test::expect_matches_reference(c, "Softmax axis " + std::to_string(axis));
  }
  std::vector<std::vector<int64_t>> axes_list = {{-1}, {2, 3}, {1, 2, 3}, {1}};
  for (const auto& axes : axes_list)
    for (bool nv : {true, false})
      for (const char* mode : {"inside_sqrt", "outside_sqrt"}) {
        OpCase c(OpKind::kMVN, 6);
        c.input(random_tensor({2, 4, 5, 6}, 800, -2.0f, 3.0f))
            .input(test::i64_tensor(axes, {static_cast<int64_t>(axes.size())}), true);
        c.attr("normalize_variance", nv ? "true" : "false").attr("eps", "1e-5").attr("eps_mode", mode);
        c.finish();
        test::expect_matches_reference(c, "MVN axes " + to_string(axes) + " " + mode + (nv ? " nv" : ""));
      }
}

}  // namespace
}  // namespace octet
