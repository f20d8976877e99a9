// MatMul launcher: the strided 4x4 register-blocked GEMM kernel (transposes and batch
// broadcasting become strides).
#include "runtime/opencl/ops/gemm.h"
#include "runtime/opencl/ops/quantized_gemv.h"

namespace octet {

GemmShape matmul_shape(const Node& node) {
  Dims a = node.input_shape(0), b = node.input_shape(1);
  bool ta = node.attr<MatMulAttrs>().transpose_a && a.size() > 1;
  bool tb = node.attr<MatMulAttrs>().transpose_b && b.size() > 1;
  if (a.size() == 1) a = {1, a[0]};
  if (b.size() == 1) b = {b[0], 1};
  size_t rank = std::max(a.size(), b.size());
  a.insert(a.begin(), rank - a.size(), 1);
  b.insert(b.begin(), rank - b.size(), 1);
  GemmShape g;
  g.M = ta ? a[rank - 1] : a[rank - 2];
  g.K = ta ? a[rank - 2] : a[rank - 1];
  g.N = tb ? b[rank - 2] : b[rank - 1];
  g.a_sm = ta ? 1 : a[rank - 1];
  g.a_sk = ta ? a[rank - 1] : 1;
  g.b_sk = tb ? 1 : b[rank - 1];
  g.b_sn = tb ? b[rank - 1] : 1;
  Dims ab(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
  g.batch = ab.empty() ? Dims{1} : broadcast_shapes(ab, bb);
  g.a_bs = Dims(g.batch.size(), 0);
  g.b_bs = Dims(g.batch.size(), 0);
  int64_t sa = a[rank - 2] * a[rank - 1], sb = b[rank - 2] * b[rank - 1];
  for (size_t i = ab.size(); i-- > 0;) {
    g.a_bs[i] = ab[i] == 1 ? 0 : sa;
    g.b_bs[i] = bb[i] == 1 ? 0 : sb;
    sa *= ab[i];
    sb *= bb[i];
  }
  return g;
}

GemmLauncher::GemmLauncher(OpenClBackend& backend, const GemmShape& shape)
    : shape_(shape), kernel_(backend.make_kernel("matmul_f32.cl", "", "matmul")) {}

void GemmLauncher::set_args(cl_mem a, cl_mem b, cl_mem c) {
  const GemmShape& g = shape_;
  cl_kernel k = kernel_.get();
  cl_int v[7] = {cl_int(g.M),    cl_int(g.N),    cl_int(g.K),   cl_int(g.a_sm),
                 cl_int(g.a_sk), cl_int(g.b_sk), cl_int(g.b_sn)};
  ocl::check(clSetKernelArg(k, 0, sizeof(cl_mem), &a), "clSetKernelArg");
  ocl::check(clSetKernelArg(k, 1, sizeof(cl_mem), &b), "clSetKernelArg");
  ocl::check(clSetKernelArg(k, 2, sizeof(cl_mem), &c), "clSetKernelArg");
  for (int i = 0; i < 7; ++i) ocl::check(clSetKernelArg(k, 3 + i, sizeof(cl_int), &v[i]), "clSetKernelArg");
  Int8Arg dims = dims_arg(g.batch), as = strides_arg(g.a_bs, g.batch.size()),
          bs = strides_arg(g.b_bs, g.batch.size());
  ocl::check(clSetKernelArg(k, 10, sizeof(dims.v), dims.v), "clSetKernelArg");
  ocl::check(clSetKernelArg(k, 11, sizeof(as.v), as.v), "clSetKernelArg");
  ocl::check(clSetKernelArg(k, 12, sizeof(bs.v), bs.v), "clSetKernelArg");
}

std::array<size_t, 3> GemmLauncher::global_size() const {
  return {static_cast<size_t>((shape_.N + 3) / 4), static_cast<size_t>((shape_.M + 3) / 4),
          static_cast<size_t>(element_count(shape_.batch))};
}

namespace {

class MatMulKernel : public OclKernel {
 public:
  MatMulKernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, "ocl_matmul_f32"), gemm_(b, matmul_shape(node)) {
    capture_constants(node, {0, 1});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    gemm_.set_args(input(in, 0), input(in, 1), output(out, 0));
    launch(ctx, gemm_.kernel(), gemm_.global_size(), 3);
  }

 private:
  GemmLauncher gemm_;
};

}  // namespace

Support supports_matmul(const Node& node, const OpenClBackend& backend) {
  Support s = check_float_node(node, {0, 1});
  if (!s.ok) return s;
  if (std::max(node.input_shape(0).size(), node.input_shape(1).size()) > 10)
    return Support::no("batch rank above 8");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_matmul(const Node& node, OpenClBackend& backend) {
  // At most 16 rows against a constant B: the bandwidth-bound GEMV (quantized_gemv_f32.cpp).
  if (float_gemv_limit(node, backend).empty()) return compile_float_gemv(node, backend);
  return std::make_unique<MatMulKernel>(node, backend);
}

}  // namespace octet
