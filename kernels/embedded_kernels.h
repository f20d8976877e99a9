// The OpenCL sources under kernels/, embedded into the library at build time.
#pragma once

#include <cstddef>

namespace octet {

struct EmbeddedKernel {
  const char* path;  // relative to kernels/, e.g. "conv_f32_direct.cl" or "common/dot4.clh"
  const char* data;  // not NUL-terminated in general; use size
  size_t size;
};

// Table terminated by an entry with path == nullptr.
const EmbeddedKernel* embedded_kernel_sources();

}  // namespace octet
