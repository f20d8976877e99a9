// Attribute structs of the normalisations, reductions, softmax variants and scans.
// Included by host/graph/op_attrs.h; parse functions in normalization.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// CumSum-3: exclusive leaves each element out of its own sum; reverse sums from the end.
struct CumSumAttrs {
  bool exclusive = false, reverse = false;
  static CumSumAttrs parse(AttrReader& r);
};

// NormalizeL2-1: y = x / sqrt(sum(x^2) + eps) (add) or x / sqrt(max(sum(x^2), eps)) (max).
enum class L2EpsMode { kAdd, kMax };
struct NormalizeL2Attrs {
  double eps = 0;
  L2EpsMode eps_mode = L2EpsMode::kAdd;
  static NormalizeL2Attrs parse(AttrReader& r);
};

// GRN-1: y = x / sqrt(sum over channels of x^2 + bias).
struct GrnAttrs {
  double bias = 1;
  static GrnAttrs parse(AttrReader& r);
};

// LRN-1: y = x / (bias + alpha / size^len(axes) * sum of x^2 over the window)^beta.
struct LrnAttrs {
  double alpha = 1, beta = 0.5, bias = 1;
  int64_t size = 1;
  static LrnAttrs parse(AttrReader& r);
};

// BatchNormInference-1 and -5 (they differ only in input order).
struct BatchNormAttrs {
  double epsilon = 0;
  static BatchNormAttrs parse(AttrReader& r);
};

// GroupNormalization-12.
struct GroupNormAttrs {
  int64_t num_groups = 1;
  double epsilon = 0;
  static GroupNormAttrs parse(AttrReader& r);
};

// MVN-1 (written version="opset2"): the axes come from the attributes. `reduction_axes` as written
// (unique, ascending, non-negative); when empty the axes are 1.. (across_channels) or 2.. up to the rank.
struct Mvn1Attrs {
  bool across_channels = false, normalize_variance = false;
  double eps = 0;
  std::vector<int64_t> reduction_axes;
  static Mvn1Attrs parse(AttrReader& r);
};

}  // namespace octet
