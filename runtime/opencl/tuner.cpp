// The int8 tuner (see tuner.h): candidates from tiled_candidates / gemv_candidates (the legality
// filters), timings from profiling events, each winner bit-exact against evaluate_quantized_linear.
#include "runtime/opencl/tuner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "host/reference/evaluate.h"
#include "host/reference/quantized_linear.h"
#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_gemv.h"
#include "runtime/opencl/tuning_store.h"

namespace octet {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool quantized_linear(const Node& n) {
  return n.op == OpKind::kQuantizedMatMul || n.op == OpKind::kQuantizedConvolution;
}

// Host inputs of one node (random int8 codes, random f32 residual) and their device buffers.
class Bench {
 public:
  Bench(OpenClBackend& b, const Node& node) : b_(b), node_(node), ctx_(b.create_context()) {
    std::mt19937 rng(1234);
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      Tensor t(node.input_type(i), node.input_shape(i));
      if (const Tensor* c = node.input_constant(i)) {  // a float MatMul's B: the kernel holds it
        t = *c;
      } else if (t.type() == ElementType::kF32) {
        std::uniform_real_distribution<float> d(-2, 2);
        for (int64_t e = 0; e < t.element_count(); ++e) t.data_as<float>()[e] = d(rng);
      } else {
        for (size_t e = 0; e < t.byte_size(); ++e) t.data_as<uint8_t>()[e] = static_cast<uint8_t>(rng());
      }
      ocl::Mem m = b.create_buffer(t.byte_size());
      b.upload(*ctx_, m.get(), t.data(), t.byte_size());
      in_views_.push_back({m.get(), t.byte_size()});
      in_mem_.push_back(std::move(m));
      inputs_.push_back(std::move(t));
    }
    const Value& y = node.outputs.at(0);
    out_bytes_ = element_storage_bytes(y.type, element_count(y.shape));
    out_ = b.create_buffer(out_bytes_);
  }

  // Median device time of `runs` launches after one warm-up (microseconds).
  double time(Kernel& k, int runs) {
    std::vector<BufferView> outs = {{out_.get(), out_bytes_}};
    k.enqueue(*ctx_, in_views_, outs);
    b_.finish(*ctx_);
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
      k.enqueue(*ctx_, in_views_, outs);
      b_.finish(*ctx_);
      t.push_back(k.last_time_us(*ctx_));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
  }

  // "" when `k`'s output equals the integer reference bit for bit (integer activations), or lies
  // within the float bound of the reference (float activations of weight-only layers: float sums in
  // another order), else the first difference.
  std::string check(Kernel& k) {
    // NaN / code -1: an unwritten output cannot pass the exact check. The float bound lets codes
    // sit one level apart, so there a second poison (code 85) must pass too: no code is within
    // one level of both.
    std::string why = check_with_poison(k, 0xFF);
    if (why.empty() && !(quantized_linear(node_) && quantized_params(node_).input))
      why = check_with_poison(k, 0x55);
    return why;
  }

  std::string check_with_poison(Kernel& k, uint8_t byte) {
    const Value& y = node_.outputs.at(0);
    std::vector<uint8_t> poison(out_bytes_, byte);
    b_.upload(*ctx_, out_.get(), poison.data(), out_bytes_);
    std::vector<BufferView> outs = {{out_.get(), out_bytes_}};
    k.enqueue(*ctx_, in_views_, outs);
    b_.finish(*ctx_);
    Tensor got(y.type, y.shape);
    b_.download(*ctx_, out_.get(), got.data(), out_bytes_);
    const bool quantized = quantized_linear(node_);
    if (reference_.empty()) {
      std::vector<const Tensor*> ptrs;
      for (const Tensor& t : inputs_) ptrs.push_back(&t);
      reference_ = quantized ? evaluate_quantized_linear(node_, ptrs) : evaluate_reference(node_, ptrs);
    }
    const Tensor& ref = reference_.at(0);
    if (!quantized || !quantized_params(node_).input) return within_float_bound(got, ref);
    // f32, or i8 codes when the node writes codes (QuantizedLinear::output_codes).
    const size_t width = element_storage_bytes(ref.type(), 1);
    const auto* r = static_cast<const uint8_t*>(ref.data());
    const auto* g = static_cast<const uint8_t*>(got.data());
    for (int64_t i = 0; i < ref.element_count(); ++i)
      if (std::memcmp(r + i * width, g + i * width, width) != 0)
        return fmt::format("y[{}] = {} but the integer reference gives {}", i, got.get_as_double(i),
                           ref.get_as_double(i));
    return "";
  }

