// The tensor-core int8 GEMM (kernels/qgemm_mma.cl) for QuantizedMatMul and QuantizedConvolution on
// NVIDIA sm_80+: the device probe (kernels/mma_probe.cl), tile parameters per shape, the weights
// repacked as for the tiled core (K-major words of 4 / 8 elements padded to whole tiles), and the
// shared epilogue of QuantizedLinearKernel. See quantized_mma.h.
#include "runtime/opencl/ops/quantized_mma.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <mutex>

#include "host/common/env.h"
#include "runtime/opencl/ops/quantized_gemm_shape.h"
#include "runtime/opencl/ops/quantized_kernel.h"

namespace octet {
using namespace qlinear;  // NOLINT: the shared pieces of this family
namespace {

constexpr const char* kMmaFile = "qgemm_mma.cl";
constexpr const char* kProbeFile = "mma_probe.cl";

std::string shape_limit(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  if (!q.input) return "f32 activations (weight-only): the MMA multiplies int8 codes";
  if (node.op == OpKind::kQuantizedConvolution && qconv_of(node).depthwise)
    return "depthwise (one input channel per output): no reduction to tile, direct kernel";
  const GemmShape s = gemm_shape(node);
  if (s.G > 1 && s.GS % 32 != 0)
    return fmt::format("weight group size {} is not a multiple of 32 (the MMA's K step)", s.GS);
  if (s.M * s.Ntot > kMaxKernelElements) return "output too large for 32-bit indices";
  return "";
}

MmaParams env_params(MmaParams p) {
  const char* env = std::getenv("OCTET_MMA_TILE");
  if (env == nullptr) return p;
  int v[5] = {0, 0, 0, 0, 0};
  std::sscanf(env, "%d,%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3], &v[4]);
  int* f[5] = {&p.mwg, &p.nwg, &p.kwg, &p.tm, &p.tn};
  for (int i = 0; i < 5; ++i)
    if (*f[i] == 0) *f[i] = v[i];
  return p;
}

MmaParams fill(const GemmShape& s, MmaParams p) {
  p = env_params(p);
  auto pick = [](int64_t extent, std::initializer_list<int> candidates) {
    int best = 0;
    int64_t best_pad = 0;
    for (int c : candidates) {
      const int64_t pad = round_up(extent, c) - extent;
      if (pad * 8 <= extent) return c;
      if (best == 0 || pad < best_pad) best = c, best_pad = pad;
    }
    return best;
  };
  const bool big = s.M >= 128 && s.N >= 128;  // 8 warps of 4x4 MMA tiles: 128x128 per work-group
  if (!p.mwg) p.mwg = big ? 128 : s.M >= 64 ? 64 : s.M >= 32 ? 32 : 16;
  if (!p.nwg) p.nwg = big ? 128 : pick(s.N, {64, 32, 16, 8});
  if (!p.kwg) {  // 64 only where it pads no more than the MMA's K step of 32 does (weight bytes)
    p.kwg = round_up(s.K, 64) == round_up(s.K, 32) ? 64 : 32;
    if (s.G > 1 && s.GS % p.kwg != 0) p.kwg = 32;
  }
  if (!p.tm) p.tm = p.mwg >= 128 ? 4 : p.mwg >= 32 ? 2 : 1;
  if (!p.tn) p.tn = std::max(1, std::min(4, p.nwg / 8));
  return p;
}

std::string params_limit(const GemmShape& s, const DeviceInfo& d, const MmaParams& p) {
  if (p.mwg <= 0 || p.nwg <= 0 || p.kwg <= 0 || p.tm <= 0 || p.tn <= 0) return "non-positive tile parameter";
  if (p.mwg % (16 * p.tm)) return fmt::format("MWG {} not a multiple of 16 x TM {}", p.mwg, p.tm);
  if (p.nwg % (8 * p.tn)) return fmt::format("NWG {} not a multiple of 8 x TN {}", p.nwg, p.tn);
  if (p.kwg % 32) return fmt::format("KWG {} not a multiple of 32 (the MMA's K step)", p.kwg);
  if (p.tm * p.tn > 32) return "more than 32 MMA tiles per warp";
  if (s.G > 1 && s.GS % p.kwg)
    return fmt::format("KWG {} does not divide the weight group size {}", p.kwg, s.GS);
  const size_t threads = static_cast<size_t>((p.mwg / (16 * p.tm)) * (p.nwg / (8 * p.tn)) * 32);
  if (d.max_work_group > 0 && threads > d.max_work_group)
    return fmt::format("work-group of {} > device limit {}", threads, d.max_work_group);
  const size_t warps = threads / 32;
  const size_t local =
      static_cast<size_t>(p.mwg * (p.kwg / 4 + 4) + p.kwg / (s.four_bit ? 8 : 4) * (p.nwg + 8)) * 4 +
      (mma_emulated() ? warps * 32 * 6 * 4 : 0);
  if (d.local_memory > 0 && local > d.local_memory)
    return fmt::format("local memory {} B > device {} B", local, d.local_memory);
  return "";
}

// ---- the device verdict ----
std::mutex g_verdict_mutex;
std::map<std::pair<cl_device_id, std::string>, MmaVerdict> g_verdicts;

// First non-empty line of a build error's log ("...; log:<log>").
std::string first_log_line(const std::string& what) {
  size_t at = what.find("log:");
  std::string log = at == std::string::npos ? what : what.substr(at + 4);
  size_t b = 0;
  while (b < log.size()) {
    size_t e = log.find('\n', b);
    if (e == std::string::npos) e = log.size();
    std::string line = log.substr(b, e - b);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    size_t lead = line.find_first_not_of(' ');
    if (lead != std::string::npos) return line.substr(lead);
    b = e + 1;
  }
  return what;
}

std::string emulate_option(bool emulate) {
  return emulate ? " -DOCTET_MMA_EMULATE" : "";
}

MmaVerdict probe_device(OpenClBackend& b) {
  const DeviceInfo& d = b.device();
  MmaVerdict v;
  const bool nvidia = d.nv_compute_capability > 0 || d.vendor.find("NVIDIA") != std::string::npos;
  if (!nvidia) {
    v.reason = "not an NVIDIA device";
    return v;
  }
  if (d.nv_compute_capability < 80) {
    v.reason =
        d.nv_compute_capability
            ? fmt::format("NVIDIA sm_{}: mma.sync m16n8k32 with int8 needs sm_80+", d.nv_compute_capability)
            : "NVIDIA device without cl_nv_device_attribute_query: compute capability unknown";
    return v;
  }
  try {
    v.reason = mma_probe(b, false);
    if (v.reason.empty()) {
      // The GEMM program itself must build too (both weight signednesses, zero-point sums).
      for (int kind : {0, 1})
        b.make_kernel(kMmaFile,
                      quantized_build_options(DotMode::kPlain, kind, false) +
                          " -DMWG=64 -DNWG=64 -DKWG=32 -DTM=2 -DTN=4 -DA_LOAD=16 -DHAS_WZP=1",
                      "qgemm_mma");
    }
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kKernelBuildFailed && e.code() != ErrorCode::kDevice) throw;
    v.reason =
        fmt::format("{} failed: {}", e.code() == ErrorCode::kKernelBuildFailed ? "kernel build" : "probe run",
                    first_log_line(e.what()));
  }
  if (!v.reason.empty()) return v;
  v.available = true;
  v.reason = fmt::format("NVIDIA sm_{}: mma.sync m16n8k32 s8 probe exact", d.nv_compute_capability);
  return v;
}

// ---- the kernel ----
class MmaKernel : public QuantizedLinearKernel {
 public:
  MmaKernel(const Node& node, OpenClBackend& b, const GemmShape& s, const MmaParams& p)
      : QuantizedLinearKernel(node, b), s_(s), p_(p) {
    const QuantizedLinear& q = quantized_params(node);
    const QuantizedWeights& w = q.weights;
    kp_ = round_up(s.K, p.kwg);
    np_ = round_up(s.N, p.nwg);
    mtiles_ = (s.M + p.mwg - 1) / p.mwg;
    // Weights as the tiled core packs them; an 8-bit word is one B fragment register.
    codes_ = upload(pack_k_major_weights(node, s, kp_, np_));
    pad_code_ = q.input->zero_point - 128;
    const bool emulate = mma_emulated();
    std::string options = quantized_build_options(DotMode::kPlain, weight_kind(w.type), false);
    options += fmt::format(
        " -DMWG={} -DNWG={} -DKWG={} -DTM={} -DTN={} -DA_LOAD={} -DHAS_WZP={} -DONE_GROUP={}{}", p.mwg, p.nwg,
        p.kwg, p.tm, p.tn, s.a_load, s.has_wzp ? 1 : 0, s.G == 1 ? 1 : 0, emulate_option(emulate));
    if (s.conv) {
      const QConv2d& c = s.c;
      options += fmt::format(
          " -DCONV -DQT_H={} -DQT_W={} -DQT_C={} -DQT_ICG={} -DQT_OH={} -DQT_OW={} -DQT_KW={} -DQT_SH={}"
          " -DQT_SW={} -DQT_DH={} -DQT_DW={} -DQT_PH={} -DQT_PW={}",
          c.H, c.W, c.C, c.ICg, c.OH, c.OW, c.KW, c.SH, c.SW, c.DH, c.DW, c.PH, c.PW);
    }
    kernel_ = make(kMmaFile, options, "qgemm_mma");
    threads_ = static_cast<size_t>((p.mwg / (16 * p.tm)) * (p.nwg / (8 * p.tn)) * 32);
    const char* op = node.op == OpKind::kQuantizedMatMul ? "qmatmul" : s.conv ? "qconv" : "qconv1x1";
    impl_ = fmt::format("ocl_{}_{}_mma_m16n8k32{} {}", op, s.four_bit ? "int4" : "int8",
                        emulate ? "_emulated" : "", p.describe());
  }

  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_kernel k = kernel_.get();
    set_common(k, input(in, 0), codes_.get(), output(out, 0));
    const int64_t gs = s_.G > 1 ? s_.GS : kp_;
    const cl_int v[10] = {cl_int(s_.M), cl_int(s_.N), cl_int(s_.K), cl_int(kp_),     cl_int(np_),
                          cl_int(s_.G), cl_int(gs),   cl_int(s_.P), cl_int(s_.Ntot), cl_int(pad_code_)};
    for (int i = 0; i < 10; ++i) arg(k, 6 + i, &v[i], sizeof(cl_int));
    set_epilogue(k, 16, in);
    launch(ctx, k, {size_t(np_ / p_.nwg) * threads_, size_t(mtiles_), size_t(s_.groups)}, {threads_, 1, 1},
           3);
  }

