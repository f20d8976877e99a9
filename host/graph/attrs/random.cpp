// Parse function of RandomUniform-8's attribute struct (random.h).
#include "host/graph/attrs/random.h"

#include "host/common/error.h"
#include "host/common/text.h"
#include "host/graph/graph.h"

namespace octet {

RandomUniformAttrs RandomUniformAttrs::parse(AttrReader& r) {
  RandomUniformAttrs a;
  a.output_type = r.element_type("output_type");
  switch (a.output_type) {
    case ElementType::kF32:
    case ElementType::kF16:
    case ElementType::kBF16:
    case ElementType::kI32:
    case ElementType::kI64: break;
    case ElementType::kF64:
      raise(ErrorCode::kUnsupported,
            "{}: attribute 'output_type' = 'f64': octet does not generate f64 values", r.node().describe());
    default: r.fail("output_type", "must be one of f32, f16, bf16, i32, i64 (f64 is not supported)");
  }
  // OpenVINO keeps both seeds as uint64; values past int64 are refused by the strict integer parse.
  const int64_t global_seed = r.i64("global_seed");
  const int64_t op_seed = r.i64("op_seed");
  if (global_seed < 0) r.fail("global_seed", "must be non-negative");
  if (op_seed < 0) r.fail("op_seed", "must be non-negative");
  a.global_seed = static_cast<uint64_t>(global_seed);
  a.op_seed = static_cast<uint64_t>(op_seed);
  // Written by OpenVINO 2024.3 and later; older IR means TensorFlow's Philox. "mock" is OpenVINO's
  // test-only generator (all zeros in its reference, refused by its CPU plugin).
  if (r.has("alignment")) {
    const std::string value = lower(r.str("alignment"));
    if (value == "tensorflow")
      a.alignment = RandomAlignment::kTensorflow;
    else if (value == "pytorch")
      a.alignment = RandomAlignment::kPytorch;
    else if (value == "mock")
      raise(ErrorCode::kUnsupported,
            "{}: attribute 'alignment' = 'mock' is OpenVINO's test-only generator; octet implements "
            "'tensorflow' and 'pytorch'",
            r.node().describe());
    else
      r.fail("alignment", "must be one of tensorflow, pytorch");
  }
  if (a.global_seed == 0 && a.op_seed == 0)
    raise(ErrorCode::kUnsupported,
          "{}: attributes 'global_seed' = 0 and 'op_seed' = 0: OpenVINO then seeds the generator from the "
          "clock (a different sequence per run), which no result can reproduce; give either seed a non-zero "
          "value",
          r.node().describe());
  return a;
}

}  // namespace octet
