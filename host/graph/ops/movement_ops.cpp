// Shape inference for the data movement and generator ops of issue 11 (family F3a): ShuffleChannels,
// DepthToSpace, SpaceToDepth, BatchToSpace, SpaceToBatch, Tile, Roll, Reverse, ReverseSequence,
// Identity, Range, Eye and OneHot (OpenVINO op specifications of those versions).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// Movement ops copy whole elements; sub-byte types would need bit addressing nothing here has.
void expect_byte_type(const Node& node, size_t i) {
  const ElementType t = node.input_type(i);
  if (t == ElementType::kUndefined || is_sub_byte(t))
    raise(ErrorCode::kUnsupported,
          "{}: input {} has element type {}; octet moves only byte-addressable elements", node.describe(), i,
          element_type_name(t));
}

void expect_min_rank(const Node& node, size_t rank, const char* why) {
  if (node.input_shape(0).size() < rank)
    raise(ErrorCode::kModel, "{}: input 0 must have rank {} or more ({}), has shape {}", node.describe(),
          rank, why, to_string(node.input_shape(0)));
}

// A constant 1-D integer input of `count` entries (count < 0: any length).
std::vector<int64_t> constant_list(const Node& node, size_t i, const char* what, int64_t count) {
  if (node.input_shape(i).size() != 1)
    raise(ErrorCode::kModel, "{}: input {} ({}) must be 1-D, has shape {}", node.describe(), i, what,
          to_string(node.input_shape(i)));
  std::vector<int64_t> v = constant_ints(node, i, what);
  if (count >= 0 && static_cast<int64_t>(v.size()) != count)
    raise(ErrorCode::kModel, "{}: input {} ({}) {} has {} entries, the data has rank {}", node.describe(), i,
          what, list_string(v), v.size(), count);
  return v;
}

// Raises kModel unless input i is a scalar, or (when `allow_one` ) a 1-D tensor of one element.
void expect_scalar(const Node& node, size_t i, const char* what, bool allow_one) {
  const Dims& s = node.input_shape(i);
  if (s.empty() || (allow_one && s.size() == 1 && s[0] == 1)) return;
  raise(ErrorCode::kModel, "{}: input {} ({}) must be a scalar{}, has shape {}", node.describe(), i, what,
        allow_one ? " or hold one element" : "", to_string(s));
}

// dim * factor, or dynamic; kModel beyond kMaxDim.
int64_t scaled_dim(const Node& node, int64_t dim, int64_t factor) {
  if (dim < 0) return kDynamicDim;
  if (factor != 0 && dim > kMaxDim / factor)
    raise(ErrorCode::kModel, "{}: output dim {} x {} is too large", node.describe(), dim, factor);
  return dim * factor;
}

// block_size^spatial for DepthToSpace/SpaceToDepth, with the layer named when it overflows.
int64_t block_volume(const Node& node, int64_t block, size_t spatial) {
  int64_t v = 1;
  for (size_t i = 0; i < spatial; ++i) {
    if (v > kMaxDim / block)
      raise(ErrorCode::kModel, "{}: block_size {} to the power {} is too large", node.describe(), block,
            spatial);
    v *= block;
  }
  return v;
}

