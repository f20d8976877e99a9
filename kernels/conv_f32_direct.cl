// Direct float (group) convolution, NCHW, 2-D windows (1-D runs as H = 1). Each work-item computes
// 4 output channels of one pixel; constant weights are repacked on the host to
// [G][OCB][IC_g][KH][KW][4]. With -DPLAIN_WEIGHTS the weights are the graph's own
// [G][OC_g][IC_g][KH][KW] buffer (filters computed at run time, e.g. decompressed f16).
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/types.clh"

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_conv2d)
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
#ifdef PLAIN_WEIGHTS
  // Channels past OC_g repeat the last one; their results are not stored.
  int ks = KH * KW, oc0 = ocb * 4;
  __global const float* w0 = w + (size_t)(g * OC_g + min(oc0, OC_g - 1)) * IC_g * ks;
  __global const float* w1 = w + (size_t)(g * OC_g + min(oc0 + 1, OC_g - 1)) * IC_g * ks;
  __global const float* w2 = w + (size_t)(g * OC_g + min(oc0 + 2, OC_g - 1)) * IC_g * ks;
  __global const float* w3 = w + (size_t)(g * OC_g + min(oc0 + 3, OC_g - 1)) * IC_g * ks;
#else
  __global const float* wg = w + (size_t)(g * OCB + ocb) * IC_g * KH * KW * 4;
#endif
  for (int ic = 0; ic < IC_g; ++ic) {
    __global const T* xc = xn + ic * H * W;
#ifndef PLAIN_WEIGHTS
    __global const float* wc = wg + ic * KH * KW * 4;
#endif
    for (int ky = 0; ky < KH; ++ky) {
      int iy = iy0 + ky * DH;
      if (iy < 0 || iy >= H) continue;
      for (int kx = 0; kx < KW; ++kx) {
        int ix = ix0 + kx * DW;
        if (ix < 0 || ix >= W) continue;
#ifdef PLAIN_WEIGHTS
        int k = ic * ks + ky * KW + kx;
        float4 wv = (float4)(w0[k], w1[k], w2[k], w3[k]);
#else
        float4 wv = vload4(ky * KW + kx, wc);
#endif
        acc = mad((float4)(xc[iy * W + ix]), wv, acc);
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
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_conv2d_depthwise)
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
#endif
