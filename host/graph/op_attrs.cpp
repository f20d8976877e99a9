// AttrReader and the parse functions of every attribute struct (op_attrs.h): the one place where
// an op's IR attribute strings are read, per op version.
#include "host/graph/op_attrs.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/common/text.h"
#include "host/graph/graph.h"

namespace octet {

// ---- AttrReader ----

AttrReader::AttrReader(const Node& node) : node_(node) {}

const Attributes& AttrReader::attrs() const {
  return node_.attrs;
}
int AttrReader::version() const {
  return node_.version;
}
bool AttrReader::has(const char* key) const {
  return attrs().has(key);
}

int64_t AttrReader::i64(const char* key) {
  read_.insert(key);
  return attrs().i64(key);
}
int64_t AttrReader::i64_or(const char* key, int64_t fallback) {
  read_.insert(key);
  return attrs().i64_or(key, fallback);
}
double AttrReader::f64(const char* key) {
  read_.insert(key);
  return attrs().f64(key);
}
double AttrReader::f64_or(const char* key, double fallback) {
  read_.insert(key);
  return attrs().f64_or(key, fallback);
}
bool AttrReader::boolean(const char* key) {
  read_.insert(key);
  return attrs().boolean(key);
}
bool AttrReader::boolean_or(const char* key, bool fallback) {
  read_.insert(key);
  return attrs().boolean_or(key, fallback);
}
std::vector<int64_t> AttrReader::i64_list(const char* key) {
  read_.insert(key);
  return attrs().i64_list(key);
}
std::vector<int64_t> AttrReader::i64_list_or(const char* key, std::vector<int64_t> fallback) {
  read_.insert(key);
  return attrs().i64_list_or(key, std::move(fallback));
}
const std::string& AttrReader::str(const char* key) {
  read_.insert(key);
  return attrs().str(key);
}

ElementType AttrReader::element_type(const char* key) {
  bool unsupported = false;
  const auto type = parse_element_type(str(key), &unsupported);
  if (!type) fail(key, unsupported ? "is an element type octet does not support" : "is not an element type");
  return *type;
}

ElementType AttrReader::element_type_or(const char* key, ElementType fallback) {
  return has(key) ? element_type(key) : (read_.insert(key), fallback);
}

int AttrReader::choice_index(const char* key, const std::vector<const char*>& names, bool required) {
  read_.insert(key);
  if (!has(key)) {
    if (required) attrs().str(key);  // raises "is required but missing"
    return -1;
  }
  const std::string value = lower(trim(attrs().str(key)));
  for (size_t i = 0; i < names.size(); ++i)
    if (value == names[i]) return static_cast<int>(i);
  std::vector<std::string> unique;
  for (const char* n : names)
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
  std::string list;
  for (const std::string& n : unique) list += (list.empty() ? "" : ", ") + n;
  fail(key, "is not one of: " + list);
}

void AttrReader::accept(std::initializer_list<const char*> keys) {
  for (const char* k : keys) read_.insert(k);
}

void AttrReader::fail(const char* key, const std::string& why) const {
  attrs().fail(key, why);
}

void AttrReader::finish() const {
  for (const auto& [key, value] : attrs().all()) {
    if (read_.count(key)) continue;
    std::string known;
    for (const std::string& k : read_) known += (known.empty() ? "" : ", ") + k;
    raise(
        ErrorCode::kUnsupported,
        "{}: attribute '{}' = '{}' is not part of {}-{} as octet implements it (known: {}); refusing rather "
        "than ignoring it",
        node_.describe(), key, value.size() > 40 ? value.substr(0, 40) + "..." : value, op_name(node_.op),
        node_.version, known.empty() ? "none" : known);
  }
}

// ---- Vocabularies ----

namespace {

AutoPad read_auto_pad(AttrReader& r) {
  return r.choice_or<AutoPad>("auto_pad",
                              {{"explicit", AutoPad::kExplicit},
                               {"notset", AutoPad::kExplicit},
                               {"valid", AutoPad::kValid},
                               {"same_upper", AutoPad::kSameUpper},
                               {"same_lower", AutoPad::kSameLower}},
                              AutoPad::kExplicit);
}

AutoBroadcast read_auto_broadcast(AttrReader& r, bool pdpd_allowed) {
  if (pdpd_allowed)
    return r.choice_or<AutoBroadcast>(
        "auto_broadcast",
        {{"numpy", AutoBroadcast::kNumpy}, {"none", AutoBroadcast::kNone}, {"pdpd", AutoBroadcast::kPdpd}},
        AutoBroadcast::kNumpy);
  return r.choice_or<AutoBroadcast>("auto_broadcast",
                                    {{"numpy", AutoBroadcast::kNumpy}, {"none", AutoBroadcast::kNone}},
                                    AutoBroadcast::kNumpy);
}

// Convolution/pool lists: every entry of strides/dilations positive, pads non-negative.
Dims positive_list(AttrReader& r, const char* key, bool required) {
  Dims v = required ? r.i64_list(key) : r.i64_list_or(key, {});
  for (int64_t x : v)
    if (x <= 0 || x > kMaxDim) r.fail(key, fmt::format("has non-positive or huge value {}", x));
  return v;
}

Dims pad_list(AttrReader& r, const char* key, bool required) {
  Dims v = required ? r.i64_list(key) : r.i64_list_or(key, {});
  for (int64_t x : v)
    if (x < 0 || x > kMaxDim) r.fail(key, fmt::format("has invalid value {}", x));
  return v;
}

std::vector<int64_t> mask_list(AttrReader& r, const char* key, bool required) {
  std::vector<int64_t> v = required ? r.i64_list(key) : r.i64_list_or(key, {});
  for (int64_t x : v)
    if (x != 0 && x != 1) r.fail(key, fmt::format("has value {}; masks hold 0 or 1", x));
  return v;
}

}  // namespace

// ---- Parsers ----

NoAttrs NoAttrs::parse(AttrReader&) {
  return {};
}

ParameterAttrs ParameterAttrs::parse(AttrReader& r) {
  r.accept({"shape", "element_type"});
  return {};
}

ConstantAttrs ConstantAttrs::parse(AttrReader& r) {
  r.accept({"shape", "element_type", "offset", "size"});
  return {};
}

ConvertAttrs ConvertAttrs::parse(AttrReader& r) {
  return {r.element_type("destination_type")};
}

FakeQuantizeAttrs FakeQuantizeAttrs::parse(AttrReader& r) {
  FakeQuantizeAttrs a;
  a.levels = r.i64("levels");
  if (a.levels < 2 || a.levels > (int64_t{1} << 32)) r.fail("levels", "must be in [2, 2^32]");
  a.broadcast = read_auto_broadcast(r, false);
  return a;
}

ConvAttrs ConvAttrs::parse(AttrReader& r) {
  ConvAttrs a;
  a.auto_pad = read_auto_pad(r);
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;  // other modes compute the pads
  a.strides = positive_list(r, "strides", true);
  a.dilations = positive_list(r, "dilations", true);
  a.pads_begin = pad_list(r, "pads_begin", explicit_pads);
  a.pads_end = pad_list(r, "pads_end", explicit_pads);
  return a;
}

MatMulAttrs MatMulAttrs::parse(AttrReader& r) {
  return {r.boolean_or("transpose_a", false), r.boolean_or("transpose_b", false)};
}

BinaryAttrs BinaryAttrs::parse(AttrReader& r) {
  BinaryAttrs a;
  a.broadcast = read_auto_broadcast(r, true);
  if (a.broadcast == AutoBroadcast::kPdpd) a.pdpd_axis = r.i64_or("axis", -1);
  return a;
}

DivideAttrs DivideAttrs::parse(AttrReader& r) {
  DivideAttrs a;
  static_cast<BinaryAttrs&>(a) = BinaryAttrs::parse(r);
  a.python_division = r.boolean_or("m_pythondiv", true);
  return a;
}

ClampAttrs ClampAttrs::parse(AttrReader& r) {
  ClampAttrs a{r.f64("min"), r.f64("max")};
  if (a.min > a.max) r.fail("min", fmt::format("is greater than max ({})", a.max));
  return a;
}

EluAttrs EluAttrs::parse(AttrReader& r) {
  EluAttrs a{r.f64("alpha")};
  if (a.alpha < 0) r.fail("alpha", "must be non-negative");
  return a;
}

GeluAttrs GeluAttrs::parse(AttrReader& r) {
  if (r.version() < 7) return {};
  return {r.choice_or<GeluApproximation>(
      "approximation_mode", {{"erf", GeluApproximation::kErf}, {"tanh", GeluApproximation::kTanh}},
      GeluApproximation::kErf)};
}

PoolAttrs PoolAttrs::parse_max(AttrReader& r) {
  PoolAttrs a;
  a.auto_pad = read_auto_pad(r);
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;  // other modes compute the pads
  a.kernel = positive_list(r, "kernel", true);
  a.strides = positive_list(r, "strides", true);
  a.pads_begin = pad_list(r, "pads_begin", explicit_pads);
  a.pads_end = pad_list(r, "pads_end", explicit_pads);
  if (r.version() >= 8) {
    a.dilations = positive_list(r, "dilations", false);
    a.index_type = r.choice_or<ElementType>(
        "index_element_type", {{"i64", ElementType::kI64}, {"i32", ElementType::kI32}}, ElementType::kI64);
    a.axis = r.i64_or("axis", 0);
  }
  // MaxPool-14 added ceil_torch; earlier versions have floor and ceil.
  if (r.version() >= 14)
    a.rounding = r.choice_or<PoolRounding>("rounding_type",
                                           {{"floor", PoolRounding::kFloor},
                                            {"ceil", PoolRounding::kCeil},
                                            {"ceil_torch", PoolRounding::kCeilTorch}},
                                           PoolRounding::kFloor);
  else
    a.rounding = r.choice_or<PoolRounding>("rounding_type",
                                           {{"floor", PoolRounding::kFloor}, {"ceil", PoolRounding::kCeil}},
                                           PoolRounding::kFloor);
  return a;
}

PoolAttrs PoolAttrs::parse_avg(AttrReader& r) {
  PoolAttrs a;
  a.auto_pad = read_auto_pad(r);
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;  // other modes compute the pads
  a.kernel = positive_list(r, "kernel", true);
  a.strides = positive_list(r, "strides", true);
  a.pads_begin = pad_list(r, "pads_begin", explicit_pads);
  a.pads_end = pad_list(r, "pads_end", explicit_pads);
  a.exclude_pad = r.boolean("exclude-pad");
  if (r.version() >= 14)
    a.rounding = r.choice_or<PoolRounding>("rounding_type",
                                           {{"floor", PoolRounding::kFloor},
                                            {"ceil", PoolRounding::kCeil},
                                            {"ceil_torch", PoolRounding::kCeilTorch}},
                                           PoolRounding::kFloor);
  else
    a.rounding = r.choice_or<PoolRounding>("rounding_type",
                                           {{"floor", PoolRounding::kFloor}, {"ceil", PoolRounding::kCeil}},
                                           PoolRounding::kFloor);
  return a;
}

MaxPoolAttrs MaxPoolAttrs::parse(AttrReader& r) {
  return {parse_max(r)};
}
AvgPoolAttrs AvgPoolAttrs::parse(AttrReader& r) {
  return {parse_avg(r)};
}

ReduceAttrs ReduceAttrs::parse(AttrReader& r) {
  return {r.boolean_or("keep_dims", false)};
}

SoftmaxAttrs SoftmaxAttrs::parse(AttrReader& r) {
  SoftmaxAttrs a{r.i64_or("axis", 1)};
  // Softmax-1 has no negative axes (Softmax-8 added them); LogSoftmax-5 shares this struct.
  if (r.node().op == OpKind::kSoftmax && r.version() < 8 && a.axis < 0)
    r.fail("axis", "must be non-negative in SoftMax-1");
  return a;
}

MvnAttrs MvnAttrs::parse(AttrReader& r) {
  MvnAttrs a;
  a.normalize_variance = r.boolean("normalize_variance");
  a.eps = r.f64("eps");
  a.eps_mode = r.choice<MvnEpsMode>(
      "eps_mode", {{"inside_sqrt", MvnEpsMode::kInsideSqrt}, {"outside_sqrt", MvnEpsMode::kOutsideSqrt}});
  return a;
}

AxisAttrs AxisAttrs::parse(AttrReader& r) {
  return {r.i64("axis")};
}

ReshapeAttrs ReshapeAttrs::parse(AttrReader& r) {
  return {r.boolean("special_zero")};
}

SqueezeAttrs SqueezeAttrs::parse(AttrReader& r) {
  if (r.version() < 15) return {};
  return {r.boolean_or("allow_axis_skip", false)};
}

ShapeOfAttrs ShapeOfAttrs::parse(AttrReader& r) {
  if (r.version() < 3) return {};
  return {r.choice_or<ElementType>("output_type", {{"i64", ElementType::kI64}, {"i32", ElementType::kI32}},
                                   ElementType::kI64)};
}

GatherAttrs GatherAttrs::parse(AttrReader& r) {
  if (r.version() < 7) return {};
  return {r.i64_or("batch_dims", 0)};
}

BroadcastAttrs BroadcastAttrs::parse(AttrReader& r) {
  // OpenVINO serialises Broadcast-1's mode from AutoBroadcastType, where NONE is EXPLICIT, so its own
  // IR files say mode="none"; Broadcast-3 added bidirectional.
  BroadcastAttrs a;
  if (r.version() >= 3)
    a.mode = r.choice_or<BroadcastMode>("mode",
                                        {{"numpy", BroadcastMode::kNumpy},
                                         {"bidirectional", BroadcastMode::kBidirectional},
                                         {"explicit", BroadcastMode::kExplicit},
                                         {"pdpd", BroadcastMode::kPdpd}},
                                        BroadcastMode::kNumpy);
  else
    a.mode = r.choice_or<BroadcastMode>("mode",
                                        {{"numpy", BroadcastMode::kNumpy},
                                         {"explicit", BroadcastMode::kExplicit},
                                         {"none", BroadcastMode::kExplicit},
                                         {"pdpd", BroadcastMode::kPdpd}},
                                        BroadcastMode::kNumpy);
  if (a.mode == BroadcastMode::kPdpd) a.pdpd_axis = r.i64_or("axis", -1);
  return a;
}

StridedSliceAttrs StridedSliceAttrs::parse(AttrReader& r) {
  StridedSliceAttrs a;
  a.begin_mask = mask_list(r, "begin_mask", true);
  a.end_mask = mask_list(r, "end_mask", true);
  a.new_axis_mask = mask_list(r, "new_axis_mask", false);
  a.shrink_axis_mask = mask_list(r, "shrink_axis_mask", false);
  a.ellipsis_mask = mask_list(r, "ellipsis_mask", false);
  if (std::count(a.ellipsis_mask.begin(), a.ellipsis_mask.end(), 1) > 1)
    r.fail("ellipsis_mask", "sets more than one ellipsis");
  return a;
}

SplitAttrs SplitAttrs::parse(AttrReader& r) {
  SplitAttrs a{r.i64("num_splits")};
  if (a.num_splits <= 0 || a.num_splits > (int64_t{1} << 20)) r.fail("num_splits", "must be positive");
  return a;
}

PadAttrs PadAttrs::parse(AttrReader& r) {
  return {r.choice<PadMode>("pad_mode", {{"constant", PadMode::kConstant},
                                         {"edge", PadMode::kEdge},
                                         {"reflect", PadMode::kReflect},
                                         {"symmetric", PadMode::kSymmetric}})};
}

InterpolateAttrs InterpolateAttrs::parse(AttrReader& r) {
  InterpolateAttrs a;
  if (r.version() >= 11)
    a.mode = r.choice<InterpolateMode>("mode", {{"nearest", InterpolateMode::kNearest},
                                                {"linear", InterpolateMode::kLinear},
                                                {"linear_onnx", InterpolateMode::kLinearOnnx},
                                                {"cubic", InterpolateMode::kCubic},
                                                {"bilinear_pillow", InterpolateMode::kBilinearPillow},
                                                {"bicubic_pillow", InterpolateMode::kBicubicPillow}});
  else
    a.mode = r.choice<InterpolateMode>("mode", {{"nearest", InterpolateMode::kNearest},
                                                {"linear", InterpolateMode::kLinear},
                                                {"linear_onnx", InterpolateMode::kLinearOnnx},
                                                {"cubic", InterpolateMode::kCubic}});
  a.shape_mode = r.choice<InterpolateShapeMode>(
      "shape_calculation_mode",
      {{"sizes", InterpolateShapeMode::kSizes}, {"scales", InterpolateShapeMode::kScales}});
  a.transform =
      r.choice_or<CoordinateTransform>("coordinate_transformation_mode",
                                       {{"half_pixel", CoordinateTransform::kHalfPixel},
                                        {"pytorch_half_pixel", CoordinateTransform::kPytorchHalfPixel},
                                        {"asymmetric", CoordinateTransform::kAsymmetric},
                                        {"tf_half_pixel_for_nn", CoordinateTransform::kTfHalfPixelForNn},
                                        {"align_corners", CoordinateTransform::kAlignCorners}},
                                       CoordinateTransform::kHalfPixel);
  a.nearest_mode = r.choice_or<NearestMode>("nearest_mode",
                                            {{"round_prefer_floor", NearestMode::kRoundPreferFloor},
                                             {"round_prefer_ceil", NearestMode::kRoundPreferCeil},
                                             {"floor", NearestMode::kFloor},
                                             {"ceil", NearestMode::kCeil},
                                             {"simple", NearestMode::kSimple}},
                                            NearestMode::kRoundPreferFloor);
  a.antialias = r.boolean_or("antialias", false);
  a.pads_begin = pad_list(r, "pads_begin", false);
  a.pads_end = pad_list(r, "pads_end", false);
  a.cube_coeff = r.f64_or("cube_coeff", -0.75);
  return a;
}

// ---- Reading them ----

const BinaryAttrs& binary_attrs(const Node& node) {
  if (node.op == OpKind::kDivide) return node.attr<DivideAttrs>();
  return node.attr<BinaryAttrs>();
}

const PoolAttrs& pool_attrs(const Node& node) {
  if (node.op == OpKind::kMaxPool) return node.attr<MaxPoolAttrs>();
  return node.attr<AvgPoolAttrs>();
}

const char* to_string(AutoBroadcast value) {
  switch (value) {
    case AutoBroadcast::kNumpy: return "numpy";
    case AutoBroadcast::kNone: return "none";
    case AutoBroadcast::kPdpd: return "pdpd";
  }
  return "?";
}

const char* to_string(BroadcastMode value) {
  switch (value) {
    case BroadcastMode::kNumpy: return "numpy";
    case BroadcastMode::kBidirectional: return "bidirectional";
    case BroadcastMode::kExplicit: return "explicit";
    case BroadcastMode::kPdpd: return "pdpd";
  }
  return "?";
}

const char* to_string(PadMode value) {
  switch (value) {
    case PadMode::kConstant: return "constant";
    case PadMode::kEdge: return "edge";
    case PadMode::kReflect: return "reflect";
    case PadMode::kSymmetric: return "symmetric";
  }
  return "?";
}

const char* to_string(InterpolateMode value) {
  switch (value) {
    case InterpolateMode::kNearest: return "nearest";
    case InterpolateMode::kLinear: return "linear";
    case InterpolateMode::kLinearOnnx: return "linear_onnx";
    case InterpolateMode::kCubic: return "cubic";
    case InterpolateMode::kBilinearPillow: return "bilinear_pillow";
    case InterpolateMode::kBicubicPillow: return "bicubic_pillow";
  }
  return "?";
}

void fail_attribute(const Node& node, const char* key, const std::string& why) {
  node.attrs.fail(key, why);
}

}  // namespace octet

