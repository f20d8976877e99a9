// QuantizeActivation: f32 -> i8 codes a' = level - 128, level = FakeQuantize's level index
// (half-to-even), optionally transposing [N, C, plane] to channels-last [N, plane, C].
// Built with -cl-fp32-correctly-rounded-divide-sqrt and no contraction so levels match the reference.
#pragma OPENCL FP_CONTRACT OFF

inline char octet_code(float x, float in_low, float in_high, float levels_m1) {
  if (!(x > in_low)) return (char)-128;  // also NaN: level 0, as host/reference
  if (x > in_high) return (char)(levels_m1 - 128.0f);
  return (char)((int)rint((x - in_low) / (in_high - in_low) * levels_m1) - 128);
}

// global: (count)
__kernel void quantize_flat(__global const float* x, __global char* y, float in_low, float in_high,
                            float levels_m1) {
  int i = get_global_id(0);
  y[i] = octet_code(x[i], in_low, in_high, levels_m1);
}

// global: (plane, C, N): reads [N, C, plane], writes [N, plane, C]. Pixels along dimension 0
// keep the reads contiguous (CPU devices vectorize over it).
__kernel void quantize_channels_last(__global const float* x, __global char* y, float in_low, float in_high,
                                     float levels_m1) {
  int p = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
  int P = get_global_size(0), C = get_global_size(1);
  y[(n * P + p) * C + c] = octet_code(x[(n * C + c) * P + p], in_low, in_high, levels_m1);
}

// CodesDequantize: codes back to FakeQuantize's output value of their level,
// level / (levels - 1) * (out_high - out_low) + out_low, as host/reference's activation_values
// (the same operations in the same order, no contraction, correctly rounded division).
inline float octet_value(char code, float out_low, float out_range, float levels_m1) {
  return (float)((int)code + 128) / levels_m1 * out_range + out_low;
}

// global: (count)
__kernel void dequantize_flat(__global const char* x, __global float* y, float out_low, float out_range,
                              float levels_m1) {
  int i = get_global_id(0);
  y[i] = octet_value(x[i], out_low, out_range, levels_m1);
}

// global: (plane, C, N): reads channels-last [N, plane, C], writes [N, C, plane] (contiguous writes
// along dimension 0).
__kernel void dequantize_channels_last(__global const char* x, __global float* y, float out_low,
                                       float out_range, float levels_m1) {
  int p = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
  int P = get_global_size(0), C = get_global_size(1);
  y[(n * C + c) * P + p] = octet_value(x[(n * P + p) * C + c], out_low, out_range, levels_m1);
}

// CodesAvgPool (host/graph/codes_ops.h): AvgPool of the values of channels-last codes
// [N, ID, IH, IW, C], written as plain floats [N, C, OD, OH, OW]. As the reference AvgPool: the
// window's in-bounds taps, summed from 0 in (depth, row, column) order, divided by their count or,
// when `whole` > 0 (padding counted), by `whole`.
// global: (OW, C, N * OD * OH); the output row along dimension 0 keeps writes contiguous.
__kernel void codes_avg_pool(__global const char* x, __global float* y, float out_low, float out_range,
                             float levels_m1, int ID, int IH, int IW, int OD, int OH, int KD, int KH, int KW,
                             int SD, int SH, int SW, int PD, int PH, int PW, int whole) {
  const int ow = get_global_id(0), c = get_global_id(1), z = get_global_id(2);
  const int OW = get_global_size(0), C = get_global_size(1);
  const int oh = z % OH, od = (z / OH) % OD, b = z / (OH * OD);
  const int lo_d = od * SD - PD, lo_h = oh * SH - PH, lo_w = ow * SW - PW;
  const int hi_d = min(lo_d + KD, ID), hi_h = min(lo_h + KH, IH), hi_w = min(lo_w + KW, IW);
  float sum = 0.0f;
  int count = 0;
  for (int id = max(lo_d, 0); id < hi_d; ++id)
    for (int ih = max(lo_h, 0); ih < hi_h; ++ih)
      for (int iw = max(lo_w, 0); iw < hi_w; ++iw) {
        sum += octet_value(x[(((b * ID + id) * IH + ih) * IW + iw) * C + c], out_low, out_range, levels_m1);
        ++count;
      }
  if (whole > 0) count = whole;
  y[((b * C + c) * OD + od) * OH * OW + oh * OW + ow] = count ? sum / (float)count : 0.0f;
}
