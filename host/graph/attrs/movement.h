// Attribute structs of the data movement and generator ops.
// Included by host/graph/op_attrs.h; parse functions in movement.cpp.
#pragma once

#include <cstdint>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// ShuffleChannels-1: `axis` (may be negative) and `group`, which must divide that dim.
struct ShuffleChannelsAttrs {
  int64_t axis = 1;
  int64_t group = 1;
  static ShuffleChannelsAttrs parse(AttrReader& r);
};

// DepthToSpace-1 and SpaceToDepth-1: how the channel index splits into (block, depth) parts.
// kBlocksFirst: channel = block_offset * (C / bs^K) + depth; kDepthFirst: depth * bs^K + block_offset.
enum class DepthSpaceMode { kBlocksFirst, kDepthFirst };
struct DepthSpaceAttrs {
  DepthSpaceMode mode = DepthSpaceMode::kBlocksFirst;
  int64_t block_size = 1;
  static DepthSpaceAttrs parse(AttrReader& r);
};

// Range-1 has no attributes (the output has the inputs' common type); Range-4 names its output type.
struct RangeAttrs {
  ElementType output_type = ElementType::kUndefined;  // kUndefined for Range-1
  static RangeAttrs parse(AttrReader& r);
};

// ReverseSequence-1: the axis indexing seq_lengths and the axis whose prefix is reversed.
struct ReverseSequenceAttrs {
  int64_t batch_axis = 0;
  int64_t seq_axis = 1;
  static ReverseSequenceAttrs parse(AttrReader& r);
};

// Reverse-1: the axes input lists axis numbers (kIndex) or holds one boolean per axis (kMask).
enum class ReverseMode { kIndex, kMask };
struct ReverseAttrs {
  ReverseMode mode = ReverseMode::kIndex;
  static ReverseAttrs parse(AttrReader& r);
};

// Eye-9: the output element type (numeric or boolean).
struct EyeAttrs {
  ElementType output_type = ElementType::kF32;
  static EyeAttrs parse(AttrReader& r);
};

// OneHot-1 and -16. OneHot-1 leaves every index outside [0, depth) as off_value (kIgnoreNegative);
// OneHot-16 may map indices in [-depth, -1] to index + depth (kNormalize).
enum class OneHotNegativeMode { kIgnoreNegative, kNormalize };
struct OneHotAttrs {
  int64_t axis = -1;
  OneHotNegativeMode negative_indices = OneHotNegativeMode::kIgnoreNegative;
  static OneHotAttrs parse(AttrReader& r);
};

}  // namespace octet
