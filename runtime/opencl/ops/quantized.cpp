// The OpenCL int8 family: QuantizeActivation (f32 -> i8 codes), dispatch of the quantized linear
// ops, and the per-device DOT4 probe.
#include "runtime/opencl/ops/quantized.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

#include "host/graph/codes_ops.h"

namespace octet {
namespace {

// Float activations <-> i8 codes in kernels/quantized_activation.cl: one work-item per element,
// over (count) for the plain layout or (plane, C, N) between the plain [N, C, plane] and the
// channels-last [N, plane, C] layouts; three float arguments describe the grid.
class CodesLayoutKernel : public OclKernel {
 protected:
  // `plain`: the float side's shape [N, C, spatial...]; `kernels`: {plain, channels-last} names.
  CodesLayoutKernel(const Node& node, OpenClBackend& b, const Dims& plain, bool channels_last,
                    const std::string& impl, const char* const (&kernels)[2],
                    const std::array<float, 3>& grid)
      : OclKernel(b, node, "") {
    transpose_ = channels_last && plain.size() >= 3;
    count_ = element_count(plain);
    if (transpose_) {
      batch_ = plain[0];
      channels_ = plain[1];
      plane_ = batch_ * channels_ != 0 ? count_ / (batch_ * channels_) : 0;
    }
    grid_ = grid;
    impl_ = impl + (transpose_ ? "_channels_last" : "");
    kernel_ = make("quantized_activation.cl", "-cl-fp32-correctly-rounded-divide-sqrt", kernels[transpose_]);
  }

 public:
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), grid_[0], grid_[1], grid_[2]);
    if (transpose_) {
      launch(ctx, kernel_.get(), {size_t(plane_), size_t(channels_), size_t(batch_)}, 3);
    } else {
      launch(ctx, kernel_.get(), {size_t(count_), 1, 1}, 1);
    }
  }

 private:
  ocl::ClKernel kernel_;
  bool transpose_ = false;
  int64_t batch_ = 1, channels_ = 1, plane_ = 1, count_ = 0;
  std::array<float, 3> grid_{};
};

constexpr const char* kQuantizeKernels[2] = {"quantize_flat", "quantize_channels_last"};
constexpr const char* kDequantizeKernels[2] = {"dequantize_flat", "dequantize_channels_last"};

// The three grid arguments of each direction: (in_low, in_high, levels - 1) to quantize,
// (out_low, out_high - out_low computed in float as the reference does, levels - 1) to dequantize.
std::array<float, 3> quantize_grid(const ActivationQuant& q) {
  return {q.in_low, q.in_high, static_cast<float>(q.levels - 1)};
}
std::array<float, 3> dequantize_grid(const ActivationQuant& q) {
  return {q.out_low, q.out_high - q.out_low, static_cast<float>(q.levels - 1)};
}

// QuantizeActivation: f32 -> i8 codes.
class QuantizeActivationKernel : public CodesLayoutKernel {
 public:
  QuantizeActivationKernel(const Node& node, OpenClBackend& b)
      : CodesLayoutKernel(node, b, node.input_shape(0), quantize_params(node).channels_last,
                          "ocl_quantize_i8", kQuantizeKernels, quantize_grid(quantize_params(node).quant)) {
    capture_constants(node, {0});
  }
};

// CodesDequantize (host/graph/codes_ops.h): i8 codes to their grid's floats, channels-last codes
// back to the plain layout.
class CodesDequantizeKernel : public CodesLayoutKernel {
 public:
  CodesDequantizeKernel(const Node& node, OpenClBackend& b)
      : CodesLayoutKernel(node, b, node.outputs.at(0).shape, codes_dequantize_params(node).channels_last,
                          "ocl_dequantize_i8", kDequantizeKernels,
                          dequantize_grid(codes_dequantize_params(node).quant)) {}
};

Support supports_codes_dequantize(const Node& node) {
  Support s = check_static(node);
  if (!s.ok) return s;
  if (element_count(node.outputs.at(0).shape) > kMaxKernelElements)
    return Support::no("output too large for 32-bit indices");
  return Support::yes();
}

