// Data movement launchers: metadata reshapes and Identity (buffer copy), strided copies (Transpose, Concat,
// Split, VariadicSplit, Slice, StridedSlice, Broadcast, ShuffleChannels, DepthToSpace, SpaceToDepth,
// Tile, Reverse),
// Gather, GatherElements, OneHot and Pad.
// Type-agnostic by size.
#include <algorithm>
#include <cstring>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

const char* kFile = "movement.cl";

// One strided copy: dst[dst_off + c.ds] = src[src_off + c.ss] for c over dims.
struct CopyPlan {
  size_t src_input = 0, dst_output = 0;
  Dims dims, ss, ds;
  int64_t src_off = 0, dst_off = 0;
};

std::vector<int64_t> const_values(const Node& node, size_t i) {
  return node.input_constant(i)->to_int64_vector();
}

class StridedCopyKernel : public OclKernel {
 public:
  StridedCopyKernel(const Node& node, OpenClBackend& b, std::vector<CopyPlan> plans, const std::string& impl)
      : OclKernel(b, node, impl), plans_(std::move(plans)) {
    size_t bytes = element_bits(node.outputs[0].type) / 8;
    kernel_ = make(kFile, "-DIDX_T=long", ("copy_" + std::to_string(bytes)).c_str());
    std::vector<int> sources;  // Concat may read several Constants
    for (CopyPlan& p : plans_) {
      if (p.dims.empty()) p.dims = {1}, p.ss = {0}, p.ds = {0};
      if (std::find(sources.begin(), sources.end(), int(p.src_input)) == sources.end())
        sources.push_back(static_cast<int>(p.src_input));
    }
    capture_constants(node, sources);
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const CopyPlan& p : plans_) {
      size_t r = p.dims.size();
      set_args(kernel_.get(), input(in, p.src_input), output(out, p.dst_output), dims_arg(p.dims),
               strides_arg(p.ss, r), cl_int(p.src_off), strides_arg(p.ds, r), cl_int(p.dst_off));
      size_t total = static_cast<size_t>(element_count(p.dims)), inner = static_cast<size_t>(p.dims.back());
      launch(ctx, kernel_.get(), {inner, inner ? total / inner : 0, 1}, 2);
    }
  }

 private:
  std::vector<CopyPlan> plans_;
  ocl::ClKernel kernel_;
};

// ShuffleChannels over the last axis of one-byte elements (channels-last int8 codes,
// host/transforms/codes_flow.h): the strided copy would launch runs of one byte along its first
// dimension; this kernel spans the channels instead (kernels/codes_pool.cl).
class ShuffleLastBytesKernel : public OclKernel {
 public:
  ShuffleLastBytesKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_shuffle_last_bytes") {
    const Dims& x = node.input_shape(0);
    channels_ = x.back();
    pixels_ = channels_ ? element_count(x) / channels_ : 0;
    group_ = static_cast<cl_int>(node.attr<ShuffleChannelsAttrs>().group);
    kernel_ = make("codes_pool.cl", "", "shuffle_last_bytes");
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), group_);
    launch(ctx, kernel_.get(), {size_t(channels_), size_t(pixels_), 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t channels_ = 0, pixels_ = 0;
  cl_int group_ = 1;
};

bool shuffles_last_bytes(const Node& node) {
  const Dims& x = node.input_shape(0);
  if (node.op != OpKind::kShuffleChannels || element_bits(node.input_type(0)) != 8 || x.size() < 2)
    return false;
  const int64_t rank = static_cast<int64_t>(x.size());
  const int64_t axis = node.attr<ShuffleChannelsAttrs>().axis;
  return (axis < 0 ? axis + rank : axis) == rank - 1 && element_count(x) <= kMaxKernelElements;
}

class BufferCopyKernel : public OclKernel {
 public:
  BufferCopyKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_reshape_copy") {
    bytes_ = node.outputs[0].type == ElementType::kUndefined
                 ? 0
                 : element_storage_bytes(node.outputs[0].type, element_count(node.outputs[0].shape));
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& context, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    copy(context, input(in, 0), output(out, 0), bytes_);
  }

 private:
  size_t bytes_ = 0;
};

