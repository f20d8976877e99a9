// The tensor-core int8 GEMM of QuantizedMatMul and QuantizedConvolution on NVIDIA sm_80+ (PTX
// mma.sync m16n8k32, common/mma.clh), the same GEMM as qgemm_tiled.cl with warps of MMAs in place
// of DOT4 register blocks: a work-group of WM x WN warps computes an MWG x NWG tile of C, staging
// KWG-deep slices of activations and weights in local memory with cooperative 16-byte loads; warp
// (wm, wn) owns TM x TN MMA tiles of 16x8 outputs and feeds them fragments from local memory.
// Same integer algebra and shared epilogue as the tiled core, so outputs are bit-exact against
// the integer reference:
//   acc = sum a'w - zw * sum a' + corr,   corr = (128 - zp) * sum (w - zw)   (host-computed)
// sum a' (only with weight zero points) is one more MMA per row tile against a B of ones.
//
// Weights: the tiled core's packing (runtime/opencl/ops/quantized_mma.cpp): per convolution group,
// Kp/4 rows (8-bit) or Kp/8 rows (4-bit) of Np words; word n of row r holds channel n's elements
// 4r..4r+3 (8-bit) or 8r..8r+7 (4-bit: byte j = element j low nibble, element 4 + j high nibble),
// Kp and Np padded with zeros to whole tiles. A word of 8-bit weights is exactly one B fragment
// register (4 consecutive k of one column, low byte first).
//
// Options: -DMWG -DNWG -DKWG (KWG a multiple of 32) -DTM -DTN (MMA tiles per warp: MWG = WM*TM*16,
// NWG = WN*TN*8), -DW_KIND=0..3 (i8, u8, i4, u4: unsigned weights use the .s8.u8 MMA), -DA_LOAD=16|4|1,
// -DHAS_WZP, -DONE_GROUP (G == 1: rescale once at the end), -DOCTET_MMA_EMULATE (common/mma.clh),
// and the convolution geometry of qgemm_tiled.cl
// (-DCONV -DQT_H ... -DQT_PW: implicit GEMM over the channels-last input).
#pragma OPENCL FP_CONTRACT OFF
#include "common/qepilogue.clh"

#define WM (MWG / (16 * TM))
#define WN (NWG / (8 * TN))
#define MMA_WARPS (WM * WN)
#define THREADS (MMA_WARPS * 32)
#include "common/mma.clh"

#if W_KIND >= 2
#define WROWS (KWG / 8)
#else
#define WROWS (KWG / 4)
#endif
#ifndef HAS_WZP
#define HAS_WZP 0
#endif
#ifndef ONE_GROUP
#define ONE_GROUP 0
#endif
#if W_KIND == 0 || W_KIND == 2
#define MMA_W MMA_SS
#else
#define MMA_W MMA_SU
#endif
// Row strides of the local tiles, padded so that the 32 lanes' fragment reads hit distinct banks.
#define AST (KWG / 4 + 4)
#define WST (NWG + 8)

#include "common/qgemm_loads.clh"

// Stages A [m0, m0 + MWG) x [k0, k0 + KWG) into als[m][k/4] (rows K-contiguous, as A fragments read).
inline void stage_a(__local uint (*als)[AST], __global const char* a, int m0, int k0, int M, int K, int cg,
                    int pad_code, int lid) {
#if A_LOAD == 16
  for (int idx = lid; idx < MWG * (KWG / 16); idx += THREADS) {
    int r = idx / (KWG / 16), c = idx % (KWG / 16);  // adjacent work-items: adjacent chunks of a row
    uint4 v = load_a16(a, m0 + r, k0 + c * 16, M, K, cg, pad_code);
    als[r][c * 4 + 0] = v.s0;
    als[r][c * 4 + 1] = v.s1;
    als[r][c * 4 + 2] = v.s2;
    als[r][c * 4 + 3] = v.s3;
  }
#else
  for (int idx = lid; idx < MWG * (KWG / 4); idx += THREADS) {
    int r = idx / (KWG / 4), c = idx % (KWG / 4);
    als[r][c] = load_a4(a, m0 + r, k0 + c * 4, M, K, cg, pad_code);
  }
#endif
}

// Stages WROWS weight rows of NWG words with 16-byte loads.
inline void stage_w(__local uint (*wls)[WST], __global const uint4* w, int row0, int Np, int n0, int lid) {
  for (int idx = lid; idx < WROWS * (NWG / 4); idx += THREADS) {
    int r = idx / (NWG / 4), c = idx % (NWG / 4);
    uint4 v = w[((row0 + r) * Np + n0) / 4 + c];
    wls[r][c * 4 + 0] = v.s0;
    wls[r][c * 4 + 1] = v.s1;
    wls[r][c * 4 + 2] = v.s2;
    wls[r][c * 4 + 3] = v.s3;
  }
}

// The B fragment word of 4-element unit u (k = 4u..4u+3 of the slice) and column n: 8-bit words as
// stored, 4-bit words unpacked (even units: low nibbles, odd: high), i4 sign-extended per byte.
inline uint w_word(__local const uint (*wls)[WST], int u, int n) {
#if W_KIND >= 2
  uint word = wls[u >> 1][n];
  uchar4 nib = as_uchar4((u & 1 ? word >> 4 : word) & 0x0F0F0F0Fu);
#if W_KIND == 2
  return as_uint(as_char4(nib << (uchar4)4) >> (char4)4);
#else
  return as_uint(nib);
#endif
#else
  return wls[u][n];
#endif
}

