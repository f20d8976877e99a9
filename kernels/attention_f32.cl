// ScaledDotProductAttention-13, f32: one work-group of SDPA_WG lanes per (batch element, query
// row). The lanes compute the row's scores (q . k * scale, then the causal triangle or the mask)
// into local memory, reduce their maximum, turn them into exp(score - max) and reduce the sum (an
// optional sink logit joins both), and then each lane writes output columns as the weighted sum of
// V's rows. A row whose every score is -inf gives NaN, as the spec's softmax (and the reference).
// Build options: -DMASK_T=float or uchar (boolean mask).
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#pragma OPENCL FP_CONTRACT OFF
#define SDPA_WG 64

#ifndef MASK_T
#define MASK_T float
#endif

// Reduces v over the work-group into red[0] (sum, or max with is_max), returned to every lane.
inline float sdpa_reduce(__local float* red, int lid, float v, int is_max) {
  red[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int h = SDPA_WG / 2; h > 0; h >>= 1) {
    if (lid < h) red[lid] = is_max ? fmax(red[lid], red[lid + h]) : red[lid] + red[lid + h];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  float r = red[0];
  barrier(CLK_LOCAL_MEM_FENCE);  // red is reused by the next call
  return r;
}

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_sdpa)
// offs: per batch element b, the element offsets of its Q, K and V matrices, of its mask [L, S]
// block and of its sink column (5 ints). mask_mode: 0 none, 1 added (float), 2 boolean (false ->
// -inf), 3 causal (j > i -> -inf). m_sl/m_ss and s_sl: the mask's strides along L and S and the
// sink's along L (0 where broadcast). scale_buf holds the scale when has_scale, else `scale`.
// global: (SDPA_WG * L, batches), local: (SDPA_WG, 1); `scores` holds S floats.
__kernel __attribute__((reqd_work_group_size(SDPA_WG, 1, 1))) void sdpa(
    __global const float* q, __global const float* k, __global const float* v, __global const MASK_T* mask,
    __global const float* scale_buf, __global const float* sink, __global const int* offs, __global float* y,
    int L, int Lq, int S, int E, int Ev, float scale, int has_scale, int mask_mode, int m_sl, int m_ss,
    int has_sink, int s_sl, __local float* scores) {
  __local float red[SDPA_WG];
  int lid = get_local_id(0), i = get_group_id(0), b = get_group_id(1);
  __global const int* o = offs + b * 5;
  __global const float* qrow = q + o[0] + (Lq == 1 ? 0 : i) * E;
  __global const float* km = k + o[1];
  __global const float* vm = v + o[2];
  const float sc = has_scale ? scale_buf[0] : scale;
  float mx = -INFINITY;
  for (int j = lid; j < S; j += SDPA_WG) {
    float dot = 0.0f;
    for (int c = 0; c < E; ++c) dot = dot + qrow[c] * km[j * E + c];
    float s = dot * sc;
    if (mask_mode == 3) {
      if (j > i) s = -INFINITY;
    } else if (mask_mode != 0) {
      MASK_T m = mask[o[3] + i * m_sl + j * m_ss];
      s = mask_mode == 2 ? (m != 0 ? s : -INFINITY) : s + (float)m;
    }
    scores[j] = s;
    mx = fmax(mx, s);
  }
  mx = sdpa_reduce(red, lid, mx, 1);
  float sink_logit = -INFINITY;
  if (has_sink) {
    sink_logit = sink[o[4] + i * s_sl];
    mx = fmax(mx, sink_logit);
  }
  float part = 0.0f;
  for (int j = lid; j < S; j += SDPA_WG) {
    float e = exp(scores[j] - mx);
    scores[j] = e;
    part += e;
  }
  // exp(-inf - max) is 0 without a sink; every score -inf gives NaN, as the spec's softmax.
  float sum = sdpa_reduce(red, lid, part, 0) + exp(sink_logit - mx);
  __global float* yrow = y + ((size_t)b * L + i) * Ev;
  for (int c = lid; c < Ev; c += SDPA_WG) {
    float acc = 0.0f;
    for (int j = 0; j < S; ++j) acc = acc + scores[j] / sum * vm[j * Ev + c];
    yrow[c] = acc;
  }
}
#endif
