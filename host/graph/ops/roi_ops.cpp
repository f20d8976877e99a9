// Shape inference for the region-of-interest pooling ops: ROIPooling-2, PSROIPooling-1, ROIAlign-3/9,
// ROIAlignRotated-15 and DeformablePSROIPooling-1. Each pools feature maps [N, C, H, W] over R boxes
// into [R, C', pooled_h, pooled_w].
#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

bool known(int64_t d) {
  return d >= 0;
}

// Feature maps at input 0 (float, rank 4) and boxes at input 1 (same type, [R, box_size]).
void check_maps_and_boxes(const Node& node, int64_t box_size) {
  expect_float(node, 0);
  expect_rank(node, 0, 4, 4);
  expect_same_type(node, 0, 1);
  expect_rank(node, 1, 2, 2);
  const Dims& boxes = node.input_shape(1);
  if (known(boxes[1]) && boxes[1] != box_size)
    raise(ErrorCode::kModel, "{}: input 1 (rois) {} must hold {} values per box", node.describe(),
          to_string(boxes), box_size);
}

// Position-sensitive pooling: the input channels must be output_dim * bins exactly.
void check_channels(const Node& node, int64_t want, const char* why) {
  const int64_t c = node.input_shape(0)[1];
  if (known(c) && c != want)
    raise(ErrorCode::kModel, "{}: input 0 {} must have {} channels ({})", node.describe(),
          to_string(node.input_shape(0)), want, why);
}

void set_pooled(Node& node, int64_t channels, int64_t ph, int64_t pw) {
  set_single_output(node, node.input_type(0), {node.input_shape(1)[0], channels, ph, pw});
}

// ROIAlign*: batch_indices (input 2), an integer [R].
void check_batch_indices(const Node& node) {
  expect_integer(node, 2, "batch_indices");
  expect_rank(node, 2, 1, 1);
  const int64_t r = node.input_shape(1)[0], b = node.input_shape(2)[0];
  if (known(r) && known(b) && r != b)
    raise(ErrorCode::kModel, "{}: batch_indices {} must have one entry per box ({})", node.describe(),
          to_string(node.input_shape(2)), r);
}

}  // namespace

void infer_ROIPooling(Node& node) {
  expect_inputs(node, 2, 2);
  check_maps_and_boxes(node, 5);
  const RoiPoolingAttrs& a = node.attr<RoiPoolingAttrs>();
  set_pooled(node, node.input_shape(0)[1], a.pooled_h, a.pooled_w);
}

void infer_PSROIPooling(Node& node) {
  expect_inputs(node, 2, 2);
  check_maps_and_boxes(node, 5);
  const PsRoiPoolingAttrs& a = node.attr<PsRoiPoolingAttrs>();
  if (a.mode == PsRoiMode::kAverage)
    check_channels(node, a.output_dim * a.group_size * a.group_size, "output_dim * group_size^2");
  else
    check_channels(node, a.output_dim * a.spatial_bins_x * a.spatial_bins_y,
                   "output_dim * spatial_bins_x * y");
  set_pooled(node, a.output_dim, a.group_size, a.group_size);
}

void infer_ROIAlign(Node& node) {
  expect_inputs(node, 3, 3);
  check_maps_and_boxes(node, 4);
  check_batch_indices(node);
  const RoiAlignAttrs& a = node.attr<RoiAlignAttrs>();
  set_pooled(node, node.input_shape(0)[1], a.pooled_h, a.pooled_w);
}

void infer_ROIAlignRotated(Node& node) {
  expect_inputs(node, 3, 3);
  check_maps_and_boxes(node, 5);
  check_batch_indices(node);
  const RoiAlignRotatedAttrs& a = node.attr<RoiAlignRotatedAttrs>();
  set_pooled(node, node.input_shape(0)[1], a.pooled_h, a.pooled_w);
}

// Optional offsets (input 2): [R, 2 * classes, part_size, part_size], classes dividing output_dim.
void infer_DeformablePSROIPooling(Node& node) {
  expect_inputs(node, 2, 3);
  check_maps_and_boxes(node, 5);
  const DeformablePsRoiPoolingAttrs& a = node.attr<DeformablePsRoiPoolingAttrs>();
  check_channels(node, a.output_dim * a.group_size * a.group_size, "output_dim * group_size^2");
  if (node.inputs.size() == 3) {
    expect_same_type(node, 0, 2);
    expect_rank(node, 2, 4, 4);
    const Dims& off = node.input_shape(2);
    const int64_t r = node.input_shape(1)[0];
    if ((known(off[0]) && known(r) && off[0] != r) || (known(off[2]) && off[2] != a.part_size) ||
        (known(off[3]) && off[3] != a.part_size))
      raise(ErrorCode::kModel, "{}: offsets {} must be [rois {}, 2 * classes, part_size {}, part_size]",
            node.describe(), to_string(off), r, a.part_size);
    if (known(off[1]) && (off[1] % 2 != 0 || off[1] == 0 || a.output_dim % (off[1] / 2) != 0))
      raise(ErrorCode::kModel, "{}: offsets {} dim 1 must be 2 * a divisor of output_dim {}", node.describe(),
            to_string(off), a.output_dim);
  }
  set_pooled(node, a.output_dim, a.group_size, a.group_size);
}

}  // namespace octet