// ShapeOf: the (static) shape is known at compile time; each run copies it into the output.
class ShapeOfKernel : public OclKernel {
 public:
  ShapeOfKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_shape_of") {
    const Dims& x = node.input_shape(0);
    std::vector<int64_t> v64(x.begin(), x.end());
    std::vector<int32_t> v32(x.begin(), x.end());
    bool i32 = node.outputs[0].type == ElementType::kI32;
    bytes_ = x.size() * (i32 ? 4 : 8);
    if (bytes_) shape_ = weights(i32 ? static_cast<const void*>(v32.data()) : v64.data(), bytes_);
  }
  void enqueue(ExecContext& context, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    copy(context, shape_.get(), output(out, 0), bytes_);
  }

 private:
  ocl::Mem shape_;
  size_t bytes_ = 0;
};

class GatherKernel : public OclKernel {
 public:
  GatherKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_gather") {
    const Dims& data = node.input_shape(0);
    const Dims& idx = node.input_shape(1);
    int64_t r = static_cast<int64_t>(data.size());
    int64_t axis = normalize_axis(const_values(node, 2).at(0), r, "axis");
    int64_t bd = node.attr<GatherAttrs>().batch_dims;
    if (bd < 0) bd += static_cast<int64_t>(idx.size());
    axis_dim_ = data[axis];
    inner_ = 1, outer_ = 1, I_ = 1;
    for (int64_t i = axis + 1; i < r; ++i) inner_ *= data[i];
    for (int64_t i = 0; i < axis; ++i) outer_ *= data[i];
    int64_t outer_per_batch = 1;
    for (int64_t i = bd; i < axis; ++i) outer_per_batch *= data[i];
    outer_per_batch_ = outer_per_batch;
    for (size_t i = static_cast<size_t>(bd); i < idx.size(); ++i) I_ *= idx[i];
    size_t bytes = element_bits(node.outputs[0].type) / 8;
    std::string it = node.input_type(1) == ElementType::kI32 ? "int" : "long";
    kernel_ = make(kFile, "-DIDX_T=" + it, ("gather_" + std::to_string(bytes)).c_str());
    capture_constants(node, {0, 1});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), input(in, 1), output(out, 0), cl_int(axis_dim_), cl_int(inner_),
             cl_int(I_), cl_int(outer_per_batch_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(I_), size_t(outer_)}, 3);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t axis_dim_ = 1, inner_ = 1, outer_ = 1, I_ = 1, outer_per_batch_ = 1;
};

class GatherElementsKernel : public OclKernel {
 public:
  GatherElementsKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_gather_elements") {
    const Dims& data = node.input_shape(0);
    const Dims& idx = node.input_shape(1);
    const int64_t r = static_cast<int64_t>(data.size());
    const size_t axis = static_cast<size_t>(normalize_axis(node.attr<AxisAttrs>().axis, r, "axis"));
    n_ = data[axis];
    m_ = idx[axis];
    for (size_t i = 0; i < axis; ++i) outer_ *= idx[i];
    for (size_t i = axis + 1; i < idx.size(); ++i) inner_ *= idx[i];
    size_t bytes = element_bits(node.outputs[0].type) / 8;
    std::string it = node.input_type(1) == ElementType::kI32 ? "int" : "long";
    kernel_ = make(kFile, "-DIDX_T=" + it, ("gather_elements_" + std::to_string(bytes)).c_str());
    capture_constants(node, {0, 1});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), input(in, 1), output(out, 0), cl_int(n_), cl_int(inner_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(m_), size_t(outer_)}, 3);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t n_ = 1, m_ = 1, outer_ = 1, inner_ = 1;
};

