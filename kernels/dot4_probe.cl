// The DOT4 probe run when a device is opened (runtime/opencl/ops/quantized.cpp dot_mode): the
// exact int32 results of DOT4_SS and DOT4_SU through -DOCTET_DOT=<mode> on extreme and random
// operands, and a dependent chain of them whose time compares the mode with the plain path.
#include "common/dot4.clh"

// out[2i] = sum a_i . b_i (signed x signed), out[2i + 1] = a_i . b_i as signed x unsigned, each
// added to a start value c_i (accumulation must not saturate or wrap differently).
__kernel void dot4_probe(__global const uint* a, __global const uint* b, __global const int* c,
                         __global int* out) {
  const int i = get_global_id(0);
  DOT4_ACC_T s = DOT4_ZERO, u = DOT4_ZERO;
  s = DOT4_SS(s, as_char4(a[i]), as_char4(b[i]));
  u = DOT4_SU(u, as_char4(a[i]), as_uchar4(b[i]));
  out[2 * i] = c[i] + DOT4_SUM(s);
  out[2 * i + 1] = c[i] + DOT4_SUM(u);
}

// `iters` dependent DOT4 steps per work-item (timing only; the result keeps it from being dropped).
__kernel void dot4_chain(__global const uint* a, __global int* out, int iters) {
  const int i = get_global_id(0);
  uint x = a[i & 255], y = a[(i + 7) & 255];
  DOT4_ACC_T acc = DOT4_ZERO;
  for (int k = 0; k < iters; ++k) {
    acc = DOT4_SS(acc, as_char4(x), as_char4(y));
    x = x * 1664525u + 1013904223u;
  }
  out[i] = DOT4_SUM(acc);
}
