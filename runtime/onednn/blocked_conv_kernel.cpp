// f32 Convolution and depthwise GroupConvolution (groups == input channels == output channels) in
// the layout oneDNN chooses. On plain NCHW tensors oneDNN 2.6 runs these through gemm (im2col:
// shufflenet's 8x8 depthwise layers took 15 us against OpenVINO's 1-2 us, small 3x3 layers 2-4x
// OpenVINO's time); its jit depthwise, direct and brgemm code wants channel-blocked or channels-last
// tensors, so this kernel reorders the input into the layout oneDNN chose, convolves there and
// reorders the output back (until layouts propagate between layers). 1x1 convolutions stay on gemm.
// Same multiply-adds as the reference up to summation order, as every oneDNN convolution here.
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/conv_geometry.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

using dnnl::memory;

class BlockedConvKernel : public Kernel {
 public:
  BlockedConvKernel(const dnnl::convolution_forward::primitive_desc& pd, memory::desc src_plain,
                    memory::desc dst_plain, memory weights, const dnnl::engine& engine)
      : conv_(pd),
        src_plain_(src_plain),
        dst_plain_(dst_plain),
        src_blocked_(pd.src_desc()),
        dst_blocked_(pd.dst_desc()),
        scratch_(pd.scratchpad_desc()),
        weights_(std::move(weights)),
        impl_(std::string("onednn_") + pd.impl_info_str()) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::reorder::primitive_desc in_pd(engine, src_plain_, engine, src_blocked_, attr);
    const dnnl::reorder::primitive_desc out_pd(engine, dst_blocked_, engine, dst_plain_, attr);
    to_blocked_ = dnnl::reorder(in_pd);
    to_plain_ = dnnl::reorder(out_pd);
    in_scratch_ = in_pd.scratchpad_desc();
    out_scratch_ = out_pd.scratchpad_desc();
    scratch_size_ = std::max({scratch_.get_size(), in_scratch_.get_size(), out_scratch_.get_size()});
  }

  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    auto& ctx = static_cast<CpuContext&>(context);
    std::unique_ptr<KernelState>& slot = ctx.states[this];
    const dnnl::engine engine = ctx.stream.get_engine();
    if (!slot) {
      auto s = std::make_unique<State>();
      s->src = memory(src_plain_, engine, nullptr);
      s->dst = memory(dst_plain_, engine, nullptr);
      s->src_blocked = memory(src_blocked_, engine);  // oneDNN-owned, aligned as its jit code likes
      s->dst_blocked = memory(dst_blocked_, engine);
      // One buffer serves the three primitives' scratchpads (they run one after another).
      s->scratch_bytes.resize(scratch_size_);
      s->scratch = memory(scratch_, engine, s->scratch_bytes.data());
      s->in_scratch = memory(in_scratch_, engine, s->scratch_bytes.data());
      s->out_scratch = memory(out_scratch_, engine, s->scratch_bytes.data());
      slot = std::move(s);
    }
    auto& s = static_cast<State&>(*slot);
    s.src.set_data_handle(inputs.at(0).handle);
    s.dst.set_data_handle(outputs.at(0).handle);
    try {
      to_blocked_.execute(
          ctx.stream,
          {{DNNL_ARG_FROM, s.src}, {DNNL_ARG_TO, s.src_blocked}, {DNNL_ARG_SCRATCHPAD, s.in_scratch}});
      conv_.execute(ctx.stream, {{DNNL_ARG_SRC, s.src_blocked},
                                 {DNNL_ARG_WEIGHTS, weights_},
                                 {DNNL_ARG_DST, s.dst_blocked},
                                 {DNNL_ARG_SCRATCHPAD, s.scratch}});
      to_plain_.execute(
          ctx.stream,
          {{DNNL_ARG_FROM, s.dst_blocked}, {DNNL_ARG_TO, s.dst}, {DNNL_ARG_SCRATCHPAD, s.out_scratch}});
      ctx.stream.wait();
    } catch (const dnnl::error& e) {
      raise(ErrorCode::kInternal, "oneDNN {} failed: {}", impl_, e.what());
    }
  }

  std::string impl_name() const override { return impl_; }
  size_t scratch_bytes() const override {
    return scratch_size_ + src_blocked_.get_size() + dst_blocked_.get_size();
  }

 private:
  struct State : KernelState {
    memory src, dst, src_blocked, dst_blocked, scratch, in_scratch, out_scratch;
    std::vector<uint8_t> scratch_bytes;
  };

  dnnl::convolution_forward conv_;
  dnnl::reorder to_blocked_, to_plain_;
  memory::desc src_plain_, dst_plain_, src_blocked_, dst_blocked_, scratch_, in_scratch_, out_scratch_;
  size_t scratch_size_ = 0;
  memory weights_;
  std::string impl_;
};

}  // namespace

