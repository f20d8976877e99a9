// Shared pieces of the OpenCL int8 family: the per-device DOT4 choice and the quantized linear
// kernels (QuantizedMatMul, QuantizedConvolution) that quantized.cpp dispatches to.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "host/graph/quantized_linear.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {

// How kernels/common/dot4.clh computes 4-way int8 dot products on a device.
enum class DotMode { kPlain = 0, kKhr = 1, kPtxDp4a = 2 };

// The mode the int8 kernels use on the backend's device, probed once per device and driver (at
// device open): PTX dp4a on NVIDIA cc >= 6.1, cl_khr_integer_dot_product only where the device
// reports the 4x8-bit packed capability (not from the extension name alone); a candidate is taken
// when the int8 program builds, dot4_probe is exact and a dependent DOT4 chain is not over 10%
// slower than the plain path's; else plain. dot_mode_reason says why, for devices -v and info -d.
DotMode dot_mode(OpenClBackend& backend);
std::string dot_mode_reason(OpenClBackend& backend);
// "" when DOT4_SS / DOT4_SU of `mode` (kernels/dot4_probe.cl) give the exact int32 results on
// extreme and random operands near the int32 limits, else the first wrong result.
std::string dot4_probe(OpenClBackend& backend, DotMode mode);
const char* dot_mode_name(DotMode mode);
// Build options of kernels/quantized_linear.cl.
std::string quantized_build_options(DotMode dot, int w_kind, bool a_float);

// Largest reduction per weight group whose exact accumulator fits int32 (255 * 255 * K_g).
constexpr int64_t kMaxIntegerGroup = 33025;
// GEMV path (work-group reduction along K) for at most this many rows (MR in the kernel).
constexpr int64_t kGemvMaxRows = 4;
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

// ---- kernel choice (quantized_select.cpp) ----
// QuantizedMatMul and QuantizedConvolution walk an ordered list of implementations; each answers
// supports(node, device) with "" or the reason it declines, and the first that accepts runs. Its
// name and every earlier refusal appear in the kernel's impl_name() (octet info -d, verbose
// output). $OCTET_QIMPL=<name>[,<name>...] tries the named implementations first, skipping their
// device preference (e.g. "tiled" on a CPU device): the override of tests and benchmarks.
struct QuantizedChoice {
  std::string chosen;                                        // implementation name
  std::vector<std::pair<std::string, std::string>> refused;  // (name, reason), in list order
  std::string describe() const;                              // "tiled: reason; gemv: reason"
};
// Names of the implementations for the node's op, in the default order.
std::vector<std::string> quantized_implementations(const Node& node);
QuantizedChoice choose_quantized(const Node& node, OpenClBackend& backend);

// ---- the tiled core (quantized_tiled.cpp, kernels/qgemm_tiled.cl) ----
struct TileParams {
  int mwg = 0, nwg = 0, kwg = 0;  // work-group tile (0: chosen per shape and device)
  int mwi = 0, nwi = 0;           // register block of a work-item
  int split = 0;                  // split-K factor: 0 = automatic, 1 = none, S > 1 forced
  std::string describe() const;
};
// Why the tiled core cannot run the node ("" when it can), with the default parameters.
std::string tiled_limit(const Node& node, const OpenClBackend& backend);
// The core with `params` (unset fields chosen by the default rule); throws kUnsupported naming
// the parameter when the set is illegal for the node or the device. For tests and the tuner.
std::unique_ptr<Kernel> compile_quantized_tiled(const Node& node, OpenClBackend& backend,
                                                const TileParams& params = {});
// The parameters compile_quantized_tiled would use for `params` (defaults filled, split decided).
// With `params` all unset, a tuned entry for the node's shape and the device (tuning_store.h, in
// tuning_dir) is used when one verifies and is legal ($OCTET_QTILE, when set, wins over it); the
// kernel's impl_name() then ends in " tuned".
TileParams resolve_tile_params(const Node& node, const OpenClBackend& backend, const TileParams& params = {});

// ---- per-device tuning (runtime/opencl/tuner.cpp) ----
// The tuner's key of the node's GEMM shape, the hash of the core's expanded source, and the
// directory of the tuning file (the program cache's: cache_dir, else $OCTET_CACHE_DIR).
std::string tiled_shape_key(const Node& node);
std::string tiled_source_hash();
std::string tuning_dir(const OpenClBackend& backend);
// Every legal parameter set for the node on the device (local memory, work-group size, register
// block, at least 2 work-groups per compute unit where any set reaches that), the default rule's
// first, then by a prior (about 128 work-items of about 8 accumulators). *note: how many, why fewer.
std::vector<TileParams> tiled_candidates(const Node& node, const OpenClBackend& backend,
                                         std::string* note = nullptr);

}  // namespace octet
