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

// Work-group size and local memory (bytes) the GEMV kernel needs: it launches fixed 64-wide
// work-groups and keeps two MR x WG reduction arrays in local memory.
constexpr size_t kGemvWorkGroupSize = 64;
constexpr size_t kGemvLocalBytes = 2 * kGemvMaxRows * kGemvWorkGroupSize * 4;
// Why a device (or the built GEMV kernel, whose limits the compiler may lower further) cannot run
// the GEMV path; "" when it can. kernel_work_group / kernel_local_bytes are
// CL_KERNEL_WORK_GROUP_SIZE and CL_KERNEL_LOCAL_MEM_SIZE (0 = not known yet).
// CL_KERNEL_WORK_GROUP_SIZE / CL_KERNEL_LOCAL_MEM_SIZE of a built kernel (0 when the driver
// does not answer).
size_t kernel_work_group_size(cl_kernel kernel, cl_device_id device);
size_t kernel_local_memory(cl_kernel kernel, cl_device_id device);
std::string gemv_device_limit(const DeviceInfo& device, size_t kernel_work_group = 0,
                              size_t kernel_local_bytes = 0);

Support supports_quantized_linear(const Node& node, const OpenClBackend& backend);
std::unique_ptr<Kernel> compile_quantized_matmul(const Node& node, OpenClBackend& backend);
std::unique_ptr<Kernel> compile_quantized_conv(const Node& node, OpenClBackend& backend);

}  // namespace octet
