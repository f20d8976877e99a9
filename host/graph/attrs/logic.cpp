// Parse functions of the comparison, logical, bitwise and elementwise math attribute structs (logic.h).
#include "host/graph/attrs/logic.h"

#include <fmt/format.h>

namespace octet {

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