class OneHotKernel : public OclKernel {
 public:
  OneHotKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_one_hot") {
    const Dims& idx = node.input_shape(0);
    const Dims& out = node.outputs[0].shape;
    const size_t axis = static_cast<size_t>(
        normalize_axis(node.attr<OneHotAttrs>().axis, static_cast<int64_t>(out.size()), "axis"));
    depth_ = out[axis];
    for (size_t d = 0; d < axis; ++d) outer_ *= idx[d];
    for (size_t d = axis; d < idx.size(); ++d) inner_ *= idx[d];
    normalize_ = node.attr<OneHotAttrs>().negative_indices == OneHotNegativeMode::kNormalize;
    const size_t bytes = element_bits(node.outputs[0].type) / 8;
    kernel_ = make(kFile, fmt::format("-DIDX_T={}", cl_type(node.input_type(0))),
                   ("one_hot_" + std::to_string(bytes)).c_str());
    capture_constants(node, {0, 2, 3});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), input(in, 2), input(in, 3), output(out, 0), cl_int(normalize_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(depth_), size_t(outer_)}, 3);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t depth_ = 0, outer_ = 1, inner_ = 1;
  bool normalize_ = false;
};

class PadKernel : public OclKernel {
 public:
  PadKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_pad") {
    idims_ = node.input_shape(0);
    odims_ = node.outputs[0].shape;
    pb_ = const_values(node, 1);
    switch (node.attr<PadAttrs>().mode) {  // the pad kernels' mode numbers
      case PadMode::kConstant: mode_ = 0; break;
      case PadMode::kEdge: mode_ = 1; break;
      case PadMode::kReflect: mode_ = 2; break;
      case PadMode::kSymmetric: mode_ = 3; break;
    }
    bytes_ = element_bits(node.outputs[0].type) / 8;
    if (node.inputs.size() > 3 && node.input_constant(3))
      std::memcpy(value_, node.input_constant(3)->data(), bytes_);
    if (idims_.empty()) idims_ = odims_ = {1}, pb_ = {0};
    kernel_ = make(kFile, "-DIDX_T=long", ("pad_" + std::to_string(bytes_)).c_str());
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Int8Arg pb = strides_arg(pb_, pb_.size());
    set_args(kernel_.get(), input(in, 0), output(out, 0), dims_arg(odims_), dims_arg(idims_), pb,
             cl_int(mode_));
    ocl::check(clSetKernelArg(kernel_.get(), 6, bytes_, value_), "clSetKernelArg");
    size_t total = static_cast<size_t>(element_count(odims_)), inner = static_cast<size_t>(odims_.back());
    launch(ctx, kernel_.get(), {inner, inner ? total / inner : 0, 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  Dims idims_, odims_, pb_;
  int mode_ = 0;
  size_t bytes_ = 4;
  unsigned char value_[8] = {};
};

std::vector<CopyPlan> transpose_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  std::vector<int64_t> order = const_values(node, 1);
  if (order.empty())
    for (size_t i = x.size(); i-- > 0;) order.push_back(static_cast<int64_t>(i));
  Dims st = row_major_strides(x);
  CopyPlan p;
  p.dims = node.outputs[0].shape;
  p.ds = row_major_strides(p.dims);
  for (int64_t o : order) p.ss.push_back(st[static_cast<size_t>(o)]);
  return {p};
}

// ShuffleChannels, DepthToSpace and SpaceToDepth are a reshape, a transpose and a reshape: one
// strided copy over the transposed dims, read through the strides of the reshaped input.
std::vector<CopyPlan> channel_shuffle_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  CopyPlan p;
  if (node.op == OpKind::kShuffleChannels) {
    // [outer, g, C/g, inner] read as [outer, C/g, g, inner].
    const ShuffleChannelsAttrs& a = node.attr<ShuffleChannelsAttrs>();
    const auto axis = static_cast<size_t>(normalize_axis(a.axis, static_cast<int64_t>(x.size()), "axis"));
    int64_t outer = 1, inner = 1;
    for (size_t d = 0; d < axis; ++d) outer *= x[d];
    for (size_t d = axis + 1; d < x.size(); ++d) inner *= x[d];
    const int64_t g = a.group, c = x[axis] / g;
    p.dims = {outer, c, g, inner};
    p.ss = {x[axis] * inner, inner, c * inner, 1};
  } else {
    const DepthSpaceAttrs& a = node.attr<DepthSpaceAttrs>();
    const bool blocks_first = a.mode == DepthSpaceMode::kBlocksFirst;
    const int64_t b = a.block_size;
    const size_t k = x.size() - 2;  // spatial dims
    int64_t blocks = 1;
    for (size_t i = 0; i < k; ++i) blocks *= b;
    Dims shape;                 // the input reshaped: its dims and their strides
    std::vector<size_t> order;  // the output's dims as positions in `shape`
    if (node.op == OpKind::kDepthToSpace) {
      // [N, b.., C', D..] (blocks_first) or [N, C', b.., D..], read as [N, C', D1, b, D2, b, ...].
      shape = {x[0]};
      if (!blocks_first) shape.push_back(x[1] / blocks);
      for (size_t i = 0; i < k; ++i) shape.push_back(b);
      if (blocks_first) shape.push_back(x[1] / blocks);
      for (size_t i = 0; i < k; ++i) shape.push_back(x[2 + i]);
      order = {0, blocks_first ? 1 + k : 1};
      for (size_t i = 0; i < k; ++i) {
        order.push_back(2 + k + i);
        order.push_back(blocks_first ? 1 + i : 2 + i);
      }
    } else {
      // [N, C, D1, b, D2, b, ...], read as [N, b.., C, D..] (blocks_first) or [N, C, b.., D..].
      shape = {x[0], x[1]};
      for (size_t i = 0; i < k; ++i) {
        shape.push_back(x[2 + i] / b);
        shape.push_back(b);
      }
      order = {0};
      if (!blocks_first) order.push_back(1);
      for (size_t i = 0; i < k; ++i) order.push_back(3 + 2 * i);
      if (blocks_first) order.push_back(1);
      for (size_t i = 0; i < k; ++i) order.push_back(2 + 2 * i);
    }
    const Dims st = row_major_strides(shape);
    for (size_t o : order) {
      p.dims.push_back(shape[o]);
      p.ss.push_back(st[o]);
    }
  }
  p.ds = row_major_strides(p.dims);
  return {p};
}

