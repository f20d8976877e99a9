// Parameters of the internal QuantizedConvolution / QuantizedMatMul ops that host/transforms
// makes from FakeQuantize and weight-decompression subgraphs (ir-spec.md sections 2, 7.2, 7.3).
//
// Arithmetic (the executable spec is host/reference/quantized_linear.cpp):
//   activation codes  a = q - input.zero_point, q = FakeQuantize's level index of x (half-to-even)
//                     (or, with no input quantization, a = x in float). Input 0 of the node is
//                     then the i8 output of a QuantizeActivation node holding q - 128 (channels
//                     last for convolutions), or f32 for weight-only compression.
//   weight codes      c = stored - weights.zero_point[o (, group)]
//   accumulator       acc[o, g] = sum over the reduction in group g of a * c     (int32 when a is int)
//   output            y[o] = sum_g acc[o, g] * weights.scale[o (, g)] * input.scale, then
//                     + bias[o], then post_ops in order, then the output FakeQuantize if any.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/graph/element_type.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"
#include "host/graph/op_kind.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/shape.h"
#include "host/graph/tensor.h"
#include "kernels/common/activations.h"

namespace octet {

// Per-tensor affine quantization defined by a FakeQuantize with scalar ranges whose output range
// puts zero on an integer level (every NNCF activation quantizer does).
struct ActivationQuant {
  int levels = 256;
  float in_low = 0, in_high = 0, out_low = 0, out_high = 0;  // the FakeQuantize ranges
  float scale = 1;                                           // (out_high - out_low) / (levels - 1)
  int32_t zero_point = 0;                                    // level index whose value is 0: -out_low / scale
  // True when codes q - zero_point fit int8 ([-128, 127]); else they fit uint8 with zero_point.
  bool is_signed() const { return zero_point <= 128 && levels - 1 - zero_point <= 127; }
};

// Compressed weights exactly as stored (i8/u8/i4/u4), normalised to the op's layout:
//   Convolution      [O, C, k...]          GroupConvolution [G, O/G, C/G, k...]
//   MatMul           [N, K] (the reduction axis last, whatever transpose_b said)
// 4-bit codes stay packed two per byte, element 2i in the low nibble.
struct QuantizedWeights {
  ElementType type = ElementType::kI8;
  Tensor codes;                     // shape as above
  int64_t output_channels = 0;      // O (all groups) or N
  int64_t reduction = 0;            // elements reduced per output: C*k... (per group) or K
  int64_t group_size = 0;           // 0: one scale per output channel; else scales per group of K
  std::vector<float> scale;         // [output_channels] or [output_channels, reduction / group_size]
  std::vector<int32_t> zero_point;  // same layout as scale, or empty when all zero
};

struct PostOp {
  enum class Kind {
    kActivation,    // `activation` with its parameters (kernels/common/activations.h: Clamp(alpha =
                    // min, beta = max), Swish(beta), Elu(alpha); Gelu's two forms are two codes)
    kResidualAdd,   // + the node's extra input (same shape as the output)
    kScale,         // * values[o] (a Multiply by a constant; one value: the same for every channel)
    kFakeQuantize,  // a per-tensor FakeQuantize inside the chain (`quant`); only when the pass was
                    // asked to fuse across FakeQuantize (QuantizeOptions), the last one stays `output`
  };
  Kind kind = Kind::kActivation;
  PostOpCode activation = PostOpCode::kRelu;  // one of OCTET_ACTIVATIONS
  float alpha = 0, beta = 0;                  // Clamp min/max, Swish beta, Elu alpha
  int input_index = 1;                        // kResidualAdd: which node input holds the addend
  std::vector<float> values;                  // kScale: [1] or [output_channels]
  ActivationQuant quant;                      // kFakeQuantize
  // kResidualAdd of a convolution: when set, the addend input holds the channels-last i8 codes
  // (level - 128) of this grid, and the addend is each level's FakeQuantize output value
  // level / (levels - 1) * (out_high - out_low) + out_low.
  std::optional<ActivationQuant> residual_codes;
};

// Payload of QuantizeActivation: f32 -> i8 codes a' = level - 128 (always within int8, whatever
// the zero point; the consumer corrects with input.zero_point). With channels_last, an input
// [N, C, spatial...] is written as [N, spatial..., C] so convolutions reduce over contiguous
// channels; the node's output shape is that physical shape.
struct ActivationQuantize {
  ActivationQuant quant;
  bool channels_last = false;
  // Per-channel quantization (a FakeQuantize with ranges along axis 1), when not empty: channel c's
  // level uses channel_quant[c]'s input range (every entry has the same levels and zero point);
  // `quant` then holds the widest channel's ranges (its step is the largest). Made only for the
  // CPU backend (QuantizeOptions::per_channel_inputs), whose consumer folds each channel's scale
  // into its weight scales.
  std::vector<ActivationQuant> channel_quant;
  // Float ops folded in before quantizing (QuantizeOptions::fuse_quantize_prologue): a BatchNorm's
  // per-channel Multiply and Add and a Relu, applied to each element in that order with one f32
  // rounding each, as the graph's nodes computed them (host/transforms/quantize_prologue.h).
  // Empty / false: that op is absent.
  std::vector<float> pre_scale, pre_shift;  // one entry per channel (axis 1)
  bool pre_relu = false;
  bool has_prologue() const { return !pre_scale.empty() || !pre_shift.empty() || pre_relu; }
};

struct QuantizedLinear {
  OpKind base_op = OpKind::kConvolution;  // Convolution, GroupConvolution or MatMul
  // The original op's attributes: `conv` for (Group)Convolution, `matmul` for MatMul (whose
  // transpose_b the weight layout has already absorbed; transpose_a is always false, the pass
  // declines a transposed activation).
  ConvAttrs conv;
  MatMulAttrs matmul;
  std::string base_name;                 // the original op's node name (reports)
  std::optional<ActivationQuant> input;  // absent: float activations (weight-only compression)
  QuantizedWeights weights;
  std::vector<float> bias;  // [output_channels] or empty
  std::vector<PostOp> post_ops;
  std::optional<ActivationQuant> output;  // fused output FakeQuantize (result stays float)
  // When set, output 0 holds what QuantizeActivation{output_codes, channels_last for convolutions}
  // would write of the float result (i8 codes level - 128): the pass folds that node in when it is
  // the result's only consumer (QuantizeOptions::emit_codes).
  std::optional<ActivationQuant> output_codes;
  std::vector<std::string> fused_names;  // nodes folded into this one, in order
};

// The payload of a QuantizeActivation node; throws kInternal for other nodes.
const ActivationQuantize& quantize_params(const Node& node);

// The payload of a QuantizedConvolution / QuantizedMatMul node; throws kInternal for other nodes.
const QuantizedLinear& quantized_params(const Node& node);

// The float result's shape: output 0's shape, or for a convolution emitting channels-last codes
// ([N, spatial..., C]) the logical [N, C, spatial...].
Dims quantized_result_shape(const Node& node);

// [N, C, spatial...] -> [N, spatial..., C] (rank >= 3; other shapes unchanged).
Dims channels_last_shape(Dims shape);

// Window geometry of a QuantizedConvolution (its filters live in the payload, not in an input).
ConvGeometry quantized_conv_geometry(const Node& node);

}  // namespace octet
