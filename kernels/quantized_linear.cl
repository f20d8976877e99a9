// Integer QuantizedMatMul / QuantizedConvolution (host/graph/quantized_linear.h): i8 activation
// codes a' = level - 128 times compressed weights (i8/u8/i4/u4, unpacked in registers), with the
// zero points folded in exactly:
//   acc = sum a'w - zw * sum a' + corr,   corr = (128 - zp) * sum (w - zw)   (host-computed)
// since a = a' + 128 - zp and c = w - zw; padded convolution taps read a' = zp - 128 (a = 0).
// Group results are summed in float in group order, like the reference, so outputs are
// bit-exact for exact post-ops. With -DA_FLOAT the activations are f32 (weight-only models).
//
// Options: -DW_KIND=0..3 (i8, u8, i4, u4), -DOCTET_DOT=0..2 (common/dot4.clh), -DWG=<GEMV
// work-group size>, -DA_FLOAT; -cl-fp32-correctly-rounded-divide-sqrt (output FQ).
#pragma OPENCL FP_CONTRACT OFF
#include "common/dot4.clh"

#include "common/qepilogue.clh"

#ifndef W_KIND
#define W_KIND 0
#endif
#define MR 4  // most GEMV rows; loops over rows stop at M
#ifndef WG
#define WG 64
#endif

// ---- weights: quads (k a multiple of 4 within the row) and single elements ----
#if W_KIND == 0 || W_KIND == 2
typedef char4 wq4_t;
typedef char16 wq16_t;
#define DOTW DOT4_SS
#define DOTW16 DOT16_SS
#else
typedef uchar4 wq4_t;
typedef uchar16 wq16_t;
#define DOTW DOT4_SU
#define DOTW16 DOT16_SU
#endif

