// Reductions, Softmax, LogSoftmax, MVN and CumSum over a (outer, R, inner) view; work-items along
// inner for coalescing.
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/types.clh"
#include "common/index.clh"

// mode: 0 sum, 1 mean, 2 max, 3 min, 4 prod, 5 L1 (sum of |x|), 6 L2 (sqrt of the sum of x^2).
// Max and min skip NaN (fmax/fmin), as the reference's comparisons do.
inline float reduce_init(int mode) {
  return mode == 2 ? -INFINITY : mode == 3 ? INFINITY : mode == 4 ? 1.0f : 0.0f;
}
inline float reduce_step(float acc, float v, int mode) {
  switch (mode) {
    case 2: return fmax(acc, v);
    case 3: return fmin(acc, v);
    case 4: return acc * v;
    case 5: return acc + fabs(v);
    case 6: return acc + v * v;
    default: return acc + v;
  }
}
inline float reduce_final(float acc, int mode, int R) {
  return mode == 1 ? acc / (float)R : mode == 6 ? sqrt(acc) : acc;
}

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_reduce_contig)
// global: (inner, outer).
__kernel void reduce_contig(__global const T* x, __global T* y, int R, int inner, int mode) {
  int i = get_global_id(0), o = get_global_id(1);
  __global const T* p = x + (size_t)o * R * inner + i;
  float acc = reduce_init(mode);
  if (mode == 0 || mode == 1) {
    for (int r = 0; r < R; ++r) acc += p[r * inner];
  } else {
    for (int r = 0; r < R; ++r) acc = reduce_step(acc, p[r * inner], mode);
  }
  y[(size_t)o * inner + i] = reduce_final(acc, mode, R);
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
  float acc = reduce_init(mode);
  for (int r = 0; r < R; ++r) {
    OCTET_COORDS8(cr, r / rdims.s7, r % rdims.s7, rdims)
    acc = reduce_step(acc, x[base + octet_offset8(cr, rstrides)], mode);
  }
  y[o] = reduce_final(acc, mode, R);
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

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_log_softmax)
// LogSoftmax-5: x - max - log(sum(exp(x - max))).
__kernel void log_softmax(__global const T* x, __global T* y, int R, int inner) {
  int i = get_global_id(0), o = get_global_id(1);
  size_t base = (size_t)o * R * inner + i;
  float m = -INFINITY;
  for (int r = 0; r < R; ++r) m = fmax(m, x[base + r * inner]);
  float s = 0.0f;
  for (int r = 0; r < R; ++r) s += exp(x[base + r * inner] - m);
  float ls = log(s);
  for (int r = 0; r < R; ++r) y[base + r * inner] = x[base + r * inner] - m - ls;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_cumsum)
// CumSum-3 along R: exclusive leaves each element out of its own sum, reverse sums from the end.
// global: (inner, outer).
__kernel void cumsum(__global const T* x, __global T* y, int R, int inner, int exclusive, int reverse) {
  int i = get_global_id(0), o = get_global_id(1);
  size_t base = (size_t)o * R * inner + i;
  float s = 0.0f;
  for (int k = 0; k < R; ++k) {
    size_t at = base + (size_t)(reverse ? R - 1 - k : k) * inner;
    float v = x[at];
    if (!exclusive) s += v;
    y[at] = s;
    if (exclusive) s += v;
  }
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
