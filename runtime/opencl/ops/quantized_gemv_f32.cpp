// The f32-weight GEMV (kernels/qgemv_rows.cl, gemv_f32) for MatMul with a constant 2-D B and at
// most 16 rows: B repacked once into the interleaved 16-byte words of the GEMV family, as halves
// when every value is a half exactly (weights decompressed from f16: half the bytes, same values).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_gemv.h"

namespace octet {
namespace {

constexpr const char* kFile = "qgemv_rows.cl";

struct FloatShape {
  int64_t M = 0, N = 0, K = 0;
  bool transpose_b = false;
};

FloatShape float_shape(const Node& node) {
  FloatShape s;
  const Dims& a = node.input_shape(0);
  const Dims& b = node.input_shape(1);
  s.transpose_b = node.attr<MatMulAttrs>().transpose_b;
  s.K = a.empty() ? 0 : a.back();
  s.N = b.size() == 2 ? (s.transpose_b ? b[0] : b[1]) : 0;
  s.M = s.K > 0 ? element_count(a) / s.K : 0;
  return s;
}

bool all_halves(const Tensor& t) {
  const float* v = t.data_as<float>();
  for (int64_t i = 0; i < t.element_count(); ++i) {
    const float back = half_to_float(float_to_half(v[i]));
    if (std::memcmp(&back, &v[i], sizeof(float)) != 0) return false;
  }
  return true;
}

// $OCTET_QGEMV="WG,NPW,U,MR" fills unset fields, as for the compressed-weight kernel.
GemvParams fill(const FloatShape& s, const DeviceInfo& d, GemvParams p) {
  if (const char* env = std::getenv("OCTET_QGEMV")) {
    int v[4] = {0, 0, 0, 0};
    std::sscanf(env, "%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3]);
    int* f[4] = {&p.wg, &p.npw, &p.u, &p.mr};
    for (int i = 0; i < 4; ++i)
      if (*f[i] == 0) *f[i] = v[i];
  }
  if (!p.wg) p.wg = d.type == "CPU" ? 64 : 128;
  if (!p.npw) p.npw = 4;
  if (!p.u) p.u = 4;  // 16 floats per lane and chunk
  if (!p.mr) p.mr = s.M <= 4 ? 4 : 16;
  return p;
}

size_t local_bytes(const GemvParams& p, bool half) {
  const int64_t lk = p.wg / p.npw, kc = lk * p.u * (half ? 8 : 4);
  return static_cast<size_t>(p.mr * kc * 4 + p.npw * p.mr * lk * 4);
}

std::string params_limit(const FloatShape& s, const DeviceInfo& d, const GemvParams& p, bool half,
                         size_t kernel_wg = 0, size_t kernel_local = 0) {
  if (p.wg <= 0 || p.npw <= 0 || p.u <= 0 || p.mr <= 0) return "non-positive GEMV parameter";
  const int lk = p.wg / p.npw;
  if (p.wg % p.npw || (lk & (lk - 1)) != 0)
    return fmt::format("WG {} / NPW {} is not a power of two", p.wg, p.npw);
  if (p.npw * p.mr > p.wg) return fmt::format("NPW {} x MR {} owner lanes > WG {}", p.npw, p.mr, p.wg);
  if (s.M > p.mr) return fmt::format("{} rows > MR {}", s.M, p.mr);
  if (d.max_work_group > 0 && static_cast<size_t>(p.wg) > d.max_work_group)
    return fmt::format("work-group of {} > device limit {}", p.wg, d.max_work_group);
  if (kernel_wg > 0 && static_cast<size_t>(p.wg) > kernel_wg)
    return fmt::format("work-group of {} > kernel limit {}", p.wg, kernel_wg);
  const size_t local = std::max(local_bytes(p, half), kernel_local);
  if (d.local_memory > 0 && local > d.local_memory)
    return fmt::format("local memory {} B > device {} B", local, d.local_memory);
  return "";
}

std::string build_options(const DeviceInfo& d, const GemvParams& p, bool half) {
  return fmt::format("-DFLOAT_W{}{} -DGV_WG={} -DGV_NPW={} -DGV_U={} -DGV_MR={}", half ? " -DW_HALF" : "",
                     d.type == "CPU" ? "" : " -DGV_UNROLL", p.wg, p.npw, p.u, p.mr);
}

std::string node_limit(const Node& node) {
  Support sup = check_float_node(node, {0, 1});
  if (!sup.ok) return sup.reason;
  const Tensor* b = node.input_constant(1);
  if (b == nullptr) return "B is not a constant";
  if (node.input_shape(1).size() != 2) return "B is not 2-D";
  if (node.attr<MatMulAttrs>().transpose_a) return "transposed A";
  const FloatShape s = float_shape(node);
  if (s.K <= 0 || s.N <= 0) return "empty operand";
  if (s.M > kGemvRowsMax) return fmt::format("{} rows > {}", s.M, kGemvRowsMax);
  const int64_t kp = (s.K + 1023) / 1024 * 1024;
  if (((s.N + 63) / 64 * 64) * kp > kMaxKernelElements) return "too large for 32-bit indices";
  return "";
}

std::string shape_key(const FloatShape& s, bool half) {
  return fmt::format("gemv matmul_f32 M{} N{} K{} {}{}", s.M, s.N, s.K, half ? "w16" : "w32",
                     s.transpose_b ? " tb" : "");
}

// The parameters a compile uses: the caller's, else a verified tuner entry naming a legal set, else
// the default rule.
GemvParams chosen_params(const FloatShape& s, const OpenClBackend& b, const GemvParams& params, bool half,
                         bool* tuned) {
  *tuned = false;
  const DeviceInfo& d = b.device();
  if (!params.wg && !params.npw && !params.u && !params.mr)
    if (const std::optional<GemvParams> p = stored_gemv_params(b, shape_key(s, half));
        p && params_limit(s, d, *p, half).empty()) {
      *tuned = true;
      return *p;
    }
  return fill(s, d, params);
}

class FloatGemvKernel : public OclKernel {
 public:
  FloatGemvKernel(const Node& node, OpenClBackend& b, const FloatShape& s, const GemvParams& p, bool half,
                  bool tuned)
      : OclKernel(b, node, ""), s_(s), p_(p) {
    capture_constants(node, {0});  // a constant A (B is repacked below)
    const Tensor& bt = *node.input_constant(1);
    const float* bv = bt.data_as<float>();
    lk_ = p.wg / p.npw;
    const int64_t epw = half ? 8 : 4, ls = p.u * epw, kc = lk_ * ls, nb = (s.N + p.npw - 1) / p.npw;
    nc_ = (s.K + kc - 1) / kc;
    const int64_t words = nb * nc_ * p.npw * p.u * lk_;
    std::vector<uint16_t> h(half ? static_cast<size_t>(words * 8) : 0, 0);
    std::vector<float> f(half ? 0 : static_cast<size_t>(words * 4), 0.0f);
    for (int64_t n = 0; n < s.N; ++n)
      for (int64_t k = 0; k < s.K; ++k) {
        const int64_t c = k / kc, r = k % kc, lk = r / ls, u = (r % ls) / epw, e = r % epw;
        const int64_t word = (((n / p.npw * nc_ + c) * p.npw + n % p.npw) * p.u + u) * lk_ + lk;
        const float v = s.transpose_b ? bv[n * s.K + k] : bv[k * s.N + n];
        if (half)
          h[static_cast<size_t>(word * 8 + e)] = float_to_half(v);
        else
          f[static_cast<size_t>(word * 4 + e)] = v;
      }
    codes_ = half ? weights(h.data(), h.size() * 2) : weights(f.data(), f.size() * 4);
    kernel_ = make(kFile, build_options(b.device(), p, half), "gemv_f32");
    const DeviceInfo& d = b.device();  // explicit parameters: the built kernel's limits too
    const std::string why = params_limit(s, d, p, half, kernel_work_group_size(kernel_.get(), d.device),
                                         kernel_local_memory(kernel_.get(), d.device));
    if (!why.empty())
      raise(ErrorCode::kUnsupported, "{}: float GEMV {}: {}", node.describe(), p.describe(), why);
    impl_ =
        fmt::format("ocl_matmul_{}_gemv {}{}", half ? "f16w" : "f32", p.describe(), tuned ? " tuned" : "");
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_kernel k = kernel_.get();
    set_args(k, input(in, 0), codes_.get(), output(out, 0), cl_int(s_.M), cl_int(s_.N), cl_int(s_.K),
             cl_int(nc_));
    const size_t groups = static_cast<size_t>((s_.N + p_.npw - 1) / p_.npw);
    launch(ctx, k, {groups * p_.wg, 1, 1}, {size_t(p_.wg), 1, 1}, 1);
  }

 private:
  FloatShape s_;
  GemvParams p_;
  int64_t lk_ = 0, nc_ = 0;
  ocl::Mem codes_;
  ocl::ClKernel kernel_;
};

}  // namespace

std::string float_gemv_hard_limit(const Node& node, OpenClBackend& backend) {
  std::string why = node_limit(node);
  if (!why.empty()) return why;
  const FloatShape s = float_shape(node);
  const DeviceInfo& d = backend.device();
  const bool half = all_halves(*node.input_constant(1));
  bool tuned = false;
  const GemvParams p = chosen_params(s, backend, {}, half, &tuned);
  why = params_limit(s, d, p, half);
  if (!why.empty()) return why;
  ocl::ClKernel k = backend.make_kernel(kFile, build_options(d, p, half), "gemv_f32");
  return params_limit(s, d, p, half, kernel_work_group_size(k.get(), d.device),
                      kernel_local_memory(k.get(), d.device));
}

std::string float_gemv_limit(const Node& node, OpenClBackend& backend) {
  // $OCTET_FGEMV=0 / 1: never / whenever it can run (tests and benchmarks); else not on CPU devices,
  // where the 4x4 register GEMM measured faster (README, GEMV table). The cheap checks go first:
  // the hard limit builds the kernel.
  const char* env = std::getenv("OCTET_FGEMV");
  const std::string force = env ? env : "";
  if (force == "0") return "disabled by OCTET_FGEMV=0";
  if (!node_limit(node).empty()) return node_limit(node);
  if (force != "1" && backend.device().type == "CPU")
    return "CPU device: compute-bound here; the 4x4 register GEMM reuses each load better";
  return float_gemv_hard_limit(node, backend);
}

std::unique_ptr<Kernel> compile_float_gemv(const Node& node, OpenClBackend& backend,
                                           const GemvParams& params) {
  std::string why = node_limit(node);
  if (!why.empty()) raise(ErrorCode::kUnsupported, "{}: float GEMV: {}", node.describe(), why);
  const FloatShape s = float_shape(node);
  const bool half = all_halves(*node.input_constant(1));
  bool tuned = false;
  const GemvParams p = chosen_params(s, backend, params, half, &tuned);
  why = params_limit(s, backend.device(), p, half);
  if (!why.empty())
    raise(ErrorCode::kUnsupported, "{}: float GEMV {}: {}", node.describe(), p.describe(), why);
  return std::make_unique<FloatGemvKernel>(node, backend, s, p, half, tuned);
}

std::string float_gemv_shape_key(const Node& node) {
  return shape_key(float_shape(node), all_halves(*node.input_constant(1)));
}

std::vector<GemvParams> float_gemv_candidates(const Node& node, const OpenClBackend& backend) {
  std::vector<GemvParams> out;
  if (!node_limit(node).empty()) return out;
  const FloatShape s = float_shape(node);
  const DeviceInfo& d = backend.device();
  const bool half = all_halves(*node.input_constant(1));
  const GemvParams def = fill(s, d, {});
  if (params_limit(s, d, def, half).empty()) out.push_back(def);
  const int mr = s.M <= 4 ? 4 : s.M <= 8 ? 8 : 16;
  for (int wg : {32, 64, 128, 256})
    for (int npw : {1, 2, 4, 8, 16})
      for (int u : {1, 2, 4}) {
        const GemvParams p{wg, npw, u, mr};
        const bool is_default = p.wg == def.wg && p.npw == def.npw && p.u == def.u && p.mr == def.mr;
        if (!is_default && params_limit(s, d, p, half).empty()) out.push_back(p);
      }
  return out;
}

}  // namespace octet