#if W_KIND <= 1
inline wq4_t load_wq(__global const uchar* row, int k) {
#if W_KIND == 0
  return as_char4(vload4(0, row + k));
#else
  return vload4(0, row + k);
#endif
}
inline wq16_t load_wq16(__global const uchar* row, int k) {
#if W_KIND == 0
  return as_char16(vload16(0, row + k));
#else
  return vload16(0, row + k);
#endif
}
inline int load_w1(__global const uchar* row, int k) {
#if W_KIND == 0
  return (int)as_char(row[k]);
#else
  return (int)row[k];
#endif
}
#else
// 4-bit: element k of a row in the low nibble of byte k/2 when k is even (rows start on a byte).
inline wq4_t load_wq(__global const uchar* row, int k) {
  uchar2 b = vload2(0, row + (k >> 1));
  uchar4 u = (uchar4)(b.s0 & (uchar)15, b.s0 >> 4, b.s1 & (uchar)15, b.s1 >> 4);
#if W_KIND == 2
  return as_char4(u << (uchar4)4) >> (char4)4;  // sign-extend the nibbles
#else
  return u;
#endif
}
// 16 elements from k (k even): 8 bytes, low nibbles first.
inline wq16_t load_wq16(__global const uchar* row, int k) {
  uchar8 b = vload8(0, row + (k >> 1));
  uchar16 u = shuffle2(b & (uchar8)15, b >> (uchar8)4,
                       (uchar16)(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
#if W_KIND == 2
  return as_char16(u << (uchar16)4) >> (char16)4;
#else
  return u;
#endif
}
inline int load_w1(__global const uchar* row, int k) {
  int nib = (row[k >> 1] >> ((k & 1) * 4)) & 15;
#if W_KIND == 2
  return (nib ^ 8) - 8;
#else
  return nib;
#endif
}
#endif

#ifdef A_FLOAT
typedef __global const float* act_ptr;
#else
typedef __global const char* act_ptr;
#endif

// ---- tiled GEMM: 4 rows x 4 output channels per work-item ----
// global: (ceil(N/4), ceil(M/4)). Row m of A at a + m*K; row n of W at w + n*wstride (bytes);
// per (n, group) scale/zw/corr at [n*G + g]; G groups of GS elements (G == 1: GS == K).
__kernel void qgemm(act_ptr a, __global const uchar* w, __global const float* wscale,
                    __global const short* wzp, __global const int* corr, __global float* y, int M, int N,
                    int K, int G, int GS, int wstride, int P, EPI_PARAMS) {
  int n0 = get_global_id(0) * 4, m0 = get_global_id(1) * 4;
  act_ptr ar[4];
  __global const uchar* wr[4];
  int nc[4];
  for (int i = 0; i < 4; ++i) {  // clamped at the edges: loads stay in bounds, results unused
    ar[i] = a + min(m0 + i, M - 1) * K;
    nc[i] = min(n0 + i, N - 1);
    wr[i] = w + nc[i] * wstride;
  }
  float out[16];
  for (int i = 0; i < 16; ++i) out[i] = 0.0f;
  for (int g = 0; g < G; ++g) {
    int k0 = g * GS, kq = k0 + (GS & ~3), k1 = k0 + GS;
#ifdef A_FLOAT
    float4 acc[16];
    for (int i = 0; i < 16; ++i) acc[i] = 0.0f;
    float4 zw4[4];
    for (int j = 0; j < 4; ++j) zw4[j] = (float4)(wzp ? (float)wzp[nc[j] * G + g] : 0.0f);
    int k16 = k0 + (GS & ~15);
    float wide[16];
    {
      float16 acc16[16];
      for (int i = 0; i < 16; ++i) acc16[i] = 0.0f;
      for (int k = k0; k < k16; k += 16) {
        float16 av[4], wv[4];
        for (int i = 0; i < 4; ++i) av[i] = vload16(0, ar[i] + k);
        for (int j = 0; j < 4; ++j) wv[j] = convert_float16(load_wq16(wr[j], k)) - (float16)zw4[j].s0;
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) acc16[i * 4 + j] = fma(av[i], wv[j], acc16[i * 4 + j]);
      }
      for (int i = 0; i < 16; ++i) {
        float8 h = acc16[i].lo + acc16[i].hi;
        float4 q = h.lo + h.hi;
        wide[i] = (q.s0 + q.s1) + (q.s2 + q.s3);
      }
    }
    for (int k = k16; k < kq; k += 4) {
      float4 av[4], wv[4];
      for (int i = 0; i < 4; ++i) av[i] = vload4(0, ar[i] + k);
      for (int j = 0; j < 4; ++j) wv[j] = convert_float4(load_wq(wr[j], k)) - zw4[j];
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) acc[i * 4 + j] = fma(av[i], wv[j], acc[i * 4 + j]);
    }
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) {
        float4 v = acc[i * 4 + j];
        float s = (v.s0 + v.s1) + (v.s2 + v.s3) + wide[i * 4 + j];
        for (int k = kq; k < k1; ++k) s = fma(ar[i][k], (float)load_w1(wr[j], k) - zw4[j].s0, s);
        out[i * 4 + j] += s * wscale[nc[j] * G + g];
      }
#else
    // 16 elements a step (wide vectors for CPU devices), then quads, then single elements.
    int k16 = k0 + (GS & ~15);
    int wide[16], wide_a[4];
    {
      DOT16_ACC_T acc[16], sa[4];
      for (int i = 0; i < 16; ++i) acc[i] = DOT16_ZERO;
      for (int i = 0; i < 4; ++i) sa[i] = DOT16_ZERO;
      for (int k = k0; k < k16; k += 16) {
        char16 av[4];
        wq16_t wv[4];
        for (int i = 0; i < 4; ++i) av[i] = vload16(0, ar[i] + k);
        for (int j = 0; j < 4; ++j) wv[j] = load_wq16(wr[j], k);
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) acc[i * 4 + j] = DOTW16(acc[i * 4 + j], av[i], wv[j]);
        if (wzp)
          for (int i = 0; i < 4; ++i) sa[i] = DOT16_SS(sa[i], av[i], (char16)1);
      }
      for (int i = 0; i < 16; ++i) wide[i] = DOT16_SUM(acc[i]);
      for (int i = 0; i < 4; ++i) wide_a[i] = DOT16_SUM(sa[i]);
    }
    DOT4_ACC_T acc[16], sa[4];
    for (int i = 0; i < 16; ++i) acc[i] = DOT4_ZERO;
    for (int i = 0; i < 4; ++i) sa[i] = DOT4_ZERO;
    for (int k = k16; k < kq; k += 4) {
      char4 av[4];
      wq4_t wv[4];
      for (int i = 0; i < 4; ++i) av[i] = vload4(0, ar[i] + k);
      for (int j = 0; j < 4; ++j) wv[j] = load_wq(wr[j], k);
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) acc[i * 4 + j] = DOTW(acc[i * 4 + j], av[i], wv[j]);
      if (wzp)
        for (int i = 0; i < 4; ++i) sa[i] = DOT4_SS(sa[i], av[i], (char4)1);
    }
    for (int i = 0; i < 4; ++i) {
      int sum_a = DOT4_SUM(sa[i]) + wide_a[i];
      for (int k = kq; k < k1; ++k) sum_a += ar[i][k];
      for (int j = 0; j < 4; ++j) {
        int s = DOT4_SUM(acc[i * 4 + j]) + wide[i * 4 + j];
        for (int k = kq; k < k1; ++k) s += ar[i][k] * load_w1(wr[j], k);
        int slot = nc[j] * G + g;
        if (wzp) s -= wzp[slot] * sum_a;
        s += corr[slot];
        out[i * 4 + j] += (float)s * wscale[slot];
      }
    }
