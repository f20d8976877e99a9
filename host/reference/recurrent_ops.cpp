// Reference RNNCell-1, GRUCell-3, LSTMCell-1/-4, RNNSequence-5, GRUSequence-5 and LSTMSequence-5,
// per the OpenVINO op specifications (gate order: z, r, h for GRU; f, i, c, o for LSTM):
//   RNN:  Ht = f(Xt*Wi^T + Ht-1*Ri^T + Bi)
//   GRU:  zt = f(Xt*Wz^T + Ht-1*Rz^T + Bz), rt = f(Xt*Wr^T + Ht-1*Rr^T + Br)
//         ht = g(Xt*Wh^T + (rt (.) Ht-1)*Rh^T + Bh)             linear_before_reset = false
//         ht = g(Xt*Wh^T + rt (.) (Ht-1*Rh^T + Rbh) + Wbh)      linear_before_reset = true
//         Ht = (1 - zt) (.) ht + zt (.) Ht-1
//   LSTM: ft = f(Xt*Wf^T + Ht-1*Rf^T + Bf [+ Pf (.) Ct-1]), it likewise (or 1 - ft with input_forget),
//         ct = g(Xt*Wc^T + Ht-1*Rc^T + Bc), Ct = ft (.) Ct-1 + it (.) ct,
//         ot = f(Xt*Wo^T + Ht-1*Ro^T + Bo [+ Po (.) Ct]), Ht = ot (.) h(Ct)
// with each gate's pre-activation clamped to [-clip, clip] first when clip > 0 (not h's argument
// Ct, as in OpenVINO's reference). The peephole terms P and input_forget are LSTMCell-1's
// OpenVINO extensions, computed as OpenVINO's reference does (its CPU plugin ignores them).
//
// Sequences run the cell over X[:, t] for t < sequence_lengths[b] (reverse: from the last valid
// step down to 0; bidirectional: forward into direction 0, reverse into 1). Y past a batch's
// length is 0; Ho/Co are the state after its last step, and 0 for a length of 0 (what OpenVINO's
// reference and CPU plugin give; the spec leaves it open). Lengths outside [0, seq_length] are
// refused.
//
// Numerics (evaluate.h): f16/bf16 are widened to f32; the dot products accumulate in f32 with k
// ascending and add as OpenVINO's reference does, X*W^T + (H*R^T + B); sigmoid and tanh are
// evaluated in double and rounded once to f32; the state stays f32 from step to step and the
// outputs are rounded once to the element type.
#include <algorithm>
#include <cmath>

#include "host/graph/op_attrs.h"
#include "host/reference/ref_ops.h"
#include "kernels/common/activations.h"

namespace octet {
namespace ref {
namespace {

enum class Cell { kRnn, kGru, kLstm };

float activate(RnnActivation f, float x) {
  switch (f) {
    case RnnActivation::kSigmoid: return static_cast<float>(act::sigmoid<double>(x));
    case RnnActivation::kTanh: return static_cast<float>(std::tanh(static_cast<double>(x)));
    case RnnActivation::kRelu: return act::relu(x);
  }
  return x;
}

float dot(const float* a, const float* w, int64_t n) {
  float s = 0.0f;
  for (int64_t k = 0; k < n; ++k) s += a[k] * w[k];
  return s;
}

// Everything one evaluation needs, as f32, with the dims taken from the tensors.
struct Problem {
  Cell cell = Cell::kRnn;
  const RnnAttrs* attrs = nullptr;
  bool sequence = false;
  int64_t batch = 0, seq = 1, input = 0, hidden = 0, dirs = 1, gates = 1, bias_gates = 1;
  std::vector<float> x, h0, c0, w, r, b, p;  // b and p hold zeros when the input is absent
  bool has_p = false;
  std::vector<int64_t> lengths;
};

// One direction's weights and the scratch of one step.
class Stepper {
 public:
  Stepper(const Problem& pr, int64_t dir)
      : pr_(pr),
        a_(*pr.attrs),
        hs_(pr.hidden),
        w_(pr.w.data() + dir * pr.gates * hs_ * pr.input),
        r_(pr.r.data() + dir * pr.gates * hs_ * hs_),
        b_(pr.b.data() + dir * pr.bias_gates * hs_),
        p_(pr.has_p ? pr.p.data() : nullptr),
        pre_(static_cast<size_t>(pr.gates * hs_)),
        tmp_(static_cast<size_t>(hs_)),
        next_(static_cast<size_t>(hs_)) {}

