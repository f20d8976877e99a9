// Batched float GEMM C = A * B with arbitrary strides (transposes, broadcast batch), 4x4 outputs
// per work-item held in registers; also serves 1x1 convolutions.
#include "common/types.clh"
#include "common/index.clh"

// global: (ceil(N/4), ceil(M/4), batches). A(m,k) at a + m*a_sm + k*a_sk; B(k,n) at b + k*b_sk + n*b_sn.
__kernel void matmul(__global const T* a, __global const T* b, __global T* c, int M, int N, int K, int a_sm,
                     int a_sk, int b_sk, int b_sn, int8 batch_dims, int8 a_bs, int8 b_bs) {
  int n0 = get_global_id(0) * 4, m0 = get_global_id(1) * 4, bi = get_global_id(2);
  OCTET_COORDS8(cb, bi / batch_dims.s7, bi % batch_dims.s7, batch_dims)
  __global const T* pa = a + octet_offset8(cb, a_bs);
  __global const T* pb = b + octet_offset8(cb, b_bs);
  // Clamped rows/columns keep loads in bounds at the edges; their results are not stored.
  int ma0 = min(m0, M - 1) * a_sm, ma1 = min(m0 + 1, M - 1) * a_sm;
  int ma2 = min(m0 + 2, M - 1) * a_sm, ma3 = min(m0 + 3, M - 1) * a_sm;
  int nb0 = min(n0, N - 1) * b_sn, nb1 = min(n0 + 1, N - 1) * b_sn;
  int nb2 = min(n0 + 2, N - 1) * b_sn, nb3 = min(n0 + 3, N - 1) * b_sn;
  float4 acc0 = 0.0f, acc1 = 0.0f, acc2 = 0.0f, acc3 = 0.0f;
  for (int k = 0; k < K; ++k) {
    int ka = k * a_sk, kb = k * b_sk;
    float4 vb = (float4)(pb[kb + nb0], pb[kb + nb1], pb[kb + nb2], pb[kb + nb3]);
    acc0 = mad((float4)(pa[ma0 + ka]), vb, acc0);
    acc1 = mad((float4)(pa[ma1 + ka]), vb, acc1);
    acc2 = mad((float4)(pa[ma2 + ka]), vb, acc2);
    acc3 = mad((float4)(pa[ma3 + ka]), vb, acc3);
  }
  __global T* pc = c + (size_t)bi * M * N;
  float4 rows[4] = {acc0, acc1, acc2, acc3};
  for (int i = 0; i < 4; ++i) {
    int m = m0 + i;
    if (m >= M) break;
    __global T* row = pc + m * N + n0;
    if (n0 + 3 < N) {
      row[0] = rows[i].s0; row[1] = rows[i].s1; row[2] = rows[i].s2; row[3] = rows[i].s3;
    } else {
      row[0] = rows[i].s0;
      if (n0 + 1 < N) row[1] = rows[i].s1;
      if (n0 + 2 < N) row[2] = rows[i].s2;
    }
  }
}
