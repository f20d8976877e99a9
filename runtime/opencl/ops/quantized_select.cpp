// Kernel choice of QuantizedMatMul / QuantizedConvolution on OpenCL: an ordered list of
// implementations, each with hard limits (the node or device cannot run it) and a device
// preference (it can, but another is better there); the first that accepts runs, and every
// refusal before it is reported with its reason. $OCTET_QIMPL puts named entries first and lifts
// their preference (tests exercise every implementation on every device that way).
#include <cstdlib>
#include <sstream>

#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_gemv.h"
#include "runtime/opencl/ops/quantized_kernel.h"
#include "runtime/opencl/ops/quantized_mma.h"

namespace octet {
using namespace qlinear;  // NOLINT: the shared pieces of this family
namespace {

struct Impl {
  const char* name;
  std::string (*limit)(const Node&, OpenClBackend&);             // "" = can run
  std::string (*preference)(const Node&, const OpenClBackend&);  // "" = preferred on this device
  std::unique_ptr<Kernel> (*make)(const Node&, OpenClBackend&);
};

bool cpu_device(const OpenClBackend& b) {
  return b.device().type == "CPU";
}

std::string none(const Node&, OpenClBackend&) {
  return "";
}
std::string anywhere(const Node&, const OpenClBackend&) {
  return "";
}

int64_t gemm_rows(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  if (node.op == OpKind::kQuantizedMatMul) return element_count(node.input_shape(0)) / q.weights.reduction;
  const QConv2d c = qconv_of(node);
  return c.N * c.H * c.W;
}

bool pointwise(const Node& node) {
  return node.op == OpKind::kQuantizedMatMul || qconv_of(node).pointwise;
}

// ---- gemv_rows: the bandwidth-bound GEMV family for <= 16 rows (quantized_gemv.cpp) ----
std::string gemv_rows_lim(const Node& n, OpenClBackend& b) {
  return gemv_rows_limit(n, b);
}
std::string gemv_rows_pref(const Node&, const OpenClBackend& b) {
  // Measured on PoCL (README, GEMV family): a CPU device is compute-bound here; the 4x4 register
  // GEMM reuses each load better on 8-bit weights and wins on the zoo's layer sizes (1.1-2.5x);
  // the GEMV only wins on large 4-bit layers (4096^2).
  return cpu_device(b) ? "CPU device: compute-bound; the 4x4 register GEMM is faster at these sizes" : "";
}
std::unique_ptr<Kernel> gemv_rows_make(const Node& n, OpenClBackend& b) {
  return compile_gemv_rows(n, b);
}

// ---- tiled: the local-memory GEMM core (GPUs) ----
std::string tiled_lim(const Node& n, OpenClBackend& b) {
  return tiled_limit(n, b);
}
std::string tiled_pref(const Node&, const OpenClBackend& b) {
  return cpu_device(b) ? "CPU device: local memory is emulated and barriers serialise the work-items; the "
                         "register-tiled kernels are faster here"
                       : "";
}
std::unique_ptr<Kernel> tiled_make(const Node& n, OpenClBackend& b) {
  return compile_quantized_tiled(n, b);
}

// ---- gemv: work-group reduction along K for at most kGemvMaxRows rows ----
std::string gemv_lim(const Node& n, OpenClBackend& b) {
  if (!pointwise(n)) return "not a GEMM (only 1x1 stride-1 unpadded convolutions are)";
  const int64_t rows = gemm_rows(n);
  if (rows > kGemvMaxRows) return fmt::format("{} rows > {}", rows, kGemvMaxRows);
  std::string why = gemv_device_limit(b.device());
  return why.empty() ? gemv_kernel_limit(n, b) : why;
}
std::string gemv_pref(const Node&, const OpenClBackend& b) {
  return cpu_device(b) ? "CPU device: work-group barriers are expensive; the 4x4 register GEMM is faster"
                       : "";
}
std::unique_ptr<Kernel> gemv_make(const Node& n, OpenClBackend& b) {
  return make_qgemm(n, b, true);
}

// ---- lanes: CPU-tuned convolutions (explicit int vectors over output channels) ----
std::string lanes_lim(const Node& n, OpenClBackend&) {
  return lanes_limit(n);
}
std::string lanes_pref(const Node&, const OpenClBackend& b) {
  return cpu_device(b) ? "" : "not a CPU device (these kernels vectorise over output channels for CPU SIMD)";
}
std::unique_ptr<Kernel> lanes_make(const Node& n, OpenClBackend& b) {
  return make_qconv(n, b, true);
}

// ---- gemm: 4x4 outputs per work-item, no local memory ----
std::string gemm_lim(const Node& n, OpenClBackend&) {
  return pointwise(n) ? "" : "not a GEMM (only 1x1 stride-1 unpadded convolutions are)";
}
std::unique_ptr<Kernel> gemm_make(const Node& n, OpenClBackend& b) {
  return make_qgemm(n, b, false);
}

// ---- direct: the portable direct, depthwise and float-activation convolutions ----
std::unique_ptr<Kernel> direct_make(const Node& n, OpenClBackend& b) {
  return make_qconv(n, b, false);
}

// ---- mma: tensor cores on NVIDIA sm_80+ (quantized_mma.cpp; declined with the probe's reason) ----
std::unique_ptr<Kernel> mma_make(const Node& n, OpenClBackend& b) {
  return compile_quantized_mma(n, b);
}

const std::vector<Impl>& matmul_list() {
  static const std::vector<Impl> list = {
      {"mma", mma_limit, mma_preference, mma_make},
      {"gemv_rows", gemv_rows_lim, gemv_rows_pref, gemv_rows_make},
      {"tiled", tiled_lim, tiled_pref, tiled_make},
      {"gemv", gemv_lim, gemv_pref, gemv_make},
      {"gemm", none, anywhere, gemm_make},
  };
  return list;
}

const std::vector<Impl>& conv_list() {
  static const std::vector<Impl> list = {
      {"mma", mma_limit, mma_preference, mma_make},
      {"gemv_rows", gemv_rows_lim, gemv_rows_pref, gemv_rows_make},
      {"tiled", tiled_lim, tiled_pref, tiled_make},
      {"lanes", lanes_lim, lanes_pref, lanes_make},
      {"gemv", gemv_lim, gemv_pref, gemv_make},
      {"gemm", gemm_lim, anywhere, gemm_make},
      {"direct", none, anywhere, direct_make},
  };
  return list;
}

const std::vector<Impl>& list_of(const Node& node) {
  return node.op == OpKind::kQuantizedMatMul ? matmul_list() : conv_list();
}

// $OCTET_QIMPL as names.
std::vector<std::string> forced_names() {
  std::vector<std::string> names;
  const char* env = std::getenv("OCTET_QIMPL");
  if (env == nullptr) return names;
  std::stringstream ss(env);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) names.push_back(item);
  return names;
}

// Walks the list (forced entries first); returns the chosen entry.
const Impl* walk(const Node& node, OpenClBackend& backend, QuantizedChoice& choice) {
  const std::vector<Impl>& list = list_of(node);
  std::vector<std::pair<const Impl*, bool>> order;  // (entry, forced)
  for (const std::string& name : forced_names())
    for (const Impl& impl : list)
      if (name == impl.name) order.emplace_back(&impl, true);
  for (const Impl& impl : list) order.emplace_back(&impl, false);
  for (const auto& [impl, forced] : order) {
    std::string why = impl->limit(node, backend);
    if (why.empty() && !forced) why = impl->preference(node, backend);
    if (why.empty()) {
      choice.chosen = impl->name;
      return impl;
    }
    bool seen = false;  // a forced entry refused once is not listed again
    for (const auto& r : choice.refused) seen = seen || r.first == impl->name;
    if (!seen) choice.refused.emplace_back(impl->name, why);
  }
  raise(ErrorCode::kInternal, "{}: no int8 OpenCL implementation accepted the node", node.describe());
}

// The kernel of the chosen entry, its impl_name extended by the refusals.
class ChosenKernel : public Kernel {
 public:
  ChosenKernel(std::unique_ptr<Kernel> inner, std::string note)
      : inner_(std::move(inner)), note_(std::move(note)) {}
  std::string impl_name() const override {
    return note_.empty() ? inner_->impl_name() : inner_->impl_name() + " [declined " + note_ + "]";
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    inner_->enqueue(ctx, in, out);
  }
  double last_time_us(const ExecContext& ctx) const override { return inner_->last_time_us(ctx); }

 private:
  std::unique_ptr<Kernel> inner_;
  std::string note_;
};

std::unique_ptr<Kernel> compile_chosen(const Node& node, OpenClBackend& backend) {
  QuantizedChoice choice;
  const Impl* impl = walk(node, backend, choice);
  return std::make_unique<ChosenKernel>(impl->make(node, backend), choice.describe());
}

}  // namespace

std::string QuantizedChoice::describe() const {
  std::string s;
  for (const auto& [name, why] : refused) s += (s.empty() ? "" : "; ") + name + ": " + why;
  return s;
}

std::vector<std::string> quantized_implementations(const Node& node) {
  std::vector<std::string> names;
  for (const Impl& impl : list_of(node)) names.push_back(impl.name);
  return names;
}

QuantizedChoice choose_quantized(const Node& node, OpenClBackend& backend) {
  QuantizedChoice choice;
  walk(node, backend, choice);
  return choice;
}

std::unique_ptr<Kernel> compile_quantized_matmul(const Node& node, OpenClBackend& backend) {
  return compile_chosen(node, backend);
}

std::unique_ptr<Kernel> compile_quantized_conv(const Node& node, OpenClBackend& backend) {
  return compile_chosen(node, backend);
}

}  // namespace octet