  // Advances the state (h, and c for LSTM) by one step on the input row x.
  void step(const float* x, float* h, float* c) {
    switch (pr_.cell) {
      case Cell::kRnn: return rnn(x, h);
      case Cell::kGru: return gru(x, h);
      case Cell::kLstm: return lstm(x, h, c);
    }
  }

 private:
  // X*W^T + (H*R^T + B) for gate `g`, unit j, from the state `h`.
  float pre(const float* x, const float* h, int64_t g, int64_t j) const {
    const int64_t row = g * hs_ + j;
    const float xw = dot(x, w_ + row * pr_.input, pr_.input);
    return xw + (dot(h, r_ + row * hs_, hs_) + b_[row]);
  }
  float gate(RnnActivation f, float v) const {
    if (a_.clip > 0.0f) v = act::clamp(v, -a_.clip, a_.clip);
    return activate(f, v);
  }

  void rnn(const float* x, float* h) {
    for (int64_t j = 0; j < hs_; ++j) next_[j] = gate(a_.activations[0], pre(x, h, 0, j));
    std::copy(next_.begin(), next_.end(), h);
  }

  void gru(const float* x, float* h) {
    const RnnActivation f = a_.activations[0], g = a_.activations[1];
    float* z = pre_.data();
    float* rg = pre_.data() + hs_;
    for (int64_t j = 0; j < hs_; ++j) {
      z[j] = gate(f, pre(x, h, 0, j));
      rg[j] = gate(f, pre(x, h, 1, j));
    }
    if (!a_.linear_before_reset)
      for (int64_t k = 0; k < hs_; ++k) tmp_[k] = rg[k] * h[k];  // rt (.) Ht-1, rounded to f32
    for (int64_t j = 0; j < hs_; ++j) {
      const int64_t row = 2 * hs_ + j;
      const float xw = dot(x, w_ + row * pr_.input, pr_.input);
      float v;
      if (a_.linear_before_reset)
        v = xw + (rg[j] * (dot(h, r_ + row * hs_, hs_) + b_[3 * hs_ + j]) + b_[row]);
      else
        v = xw + (dot(tmp_.data(), r_ + row * hs_, hs_) + b_[row]);
      const float hh = gate(g, v);
      next_[j] = (1.0f - z[j]) * hh + z[j] * h[j];
    }
    std::copy(next_.begin(), next_.end(), h);
  }

  void lstm(const float* x, float* h, float* c) {
    const RnnActivation f = a_.activations[0], g = a_.activations[1], hf = a_.activations[2];
    for (int64_t j = 0; j < hs_; ++j) {
      float vf = pre(x, h, 0, j);
      if (p_) vf = vf + p_[j] * c[j];
      const float ft = gate(f, vf);
      float it;
      if (a_.input_forget) {
        it = 1.0f - ft;
      } else {
        float vi = pre(x, h, 1, j);
        if (p_) vi = vi + p_[hs_ + j] * c[j];
        it = gate(f, vi);
      }
      const float ct = gate(g, pre(x, h, 2, j));
      const float cell = ft * c[j] + it * ct;
      float vo = pre(x, h, 3, j);
      if (p_) vo = vo + p_[2 * hs_ + j] * cell;
      const float ot = gate(f, vo);
      next_[j] = ot * activate(hf, cell);  // h(Ct) is not clipped
      tmp_[j] = cell;
    }
    std::copy(next_.begin(), next_.end(), h);
    std::copy(tmp_.begin(), tmp_.end(), c);
  }

