// The compressed-weight GEMV for M <= 16 rows (kernels/qgemv_rows.cl): geometry per node and
// device (overridable for tests and the tuner), weights repacked once into the interleaved
// 16-byte words the kernel reads, the group plan (which lanes and chunks share a weight group) and
// the limits it declines with.
#include "runtime/opencl/ops/quantized_gemv.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "runtime/opencl/cache_entry.h"
#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_kernel.h"
#include "runtime/opencl/program_cache.h"
#include "runtime/opencl/tuning_store.h"

namespace octet {
using namespace qlinear;  // NOLINT: the shared pieces of this family
namespace {

constexpr const char* kFile = "qgemv_rows.cl";

bool power_of_two(int64_t v) {
  return v > 0 && (v & (v - 1)) == 0;
}

// The GEMM the node is: M rows (pixels for a pointwise convolution, P per image), N x K weights.
struct GemvShape {
  int64_t M = 0, N = 0, K = 0, G = 1, GS = 0, P = 1;
  bool four_bit = false, a_float = false;
  std::string op;
};

GemvShape gemv_shape(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  const QuantizedWeights& w = q.weights;
  GemvShape s;
  s.N = w.output_channels;
  s.K = w.reduction;
  s.G = w.group_size ? w.reduction / w.group_size : 1;
  s.GS = w.group_size ? w.group_size : w.reduction;
  s.four_bit = is_four_bit(w.type);
  s.a_float = !q.input;
  if (node.op == OpKind::kQuantizedMatMul) {
    s.M = element_count(node.input_shape(0)) / s.K;
    s.op = "qmatmul";
  } else {
    const QConv2d c = qconv_of(node);
    s.M = c.N * c.H * c.W;
    s.P = c.H * c.W;
    s.op = "qconv1x1";
  }
  return s;
}

// Which chunks and lanes share a weight group (kernel arguments NC, CPG, LPG, GPP).
struct GroupPlan {
  int64_t lk = 0, ls = 0, kc = 0, nc = 0, cpg = 1, lpg = 1, gpp = 1;
  std::string why;  // "" when the group size fits the lane span and chunk
};

GroupPlan group_plan(const GemvShape& s, const GemvParams& p) {
  GroupPlan g;
  g.lk = p.wg / p.npw;
  g.ls = static_cast<int64_t>(p.u) * (s.four_bit ? 32 : 16);
  g.kc = g.lk * g.ls;
  g.nc = (s.K + g.kc - 1) / g.kc;
  if (s.G == 1) {  // one group: every lane of every chunk, reduced once at the end
    g.cpg = g.nc, g.lpg = g.lk, g.gpp = 1;
  } else if (s.GS % g.kc == 0) {  // a group spans whole chunks
    g.cpg = s.GS / g.kc, g.lpg = g.lk, g.gpp = 1;
  } else if (g.kc % s.GS == 0 && s.GS % g.ls == 0) {  // whole groups per chunk, LPG lanes each
    g.cpg = 1, g.lpg = s.GS / g.ls, g.gpp = g.lk / g.lpg;
  } else {
    g.why = fmt::format("weight group size {} does not fit the {}-element lane span and {}-element chunk",
                        s.GS, g.ls, g.kc);
  }
  return g;
}

size_t local_bytes(const GemvShape& s, const GemvParams& p) {
  const GroupPlan g = group_plan(s, p);
  return static_cast<size_t>(p.mr * g.kc * (s.a_float ? 4 : 1) + p.npw * p.mr * g.lk * 4);
}

// $OCTET_QGEMV="WG,NPW,U,MR" (0 = default) fills the fields a caller left unset.
GemvParams env_params(GemvParams p) {
  const char* env = std::getenv("OCTET_QGEMV");
  if (env == nullptr) return p;
  int v[4] = {0, 0, 0, 0};
  std::sscanf(env, "%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3]);
  int* f[4] = {&p.wg, &p.npw, &p.u, &p.mr};
  for (int i = 0; i < 4; ++i)
    if (*f[i] == 0) *f[i] = v[i];
  return p;
}

// Default rule: 4 channels per work-group of 64 lanes (CPU devices) or 128 (GPUs: 32 lanes, a
// 512-byte coalesced run per channel and chunk), one word per lane, 4 or 16 rows; the work-group
// halves while the local memory would exceed half the device's.
GemvParams fill(const GemvShape& s, const DeviceInfo& d, GemvParams p) {
  p = env_params(p);
  const bool own_wg = !p.wg;
  if (!p.wg) p.wg = d.type == "CPU" ? 64 : 128;
  if (!p.npw) p.npw = 4;
  if (!p.u) p.u = 1;
  if (!p.mr) p.mr = s.M <= 4 ? 4 : 16;
  while (own_wg && p.wg > 4 * p.npw && d.local_memory > 0 && local_bytes(s, p) * 2 > d.local_memory)
    p.wg /= 2;
  while (own_wg && d.max_work_group > 0 && static_cast<size_t>(p.wg) > d.max_work_group && p.wg > p.npw)
    p.wg /= 2;
  return p;
}

// Why `p` cannot run `s` on `d` ("" when it can); kernel_wg / kernel_local are the built
// kernel's CL_KERNEL_WORK_GROUP_SIZE / CL_KERNEL_LOCAL_MEM_SIZE (0 = not known).
std::string params_limit(const GemvShape& s, const DeviceInfo& d, const GemvParams& p, size_t kernel_wg = 0,
                         size_t kernel_local = 0) {
  if (p.wg <= 0 || p.npw <= 0 || p.u <= 0 || p.mr <= 0) return "non-positive GEMV parameter";
  if (p.wg % p.npw || !power_of_two(p.wg / p.npw))
    return fmt::format("WG {} / NPW {} is not a power of two", p.wg, p.npw);
  if (p.npw * p.mr > p.wg) return fmt::format("NPW {} x MR {} owner lanes > WG {}", p.npw, p.mr, p.wg);
  if (s.M > p.mr) return fmt::format("{} rows > MR {}", s.M, p.mr);
  const GroupPlan g = group_plan(s, p);
  if (!g.why.empty()) return g.why;
  if (d.max_work_group > 0 && static_cast<size_t>(p.wg) > d.max_work_group)
    return fmt::format("work-group of {} > device limit {}", p.wg, d.max_work_group);
  if (kernel_wg > 0 && static_cast<size_t>(p.wg) > kernel_wg)
    return fmt::format("work-group of {} > kernel limit {}", p.wg, kernel_wg);
  const size_t local = std::max(local_bytes(s, p), kernel_local);
  if (d.local_memory > 0 && local > d.local_memory)
    return fmt::format("local memory {} B > device {} B", local, d.local_memory);
  const int64_t nb = (s.N + p.npw - 1) / p.npw;
  if (nb * p.npw * g.nc * g.kc > kMaxKernelElements || s.M * s.N * s.P > kMaxKernelElements)
    return "too large for 32-bit indices";
  return "";
}

// Rows unrolled (accumulators in registers) except on CPU devices, whose compilers take several
// times longer with it and keep arrays in memory anyway.
std::string build_options(const GemvShape& s, const DeviceInfo& d, DotMode dot, int w_kind,
                          const GemvParams& p) {
  return quantized_build_options(dot, w_kind, s.a_float) +
         fmt::format(" -DGV_WG={} -DGV_NPW={} -DGV_U={} -DGV_MR={}{}", p.wg, p.npw, p.u, p.mr,
                     d.type == "CPU" ? "" : " -DGV_UNROLL");
}

// Rows <= 16 of a GEMM (not a convolution window) with supported group sizes.
std::string shape_limit(const Node& node, const GemvShape& s) {
  if (node.op == OpKind::kQuantizedConvolution && !qconv_of(node).pointwise)
    return "not a GEMM (only 1x1 stride-1 unpadded convolutions are)";
  if (s.M > kGemvRowsMax) return fmt::format("{} rows > {}", s.M, kGemvRowsMax);
  return "";
}

std::string shape_key(const GemvShape& s) {
  return fmt::format("gemv {} M{} N{} K{} G{} GS{} P{} w{}{}", s.op, s.M, s.N, s.K, s.G, s.GS, s.P,
                     s.four_bit ? 4 : 8, s.a_float ? " af32" : "");
}

// Tuned parameters for `s` on the backend's device, when a verified entry of the current kernel
// source names a legal set.
std::optional<GemvParams> tuned_params(const GemvShape& s, const OpenClBackend& b) {
  const std::optional<GemvParams> p = stored_gemv_params(b, shape_key(s));
  if (!p || !params_limit(s, b.device(), *p).empty()) return std::nullopt;  // stale: the default rule
  return p;
}

// The parameters a compile uses: the caller's, else tuned ones, else the default rule.
GemvParams chosen_params(const GemvShape& s, const OpenClBackend& b, const GemvParams& params, bool* tuned) {
  *tuned = false;
  if (!params.wg && !params.npw && !params.u && !params.mr)
    if (std::optional<GemvParams> t = tuned_params(s, b)) {
      *tuned = true;
      return *t;
    }
  return fill(s, b.device(), params);
}

class GemvRowsKernel : public QuantizedLinearKernel {
 public:
  GemvRowsKernel(const Node& node, OpenClBackend& b, const GemvShape& s, const GemvParams& p, bool tuned)
      : QuantizedLinearKernel(node, b), s_(s), p_(p), g_(group_plan(s, p)) {
    const QuantizedWeights& w = quantized_params(node).weights;
    // Interleaved 16-byte words (kernels/qgemv_rows.cl): word (((b * NC + c) * NPW + nl) * U + u)
    // * LK + lk holds elements c * KC + lk * LS + u * EPW + e of channel b * NPW + nl.
    const int64_t epw = s.four_bit ? 32 : 16, nb = (s.N + p.npw - 1) / p.npw;
    std::vector<uint8_t> packed(static_cast<size_t>(nb * g_.nc * p.npw * p.u * g_.lk * 16), 0);
    for (int64_t n = 0; n < s.N; ++n)
      for (int64_t k = 0; k < s.K; ++k) {
        const int64_t c = k / g_.kc, r = k % g_.kc, lk = r / g_.ls, u = (r % g_.ls) / epw, e = r % epw;
        const int64_t word = (((n / p.npw * g_.nc + c) * p.npw + n % p.npw) * p.u + u) * g_.lk + lk;
        const auto v = static_cast<uint8_t>(code_at(w, n * s.K + k));
        uint8_t& byte = packed[static_cast<size_t>(word * 16 + e % 16)];
        if (s.four_bit)
          byte |= static_cast<uint8_t>((v & 15) << (e < 16 ? 0 : 4));
        else
          byte = v;
      }
    codes_ = upload(packed);
    kernel_ = make(kFile, build_options(s, b.device(), dot_, weight_kind(w.type), p), "qgemv_rows");
    // Explicit parameters (tests, the tuner) are checked against the built kernel's limits too.
    const DeviceInfo& d = b.device();
    const std::string why = params_limit(s, d, p, kernel_work_group_size(kernel_.get(), d.device),
                                         kernel_local_memory(kernel_.get(), d.device));
    if (!why.empty()) raise(ErrorCode::kUnsupported, "{}: GEMV {}: {}", node.describe(), p.describe(), why);
    impl_ = fmt::format("ocl_{}_{}{}_gemv_rows_{} {}{}", s.op, s.four_bit ? "int4" : "int8",
                        s.a_float ? "w_f32" : "", dot_mode_name(dot_), p.describe(), tuned ? " tuned" : "");
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_kernel k = kernel_.get();
    set_common(k, input(in, 0), codes_.get(), output(out, 0));
    const cl_int v[9] = {cl_int(s_.M),  cl_int(s_.N),   cl_int(s_.K),   cl_int(s_.G),  cl_int(s_.P),
                         cl_int(g_.nc), cl_int(g_.cpg), cl_int(g_.lpg), cl_int(g_.gpp)};
    for (int i = 0; i < 9; ++i) arg(k, 6 + i, &v[i], sizeof(cl_int));
    set_epilogue(k, 15, in);
    const size_t groups = static_cast<size_t>((s_.N + p_.npw - 1) / p_.npw);
    launch(ctx, k, {groups * p_.wg, 1, 1}, {size_t(p_.wg), 1, 1}, 1);
  }

 private:
  GemvShape s_;
  GemvParams p_;
  GroupPlan g_;
  ocl::Mem codes_;
  ocl::ClKernel kernel_;
};

}  // namespace

std::string GemvParams::describe() const {
  return fmt::format("wg{} npw{} u{} mr{}", wg, npw, u, mr);
}

GemvParams resolve_gemv_params(const Node& node, const OpenClBackend& backend, const GemvParams& params) {
  return fill(gemv_shape(node), backend.device(), params);
}

std::string gemv_rows_params_limit(const Node& node, const DeviceInfo& device, const GemvParams& params) {
  const GemvShape s = gemv_shape(node);
  std::string why = shape_limit(node, s);
  return why.empty() ? params_limit(s, device, fill(s, device, params)) : why;
}

std::string gemv_rows_limit(const Node& node, OpenClBackend& backend) {
  const GemvShape s = gemv_shape(node);
  std::string why = shape_limit(node, s);
  if (!why.empty()) return why;
  const DeviceInfo& d = backend.device();
  bool tuned = false;
  const GemvParams p = chosen_params(s, backend, {}, &tuned);
  why = params_limit(s, d, p);
  if (!why.empty()) return why;
  // The compiler may lower the work-group or raise the local memory below what the device
  // reports: ask the built kernel (cached; the same build the kernel then uses).
  const QuantizedLinear& q = quantized_params(node);
  ocl::ClKernel k = backend.make_kernel(
      kFile, build_options(s, d, dot_mode(backend), weight_kind(q.weights.type), p), "qgemv_rows");
  return params_limit(s, d, p, kernel_work_group_size(k.get(), d.device),
                      kernel_local_memory(k.get(), d.device));
}

std::unique_ptr<Kernel> compile_gemv_rows(const Node& node, OpenClBackend& backend,
                                          const GemvParams& params) {
  const GemvShape s = gemv_shape(node);
  std::string why = shape_limit(node, s);
  if (!why.empty()) raise(ErrorCode::kUnsupported, "{}: GEMV: {}", node.describe(), why);
  bool tuned = false;
  const GemvParams p = chosen_params(s, backend, params, &tuned);
  why = params_limit(s, backend.device(), p);
  if (!why.empty()) raise(ErrorCode::kUnsupported, "{}: GEMV {}: {}", node.describe(), p.describe(), why);
  return std::make_unique<GemvRowsKernel>(node, backend, s, p, tuned);
}

std::optional<GemvParams> stored_gemv_params(const OpenClBackend& b, const std::string& shape_key) {
  if (std::getenv("OCTET_QGEMV") != nullptr) return std::nullopt;  // the override wins
  const DeviceInfo& d = b.device();
  const std::optional<TuningEntry> e =
      tuning_lookup(tuning_dir(b), {d.name, d.driver_version, gemv_source_hash(), shape_key});
  if (!e) return std::nullopt;
  return GemvParams{e->params[0], e->params[1], e->params[2], e->params[3]};
}

std::string gemv_shape_key(const Node& node) {
  return shape_key(gemv_shape(node));
}

std::string gemv_source_hash() {
  static const std::string hash = fmt::format("{:016x}", fnv1a64(load_kernel_source(kFile)));
  return std::getenv("OCTET_KERNEL_DIR") ? fmt::format("{:016x}", fnv1a64(load_kernel_source(kFile))) : hash;
}

std::vector<GemvParams> gemv_candidates(const Node& node, const OpenClBackend& backend) {
  std::vector<GemvParams> out;
  const GemvShape s = gemv_shape(node);
  if (!shape_limit(node, s).empty()) return out;
  const DeviceInfo& d = backend.device();
  const GemvParams def = fill(s, d, {});
  if (params_limit(s, d, def).empty()) out.push_back(def);
  const int mr = s.M <= 4 ? 4 : s.M <= 8 ? 8 : 16;
  for (int wg : {32, 64, 128, 256})
    for (int npw : {1, 2, 4, 8, 16})
      for (int u : {1, 2}) {
        const GemvParams p{wg, npw, u, mr};
        const bool is_default = p.wg == def.wg && p.npw == def.npw && p.u == def.u && p.mr == def.mr;
        if (!is_default && params_limit(s, d, p).empty()) out.push_back(p);
      }
  return out;
}

void gemv_params_to_entry(const GemvParams& p, int (&params)[6]) {
  const int v[6] = {p.wg, p.npw, p.u, p.mr, 1, 1};  // the file holds positive integers only
  std::copy(v, v + 6, params);
}

}  // namespace octet