#endif
  }
  for (int i = 0; i < 4; ++i) {
    int m = m0 + i;
    if (m >= M) break;
    if (n0 + 4 <= N) {  // 4 whole channels: the epilogue on float4 (same operations per element)
      const int idx = out_index(m, n0, N, P), stride = P == 1 ? 1 : P;
      const float4 v = octet_epilogue4((float4)(out[i * 4], out[i * 4 + 1], out[i * 4 + 2], out[i * 4 + 3]), n0,
                                       idx, stride, EPI_ARGS);
      if (EPI_CODES && io.s0) {  // codes: the 4 channels are adjacent (channels last, or MatMul's rows)
        vstore4((char4)(octet_out_code(v.s0, codes_q), octet_out_code(v.s1, codes_q),
                        octet_out_code(v.s2, codes_q), octet_out_code(v.s3, codes_q)),
                0, (__global char *)y + octet_codes_index(idx, n0, io));
        continue;
      }
      y[idx] = v.s0;
      y[idx + stride] = v.s1;
      y[idx + 2 * stride] = v.s2;
      y[idx + 3 * stride] = v.s3;
      continue;
    }
    for (int j = 0; j < 4; ++j) {
      int n = n0 + j;
      if (n >= N) break;
      int idx = out_index(m, n, N, P);
      octet_store(y, out[i * 4 + j], n, idx, EPI_ARGS);
    }
  }
}

