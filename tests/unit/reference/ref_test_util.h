// Helpers for reference evaluator tests: build one node with typed inputs, run it, compare values.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/reference/evaluate.h"

namespace octet {
namespace test {

inline Tensor f32(Dims shape, std::vector<float> v) {
  Tensor t(ElementType::kF32, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.element_count()), v.size());
  if (!v.empty()) std::memcpy(t.data(), v.data(), v.size() * sizeof(float));
  return t;
}

inline Tensor ints(ElementType type, Dims shape, const std::vector<int64_t>& v) {
  Tensor t(type, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.element_count()), v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    switch (type) {
      case ElementType::kI64: t.data_as<int64_t>()[i] = v[i]; break;
      case ElementType::kI32: t.data_as<int32_t>()[i] = static_cast<int32_t>(v[i]); break;
      case ElementType::kI8: t.data_as<int8_t>()[i] = static_cast<int8_t>(v[i]); break;
      case ElementType::kU8:
      case ElementType::kBoolean: t.data_as<uint8_t>()[i] = static_cast<uint8_t>(v[i]); break;
      default: ADD_FAILURE() << "ints(): unsupported type";
    }
  }
  return t;
}
inline Tensor i64(Dims shape, const std::vector<int64_t>& v) {
  return ints(ElementType::kI64, std::move(shape), v);
}
inline Tensor i32(Dims shape, const std::vector<int64_t>& v) {
  return ints(ElementType::kI32, std::move(shape), v);
}

// One node fed by Parameters holding the given tensors. Outputs are left untyped, so the
// reference computes shapes on its own.
struct OpCase {
  Graph g;
  Node* node;
  std::vector<Tensor> inputs;

  explicit OpCase(OpKind op, int version = 1) { node = g.add(op, "op", version); }
  OpCase& attr(const std::string& key, const std::string& value) {
    node->attrs.set(key, value);
    return *this;
  }
  OpCase& in(Tensor t) {
    Node* p = g.add(OpKind::kParameter, "in" + std::to_string(inputs.size()));
    p->outputs = {Value{t.type(), t.shape(), {}, false, {}}};
    node->inputs.push_back({p, 0});
    inputs.push_back(std::move(t));
    return *this;
  }
  std::vector<Tensor> run() const {
    node->parse_attributes();  // evaluators read the typed attributes (as after IR load)
    std::vector<const Tensor*> args;
    for (const Tensor& t : inputs) args.push_back(&t);
    return evaluate_reference(*node, args);
  }
  Tensor run1() const {
    auto out = run();
    EXPECT_GE(out.size(), 1u);
    return out.empty() ? Tensor() : out[0];
  }
};

inline void expect_floats(const Tensor& t, const Dims& shape, const std::vector<float>& want,
                          float tol = 0.0f) {
  ASSERT_EQ(to_string(t.shape()), to_string(shape));
  const auto got = t.to_float_vector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "at " << i;
    } else if (tol == 0.0f) {
      EXPECT_EQ(got[i], want[i]) << "at " << i;
    } else {
      EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
    }
  }
}

inline void expect_ints(const Tensor& t, ElementType type, const Dims& shape,
                        const std::vector<int64_t>& want) {
  EXPECT_EQ(element_type_name(t.type()), std::string(element_type_name(type)));
  ASSERT_EQ(to_string(t.shape()), to_string(shape));
  EXPECT_EQ(t.to_int64_vector(), want);
}

}  // namespace test
}  // namespace octet
