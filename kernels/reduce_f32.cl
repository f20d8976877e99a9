// Reductions, Softmax and MVN over a (outer, R, inner) view; work-items along inner for coalescing.
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/types.clh"
#include "common/index.clh"

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_reduce_contig)
// global: (inner, outer). mode: 0 sum, 1 mean, 2 max.
__kernel void reduce_contig(__global const T* x, __global T* y, int R, int inner, int mode) {
  int i = get_global_id(0), o = get_global_id(1);
  __global const T* p = x + (size_t)o * R * inner + i;
  float acc = mode == 2 ? -INFINITY : 0.0f;
  if (mode == 2) {
    for (int r = 0; r < R; ++r) acc = fmax(acc, p[r * inner]);
  } else {
    for (int r = 0; r < R; ++r) acc += p[r * inner];
  }
  if (mode == 1) acc /= (float)R;
  y[(size_t)o * inner + i] = acc;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_reduce_generic)
// Any axes: kept coords from the output index (kdims/kstrides), reduced ones from r (rdims/rstrides).
// global: (number of outputs).
__kernel void reduce_generic(__global const T* x, __global T* y, int8 kdims, int8 kstrides, int8 rdims,
                             int8 rstrides, int R, int mode) {
  int o = get_global_id(0);
  OCTET_COORDS8(ck, o / kdims.s7, o % kdims.s7, kdims)
  int base = octet_offset8(ck, kstrides);
  float acc = mode == 2 ? -INFINITY : 0.0f;
  for (int r = 0; r < R; ++r) {
    OCTET_COORDS8(cr, r / rdims.s7, r % rdims.s7, rdims)
    float v = x[base + octet_offset8(cr, rstrides)];
    acc = mode == 2 ? fmax(acc, v) : acc + v;
  }
  if (mode == 1) acc /= (float)R;
  y[o] = acc;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_softmax)
__kernel void softmax(__global const T* x, __global T* y, int R, int inner) {
  int i = get_global_id(0), o = get_global_id(1);
  size_t base = (size_t)o * R * inner + i;
  float m = -INFINITY;
  for (int r = 0; r < R; ++r) m = fmax(m, x[base + r * inner]);
  float s = 0.0f;
  for (int r = 0; r < R; ++r) s += exp(x[base + r * inner] - m);
  for (int r = 0; r < R; ++r) y[base + r * inner] = exp(x[base + r * inner] - m) / s;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_mvn)
// MVN-6: inside_sqrt: d / sqrt(v + eps); outside: d / (sqrt(v) + eps).
__kernel void mvn(__global const T* x, __global T* y, int R, int inner, int normalize_variance, float eps,
                  int inside_sqrt) {
  int i = get_global_id(0), o = get_global_id(1);
  size_t base = (size_t)o * R * inner + i;
  float s = 0.0f;
  for (int r = 0; r < R; ++r) s += x[base + r * inner];
  float mean = s / (float)R;
  float scale = 1.0f;
  if (normalize_variance) {
    float v = 0.0f;
    for (int r = 0; r < R; ++r) {
      float d = x[base + r * inner] - mean;
      v += d * d;
    }
    v /= (float)R;
    scale = inside_sqrt ? 1.0f / sqrt(v + eps) : 1.0f / (sqrt(v) + eps);
  }
  for (int r = 0; r < R; ++r) y[base + r * inner] = (x[base + r * inner] - mean) * scale;
}
#endif
