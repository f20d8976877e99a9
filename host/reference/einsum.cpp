// Reference Einsum-7: the sum, over every label absent from the output, of the product of the
// operands' elements (a label repeated in one operand takes its diagonal; size-1 dims and the
// ellipsis dims broadcast numpy-style). This evaluates the spec's definition directly rather than
// its pairwise steps, which give the same value.
//
// Numerics: float types multiply and sum in double and round once to the output type (like the
// reductions of evaluate.h); integer types compute in int64 and wrap to the type once.
#include <algorithm>

#include "host/graph/op_attrs.h"
#include "host/graph/ops/einsum_dims.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// An index variable of the evaluation: a label (0-51) or an ellipsis dim (52 + i).
struct Var {
  int64_t size = 0;
  std::vector<int64_t> stride;  // per operand; 0 where the operand does not index it or broadcasts it
};

template <class T>
std::vector<T> read_as(const Tensor& t) {
  std::vector<T> v(static_cast<size_t>(t.element_count()));
  for (int64_t i = 0; i < t.element_count(); ++i)
    v[static_cast<size_t>(i)] = std::is_floating_point<T>::value ? static_cast<T>(t.get_as_double(i))
                                                                 : static_cast<T>(t.get_as_int64(i));
  return v;
}

template <class T>
std::vector<T> contract(const std::vector<std::vector<T>>& operands, const std::vector<Var>& vars,
                        const std::vector<size_t>& out_vars, const std::vector<size_t>& sum_vars,
                        int64_t out_count) {
  const size_t n_ops = operands.size();
  std::vector<T> out(static_cast<size_t>(out_count), T(0));
  std::vector<int64_t> out_idx(out_vars.size(), 0), sum_idx(sum_vars.size(), 0);
  std::vector<int64_t> base(n_ops, 0), offset(n_ops, 0);
  bool empty_sum = false;
  for (size_t v : sum_vars) empty_sum |= vars[v].size == 0;
  for (int64_t o = 0; o < out_count; ++o) {
    T acc = T(0);
    if (!empty_sum) {
      std::fill(sum_idx.begin(), sum_idx.end(), 0);
      offset = base;
      for (;;) {
        T product = T(1);
        for (size_t n = 0; n < n_ops; ++n) product *= operands[n][static_cast<size_t>(offset[n])];
        acc += product;
        size_t d = sum_vars.size();
        for (; d-- > 0;) {  // odometer over the summed variables, keeping the offsets in step
          const Var& var = vars[sum_vars[d]];
          if (++sum_idx[d] < var.size) {
            for (size_t n = 0; n < n_ops; ++n) offset[n] += var.stride[n];
            break;
          }
          for (size_t n = 0; n < n_ops; ++n) offset[n] -= var.stride[n] * (var.size - 1);
          sum_idx[d] = 0;
        }
        if (d == static_cast<size_t>(-1)) break;
      }
    }
    out[static_cast<size_t>(o)] = acc;
    for (size_t d = out_vars.size(); d-- > 0;) {
      const Var& var = vars[out_vars[d]];
      if (++out_idx[d] < var.size) {
        for (size_t n = 0; n < n_ops; ++n) base[n] += var.stride[n];
        break;
      }
      for (size_t n = 0; n < n_ops; ++n) base[n] -= var.stride[n] * (var.size - 1);
      out_idx[d] = 0;
    }
  }
  return out;
}

}  // namespace

Outputs eval_Einsum(const Node& node, const Inputs& in) {
  const EinsumAttrs& a = node.attr<EinsumAttrs>();
  if (in.empty()) raise(ErrorCode::kModel, "{}: Einsum needs at least one input", node.describe());
  const ElementType type = in[0]->type();
  std::vector<Dims> shapes;
  for (const Tensor* t : in) {
    if (t->type() != type) unsupported_type(node, t->type());
    shapes.push_back(t->shape());
  }
  const EinsumDims dims = einsum_dims(node, shapes);
  const size_t n_ops = in.size();
  const size_t n_ell = dims.ellipsis.size();
  std::vector<Var> vars(52 + n_ell);
  std::vector<bool> used(vars.size(), false);
  for (int l = 0; l < 52; ++l) vars[static_cast<size_t>(l)].size = dims.label_size[static_cast<size_t>(l)];
  for (size_t i = 0; i < n_ell; ++i) vars[52 + i].size = dims.ellipsis[i];
  for (Var& v : vars) v.stride.assign(n_ops, 0);
  for (size_t n = 0; n < n_ops; ++n) {
    const Dims& shape = shapes[n];
    const Dims strides = row_major_strides(shape);
    size_t axis = 0;
    const auto add = [&](size_t var, size_t ax) {
      used[var] = true;
      // A size-1 dim against a larger variable broadcasts: stride 0.
      if (shape[ax] == vars[var].size) vars[var].stride[n] += strides[ax];
    };
    for (int label : a.inputs[n]) {
      if (label == EinsumAttrs::kEllipsis) {
        const size_t covered = dims.ellipsis_rank[n];
        for (size_t j = 0; j < covered; ++j) add(52 + n_ell - covered + j, axis + j);
        axis += covered;
      } else {
        add(static_cast<size_t>(label), axis++);
      }
    }
  }
  std::vector<size_t> out_vars, sum_vars;
  std::vector<bool> in_output(vars.size(), false);
  for (int label : a.output) {
    if (label == EinsumAttrs::kEllipsis) {
      for (size_t i = 0; i < n_ell; ++i) out_vars.push_back(52 + i);
    } else {
      out_vars.push_back(static_cast<size_t>(label));
    }
  }
  for (size_t v : out_vars) in_output[v] = true;
  for (size_t v = 0; v < vars.size(); ++v)
    if (used[v] && !in_output[v]) sum_vars.push_back(v);
  // Ellipsis dims of the output that no operand covers have size 1 (an operand with a shorter
  // ellipsis broadcasts); vars of size 1 with stride 0 need no special case.
  const int64_t out_count = element_count(dims.output);
  if (is_compute_float(type) || type == ElementType::kF64) {
    std::vector<std::vector<double>> ops;
    for (const Tensor* t : in) ops.push_back(read_as<double>(*t));
    const std::vector<double> y = contract(ops, vars, out_vars, sum_vars, out_count);
    if (type == ElementType::kF64) {
      Tensor t(type, dims.output);
      std::copy(y.begin(), y.end(), t.data_as<double>());
      return {t};
    }
    return {make_float_tensor(type, dims.output, std::vector<float>(y.begin(), y.end()))};
  }
  if (!is_integer(type)) unsupported_type(node, type);
  // Unsigned arithmetic wraps modulo 2^64, which wrap_to then reduces to the type.
  std::vector<std::vector<uint64_t>> ops;
  for (const Tensor* t : in) {
    const std::vector<int64_t> v = read_ints(*t);
    ops.emplace_back(v.begin(), v.end());
  }
  const std::vector<uint64_t> y = contract(ops, vars, out_vars, sum_vars, out_count);
  return {make_int_tensor(type, dims.output, std::vector<int64_t>(y.begin(), y.end()))};
}

}  // namespace ref
}  // namespace octet
