// The quantization pass (see quantize_linear.h): pattern matching on FakeQuantize, weight
// decompression chains and the ops that follow a linear op.
#include "host/transforms/quantize_linear.h"

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "host/graph/tensor_names.h"
#include "host/transforms/codes_flow.h"
#include "host/transforms/codes_requantize.h"
#include "host/transforms/quantize_grid.h"
#include "host/transforms/quantize_per_channel.h"
#include "host/transforms/quantize_prologue.h"
#include "host/transforms/quantize_util.h"

namespace octet {
namespace {

bool is_linear(OpKind op) {
  return op == OpKind::kConvolution || op == OpKind::kGroupConvolution || op == OpKind::kMatMul;
}

bool is_fusable_activation(const Node& node) {
  switch (node.op) {
    case OpKind::kRelu:
    case OpKind::kClamp:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kHSwish:
    case OpKind::kHSigmoid:
    case OpKind::kGelu:
    case OpKind::kElu:
    case OpKind::kExp: return node.inputs.size() == 1;
    case OpKind::kSwish:
      return node.inputs.size() == 1 || (node.input_constant(1) && uniform_value(*node.input_constant(1)));
    default: return false;
  }
}

PostOp activation_post_op(const Node& node) {
  PostOp op;
  op.kind = PostOp::Kind::kActivation;
  switch (node.op) {
    case OpKind::kRelu: op.activation = PostOpCode::kRelu; break;
    case OpKind::kSigmoid: op.activation = PostOpCode::kSigmoid; break;
    case OpKind::kTanh: op.activation = PostOpCode::kTanh; break;
    case OpKind::kHSwish: op.activation = PostOpCode::kHSwish; break;
    case OpKind::kHSigmoid: op.activation = PostOpCode::kHSigmoid; break;
    case OpKind::kExp: op.activation = PostOpCode::kExp; break;
    case OpKind::kClamp:
      op.activation = PostOpCode::kClamp;
      op.alpha = static_cast<float>(node.attr<ClampAttrs>().min);
      op.beta = static_cast<float>(node.attr<ClampAttrs>().max);
      break;
    case OpKind::kSwish:
      op.activation = PostOpCode::kSwish;
      op.beta = node.inputs.size() > 1 ? *uniform_value(*node.input_constant(1)) : 1.0f;
      break;
    case OpKind::kElu:
      op.activation = PostOpCode::kElu;
      op.alpha = static_cast<float>(node.attr<EluAttrs>().alpha);
      break;
    case OpKind::kGelu:
      op.activation = node.attr<GeluAttrs>().approximation == GeluApproximation::kTanh ? PostOpCode::kGeluTanh
                                                                                       : PostOpCode::kGeluErf;
      break;
    default: raise(ErrorCode::kInternal, "{} is not a fusable activation", node.describe());
  }
  return op;
}

// The layout facts of a linear node that the weights and bias must agree with.
struct LinearShape {
  int64_t output_channels = 0;
  int64_t reduction = 0;
  int64_t channel_axis = 1;  // axis of the output holding output channels
};

std::optional<LinearShape> linear_shape(const Node& node, std::string* why) {
  const Dims& w = node.input_shape(1);
  const Dims& out = node.outputs[0].shape;
  LinearShape s;
  if (node.op == OpKind::kMatMul) {
    if (node.attr<MatMulAttrs>().transpose_a) return *why = "transpose_a is not supported", std::nullopt;
    if (w.size() != 2) return *why = "weights are not a 2-D matrix", std::nullopt;
    if (node.input_shape(0).size() < 2) return *why = "rank-1 activation", std::nullopt;
    const bool tb = node.attr<MatMulAttrs>().transpose_b;
    s.output_channels = tb ? w[0] : w[1];
    s.reduction = tb ? w[1] : w[0];
    s.channel_axis = static_cast<int64_t>(out.size()) - 1;
  } else {
    if (w.size() < 3) return *why = "filters of unexpected rank", std::nullopt;
    const bool grouped = node.op == OpKind::kGroupConvolution;
    s.output_channels = grouped ? w[0] * w[1] : w[0];
    s.reduction = 1;
    for (size_t i = grouped ? 2 : 1; i < w.size(); ++i) s.reduction *= w[i];
    s.channel_axis = 1;
  }
  return s;
}

// Maps a flat index of the weight tensor (as the op reads it) to the normalised [O, R] index.
struct WeightIndexer {
  bool transpose = false;  // MatMul with transpose_b == false: W is [K, N]
  int64_t output_channels = 0, reduction = 0;
  int64_t operator()(int64_t e) const {
    if (!transpose) return e;
    const int64_t k = e / output_channels, n = e % output_channels;
    return n * reduction + k;
  }
};

// Fills `w` (scales, zero points, codes) from per-element code/zero-point/scale callbacks.
// Returns false with a reason when scales or zero points vary inside an output channel/group.
template <typename CodeFn, typename ZeroFn, typename ScaleFn>
bool collect_weights(int64_t count, const WeightIndexer& index, int64_t group_size, CodeFn code, ZeroFn zero,
                     ScaleFn scale, ElementType store_type, QuantizedWeights* w, std::string* why) {
  const int64_t groups = group_size ? index.reduction / group_size : 1;
  const size_t slots = static_cast<size_t>(index.output_channels * groups);
  std::vector<float> scales(slots, 0.0f);
  std::vector<double> zeros(slots, 0.0);
  std::vector<char> seen(slots, 0);
  w->type = store_type;
  w->codes = Tensor(store_type, {index.output_channels, index.reduction});
  auto* bytes = w->codes.data_as<uint8_t>();
  for (int64_t e = 0; e < count; ++e) {
    const int64_t n = index(e);
    const int64_t o = n / index.reduction, r = n % index.reduction;
    const size_t slot = static_cast<size_t>(o * groups + (group_size ? r / group_size : 0));
    const float s = scale(e);
    const double z = zero(e);
    if (!seen[slot]) {
      seen[slot] = 1;
      scales[slot] = s;
      zeros[slot] = z;
    } else if (scales[slot] != s || zeros[slot] != z) {
      *why = "weight scale or zero point varies inside an output channel or group";
      return false;
    }
    const int64_t c = code(e);
    store_code(bytes, store_type, n, c);
  }
  w->output_channels = index.output_channels;
  w->reduction = index.reduction;
  w->group_size = group_size;
  w->scale = std::move(scales);
  w->zero_point.assign(slots, 0);
  bool any_zero_point = false;
  for (size_t i = 0; i < slots; ++i) {
    const double r = std::nearbyint(zeros[i]);
    if (std::fabs(r - zeros[i]) > 1e-3) {
      *why = "weight zero point is not an integer";
      return false;
    }
    w->zero_point[i] = static_cast<int32_t>(r);
    any_zero_point = any_zero_point || w->zero_point[i] != 0;
  }
  if (!any_zero_point) w->zero_point.clear();
  return true;
}

// Weights given as Const(int) -> Convert -> [Subtract zp] -> Multiply scale [-> Reshape] [-> Convert].
bool match_decompression(const Node& linear, const LinearShape& shape, QuantizedWeights* w,
                         std::vector<std::string>* chain, std::string* why) {
  Output cur = linear.inputs[1];
  auto step = [&](const Node* n) { chain->push_back(n->name); };
  if (cur.node->op == OpKind::kConvert && is_float(cur.node->input_type(0))) {
    step(cur.node);
    cur = cur.node->inputs[0];
  }
  const Node* reshape = nullptr;
  if (cur.node->op == OpKind::kReshape) {
    reshape = cur.node;
    step(reshape);
    cur = reshape->inputs[0];
  }
  if (cur.node->op != OpKind::kMultiply)
    return *why = "weights are not constant-compressed or fake-quantized", false;
  const Node* mul = cur.node;
  int chain_side = -1;
  const Tensor* scale = nullptr;
  // Both operands can be constants seen through a Convert (the codes are Convert(Constant) when no
  // zero point is subtracted): the scale is the float one.
  for (int i = 0; i < 2; ++i) {
    const Tensor* t = constant_through_convert(mul->inputs[i]);
    if (t && (!scale || (is_float(t->type()) && !is_float(scale->type())))) {
      scale = t;
      chain_side = 1 - i;
    }
  }
  if (!scale) return *why = "weight scale is not constant", false;
  step(mul);
  cur = mul->inputs[chain_side];
  const Tensor* zero = nullptr;
  if (cur.node->op == OpKind::kSubtract) {
    zero = constant_through_convert(cur.node->inputs[1]);
    if (!zero) return *why = "weight zero point is not constant", false;
    step(cur.node);
    cur = cur.node->inputs[0];
  }
  if (cur.node->op != OpKind::kConvert) return *why = "weights are not an integer constant", false;
  step(cur.node);
  const Node* codes_node = cur.node->inputs[0].node;
  if (codes_node->op != OpKind::kConstant) return *why = "weight codes are not constant", false;
  const Tensor& codes = *codes_node->constant;
  const ElementType t = codes.type();
  if (t != ElementType::kI8 && t != ElementType::kU8 && t != ElementType::kI4 && t != ElementType::kU4)
    return *why = std::string("weights stored as ") + element_type_name(t), false;
  chain->push_back(codes_node->name);

  WeightIndexer index;
  index.output_channels = shape.output_channels;
  index.reduction = shape.reduction;
  index.transpose = linear.op == OpKind::kMatMul && !linear.attr<MatMulAttrs>().transpose_b;
  int64_t group_size = 0;
  if (reshape && linear.op == OpKind::kMatMul && !index.transpose && codes.shape().size() == 3 &&
      codes.shape()[0] == shape.output_channels && codes.shape()[2] < shape.reduction)
    group_size = codes.shape()[2];
  // transpose_b = false: groups along K of the [K, N] layout, codes [K / group, group, N] (the flat
  // order of [K, N], so the indexer applies unchanged).
  if (reshape && linear.op == OpKind::kMatMul && index.transpose && codes.shape().size() == 3 &&
      codes.shape()[2] == shape.output_channels && codes.shape()[0] * codes.shape()[1] == shape.reduction &&
      codes.shape()[1] < shape.reduction)
    group_size = codes.shape()[1];
  const BroadcastReader zr = zero ? BroadcastReader(*zero, codes.shape()) : BroadcastReader();
  const BroadcastReader sr(*scale, codes.shape());
  if (!sr.valid() || (zero && !zr.valid()))
    return *why = "weight scale or zero point does not broadcast", false;
  return collect_weights(
      codes.element_count(), index, group_size, [&](int64_t e) { return codes.get_as_int64(e); },
      [&](int64_t e) { return zero ? zr.get(e) : 0.0; },
      [&](int64_t e) { return static_cast<float>(sr.get(e)); }, t, w, why);
}

// Weights given as FakeQuantize(Const float): codes are computed here, once.
bool match_fake_quantized_weights(const Node& linear, const LinearShape& shape, QuantizedWeights* w,
                                  std::vector<std::string>* chain, std::string* why) {
  const Node* fq = linear.inputs[1].node;
  if (fq->op != OpKind::kFakeQuantize)
    return *why = "weights are not constant-compressed or fake-quantized", false;
  const Tensor* x = constant_through_convert(fq->inputs[0]);
  if (!x) return *why = "fake-quantized weights are not constant", false;
  const int64_t levels = fq->attr<FakeQuantizeAttrs>().levels;
  if (levels > 256) return *why = "weight FakeQuantize levels above 256", false;
  std::vector<BroadcastReader> ranges;
  for (int i = 1; i <= 4; ++i) {
    const Tensor* r = constant_through_convert(fq->inputs[i]);
    if (!r) return *why = "weight FakeQuantize ranges are not constant", false;
    ranges.emplace_back(*r, x->shape());
    if (!ranges.back().valid()) return *why = "weight FakeQuantize ranges do not broadcast", false;
  }
  WeightIndexer index;
  index.output_channels = shape.output_channels;
  index.reduction = shape.reduction;
  index.transpose = linear.op == OpKind::kMatMul && !linear.attr<MatMulAttrs>().transpose_b;
  // Level index q in [0, levels-1]; the weight value is out_low + q * scale.
  auto level = [&](int64_t e) -> int64_t {
    const float v = static_cast<float>(x->get_as_double(e));
    const float il = static_cast<float>(ranges[0].get(e)), ih = static_cast<float>(ranges[1].get(e));
    if (v <= std::min(il, ih)) return 0;
    if (v > std::max(il, ih)) return levels - 1;
    return static_cast<int64_t>(std::nearbyint((v - il) / (ih - il) * static_cast<float>(levels - 1)));
  };
  auto step = [&](int64_t e) {
    return (static_cast<float>(ranges[3].get(e)) - static_cast<float>(ranges[2].get(e))) /
           static_cast<float>(levels - 1);
  };
  auto zero = [&](int64_t e) -> double {
    const float s = step(e);
    return s == 0.0f ? 0.0 : -static_cast<double>(static_cast<float>(ranges[2].get(e))) / s;
  };
  for (int64_t e = 0; e < x->element_count(); ++e) {
    if (ranges[0].get(e) >= ranges[1].get(e) || step(e) <= 0)
      return *why = "weight FakeQuantize has an empty or inverted range", false;
  }
  // u8 codes with a zero point; collect_weights verifies the zero point is integral per channel.
  QuantizedWeights u8;
  if (!collect_weights(x->element_count(), index, 0, level, zero, step, ElementType::kU8, &u8, why))
    return false;
  // Symmetric ranges (zero point 127 or 128 everywhere, the NNCF default) store as plain i8.
  bool symmetric = !u8.zero_point.empty();
  for (int32_t z : u8.zero_point)
    symmetric = symmetric && z == u8.zero_point.front() && (z == 127 || z == 128);
  if (symmetric) {
    const int32_t z = u8.zero_point.front();
    if (!collect_weights(
            x->element_count(), index, 0, [&](int64_t e) { return level(e) - z; },
            [&](int64_t) { return 0.0; }, step, ElementType::kI8, w, why))
      return false;
  } else {
    *w = std::move(u8);
  }
  chain->push_back(fq->name);
  return true;
}

// Bias: a constant addend that varies only along the output-channel axis.
std::optional<std::vector<float>> channel_vector(const Tensor& t, const Dims& out_shape, int64_t channel_axis,
                                                 int64_t channels) {
  const Dims& s = t.shape();
  if (s.size() > out_shape.size()) return std::nullopt;
  const int64_t offset = static_cast<int64_t>(out_shape.size() - s.size());
  int64_t channel_dim = 1;
  for (int64_t i = 0; i < static_cast<int64_t>(s.size()); ++i) {
    if (i + offset == channel_axis) {
      channel_dim = s[static_cast<size_t>(i)];
      if (channel_dim != 1 && channel_dim != channels) return std::nullopt;
    } else if (s[static_cast<size_t>(i)] != 1) {
      return std::nullopt;
    }
  }
  std::vector<float> v(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c)
    v[static_cast<size_t>(c)] = static_cast<float>(t.get_as_double(channel_dim == 1 ? 0 : c));
  return v;
}

struct Fusion {
  std::vector<float> bias;
  std::vector<PostOp> post_ops;
  std::optional<ActivationQuant> output;
  std::vector<Output> extra_inputs;
  std::vector<std::string> fused;
  Output last;  // output replaced by the quantized node
};

Fusion fuse_following(const Graph& graph, const Node& linear, const LinearShape& shape,
                      const QuantizeOptions& options) {
  Fusion f;
  f.last = {const_cast<Node*>(&linear), 0};
  const Dims& out_shape = linear.outputs[0].shape;
  while (true) {
    const auto users = graph.consumers(f.last);
    if (users.size() != 1) break;
    Node* user = users[0].first;
    const int port = users[0].second;
    if (user->outputs.size() != 1 || user->outputs[0].shape != out_shape) break;
    if (user->op == OpKind::kAdd) {
      const Output other = user->inputs[static_cast<size_t>(1 - port)];
      const Tensor* c = constant_through_convert(other);
      if (c) {
        if (!f.bias.empty() || !f.post_ops.empty()) break;
        auto bias = channel_vector(*c, out_shape, shape.channel_axis, shape.output_channels);
        if (!bias) break;
        f.bias = std::move(*bias);
      } else {
        bool has_residual = false;
        for (const PostOp& p : f.post_ops)
          has_residual = has_residual || p.kind == PostOp::Kind::kResidualAdd;
        if (has_residual || other.node->outputs[static_cast<size_t>(other.index)].shape != out_shape) break;
        PostOp p;
        p.kind = PostOp::Kind::kResidualAdd;
        p.input_index = 1;
        f.post_ops.push_back(p);
        f.extra_inputs.push_back(other);
      }
    } else if (is_fusable_activation(*user)) {
      f.post_ops.push_back(activation_post_op(*user));
    } else if (user->op == OpKind::kMultiply && options.fuse_across_fake_quantize) {
      const Tensor* c = constant_through_convert(user->inputs[static_cast<size_t>(1 - port)]);
      auto values =
          c ? channel_vector(*c, out_shape, shape.channel_axis, shape.output_channels) : std::nullopt;
      if (!values) break;
      PostOp p;
      p.kind = PostOp::Kind::kScale;
      p.values = std::move(*values);
      f.post_ops.push_back(std::move(p));
    } else if (user->op == OpKind::kFakeQuantize && port == 0) {
      std::string ignored;
      auto q = activation_quant(*user, &ignored, /*require_integer_zero=*/false);
      if (!q) break;
      f.fused.push_back(user->name);
      f.last = {user, 0};
      if (!options.fuse_across_fake_quantize) {
        f.output = q;
        break;
      }
      // Keep going (a residual Add, an activation and another FakeQuantize typically follow);
      // a FakeQuantize that ends the chain becomes the output quantization below.
      PostOp p;
      p.kind = PostOp::Kind::kFakeQuantize;
      p.quant = *q;
      f.post_ops.push_back(std::move(p));
      continue;
    } else {
      break;
    }
    f.fused.push_back(user->name);
    f.last = {user, 0};
  }
  if (!f.post_ops.empty() && f.post_ops.back().kind == PostOp::Kind::kFakeQuantize) {
    f.output = f.post_ops.back().quant;
    f.post_ops.pop_back();
  }
  return f;
}

const char* weight_bits_name(ElementType t) {
  return (t == ElementType::kI4 || t == ElementType::kU4) ? "int4" : "int8";
}

// The nodes that do not depend on a Parameter (constant subgraphs), found in one pass in
// topological order (no recursion: IR chains can be 100k layers long).
std::set<const Node*> constant_nodes(const Graph& graph) {
  std::set<const Node*> run_time, constant;
  for (const Node* n : graph.topological_order()) {
    bool depends = n->op == OpKind::kParameter;
    for (const Output& in : n->inputs) depends = depends || run_time.count(in.node);
    (depends ? run_time : constant).insert(n);
  }
  return constant;
}

// The grid `value` lies on when that is known (host/transforms/quantize_grid.h): the output of a
// FakeQuantize, or of a quantized linear node with a fused output FakeQuantize, seen through ops
// that only move values. The result quantizes those values back to their own levels: its input
// range is the FakeQuantize's output range, so re-quantizing v = out_low + q * scale gives q again
// (the error of v is a few ulp, far from a rounding boundary) and the consumer's
// (q - zero_point) * scale reproduces v.
std::optional<ActivationQuant> grid_of(Output value, std::string* why) {
  return value_grid(value, why);
}

// The QuantizeActivation node quantizing `source` (shared by every consumer wanting that layout).
Output quantize_node(Graph& graph, Output source, const std::string& name, const ActivationQuant& quant,
                     bool channels_last, std::map<std::tuple<const Node*, int, bool>, Node*>* cache) {
  Node*& node = (*cache)[{source.node, source.index, channels_last}];
  if (!node) node = add_quantize_activation(graph, source, name, quant, channels_last);
  return {node, 0};
}

bool same_quant(const ActivationQuant& a, const ActivationQuant& b) {
  return a.levels == b.levels && a.in_low == b.in_low && a.in_high == b.in_high && a.out_low == b.out_low &&
         a.out_high == b.out_high;
}

// The layout of the codes a quantized node reads and writes: channels last for convolutions,
// plain for MatMul (whose channels are already the last axis).
bool codes_channels_last(const Node& node) {
  return node.op == OpKind::kQuantizedConvolution;
}

// `node` (a quantized convolution or matmul) writes codes of `quant` instead of floats: output 0
// becomes the i8 tensor a QuantizeActivation{quant, codes_channels_last(node)} would make.
void write_codes(Node* node, const ActivationQuant& quant, const std::string& folded = "") {
  auto q = std::make_shared<QuantizedLinear>(quantized_params(*node));
  q->output_codes = quant;
  if (!folded.empty()) q->fused_names.push_back(folded);
  node->payload = q;
  node->outputs[0].type = ElementType::kI8;
  if (codes_channels_last(*node)) node->outputs[0].shape = channels_last_shape(node->outputs[0].shape);
}

// `node` reads its residual addend (input 1) as channels-last codes of `grid` from `codes`.
void read_residual_codes(Node* node, Output codes, const ActivationQuant& grid) {
  auto q = std::make_shared<QuantizedLinear>(quantized_params(*node));
  for (PostOp& op : q->post_ops)
    if (op.kind == PostOp::Kind::kResidualAdd) op.residual_codes = grid;
  node->payload = q;
  node->inputs[1] = codes;
}

bool reads_float_residual(const Node& node, int port) {
  if (node.op != OpKind::kQuantizedConvolution || port != 1 || node.input_type(1) != ElementType::kF32)
    return false;
  for (const PostOp& op : quantized_params(node).post_ops)
    if (op.kind == PostOp::Kind::kResidualAdd && !op.residual_codes) return true;
  return false;
}

void write_codes_for_readers(Graph& graph);

// QuantizeOptions::emit_codes. Activations between quantized layers travel as i8 codes (channels
// last after convolutions, plain after matmuls) instead of floats wherever that loses nothing: a
// QuantizeActivation of a grid recovers the levels exactly, and a residual addend on a grid is those levels'
// FakeQuantize values.
void emit_codes(Graph& graph) {
  // QuantizeActivations after MaxPool and Concat move before them first, so the producers below see
  // them (codes_flow.h).
  move_codes_before_value_ops(graph);
  average_pools_on_codes(graph);
  // Residual addends that are already quantized channels last for another consumer are read as
  // those codes (a quarter of the bytes, and the float value may lose its last consumer).
  for (Node* node : graph.topological_order()) {
    if (node->inputs.size() != 2 || !reads_float_residual(*node, 1)) continue;
    const Output addend = node->inputs[1];
    std::string why;
    const auto grid = grid_of(addend, &why);
    if (!grid) continue;
    for (const auto& [user, port] : graph.consumers(addend)) {
      if (user->op != OpKind::kQuantizeActivation || port != 0) continue;
      const ActivationQuantize& codes = quantize_params(*user);
      if (!codes.channels_last || !same_quant(codes.quant, *grid)) continue;
      read_residual_codes(node, {user, 0}, *grid);
      break;
    }
  }
  write_codes_for_readers(graph);
}

// Quantized nodes whose readers take codes write them (part of emit_codes, and again after
// requantize_concats_on_codes has given a DenseNet block's convolutions codes readers).
void write_codes_for_readers(Graph& graph) {
  for (Node* node : graph.topological_order()) {
    const bool conv = node->op == OpKind::kQuantizedConvolution;
    if (!(conv && node->outputs[0].shape.size() >= 3) && node->op != OpKind::kQuantizedMatMul) continue;
    const bool channels_last = codes_channels_last(*node);
    const auto users = graph.consumers({node, 0});
    if (users.empty()) continue;
    // A single QuantizeActivation of any quantization in the node's codes layout: the node applies
    // it itself.
    Node* first = users[0].first;
    if (users.size() == 1 && first->op == OpKind::kQuantizeActivation &&
        quantize_params(*first).channels_last == channels_last &&
        quantize_params(*first).channel_quant.empty()) {
      write_codes(node, quantize_params(*first).quant, first->name);
      graph.replace_all_uses({first, 0}, {node, 0});
      continue;
    }
    // Otherwise consumers take the codes of the output's own grid: QuantizeActivations of that grid,
    // and convolutions adding it as their residual. Other readers (a Resize, say) get its floats
    // back from a CodesDequantize when at least one QuantizeActivation of the grid is replaced:
    // writing 1-byte codes and dequantizing them once costs less than writing floats and
    // quantizing them. A model output keeps the floats the layer writes.
    std::string why;
    const auto grid = grid_of({node, 0}, &why);
    if (!grid) continue;
    bool all = true;
    std::vector<Node*> grid_codes;
    std::vector<std::pair<Node*, int>> residual_users, float_users;
    for (const auto& [user, port] : users) {
      if (user->op == OpKind::kQuantizeActivation && port == 0 &&
          quantize_params(*user).channels_last == channels_last &&
          quantize_params(*user).channel_quant.empty() && same_quant(quantize_params(*user).quant, *grid)) {
        grid_codes.push_back(user);
      } else if (conv && reads_float_residual(*user, port)) {
        // A convolution's residual addend is read channels last: only a convolution's codes.
        residual_users.emplace_back(user, port);
      } else {
        all = all && user->op != OpKind::kResult;
        float_users.emplace_back(user, port);
      }
    }
    if (!all || (!float_users.empty() && grid_codes.empty())) continue;
    write_codes(node, *grid);
    for (Node* user : grid_codes) graph.replace_all_uses({user, 0}, {node, 0});
    for (const auto& [user, port] : residual_users) read_residual_codes(user, {node, 0}, *grid);
    if (!float_users.empty()) {
      Node* floats = add_codes_dequantize(graph, {node, 0}, node->name + "/dequantize", *grid, channels_last);
      for (const auto& [user, port] : float_users) user->inputs[static_cast<size_t>(port)] = {floats, 0};
    }
  }
}

}  // namespace

std::vector<QuantizationDecision> quantize_linear_ops(Graph& graph, const QuantizeOptions& options) {
  std::vector<QuantizationDecision> decisions;
  // Taken before the pass adds nodes; those all compute from activations.
  const std::set<const Node*> constant = constant_nodes(graph);
  std::map<std::tuple<const Node*, int, bool>, Node*> quantizers;  // one per (value, layout)
  for (Node* node : graph.topological_order()) {
    if (!is_linear(node->op)) continue;
    QuantizationDecision d;
    d.node_name = node->name;
    d.op = op_name(node->op);
    d.precision = "f32";
    auto finish_float = [&](std::string why) {
      d.reason = std::move(why);
      decisions.push_back(d);
    };
    if (node->input_type(0) != ElementType::kF32 || node->outputs[0].type != ElementType::kF32) {
      finish_float("activations are not f32");
      continue;
    }
    if (!constant.count(node->inputs[1].node)) {
      finish_float("both inputs are activations (no constant weights)");
      continue;
    }
    std::string why;
    const auto shape = linear_shape(*node, &why);
    if (!shape) {
      finish_float(why);
      continue;
    }
    auto q = std::make_shared<QuantizedLinear>();
    std::vector<std::string> weight_chain;
    std::string why_decompression, why_fq;
    if (!match_decompression(*node, *shape, &q->weights, &weight_chain, &why_decompression)) {
      weight_chain.clear();
      if (!match_fake_quantized_weights(*node, *shape, &q->weights, &weight_chain, &why_fq)) {
        const bool fq_weights = node->inputs[1].node->op == OpKind::kFakeQuantize;
        finish_float(fq_weights ? why_fq : why_decompression);
        continue;
      }
    }
    // Codes were collected as [O, R]; convolutions keep their filter layout for the kernels.
    if (node->op != OpKind::kMatMul) q->weights.codes = q->weights.codes.reshaped(node->input_shape(1));
    Output activation = node->inputs[0];
    Node* act_fq = activation.node;
    const bool channels_last = node->op != OpKind::kMatMul;
    std::string why_act;
    if (act_fq->op == OpKind::kFakeQuantize) {
      // Quantize the FakeQuantize's input with its own ranges (one rounding, as the graph does).
      q->input = activation_quant(*act_fq, &why_act, /*require_integer_zero=*/true);
      if (q->input)
        activation =
            quantize_node(graph, act_fq->inputs[0], act_fq->name, *q->input, channels_last, &quantizers);
    } else if ((q->input = grid_of(activation, &why_act))) {
      // Already on a grid (an earlier node fused the FakeQuantize, or a MaxPool/Reshape sits
      // between): its codes are recovered exactly.
      activation =
          quantize_node(graph, activation, activation.node->name, *q->input, channels_last, &quantizers);
    }
    if (!q->input) d.reason = "activations stay float: " + why_act;
    q->base_op = node->op;
    if (node->op == OpKind::kMatMul)
      q->matmul = node->attr<MatMulAttrs>();
    else
      q->conv = node->attr<ConvAttrs>();
    q->base_name = node->name;
    Fusion fusion = fuse_following(graph, *node, *shape, options);
    q->bias = std::move(fusion.bias);
    q->post_ops = std::move(fusion.post_ops);
    q->output = fusion.output;
    q->fused_names = fusion.fused;

    Node* qnode = graph.add(
        node->op == OpKind::kMatMul ? OpKind::kQuantizedMatMul : OpKind::kQuantizedConvolution, node->name);
    qnode->ir_id = node->ir_id;
    qnode->inputs.push_back(activation);
    for (const Output& extra : fusion.extra_inputs) qnode->inputs.push_back(extra);
    qnode->outputs = {fusion.last.node->outputs[static_cast<size_t>(fusion.last.index)]};
    qnode->outputs[0].has_declared_shape = false;
    // The value is the last fused op's: without tensor names of its own it is shown under that op's
    // name (as the unfused graph shows it), not the base op's, whose own output no longer exists
    // (compare --layers would otherwise match it with the reference's pre-fusion tensor).
    if (qnode->outputs[0].names.empty() && fusion.last.node != node)
      qnode->outputs[0].names = {display_name(fusion.last)};
    qnode->payload = q;
    graph.replace_all_uses(fusion.last, {qnode, 0});

    d.quantized = true;
    d.precision = q->input ? std::string(weight_bits_name(q->weights.type)) +
                                 (q->input->is_signed() ? " (i8 act)" : " (u8 act)")
                           : std::string(weight_bits_name(q->weights.type)) + " weights";
    d.fused = weight_chain;
    d.fused.insert(d.fused.end(), fusion.fused.begin(), fusion.fused.end());
    decisions.push_back(d);
  }
  graph.remove_dead_nodes();
  if (options.emit_codes) {
    emit_codes(graph);
    graph.remove_dead_nodes();
  }
  if (options.per_channel_inputs) quantize_per_channel_inputs(graph, &decisions);
  if (options.fuse_quantize_prologue) fold_quantize_prologues(graph);
  if (options.emit_codes && options.requantize_codes && requantize_concats_on_codes(graph) > 0) {
    write_codes_for_readers(graph);
    graph.remove_dead_nodes();
  }
  return decisions;
}

}  // namespace octet
