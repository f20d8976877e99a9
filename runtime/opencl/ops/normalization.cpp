// Launchers for NormalizeL2-1, GRN-1, LRN-1, BatchNormInference-1/5 and GroupNormalization-12
// (kernels/normalization_f32.cl), f32.
#include <cmath>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

const char* kFile = "normalization_f32.cl";

// (outer, R, inner) when the dims of size > 1 among `red` form one block; false otherwise.
bool block_view(const Dims& x, const std::vector<bool>& red, int64_t* outer, int64_t* R, int64_t* inner) {
  int first = -1, last = -1;
  for (size_t i = 0; i < x.size(); ++i)
    if (red[i] && x[i] != 1) {
      if (first < 0) first = static_cast<int>(i);
      last = static_cast<int>(i);
    }
  *outer = 1, *R = 1, *inner = 1;
  if (first < 0) {
    *outer = element_count(x);
    return true;
  }
  for (int i = first; i <= last; ++i)
    if (!red[i] && x[i] != 1) return false;
  for (int i = 0; i < first; ++i) *outer *= x[i];
  for (int i = first; i <= last; ++i) *R *= x[i];
  for (size_t i = last + 1; i < x.size(); ++i) *inner *= x[i];
  return true;
}

// NormalizeL2's reduced dims (empty: none), or GRN's dim 1.
std::vector<bool> l2_axes(const Node& node, bool* any) {
  const Dims& x = node.input_shape(0);
  std::vector<bool> red(x.size(), false);
  *any = true;
  if (node.op == OpKind::kGRN) {
    red[1] = true;
    return red;
  }
  *any = false;
  for (int64_t a : node.input_constant(1)->to_int64_vector()) {
    red[static_cast<size_t>(normalize_axis(a, static_cast<int64_t>(x.size()), "axes"))] = true;
    *any = true;
  }
  return red;
}

class NormalizeL2Kernel : public OclKernel {
 public:
  NormalizeL2Kernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, node.op == OpKind::kGRN ? "ocl_grn_f32" : "ocl_normalize_l2_f32") {
    bool any = false;
    std::vector<bool> red = l2_axes(node, &any);
    if (!any) {
      // Every element its own group: R = 1.
      unit_ = true;
      outer_ = element_count(node.input_shape(0));
    } else {
      block_view(node.input_shape(0), red, &outer_, &R_, &inner_);
    }
    if (node.op == OpKind::kGRN) {
      eps_ = static_cast<float>(node.attr<GrnAttrs>().bias);
    } else {
      const NormalizeL2Attrs& a = node.attr<NormalizeL2Attrs>();
      eps_ = static_cast<float>(a.eps);
      max_ = a.eps_mode == L2EpsMode::kMax;
    }
    kernel_ = make(kFile, "-cl-fp32-correctly-rounded-divide-sqrt", "normalize_l2");
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_), eps_, cl_int(max_),
             cl_int(unit_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t outer_ = 1, R_ = 1, inner_ = 1;
  float eps_ = 0;
  bool max_ = false, unit_ = false;
};

