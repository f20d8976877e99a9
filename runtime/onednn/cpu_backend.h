// Private to runtime/onednn: the CPU backend class, its per-request context and kernel helpers.
#pragma once

#include <atomic>
#include <dnnl.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/graph/op_attrs.h"
#include "runtime/backend.h"

// Compiles a hot element loop twice, for AVX2 and the baseline, picking one at load time: the build
// targets baseline x86-64. AVX2 alone brings no FMA, so no multiply-add gets contracted and every
// float operation rounds as written (the loops must stay bit-exact with the reference).
// clang (the sanitizer and fuzzer builds) cannot clone function templates: baseline only there.
// clang also emits clones of inline functions with external linkage (multiple definitions).
#if defined(__clang__)
#define OCTET_AVX2_CLONES
#define OCTET_AVX512_CLONES
#else
#define OCTET_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#define OCTET_AVX512_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

namespace octet {
namespace cpu {

// Memory-bound element loops (and oneDNN's element-wise, binary, reorder, softmax and pooling
// primitives) smaller than this many values run on one thread: below it, waking the OpenMP team
// costs more than it saves. On the shared 2-vCPU CI machine a team wake-up costs ~40 us, as much as
// one thread spends on ~250k floats (BERT-base's 128 x 768 element-wise steps got 3-7x slower on
// two threads with a 32k threshold).
constexpr int64_t kParallelElements = 1 << 18;
// The same for convolutions and matmuls, in multiply-adds (~30 us of int8 work on one core).
constexpr int64_t kParallelMacs = int64_t{1} << 23;
// int8 convolutions run on a team as one region of row shares (quantized_conv_kernel.cpp), which
// pays off far below kParallelMacs while the team spins between regions: at 2 threads densenet_int8
// 0.365 -> 0.272 ms, unet_int8 0.156 -> 0.127, googlenet_stem_int8 0.081 -> 0.063 with 2^19 (2^17:
// slower than 2^23 on all six small real models). oneDNN's own f32 convolutions got slower below
// 2^23 (densenet_fp32 0.77 -> 1.05 ms).
constexpr int64_t kParallelQuantizedConvMacs = int64_t{1} << 19;

// Quantized convolution epilogues (several float steps per value) run right after their oneDNN
// primitive's parallel region, while the team still spins, so they pay for threads much earlier
// (resnet50_int8 at 2 threads: faster with this than with kParallelElements; BERT's matmul
// epilogues were faster with kParallelElements).
constexpr int64_t kEpilogueParallelElements = 1 << 15;

// Threads an element loop of `elements` values uses: oneDNN's OpenMP count, or 1 below `threshold`.
int loop_threads(int64_t elements, int64_t threshold = kParallelElements);

// Runs body(i) for i in [0, n) on `threads` OpenMP threads, or as a plain loop for one thread: an
// OpenMP region costs libgomp 0.3-2 us per call even under `if (false)` (it still makes a team of
// one), as much as a whole small layer's epilogue.
template <class F>
void parallel_for(int threads, int64_t n, const F& body) {
  if (threads <= 1) {
    for (int64_t i = 0; i < n; ++i) body(i);
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t i = 0; i < n; ++i) body(i);
}

// While alive (and `on`), OpenMP regions this thread starts, oneDNN primitives it runs and the
// ones it creates (some fix their team size then) use a single thread.
class OneThreadTeam {
 public:
  explicit OneThreadTeam(bool on);
  ~OneThreadTeam();
  OneThreadTeam(const OneThreadTeam&) = delete;
  OneThreadTeam& operator=(const OneThreadTeam&) = delete;

 private:
  int saved_ = 0;  // the team size to restore; 0 when nothing was changed
};

// Per-request, per-kernel state (memory objects bound to that request's buffers, scratchpad),
// created on a kernel's first enqueue in a context and reused after, so later runs do not allocate.
struct KernelState {
  virtual ~KernelState() = default;
};

class CpuContext : public ExecContext {
 public:
  explicit CpuContext(const dnnl::engine& engine) : stream(engine) {}
  dnnl::stream stream;
  std::unordered_map<const Kernel*, std::unique_ptr<KernelState>> states;
};

class CpuBackend : public Backend {
 public:
  explicit CpuBackend(const BackendOptions& options);
  ~CpuBackend() override;