// global: (ceil(N / NWG) * THREADS, ceil(M / MWG), groups), local (THREADS, 1, 1). Arguments as
// qgemm_tiled (no split-K scratch): output (m, cg*N + n) at out_index(m, n, Ntot, P); G weight
// groups of GS elements (KWG | GS).
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void qgemm_mma(
    __global const char* a, __global const uint4* w, __global const float* wscale, __global const short* wzp,
    __global const int* corr, __global float* y, int M, int N, int K, int Kp, int Np, int G, int GS, int P,
    int Ntot, int pad_code, EPI_PARAMS) {
  __local uint als[MWG][AST];
  __local uint wls[WROWS][WST];
  MMA_SCRATCH(mma_scratch);
  const int lid = get_local_id(0), lane = lid & 31, warp = lid >> 5;
  const int g = lane >> 2, t = lane & 3;
  const int wm = warp % WM, wn = warp / WM;
  const int n0 = get_group_id(0) * NWG, m0 = get_group_id(1) * MWG;
  const int cg_index = get_group_id(2);
#ifdef CONV
  const int cg = cg_index * QT_ICG;
#else
  const int cg = 0;
#endif
  __global const uint4* wg = w + (size_t)cg_index * (Kp / (W_KIND >= 2 ? 8 : 4)) * Np / 4;
  const int rbase = wm * TM * 16, cbase = wn * TN * 8;  // the warp's tile within the work-group's

  int acc[TM][TN][4], sacc[TM][4];
#if !ONE_GROUP
  float out[TM][TN][4];  // group results, added in group order
#endif
  for (int i = 0; i < TM; ++i)
    for (int e = 0; e < 4; ++e) {
      sacc[i][e] = 0;
      for (int j = 0; j < TN; ++j) {
        acc[i][j][e] = 0;
#if !ONE_GROUP
        out[i][j][e] = 0.0f;
#endif
      }
    }
  const uint ones[2] = {0x01010101u, 0x01010101u};
  for (int k0 = 0; k0 < Kp; k0 += KWG) {
    barrier(CLK_LOCAL_MEM_FENCE);  // the previous slice is consumed
    stage_a(als, a, m0, k0, M, K, cg, pad_code, lid);
    stage_w(wls, wg, k0 / (W_KIND >= 2 ? 8 : 4), Np, n0, lid);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int kc = 0; kc < KWG / 32; ++kc) {
      uint af[TM][4], bf[TN][2];
      for (int i = 0; i < TM; ++i)
        for (int r = 0; r < 4; ++r) af[i][r] = als[rbase + i * 16 + g + 8 * (r & 1)][kc * 8 + 4 * (r >> 1) + t];
      for (int j = 0; j < TN; ++j)
        for (int r = 0; r < 2; ++r) bf[j][r] = w_word(wls, kc * 8 + 4 * r + t, cbase + j * 8 + g);
      for (int i = 0; i < TM; ++i) {
        for (int j = 0; j < TN; ++j) MMA_W(acc[i][j], af[i], bf[j], mma_scratch[warp], lane);
        if (HAS_WZP) MMA_SS(sacc[i], af[i], ones, mma_scratch[warp], lane);
      }
    }
#if !ONE_GROUP
    if ((k0 + KWG) % GS == 0) {  // end of a weight group: rescale in group order, like the reference
      const int grp = k0 / GS;
      for (int j = 0; j < TN; ++j)
        for (int e = 0; e < 2; ++e) {  // per-column parameters read once per lane and column
          const int n = min(n0 + cbase + j * 8 + 2 * t + e, N - 1), slot = (cg_index * N + n) * G + grp;
          const int zw = HAS_WZP ? wzp[slot] : 0, c = corr[slot];
          const float scale = wscale[slot];
          for (int i = 0; i < TM; ++i)
            for (int h = 0; h < 2; ++h) {  // rows g and g + 8
              int v = acc[i][j][2 * h + e];
              if (HAS_WZP) v -= zw * sacc[i][2 * h];
              v += c;
              out[i][j][2 * h + e] += (float)v * scale;
              acc[i][j][2 * h + e] = 0;
            }
        }
      for (int i = 0; i < TM; ++i)
        for (int e = 0; e < 4; ++e) sacc[i][e] = 0;
    }
#endif
  }
#if ONE_GROUP
  // One weight group: rescaled once here, so no float accumulators live through the K loop
  // (0.0f + x as the group sum of the reference, which starts from +0).
  int zwv[TN][2], cv[TN][2];
  float sv[TN][2];
  for (int j = 0; j < TN; ++j)
    for (int e = 0; e < 2; ++e) {
      const int n = min(n0 + cbase + j * 8 + 2 * t + e, N - 1), slot = cg_index * N + n;
      zwv[j][e] = HAS_WZP ? wzp[slot] : 0;
      cv[j][e] = corr[slot];
      sv[j][e] = wscale[slot];
    }
#endif
  for (int i = 0; i < TM; ++i)
    for (int h = 0; h < 2; ++h) {
      const int m = m0 + rbase + i * 16 + g + 8 * h;
      if (m >= M) continue;
      for (int j = 0; j < TN; ++j)
        for (int e = 0; e < 2; ++e) {
          const int n = n0 + cbase + j * 8 + 2 * t + e;
          if (n >= N) continue;
#if ONE_GROUP
          int v = acc[i][j][2 * h + e];
          if (HAS_WZP) v -= zwv[j][e] * sacc[i][2 * h];
          const float r = 0.0f + (float)(v + cv[j][e]) * sv[j][e];
#else
          const float r = out[i][j][2 * h + e];
#endif
          const int ch = cg_index * N + n, idx = out_index(m, ch, Ntot, P);
          octet_store(y, r, ch, idx, EPI_ARGS);  // floats, or codes when the node writes them
        }
    }
}