// ---- GEMV: M <= MR rows, one work-group of WG per output channel, reduction along K ----
// Chunks of GPC groups run at once, TPG = WG / GPC work-items per group; per-group partial sums
// are reduced exactly (integers) and their scaled results added in group order by work-item 0.
// global: (WG, N), local: (WG, 1).
#ifdef A_FLOAT
typedef float part_t;
#else
typedef int part_t;
#endif
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void qgemv(
    act_ptr a, __global const uchar* w, __global const float* wscale, __global const short* wzp,
    __global const int* corr, __global float* y, int M, int N, int K, int G, int GS, int wstride, int P, int GPC,
    EPI_PARAMS) {
  __local part_t red[MR][WG];
  __local float prod[MR][WG];
  int lid = get_local_id(0), n = get_global_id(1);
  int tpg = WG / GPC, slot = lid / tpg, part = lid % tpg;
  __global const uchar* wr = w + n * wstride;
  float out[MR];
  for (int i = 0; i < MR; ++i) out[i] = 0.0f;
  for (int c0 = 0; c0 < G; c0 += GPC) {
    int g = c0 + slot;
    part_t partial[MR];
    for (int i = 0; i < MR; ++i) partial[i] = 0;
    if (g < G) {
      int k0 = g * GS, kq = k0 + (GS & ~3), k1 = k0 + GS;
#ifdef A_FLOAT
      float zw = wzp ? (float)wzp[n * G + g] : 0.0f;
      int k16 = k0 + (GS & ~15);
      float16 acc16[MR];
      for (int i = 0; i < MR; ++i) acc16[i] = 0.0f;
      for (int k = k0 + part * 16; k < k16; k += tpg * 16) {
        float16 wv = convert_float16(load_wq16(wr, k)) - (float16)zw;
        for (int i = 0; i < MR; ++i)
          if (i < M) acc16[i] = fma(vload16(0, a + i * K + k), wv, acc16[i]);
      }
      float4 acc[MR];
      for (int i = 0; i < MR; ++i) {
        float8 h = acc16[i].lo + acc16[i].hi;
        acc[i] = h.lo + h.hi;
      }
      for (int k = k16 + part * 4; k < kq; k += tpg * 4) {
        float4 wv = convert_float4(load_wq(wr, k)) - (float4)zw;
        for (int i = 0; i < MR; ++i)
          if (i < M) acc[i] = fma(vload4(0, a + i * K + k), wv, acc[i]);
      }
      for (int i = 0; i < MR && i < M; ++i) {
        float s = (acc[i].s0 + acc[i].s1) + (acc[i].s2 + acc[i].s3);
        if (part == 0)
          for (int k = kq; k < k1; ++k) s = fma(a[i * K + k], (float)load_w1(wr, k) - zw, s);
        partial[i] = s;
      }
#else
      int k16 = k0 + (GS & ~15);
      int wide[MR], wide_a[MR];
      {
        DOT16_ACC_T acc[MR], sa[MR];
        for (int i = 0; i < MR; ++i) acc[i] = sa[i] = DOT16_ZERO;
        for (int k = k0 + part * 16; k < k16; k += tpg * 16) {
          wq16_t wv = load_wq16(wr, k);
          for (int i = 0; i < MR; ++i) {
            if (i >= M) break;
            char16 av = vload16(0, a + i * K + k);
            acc[i] = DOTW16(acc[i], av, wv);
            if (wzp) sa[i] = DOT16_SS(sa[i], av, (char16)1);
          }
        }
        for (int i = 0; i < MR; ++i) {
          wide[i] = DOT16_SUM(acc[i]);
          wide_a[i] = DOT16_SUM(sa[i]);
        }
      }
      DOT4_ACC_T acc[MR], sa[MR];
      for (int i = 0; i < MR; ++i) acc[i] = sa[i] = DOT4_ZERO;
      for (int k = k16 + part * 4; k < kq; k += tpg * 4) {
        wq4_t wv = load_wq(wr, k);
        for (int i = 0; i < MR; ++i) {
          if (i >= M) break;
          char4 av = vload4(0, a + i * K + k);
          acc[i] = DOTW(acc[i], av, wv);
          if (wzp) sa[i] = DOT4_SS(sa[i], av, (char4)1);
        }
      }
      int zw = wzp ? wzp[n * G + g] : 0;
      for (int i = 0; i < MR && i < M; ++i) {
        int s = DOT4_SUM(acc[i]) + wide[i], sum_a = DOT4_SUM(sa[i]) + wide_a[i];
        if (part == 0)
          for (int k = kq; k < k1; ++k) {
            int av = a[i * K + k];
            s += av * load_w1(wr, k);
            sum_a += av;
          }
        partial[i] = s - zw * sum_a;
      }
#endif
    }
    for (int i = 0; i < MR && i < M; ++i) red[i][lid] = partial[i];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (part == 0 && g < G) {
      int slot_index = n * G + g;
      for (int i = 0; i < MR && i < M; ++i) {
        part_t total = 0;
        for (int t = 0; t < tpg; ++t) total += red[i][lid + t];
#ifdef A_FLOAT
        prod[i][slot] = total * wscale[slot_index];
#else
        prod[i][slot] = (float)(total + corr[slot_index]) * wscale[slot_index];
#endif
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid == 0) {
      int count = min(GPC, G - c0);
      for (int i = 0; i < MR && i < M; ++i)
        for (int s = 0; s < count; ++s) out[i] += prod[i][s];
    }
  }
  if (lid == 0)
    for (int i = 0; i < MR && i < M; ++i) {
      int idx = out_index(i, n, N, P);
      octet_store(y, out[i], n, idx, EPI_ARGS);
    }
}

#ifdef A_FLOAT
// ---- float-activation (weight-only) direct convolution, NCHW input ----
// Weights [G*OCg][ICg][KH][KW] (8-bit); 4 output channels of one pixel per work-item; same
// arguments as qconv_direct (corr and pad_code unused: padding contributes 0.0).
// global: (OW, OH, N * G * OCB)
__kernel void qconv_float(__global const float* x, __global const uchar* w, __global const float* wscale,
                          __global const short* wzp, __global const int* corr, __global float* y, int C,
                          int ICg, int H, int W, int OCg, int OH, int OW, int KH, int KW, int SH, int SW,
                          int DH, int DW, int PH, int PW, int G, int OCB, int pad_code, EPI_PARAMS) {
  int ox = get_global_id(0), oy = get_global_id(1), z = get_global_id(2);
  int ocb = z % OCB, ng = z / OCB, g = ng % G, b = ng / G;
  int R = KH * KW * ICg;
  int oc[4];
  __global const uchar* wr[4];
  for (int j = 0; j < 4; ++j) {
    oc[j] = g * OCg + min(ocb * 4 + j, OCg - 1);
    wr[j] = w + oc[j] * R;
  }
  float4 zw = wzp ? (float4)(wzp[oc[0]], wzp[oc[1]], wzp[oc[2]], wzp[oc[3]]) : (float4)0.0f;
  float4 acc = 0.0f;
  int iy0 = oy * SH - PH, ix0 = ox * SW - PW;
  for (int ic = 0; ic < ICg; ++ic) {
    __global const float* xc = x + (size_t)((b * C) + g * ICg + ic) * H * W;
    for (int ky = 0; ky < KH; ++ky) {
      int iy = iy0 + ky * DH;
      if (iy < 0 || iy >= H) continue;
      for (int kx = 0; kx < KW; ++kx) {
        int ix = ix0 + kx * DW;
        if (ix < 0 || ix >= W) continue;
        int r = (ic * KH + ky) * KW + kx;
        float4 wv = (float4)(load_w1(wr[0], r), load_w1(wr[1], r), load_w1(wr[2], r), load_w1(wr[3], r)) - zw;
        acc = fma((float4)(xc[iy * W + ix]), wv, acc);
      }
    }
  }
  float accs[4] = {acc.s0, acc.s1, acc.s2, acc.s3};
  int plane = OH * OW;
  for (int j = 0; j < 4; ++j) {
    if (ocb * 4 + j >= OCg) break;
    int idx = (b * G * OCg + oc[j]) * plane + oy * OW + ox;
    octet_store(y, accs[j] * wscale[oc[j]], oc[j], idx, EPI_ARGS);
  }
}
#else
// ---- direct (group) convolution over channels-last codes [N, H, W, C], 2-D windows ----
// Weights [G*OCg][KH][KW][ICg] (8-bit); 4 output channels of one pixel per work-item; output NCHW.
// global: (OW, OH, N * G * OCB)
__kernel void qconv_direct(__global const char* x, __global const uchar* w, __global const float* wscale,
                           __global const short* wzp, __global const int* corr, __global float* y, int C,
                           int ICg, int H, int W, int OCg, int OH, int OW, int KH, int KW, int SH, int SW,
                           int DH, int DW, int PH, int PW, int G, int OCB, int pad_code, EPI_PARAMS) {
  int ox = get_global_id(0), oy = get_global_id(1), z = get_global_id(2);
  int ocb = z % OCB, ng = z / OCB, g = ng % G, b = ng / G;
  int R = KH * KW * ICg;
  int oc[4];
  __global const uchar* wr[4];
  for (int j = 0; j < 4; ++j) {
    oc[j] = g * OCg + min(ocb * 4 + j, OCg - 1);
    wr[j] = w + oc[j] * R;
  }
  DOT4_ACC_T acc[4] = {DOT4_ZERO, DOT4_ZERO, DOT4_ZERO, DOT4_ZERO}, sa = DOT4_ZERO;
  int acc_tail[4] = {0, 0, 0, 0}, sa_tail = 0;
  char4 pad4 = (char4)((char)pad_code);
  int cq = ICg & ~3;
  for (int ky = 0; ky < KH; ++ky) {
    int iy = oy * SH - PH + ky * DH;
    for (int kx = 0; kx < KW; ++kx) {
      int ix = ox * SW - PW + kx * DW;
      bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
      __global const char* xp = x + ((b * H + (inside ? iy : 0)) * W + (inside ? ix : 0)) * C + g * ICg;
      int wo = (ky * KW + kx) * ICg;
      for (int c = 0; c < cq; c += 4) {
        char4 av = inside ? vload4(0, xp + c) : pad4;
        for (int j = 0; j < 4; ++j) acc[j] = DOTW(acc[j], av, load_wq(wr[j], wo + c));
        sa = DOT4_SS(sa, av, (char4)1);
      }
      for (int c = cq; c < ICg; ++c) {
        int av = inside ? xp[c] : pad_code;
        for (int j = 0; j < 4; ++j) acc_tail[j] += av * load_w1(wr[j], wo + c);
        sa_tail += av;
      }
    }
  }
  int sum_a = DOT4_SUM(sa) + sa_tail;
  int plane = OH * OW;
  for (int j = 0; j < 4; ++j) {
    int o = ocb * 4 + j;
    if (o >= OCg) break;
    int s = DOT4_SUM(acc[j]) + acc_tail[j];
    if (wzp) s -= wzp[oc[j]] * sum_a;
    s += corr[oc[j]];
    int idx = (b * G * OCg + oc[j]) * plane + oy * OW + ox;
    octet_store(y, (float)s * wscale[oc[j]], oc[j], idx, EPI_ARGS);
  }
}

// ---- depthwise (ICg = OCg = 1): DW_VEC (4 or 16) channels of one pixel per work-item ----
// Channels-last codes in, DW_VEC consecutive channels per load (one 16-byte access with
// -DDW_VEC=16, taken when C is a multiple of 16); codes out (io.s0) as one DW_VEC-byte store at the
// channels-last position. Weights [KH][KW][Cp] (Cp = C rounded up to DW_VEC, zero-filled).
// global: (Cp / DW_VEC, OW, N * OH)
#ifndef DW_VEC
#define DW_VEC 4
#endif
#define DW_CAT_(a, b) a##b
#define DW_CAT(a, b) DW_CAT_(a, b)
#define DW_INT DW_CAT(int, DW_VEC)
#define DW_CHAR DW_CAT(char, DW_VEC)
#define DW_LOAD DW_CAT(vload, DW_VEC)
#define DW_STORE DW_CAT(vstore, DW_VEC)
#define DW_TO_INT DW_CAT(convert_int, DW_VEC)
#define DW_TO_CHAR DW_CAT(convert_char, DW_VEC)
__kernel void qconv_depthwise(__global const char* x, __global const uchar* w, __global const float* wscale,
                              __global const short* wzp, __global const int* corr, __global float* y, int C,
                              int Cp, int H, int W, int OH, int OW, int KH, int KW, int SH, int SW, int DH,
                              int DW, int PH, int PW, int pad_code, EPI_PARAMS) {
  int c0 = get_global_id(0) * DW_VEC, ox = get_global_id(1), z = get_global_id(2);
  int oy = z % OH, b = z / OH;
  DW_INT acc = 0, sa = 0;
  const DW_INT pad = (DW_INT)pad_code;
  bool full = c0 + DW_VEC <= C;
  for (int ky = 0; ky < KH; ++ky) {
    int iy = oy * SH - PH + ky * DH;
    for (int kx = 0; kx < KW; ++kx) {
      int ix = ox * SW - PW + kx * DW;
      DW_INT av = pad;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
        __global const char* xp = x + ((b * H + iy) * W + ix) * C + c0;
        if (full) {
          av = DW_TO_INT(DW_LOAD(0, xp));
        } else {
          int t[DW_VEC];
          for (int j = 0; j < DW_VEC; ++j) t[j] = c0 + j < C ? (int)xp[j] : pad_code;
          av = DW_LOAD(0, t);
        }
      }
      __global const uchar* wp = w + (ky * KW + kx) * Cp + c0;
#if W_KIND == 0 || W_KIND == 2
      DW_INT wv = DW_TO_INT(DW_CAT(as_char, DW_VEC)(DW_LOAD(0, wp)));
#else
      DW_INT wv = DW_TO_INT(DW_LOAD(0, wp));
#endif
      acc += av * wv;
      sa += av;
    }
  }
  int accs[DW_VEC], sas[DW_VEC];
  DW_STORE(acc, 0, accs);
  DW_STORE(sa, 0, sas);
  int plane = OH * OW;
  float v[DW_VEC];
  for (int j = 0; j < DW_VEC; ++j) {
    int c = min(c0 + j, C - 1);  // lanes past C repeat the last channel, never stored
    int s = accs[j];
    if (wzp) s -= wzp[c] * sas[j];
    s += corr[c];
    v[j] = octet_epilogue((float)s * wscale[c], c, (b * C + c) * plane + oy * OW + ox, EPI_ARGS);
  }
  if (EPI_CODES && io.s0) {  // channels-last codes: the DW_VEC channels are adjacent
    __global char* out = (__global char*)y + ((b * OH + oy) * OW + ox) * C + c0;
    if (full) {
      char t[DW_VEC];
      for (int j = 0; j < DW_VEC; ++j) t[j] = octet_out_code(v[j], codes_q);
      DW_STORE(DW_LOAD(0, t), 0, out);
    } else {
      for (int j = 0; c0 + j < C; ++j) out[j] = octet_out_code(v[j], codes_q);
    }
    return;
  }
  for (int j = 0; j < DW_VEC && c0 + j < C; ++j) y[(b * C + c0 + j) * plane + oy * OW + ox] = v[j];
}
#endif

