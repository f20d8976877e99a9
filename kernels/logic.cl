// Comparisons (boolean out), LogicalAnd/Or/Xor/Not and Select with numpy/pdpd broadcasting: one
// work-item per output element; operands read through per-operand strides over up to 8
// right-aligned dims (0 along broadcast dims), or at the element's own index when `flat`.
// Build options: -DTA=<OpenCL type of the compared values> and -DOP=<code> for `compare`;
// -DTA for `logical_not`; -DST=<type of that byte width> for `select_values` (not `select`, an
// OpenCL C builtin).
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/index.clh"

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_compare)
// OP: 0 Equal, 1 NotEqual, 2 Less, 3 LessEqual, 4 Greater, 5 GreaterEqual, 6 LogicalAnd,
// 7 LogicalOr, 8 LogicalXor (boolean inputs: any non-zero byte is true).
#if OP == 0
#define CMP(a, b) ((a) == (b))
#elif OP == 1
#define CMP(a, b) ((a) != (b))
#elif OP == 2
#define CMP(a, b) ((a) < (b))
#elif OP == 3
#define CMP(a, b) ((a) <= (b))
#elif OP == 4
#define CMP(a, b) ((a) > (b))
#elif OP == 5
#define CMP(a, b) ((a) >= (b))
#elif OP == 6
#define CMP(a, b) ((a) != 0 && (b) != 0)
#elif OP == 7
#define CMP(a, b) ((a) != 0 || (b) != 0)
#else
#define CMP(a, b) (((a) != 0) != ((b) != 0))
#endif
__kernel void compare(__global const TA* a, __global const TA* b, __global uchar* y, int8 dims, int8 sa,
                      int8 sb, int flat) {
  int i = get_global_id(0);
  int oa = i, ob = i;
  if (!flat) {
    OCTET_COORDS8(c, i / dims.s7, i % dims.s7, dims)
    oa = octet_offset8(c, sa);
    ob = octet_offset8(c, sb);
  }
  TA va = a[oa], vb = b[ob];
  y[i] = CMP(va, vb) ? 1 : 0;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_logical_not)
// 1 where x is 0, else 0, in x's own type (boolean, or a numeric type as OpenVINO accepts).
__kernel void logical_not(__global const TA* x, __global TA* y) {
  int i = get_global_id(0);
  y[i] = x[i] == (TA)0 ? (TA)1 : (TA)0;
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_select_values)
// Select-1: y = cond ? then : else, moved bit for bit (ST: an unsigned type of the element width).
__kernel void select_values(__global const uchar* cond, __global const ST* a, __global const ST* b, __global ST* y,
                     int8 dims, int8 sc, int8 sa, int8 sb, int flat) {
  int i = get_global_id(0);
  int oc = i, oa = i, ob = i;
  if (!flat) {
    OCTET_COORDS8(c, i / dims.s7, i % dims.s7, dims)
    oc = octet_offset8(c, sc);
    oa = octet_offset8(c, sa);
    ob = octet_offset8(c, sb);
  }
  y[i] = cond[oc] ? a[oa] : b[ob];
}
#endif
