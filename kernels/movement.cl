// Data movement by element size (1/2/4/8 bytes): strided copies (Transpose, Concat, Split,
// Slice, Broadcast), Gather, GatherElements, Pad, OneHot, and the precomputed gathers (remap) of
// the movement ops whose parameters are constant (runtime/opencl/ops/remap.cpp).
#include "common/index.clh"
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).

#define COPY_KERNEL(sfx, type)                                                                      \
  /* global: (dims.s7, rest) */                                                                     \
  __kernel void copy_##sfx(__global const type* src, __global type* dst, int8 dims, int8 ss, int src_off, \
                           int8 ds, int dst_off) {                                                  \
    int x = get_global_id(0), i = get_global_id(1);                                                 \
    OCTET_COORDS8(c, i, x, dims)                                                                    \
    dst[dst_off + octet_offset8(c, ds)] = src[src_off + octet_offset8(c, ss)];                      \
  }

#define GATHER_KERNEL(sfx, type)                                                                    \
  /* global: (inner, I, outer); out-of-range indices give 0 (Gather-8). */                          \
  __kernel void gather_##sfx(__global const type* src, __global const IDX_T* indices, __global type* dst, \
                             int axis_dim, int inner, int I, int outer_per_batch) {                 \
    int k = get_global_id(0), j = get_global_id(1), o = get_global_id(2);                           \
    long ind = indices[(o / outer_per_batch) * I + j];                                              \
    if (ind < 0) ind += axis_dim;                                                                   \
    size_t out = ((size_t)o * I + j) * inner + k;                                                   \
    dst[out] = (ind < 0 || ind >= axis_dim) ? (type)0 : src[((size_t)o * axis_dim + ind) * inner + k]; \
  }

#define PAD_KERNEL(sfx, type)                                                                       \
  /* mode: 0 constant, 1 edge, 2 reflect, 3 symmetric. global: (odims.s7, rest) */                   \
  __kernel void pad_##sfx(__global const type* src, __global type* dst, int8 odims, int8 idims, int8 pb, \
                          int mode, type value) {                                                   \
    int x = get_global_id(0), i = get_global_id(1);                                                 \
    OCTET_COORDS8(c, i, x, odims)                                                                   \
    int s[8] = {c[0] - pb.s0, c[1] - pb.s1, c[2] - pb.s2, c[3] - pb.s3,                             \
                c[4] - pb.s4, c[5] - pb.s5, c[6] - pb.s6, c[7] - pb.s7};                            \
    int d[8] = {idims.s0, idims.s1, idims.s2, idims.s3, idims.s4, idims.s5, idims.s6, idims.s7};   \
    bool outside = false;                                                                           \
    int off = 0;                                                                                    \
    for (int k = 0; k < 8; ++k) {                                                                   \
      int v = s[k], n = d[k];                                                                       \
      if (v < 0 || v >= n) {                                                                        \
        if (mode == 0) outside = true;                                                              \
        else if (mode == 1) v = clamp(v, 0, n - 1);                                                 \
        else if (mode == 2) v = v < 0 ? -v : 2 * (n - 1) - v;                                       \
        else v = v < 0 ? -v - 1 : 2 * n - 1 - v;                                                    \
      }                                                                                             \
      off = off * n + v;                                                                            \
    }                                                                                               \
    dst[(size_t)i * odims.s7 + x] = outside ? value : src[off];                                     \
  }

#define GATHER_ELEMENTS_KERNEL(sfx, type)                                                           \
  /* GatherElements-6 over (outer, axis, inner): output (o, j, i) reads data (o, indices[o, j, i], i), */ \
  /* negative indices counted from the end; out-of-range ones give 0 (the reference refuses them). */ \
  /* global: (inner, m, outer) */                                                                   \
  __kernel void gather_elements_##sfx(__global const type* src, __global const IDX_T* indices,        \
                                      __global type* dst, int n, int inner) {                       \
    int i = get_global_id(0), j = get_global_id(1), o = get_global_id(2), m = get_global_size(1);   \
    size_t out = ((size_t)o * m + j) * inner + i;                                                   \
    long ind = indices[out];                                                                        \
    if (ind < 0) ind += n;                                                                          \
    dst[out] = (ind < 0 || ind >= n) ? (type)0 : src[((size_t)o * n + ind) * inner + i];            \
  }

#define REMAP_KERNEL(sfx, type)                                                                     \
  /* A gather through a precomputed map (runtime/opencl/ops/remap.cpp): output i copies element */  \
  /* map[i] - 1 of `a` (n elements) when map[i] <= n, else element map[i] - 1 - n of `b`, and is */  \
  /* 0 where map[i] is 0 (padding). global: (number of outputs) */                                  \
  __kernel void remap_##sfx(__global const type* a, __global const type* b, __global const int* map,  \
                            __global type* dst, int n) {                                           \
    int i = get_global_id(0);                                                                       \
    int m = map[i];                                                                                 \
    dst[i] = m == 0 ? (type)0 : m <= n ? a[m - 1] : b[m - 1 - n];                                   \
  }

#define ONE_HOT_KERNEL(sfx, type)                                                                   \
  /* OneHot-1/16 over (outer, depth, inner): output (o, k, i) is on[0] where indices[o, i] (plus */  \
  /* depth when negative and `normalize`) equals k, else off[0]. global: (inner, depth, outer) */     \
  __kernel void one_hot_##sfx(__global const IDX_T* indices, __global const type* on,                 \
                              __global const type* off, __global type* dst, int normalize) {          \
    int i = get_global_id(0), k = get_global_id(1), o = get_global_id(2);                           \
    int inner = get_global_size(0), depth = get_global_size(1);                                     \
    long v = (long)indices[(size_t)o * inner + i];                                                  \
    if (v < 0 && normalize) v += depth;                                                             \
    dst[((size_t)o * depth + k) * inner + i] = v == k ? on[0] : off[0];                             \
  }

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_copy_1)
COPY_KERNEL(1, uchar)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_1)
GATHER_KERNEL(1, uchar)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_pad_1)
PAD_KERNEL(1, uchar)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_elements_1)
GATHER_ELEMENTS_KERNEL(1, uchar)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_remap_1)
REMAP_KERNEL(1, uchar)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_one_hot_1)
ONE_HOT_KERNEL(1, uchar)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_copy_2)
COPY_KERNEL(2, ushort)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_2)
GATHER_KERNEL(2, ushort)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_pad_2)
PAD_KERNEL(2, ushort)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_elements_2)
GATHER_ELEMENTS_KERNEL(2, ushort)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_remap_2)
REMAP_KERNEL(2, ushort)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_one_hot_2)
ONE_HOT_KERNEL(2, ushort)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_copy_4)
COPY_KERNEL(4, uint)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_4)
GATHER_KERNEL(4, uint)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_pad_4)
PAD_KERNEL(4, uint)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_elements_4)
GATHER_ELEMENTS_KERNEL(4, uint)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_remap_4)
REMAP_KERNEL(4, uint)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_one_hot_4)
ONE_HOT_KERNEL(4, uint)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_copy_8)
COPY_KERNEL(8, ulong)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_8)
GATHER_KERNEL(8, ulong)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_pad_8)
PAD_KERNEL(8, ulong)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_gather_elements_8)
GATHER_ELEMENTS_KERNEL(8, ulong)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_remap_8)
REMAP_KERNEL(8, ulong)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_one_hot_8)
ONE_HOT_KERNEL(8, ulong)
#endif
