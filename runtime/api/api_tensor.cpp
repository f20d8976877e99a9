// C API: host tensors (owned or over caller memory) and .npy / raw file IO.
#include <cstring>

#include "host/io/npy.h"
#include "runtime/api/api_internal.h"

using namespace octet;
using namespace octet::api;

namespace {

octet_tensor* own(Tensor t) {
  auto result = std::make_unique<octet_tensor>();
  result->tensor = std::move(t);
  return result.release();
}

}  // namespace

extern "C" {

octet_status octet_tensor_create(octet_element_type type, const int64_t* dims, size_t rank, const void* data,
                                 octet_tensor_t* tensor) {
  return guarded([&] {
    require(tensor, "octet_tensor_create", "tensor");
    *tensor = nullptr;
    ElementType t = to_element_type(type, "octet_tensor_create");
    Tensor result(t, to_dims(dims, rank, "octet_tensor_create"));
    if (data && result.byte_size() > 0) std::memcpy(result.data(), data, result.byte_size());
    *tensor = own(std::move(result));
  });
}

octet_status octet_tensor_create_from_host_ptr(octet_element_type type, const int64_t* dims, size_t rank,
                                               void* host_ptr, octet_tensor_t* tensor) {
  return guarded([&] {
    require(tensor, "octet_tensor_create_from_host_ptr", "tensor");
    *tensor = nullptr;
    require(host_ptr, "octet_tensor_create_from_host_ptr", "host_ptr");
    ElementType t = to_element_type(type, "octet_tensor_create_from_host_ptr");
    Dims shape = to_dims(dims, rank, "octet_tensor_create_from_host_ptr");
    size_t align = element_bits(t) >= 8 ? size_t(element_bits(t) / 8) : 1;
    if (reinterpret_cast<uintptr_t>(host_ptr) % align != 0)
      raise(ErrorCode::kInvalidArgument,
            "octet_tensor_create_from_host_ptr: host_ptr {} is not aligned to {} bytes ({})", host_ptr, align,
            element_type_name(t));
    element_storage_bytes(t, element_count(shape));  // overflow check before wrapping
    *tensor = own(Tensor::wrap(t, std::move(shape), host_ptr, nullptr));
  });
}

octet_status octet_tensor_read_npy(const char* path, octet_tensor_t* tensor) {
  return guarded([&] {
    require(tensor, "octet_tensor_read_npy", "tensor");
    *tensor = nullptr;
    require(path, "octet_tensor_read_npy", "path");
    *tensor = own(read_npy_file(path));
  });
}

octet_status octet_tensor_write_npy(octet_tensor_t tensor, const char* path) {
  return guarded([&] {
    require(tensor, "octet_tensor_write_npy", "tensor");
    require(path, "octet_tensor_write_npy", "path");
    write_npy_file(path, tensor->tensor);
  });
}

octet_status octet_tensor_read_raw(const char* path, octet_element_type type, const int64_t* dims,
                                   size_t rank, octet_tensor_t* tensor) {
  return guarded([&] {
    require(tensor, "octet_tensor_read_raw", "tensor");
    *tensor = nullptr;
    require(path, "octet_tensor_read_raw", "path");
    ElementType t = to_element_type(type, "octet_tensor_read_raw");
    *tensor = own(read_raw_file(path, t, to_dims(dims, rank, "octet_tensor_read_raw")));
  });
}

void octet_tensor_destroy(octet_tensor_t tensor) {
  delete tensor;
}

octet_status octet_tensor_data(octet_tensor_t tensor, void** data) {
  return guarded([&] {
    require(tensor, "octet_tensor_data", "tensor");
    require(data, "octet_tensor_data", "data");
    *data = tensor->tensor.data();
  });
}

octet_status octet_tensor_type(octet_tensor_t tensor, octet_element_type* type) {
  return guarded([&] {
    require(tensor, "octet_tensor_type", "tensor");
    require(type, "octet_tensor_type", "type");
    *type = from_element_type(tensor->tensor.type());
  });
}

octet_status octet_tensor_shape(octet_tensor_t tensor, size_t* rank, const int64_t** dims) {
  return guarded([&] {
    require(tensor, "octet_tensor_shape", "tensor");
    require(rank, "octet_tensor_shape", "rank");
    require(dims, "octet_tensor_shape", "dims");
    *rank = tensor->tensor.shape().size();
    *dims = tensor->tensor.shape().data();
  });
}

octet_status octet_tensor_element_count(octet_tensor_t tensor, size_t* count) {
  return guarded([&] {
    require(tensor, "octet_tensor_element_count", "tensor");
    require(count, "octet_tensor_element_count", "count");
    *count = static_cast<size_t>(tensor->tensor.element_count());
  });
}

octet_status octet_tensor_byte_size(octet_tensor_t tensor, size_t* bytes) {
  return guarded([&] {
    require(tensor, "octet_tensor_byte_size", "tensor");
    require(bytes, "octet_tensor_byte_size", "bytes");
    *bytes = tensor->tensor.byte_size();
  });
}

}  // extern "C"
