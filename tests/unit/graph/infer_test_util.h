// Helpers for shape inference tests: a small graph builder and error-message assertions.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"

namespace octet::test {

class Builder {
 public:
  Node* param(Dims shape, ElementType type = ElementType::kF32) {
    Node* n = g.add(OpKind::kParameter, "p" + std::to_string(++count_));
    n->outputs = {Value{type, std::move(shape), {}, false, {}}};
    return n;
  }
  // An integer constant; shape defaults to 1-D of the value count.
  Node* ints(std::vector<int64_t> values, ElementType type = ElementType::kI64,
             std::optional<Dims> shape = {}) {
    Tensor t(type, shape ? *shape : Dims{static_cast<int64_t>(values.size())});
    for (size_t i = 0; i < values.size(); ++i) {
      if (type == ElementType::kI64)
        t.data_as<int64_t>()[i] = values[i];
      else if (type == ElementType::kI32)
        t.data_as<int32_t>()[i] = static_cast<int32_t>(values[i]);
      else
        ADD_FAILURE() << "unsupported constant type in test";
    }
    return g.add_constant("c" + std::to_string(++count_), std::move(t));
  }
  Node* scalar(int64_t v) { return ints({v}, ElementType::kI64, Dims{}); }
  Node* floats(std::vector<float> values, std::optional<Dims> shape = {}) {
    Tensor t(ElementType::kF32, shape ? *shape : Dims{static_cast<int64_t>(values.size())});
    for (size_t i = 0; i < values.size(); ++i) t.data_as<float>()[i] = values[i];
    return g.add_constant("c" + std::to_string(++count_), std::move(t));
  }
  Node* op(OpKind kind, std::vector<Node*> inputs, std::map<std::string, std::string> attrs = {},
           int version = 1) {
    Node* n = g.add(kind, "layer" + std::to_string(++count_), version);
    for (Node* in : inputs) n->inputs.push_back({in, 0});
    for (auto& [k, v] : attrs) n->attrs.set(k, v);
    return n;
  }
  // Builds the node, infers it and returns its output 0 shape.
  Dims infer(OpKind kind, std::vector<Node*> inputs, std::map<std::string, std::string> attrs = {},
             int version = 1) {
    Node* n = op(kind, std::move(inputs), std::move(attrs), version);
    infer_node(*n);
    last = n;
    return n->outputs.at(0).shape;
  }

  Graph g;
  Node* last = nullptr;

 private:
  int count_ = 0;
};

// Runs `fn`, expects an octet::Error with `code` whose message contains every fragment.
template <typename Fn>
void expect_error(Fn&& fn, ErrorCode code, std::initializer_list<const char*> fragments) {
  try {
    fn();
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    for (const char* f : fragments)
      EXPECT_NE(std::strstr(e.what(), f), nullptr) << "'" << f << "' not in: " << e.what();
  }
}

// Infers a new node and expects kModel naming the layer plus the given fragments.
inline void expect_model_error(Builder& b, OpKind kind, std::vector<Node*> inputs,
                               std::map<std::string, std::string> attrs, int version,
                               std::initializer_list<const char*> fragments) {
  Node* n = b.op(kind, std::move(inputs), std::move(attrs), version);
  const std::string layer = "'" + n->name + "'";
  try {
    infer_node(*n);
    ADD_FAILURE() << "no error thrown for " << n->name;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kModel) << e.what();
    EXPECT_NE(std::strstr(e.what(), layer.c_str()), nullptr) << "layer not named: " << e.what();
    for (const char* f : fragments)
      EXPECT_NE(std::strstr(e.what(), f), nullptr) << "'" << f << "' not in: " << e.what();
  }
}

}  // namespace octet::test