std::unique_ptr<Kernel> make_blocked_conv_kernel(const Node& node, CpuBackend& backend) {
  const bool grouped = node.op == OpKind::kGroupConvolution;
  if (!grouped && node.op != OpKind::kConvolution) return nullptr;
  if (node.inputs.size() != 2 || !all_f32(node)) return nullptr;
  const Tensor* weights = node.input_constant(1);
  if (!weights || node.input_constant(0)) return nullptr;
  const Dims& x = node.input_shape(0);
  const Dims& w = node.input_shape(1);  // [G, 1, 1, k...] for depthwise, [O, C, k...] for plain
  const Dims& y = node.outputs.at(0).shape;
  if (x.size() < 3 || x.size() > 5 || w.size() != x.size() + (grouped ? 1 : 0)) return nullptr;
  const bool depthwise = grouped && w[0] == x[1] && w[1] == 1 && w[2] == 1 && y[1] == x[1];
  if (grouped && !depthwise) return nullptr;
  const ConvGeometry g = conv_geometry(node, grouped);
  memory::dims strides, dilations, pad_l, pad_r;
  for (size_t i = 0; i + 2 < x.size(); ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilations[i] + 1;
    strides.push_back(g.strides[i]);
    dilations.push_back(g.dilations[i] - 1);
    pad_l.push_back(g.pads_begin[i]);
    pad_r.push_back((y[i + 2] - 1) * g.strides[i] + span - x[i + 2] - g.pads_begin[i]);
  }
  const dnnl::engine& engine = backend.engine();
  auto any = [](const Dims& d) {
    return memory::desc(memory::dims(d.begin(), d.end()), memory::data_type::f32, memory::format_tag::any);
  };
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::convolution_direct, any(x), any(w), any(y), strides,
                                       dilations, pad_l, pad_r);
  dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
  // Worth the two reorders: oneDNN's jit depthwise code, and its blocked direct/brgemm convolutions
  // where it runs plain NCHW through gemm (im2col); anything else stays on the plain kernel.
  const std::string impl = pd.impl_info_str();
  if (is_reference_impl(pd)) return nullptr;
  if (depthwise && impl.find("dw") == std::string::npos) return nullptr;
  if (!depthwise && (impl.find("gemm") != std::string::npos)) return nullptr;
  // 1x1 convolutions are plain matrix products that gemm runs well on NCHW; the reorders around
  // oneDNN's blocked 1x1 code cost more than they save (densenet's transitions: 24 -> 85 us).
  bool window = false;
  for (int64_t k : g.kernel) window = window || k > 1;
  if (!depthwise && !window) return nullptr;
  // Weights into oneDNN's layout once.
  memory src_w(plain_desc(w), engine, const_cast<void*>(weights->data()));
  memory dst_w(pd.weights_desc(), engine);
  {
    dnnl::stream stream(engine);
    dnnl::reorder(src_w, dst_w).execute(stream, src_w, dst_w);
    stream.wait();
  }
  backend.add_weight_bytes(pd.weights_desc().get_size());
  return std::make_unique<BlockedConvKernel>(pd, plain_desc(x), plain_desc(y), dst_w, engine);
}

}  // namespace cpu
}  // namespace octet
