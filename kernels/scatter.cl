// ScatterElementsUpdate-12 and ScatterNDUpdate-15 with a reduction, as host/reference/scatter_ops.cpp:
// output element t combines, in the reference's order, the updates that target it (update positions
// list[start[t]] .. list[start[t + 1] - 1], precomputed by the host from the constant indices) into
// data[t] (use_init_val) or into the first of them. Every step is rounded to the element type: f32
// in float (one correctly rounded +, -, * or / equals the reference's double step rounded once),
// integers in long wrapped to the type, booleans as OR (sum, max), AND (prod, min) and XOR (sub).
// mean divides by the number of values (floored for integers). Untouched elements keep data's bits.
// One work-item per output element.
// Build options: -DT=<storage type>; -DT_FLOAT, -DT_BOOL, or for integers -DUT=<unsigned type of the
// width>; -DRED=<1 sum, 2 sub, 3 prod, 4 min, 5 max, 6 mean>.
#pragma OPENCL FP_CONTRACT OFF

#if defined(T_FLOAT)
typedef float acc_t;
#define LOAD(v) (v)
#define WRAP(v) (v)
#elif defined(T_BOOL)
typedef int acc_t;
#define LOAD(v) ((v) != 0)
#define WRAP(v) (v)
#else
typedef long acc_t;
#define LOAD(v) ((long)(v))
// The value stored into the type, widened back (sign- or zero-extended as the type is).
#define WRAP(v) ((long)(T)(UT)as_ulong(v))
#endif

inline acc_t combine(acc_t v, acc_t u) {
#if defined(T_BOOL)
#if RED == 1 || RED == 5
  return v | u;
#elif RED == 3 || RED == 4
  return v & u;
#else
  return v ^ u;
#endif
#elif defined(T_FLOAT)
#if RED == 1 || RED == 6
  return v + u;
#elif RED == 2
  return v - u;
#elif RED == 3
  return v * u;
#elif RED == 4
  return v < u ? v : u;
#else
  return v > u ? v : u;
#endif
#else
  // Wrapping arithmetic in ulong; comparisons in the element type (unsigned types compare unsigned).
#if RED == 1 || RED == 6
  return as_long(as_ulong(v) + as_ulong(u));
#elif RED == 2
  return as_long(as_ulong(v) - as_ulong(u));
#elif RED == 3
  return as_long(as_ulong(v) * as_ulong(u));
#elif RED == 4
  return (T)v < (T)u ? v : u;
#else
  return (T)v > (T)u ? v : u;
#endif
#endif
}

__kernel void scatter_reduce(__global const T* data, __global const T* updates, __global const int* start,
                             __global const int* list, __global T* y, int use_init_val) {
  int t = get_global_id(0);
  int b = start[t], e = start[t + 1];
  if (b == e) {
    y[t] = data[t];
    return;
  }
  acc_t acc = use_init_val ? LOAD(data[t]) : LOAD(updates[list[b]]);
  for (int k = use_init_val ? b : b + 1; k < e; ++k) acc = WRAP(combine(acc, LOAD(updates[list[k]])));
#if RED == 6
  int n = e - b + (use_init_val ? 1 : 0);
#if defined(T_FLOAT)
  acc = acc / (float)n;
#else
  long q = acc / n;  // rounded down, toward -inf
  if (q * n != acc && acc < 0) --q;
  acc = WRAP(q);
#endif
#endif
  y[t] = (T)acc;
}
