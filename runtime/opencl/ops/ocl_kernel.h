// Base class of every OpenCL Kernel: captured constant inputs, argument setting and launches.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/graph/op_attrs.h"
#include "runtime/opencl/opencl_backend.h"

namespace octet {

// Index math in kernels is 32-bit: tensors above this are declined.
constexpr int64_t kMaxKernelElements = (int64_t{1} << 31) - 1;

// Up to 8 dims right-aligned into an int8 vector argument (leading dims 1, strides 0).
struct Int8Arg {
  cl_int v[8] = {1, 1, 1, 1, 1, 1, 1, 1};
};
Int8Arg dims_arg(const Dims& dims);
Int8Arg strides_arg(const Dims& strides, size_t rank);  // right-aligned, leading 0
// Row-major strides of `shape` broadcast to `out_rank` dims of `out`: 0 where shape has 1.
Dims broadcast_strides(const Dims& shape, const Dims& out);

// OpenCL C storage type of an element type ("float", "long", "uchar" for boolean and packed
// 4-bit pairs, ...), or nullptr for types no kernel stores.
const char* cl_type(ElementType t);
// The unsigned OpenCL C type of an integer type's width ("uint" for i32), for wrapping arithmetic.
const char* cl_unsigned_type(ElementType t);

// Merges adjacent dims of an elementwise launch where every operand's strides (one list per
// operand, each as long as `dims`) are contiguous across them, and drops dims of size 1, so the
// common unbroadcast case becomes one flat dim. Keeps at least one dim.
void collapse_dims(Dims& dims, const std::vector<Dims*>& strides);

// The strides of each of `shapes` read at every element of their broadcast output `out`, per an
// elementwise op's auto_broadcast: numpy and none right-align (none needs equal shapes, which
// shape inference checked), pdpd lays every later shape onto the first at `pdpd_axis` (trailing 1
// dims trimmed; -1 aligns to the right). nullopt when a pdpd shape does not fit.
std::optional<std::vector<Dims>> elementwise_strides(const std::vector<Dims>& shapes, const Dims& out,
                                                     AutoBroadcast mode, int64_t pdpd_axis);

class OclKernel : public Kernel {
 public:
  OclKernel(OpenClBackend& backend, const Node& node, std::string impl);
  ~OclKernel() override;
  std::string impl_name() const override { return impl_; }
  double last_time_us(const ExecContext& context) const override;

 protected:
  // Uploads every Constant data input in `inputs` (indices; those past the node's inputs, absent
  // optional ones, are skipped) so enqueue can use it when the executor passes a null view.
  void capture_constants(const Node& node, const std::vector<int>& inputs);
  // The buffer of input i: the view's, or the captured constant.
  cl_mem input(const std::vector<BufferView>& views, size_t i) const;
  static cl_mem output(const std::vector<BufferView>& views, size_t i);
  ocl::ClKernel make(const std::string& file, const std::string& options, const char* name) {
    return backend_.make_kernel(file, options, name);
  }
  ocl::Mem weights(const void* data, size_t bytes);

  template <typename... Args>
  void set_args(cl_kernel k, const Args&... args) {
    cl_uint i = 0;
    (set_arg(k, i++, args), ...);
  }
  // Launches `k` with global size gws (1-3 dims, zeros skip the launch) on the context's queue.
  void launch(ExecContext& context, cl_kernel k, std::array<size_t, 3> gws, cl_uint dims);
  // The same with a fixed work-group size `lws` (gws a multiple of it in every dim).
  void launch(ExecContext& context, cl_kernel k, std::array<size_t, 3> gws, std::array<size_t, 3> lws,
              cl_uint dims);
  // Enqueues a device copy of `bytes` from the start of src to the start of dst (no-op when equal).
  void copy(ExecContext& context, cl_mem src, cl_mem dst, size_t bytes);

  OpenClBackend& backend_;
  std::string impl_;
  std::mutex mutex_;  // clSetKernelArg + enqueue must not interleave between requests

 private:
  template <typename T>
  void set_arg(cl_kernel k, cl_uint i, const T& v) {
    ocl::check(clSetKernelArg(k, i, sizeof(T), &v), "clSetKernelArg");
  }
  void set_arg(cl_kernel k, cl_uint i, const Int8Arg& v) {
    ocl::check(clSetKernelArg(k, i, sizeof(v.v), v.v), "clSetKernelArg");
  }
  OpenClContext& ready(ExecContext& context) const;  // throws when the queue is suspect
  void enqueue_range(ExecContext& context, cl_kernel k, std::array<size_t, 3> gws, const size_t* lws,
                     cl_uint dims);
  void launched(OpenClContext& ctx, cl_event ev);  // records the event; guard check in guard mode

  std::vector<ocl::Mem> captured_;
  size_t captured_bytes_ = 0;
};

// Families of ops: each ops/<family>.cpp defines its supports/compile pair.
#define OCTET_OCL_FAMILY(f)                                             \
  Support supports_##f(const Node& node, const OpenClBackend& backend); \
  std::unique_ptr<Kernel> compile_##f(const Node& node, OpenClBackend& backend);
OCTET_OCL_FAMILY(eltwise)
OCTET_OCL_FAMILY(conv)
OCTET_OCL_FAMILY(matmul)
OCTET_OCL_FAMILY(pool)
OCTET_OCL_FAMILY(reduce)
OCTET_OCL_FAMILY(movement)
OCTET_OCL_FAMILY(interpolate)
OCTET_OCL_FAMILY(quantized)
OCTET_OCL_FAMILY(math)
OCTET_OCL_FAMILY(logic)
OCTET_OCL_FAMILY(normalization)
OCTET_OCL_FAMILY(deconv)
OCTET_OCL_FAMILY(attention)
OCTET_OCL_FAMILY(remap)
OCTET_OCL_FAMILY(topk)
OCTET_OCL_FAMILY(scatter_reduce)  // reached through remap
#undef OCTET_OCL_FAMILY

// Shared checks for supports(): every listed input/output f32 (or f16 when enabled), static shapes.
Support check_float_node(const Node& node, const std::vector<int>& float_inputs);
Support check_static(const Node& node);

}  // namespace octet
