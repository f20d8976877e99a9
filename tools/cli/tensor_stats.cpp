// Tensor comparison statistics; every element is read as a double so one code path serves all types.
#include "tools/cli/tensor_stats.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

namespace octet::cli {
namespace {

double half_to_double(uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double value;
  if (exponent == 0) {
    value = std::ldexp(mantissa, -24);
  } else if (exponent == 31) {
    value = mantissa ? NAN : INFINITY;
  } else {
    value = std::ldexp(mantissa | 0x400, exponent - 25);
  }
  return sign ? -value : value;
}

double bf16_to_double(uint16_t b) {
  const uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename T>
void append(const void* data, size_t count, std::vector<double>& out) {
  const T* p = static_cast<const T*>(data);
  for (size_t i = 0; i < count; ++i) out.push_back(static_cast<double>(p[i]));
}

}  // namespace

Tolerance default_tolerance(octet_element_type type) {
  switch (type) {
    case OCTET_TYPE_F32:
    case OCTET_TYPE_F64: return {1e-4, 1e-4};
    case OCTET_TYPE_F16: return {1e-3, 1e-3};
    case OCTET_TYPE_BF16: return {1e-2, 1e-2};
    default: return {0, 0};
  }
}

std::vector<double> tensor_values(octet_tensor_t tensor) {
  octet_element_type type = OCTET_TYPE_UNDEFINED;
  void* data = nullptr;
  size_t count = 0;
  check(octet_tensor_type(tensor, &type), "tensor type");
  check(octet_tensor_data(tensor, &data), "tensor data");
  check(octet_tensor_element_count(tensor, &count), "tensor size");
  std::vector<double> out;
  out.reserve(count);
  const auto* bytes = static_cast<const uint8_t*>(data);
  switch (type) {
    case OCTET_TYPE_F64: append<double>(data, count, out); break;
    case OCTET_TYPE_F32: append<float>(data, count, out); break;
    case OCTET_TYPE_F16:
      for (size_t i = 0; i < count; ++i) out.push_back(half_to_double(static_cast<const uint16_t*>(data)[i]));
      break;
    case OCTET_TYPE_BF16:
      for (size_t i = 0; i < count; ++i) out.push_back(bf16_to_double(static_cast<const uint16_t*>(data)[i]));
      break;
    case OCTET_TYPE_I64: append<int64_t>(data, count, out); break;
    case OCTET_TYPE_I32: append<int32_t>(data, count, out); break;
    case OCTET_TYPE_I16: append<int16_t>(data, count, out); break;
    case OCTET_TYPE_I8: append<int8_t>(data, count, out); break;
    case OCTET_TYPE_U64: append<uint64_t>(data, count, out); break;
    case OCTET_TYPE_U32: append<uint32_t>(data, count, out); break;
    case OCTET_TYPE_U16: append<uint16_t>(data, count, out); break;
    case OCTET_TYPE_U8:
    case OCTET_TYPE_BOOLEAN: append<uint8_t>(data, count, out); break;
    case OCTET_TYPE_I4:
    case OCTET_TYPE_U4:
      for (size_t i = 0; i < count; ++i) {
        int v = (bytes[i / 2] >> (4 * (i % 2))) & 0xf;  // element 2k in the low nibble
        if (type == OCTET_TYPE_I4 && v >= 8) v -= 16;
        out.push_back(v);
      }
      break;
    case OCTET_TYPE_U1:
      for (size_t i = 0; i < count; ++i) out.push_back((bytes[i / 8] >> (7 - i % 8)) & 1);
      break;
    default: failure(fmt::format("cannot compare tensors of type {}", type_name(type)));
  }
  return out;
}

Comparison compare_values(const std::vector<double>& actual, const std::vector<double>& reference,
                          const Tolerance& tolerance) {
  Comparison c;
  c.count = actual.size();
  double worst_excess = -1;  // largest |a - b| - allowed over failing elements
  double largest = -1;       // largest |a - b| so far
  auto count_special = [](double v, SpecialCounts& s) {
    if (std::isnan(v)) {
      ++s.nan;
    } else if (std::isinf(v)) {
      ++s.inf;
    } else if (v == 0) {
      ++s.zero;
    }
  };
  double ref_max = 0;
  for (double b : reference)
    if (std::isfinite(b)) ref_max = std::max(ref_max, std::fabs(b));
  c.rel_floor = std::max(kRelFloorFraction * ref_max, kRelFloorMin);
  double sum_abs = 0, dot = 0, norm_a = 0, norm_b = 0;
  size_t finite = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], b = reference[i];
    count_special(a, c.actual);
    count_special(b, c.reference);
    if (!std::isfinite(a) || !std::isfinite(b)) {
      const bool same = (std::isnan(a) && std::isnan(b)) || a == b;
      if (same) {
        ++c.within;
      } else {
        ++c.special_mismatches;
        if (worst_excess < INFINITY) {
          worst_excess = INFINITY;
          c.worst_index = i, c.worst_actual = a, c.worst_reference = b;
        }
      }
      continue;
    }
    const double diff = std::fabs(a - b);
    const double allowed = tolerance.atol + tolerance.rtol * std::fabs(b);
    if (diff <= allowed) ++c.within;
    c.max_abs = std::max(c.max_abs, diff);
    c.max_rel = std::max(c.max_rel, diff / std::max(std::fabs(b), c.rel_floor));
    sum_abs += diff, dot += a * b, norm_a += a * a, norm_b += b * b, ++finite;
    if (diff > allowed && diff - allowed > worst_excess) {
      worst_excess = diff - allowed;
      c.worst_index = i, c.worst_actual = a, c.worst_reference = b;
    }
    if (worst_excess < 0 && diff > largest) {  // while nothing fails, report the largest difference
      largest = diff;
      c.worst_index = i, c.worst_actual = a, c.worst_reference = b;
    }
  }
  c.mean_abs = finite ? sum_abs / double(finite) : 0;
  if (norm_a > 0 && norm_b > 0) {
    c.cosine = dot / (std::sqrt(norm_a) * std::sqrt(norm_b));
  } else {
    c.cosine = norm_a == norm_b ? 1 : 0;  // both all zero: identical; one all zero: unrelated
  }
  c.pass = c.within == c.count;
  return c;
}

std::string index_string(size_t flat, const std::vector<int64_t>& dims) {
  std::vector<int64_t> index(dims.size());
  for (size_t d = dims.size(); d-- > 0;) {
    if (dims[d] <= 0) continue;
    index[d] = static_cast<int64_t>(flat % static_cast<size_t>(dims[d]));
    flat /= static_cast<size_t>(dims[d]);
  }
  return fmt::format("[{}]", fmt::join(index, ","));
}

}  // namespace octet::cli
