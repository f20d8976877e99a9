// Convert-1 between storage types (ir-spec.md 3). Built with -DSRC=<type> -DDST=<type> and one of
// -DFLOAT_TO_INT (saturate, truncate), -DTO_BOOL, -DSRC_HALF / -DDST_HALF (f16 kept as ushort bits),
// -DSRC_I4 / -DSRC_U4 (two codes per byte, element 2k in the low nibble; SRC is uchar).
#ifdef SRC_HALF
typedef half src_t;
#else
typedef SRC src_t;
#endif

__kernel void convert(__global const src_t* src, __global DST_STORE* dst) {
  int i = get_global_id(0);
#if defined(SRC_HALF)
  float v = vload_half(i, src);
#elif defined(SRC_I4) || defined(SRC_U4)
  int v = (src[i >> 1] >> ((i & 1) * 4)) & 0xf;
#if defined(SRC_I4)
  v = v >= 8 ? v - 16 : v;
#endif
#else
  SRC v = src[i];
#endif
#if defined(DST_HALF)
  vstore_half_rte((float)v, i, (__global half*)dst);
#elif defined(TO_BOOL)
  dst[i] = v != 0 ? 1 : 0;
#elif defined(FLOAT_TO_INT)
  dst[i] = CONVERT_SAT((float)v);
#else
  dst[i] = (DST)v;
#endif
}