// A pooling window over channels-last codes [N, spatial..., C] as the kernels' 3-D int arguments
// (1-D and 2-D windows with leading 1s).
struct CodesWindow {
  cl_int in[3] = {1, 1, 1}, out[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1},
         p[3] = {0, 0, 0};
  int64_t batch = 1, channels = 1;
  CodesWindow(const ConvGeometry& w, const Dims& x) {
    const size_t spatial = w.kernel.size();
    for (size_t i = 0; i < spatial; ++i) {
      const size_t j = 3 - spatial + i;
      in[j] = static_cast<cl_int>(x[1 + i]);
      out[j] = static_cast<cl_int>(w.output[i]);
      k[j] = static_cast<cl_int>(w.kernel[i]);
      s[j] = static_cast<cl_int>(w.strides[i]);
      d[j] = static_cast<cl_int>(w.dilations.empty() ? 1 : w.dilations[i]);
      p[j] = static_cast<cl_int>(w.pads_begin[i]);
    }
    batch = x.front();
    channels = x.back();
  }
  size_t rows() const { return static_cast<size_t>(batch * out[0] * out[1]); }  // N * OD * OH
};

// CodesMaxPool (host/graph/codes_ops.h) over channels-last i8 codes: kernels/codes_pool.cl.
class CodesMaxPoolKernel : public OclKernel {
 public:
  CodesMaxPoolKernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, ""), w_(codes_max_pool_params(node).window, node.input_shape(0)) {
    impl_ = "ocl_codes_max_pool_nhwc";
    kernel_ = make("codes_pool.cl", "", "codes_max_pool");
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), w_.in[0], w_.in[1], w_.in[2], w_.out[0], w_.out[1],
             w_.k[0], w_.k[1], w_.k[2], w_.s[0], w_.s[1], w_.s[2], w_.d[0], w_.d[1], w_.d[2], w_.p[0],
             w_.p[1], w_.p[2]);
    launch(ctx, kernel_.get(), {size_t(w_.channels), size_t(w_.out[2]), w_.rows()}, 3);
  }

 private:
  ocl::ClKernel kernel_;
  CodesWindow w_;
};

// CodesAvgPool (host/graph/codes_ops.h): channels-last codes' floats averaged into plain floats,
// kernels/quantized_activation.cl (correctly rounded division, no contraction, as the reference).
class CodesAvgPoolKernel : public OclKernel {
 public:
  CodesAvgPoolKernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, ""),
        w_(codes_avg_pool_params(node).window, node.input_shape(0)),
        whole_(static_cast<cl_int>(codes_avg_pool_whole_divisor(codes_avg_pool_params(node)))),
        grid_(dequantize_grid(codes_avg_pool_params(node).quant)) {
    impl_ = "ocl_codes_avg_pool_nhwc";
    kernel_ = make("quantized_activation.cl", "-cl-fp32-correctly-rounded-divide-sqrt", "codes_avg_pool");
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), grid_[0], grid_[1], grid_[2], w_.in[0], w_.in[1],
             w_.in[2], w_.out[0], w_.out[1], w_.k[0], w_.k[1], w_.k[2], w_.s[0], w_.s[1], w_.s[2], w_.p[0],
             w_.p[1], w_.p[2], whole_);
    launch(ctx, kernel_.get(), {size_t(w_.out[2]), size_t(w_.channels), w_.rows()}, 3);
  }

 private:
  ocl::ClKernel kernel_;
  CodesWindow w_;
  cl_int whole_ = 0;
  std::array<float, 3> grid_{};
};

Support supports_codes_avg_pool(const Node& node) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const size_t spatial = codes_avg_pool_params(node).window.kernel.size();
  if (spatial < 1 || spatial > 3) return Support::no(fmt::format("{}-D codes pooling", spatial));
  if (element_count(node.input_shape(0)) > kMaxKernelElements ||
      element_count(node.outputs.at(0).shape) > kMaxKernelElements)
    return Support::no("tensor too large for 32-bit indices");
  return Support::yes();
}

Support supports_codes_max_pool(const Node& node) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const size_t spatial = codes_max_pool_params(node).window.kernel.size();
  if (spatial < 1 || spatial > 3) return Support::no(fmt::format("{}-D codes pooling", spatial));
  if (element_count(node.input_shape(0)) > kMaxKernelElements)
    return Support::no("input too large for 32-bit indices");
  return Support::yes();
}

