// Reference STFT-15 and ISTFT-16, in double, rounded once to the data type.
// - STFT: frame f of the signal holds samples [f * step, f * step + frame_size); it is multiplied by
//   the window zero-padded to frame_size ((frame_size - window_length) / 2 zeros on the left) and
//   transformed by a real DFT: X[k] = sum_n x[n] w[n] exp(-2 pi i k n / frame_size), k <= frame_size/2.
// - ISTFT (torch.istft's overlap-add, which OpenVINO implements): each frame's inverse real DFT
//   (Hermitian extension of the frame_size/2 + 1 bins; the imaginary parts of the DC and Nyquist
//   bins drop out) times the padded window is added at f * step, then divided by the sum of the
//   squared windows there (0 where that sum is 0), times sqrt(frame_size) when `normalized`. With
//   `center` the output starts frame_size / 2 samples in; past the computed samples it is 0.
#include <algorithm>
#include <cmath>
#include <complex>

#include "host/graph/ops/misc_util.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

// cos/sin of 2 pi m / n for m in [0, n): every angle from an exact integer index.
std::vector<std::complex<double>> unit_roots(int64_t n) {
  std::vector<std::complex<double>> r(static_cast<size_t>(n));
  for (int64_t m = 0; m < n; ++m) {
    const double a = kTwoPi * static_cast<double>(m) / static_cast<double>(n);
    r[static_cast<size_t>(m)] = {std::cos(a), std::sin(a)};
  }
  return r;
}

std::vector<double> padded_window(const Tensor& w, int64_t frame_size) {
  std::vector<double> p(static_cast<size_t>(frame_size), 0.0);
  const int64_t len = w.element_count();
  const int64_t left = (frame_size - len) / 2;
  for (int64_t i = 0; i < len; ++i) p[static_cast<size_t>(left + i)] = w.get_as_double(i);
  return p;
}

Tensor float_result(ElementType type, const Dims& shape, const std::vector<double>& v) {
  if (type == ElementType::kF64) {
    Tensor t(type, shape);
    std::copy(v.begin(), v.end(), t.data_as<double>());
    return t;
  }
  return make_float_tensor(type, shape, std::vector<float>(v.begin(), v.end()));
}

void check_float(const Node& node, const Tensor& t) {
  if (!is_compute_float(t.type()) && t.type() != ElementType::kF64) unsupported_type(node, t.type());
}

}  // namespace

Outputs eval_STFT(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 4);
  const Tensor& signal = *in[0];
  check_float(node, signal);
  const int64_t frame_size = in[2]->get_as_int64(0), step = in[3]->get_as_int64(0);
  const bool transpose = node.attr<StftAttrs>().transpose_frames;
  const StftDims d = stft_dims(node, signal.shape(), in[1]->shape(), frame_size, step, transpose);
  const std::vector<double> w = padded_window(*in[1], frame_size);
  const auto roots = unit_roots(frame_size);
  std::vector<double> out(static_cast<size_t>(d.batch * d.frames * d.bins * 2));
  for (int64_t b = 0; b < d.batch; ++b)
    for (int64_t f = 0; f < d.frames; ++f)
      for (int64_t k = 0; k < d.bins; ++k) {
        std::complex<double> acc = 0;
        for (int64_t n = 0; n < frame_size; ++n) {
          const double v = signal.get_as_double(b * d.signal + f * step + n) * w[static_cast<size_t>(n)];
          acc += v * std::conj(roots[static_cast<size_t>((k * n) % frame_size)]);
        }
        const int64_t cell = transpose ? (b * d.bins + k) * d.frames + f : (b * d.frames + f) * d.bins + k;
        out[static_cast<size_t>(2 * cell)] = acc.real();
        out[static_cast<size_t>(2 * cell + 1)] = acc.imag();
      }
  return {float_result(signal.type(), d.output, out)};
}

Outputs eval_ISTFT(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 5);
  const Tensor& data = *in[0];
  check_float(node, data);
  const IstftAttrs& a = node.attr<IstftAttrs>();
  const int64_t frame_size = in[2]->get_as_int64(0), step = in[3]->get_as_int64(0);
  std::optional<int64_t> length;
  if (in.size() == 5) length = in[4]->get_as_int64(0);
  const IstftDims d = istft_dims(node, data.shape(), in[1]->shape(), frame_size, step, length, a.center);
  const std::vector<double> w = padded_window(*in[1], frame_size);
  const auto roots = unit_roots(frame_size);
  const int64_t margin = a.center ? frame_size / 2 : 0;
  const double scale = a.normalized ? std::sqrt(static_cast<double>(frame_size)) : 1.0;
  std::vector<double> out(static_cast<size_t>(d.batch * d.length), 0.0);
  std::vector<double> sum(static_cast<size_t>(d.full)), weight(static_cast<size_t>(d.full));
  std::vector<std::complex<double>> spectrum(static_cast<size_t>(frame_size));
  for (int64_t b = 0; b < d.batch; ++b) {
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(weight.begin(), weight.end(), 0.0);
    for (int64_t f = 0; f < d.frames; ++f) {
      // data [b, k, f, re/im]; bins past frame_size / 2 mirror the lower ones (conjugated).
      for (int64_t k = 0; k < frame_size; ++k) {
        const int64_t src = k < d.bins ? k : frame_size - k;
        const int64_t at = ((b * d.bins + src) * d.frames + f) * 2;
        const std::complex<double> v(data.get_as_double(at), data.get_as_double(at + 1));
        spectrum[static_cast<size_t>(k)] = k < d.bins ? v : std::conj(v);
      }
      for (int64_t n = 0; n < frame_size; ++n) {
        double acc = 0;
        for (int64_t k = 0; k < frame_size; ++k)
          acc += (spectrum[static_cast<size_t>(k)] * roots[static_cast<size_t>((k * n) % frame_size)]).real();
        const double wn = w[static_cast<size_t>(n)];
        sum[static_cast<size_t>(f * step + n)] += acc / static_cast<double>(frame_size) * wn;
        weight[static_cast<size_t>(f * step + n)] += wn * wn;
      }
    }
    const int64_t copy = std::min(d.length, d.full - margin);
    for (int64_t i = 0; i < copy; ++i) {
      const double wsum = weight[static_cast<size_t>(margin + i)];
      out[static_cast<size_t>(b * d.length + i)] =
          wsum != 0 ? sum[static_cast<size_t>(margin + i)] * scale / wsum : 0.0;
    }
  }
  return {float_result(data.type(), d.output, out)};
}

}  // namespace ref
}  // namespace octet
