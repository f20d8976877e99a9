// Shared plumbing of the C API: the handle structs behind the opaque typedefs, and the guard that
// turns every C++ exception into an octet_status plus a thread-local message.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/graph/tensor.h"
#include "octet/octet.h"
#include "runtime/executor/compiled_model.h"

// An input or output as the IR declares it (octet_port_info points into it).
struct octet_declared_port {
  std::string name;
  octet_element_type type = OCTET_TYPE_UNDEFINED;
  std::vector<int64_t> dims;              // -1 for a dynamic dim
  std::vector<std::string> tensor_names;  // the port's names (OpenVINO's lookup)
  std::string layer_name;                 // the Parameter layer's name (octet also accepts it)
};

struct octet_model {
  std::string xml;
  std::shared_ptr<const std::vector<uint8_t>> bin;         // null when the model has no weights file
  std::string source;                                      // path or "<memory>" for messages
  std::vector<std::pair<std::string, std::string>> nodes;  // (name, op) as read
  std::vector<int> node_versions;                          // op version per node, as read
  std::vector<octet_declared_port> inputs, outputs;
  std::map<size_t, octet::Dims> reshaped;  // Parameter index -> shape set by octet_model_reshape
};

struct octet_options {
  octet::CompileConfig config;
};

struct octet_compiled_model {
  std::shared_ptr<octet::CompiledModel> model;
  std::string device;
  std::string note;
  // Answers of octet_compiled_model_tensor_inputs, kept so the returned pointers stay valid (map
  // nodes never move); the mutex because compiled models may be shared between threads.
  std::mutex tensor_inputs_mutex;
  std::map<std::string, std::vector<std::string>> tensor_inputs;
  std::map<std::string, std::vector<const char*>> tensor_input_pointers;
  // Answers of octet_compiled_model_quant_origin's grid_node (same mutex).
  std::map<std::string, std::string> quant_grid_nodes;
};

struct octet_infer_request {
  std::shared_ptr<octet::CompiledModel> model;  // keeps the compiled model alive
  std::unique_ptr<octet::InferRequest> request;
  std::atomic<bool> busy{false};
};

struct octet_tensor {
  octet::Tensor tensor;
};

namespace octet::api {

octet_status to_status(ErrorCode code);
// Records `message` as this thread's last error and returns `status`; never throws.
octet_status fail(octet_status status, const char* message) noexcept;
void clear_error() noexcept;

// Throws Error(kInvalidArgument) when `pointer` is null: "<function>: <what> is NULL".
inline void require(const void* pointer, const char* function, const char* what) {
  if (pointer == nullptr) raise(ErrorCode::kInvalidArgument, "{}: {} is NULL", function, what);
}

// Runs `body` and converts whatever it throws; the one try/catch of every entry point.
template <typename Body>
octet_status guarded(Body&& body) noexcept {
  clear_error();
  try {
    body();
    return OCTET_OK;
  } catch (const Error& e) {
    return fail(to_status(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(OCTET_ERROR_OUT_OF_MEMORY, "out of host memory");
  } catch (const std::exception& e) {
    return fail(OCTET_ERROR_INTERNAL, e.what());
  } catch (...) {
    return fail(OCTET_ERROR_INTERNAL, "unknown exception");
  }
}

// Marks a request busy for the duration of a call; a second thread gets Error(kRequestBusy).
class BusyGuard {
 public:
  explicit BusyGuard(octet_infer_request* request) : request_(request) {
    if (request_->busy.exchange(true, std::memory_order_acquire))
      raise(ErrorCode::kRequestBusy, "infer request is in use by another thread");
  }
  ~BusyGuard() { request_->busy.store(false, std::memory_order_release); }
  BusyGuard(const BusyGuard&) = delete;
  BusyGuard& operator=(const BusyGuard&) = delete;

 private:
  octet_infer_request* request_;
};

ElementType to_element_type(octet_element_type type, const char* function);
octet_element_type from_element_type(ElementType type);
// Validates a C shape (NULL dims only for rank 0; dims in [0, kMaxDim]).
Dims to_dims(const int64_t* dims, size_t rank, const char* function);
// The model's graph as read, with octet_model_reshape's shapes applied (api_model.cpp).
Graph parse(const octet_model& model);
struct DeviceRecord;
// The device record `name` ("GPU" = "GPU.0") names; Error(kNotFound) listing the devices.
const DeviceRecord& find_device(const std::string& name);
// Applies one "key=value" compile option; Error(kInvalidArgument) for unknown keys or values.
void apply_option(CompileConfig& config, const std::string& key, const std::string& value);

}  // namespace octet::api
