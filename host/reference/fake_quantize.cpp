// Reference FakeQuantize-1, the spec formula evaluated literally in f32 (ir-spec.md section 2).
#include <algorithm>
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

Outputs eval_FakeQuantize(const Node& node, const Inputs& in) {
  need_inputs(node, in, 5, 5);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const FakeQuantizeAttrs& fq = node.attr<FakeQuantizeAttrs>();  // levels >= 2, numpy or none
  const bool equal_shapes = fq.broadcast == AutoBroadcast::kNone;
  const int64_t levels = fq.levels;
  // Each range tensor broadcasts to X on its own (the OV reference's shared-stride shortcut is a bug).
  std::vector<float> range[4];
  std::vector<int64_t> index[4];
  for (int k = 0; k < 4; ++k) {
    const Tensor& t = *in[1 + k];
    if (!is_float(t.type())) unsupported_type(node, t.type());
    if (equal_shapes && t.shape() != x.shape())
      raise(ErrorCode::kModel, "{}: auto_broadcast none needs range shapes equal to the data",
            node.describe());
    if (broadcast_shapes(x.shape(), t.shape()) != x.shape())
      raise(ErrorCode::kModel, "{}: range input {} of shape {} does not broadcast to {}", node.describe(),
            k + 1, to_string(t.shape()), to_string(x.shape()));
    range[k] = read_floats(t);
    index[k] = broadcast_index(t.shape(), x.shape());
  }
  const auto vx = read_floats(x);
  const float steps = static_cast<float>(levels - 1);
  std::vector<float> y(vx.size());
  for (size_t i = 0; i < vx.size(); ++i) {
    const float v = vx[i];
    const float il = range[0][index[0][i]], ih = range[1][index[1][i]];
    const float ol = range[2][index[2][i]], oh = range[3][index[3][i]];
    if (v <= std::min(il, ih)) {
      y[i] = ol;
    } else if (v > std::max(il, ih)) {
      y[i] = oh;
    } else {
      // std::nearbyint under the default FE_TONEAREST mode: ties go to even.
      const float q = std::nearbyint((v - il) / (ih - il) * steps);
      y[i] = q / steps * (oh - ol) + ol;
    }
  }
  return {make_float_tensor(x.type(), x.shape(), y)};
}

}  // namespace ref
}  // namespace octet
