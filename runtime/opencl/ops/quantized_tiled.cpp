// The tiled int8 GEMM core (kernels/qgemm_tiled.cl) for QuantizedMatMul and QuantizedConvolution:
// tile parameters per shape and device, weights repacked once into K-major words of 4 (8-bit) or
// 8 (4-bit) elements padded to whole tiles, split-K with a reduction pass when the output tiles
// cannot fill the device, and the shared epilogue of QuantizedLinearKernel.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>

#include "host/common/env.h"
#include "runtime/opencl/cache_entry.h"
#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_gemm_shape.h"
#include "runtime/opencl/ops/quantized_kernel.h"
#include "runtime/opencl/program_cache.h"
#include "runtime/opencl/tuning_store.h"

namespace octet {
using namespace qlinear;  // NOLINT: the shared pieces of this family
namespace {

constexpr const char* kTiledFile = "qgemm_tiled.cl";

// Hard limits of the node itself, before parameters.
std::string shape_limit(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  if (!q.input) return "f32 activations (weight-only): the core multiplies int8 codes";
  if (node.op == OpKind::kQuantizedConvolution) {
    const QConv2d c = qconv_of(node);
    if (c.depthwise) return "depthwise (one input channel per output): no reduction to tile, direct kernel";
  }
  const GemmShape s = gemm_shape(node);
  if (s.G > 1 && s.GS % (s.four_bit ? 8 : 4) != 0)
    return fmt::format("weight group size {} is not a multiple of {}", s.GS, s.four_bit ? 8 : 4);
  if (s.M * s.Ntot > kMaxKernelElements) return "output too large for 32-bit indices";
  return "";
}

// $OCTET_QTILE="MWG,NWG,KWG,MWI,NWI[,SPLIT]" (0 = default) fills the fields a caller left unset:
// the parameter override of tests and benchmarks.
TileParams env_params(TileParams p) {
  const char* env = std::getenv("OCTET_QTILE");
  if (env == nullptr) return p;
  int v[6] = {0, 0, 0, 0, 0, 0};
  std::sscanf(env, "%d,%d,%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
  int* f[6] = {&p.mwg, &p.nwg, &p.kwg, &p.mwi, &p.nwi, &p.split};
  for (int i = 0; i < 6; ++i)
    if (*f[i] == 0) *f[i] = v[i];
  return p;
}

TileParams fill(const GemmShape& s, const DeviceInfo& d, TileParams p) {
  p = env_params(p);
  // The largest candidate whose padding wastes at most 1/8 of the extent (weights stay compressed
  // on small layers), else the one that pads least.
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
  if (!p.mwg) p.mwg = s.M >= 64 ? 64 : s.M >= 32 ? 32 : 16;
  if (!p.nwg) p.nwg = pick(s.N, {64, 32, 16, 8, 4});
  if (!p.kwg) {
    p.kwg = s.four_bit ? pick(s.K, {32, 16, 8}) : pick(s.K, {32, 16, 8, 4});
    if (s.G > 1)  // a slice never straddles two weight groups
      while (p.kwg > (s.four_bit ? 8 : 4) && s.GS % p.kwg != 0) p.kwg /= 2;
  }
  const bool own_mwi = !p.mwi;
  if (!p.mwi) p.mwi = std::max(1, p.mwg / 16);
  if (!p.nwi) p.nwi = std::max(1, p.nwg / 16);
  // Fewer work-items per group where the device allows fewer (bigger register blocks).
  while (own_mwi && d.max_work_group > 0 &&
         static_cast<size_t>((p.mwg / p.mwi) * (p.nwg / p.nwi)) > d.max_work_group && p.mwi < p.mwg)
    p.mwi *= 2;
  if (!p.split) {
    p.split = 1;
    const int64_t tiles = (s.M + p.mwg - 1) / p.mwg * ((s.N + p.nwg - 1) / p.nwg) * s.groups;
    const int64_t slices = round_up(s.K, p.kwg) / p.kwg;
    const int64_t want = 2 * std::max(1, d.compute_units);
    if (s.G == 1 && s.groups == 1 && tiles < want && slices >= 2)
      p.split = static_cast<int>(std::min<int64_t>({(want + tiles - 1) / tiles, slices, 16}));
  }
  return p;
}

// Why `p` cannot run `s` on `d` ("" when it can).
std::string params_limit(const GemmShape& s, const DeviceInfo& d, const TileParams& p) {
  if (p.mwg <= 0 || p.nwg <= 0 || p.kwg <= 0 || p.mwi <= 0 || p.nwi <= 0 || p.split <= 0)
    return "non-positive tile parameter";
  if (p.mwg % p.mwi || p.nwg % p.nwi) return "tile not a multiple of the register block";
  if (p.nwg % 4) return fmt::format("NWG {} not a multiple of 4 (16-byte weight loads)", p.nwg);
  if (p.kwg % (s.four_bit ? 8 : 4))
    return fmt::format("KWG {} not a multiple of {}", p.kwg, s.four_bit ? 8 : 4);
  if (p.mwi * p.nwi > 64) return "register block above 64 accumulators";
  if (s.G > 1 && s.GS % p.kwg)
    return fmt::format("KWG {} does not divide the weight group size {}", p.kwg, s.GS);
  if (p.split > 1 && (s.G > 1 || s.groups > 1))
    return "split-K needs one weight group and one convolution group (float group sums keep their order)";
  const size_t threads = static_cast<size_t>((p.mwg / p.mwi) * (p.nwg / p.nwi));
  if (d.max_work_group > 0 && threads > d.max_work_group)
    return fmt::format("work-group of {} > device limit {}", threads, d.max_work_group);
  const size_t local = static_cast<size_t>(p.kwg / 4 * p.mwg + p.kwg / (s.four_bit ? 8 : 4) * p.nwg) * 4;
  if (d.local_memory > 0 && local > d.local_memory)
    return fmt::format("local memory {} B > device {} B", local, d.local_memory);
  return "";
}

// The tuner's key of a shape: everything the parameters and their legality depend on.
std::string shape_key(const GemmShape& s) {
  std::string k = fmt::format("{} M{} N{} K{} G{} GS{} g{} w{}{}", s.conv ? "conv" : "gemm", s.M, s.N, s.K,
                              s.G, s.GS, s.groups, s.four_bit ? 4 : 8, s.has_wzp ? "z" : "");
  if (s.conv) {
    const QConv2d& c = s.c;
    k += fmt::format(" x{}x{}x{} icg{} o{}x{} k{}x{} s{}x{} d{}x{} p{}x{}", c.N, c.H, c.W, c.C, c.OH, c.OW,
                     c.KH, c.KW, c.SH, c.SW, c.DH, c.DW, c.PH, c.PW);
  }
  return k;
}

// Tuned parameters for `s` on the backend's device, when a verified entry of the current kernel
// source names a legal set; *note says where the parameters came from.
std::optional<TileParams> tuned_params(const GemmShape& s, const OpenClBackend& b) {
  if (std::getenv("OCTET_QTILE") != nullptr) return std::nullopt;  // the override wins
  const DeviceInfo& d = b.device();
  const std::optional<TuningEntry> e =
      tuning_lookup(tuning_dir(b), {d.name, d.driver_version, tiled_source_hash(), shape_key(s)});
  if (!e) return std::nullopt;
  TileParams p{e->params[0], e->params[1], e->params[2], e->params[3], e->params[4], e->params[5]};
  if (!params_limit(s, d, p).empty()) return std::nullopt;  // stale: shipped defaults instead
  return p;
}

// The parameters a compile uses: the caller's, else tuned ones, else the default rule.
TileParams chosen_params(const GemmShape& s, const OpenClBackend& b, const TileParams& params, bool* tuned) {
  *tuned = false;
  const bool unset = !params.mwg && !params.nwg && !params.kwg && !params.mwi && !params.nwi && !params.split;
  if (unset)
    if (std::optional<TileParams> t = tuned_params(s, b)) {
      *tuned = true;
      return *t;
    }
  return fill(s, b.device(), params);
}

class TiledKernel : public QuantizedLinearKernel {
 public:
  TiledKernel(const Node& node, OpenClBackend& b, const GemmShape& s, const TileParams& p, bool tuned)
      : QuantizedLinearKernel(node, b), s_(s), p_(p) {
    const QuantizedLinear& q = quantized_params(node);
    const QuantizedWeights& w = q.weights;
    kp_ = round_up(s.K, p.kwg);
    np_ = round_up(s.N, p.nwg);
    mtiles_ = (s.M + p.mwg - 1) / p.mwg;
    ks_ = round_up((kp_ / p.kwg + p.split - 1) / p.split, 1) * p.kwg;
    split_ = static_cast<int>((kp_ + ks_ - 1) / ks_);  // no empty split
    codes_ = upload(pack_k_major_weights(node, s, kp_, np_));
    pad_code_ = q.input->zero_point - 128;
    const int a_load =
        s.a_load == 16 && p.kwg % 16 != 0 ? 4 : s.a_load;  // a 16-byte load per 16 of the slice
    std::string options = quantized_build_options(dot_, weight_kind(w.type), false);
    options +=
        fmt::format(" -DMWG={} -DNWG={} -DKWG={} -DMWI={} -DNWI={} -DA_LOAD={} -DHAS_WZP={} -DSPLIT={}",
                    p.mwg, p.nwg, p.kwg, p.mwi, p.nwi, a_load, s.has_wzp ? 1 : 0, split_);
    if (s.conv) {
      const QConv2d& c = s.c;
      options += fmt::format(
          " -DCONV -DQT_H={} -DQT_W={} -DQT_C={} -DQT_ICG={} -DQT_OH={} -DQT_OW={} -DQT_KW={} -DQT_SH={}"
          " -DQT_SW={} -DQT_DH={} -DQT_DW={} -DQT_PH={} -DQT_PW={}",
          c.H, c.W, c.C, c.ICg, c.OH, c.OW, c.KW, c.SH, c.SW, c.DH, c.DW, c.PH, c.PW);
    }
    kernel_ = make(kTiledFile, options, "qgemm_tiled");
    if (split_ > 1) reduce_ = make(kTiledFile, options, "qgemm_tiled_reduce");
    const char* op = node.op == OpKind::kQuantizedMatMul ? "qmatmul" : s.conv ? "qconv" : "qconv1x1";
    impl_ = fmt::format("ocl_{}_{}_tiled_{} {}", op, s.four_bit ? "int4" : "int8", dot_mode_name(dot_),
                        p.describe());
    if (split_ != p.split) impl_ += fmt::format(" (split {} used)", split_);
    if (tuned) impl_ += " tuned";
  }

  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const TileParams& p = p_;
    const int64_t mp = mtiles_ * p.mwg;
    cl_mem scratch = nullptr;
    if (split_ > 1) {  // per context: requests on other queues may run at the same time
      ocl::Mem& m = scratch_[&ctx];
      if (!m) m = backend_.create_buffer(static_cast<size_t>(split_ * mp * np_) * sizeof(cl_int));
      scratch = m.get();
    }
    cl_kernel k = kernel_.get();
    set_common(k, input(in, 0), codes_.get(), output(out, 0));
    arg_mem(k, 6, scratch);
    const int64_t gs = s_.G > 1 ? s_.GS : kp_;
    const cl_int v[11] = {cl_int(s_.M),    cl_int(s_.N), cl_int(s_.K),     cl_int(kp_),
                          cl_int(np_),     cl_int(s_.G), cl_int(gs),       cl_int(s_.P),
                          cl_int(s_.Ntot), cl_int(ks_),  cl_int(pad_code_)};
    for (int i = 0; i < 11; ++i) arg(k, 7 + i, &v[i], sizeof(cl_int));
    set_epilogue(k, 18, in);
    const size_t mdimc = p.mwg / p.mwi, ndimc = p.nwg / p.nwi;
    launch(ctx, k, {size_t(np_ / p.nwg) * ndimc, size_t(mtiles_) * mdimc, size_t(s_.groups * split_)},
           {ndimc, mdimc, 1}, 3);
    if (split_ > 1) {
      cl_kernel r = reduce_.get();
      arg_mem(r, 0, scale_.get());
      arg_mem(r, 1, corr_.get());
      arg_mem(r, 2, output(out, 0));
      arg_mem(r, 3, scratch);
      const cl_int rv[5] = {cl_int(s_.M), cl_int(s_.N), cl_int(mp), cl_int(np_), cl_int(s_.P)};
      for (int i = 0; i < 5; ++i) arg(r, 4 + i, &rv[i], sizeof(cl_int));
      set_epilogue(r, 9, in);
      launch(ctx, r, {size_t(s_.N), size_t(s_.M), 1}, 2);
    }
  }

 private:
  GemmShape s_;
  TileParams p_;
  int64_t kp_ = 0, np_ = 0, mtiles_ = 0, ks_ = 0, pad_code_ = 0;
  int split_ = 1;
  ocl::Mem codes_;
  ocl::ClKernel kernel_, reduce_;
  std::map<const ExecContext*, ocl::Mem> scratch_;
};

}  // namespace

std::string TileParams::describe() const {
  return fmt::format("m{}n{}k{} r{}x{}{}", mwg, nwg, kwg, mwi, nwi,
                     split > 1 ? fmt::format(" split{}", split) : "");
}

std::string tiled_limit(const Node& node, const OpenClBackend& backend) {
  std::string why = shape_limit(node);
  if (!why.empty()) return why;
  const GemmShape s = gemm_shape(node);
  bool tuned = false;
  return params_limit(s, backend.device(), chosen_params(s, backend, {}, &tuned));
}

TileParams resolve_tile_params(const Node& node, const OpenClBackend& backend, const TileParams& params) {
  bool tuned = false;
  return chosen_params(gemm_shape(node), backend, params, &tuned);
}

std::unique_ptr<Kernel> compile_quantized_tiled(const Node& node, OpenClBackend& backend,
                                                const TileParams& params) {
  std::string why = shape_limit(node);
  if (!why.empty()) raise(ErrorCode::kUnsupported, "{}: tiled int8 core: {}", node.describe(), why);
  const GemmShape s = gemm_shape(node);
  bool tuned = false;
  const TileParams p = chosen_params(s, backend, params, &tuned);
  why = params_limit(s, backend.device(), p);
  if (!why.empty())
    raise(ErrorCode::kUnsupported, "{}: tiled int8 core {}: {}", node.describe(), p.describe(), why);
  return std::make_unique<TiledKernel>(node, backend, s, p, tuned);
}

std::string tiled_shape_key(const Node& node) {
  return shape_key(gemm_shape(node));
}

std::string tiled_source_hash() {
  static const std::string hash = fmt::format("{:016x}", fnv1a64(load_kernel_source(kTiledFile)));
  return std::getenv("OCTET_KERNEL_DIR") ? fmt::format("{:016x}", fnv1a64(load_kernel_source(kTiledFile)))
                                         : hash;
}

std::string tuning_dir(const OpenClBackend& backend) {
  if (!backend.options().cache_dir.empty()) return backend.options().cache_dir;
  return env_string("OCTET_CACHE_DIR").value_or("");
}

std::vector<TileParams> tiled_candidates(const Node& node, const OpenClBackend& backend, std::string* note) {
  std::vector<TileParams> out;
  if (!shape_limit(node).empty()) return out;
  const GemmShape s = gemm_shape(node);
  const DeviceInfo& d = backend.device();
  const TileParams def = fill(s, d, {});
  auto pow2_at_least = [](int64_t v, int64_t lo) {
    int64_t p = lo;
    while (p < v) p *= 2;
    return p;
  };
  // Tiles no larger than the next power of two of the extent: bigger ones only pad.
  const int64_t max_m = pow2_at_least(s.M, 16), max_n = pow2_at_least(s.N, 8), max_k = pow2_at_least(s.K, 8);
  struct Scored {
    TileParams p;
    double score;
    int64_t groups;
  };
  std::vector<Scored> all;
  int64_t most_groups = 0;
  for (int mwg : {16, 32, 64, 128})
    for (int nwg : {8, 16, 32, 64, 128})
      for (int kwg : {8, 16, 32, 64})
        for (int mwi : {1, 2, 4, 8})
          for (int nwi : {1, 2, 4, 8})
            for (int split : {1, 2, 4, 8, 16}) {
              if (mwg > max_m || nwg > max_n || kwg > max_k) continue;
              const TileParams p{mwg, nwg, kwg, mwi, nwi, split};
              if (!params_limit(s, d, p).empty()) continue;
              const int threads = (mwg / mwi) * (nwg / nwi);
              if (threads < 4 || mwi * nwi > 32) continue;
              const int64_t slices = round_up(s.K, kwg) / kwg;
              // A split the kernel would shrink (no empty split) duplicates a smaller one.
              if (split > 1 &&
                  (slices + (slices + split - 1) / split - 1) / ((slices + split - 1) / split) != split)
                continue;
              const int64_t wgs = (s.M + mwg - 1) / mwg * ((s.N + nwg - 1) / nwg) * s.groups * split;
              // Prior: ~128 work-items, ~8 accumulators each, the default's K slice.
              const double score = std::abs(std::log2(threads) - 7) +
                                   0.5 * std::abs(std::log2(mwi * nwi) - 3) +
                                   0.25 * std::abs(std::log2(kwg) - std::log2(def.kwg)) + 0.25 * (split > 1);
              all.push_back({p, score, wgs});
              most_groups = std::max(most_groups, wgs);
            }
  // At least 2 work-groups per compute unit, or as many as any candidate reaches.
  const int64_t want = std::min<int64_t>(2 * std::max(1, d.compute_units), most_groups);
  std::stable_sort(all.begin(), all.end(),
                   [](const Scored& a, const Scored& b) { return a.score < b.score; });
  out.push_back(def);  // the default first: the baseline every winner must beat
  size_t dropped = 0;
  for (const Scored& c : all) {
    if (c.groups < want) {
      ++dropped;
      continue;
    }
    const TileParams& p = c.p;
    if (p.mwg == def.mwg && p.nwg == def.nwg && p.kwg == def.kwg && p.mwi == def.mwi && p.nwi == def.nwi &&
        p.split == def.split)
      continue;
    out.push_back(p);
  }
  if (note)
    *note =
        fmt::format("{} legal sets ({} with fewer than {} work-groups dropped)", out.size(), dropped, want);
  return out;
}

}  // namespace octet
