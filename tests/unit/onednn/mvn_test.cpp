// The CPU backend's MVN kernel against the reference evaluator, bit for bit: trailing-axis groups
// (layer normalisation), both eps modes, with and without variance normalisation.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "host/reference/evaluate.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

TEST(MvnCpu, TrailingAxesEqualTheReferenceBitForBit) {
  auto cpu = make_onednn_backend(BackendOptions{});
  std::mt19937 rng(4);
  std::normal_distribution<float> dist(0.5f, 3.0f);
  struct Variant {
    Dims shape;
    std::vector<int64_t> axes;
    bool normalize_variance;
    const char* eps_mode;
  };
  for (const Variant& v :
       {Variant{{2, 7, 33}, {-1}, true, "inside_sqrt"}, Variant{{2, 7, 33}, {1, 2}, true, "OUTSIDE_SQRT"},
        Variant{{3, 5}, {1}, false, "inside_sqrt"}, Variant{{1, 4, 3, 5}, {2, 3}, true, "inside_sqrt"},
        Variant{{6, 9}, {1}, false, "inside_sqrt"}}) {
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{ElementType::kF32, v.shape, {"x"}, false, {}}};
    g.parameters.push_back(x);
    Tensor axes(ElementType::kI64, {static_cast<int64_t>(v.axes.size())});
    std::memcpy(axes.data(), v.axes.data(), axes.byte_size());
    Node* mvn = g.add(OpKind::kMVN, "mvn", 6);
    mvn->attrs.set("normalize_variance", v.normalize_variance ? "true" : "false");
    mvn->attrs.set("eps", "1e-5");
    mvn->attrs.set("eps_mode", v.eps_mode);
    mvn->inputs = {{x, 0}, {g.add_constant("axes", axes), 0}};
    infer_node(*mvn);
    Tensor xt(ElementType::kF32, v.shape);
    for (int64_t i = 0; i < xt.element_count(); ++i) xt.data_as<float>()[i] = dist(rng);
    auto kernel = cpu->compile(*mvn);
    EXPECT_EQ(kernel->impl_name(), "cpu_mvn_rows");
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kF32, v.shape);
    kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}, {}}, {{y.data(), y.byte_size()}});
    const Tensor ref = evaluate_reference(*mvn, {&xt, &axes}).at(0);
    EXPECT_EQ(std::memcmp(ref.data(), y.data(), y.byte_size()), 0) << to_string(v.shape) << " " << v.eps_mode;
  }
}

}  // namespace
}  // namespace octet
