// The tiled int8 GEMM core of QuantizedMatMul and QuantizedConvolution (1x1 as a GEMM over
// channels-last codes, kxk as an implicit GEMM): a work-group computes an MWG x NWG tile of C,
// walking K in KWG slices that it stages in local memory with cooperative 16-byte loads; each
// work-item keeps an MWI x NWI block of int32 accumulators and feeds DOT4 from registers.
// Integer arithmetic as in quantized_linear.cl (same zero-point algebra, same epilogue):
//   acc = sum a'w - zw * sum a' + corr,   corr = (128 - zp) * sum (w - zw)   (host-computed)
// so outputs are bit-exact against the integer reference.
//
// Weights (packed once on the host, runtime/opencl/ops/quantized_tiled.cpp): per convolution group,
// Kp/4 rows (8-bit) or Kp/8 rows (4-bit) of Np words; word n of row r holds output channel n's
// elements 4r..4r+3 (8-bit, one per byte) or 8r..8r+7 (4-bit: byte j = element j in the low
// nibble, element 4 + j in the high nibble). Kp and Np are padded with zero weights to whole
// tiles, so weight loads need no guards and are 16-byte aligned words.
//
// Options: -DMWG -DNWG -DKWG (tile), -DMWI -DNWI (register block; work-group NWG/NWI x MWG/MWI),
// -DW_KIND=0..3 (i8, u8, i4, u4), -DOCTET_DOT (common/dot4.clh), -DA_LOAD=16|4|1 (bytes per
// activation load: 16 and 4 need rows and channel offsets aligned to it), -DHAS_WZP (weights
// have zero points: the activation sums are computed only then), -DSPLIT=<S> (S > 1: split-K,
// int32 partial sums to a scratch buffer, reduced by qgemm_tiled_reduce), -DCONV with the
// geometry -DQT_H, QT_W, QT_C, QT_ICG, QT_OH, QT_OW, QT_KW, QT_SH, QT_SW, QT_DH, QT_DW, QT_PH,
// QT_PW (implicit GEMM: row m = output pixel (b, oy, ox), k = (ky, kx, c) of the channels-last
// input, out-of-image taps read the zero point's code).
#pragma OPENCL FP_CONTRACT OFF
#include "common/dot4.clh"
#include "common/qepilogue.clh"

#define MDIMC (MWG / MWI)
#define NDIMC (NWG / NWI)
#define THREADS (MDIMC * NDIMC)
#define K4 (KWG / 4)
#if W_KIND >= 2
#define WROWS (KWG / 8)
#else
#define WROWS (KWG / 4)
#endif
#ifndef SPLIT
#define SPLIT 1
#endif
#ifndef HAS_WZP
#define HAS_WZP 0
#endif

#if W_KIND == 0 || W_KIND == 2
typedef char4 wq4_t;
#define DOTW DOT4_SS
#define AS_WQ4 as_char4
#else
typedef uchar4 wq4_t;
#define DOTW DOT4_SU
#define AS_WQ4 as_uchar4
#endif

#include "common/qgemm_loads.clh"

// Stages the A slice [m0, m0 + MWG) x [k0, k0 + KWG) into als[k/4][m].
inline void stage_a(__local uint (*als)[MWG], __global const char* a, int m0, int k0, int M, int K, int cg,
                    int pad_code, int lid) {
#if A_LOAD == 16
  for (int idx = lid; idx < MWG * (KWG / 16); idx += THREADS) {
    int r = idx % MWG, c = idx / MWG;  // adjacent work-items: adjacent rows of one K chunk
    uint4 v = load_a16(a, m0 + r, k0 + c * 16, M, K, cg, pad_code);
    als[c * 4 + 0][r] = v.s0;
    als[c * 4 + 1][r] = v.s1;
    als[c * 4 + 2][r] = v.s2;
    als[c * 4 + 3][r] = v.s3;
  }
#else
  for (int idx = lid; idx < MWG * K4; idx += THREADS) {
    int r = idx % MWG, c = idx / MWG;
    als[c][r] = load_a4(a, m0 + r, k0 + c * 4, M, K, cg, pad_code);
  }
#endif
}

