// Helpers of the quantization pass.
#include "host/transforms/quantize_util.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace octet {

const Tensor* constant_through_convert(Output output) {
  const Node* n = output.node;
  if (n->op == OpKind::kConstant) return n->constant.get();
  if (n->op == OpKind::kConvert && is_float(n->outputs[0].type) && n->inputs[0].node->op == OpKind::kConstant)
    return n->inputs[0].node->constant.get();
  return nullptr;
}

std::optional<float> uniform_value(const Tensor& t) {
  if (t.element_count() == 0) return std::nullopt;
  const double first = t.get_as_double(0);
  for (int64_t i = 1; i < t.element_count(); ++i)
    if (t.get_as_double(i) != first) return std::nullopt;
  return static_cast<float>(first);
}

BroadcastReader::BroadcastReader(const Tensor& t, const Dims& full) : tensor_(&t) {
  const Dims& s = t.shape();
  if (s.size() > full.size()) return;
  full_strides_ = row_major_strides(full);
  const Dims own = row_major_strides(s);
  source_strides_.assign(full.size(), 0);
  const size_t offset = full.size() - s.size();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == full[i + offset]) {
      source_strides_[i + offset] = own[i];
    } else if (s[i] != 1) {
      return;
    }
  }
  valid_ = true;
}

double BroadcastReader::get(int64_t flat) const {
  int64_t source = 0;
  for (size_t d = 0; d < full_strides_.size(); ++d) {
    const int64_t coordinate = flat / full_strides_[d];
    flat -= coordinate * full_strides_[d];
    source += coordinate * source_strides_[d];
  }
  return tensor_->get_as_double(source);
}

void store_code(uint8_t* bytes, ElementType type, int64_t index, int64_t value) {
  switch (type) {
    case ElementType::kI8:
    case ElementType::kU8: bytes[index] = static_cast<uint8_t>(value); break;
    case ElementType::kI4:
    case ElementType::kU4: {
      const int shift = static_cast<int>(index % 2) * 4;
      uint8_t& b = bytes[index / 2];
      b = static_cast<uint8_t>((b & ~(0xf << shift)) | ((value & 0xf) << shift));
      break;
    }
    default: break;
  }
}

std::optional<ActivationQuant> affine_quant(int64_t levels, const float (&r)[4], std::string* why,
                                            bool require_integer_zero) {
  if (levels > 256) return *why = "levels above 256", std::nullopt;
  ActivationQuant q;
  q.levels = static_cast<int>(levels);
  q.in_low = r[0];
  q.in_high = r[1];
  q.out_low = r[2];
  q.out_high = r[3];
  if (!(q.in_low < q.in_high) || !(q.out_low < q.out_high))
    return *why = "empty or inverted range", std::nullopt;
  q.scale = (q.out_high - q.out_low) / static_cast<float>(q.levels - 1);
  const double zero = -static_cast<double>(q.out_low) / q.scale;
  const double rounded = std::nearbyint(zero);
  q.zero_point = static_cast<int32_t>(std::max(0.0, std::min(rounded, static_cast<double>(q.levels - 1))));
  if (require_integer_zero && (std::fabs(zero - rounded) > 1e-3 || rounded < 0 || rounded > q.levels - 1))
    return *why = "zero is not on a quantization level", std::nullopt;
  return q;
}

std::optional<ActivationQuant> activation_quant(const Node& fq, std::string* why, bool require_integer_zero) {
  if (fq.op != OpKind::kFakeQuantize || fq.inputs.size() != 5)
    return *why = "not a FakeQuantize", std::nullopt;
  const int64_t levels = fq.attr<FakeQuantizeAttrs>().levels;  // >= 2 (FakeQuantizeAttrs::parse)
  if (levels > 256) return *why = "levels above 256", std::nullopt;
  float r[4];
  for (int i = 0; i < 4; ++i) {
    const Tensor* t = constant_through_convert(fq.inputs[static_cast<size_t>(i + 1)]);
    if (!t) return *why = "ranges are not constant", std::nullopt;
    const auto v = uniform_value(*t);
    if (!v) return *why = "ranges are per-channel", std::nullopt;
    r[i] = *v;
  }
  return affine_quant(levels, r, why, require_integer_zero);
}

Node* add_quantize_activation(Graph& graph, Output source, const std::string& name,
                              const ActivationQuant& quant, bool channels_last) {
  Node* node = graph.add(OpKind::kQuantizeActivation, name + (channels_last ? "/codes_nhwc" : "/codes"));
  node->inputs = {source};
  auto payload = std::make_shared<ActivationQuantize>();
  payload->quant = quant;
  payload->channels_last = channels_last;
  node->payload = payload;
  infer_node(*node);
  return node;
}

}  // namespace octet
