// Shape inference and attribute errors of ScaledDotProductAttention-13, ConvolutionBackpropData-1,
// GroupConvolutionBackpropData-1, Einsum-7 and DFT-7 / IDFT-7 / RDFT-9 / IRDFT-9. Expected dims are
// computed by hand from the OpenVINO op specifications (and match OpenVINO's shape inference where
// it runs them).
#include "host/graph/op_attrs.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using Attrs = std::map<std::string, std::string>;

// ---- ScaledDotProductAttention-13 ----

TEST(InferSdpa, ShapesAndBroadcasting) {
  Builder b;
  const Attrs plain = {{"causal", "false"}};
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({1, 2, 4, 8}), b.param({1, 2, 5, 8}), b.param({1, 2, 5, 6})}, plain, 13),
            (Dims{1, 2, 4, 6}));
  // Batch dims broadcast numpy-style across query, key and value.
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({2, 1, 4, 8}), b.param({1, 3, 5, 8}), b.param({3, 5, 6})}, plain, 13),
            (Dims{2, 3, 4, 6}));
  // A mask of rank >= 3 joins the batch broadcast; rank 2 and scalars do not; scale is one value.
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({1, 3, 4, 8}), b.param({1, 3, 5, 8}), b.param({1, 3, 5, 8}),
                     b.param({2, 1, 1, 5}), b.param({})},
                    plain, 13),
            (Dims{2, 3, 4, 8}));
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({2, 4, 8}), b.param({2, 5, 8}), b.param({2, 5, 3}),
                     b.param({4, 5}, ElementType::kBoolean), b.param({1})},
                    plain, 13),
            (Dims{2, 4, 3}));
  // A mask L broadcasts a query of L = 1 (the pseudo-code adds it to [..., 1, S] scores).
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({2, 1, 8}), b.param({2, 5, 8}), b.param({2, 5, 3}), b.param({3, 5})}, plain, 13),
            (Dims{2, 3, 3}));
  // Causal: the mask is ignored, whatever its shape.
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({2, 4, 8}), b.param({2, 5, 8}), b.param({2, 5, 3}), b.param({7})},
                    {{"causal", "true"}}, 13),
            (Dims{2, 4, 3}));
  // The sink (sixth input): [..., L, 1] of the scores' rank.
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({1, 2, 4, 8}), b.param({1, 2, 5, 8}), b.param({1, 2, 5, 6}), b.param({}),
                     b.param({}), b.param({1, 2, 1, 1})},
                    plain, 13),
            (Dims{1, 2, 4, 6}));
  EXPECT_EQ(b.infer(OpKind::kScaledDotProductAttention,
                    {b.param({-1, 2, -1, 8}), b.param({-1, 2, -1, 8}), b.param({-1, 2, -1, 8})}, plain, 13),
            (Dims{-1, 2, -1, 8}));
}

TEST(InferSdpa, Errors) {
  Builder b;
  const Attrs plain = {{"causal", "false"}};
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({4, 8}), b.param({5, 8}), b.param({5, 8})}, plain, 13,
                     {"input 0 must have rank 3"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}), b.param({1, 5, 7}), b.param({1, 5, 8})}, plain, 13,
                     {"embedding dim E"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 6, 8})}, plain, 13,
                     {"source length S"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({2, 4, 8}), b.param({3, 5, 8}), b.param({3, 5, 8})}, plain, 13, {"broadcast"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8}), b.param({5})}, plain, 13,
                     {"attention_mask [5] must be a scalar or have rank >= 2"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8}), b.param({1, 4, 3})}, plain,
                     13, {"does not broadcast to S = 5"});
  expect_model_error(
      b, OpKind::kScaledDotProductAttention,
      {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8}), b.param({1, 4, 5}, ElementType::kI32)},
      plain, 13, {"attention_mask must be f32 or boolean"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8}), b.param({}), b.param({2})},
                     plain, 13, {"scale must be a scalar or have one element"});
  expect_model_error(
      b, OpKind::kScaledDotProductAttention,
      {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8}), b.param({}), b.param({}), b.param({4, 1})},
      plain, 13, {"sink [4,1] must have the scores' rank"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8}), b.param({}), b.param({}),
                      b.param({1, 4, 2})},
                     plain, 13, {"broadcast to [1,4,1]"});
  expect_model_error(b, OpKind::kScaledDotProductAttention,
                     {b.param({1, 4, 8}, ElementType::kI32), b.param({1, 5, 8}, ElementType::kI32),
                      b.param({1, 5, 8}, ElementType::kI32)},
                     plain, 13, {"floating-point"});
  // The causal attribute is required (OpenVINO always writes it), and no other attribute exists.
  expect_error(
      [&] {
        b.infer(OpKind::kScaledDotProductAttention,
                {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8})}, {}, 13);
      },
      ErrorCode::kModel, {"causal", "required"});
  expect_error(
      [&] {
        b.infer(OpKind::kScaledDotProductAttention,
                {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8})},
                {{"causal", "false"}, {"scale", "2"}}, 13);
      },
      ErrorCode::kUnsupported, {"'scale'", "ScaledDotProductAttention-13"});
  expect_error(
      [&] {
        b.infer(OpKind::kScaledDotProductAttention,
                {b.param({1, 4, 8}), b.param({1, 5, 8}), b.param({1, 5, 8})}, {{"causal", "maybe"}}, 13);
      },
      ErrorCode::kModel, {"causal"});
}

