// Typed attributes of every op: one struct per attribute shape, named by the op's ops.def line,
// parsed once from the IR strings (AttrReader) and validated there, per op version. Shape
// inference, the reference, the transforms and both backends read these fields; nothing outside
// op_attrs.cpp parses an attribute string.
//
//   const PoolAttrs& a = node.attr<PoolAttrs>();
//   if (a.rounding == PoolRounding::kCeilTorch) ...
//
// Adding an op: its ops.def line names a struct here (an existing one or a new one with a
// `static T parse(AttrReader&)`), then shape inference, reference and tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// ---- Shared vocabularies ----

enum class AutoPad { kExplicit, kValid, kSameUpper, kSameLower };  // "notset" reads as explicit
enum class PoolRounding { kFloor, kCeil, kCeilTorch };
// Elementwise broadcasting (ir-spec.md section 5); kNone needs equal shapes.
enum class AutoBroadcast { kNumpy, kNone, kPdpd };
// Broadcast's `mode` in one vocabulary: opset1 spells kExplicit "none" as well.
enum class BroadcastMode { kNumpy, kBidirectional, kExplicit, kPdpd };
enum class PadMode { kConstant, kEdge, kReflect, kSymmetric };
enum class GeluApproximation { kErf, kTanh };
enum class MvnEpsMode { kInsideSqrt, kOutsideSqrt };

// ---- Structs ----

// Ops without attributes (Relu, Transpose, the internal QuantizeActivation...).
struct NoAttrs {
  static NoAttrs parse(AttrReader& r);
};

// Parameter: the IR reader turns `shape` and `element_type` into the output port.
struct ParameterAttrs {
  static ParameterAttrs parse(AttrReader& r);
};

// Const: the IR reader reads `element_type`, `shape`, `offset` and `size` into the value.
struct ConstantAttrs {
  static ConstantAttrs parse(AttrReader& r);
};

struct ConvertAttrs {
  ElementType destination = ElementType::kF32;
  static ConvertAttrs parse(AttrReader& r);
};

struct FakeQuantizeAttrs {
  int64_t levels = 256;
  AutoBroadcast broadcast = AutoBroadcast::kNumpy;
  static FakeQuantizeAttrs parse(AttrReader& r);
};

// Convolution and GroupConvolution. Lists are as written (their length is checked against the
// input rank by conv_geometry, which also resolves auto_pad).
struct ConvAttrs {
  Dims strides, dilations, pads_begin, pads_end;
  AutoPad auto_pad = AutoPad::kExplicit;
  static ConvAttrs parse(AttrReader& r);
};

struct MatMulAttrs {
  bool transpose_a = false, transpose_b = false;
  static MatMulAttrs parse(AttrReader& r);
};

// Binary arithmetic (Add, Subtract, Multiply, Maximum, ...). `pdpd_axis` is -1 unless given.
struct BinaryAttrs {
  AutoBroadcast broadcast = AutoBroadcast::kNumpy;
  int64_t pdpd_axis = -1;
  static BinaryAttrs parse(AttrReader& r);
};

// Divide: BinaryAttrs plus Python's floor rounding for integer division (m_pythondiv).
struct DivideAttrs : BinaryAttrs {
  bool python_division = true;
  static DivideAttrs parse(AttrReader& r);
};

struct ClampAttrs {
  double min = 0, max = 0;
  static ClampAttrs parse(AttrReader& r);
};

struct EluAttrs {
  double alpha = 1;
  static EluAttrs parse(AttrReader& r);
};

// Gelu-2 is always erf; Gelu-7 reads approximation_mode.
struct GeluAttrs {
  GeluApproximation approximation = GeluApproximation::kErf;
  static GeluAttrs parse(AttrReader& r);
};

// MaxPool-1/8/14 and AvgPool-1/14. Fields of other versions keep their defaults:
// dilations (MaxPool-8+, empty = all 1), index_type and axis (MaxPool-8+), exclude_pad (AvgPool).
struct PoolAttrs {
  Dims kernel, strides, pads_begin, pads_end, dilations;
  AutoPad auto_pad = AutoPad::kExplicit;
  PoolRounding rounding = PoolRounding::kFloor;
  bool exclude_pad = false;
  ElementType index_type = ElementType::kI64;
  int64_t axis = 0;
  static PoolAttrs parse_max(AttrReader& r);
  static PoolAttrs parse_avg(AttrReader& r);
};
struct MaxPoolAttrs : PoolAttrs {
  static MaxPoolAttrs parse(AttrReader& r);
};
struct AvgPoolAttrs : PoolAttrs {
  static AvgPoolAttrs parse(AttrReader& r);
};

