// Parse functions of the embedding, decoding, signal and other attribute structs (misc.h).
#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

// An index/length element type attribute that the spec restricts to i32 or i64.
ElementType index_type_or(AttrReader& r, const char* key, ElementType fallback) {
  return r.choice_or<ElementType>(key, {{"i32", ElementType::kI32}, {"i64", ElementType::kI64}}, fallback);
}

}  // namespace

const char* to_string(Fp8Format value) {
  return value == Fp8Format::kE4M3 ? "f8e4m3" : "f8e5m2";
}

BucketizeAttrs BucketizeAttrs::parse(AttrReader& r) {
  BucketizeAttrs a;
  a.output_type = index_type_or(r, "output_type", ElementType::kI64);
  a.with_right_bound = r.boolean_or("with_right_bound", true);
  return a;
}

EmbeddingBagAttrs EmbeddingBagAttrs::parse(AttrReader& r) {
  EmbeddingBagAttrs a;
  a.reduction = r.choice_or<EmbeddingReduction>(
      "reduction", {{"sum", EmbeddingReduction::kSum}, {"mean", EmbeddingReduction::kMean}},
      EmbeddingReduction::kSum);
  return a;
}

CtcGreedyDecoderAttrs CtcGreedyDecoderAttrs::parse(AttrReader& r) {
  return {r.boolean_or("ctc_merge_repeated", true)};
}

CtcGreedyDecoderSeqLenAttrs CtcGreedyDecoderSeqLenAttrs::parse(AttrReader& r) {
  CtcGreedyDecoderSeqLenAttrs a;
  a.merge_repeated = r.boolean_or("merge_repeated", true);
  a.classes_index_type = index_type_or(r, "classes_index_type", ElementType::kI32);
  a.sequence_length_type = index_type_or(r, "sequence_length_type", ElementType::kI32);
  return a;
}

CtcLossAttrs CtcLossAttrs::parse(AttrReader& r) {
  CtcLossAttrs a;
  a.preprocess_collapse_repeated = r.boolean_or("preprocess_collapse_repeated", false);
  a.ctc_merge_repeated = r.boolean_or("ctc_merge_repeated", true);
  a.unique = r.boolean_or("unique", false);
  return a;
}

InverseAttrs InverseAttrs::parse(AttrReader& r) {
  return {r.boolean_or("adjoint", false)};
}

StftAttrs StftAttrs::parse(AttrReader& r) {
  return {r.boolean("transpose_frames")};
}

IstftAttrs IstftAttrs::parse(AttrReader& r) {
  IstftAttrs a;
  a.center = r.boolean("center");
  a.normalized = r.boolean("normalized");
  return a;
}

SearchSortedAttrs SearchSortedAttrs::parse(AttrReader& r) {
  SearchSortedAttrs a;
  a.right_mode = r.boolean_or("right_mode", false);
  a.output_type = index_type_or(r, "output_type", ElementType::kI64);
  return a;
}

FakeConvertAttrs FakeConvertAttrs::parse(AttrReader& r) {
  FakeConvertAttrs a;
  a.destination = r.choice_or<Fp8Format>(
      "destination_type", {{"f8e4m3", Fp8Format::kE4M3}, {"f8e5m2", Fp8Format::kE5M2}}, Fp8Format::kE4M3);
  return a;
}

ConvertPromoteTypesAttrs ConvertPromoteTypesAttrs::parse(AttrReader& r) {
  ConvertPromoteTypesAttrs a;
  a.promote_unsafe = r.boolean_or("promote_unsafe", false);
  a.pytorch_scalar_promotion = r.boolean_or("pytorch_scalar_promotion", false);
  a.u64_integer_promotion_target = r.element_type_or("u64_integer_promotion_target", ElementType::kF32);
  if (a.u64_integer_promotion_target == ElementType::kUndefined)
    r.fail("u64_integer_promotion_target", "must be a concrete element type");
  return a;
}

SegmentMaxAttrs SegmentMaxAttrs::parse(AttrReader& r) {
  return {r.choice<bool>("fill_mode", {{"zero", false}, {"lowest", true}})};
}

}  // namespace octet
