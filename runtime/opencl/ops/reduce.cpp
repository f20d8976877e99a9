// ReduceSum/Mean/Max, Softmax and MVN launchers over an (outer, R, inner) view of the input.
#include <algorithm>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

const char* kFile = "reduce_f32.cl";

std::vector<bool> reduced_axes(const Node& node, const Tensor& axes_t) {
  int64_t rank = static_cast<int64_t>(node.input_shape(0).size());
  std::vector<bool> red(static_cast<size_t>(rank), false);
  for (int64_t a : axes_t.to_int64_vector()) red[static_cast<size_t>(normalize_axis(a, rank, "axes"))] = true;
  return red;
}

// (outer, R, inner) when the reduced dims of size > 1 form one block; false otherwise.
bool contiguous_view(const Dims& x, const std::vector<bool>& red, int64_t* outer, int64_t* R,
                     int64_t* inner) {
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

class ReduceKernel : public OclKernel {
 public:
  ReduceKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const Dims& x = node.input_shape(0);
    std::vector<bool> red = reduced_axes(node, *node.input_constant(1));
    mode_ = node.op == OpKind::kReduceSum ? 0 : node.op == OpKind::kReduceMean ? 1 : 2;
    contiguous_ = contiguous_view(x, red, &outer_, &R_, &inner_);
    if (contiguous_) {
      impl_ = "ocl_reduce_f32";
      kernel_ = make(kFile, "", "reduce_contig");
    } else {
      impl_ = "ocl_reduce_f32_generic";
      kernel_ = make(kFile, "", "reduce_generic");
      Dims st = row_major_strides(x);
      for (size_t i = 0; i < x.size(); ++i) {
        (red[i] ? rdims_ : kdims_).push_back(x[i]);
        (red[i] ? rstrides_ : kstrides_).push_back(st[i]);
      }
      R_ = element_count(rdims_);
      outer_ = element_count(kdims_);
    }
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (contiguous_) {
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_), cl_int(mode_));
      launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
    } else {
      set_args(kernel_.get(), input(in, 0), output(out, 0), dims_arg(kdims_),
               strides_arg(kstrides_, kdims_.size()), dims_arg(rdims_), strides_arg(rstrides_, rdims_.size()),
               cl_int(R_), cl_int(mode_));
      launch(ctx, kernel_.get(), {size_t(outer_), 1, 1}, 1);
    }
  }

 private:
  ocl::ClKernel kernel_;
  bool contiguous_ = true;
  int mode_ = 0;
  int64_t outer_ = 1, R_ = 1, inner_ = 1;
  Dims kdims_, kstrides_, rdims_, rstrides_;
};

class NormKernel : public OclKernel {
 public:
  NormKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const Dims& x = node.input_shape(0);
    std::vector<bool> red(x.size(), false);
    if (node.op == OpKind::kSoftmax) {
      int64_t axis = node.attr<SoftmaxAttrs>().axis;
      red[static_cast<size_t>(normalize_axis(axis, static_cast<int64_t>(x.size()), "axis"))] = true;
      impl_ = "ocl_softmax_f32";
      kernel_ = make(kFile, "", "softmax");
    } else {
      red = reduced_axes(node, *node.input_constant(1));
      impl_ = "ocl_mvn_f32";
      kernel_ = make(kFile, "", "mvn");
      const MvnAttrs& mvn = node.attr<MvnAttrs>();
      normalize_ = mvn.normalize_variance;
      eps_ = static_cast<float>(mvn.eps);
      inside_ = mvn.eps_mode == MvnEpsMode::kInsideSqrt;
    }
    contiguous_view(x, red, &outer_, &R_, &inner_);
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (impl_ == "ocl_softmax_f32")
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_));
    else
      set_args(kernel_.get(), input(in, 0), output(out, 0), cl_int(R_), cl_int(inner_), cl_int(normalize_),
               eps_, cl_int(inside_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t outer_ = 1, R_ = 1, inner_ = 1;
  bool normalize_ = false, inside_ = true;
  float eps_ = 0;
};

}  // namespace

Support supports_reduce(const Node& node, const OpenClBackend& backend) {
  Support s = check_float_node(node, {0});
  if (!s.ok) return s;
  const Dims& x = node.input_shape(0);
  if (x.size() > 8) return Support::no("rank above 8");
  if (node.op == OpKind::kSoftmax) return Support::yes();
  if (node.inputs.size() < 2 || !node.input_constant(1)) return Support::no("axes must be a constant");
  if (node.op == OpKind::kMVN) {
    int64_t o, r, i;
    if (!contiguous_view(x, reduced_axes(node, *node.input_constant(1)), &o, &r, &i))
      return Support::no("MVN over non-adjacent axes not implemented");
  }
  return Support::yes();
}

std::unique_ptr<Kernel> compile_reduce(const Node& node, OpenClBackend& backend) {
  if (node.op == OpKind::kSoftmax || node.op == OpKind::kMVN)
    return std::make_unique<NormKernel>(node, backend);
  return std::make_unique<ReduceKernel>(node, backend);
}

}  // namespace octet