 private:
  GemmShape s_;
  MmaParams p_;
  int64_t kp_ = 0, np_ = 0, mtiles_ = 0, pad_code_ = 0;
  size_t threads_ = 32;
  ocl::Mem codes_;
  ocl::ClKernel kernel_;
};

}  // namespace

std::string MmaParams::describe() const {
  return fmt::format("m{}n{}k{} t{}x{}", mwg, nwg, kwg, tm, tn);
}

bool mma_emulated() {
  return env_flag("OCTET_MMA_EMULATE");
}

std::string mma_probe(OpenClBackend& backend, bool emulate, const std::string& extra) {
  // A: rows of -128, of 127, alternating extremes and pseudo-random bytes; B: columns of -128
  // (128 unsigned), 127, -1 (255), alternating and random; C near both int32 limits, so that
  // a saturating or narrower accumulator shows.
  uint8_t a[16][32], b[8][32];  // b column-major: b[n][k]
  int32_t c[16][8];
  uint32_t seed = 2024;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u, static_cast<uint8_t>(seed >> 24); };
  for (int r = 0; r < 16; ++r)
    for (int k = 0; k < 32; ++k)
      a[r][k] = r % 4 == 0 ? 0x80 : r % 4 == 1 ? 0x7F : r % 4 == 2 ? ((k + r) % 2 ? 0x80 : 0x7F) : next();
  for (int n = 0; n < 8; ++n)
    for (int k = 0; k < 32; ++k)
      b[n][k] = n == 0 ? 0x80 : n == 1 ? 0x7F : n == 2 ? 0xFF : n == 3 ? (k % 2 ? 0x80 : 0xFF) : next();
  const int32_t margin = 32 * 128 * 255;
  for (int r = 0; r < 16; ++r)
    for (int n = 0; n < 8; ++n)
      c[r][n] = (r + n) % 3 == 0 ? 0 : (r + n) % 3 == 1 ? INT32_MAX - margin : INT32_MIN + margin;
  std::vector<int32_t> want(256);
  for (int v = 0; v < 2; ++v)
    for (int r = 0; r < 16; ++r)
      for (int n = 0; n < 8; ++n) {
        int64_t sum = c[r][n];
        for (int k = 0; k < 32; ++k)
          sum += int64_t{static_cast<int8_t>(a[r][k])} *
                 (v == 0 ? int64_t{static_cast<int8_t>(b[n][k])} : int64_t{b[n][k]});
        want[static_cast<size_t>(v * 128 + r * 8 + n)] = static_cast<int32_t>(sum);
      }
  ocl::ClKernel k;
  try {
    k = backend.make_kernel(kProbeFile, emulate_option(emulate) + (extra.empty() ? "" : " " + extra),
                            "mma_probe");
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kKernelBuildFailed) throw;
    return "probe build failed: " + first_log_line(e.what());
  }
  ocl::Mem ma = backend.create_buffer(sizeof a, a), mb = backend.create_buffer(sizeof b, b);
  ocl::Mem mc = backend.create_buffer(sizeof c, c), md = backend.create_buffer(want.size() * 4);
  cl_mem args[4] = {ma.get(), mb.get(), mc.get(), md.get()};
  for (cl_uint i = 0; i < 4; ++i)
    ocl::check(clSetKernelArg(k.get(), i, sizeof(cl_mem), &args[i]), "mma probe");
  cl_int rc = CL_SUCCESS;
  ocl::Queue q(clCreateCommandQueue(backend.context(), backend.device().device, 0, &rc));
  ocl::check(rc, "mma probe queue");
  const size_t global = 32, local = 32;
  ocl::check(clEnqueueNDRangeKernel(q.get(), k.get(), 1, nullptr, &global, &local, 0, nullptr, nullptr),
             "mma probe");
  std::vector<int32_t> got(want.size());
  ocl::check(
      clEnqueueReadBuffer(q.get(), md.get(), CL_TRUE, 0, got.size() * 4, got.data(), 0, nullptr, nullptr),
      "mma probe");
  for (size_t i = 0; i < want.size(); ++i)
    if (got[i] != want[i])
      return fmt::format("probe result wrong at ({},{}) of the {} product: {}, expected {}", i % 128 / 8,
                         i % 8, i < 128 ? "s8 x s8" : "s8 x u8", got[i], want[i]);
  return "";
}

