// Axes, signal sizes and output shape of DFT-7, IDFT-7, RDFT-9 and IRDFT-9, shared by shape
// inference and the reference.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/graph.h"

namespace octet {

struct SignalDims {
  std::vector<int64_t> axes;   // normalised, in input order (the last one is RDFT/IRDFT's halved axis)
  std::vector<int64_t> sizes;  // signal size per axis, -1 resolved (IRDFT's last: 2 * (n - 1))
  Dims output;
};

// `data` is the data shape, `axes` and `signal_size` the values of inputs 1 and 2 (nullptr when
// absent). Raises kModel naming the layer for axes out of range or repeated, a wrong data shape
// (complex inputs need a last dim of 2) and bad signal sizes. Dynamic data dims give dynamic sizes.
SignalDims signal_dims(const Node& node, const Dims& data, const std::vector<int64_t>& axes,
                       const std::vector<int64_t>* signal_size);

}  // namespace octet