// ---- ConvolutionBackpropData-1 / GroupConvolutionBackpropData-1 ----

Attrs deconv(const char* strides, const char* pb, const char* pe, const char* auto_pad = "explicit",
             const char* dilations = nullptr, const char* output_padding = nullptr) {
  Attrs a = {{"strides", strides}, {"pads_begin", pb}, {"pads_end", pe}, {"auto_pad", auto_pad}};
  a["dilations"] =
      dilations ? dilations : (std::string(strides).find(',') == std::string::npos ? "1" : "1,1");
  if (output_padding) a["output_padding"] = output_padding;
  return a;
}

TEST(InferConvBackprop, OutputSizes) {
  Builder b;
  // Y = s*(X-1) + (K-1)*d + 1 - pb - pe + op: 2*4 + 3 - 1 - 1 + 1 = 10.
  EXPECT_EQ(b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 4, 5, 5}), b.param({4, 3, 3, 3})},
                    deconv("2,2", "1,1", "1,1", "explicit", "1,1", "1,1")),
            (Dims{1, 3, 10, 10}));
  // The spec's examples: 224 -> 447 (s2, k3, p1) and 2 -> 8 (s3, k3, output_padding 2).
  EXPECT_EQ(b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 20, 224, 224}), b.param({20, 10, 3, 3})},
                    deconv("2,2", "1,1", "1,1")),
            (Dims{1, 10, 447, 447}));
  EXPECT_EQ(b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 20, 2, 2}), b.param({20, 10, 3, 3})},
                    deconv("3,3", "0,0", "0,0", "explicit", "1,1", "2,2")),
            (Dims{1, 10, 8, 8}));
  // auto_pad other than explicit ignores the written pads: 2*4 + 3 = 11 (dilation 2: 2*4 + 5 = 13).
  EXPECT_EQ(b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 3, 5, 5}), b.param({3, 2, 3, 3})},
                    deconv("2,2", "1,1", "1,1", "same_upper")),
            (Dims{1, 2, 11, 11}));
  EXPECT_EQ(b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 3, 5}), b.param({3, 2, 3})},
                    deconv("2", "0", "0", "valid", "2")),
            (Dims{1, 2, 13}));
  // 3-D, dynamic batch and spatial dims.
  EXPECT_EQ(
      b.infer(OpKind::kConvolutionBackpropData, {b.param({-1, 2, 3, -1, 3}), b.param({2, 3, 2, 2, 2})},
              {{"strides", "2,2,2"}, {"pads_begin", "0,0,0"}, {"pads_end", "0,0,0"}, {"dilations", "1,1,1"}}),
      (Dims{-1, 3, 6, -1, 6}));
  // output_shape gives the spatial dims (the spec's example 3: 224 -> 450).
  EXPECT_EQ(b.infer(OpKind::kConvolutionBackpropData,
                    {b.param({1, 20, 224, 224}), b.param({20, 10, 3, 3}), b.ints({450, 450})},
                    deconv("1,1", "1,1", "1,1", "valid")),
            (Dims{1, 10, 450, 450}));
  // Grouped: filters [G, C_in/G, C_out/G, k...] -> G * C_out/G channels.
  EXPECT_EQ(b.infer(OpKind::kGroupConvolutionBackpropData, {b.param({1, 6, 4, 4}), b.param({3, 2, 5, 3, 3})},
                    deconv("2,2", "1,1", "1,1")),
            (Dims{1, 15, 7, 7}));
}

