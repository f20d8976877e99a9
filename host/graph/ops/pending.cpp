// Ops whose shape inference is not written yet: each raises Unsupported. Move an op out of this
// file into its family file when implementing it.
#include "host/common/error.h"
#include "host/graph/ops/op_infer.h"

namespace octet {

void infer_FakeQuantize(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Convolution(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_GroupConvolution(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_MatMul(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Add(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Subtract(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Multiply(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Divide(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Maximum(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Minimum(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Power(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_SquaredDifference(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_PRelu(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Relu(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Clamp(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Sigmoid(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Tanh(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Swish(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_HSwish(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_HSigmoid(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Gelu(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Elu(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Exp(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Sqrt(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Erf(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_MaxPool(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_AvgPool(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_ReduceMean(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_ReduceSum(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_ReduceMax(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Softmax(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_MVN(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Concat(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Reshape(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Transpose(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Squeeze(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Unsqueeze(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_ShapeOf(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Gather(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Broadcast(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_StridedSlice(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Slice(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Split(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_VariadicSplit(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Pad(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_Interpolate(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_QuantizedConvolution(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }
void infer_QuantizedMatMul(Node& node) { raise(ErrorCode::kUnsupported, "{}: shape inference not implemented", node.describe()); }

}  // namespace octet