#if !defined(A_FLOAT) && defined(QC_KH)
// ---- CPU-device variants (PoCL): QC_VEC output channels of QC_PIX pixels per work-item ----
// LLVM vectorizes only innermost loops, so the implicit loop over work-items is not vectorized
// when the kernel body has loops; here the channel block is an explicit QC_VEC-wide int vector:
// weights are contiguous vector loads, input codes broadcast scalars, and the loops over taps
// and input channels have compile-time trip counts. Integer sums are exact, so the order of
// accumulation does not matter; the epilogue is the shared one.
// Options: -DQC_C, QC_ICG, QC_OCG, QC_H, QC_W, QC_OH, QC_OW, QC_KH, QC_KW, QC_SH, QC_SW, QC_DH,
// QC_DW, QC_PH, QC_PW, QC_G, QC_OCP (channels rounded up to QC_VEC), QC_VEC (4, 8 or 16),
// QC_PIX (output pixels along the row per work-item).
#define QC_CAT_(a, b) a##b
#define QC_CAT(a, b) QC_CAT_(a, b)
#define VINT QC_CAT(int, QC_VEC)
#define VCONVERT QC_CAT(convert_int, QC_VEC)
#define VLOAD QC_CAT(vload, QC_VEC)
#define VSTORE QC_CAT(vstore, QC_VEC)
#if W_KIND == 0
#define QC_WLOAD(p) VCONVERT(QC_CAT(as_char, QC_VEC)(VLOAD(0, (p))))
#else
#define QC_WLOAD(p) VCONVERT(VLOAD(0, (p)))
#endif

