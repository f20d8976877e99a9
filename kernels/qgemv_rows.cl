// The GEMV family for M <= 16 rows (batch-1 and small-batch decode), bandwidth-bound:
//   qgemv_rows  compressed weights (i8/u8/i4/u4, per-channel or grouped scales and zero points)
//               against int8 activation codes (bit-exact integer path) or f32 activations;
//   gemv_f32    f32 weights (stored as f32, or as half when every value is a half exactly).
// A work-group computes NPW output channels for all M rows. K is walked in chunks of KC = LK * LS
// elements: the M x KC activations of the chunk are staged once per work-group in local memory
// and shared by its NPW channels, while each of the LK lanes of a channel reads U 16-byte weight
// words that the host repacked so that adjacent lanes read adjacent words (one contiguous
// NPW * U * LK * 16-byte block per chunk and work-group). Each weight word is used for every row.
//
// Weights, per block b of NPW channels (padded with zero channels), chunk c, channel nl, word u,
// lane lk: the 16-byte word at (((b * NC + c) * NPW + nl) * U + u) * LK + lk holds elements
// k = c * KC + lk * LS + u * EPW + e, e < EPW (EPW = 16 for 8-bit: byte e; 32 for 4-bit: byte j
// holds element j in the low and element 16 + j in the high nibble, so unpacking is one mask and
// one shift per 16 elements). Past K the words are zero and the staged activations are 0.
//
// Integer path (quantized_linear.cl's algebra): acc = sum a'w - zw * sum a' + corr. A lane's LS
// elements lie in one weight group; a group spans LPG lanes (a power of two) for CPG chunks. At
// the end of a group period the lanes' partial sums are reduced exactly as a tree in local memory
// and one owner lane per (channel, row) adds the scaled group results in group order, like the
// reference: outputs are bit-exact wherever the epilogue is. Float path: each lane scales its own
// group sums and the lanes are summed as a tree (float tolerance, like every float path).
//
// Options: -DGV_WG (work-group size), -DGV_NPW (channels per work-group; LK = WG / NPW lanes per
// channel, a power of two), -DGV_U (words per lane and chunk), -DGV_MR (most rows; NPW * MR <= WG
// owner lanes), -DGV_UNROLL, -DW_KIND=0..3, -DOCTET_DOT, -DA_FLOAT as quantized_linear.cl; -DFLOAT_W
// with -DW_HALF for gemv_f32.
#pragma OPENCL FP_CONTRACT OFF
#include "common/dot4.clh"

#include "common/qepilogue.clh"

#ifndef GV_WG
#define GV_WG 64
#endif
#ifndef GV_NPW
#define GV_NPW 4
#endif
#ifndef GV_U
#define GV_U 1
#endif
#ifndef GV_MR
#define GV_MR 16
#endif
#define GV_LK (GV_WG / GV_NPW)
// -DGV_UNROLL (GPUs): loops over rows fully unrolled so that the rows' accumulators stay in
// registers; CPU devices build faster without (PoCL's compile time grows several-fold with it).
#ifdef GV_UNROLL
#define GV_ROWS_LOOP _Pragma("unroll")
#else
#define GV_ROWS_LOOP
#endif

#ifdef FLOAT_W
// ---- f32 weights: 16-byte words of 4 floats (or 8 halves), same interleave, no groups ----
#ifdef W_HALF
#define GV_EPW 8
#else
#define GV_EPW 4
#endif
#define GV_LS (GV_U * GV_EPW)
#define GV_KC (GV_LK * GV_LS)

