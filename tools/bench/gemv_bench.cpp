// gemv_bench: GB/s of weights read by the OpenCL GEMV paths for M <= 16 (issue 15, section 3):
// int4 group 32 / group 128 and int8 per-channel weights (and f32 weights) at N = K = 4096 and
// M = 1, 4, 16, the new GEMV family (kernels/qgemv_rows.cl) against the old kernels (qgemv where
// it ran, M <= 4, and the kernel the choice took before: tiled on GPUs, the register GEMM on CPU
// devices), next to a device copy kernel's GB/s measured in the same run.
//
//   gemv_bench [--device GPU] [--iters 20] [--size 4096] [--rows 1,4,16] [--new]
// (--new: only the GEMV family, e.g. to sweep its geometry with $OCTET_QGEMV=WG,NPW,U,MR)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"
#include "runtime/opencl/opencl_backend.h"

namespace octet {
namespace {

Value value(ElementType t, Dims shape, const std::string& name) {
  Value v;
  v.type = t;
  v.shape = std::move(shape);
  v.names = {name};
  return v;
}

struct Run {
  std::string impl;
  double ms = 0;
};

// Wall time per run (queue drained each time) after one warm-up, with $OCTET_QIMPL = `impl`
// ("" = the default choice).
Run time_node(OpenClBackend& backend, const Node& node, size_t in_bytes, size_t out_bytes, int iters,
              const std::string& impl) {
  if (impl.empty())
    unsetenv("OCTET_QIMPL");
  else
    setenv("OCTET_QIMPL", impl.c_str(), 1);
  Run r;
  std::unique_ptr<Kernel> kernel = backend.compile(node);
  unsetenv("OCTET_QIMPL");
  r.impl = kernel->impl_name();
  r.impl = r.impl.substr(0, r.impl.find(" ["));  // without the list of declined kernels
  auto ctx = backend.create_context();
  std::vector<uint8_t> host(in_bytes);
  std::mt19937 rng(1);
  if (node.input_type(0) == ElementType::kF32) {
    std::uniform_real_distribution<float> d(-1, 1);
    for (size_t i = 0; i < in_bytes / 4; ++i) reinterpret_cast<float*>(host.data())[i] = d(rng);
  } else {
    for (auto& b : host) b = static_cast<uint8_t>(rng());
  }
  void* in = backend.allocate(in_bytes);
  void* out = backend.allocate(out_bytes);
  backend.upload(*ctx, in, host.data(), in_bytes);
  std::vector<BufferView> ins(node.inputs.size()), outs = {{out, out_bytes}};
  ins[0] = {in, in_bytes};
  kernel->enqueue(*ctx, ins, outs);
  backend.finish(*ctx);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) {
    kernel->enqueue(*ctx, ins, outs);
    backend.finish(*ctx);
  }
  r.ms = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / iters * 1e3;
  backend.release(in);
  backend.release(out);
  return r;
}

// A QuantizedMatMul [M, K] x [N, K] codes (random), scales per channel or per group.
struct QNode {
  Graph graph;
  Node* node = nullptr;
  size_t weight_bytes = 0, in_bytes = 0, out_bytes = 0;
};

std::unique_ptr<QNode> quantized(int64_t M, int64_t N, int64_t K, ElementType wt, int64_t group,
                                 bool int_act) {
  auto q = std::make_unique<QNode>();
  const ElementType in_type = int_act ? ElementType::kI8 : ElementType::kF32;
  Node* x = q->graph.add(OpKind::kParameter, "x");
  x->outputs = {value(in_type, {M, K}, "x")};
  auto p = std::make_shared<QuantizedLinear>();
  p->base_op = OpKind::kMatMul;
  if (int_act) {
    ActivationQuant a;
    a.zero_point = 128;
    a.scale = 0.01f;
    p->input = a;
  }
  QuantizedWeights& w = p->weights;
  w.type = wt;
  w.output_channels = N;
  w.reduction = K;
  w.group_size = group;
  w.codes = Tensor(wt, {N, K});
  std::mt19937 rng(3);
  for (size_t i = 0; i < w.codes.byte_size(); ++i)
    w.codes.data_as<uint8_t>()[i] = static_cast<uint8_t>(rng());
  w.scale.assign(static_cast<size_t>(N * (group ? K / group : 1)), 0.01f);
  q->node = q->graph.add(OpKind::kQuantizedMatMul, "qmm");
  q->node->payload = p;
  q->node->inputs = {{x, 0}};
  q->node->outputs = {value(ElementType::kF32, {M, N}, "y")};
  q->weight_bytes = w.codes.byte_size();
  q->in_bytes = element_storage_bytes(in_type, M * K);
  q->out_bytes = static_cast<size_t>(M * N) * 4;
  return q;
}

std::unique_ptr<QNode> float_matmul(int64_t M, int64_t N, int64_t K) {
  auto q = std::make_unique<QNode>();
  Node* x = q->graph.add(OpKind::kParameter, "x");
  x->outputs = {value(ElementType::kF32, {M, K}, "x")};
  Tensor w(ElementType::kF32, {N, K});
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> d(-1, 1);
  for (int64_t i = 0; i < w.element_count(); ++i) w.data_as<float>()[i] = d(rng);
  Node* wc = q->graph.add_constant("w", w);
  q->node = q->graph.add(OpKind::kMatMul, "mm");
  q->node->attrs.set("transpose_a", "false");
  q->node->attrs.set("transpose_b", "true");
  q->node->inputs = {{x, 0}, {wc, 0}};
  infer_node(*q->node);
  q->weight_bytes = w.byte_size();
  q->in_bytes = static_cast<size_t>(M * K) * 4;
  q->out_bytes = static_cast<size_t>(M * N) * 4;
  return q;
}

// GB/s of the device copy kernel (bytes read + written) over `bytes`.
double copy_gbs(OpenClBackend& backend, size_t bytes, int iters) {
  ocl::ClKernel k = backend.make_kernel("qgemv_rows.cl", "-DFLOAT_W", "gemv_bench_copy");
  auto ctx = backend.create_context();
  cl_command_queue queue = static_cast<OpenClContext&>(*ctx).queue.get();
  void* src = backend.allocate(bytes);
  void* dst = backend.allocate(bytes);
  const cl_mem s = static_cast<cl_mem>(src), d = static_cast<cl_mem>(dst);
  const cl_int words = static_cast<cl_int>(bytes / 16);
  clSetKernelArg(k.get(), 0, sizeof(cl_mem), &s);
  clSetKernelArg(k.get(), 1, sizeof(cl_mem), &d);
  clSetKernelArg(k.get(), 2, sizeof(cl_int), &words);
  const size_t global = static_cast<size_t>((words + 3) / 4 + 255) / 256 * 256;
  auto once = [&] {
    ocl::check(clEnqueueNDRangeKernel(queue, k.get(), 1, nullptr, &global, nullptr, 0, nullptr, nullptr),
               "gemv_bench_copy");
    ocl::check(clFinish(queue), "clFinish");
  };
  once();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) once();
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / iters;
  backend.release(src);
  backend.release(dst);
  return 2.0 * static_cast<double>(bytes) / sec * 1e-9;
}

