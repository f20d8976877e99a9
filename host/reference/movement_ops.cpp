// Reference data movement and generator ops of issue 11 (family F3a): ShuffleChannels, DepthToSpace,
// SpaceToDepth, BatchToSpace, SpaceToBatch, Tile, Roll, Reverse, ReverseSequence, Identity, Range,
// Eye and OneHot, per the OpenVINO op specifications. The movement ops copy whole elements, so every
// byte-addressable type works bit-exactly; each computes, per output element, the flat index of the
// input element it copies (or -1 for SpaceToBatch's zero padding).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "host/graph/op_attrs.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Calls f(coord) for every coordinate of `shape` in row-major order.
template <class F>
void for_each_coord(const Dims& shape, F&& f) {
  const int64_t n = element_count(shape);
  Dims c(shape.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    f(static_cast<const Dims&>(c));
    for (size_t d = shape.size(); d-- > 0;) {
      if (++c[d] < shape[d]) break;
      c[d] = 0;
    }
  }
}

int64_t flat_index(const Dims& coord, const Dims& strides) {
  int64_t f = 0;
  for (size_t d = 0; d < coord.size(); ++d) f += coord[d] * strides[d];
  return f;
}

// out[i] = src[index[i]], or zero bytes where index[i] < 0.
Tensor gather_or_zero(const Node& node, const Tensor& src, const Dims& out_shape,
                      const std::vector<int64_t>& index) {
  const size_t w = byte_width(node, src.type());
  Tensor out(src.type(), out_shape);  // zero-initialised: +0 for floats, 0/false otherwise
  const auto* s = static_cast<const uint8_t*>(src.data());
  auto* d = static_cast<uint8_t*>(out.data());
  for (size_t i = 0; i < index.size(); ++i)
    if (index[i] >= 0) std::memcpy(d + i * w, s + static_cast<size_t>(index[i]) * w, w);
  return out;
}

// One value of `type` as its bytes (for generators writing 0/1 or on/off values).
std::vector<uint8_t> value_bytes(ElementType type, double v) {
  Tensor t(type, {1});
  if (type == ElementType::kF64)
    *t.data_as<double>() = v;
  else if (is_float(type))
    t = make_float_tensor(type, {1}, {static_cast<float>(v)});
  else
    t = make_int_tensor(type, {1}, {static_cast<int64_t>(v)});
  const auto* b = static_cast<const uint8_t*>(t.data());
  return std::vector<uint8_t>(b, b + t.byte_size());
}

int64_t axis_of(const Node& node, int64_t axis, size_t rank, const char* what) {
  if (axis < -static_cast<int64_t>(rank) || axis >= static_cast<int64_t>(rank))
    raise(ErrorCode::kModel, "reference {}: {} {} is out of range for rank {}", node.describe(), what, axis,
          rank);
  return axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
}

// Mixed-radix index of block offsets b (first entry most significant), each in [0, block).
int64_t block_flat(const Dims& b, int64_t block) {
  int64_t f = 0;
  for (int64_t v : b) f = f * block + v;
  return f;
}

// DepthToSpace and SpaceToDepth: the input channel holding (depth c, block offsets b).
int64_t depth_space_channel(DepthSpaceMode mode, int64_t c, int64_t flat_b, int64_t depth, int64_t volume) {
  return mode == DepthSpaceMode::kBlocksFirst ? flat_b * depth + c : c * volume + flat_b;
}

}  // namespace

Outputs eval_ShuffleChannels(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  const int64_t group = node.attr<ShuffleChannelsAttrs>().group;
  const auto axis =
      static_cast<size_t>(axis_of(node, node.attr<ShuffleChannelsAttrs>().axis, s.size(), "axis"));
  const int64_t c = s[axis];
  if (c % group != 0)
    raise(ErrorCode::kModel, "reference {}: dim {} ({}) is not a multiple of group {}", node.describe(), axis,
          c, group);
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= s[d];
  for (size_t d = axis + 1; d < s.size(); ++d) inner *= s[d];
  // [outer, group, c/group, inner] transposed to [outer, c/group, group, inner].
  const int64_t per_group = c / group;
  std::vector<int64_t> index(static_cast<size_t>(x.element_count()));
  size_t i = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t oc = 0; oc < c; ++oc) {
      const int64_t ic = (oc % group) * per_group + oc / group;
      for (int64_t k = 0; k < inner; ++k) index[i++] = (o * c + ic) * inner + k;
    }
  return {gather_elements(node, x, s, index)};
}

