// gemm_int8_bench: the OpenCL int8/int4 QuantizedMatMul kernels (GEMV and tiled GEMM paths) side
// by side with the fp32 OpenCL MatMul kernel on the same shapes: GOP/s, GB/s moved, and ratios.
//
//   gemm_int8_bench [--device GPU] [--iters 20] [--quick]
//   gemm_int8_bench --peak [--sizes 4096,1024] [--dp4a_lanes 64] [--mma_ops 0]
//       int8 GEMM TOP/s of the tiled DOT4 core vs the dp4a peak and, where the tensor-core path
//       runs (NVIDIA sm_80+ probe, or OCTET_MMA_EMULATE), of the mma path vs the tensor-core peak
//   gemm_int8_bench --copy [--copy_mib 1024]                      device-to-device copy GB/s
// --peak and --copy time with profiling events (median of --iters runs after a warm-up).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"
#include "runtime/opencl/opencl_backend.h"
#include "runtime/opencl/ops/quantized_mma.h"

namespace octet {
namespace {

struct Shape {
  int64_t M, K, N;
};

struct Timing {
  std::string impl;
  double ms = 0, gops = 0, gbs = 0;
  size_t weight_bytes = 0;
};

Value value(ElementType t, Dims shape, const std::string& name) {
  Value v;
  v.type = t;
  v.shape = std::move(shape);
  v.names = {name};
  return v;
}

Node* parameter(Graph& g, const std::string& name, ElementType t, Dims shape) {
  Node* p = g.add(OpKind::kParameter, name);
  p->outputs = {value(t, std::move(shape), name)};
  return p;
}

// Runs `node` (inputs 0 = activation of `in_type`) `iters` times after one warm-up; wall time per
// run with the queue drained each time.
Timing time_node(OpenClBackend& backend, const Node& node, ElementType in_type, const Shape& s, int iters,
                 size_t extra_weight_bytes_read) {
  Timing t;
  const size_t before = backend.weight_bytes();
  std::unique_ptr<Kernel> kernel = backend.compile(node);
  t.weight_bytes = backend.weight_bytes() - before;
  t.impl = kernel->impl_name();
  auto ctx = backend.create_context();
  const size_t in_bytes = element_storage_bytes(in_type, s.M * s.K);
  const size_t out_bytes = static_cast<size_t>(s.M * s.N) * 4;
  std::vector<uint8_t> host(in_bytes);
  std::mt19937 rng(1);
  if (in_type == ElementType::kF32) {
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
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / iters;
  backend.release(in);
  backend.release(out);
  t.ms = sec * 1e3;
  t.gops = 2.0 * static_cast<double>(s.M * s.N * s.K) / sec * 1e-9;
  t.gbs = static_cast<double>(extra_weight_bytes_read + in_bytes + out_bytes) / sec * 1e-9;
  return t;
}

Timing fp32_matmul(OpenClBackend& backend, const Shape& s, int iters) {
  Graph g;
  Node* x = parameter(g, "x", ElementType::kF32, {s.M, s.K});
  Tensor w(ElementType::kF32, {s.N, s.K});
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> d(-1, 1);
  for (int64_t i = 0; i < w.element_count(); ++i) w.data_as<float>()[i] = d(rng);
  Node* wc = g.add_constant("w", w);
  Node* mm = g.add(OpKind::kMatMul, "mm");
  mm->attrs.set("transpose_a", "false");
  mm->attrs.set("transpose_b", "true");
  mm->inputs = {{x, 0}, {wc, 0}};
  infer_node(*mm);
  return time_node(backend, *mm, ElementType::kF32, s, iters, w.byte_size());
}

Timing quantized_matmul(OpenClBackend& backend, const Shape& s, ElementType wt, int64_t group, bool int_act,
                        int iters) {
  Graph g;
  const ElementType in_type = int_act ? ElementType::kI8 : ElementType::kF32;
  Node* x = parameter(g, "x", in_type, {s.M, s.K});
  auto q = std::make_shared<QuantizedLinear>();
  q->base_op = OpKind::kMatMul;
  if (int_act) {
    ActivationQuant a;
    a.zero_point = 128;
    a.scale = 0.01f;
    q->input = a;
  }
  QuantizedWeights& w = q->weights;
  w.type = wt;
  w.output_channels = s.N;
  w.reduction = s.K;
  w.group_size = group;
  w.codes = Tensor(wt, {s.N, s.K});
  std::mt19937 rng(3);
  for (size_t i = 0; i < w.codes.byte_size(); ++i)
    w.codes.data_as<uint8_t>()[i] = static_cast<uint8_t>(rng());
  w.scale.assign(static_cast<size_t>(s.N * (group ? s.K / group : 1)), 0.01f);
  Node* mm = g.add(OpKind::kQuantizedMatMul, "qmm");
  mm->payload = q;
  mm->inputs = {{x, 0}};
  mm->outputs = {value(ElementType::kF32, {s.M, s.N}, "y")};
  return time_node(backend, *mm, in_type, s, iters, w.codes.byte_size());
}

void print(const char* label, const Timing& t, const Timing& base) {
  std::printf("  %-26s %-34s %9.3f ms %9.2f GOP/s %8.2f GB/s  x%.2f vs fp32  weights %.3f x fp32\n", label,
              t.impl.c_str(), t.ms, t.gops, t.gbs, base.ms / t.ms,
              static_cast<double>(t.weight_bytes) / static_cast<double>(base.weight_bytes));
}

// Median of `iters` profiled runs of `kernel` (microseconds), after one warm-up.
double profiled_us(OpenClBackend& backend, Kernel& kernel, ExecContext& ctx,
                   const std::vector<BufferView>& ins, const std::vector<BufferView>& outs, int iters) {
  kernel.enqueue(ctx, ins, outs);
  backend.finish(ctx);
  std::vector<double> t;
  for (int i = 0; i < iters; ++i) {
    kernel.enqueue(ctx, ins, outs);
    backend.finish(ctx);
    t.push_back(kernel.last_time_us(ctx));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// Dense int8 tensor-core operations per clock and SM (2 per multiply-add): A100 (sm_80) 624 TOP/s
// over 108 SMs at 1410 MHz = 4096; H100/H200 (sm_90) 1979 TOP/s over 132 SMs at 1830 MHz = 8192
// (reached only by wgmma; mma.sync runs below it); consumer Ampere/Ada (sm_86/89) 2048.
int mma_ops_per_clock(int cc) {
  return cc >= 90 ? 8192 : cc == 80 ? 4096 : 2048;
}

// int8 x int8 GEMMs of n x n x n: the tiled DOT4 core against the dp4a peak (compute units x clock
// x lanes x 8 ops: a dp4a is 4 multiply-adds; NVIDIA SMs since sm_61 issue 64 per clock,
// --dp4a_lanes otherwise), and the tensor-core path where it runs against the tensor-core peak
// (--mma_ops per clock and compute unit; 0 = by compute capability), in the same run.
void peak(OpenClBackend& backend, const std::vector<int64_t>& sizes, int lanes, int mma_ops, int iters) {
  cl_uint mhz = 0;
  clGetDeviceInfo(backend.device().device, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof mhz, &mhz, nullptr);
  const DeviceInfo& d = backend.device();
  const double peak_tops = d.compute_units * (mhz * 1e6) * lanes * 8.0 * 1e-12;
  std::printf("dp4a peak: %d compute units x %u MHz x %d lanes x 8 ops = %.1f TOP/s\n", d.compute_units, mhz,
              lanes, peak_tops);
  if (mma_ops == 0) mma_ops = mma_ops_per_clock(d.nv_compute_capability);
  const double mma_peak = d.compute_units * (mhz * 1e6) * mma_ops * 1e-12;
  const MmaVerdict verdict = mma_verdict(backend);
  std::printf("tensor-core peak: %d compute units x %u MHz x %d ops = %.1f TOP/s; mma path: %s%s\n",
              d.compute_units, mhz, mma_ops, mma_peak, verdict.reason.c_str(),
              mma_emulated() ? " (OCTET_MMA_EMULATE: emulated, timings meaningless)" : "");
  for (int64_t n : sizes) {
    Graph g;
    Node* x = parameter(g, "x", ElementType::kI8, {n, n});
    auto q = std::make_shared<QuantizedLinear>();
    q->base_op = OpKind::kMatMul;
    ActivationQuant a;
    a.zero_point = 128;
    a.scale = 0.01f;
    q->input = a;
    QuantizedWeights& w = q->weights;
    w.type = ElementType::kI8;
    w.output_channels = n;
    w.reduction = n;
    w.codes = Tensor(ElementType::kI8, {n, n});
    std::mt19937 rng(5);
    for (size_t i = 0; i < w.codes.byte_size(); ++i)
      w.codes.data_as<uint8_t>()[i] = static_cast<uint8_t>(rng());
    w.scale.assign(static_cast<size_t>(n), 0.01f);
    Node* mm = g.add(OpKind::kQuantizedMatMul, "qmm");
    mm->payload = q;
    mm->inputs = {{x, 0}};
    mm->outputs = {value(ElementType::kF32, {n, n}, "y")};
    auto ctx = backend.create_context();
    const size_t in_bytes = static_cast<size_t>(n * n), out_bytes = in_bytes * 4;
    std::vector<uint8_t> host(in_bytes);
    for (auto& b : host) b = static_cast<uint8_t>(rng());
    void* in = backend.allocate(in_bytes);
    void* out = backend.allocate(out_bytes);
    backend.upload(*ctx, in, host.data(), in_bytes);
    auto report = [&](Kernel& kernel, double peak, const char* what) {
      const double us = profiled_us(backend, kernel, *ctx, {{in, in_bytes}}, {{out, out_bytes}}, iters);
      const double tops = 2.0 * static_cast<double>(n) * n * n / (us * 1e-6) * 1e-12;
      std::printf("int8 GEMM %lldx%lldx%lld  %-48s %10.1f us %8.2f TOP/s %6.1f%% of %s peak\n",
                  static_cast<long long>(n), static_cast<long long>(n), static_cast<long long>(n),
                  kernel.impl_name().c_str(), us, tops, 100.0 * tops / peak, what);
    };
    // The DOT4 core explicitly: on an NVIDIA sm_80+ the kernel choice would take the mma path.
    report(*compile_quantized_tiled(*mm, backend), peak_tops, "dp4a");
    const std::string why = mma_limit(*mm, backend);
    if (why.empty())
      report(*compile_quantized_mma(*mm, backend), mma_peak, "tensor-core");
    else
      std::printf("int8 GEMM %lldx%lldx%lld  mma path declined: %s\n", static_cast<long long>(n),
                  static_cast<long long>(n), static_cast<long long>(n), why.c_str());
    backend.release(in);
    backend.release(out);
  }
}

// Device-to-device copy bandwidth: clEnqueueCopyBuffer of `mib` MiB, bytes read + written per second.
void copy_bandwidth(OpenClBackend& backend, size_t mib, int iters) {
  const size_t bytes = mib << 20;
  ocl::Mem src = backend.create_buffer(bytes), dst = backend.create_buffer(bytes);
  cl_int rc = CL_SUCCESS;
  ocl::Queue q(
      clCreateCommandQueue(backend.context(), backend.device().device, CL_QUEUE_PROFILING_ENABLE, &rc));
  ocl::check(rc, "queue");
  const cl_uchar zero = 0;
  ocl::check(clEnqueueFillBuffer(q.get(), src.get(), &zero, 1, 0, bytes, 0, nullptr, nullptr), "fill");
  std::vector<double> t;
  for (int i = 0; i <= iters; ++i) {
    cl_event ev = nullptr;
    ocl::check(clEnqueueCopyBuffer(q.get(), src.get(), dst.get(), 0, 0, bytes, 0, nullptr, &ev), "copy");
    ocl::Event e(ev);
    ocl::check(clFinish(q.get()), "copy");
    cl_ulong t0 = 0, t1 = 0;
    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof t0, &t0, nullptr);
    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1, nullptr);
    if (i > 0) t.push_back(static_cast<double>(t1 - t0) * 1e-9);  // the first is a warm-up
  }
  std::sort(t.begin(), t.end());
  const double sec = t[t.size() / 2];
  std::printf("device copy %zu MiB: %.3f ms, %.1f GB/s (read + write)\n", mib, sec * 1e3,
              2.0 * bytes / sec * 1e-9);
}

int run(int argc, char** argv) {
  std::string device = "GPU";
  int iters = 20;
  bool quick = false, peak_mode = false, copy_mode = false;
  std::vector<int64_t> sizes = {4096, 1024};
  int lanes = 64, mma_ops = 0;
  size_t copy_mib = 1024;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--peak") {
      peak_mode = true;
    } else if (a == "--copy") {
      copy_mode = true;
    } else if (a == "--sizes" && i + 1 < argc) {
      sizes.clear();
      std::stringstream ss(argv[++i]);
      std::string item;
      while (std::getline(ss, item, ',')) sizes.push_back(std::atoll(item.c_str()));
    } else if (a == "--dp4a_lanes" && i + 1 < argc) {
      lanes = std::atoi(argv[++i]);
    } else if (a == "--mma_ops" && i + 1 < argc) {
      mma_ops = std::atoi(argv[++i]);
    } else if (a == "--copy_mib" && i + 1 < argc) {
      copy_mib = static_cast<size_t>(std::atoll(argv[++i]));
    } else if (a == "--device" && i + 1 < argc)
      device = argv[++i];
    else if (a == "--iters" && i + 1 < argc)
      iters = std::atoi(argv[++i]);
    else if (a == "--quick")
      quick = true;
    else {
      std::fprintf(stderr,
                   "usage: gemm_int8_bench [--device GPU] [--iters N] [--quick | --peak [--sizes N,N] "
                   "[--dp4a_lanes L] [--mma_ops O] | --copy [--copy_mib M]]\n");
      return 2;
    }
  }
  if (peak_mode || copy_mode) {
    BackendOptions o;
    o.profiling = true;
    auto backend = OpenClBackend::create(device, o);
    std::printf("device: %s\n", backend->description().c_str());
    if (copy_mode) copy_bandwidth(*backend, copy_mib, iters);
    if (peak_mode) peak(*backend, sizes, lanes, mma_ops, iters);
    return 0;
  }
  auto backend = OpenClBackend::create(device);
  std::printf("device: %s\n", backend->description().c_str());
  const std::vector<Shape> shapes =
      quick ? std::vector<Shape>{{1, 1024, 1024}, {64, 512, 512}}
            : std::vector<Shape>{{1, 4096, 4096}, {4, 4096, 4096}, {256, 1024, 1024}};
  for (const Shape& s : shapes) {
    std::printf("M=%lld K=%lld N=%lld (%s path)\n", static_cast<long long>(s.M), static_cast<long long>(s.K),
                static_cast<long long>(s.N), s.M <= 4 ? "GEMV" : "GEMM");
    const Timing base = fp32_matmul(*backend, s, iters);
    print("fp32 MatMul", base, base);
    print("int8 w x int8 act", quantized_matmul(*backend, s, ElementType::kI8, 0, true, iters), base);
    print("int8 w x f32 act", quantized_matmul(*backend, s, ElementType::kI8, 0, false, iters), base);
    print("int4 w g128 x f32 act", quantized_matmul(*backend, s, ElementType::kI4, 128, false, iters), base);
    print("uint4 w g32 x int8 act", quantized_matmul(*backend, s, ElementType::kU4, 32, true, iters), base);
  }
  return 0;
}

}  // namespace
}  // namespace octet

int main(int argc, char** argv) {
  try {
    return octet::run(argc, argv);
  } catch (const octet::Error& e) {
    std::fprintf(stderr, "gemm_int8_bench: %s\n", e.what());
    return 1;
  }
}