  std::string name() const override { return "CPU"; }
  std::string description() const override;
  bool is_host() const override { return true; }
  // The epilogue runs any post-op sequence (quantized_epilogue.h), FakeQuantize inside it included.
  // The convolution kernel writes channels-last codes itself, and its grouped form folds per-channel
  // activation scales into its weight scales.
  QuantizeOptions quantize_options() const override {
    return {/*fuse_across_fake_quantize=*/true, /*emit_codes=*/true, /*per_channel_inputs=*/true,
            /*fuse_quantize_prologue=*/true, /*requantize_codes=*/true};
  }
  Support supports(const Node& node) const override;
  std::unique_ptr<Kernel> compile(const Node& node) override;
  std::unique_ptr<ExecContext> create_context() override;
  void* allocate(size_t bytes) override;
  void release(void* handle) override;
  void* sub_buffer(void* allocation, size_t offset, size_t bytes) override;
  void upload(ExecContext& context, void* handle, const void* src, size_t bytes) override;
  void download(ExecContext& context, void* handle, void* dst, size_t bytes) override;
  void finish(ExecContext& context) override {}
  size_t weight_bytes() const override { return weight_bytes_.load(); }

  const dnnl::engine& engine() const { return engine_; }
  const BackendOptions& options() const { return options_; }
  void add_weight_bytes(size_t bytes) { weight_bytes_ += bytes; }