Support supports_quantize_activation(const Node& node) {
  Support s = check_static(node);
  if (!s.ok) return s;
  if (node.input_type(0) != ElementType::kF32) return Support::no("QuantizeActivation input is not f32");
  const ActivationQuantize& p = quantize_params(node);
  if (p.quant.levels < 2 || p.quant.levels > 256) return Support::no("quantization levels outside 2..256");
  if (p.has_prologue()) return Support::no("folded BatchNorm/Relu prologue (a CPU-only fusion)");
  if (!p.channel_quant.empty()) return Support::no("per-channel ranges (a CPU-only fusion)");
  return Support::yes();
}

}  // namespace

size_t kernel_work_group_size(cl_kernel kernel, cl_device_id device) {
  size_t value = 0;
  if (clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, sizeof value, &value, nullptr) !=
      CL_SUCCESS)
    return 0;
  return value;
}

size_t kernel_local_memory(cl_kernel kernel, cl_device_id device) {
  cl_ulong value = 0;
  if (clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_LOCAL_MEM_SIZE, sizeof value, &value, nullptr) !=
      CL_SUCCESS)
    return 0;
  return static_cast<size_t>(value);
}

std::string gemv_device_limit(const DeviceInfo& device, size_t kernel_work_group, size_t kernel_local_bytes) {
  if (device.max_work_group < kGemvWorkGroupSize)
    return fmt::format("device work-group limit {} < {}", device.max_work_group, kGemvWorkGroupSize);
  if (kernel_work_group != 0 && kernel_work_group < kGemvWorkGroupSize)
    return fmt::format("kernel work-group limit {} < {}", kernel_work_group, kGemvWorkGroupSize);
  const size_t local = std::max(kernel_local_bytes, kGemvLocalBytes);
  if (device.local_memory < local)
    return fmt::format("device local memory {} B < {} B", device.local_memory, local);
  return "";
}

const char* dot_mode_name(DotMode mode) {
  switch (mode) {
    case DotMode::kPtxDp4a: return "dp4a";
    case DotMode::kKhr: return "khr_dot";
    case DotMode::kPlain: break;
  }
  return "plain";
}

namespace {

struct DotChoice {
  DotMode mode = DotMode::kPlain;
  std::string reason;
};

std::mutex g_dot_mutex;
std::map<std::pair<cl_device_id, std::string>, DotChoice> g_dot_probed;

// Runs `kernel` once on a profiling queue and returns its device time in microseconds.
double run_timed(OpenClBackend& b, ocl::Queue& q, cl_kernel k, size_t global) {
  cl_event ev = nullptr;
  ocl::check(clEnqueueNDRangeKernel(q.get(), k, 1, nullptr, &global, nullptr, 0, nullptr, &ev), "DOT4 probe");
  ocl::Event event(ev);
  ocl::check(clFinish(q.get()), "DOT4 probe");
  cl_ulong t0 = 0, t1 = 0;
  if (clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof t0, &t0, nullptr) != CL_SUCCESS ||
      clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1, nullptr) != CL_SUCCESS)
    return -1;
  (void)b;
  return static_cast<double>(t1 - t0) * 1e-3;
}

// Time of the dependent dot4_chain of `mode` (best of 3 after a warm-up), microseconds.
double chain_time(OpenClBackend& b, ocl::Queue& q, DotMode mode, cl_mem a, cl_mem out) {
  ocl::ClKernel k =
      b.make_kernel("dot4_probe.cl", fmt::format("-DOCTET_DOT={}", static_cast<int>(mode)), "dot4_chain");
  const cl_int iters = 512;
  ocl::check(clSetKernelArg(k.get(), 0, sizeof a, &a), "DOT4 probe");
  ocl::check(clSetKernelArg(k.get(), 1, sizeof out, &out), "DOT4 probe");
  ocl::check(clSetKernelArg(k.get(), 2, sizeof iters, &iters), "DOT4 probe");
  const size_t global = 1 << 16;
  run_timed(b, q, k.get(), global);
  double best = -1;
  for (int i = 0; i < 3; ++i) {
    const double t = run_timed(b, q, k.get(), global);
    if (t >= 0 && (best < 0 || t < best)) best = t;
  }
  return best;
}

