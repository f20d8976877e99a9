// Private to runtime/onednn: the exact s32 accumulators of a stride-1 "same" int8 convolution with
// few output channels (8 or 16; DenseNet's 3x3 growth layers, 32 -> 8), pixels in the vector lanes.
// oneDNN's kernels put output channels in the lanes and waste half of every vector on 8 of them
// (jit_int8, 23 of the layer's 30 us against OpenVINO's 23 for the whole layer); here 16 pixels of
// one output channel share a vector: vpdpbusd of 16 pixels' 4 input levels by one broadcast weight
// dword. The input is first laid out [input channel / 4][row][column][4] as u8 levels with a zero
// border (level 0: the zero-point correction then covers the in-bounds taps only, as the caller's
// border-class table does for oneDNN's zero padding).
#pragma once

#include <cstdint>
#include <vector>

namespace octet {
namespace cpu {

struct VnniPixelsLayer {
  int64_t inputs = 0, outputs = 0;     // channels
  int64_t height = 0, width = 0;       // input = output size
  int64_t kernel_h = 0, kernel_w = 0;  // odd; padding kernel / 2 on each side
  std::vector<int32_t> weights;        // [output][ky][kx][input / 4]: 4 centred codes per dword
  int64_t padded_h() const { return height + kernel_h - 1; }
  int64_t padded_w() const { return (width + 15) / 16 * 16 + kernel_w - 1; }
  int64_t staged_bytes() const { return inputs * padded_h() * padded_w(); }
};

// True when the CPU has AVX-512 VNNI and the layer fits: inputs a multiple of 4 up to 256, 8 or 16
// outputs, an odd kernel of up to 7 x 7, rows of at least 16 pixels (narrower rows leave lanes idle:
// 8-pixel rows of unet, yolo_fpn and inception ran 1.3-1.9x slower than oneDNN's jit_int8).
bool vnni_pixels_fits(int64_t inputs, int64_t outputs, int64_t kernel_h, int64_t kernel_w, int64_t width);

// The layer with its centred weight codes [outputs][inputs][kh][kw] (each in [-128, 127]) packed.
VnniPixelsLayer make_vnni_pixels(const std::vector<int32_t>& centred, int64_t outputs, int64_t inputs,
                                 int64_t kernel_h, int64_t kernel_w, int64_t height, int64_t width);

// One image's channels-last i8 codes [height][width][inputs] into `staged` (staged_bytes()):
// levels (code + 128) in the layout above, the border level 0.
void stage_vnni_pixels(const VnniPixelsLayer& l, const int8_t* codes, uint8_t* staged);

// Output row y's accumulators, [width][outputs], from a staged image.
void vnni_pixels_row(const VnniPixelsLayer& l, const uint8_t* staged, int64_t y, int32_t* acc);

}  // namespace cpu
}  // namespace octet