MmaVerdict mma_verdict(OpenClBackend& backend) {
  const DeviceInfo& d = backend.device();
  std::lock_guard<std::mutex> lock(g_verdict_mutex);
  auto key = std::make_pair(d.device, d.name + "\n" + d.driver_version);
  auto it = g_verdicts.find(key);
  if (it == g_verdicts.end()) it = g_verdicts.emplace(key, probe_device(backend)).first;
  return it->second;
}

std::string mma_limit(const Node& node, OpenClBackend& backend) {
  if (!mma_emulated()) {
    const MmaVerdict v = mma_verdict(backend);
    if (!v.available) return v.reason;
  }
  std::string why = shape_limit(node);
  if (!why.empty()) return why;
  const GemmShape s = gemm_shape(node);
  return params_limit(s, backend.device(), fill(s, {}));
}

std::string mma_preference(const Node& node, const OpenClBackend& backend) {
  (void)backend;
  if (mma_emulated())
    return "emulated tensor-core MMA (OCTET_MMA_EMULATE, for tests): used only when OCTET_QIMPL names mma";
  const GemmShape s = gemm_shape(node);
  if (s.M <= 16) return fmt::format("{} rows: the GEMV family reads the weights once at full bandwidth", s.M);
  // Small reductions (few input channels) pad to the MMA's K step of 32: more weight bytes and
  // wasted MMAs on layers that are not compute-bound; the DOT4 core pads to 4.
  if ((round_up(s.K, 32) - s.K) * 4 > s.K)
    return fmt::format("K = {} pads to {} (the MMA's K step): the DOT4 core wastes less", s.K,
                       round_up(s.K, 32));
  return "";
}

MmaParams resolve_mma_params(const Node& node, const OpenClBackend& backend, const MmaParams& params) {
  (void)backend;
  return fill(gemm_shape(node), params);
}

std::unique_ptr<Kernel> compile_quantized_mma(const Node& node, OpenClBackend& backend,
                                              const MmaParams& params) {
  if (!mma_emulated()) {
    const MmaVerdict v = mma_verdict(backend);
    if (!v.available)
      raise(ErrorCode::kUnsupported, "{}: tensor-core int8 GEMM: {}", node.describe(), v.reason);
  }
  std::string why = shape_limit(node);
  if (!why.empty()) raise(ErrorCode::kUnsupported, "{}: tensor-core int8 GEMM: {}", node.describe(), why);
  const GemmShape s = gemm_shape(node);
  const MmaParams p = fill(s, params);
  why = params_limit(s, backend.device(), p);
  if (!why.empty())
    raise(ErrorCode::kUnsupported, "{}: tensor-core int8 GEMM {}: {}", node.describe(), p.describe(), why);
  return std::make_unique<MmaKernel>(node, backend, s, p);
}

}  // namespace octet
