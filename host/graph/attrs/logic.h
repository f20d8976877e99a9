// Attribute structs of the comparison, logical, bitwise and further elementwise math ops.
// Included by host/graph/op_attrs.h; parse functions in logic.cpp.
#pragma once

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/op_attrs.h"  // BinaryAttrs, AutoBroadcast (this file is included at its end)
#include "host/graph/shape.h"

namespace octet {

// auto_broadcast as OpenVINO serialises its AutoBroadcastSpec: "numpy" (default), "none" (also
// spelled "explicit") or "pdpd", whose start axis is written as `auto_broadcast.auto_broadcast_axis`
// (-1, the spec's default, aligns B to the right). Used by the comparison, logical, bitwise, Select,
// Mod and FloorMod ops; the fields are BinaryAttrs' so broadcasting helpers take either.
struct ElementwiseAttrs : BinaryAttrs {
  static ElementwiseAttrs parse(AttrReader& r);
};

enum class RoundMode { kHalfToEven, kHalfAwayFromZero };

// Round-5.
struct RoundAttrs {
  RoundMode mode = RoundMode::kHalfToEven;
  static RoundAttrs parse(AttrReader& r);
};

// IsInf-10: which infinities count.
struct IsInfAttrs {
  bool detect_negative = true, detect_positive = true;
  static IsInfAttrs parse(AttrReader& r);
};

}  // namespace octet
