// Axes and output shape of the DFT family (signal_dims.h).
#include "host/graph/ops/signal_dims.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {

SignalDims signal_dims(const Node& node, const Dims& data, const std::vector<int64_t>& axes,
                       const std::vector<int64_t>* signal_size) {
  const bool real_input = node.op == OpKind::kRDFT;
  const bool real_output = node.op == OpKind::kIRDFT;
  const int64_t r = static_cast<int64_t>(data.size());
  // Complex data carry (re, im) in a last dim of 2, which axes never name.
  const int64_t signal_rank = real_input ? r : r - 1;
  if (!real_input && (r < 2 || (data.back() != 2 && data.back() != kDynamicDim)))
    raise(ErrorCode::kModel, "{}: data of shape {} must have rank >= 2 and a last dim of 2 (real, imaginary)",
          node.describe(), to_string(data));
  if (axes.empty()) raise(ErrorCode::kModel, "{}: axes is empty", node.describe());
  if (static_cast<int64_t>(axes.size()) > signal_rank)
    raise(ErrorCode::kModel, "{}: axes {} has more entries than the {} signal dims of data {}",
          node.describe(), list_string(axes), signal_rank, to_string(data));
  if (signal_size && signal_size->size() != axes.size())
    raise(ErrorCode::kModel, "{}: signal_size {} must have as many values as axes {}", node.describe(),
          list_string(*signal_size), list_string(axes));
  SignalDims s;
  for (int64_t a : axes) {
    if (a < -signal_rank || a >= signal_rank)
      raise(ErrorCode::kModel, "{}: axis {} is out of range [{}, {}] for data {}", node.describe(), a,
            -signal_rank, signal_rank - 1, to_string(data));
    const int64_t n = a < 0 ? a + signal_rank : a;
    if (std::find(s.axes.begin(), s.axes.end(), n) != s.axes.end())
      raise(ErrorCode::kModel, "{}: axes {} name axis {} twice", node.describe(), list_string(axes), n);
    s.axes.push_back(n);
  }
  s.output.assign(data.begin(), data.begin() + signal_rank);
  for (size_t i = 0; i < s.axes.size(); ++i) {
    const int64_t in = data[static_cast<size_t>(s.axes[i])];
    const bool last = i + 1 == s.axes.size();
    int64_t size = signal_size ? (*signal_size)[i] : -1;
    if (size == 0 || size < -1)
      raise(ErrorCode::kModel, "{}: signal_size {} has invalid value {}", node.describe(),
            list_string(*signal_size), size);
    if (size > kMaxDim)
      raise(ErrorCode::kModel, "{}: signal_size value {} is too large", node.describe(), size);
    if (size == -1) size = in < 0 ? kDynamicDim : (real_output && last ? 2 * (in - 1) : in);
    if (real_output && last && size == 0)
      raise(ErrorCode::kModel, "{}: the last axis has 1 element, so IRDFT's default output size 2*(1-1) is 0",
            node.describe());
    s.sizes.push_back(size);
    s.output[static_cast<size_t>(s.axes[i])] = real_input && last && size >= 0 ? size / 2 + 1 : size;
  }
  if (!real_output) s.output.push_back(2);
  return s;
}

}  // namespace octet
