// Attribute struct of the random generator ops (RandomUniform-8). Included by host/graph/op_attrs.h;
// parse function in random.cpp.
#pragma once

#include <cstdint>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"

namespace octet {

// Which framework's generator RandomUniform-8 reproduces: TensorFlow's Philox4x32-10 (key = global_seed,
// counter = op_seed) or PyTorch's MT19937 seeded with global_seed (op_seed unused).
enum class RandomAlignment { kTensorflow, kPytorch };

// RandomUniform-8. Both seeds 0 asks OpenVINO for a time-seeded (non-reproducible) sequence: refused.
struct RandomUniformAttrs {
  ElementType output_type = ElementType::kF32;  // f32, f16, bf16, i32 or i64
  uint64_t global_seed = 0;
  uint64_t op_seed = 0;
  RandomAlignment alignment = RandomAlignment::kTensorflow;
  static RandomUniformAttrs parse(AttrReader& r);
};

}  // namespace octet
