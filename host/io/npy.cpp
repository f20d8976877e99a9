// .npy reading (from memory or a file) and writing, on top of the strict header parser.
#include "host/io/npy.h"

#include <algorithm>
#include <cstring>

#include "host/common/error.h"
#include "host/io/file_util.h"
#include "host/io/npy_header.h"

namespace octet {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the .npy code assumes a little-endian host");

using npy_detail::NpyHeader;

// numpy reads any non-zero byte of a b1 array as True; octet booleans must be exactly 0 or 1.
void normalize_booleans(Tensor* t) {
  if (t->type() != ElementType::kBoolean) return;
  auto* p = t->data_as<uint8_t>();
  for (size_t i = 0; i < t->byte_size(); ++i) p[i] = p[i] != 0;
}

// Python's repr of a tuple of ints: "()", "(5,)", "(2, 3)".
std::string shape_repr(const Dims& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

Tensor parse_npy(const void* data, size_t size, const std::string& name_for_errors) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  const NpyHeader h = npy_detail::parse_npy_header(bytes, size, size, name_for_errors);
  Tensor t(h.type, h.shape);
  if (h.data_bytes) std::memcpy(t.data(), bytes + h.data_offset, h.data_bytes);
  normalize_booleans(&t);
  return t;
}

Tensor read_npy_file(const std::string& path) {
  io_detail::InputFile file(path);
  // Only the capped prefix is read before the header is validated against the file size.
  std::vector<uint8_t> prefix(
      static_cast<size_t>(std::min<uint64_t>(file.size(), npy_detail::kMaxPrefixBytes)));
  file.read(prefix.data(), prefix.size());
  const NpyHeader h = npy_detail::parse_npy_header(prefix.data(), prefix.size(), file.size(), path);
  Tensor t(h.type, h.shape);
  const size_t in_prefix = std::min<size_t>(prefix.size() - h.data_offset, h.data_bytes);
  if (in_prefix) std::memcpy(t.data(), prefix.data() + h.data_offset, in_prefix);
  file.read(t.data_as<uint8_t>() + in_prefix, h.data_bytes - in_prefix);
  file.expect_end();
  normalize_booleans(&t);
  return t;
}

std::vector<uint8_t> serialize_npy(const Tensor& t) {
  if (t.type() == ElementType::kUndefined)
    raise(ErrorCode::kInvalidArgument, "cannot write an undefined tensor as .npy");
  const char* descr = npy_detail::npy_descr(t.type());
  if (!descr)
    raise(ErrorCode::kUnsupported, "numpy has no dtype for {} tensors; cannot write .npy",
          element_type_name(t.type()));
  // Byte-for-byte what numpy 2.x np.save writes: sorted keys, spaces after the first dim so the
  // header can grow in place, then padding that 64-byte aligns the data and a final '\n'.
  std::string header =
      fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape_repr(t.shape()));
  if (!t.shape().empty()) {
    constexpr size_t kGrowthAxisMaxDigits = 21;
    header.append(kGrowthAxisMaxDigits - std::to_string(t.shape()[0]).size(), ' ');
  }
  const size_t hlen = header.size() + 1;
  // numpy falls back to version 2.0 when the padded header length does not fit its u16 field.
  const bool v2 = hlen + (64 - (8 + 2 + hlen) % 64) > 0xffff;
  const size_t length_bytes = v2 ? 4 : 2;
  const size_t padlen = 64 - (8 + length_bytes + hlen) % 64;
  header.append(padlen, ' ');
  header += '\n';

  std::vector<uint8_t> out;
  out.reserve(8 + length_bytes + header.size() + t.byte_size());
  const uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(v2 ? 2 : 1), 0};
  out.insert(out.end(), magic, magic + sizeof(magic));
  for (size_t i = 0; i < length_bytes; ++i) out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  const auto* data = t.data_as<uint8_t>();
  if (t.byte_size()) out.insert(out.end(), data, data + t.byte_size());
  return out;
}

void write_npy_file(const std::string& path, const Tensor& t) {
  const std::vector<uint8_t> bytes = serialize_npy(t);
  io_detail::write_file_atomically(path, bytes.data(), bytes.size());
}

}  // namespace octet
