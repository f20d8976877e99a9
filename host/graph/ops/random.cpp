// Shape and type inference of RandomUniform-8 (OpenVINO op specification of that version).
#include <string>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {

void infer_RandomUniform(Node& node) {
  expect_inputs(node, 3, 3);
  const auto& a = node.attr<RandomUniformAttrs>();
  const ElementType st = node.input_type(0);
  if (st != ElementType::kI32 && st != ElementType::kI64)
    raise(ErrorCode::kModel, "{}: input 0 (shape) must be i32 or i64, has {}", node.describe(),
          element_type_name(st));
  if (node.input_shape(0).size() != 1)
    raise(ErrorCode::kModel, "{}: input 0 (shape) must be 1-D, has shape {}", node.describe(),
          to_string(node.input_shape(0)));
  static const char* const kNames[] = {"shape", "minval", "maxval"};
  for (size_t i = 1; i < 3; ++i) {
    if (node.input_type(i) != a.output_type)
      raise(ErrorCode::kModel, "{}: input {} ({}) has type {}, attribute 'output_type' is {}",
            node.describe(), i, kNames[i], element_type_name(node.input_type(i)),
            element_type_name(a.output_type));
    const Dims& s = node.input_shape(i);
    if (!(s.empty() || (s.size() == 1 && (s[0] == 1 || s[0] < 0))))
      raise(ErrorCode::kModel, "{}: input {} ({}) must be a scalar or hold one element, has shape {}",
            node.describe(), i, kNames[i], to_string(s));
  }
  // OpenVINO checks minval < maxval when both are known; the reference checks it again at run time.
  if (node.input_constant(1) && node.input_constant(2)) {
    const Tensor& lo = *node.input_constant(1);
    const Tensor& hi = *node.input_constant(2);
    const bool ordered = is_float(a.output_type) ? lo.get_as_double(0) < hi.get_as_double(0)
                                                 : lo.get_as_int64(0) < hi.get_as_int64(0);
    if (!ordered)
      raise(ErrorCode::kModel, "{}: input 1 (minval) = {} must be less than input 2 (maxval) = {}",
            node.describe(), lo.get_as_double(0), hi.get_as_double(0));
  }
  const std::vector<int64_t> dims = constant_ints(node, 0, "shape");
  for (int64_t d : dims)
    if (d < 0)
      raise(ErrorCode::kModel, "{}: input 0 (shape) {} has negative value {}", node.describe(),
            list_string(dims), d);
  Dims out(dims.begin(), dims.end());
  check_output_shape(node, out);
  set_single_output(node, a.output_type, out);
}

}  // namespace octet
