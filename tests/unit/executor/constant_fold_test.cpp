// Constant subgraphs the quantization pass leaves behind (a decompression chain feeding Gather) are
// evaluated once at compile time, not on every inference; values are worked out by hand.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

TEST(ConstantFolding, DecompressedEmbeddingTableIsFoldedAndGathersCorrectly) {
  for (Precision precision : {Precision::kFast, Precision::kReference}) {
    // table = (codes - 1) * 0.5 with codes i8 [3, 2] = {1, 3, -1, 5, 7, 0}: {0, 1, -1, 2, 3, -0.5}
    GraphBuilder b;
    Node* ids = b.param("ids", {2}, ElementType::kI32);
    Tensor codes(ElementType::kI8, {3, 2});
    const int8_t cv[] = {1, 3, -1, 5, 7, 0};
    std::memcpy(codes.data(), cv, sizeof cv);
    Node* convert =
        b.op(OpKind::kConvert, "convert", {b.constant("codes", codes)}, {{"destination_type", "f32"}});
    Node* sub = b.op(OpKind::kSubtract, "sub", {convert, b.constant("zp", test::f32_tensor({}, {1}))},
                     {{"auto_broadcast", "numpy"}});
    Node* table = b.op(OpKind::kMultiply, "table", {sub, b.constant("scale", test::f32_tensor({}, {0.5f}))},
                       {{"auto_broadcast", "numpy"}});
    Tensor axis(ElementType::kI32, {});
    *axis.data_as<int32_t>() = 0;
    Node* gather =
        b.op(OpKind::kGather, "gather", {table, ids, b.constant("axis", axis)}, {{"batch_dims", "0"}}, 8);
    b.result(gather);
    BackendOptions options;
    options.precision = precision;
    auto cpu = make_onednn_backend(options);
    CompileConfig config;
    config.options = options;
    auto model = CompiledModel::compile(std::move(b.g), cpu, cpu, config);
    ASSERT_EQ(model->assignments().size(), 1u) << "only the Gather should remain a kernel";
    EXPECT_EQ(model->assignments()[0].op, "Gather");
    auto request = model->create_request();
    Tensor id_values(ElementType::kI32, {2});
    id_values.data_as<int32_t>()[0] = 2;
    id_values.data_as<int32_t>()[1] = 0;
    request->set_input("ids", id_values);
    request->infer();
    const float* y = request->output("gather").data_as<float>();
    EXPECT_EQ(y[0], 3.0f);
    EXPECT_EQ(y[1], -0.5f);
    EXPECT_EQ(y[2], 0.0f);
    EXPECT_EQ(y[3], 1.0f);
  }
}

}  // namespace
}  // namespace octet