class LrnKernel : public OclKernel {
 public:
  LrnKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_lrn_f32") {
    const LrnAttrs& a = node.attr<LrnAttrs>();
    dims_ = node.input_shape(0);
    const size_t rank = dims_.size();
    Dims win(rank, 0);
    std::vector<int64_t> axes = node.input_constant(1)->to_int64_vector();
    int64_t count = 0;  // distinct axes, as the reference's set
    for (int64_t axis : axes)
      if (!win[static_cast<size_t>(axis)]) win[static_cast<size_t>(axis)] = 1, ++count;
    win_ = Int8Arg{};
    for (auto& v : win_.v) v = 0;
    for (size_t i = 0; i < rank; ++i) win_.v[8 - rank + i] = static_cast<cl_int>(win[i]);
    half_ = static_cast<int>((a.size - 1) / 2);
    scale_ = static_cast<float>(a.alpha / std::pow(static_cast<double>(a.size), static_cast<double>(count)));
    bias_ = static_cast<float>(a.bias);
    beta_ = static_cast<float>(a.beta);
    kernel_ = make(kFile, "", "lrn");
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), dims_arg(dims_), win_, cl_int(half_), scale_, bias_,
             beta_);
    launch(ctx, kernel_.get(), {size_t(element_count(dims_)), 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  Dims dims_;
  Int8Arg win_;
  int half_ = 0;
  float scale_ = 1, bias_ = 1, beta_ = 0.5f;
};

class BatchNormKernel : public OclKernel {
 public:
  BatchNormKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_batch_norm_f32") {
    // BatchNormInference-1 takes (gamma, beta, data, mean, variance), -5 (data, gamma, beta, ...).
    data_ = node.version >= 5 ? 0 : 2;
    gamma_ = node.version >= 5 ? 1 : 0;
    const Dims& x = node.input_shape(data_);
    C_ = x[1];
    for (size_t d = 2; d < x.size(); ++d) inner_ *= x[d];
    count_ = element_count(x);
    eps_ = static_cast<float>(node.attr<BatchNormAttrs>().epsilon);
    kernel_ = make(kFile, "-cl-fp32-correctly-rounded-divide-sqrt", "batch_norm");
    capture_constants(node, {0, 1, 2, 3, 4});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, data_), input(in, gamma_), input(in, gamma_ + 1), input(in, 3),
             input(in, 4), output(out, 0), cl_int(C_), cl_int(inner_), eps_);
    launch(ctx, kernel_.get(), {size_t(count_), 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  size_t data_ = 0, gamma_ = 1;
  int64_t C_ = 1, inner_ = 1, count_ = 0;
  float eps_ = 0;
};

constexpr size_t kGroupNormLanes = 64;  // GN_WG of normalization_f32.cl

class GroupNormKernel : public OclKernel {
 public:
  GroupNormKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_group_norm_f32") {
    const Dims& x = node.input_shape(0);
    const GroupNormAttrs& a = node.attr<GroupNormAttrs>();
    C_ = x[1];
    G_ = a.num_groups;
    rows_ = x[0] * G_;
    for (size_t d = 2; d < x.size(); ++d) inner_ *= x[d];
    eps_ = static_cast<float>(a.epsilon);
    kernel_ = make(kFile, "-cl-fp32-correctly-rounded-divide-sqrt", "group_norm");
    capture_constants(node, {0, 1, 2});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), input(in, 1), input(in, 2), output(out, 0), cl_int(C_), cl_int(G_),
             cl_int(inner_), eps_);
    launch(ctx, kernel_.get(), {kGroupNormLanes * size_t(rows_), 1, 1}, {kGroupNormLanes, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t C_ = 1, G_ = 1, rows_ = 0, inner_ = 1;
  float eps_ = 0;
};

Support no_kernel(const Node& node, const std::string& what) {
  return Support::no(fmt::format("OpenCL backend has no kernel for {} {}", op_name(node.op), what));
}

}  // namespace

Support supports_normalization(const Node& node, const OpenClBackend& backend) {
  std::vector<int> floats;
  switch (node.op) {
    case OpKind::kBatchNormInference: floats = {0, 1, 2, 3, 4}; break;
    case OpKind::kGroupNormalization: floats = {0, 1, 2}; break;
    default: floats = {0}; break;
  }
  Support s = check_float_node(node, floats);
  if (!s.ok) return s;
  const Dims& x = node.input_shape(node.op == OpKind::kBatchNormInference && node.version < 5 ? 2 : 0);
  if (x.size() > 8) return no_kernel(node, "above rank 8");
  switch (node.op) {
    case OpKind::kNormalizeL2: {
      if (!node.input_constant(1)) return no_kernel(node, "with computed axes");
      bool any = false;
      int64_t o, r, i;
      if (!block_view(x, l2_axes(node, &any), &o, &r, &i)) return no_kernel(node, "over non-adjacent axes");
      return Support::yes();
    }
    case OpKind::kLRN:
      if (!node.input_constant(1)) return no_kernel(node, "with computed axes");
      for (int64_t a : node.input_constant(1)->to_int64_vector())
        if (a < 0 || a >= static_cast<int64_t>(x.size()))
          return no_kernel(node, "with axis " + std::to_string(a));
      return Support::yes();
    case OpKind::kGroupNormalization:
      if (x.size() < 2 || node.attr<GroupNormAttrs>().num_groups <= 0)
        return no_kernel(node, "of this shape");
      return Support::yes();
    default: return Support::yes();  // GRN, BatchNormInference (shape inference checked the shapes)
  }
}

std::unique_ptr<Kernel> compile_normalization(const Node& node, OpenClBackend& backend) {
  switch (node.op) {
    case OpKind::kNormalizeL2:
    case OpKind::kGRN: return std::make_unique<NormalizeL2Kernel>(node, backend);
    case OpKind::kLRN: return std::make_unique<LrnKernel>(node, backend);
    case OpKind::kBatchNormInference: return std::make_unique<BatchNormKernel>(node, backend);
    case OpKind::kGroupNormalization: return std::make_unique<GroupNormKernel>(node, backend);
    default: break;
  }
  raise(ErrorCode::kInternal, "no normalization kernel for {}", op_name(node.op));
}

}  // namespace octet
