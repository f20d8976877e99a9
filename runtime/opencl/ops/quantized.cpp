// The OpenCL int8 family: QuantizeActivation (f32 -> i8 codes), dispatch of the quantized linear
// ops, and the per-device DOT4 probe.
#include "runtime/opencl/ops/quantized.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

namespace octet {
namespace {

class QuantizeActivationKernel : public OclKernel {
 public:
  QuantizeActivationKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const ActivationQuantize& p = quantize_params(node);
    const Dims& in = node.input_shape(0);
    transpose_ = p.channels_last && in.size() >= 3;
    in_low_ = p.quant.in_low;
    in_high_ = p.quant.in_high;
    levels_m1_ = static_cast<float>(p.quant.levels - 1);
    if (transpose_) {
      batch_ = in[0];
      channels_ = in[1];
      plane_ = element_count(in) / (batch_ * channels_);
    }
    count_ = element_count(in);
    impl_ = transpose_ ? "ocl_quantize_i8_channels_last" : "ocl_quantize_i8";
    kernel_ = make("quantized_activation.cl", "-cl-fp32-correctly-rounded-divide-sqrt",
                   transpose_ ? "quantize_channels_last" : "quantize_flat");
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), in_low_, in_high_, levels_m1_);
    if (transpose_) {
      launch(ctx, kernel_.get(), {size_t(plane_), size_t(channels_), size_t(batch_)}, 3);
    } else {
      launch(ctx, kernel_.get(), {size_t(count_), 1, 1}, 1);
    }
  }

 private:
  ocl::ClKernel kernel_;
  bool transpose_ = false;
  int64_t batch_ = 1, channels_ = 1, plane_ = 1, count_ = 0;
  float in_low_ = 0, in_high_ = 0, levels_m1_ = 255;
};

Support supports_quantize_activation(const Node& node) {
  Support s = check_static(node);
  if (!s.ok) return s;
  if (node.input_type(0) != ElementType::kF32) return Support::no("QuantizeActivation input is not f32");
  const ActivationQuantize& p = quantize_params(node);
  if (p.quant.levels < 2 || p.quant.levels > 256) return Support::no("quantization levels outside 2..256");
  return Support::yes();
}

}  // namespace

size_t kernel_work_group_size(cl_kernel kernel, cl_device_id device) {
  size_t value = 0;
  if (clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, sizeof value, &value, nullptr) !=
      CL_SUCCESS)
    return 0;
  return value;
}

size_t kernel_local_memory(cl_kernel kernel, cl_device_id device) {
  cl_ulong value = 0;
  if (clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_LOCAL_MEM_SIZE, sizeof value, &value, nullptr) !=
      CL_SUCCESS)
    return 0;
  return static_cast<size_t>(value);
}

std::string gemv_device_limit(const DeviceInfo& device, size_t kernel_work_group, size_t kernel_local_bytes) {
  if (device.max_work_group < kGemvWorkGroupSize)
    return fmt::format("device work-group limit {} < {}", device.max_work_group, kGemvWorkGroupSize);
  if (kernel_work_group != 0 && kernel_work_group < kGemvWorkGroupSize)
    return fmt::format("kernel work-group limit {} < {}", kernel_work_group, kGemvWorkGroupSize);
  const size_t local = std::max(kernel_local_bytes, kGemvLocalBytes);
  if (device.local_memory < local)
    return fmt::format("device local memory {} B < {} B", device.local_memory, local);
  return "";
}

const char* dot_mode_name(DotMode mode) {
  switch (mode) {
    case DotMode::kPtxDp4a: return "dp4a";
    case DotMode::kKhr: return "khr_dot";
    case DotMode::kPlain: break;
  }
  return "plain";
}

DotMode dot_mode(OpenClBackend& backend) {
  static std::mutex mutex;
  static std::map<std::pair<cl_device_id, std::string>, DotMode> probed;
  const DeviceInfo& d = backend.device();
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_pair(d.device, d.name + "\n" + d.driver_version);
  auto it = probed.find(key);
  if (it != probed.end()) return it->second;
  std::vector<DotMode> candidates;
  if (d.nv_compute_capability >= 61) candidates.push_back(DotMode::kPtxDp4a);
  if (d.integer_dot_product) candidates.push_back(DotMode::kKhr);
  DotMode chosen = DotMode::kPlain;
  for (DotMode m : candidates) {
    try {  // the probe: the real program with signed and unsigned weights must build
      for (int kind : {0, 1})
        backend.make_kernel("quantized_linear.cl", quantized_build_options(m, kind, false), "qgemm");
      chosen = m;
      break;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kKernelBuildFailed) throw;
    }
  }
  probed.emplace(key, chosen);
  return chosen;
}

Support supports_quantized(const Node& node, const OpenClBackend& backend) {
  if (node.op == OpKind::kQuantizeActivation) return supports_quantize_activation(node);
  return supports_quantized_linear(node, backend);
}

std::unique_ptr<Kernel> compile_quantized(const Node& node, OpenClBackend& backend) {
  switch (node.op) {
    case OpKind::kQuantizeActivation: return std::make_unique<QuantizeActivationKernel>(node, backend);
    case OpKind::kQuantizedMatMul: return compile_quantized_matmul(node, backend);
    case OpKind::kQuantizedConvolution: return compile_quantized_conv(node, backend);
    default: break;
  }
  raise(ErrorCode::kInternal, "{} is not an int8 op", node.describe());
}

}  // namespace octet