#define VFLOAT QC_CAT(float, QC_VEC)
#define VFCONVERT QC_CAT(convert_float, QC_VEC)

// Writes lanes j < count: channel ch0 + j at element idx0 + j * stride of y (NCHW index; codes go
// to its channels-last position), through the epilogue. With -DQC_VEC_EPI (post-ops only Relu,
// Clamp, residual adds, scales and FakeQuantize) the arithmetic runs on vectors, element by element
// the same operations in the same order as octet_epilogue() (Relu and Clamp as the OCTET_RELU /
// OCTET_CLAMP expressions its functions are made of).
inline VFLOAT qc_fake_quantize(VFLOAT v, float il, float ih, float ol, float oh, float lm1) {
  VFLOAT level = rint((v - il) / (ih - il) * lm1);
  VFLOAT q = level / lm1 * (oh - ol) + ol;
  q = select(q, (VFLOAT)oh, v > (VFLOAT)fmax(il, ih));
  return select(q, (VFLOAT)ol, v <= (VFLOAT)fmin(il, ih));
}

inline void qc_store(VINT s, int ch0, int count, int idx0, int stride, __global float* y,
                     __global const float* wscale, EPI_PARAMS) {
  float t[QC_VEC], u[QC_VEC];
#ifdef QC_VEC_EPI
  for (int j = 0; j < QC_VEC; ++j) {
    int c = ch0 + min(j, count - 1);
    t[j] = wscale[c];
    u[j] = QC_BIAS ? bias[c] : 0.0f;
  }
  VFLOAT v = VFCONVERT(s) * VLOAD(0, t);
  v *= in_scale;
  if (QC_BIAS) v += VLOAD(0, u);
  int kinds[4] = {QC_POST0, QC_POST1, QC_POST2, QC_POST3};
  float params[8] = {post_param.s0, post_param.s1, post_param.s2, post_param.s3,
                     post_param.s4, post_param.s5, post_param.s6, post_param.s7};
  for (int i = 0; i < 4 && kinds[i] != OCTET_POST_END; ++i) {
    if (kinds[i] == OCTET_POST_RESIDUAL_ADD) {
      for (int j = 0; j < QC_VEC; ++j) {
        int jj = min(j, count - 1);
        u[j] = octet_residual(idx0 + jj * stride, ch0 + jj, res, io, res_q);
      }
      v = v + VLOAD(0, u);
    } else if (kinds[i] == OCTET_POST_SCALE) {
      if (post_data[8 * i + 1] != 0.0f) {
        const int at = (int)post_data[8 * i + 1] + ch0;
        for (int j = 0; j < QC_VEC; ++j) u[j] = post_data[at + min(j, count - 1)];
        v *= VLOAD(0, u);
      } else {
        v *= post_data[8 * i];
      }
    } else if (kinds[i] == OCTET_POST_FQ) {
      __global const float* f = post_data + 8 * i;
      v = qc_fake_quantize(v, f[0], f[1], f[2], f[3], f[4]);
    } else if (kinds[i] == OCTET_POST_RELU) {
      v = OCTET_RELU(v, (VFLOAT)0.0f);
    } else {  // OCTET_POST_CLAMP
      const VFLOAT lo = (VFLOAT)params[2 * i], hi = (VFLOAT)params[2 * i + 1];
      v = OCTET_CLAMP(v, lo, hi);
    }
  }
  if (QC_FQ) v = qc_fake_quantize(v, fq.s0, fq.s1, fq.s2, fq.s3, fq_levels_m1);
  VSTORE(v, 0, t);
#else
  int r[QC_VEC];
  VSTORE(s, 0, r);
  for (int j = 0; j < QC_VEC; ++j) {
    const int jj = min(j, count - 1);  // lanes past count repeat the last channel, never stored
    t[j] = octet_epilogue((float)r[jj] * wscale[ch0 + jj], ch0 + jj, idx0 + jj * stride, EPI_ARGS);
  }
  VFLOAT v = VLOAD(0, t);
#endif
  if (EPI_CODES && io.s0) {  // codes: the lanes are adjacent channels of one channels-last pixel
    __global char* out = (__global char*)y + octet_codes_index(idx0, ch0, io);
    if (count == QC_VEC) {
      VFLOAT level = rint((v - codes_q.s0) / (codes_q.s1 - codes_q.s0) * codes_q.s2);
      level = select(level, (VFLOAT)codes_q.s2, v > (VFLOAT)codes_q.s1);
      level = select(level, (VFLOAT)0.0f, v <= (VFLOAT)codes_q.s0);
      VSTORE(QC_CAT(convert_char, QC_VEC)(VCONVERT(level) - 128), 0, out);
    } else {
      for (int j = 0; j < count; ++j) out[j] = octet_out_code(t[j], codes_q);
    }
    return;
  }
  for (int j = 0; j < count; ++j) y[idx0 + j * stride] = t[j];
}

