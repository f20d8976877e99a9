// QuantizedMatMul / QuantizedConvolution on OpenCL: compressed weights packed once for
// kernels/quantized_linear.cl (8-bit rows, or 4-bit rows starting on a byte), per-(channel,
// group) scales, zero points and the exact zero-point correction, plus the fused epilogue.
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_kernel.h"

namespace octet {
using namespace qlinear;  // NOLINT: the shared pieces of this family
namespace {

constexpr const char* kFile = "quantized_linear.cl";
constexpr int kGemvWorkGroup = static_cast<int>(kGemvWorkGroupSize);

}  // namespace

std::string quantized_build_options(DotMode dot, int w_kind, bool a_float) {
  return fmt::format("-cl-fp32-correctly-rounded-divide-sqrt -DOCTET_DOT={} -DW_KIND={} -DWG={}{}",
                     static_cast<int>(dot), w_kind, kGemvWorkGroup, a_float ? " -DA_FLOAT" : "");
}

namespace {

// A GEMM over weight rows: MatMul (P = 1) or a pointwise convolution over channels-last codes
// (rows are pixels, P = pixels per image, output NCHW).
class QuantizedGemmKernel : public QuantizedLinearKernel {
 public:
  QuantizedGemmKernel(const Node& node, OpenClBackend& b, int64_t rows, int64_t pixels, const char* op,
                      bool gemv)
      : QuantizedLinearKernel(node, b) {
    const QuantizedLinear& q = quantized_params(node);
    const QuantizedWeights& w = q.weights;
    M_ = rows;
    N_ = w.output_channels;
    K_ = w.reduction;
    G_ = w.group_size ? K_ / w.group_size : 1;
    GS_ = w.group_size ? w.group_size : K_;
    P_ = pixels;
    const bool four_bit = is_four_bit(w.type);
    stride_ = four_bit ? (K_ + 1) / 2 : K_;
    std::vector<uint8_t> packed =
        pack_rows(N_, K_, four_bit, [&](int64_t o, int64_t r) { return code_at(w, o * K_ + r); });
    codes_ = upload(packed);
    gemv_ = gemv;
    gpc_ = 1;
    while (gpc_ * 2 <= std::min<int64_t>(G_, kGemvWorkGroup)) gpc_ *= 2;
    const bool a_float = !q.input;
    const char* bits = is_four_bit(w.type) ? "int4" : "int8";
    const std::string options = quantized_build_options(dot_, weight_kind(w.type), a_float);
    kernel_ = make(kFile, options, gemv_ ? "qgemv" : "qgemm");
    impl_ = fmt::format("ocl_{}_{}{}_{}_{}", op, bits, a_float ? "w_f32" : "", gemv_ ? "gemv" : "gemm",
                        dot_mode_name(dot_));
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_kernel k = kernel_.get();
    set_common(k, input(in, 0), codes_.get(), output(out, 0));
    cl_int v[8] = {cl_int(M_),  cl_int(N_),      cl_int(K_), cl_int(G_),
                   cl_int(GS_), cl_int(stride_), cl_int(P_), cl_int(gpc_)};
    const int count = gemv_ ? 8 : 7;
    for (int i = 0; i < count; ++i) arg(k, 6 + i, &v[i], sizeof(cl_int));
    set_epilogue(k, 6 + count, in);
    if (gemv_) {
      // One work-group per output column: the shared launch path checks the queue, keeps the
      // event for finish() and runs the guard check, as for every other kernel.
      launch(ctx, k, {size_t(kGemvWorkGroup), size_t(N_), 1}, {size_t(kGemvWorkGroup), 1, 1}, 2);
    } else {
      launch(ctx, k, {size_t((N_ + 3) / 4), size_t((M_ + 3) / 4), 1}, 2);
    }
  }