DotChoice probe_dot(OpenClBackend& backend) {
  const DeviceInfo& d = backend.device();
  std::vector<std::pair<DotMode, std::string>> candidates;  // (mode, why it is a candidate)
  std::string declined;
  if (d.nv_compute_capability >= 61)
    candidates.emplace_back(DotMode::kPtxDp4a,
                            fmt::format("NVIDIA sm_{} (PTX dp4a)", d.nv_compute_capability));
  if (d.integer_dot_product && d.dot4_packed)
    candidates.emplace_back(DotMode::kKhr,
                            fmt::format("cl_khr_integer_dot_product with 4x8-bit packed inputs{}",
                                        d.dot4_packed_accelerated ? " (accelerated)" : ""));
  else if (d.integer_dot_product)
    declined = "cl_khr_integer_dot_product listed without the 4x8-bit packed capability";
  DotChoice choice;
  for (const auto& [mode, why] : candidates) {
    std::string refused;
    try {
      // The real program with signed and unsigned weights must build, and the probe be exact.
      for (int kind : {0, 1})
        backend.make_kernel("quantized_linear.cl", quantized_build_options(mode, kind, false), "qgemm");
      refused = dot4_probe(backend, mode);
      if (refused.empty()) {
        cl_int rc = CL_SUCCESS;
        ocl::Queue q(clCreateCommandQueue(backend.context(), d.device, CL_QUEUE_PROFILING_ENABLE, &rc));
        ocl::check(rc, "DOT4 probe queue");
        std::vector<uint32_t> host(256);
        for (size_t i = 0; i < host.size(); ++i) host[i] = static_cast<uint32_t>(i * 2654435761u);
        ocl::Mem a = backend.create_buffer(host.size() * 4, host.data());
        ocl::Mem out = backend.create_buffer((size_t{1} << 16) * 4);
        const double t = chain_time(backend, q, mode, a.get(), out.get());
        const double plain = chain_time(backend, q, DotMode::kPlain, a.get(), out.get());
        if (t > 0 && plain > 0 && t > 1.1 * plain)
          refused = fmt::format("slower than the plain path ({:.1f} us vs {:.1f} us)", t, plain);
        else if (t > 0 && plain > 0)
          choice.reason = fmt::format("{}: probe exact, {:.1f} us vs plain {:.1f} us", why, t, plain);
        else
          choice.reason = fmt::format("{}: probe exact (no profiling times)", why);
      }
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kKernelBuildFailed && e.code() != ErrorCode::kDevice) throw;
      refused = fmt::format("probe failed: {}", e.what());
    }
    if (refused.empty()) {
      choice.mode = mode;
      if (!declined.empty()) choice.reason += "; " + declined;
      return choice;
    }
    declined += fmt::format("{}{} declined: {}", declined.empty() ? "" : "; ", dot_mode_name(mode), refused);
  }
  choice.reason =
      declined.empty() ? "no int8 dot product (no cl_khr_integer_dot_product, not NVIDIA sm_61+)" : declined;
  return choice;
}

const DotChoice& dot_choice(OpenClBackend& backend) {
  const DeviceInfo& d = backend.device();
  std::lock_guard<std::mutex> lock(g_dot_mutex);
  auto key = std::make_pair(d.device, d.name + "\n" + d.driver_version);
  auto it = g_dot_probed.find(key);
  if (it == g_dot_probed.end()) it = g_dot_probed.emplace(key, probe_dot(backend)).first;
  return it->second;
}

}  // namespace