int run(int argc, char** argv) {
  std::string device = "GPU";
  int iters = 20;
  int64_t size = 4096;
  std::vector<int64_t> rows = {1, 4, 16};
  bool new_only = false;  // --new: only the GEMV family (geometry sweeps with $OCTET_QGEMV)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--device" && i + 1 < argc) {
      device = argv[++i];
    } else if (a == "--iters" && i + 1 < argc) {
      iters = std::atoi(argv[++i]);
    } else if (a == "--size" && i + 1 < argc) {
      size = std::atoll(argv[++i]);
    } else if (a == "--new") {
      new_only = true;
    } else if (a == "--rows" && i + 1 < argc) {
      rows.clear();
      std::stringstream ss(argv[++i]);
      std::string item;
      while (std::getline(ss, item, ',')) rows.push_back(std::atoll(item.c_str()));
    } else {
      std::fprintf(stderr,
                   "usage: gemv_bench [--device GPU] [--iters N] [--size 4096] [--rows 1,4,16] [--new]\n");
      return 2;
    }
  }
  auto backend = OpenClBackend::create(device);
  const bool cpu = backend->device().type == "CPU";
  std::printf("device: %s\n", backend->description().c_str());
  const double copy = copy_gbs(*backend, static_cast<size_t>(size * size), iters);
  std::printf("device copy kernel: %.2f GB/s (read + write of %lld MB)\n", copy,
              static_cast<long long>(size * size >> 20));
  std::printf("N = K = %lld; GB/s = weight bytes / time; %% of the copy kernel's GB/s\n",
              static_cast<long long>(size));
  std::printf("%-22s %3s  %-46s %9s %9s %7s\n", "weights", "M", "kernel", "ms", "GB/s", "%copy");
  struct Config {
    const char* name;
    ElementType type;
    int64_t group;
    bool int_act;
  };
  const Config configs[] = {
      {"int4 g32, int8 act", ElementType::kI4, 32, true},
      {"int4 g128, int8 act", ElementType::kI4, 128, true},
      {"int8 per-ch, int8 act", ElementType::kI8, 0, true},
      {"int4 g128, f32 act", ElementType::kI4, 128, false},
      {"int8 per-ch, f32 act", ElementType::kI8, 0, false},
  };
  auto row = [&](const char* name, int64_t m, const Run& r, size_t weight_bytes) {
    const double gbs = static_cast<double>(weight_bytes) / (r.ms * 1e-3) * 1e-9;
    std::printf("%-22s %3lld  %-46s %9.3f %9.2f %6.1f%%\n", name, static_cast<long long>(m), r.impl.c_str(),
                r.ms, gbs, 100.0 * gbs / copy);
    std::fflush(stdout);
  };
  for (const Config& c : configs)
    for (int64_t m : rows) {
      auto q = quantized(m, size, size, c.type, c.group, c.int_act);
      std::vector<std::string> impls;
      if (m <= 4 && !new_only) impls.push_back("gemv");             // the old GEMV (M <= 4)
      if (!new_only) impls.push_back(cpu ? "gemm" : "tiled,gemm");  // the choice before the GEMV family
      impls.push_back("gemv_rows");                                 // new
      for (const std::string& impl : impls)
        row(c.name, m, time_node(*backend, *q->node, q->in_bytes, q->out_bytes, iters, impl),
            q->weight_bytes);
    }
  for (int64_t m : rows) {
    auto q = float_matmul(m, size, size);
    setenv("OCTET_FGEMV", "0", 1);  // the GEMM
    if (!new_only)
      row("f32 weights", m, time_node(*backend, *q->node, q->in_bytes, q->out_bytes, iters, ""),
          q->weight_bytes);
    setenv("OCTET_FGEMV", "1", 1);  // the float GEMV, whatever the device's preference
    row("f32 weights", m, time_node(*backend, *q->node, q->in_bytes, q->out_bytes, iters, ""),
        q->weight_bytes);
    unsetenv("OCTET_FGEMV");
  }
  return 0;
}

}  // namespace
}  // namespace octet

int main(int argc, char** argv) {
  try {
    return octet::run(argc, argv);
  } catch (const octet::Error& e) {
    std::fprintf(stderr, "gemv_bench: %s\n", e.what());
    return 1;
  }
}