// Stages the weight slice: WROWS rows of NWG words, as 16-byte words (NWG % 4 == 0).
inline void stage_w(__local uint (*wls)[NWG], __global const uint4* w, int row0, int Np, int n0, int lid) {
  for (int idx = lid; idx < WROWS * (NWG / 4); idx += THREADS) {
    int r = idx / (NWG / 4), c = idx % (NWG / 4);
    uint4 v = w[((row0 + r) * Np + n0) / 4 + c];
    wls[r][c * 4 + 0] = v.s0;
    wls[r][c * 4 + 1] = v.s1;
    wls[r][c * 4 + 2] = v.s2;
    wls[r][c * 4 + 3] = v.s3;
  }
}

#if W_KIND >= 2
// 8 weights of a 4-bit word: elements 0..3 in the low nibbles, 4..7 in the high ones.
inline void unpack8(uint word, wq4_t* lo, wq4_t* hi) {
  uchar4 l = as_uchar4(word & 0x0F0F0F0Fu), h = as_uchar4((word >> 4) & 0x0F0F0F0Fu);
#if W_KIND == 2
  *lo = as_char4(l << (uchar4)4) >> (char4)4;  // sign-extend the nibbles
  *hi = as_char4(h << (uchar4)4) >> (char4)4;
#else
  *lo = l;
  *hi = h;
#endif
}
#endif

// One K slice from local memory into the register block.
#define COMPUTE_SLICE()                                                                 \
  for (int kk = 0; kk < WROWS; ++kk) {                                                  \
    wq4_t wv[NWI], wv2[NWI];                                                            \
    for (int j = 0; j < NWI; ++j) UNPACK_W(wls[kk][tx + j * NDIMC], &wv[j], &wv2[j]);   \
    for (int i = 0; i < MWI; ++i) {                                                     \
      char4 av = as_char4(als[AROW0(kk)][ty + i * MDIMC]);                              \
      for (int j = 0; j < NWI; ++j) acc[i][j] = DOTW(acc[i][j], av, wv[j]);             \
      if (HAS_WZP) sa[i] = DOT4_SS(sa[i], av, (char4)1);                                \
      SECOND_HALF(i)                                                                    \
    }                                                                                   \
  }
#if W_KIND >= 2
#define UNPACK_W(word, lo, hi) unpack8((word), (lo), (hi))
#define AROW0(kk) (2 * (kk))
#define SECOND_HALF(i)                                                                  \
  {                                                                                     \
    char4 av2 = as_char4(als[2 * kk + 1][ty + i * MDIMC]);                              \
    for (int j = 0; j < NWI; ++j) acc[i][j] = DOTW(acc[i][j], av2, wv2[j]);             \
    if (HAS_WZP) sa[i] = DOT4_SS(sa[i], av2, (char4)1);                                 \
  }
#else
#define UNPACK_W(word, lo, hi) (*(lo) = AS_WQ4(word))
#define AROW0(kk) (kk)
#define SECOND_HALF(i)
#endif

