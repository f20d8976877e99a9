// QuantizedMatMul / QuantizedConvolution on OpenCL: compressed weights packed once for
// kernels/quantized_linear.cl (8-bit rows, or 4-bit rows starting on a byte), per-(channel,
// group) scales, zero points and the exact zero-point correction, plus the fused epilogue.
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "runtime/opencl/ops/quantized.h"

namespace octet {
namespace {

constexpr const char* kFile = "quantized_linear.cl";
constexpr int kGemvWorkGroup = static_cast<int>(kGemvWorkGroupSize);

bool is_four_bit(ElementType t) {
  return t == ElementType::kI4 || t == ElementType::kU4;
}

int weight_kind(ElementType t) {
  switch (t) {
    case ElementType::kI8: return 0;
    case ElementType::kU8: return 1;
    case ElementType::kI4: return 2;
    case ElementType::kU4: return 3;
    default: raise(ErrorCode::kInternal, "weights of type {}", element_type_name(t));
  }
}

// The kernels' code of a post-op (kernels/common/activations.h), or -1 when they cannot run it.
int post_op_code(const PostOp& op) {
  if (op.kind == PostOp::Kind::kResidualAdd)
    return op.residual_codes ? -1 : static_cast<int>(PostOpCode::kResidualAdd);
  if (op.kind != PostOp::Kind::kActivation) return -1;  // scale / inner FakeQuantize: not in the kernels
  return is_activation(op.activation) ? static_cast<int>(op.activation) : -1;
}

// Why a post-op with no code above is declined (the CPU-only fusions of QuantizeOptions).
std::string declined_post_op(const PostOp& op) {
  switch (op.kind) {
    case PostOp::Kind::kScale: return "fused constant Multiply";
    case PostOp::Kind::kFakeQuantize: return "FakeQuantize inside the chain";
    case PostOp::Kind::kResidualAdd: return "residual addend given as codes";
    default: return fmt::format("post-op code {}", static_cast<int>(op.activation));
  }
}

}  // namespace

std::string quantized_build_options(DotMode dot, int w_kind, bool a_float) {
  return fmt::format("-cl-fp32-correctly-rounded-divide-sqrt -DOCTET_DOT={} -DW_KIND={} -DWG={}{}",
                     static_cast<int>(dot), w_kind, kGemvWorkGroup, a_float ? " -DA_FLOAT" : "");
}

namespace {

// Weight code minus nothing: the stored value (i4/u4 unpacked) of element e of the codes tensor.
int64_t code_at(const QuantizedWeights& w, int64_t e) {
  return w.codes.get_as_int64(e);
}

// Per-(output, group) scale, zero point and correction (128 - zp) * sum (w - zw), in the kernels'
// [o * G + g] layout; reduction element r of output o is codes element o * R + r.
struct ChannelParams {
  std::vector<float> scale;
  std::vector<int16_t> zero_point;  // empty when all zero
  std::vector<int32_t> corr;        // integer activations only
};

ChannelParams channel_params(const QuantizedLinear& q) {
  const QuantizedWeights& w = q.weights;
  ChannelParams p;
  p.scale = w.scale;
  for (int32_t z : w.zero_point) p.zero_point.push_back(static_cast<int16_t>(z));
  if (!q.input) return p;
  const int64_t groups = w.group_size ? w.reduction / w.group_size : 1;
  const int64_t len = w.group_size ? w.group_size : w.reduction;
  const int64_t shift = 128 - q.input->zero_point;
  p.corr.resize(static_cast<size_t>(w.output_channels * groups));
  for (int64_t o = 0; o < w.output_channels; ++o)
    for (int64_t g = 0; g < groups; ++g) {
      const size_t slot = static_cast<size_t>(o * groups + g);
      const int64_t zw = w.zero_point.empty() ? 0 : w.zero_point[slot];
      int64_t sum = 0;
      for (int64_t r = g * len; r < (g + 1) * len; ++r) sum += code_at(w, o * w.reduction + r) - zw;
      const int64_t corr = shift * sum;
      if (corr > INT32_MAX || corr < INT32_MIN)
        raise(ErrorCode::kUnsupported, "zero-point correction {} does not fit int32", corr);
      p.corr[slot] = static_cast<int32_t>(corr);
    }
  return p;
}

// Base of both kernels: uploads the channel parameters and sets the epilogue arguments.
class QuantizedLinearKernel : public OclKernel {
 protected:
  QuantizedLinearKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const QuantizedLinear& q = quantized_params(node);
    ChannelParams p = channel_params(q);
    scale_ = upload(p.scale);
    zero_point_ = upload(p.zero_point);
    corr_ = upload(p.corr);
    bias_ = upload(q.bias);
    in_scale_ = q.input ? q.input->scale : 1.0f;
    int i = 0;
    for (const PostOp& op : q.post_ops) {
      kinds_.s[i] = post_op_code(op);
      params_.s[2 * i] = op.alpha;
      params_.s[2 * i + 1] = op.beta;
      residual_ = residual_ || op.kind == PostOp::Kind::kResidualAdd;
      ++i;
    }
    if (q.output) {
      has_fq_ = 1;
      fq_ = {{q.output->in_low, q.output->in_high, q.output->out_low, q.output->out_high}};
      fq_levels_m1_ = static_cast<float>(q.output->levels - 1);
    }
    dot_ = dot_mode(b);
  }
  template <typename T>
  ocl::Mem upload(const std::vector<T>& v) {
    return v.empty() ? ocl::Mem() : weights(v.data(), v.size() * sizeof(T));
  }
  void arg(cl_kernel k, cl_uint i, const void* v, size_t n) {
    ocl::check(clSetKernelArg(k, i, n, v), impl_.c_str());
  }
  void arg_mem(cl_kernel k, cl_uint i, cl_mem m) { arg(k, i, &m, sizeof(m)); }
  // Arguments a, w, wscale, wzp, corr, y at 0..5.
  void set_common(cl_kernel k, cl_mem a, cl_mem w, cl_mem y) {
    arg_mem(k, 0, a);
    arg_mem(k, 1, w);
    arg_mem(k, 2, scale_.get());
    arg_mem(k, 3, zero_point_.get());
    arg_mem(k, 4, corr_.get());
    arg_mem(k, 5, y);
  }
  // The EPI_PARAMS block starting at argument i.
  void set_epilogue(cl_kernel k, cl_uint i, const std::vector<BufferView>& in) {
    arg(k, i, &in_scale_, sizeof(in_scale_));
    arg_mem(k, i + 1, bias_.get());
    arg_mem(k, i + 2, residual_ ? input(in, 1) : nullptr);
    arg(k, i + 3, &kinds_, sizeof(kinds_));
    arg(k, i + 4, &params_, sizeof(params_));
    arg(k, i + 5, &has_fq_, sizeof(has_fq_));
    arg(k, i + 6, &fq_, sizeof(fq_));
    arg(k, i + 7, &fq_levels_m1_, sizeof(fq_levels_m1_));
  }