  // compare's float rule with its default tolerances (1e-4 relative, 1e-4 absolute scaled by the
  // output's largest magnitude); codes of a float result may sit one level apart at a boundary.
  static std::string within_float_bound(const Tensor& got, const Tensor& ref) {
    double largest = 0;
    for (int64_t i = 0; i < ref.element_count(); ++i)
      largest = std::max(largest, std::fabs(ref.get_as_double(i)));
    const bool codes = ref.type() == ElementType::kI8;
    for (int64_t i = 0; i < ref.element_count(); ++i) {
      const double a = got.get_as_double(i), b = ref.get_as_double(i);
      const double tol = codes ? 1 : 1e-4 * std::fabs(b) + 1e-4 * largest;
      if (!(std::fabs(a - b) <= tol))
        return fmt::format("y[{}] = {} but the reference gives {} (float bound {})", i, a, b, tol);
    }
    return "";
  }

 private:
  OpenClBackend& b_;
  const Node& node_;
  std::unique_ptr<ExecContext> ctx_;
  std::vector<Tensor> inputs_, reference_;
  std::vector<ocl::Mem> in_mem_;
  std::vector<BufferView> in_views_;
  ocl::Mem out_;
  size_t out_bytes_ = 0;
};

// The implementation whose parameters are tuned for `node` ("tiled", "gemv_rows" or "float_gemv":
// what the kernel choice runs), or "" with *why.
std::string tuned_impl(const Node& node, OpenClBackend& backend, std::string* why) {
  if (node.op == OpKind::kMatMul) {  // chosen by matmul.cpp when its limit is ""
    if (node.input_constant(0)) return *why = "input 0 is a constant", "";
    *why = float_gemv_limit(node, backend);
    return why->empty() ? "float_gemv" : "";
  }
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (node.input_constant(i)) return *why = fmt::format("input {} is a constant", i), "";
  const QuantizedChoice choice = choose_quantized(node, backend);
  if (choice.chosen == "tiled" || choice.chosen == "gemv_rows") return choice.chosen;
  for (const auto& [name, reason] : choice.refused)
    if (name == "tiled") return *why = fmt::format("runs {} (tiled: {})", choice.chosen, reason), "";
  return *why = fmt::format("runs {}", choice.chosen), "";
}

// One parameter set to time: its description, its six stored integers, and its build.
struct Candidate {
  std::string what;
  int params[6] = {0, 0, 0, 0, 0, 0};
  std::function<std::unique_ptr<Kernel>()> compile;
};

std::vector<Candidate> candidates_for(const Node& node, OpenClBackend& backend, const TuneOptions& o,
                                      const std::string& impl) {
  std::vector<Candidate> out;
  if (impl == "float_gemv") {
    for (const GemvParams& p : float_gemv_candidates(node, backend)) {
      Candidate c;
      c.what = p.describe();
      gemv_params_to_entry(p, c.params);
      c.compile = [&node, &backend, &o, p] {
        return o.compile_float_gemv ? o.compile_float_gemv(node, backend, p)
                                    : compile_float_gemv(node, backend, p);
      };
      out.push_back(std::move(c));
    }
    return out;
  }
  if (impl == "gemv_rows") {
    for (const GemvParams& p : gemv_candidates(node, backend)) {
      Candidate c;
      c.what = p.describe();
      gemv_params_to_entry(p, c.params);
      c.compile = [&node, &backend, &o, p] {
        return o.compile_gemv ? o.compile_gemv(node, backend, p) : compile_gemv_rows(node, backend, p);
      };
      out.push_back(std::move(c));
    }
    return out;
  }
  std::string note;
  for (const TileParams& p : tiled_candidates(node, backend, &note)) {
    Candidate c;
    c.what = p.describe();
    const int v[6] = {p.mwg, p.nwg, p.kwg, p.mwi, p.nwi, p.split};
    std::copy(v, v + 6, c.params);
    c.compile = [&node, &backend, &o, p] {
      return o.compile ? o.compile(node, backend, p) : compile_quantized_tiled(node, backend, p);
    };
    out.push_back(std::move(c));
  }
  return out;
}

struct Timed {
  size_t index;  // into the candidates
  double us;
};

