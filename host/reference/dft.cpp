// Reference DFT-7, IDFT-7, RDFT-9 and IRDFT-9: the spec's sums evaluated directly (a naive DFT
// along each axis in turn; the transforms are separable), in double, rounded once to the output
// type. Per axis the input is zero-padded or trimmed at the end to the signal size first.
// - DFT / IDFT: complex to complex; IDFT divides by the signal size of each axis.
// - RDFT: real to complex; the last axis of `axes` keeps its first S/2 + 1 outputs.
// - IRDFT: complex to real, as numpy's irfftn: the axes but the last are inverse transforms, then
//   the last axis takes its first S/2 + 1 inputs, extends them Hermitian-symmetrically to S
//   (F[j] = conj(F[S - j])) and the real part of the inverse transform is the output.
#include <cmath>
#include <complex>

#include "host/graph/ops/signal_dims.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

using Complex = std::complex<double>;
constexpr double kTwoPi = 6.283185307179586476925286766559;

// exp(sign * 2 pi i * k / n) for k in [0, n): the index m * j is reduced modulo n before use, so
// every angle is computed from an exact integer.
std::vector<Complex> twiddles(int64_t n, int sign) {
  std::vector<Complex> t(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    const double angle = kTwoPi * static_cast<double>(k) / static_cast<double>(n);
    t[static_cast<size_t>(k)] = Complex(std::cos(angle), sign * std::sin(angle));
  }
  return t;
}

// A complex tensor in row-major order.
struct Buffer {
  Dims shape;
  std::vector<Complex> data;
};

// Replaces axis `axis` of `b` by `out_len` values per line computed by fn(line_in, line_out).
template <class Fn>
void along_axis(Buffer& b, int64_t axis, int64_t out_len, Fn fn) {
  const int64_t in_len = b.shape[static_cast<size_t>(axis)];
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= b.shape[static_cast<size_t>(i)];
  for (size_t i = static_cast<size_t>(axis) + 1; i < b.shape.size(); ++i) inner *= b.shape[i];
  std::vector<Complex> out(static_cast<size_t>(outer * out_len * inner));
  std::vector<Complex> line_in(static_cast<size_t>(in_len)), line_out(static_cast<size_t>(out_len));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      for (int64_t j = 0; j < in_len; ++j)
        line_in[static_cast<size_t>(j)] = b.data[static_cast<size_t>((o * in_len + j) * inner + i)];
      fn(line_in, line_out);
      for (int64_t j = 0; j < out_len; ++j)
        out[static_cast<size_t>((o * out_len + j) * inner + i)] = line_out[static_cast<size_t>(j)];
    }
  b.shape[static_cast<size_t>(axis)] = out_len;
  b.data = std::move(out);
}

// out[m] = scale * sum_{j < n} x[j] exp(sign 2 pi i m j / n), m < out.size(), x zero-padded or
// trimmed to n.
void dft_line(const std::vector<Complex>& x, std::vector<Complex>& out, int64_t n,
              const std::vector<Complex>& tw, double scale) {
  const int64_t used = std::min<int64_t>(n, static_cast<int64_t>(x.size()));
  for (size_t m = 0; m < out.size(); ++m) {
    Complex acc = 0;
    for (int64_t j = 0; j < used; ++j)
      acc += x[static_cast<size_t>(j)] * tw[static_cast<size_t>((static_cast<int64_t>(m) * j) % n)];
    out[m] = acc * scale;
  }
}

Outputs evaluate(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const Tensor& data = *in[0];
  const ElementType type = data.type();
  if (!is_compute_float(type) && type != ElementType::kF64) unsupported_type(node, type);
  const std::vector<int64_t> axes = int_input(node, in, 1);
  std::vector<int64_t> sizes;
  if (in.size() == 3) sizes = int_input(node, in, 2);
  const SignalDims sd = signal_dims(node, data.shape(), axes, in.size() == 3 ? &sizes : nullptr);
  const bool real_in = node.op == OpKind::kRDFT, real_out = node.op == OpKind::kIRDFT;
  const bool inverse = node.op == OpKind::kIDFT || node.op == OpKind::kIRDFT;
  const int sign = inverse ? 1 : -1;

  Buffer b;
  const Dims& ds = data.shape();
  b.shape = real_in ? ds : Dims(ds.begin(), ds.end() - 1);
  b.data.resize(static_cast<size_t>(element_count(b.shape)));
  for (size_t i = 0; i < b.data.size(); ++i)
    b.data[i] = real_in ? Complex(data.get_as_double(static_cast<int64_t>(i)), 0)
                        : Complex(data.get_as_double(static_cast<int64_t>(2 * i)),
                                  data.get_as_double(static_cast<int64_t>(2 * i + 1)));
  const size_t n_axes = sd.axes.size();
  for (size_t k = 0; k < n_axes; ++k) {
    const bool last = k + 1 == n_axes;
    if (real_out && last) continue;  // the complex-to-real axis goes last
    const int64_t n = sd.sizes[k];
    const std::vector<Complex> tw = twiddles(n, sign);
    const int64_t out_len = real_in && last ? n / 2 + 1 : n;
    const double scale = inverse ? 1.0 / static_cast<double>(n) : 1.0;
    along_axis(b, sd.axes[k], out_len,
               [&](const std::vector<Complex>& x, std::vector<Complex>& y) { dft_line(x, y, n, tw, scale); });
  }
  if (real_out) {
    const int64_t n = sd.sizes.back();
    const int64_t half = n / 2 + 1;
    const std::vector<Complex> tw = twiddles(n, 1);
    std::vector<Complex> full(static_cast<size_t>(n));
    along_axis(b, sd.axes.back(), n, [&](const std::vector<Complex>& x, std::vector<Complex>& y) {
      for (int64_t j = 0; j < n; ++j) {
        const int64_t src = j < half ? j : n - j;
        const Complex v = src < static_cast<int64_t>(x.size()) ? x[static_cast<size_t>(src)] : Complex(0);
        full[static_cast<size_t>(j)] = j < half ? v : std::conj(v);
      }
      dft_line(full, y, n, tw, 1.0 / static_cast<double>(n));
    });
  }
  Dims out_shape = b.shape;
  std::vector<double> out;
  if (real_out) {
    for (const Complex& c : b.data) out.push_back(c.real());
  } else {
    out_shape.push_back(2);
    for (const Complex& c : b.data) {
      out.push_back(c.real());
      out.push_back(c.imag());
    }
  }
  if (out_shape != sd.output)
    raise(ErrorCode::kInternal, "reference {}: computed shape {} but the spec's is {}", node.describe(),
          to_string(out_shape), to_string(sd.output));
  if (type == ElementType::kF64) {
    Tensor t(type, out_shape);
    std::copy(out.begin(), out.end(), t.data_as<double>());
    return {t};
  }
  return {make_float_tensor(type, out_shape, std::vector<float>(out.begin(), out.end()))};
}

}  // namespace

Outputs eval_DFT(const Node& node, const Inputs& in) {
  return evaluate(node, in);
}
Outputs eval_IDFT(const Node& node, const Inputs& in) {
  return evaluate(node, in);
}
Outputs eval_RDFT(const Node& node, const Inputs& in) {
  return evaluate(node, in);
}
Outputs eval_IRDFT(const Node& node, const Inputs& in) {
  return evaluate(node, in);
}

}  // namespace ref
}  // namespace octet
