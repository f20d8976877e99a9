// Float normalisations: NormalizeL2/GRN over an (outer, R, inner) view, LRN over any window axes,
// BatchNormInference per channel, GroupNormalization with one work-group per (batch, group) row.
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/index.clh"

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_normalize_l2)
// y = x / sqrt(sum(x^2) + eps) (max_mode 0) or x / sqrt(max(sum(x^2), eps)) (max_mode 1) over R;
// `unit` (NormalizeL2 with no axes): y = x == 0 ? 0 : 1. global: (inner, outer).
__kernel void normalize_l2(__global const float* x, __global float* y, int R, int inner, float eps, int max_mode,
                           int unit) {
  int i = get_global_id(0), o = get_global_id(1);
  size_t base = (size_t)o * R * inner + i;
  if (unit) {
    for (int r = 0; r < R; ++r) y[base + r * inner] = x[base + r * inner] == 0.0f ? 0.0f : 1.0f;
    return;
  }
  float s = 0.0f;
  for (int r = 0; r < R; ++r) {
    float v = x[base + r * inner];
    s += v * v;
  }
  float d = sqrt(max_mode ? fmax(s, eps) : s + eps);
  for (int r = 0; r < R; ++r) y[base + r * inner] = x[base + r * inner] / d;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_lrn)
// LRN-1: y = x / (bias + scale * sum of x^2 over the window)^beta, the window
// [c - half, c + half] clipped to the tensor along every dim with win = 1, the element's own
// coordinate along the others; summed in row-major window order as the reference.
// dims right-aligned (leading 1). global: (number of elements).
__kernel void lrn(__global const float* x, __global float* y, int8 dims, int8 win, int half_window, float scale,
                  float bias, float beta) {
  int i = get_global_id(0);
  OCTET_COORDS8(c, i / dims.s7, i % dims.s7, dims)
  int d[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
  int w[8] = {win.s0, win.s1, win.s2, win.s3, win.s4, win.s5, win.s6, win.s7};
  int lo[8], hi[8], k[8];
  for (int a = 0; a < 8; ++a) {
    lo[a] = w[a] ? max(0, c[a] - half_window) : c[a];
    hi[a] = w[a] ? min(d[a] - 1, c[a] + half_window) : c[a];
    k[a] = lo[a];
  }
  float sum = 0.0f;
  for (;;) {
    int off = 0;
    for (int a = 0; a < 8; ++a) off = off * d[a] + k[a];
    float v = x[off];
    sum += v * v;
    int a = 7;
    for (; a >= 0; --a) {
      if (++k[a] <= hi[a]) break;
      k[a] = lo[a];
    }
    if (a < 0) break;
  }
  y[i] = x[i] / pow(bias + scale * sum, beta);
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_batch_norm)
// BatchNormInference: y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c], c = dim 1.
// global: (number of elements).
__kernel void batch_norm(__global const float* x, __global const float* gamma, __global const float* beta,
                         __global const float* mean, __global const float* var, __global float* y, int C,
                         int inner, float eps) {
  int i = get_global_id(0);
  int c = (i / inner) % C;
  y[i] = (x[i] - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c];
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_group_norm)
#define GN_WG 64
// Tree sum of part[0..GN_WG) into part[0]; every lane must call it.
inline float gn_sum(__local float* part, int lid, float v) {
  part[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int h = GN_WG / 2; h > 0; h >>= 1) {
    if (lid < h) part[lid] += part[lid + h];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  float s = part[0];
  barrier(CLK_LOCAL_MEM_FENCE);  // part is reused by the next call
  return s;
}

// GroupNormalization-12: each (n, g) row of C/G * inner elements standardised (population
// variance, eps inside the root), then y = z * scale[c] + bias[c]. One work-group of GN_WG lanes
// per row: global (GN_WG * N * G), local (GN_WG).
__kernel __attribute__((reqd_work_group_size(GN_WG, 1, 1))) void group_norm(
    __global const float* x, __global const float* scale, __global const float* bias, __global float* y, int C,
    int G, int inner, float eps) {
  __local float part[GN_WG];
  int lid = get_local_id(0), row = get_group_id(0);
  int cg = C / G, len = cg * inner, g = row % G;
  __global const float* xr = x + (size_t)row * len;
  __global float* yr = y + (size_t)row * len;
  float s = 0.0f;
  for (int k = lid; k < len; k += GN_WG) s += xr[k];
  float mean = gn_sum(part, lid, s) / (float)len;
  float v = 0.0f;
  for (int k = lid; k < len; k += GN_WG) {
    float d = xr[k] - mean;
    v += d * d;
  }
  float den = sqrt(gn_sum(part, lid, v) / (float)len + eps);
  for (int k = lid; k < len; k += GN_WG) {
    int c = g * cg + k / inner;
    yr[k] = (xr[k] - mean) / den * scale[c] + bias[c];
  }
}
#endif
