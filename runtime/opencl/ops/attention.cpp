// ScaledDotProductAttention-13 launcher (kernels/attention_f32.cl), f32: per batch element the
// offsets of each operand (numpy-broadcast batch dims) are computed here once and uploaded.
#include <cmath>

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

constexpr size_t kLanes = 64;  // SDPA_WG of attention_f32.cl

// Row-major coordinates of flat index b over `dims`, dotted with `strides`.
int64_t offset_of(int64_t b, const Dims& dims, const Dims& strides) {
  int64_t off = 0;
  for (size_t d = dims.size(); d-- > 0;) {
    off += (b % dims[d]) * strides[d];
    b /= dims[d];
  }
  return off;
}

Dims batch_of(const Dims& shape) {
  return Dims(shape.begin(), shape.end() - 2);
}

// The batch dims of `shape` followed by a 1 x 1 matrix.
Dims batch_cells(const Dims& shape) {
  Dims d = batch_of(shape);
  d.push_back(1);
  d.push_back(1);
  return d;
}

// The element strides of `shape`'s dims broadcast onto `out` (right-aligned, 0 where 1).
Dims strides_onto(const Dims& shape, const Dims& out) {
  return broadcast_strides(shape, out);
}

bool causal(const Node& node) {
  return node.attr<SdpaAttrs>().causal;
}