Outputs eval_DepthToSpace(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const auto& a = node.attr<DepthSpaceAttrs>();
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  if (s.size() < 3)
    raise(ErrorCode::kModel, "reference {}: input rank {} is below 3", node.describe(), s.size());
  const size_t k = s.size() - 2;
  const int64_t bs = a.block_size;
  int64_t volume = 1;
  for (size_t i = 0; i < k; ++i) volume *= bs;
  if (s[1] % volume != 0)
    raise(ErrorCode::kModel, "reference {}: channels {} are not a multiple of {}", node.describe(), s[1],
          volume);
  const int64_t depth = s[1] / volume;
  Dims out = s;
  out[1] = depth;
  for (size_t d = 2; d < s.size(); ++d) out[d] = s[d] * bs;
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(x.element_count()));
  Dims src(s.size()), b(k);
  for_each_coord(out, [&](const Dims& c) {
    src[0] = c[0];
    for (size_t i = 0; i < k; ++i) {
      src[2 + i] = c[2 + i] / bs;
      b[i] = c[2 + i] % bs;
    }
    src[1] = depth_space_channel(a.mode, c[1], block_flat(b, bs), depth, volume);
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, out, index)};
}

Outputs eval_SpaceToDepth(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const auto& a = node.attr<DepthSpaceAttrs>();
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  if (s.size() < 3)
    raise(ErrorCode::kModel, "reference {}: input rank {} is below 3", node.describe(), s.size());
  const size_t k = s.size() - 2;
  const int64_t bs = a.block_size;
  int64_t volume = 1;
  for (size_t i = 0; i < k; ++i) volume *= bs;
  Dims out = s;
  out[1] = s[1] * volume;
  for (size_t d = 2; d < s.size(); ++d) {
    if (s[d] % bs != 0)
      raise(ErrorCode::kModel, "reference {}: dim {} ({}) is not a multiple of {}", node.describe(), d, s[d],
            bs);
    out[d] = s[d] / bs;
  }
  const int64_t depth = s[1];
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(x.element_count()));
  Dims src(s.size());
  for_each_coord(out, [&](const Dims& c) {
    const bool blocks_first = a.mode == DepthSpaceMode::kBlocksFirst;
    int64_t flat_b = blocks_first ? c[1] / depth : c[1] % volume;
    src[0] = c[0];
    src[1] = blocks_first ? c[1] % depth : c[1] / volume;
    for (size_t i = k; i-- > 0;) {  // the last spatial dim's offset is the least significant digit
      src[2 + i] = c[2 + i] * bs + flat_b % bs;
      flat_b /= bs;
    }
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, out, index)};
}

Outputs eval_BatchToSpace(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  const auto block = int_input(node, in, 1), begin = int_input(node, in, 2), end = int_input(node, in, 3);
  if (s.size() < 2 || block.size() != s.size() || begin.size() != s.size() || end.size() != s.size())
    raise(ErrorCode::kModel, "reference {}: block_shape/crops lengths differ from the data rank {}",
          node.describe(), s.size());
  int64_t blocks = 1;
  for (int64_t v : block) blocks *= v;
  if (block[0] != 1 || begin[0] != 0 || end[0] != 0 || blocks <= 0 || s[0] % blocks != 0)
    raise(ErrorCode::kModel, "reference {}: block_shape {} does not split batch {}", node.describe(),
          to_string(block), s[0]);
  Dims out(s.size());
  out[0] = s[0] / blocks;
  for (size_t d = 1; d < s.size(); ++d) {
    out[d] = s[d] * block[d] - begin[d] - end[d];
    if (begin[d] < 0 || end[d] < 0 || out[d] < 0)
      raise(ErrorCode::kModel, "reference {}: crops of dim {} are invalid", node.describe(), d);
  }
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(element_count(out)));
  Dims src(s.size());
  for_each_coord(out, [&](const Dims& c) {
    int64_t flat_b = 0;  // block offsets, dim 1 most significant, as data reshapes to [B1..BN, batch', ...]
    for (size_t d = 1; d < s.size(); ++d) {
      const int64_t z = c[d] + begin[d];
      src[d] = z / block[d];
      flat_b = flat_b * block[d] + z % block[d];
    }
    src[0] = flat_b * out[0] + c[0];
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, out, index)};
}

