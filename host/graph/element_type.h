// Element types of tensors as OpenVINO IR names them (ir-spec.md 1.9), with sizes and bit layouts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace octet {

enum class ElementType : uint8_t {
  kUndefined,
  kF64,
  kF32,
  kF16,
  kBF16,
  kI64,
  kI32,
  kI16,
  kI8,
  kU64,
  kU32,
  kU16,
  kU8,
  kI4,       // two per byte, element 2k in the low nibble, sign-extended from bit 3
  kU4,       // two per byte, element 2k in the low nibble
  kU1,       // eight per byte, element 8k in the most significant bit
  kBoolean,  // one byte per element, 0 or 1
};

// Bits per element (4 for i4/u4, 1 for u1).
int element_bits(ElementType type);
bool is_float(ElementType type);
bool is_integer(ElementType type);  // includes sub-byte integers, excludes boolean
bool is_signed(ElementType type);   // floats and signed integers
bool is_sub_byte(ElementType type);

// Lower-case IR name: "f32", "i4", "boolean"...
const char* element_type_name(ElementType type);

// Parses an IR element_type value or a legacy port precision ("FP32", "I8", "BOOL", "BIN", ...),
// case-insensitively. Returns nullopt for unknown names; for types octet recognises but does not
// support (nf4, f8*, string...) it also returns nullopt and sets *unsupported to true.
std::optional<ElementType> parse_element_type(std::string_view text, bool* unsupported = nullptr);

// Bytes needed for `count` elements: ceil(count * bits / 8). Throws Error(kModel) on overflow.
size_t element_storage_bytes(ElementType type, int64_t count);

// fp16 / bf16 conversions (round to nearest even).
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);
float bf16_to_float(uint16_t b);
uint16_t float_to_bf16(float f);

}  // namespace octet
