// The tensor-core int8 GEMM on NVIDIA (kernels/qgemm_mma.cl, PTX mma.sync m16n8k32 on sm_80+):
// its device verdict (a probe at device open), its limits and its factory, for the kernel choice
// (quantized_select.cpp), the device listing and tests.
//
//   MmaVerdict v = mma_verdict(backend);       // cached per device and driver
//   if (mma_limit(node, backend).empty()) k = compile_quantized_mma(node, backend);
//
// $OCTET_MMA_EMULATE=1 builds the kernels with the warp instruction emulated in OpenCL C
// (common/mma.clh) and lifts the device verdict, so the whole path runs bit-exactly on PoCL;
// the emulated entry is still declined by preference unless $OCTET_QIMPL names "mma".
#pragma once

#include <memory>
#include <string>

#include "runtime/opencl/ops/quantized.h"

namespace octet {

struct MmaParams {
  int mwg = 0, nwg = 0, kwg = 0;  // work-group tile (0: chosen per shape and device)
  int tm = 0, tn = 0;             // 16x8 MMA tiles per warp (warps: MWG/(16 TM) x NWG/(8 TN))
  std::string describe() const;   // "m64n64k32 t2x4"
};

struct MmaVerdict {
  bool available = false;
  std::string reason;  // why (not) available, for `octet devices -v` and `octet info -d`
};

// Whether the device runs the tensor-core path: NVIDIA sm_80+, the probe program (mma_probe.cl)
// builds and gives the exact int32 results, and qgemm_mma.cl builds. Probed once per device and
// driver; never throws for a device that cannot (the reason says why).
MmaVerdict mma_verdict(OpenClBackend& backend);
// Builds and runs kernels/mma_probe.cl (with -DOCTET_MMA_EMULATE when `emulate`, plus `extra`
// options) on extreme operands: "" when every element of both products is exact, else "probe
// build failed: <first line of the log>" or "probe result wrong at (i,j): ...".
std::string mma_probe(OpenClBackend& backend, bool emulate, const std::string& extra = "");
// $OCTET_MMA_EMULATE is set (tests).
bool mma_emulated();

// Why the tensor-core path cannot run the node on the backend's device ("" when it can).
std::string mma_limit(const Node& node, OpenClBackend& backend);
// Why it can but should not (emulation that was not asked for, at most 16 rows: the GEMV family).
std::string mma_preference(const Node& node, const OpenClBackend& backend);
// The parameters a compile would use for `params` (unset fields from the default rule or
// $OCTET_MMA_TILE="MWG,NWG,KWG,TM,TN").
MmaParams resolve_mma_params(const Node& node, const OpenClBackend& backend, const MmaParams& params = {});
// The kernel; throws kUnsupported naming the reason when the node, the device or `params` cannot.
std::unique_ptr<Kernel> compile_quantized_mma(const Node& node, OpenClBackend& backend,
                                              const MmaParams& params = {});

}  // namespace octet
