// Tests of decompress_weights_in_f32 on hand-built f16 decompression chains; expected values are
// worked out in the comments.
#include "host/transforms/weight_decompression.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "host/reference/run_graph.h"

namespace octet {
namespace {

// 0.1 and 0 as f16 bit patterns: 0x2E66 = 0.0999755859375.
constexpr uint16_t kF16Tenth = 0x2E66, kF16Zero = 0x0000;

template <typename T>
Node* constant(Graph& g, const std::string& name, ElementType type, Dims shape, std::vector<T> values) {
  Tensor t(type, std::move(shape));
  std::memcpy(t.data(), values.data(), values.size() * sizeof(T));
  return g.add_constant(name, t);
}

Node* convert(Graph& g, const std::string& name, Output in, const char* type) {
  Node* c = g.add(OpKind::kConvert, name);
  c->attrs.set("destination_type", type);
  c->inputs = {in};
  return c;
}

// x[1,2] -> MatMul(transpose_b) with weights i8 [1,2] codes {7, 0} -> Convert(f16) -> Subtract(f16
// zero point 0) -> Multiply(f16 scale 0.0999755859375) -> Convert(f32) -> y.
// Literal f16: 7 * 0.0999755859375 = 0.6998291015625 is 1433.25 ulps of 2^-11 and rounds to
// 1433 * 2^-11 = 0.69970703125. In f32 the product is exact: 0.6998291015625.
struct ChainModel {
  Graph g;
  Node *codes_convert = nullptr, *sub = nullptr, *mul = nullptr, *last = nullptr;
  // with_final_convert = false: the f16 weights feed a Result directly (an f16 model output).
  // shared: the Multiply's f16 output is also a model output.
  explicit ChainModel(bool with_final_convert = true, bool shared = false) {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {1, 2}, {"x"}, false, {}}};
    g.parameters.push_back(x);
    Node* codes = constant<int8_t>(g, "w", ElementType::kI8, {1, 2}, {7, 0});
    codes_convert = convert(g, "w/convert", {codes, 0}, "f16");
    Node* zero = constant<uint16_t>(g, "w/zero_point", ElementType::kF16, {1, 1}, {kF16Zero});
    sub = g.add(OpKind::kSubtract, "w/subtract");
    sub->inputs = {{codes_convert, 0}, {zero, 0}};
    Node* scale = constant<uint16_t>(g, "w/scale", ElementType::kF16, {1, 1}, {kF16Tenth});
    mul = g.add(OpKind::kMultiply, "w/multiply");
    mul->inputs = {{sub, 0}, {scale, 0}};
    Node* r = g.add(OpKind::kResult, "y");
    if (with_final_convert) {
      last = convert(g, "w/to_f32", {mul, 0}, "f32");
      Node* mm = g.add(OpKind::kMatMul, "fc");
      mm->attrs.set("transpose_a", "false");
      mm->attrs.set("transpose_b", "true");
      mm->inputs = {{x, 0}, {last, 0}};
      r->inputs = {{mm, 0}};
    } else {
      r->inputs = {{mul, 0}};
    }
    g.results.push_back(r);
    if (shared) {
      Node* r2 = g.add(OpKind::kResult, "r2");
      r2->inputs = {{mul, 0}};
      g.results.push_back(r2);
    }
    infer_shapes(g);
  }
  float y(float x0) const {
    Tensor x(ElementType::kF32, {1, 2});
    x.data_as<float>()[0] = x0;
    x.data_as<float>()[1] = 5.0f;  // times code 0
    return static_cast<float>(run_reference(g, {{"x", x}}).at("y").get_as_double(0));
  }
};

TEST(WeightDecompression, ChainComputesInF32) {
  ChainModel m;
  EXPECT_EQ(m.y(1.0f), 0.69970703125f);  // literal f16 before the rewrite
  EXPECT_EQ(decompress_weights_in_f32(m.g), 1);
  EXPECT_EQ(m.codes_convert->outputs[0].type, ElementType::kF32);
  EXPECT_EQ(m.sub->outputs[0].type, ElementType::kF32);
  EXPECT_EQ(m.mul->outputs[0].type, ElementType::kF32);
  EXPECT_EQ(m.sub->input_type(1), ElementType::kF32);
  EXPECT_EQ(m.mul->input_type(1), ElementType::kF32);
  EXPECT_EQ(m.mul->input_constant(1)->get_as_double(0), 0.0999755859375);  // the f16 value, exactly
  EXPECT_EQ(m.last->outputs[0].type, ElementType::kF32);
  EXPECT_EQ(m.y(1.0f), 0.6998291015625f);
}

TEST(WeightDecompression, LeavesChainsWithoutAFinalF32Convert) {
  ChainModel m(/*with_final_convert=*/false);
  EXPECT_EQ(decompress_weights_in_f32(m.g), 0);
  EXPECT_EQ(m.mul->outputs[0].type, ElementType::kF16);
}

TEST(WeightDecompression, LeavesChainsWhoseValuesAreReadElsewhere) {
  ChainModel m(/*with_final_convert=*/true, /*shared=*/true);
  EXPECT_EQ(decompress_weights_in_f32(m.g), 0);
  EXPECT_EQ(m.mul->outputs[0].type, ElementType::kF16);
  EXPECT_EQ(m.y(1.0f), 0.69970703125f);
}

}  // namespace
}  // namespace octet
