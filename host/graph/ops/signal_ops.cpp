// Shape inference for DFT-7, IDFT-7, RDFT-9 and IRDFT-9 (signal_dims.h).
#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"
#include "host/graph/ops/signal_dims.h"

namespace octet {
namespace {

// data (float), axes (constant i32/i64 1-D), optional signal_size (constant i32/i64 1-D).
void infer_signal(Node& node) {
  expect_inputs(node, 2, 3);
  expect_float(node, 0);
  expect_integer(node, 1, "axes");
  expect_rank(node, 1, 1, 1);
  const std::vector<int64_t> axes = constant_ints(node, 1, "axes");
  std::vector<int64_t> sizes;
  if (node.inputs.size() == 3) {
    expect_integer(node, 2, "signal_size");
    expect_rank(node, 2, 1, 1);
    sizes = constant_ints(node, 2, "signal_size");
  }
  const SignalDims s =
      signal_dims(node, node.input_shape(0), axes, node.inputs.size() == 3 ? &sizes : nullptr);
  set_single_output(node, node.input_type(0), s.output);
}

}  // namespace

void infer_DFT(Node& node) {
  infer_signal(node);
}
void infer_IDFT(Node& node) {
  infer_signal(node);
}
void infer_RDFT(Node& node) {
  infer_signal(node);
}
void infer_IRDFT(Node& node) {
  infer_signal(node);
}

}  // namespace octet