// Tile: output dim d is repeats[d] copies of x's dim d (both right-aligned, leading 1s): a copy
// over (repeat, dim) pairs, stride 0 along the repeats; components of size 1 are left out.
CopyPlan tile_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  const std::vector<int64_t> reps = const_values(node, 1);
  const size_t rank = std::max(x.size(), reps.size());
  Dims xs(rank - x.size(), 1), rs(rank - reps.size(), 1);
  xs.insert(xs.end(), x.begin(), x.end());
  rs.insert(rs.end(), reps.begin(), reps.end());
  const Dims xst = row_major_strides(xs), ost = row_major_strides(node.outputs[0].shape);
  CopyPlan p;
  for (size_t d = 0; d < rank; ++d) {
    if (rs[d] != 1) p.dims.push_back(rs[d]), p.ss.push_back(0), p.ds.push_back(xs[d] * ost[d]);
    if (xs[d] != 1) p.dims.push_back(xs[d]), p.ss.push_back(xst[d]), p.ds.push_back(ost[d]);
  }
  return p;
}

// Reverse: negative strides from the last element along every reversed axis.
CopyPlan reverse_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  const std::vector<int64_t> axes = const_values(node, 1);
  std::vector<bool> flip(x.size(), false);
  if (node.attr<ReverseAttrs>().mode == ReverseMode::kMask) {
    for (size_t d = 0; d < x.size() && d < axes.size(); ++d) flip[d] = axes[d] != 0;
  } else {
    for (int64_t a : axes)
      flip[static_cast<size_t>(normalize_axis(a, static_cast<int64_t>(x.size()), "axes"))] = true;
  }
  CopyPlan p;
  p.dims = x;
  p.ss = row_major_strides(x);
  p.ds = p.ss;
  for (size_t d = 0; d < x.size(); ++d)
    if (flip[d] && x[d] > 0) p.src_off += (x[d] - 1) * p.ss[d], p.ss[d] = -p.ss[d];
  return p;
}

