// Parse functions of the data movement and generator attribute structs (movement.h), per op version.
#include "host/graph/attrs/movement.h"

#include "host/common/error.h"
#include "host/graph/graph.h"

namespace octet {
namespace {

// Range-4 and Eye-9 output types: byte-addressable types (the ops write whole elements).
ElementType read_output_type(AttrReader& r, bool boolean_allowed) {
  const ElementType t = r.element_type("output_type");
  if (t == ElementType::kBoolean && !boolean_allowed)
    r.fail("output_type", "must be a numeric type, not boolean");
  if (t == ElementType::kUndefined || is_sub_byte(t))
    raise(ErrorCode::kUnsupported,
          "{}: attribute 'output_type' = '{}' is a sub-byte type octet does not produce", r.node().describe(),
          element_type_name(t));
  return t;
}

}  // namespace

ShuffleChannelsAttrs ShuffleChannelsAttrs::parse(AttrReader& r) {
  ShuffleChannelsAttrs a;
  a.axis = r.i64_or("axis", 1);
  a.group = r.i64_or("group", 1);
  if (a.group < 1) r.fail("group", "must be at least 1");
  return a;
}

DepthSpaceAttrs DepthSpaceAttrs::parse(AttrReader& r) {
  DepthSpaceAttrs a;
  a.mode = r.choice_or<DepthSpaceMode>(
      "mode", {{"blocks_first", DepthSpaceMode::kBlocksFirst}, {"depth_first", DepthSpaceMode::kDepthFirst}},
      DepthSpaceMode::kBlocksFirst);
  a.block_size = r.i64_or("block_size", 1);
  if (a.block_size < 1 || a.block_size > kMaxDim) r.fail("block_size", "must be at least 1");
  return a;
}

RangeAttrs RangeAttrs::parse(AttrReader& r) {
  RangeAttrs a;
  if (r.version() >= 4) a.output_type = read_output_type(r, false);
  return a;
}

ReverseSequenceAttrs ReverseSequenceAttrs::parse(AttrReader& r) {
  return {r.i64_or("batch_axis", 0), r.i64_or("seq_axis", 1)};
}

ReverseAttrs ReverseAttrs::parse(AttrReader& r) {
  return {r.choice<ReverseMode>("mode", {{"index", ReverseMode::kIndex}, {"mask", ReverseMode::kMask}})};
}

EyeAttrs EyeAttrs::parse(AttrReader& r) {
  return {read_output_type(r, true)};
}

OneHotAttrs OneHotAttrs::parse(AttrReader& r) {
  OneHotAttrs a;
  a.axis = r.i64("axis");
  if (r.version() >= 16)
    a.negative_indices =
        r.choice_or<OneHotNegativeMode>("negative_indices_mode",
                                        {{"ignore_negative", OneHotNegativeMode::kIgnoreNegative},
                                         {"normalize", OneHotNegativeMode::kNormalize}},
                                        OneHotNegativeMode::kIgnoreNegative);
  return a;
}

}  // namespace octet