// global: (WG * ceil(N / NPW)), local: (WG). Rows of A at a + m * K; y[m * N + n].
__kernel __attribute__((reqd_work_group_size(GV_WG, 1, 1))) void gemv_f32(__global const float* a,
                                                                          __global const uint4* w,
                                                                          __global float* y, int M, int N,
                                                                          int K, int NC) {
  __local float4 act[GV_MR * GV_KC / 4];
  __local float red[GV_NPW][GV_MR][GV_LK];
  const int lid = get_local_id(0), lk = lid % GV_LK, nl = lid / GV_LK, b = get_group_id(0);
  float4 acc[GV_MR];
GV_ROWS_LOOP
  for (int m = 0; m < GV_MR; ++m) acc[m] = 0.0f;
  __global const uint4* wb = w + (size_t)b * NC * GV_NPW * GV_U * GV_LK + nl * GV_U * GV_LK + lk;
  for (int c = 0; c < NC; ++c) {
    const int k0 = c * GV_KC;
    __global const uint4* wc = wb + (size_t)c * GV_NPW * GV_U * GV_LK;
    uint4 words[GV_U];  // in flight while the activations are staged
    for (int u = 0; u < GV_U; ++u) words[u] = wc[u * GV_LK];
    for (int i = lid; i < M * (GV_KC / 4); i += GV_WG) {
      int m = i / (GV_KC / 4), kk = (i % (GV_KC / 4)) * 4, k = k0 + kk;
      __global const float* src = a + m * K + k;
      float4 v;
      if (k + 4 <= K) {
        v = vload4(0, src);
      } else {
        v.s0 = k < K ? src[0] : 0.0f;
        v.s1 = k + 1 < K ? src[1] : 0.0f;
        v.s2 = k + 2 < K ? src[2] : 0.0f;
        v.s3 = 0.0f;
      }
      act[i] = v;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int u = 0; u < GV_U; ++u) {
      uint4 word = words[u];
      const int e0 = lk * GV_LS + u * GV_EPW;
#ifdef W_HALF
      // vload_half8 of the word's 8 halves, through private memory (no cl_khr_fp16 needed).
      uint4 wp = word;
      float8 wv = vload_half8(0, (const __private half*)&wp);
GV_ROWS_LOOP
      for (int m = 0; m < GV_MR; ++m) {
        if (m >= M) continue;  // unrolled: the rows' accumulators stay in registers
        float4 a0 = act[(m * GV_KC + e0) / 4], a1 = act[(m * GV_KC + e0) / 4 + 1];
        acc[m] = fma(a0, wv.lo, acc[m]);
        acc[m] = fma(a1, wv.hi, acc[m]);
      }
#else
      float4 wv = as_float4(word);
GV_ROWS_LOOP
      for (int m = 0; m < GV_MR; ++m) {
        if (m >= M) continue;
        acc[m] = fma(act[(m * GV_KC + e0) / 4], wv, acc[m]);
      }
#endif
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
GV_ROWS_LOOP
  for (int m = 0; m < GV_MR; ++m)
    if (m < M) red[nl][m][lk] = (acc[m].s0 + acc[m].s1) + (acc[m].s2 + acc[m].s3);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = GV_LK / 2; s > 0; s >>= 1) {
    if (lk < s)
      for (int m = 0; m < GV_MR && m < M; ++m) red[nl][m][lk] += red[nl][m][lk + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid < GV_NPW * GV_MR) {
    const int on = lid / GV_MR, om = lid % GV_MR, n = b * GV_NPW + on;
    if (om < M && n < N) y[om * N + n] = red[on][om][0];
  }
}

#else
// ---- compressed weights ----
#if W_KIND >= 2
#define GV_EPW 32
#else
#define GV_EPW 16
#endif
#define GV_LS (GV_U * GV_EPW)
#define GV_KC (GV_LK * GV_LS)

#if W_KIND == 0 || W_KIND == 2
typedef char16 wv16_t;
#define DOTW16 DOT16_SS
#else
typedef uchar16 wv16_t;
#define DOTW16 DOT16_SU
#endif

// The word's elements 0..15 and 16..31 (4-bit) or 0..15 (8-bit, lo only).
inline void unpack_word(uint4 word, wv16_t* lo, wv16_t* hi) {
  uchar16 bytes = as_uchar16(word);
#if W_KIND == 0
  *lo = as_char16(bytes);
#elif W_KIND == 1
  *lo = bytes;
#elif W_KIND == 2
  *lo = as_char16(bytes << (uchar16)4) >> (char16)4;  // sign-extend the low nibbles
  *hi = as_char16(bytes) >> (char16)4;
#else
  *lo = bytes & (uchar16)15;
  *hi = bytes >> (uchar16)4;
#endif
}

#define GV_ACT_VEC 16  // activations per staged vector
#ifdef A_FLOAT
typedef float part_t;
typedef float16 act_vec_t;
typedef __global const float* gv_act_ptr;
#else
typedef int part_t;
typedef uint4 act_vec_t;
typedef __global const char* gv_act_ptr;
#endif

// global: (WG * ceil(N / NPW)), local: (WG). Chunks NC; group periods of CPG chunks; a group
// spans LPG lanes, GPP groups per period. Row m of A at a + m * K; output through out_index.
__kernel __attribute__((reqd_work_group_size(GV_WG, 1, 1))) void qgemv_rows(
    gv_act_ptr a, __global const uint4* w, __global const float* wscale, __global const short* wzp,
    __global const int* corr, __global float* y, int M, int N, int K, int G, int P, int NC, int CPG, int LPG,
    int GPP, EPI_PARAMS) {
  __local act_vec_t act[GV_MR * GV_KC / GV_ACT_VEC];
  __local part_t red[GV_NPW][GV_MR][GV_LK];
  const int lid = get_local_id(0), lk = lid % GV_LK, nl = lid / GV_LK, b = get_group_id(0);
  const int n = b * GV_NPW + nl;  // this lane's channel (>= N: zero weights, nothing stored)
  const int on = lid / GV_MR, om = lid % GV_MR, owner_n = b * GV_NPW + on;
  const bool owner = lid < GV_NPW * GV_MR && om < M && owner_n < N;
  float result = 0.0f;  // the owner's (owner_n, om) output, group results added in order
#ifdef A_FLOAT
  float4 facc[GV_MR];
  float lane_out[GV_MR];
GV_ROWS_LOOP
  for (int m = 0; m < GV_MR; ++m) facc[m] = 0.0f, lane_out[m] = 0.0f;
#else
  int acc[GV_MR], asum[GV_MR];
GV_ROWS_LOOP
  for (int m = 0; m < GV_MR; ++m) acc[m] = asum[m] = 0;
#endif
  __global const uint4* wb = w + (size_t)b * NC * GV_NPW * GV_U * GV_LK + nl * GV_U * GV_LK + lk;
  for (int c = 0; c < NC; ++c) {
    const int k0 = c * GV_KC;
    // The lane's weight words first: their loads are in flight while the activations are staged.
    __global const uint4* wc = wb + (size_t)c * GV_NPW * GV_U * GV_LK;
    uint4 words[GV_U];
    for (int u = 0; u < GV_U; ++u) words[u] = wc[u * GV_LK];
    // Stage the chunk's activations of the M rows (zero past K).
    for (int i = lid; i < M * (GV_KC / GV_ACT_VEC); i += GV_WG) {
      int m = i / (GV_KC / GV_ACT_VEC), kk = (i % (GV_KC / GV_ACT_VEC)) * GV_ACT_VEC, k = k0 + kk;
#ifdef A_FLOAT
      __global const float* src = a + m * K + k;
      float16 v = 0.0f;
      if (k + 16 <= K) {
        v = vload16(0, src);
      } else {
        float vals[16];
        for (int j = 0; j < 16; ++j) vals[j] = k + j < K ? src[j] : 0.0f;
        v = vload16(0, vals);
      }
      act[i] = v;
#else
      __global const char* src = a + m * K + k;
      char16 v = (char16)0;
      if (k + 16 <= K) {
        v = vload16(0, src);
      } else {
        char vals[16];
        for (int j = 0; j < 16; ++j) vals[j] = k + j < K ? src[j] : (char)0;
        v = vload16(0, vals);
      }
      act[i] = as_uint4(v);
#endif
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    const int g = (c / CPG) * GPP + lk / LPG;  // this lane's weight group
    const int slot = n * G + g;
    const bool zp_any = wzp != 0, has_zp = zp_any && n < N && g < G;
#ifdef A_FLOAT
    const float zw = has_zp ? (float)wzp[slot] : 0.0f;
#endif
    for (int u = 0; u < GV_U; ++u) {
      wv16_t lo, hi;
      unpack_word(words[u], &lo, &hi);
      const int v0 = (lk * GV_LS + u * GV_EPW) / GV_ACT_VEC;  // staged vector of element 0
#ifdef A_FLOAT
      float16 wlo = convert_float16(lo) - (float16)zw;
#if W_KIND >= 2
      float16 whi = convert_float16(hi) - (float16)zw;
#endif
GV_ROWS_LOOP
      for (int m = 0; m < GV_MR; ++m) {
        if (m >= M) continue;
        const int row = m * (GV_KC / GV_ACT_VEC) + v0;
        float16 p = act[row] * wlo;
#if W_KIND >= 2
        p = fma(act[row + 1], whi, p);
#endif
        float8 h = p.lo + p.hi;
        facc[m] += h.lo + h.hi;
      }
#else
GV_ROWS_LOOP
      for (int m = 0; m < GV_MR; ++m) {
        if (m >= M) continue;
        const int row = m * (GV_KC / GV_ACT_VEC) + v0;
        char16 a0 = as_char16(act[row]);
        DOT16_ACC_T t = DOTW16(DOT16_ZERO, a0, lo);
#if W_KIND >= 2
        char16 a1 = as_char16(act[row + 1]);
        t = DOTW16(t, a1, hi);
#endif
        acc[m] += DOT16_SUM(t);
        if (zp_any) {  // the activation sums only where weights have zero points
          DOT16_ACC_T s = DOT16_SS(DOT16_ZERO, a0, (char16)1);
#if W_KIND >= 2
          s = DOT16_SS(s, a1, (char16)1);
#endif
          asum[m] += DOT16_SUM(s);
        }
      }
#endif
    }
    const bool period_end = (c + 1) % CPG == 0 || c + 1 == NC;
#ifdef A_FLOAT
    if (period_end) {
      const float s = n < N && g < G ? wscale[slot] : 0.0f;
GV_ROWS_LOOP
      for (int m = 0; m < GV_MR; ++m) {
        float4 v = facc[m];
        lane_out[m] += ((v.s0 + v.s1) + (v.s2 + v.s3)) * s;
        facc[m] = 0.0f;
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);  // the next chunk's staging overwrites act
#else
    barrier(CLK_LOCAL_MEM_FENCE);  // act read by every lane before anything is restaged
    if (period_end) {
      const int zw = has_zp ? wzp[slot] : 0;
GV_ROWS_LOOP
      for (int m = 0; m < GV_MR; ++m) {
        if (m >= M) continue;
        red[nl][m][lk] = acc[m] - zw * asum[m];
        acc[m] = asum[m] = 0;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
      for (int s = 1; s < LPG; s <<= 1) {  // exact integer tree within each group's lanes
        if ((lk & (2 * s - 1)) == 0)
    GV_ROWS_LOOP
          for (int m = 0; m < GV_MR; ++m) {
            if (m >= M) continue;
            red[nl][m][lk] += red[nl][m][lk + s];
          }
        barrier(CLK_LOCAL_MEM_FENCE);
      }
      // Each group's head lane scales its group (in parallel, scale and correction read once per
      // group and channel) and leaves the float's bits in its slot; the owners then add the
      // group results in group order.
      if ((lk & (LPG - 1)) == 0 && n < N && g < G) {
        const float s = wscale[slot];
        const int cr = corr[slot];
  GV_ROWS_LOOP
        for (int m = 0; m < GV_MR; ++m) {
          if (m >= M) continue;
          red[nl][m][lk] = as_int((float)(red[nl][m][lk] + cr) * s);
        }
      }
      barrier(CLK_LOCAL_MEM_FENCE);
      if (owner)
        for (int gi = 0; gi < GPP; ++gi) {
          if ((c / CPG) * GPP + gi >= G) break;
          result += as_float(red[on][om][gi * LPG]);
        }
      barrier(CLK_LOCAL_MEM_FENCE);  // red read by the owners before the next period writes it
    }
#endif
  }
#ifdef A_FLOAT
GV_ROWS_LOOP
  for (int m = 0; m < GV_MR; ++m)
    if (m < M) red[nl][m][lk] = lane_out[m];
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = GV_LK / 2; s > 0; s >>= 1) {
    if (lk < s)
      for (int m = 0; m < GV_MR && m < M; ++m) red[nl][m][lk] += red[nl][m][lk + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (owner) result = red[on][om][0];
#endif
  if (owner) {
    int idx = out_index(om, owner_n, N, P);
    octet_store(y, result, owner_n, idx, EPI_ARGS);
  }
}
#endif

// ---- the device copy the GEMV benchmark (tools/bench/gemv_bench.cpp) measures next to it ----
// global: (words / 4): each work-item copies 4 16-byte words, adjacent work-items adjacent words.
__kernel void gemv_bench_copy(__global const uint4* src, __global uint4* dst, int words) {
  const int i = get_global_id(0), n = get_global_size(0);
  for (int j = 0; j < 4; ++j)
    if (i + j * n < words) dst[i + j * n] = src[i + j * n];
}
