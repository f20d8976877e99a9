// Reference CTCGreedyDecoder-1, CTCGreedyDecoderSeqLen-6, CTCLoss-4 and GatherTree-1.
// - CTC greedy decoding: per time step the class of the largest logit (the first one on ties), then
//   with merge_repeated a class equal to the previous step's class is dropped, and the blank class
//   is never emitted (CTCGreedyDecoder-1: blank = C - 1; -SeqLen-6: the blank_index input, default
//   C - 1). The previous class is tracked across blanks, so "A blank A" emits A twice (TensorFlow's
//   ctc_greedy_decoder). Unused output positions hold -1.
// - CTCLoss: -log of the summed probability (softmax over C per step) of every path of
//   logit_length[n] steps that decodes to the target, labels[n, :label_length[n]] after the target
//   preprocessing (unique: first occurrences only; else preprocess_collapse_repeated: consecutive
//   repeats merged). A path decodes by merging consecutive repeats (ctc_merge_repeated) and then
//   dropping blanks. Graves' forward recursion over the target with blanks around every label, in
//   double; no aligned path gives +inf (a label equal to the blank, or too few steps for the repeats).
// - GatherTree: the spec's pseudo-code; parent ids and max_seq_len are read as integers.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Index of the first largest of `count` values of `t` from `at` (NaN never wins unless first).
int64_t argmax_row(const Tensor& t, int64_t at, int64_t count) {
  int64_t best = 0;
  double best_v = t.get_as_double(at);
  for (int64_t c = 1; c < count; ++c) {
    const double v = t.get_as_double(at + c);
    if (v > best_v) {
      best_v = v;
      best = c;
    }
  }
  return best;
}

// Decodes one sequence of `length` steps whose logits start at data[row0] every `stride` elements.
std::vector<int64_t> greedy_decode(const Tensor& data, int64_t row0, int64_t stride, int64_t length,
                                   int64_t classes, int64_t blank, bool merge) {
  std::vector<int64_t> out;
  int64_t previous = -1;
  for (int64_t t = 0; t < length; ++t) {
    const int64_t c = argmax_row(data, row0 + t * stride, classes);
    if (c != blank && !(merge && c == previous)) out.push_back(c);
    previous = c;
  }
  return out;
}

}  // namespace

// data [T, N, C], sequence_mask [T, N] (1 while the sequence lasts) -> [N, T, 1, 1] of data's type.
Outputs eval_CTCGreedyDecoder(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& data = *in[0];
  const Tensor& mask = *in[1];
  if (data.shape().size() != 3 || mask.shape().size() != 2)
    raise(ErrorCode::kModel, "{}: data must be [T, N, C] and sequence_mask [T, N]", node.describe());
  const int64_t steps = data.shape()[0], batch = data.shape()[1], classes = data.shape()[2];
  std::vector<float> out(static_cast<size_t>(batch * steps), -1.0f);
  for (int64_t n = 0; n < batch; ++n) {
    // The mask is 1 up to the last symbol and 0 after it: the sequence ends at its first 0.
    int64_t length = 0;
    while (length < steps && mask.get_as_double(length * batch + n) != 0.0) ++length;
    const std::vector<int64_t> decoded =
        greedy_decode(data, n * classes, batch * classes, length, classes, classes - 1,
                      node.attr<CtcGreedyDecoderAttrs>().merge_repeated);
    for (size_t i = 0; i < decoded.size(); ++i)
      out[static_cast<size_t>(n * steps) + i] = static_cast<float>(decoded[i]);
  }
  const Dims shape{batch, steps, 1, 1};
  if (data.type() == ElementType::kF64) {
    Tensor t(data.type(), shape);
    std::copy(out.begin(), out.end(), t.data_as<double>());
    return {t};
  }
  if (!is_compute_float(data.type())) unsupported_type(node, data.type());
  return {make_float_tensor(data.type(), shape, out)};
}

// data [N, T, C], sequence_length [N], blank_index -> classes [N, T], decoded lengths [N].
Outputs eval_CTCGreedyDecoderSeqLen(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const CtcGreedyDecoderSeqLenAttrs& a = node.attr<CtcGreedyDecoderSeqLenAttrs>();
  const Tensor& data = *in[0];
  if (data.shape().size() != 3) raise(ErrorCode::kModel, "{}: data must be [N, T, C]", node.describe());
  const int64_t batch = data.shape()[0], steps = data.shape()[1], classes = data.shape()[2];
  const std::vector<int64_t> lengths = int_input(node, in, 1);
  if (static_cast<int64_t>(lengths.size()) != batch)
    raise(ErrorCode::kModel, "{}: sequence_length has {} values for a batch of {}", node.describe(),
          lengths.size(), batch);
  const int64_t blank = in.size() == 3 ? in[2]->get_as_int64(0) : classes - 1;
  std::vector<int64_t> out(static_cast<size_t>(batch * steps), -1), decoded_lengths;
  for (int64_t n = 0; n < batch; ++n) {
    const int64_t length = lengths[static_cast<size_t>(n)];
    if (length < 0 || length > steps)
      raise(ErrorCode::kModel, "{}: sequence_length[{}] is {}; it must lie in [0, T = {}]", node.describe(),
            n, length, steps);
    const std::vector<int64_t> decoded =
        greedy_decode(data, n * steps * classes, classes, length, classes, blank, a.merge_repeated);
    std::copy(decoded.begin(), decoded.end(), out.begin() + n * steps);
    decoded_lengths.push_back(static_cast<int64_t>(decoded.size()));
  }
  return {make_int_tensor(a.classes_index_type, {batch, steps}, out),
          make_int_tensor(a.sequence_length_type, {batch}, decoded_lengths)};
}

