// Split-1, VariadicSplit-1, Concat-1 and ShuffleChannels-1 as block copies of bytes (any element
// type of whole bytes): they move values without arithmetic, so they equal the reference exactly.
#include <cstring>

#include "host/graph/attrs/movement.h"
#include "host/graph/op_attrs.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

// Copies `count` blocks of `bytes` bytes from src (blocks `src_step` apart) to dst (`dst_step` apart).
void copy_blocks(const char* src, int64_t src_step, char* dst, int64_t dst_step, int64_t count,
                 int64_t bytes) {
  if (count == 1 || (src_step == bytes && dst_step == bytes)) {
    std::memcpy(dst, src, static_cast<size_t>(count == 1 ? bytes : count * bytes));
    return;
  }
  if (bytes == 4) {  // a scalar f32/i32 per block (e.g. YOLO's split of the last axis)
    for (int64_t i = 0; i < count; ++i) std::memcpy(dst + i * dst_step, src + i * src_step, 4);
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(dst + i * dst_step, src + i * src_step, static_cast<size_t>(bytes));
}

class SplitKernel : public Kernel {
 public:
  SplitKernel(int64_t outer, int64_t row_bytes, std::vector<int64_t> part_bytes)
      : outer_(outer), row_bytes_(row_bytes), part_bytes_(std::move(part_bytes)) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const char* x = static_cast<const char*>(inputs.at(0).handle);
    int64_t at = 0;
    for (size_t k = 0; k < part_bytes_.size(); ++k) {
      const int64_t bytes = part_bytes_[k];
      if (bytes && outputs.at(k).handle)
        copy_blocks(x + at, row_bytes_, static_cast<char*>(outputs[k].handle), bytes, outer_, bytes);
      at += bytes;
    }
  }
  std::string impl_name() const override { return "cpu_split"; }

 private:
  int64_t outer_, row_bytes_;
  std::vector<int64_t> part_bytes_;  // each output's bytes per outer row
};

// The inverse of SplitKernel: each input's rows side by side in the output's rows.
class ConcatKernel : public Kernel {
 public:
  ConcatKernel(int64_t outer, int64_t row_bytes, std::vector<int64_t> part_bytes)
      : outer_(outer), row_bytes_(row_bytes), part_bytes_(std::move(part_bytes)) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    char* y = static_cast<char*>(outputs.at(0).handle);
    int64_t at = 0;
    for (size_t k = 0; k < part_bytes_.size(); ++k) {
      const int64_t bytes = part_bytes_[k];
      if (bytes)
        copy_blocks(static_cast<const char*>(inputs.at(k).handle), bytes, y + at, row_bytes_, outer_, bytes);
      at += bytes;
    }
  }
  std::string impl_name() const override { return "cpu_concat"; }

 private:
  int64_t outer_, row_bytes_;
  std::vector<int64_t> part_bytes_;  // each input's bytes per outer row
};

// [outer, group, c/group, inner] -> [outer, c/group, group, inner].
class ShuffleKernel : public Kernel {
 public:
  ShuffleKernel(int64_t outer, int64_t group, int64_t per_group, int64_t inner_bytes)
      : outer_(outer), group_(group), per_group_(per_group), inner_bytes_(inner_bytes) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const char* x = static_cast<const char*>(inputs.at(0).handle);
    char* y = static_cast<char*>(outputs.at(0).handle);
    const int64_t c = group_ * per_group_;
    for (int64_t o = 0; o < outer_; ++o)
      for (int64_t g = 0; g < group_; ++g)
        // Input channels g * per_group + j go to output channels j * group + g.
        copy_blocks(x + (o * c + g * per_group_) * inner_bytes_, inner_bytes_, y + (o * c + g) * inner_bytes_,
                    group_ * inner_bytes_, per_group_, inner_bytes_);
  }
  std::string impl_name() const override { return "cpu_shuffle_channels"; }

 private:
  int64_t outer_, group_, per_group_, inner_bytes_;
};

// Bytes per element, or 0 for sub-byte types.
int64_t byte_width(ElementType t) {
  const int bits = element_bits(t);
  return bits % 8 == 0 ? bits / 8 : 0;
}

}  // namespace

