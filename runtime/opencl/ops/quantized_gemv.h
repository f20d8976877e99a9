// The GEMV family for M <= 16 rows (kernels/qgemv_rows.cl): compressed-weight QuantizedMatMul /
// pointwise QuantizedConvolution (quantized_gemv.cpp) and f32-weight MatMul
// (quantized_gemv_f32.cpp), with their geometry as build options so a per-device tuner can set it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {

// Most rows (batch or sequence positions) the GEMV family takes.
constexpr int64_t kGemvRowsMax = 16;

// Geometry of kernels/qgemv_rows.cl (0 = chosen by the default rule for the node and device).
struct GemvParams {
  int wg = 0;   // work-group size
  int npw = 0;  // output channels per work-group (wg / npw lanes per channel, a power of two)
  int u = 0;    // 16-byte weight words per lane and K chunk
  int mr = 0;   // most rows of the build (4 or 16 by default; >= the node's rows)
  std::string describe() const;  // "wg64 npw4 u1 mr16"
};

// ---- compressed weights (QuantizedMatMul, 1x1 QuantizedConvolution) ----
// Why the GEMV kernel cannot run the node with the default parameters on this device ("" when it
// can): rows, group size against the lane span, work-group and local-memory limits of the device
// and of the built kernel.
std::string gemv_rows_limit(const Node& node, OpenClBackend& backend);
// The parameters compile_gemv_rows would use (unset fields filled by the default rule, then by
// $OCTET_QGEMV="WG,NPW,U,MR").
GemvParams resolve_gemv_params(const Node& node, const OpenClBackend& backend, const GemvParams& params = {});
// Why `params` (filled as above) cannot run the node on `device` ("" when they can), without
// building the kernel: the checks behind the two functions above, for tests with made-up devices.
std::string gemv_rows_params_limit(const Node& node, const DeviceInfo& device, const GemvParams& params);
// Throws kUnsupported naming the parameter or limit when `params` cannot run the node. With no
// parameters given (and no $OCTET_QGEMV), a verified tuner entry for the node's shape on this
// device, driver and kernel source is used when it names a legal set (the implementation name then
// ends in " tuned"); else the default rule.
std::unique_ptr<Kernel> compile_gemv_rows(const Node& node, OpenClBackend& backend,
                                          const GemvParams& params = {});

// ---- the tuner's view (runtime/opencl/tuner.h) ----
// Everything the GEMV's parameters and their legality depend on ("gemv qmatmul M1 N4096 ...").
std::string gemv_shape_key(const Node& node);
// Hash of kernels/qgemv_rows.cl: tuned entries of another kernel source are not used.
std::string gemv_source_hash();
// The legal parameter sets for the node on the backend's device, the default first: work-groups
// of 32-256 lanes, 1-16 channels each, 1-2 words per lane and chunk, the smallest row count of
// 4, 8, 16 that holds the node's rows (empty when the GEMV cannot run the node).
std::vector<GemvParams> gemv_candidates(const Node& node, const OpenClBackend& backend);
// The same for the float GEMV of a MatMul with constant B ("gemv matmul_f32 M.. N.. K.. w32|w16"):
// 1-4 words per lane and chunk.
std::string float_gemv_shape_key(const Node& node);
std::vector<GemvParams> float_gemv_candidates(const Node& node, const OpenClBackend& backend);
// The GEMV geometry the tuning file holds for `shape_key` on the backend's device, driver and
// kernel source (not yet checked against the node's limits); nullopt when there is none or
// $OCTET_QGEMV is set (the override wins).
std::optional<GemvParams> stored_gemv_params(const OpenClBackend& backend, const std::string& shape_key);
// The tuner entry's six integers for `p`: WG, NPW, U, MR, 1, 1.
void gemv_params_to_entry(const GemvParams& p, int (&params)[6]);

// ---- f32 weights (MatMul with a constant 2-D B) ----
// "" when the float GEMV runs the MatMul (rows <= 16, constant B, and preferred on this device:
// not on CPU devices unless $OCTET_FGEMV=1; never with $OCTET_FGEMV=0), else why not.
std::string float_gemv_limit(const Node& node, OpenClBackend& backend);
// The same without the device preference and the override.
std::string float_gemv_hard_limit(const Node& node, OpenClBackend& backend);
std::unique_ptr<Kernel> compile_float_gemv(const Node& node, OpenClBackend& backend,
                                           const GemvParams& params = {});

}  // namespace octet
