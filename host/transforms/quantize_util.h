// Small helpers of the quantization pass: constants seen through Converts, broadcast reads,
// packed code stores, and FakeQuantize-to-affine-quantization conversion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"

namespace octet {

// The value behind `output` when it is a Constant, or a Convert of a Constant (exact for the
// int -> float and f16 -> f32 conversions decompression chains use), else nullptr.
const Tensor* constant_through_convert(Output output);

// The common value when every element of `t` is equal (scalar-like), else nullopt.
std::optional<float> uniform_value(const Tensor& t);

// Reads a tensor numpy-broadcast to a larger shape by flat index of that shape.
class BroadcastReader {
 public:
  BroadcastReader() = default;
  BroadcastReader(const Tensor& t, const Dims& full);
  bool valid() const { return valid_; }
  double get(int64_t flat) const;

 private:
  const Tensor* tensor_ = nullptr;
  Dims full_strides_;    // row-major strides of the full shape
  Dims source_strides_;  // strides into the tensor, 0 on broadcast dims
  bool valid_ = false;
};

// Stores integer code `value` at element `index` of packed storage of type i8/u8/i4/u4.
void store_code(uint8_t* bytes, ElementType type, int64_t index, int64_t value);

// Affine quantization of levels and ranges {in_low, in_high, out_low, out_high} (see
// activation_quant).
std::optional<ActivationQuant> affine_quant(int64_t levels, const float (&ranges)[4], std::string* why,
                                            bool require_integer_zero);

// Affine quantization of a FakeQuantize with scalar-like constant ranges. With
// require_integer_zero, the level holding 0.0 must be an integer (needed to run the consumer on
// integer codes); returns nullopt with the reason otherwise.
std::optional<ActivationQuant> activation_quant(const Node& fq, std::string* why, bool require_integer_zero);

// A new QuantizeActivation of `source` with grid `quant`, named `name` + "/codes_nhwc" (channels
// last) or "/codes", its shape inferred.
Node* add_quantize_activation(Graph& graph, Output source, const std::string& name,
                              const ActivationQuant& quant, bool channels_last);

}  // namespace octet