// logits [N, T, C], logit_length [N], labels [N, T], label_length [N], blank_index -> loss [N].
Outputs eval_CTCLoss(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 5);
  const CtcLossAttrs& a = node.attr<CtcLossAttrs>();
  const Tensor& logits = *in[0];
  if (logits.shape().size() != 3) raise(ErrorCode::kModel, "{}: logits must be [N, T, C]", node.describe());
  const int64_t batch = logits.shape()[0], steps = logits.shape()[1], classes = logits.shape()[2];
  const std::vector<int64_t> logit_length = int_input(node, in, 1);
  const std::vector<int64_t> labels = int_input(node, in, 2);
  const std::vector<int64_t> label_length = int_input(node, in, 3);
  if (static_cast<int64_t>(logit_length.size()) != batch ||
      static_cast<int64_t>(labels.size()) != batch * steps ||
      static_cast<int64_t>(label_length.size()) != batch)
    raise(ErrorCode::kModel, "{}: logit_length, labels and label_length must be [N], [N, T] and [N]",
          node.describe());
  const int64_t blank = in.size() == 5 ? in[4]->get_as_int64(0) : classes - 1;
  if (blank < 0 || blank >= classes)
    raise(ErrorCode::kModel, "{}: blank_index is {}; it must lie in [0, C = {})", node.describe(), blank,
          classes);
  const double inf = std::numeric_limits<double>::infinity();
  auto log_add = [inf](double x, double y) {
    if (x == -inf) return y;
    if (y == -inf) return x;
    return std::max(x, y) + std::log1p(std::exp(-std::fabs(x - y)));
  };
  std::vector<double> loss(static_cast<size_t>(batch));
  for (int64_t n = 0; n < batch; ++n) {
    const int64_t length = logit_length[static_cast<size_t>(n)];
    const int64_t label_len = label_length[static_cast<size_t>(n)];
    // The spec leaves longer targets undefined; OpenVINO refuses them too.
    if (length < 0 || length > steps || label_len < 0 || label_len > length)
      raise(ErrorCode::kModel,
            "{}: batch {} has logit_length {} and label_length {}; they must satisfy 0 <= label_length <= "
            "logit_length <= T = {}",
            node.describe(), n, length, label_len, steps);
    std::vector<int64_t> target;
    for (int64_t i = 0; i < label_len; ++i) {
      const int64_t label = labels[static_cast<size_t>(n * steps + i)];
      if (label < 0 || label >= classes)
        raise(ErrorCode::kModel, "{}: labels[{}, {}] is {}; it must lie in [0, C = {})", node.describe(), n,
              i, label, classes);
      if (a.unique ? std::find(target.begin(), target.end(), label) != target.end()
                   : a.preprocess_collapse_repeated && !target.empty() && target.back() == label)
        continue;
      target.push_back(label);
    }
    // Log-softmax of step t, class c.
    std::vector<double> logp(static_cast<size_t>(length * classes));
    for (int64_t t = 0; t < length; ++t) {
      const int64_t row = (n * steps + t) * classes;
      double top = -inf;
      for (int64_t c = 0; c < classes; ++c) top = std::max(top, logits.get_as_double(row + c));
      double sum = 0.0;
      for (int64_t c = 0; c < classes; ++c) sum += std::exp(logits.get_as_double(row + c) - top);
      for (int64_t c = 0; c < classes; ++c)
        logp[static_cast<size_t>(t * classes + c)] = logits.get_as_double(row + c) - top - std::log(sum);
    }
    if (std::find(target.begin(), target.end(), blank) != target.end()) {
      loss[static_cast<size_t>(n)] = inf;  // decoding drops every blank: no path yields this target
      continue;
    }
    // Extended target: blank, g1, blank, g2, ..., gK, blank; alpha[s] = log P(prefix up to s at step t).
    std::vector<int64_t> ext(1, blank);
    for (int64_t g : target) {
      ext.push_back(g);
      ext.push_back(blank);
    }
    const size_t states = ext.size();
    if (length == 0) {  // label_length is 0 too: the empty path is the only one
      loss[static_cast<size_t>(n)] = 0.0;
      continue;
    }
    std::vector<double> alpha(states, -inf), next(states);
    alpha[0] = logp[static_cast<size_t>(blank)];
    if (states > 1) alpha[1] = logp[static_cast<size_t>(ext[1])];
    for (int64_t t = 1; t < length; ++t) {
      for (size_t s = 0; s < states; ++s) {
        const bool is_blank = s % 2 == 0;
        // Staying on a label repeats it, which only merging turns back into one label.
        double v = is_blank || a.ctc_merge_repeated ? alpha[s] : -inf;
        if (s >= 1) v = log_add(v, alpha[s - 1]);
        // Skipping the blank between two labels: equal labels need it when repeats merge.
        if (s >= 2 && !is_blank && (!a.ctc_merge_repeated || ext[s] != ext[s - 2]))
          v = log_add(v, alpha[s - 2]);
        next[s] = v == -inf ? -inf : v + logp[static_cast<size_t>(t * classes + ext[s])];
      }
      alpha.swap(next);
    }
    const double total = states > 1 ? log_add(alpha[states - 1], alpha[states - 2]) : alpha[0];
    loss[static_cast<size_t>(n)] = -total;
  }
  const Dims shape{batch};
  if (logits.type() == ElementType::kF64) {
    Tensor t(logits.type(), shape);
    std::copy(loss.begin(), loss.end(), t.data_as<double>());
    return {t};
  }
  if (!is_compute_float(logits.type())) unsupported_type(node, logits.type());
  return {make_float_tensor(logits.type(), shape, std::vector<float>(loss.begin(), loss.end()))};
}

