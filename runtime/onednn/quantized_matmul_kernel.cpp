// Fast QuantizedMatMul on the CPU. With int8 activations and per-channel weights whose centred
// codes fit int8, a oneDNN s8 x s8 -> s32 matmul computes raw accumulators of the stored codes;
// the epilogue subtracts the activation zero point's share (src_zp * column sum) and applies the
// reference arithmetic exactly. Group-wise scales or wider codes use integer C++ loops; float
// activations (weight-only compression) use a oneDNN f32 matmul over dequantised weights. With
// output_codes the float rows go to a state buffer and leave as plain-layout i8 codes (as the
// reference's activation_codes with channels_last = false).
#include <cstring>

#include "host/common/error.h"
#include "runtime/onednn/cpu_backend.h"
#include "runtime/onednn/quantized_epilogue.h"

namespace octet {
namespace cpu {
namespace {

using dnnl::memory;

struct MatMulState : KernelState {
  std::vector<int32_t> acc;     // [group][row][column] exact or raw accumulators
  std::vector<float> real;      // [row][column] float results of the f32 path
  std::vector<int32_t> row;     // one activation row minus the zero point (loop path)
  PrimitiveMemories primitive;  // the oneDNN path's
  memory gelu;                  // the output, for the tensor-wide Gelu
  std::vector<float> rows;      // [row][column] float results before their codes (output_codes)
};

class QuantizedMatMulKernel : public Kernel {
 public:
  QuantizedMatMulKernel(const Node& node, CpuBackend& backend);
  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override;
  std::string impl_name() const override { return impl_; }

 private:
  void build_int8_primitive(CpuBackend& backend);
  void build_f32_primitive(CpuBackend& backend);
  void loop_accumulate(const int8_t* x, MatMulState& state) const;
  void finish_gelu(CpuContext& ctx, MatMulState& state, const float* residual, float* y, int threads) const;

