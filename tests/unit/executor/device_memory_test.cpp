// Device memory decided at compile time: request memory split under a backend's single-allocation
// cap (or a clear kOutOfDeviceMemory when one tensor is above it), and per-model weight bytes when
// several models share a backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "host/common/error.h"
#include "runtime/executor/compiled_model.h"
#include "tests/unit/executor/fake_device.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

// x[1,1024] -> r1 -> r2 -> r3 (all Relu, 4096 bytes each). While r1 runs, x and r1 are both live,
// so the single-arena plan needs 8192 bytes; no tensor needs more than 4096.
Graph relu_chain() {
  GraphBuilder b;
  Node* x = b.param("x", {1, 1024});
  Node* r1 = b.op(OpKind::kRelu, "r1", {x});
  Node* r2 = b.op(OpKind::kRelu, "r2", {r1});
  Node* r3 = b.op(OpKind::kRelu, "r3", {r2});
  b.result(r3);
  return std::move(b.g);
}

TEST(ExecutorDeviceMemory, OneAllocationWhenTheArenaFits) {
  auto fake = std::make_shared<test::FakeDevice>();
  auto model = CompiledModel::compile(relu_chain(), fake, nullptr, CompileConfig{});
  EXPECT_EQ(model->activation_peak_bytes(), 8192u);
  auto request = model->create_request();
  EXPECT_EQ(fake->allocation_sizes_, std::vector<size_t>{8192});
}

TEST(ExecutorDeviceMemory, ArenaAboveTheCapIsSplitAndStillComputesRelu) {
  auto fake = std::make_shared<test::FakeDevice>();
  fake->max_allocation_ = 4096;  // every tensor fits, the 8192-byte arena does not
  CompileConfig config;
  config.allow_cpu_fallback = false;
  auto model = CompiledModel::compile(relu_chain(), fake, nullptr, config);
  auto request = model->create_request();
  ASSERT_GE(fake->allocation_sizes_.size(), 2u);
  for (size_t bytes : fake->allocation_sizes_) EXPECT_LE(bytes, 4096u);
  // The cut adds no bytes to the plan.
  EXPECT_EQ(std::accumulate(fake->allocation_sizes_.begin(), fake->allocation_sizes_.end(), size_t{0}),
            8192u);

  const Tensor x = test::random_f32({1, 1024}, 7);
  request->set_input("x", x);
  request->infer();
  const Tensor& y = request->output("r3");
  for (int64_t i = 0; i < x.element_count(); ++i)
    ASSERT_EQ(y.data_as<float>()[i], std::max(x.data_as<float>()[i], 0.0f)) << "element " << i;
}

TEST(ExecutorDeviceMemory, TensorAboveTheCapFailsAtCompileNamingTheSizes) {
  auto fake = std::make_shared<test::FakeDevice>();
  fake->max_allocation_ = 4095;  // one byte short of a 1024-float tensor
  try {
    CompiledModel::compile(relu_chain(), fake, nullptr, CompileConfig{});
    FAIL() << "compile accepted a tensor above the device's allocation cap";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kOutOfDeviceMemory);
    const std::string what = e.what();
    EXPECT_NE(what.find("FAKE.0"), std::string::npos) << what;
    EXPECT_NE(what.find("4096"), std::string::npos) << what;
    EXPECT_NE(what.find("4095"), std::string::npos) << what;
  }
  EXPECT_TRUE(fake->allocation_sizes_.empty());  // caught before any request memory exists
}

// A fake device that also takes Add and Multiply, keeping their constant inputs as "weights".
class WeightedFake : public test::FakeDevice {
 public:
  Support supports(const Node& node) const override {
    if (node.op == OpKind::kAdd || node.op == OpKind::kMultiply) return Support::yes();
    return FakeDevice::supports(node);
  }
  std::unique_ptr<Kernel> compile(const Node& node) override {
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (const Tensor* c = node.input_constant(i)) weights_ += c->byte_size();
    return std::make_unique<NoKernel>();
  }
  size_t weight_bytes() const override { return weights_; }

 private:
  struct NoKernel : Kernel {
    void enqueue(ExecContext&, const std::vector<BufferView>&, const std::vector<BufferView>&) override {}
    std::string impl_name() const override { return "none"; }
  };
  size_t weights_ = 0;
};

TEST(ExecutorDeviceMemory, WeightBytesArePerCompiledModel) {
  auto device = std::make_shared<WeightedFake>();
  // Model A: (x[1,8] + c[1,8]) * d[1,8]: two f32 constants of 32 bytes each = 64 bytes.
  GraphBuilder a;
  Node* ax = a.param("x", {1, 8});
  Node* add = a.op(OpKind::kAdd, "add", {ax, a.constant("c", test::random_f32({1, 8}, 1))});
  a.result(a.op(OpKind::kMultiply, "mul", {add, a.constant("d", test::random_f32({1, 8}, 2))}));
  // Model B: x[2,10] + c[2,10]: 20 floats = 80 bytes.
  GraphBuilder b;
  Node* bx = b.param("x", {2, 10});
  b.result(b.op(OpKind::kAdd, "add", {bx, b.constant("c", test::random_f32({2, 10}, 3))}));

  auto model_a = CompiledModel::compile(std::move(a.g), device, nullptr, CompileConfig{});
  auto model_b = CompiledModel::compile(std::move(b.g), device, nullptr, CompileConfig{});
  EXPECT_EQ(device->weight_bytes(), 144u);
  EXPECT_EQ(model_a->weight_bytes(), 64u);
  EXPECT_EQ(model_b->weight_bytes(), 80u);
}

}  // namespace
}  // namespace octet
