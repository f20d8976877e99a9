// Input tensors for run/compare/bench from -i values (.npy, raw .bin, folders, random) or the zoo's
// <model dir>/inputs/<name>.npy; inputs nobody gave get deterministic random data.
#pragma once

#include <string>
#include <vector>

#include "tools/cli/cli.h"

namespace octet::cli {

struct InputTensor {
  std::string name;
  std::string source;  // file path, or "random (seed N)"
  Tensor tensor;
};

// One tensor per model input, in model order. Unknown names are usage errors (row 28); files that
// do not fit the input are failures (row 31: "expected N bytes (shape x type), got M").
std::vector<InputTensor> load_inputs(octet_model_t model, const std::vector<Port>& inputs,
                                     const RunOptions& options);

// Deterministic pseudo-random tensor: floats uniform in [-1, 1), integers in [0, 8), booleans 0/1.
// The data depends only on the seed, the input name and the shape.
Tensor random_tensor(const Port& port, uint64_t seed);

void set_inputs(octet_infer_request_t request, const std::vector<InputTensor>& inputs);

}  // namespace octet::cli
