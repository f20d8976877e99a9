// A host tensor: element type, static shape and owned (or shared) bytes, 64-byte aligned.
//
// Sub-byte types (i4, u4, u1) keep the IR's packed layout; use get_as_double / get_as_int64 or
// the unpack helpers to read them. Copies share the bytes (shallow); clone() makes a deep copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

class Tensor {
 public:
  Tensor() = default;
  // Allocates zeroed storage for a static shape; throws Error(kOutOfMemory) on failure.
  Tensor(ElementType type, Dims shape);
  // Wraps memory owned elsewhere; `keep_alive` holds it as long as any copy of this tensor lives.
  static Tensor wrap(ElementType type, Dims shape, void* data, std::shared_ptr<void> keep_alive);

  ElementType type() const { return type_; }
  const Dims& shape() const { return shape_; }
  int64_t element_count() const { return count_; }
  size_t byte_size() const { return bytes_; }
  bool empty() const { return data_ == nullptr; }

  void* data() { return data_; }
  const void* data() const { return data_; }
  template <typename T>
  T* data_as() {
    return static_cast<T*>(data_);
  }
  template <typename T>
  const T* data_as() const {
    return static_cast<const T*>(data_);
  }

  // Element i converted to double / int64 (floats truncated toward zero), for any type.
  double get_as_double(int64_t i) const;
  int64_t get_as_int64(int64_t i) const;
  // Whole tensor as a vector (for shape subgraphs, attributes, tests).
  std::vector<int64_t> to_int64_vector() const;
  std::vector<float> to_float_vector() const;

  Tensor clone() const;
  // Same bytes, new shape with the same element count.
  Tensor reshaped(Dims shape) const;

 private:
  ElementType type_ = ElementType::kUndefined;
  Dims shape_;
  int64_t count_ = 0;
  size_t bytes_ = 0;
  void* data_ = nullptr;
  std::shared_ptr<void> storage_;
};

}  // namespace octet
