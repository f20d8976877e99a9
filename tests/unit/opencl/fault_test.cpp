// Faults the OpenCL backend must report cleanly (docs bad-inputs rows 35-42, as far as PoCL lets a
// test provoke them): unknown devices, kernel build failures (through $OCTET_KERNEL_DIR), tensors
// above the device's allocation limit, timeouts, out-of-bounds writes caught by guard mode; and
// the memory report of a compiled model.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "runtime/opencl/ops/ocl_kernel.h"
#include "tests/unit/executor/graph_builder.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
using test::OpCase;
using test::random_tensor;

using test::ScopedEnv;

// A temporary kernel directory holding one replacement source file.
class KernelOverride {
 public:
  KernelOverride(const std::string& file, const std::string& source)
      : dir_(fs::temp_directory_path() /
             ("octet-kernels-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
    fs::create_directories(dir_);
    std::ofstream(dir_ / file) << source;
    env_ = std::make_unique<ScopedEnv>("OCTET_KERNEL_DIR", dir_.string());
  }
  ~KernelOverride() {
    env_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

 private:
  fs::path dir_;
  std::unique_ptr<ScopedEnv> env_;
};

Error expect_error(ErrorCode code, const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(error_code_name(e.code()), std::string(error_code_name(code))) << e.what();
    return e;
  }
  ADD_FAILURE() << "no error thrown, expected " << error_code_name(code);
  return Error(code, "");
}

Node& relu_node(OpCase& c, Dims shape) {
  c.input(random_tensor(std::move(shape), 3));
  return c.finish();
}

TEST(OpenClFaults, UnknownDeviceListsTheDevices) {
  OCTET_REQUIRE_OPENCL(shared);
  const std::string device = list_opencl_devices().front().name;
  for (const char* spec : {"GPU.7", "no-such-device-xyz"}) {
    Error e = expect_error(ErrorCode::kNotFound, [&] { OpenClBackend::create(spec); });
    EXPECT_NE(std::string(e.what()).find(spec), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(device), std::string::npos) << "lists the devices: " << e.what();
  }
  ScopedEnv env("OCTET_OPENCL_DEVICE", "no-such-platform:0");
  Error e = expect_error(ErrorCode::kNotFound, [&] { OpenClBackend::create("GPU"); });
  EXPECT_NE(std::string(e.what()).find(device), std::string::npos) << e.what();
}

TEST(OpenClFaults, KernelBuildFailureNamesKernelAndLog) {
  OCTET_REQUIRE_OPENCL(shared);
  auto gpu = OpenClBackend::create("GPU");
  KernelOverride broken("eltwise_f32.cl",
                        "__kernel void unary_relu(__global const float* src, __global float* dst, float p0, "
                        "float p1) {\n  dst[get_global_id(0)] = undeclared_identifier;\n}\n");
  OpCase c(OpKind::kRelu);
  Node& node = relu_node(c, {4});
  Error e = expect_error(ErrorCode::kKernelBuildFailed, [&] { gpu->compile(node); });
  const std::string msg = e.what();
  EXPECT_NE(msg.find("unary_relu"), std::string::npos) << msg;
  EXPECT_NE(msg.find("eltwise_f32.cl"), std::string::npos) << msg;
  EXPECT_NE(msg.find("undeclared_identifier"), std::string::npos) << "build log lines: " << msg;
}

TEST(OpenClFaults, TensorAboveMaxAllocDetectedAtCompile) {
  OCTET_REQUIRE_OPENCL(gpu);
  const int64_t elements = static_cast<int64_t>(gpu->device().max_alloc / 4 + 1024);
  if (elements > kMaxKernelElements) GTEST_SKIP() << "device max allocation too large to exceed here";
  OpCase c(OpKind::kRelu);
  c.input(Tensor(ElementType::kF32, {1}));  // replaced below: only the declared shape matters
  Node& node = c.node();
  node.inputs[0].node->outputs[0].shape = {1, elements};
  c.finish();
  Error e = expect_error(ErrorCode::kOutOfDeviceMemory, [&] { gpu->compile(node); });
  EXPECT_NE(std::string(e.what()).find("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), std::string::npos) << e.what();
}

TEST(OpenClFaults, RequestMemoryAboveTheAllocationCapIsSplit) {
  // The shared backend (its ReLU program already built), restored afterwards.
  OCTET_REQUIRE_OPENCL(gpu);
  EXPECT_EQ(gpu->max_allocation_bytes(), gpu->device().max_alloc);
  struct Restore {
    OpenClBackend& backend;
    bool guard = backend.guard_mode();
    ~Restore() {
      backend.set_guard_mode(guard);
      backend.set_max_allocation_bytes(0);
    }
  } restore{*gpu};
  gpu->set_guard_mode(false);  // guard mode gives every view its own (larger) allocation
  gpu->set_max_allocation_bytes(4096);
  // x[1,1024] -> Relu -> Relu -> Relu: 4096 bytes a tensor, two live at once, an 8192-byte arena.
  test::GraphBuilder b;
  Node* x = b.param("x", {1, 1024});
  Node* r1 = b.op(OpKind::kRelu, "r1", {x});
  Node* r2 = b.op(OpKind::kRelu, "r2", {r1});
  b.result(b.op(OpKind::kRelu, "r3", {r2}));
  CompileConfig config;
  config.allow_cpu_fallback = false;
  auto model = CompiledModel::compile(std::move(b.g), gpu, nullptr, config);
  EXPECT_EQ(model->activation_peak_bytes(), 8192u);
  auto request = model->create_request();  // one 8192-byte allocation would be refused
  const Tensor input = random_tensor({1, 1024}, 11);
  request->set_input("x", input);
  request->infer();
  const Tensor& y = request->output("r3");
  for (int64_t i = 0; i < input.element_count(); ++i)
    ASSERT_EQ(y.data_as<float>()[i], std::max(input.data_as<float>()[i], 0.0f)) << "element " << i;
}

TEST(OpenClFaults, GuardAndTimeoutFromBackendOptions) {
  OCTET_REQUIRE_OPENCL(shared);
  BackendOptions options;
  options.guard = true;
  options.timeout_ms = 1234;
  auto gpu = OpenClBackend::create("GPU", options);
  EXPECT_TRUE(gpu->guard_mode());
  EXPECT_EQ(gpu->timeout_ms(), 1234);
  options.timeout_ms = -1;
  expect_error(ErrorCode::kInvalidArgument, [&] { OpenClBackend::create("GPU", options); });
}

TEST(OpenClFaults, TimeoutThenRecovery) {
  OCTET_REQUIRE_OPENCL(shared);
  auto gpu = OpenClBackend::create("GPU");
  // One work-item spinning on a dependent chain (about a second on PoCL).
  KernelOverride slow("eltwise_f32.cl",
                      "__kernel void unary_relu(__global const float* src, __global float* dst, float p0, "
                      "float p1) {\n  float v = src[0];\n  for (int k = 0; k < 100000000; ++k) v = v * "
                      "0.99999994f + 1e-9f;\n  dst[0] = v;\n}\n");
  OpCase c(OpKind::kRelu);
  Node& node = relu_node(c, {1});
  auto kernel = gpu->compile(node);
  auto ctx = gpu->create_context();
  void* in = gpu->allocate(4);
  void* out = gpu->allocate(4);
  const float one = 1.0f;
  gpu->upload(*ctx, in, &one, 4);
  gpu->set_timeout_ms(20);
  kernel->enqueue(*ctx, {{in, 4}}, {{out, 4}});
  expect_error(ErrorCode::kTimeout, [&] { gpu->finish(*ctx); });
  // Until the queue drains, new launches fail fast instead of queueing behind the stuck one.
  Error e = expect_error(ErrorCode::kDevice, [&] { kernel->enqueue(*ctx, {{in, 4}}, {{out, 4}}); });
  EXPECT_NE(std::string(e.what()).find("suspect"), std::string::npos) << e.what();
  gpu->set_timeout_ms(0);
  gpu->finish(*ctx);  // waits it out; the context is usable again
  gpu->release(in);
  gpu->release(out);
}

// Issue 12: after a timeout the next inference on the same request used to block forever in its
// input upload (a blocking write queued behind the stuck kernel). Now every later call fails fast
// while the stuck work runs, and the request recovers once it has finished.
TEST(OpenClFaults, RequestAfterATimeoutFailsFastThenRecovers) {
  OCTET_REQUIRE_OPENCL(shared);
  // Relu whose run time grows with x[0]: x[0] = 1e8 spins for about a second on PoCL, 0 not at all.
  KernelOverride slow("eltwise_f32.cl",
                      "__kernel void unary_relu(__global const float* src, __global float* dst, float p0, "
                      "float p1) {\n  float v = 0.0f;\n  int n = (int)src[0];\n  for (int k = 0; k < n; ++k) "
                      "v = v * 0.99999994f + 1e-9f;\n  size_t i = get_global_id(0);\n  dst[i] = "
                      "fmax(src[i], 0.0f) + v * 0.0f;\n}\n");
  test::GraphBuilder b;
  Node* x = b.param("x", {2});
  b.result(b.op(OpKind::kRelu, "r", {x}));
  BackendOptions options;
  options.timeout_ms = 30;
  auto gpu = OpenClBackend::create("GPU", options);
  auto model =
      CompiledModel::compile(std::move(b.g), gpu, make_onednn_backend(BackendOptions{}), CompileConfig{});
  auto request = model->create_request();
  Tensor input(ElementType::kF32, {2});
  input.data_as<float>()[0] = 1e8f;
  input.data_as<float>()[1] = -3.0f;
  request->set_input("x", input);
  expect_error(ErrorCode::kTimeout, [&] { request->infer(); });
  // Still running: the next inference fails fast (well under the kernel's run time).
  input.data_as<float>()[0] = 0.0f;
  input.data_as<float>()[1] = 2.5f;
  request->set_input("x", input);
  const auto start = std::chrono::steady_clock::now();
  Error e = expect_error(ErrorCode::kDevice, [&] { request->infer(); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_NE(std::string(e.what()).find("suspect"), std::string::npos) << e.what();
  // Once the stuck kernel has ended, the same request works again.
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      request->infer();
      break;
    } catch (const Error& again) {
      ASSERT_EQ(again.code(), ErrorCode::kDevice) << again.what();
    }
  }
  const Tensor& out = request->output("r");
  EXPECT_EQ(out.data_as<float>()[0], 0.0f);
  EXPECT_EQ(out.data_as<float>()[1], 2.5f);
}

TEST(OpenClFaults, FailedEventStatusBecomesAnError) {
  OCTET_REQUIRE_OPENCL(gpu);
  // A command that ended with CL_OUT_OF_RESOURCES, as a driver reports asynchronously: a user event
  // in the context's pending list stands in for the launch.
  OpCase c(OpKind::kRelu);
  Node& node = relu_node(c, {4});
  auto kernel = gpu->compile(node);
  auto ctx = gpu->create_context();
  auto& ocl_ctx = static_cast<OpenClContext&>(*ctx);
  cl_int rc = CL_SUCCESS;
  cl_event ev = clCreateUserEvent(gpu->context(), &rc);
  ASSERT_EQ(rc, CL_SUCCESS);
  ASSERT_EQ(clSetUserEventStatus(ev, CL_OUT_OF_RESOURCES), CL_SUCCESS);
  ocl_ctx.pending.emplace_back(kernel.get(), ocl::Event(ev));
  Error e = expect_error(ErrorCode::kOutOfDeviceMemory, [&] { gpu->finish(*ctx); });
  EXPECT_NE(std::string(e.what()).find("CL_OUT_OF_RESOURCES"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find(kernel->impl_name()), std::string::npos) << e.what();
  gpu->finish(*ctx);  // reported once; the context carries on
}

std::shared_ptr<Backend> cpu_backend() {
  static std::shared_ptr<Backend> cpu = make_onednn_backend(BackendOptions{});
  return cpu;
}

TEST(OpenClFaults, GuardModeCatchesOutOfBoundsWrite) {
  OCTET_REQUIRE_OPENCL(shared);
  auto gpu = OpenClBackend::create("GPU");
  gpu->set_guard_mode(true);
  const fs::path zoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "mlp_fp32";
  {
    // Correct kernels never trip it.
    auto model = CompiledModel::compile(read_ir_file((zoo / "model.xml").string()), gpu, cpu_backend(), {});
    auto request = model->create_request();
    request->set_input(model->inputs()[0].name, random_tensor(model->inputs()[0].shape, 5));
    request->infer();
  }
  // The real eltwise source with ReLU writing one element too far.
  std::string source = load_kernel_source("eltwise_f32.cl");
  const std::string relu = "UNARY(relu, octet_relu(x))";
  ASSERT_NE(source.find(relu), std::string::npos);
  source.replace(
      source.find(relu), relu.size(),
      "__kernel void unary_relu(__global const float* src, __global float* dst, float p0, float p1) "
      "{\n  int i = get_global_id(0);\n  dst[i + 1] = fmax(src[i], 0.0f);\n}\n");
  KernelOverride oob("eltwise_f32.cl", source);
  auto model = CompiledModel::compile(read_ir_file((zoo / "model.xml").string()), gpu, cpu_backend(), {});
  auto request = model->create_request();
  request->set_input(model->inputs()[0].name, random_tensor(model->inputs()[0].shape, 5));
  Error e = expect_error(ErrorCode::kInternal, [&] { request->infer(); });
  EXPECT_NE(std::string(e.what()).find("ocl_relu_f32"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("up to 4 bytes past the end"), std::string::npos) << e.what();
}

TEST(OpenClFaults, Fp16RequestFallsBackToF32WithANote) {
  OCTET_REQUIRE_OPENCL(shared);
  BackendOptions options;
  options.fp16 = true;
  auto gpu = OpenClBackend::create("GPU", options);
  EXPECT_NE(gpu->description().find("fp16 requested"), std::string::npos) << gpu->description();
  CompileConfig config;
  config.options = options;
  const fs::path zoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "mlp_fp32";
  auto model = CompiledModel::compile(read_ir_file((zoo / "model.xml").string()), gpu, cpu_backend(), config);
  for (const NodeAssignment& a : model->assignments()) {
    EXPECT_EQ(a.backend, gpu->name()) << a.node_name;
    EXPECT_EQ(a.precision, "f32") << a.node_name;
  }
}

TEST(OpenClMemory, WeightAndActivationBytes) {
  OCTET_REQUIRE_OPENCL(shared);
  auto gpu = OpenClBackend::create("GPU");
  const fs::path zoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "mlp_fp32";
  auto model = CompiledModel::compile(read_ir_file((zoo / "model.xml").string()), gpu, cpu_backend(), {});
  // mlp_fp32 keeps every constant as is (f32 MatMul weights and Add biases): the device holds
  // exactly the bytes of the Constant inputs of its nodes.
  size_t constant_bytes = 0, largest = 0, all_values = 0;
  for (const Node* n : model->graph().topological_order()) {
    if (n->op == OpKind::kParameter || n->op == OpKind::kConstant || n->op == OpKind::kResult) continue;
    for (size_t i = 0; i < n->inputs.size(); ++i)
      if (const Tensor* t = n->input_constant(i)) constant_bytes += t->byte_size();
    for (const Value& v : n->outputs) {
      size_t b = element_storage_bytes(v.type, element_count(v.shape));
      largest = std::max(largest, b), all_values += b;
    }
  }
  EXPECT_EQ(gpu->weight_bytes(), constant_bytes);
  EXPECT_EQ(model->weight_bytes(), constant_bytes);
  EXPECT_EQ(gpu->allocated_bytes(), 0u);
  {
    auto request = model->create_request();
    EXPECT_EQ(gpu->allocated_bytes(), model->activation_peak_bytes());
    EXPECT_GE(model->activation_peak_bytes(), largest);
    EXPECT_LE(model->activation_peak_bytes(), all_values + 64 * kBufferAlignment);
    std::printf("[ocl-memory] mlp_fp32 %s (activation plan %zu bytes)\n", gpu->memory_summary().c_str(),
                model->activation_peak_bytes());
  }
  EXPECT_EQ(gpu->allocated_bytes(), 0u);
  EXPECT_EQ(gpu->peak_allocated_bytes(), model->activation_peak_bytes());
  model.reset();
  EXPECT_EQ(gpu->weight_bytes(), 0u);
}

TEST(OpenClMemory, NoObjectOutlivesItsModel) {
  OCTET_REQUIRE_OPENCL(shared);
  const fs::path zoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "cnn_fp32";
  for (bool guard : {false, true}) {
    auto gpu = OpenClBackend::create("GPU");
    gpu->set_guard_mode(guard);
    auto run = [&] {
      CompileConfig config;
      config.options.profiling = true;  // events and timings too
      auto model =
          CompiledModel::compile(read_ir_file((zoo / "model.xml").string()), gpu, cpu_backend(), config);
      auto request = model->create_request();
      request->set_input(model->inputs()[0].name, random_tensor(model->inputs()[0].shape, 9));
      request->infer();
      request->infer();
      std::printf("[ocl-memory] cnn_fp32%s %s (activation plan %zu bytes)\n", guard ? " guard mode" : "",
                  gpu->memory_summary().c_str(), model->activation_peak_bytes());
    };
    run();  // builds and caches the programs, which live as long as the backend
    const int baseline = ocl::live_objects();
    run();
    EXPECT_EQ(ocl::live_objects(), baseline) << (guard ? "guard mode" : "normal mode");
    EXPECT_EQ(gpu->allocated_bytes(), 0u);
    EXPECT_EQ(gpu->weight_bytes(), 0u);
  }
}

}  // namespace
}  // namespace octet
