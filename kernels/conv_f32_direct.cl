// Direct float (group) convolution, NCHW, 2-D windows (1-D runs as H = 1). Each work-item computes
// 4 output channels of one pixel; weights are repacked on the host to [G][OCB][IC_g][KH][KW][4].
#include "common/types.clh"

// global: (OW, OH, N * G * OCB)
__kernel void conv2d(__global const T* x, __global const float* w, __global T* y, int IC_g, int H, int W,
                     int OC_g, int OH, int OW, int KH, int KW, int SH, int SW, int DH, int DW, int PH, int PW,
                     int G, int OCB) {
  int ox = get_global_id(0), oy = get_global_id(1), z = get_global_id(2);
  int ocb = z % OCB, ng = z / OCB;  // ng = n * G + g
  int g = ng % G;
  float4 acc = 0.0f;
  int iy0 = oy * SH - PH, ix0 = ox * SW - PW;
  __global const T* xn = x + (size_t)ng * IC_g * H * W;
  __global const float* wg = w + (size_t)(g * OCB + ocb) * IC_g * KH * KW * 4;
  for (int ic = 0; ic < IC_g; ++ic) {
    __global const T* xc = xn + ic * H * W;
    __global const float* wc = wg + ic * KH * KW * 4;
    for (int ky = 0; ky < KH; ++ky) {
      int iy = iy0 + ky * DH;
      if (iy < 0 || iy >= H) continue;
      for (int kx = 0; kx < KW; ++kx) {
        int ix = ix0 + kx * DW;
        if (ix < 0 || ix >= W) continue;
        acc = mad((float4)(xc[iy * W + ix]), vload4(ky * KW + kx, wc), acc);
      }
    }
  }
  __global T* yo = y + ((size_t)ng * OC_g + ocb * 4) * OH * OW + oy * OW + ox;
  int plane = OH * OW, left = OC_g - ocb * 4;
  yo[0] = acc.s0;
  if (left > 1) yo[plane] = acc.s1;
  if (left > 2) yo[2 * plane] = acc.s2;
  if (left > 3) yo[3 * plane] = acc.s3;
}

// Depthwise (IC_g = OC_g = 1): one output per work-item; weights [C][KH][KW].
__kernel void conv2d_depthwise(__global const T* x, __global const float* w, __global T* y, int C, int H, int W,
                               int OH, int OW, int KH, int KW, int SH, int SW, int DH, int DW, int PH, int PW) {
  int ox = get_global_id(0), oy = get_global_id(1), nc = get_global_id(2);
  int c = nc % C;
  float acc = 0.0f;
  int iy0 = oy * SH - PH, ix0 = ox * SW - PW;
  __global const T* xc = x + (size_t)nc * H * W;
  __global const float* wc = w + c * KH * KW;
  for (int ky = 0; ky < KH; ++ky) {
    int iy = iy0 + ky * DH;
    if (iy < 0 || iy >= H) continue;
    for (int kx = 0; kx < KW; ++kx) {
      int ix = ix0 + kx * DW;
      if (ix < 0 || ix >= W) continue;
      acc = mad(xc[iy * W + ix], wc[ky * KW + kx], acc);
    }
  }
  y[(size_t)nc * OH * OW + oy * OW + ox] = acc;
}
