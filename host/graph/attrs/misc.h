// Attribute structs of the embedding, decoding, signal and other ops.
// Included by host/graph/op_attrs.h; parse functions in misc.cpp. (EmbeddingBagOffsetsSum-3,
// EmbeddingBagPackedSum-3, EmbeddingSegmentsSum-3, GatherTree-1, SliceScatter-15 and ErfInv-17 have no
// attributes: NoAttrs.)
#pragma once

#include <cstdint>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// Bucketize-3.
struct BucketizeAttrs {
  ElementType output_type = ElementType::kI64;  // i32 or i64
  bool with_right_bound = true;
  static BucketizeAttrs parse(AttrReader& r);
};

enum class EmbeddingReduction { kSum, kMean };

// EmbeddingBagOffsets-15 and EmbeddingBagPacked-15.
struct EmbeddingBagAttrs {
  EmbeddingReduction reduction = EmbeddingReduction::kSum;
  static EmbeddingBagAttrs parse(AttrReader& r);
};

// CTCGreedyDecoder-1.
struct CtcGreedyDecoderAttrs {
  bool merge_repeated = true;  // IR key ctc_merge_repeated
  static CtcGreedyDecoderAttrs parse(AttrReader& r);
};

// CTCGreedyDecoderSeqLen-6.
struct CtcGreedyDecoderSeqLenAttrs {
  bool merge_repeated = true;
  ElementType classes_index_type = ElementType::kI32;    // i32 or i64
  ElementType sequence_length_type = ElementType::kI32;  // i32 or i64
  static CtcGreedyDecoderSeqLenAttrs parse(AttrReader& r);
};

// CTCLoss-4.
struct CtcLossAttrs {
  bool preprocess_collapse_repeated = false;
  bool ctc_merge_repeated = true;
  bool unique = false;
  static CtcLossAttrs parse(AttrReader& r);
};

// Inverse-14.
struct InverseAttrs {
  bool adjoint = false;
  static InverseAttrs parse(AttrReader& r);
};

// STFT-15.
struct StftAttrs {
  bool transpose_frames = false;
  static StftAttrs parse(AttrReader& r);
};

// ISTFT-16.
struct IstftAttrs {
  bool center = false, normalized = false;
  static IstftAttrs parse(AttrReader& r);
};

// SearchSorted-15 (the spec's `right` is written as right_mode).
struct SearchSortedAttrs {
  bool right_mode = false;
  ElementType output_type = ElementType::kI64;  // i32 or i64
  static SearchSortedAttrs parse(AttrReader& r);
};

// The 8-bit float formats FakeConvert-13 emulates (FP8 Formats for Deep Learning, 2022): e4m3 has no
// infinity (S.1111.111 is NaN, max 448), e5m2 is IEEE-like (max 57344, infinities).
enum class Fp8Format { kE4M3, kE5M2 };
const char* to_string(Fp8Format value);

// FakeConvert-13.
struct FakeConvertAttrs {
  Fp8Format destination = Fp8Format::kE4M3;
  static FakeConvertAttrs parse(AttrReader& r);
};

// ConvertPromoteTypes-14.
struct ConvertPromoteTypesAttrs {
  bool promote_unsafe = false, pytorch_scalar_promotion = false;
  ElementType u64_integer_promotion_target = ElementType::kF32;
  static ConvertPromoteTypesAttrs parse(AttrReader& r);
};

// SegmentMax-16: what an empty segment holds (fill_mode ZERO or LOWEST, the type's lowest value).
struct SegmentMaxAttrs {
  bool fill_lowest = false;
  static SegmentMaxAttrs parse(AttrReader& r);
};

}  // namespace octet