// ---- Node::parse_attributes: dispatch by op to the struct its ops.def line names ----

namespace octet {
namespace {

struct ParsedAttrs {
  std::shared_ptr<const void> value;
  const std::type_info* type;
};

template <class T>
ParsedAttrs parse_as(const Node& node) {
  AttrReader reader(node);
  auto value = std::make_shared<const T>(T::parse(reader));
  reader.finish();
  return {std::move(value), &typeid(T)};
}

using ParseFn = ParsedAttrs (*)(const Node&);
constexpr ParseFn kParsers[] = {
#define OCTET_OP(name, ir_type, versions, attrs) &parse_as<attrs>,
#include "host/graph/ops.def"
#undef OCTET_OP
};

}  // namespace

void Node::parse_attributes() {
  ParsedAttrs parsed = kParsers[static_cast<size_t>(op)](*this);
  typed_attrs_ = std::move(parsed.value);
  typed_attrs_type_ = parsed.type;
  typed_attrs_generation_ = attrs.generation();
}

void Node::typed_attrs_mismatch(const std::type_info& wanted) const {
  if (!typed_attrs_) raise(ErrorCode::kInternal, "{}: attributes read before they were parsed", describe());
  if (*typed_attrs_type_ != wanted)
    raise(ErrorCode::kInternal, "{}: attributes read as {} but the op's struct is {}", describe(),
          wanted.name(), typed_attrs_type_->name());
  raise(ErrorCode::kInternal, "{}: attributes changed since they were parsed (re-run inference)", describe());
}

}  // namespace octet
