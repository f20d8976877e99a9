// The quantization pass: Convolution / GroupConvolution / MatMul with a FakeQuantize'd activation
// and/or compressed weights become QuantizedConvolution / QuantizedMatMul nodes carrying a
// QuantizedLinear payload (host/graph/quantized_linear.h), with bias, activation, residual Add and
// the following FakeQuantize fused. Shared by the CPU fast mode and the OpenCL int8 path.
#pragma once

#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"

namespace octet {

// What the pass decided for one Convolution/GroupConvolution/MatMul node.
struct QuantizationDecision {
  std::string node_name;
  std::string op;  // original op name
  bool quantized = false;
  std::string precision;           // "int8", "int8 weights", "int4 weights", "f32"
  std::string reason;              // why it stays float (empty when quantized)
  std::vector<std::string> fused;  // nodes folded into it
};

// What the backend that runs the quantized nodes can fuse beyond the basic chain (bias,
// activations, one residual Add, then one output FakeQuantize).
struct QuantizeOptions {
  // Also constant Multiply (PostOp::kScale) and FakeQuantize inside the chain (PostOp::kFakeQuantize),
  // as in NNCF's ResNet tail conv -> FakeQuantize -> Add -> Relu -> FakeQuantize.
  bool fuse_across_fake_quantize = false;
  // A quantized convolution (matmul) whose consumers all take the codes of its output grid writes
  // those channels-last (plain) codes itself (QuantizedLinear::output_codes) and the
  // QuantizeActivation nodes go away.
  bool emit_codes = false;
  // Grouped convolutions whose activation FakeQuantize is per-channel read codes of a per-channel
  // QuantizeActivation (ActivationQuantize::channel_quant), each channel's scale folded into its
  // group's weight scales (host/transforms/quantize_per_channel.h).
  bool per_channel_inputs = false;
  // A QuantizeActivation reading Multiply -> Add -> Relu (a BatchNorm and its activation, each
  // optional, constants per channel) applies them itself (ActivationQuantize::pre_scale, pre_shift,
  // pre_relu; host/transforms/quantize_prologue.h): one pass instead of four.
  bool fuse_quantize_prologue = false;
  // Concats of branches on different grids (DenseNet's dense blocks) join codes, and their
  // QuantizeActivation and BatchNorm -> Relu -> FakeQuantize readers requantize them per channel
  // (host/transforms/codes_requantize.h). With emit_codes.
  bool requantize_codes = false;
};

// Rewrites `graph` in place (prepare_graph must have run: every shape static and inferred).
std::vector<QuantizationDecision> quantize_linear_ops(Graph& graph, const QuantizeOptions& options = {});

}  // namespace octet