  const QuantizedLinear& q_;
  Epilogue epilogue_;
  int64_t rows_ = 0, n_ = 0, k_ = 0, group_len_ = 0;
  bool int_input_ = false;
  int32_t src_zero_ = 0;          // a = code - src_zero_, code being the stored level - 128
  std::vector<int32_t> codes_;    // centred [N][K]
  std::vector<int32_t> col_sum_;  // [N] sum over K of centred codes (int8 oneDNN path)
  bool use_onednn_ = false;
  dnnl::primitive primitive_;
  memory::desc src_md_, dst_md_, scratch_md_;
  // Fast precision: an erf Gelu post-op runs as one oneDNN eltwise over the whole output (its
  // vectorised float erf, as OpenVINO's CPU plugin computes it) between two row passes.
  dnnl::primitive gelu_;
  memory::desc gelu_md_;
  memory weights_;
  std::string impl_;
};

QuantizedMatMulKernel::QuantizedMatMulKernel(const Node& node, CpuBackend& backend)
    : q_(quantized_params(node)), epilogue_(q_, backend.options().precision == Precision::kFast) {
  const Dims& x = node.input_shape(0);
  const QuantizedWeights& w = q_.weights;
  k_ = w.reduction;
  n_ = w.output_channels;
  if (x.empty() || x.back() != k_) raise(ErrorCode::kInternal, "{}: activation K mismatch", node.describe());
  rows_ = element_count(x) / k_;
  group_len_ = w.group_size ? w.group_size : k_;
  int_input_ = node.input_type(0) == ElementType::kI8;
  if (int_input_ && !q_.input)
    raise(ErrorCode::kInternal, "{}: i8 input without quantization", node.describe());
  if (!int_input_ && node.input_type(0) != ElementType::kF32)
    raise(ErrorCode::kUnsupported, "{}: input of type {}", node.describe(),
          element_type_name(node.input_type(0)));
  codes_ = centred_weight_codes(w);
  if (int_input_) {
    src_zero_ = q_.input->zero_point - 128;
    if (epilogue_.groups() == 1 && fits_int8(codes_)) {
      try {
        build_int8_primitive(backend);
        use_onednn_ = true;
      } catch (const dnnl::error&) {
        use_onednn_ = false;  // no oneDNN implementation for this shape: the loops compute it
      }
    }
    if (!use_onednn_) impl_ = "cpu_int8_loops";
  } else {
    build_f32_primitive(backend);
    use_onednn_ = true;
  }
  backend.add_weight_bytes(use_onednn_ ? weights_.get_desc().get_size() : codes_.size() * sizeof(int32_t));
  if (use_onednn_) {  // the primitive holds its own copy; only the integer loops read codes_
    codes_.clear();
    codes_.shrink_to_fit();
  }
  if (epilogue_.erf_gelu_index() >= 0) {
    gelu_md_ = memory::desc({rows_ * n_}, memory::data_type::f32, memory::format_tag::a);
    dnnl::eltwise_forward::primitive_desc pd(
        {dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_gelu_erf, gelu_md_, 0.0f, 0.0f},
        backend.engine());
    gelu_ = dnnl::eltwise_forward(pd);
    epilogue_.split_at_gelu();
    impl_ += "+onednn_gelu";
  }
}

void QuantizedMatMulKernel::build_int8_primitive(CpuBackend& backend) {
  const dnnl::engine& engine = backend.engine();
  src_md_ = memory::desc({rows_, k_}, memory::data_type::s8, memory::format_tag::ab);
  dst_md_ = memory::desc({rows_, n_}, memory::data_type::s32, memory::format_tag::ab);
  const memory::desc w_any({k_, n_}, memory::data_type::s8, memory::format_tag::any);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md_, w_any, dst_md_), attr, engine);
  // Codes are [N][K]; the primitive reads [K][N], here given as the transposed (strided) view.
  std::vector<int8_t> plain(codes_.begin(), codes_.end());
  memory src(memory::desc({k_, n_}, memory::data_type::s8, memory::dims{1, k_}), engine, plain.data());
  weights_ = memory(pd.weights_desc(), engine);
  dnnl::stream stream(engine);
  dnnl::reorder(src, weights_).execute(stream, src, weights_);
  stream.wait();
  col_sum_.assign(static_cast<size_t>(n_), 0);
  for (int64_t n = 0; n < n_; ++n)
    for (int64_t k = 0; k < k_; ++k) col_sum_[n] += codes_[n * k_ + k];
  primitive_ = dnnl::matmul(pd);
  scratch_md_ = pd.scratchpad_desc();
  impl_ = std::string("onednn_s8:") + pd.impl_info_str();
}

void QuantizedMatMulKernel::build_f32_primitive(CpuBackend& backend) {
  const dnnl::engine& engine = backend.engine();
  src_md_ = memory::desc({rows_, k_}, memory::data_type::f32, memory::format_tag::ab);
  dst_md_ = memory::desc({rows_, n_}, memory::data_type::f32, memory::format_tag::ab);
  const memory::desc w_any({k_, n_}, memory::data_type::f32, memory::format_tag::any);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md_, w_any, dst_md_), attr, engine);
  // Dequantised weights c * scale[n, group], stored [K][N].
  std::vector<float> plain(static_cast<size_t>(k_ * n_));
  const int64_t groups = epilogue_.groups();
  for (int64_t n = 0; n < n_; ++n)
    for (int64_t k = 0; k < k_; ++k)
      plain[k * n_ + n] =
          static_cast<float>(codes_[n * k_ + k]) * q_.weights.scale[n * groups + k / group_len_];
  memory src(memory::desc({k_, n_}, memory::data_type::f32, memory::format_tag::ab), engine, plain.data());
  weights_ = memory(pd.weights_desc(), engine);
  dnnl::stream stream(engine);
  dnnl::reorder(src, weights_).execute(stream, src, weights_);
  stream.wait();
  primitive_ = dnnl::matmul(pd);
  scratch_md_ = pd.scratchpad_desc();
  impl_ = std::string("onednn_f32_dequant:") + pd.impl_info_str();
}

// Exact accumulators [group][row][column] with integer loops.
void QuantizedMatMulKernel::loop_accumulate(const int8_t* x, MatMulState& state) const {
  const int64_t groups = epilogue_.groups();
  int32_t* a = state.row.data();
  for (int64_t m = 0; m < rows_; ++m) {
    const int8_t* xr = x + m * k_;
    for (int64_t k = 0; k < k_; ++k) a[k] = int32_t{xr[k]} - src_zero_;
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t k0 = g * group_len_;
      int32_t* out = state.acc.data() + (g * rows_ + m) * n_;
      for (int64_t n = 0; n < n_; ++n) {
        const int32_t* c = codes_.data() + n * k_ + k0;
        int32_t sum = 0;
        for (int64_t k = 0; k < group_len_; ++k) sum += a[k0 + k] * c[k];
        out[n] = sum;
      }
    }
  }
}