void tune_shape(const Node& node, OpenClBackend& backend, const TuneOptions& o, const std::string& impl,
                double budget_s, TuneRecord& r, std::vector<TuningEntry>& store) {
  const Clock::time_point start = Clock::now();
  const std::vector<Candidate> candidates = candidates_for(node, backend, o, impl);
  Bench bench(backend, node);
  const int runs = std::max(5, o.runs);
  std::vector<Timed> timed;
  std::string failures;
  for (size_t i = 0; i < candidates.size(); ++i) {
    // The default always runs; then as many as the budget (and the cap) allow.
    if (!timed.empty() && (seconds_since(start) >= budget_s ||
                           (o.max_candidates > 0 && r.candidates >= static_cast<size_t>(o.max_candidates))))
      break;
    ++r.candidates;
    try {
      std::unique_ptr<Kernel> k = candidates[i].compile();
      const double us = bench.time(*k, runs);
      if (us < 0) raise(ErrorCode::kInternal, "no profiling time for {}", candidates[i].what);
      timed.push_back({i, us});
      if (timed.size() == 1) r.default_us = us;
    } catch (const Error& e) {
      // A set the compiler or the device refuses (e.g. registers) is not a candidate.
      if (e.code() != ErrorCode::kKernelBuildFailed && e.code() != ErrorCode::kUnsupported &&
          e.code() != ErrorCode::kDevice && e.code() != ErrorCode::kOutOfDeviceMemory)
        throw;
      if (failures.empty()) failures = fmt::format("{}: {}", candidates[i].what, e.what());
    }
  }
  std::stable_sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) { return a.us < b.us; });
  std::string inexact;
  for (const Timed& t : timed) {
    const Candidate& c = candidates[t.index];
    std::unique_ptr<Kernel> k = c.compile();
    const std::string diff = bench.check(*k);
    if (!diff.empty()) {  // never store a set that is not exact; report it
      if (inexact.empty()) inexact = fmt::format("{}: {}", c.what, diff);
      continue;
    }
    r.best_us = t.us;
    r.params = c.what;
    r.status = t.index == 0 ? "default kept" : "tuned";
    if (!inexact.empty()) r.status += "; not exact, not stored: " + inexact;
    TuningEntry e;
    const DeviceInfo& dev = backend.device();
    e.key = {dev.name, dev.driver_version, impl == "tiled" ? tiled_source_hash() : gemv_source_hash(),
             r.shape};
    std::copy(c.params, c.params + 6, e.params);
    e.time_us = t.us;
    store.push_back(e);
    return;
  }
  r.status = timed.empty() ? "no candidate ran" + (failures.empty() ? "" : ": " + failures)
                           : "no exact winner: " + inexact;
}

}  // namespace

TuneReport tune_graph(const Graph& prepared, OpenClBackend& backend, const TuneOptions& o) {
  if (!backend.options().profiling)
    raise(ErrorCode::kInvalidArgument, "the tuner needs a backend created with profiling on");
  if (o.store && tuning_dir(backend).empty())
    raise(ErrorCode::kInvalidArgument,
          "no directory for tuning results: set cache_dir (or $OCTET_CACHE_DIR); they are stored next to the "
          "program cache");
  const Clock::time_point start = Clock::now();
  TuneReport report;
  std::map<std::string, size_t> by_shape;  // shape key -> record
  std::vector<const Node*> first;          // the node each record tunes
  std::vector<std::string> impls;          // its implementation ("" when skipped)
  for (const Node* node : prepared.topological_order()) {
    const bool float_matmul = node->op == OpKind::kMatMul && node->input_constant(1) != nullptr;
    if (!(quantized_linear(*node) || float_matmul) || !backend.supports(*node).ok) continue;
    std::string why;
    const std::string impl = tuned_impl(*node, backend, &why);
    // A float MatMul the float GEMV does not run has nothing to tune: not listed.
    if (float_matmul && impl.empty()) continue;
    const std::string key = impl == "gemv_rows"    ? gemv_shape_key(*node)
                            : impl == "float_gemv" ? float_gemv_shape_key(*node)
                                                   : tiled_shape_key(*node);
    auto it = by_shape.find(key);
    if (it != by_shape.end()) {
      ++report.records[it->second].nodes;
      continue;
    }
    by_shape.emplace(key, report.records.size());
    TuneRecord r;
    r.node = node->name;
    r.shape = key;
    r.nodes = 1;
    if (impl.empty()) r.status = "skipped: " + why;
    report.records.push_back(r);
    first.push_back(node);
    impls.push_back(impl);
  }
  std::vector<TuningEntry> store;
  for (size_t i = 0; i < report.records.size(); ++i) {
    TuneRecord& r = report.records[i];
    if (impls[i].empty()) continue;
    size_t left = 0;  // shapes still to tune share what remains of the budget
    for (size_t j = i; j < report.records.size(); ++j)
      left += !impls[j].empty() && report.records[j].status.empty();
    const double share =
        std::max(0.0, o.budget_s - seconds_since(start)) / static_cast<double>(std::max<size_t>(left, 1));
    tune_shape(*first[i], backend, o, impls[i], share, r, store);
  }
  if (o.store && !store.empty()) {
    tuning_store(tuning_dir(backend), store);
    report.file = tuning_file(tuning_dir(backend));
  }
  report.seconds = seconds_since(start);
  return report;
}

}  // namespace octet