TEST(InferConvBackprop, SamePadsFromOutputShape) {
  Builder b;
  // total = 2*4 + 3 - 10 + 0 = 1: same_upper puts it at the start, same_lower at the end.
  for (const char* mode : {"same_upper", "same_lower"}) {
    Node* n = b.op(OpKind::kConvolutionBackpropData,
                   {b.param({1, 3, 5, 5}), b.param({3, 2, 3, 3}), b.ints({10, 7})},
                   deconv("2,2", "0,0", "0,0", mode));
    infer_node(*n);
    EXPECT_EQ(n->outputs[0].shape, (Dims{1, 2, 10, 7}));
  }
}

TEST(InferConvBackprop, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kConvolutionBackpropData, {b.param({1, 4, 5, 5}), b.param({3, 3, 3, 3})},
                     deconv("2,2", "0,0", "0,0"), 1, {"data has 4 channels", "expect 3"});
  expect_model_error(b, OpKind::kConvolutionBackpropData, {b.param({1, 4, 5, 5}), b.param({4, 3, 3})},
                     deconv("2,2", "0,0", "0,0"), 1, {"must have rank 4"});
  expect_model_error(b, OpKind::kConvolutionBackpropData, {b.param({1, 4, 5, 5}), b.param({4, 3, 3, 3})},
                     deconv("2", "0", "0"), 1, {"'strides' has 1 values", "2 spatial dims"});
  expect_model_error(b, OpKind::kConvolutionBackpropData, {b.param({1, 4, 5, 5}), b.param({4, 3, 3, 3})},
                     deconv("1,1", "0,0", "0,0", "explicit", "1,1", "0"), 1,
                     {"'output_padding' has 1 values"});
  // Pads larger than the full output: 1*(2-1) + 3 - 3 - 2 = -1.
  expect_model_error(b, OpKind::kConvolutionBackpropData, {b.param({1, 4, 2}), b.param({4, 3, 3})},
                     deconv("1", "3", "2"), 1, {"output size -1"});
  expect_model_error(b, OpKind::kConvolutionBackpropData,
                     {b.param({1, 4, 5, 5}), b.param({4, 3, 3, 3}), b.ints({10, 10, 10})},
                     deconv("2,2", "0,0", "0,0"), 1, {"output_shape [10,10,10] must have 2 values"});
  expect_model_error(b, OpKind::kConvolutionBackpropData,
                     {b.param({1, 4, 5, 5}), b.param({4, 3, 3, 3}), b.ints({10, 0})},
                     deconv("2,2", "0,0", "0,0"), 1, {"invalid value 0"});
  expect_model_error(b, OpKind::kGroupConvolutionBackpropData,
                     {b.param({1, 6, 4, 4}), b.param({4, 2, 5, 3, 3})}, deconv("2,2", "0,0", "0,0"), 1,
                     {"expect 8"});
  // Attribute values.
  expect_error(
      [&] {
        b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 4, 5}), b.param({4, 3, 3})},
                deconv("0", "0", "0"));
      },
      ErrorCode::kModel, {"strides", "non-positive"});
  expect_error(
      [&] {
        b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 4, 5}), b.param({4, 3, 3})},
                deconv("1", "-1", "0"));
      },
      ErrorCode::kModel, {"pads_begin", "invalid value -1"});
  expect_error(
      [&] {
        b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 4, 5}), b.param({4, 3, 3})},
                deconv("1", "0", "0", "explicit", "1", "-2"));
      },
      ErrorCode::kModel, {"output_padding", "invalid value -2"});
  expect_error(
      [&] {
        b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 4, 5}), b.param({4, 3, 3})},
                deconv("1", "0", "0", "same"));
      },
      ErrorCode::kModel, {"auto_pad", "same_upper"});
  Attrs extra = deconv("1", "0", "0");
  extra["group"] = "2";
  expect_error(
      [&] {
        b.infer(OpKind::kConvolutionBackpropData, {b.param({1, 4, 5}), b.param({4, 3, 3})}, extra);
      },
      ErrorCode::kUnsupported, {"'group'"});
  // output_shape must be constant.
  Node* n =
      b.op(OpKind::kConvolutionBackpropData,
           {b.param({1, 4, 5}), b.param({4, 3, 3}), b.param({1}, ElementType::kI64)}, deconv("1", "0", "0"));
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 2 (output_shape) must be constant"});
}

// ---- Einsum-7 ----