// Direct (group) convolution. Weights [G][KH][KW][ICg][OCP] (zero-filled past OCg).
// global: (OCP / VEC, OW / PIX, N * G * OH)
__kernel void qconv_direct_lanes(__global const char* x, __global const uchar* w, __global const float* wscale,
                                 __global const short* wzp, __global const int* corr, __global float* y,
                                 int pad_code, EPI_PARAMS) {
  int o0 = get_global_id(0) * QC_VEC, ox0 = get_global_id(1) * QC_PIX, z = get_global_id(2);
  int oy = z % QC_OH, ng = z / QC_OH, g = ng % QC_G, b = ng / QC_G;
  VINT acc[QC_PIX];
  int sa[QC_PIX];
  for (int p = 0; p < QC_PIX; ++p) {
    acc[p] = 0;
    sa[p] = 0;
  }
  __global const char* xb = x + (size_t)b * QC_H * QC_W * QC_C + g * QC_ICG;
  __global const uchar* wg = w + (size_t)g * QC_KH * QC_KW * QC_ICG * QC_OCP + o0;
  for (int ky = 0; ky < QC_KH; ++ky) {
    int iy = oy * QC_SH - QC_PH + ky * QC_DH;
    bool yin = iy >= 0 && iy < QC_H;
    for (int kx = 0; kx < QC_KW; ++kx) {
      __global const uchar* wt = wg + (ky * QC_KW + kx) * QC_ICG * QC_OCP;
      __global const char* xp[QC_PIX];
      bool inside[QC_PIX];
      for (int p = 0; p < QC_PIX; ++p) {
        int ix = (ox0 + p) * QC_SW - QC_PW + kx * QC_DW;
        inside[p] = yin && ix >= 0 && ix < QC_W;
        xp[p] = xb + (inside[p] ? iy * QC_W + ix : 0) * QC_C;
      }
      for (int c = 0; c < QC_ICG; ++c) {
        VINT wv = QC_WLOAD(wt + c * QC_OCP);
        for (int p = 0; p < QC_PIX; ++p) {
          int av = inside[p] ? (int)xp[p][c] : pad_code;
          acc[p] += (VINT)av * wv;
          sa[p] += av;
        }
      }
    }
  }
  int count = min(QC_VEC, QC_OCG - o0), oc0 = g * QC_OCG + o0;
  int zr[QC_VEC], cr[QC_VEC];
  for (int j = 0; j < QC_VEC; ++j) {
    int oc = oc0 + min(j, count - 1);
    zr[j] = wzp ? wzp[oc] : 0;
    cr[j] = corr[oc];
  }
  VINT zw = VLOAD(0, zr), cv = VLOAD(0, cr);
  for (int p = 0; p < QC_PIX; ++p) {
    VINT sv = acc[p] - zw * (VINT)sa[p] + cv;
    int idx0 = ((b * QC_G + g) * QC_OCG + o0) * (QC_OH * QC_OW) + oy * QC_OW + ox0 + p;
    qc_store(sv, oc0, count, idx0, QC_OH * QC_OW, y, wscale, EPI_ARGS);
  }
}

