// Attribute structs of the indexing, top-k, scatter and gather ops.
// Included by host/graph/op_attrs.h; parse functions in indexing.cpp.
#pragma once

#include <cstdint>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

enum class TopKMode { kMax, kMin };
// kNone leaves the order to the implementation (the spec says "undefined"); octet then writes the
// value order, as OpenVINO's CPU plugin does.
enum class TopKSort { kValue, kIndex, kNone };

// TopK-1, -3 and -11. `stable` (TopK-11) only changes the order of equal values, and octet's
// order is always stable (ties by ascending index), so every version computes the same thing.
struct TopKAttrs {
  int64_t axis = 0;  // as written; normalised against the data rank by shape inference
  TopKMode mode = TopKMode::kMax;
  TopKSort sort = TopKSort::kValue;
  ElementType index_type = ElementType::kI32;
  bool stable = false;
  static TopKAttrs parse(AttrReader& r);
};

// GatherND-5 and -8: the number of leading batch dims shared by data and indices.
struct GatherNDAttrs {
  int64_t batch_dims = 0;
  static GatherNDAttrs parse(AttrReader& r);
};

// How a scatter combines an update with the value already there. kSub is ScatterNDUpdate-15 only,
// kMean ScatterElementsUpdate-12 only; version 3 ops always overwrite (kNone).
enum class ScatterReduction { kNone, kSum, kSub, kProd, kMin, kMax, kMean };

// ScatterElementsUpdate-3 (no attributes) and -12 (reduction, use_init_val).
struct ScatterElementsUpdateAttrs {
  ScatterReduction reduction = ScatterReduction::kNone;
  bool use_init_val = true;  // false: an updated element starts from its first update, not data
  static ScatterElementsUpdateAttrs parse(AttrReader& r);
};

// ScatterNDUpdate-3 (no attributes, written as opset4) and -15 (reduction).
struct ScatterNDUpdateAttrs {
  ScatterReduction reduction = ScatterReduction::kNone;
  static ScatterNDUpdateAttrs parse(AttrReader& r);
};

}  // namespace octet
