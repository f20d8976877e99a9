// Parse functions of the comparison, logical, bitwise and elementwise math attribute structs (logic.h).
#include "host/graph/attrs/logic.h"

#include <fmt/format.h>

namespace octet {

ElementwiseAttrs ElementwiseAttrs::parse(AttrReader& r) {
  ElementwiseAttrs a;
  // OpenVINO's AutoBroadcastType names: EXPLICIT is NONE, so both spellings read as kNone.
  a.broadcast = r.choice_or<AutoBroadcast>("auto_broadcast",
                                           {{"numpy", AutoBroadcast::kNumpy},
                                            {"none", AutoBroadcast::kNone},
                                            {"explicit", AutoBroadcast::kNone},
                                            {"pdpd", AutoBroadcast::kPdpd}},
                                           AutoBroadcast::kNumpy);
  // The axis only means something for pdpd; OpenVINO reads (and ignores) it with the other modes too.
  const char* axis_key = "auto_broadcast.auto_broadcast_axis";
  const int64_t axis = r.i64_or(axis_key, -1);
  if (a.broadcast == AutoBroadcast::kPdpd) {
    if (axis < -1) r.fail(axis_key, fmt::format("is {}; pdpd takes -1 or a non-negative axis", axis));
    a.pdpd_axis = axis;
  }
  return a;
}

RoundAttrs RoundAttrs::parse(AttrReader& r) {
  return {r.choice_or<RoundMode>(
      "mode",
      {{"half_to_even", RoundMode::kHalfToEven}, {"half_away_from_zero", RoundMode::kHalfAwayFromZero}},
      RoundMode::kHalfToEven)};
}

IsInfAttrs IsInfAttrs::parse(AttrReader& r) {
  IsInfAttrs a;
  a.detect_negative = r.boolean_or("detect_negative", true);
  a.detect_positive = r.boolean_or("detect_positive", true);
  return a;
}

}  // namespace octet