// step_ids, parent_ids [T, B, W], max_seq_len [B], end_token: the beams traced back from their last
// step through the parents, then end_token after the first end_token of each beam.
Outputs eval_GatherTree(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const Tensor& steps = *in[0];
  const Tensor& parents = *in[1];
  const Tensor& max_len = *in[2];
  const Tensor& end = *in[3];
  if (steps.shape().size() != 3 || parents.shape() != steps.shape())
    raise(ErrorCode::kModel, "{}: step_ids and parent_ids must be [T, B, W] alike", node.describe());
  const int64_t time = steps.shape()[0], batch = steps.shape()[1], width = steps.shape()[2];
  const size_t bytes = byte_width(node, steps.type());
  Tensor out(steps.type(), steps.shape());
  auto* dst = static_cast<unsigned char*>(out.data());
  const auto* src = static_cast<const unsigned char*>(steps.data());
  const auto* end_bytes = static_cast<const unsigned char*>(end.data());
  for (int64_t i = 0; i < out.element_count(); ++i) std::memcpy(dst + i * bytes, end_bytes, bytes);
  // Parent beams and lengths are indices; a float value must be integral to name one.
  auto as_index = [&](const Tensor& t, int64_t i, const char* what) {
    const double v = t.get_as_double(i);
    if (std::trunc(v) != v)
      raise(ErrorCode::kModel, "{}: {} value {} is not an integer", node.describe(), what, v);
    return is_float(t.type()) ? static_cast<int64_t>(v) : t.get_as_int64(i);
  };
  const double end_value = end.get_as_double(0);
  const bool floating = is_float(steps.type());
  auto equals_end = [&](int64_t i) {
    return floating ? out.get_as_double(i) == end_value : out.get_as_int64(i) == end.get_as_int64(0);
  };
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t len = as_index(max_len, b, "max_seq_len");
    if (len < 0) raise(ErrorCode::kModel, "{}: max_seq_len[{}] is {}", node.describe(), b, len);
    const int64_t last = std::min(time, len);
    for (int64_t w = 0; w < width; ++w) {
      if (last == 0) continue;
      int64_t at = ((last - 1) * batch + b) * width + w;
      std::memcpy(dst + at * bytes, src + at * bytes, bytes);
      int64_t parent = as_index(parents, at, "parent_ids");
      for (int64_t level = last - 2; level >= 0; --level) {
        if (parent < 0 || parent >= width)
          raise(ErrorCode::kModel, "{}: parent id {} at step {} (batch {}) is outside the beam width {}",
                node.describe(), parent, level + 1, b, width);
        const int64_t from = (level * batch + b) * width + parent;
        std::memcpy(dst + ((level * batch + b) * width + w) * bytes, src + from * bytes, bytes);
        parent = as_index(parents, from, "parent_ids");
      }
      bool finished = false;
      for (int64_t t = 0; t < last; ++t) {
        at = (t * batch + b) * width + w;
        if (finished)
          std::memcpy(dst + at * bytes, end_bytes, bytes);
        else if (equals_end(at))
          finished = true;
      }
    }
  }
  return {out};
}

}  // namespace ref
}  // namespace octet
