// evaluate_reference: dispatch to the per-op evaluators generated from ops.def, plus output checks.
#include "host/reference/evaluate.h"

#include "host/reference/ref_ops.h"

namespace octet {
namespace {

using EvalFn = ref::Outputs (*)(const Node&, const ref::Inputs&);

constexpr EvalFn kEval[] = {
#define OCTET_OP(name, ir_type, versions, attrs) &ref::eval_##name,
#include "host/graph/ops.def"
#undef OCTET_OP
};

}  // namespace

std::vector<Tensor> evaluate_reference(const Node& node, const std::vector<const Tensor*>& inputs) {
  if (inputs.size() != node.inputs.size())
    raise(ErrorCode::kInternal, "reference {}: {} input tensors for {} inputs", node.describe(),
          inputs.size(), node.inputs.size());
  std::vector<Tensor> outputs = kEval[static_cast<size_t>(node.op)](node, inputs);
  // A MaxPool whose unread indices output was dropped (drop_unused_pool_indices) still computes it.
  if (node.op == OpKind::kMaxPool && node.outputs.size() == 1 && outputs.size() == 2) outputs.pop_back();
  // An independent computation of the output shape that disagrees with inference is a bug in one
  // of them; fail loudly rather than compare tensors of different layouts later.
  const bool typed = !node.outputs.empty() && node.outputs[0].type != ElementType::kUndefined;
  if (typed && node.op != OpKind::kResult) {
    if (outputs.size() != node.outputs.size())
      raise(ErrorCode::kInternal, "reference {}: computed {} outputs, node has {}", node.describe(),
            outputs.size(), node.outputs.size());
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Value& v = node.outputs[i];
      if (v.type != outputs[i].type() || v.shape != outputs[i].shape())
        raise(ErrorCode::kInternal, "reference {}: output {} is {} {} but inference says {} {}",
              node.describe(), i, element_type_name(outputs[i].type()), to_string(outputs[i].shape()),
              element_type_name(v.type), to_string(v.shape));
    }
  }
  return outputs;
}

}  // namespace octet
