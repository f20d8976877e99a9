// Shared helpers of the reference evaluators: typed element access and broadcasting.
#include <cmath>
#include <cstring>
#include <optional>

#include "host/graph/ops/infer_util.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

bool is_compute_float(ElementType type) {
  return type == ElementType::kF32 || type == ElementType::kF16 || type == ElementType::kBF16;
}

std::vector<float> read_floats(const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.element_count()));
  if (t.type() == ElementType::kF32) {
    if (!v.empty()) std::memcpy(v.data(), t.data(), v.size() * sizeof(float));
    return v;
  }
  for (int64_t i = 0; i < t.element_count(); ++i)
    v[static_cast<size_t>(i)] = static_cast<float>(t.get_as_double(i));
  return v;
}

std::vector<int64_t> read_ints(const Tensor& t) {
  return t.to_int64_vector();
}

Tensor make_float_tensor(ElementType type, const Dims& shape, const std::vector<float>& values) {
  Tensor t(type, shape);
  const size_t n = values.size();
  switch (type) {
    case ElementType::kF32:
      if (n) std::memcpy(t.data(), values.data(), n * sizeof(float));
      return t;
    case ElementType::kF16:
      for (size_t i = 0; i < n; ++i) t.data_as<uint16_t>()[i] = float_to_half(values[i]);
      return t;
    case ElementType::kBF16:
      for (size_t i = 0; i < n; ++i) t.data_as<uint16_t>()[i] = float_to_bf16(values[i]);
      return t;
    case ElementType::kF64:
      for (size_t i = 0; i < n; ++i) t.data_as<double>()[i] = values[i];
      return t;
    default: break;
  }
  raise(ErrorCode::kInternal, "make_float_tensor: {} is not a float type", element_type_name(type));
}

int64_t wrap_to(ElementType type, int64_t value) {
  if (type == ElementType::kBoolean) return value != 0;
  const int bits = element_bits(type);
  if (bits >= 64) return value;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t u = static_cast<uint64_t>(value) & mask;
  if (is_signed(type) && (u >> (bits - 1)) != 0) u |= ~mask;  // sign-extend
  return static_cast<int64_t>(u);
}

Tensor make_int_tensor(ElementType type, const Dims& shape, const std::vector<int64_t>& values) {
  Tensor t(type, shape);
  auto* bytes = static_cast<uint8_t*>(t.data());
  for (size_t i = 0; i < values.size(); ++i) {
    const int64_t v = wrap_to(type, values[i]);
    switch (type) {
      case ElementType::kI64:
      case ElementType::kU64: std::memcpy(bytes + i * 8, &v, 8); break;
      case ElementType::kI32:
      case ElementType::kU32: {
        const uint32_t u = static_cast<uint32_t>(v);
        std::memcpy(bytes + i * 4, &u, 4);
        break;
      }
      case ElementType::kI16:
      case ElementType::kU16: {
        const uint16_t u = static_cast<uint16_t>(v);
        std::memcpy(bytes + i * 2, &u, 2);
        break;
      }
      case ElementType::kI8:
      case ElementType::kU8:
      case ElementType::kBoolean: bytes[i] = static_cast<uint8_t>(v); break;
      case ElementType::kI4:
      case ElementType::kU4: bytes[i / 2] |= static_cast<uint8_t>((v & 0xf) << ((i % 2) * 4)); break;
      case ElementType::kU1: bytes[i / 8] |= static_cast<uint8_t>((v & 1) << (7 - i % 8)); break;
      default:
        raise(ErrorCode::kInternal, "make_int_tensor: {} is not an integer type", element_type_name(type));
    }
  }
  return t;
}

size_t byte_width(const Node& node, ElementType type) {
  const int bits = element_bits(type);
  if (bits < 8 || type == ElementType::kUndefined)
    raise(ErrorCode::kUnsupported, "reference {}: element type {} is not supported here", node.describe(),
          element_type_name(type));
  return static_cast<size_t>(bits / 8);
}

