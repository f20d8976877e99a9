// Raw .bin tensor input: the file is the tensor's storage bytes and nothing else.
#include "host/common/error.h"
#include "host/io/file_util.h"
#include "host/io/npy.h"

namespace octet {

Tensor read_raw_file(const std::string& path, ElementType type, const Dims& shape) {
  if (type == ElementType::kUndefined)
    raise(ErrorCode::kInvalidArgument, "'{}': raw input needs an element type", path);
  size_t expected = 0;
  try {
    expected = element_storage_bytes(type, element_count(shape));
  } catch (const Error& e) {
    raise(ErrorCode::kInvalidArgument, "'{}': {}", path, e.what());
  }
  io_detail::InputFile file(path);
  if (file.size() != expected)
    raise(ErrorCode::kInvalidArgument, "'{}': expected {} bytes ({} x {}), got {}", path, expected,
          to_string(shape), element_type_name(type), file.size());
  Tensor t(type, shape);
  file.read(t.data(), expected);
  file.expect_end();
  if (type == ElementType::kBoolean) {
    auto* p = t.data_as<uint8_t>();
    for (size_t i = 0; i < expected; ++i) p[i] = p[i] != 0;
  }
  return t;
}

}  // namespace octet