Outputs eval_SpaceToBatch(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  const auto block = int_input(node, in, 1), begin = int_input(node, in, 2), end = int_input(node, in, 3);
  if (s.size() < 2 || block.size() != s.size() || begin.size() != s.size() || end.size() != s.size())
    raise(ErrorCode::kModel, "reference {}: block_shape/pads lengths differ from the data rank {}",
          node.describe(), s.size());
  if (block[0] != 1 || begin[0] != 0 || end[0] != 0)
    raise(ErrorCode::kModel, "reference {}: the batch dim must have block 1 and no pads", node.describe());
  Dims out(s.size());
  int64_t blocks = 1;
  for (size_t d = 1; d < s.size(); ++d) {
    const int64_t padded = s[d] + begin[d] + end[d];
    if (block[d] < 1 || begin[d] < 0 || end[d] < 0 || padded % block[d] != 0)
      raise(ErrorCode::kModel, "reference {}: dim {} padded to {} does not split into blocks of {}",
            node.describe(), d, padded, block[d]);
    out[d] = padded / block[d];
    blocks *= block[d];
  }
  out[0] = s[0] * blocks;
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(element_count(out)));
  Dims src(s.size());
  for_each_coord(out, [&](const Dims& c) {
    // The output batch is (block offsets, dim 1 most significant) * batch + input batch.
    src[0] = c[0] % s[0];
    int64_t flat_b = c[0] / s[0];
    bool pad = false;
    for (size_t d = s.size(); d-- > 1;) {
      src[d] = c[d] * block[d] + flat_b % block[d] - begin[d];
      flat_b /= block[d];
      pad = pad || src[d] < 0 || src[d] >= s[d];
    }
    index.push_back(pad ? -1 : flat_index(src, strides));
  });
  return {gather_or_zero(node, x, out, index)};
}

Outputs eval_Tile(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const auto repeats = int_input(node, in, 1);
  const size_t rank = std::max(x.shape().size(), repeats.size());
  Dims xs(rank, 1), out(rank);
  for (size_t i = 0; i < x.shape().size(); ++i) xs[rank - x.shape().size() + i] = x.shape()[i];
  for (size_t i = 0; i < rank; ++i) {
    const int64_t r = i + repeats.size() >= rank ? repeats[i + repeats.size() - rank] : 1;
    if (r < 0) raise(ErrorCode::kModel, "reference {}: negative repeat {}", node.describe(), r);
    out[i] = xs[i] * r;
  }
  const Dims strides = row_major_strides(xs);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(element_count(out)));
  Dims src(rank);
  for_each_coord(out, [&](const Dims& c) {
    for (size_t d = 0; d < rank; ++d) src[d] = c[d] % xs[d];
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, out, index)};
}

Outputs eval_Roll(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  const auto shift = int_input(node, in, 1), axes = int_input(node, in, 2);
  if (shift.size() != 1 && shift.size() != axes.size())
    raise(ErrorCode::kModel, "reference {}: {} shifts for {} axes", node.describe(), shift.size(),
          axes.size());
  // Shifts of a repeated axis add up; each total is taken modulo the dim.
  Dims total(s.size(), 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    const auto a = static_cast<size_t>(axis_of(node, axes[i], s.size(), "axis"));
    const int64_t sh = shift[shift.size() == 1 ? 0 : i];
    if (s[a] > 0) total[a] = ((total[a] + sh % s[a]) % s[a] + s[a]) % s[a];
  }
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(x.element_count()));
  Dims src(s.size());
  for_each_coord(s, [&](const Dims& c) {
    for (size_t d = 0; d < s.size(); ++d) src[d] = (c[d] - total[d] + s[d]) % s[d];
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, s, index)};
}

