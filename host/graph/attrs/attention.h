// Attribute structs of the attention, einsum and signal ops.
// Included by host/graph/op_attrs.h; parse functions in attention.cpp. (DFT, IDFT, RDFT and IRDFT
// have no attributes: NoAttrs.)
#pragma once

#include <string>
#include <vector>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// ScaledDotProductAttention-13.
struct SdpaAttrs {
  bool causal = false;
  static SdpaAttrs parse(AttrReader& r);
};

// ConvolutionBackpropData-1 and GroupConvolutionBackpropData-1: Convolution's attributes read "in
// the backward way" plus output_padding. Lists are as written (empty output_padding = zeros); their
// length is checked against the data rank by conv_backprop_geometry().
struct ConvBackpropAttrs {
  Dims strides, dilations, pads_begin, pads_end, output_padding;
  AutoPad auto_pad = AutoPad::kExplicit;
  static ConvBackpropAttrs parse(AttrReader& r);
};

// Einsum-7: the equation, parsed and validated once. Labels are numbered 0-51 ('A'-'Z' then
// 'a'-'z', the spec's sort order); kEllipsis marks "...". In implicit mode (no "->") `output` is
// the spec's recovery: the ellipsis (if any input has one) and then, sorted, the labels that occur
// exactly once on the left-hand side.
struct EinsumAttrs {
  static constexpr int kEllipsis = -1;
  std::string equation;
  std::vector<std::vector<int>> inputs;
  std::vector<int> output;
  static EinsumAttrs parse(AttrReader& r);
};

// The label of an Einsum label number ('A'..'Z', 'a'..'z') or "..." for kEllipsis.
std::string einsum_label_name(int label);

}  // namespace octet
