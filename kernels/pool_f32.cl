// MaxPool / AvgPool over 2-D windows (1-D runs as H = 1), NCHW; one output per work-item.
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/types.clh"

#ifndef IDX_T
#define IDX_T long
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_max_pool)
// global: (OW, OH, N * C). idx_mode: 0 no indices, 1 flat over N*C*H*W, 2 over C*H*W, 3 over H*W.
__kernel void max_pool(__global const T* x, __global T* y, __global IDX_T* idx, int C, int H, int W, int OH,
                       int OW, int KH, int KW, int SH, int SW, int DH, int DW, int PH, int PW, int idx_mode) {
  int ox = get_global_id(0), oy = get_global_id(1), nc = get_global_id(2);
  __global const T* xc = x + (size_t)nc * H * W;
  float best = -INFINITY;
  int best_at = -1;
  int iy0 = oy * SH - PH, ix0 = ox * SW - PW;
  for (int ky = 0; ky < KH; ++ky) {
    int iy = iy0 + ky * DH;
    if (iy < 0 || iy >= H) continue;
    for (int kx = 0; kx < KW; ++kx) {
      int ix = ix0 + kx * DW;
      if (ix < 0 || ix >= W) continue;
      float v = xc[iy * W + ix];
      if (best_at < 0 || v > best) {
        best = v;
        best_at = iy * W + ix;
      }
    }
  }
  size_t o = (size_t)nc * OH * OW + oy * OW + ox;
  y[o] = best;
  if (idx_mode) {
    long base = idx_mode == 1 ? (long)nc * H * W : idx_mode == 2 ? (long)(nc % C) * H * W : 0;
    idx[o] = (IDX_T)(base + max(best_at, 0));
  }
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_avg_pool)
// Divisor (ir-spec.md 6.4): full_kernel -> KH * KW (exclude-pad=false with some pad != 0, even
// where the window is clipped); else the number of window positions inside the input.
__kernel void avg_pool(__global const T* x, __global T* y, int H, int W, int OH, int OW, int KH, int KW, int SH,
                       int SW, int PH, int PW, int full_kernel) {
  int ox = get_global_id(0), oy = get_global_id(1), nc = get_global_id(2);
  __global const T* xc = x + (size_t)nc * H * W;
  float sum = 0.0f;
  int iy0 = oy * SH - PH, ix0 = ox * SW - PW;
  int y_lo = max(iy0, 0), y_hi = min(iy0 + KH, H), x_lo = max(ix0, 0), x_hi = min(ix0 + KW, W);
  for (int iy = y_lo; iy < y_hi; ++iy)
    for (int ix = x_lo; ix < x_hi; ++ix) sum += xc[iy * W + ix];
  int count = full_kernel ? KH * KW : max(y_hi - y_lo, 0) * max(x_hi - x_lo, 0);
  y[(size_t)nc * OH * OW + oy * OW + ox] = count > 0 ? sum / (float)count : 0.0f;
}
#endif
