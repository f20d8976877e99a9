// Parse functions of the indexing attribute structs (attrs/indexing.h), per op version.
#include "host/graph/attrs/indexing.h"

#include <fmt/format.h>

namespace octet {

TopKAttrs TopKAttrs::parse(AttrReader& r) {
  TopKAttrs a;
  a.axis = r.i64("axis");
  a.mode = r.choice<TopKMode>("mode", {{"max", TopKMode::kMax}, {"min", TopKMode::kMin}});
  a.sort = r.choice<TopKSort>(
      "sort", {{"value", TopKSort::kValue}, {"index", TopKSort::kIndex}, {"none", TopKSort::kNone}});
  a.index_type = r.choice_or<ElementType>(
      "index_element_type", {{"i32", ElementType::kI32}, {"i64", ElementType::kI64}}, ElementType::kI32);
  if (r.version() >= 11) a.stable = r.boolean_or("stable", false);
  return a;
}

GatherNDAttrs GatherNDAttrs::parse(AttrReader& r) {
  GatherNDAttrs a;
  a.batch_dims = r.i64_or("batch_dims", 0);
  // OpenVINO keeps batch_dims as size_t: a negative value is not a count from the back here.
  if (a.batch_dims < 0) r.fail("batch_dims", fmt::format("is {}; it must be >= 0", a.batch_dims));
  return a;
}

ScatterElementsUpdateAttrs ScatterElementsUpdateAttrs::parse(AttrReader& r) {
  ScatterElementsUpdateAttrs a;
  if (r.version() < 12) return a;
  a.reduction = r.choice_or<ScatterReduction>("reduction",
                                              {{"none", ScatterReduction::kNone},
                                               {"sum", ScatterReduction::kSum},
                                               {"prod", ScatterReduction::kProd},
                                               {"min", ScatterReduction::kMin},
                                               {"max", ScatterReduction::kMax},
                                               {"mean", ScatterReduction::kMean}},
                                              ScatterReduction::kNone);
  a.use_init_val = r.boolean_or("use_init_val", true);
  return a;
}

ScatterNDUpdateAttrs ScatterNDUpdateAttrs::parse(AttrReader& r) {
  ScatterNDUpdateAttrs a;
  if (r.version() < 15) return a;
  a.reduction = r.choice_or<ScatterReduction>("reduction",
                                              {{"none", ScatterReduction::kNone},
                                               {"sum", ScatterReduction::kSum},
                                               {"sub", ScatterReduction::kSub},
                                               {"prod", ScatterReduction::kProd},
                                               {"min", ScatterReduction::kMin},
                                               {"max", ScatterReduction::kMax}},
                                              ScatterReduction::kNone);
  return a;
}

}  // namespace octet