  const Problem& pr_;
  const RnnAttrs& a_;
  const int64_t hs_;
  const float *w_, *r_, *b_, *p_;
  std::vector<float> pre_, tmp_, next_;
};

// Input positions: X, H, C (-1: none), sequence_lengths (-1), W, R, B, P (-1).
struct Slots {
  int x, h, c, lengths, w, r, b, p;
};

Slots slots_of(const Node& node) {
  switch (node.op) {
    case OpKind::kRNNCell: return {0, 1, -1, -1, 2, 3, 4, -1};
    case OpKind::kGRUCell: return {0, 1, -1, -1, 2, 3, 4, -1};
    case OpKind::kLSTMCell: return {0, 1, 2, -1, 3, 4, 5, node.version == 1 ? 6 : -1};
    case OpKind::kRNNSequence:
    case OpKind::kGRUSequence: return {0, 1, -1, 2, 3, 4, 5, -1};
    default: return {0, 1, 2, 3, 4, 5, 6, -1};  // LSTMSequence
  }
}

// Reads and checks the inputs against each other.
Problem prepare(const Node& node, const Inputs& in, Cell cell, bool sequence) {
  const Slots s = slots_of(node);
  const RnnAttrs& a = node.attr<RnnAttrs>();
  Problem pr;
  pr.cell = cell;
  pr.attrs = &a;
  pr.sequence = sequence;
  pr.gates = cell == Cell::kRnn ? 1 : cell == Cell::kGru ? 3 : 4;
  pr.bias_gates = pr.gates + (cell == Cell::kGru && a.linear_before_reset ? 1 : 0);
  pr.dirs = a.direction == RnnDirection::kBidirectional ? 2 : 1;
  const int n = static_cast<int>(in.size());
  const ElementType type = in[0]->type();
  if (!is_compute_float(type)) unsupported_type(node, type);
  for (int i = 1; i < n; ++i)
    if (i != s.lengths && in[static_cast<size_t>(i)]->type() != type)
      unsupported_type(node, in[static_cast<size_t>(i)]->type());

  const Dims& xs = in[0]->shape();
  const size_t rank = sequence ? 3 : 2;
  if (xs.size() != rank)
    raise(ErrorCode::kModel, "{}: X {} must have rank {}", node.describe(), to_string(xs), rank);
  pr.batch = xs[0];
  pr.seq = sequence ? xs[1] : 1;
  pr.input = xs.back();
  pr.hidden = a.hidden_size;
  const int64_t hs = pr.hidden, nd = pr.dirs;
  // The shape each input must have; a mismatch is a malformed model (inference checks it first).
  auto expect = [&](int i, Dims want) {
    if (i < 0 || i >= n) return false;
    const Dims& got = in[static_cast<size_t>(i)]->shape();
    if (got != want)
      raise(ErrorCode::kModel, "{}: input {} is {}, expected {}", node.describe(), i, to_string(got),
            to_string(want));
    return true;
  };
  const Dims state = sequence ? Dims{pr.batch, nd, hs} : Dims{pr.batch, hs};
  expect(s.h, state);
  expect(s.c, state);
  expect(s.lengths, {pr.batch});
  expect(s.w, sequence ? Dims{nd, pr.gates * hs, pr.input} : Dims{pr.gates * hs, pr.input});
  expect(s.r, sequence ? Dims{nd, pr.gates * hs, hs} : Dims{pr.gates * hs, hs});
  const bool has_b = expect(s.b, sequence ? Dims{nd, pr.bias_gates * hs} : Dims{pr.bias_gates * hs});
  pr.has_p = expect(s.p, {3 * hs});

  pr.x = read_floats(*in[0]);
  pr.h0 = read_floats(*in[static_cast<size_t>(s.h)]);
  if (s.c >= 0) pr.c0 = read_floats(*in[static_cast<size_t>(s.c)]);
  pr.w = read_floats(*in[static_cast<size_t>(s.w)]);
  pr.r = read_floats(*in[static_cast<size_t>(s.r)]);
  pr.b = has_b ? read_floats(*in[static_cast<size_t>(s.b)])
               : std::vector<float>(static_cast<size_t>(nd * pr.bias_gates * hs), 0.0f);
  if (pr.has_p) pr.p = read_floats(*in[static_cast<size_t>(s.p)]);
  if (s.lengths >= 0) {
    const Tensor& len = *in[static_cast<size_t>(s.lengths)];
    if (!is_integer(len.type())) unsupported_type(node, len.type());
    pr.lengths = read_ints(len);
    for (size_t b = 0; b < pr.lengths.size(); ++b)
      if (pr.lengths[b] < 0 || pr.lengths[b] > pr.seq)
        raise(ErrorCode::kInvalidArgument,
              "{}: sequence_lengths holds {} for batch {}; lengths lie in [0, {}]", node.describe(),
              pr.lengths[b], b, pr.seq);
  } else {
    pr.lengths.assign(static_cast<size_t>(pr.batch), 1);
  }
  return pr;
}

Outputs evaluate(const Node& node, const Inputs& in, Cell cell, bool sequence) {
  const Problem pr = prepare(node, in, cell, sequence);
  const int64_t hs = pr.hidden, nd = pr.dirs, seq = pr.seq;
  const bool lstm = cell == Cell::kLstm;
  std::vector<float> y(static_cast<size_t>(pr.batch * nd * seq * hs), 0.0f);
  std::vector<float> ho(static_cast<size_t>(pr.batch * nd * hs), 0.0f), co(ho.size(), 0.0f);
  std::vector<float> h(static_cast<size_t>(hs)), c(static_cast<size_t>(hs));
  for (int64_t d = 0; d < nd; ++d) {
    const bool reverse = d == 1 || pr.attrs->direction == RnnDirection::kReverse;
    Stepper stepper(pr, d);
    for (int64_t b = 0; b < pr.batch; ++b) {
      const int64_t state = (b * nd + d) * hs;
      std::copy_n(pr.h0.begin() + state, hs, h.begin());
      if (lstm) std::copy_n(pr.c0.begin() + state, hs, c.begin());
      const int64_t len = pr.lengths[static_cast<size_t>(b)];
      for (int64_t s = 0; s < len; ++s) {
        const int64_t t = reverse ? len - 1 - s : s;
        stepper.step(pr.x.data() + (b * seq + t) * pr.input, h.data(), c.data());
        std::copy(h.begin(), h.end(), y.begin() + ((b * nd + d) * seq + t) * hs);
      }
      if (len == 0) continue;  // Ho and Co stay 0
      std::copy(h.begin(), h.end(), ho.begin() + state);
      if (lstm) std::copy(c.begin(), c.end(), co.begin() + state);
    }
  }
  const ElementType type = in[0]->type();
  Outputs out;
  const Dims state_shape = sequence ? Dims{pr.batch, nd, hs} : Dims{pr.batch, hs};
  if (sequence) out.push_back(make_float_tensor(type, {pr.batch, nd, seq, hs}, y));
  out.push_back(make_float_tensor(type, state_shape, ho));
  if (lstm) out.push_back(make_float_tensor(type, state_shape, co));
  return out;
}

}  // namespace

Outputs eval_RNNCell(const Node& node, const Inputs& in) {
  need_inputs(node, in, 5, 5);
  return evaluate(node, in, Cell::kRnn, false);
}

Outputs eval_GRUCell(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 5);
  return evaluate(node, in, Cell::kGru, false);
}

Outputs eval_LSTMCell(const Node& node, const Inputs& in) {
  need_inputs(node, in, 5, node.version == 1 ? 7 : 6);
  return evaluate(node, in, Cell::kLstm, false);
}

Outputs eval_RNNSequence(const Node& node, const Inputs& in) {
  need_inputs(node, in, 6, 6);
  return evaluate(node, in, Cell::kRnn, true);
}

Outputs eval_GRUSequence(const Node& node, const Inputs& in) {
  need_inputs(node, in, 6, 6);
  return evaluate(node, in, Cell::kGru, true);
}

Outputs eval_LSTMSequence(const Node& node, const Inputs& in) {
  need_inputs(node, in, 7, 7);
  return evaluate(node, in, Cell::kLstm, true);
}

}  // namespace ref
}  // namespace octet
