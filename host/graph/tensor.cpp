// Host tensor storage and element access for every element type.
#include "host/graph/tensor.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "host/common/error.h"

namespace octet {
namespace {

constexpr size_t kAlignment = 64;

std::shared_ptr<void> allocate(size_t bytes) {
  const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
  if (!p) raise(ErrorCode::kOutOfMemory, "cannot allocate {} bytes of host memory", bytes);
  std::memset(p, 0, rounded == 0 ? kAlignment : rounded);
  return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
}

template <typename T>
T load(const void* base, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char*>(base) + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

int64_t sub_byte_int(ElementType type, const void* base, int64_t i) {
  const auto* bytes = static_cast<const uint8_t*>(base);
  if (type == ElementType::kU1) return (bytes[i / 8] >> (7 - i % 8)) & 1;
  const int nibble = (bytes[i / 2] >> ((i % 2) * 4)) & 0xf;
  if (type == ElementType::kI4) return nibble >= 8 ? nibble - 16 : nibble;
  return nibble;
}

}  // namespace

Tensor::Tensor(ElementType type, Dims shape) : type_(type), shape_(std::move(shape)) {
  count_ = octet::element_count(shape_);
  bytes_ = element_storage_bytes(type_, count_);
  storage_ = allocate(bytes_);
  data_ = storage_.get();
}

Tensor Tensor::wrap(ElementType type, Dims shape, void* data, std::shared_ptr<void> keep_alive) {
  Tensor t;
  t.type_ = type;
  t.shape_ = std::move(shape);
  t.count_ = octet::element_count(t.shape_);
  t.bytes_ = element_storage_bytes(type, t.count_);
  t.data_ = data;
  t.storage_ = std::move(keep_alive);
  return t;
}

double Tensor::get_as_double(int64_t i) const {
  switch (type_) {
    case ElementType::kF64: return load<double>(data_, i);
    case ElementType::kF32: return load<float>(data_, i);
    case ElementType::kF16: return half_to_float(load<uint16_t>(data_, i));
    case ElementType::kBF16: return bf16_to_float(load<uint16_t>(data_, i));
    case ElementType::kU64: return static_cast<double>(load<uint64_t>(data_, i));
    default: return static_cast<double>(get_as_int64(i));
  }
}

int64_t Tensor::get_as_int64(int64_t i) const {
  switch (type_) {
    case ElementType::kF64:
    case ElementType::kF32:
    case ElementType::kF16:
    case ElementType::kBF16: {
      const double v = get_as_double(i);
      if (!(std::fabs(v) < 9.2e18)) return v < 0 ? INT64_MIN : INT64_MAX;
      return static_cast<int64_t>(v);
    }
    case ElementType::kI64: return load<int64_t>(data_, i);
    case ElementType::kI32: return load<int32_t>(data_, i);
    case ElementType::kI16: return load<int16_t>(data_, i);
    case ElementType::kI8: return load<int8_t>(data_, i);
    case ElementType::kU64: return static_cast<int64_t>(load<uint64_t>(data_, i));
    case ElementType::kU32: return load<uint32_t>(data_, i);
    case ElementType::kU16: return load<uint16_t>(data_, i);
    case ElementType::kU8: return load<uint8_t>(data_, i);
    case ElementType::kBoolean: return load<uint8_t>(data_, i) != 0;
    case ElementType::kI4:
    case ElementType::kU4:
    case ElementType::kU1: return sub_byte_int(type_, data_, i);
    case ElementType::kUndefined: break;
  }
  raise(ErrorCode::kInternal, "element access on an undefined tensor");
}

std::vector<int64_t> Tensor::to_int64_vector() const {
  std::vector<int64_t> v(static_cast<size_t>(count_));
  for (int64_t i = 0; i < count_; ++i) v[static_cast<size_t>(i)] = get_as_int64(i);
  return v;
}

std::vector<float> Tensor::to_float_vector() const {
  std::vector<float> v(static_cast<size_t>(count_));
  for (int64_t i = 0; i < count_; ++i) v[static_cast<size_t>(i)] = static_cast<float>(get_as_double(i));
  return v;
}

Tensor Tensor::clone() const {
  Tensor t(type_, shape_);
  if (bytes_) std::memcpy(t.data_, data_, bytes_);
  return t;
}

Tensor Tensor::reshaped(Dims shape) const {
  if (octet::element_count(shape) != count_)
    raise(ErrorCode::kInternal, "reshape of {} elements to {}", count_, to_string(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

}  // namespace octet
