// The tensor-core probe run when a device is opened (runtime/opencl/ops/quantized_mma.cpp): one
// warp loads a 16x32 A, a 32x8 B and a 16x8 C from global memory through the fragment layouts of
// common/mma.clh, runs MMA_SS and MMA_SU once each and writes D back through the accumulator
// layout; the host compares every element with its own int64 product. Exact results on extreme
// operands check the instruction and the layouts together. One work-group of 32 work-items.
#define MMA_WARPS 1
#include "common/mma.clh"

// a: 16x32 bytes row-major; b: 8 columns of 32 bytes (column-major); c: 16x8 int row-major;
// d: 2 x 16x8 int (signed x signed, then signed x unsigned B).
__kernel __attribute__((reqd_work_group_size(32, 1, 1))) void mma_probe(__global const uint* a,
                                                                       __global const uint* b,
                                                                       __global const int* c, __global int* d) {
  MMA_SCRATCH(scratch);
  const int lane = get_local_id(0), g = lane >> 2, t = lane & 3;
  uint af[4], bf[2];
  for (int r = 0; r < 4; ++r) af[r] = a[((g + 8 * (r & 1)) * 32 + 16 * (r >> 1) + 4 * t) / 4];
  for (int r = 0; r < 2; ++r) bf[r] = b[(g * 32 + 16 * r + 4 * t) / 4];
  for (int v = 0; v < 2; ++v) {
    int acc[4];
    for (int i = 0; i < 4; ++i) acc[i] = c[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)];
    if (v == 0)
      MMA_SS(acc, af, bf, scratch[0], lane);
    else
      MMA_SU(acc, af, bf, scratch[0], lane);
#ifdef MMA_PROBE_FAULT  // test hook: one wrong element, (0, 0) of the s8 x s8 product
    if (v == 0 && lane == 0) acc[0] += 1;
#endif
    for (int i = 0; i < 4; ++i) d[v * 128 + (g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)] = acc[i];
  }
}