// BatchToSpace/SpaceToBatch: block_shape and the crops/pads inputs, validated against `rank`.
struct BlockInputs {
  std::vector<int64_t> block, begin, end;
};
BlockInputs block_inputs(const Node& node, const char* begin_name, const char* end_name) {
  expect_inputs(node, 4, 4);
  expect_byte_type(node, 0);
  expect_min_rank(node, 2, "batch and spatial dims");
  const int64_t rank = static_cast<int64_t>(node.input_shape(0).size());
  BlockInputs b{constant_list(node, 1, "block_shape", rank), constant_list(node, 2, begin_name, rank),
                constant_list(node, 3, end_name, rank)};
  for (size_t i = 0; i < b.block.size(); ++i) {
    if (b.block[i] < 1 || b.block[i] > kMaxDim)
      raise(ErrorCode::kModel, "{}: input 1 (block_shape) {} has value {} at {}; entries must be at least 1",
            node.describe(), list_string(b.block), b.block[i], i);
    if (b.begin[i] < 0 || b.end[i] < 0 || b.begin[i] > kMaxDim || b.end[i] > kMaxDim)
      raise(ErrorCode::kModel, "{}: inputs 2 and 3 ({} {}, {} {}) must be non-negative", node.describe(),
            begin_name, list_string(b.begin), end_name, list_string(b.end));
  }
  // The spec expects 1 and 0 for the batch dim; OpenVINO's implementations disagree on anything else.
  if (b.block[0] != 1 || b.begin[0] != 0 || b.end[0] != 0)
    raise(ErrorCode::kUnsupported,
          "{}: block_shape[0] = {}, {}[0] = {}, {}[0] = {}: the batch dim must have block 1 and no {} "
          "(OpenVINO's specification)",
          node.describe(), b.block[0], begin_name, b.begin[0], end_name, b.end[0], begin_name);
  return b;
}

}  // namespace

void infer_ShuffleChannels(Node& node) {
  expect_inputs(node, 1, 1);
  expect_byte_type(node, 0);
  const auto& a = node.attr<ShuffleChannelsAttrs>();
  const Dims& x = node.input_shape(0);
  if (x.empty())
    raise(ErrorCode::kModel, "{}: input 0 must have rank 1 or more, is a scalar", node.describe());
  const int64_t axis = node_axis(node, a.axis, static_cast<int64_t>(x.size()), "attribute 'axis'");
  const int64_t c = x[static_cast<size_t>(axis)];
  if (c >= 0 && c % a.group != 0)
    raise(ErrorCode::kModel, "{}: dim {} of input shape {} ({}) is not a multiple of group {}",
          node.describe(), axis, to_string(x), c, a.group);
  set_single_output(node, node.input_type(0), x);
}

void infer_DepthToSpace(Node& node) {
  expect_inputs(node, 1, 1);
  expect_byte_type(node, 0);
  const auto& a = node.attr<DepthSpaceAttrs>();
  expect_min_rank(node, 3, "batch, channels and spatial dims");
  const Dims& x = node.input_shape(0);
  const int64_t volume = block_volume(node, a.block_size, x.size() - 2);
  Dims out = x;
  if (x[1] >= 0) {
    if (x[1] % volume != 0)
      raise(ErrorCode::kModel, "{}: channels {} of input shape {} are not a multiple of block_size^{} = {}",
            node.describe(), x[1], to_string(x), x.size() - 2, volume);
    out[1] = x[1] / volume;
  }
  for (size_t d = 2; d < x.size(); ++d) out[d] = scaled_dim(node, x[d], a.block_size);
  set_single_output(node, node.input_type(0), out);
}