std::vector<CopyPlan> concat_plan(const Node& node) {
  const Dims& out = node.outputs[0].shape;
  int64_t axis = normalize_axis(node.attr<AxisAttrs>().axis, static_cast<int64_t>(out.size()), "axis");
  Dims ost = row_major_strides(out);
  std::vector<CopyPlan> plans;
  int64_t at = 0;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    CopyPlan p;
    p.src_input = i;
    p.dims = node.input_shape(i);
    p.ss = row_major_strides(p.dims);
    p.ds = ost;
    p.dst_off = at * ost[static_cast<size_t>(axis)];
    at += p.dims[static_cast<size_t>(axis)];
    if (element_count(p.dims) > 0) plans.push_back(p);
  }
  return plans;
}

std::vector<CopyPlan> split_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  int64_t axis = normalize_axis(const_values(node, 1).at(0), static_cast<int64_t>(x.size()), "axis");
  Dims st = row_major_strides(x);
  std::vector<CopyPlan> plans;
  int64_t at = 0;
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    CopyPlan p;
    p.dst_output = i;
    p.dims = node.outputs[i].shape;
    p.ss = st;
    p.ds = row_major_strides(p.dims);
    p.src_off = at * st[static_cast<size_t>(axis)];
    at += p.dims[static_cast<size_t>(axis)];
    if (element_count(p.dims) > 0) plans.push_back(p);
  }
  return plans;
}

std::vector<CopyPlan> broadcast_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  CopyPlan p;
  p.dims = node.outputs[0].shape;
  p.ds = row_major_strides(p.dims);
  if (node.attr<BroadcastAttrs>().mode == BroadcastMode::kExplicit) {
    std::vector<int64_t> map = const_values(node, 2);
    Dims st = row_major_strides(x);
    p.ss = Dims(p.dims.size(), 0);
    for (size_t i = 0; i < map.size(); ++i)
      if (x[i] != 1) p.ss[static_cast<size_t>(map[i])] = st[i];
  } else {
    p.ss = broadcast_strides(x, p.dims);
  }
  return {p};
}

// Python slicing start for dim n, step s, value v (clamped).
int64_t slice_start(int64_t v, int64_t n, int64_t s) {
  if (v < 0) v += n;
  return s > 0 ? std::clamp<int64_t>(v, 0, n) : std::clamp<int64_t>(v, -1, n - 1);
}

std::vector<CopyPlan> slice_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  Dims st = row_major_strides(x);
  std::vector<int64_t> start = const_values(node, 1), step = const_values(node, 3), axes;
  if (node.inputs.size() > 4)
    axes = const_values(node, 4);
  else
    for (size_t i = 0; i < start.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  CopyPlan p;
  p.dims = node.outputs[0].shape;
  p.ds = row_major_strides(p.dims);
  p.ss = st;
  for (size_t i = 0; i < axes.size(); ++i) {
    size_t a = static_cast<size_t>(normalize_axis(axes[i], static_cast<int64_t>(x.size()), "axes"));
    int64_t b = slice_start(start[i], x[a], step[i]);
    if (p.dims[a] > 0) p.src_off += b * st[a];
    p.ss[a] = st[a] * step[i];
  }
  return {p};
}

// A StridedSlice mask with one entry per slice entry (missing ones 0, extra ones dropped).
std::vector<int64_t> mask(std::vector<int64_t> m, size_t n) {
  m.resize(n, 0);
  return m;
}