Outputs eval_Reverse(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  std::vector<bool> flip(s.size(), false);
  const bool mask = node.attr<ReverseAttrs>().mode == ReverseMode::kMask;
  const auto axes = mask ? read_ints(*in[1]) : int_input(node, in, 1);  // mask: booleans as 0/1
  if (mask) {
    if (axes.size() != s.size())
      raise(ErrorCode::kModel, "reference {}: mask of {} entries for rank {}", node.describe(), axes.size(),
            s.size());
    for (size_t d = 0; d < s.size(); ++d) flip[d] = axes[d] != 0;
  } else {
    for (int64_t a : axes) flip[static_cast<size_t>(axis_of(node, a, s.size(), "axis"))] = true;
  }
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(x.element_count()));
  Dims src(s.size());
  for_each_coord(s, [&](const Dims& c) {
    for (size_t d = 0; d < s.size(); ++d) src[d] = flip[d] ? s[d] - 1 - c[d] : c[d];
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, s, index)};
}

Outputs eval_ReverseSequence(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const auto& a = node.attr<ReverseSequenceAttrs>();
  const Tensor& x = *in[0];
  const Dims& s = x.shape();
  const auto batch = static_cast<size_t>(axis_of(node, a.batch_axis, s.size(), "batch_axis"));
  const auto seq = static_cast<size_t>(axis_of(node, a.seq_axis, s.size(), "seq_axis"));
  const Tensor& lt = *in[1];
  if (batch == seq || lt.element_count() != s[batch])
    raise(ErrorCode::kModel, "reference {}: {} sequence lengths for batch dim of {}", node.describe(),
          lt.element_count(), s[batch]);
  // Lengths are truncated toward zero (float types allowed); 0 leaves the sequence as it is, like 1.
  std::vector<int64_t> lengths(static_cast<size_t>(lt.element_count()));
  for (int64_t b = 0; b < lt.element_count(); ++b) {
    const double v = lt.get_as_double(b);
    if (!(v >= 0) || std::trunc(v) > static_cast<double>(s[seq]))
      raise(ErrorCode::kModel, "{}: input 1 (seq_lengths) entry {} is {}, outside [0, {}] (dim {} of {})",
            node.describe(), b, v, s[seq], seq, to_string(s));
    lengths[static_cast<size_t>(b)] = is_float(lt.type()) ? static_cast<int64_t>(v) : lt.get_as_int64(b);
  }
  const Dims strides = row_major_strides(s);
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(x.element_count()));
  Dims src(s.size());
  for_each_coord(s, [&](const Dims& c) {
    src = c;
    const int64_t len = lengths[static_cast<size_t>(c[batch])];
    if (c[seq] < len) src[seq] = len - 1 - c[seq];
    index.push_back(flat_index(src, strides));
  });
  return {gather_elements(node, x, s, index)};
}

Outputs eval_Identity(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  return {in[0]->clone()};
}

Outputs eval_Range(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const ElementType type = node.version >= 4 ? node.attr<RangeAttrs>().output_type : in[0]->type();
  const bool integral = !is_float(type);
  // Inputs are cast to the output type first (Range-1: they have it), integers toward zero.
  double v[3];
  int64_t iv[3] = {0, 0, 0};
  for (size_t i = 0; i < 3; ++i) {
    if (in[i]->element_count() != 1)
      raise(ErrorCode::kModel, "reference {}: input {} is not a scalar", node.describe(), i);
    v[i] = in[i]->get_as_double(0);
    if (!std::isfinite(v[i]))
      raise(ErrorCode::kModel, "reference {}: input {} is {}", node.describe(), i, v[i]);
    if (integral) {
      v[i] = std::trunc(v[i]);
      if (std::fabs(v[i]) >= 9.2e18)
        raise(ErrorCode::kUnsupported, "reference {}: input {} ({}) is beyond int64", node.describe(), i,
              v[i]);
      iv[i] = is_integer(in[i]->type()) ? in[i]->get_as_int64(0) : static_cast<int64_t>(v[i]);
    }
  }
  if (v[2] == 0) raise(ErrorCode::kModel, "reference {}: step is 0 in the output type", node.describe());
  const bool empty = (v[2] > 0 && v[0] >= v[1]) || (v[2] < 0 && v[0] <= v[1]);
  const double count_d = empty ? 0.0 : std::ceil(std::fabs(v[1] - v[0]) / std::fabs(v[2]));
  if (count_d > static_cast<double>(kMaxElements))
    raise(ErrorCode::kModel, "reference {}: {} elements", node.describe(), count_d);
  const auto count = static_cast<int64_t>(count_d);
  const Dims shape{count};
  if (integral) {
    // start + i * step in the output type: wrapping arithmetic, as OpenVINO's accumulation is.
    const ElementType t = type;
    const int64_t start = wrap_to(t, iv[0]), step = wrap_to(t, iv[2]);
    std::vector<int64_t> values(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i)
      values[static_cast<size_t>(i)] = static_cast<int64_t>(
          static_cast<uint64_t>(start) + static_cast<uint64_t>(i) * static_cast<uint64_t>(step));
    return {make_int_tensor(t, shape, values)};
  }
  if (type == ElementType::kF64) {
    Tensor out(type, shape);
    for (int64_t i = 0; i < count; ++i) out.data_as<double>()[i] = v[0] + static_cast<double>(i) * v[2];
    return {out};
  }
  // f32/f16/bf16: start and step rounded to the output type, then start + i * step in f32 (one
  // multiply and one add, each rounded: x86-64 without FMA contraction), rounded once to the type.
  const float start = make_float_tensor(type, {1}, {static_cast<float>(v[0])}).to_float_vector()[0];
  const float step = make_float_tensor(type, {1}, {static_cast<float>(v[2])}).to_float_vector()[0];
  std::vector<float> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const float scaled = static_cast<float>(i) * step;
    values[static_cast<size_t>(i)] = start + scaled;
  }
  return {make_float_tensor(type, shape, values)};
}