Dims einsum(Builder& b, const char* equation, std::vector<Dims> shapes) {
  std::vector<Node*> inputs;
  for (Dims& s : shapes) inputs.push_back(b.param(std::move(s)));
  return b.infer(OpKind::kEinsum, inputs, {{"equation", equation}}, 7);
}

TEST(InferEinsum, Shapes) {
  Builder b;
  EXPECT_EQ(einsum(b, "ij,jk->ik", {{3, 5}, {5, 4}}), (Dims{3, 4}));
  EXPECT_EQ(einsum(b, "kii->k", {{2, 3, 3}}), (Dims{2}));
  EXPECT_EQ(einsum(b, "ijk->kij", {{2, 3, 4}}), (Dims{4, 2, 3}));
  // Implicit mode: sorted labels occurring once, capitals first; a repeated label is summed.
  EXPECT_EQ(einsum(b, "AbC", {{1, 2, 3}}), (Dims{1, 3, 2}));
  EXPECT_EQ(einsum(b, "dbbc,ca", {{2, 4, 4, 3}, {3, 5}}), (Dims{5, 2}));
  EXPECT_EQ(einsum(b, "ii", {{3, 3}}), (Dims{}));
  EXPECT_EQ(einsum(b, "...ii", {{2, 3, 3}}), (Dims{2}));
  // The spec's ellipsis example: [1, 4] and [11, 7, 1] broadcast to [11, 7, 4].
  EXPECT_EQ(einsum(b, "a...b,b...->a...", {{9, 1, 4, 3}, {3, 11, 7, 1}}), (Dims{9, 11, 7, 4}));
  EXPECT_EQ(einsum(b, "ab...,ac...,ade->...bc", {{2, 3, 4}, {2, 7, 1}, {2, 4, 7}}), (Dims{4, 3, 7}));
  // Ellipsis dims absent from the output are summed.
  EXPECT_EQ(einsum(b, "a...->a", {{3, 4, 5}}), (Dims{3}));
  EXPECT_EQ(einsum(b, "ij,jk->ik", {{2, 1}, {3, 4}}), (Dims{2, 4}));
  EXPECT_EQ(einsum(b, ",->", {{}, {}}), (Dims{}));
  // Blanks are allowed anywhere.
  EXPECT_EQ(einsum(b, " a b , b c -> c a ", {{2, 3}, {3, 4}}), (Dims{4, 2}));
  EXPECT_EQ(einsum(b, "bij,bjk->bik", {{-1, 3, 5}, {2, 5, -1}}), (Dims{2, 3, -1}));
}

TEST(InferEinsum, Errors) {
  Builder b;
  auto bad = [&](const char* eq, std::vector<Dims> shapes, std::initializer_list<const char*> fragments) {
    std::vector<Node*> inputs;
    for (Dims& s : shapes) inputs.push_back(b.param(std::move(s)));
    expect_model_error(b, OpKind::kEinsum, inputs, {{"equation", eq}}, 7, fragments);
  };
  bad("ij,jk->ik", {{3, 5}}, {"2 input subscripts", "1 inputs"});
  bad("ij->i", {{3, 5, 2}}, {"covers 2 dims"});
  bad("ij...->i", {{3}}, {"at least 2"});
  bad("ij,jk->ik", {{3, 5}, {4, 2}}, {"label 'j' has size 4"});
  bad("ii->i", {{3, 4}}, {"label 'i' repeats in input 0", "3 and 4"});
  bad("...i,...i->...", {{2, 3}, {4, 3}}, {"'...' do not broadcast"});
  bad("i1->i", {{3, 3}}, {"holds '1'"});
  bad("i......->i", {{3, 3}}, {"more than one ellipsis"});
  bad("ij->k", {{3, 3}}, {"output label 'k' is not in any input"});
  bad("ij->i->j", {{3, 3}}, {"more than one '->'"});
  Node* n = b.op(OpKind::kEinsum, {b.param({3})}, {{"equation", "i->ii"}}, 7);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"output label 'i' appears twice"});
  expect_model_error(b, OpKind::kEinsum, {b.param({3}), b.param({3}, ElementType::kI32)},
                     {{"equation", "i,i->"}}, 7, {"same element type"});
  expect_error([&] { b.infer(OpKind::kEinsum, {b.param({3})}, {}, 7); }, ErrorCode::kModel,
               {"equation", "required"});
}

// ---- DFT-7, IDFT-7, RDFT-9, IRDFT-9 ----

