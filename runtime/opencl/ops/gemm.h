// The strided GEMM shared by MatMul and 1x1 convolutions.
#pragma once

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {

// C[batch][M][N] (dense) = A * B where A(m,k) = a[a_bs.batch + m*a_sm + k*a_sk], etc.
struct GemmShape {
  int64_t M = 0, N = 0, K = 0, a_sm = 0, a_sk = 0, b_sk = 0, b_sn = 0;
  Dims batch{1}, a_bs{0}, b_bs{0};  // batch dims (<= 8) and per-batch-dim strides of A and B
};

// MatMul-1 semantics (transposes, rank-1 operands, numpy batch broadcast) as a GemmShape.
GemmShape matmul_shape(const Node& node);

class GemmLauncher {
 public:
  GemmLauncher(OpenClBackend& backend, const GemmShape& shape);
  void set_args(cl_mem a, cl_mem b, cl_mem c);  // caller holds the kernel's lock
  cl_kernel kernel() const { return kernel_.get(); }
  std::array<size_t, 3> global_size() const;

 private:
  GemmShape shape_;
  ocl::ClKernel kernel_;
};

}  // namespace octet