Outputs eval_Eye(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 4);
  const ElementType type = node.attr<EyeAttrs>().output_type;
  Dims out;
  if (in.size() == 4) out = int_input(node, in, 3);
  const int64_t rows = in[0]->get_as_int64(0), cols = in[1]->get_as_int64(0), diag = in[2]->get_as_int64(0);
  if (rows < 0 || cols < 0)
    raise(ErrorCode::kModel, "reference {}: {} rows, {} columns", node.describe(), rows, cols);
  out.push_back(rows);
  out.push_back(cols);
  Tensor t(type, out);
  const std::vector<uint8_t> one = value_bytes(type, 1.0);
  const size_t w = one.size();
  auto* d = static_cast<uint8_t*>(t.data());
  const int64_t matrices = cols * rows == 0 ? 0 : t.element_count() / (rows * cols);
  // Ones where column - row == diagonal_index (0 elsewhere: zero bytes are 0 in every type).
  for (int64_t m = 0; m < matrices; ++m)
    for (int64_t r = 0; r < rows; ++r) {
      if (diag >= cols || diag <= -rows) break;  // no element on that diagonal
      const int64_t c = r + diag;
      if (c >= 0 && c < cols)
        std::memcpy(d + static_cast<size_t>((m * rows + r) * cols + c) * w, one.data(), w);
    }
  return {t};
}

Outputs eval_OneHot(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const auto& a = node.attr<OneHotAttrs>();
  const Tensor& idx = *in[0];
  const int64_t depth = in[1]->get_as_int64(0);
  const Tensor &on = *in[2], &off = *in[3];
  if (on.type() != off.type() || on.element_count() != 1 || off.element_count() != 1 || depth < 0)
    raise(ErrorCode::kModel, "reference {}: on/off values or depth {} are invalid", node.describe(), depth);
  const size_t rank = idx.shape().size();
  const auto axis = static_cast<size_t>(axis_of(node, a.axis, rank + 1, "axis"));
  Dims out = idx.shape();
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(axis), depth);
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= idx.shape()[d];
  for (size_t d = axis; d < rank; ++d) inner *= idx.shape()[d];
  const std::vector<int64_t> values = read_ints(idx);
  const size_t w = byte_width(node, on.type());
  Tensor t(on.type(), out);
  auto* d = static_cast<uint8_t*>(t.data());
  const auto* on_b = static_cast<const uint8_t*>(on.data());
  const auto* off_b = static_cast<const uint8_t*>(off.data());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < depth; ++k)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t v = values[static_cast<size_t>(o * inner + i)];
        if (v < 0 && a.negative_indices == OneHotNegativeMode::kNormalize) v += depth;
        std::memcpy(d + static_cast<size_t>((o * depth + k) * inner + i) * w, v == k ? on_b : off_b, w);
      }
  return {t};
}

}  // namespace ref
}  // namespace octet
