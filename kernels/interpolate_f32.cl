// Interpolate-4/11 as a separable gather: for each output coordinate of each dim the host lists
// taps (source index or -1 for zero padding, weight); an output sums the product over all dims.
#include "common/types.clh"
#include "common/index.clh"

// global: (odims.s7, rest). Dim d's taps for output coordinate o are entries
// toff[d] + o * K[d] + k, k < K[d], of (idx, wt). st: row-major strides of the unpadded input.
__kernel void interpolate(__global const T* x, __global T* y, __global const int* idx,
                          __global const float* wt, int8 odims, int8 K, int8 toff, int8 st) {
  int xi = get_global_id(0), i = get_global_id(1);
  OCTET_COORDS8(c, i, xi, odims)
  int kd[8] = {K.s0, K.s1, K.s2, K.s3, K.s4, K.s5, K.s6, K.s7};
  int td[8] = {toff.s0, toff.s1, toff.s2, toff.s3, toff.s4, toff.s5, toff.s6, toff.s7};
  int sd[8] = {st.s0, st.s1, st.s2, st.s3, st.s4, st.s5, st.s6, st.s7};
  int taps = kd[0] * kd[1] * kd[2] * kd[3] * kd[4] * kd[5] * kd[6] * kd[7];
  float acc = 0.0f;
  for (int t = 0; t < taps; ++t) {
    int r = t, off = 0;
    float w = 1.0f;
    bool inside = true;
    for (int d = 7; d >= 0; --d) {
      int k = r % kd[d];
      r /= kd[d];
      int e = td[d] + c[d] * kd[d] + k;
      int s = idx[e];
      w *= wt[e];
      inside = inside && s >= 0;
      off += s * sd[d];
    }
    if (inside) acc += w * (float)x[off];
  }
  y[(size_t)i * odims.s7 + xi] = (T)acc;
}