void QuantizedMatMulKernel::enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
                                    const std::vector<BufferView>& outputs) {
  auto& ctx = static_cast<CpuContext&>(context);
  std::unique_ptr<KernelState>& slot = ctx.states[this];
  if (!slot) {
    auto state = std::make_unique<MatMulState>();
    const dnnl::engine engine = ctx.stream.get_engine();
    if (int_input_) {
      state->acc.resize(static_cast<size_t>(epilogue_.groups() * rows_ * n_));
      if (!use_onednn_) state->row.resize(static_cast<size_t>(k_));
    } else {
      state->real.resize(static_cast<size_t>(rows_ * n_));
    }
    if (q_.output_codes) state->rows.resize(static_cast<size_t>(rows_ * n_));
    if (use_onednn_)
      state->primitive.bind(
          engine, src_md_, dst_md_,
          int_input_ ? static_cast<void*>(state->acc.data()) : static_cast<void*>(state->real.data()),
          scratch_md_);
    slot = std::move(state);
  }
  auto& state = static_cast<MatMulState&>(*slot);
  if (use_onednn_) {
    state.primitive.execute(primitive_, ctx.stream, inputs.at(0).handle, weights_, impl_);
  } else {
    loop_accumulate(static_cast<const int8_t*>(inputs.at(0).handle), state);
  }

  const float* residual = inputs.size() > 1 ? static_cast<const float*>(inputs[1].handle) : nullptr;
  float* y = q_.output_codes ? state.rows.data() : static_cast<float*>(outputs.at(0).handle);
  const bool correct = int_input_ && use_onednn_ && src_zero_ != 0;
  // Rows are independent; the epilogue is const.
  const int threads = loop_threads(rows_ * n_);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t m = 0; m < rows_; ++m) {
    const float* r = residual ? residual + m * n_ : nullptr;
    if (!int_input_) {
      epilogue_.float_row(state.real.data() + m * n_, 0, n_, r, 1, y + m * n_);
      continue;
    }
    int32_t* acc = state.acc.data() + m * n_;
    if (correct) {
      // Raw accumulators of the stored codes (level - 128): take out the zero point's share.
      epilogue_.corrected_row(acc, col_sum_.data(), src_zero_, n_, r, 1, y + m * n_);
      continue;
    }
    epilogue_.integer_row(acc, rows_ * n_, 0, n_, r, 1, y + m * n_);
  }
  if (gelu_) finish_gelu(ctx, state, residual, y, threads);
  if (!q_.output_codes) return;
  int8_t* codes = static_cast<int8_t*>(outputs.at(0).handle);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t m = 0; m < rows_; ++m) quantize_codes(y + m * n_, codes + m * n_, n_, *q_.output_codes);
}

void QuantizedMatMulKernel::finish_gelu(CpuContext& ctx, MatMulState& state, const float* residual, float* y,
                                        int threads) const {
  if (!state.gelu) state.gelu = memory(gelu_md_, ctx.stream.get_engine(), nullptr);
  state.gelu.set_data_handle(y);
  try {
    gelu_.execute(ctx.stream, {{DNNL_ARG_SRC, state.gelu}, {DNNL_ARG_DST, state.gelu}});
    ctx.stream.wait();
  } catch (const dnnl::error& e) {
    raise(ErrorCode::kInternal, "oneDNN Gelu of {} failed: {}", impl_, e.what());
  }
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t m = 0; m < rows_; ++m)
    epilogue_.finish_after_split(0, n_, residual ? residual + m * n_ : nullptr, 1, y + m * n_);
}

}  // namespace

std::unique_ptr<Kernel> make_quantized_matmul_kernel(const Node& node, CpuBackend& backend) {
  return std::make_unique<QuantizedMatMulKernel>(node, backend);
}

}  // namespace cpu
}  // namespace octet
