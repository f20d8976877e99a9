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
