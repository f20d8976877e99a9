// CodesMaxPool (host/graph/codes_ops.h): MaxPool over channels-last i8 codes [N, D, H, W, C] (1-D
// and 2-D pools with leading 1s). Padded taps are skipped; a window wholly in the padding gives
// -128 (level 0), as the reference.

// global: (C, OW, N * OD * OH); channels along dimension 0 keep reads and writes contiguous.
__kernel void codes_max_pool(__global const char* x, __global char* y, int ID, int IH, int IW, int OD, int OH,
                             int KD, int KH, int KW, int SD, int SH, int SW, int DD, int DH, int DW, int PD,
                             int PH, int PW) {
  const int c = get_global_id(0), ow = get_global_id(1), z = get_global_id(2);
  const int C = get_global_size(0), OW = get_global_size(1);
  const int oh = z % OH, od = (z / OH) % OD, b = z / (OH * OD);
  int best = -128;
  for (int kd = 0; kd < KD; ++kd) {
    const int id = od * SD - PD + kd * DD;
    if (id < 0 || id >= ID) continue;
    for (int kh = 0; kh < KH; ++kh) {
      const int ih = oh * SH - PH + kh * DH;
      if (ih < 0 || ih >= IH) continue;
      for (int kw = 0; kw < KW; ++kw) {
        const int iw = ow * SW - PW + kw * DW;
        if (iw < 0 || iw >= IW) continue;
        best = max(best, (int)x[(((b * ID + id) * IH + ih) * IW + iw) * C + c]);
      }
    }
  }
  y[(z * OW + ow) * C + c] = (char)best;
}

// ShuffleChannels over the last axis of one-byte elements (channels-last codes): output channel
// j = k * G + g of pixel p reads input channel g * C/G + k. global: (C, pixels).
__kernel void shuffle_last_bytes(__global const char* x, __global char* y, int G) {
  const int j = get_global_id(0), p = get_global_id(1), C = get_global_size(0);
  y[p * C + j] = x[p * C + (j % G) * (C / G) + j / G];
}
