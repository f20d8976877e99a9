// Helpers shared by the shape inference and the reference evaluators of the family F8 ops
// (embedding, decoding, signal and other ops): the STFT/ISTFT geometry and ConvertPromoteTypes' rule.
#pragma once

#include <cstdint>
#include <optional>

#include "host/graph/graph.h"

namespace octet {

// STFT-15: signal [S] or [B, S], frames of `frame_size` every `frame_step` samples, the window
// (window_length <= frame_size) centred in the frame. Output [B?, frames, frame_size/2+1, 2], or
// [B?, frame_size/2+1, frames, 2] with transpose_frames. Raises kModel naming the layer for sizes the
// spec does not allow; dynamic dims (-1) stay dynamic.
struct StftDims {
  int64_t batch = 1;  // 1 for a 1-D signal
  int64_t signal = 0, frames = 0, bins = 0;
  Dims output;
};
StftDims stft_dims(const Node& node, const Dims& signal, const Dims& window, int64_t frame_size,
                   int64_t frame_step, bool transpose_frames);

// ISTFT-16: data [B?, frame_size/2+1, frames, 2] back to a signal [B?, length]. `length` is the
// signal_length input when given (> 0 selects it; OpenVINO treats a value <= 0 as "not given"), else
// (frames - 1) * frame_step + frame_size, less frame_size rounded down to even with `center`.
struct IstftDims {
  int64_t batch = 1;  // 1 for a 3-D input
  int64_t frames = 0, bins = 0, full = 0, length = 0;
  Dims output;
};
IstftDims istft_dims(const Node& node, const Dims& data, const Dims& window, int64_t frame_size,
                     int64_t frame_step, std::optional<int64_t> signal_length, bool center);

// ConvertPromoteTypes-14: the common element type of inputs of types a and b (ranks a_rank, b_rank)
// under the node's attributes; raises kModel naming the layer where the rules refuse the pair.
ElementType promoted_type(const Node& node, ElementType a, ElementType b, size_t a_rank, size_t b_rank);

}  // namespace octet
