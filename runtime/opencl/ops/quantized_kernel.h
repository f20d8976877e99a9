// Pieces shared by the OpenCL int8 linear kernels (quantized_linear.cpp: GEMV, 4x4 GEMM, direct,
// depthwise and lanes convolutions; quantized_tiled.cpp: the tiled core): weight codes, per-channel
// parameters with the exact zero-point correction, the epilogue arguments and the convolution
// geometry. Header-only so each kernel file stays small.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "runtime/opencl/ops/quantized.h"

namespace octet {
namespace qlinear {

inline bool is_four_bit(ElementType t) {
  return t == ElementType::kI4 || t == ElementType::kU4;
}

inline int weight_kind(ElementType t) {
  switch (t) {
    case ElementType::kI8: return 0;
    case ElementType::kU8: return 1;
    case ElementType::kI4: return 2;
    case ElementType::kU4: return 3;
    default: raise(ErrorCode::kInternal, "weights of type {}", element_type_name(t));
  }
}

// Post-op codes of kernels/common/qepilogue.clh beyond common/activations.h's.
constexpr int kPostScale = 30;         // OCTET_POST_SCALE: PostOp::kScale
constexpr int kPostFakeQuantize = 31;  // OCTET_POST_FQ: PostOp::kFakeQuantize

// The kernels' code of a post-op (kernels/common/qepilogue.clh), or -1 when they cannot run it.
inline int post_op_code(const PostOp& op) {
  switch (op.kind) {
    case PostOp::Kind::kResidualAdd: return static_cast<int>(PostOpCode::kResidualAdd);
    case PostOp::Kind::kScale: return kPostScale;
    case PostOp::Kind::kFakeQuantize: return kPostFakeQuantize;
    case PostOp::Kind::kActivation: break;
  }
  return is_activation(op.activation) ? static_cast<int>(op.activation) : -1;
}

// Why a post-op with no code above is declined.
inline std::string declined_post_op(const PostOp& op) {
  return fmt::format("post-op code {}", static_cast<int>(op.activation));
}

// Weight code minus nothing: the stored value (i4/u4 unpacked) of element e of the codes tensor.
inline int64_t code_at(const QuantizedWeights& w, int64_t e) {
  return w.codes.get_as_int64(e);
}

// Per-(output, group) scale, zero point and correction (128 - zp) * sum (w - zw), in the kernels'
// [o * G + g] layout; reduction element r of output o is codes element o * R + r.
struct ChannelParams {
  std::vector<float> scale;
  std::vector<int16_t> zero_point;  // empty when all zero
  std::vector<int32_t> corr;        // integer activations only
};

inline ChannelParams channel_params(const QuantizedLinear& q) {
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
    // Constants of scales and inner FakeQuantize (kernels/common/qepilogue.clh's post_data).
    const int64_t channels = q.weights.output_channels;
    std::vector<float> data;
    int i = 0;
    for (const PostOp& op : q.post_ops) {
      kinds_.s[i] = post_op_code(op);
      params_.s[2 * i] = op.alpha;
      params_.s[2 * i + 1] = op.beta;
      residual_ = residual_ || op.kind == PostOp::Kind::kResidualAdd;
      if (op.kind == PostOp::Kind::kResidualAdd && op.residual_codes) {
        io_.s[3] = 1;
        res_q_ = {{static_cast<float>(op.residual_codes->levels - 1),
                   op.residual_codes->out_high - op.residual_codes->out_low, op.residual_codes->out_low, 0}};
      }
      if (op.kind == PostOp::Kind::kScale || op.kind == PostOp::Kind::kFakeQuantize) {
        if (data.empty()) data.assign(32, 0.0f);
        float* slot = data.data() + 8 * i;
        if (op.kind == PostOp::Kind::kFakeQuantize) {
          const ActivationQuant& f = op.quant;
          slot[0] = f.in_low, slot[1] = f.in_high, slot[2] = f.out_low, slot[3] = f.out_high;
          slot[4] = static_cast<float>(f.levels - 1);
        } else if (op.values.size() == 1) {
          slot[0] = op.values[0];
        } else {
          slot[1] = static_cast<float>(data.size());  // where the channel values start
          data.insert(data.end(), op.values.begin(), op.values.end());
        }
      }
      ++i;
    }
    post_data_ = upload(data);
    io_.s[1] = static_cast<cl_int>(channels);
    io_.s[2] = 1;
    if (q.base_op != OpKind::kMatMul && node.outputs[0].shape.size() >= 3) {
      const Dims result = quantized_result_shape(node);
      io_.s[2] = static_cast<cl_int>(element_count(result) / (result[0] * result[1]));
    }
    if (q.output_codes) {
      io_.s[0] = 1;
      codes_q_ = {{q.output_codes->in_low, q.output_codes->in_high,
                   static_cast<float>(q.output_codes->levels - 1), 0}};
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
    arg_mem(k, i + 8, post_data_.get());
    arg(k, i + 9, &io_, sizeof(io_));
    arg(k, i + 10, &codes_q_, sizeof(codes_q_));
    arg(k, i + 11, &res_q_, sizeof(res_q_));
  }

  DotMode dot_ = DotMode::kPlain;
  ocl::Mem scale_, zero_point_, corr_, bias_;
  cl_int4 kinds_{};
  cl_int has_fq_ = 0;
  cl_int4 io_{};  // qepilogue.clh's io: (codes out, channels, plane, residual codes)

 private:
  ocl::Mem post_data_;
  cl_float4 codes_q_{}, res_q_{};
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

// Convolution geometry flattened to 2-D, from the channels-last codes input [N, spatial..., C].
struct QConv2d {
  int64_t N, C, G, ICg, OCg, H, W, OH, OW, KH, KW, SH = 1, SW = 1, DH = 1, DW = 1, PH = 0, PW = 0;
  bool pointwise = false, depthwise = false;
};

inline QConv2d qconv_of(const Node& node) {
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
  const Dims out = quantized_result_shape(node);  // NCHW even when the node writes codes
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

// Factories of quantized_linear.cpp's kernels and their limits ("" = can run).
std::string gemv_kernel_limit(const Node& node, OpenClBackend& backend);  // builds qgemv
std::unique_ptr<Kernel> make_qgemm(const Node& node, OpenClBackend& backend, bool gemv);
std::unique_ptr<Kernel> make_qconv(const Node& node, OpenClBackend& backend, bool lanes);
std::string lanes_limit(const Node& node);

}  // namespace qlinear
}  // namespace octet