class SdpaKernel : public OclKernel {
 public:
  SdpaKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_sdpa_f32") {
    const Dims &qs = node.input_shape(0), &ks = node.input_shape(1), &vs = node.input_shape(2);
    const Dims& ys = node.outputs[0].shape;
    const Dims batch = batch_of(ys);
    L_ = ys[ys.size() - 2];
    Ev_ = ys.back();
    Lq_ = qs[qs.size() - 2];
    E_ = qs.back();
    S_ = ks[ks.size() - 2];
    batches_ = element_count(batch);
    Dims scores = batch;
    scores.push_back(L_);
    scores.push_back(S_);
    // Each operand's batch strides in elements of the whole tensor.
    auto batch_strides = [&](const Dims& shape) {
      Dims full = strides_onto(shape, scores);  // [.., L or 1, S or 1] onto the score shape
      return Dims(full.begin(), full.end() - 2);
    };
    // Strides of [batch.., 1, 1] tensors count whole matrices: scale by the matrix sizes.
    Dims qst = batch_strides(batch_cells(qs)), kst = batch_strides(batch_cells(ks)),
         vst = batch_strides(batch_cells(vs));
    for (auto& s : qst) s *= Lq_ * E_;
    for (auto& s : kst) s *= S_ * E_;
    for (auto& s : vst) s *= S_ * Ev_;
    Dims mst(batch.size(), 0), sst(batch.size(), 0);
    std::string mask_type = "float";
    if (causal(node)) {
      mask_mode_ = 3;
    } else if (node.inputs.size() > 3) {
      const Dims full = strides_onto(node.input_shape(3), scores);
      mst.assign(full.begin(), full.end() - 2);
      m_sl_ = full[full.size() - 2];
      m_ss_ = full.back();
      if (node.input_type(3) == ElementType::kBoolean) {
        mask_mode_ = 2;
        mask_type = "uchar";
      } else {
        mask_mode_ = 1;
      }
    }
    if (node.inputs.size() > 4) {
      has_scale_ = true;
    } else {
      scale_ = static_cast<float>(1.0 / std::sqrt(static_cast<double>(E_)));
    }
    if (node.inputs.size() > 5) {
      has_sink_ = true;
      Dims rows = batch;
      rows.push_back(L_);
      rows.push_back(1);
      const Dims full = strides_onto(node.input_shape(5), rows);
      sst.assign(full.begin(), full.end() - 2);
      s_sl_ = full[full.size() - 2];
    }
    std::vector<cl_int> offs(static_cast<size_t>(batches_ * 5));
    for (int64_t bi = 0; bi < batches_; ++bi) {
      cl_int* o = &offs[static_cast<size_t>(bi * 5)];
      o[0] = static_cast<cl_int>(offset_of(bi, batch, qst));
      o[1] = static_cast<cl_int>(offset_of(bi, batch, kst));
      o[2] = static_cast<cl_int>(offset_of(bi, batch, vst));
      o[3] = static_cast<cl_int>(offset_of(bi, batch, mst));
      o[4] = static_cast<cl_int>(offset_of(bi, batch, sst));
    }
    offs_ = weights(offs.data(), offs.size() * sizeof(cl_int));
    kernel_ = make("attention_f32.cl", "-DMASK_T=" + mask_type, "sdpa");
    capture_constants(node, {0, 1, 2, 3, 4, 5});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_mem q = input(in, 0);
    // Absent optional inputs get Q's buffer: the kernel does not read them.
    cl_mem mask = mask_mode_ == 1 || mask_mode_ == 2 ? input(in, 3) : q;
    cl_mem scale = has_scale_ ? input(in, 4) : q;
    cl_mem sink = has_sink_ ? input(in, 5) : q;
    set_args(kernel_.get(), q, input(in, 1), input(in, 2), mask, scale, sink, offs_.get(), output(out, 0),
             cl_int(L_), cl_int(Lq_), cl_int(S_), cl_int(E_), cl_int(Ev_), scale_, cl_int(has_scale_),
             cl_int(mask_mode_), cl_int(m_sl_), cl_int(m_ss_), cl_int(has_sink_), cl_int(s_sl_));
    ocl::check(clSetKernelArg(kernel_.get(), 20,
                              sizeof(cl_float) * static_cast<size_t>(std::max<int64_t>(S_, 1)), nullptr),
               "clSetKernelArg");
    launch(ctx, kernel_.get(), {kLanes * size_t(L_), size_t(batches_), 1}, {kLanes, 1, 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  ocl::Mem offs_;
  int64_t L_ = 1, Lq_ = 1, S_ = 1, E_ = 1, Ev_ = 1, batches_ = 1;
  int64_t m_sl_ = 0, m_ss_ = 0, s_sl_ = 0;
  int mask_mode_ = 0;
  bool has_scale_ = false, has_sink_ = false;
  float scale_ = 1;
};

}  // namespace

Support supports_attention(const Node& node, const OpenClBackend& backend) {
  std::vector<int> floats = {0, 1, 2};
  if (node.inputs.size() > 3 && node.input_type(3) != ElementType::kBoolean) floats.push_back(3);
  for (int i = 4; i < static_cast<int>(node.inputs.size()); ++i) floats.push_back(i);
  Support s = check_float_node(node, floats);
  if (!s.ok) return s;
  const Dims& ys = node.outputs[0].shape;
  if (ys.size() < 3 || ys.size() > 8)
    return Support::no("OpenCL backend has no kernel for ScaledDotProductAttention of this rank");
  if (node.inputs.size() > 4 && element_count(node.input_shape(4)) != 1)
    return Support::no("OpenCL backend has no kernel for ScaledDotProductAttention with a non-scalar scale");
  const Dims& ks = node.input_shape(1);
  const int64_t S = ks[ks.size() - 2];
  const DeviceInfo& d = backend.device();
  if (d.max_work_group < kLanes ||
      static_cast<size_t>(S) * sizeof(float) + kLanes * sizeof(float) + 1024 > d.local_memory)
    return Support::no(
        fmt::format("OpenCL backend has no kernel for ScaledDotProductAttention with {} keys on this device "
                    "(local memory)",
                    S));
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (node.input_shape(i).size() > ys.size())
      return Support::no("OpenCL backend has no kernel for ScaledDotProductAttention with this broadcast");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_attention(const Node& node, OpenClBackend& backend) {
  return std::make_unique<SdpaKernel>(node, backend);
}

}  // namespace octet
