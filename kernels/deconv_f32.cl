// Direct float transposed convolution (ConvolutionBackpropData-1, GroupConvolutionBackpropData-1),
// NC[D]HW, 1-3 spatial dims (missing ones as 1). Gather form: each work-item computes one output
// element, summing x[i] * w[k] over the input channels of its group and every kernel position k
// whose input position i = (o + pad - k * dilation) / stride is whole and inside the input. The
// sum runs in the reference's order (channel, then kernel position) without contraction, so f32
// results match host/reference/conv_backprop.cpp.
// Filters in the graph's layout [G][Cg][Og][KD][KH][KW] (G = 1 for ConvolutionBackpropData).
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#pragma OPENCL FP_CONTRACT OFF

// The input position along one dim for output o and kernel tap k, or -1 when none.
inline int deconv_src(int o, int k, int S, int D, int P, int I) {
  int t = o + P - k * D;
  if (t < 0 || t % S != 0) return -1;
  t /= S;
  return t < I ? t : -1;
}

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_deconv)
// geo: (ID, IH, IW, OD, OH, OW, KD, KH, KW, SD, SH, SW, DD, DH, DW, PD) and PH, PW after it.
// global: (number of outputs).
__kernel void deconv(__global const float* x, __global const float* w, __global float* y, int G, int Cg,
                     int Og, int16 geo, int PH, int PW) {
  int ID = geo.s0, IH = geo.s1, IW = geo.s2, OD = geo.s3, OH = geo.s4, OW = geo.s5;
  int KD = geo.s6, KH = geo.s7, KW = geo.s8, SD = geo.s9, SH = geo.sa, SW = geo.sb;
  int DD = geo.sc, DH = geo.sd, DW = geo.se, PD = geo.sf;
  int idx = get_global_id(0);
  int ow = idx % OW, t = idx / OW;
  int oh = t % OH;
  t /= OH;
  int od = t % OD;
  t /= OD;
  int o = t % Og;
  t /= Og;
  int g = t % G, n = t / G;
  int in_plane = ID * IH * IW, k_plane = KD * KH * KW;
  float acc = 0.0f;
  for (int c = 0; c < Cg; ++c) {
    __global const float* xc = x + (size_t)((n * G + g) * Cg + c) * in_plane;
    __global const float* wk = w + (size_t)((g * Cg + c) * Og + o) * k_plane;
    for (int kd = 0; kd < KD; ++kd) {
      int id = deconv_src(od, kd, SD, DD, PD, ID);
      if (id < 0) continue;
      for (int kh = 0; kh < KH; ++kh) {
        int ih = deconv_src(oh, kh, SH, DH, PH, IH);
        if (ih < 0) continue;
        for (int kw = 0; kw < KW; ++kw) {
          int iw = deconv_src(ow, kw, SW, DW, PW, IW);
          if (iw < 0) continue;
          float p = wk[(kd * KH + kh) * KW + kw] * xc[(id * IH + ih) * IW + iw];
          acc = acc + p;
        }
      }
    }
  }
  y[idx] = acc;
}
#endif