std::vector<CopyPlan> strided_slice_plan(const Node& node) {
  const Dims& x = node.input_shape(0);
  Dims st = row_major_strides(x);
  std::vector<int64_t> begin = const_values(node, 1);
  size_t n = begin.size();
  std::vector<int64_t> stride = node.inputs.size() > 3 ? const_values(node, 3) : std::vector<int64_t>(n, 1);
  const StridedSliceAttrs& masks = node.attr<StridedSliceAttrs>();
  auto bm = mask(masks.begin_mask, n), nm = mask(masks.new_axis_mask, n),
       sm = mask(masks.shrink_axis_mask, n), em = mask(masks.ellipsis_mask, n);
  // The ellipsis stands for every input dim no other entry consumes.
  size_t consumed = 0;
  for (size_t i = 0; i < n; ++i) consumed += !nm[i] && !em[i];
  CopyPlan p;
  p.dims = node.outputs[0].shape;
  p.ds = row_major_strides(p.dims);
  size_t in_dim = 0;
  bool seen_ellipsis = false;
  for (size_t i = 0; i < n; ++i) {
    if (em[i] && !seen_ellipsis) {
      seen_ellipsis = true;
      for (size_t k = consumed; k < x.size(); ++k) p.ss.push_back(st[in_dim++]);
      continue;
    }
    if (nm[i]) {
      p.ss.push_back(0);
      continue;
    }
    int64_t d = x.at(in_dim);
    if (sm[i]) {
      int64_t b = begin[i] < 0 ? begin[i] + d : begin[i];
      p.src_off += b * st[in_dim];
    } else {
      int64_t s = stride[i];
      int64_t b = bm[i] ? (s > 0 ? 0 : d - 1) : slice_start(begin[i], d, s);
      if (p.dims.at(p.ss.size()) > 0) p.src_off += b * st[in_dim];
      p.ss.push_back(st[in_dim] * s);
    }
    ++in_dim;
  }
  for (; in_dim < x.size(); ++in_dim) p.ss.push_back(st[in_dim]);
  if (p.ss.size() != p.dims.size())
    raise(ErrorCode::kInternal, "StridedSlice plan has {} dims, output {}", p.ss.size(), p.dims.size());
  return {p};
}

bool all_constant(const Node& node, size_t from) {
  for (size_t i = from; i < node.inputs.size(); ++i)
    if (!node.input_constant(i)) return false;
  return true;
}

}  // namespace

