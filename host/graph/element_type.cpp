// Element type table, parsing and fp16/bf16 conversions.
#include "host/graph/element_type.h"

#include <cctype>
#include <cstring>
#include <limits>

#include "host/common/error.h"

namespace octet {
namespace {

struct TypeInfo {
  ElementType type;
  const char* name;       // IR element_type spelling
  const char* precision;  // legacy port precision spelling
  int bits;
};

constexpr TypeInfo kTypes[] = {
    {ElementType::kF64, "f64", "FP64", 64}, {ElementType::kF32, "f32", "FP32", 32},
    {ElementType::kF16, "f16", "FP16", 16}, {ElementType::kBF16, "bf16", "BF16", 16},
    {ElementType::kI64, "i64", "I64", 64},  {ElementType::kI32, "i32", "I32", 32},
    {ElementType::kI16, "i16", "I16", 16},  {ElementType::kI8, "i8", "I8", 8},
    {ElementType::kU64, "u64", "U64", 64},  {ElementType::kU32, "u32", "U32", 32},
    {ElementType::kU16, "u16", "U16", 16},  {ElementType::kU8, "u8", "U8", 8},
    {ElementType::kI4, "i4", "I4", 4},      {ElementType::kU4, "u4", "U4", 4},
    {ElementType::kU1, "u1", "BIN", 1},     {ElementType::kBoolean, "boolean", "BOOL", 8},
};

// Types OpenVINO writes that octet knows of but cannot run yet.
constexpr const char* kUnsupportedNames[] = {"nf4",    "f8e4m3",  "f8e5m2",    "f8e8m0",
                                             "f4e2m1", "u2",      "u3",        "u6",
                                             "string", "dynamic", "undefined", "unspecified"};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

const TypeInfo* find(ElementType type) {
  for (const auto& info : kTypes)
    if (info.type == type) return &info;
  return nullptr;
}

}  // namespace

int element_bits(ElementType type) {
  const TypeInfo* info = find(type);
  return info ? info->bits : 0;
}

bool is_float(ElementType type) {
  return type == ElementType::kF64 || type == ElementType::kF32 || type == ElementType::kF16 ||
         type == ElementType::kBF16;
}

bool is_integer(ElementType type) {
  return !is_float(type) && type != ElementType::kBoolean && type != ElementType::kUndefined;
}

bool is_signed(ElementType type) {
  switch (type) {
    case ElementType::kF64:
    case ElementType::kF32:
    case ElementType::kF16:
    case ElementType::kBF16:
    case ElementType::kI64:
    case ElementType::kI32:
    case ElementType::kI16:
    case ElementType::kI8:
    case ElementType::kI4: return true;
    default: return false;
  }
}

bool is_sub_byte(ElementType type) {
  return element_bits(type) > 0 && element_bits(type) < 8;
}

const char* element_type_name(ElementType type) {
  const TypeInfo* info = find(type);
  return info ? info->name : "undefined";
}

std::optional<ElementType> parse_element_type(std::string_view text, bool* unsupported) {
  if (unsupported) *unsupported = false;
  for (const auto& info : kTypes) {
    if (iequals(text, info.name) || iequals(text, info.precision)) return info.type;
  }
  if (iequals(text, "bool")) return ElementType::kBoolean;
  if (iequals(text, "u1")) return ElementType::kU1;
  for (const char* name : kUnsupportedNames) {
    if (iequals(text, name)) {
      if (unsupported) *unsupported = true;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

size_t element_storage_bytes(ElementType type, int64_t count) {
  const int bits = element_bits(type);
  if (count < 0 || bits == 0)
    raise(ErrorCode::kModel, "invalid element count {} for type {}", count, element_type_name(type));
  const uint64_t n = static_cast<uint64_t>(count);
  if (n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(bits))
    raise(ErrorCode::kModel, "tensor of {} {} elements overflows the address space", count,
          element_type_name(type));
  const uint64_t bytes = (n * static_cast<uint64_t>(bits) + 7) / 8;
  if (bytes > static_cast<uint64_t>(std::numeric_limits<size_t>::max()) / 2)
    raise(ErrorCode::kModel, "tensor of {} {} elements is too large", count, element_type_name(type));
  return static_cast<size_t>(bytes);
}

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ff;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, sizeof x);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // inf or nan
    return static_cast<uint16_t>(sign | 0x7c00 | (abs > 0x7f800000u ? 0x200 : 0));
  }
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00);  // rounds to inf
  if (abs < 0x38800000u) {                                              // subnormal or zero in f16
    if (abs < 0x33000000u) return sign;                                 // below half the smallest subnormal
    const uint32_t exp = abs >> 23;
    const uint32_t mant = (abs & 0x7fffff) | 0x800000;
    const uint32_t shift = 126 - exp;  // 14 + (113 - exp)
    uint32_t result = mant >> (shift - 0);
    // mant has 24 significant bits; result in units of 2^-24 needs shift of (126 - exp) - 0
    const uint32_t rem = mant & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    if (rem > half || (rem == half && (result & 1))) ++result;
    return static_cast<uint16_t>(sign | result);
  }
  uint32_t result = ((abs >> 13) - (112u << 10));
  const uint32_t rem = abs & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (result & 1))) ++result;
  return static_cast<uint16_t>(sign | result);
}

float bf16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t float_to_bf16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, sizeof x);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet nan
  const uint32_t rounding = 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>((x + rounding) >> 16);
}

}  // namespace octet