 private:
  std::unique_ptr<Kernel> compile_kernel(const Node& node);  // compile() without the team-size choice
  BackendOptions options_;
  dnnl::engine engine_;
  std::atomic<size_t> weight_bytes_{0};
  std::mutex mutex_;
  // Allocation -> references (itself plus its sub-buffers at offset 0, which share its address).
  std::unordered_map<void*, int> allocations_;
};

// Kernel factories, one per op family; each returns nullptr when oneDNN cannot compute the node
// exactly (types, attributes, shapes), and the node then runs on the reference evaluators.
std::unique_ptr<Kernel> make_conv_kernel(const Node& node, CpuBackend& backend);
// f32 Convolution with a window, and depthwise GroupConvolution, on oneDNN's jit code in the layout it
// picks, input and output reordered in the kernel (blocked_conv_kernel.cpp); nullptr where oneDNN
// would use gemm or its reference code there too, or for 1x1 windows (make_conv_kernel then).
std::unique_ptr<Kernel> make_blocked_conv_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_matmul_kernel(const Node& node, CpuBackend& backend);
// ConvolutionBackpropData / GroupConvolutionBackpropData (deconv_kernel.cpp).
std::unique_ptr<Kernel> make_deconv_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_pool_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_eltwise_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_binary_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_softmax_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_reference_kernel(const Node& node);
// Reshape/Squeeze/Unsqueeze (a copy) and Transpose with a constant order (a reorder).
std::unique_ptr<Kernel> make_copy_kernel(const Node& node);
std::unique_ptr<Kernel> make_transpose_kernel(const Node& node, CpuBackend& backend);
// An f32 node over (data, constant axes) whose axes are one trailing block: every group is then a
// contiguous row. Returns {rows, row length}, or nothing when the node does not have that form
// (bad axes included: the reference then reports the error).
struct TrailingRows {
  int64_t rows, length;
};
std::optional<TrailingRows> trailing_axes_rows(const Node& node);
// MVN over trailing axes with the reference's double sums (either precision).
std::unique_ptr<Kernel> make_mvn_kernel(const Node& node);
// ReduceMean/ReduceSum over trailing axes with the reference's double sums (either precision).
std::unique_ptr<Kernel> make_reduce_kernel(const Node& node);
// FakeQuantize with constant per-tensor or per-channel ranges, spec-exact (either precision).
std::unique_ptr<Kernel> make_fake_quantize_kernel(const Node& node);
// Fast precision only (reference precision runs these on the reference evaluators):
// Interpolate-4/11 with per-dim tap tables, bit-exact with the reference (interpolate_kernel.cpp).
std::unique_ptr<Kernel> make_interpolate_kernel(const Node& node);
// LRN-1 with the reference's double window sums; within 1 f32 ulp of it (lrn_kernel.cpp).
std::unique_ptr<Kernel> make_lrn_kernel(const Node& node);
// Split/VariadicSplit, ShuffleChannels and Concat as byte block copies (split_shuffle_kernels.cpp).
std::unique_ptr<Kernel> make_split_kernel(const Node& node);
std::unique_ptr<Kernel> make_shuffle_channels_kernel(const Node& node);
std::unique_ptr<Kernel> make_concat_kernel(const Node& node);
// Fast int8 kernels (quantized_*_kernel.cpp); these throw instead of returning nullptr.
std::unique_ptr<Kernel> make_quantized_matmul_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_quantized_conv_kernel(const Node& node, CpuBackend& backend);
std::unique_ptr<Kernel> make_quantize_activation_kernel(const Node& node);
// MaxPool over channels-last i8 codes (codes_pool_kernel.cpp).
std::unique_ptr<Kernel> make_codes_max_pool_kernel(const Node& node);
// AvgPool of channels-last i8 codes' floats, written plain (codes_pool_kernel.cpp).
std::unique_ptr<Kernel> make_codes_avg_pool_kernel(const Node& node);
// i8 codes of a grid back to their floats, plain layout (codes_dequantize_kernel.cpp).
std::unique_ptr<Kernel> make_codes_dequantize_kernel(const Node& node);
// Codes on per-channel grids through a BatchNorm and Relu to another grid (codes_requantize_kernel.cpp).
std::unique_ptr<Kernel> make_codes_requantize_kernel(const Node& node);
// ShuffleChannels over the last axis of one-byte elements (codes_shuffle_kernel.cpp); else nullptr.
std::unique_ptr<Kernel> make_codes_shuffle_kernel(const Node& node);
// Concat along the last axis of one-byte elements, narrow pixels (codes_concat_kernel.cpp); else nullptr.
std::unique_ptr<Kernel> make_codes_concat_kernel(const Node& node);
// QuantizeActivation's arithmetic on n floats: y[i] = level of x[i] - 128, bit-exact with the
// reference's quantize_level (NaN -> level 0).
void quantize_codes(const float* x, int8_t* y, int64_t n, const ActivationQuant& q);
// The inverse on a grid, as host/reference's activation_values: y[i] = FakeQuantize's output value
// of level x[i] + 128.
void dequantize_codes(const int8_t* x, float* y, int64_t n, const ActivationQuant& q);

// True when oneDNN chose one of its reference implementations (impl_info_str "ref:any", ...): a
// case it has no jit code for. Element-wise, binary, softmax and transpose kernels then return
// nullptr so the node runs on octet's reference evaluator (spec-exact, and faster than oneDNN's
// reference there: 3 us against 43 us for yolo_fpn's [1,3,8,8,2] * [1,3,1,1,2] Multiply);
// quantized convolutions avoid the layout mix that leads to it; pooling keeps oneDNN's (dilated
// max pooling, no zoo model).
bool is_reference_impl(const dnnl::primitive_desc_base& pd);

// True when every input and output of `node` is f32 with a static shape and no zero-sized dims.
bool all_f32(const Node& node);
// Plain row-major descriptor of a shape (rank 0 is described as [1]).
dnnl::memory::desc plain_desc(const Dims& dims);

// A kernel running one oneDNN primitive. Each primitive argument is bound to a node input, a node
// output, or a memory captured at compile time (constant weights, possibly reordered).
class PrimitiveKernel : public Kernel {
 public:
  enum class Source { kInput, kOutput, kConstant };
  struct Binding {
    int arg = 0;  // DNNL_ARG_*
    Source source = Source::kInput;
    int index = 0;  // node input or output index
    dnnl::memory::desc desc;
    dnnl::memory constant;  // for kConstant
  };

  PrimitiveKernel(dnnl::primitive primitive, const dnnl::primitive_desc_base& pd,
                  std::vector<Binding> bindings, std::vector<std::shared_ptr<const void>> keep_alive = {});
  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override;
  std::string impl_name() const override { return impl_; }
  size_t scratch_bytes() const override { return scratchpad_.get_size(); }

 private:
  dnnl::primitive primitive_;
  std::vector<Binding> bindings_;
  dnnl::memory::desc scratchpad_;
  std::string impl_;
  std::vector<std::shared_ptr<const void>> keep_alive_;  // constant data the bound memories point into
};

// Captures a Constant input as a dnnl memory over its (shared, immutable) data.
dnnl::memory constant_memory(const Node& node, size_t input, const dnnl::memory::desc& desc,
                             const dnnl::engine& engine, std::vector<std::shared_ptr<const void>>& keep);

}  // namespace cpu
}  // namespace octet