// global: (ceil(N / NWG) * NDIMC, ceil(M / MWG) * MDIMC, groups * SPLIT), local (NDIMC, MDIMC, 1).
// Row m of A at a + m*K (MatMul, 1x1) or the implicit-GEMM rows (CONV); output (m, cg*N + n) at
// out_index(m, n, Ntot, P). G weight groups of GS elements (G == 1: GS == Kp; else KWG | GS).
// SPLIT > 1: split s covers K elements [s*KS, (s+1)*KS) and writes int32 partial sums (less the
// zero-point term) to scratch[(s * Mp + m) * Np + n]; no epilogue.
__kernel __attribute__((reqd_work_group_size(NDIMC, MDIMC, 1))) void qgemm_tiled(
    __global const char* a, __global const uint4* w, __global const float* wscale, __global const short* wzp,
    __global const int* corr, __global float* y, __global int* scratch, int M, int N, int K, int Kp, int Np,
    int G, int GS, int P, int Ntot, int KS, int pad_code, EPI_PARAMS) {
  __local uint als[K4][MWG];
  __local uint wls[WROWS][NWG];
  const int tx = get_local_id(0), ty = get_local_id(1), lid = ty * NDIMC + tx;
  const int n0 = get_group_id(0) * NWG, m0 = get_group_id(1) * MWG;
#if SPLIT > 1
  const int s = get_group_id(2), cg_index = 0;
  const int kbeg = s * KS, kend = min(Kp, kbeg + KS);
#else
  const int cg_index = get_group_id(2);
  const int kbeg = 0, kend = Kp;
#endif
#ifdef CONV
  const int cg = cg_index * QT_ICG;  // first input channel of the convolution group
#else
  const int cg = 0;
#endif
  __global const uint4* wg = w + (size_t)cg_index * (Kp / (W_KIND >= 2 ? 8 : 4)) * Np / 4;

  DOT4_ACC_T acc[MWI][NWI], sa[MWI];
  float out[MWI][NWI];
  for (int i = 0; i < MWI; ++i) {
    sa[i] = DOT4_ZERO;
    for (int j = 0; j < NWI; ++j) {
      acc[i][j] = DOT4_ZERO;
      out[i][j] = 0.0f;
    }
  }
  for (int k0 = kbeg; k0 < kend; k0 += KWG) {
    barrier(CLK_LOCAL_MEM_FENCE);  // the previous slice is consumed
    stage_a(als, a, m0, k0, M, K, cg, pad_code, lid);
    stage_w(wls, wg, k0 / (W_KIND >= 2 ? 8 : 4), Np, n0, lid);
    barrier(CLK_LOCAL_MEM_FENCE);
    COMPUTE_SLICE()
#if SPLIT == 1
    if ((k0 + KWG) % GS == 0) {  // end of a weight group: rescale in group order, like the reference
      const int g = k0 / GS;
      int sum_a[MWI];
      for (int i = 0; i < MWI; ++i) {
        sum_a[i] = HAS_WZP ? DOT4_SUM(sa[i]) : 0;
        sa[i] = DOT4_ZERO;
      }
      for (int j = 0; j < NWI; ++j) {  // per-column parameters read once per register block
        const int n = min(n0 + tx + j * NDIMC, N - 1), slot = (cg_index * N + n) * G + g;
        const int zw = HAS_WZP ? wzp[slot] : 0, c = corr[slot];
        const float scale = wscale[slot];
        for (int i = 0; i < MWI; ++i) {
          int v = DOT4_SUM(acc[i][j]);
          if (HAS_WZP) v -= zw * sum_a[i];
          v += c;
          out[i][j] += (float)v * scale;
          acc[i][j] = DOT4_ZERO;
        }
      }
    }
#endif
  }
  for (int i = 0; i < MWI; ++i) {
    const int m = m0 + ty + i * MDIMC;
#if SPLIT > 1
    const int Mp = get_num_groups(1) * MWG;
    const int sum_a = HAS_WZP ? DOT4_SUM(sa[i]) : 0;
    for (int j = 0; j < NWI; ++j) {
      const int n = n0 + tx + j * NDIMC;
      int v = DOT4_SUM(acc[i][j]);
      if (HAS_WZP) v -= wzp[min(n, N - 1)] * sum_a;
      scratch[(s * Mp + m) * Np + n] = v;  // padded rows/columns too: no guards needed
    }
#else
    if (m >= M) continue;
    for (int j = 0; j < NWI; ++j) {
      const int n = n0 + tx + j * NDIMC;
      if (n >= N) continue;
      const int ch = cg_index * N + n, idx = out_index(m, ch, Ntot, P);
      octet_store(y, out[i][j], ch, idx, EPI_ARGS);
    }
#endif
  }
}

#if SPLIT > 1
// Second pass of split-K: sums the SPLIT partials of (m, n) in integers (exact in any order), then
// the correction, scale and epilogue. One weight group, one convolution group. global: (N, M).
__kernel void qgemm_tiled_reduce(__global const float* wscale, __global const int* corr, __global float* y,
                                 __global const int* scratch, int M, int N, int Mp, int Np, int P, EPI_PARAMS) {
  const int n = get_global_id(0), m = get_global_id(1);
  int v = corr[n];
  for (int s = 0; s < SPLIT; ++s) v += scratch[(s * Mp + m) * Np + n];
  const int idx = out_index(m, n, N, P);
  octet_store(y, 0.0f + (float)v * wscale[n], n, idx, EPI_ARGS);
}
#endif
