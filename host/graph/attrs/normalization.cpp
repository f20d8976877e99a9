// Parse functions of the normalisation, reduction, softmax-variant and scan attribute structs
// (normalization.h), one per op version as OpenVINO's visit_attributes writes them.
#include "host/graph/attrs/normalization.h"

#include <algorithm>
#include <cmath>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

// A float attribute that must be a finite value >= 0 (epsilons, biases added before a sqrt).
double non_negative(AttrReader& r, const char* key) {
  const double v = r.f64(key);
  if (!std::isfinite(v) || v < 0) r.fail(key, "must be a finite value >= 0");
  return v;
}

double finite(AttrReader& r, const char* key) {
  const double v = r.f64(key);
  if (!std::isfinite(v)) r.fail(key, "must be finite");
  return v;
}

}  // namespace

CumSumAttrs CumSumAttrs::parse(AttrReader& r) {
  CumSumAttrs a;
  a.exclusive = r.boolean_or("exclusive", false);
  a.reverse = r.boolean_or("reverse", false);
  return a;
}

NormalizeL2Attrs NormalizeL2Attrs::parse(AttrReader& r) {
  NormalizeL2Attrs a;
  a.eps = non_negative(r, "eps");
  a.eps_mode = r.choice<L2EpsMode>("eps_mode", {{"add", L2EpsMode::kAdd}, {"max", L2EpsMode::kMax}});
  return a;
}

GrnAttrs GrnAttrs::parse(AttrReader& r) {
  return {non_negative(r, "bias")};
}

LrnAttrs LrnAttrs::parse(AttrReader& r) {
  LrnAttrs a;
  a.alpha = finite(r, "alpha");
  a.beta = finite(r, "beta");
  a.bias = finite(r, "bias");
  a.size = r.i64("size");
  if (a.size < 1 || a.size > kMaxDim) r.fail("size", "must be a positive window size");
  return a;
}

BatchNormAttrs BatchNormAttrs::parse(AttrReader& r) {
  return {non_negative(r, "epsilon")};
}

GroupNormAttrs GroupNormAttrs::parse(AttrReader& r) {
  GroupNormAttrs a;
  a.num_groups = r.i64("num_groups");
  if (a.num_groups < 1 || a.num_groups > kMaxDim) r.fail("num_groups", "must be positive");
  a.epsilon = non_negative(r, "epsilon");
  return a;
}

Mvn1Attrs Mvn1Attrs::parse(AttrReader& r) {
  Mvn1Attrs a;
  a.eps = non_negative(r, "eps");
  a.across_channels = r.boolean_or("across_channels", false);
  a.normalize_variance = r.boolean_or("normalize_variance", false);
  // OpenVINO keeps reduction_axes as an AxisSet (sorted, duplicates merged, unsigned).
  a.reduction_axes = r.i64_list_or("reduction_axes", {});
  for (int64_t v : a.reduction_axes)
    if (v < 0 || v > kMaxDim) r.fail("reduction_axes", fmt::format("holds {}; axes are in [0, rank)", v));
  std::sort(a.reduction_axes.begin(), a.reduction_axes.end());
  a.reduction_axes.erase(std::unique(a.reduction_axes.begin(), a.reduction_axes.end()),
                         a.reduction_axes.end());
  return a;
}

}  // namespace octet
