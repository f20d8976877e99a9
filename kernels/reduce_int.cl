// Integer and boolean reductions and CumSum, exactly as host/reference: values widened to int64
// (u64 as its bit pattern), sums and products wrapping modulo 2^64, the result wrapped to the type.
// Build options: -DIT=<element type> -DUT=<unsigned type of its width>, -DIT_SIGNED for signed types,
// -DIT_U64 for u64 (its maximum and minimum compare unsigned).
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/index.clh"

#ifdef IT_U64
#define LOAD(v) as_long(v)
#else
#define LOAD(v) ((long)(v))
#endif
#define WADD(a, b) as_long(as_ulong(a) + as_ulong(b))
#define WMUL(a, b) as_long(as_ulong(a) * as_ulong(b))
// The int64 result stored into the type: its low bits.
#define STORE(a) ((IT)(UT)as_ulong(a))

// floor(sqrt(d)) for 0 <= d < 2^33, exact (the reference's double sqrt truncates to the same value
// there).
inline long isqrt_small(long d) {
  long r = (long)sqrt((float)d);
  while (r > 0 && r * r > d) --r;
  while ((r + 1) * (r + 1) <= d) ++r;
  return r;
}

// mode: 0 sum, 1 mean (int64 division), 2 max, 3 min, 4 prod, 5 L1, 6 L2 (types up to 32 bits),
// 7 logical and, 8 logical or. min_init: the type's largest value as int64 (ReduceMin's identity).
inline long reduce_init(int mode, long min_init) {
#ifdef IT_U64
  if (mode == 2) return 0;  // u64 compares unsigned: 0 is its least value
#endif
  return mode == 2 ? LONG_MIN : mode == 3 ? min_init : (mode == 4 || mode == 7) ? 1 : 0;
}
inline long reduce_step(long acc, long e, int mode) {
  switch (mode) {
#ifdef IT_U64
    case 2: return as_ulong(e) > as_ulong(acc) ? e : acc;
    case 3: return as_ulong(e) < as_ulong(acc) ? e : acc;
#else
    case 2: return e > acc ? e : acc;
    case 3: return e < acc ? e : acc;
#endif
    case 4: return WMUL(acc, e);
#ifdef IT_SIGNED
    case 5: return WADD(acc, e < 0 ? WMUL(e, -1L) : e);
#else
    case 5: return WADD(acc, e);
#endif
    case 6: return WADD(acc, WMUL(e, e));
    case 7: return acc && e != 0;
    case 8: return acc || e != 0;
    default: return WADD(acc, e);
  }
}
inline long reduce_final(long acc, int mode, int R) {
  if (mode == 1) return R ? acc / R : acc;
  if (mode == 6) {
    // As the reference: the sum of squares wrapped to the type, its square root truncated (a signed
    // sum that wrapped negative gives 0).
    long s = (long)(IT)(UT)as_ulong(acc);
    return s <= 0 ? 0 : isqrt_small(s);
  }
  return acc;
}

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_reduce_int_contig)
// global: (inner, outer).
__kernel void reduce_int_contig(__global const IT* x, __global IT* y, int R, int inner, int mode, long min_init) {
  int i = get_global_id(0), o = get_global_id(1);
  __global const IT* p = x + (size_t)o * R * inner + i;
  long acc = reduce_init(mode, min_init);
  for (int r = 0; r < R; ++r) acc = reduce_step(acc, LOAD(p[r * inner]), mode);
  y[(size_t)o * inner + i] = STORE(reduce_final(acc, mode, R));
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_reduce_int_generic)
// Any axes, as reduce_generic of reduce_f32.cl. global: (number of outputs).
__kernel void reduce_int_generic(__global const IT* x, __global IT* y, int8 kdims, int8 kstrides, int8 rdims,
                                 int8 rstrides, int R, int mode, long min_init) {
  int o = get_global_id(0);
  OCTET_COORDS8(ck, o / kdims.s7, o % kdims.s7, kdims)
  int base = octet_offset8(ck, kstrides);
  long acc = reduce_init(mode, min_init);
  for (int r = 0; r < R; ++r) {
    OCTET_COORDS8(cr, r / rdims.s7, r % rdims.s7, rdims)
    acc = reduce_step(acc, LOAD(x[base + octet_offset8(cr, rstrides)]), mode);
  }
  y[o] = STORE(reduce_final(acc, mode, R));
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_cumsum_int)
// CumSum-3 along R, wrapping. global: (inner, outer).
__kernel void cumsum_int(__global const IT* x, __global IT* y, int R, int inner, int exclusive, int reverse) {
  int i = get_global_id(0), o = get_global_id(1);
  size_t base = (size_t)o * R * inner + i;
  long s = 0;
  for (int k = 0; k < R; ++k) {
    size_t at = base + (size_t)(reverse ? R - 1 - k : k) * inner;
    long v = LOAD(x[at]);
    if (!exclusive) s = WADD(s, v);
    y[at] = STORE(s);
    if (exclusive) s = WADD(s, v);
  }
}
#endif