// Depthwise (ICg = OCg = 1, G = C, C a multiple of VEC). Weights [KH][KW][OCP] as for
// qconv_depthwise. global: (C / VEC, OW / PIX, N * OH)
__kernel void qconv_depthwise_lanes(__global const char* x, __global const uchar* w, __global const float* wscale,
                                    __global const short* wzp, __global const int* corr, __global float* y,
                                    int pad_code, EPI_PARAMS) {
  int c0 = get_global_id(0) * QC_VEC, ox0 = get_global_id(1) * QC_PIX, z = get_global_id(2);
  int oy = z % QC_OH, b = z / QC_OH;
  VINT acc[QC_PIX], sa[QC_PIX];
  for (int p = 0; p < QC_PIX; ++p) acc[p] = sa[p] = 0;
  __global const char* xb = x + (size_t)b * QC_H * QC_W * QC_C + c0;
  for (int ky = 0; ky < QC_KH; ++ky) {
    int iy = oy * QC_SH - QC_PH + ky * QC_DH;
    bool yin = iy >= 0 && iy < QC_H;
    for (int kx = 0; kx < QC_KW; ++kx) {
      VINT wv = QC_WLOAD(w + (ky * QC_KW + kx) * QC_OCP + c0);
      for (int p = 0; p < QC_PIX; ++p) {
        int ix = (ox0 + p) * QC_SW - QC_PW + kx * QC_DW;
        VINT av = (VINT)pad_code;
        if (yin && ix >= 0 && ix < QC_W) av = VCONVERT(VLOAD(0, xb + (iy * QC_W + ix) * QC_C));
        acc[p] += av * wv;
        sa[p] += av;
      }
    }
  }
  int zr[QC_VEC];
  for (int j = 0; j < QC_VEC; ++j) zr[j] = wzp ? wzp[c0 + j] : 0;
  VINT zw = VLOAD(0, zr), cv = VLOAD(0, corr + c0);
  for (int p = 0; p < QC_PIX; ++p) {
    VINT sv = acc[p] - zw * sa[p] + cv;
    int idx0 = (b * QC_C + c0) * (QC_OH * QC_OW) + oy * QC_OW + ox0 + p;
    qc_store(sv, c0, QC_VEC, idx0, QC_OH * QC_OW, y, wscale, EPI_ARGS);
  }
}
#endif