 private:
  int64_t M_ = 0, N_ = 0, K_ = 0, G_ = 1, GS_ = 0, P_ = 1, stride_ = 0, gpc_ = 1;
  bool gemv_ = false;
  ocl::Mem codes_;
  ocl::ClKernel kernel_;
};

// Direct and depthwise convolutions over channels-last codes.
class QuantizedConvKernel : public QuantizedLinearKernel {
 public:
  QuantizedConvKernel(const Node& node, OpenClBackend& b, const QConv2d& c, bool lanes)
      : QuantizedLinearKernel(node, b), c_(c) {
    const QuantizedLinear& q = quantized_params(node);
    const QuantizedWeights& w = q.weights;
    const bool a_float = !q.input;
    pad_code_ = a_float ? 0 : q.input->zero_point - 128;
    const int64_t taps = c.KH * c.KW;
    // Codes [G*OCg][ICg][KH][KW] (flat, whatever the grouping) -> [O][KH][KW][ICg], or for
    // depthwise [KH][KW][Cp]; 4-bit values widen to 8 bits.
    auto code = [&](int64_t o, int64_t ic, int64_t t) { return code_at(w, (o * c.ICg + ic) * taps + t); };
    std::vector<uint8_t> packed;
    lanes_ = lanes;
    if (lanes_) {
      // Channel blocks of vec_ lanes; depthwise loads vec_ input channels at once, so C must
      // be a multiple of it (else the portable kernel runs).
      const int64_t per_group = c.depthwise ? c.C : c.OCg;
      vec_ = per_group >= 16 && (!c.depthwise || per_group % 16 == 0) ? 16
             : per_group >= 8 && (!c.depthwise || per_group % 8 == 0) ? 8
                                                                      : 4;
      if (c.depthwise && per_group % vec_ != 0) lanes_ = false;
      cp_ = (per_group + vec_ - 1) / vec_ * vec_;
      pix_ = c.OW % 4 == 0 ? 4 : c.OW % 2 == 0 ? 2 : 1;
    }
    if (lanes_ && !c.depthwise) {  // [G][KH][KW][ICg][cp_]
      packed.assign(static_cast<size_t>(c.G * taps * c.ICg * cp_), 0);
      for (int64_t g = 0; g < c.G; ++g)
        for (int64_t t = 0; t < taps; ++t)
          for (int64_t ic = 0; ic < c.ICg; ++ic)
            for (int64_t o = 0; o < c.OCg; ++o)
              packed[static_cast<size_t>(((g * taps + t) * c.ICg + ic) * cp_ + o)] =
                  static_cast<uint8_t>(code(g * c.OCg + o, ic, t));
    } else if (c.depthwise) {
      // The portable kernel takes 16 channels (one 16-byte load) per work-item when C allows.
      dw_vec_ = !lanes_ && c.C % 16 == 0 ? 16 : 4;
      cp_ = (c.C + dw_vec_ - 1) / dw_vec_ * dw_vec_;
      packed.assign(static_cast<size_t>(taps * cp_), 0);
      for (int64_t o = 0; o < c.C; ++o)
        for (int64_t t = 0; t < taps; ++t)
          packed[static_cast<size_t>(t * cp_ + o)] = static_cast<uint8_t>(code(o, 0, t));
    } else if (a_float) {  // the filter layout as is: the kernel walks NCHW windows
      packed = pack_rows(c.G * c.OCg, taps * c.ICg, false,
                         [&](int64_t o, int64_t r) { return code_at(w, o * taps * c.ICg + r); });
    } else {
      packed = pack_rows(c.G * c.OCg, taps * c.ICg, false,
                         [&](int64_t o, int64_t r) { return code(o, r % c.ICg, r / c.ICg); });
    }
    codes_ = upload(packed);
    const bool signed_w = w.type == ElementType::kI8 || w.type == ElementType::kI4;
    const char* bits = is_four_bit(w.type) ? "int4" : "int8";
    impl_ = a_float ? fmt::format("ocl_qconv_{}w_f32_direct", bits)
                    : fmt::format("ocl_qconv_{}_{}_{}", bits, c.depthwise ? "depthwise" : "direct",
                                  dot_mode_name(dot_));
    std::string options = quantized_build_options(dot_, signed_w ? 0 : 1, a_float);
    if (c.depthwise && !lanes_) {
      options += fmt::format(" -DDW_VEC={}", dw_vec_);
      if (dw_vec_ == 16) impl_ += "_c16";
    }
    if (lanes_) {
      impl_ += "_lanes";
      options += fmt::format(
          " -DQC_C={} -DQC_ICG={} -DQC_OCG={} -DQC_H={} -DQC_W={} -DQC_OH={} -DQC_OW={} -DQC_KH={} -DQC_KW={}"
          " -DQC_SH={} -DQC_SW={} -DQC_DH={} -DQC_DW={} -DQC_PH={} -DQC_PW={} -DQC_G={} -DQC_OCP={} "
          "-DQC_VEC={} "
          "-DQC_PIX={}",
          c.C, c.ICg, c.OCg, c.H, c.W, c.OH, c.OW, c.KH, c.KW, c.SH, c.SW, c.DH, c.DW, c.PH, c.PW, c.G, cp_,
          vec_, pix_);
      options +=
          fmt::format(" -DQC_POST0={} -DQC_POST1={} -DQC_POST2={} -DQC_POST3={} -DQC_FQ={} -DQC_BIAS={}",
                      kinds_.s[0], kinds_.s[1], kinds_.s[2], kinds_.s[3], has_fq_, bias_ ? 1 : 0);
      // Vector epilogue where every post-op is elementwise exact on vectors (no transcendentals).
      bool vector_epilogue = true;
      for (int i = 0; i < 4; ++i) {
        const int k = kinds_.s[i];
        vector_epilogue =
            vector_epilogue &&
            (k == static_cast<int>(PostOpCode::kEnd) || k == static_cast<int>(PostOpCode::kRelu) ||
             k == static_cast<int>(PostOpCode::kClamp) || k == static_cast<int>(PostOpCode::kResidualAdd) ||
             k == kPostScale || k == kPostFakeQuantize);
      }
      if (vector_epilogue) options += " -DQC_VEC_EPI";
    }
    const char* name = a_float       ? "qconv_float"
                       : c.depthwise ? (lanes_ ? "qconv_depthwise_lanes" : "qconv_depthwise")
                       : lanes_      ? "qconv_direct_lanes"
                                     : "qconv_direct";
    kernel_ = make(kFile, options, name);
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_kernel k = kernel_.get();
    const QConv2d& c = c_;
    set_common(k, input(in, 0), codes_.get(), output(out, 0));
    if (lanes_) {
      const cl_int pad = static_cast<cl_int>(pad_code_);
      arg(k, 6, &pad, sizeof(pad));
      set_epilogue(k, 7, in);
      const size_t planes = size_t(c.N * (c.depthwise ? 1 : c.G) * c.OH);
      launch(ctx, k, {size_t(cp_ / vec_), size_t(c.OW / pix_), planes}, 3);
      return;
    }
    std::vector<int64_t> v;
    if (c.depthwise) {
      v = {c.C, cp_, c.H, c.W, c.OH, c.OW, c.KH, c.KW, c.SH, c.SW, c.DH, c.DW, c.PH, c.PW, pad_code_};
    } else {
      v = {c.C,  c.ICg, c.H,  c.W, c.OCg,           c.OH,     c.OW, c.KH, c.KW, c.SH, c.SW, c.DH,
           c.DW, c.PH,  c.PW, c.G, (c.OCg + 3) / 4, pad_code_};
    }
    for (size_t i = 0; i < v.size(); ++i) {
      cl_int x = static_cast<cl_int>(v[i]);
      arg(k, static_cast<cl_uint>(6 + i), &x, sizeof(x));
    }
    set_epilogue(k, static_cast<cl_uint>(6 + v.size()), in);
    if (c.depthwise) {
      launch(ctx, k, {size_t(cp_ / dw_vec_), size_t(c.OW), size_t(c.N * c.OH)}, 3);
    } else {
      launch(ctx, k, {size_t(c.OW), size_t(c.OH), size_t(c.N * c.G * ((c.OCg + 3) / 4))}, 3);
    }
  }