std::unique_ptr<Kernel> make_split_kernel(const Node& node) {
  if (node.inputs.size() < 2 || node.outputs.empty() || node.input_constant(0)) return nullptr;
  const Dims& xs = node.input_shape(0);
  const int64_t width = byte_width(node.input_type(0));
  const Tensor* axis_t = node.input_constant(1);
  if (!width || !axis_t || axis_t->element_count() != 1 || !is_static(xs) || xs.empty()) return nullptr;
  const int64_t rank = static_cast<int64_t>(xs.size());
  int64_t axis = axis_t->get_as_int64(0);
  if (axis < -rank || axis >= rank) return nullptr;  // the reference reports it
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1, total = 0;
  for (int64_t d = 0; d < axis; ++d) outer *= xs[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= xs[static_cast<size_t>(d)];
  std::vector<int64_t> part_bytes;
  for (const Value& v : node.outputs) {
    if (v.type != node.input_type(0) || !is_static(v.shape) || v.shape.size() != xs.size()) return nullptr;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && v.shape[static_cast<size_t>(d)] != xs[static_cast<size_t>(d)]) return nullptr;
    const int64_t len = v.shape[static_cast<size_t>(axis)];
    part_bytes.push_back(len * inner * width);
    total += len;
  }
  if (total != xs[static_cast<size_t>(axis)]) return nullptr;
  return std::make_unique<SplitKernel>(outer, xs[static_cast<size_t>(axis)] * inner * width,
                                       std::move(part_bytes));
}

std::unique_ptr<Kernel> make_concat_kernel(const Node& node) {
  if (node.inputs.empty() || node.outputs.size() != 1) return nullptr;
  const Value& out = node.outputs[0];
  const Dims& ys = out.shape;
  const int64_t width = byte_width(out.type);
  if (!width || !is_static(ys) || ys.empty()) return nullptr;
  const int64_t rank = static_cast<int64_t>(ys.size());
  int64_t axis = node.attr<AxisAttrs>().axis;
  if (axis < -rank || axis >= rank) return nullptr;  // the reference reports it
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1, total = 0;
  for (int64_t d = 0; d < axis; ++d) outer *= ys[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= ys[static_cast<size_t>(d)];
  std::vector<int64_t> part_bytes;
  for (size_t k = 0; k < node.inputs.size(); ++k) {
    // Constant inputs are left to the reference kernel (they are not request buffers here).
    const Dims& xs = node.input_shape(k);
    if (node.input_constant(k) || node.input_type(k) != out.type || !is_static(xs) || xs.size() != ys.size())
      return nullptr;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && xs[static_cast<size_t>(d)] != ys[static_cast<size_t>(d)]) return nullptr;
    const int64_t len = xs[static_cast<size_t>(axis)];
    part_bytes.push_back(len * inner * width);
    total += len;
  }
  if (total != ys[static_cast<size_t>(axis)]) return nullptr;
  return std::make_unique<ConcatKernel>(outer, ys[static_cast<size_t>(axis)] * inner * width,
                                        std::move(part_bytes));
}

std::unique_ptr<Kernel> make_shuffle_channels_kernel(const Node& node) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1 || node.input_constant(0)) return nullptr;
  const Dims& xs = node.input_shape(0);
  const int64_t width = byte_width(node.input_type(0));
  if (!width || !is_static(xs) || xs.empty() || node.outputs[0].shape != xs ||
      node.outputs[0].type != node.input_type(0))
    return nullptr;
  const ShuffleChannelsAttrs& a = node.attr<ShuffleChannelsAttrs>();
  const int64_t rank = static_cast<int64_t>(xs.size());
  int64_t axis = a.axis;
  if (axis < -rank || axis >= rank) return nullptr;
  if (axis < 0) axis += rank;
  const int64_t c = xs[static_cast<size_t>(axis)];
  if (a.group <= 0 || c % a.group != 0) return nullptr;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= xs[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= xs[static_cast<size_t>(d)];
  return std::make_unique<ShuffleKernel>(outer, a.group, c / a.group, inner * width);
}

}  // namespace cpu
}  // namespace octet
