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

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_values)
// Binary ops whose result has the operands' type, as host/reference/logic.cpp:
// OP 0 BitwiseAnd, 1 BitwiseOr, 2 BitwiseXor (integers or boolean bytes), 3 BitwiseLeftShift,
// 4 BitwiseRightShift (integers; a count outside [0, bits) shifts every bit out: 0, or -1 for a
// negative signed value shifted right), 5 Mod (truncated, C's %), 6 FloorMod (sign of the divisor).
// Integers compute in the unsigned type UT where they could overflow; x % -1 is 0 (INT_MIN % -1
// would trap); the host declines integer Mod/FloorMod unless the divisor is a constant without
// zeros. Build options: -DTA, -DUT, -DOP, -DTA_BITS=<bits>, -DTA_SIGNED, -DTA_FLOAT.
inline TA binary_value(TA x, TA y) {
#if OP == 0
  return x & y;
#elif OP == 1
  return x | y;
#elif OP == 2
  return x ^ y;
#elif OP == 3
  long count = (long)y;
  return count < 0 || count >= TA_BITS ? (TA)0 : (TA)((UT)x << count);
#elif OP == 4
  long count = (long)y;
#ifdef TA_SIGNED
  if (count < 0 || count >= TA_BITS) return x < 0 ? (TA)-1 : (TA)0;
#else
  if (count < 0 || count >= TA_BITS) return (TA)0;
#endif
  return (TA)(x >> count);
#elif defined(TA_FLOAT)
  float r = fmod(x, y);
#if OP == 6
  if (r != 0.0f && ((r < 0.0f) != (y < 0.0f))) r += y;
  if (r == 0.0f) r = copysign(0.0f, y);
#endif
  return r;
#else
#ifdef TA_SIGNED
  if (y == (TA)-1) return (TA)0;
#endif
  TA r = (TA)(x % y);
#if OP == 6 && defined(TA_SIGNED)
  if (r != 0 && ((r < 0) != (y < 0))) r = (TA)((UT)r + (UT)y);
#endif
  return r;
#endif
}

__kernel void binary_values(__global const TA* a, __global const TA* b, __global TA* y, int8 dims, int8 sa,
                            int8 sb, int flat) {
  int i = get_global_id(0);
  int oa = i, ob = i;
  if (!flat) {
    OCTET_COORDS8(c, i / dims.s7, i % dims.s7, dims)
    oa = octet_offset8(c, sa);
    ob = octet_offset8(c, sb);
  }
  y[i] = binary_value(a[oa], b[ob]);
}
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_bitwise_not)
// BitwiseNot of integers (booleans take logical_not).
__kernel void bitwise_not(__global const TA* x, __global TA* y) {
  int i = get_global_id(0);
  y[i] = ~x[i];
}
#endif
