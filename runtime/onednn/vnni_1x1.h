// Private to runtime/onednn: the exact s32 accumulators of a small 1x1 int8 convolution (stride 1,
// no padding, one group) with AVX-512 VNNI, a few pixels at a time, for the caller to finish while
// they are still in L1. DenseNet's bottleneck layers (16-48 input channels, 24-32 outputs) spent
// more in oneDNN's brgconv call and the s32 round trip through L2 than in their multiply-adds
// (multiply.2: 16 us against OpenVINO's 6).
#pragma once

#include <cstdint>
#include <vector>

namespace octet {
namespace cpu {

// Weights packed for vnni_1x1_accumulate: [output block of 16][input channel / 4][16 lanes][4]
// centred codes (int8), the lanes past the last output channel zero.
struct Vnni1x1Weights {
  std::vector<int8_t> packed;
  int64_t inputs = 0, outputs = 0;
};

// True when the CPU has AVX-512 VNNI and a layer of `inputs` x `outputs` channels fits the kernel
// (inputs a multiple of 4 up to 64, outputs up to 64).
bool vnni_1x1_fits(int64_t inputs, int64_t outputs);

// Packs centred weight codes [outputs][inputs] (each in [-128, 127]).
Vnni1x1Weights pack_vnni_1x1(const std::vector<int32_t>& centred, int64_t outputs, int64_t inputs);

// acc[p * outputs + o] = sum over c of level(x[p * inputs + c]) * w[o][c] for `pixels` channels-last
// pixels of i8 codes, level = code + 128 (the levels' zero point is the caller's correction).
void vnni_1x1_accumulate(const Vnni1x1Weights& w, const int8_t* x, int64_t pixels, int32_t* acc);

}  // namespace cpu
}  // namespace octet