struct ReduceAttrs {
  bool keep_dims = false;
  static ReduceAttrs parse(AttrReader& r);
};

// Softmax (and other single-axis ops whose axis attribute defaults to 1). SoftMax-1 refuses a
// negative axis; its range against the data rank is checked by inference.
struct SoftmaxAttrs {
  int64_t axis = 1;
  static SoftmaxAttrs parse(AttrReader& r);
};

struct MvnAttrs {
  bool normalize_variance = true;
  double eps = 0;
  MvnEpsMode eps_mode = MvnEpsMode::kInsideSqrt;
  static MvnAttrs parse(AttrReader& r);
};

// Ops with one required `axis` attribute (Concat).
struct AxisAttrs {
  int64_t axis = 0;
  static AxisAttrs parse(AttrReader& r);
};

struct ReshapeAttrs {
  bool special_zero = false;
  static ReshapeAttrs parse(AttrReader& r);
};

struct SqueezeAttrs {
  bool allow_axis_skip = false;  // Squeeze-15
  static SqueezeAttrs parse(AttrReader& r);
};

struct ShapeOfAttrs {
  ElementType output_type = ElementType::kI64;  // ShapeOf-3; ShapeOf-1 always i64
  static ShapeOfAttrs parse(AttrReader& r);
};

struct GatherAttrs {
  int64_t batch_dims = 0;  // Gather-7/8
  static GatherAttrs parse(AttrReader& r);
};

struct BroadcastAttrs {
  BroadcastMode mode = BroadcastMode::kNumpy;
  int64_t pdpd_axis = -1;  // mode pdpd: where the target's dims start; -1 = aligned to the right
  static BroadcastAttrs parse(AttrReader& r);
};

// StridedSlice masks, each as written (entries are 0 or 1; missing trailing entries mean 0).
struct StridedSliceAttrs {
  std::vector<int64_t> begin_mask, end_mask, new_axis_mask, shrink_axis_mask, ellipsis_mask;
  static StridedSliceAttrs parse(AttrReader& r);
};

struct SplitAttrs {
  int64_t num_splits = 1;
  static SplitAttrs parse(AttrReader& r);
};

struct PadAttrs {
  PadMode mode = PadMode::kConstant;
  static PadAttrs parse(AttrReader& r);
};

enum class InterpolateMode { kNearest, kLinear, kLinearOnnx, kCubic, kBilinearPillow, kBicubicPillow };
enum class InterpolateShapeMode { kSizes, kScales };
enum class CoordinateTransform {
  kHalfPixel,
  kPytorchHalfPixel,
  kAsymmetric,
  kTfHalfPixelForNn,
  kAlignCorners
};
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kSimple };

// Interpolate-4 and -11 (ir-spec.md 6.7).
struct InterpolateAttrs {
  InterpolateMode mode = InterpolateMode::kNearest;
  InterpolateShapeMode shape_mode = InterpolateShapeMode::kSizes;
  CoordinateTransform transform = CoordinateTransform::kHalfPixel;
  NearestMode nearest_mode = NearestMode::kRoundPreferFloor;
  bool antialias = false;
  Dims pads_begin, pads_end;  // as written; missing entries are 0
  double cube_coeff = -0.75;
  static InterpolateAttrs parse(AttrReader& r);
};

// ---- Reading them ----

// Binary arithmetic's attributes of any binary op (Divide's struct extends BinaryAttrs).
const BinaryAttrs& binary_attrs(const Node& node);
// MaxPool's or AvgPool's attributes.
const PoolAttrs& pool_attrs(const Node& node);

// The IR spelling of a value, for messages.
const char* to_string(AutoBroadcast value);
const char* to_string(BroadcastMode value);
const char* to_string(PadMode value);
const char* to_string(InterpolateMode value);

// An attribute value that parsed but does not fit the inputs (an axis beyond the data rank, a list
// of the wrong length): raises kModel naming the layer, the attribute and its value as written,
// like the parse functions' own errors.
[[noreturn]] void fail_attribute(const Node& node, const char* key, const std::string& why);

}  // namespace octet

// Attribute structs of the op families added for real converted models.
#include "host/graph/attrs/attention.h"
#include "host/graph/attrs/control_flow.h"
#include "host/graph/attrs/indexing.h"
#include "host/graph/attrs/logic.h"
#include "host/graph/attrs/misc.h"
#include "host/graph/attrs/movement.h"
#include "host/graph/attrs/normalization.h"
#include "host/graph/attrs/random.h"
#include "host/graph/attrs/recurrent.h"
#include "host/graph/attrs/vision.h"