  DotMode dot_ = DotMode::kPlain;
  ocl::Mem scale_, zero_point_, corr_, bias_;
  cl_int4 kinds_{};
  cl_int has_fq_ = 0;

 private:
  cl_float in_scale_ = 1;
  bool residual_ = false;
  cl_float8 params_{};
  cl_float4 fq_{};
  cl_float fq_levels_m1_ = 1;
};

// Rows of `rows` x `reduction` weights as the kernels read them: 8-bit, or 4-bit with each row
// starting on a byte (element 2i of a row in the low nibble). `code(o, r)` gives stored values.
template <typename CodeFn>
std::vector<uint8_t> pack_rows(int64_t rows, int64_t reduction, bool four_bit, CodeFn code) {
  const int64_t stride = four_bit ? (reduction + 1) / 2 : reduction;
  std::vector<uint8_t> bytes(static_cast<size_t>(rows * stride), 0);
  for (int64_t o = 0; o < rows; ++o)
    for (int64_t r = 0; r < reduction; ++r) {
      const uint8_t v = static_cast<uint8_t>(code(o, r));
      if (four_bit) {
        bytes[static_cast<size_t>(o * stride + r / 2)] |= static_cast<uint8_t>((v & 15) << ((r & 1) * 4));
      } else {
        bytes[static_cast<size_t>(o * stride + r)] = v;
      }
    }
  return bytes;
}

// A GEMM over weight rows: MatMul (P = 1) or a pointwise convolution over channels-last codes
// (rows are pixels, P = pixels per image, output NCHW).
class QuantizedGemmKernel : public QuantizedLinearKernel {
 public:
  QuantizedGemmKernel(const Node& node, OpenClBackend& b, int64_t rows, int64_t pixels, const char* op)
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
    gemv_ = use_gemv_path(M_, b);
    gpc_ = 1;
    while (gpc_ * 2 <= std::min<int64_t>(G_, kGemvWorkGroup)) gpc_ *= 2;
    const bool a_float = !q.input;
    const char* bits = is_four_bit(w.type) ? "int4" : "int8";
    const std::string options = quantized_build_options(dot_, weight_kind(w.type), a_float);
    std::string declined;
    if (gemv_) {
      // The compiler may lower the work-group or raise the local-memory need of this kernel
      // below what the device reports: ask the built kernel before committing to fixed 64-wide
      // work-groups, and take the tiled GEMM (no fixed local size) when it does not fit.
      kernel_ = make(kFile, options, "qgemv");
      declined = gemv_device_limit(b.device(), kernel_work_group_size(kernel_.get(), b.device().device),
                                   kernel_local_memory(kernel_.get(), b.device().device));
      gemv_ = declined.empty();
    }
    if (!gemv_) kernel_ = make(kFile, options, "qgemm");
    impl_ = fmt::format("ocl_{}_{}{}_{}_{}{}", op, bits, a_float ? "w_f32" : "", gemv_ ? "gemv" : "gemm",
                        dot_mode_name(dot_), declined.empty() ? "" : " (gemv declined: " + declined + ")");
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

// Convolution geometry flattened to 2-D, from the channels-last codes input [N, spatial..., C].
struct QConv2d {
  int64_t N, C, G, ICg, OCg, H, W, OH, OW, KH, KW, SH = 1, SW = 1, DH = 1, DW = 1, PH = 0, PW = 0;
  bool pointwise = false, depthwise = false;
};

QConv2d qconv_of(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  const Dims& x = node.input_shape(0);
  const Dims& ws = q.weights.codes.shape();
  const bool grouped = q.base_op == OpKind::kGroupConvolution;
  const Dims kernel(ws.begin() + (grouped ? 3 : 2), ws.end());
  // Channels-last codes [N, spatial..., C], or f32 [N, C, spatial...] for weight-only models.
  const bool codes = node.input_type(0) == ElementType::kI8;
  const Dims spatial(x.begin() + (codes ? 1 : 2), x.end() - (codes ? 1 : 0));
  const size_t n = spatial.size();
  const ConvGeometry g = conv_window(node, q.conv, spatial, kernel);
  QConv2d c{};
  c.N = x[0];
  c.C = codes ? x.back() : x[1];
  c.G = grouped ? ws[0] : 1;
  c.OCg = grouped ? ws[1] : ws[0];
  c.ICg = grouped ? ws[2] : ws[1];
  const bool one = n == 1;
  const size_t h = one ? 0 : n - 2, wd = n - 1;
  c.H = one ? 1 : spatial[h];
  c.W = spatial[wd];
  const Dims& out = node.outputs[0].shape;
  c.OH = one ? 1 : out[2 + h];
  c.OW = out[2 + wd];
  c.KH = one ? 1 : kernel[h];
  c.KW = kernel[wd];
  if (!one) c.SH = g.strides[h], c.DH = g.dilations[h], c.PH = g.pads_begin[h];
  c.SW = g.strides[wd], c.DW = g.dilations[wd], c.PW = g.pads_begin[wd];
  c.pointwise = codes && c.G == 1 && c.KH == 1 && c.KW == 1 && c.SH == 1 && c.SW == 1 && c.PH == 0 &&
                c.PW == 0 && c.OH == c.H && c.OW == c.W;
  c.depthwise = codes && c.G > 1 && c.ICg == 1 && c.OCg == 1;
  return c;
}

// CPU devices (PoCL) take the *_lanes convolution kernels, which vectorize across work-items;
// OCTET_QCONV=portable keeps the GPU kernels (tested on CPU devices too).
bool use_lane_kernels(const OpenClBackend& backend) {
  const char* force = std::getenv("OCTET_QCONV");
  if (force != nullptr && std::strcmp(force, "portable") == 0) return false;
  if (force != nullptr && std::strcmp(force, "lanes") == 0) return true;
  return backend.device().type == "CPU";
}

// Direct and depthwise convolutions over channels-last codes.
class QuantizedConvKernel : public QuantizedLinearKernel {
 public:
  QuantizedConvKernel(const Node& node, OpenClBackend& b, const QConv2d& c)
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
    lanes_ = !a_float && use_lane_kernels(b);
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
      if (!lanes_) cp_ = (c.C + 3) / 4 * 4;
      cp_ = (c.C + 3) / 4 * 4;
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
        const auto code = static_cast<PostOpCode>(kinds_.s[i]);
        vector_epilogue = vector_epilogue && (code == PostOpCode::kEnd || code == PostOpCode::kRelu ||
                                              code == PostOpCode::kClamp || code == PostOpCode::kResidualAdd);
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
      launch(ctx, k, {size_t((c.C + 3) / 4), size_t(c.OW), size_t(c.N * c.OH)}, 3);
    } else {
      launch(ctx, k, {size_t(c.OW), size_t(c.OH), size_t(c.N * c.G * ((c.OCg + 3) / 4))}, 3);
    }
  }