TEST(InferSignal, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kDFT, {b.param({1, 320, 320, 2}), b.ints({1, 2})}, {}, 7),
            (Dims{1, 320, 320, 2}));
  // The spec's examples with signal_size, -1 and unsorted axes.
  EXPECT_EQ(b.infer(OpKind::kDFT, {b.param({1, 320, 320, 2}), b.ints({1, 2}), b.ints({512, 100})}, {}, 7),
            (Dims{1, 512, 100, 2}));
  EXPECT_EQ(b.infer(OpKind::kIDFT,
                    {b.param({16, 768, 580, 320, 2}), b.ints({3, 1, 2}), b.ints({170, -1, 1024})}, {}, 7),
            (Dims{16, 768, 1024, 170, 2}));
  EXPECT_EQ(b.infer(OpKind::kDFT, {b.param({4, 6, 2}), b.ints({-2}, ElementType::kI32)}, {}, 7),
            (Dims{4, 6, 2}));
  EXPECT_EQ(b.infer(OpKind::kRDFT, {b.param({1, 320, 320}), b.ints({1, 2})}, {}, 9), (Dims{1, 320, 161, 2}));
  EXPECT_EQ(b.infer(OpKind::kRDFT, {b.param({16, 768, 580, 320}), b.ints({3, 1, 2}), b.ints({170, -1, 1024})},
                    {}, 9),
            (Dims{16, 768, 513, 170, 2}));
  EXPECT_EQ(b.infer(OpKind::kRDFT, {b.param({3, 8}), b.ints({-1})}, {}, 9), (Dims{3, 5, 2}));
  EXPECT_EQ(b.infer(OpKind::kIRDFT, {b.param({1, 161, 161, 2}), b.ints({1, 2})}, {}, 9), (Dims{1, 161, 320}));
  EXPECT_EQ(b.infer(OpKind::kIRDFT,
                    {b.param({16, 768, 580, 320, 2}), b.ints({3, 0, 2}), b.ints({258, -1, 2056})}, {}, 9),
            (Dims{16, 768, 2056, 258}));
  EXPECT_EQ(b.infer(OpKind::kIRDFT, {b.param({4, -1, 2}), b.ints({1})}, {}, 9), (Dims{4, -1}));
}

TEST(InferSignal, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kDFT, {b.param({4, 6, 3}), b.ints({1})}, {}, 7, {"last dim of 2"});
  expect_model_error(b, OpKind::kDFT, {b.param({4, 6, 2}), b.ints({2})}, {}, 7,
                     {"axis 2 is out of range [-2, 1]"});
  expect_model_error(b, OpKind::kIDFT, {b.param({4, 6, 2}), b.ints({-3})}, {}, 7,
                     {"axis -3 is out of range"});
  expect_model_error(b, OpKind::kDFT, {b.param({4, 6, 2}), b.ints({1, -1})}, {}, 7, {"name axis 1 twice"});
  expect_model_error(b, OpKind::kDFT, {b.param({4, 6, 2}), b.ints({0, 1}), b.ints({4})}, {}, 7,
                     {"as many values as axes"});
  expect_model_error(b, OpKind::kRDFT, {b.param({4, 6}), b.ints({1}), b.ints({0})}, {}, 9,
                     {"invalid value 0"});
  expect_model_error(b, OpKind::kRDFT, {b.param({4, 6}), b.ints({2})}, {}, 9, {"out of range [-2, 1]"});
  expect_model_error(b, OpKind::kIRDFT, {b.param({4, 1, 2}), b.ints({1})}, {}, 9, {"2*(1-1) is 0"});
  expect_model_error(b, OpKind::kDFT, {b.param({4, 6, 2}, ElementType::kI32), b.ints({1})}, {}, 7,
                     {"floating-point"});
  expect_model_error(b, OpKind::kDFT, {b.param({4, 6, 2}), b.floats({1})}, {}, 7,
                     {"(axes) must have an integer"});
  Node* n = b.op(OpKind::kDFT, {b.param({4, 6, 2}), b.param({1}, ElementType::kI64)}, {}, 7);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (axes) must be constant"});
  expect_error(
      [&] {
        b.infer(OpKind::kDFT, {b.param({4, 6, 2}), b.ints({1})}, {{"inverse", "true"}}, 7);
      },
      ErrorCode::kUnsupported, {"'inverse'"});
}

}  // namespace
}  // namespace octet::test
