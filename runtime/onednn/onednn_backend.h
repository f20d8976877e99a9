// The oneDNN CPU backend: spec-exact reference mode (oneDNN primitives where they compute exactly
// what the OpenVINO spec says, host/reference evaluators for everything else), the fast int8 mode
// (QuantizedConvolution / QuantizedMatMul on oneDNN s8 primitives or integer loops, bit-exact with
// host/reference/quantized_linear) and the CPU fallback of other backends.
//
//   auto cpu = make_onednn_backend(BackendOptions{});
//   auto model = CompiledModel::compile(std::move(graph), cpu, cpu, CompileConfig{});
#pragma once

#include <memory>

#include "runtime/backend.h"

namespace octet {

// Throws Error(kDevice) when oneDNN cannot create a CPU engine.
std::shared_ptr<Backend> make_onednn_backend(const BackendOptions& options);

}  // namespace octet