 private:
  QConv2d c_;
  int64_t cp_ = 0, pad_code_ = 0, vec_ = 4, pix_ = 1, dw_vec_ = 4;
  bool lanes_ = false;  // the CPU-device kernels (*_lanes)
  ocl::Mem codes_;
  ocl::ClKernel kernel_;
};

}  // namespace

Support supports_quantized_linear(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const QuantizedLinear& q = quantized_params(node);
  const QuantizedWeights& w = q.weights;
  if (node.outputs[0].type != (q.output_codes ? ElementType::kI8 : ElementType::kF32))
    return Support::no(fmt::format("output of type {}", element_type_name(node.outputs[0].type)));
  if (q.output_codes && (q.output_codes->levels < 2 || q.output_codes->levels > 256))
    return Support::no("output codes with levels outside 2..256");
  const ElementType in = node.input_type(0);
  if (q.input ? in != ElementType::kI8 : in != ElementType::kF32)
    return Support::no(fmt::format("activation input of type {}", element_type_name(in)));
  if (q.post_ops.size() > 4) return Support::no("more than 4 fused post-ops");
  for (const PostOp& op : q.post_ops) {
    if (post_op_code(op) < 0) return Support::no(declined_post_op(op));
    if (op.kind == PostOp::Kind::kResidualAdd &&
        (op.input_index != 1 || node.inputs.size() < 2 ||
         node.input_type(1) != (op.residual_codes ? ElementType::kI8 : ElementType::kF32)))
      return Support::no("residual addend is not input 1 of the expected type");
    if (op.kind == PostOp::Kind::kScale && op.values.size() != 1 &&
        static_cast<int64_t>(op.values.size()) != w.output_channels)
      return Support::no("scale post-op is neither one value nor one per output channel");
  }
  if (w.reduction <= 0 || w.output_channels <= 0) return Support::no("empty weights");
  if (w.group_size && (w.group_size % 4 != 0 || w.reduction % w.group_size != 0))
    return Support::no(fmt::format("weight group size {} is not a multiple of 4", w.group_size));
  if (q.input && (w.group_size ? w.group_size : w.reduction) > kMaxIntegerGroup)
    return Support::no("reduction too long for exact int32 accumulators");
  if (w.type != ElementType::kI8 && w.type != ElementType::kU8 && !is_four_bit(w.type))
    return Support::no(fmt::format("weights of type {}", element_type_name(w.type)));
  if (node.op == OpKind::kQuantizedMatMul) {
    if (q.base_op != OpKind::kMatMul) return Support::no("unexpected base op");
    const int64_t k = node.input_shape(0).empty() ? 0 : node.input_shape(0).back();
    if (k != w.reduction) return Support::no("activation K differs from the weights");
    return Support::yes();
  }
  const size_t rank = node.input_shape(0).size();
  if (rank != 3 && rank != 4) return Support::no("only 1-D and 2-D quantized convolutions are implemented");
  if (w.group_size) return Support::no("grouped weight scales on a convolution");
  return Support::yes();
}

namespace qlinear {

std::string gemv_kernel_limit(const Node& node, OpenClBackend& backend) {
  const QuantizedLinear& q = quantized_params(node);
  // The compiler may lower the work-group or raise the local-memory need of this kernel below
  // what the device reports: ask the built kernel before committing to fixed 64-wide work-groups.
  ocl::ClKernel k = backend.make_kernel(
      kFile, quantized_build_options(dot_mode(backend), weight_kind(q.weights.type), !q.input), "qgemv");
  return gemv_device_limit(backend.device(), kernel_work_group_size(k.get(), backend.device().device),
                           kernel_local_memory(k.get(), backend.device().device));
}

std::unique_ptr<Kernel> make_qgemm(const Node& node, OpenClBackend& backend, bool gemv) {
  const QuantizedLinear& q = quantized_params(node);
  if (node.op == OpKind::kQuantizedMatMul) {
    const int64_t rows = element_count(node.input_shape(0)) / q.weights.reduction;
    return std::make_unique<QuantizedGemmKernel>(node, backend, rows, 1, "qmatmul", gemv);
  }
  const QConv2d c = qconv_of(node);
  return std::make_unique<QuantizedGemmKernel>(node, backend, c.N * c.H * c.W, c.H * c.W, "qconv1x1", gemv);
}

std::unique_ptr<Kernel> make_qconv(const Node& node, OpenClBackend& backend, bool lanes) {
  return std::make_unique<QuantizedConvKernel>(node, backend, qconv_of(node), lanes);
}

std::string lanes_limit(const Node& node) {
  const QConv2d c = qconv_of(node);
  if (node.input_type(0) != ElementType::kI8) return "f32 activations (weight-only)";
  if (c.depthwise && c.C % 4 != 0) return fmt::format("depthwise with {} channels, not a multiple of 4", c.C);
  return "";
}

}  // namespace qlinear
}  // namespace octet
