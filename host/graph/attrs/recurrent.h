// Attribute structs of the recurrent cells and sequences.
// Included by host/graph/op_attrs.h; parse functions in recurrent.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// The activation functions the specs allow ("any combination of relu, sigmoid, tanh").
enum class RnnActivation { kSigmoid, kTanh, kRelu };
enum class RnnDirection { kForward, kReverse, kBidirectional };

// RNNCell-1, RNNSequence-5, GRUCell-3, GRUSequence-5, LSTMCell-1/-4 and LSTMSequence-5 share
// OpenVINO's RNNCellBase attributes; the fields an op does not have keep their defaults.
struct RnnAttrs {
  int64_t hidden_size = 0;
  // Exactly as many functions as the cell applies, in the spec's order: f (RNN); f, g (GRU);
  // f, g, h (LSTM). OpenVINO ignores names past those, and so does octet (after checking them).
  std::vector<RnnActivation> activations;
  // Gate pre-activations are clamped to [-clip, clip] when clip > 0 (as f32, OpenVINO's type);
  // 0 (OpenVINO's writing of the spec's default, infinity) and inf mean no clipping.
  float clip = 0;
  RnnDirection direction = RnnDirection::kForward;  // sequences
  bool linear_before_reset = false;                 // GRUCell, GRUSequence
  bool input_forget = false;                        // LSTMCell-1: i = 1 - f
  static RnnAttrs parse(AttrReader& r);
};

// "sigmoid", "tanh", "relu" for messages.
const char* rnn_activation_name(RnnActivation a);

}  // namespace octet