 private:
  QConv2d c_;
  int64_t cp_ = 0, pad_code_ = 0, vec_ = 4, pix_ = 1;
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
  if (node.outputs[0].type != ElementType::kF32)
    return Support::no("output is not f32 (CPU-only output codes)");
  const ElementType in = node.input_type(0);
  if (q.input ? in != ElementType::kI8 : in != ElementType::kF32)
    return Support::no(fmt::format("activation input of type {}", element_type_name(in)));
  if (q.post_ops.size() > 4) return Support::no("more than 4 fused post-ops");
  for (const PostOp& op : q.post_ops) {
    if (post_op_code(op) < 0) return Support::no(declined_post_op(op));
    if (op.kind == PostOp::Kind::kResidualAdd &&
        (op.input_index != 1 || node.inputs.size() < 2 || node.input_type(1) != ElementType::kF32))
      return Support::no("residual addend is not an f32 input 1");
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

std::unique_ptr<Kernel> compile_quantized_matmul(const Node& node, OpenClBackend& backend) {
  const QuantizedLinear& q = quantized_params(node);
  const int64_t rows = element_count(node.input_shape(0)) / q.weights.reduction;
  return std::make_unique<QuantizedGemmKernel>(node, backend, rows, 1, "qmatmul");
}

std::unique_ptr<Kernel> compile_quantized_conv(const Node& node, OpenClBackend& backend) {
  const QConv2d c = qconv_of(node);
  // On CPU devices the lane kernel beats the GEMM for pointwise layers too (no horizontal sums).
  if (c.pointwise && !use_lane_kernels(backend))
    return std::make_unique<QuantizedGemmKernel>(node, backend, c.N * c.H * c.W, c.H * c.W, "qconv1x1");
  return std::make_unique<QuantizedConvKernel>(node, backend, c);
}

}  // namespace octet