void infer_SpaceToDepth(Node& node) {
  expect_inputs(node, 1, 1);
  expect_byte_type(node, 0);
  const auto& a = node.attr<DepthSpaceAttrs>();
  expect_min_rank(node, 3, "batch, channels and spatial dims");
  const Dims& x = node.input_shape(0);
  const int64_t volume = block_volume(node, a.block_size, x.size() - 2);
  Dims out = x;
  out[1] = scaled_dim(node, x[1], volume);
  for (size_t d = 2; d < x.size(); ++d) {
    if (x[d] < 0) continue;
    if (x[d] % a.block_size != 0)
      raise(ErrorCode::kModel, "{}: dim {} of input shape {} ({}) is not a multiple of block_size {}",
            node.describe(), d, to_string(x), x[d], a.block_size);
    out[d] = x[d] / a.block_size;
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_BatchToSpace(Node& node) {
  const BlockInputs b = block_inputs(node, "crops_begin", "crops_end");
  const Dims& x = node.input_shape(0);
  int64_t blocks = 1;
  for (int64_t v : b.block) {
    if (blocks > kMaxDim / v)
      raise(ErrorCode::kModel, "{}: block_shape {} is too large", node.describe(), list_string(b.block));
    blocks *= v;
  }
  Dims out = x;
  if (x[0] >= 0) {
    if (x[0] % blocks != 0)
      raise(ErrorCode::kModel, "{}: batch {} of input shape {} is not a multiple of the block volume {} ({})",
            node.describe(), x[0], to_string(x), blocks, list_string(b.block));
    out[0] = x[0] / blocks;
  }
  for (size_t d = 1; d < x.size(); ++d) {
    if (x[d] < 0) continue;
    const int64_t full = scaled_dim(node, x[d], b.block[d]);
    if (b.begin[d] + b.end[d] > full)
      raise(ErrorCode::kModel, "{}: crops {} + {} of dim {} exceed its size {} x {} = {}", node.describe(),
            b.begin[d], b.end[d], d, x[d], b.block[d], full);
    out[d] = full - b.begin[d] - b.end[d];
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_SpaceToBatch(Node& node) {
  const BlockInputs b = block_inputs(node, "pads_begin", "pads_end");
  const Dims& x = node.input_shape(0);
  Dims out = x;
  int64_t blocks = 1;
  for (size_t d = 1; d < x.size(); ++d) {
    blocks = scaled_dim(node, blocks, b.block[d]);
    if (x[d] < 0) continue;
    const int64_t padded = x[d] + b.begin[d] + b.end[d];
    if (padded % b.block[d] != 0)
      raise(ErrorCode::kModel, "{}: dim {} padded to {} + {} + {} = {} is not a multiple of block {}",
            node.describe(), d, b.begin[d], x[d], b.end[d], padded, b.block[d]);
    out[d] = padded / b.block[d];
  }
  out[0] = scaled_dim(node, x[0], blocks);
  set_single_output(node, node.input_type(0), out);
}

void infer_Tile(Node& node) {
  expect_inputs(node, 2, 2);
  expect_byte_type(node, 0);
  const Dims& x = node.input_shape(0);
  const std::vector<int64_t> repeats = constant_list(node, 1, "repeats", -1);
  for (int64_t r : repeats)
    if (r < 0)
      raise(ErrorCode::kModel, "{}: input 1 (repeats) {} has negative value {}", node.describe(),
            list_string(repeats), r);
  // The shorter of shape and repeats is padded with leading 1s.
  const size_t rank = std::max(x.size(), repeats.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t d = i + x.size() >= rank ? x[i + x.size() - rank] : 1;
    const int64_t r = i + repeats.size() >= rank ? repeats[i + repeats.size() - rank] : 1;
    out[i] = scaled_dim(node, d, r);
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_Roll(Node& node) {
  expect_inputs(node, 3, 3);
  expect_byte_type(node, 0);
  expect_integer(node, 1, "shift");
  expect_integer(node, 2, "axes");
  const Dims& x = node.input_shape(0);
  const Dims& shift = node.input_shape(1);
  const Dims& axes = node.input_shape(2);
  if (shift.size() > 1 || axes.size() > 1)
    raise(ErrorCode::kModel,
          "{}: inputs 1 (shift) and 2 (axes) must be scalars or 1-D, have shapes {} and {}", node.describe(),
          to_string(shift), to_string(axes));
  // A scalar shift applies to every listed axis; a 1-D shift pairs with the axes one to one.
  if (shift.size() == 1 && (axes.size() != 1 || (shift[0] >= 0 && axes[0] >= 0 && shift[0] != axes[0])))
    raise(ErrorCode::kModel, "{}: input 1 (shift) of shape {} needs axes of the same shape, has {}",
          node.describe(), to_string(shift), to_string(axes));
  if (x.empty())
    raise(ErrorCode::kModel, "{}: input 0 must have rank 1 or more, is a scalar", node.describe());
  if (node.input_constant(2))
    node_axes(node, constant_ints(node, 2, "axes"), static_cast<int64_t>(x.size()), "input 2 (axes) entry",
              false);
  set_single_output(node, node.input_type(0), x);
}

void infer_Reverse(Node& node) {
  expect_inputs(node, 2, 2);
  expect_byte_type(node, 0);
  const auto& a = node.attr<ReverseAttrs>();
  const Dims& x = node.input_shape(0);
  const Dims& axes = node.input_shape(1);
  if (axes.size() != 1)
    raise(ErrorCode::kModel, "{}: input 1 (axes) must be 1-D, has shape {}", node.describe(),
          to_string(axes));
  if (a.mode == ReverseMode::kMask) {
    if (node.input_type(1) != ElementType::kBoolean)
      raise(ErrorCode::kModel, "{}: input 1 (axes) must be boolean in mode 'mask', has {}", node.describe(),
            element_type_name(node.input_type(1)));
    if (axes[0] >= 0 && axes[0] != static_cast<int64_t>(x.size()))
      raise(ErrorCode::kModel, "{}: input 1 (axes) has {} entries in mode 'mask'; the data has rank {}",
            node.describe(), axes[0], x.size());
  } else {
    expect_integer(node, 1, "axes");
    if (node.input_constant(1))
      node_axes(node, constant_ints(node, 1, "axes"), static_cast<int64_t>(x.size()), "input 1 (axes) entry",
                false);
  }
  set_single_output(node, node.input_type(0), x);
}

void infer_ReverseSequence(Node& node) {
  expect_inputs(node, 2, 2);
  expect_byte_type(node, 0);
  const auto& a = node.attr<ReverseSequenceAttrs>();
  expect_min_rank(node, 2, "batch and sequence axes");
  const Dims& x = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  const int64_t batch = node_axis(node, a.batch_axis, rank, "attribute 'batch_axis'");
  const int64_t seq = node_axis(node, a.seq_axis, rank, "attribute 'seq_axis'");
  if (batch == seq)
    raise(ErrorCode::kModel, "{}: attributes 'batch_axis' ({}) and 'seq_axis' ({}) name the same axis {}",
          node.describe(), a.batch_axis, a.seq_axis, batch);
  const ElementType lt = node.input_type(1);
  if (!is_integer(lt) && !is_float(lt))
    raise(ErrorCode::kModel, "{}: input 1 (seq_lengths) must be numeric, has {}", node.describe(),
          element_type_name(lt));
  const Dims& lengths = node.input_shape(1);
  if (lengths.size() != 1)
    raise(ErrorCode::kModel, "{}: input 1 (seq_lengths) must be 1-D, has shape {}", node.describe(),
          to_string(lengths));
  const int64_t n = x[static_cast<size_t>(batch)];
  if (lengths[0] >= 0 && n >= 0 && lengths[0] != n)
    raise(ErrorCode::kModel, "{}: input 1 (seq_lengths) has {} entries for batch dim {} of size {}",
          node.describe(), lengths[0], batch, n);
  set_single_output(node, node.input_type(0), x);
}

void infer_Identity(Node& node) {
  expect_inputs(node, 1, 1);
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_Range(Node& node) {
  expect_inputs(node, 3, 3);
  const auto& a = node.attr<RangeAttrs>();
  static const char* const kNames[] = {"start", "stop", "step"};
  for (size_t i = 0; i < 3; ++i) {
    const ElementType t = node.input_type(i);
    if ((!is_integer(t) && !is_float(t)) || is_sub_byte(t))
      raise(ErrorCode::kModel, "{}: input {} ({}) must have a numeric type, has {}", node.describe(), i,
            kNames[i], element_type_name(t));
    expect_scalar(node, i, kNames[i], false);
  }
  ElementType out_type = a.output_type;
  if (node.version < 4) {  // Range-1: one type for all three inputs and the output
    expect_same_type(node, 0, 1);
    expect_same_type(node, 0, 2);
    out_type = node.input_type(0);
  }
  double v[3];
  for (size_t i = 0; i < 3; ++i) {
    if (!node.input_constant(i))
      raise(ErrorCode::kUnsupported,
            "{}: input {} ({}) is computed at run time; the output length of Range depends on it and octet "
            "needs "
            "static shapes",
            node.describe(), i, kNames[i]);
    v[i] = node.input_constant(i)->get_as_double(0);
    if (!std::isfinite(v[i]))
      raise(ErrorCode::kModel, "{}: input {} ({}) is {}", node.describe(), i, kNames[i], v[i]);
    // Range-4 casts the inputs to the output type first (toward zero for integers), as Range-1 is.
    if (!is_float(out_type)) v[i] = std::trunc(v[i]);
  }
  const double start = v[0], stop = v[1], step = v[2];
  if (step == 0)
    raise(ErrorCode::kModel, "{}: input 2 (step) is 0{}", node.describe(),
          is_float(out_type) ? "" : fmt::format(" as output type {}", element_type_name(out_type)));
  const bool empty = (step > 0 && start >= stop) || (step < 0 && start <= stop);
  const double count = empty ? 0.0 : std::ceil(std::fabs(stop - start) / std::fabs(step));
  if (count > static_cast<double>(kMaxElements))
    raise(ErrorCode::kModel, "{}: range from {} to {} by {} has {} elements, too many", node.describe(),
          start, stop, step, count);
  set_single_output(node, out_type, Dims{static_cast<int64_t>(count)});
}

void infer_Eye(Node& node) {
  expect_inputs(node, 3, 4);
  const auto& a = node.attr<EyeAttrs>();
  static const char* const kNames[] = {"num_rows", "num_columns", "diagonal_index", "batch_shape"};
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const ElementType t = node.input_type(i);
    if (t != ElementType::kI32 && t != ElementType::kI64)
      raise(ErrorCode::kModel, "{}: input {} ({}) must be i32 or i64, has {}", node.describe(), i, kNames[i],
            element_type_name(t));
    if (i < 3) expect_scalar(node, i, kNames[i], true);
  }
  Dims out;
  if (node.inputs.size() == 4) {
    out = constant_list(node, 3, "batch_shape", -1);
    for (int64_t d : out)
      if (d < 0)
        raise(ErrorCode::kModel, "{}: input 3 (batch_shape) {} has negative value {}", node.describe(),
              list_string(out), d);
  }
  for (size_t i = 0; i < 2; ++i) {
    const int64_t n = constant_scalar_int(node, i, kNames[i]);
    if (n < 0 || n > kMaxDim)
      raise(ErrorCode::kModel, "{}: input {} ({}) is {}", node.describe(), i, kNames[i], n);
    out.push_back(n);
  }
  set_single_output(node, a.output_type, out);
}

void infer_OneHot(Node& node) {
  expect_inputs(node, 4, 4);
  const auto& a = node.attr<OneHotAttrs>();
  expect_integer(node, 0, "indices");
  expect_integer(node, 1, "depth");
  expect_scalar(node, 1, "depth", false);
  expect_scalar(node, 2, "on_value", false);
  expect_scalar(node, 3, "off_value", false);
  expect_same_type(node, 2, 3);
  expect_byte_type(node, 2);
  const Dims& indices = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(indices.size());
  if (a.axis < -rank - 1 || a.axis > rank)
    raise(ErrorCode::kModel, "{}: attribute 'axis' = {} is out of range for output rank {}", node.describe(),
          a.axis, rank + 1);
  const int64_t axis = a.axis < 0 ? a.axis + rank + 1 : a.axis;
  const int64_t depth = constant_scalar_int(node, 1, "depth");
  if (depth < 0 || depth > kMaxDim)
    raise(ErrorCode::kModel, "{}: input 1 (depth) is {}", node.describe(), depth);
  Dims out = indices;
  out.insert(out.begin() + axis, depth);
  set_single_output(node, node.input_type(2), out);
}

}  // namespace octet