Tensor gather_elements(const Node& node, const Tensor& src, const Dims& out_shape,
                       const std::vector<int64_t>& index) {
  const size_t w = byte_width(node, src.type());
  Tensor out(src.type(), out_shape);
  const auto* s = static_cast<const uint8_t*>(src.data());
  auto* d = static_cast<uint8_t*>(out.data());
  for (size_t i = 0; i < index.size(); ++i) std::memcpy(d + i * w, s + static_cast<size_t>(index[i]) * w, w);
  return out;
}

std::vector<int64_t> broadcast_index(const Dims& in, const Dims& out) {
  const size_t r = out.size();
  if (in.size() > r)
    raise(ErrorCode::kInternal, "broadcast of {} to lower rank {}", to_string(in), to_string(out));
  Dims aligned(r, 1);
  for (size_t i = 0; i < in.size(); ++i) aligned[r - in.size() + i] = in[i];
  Dims in_strides = row_major_strides(aligned);
  for (size_t i = 0; i < r; ++i) {
    if (aligned[i] == 1)
      in_strides[i] = 0;
    else if (aligned[i] != out[i])
      raise(ErrorCode::kInternal, "shape {} does not broadcast to {}", to_string(in), to_string(out));
  }
  const int64_t n = element_count(out);
  std::vector<int64_t> index(static_cast<size_t>(n));
  Dims coord(r, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < n; ++i) {
    index[static_cast<size_t>(i)] = offset;
    for (size_t d = r; d-- > 0;) {  // odometer increment, keeping the input offset in step
      if (++coord[d] < out[d]) {
        offset += in_strides[d];
        break;
      }
      offset -= in_strides[d] * (out[d] - 1);
      coord[d] = 0;
    }
  }
  return index;
}

Dims binary_output_shape(const Node& node, const Dims& a, const Dims& b) {
  const AutoBroadcast mode = binary_attrs(node).broadcast;
  if (mode == AutoBroadcast::kNumpy) return broadcast_shapes(a, b);
  if (mode == AutoBroadcast::kNone) {
    if (a != b)
      raise(ErrorCode::kModel, "{}: auto_broadcast none needs equal shapes, got {} and {}", node.describe(),
            to_string(a), to_string(b));
    return a;
  }
  raise(ErrorCode::kUnsupported, "reference {}: auto_broadcast '{}' is not supported here", node.describe(),
        to_string(mode));
}

BinaryBroadcast binary_broadcast(const Node& node, const Dims& a, const Dims& b) {
  const BinaryAttrs& spec = binary_attrs(node);
  if (spec.broadcast != AutoBroadcast::kPdpd) return {binary_output_shape(node, a, b), a, b};
  const std::optional<Dims> aligned = pdpd_aligned(b, a, spec.pdpd_axis);
  if (!aligned)
    raise(ErrorCode::kModel, "{}: shape {} does not pdpd-broadcast onto {} at axis {}", node.describe(),
          to_string(b), to_string(a), spec.pdpd_axis);
  return {a, a, *aligned};
}

std::vector<int64_t> int_input(const Node& node, const Inputs& in, size_t i) {
  if (i >= in.size() || !in[i]) raise(ErrorCode::kModel, "{}: missing input {}", node.describe(), i);
  if (!is_integer(in[i]->type()))
    raise(ErrorCode::kModel, "{}: input {} must be an integer tensor, got {}", node.describe(), i,
          element_type_name(in[i]->type()));
  return in[i]->to_int64_vector();
}

void need_inputs(const Node& node, const Inputs& in, size_t min, size_t max) {
  if (in.size() < min || in.size() > max)
    raise(ErrorCode::kModel, "{}: expects {} to {} inputs, has {}", node.describe(), min, max, in.size());
  for (size_t i = 0; i < in.size(); ++i)
    if (!in[i]) raise(ErrorCode::kInternal, "{}: input {} is null", node.describe(), i);
}

void unsupported_type(const Node& node, ElementType type) {
  raise(ErrorCode::kUnsupported, "reference {}: element type {} is not supported", node.describe(),
        element_type_name(type));
}

}  // namespace ref
}  // namespace octet
