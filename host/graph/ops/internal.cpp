// Internal ops made by host/transforms: their shapes come from the payload the transform attaches,
// so generic inference cannot run on them yet.
#include "host/common/error.h"
#include "host/graph/ops/op_infer.h"

namespace octet {

void infer_QuantizedConvolution(Node& node) {
  raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe());
}
void infer_QuantizedMatMul(Node& node) {
  raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe());
}

}  // namespace octet
