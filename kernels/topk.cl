// TopK-1/3/11 as host/reference/indexing_ops.cpp: along each row (o, :, i) the elements in the order
// "comes before" (the larger value first for max, the smaller for min; NaN counts as smaller than
// every number; equal values by ascending index, which makes the order total and stable), the first
// k taken. One work-item per row selects them one after another (O(n k)): each pass takes the first
// element that comes after the previous one chosen, so no scratch memory is needed. sort=index
// then writes the chosen ones in index order. Values are copied bit for bit.
// Build options: -DT=<storage type> (unsigned types compare unsigned), -DKEY_FLOAT for f32, -DMAX
// for mode max, -DSORT_INDEX for sort=index, -DIDX_T=<int or long> for the index output.
// global: (inner, outer).

inline bool key_less(T a, T b) {
#ifdef KEY_FLOAT
  if (isnan(a)) return !isnan(b);
  if (isnan(b)) return false;
#endif
  return a < b;
}

// Whether element i of value a comes before element j of value b.
inline bool before(T a, int i, T b, int j) {
#ifdef MAX
  if (key_less(b, a)) return true;
  if (key_less(a, b)) return false;
#else
  if (key_less(a, b)) return true;
  if (key_less(b, a)) return false;
#endif
  return i < j;
}

__kernel void topk(__global const T* x, __global T* values, __global IDX_T* indices, int n, int k, int inner) {
  int i = get_global_id(0), o = get_global_id(1);
  __global const T* row = x + (size_t)o * n * inner + i;
  const size_t out = (size_t)o * k * inner + i;
  int prev = -1;  // the last element chosen, of value pv
  T pv = 0;
  for (int r = 0; r < k; ++r) {
    int best = -1;
    T bv = 0;
    for (int m = 0; m < n; ++m) {
      T v = row[(size_t)m * inner];
      if (prev >= 0 && !before(pv, prev, v, m)) continue;  // chosen in an earlier pass
      if (best < 0 || before(v, m, bv, best)) {
        best = m;
        bv = v;
      }
    }
    prev = best;
    pv = bv;
#ifndef SORT_INDEX
    values[out + (size_t)r * inner] = bv;
    indices[out + (size_t)r * inner] = (IDX_T)best;
#endif
  }
#ifdef SORT_INDEX
  // The chosen elements are the last one chosen and all that come before it.
  int r = 0;
  for (int m = 0; m < n && r < k; ++m) {
    T v = row[(size_t)m * inner];
    if (m == prev || before(v, m, pv, prev)) {
      values[out + (size_t)r * inner] = v;
      indices[out + (size_t)r * inner] = (IDX_T)m;
      ++r;
    }
  }
#endif
}