Support supports_movement(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  int bits = element_bits(node.outputs[0].type);
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
    return Support::no(fmt::format("element type {} not handled", element_type_name(node.outputs[0].type)));
  for (const Value& v : node.outputs)
    if (v.shape.size() > 8) return Support::no("rank above 8");
  if (node.input_shape(0).size() > 8) return Support::no("rank above 8");
  switch (node.op) {
    case OpKind::kReshape:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kIdentity: return Support::yes();
    case OpKind::kShapeOf:
      return node.outputs[0].type == ElementType::kI32 || node.outputs[0].type == ElementType::kI64
                 ? Support::yes()
                 : Support::no("ShapeOf output must be i32 or i64");
    case OpKind::kConcat: return Support::yes();
    case OpKind::kGather:
      if (node.input_type(1) != ElementType::kI32 && node.input_type(1) != ElementType::kI64)
        return Support::no("Gather indices must be i32 or i64");
      return node.input_constant(2) ? Support::yes() : Support::no("Gather axis must be a constant");
    case OpKind::kShuffleChannels: return Support::yes();
    case OpKind::kTile:
      if (!node.input_constant(1))
        return Support::no("OpenCL backend has no kernel for Tile with a computed repeats input");
      if (tile_plan(node).dims.size() > 8)
        return Support::no("OpenCL backend has no kernel for Tile over more than 8 (repeat, dim) parts");
      return Support::yes();
    case OpKind::kReverse:
      if (!node.input_constant(1))
        return Support::no("OpenCL backend has no kernel for Reverse with a computed axes input");
      return Support::yes();
    case OpKind::kDepthToSpace:
    case OpKind::kSpaceToDepth:
      // The transposed view has 2 + 2 * (rank - 2) dims.
      if (node.input_shape(0).size() > 5)
        return Support::no(fmt::format("OpenCL backend has no kernel for {} above rank 5", op_name(node.op)));
      return Support::yes();
    case OpKind::kOneHot: {
      const ElementType t = node.input_type(0);
      const int ib = element_bits(t);
      if (!is_integer(t) || (ib != 8 && ib != 16 && ib != 32 && ib != 64))
        return Support::no(
            fmt::format("OpenCL backend has no kernel for OneHot with {} indices", element_type_name(t)));
      return Support::yes();
    }
    case OpKind::kGatherElements:
      if (node.input_type(1) != ElementType::kI32 && node.input_type(1) != ElementType::kI64)
        return Support::no(fmt::format("OpenCL backend has no kernel for GatherElements with {} indices",
                                       element_type_name(node.input_type(1))));
      return Support::yes();
    case OpKind::kStridedSlice: {
      size_t n = node.input_shape(1).empty() ? 1 : static_cast<size_t>(node.input_shape(1)[0]);
      int ellipses = 0;
      for (int64_t v : mask(node.attr<StridedSliceAttrs>().ellipsis_mask, n)) ellipses += v != 0;
      if (ellipses > 1) return Support::no("StridedSlice with more than one ellipsis");
      break;
    }
    case OpKind::kBroadcast:
      if (node.attr<BroadcastAttrs>().mode == BroadcastMode::kPdpd)
        return Support::no("Broadcast mode pdpd not implemented");
      break;
    case OpKind::kPad:
      if (node.inputs.size() > 3 && !node.input_constant(3))
        return Support::no("Pad value must be a constant");
      break;
    default: break;
  }
  if (!all_constant(node, 1)) return Support::no("shape/axes/index inputs must be constants");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_movement(const Node& node, OpenClBackend& backend) {
  switch (node.op) {
    case OpKind::kReshape:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kIdentity: return std::make_unique<BufferCopyKernel>(node, backend);
    case OpKind::kTranspose:
      return std::make_unique<StridedCopyKernel>(node, backend, transpose_plan(node), "ocl_transpose");
    case OpKind::kConcat:
      return std::make_unique<StridedCopyKernel>(node, backend, concat_plan(node), "ocl_concat");
    case OpKind::kTile:
      return std::make_unique<StridedCopyKernel>(node, backend, std::vector<CopyPlan>{tile_plan(node)},
                                                 "ocl_tile");
    case OpKind::kReverse:
      return std::make_unique<StridedCopyKernel>(node, backend, std::vector<CopyPlan>{reverse_plan(node)},
                                                 "ocl_reverse");
    case OpKind::kShuffleChannels:
      if (shuffles_last_bytes(node)) return std::make_unique<ShuffleLastBytesKernel>(node, backend);
      [[fallthrough]];
    case OpKind::kDepthToSpace:
    case OpKind::kSpaceToDepth:
      return std::make_unique<StridedCopyKernel>(node, backend, channel_shuffle_plan(node),
                                                 fmt::format("ocl_{}", op_name(node.op)));
    case OpKind::kSplit:
    case OpKind::kVariadicSplit:
      return std::make_unique<StridedCopyKernel>(node, backend, split_plan(node), "ocl_split");
    case OpKind::kBroadcast:
      return std::make_unique<StridedCopyKernel>(node, backend, broadcast_plan(node), "ocl_broadcast");
    case OpKind::kSlice:
      return std::make_unique<StridedCopyKernel>(node, backend, slice_plan(node), "ocl_slice");
    case OpKind::kStridedSlice:
      return std::make_unique<StridedCopyKernel>(node, backend, strided_slice_plan(node),
                                                 "ocl_strided_slice");
    case OpKind::kGather: return std::make_unique<GatherKernel>(node, backend);
    case OpKind::kGatherElements: return std::make_unique<GatherElementsKernel>(node, backend);
    case OpKind::kOneHot: return std::make_unique<OneHotKernel>(node, backend);
    case OpKind::kShapeOf: return std::make_unique<ShapeOfKernel>(node, backend);
    case OpKind::kPad: return std::make_unique<PadKernel>(node, backend);
    default: break;
  }
  raise(ErrorCode::kInternal, "no movement kernel for {}", op_name(node.op));
}

}  // namespace octet
