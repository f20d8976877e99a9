// Shared pieces of the OpenCL int8 family: the per-device DOT4 choice and the quantized linear
// kernels (QuantizedMatMul, QuantizedConvolution) that quantized.cpp dispatches to.
#pragma once

#include <memory>
#include <string>

#include "host/graph/quantized_linear.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {

// How kernels/common/dot4.clh computes 4-way int8 dot products on a device.
enum class DotMode { kPlain = 0, kKhr = 1, kPtxDp4a = 2 };

// The fastest mode whose probe build succeeds on the backend's device (cached per device):
// PTX dp4a on NVIDIA cc >= 6.1, cl_khr_integer_dot_product where reported, else plain.
DotMode dot_mode(OpenClBackend& backend);
const char* dot_mode_name(DotMode mode);
// Build options of kernels/quantized_linear.cl.
std::string quantized_build_options(DotMode dot, int w_kind, bool a_float);

// Largest reduction per weight group whose exact accumulator fits int32 (255 * 255 * K_g).
constexpr int64_t kMaxIntegerGroup = 33025;
// GEMV path (work-group reduction along K) for at most this many rows (MR in the kernel);
// tiled GEMM above.
constexpr int64_t kGemvMaxRows = 4;
// Whether a quantized GEMM with `rows` rows takes the GEMV path. On GPUs it does up to
// kGemvMaxRows; on CPU OpenCL devices (PoCL) work-group barriers are expensive, so the tiled
// path is used. $OCTET_QGEMV=always|never overrides the device rule (tests and benchmarks).
bool use_gemv_path(int64_t rows, const OpenClBackend& backend);

Support supports_quantized_linear(const Node& node, const OpenClBackend& backend);
std::unique_ptr<Kernel> compile_quantized_matmul(const Node& node, OpenClBackend& backend);
std::unique_ptr<Kernel> compile_quantized_conv(const Node& node, OpenClBackend& backend);

}  // namespace octet