std::string dot4_probe(OpenClBackend& backend, DotMode mode) {
  // Extremes (-128, 127, 255 as unsigned) and pseudo-random words, on start values near the int32
  // limits (the sums must neither saturate nor wrap).
  std::vector<uint32_t> a, b;
  std::vector<int32_t> c;
  const uint32_t extremes[] = {0x80808080u, 0x7F7F7F7Fu, 0xFFFFFFFFu, 0x00000000u, 0x807F01FFu, 0x01020304u};
  for (uint32_t x : extremes)
    for (uint32_t y : extremes) a.push_back(x), b.push_back(y);
  uint32_t seed = 12345;
  while (a.size() < 64) {
    seed = seed * 1664525u + 1013904223u;
    a.push_back(seed);
    seed = seed * 1664525u + 1013904223u;
    b.push_back(seed);
  }
  for (size_t i = 0; i < a.size(); ++i)
    c.push_back(i % 3 == 0 ? 0 : i % 3 == 1 ? INT32_MAX - 4 * 128 * 255 : INT32_MIN + 4 * 128 * 255);
  std::vector<int32_t> want(2 * a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    int64_t ss = 0, su = 0;
    for (int j = 0; j < 4; ++j) {
      const int64_t x = static_cast<int8_t>(a[i] >> (8 * j)), ys = static_cast<int8_t>(b[i] >> (8 * j)),
                    yu = static_cast<uint8_t>(b[i] >> (8 * j));
      ss += x * ys;
      su += x * yu;
    }
    want[2 * i] = static_cast<int32_t>(c[i] + ss);
    want[2 * i + 1] = static_cast<int32_t>(c[i] + su);
  }
  ocl::ClKernel k = backend.make_kernel("dot4_probe.cl",
                                        fmt::format("-DOCTET_DOT={}", static_cast<int>(mode)), "dot4_probe");
  ocl::Mem ma = backend.create_buffer(a.size() * 4, a.data()),
           mb = backend.create_buffer(b.size() * 4, b.data());
  ocl::Mem mc = backend.create_buffer(c.size() * 4, c.data()), mo = backend.create_buffer(want.size() * 4);
  cl_mem args[4] = {ma.get(), mb.get(), mc.get(), mo.get()};
  for (cl_uint i = 0; i < 4; ++i)
    ocl::check(clSetKernelArg(k.get(), i, sizeof(cl_mem), &args[i]), "DOT4 probe");
  cl_int rc = CL_SUCCESS;
  ocl::Queue q(clCreateCommandQueue(backend.context(), backend.device().device, 0, &rc));
  ocl::check(rc, "DOT4 probe queue");
  const size_t global = a.size();
  ocl::check(clEnqueueNDRangeKernel(q.get(), k.get(), 1, nullptr, &global, nullptr, 0, nullptr, nullptr),
             "DOT4 probe");
  std::vector<int32_t> got(want.size());
  ocl::check(
      clEnqueueReadBuffer(q.get(), mo.get(), CL_TRUE, 0, got.size() * 4, got.data(), 0, nullptr, nullptr),
      "DOT4 probe");
  for (size_t i = 0; i < want.size(); ++i)
    if (got[i] != want[i])
      return fmt::format("{} of words {:08x}, {:08x} plus {} gave {}, expected {}",
                         i % 2 ? "DOT4_SU" : "DOT4_SS", a[i / 2], b[i / 2], c[i / 2], got[i], want[i]);
  return "";
}

DotMode dot_mode(OpenClBackend& backend) {
  return dot_choice(backend).mode;
}

std::string dot_mode_reason(OpenClBackend& backend) {
  return dot_choice(backend).reason;
}

Support supports_quantized(const Node& node, const OpenClBackend& backend) {
  if (node.op == OpKind::kQuantizeActivation) return supports_quantize_activation(node);
  if (node.op == OpKind::kCodesMaxPool) return supports_codes_max_pool(node);
  if (node.op == OpKind::kCodesAvgPool) return supports_codes_avg_pool(node);
  if (node.op == OpKind::kCodesDequantize) return supports_codes_dequantize(node);
  return supports_quantized_linear(node, backend);
}

std::unique_ptr<Kernel> compile_quantized(const Node& node, OpenClBackend& backend) {
  switch (node.op) {
    case OpKind::kQuantizeActivation: return std::make_unique<QuantizeActivationKernel>(node, backend);
    case OpKind::kCodesMaxPool: return std::make_unique<CodesMaxPoolKernel>(node, backend);
    case OpKind::kCodesAvgPool: return std::make_unique<CodesAvgPoolKernel>(node, backend);
    case OpKind::kCodesDequantize: return std::make_unique<CodesDequantizeKernel>(node, backend);
    case OpKind::kQuantizedMatMul: return compile_quantized_matmul(node, backend);
    case OpKind::kQuantizedConvolution: return compile_quantized_conv(node, backend);
    default: break;
  }
  raise(ErrorCode::kInternal, "{} is not an int8 op", node.describe());
}

}  // namespace octet
