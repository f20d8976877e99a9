// C API: infer requests (busy-checked per call) and per-node profiling records.
#include <cstdlib>
#include <cstring>

#include "runtime/api/api_internal.h"

using namespace octet;
using namespace octet::api;

namespace {

octet_tensor* copy_out(const Tensor& t) {
  auto result = std::make_unique<octet_tensor>();
  result->tensor = t.clone();
  return result.release();
}

}  // namespace

extern "C" {

octet_status octet_compiled_model_create_request(octet_compiled_model_t compiled,
                                                 octet_infer_request_t* request) {
  return guarded([&] {
    require(request, "octet_compiled_model_create_request", "request");
    *request = nullptr;
    require(compiled, "octet_compiled_model_create_request", "compiled");
    auto result = std::make_unique<octet_infer_request>();
    result->model = compiled->model;
    result->request = compiled->model->create_request();
    *request = result.release();
  });
}

void octet_infer_request_destroy(octet_infer_request_t request) {
  delete request;
}

octet_status octet_infer_request_set_input(octet_infer_request_t request, const char* name,
                                           octet_tensor_t tensor) {
  return guarded([&] {
    require(request, "octet_infer_request_set_input", "request");
    require(name, "octet_infer_request_set_input", "name");
    require(tensor, "octet_infer_request_set_input", "tensor");
    BusyGuard busy(request);
    request->request->set_input(name, tensor->tensor);
  });
}

octet_status octet_infer_request_infer(octet_infer_request_t request) {
  return guarded([&] {
    require(request, "octet_infer_request_infer", "request");
    BusyGuard busy(request);
    request->request->infer();
  });
}

octet_status octet_infer_request_get_output(octet_infer_request_t request, const char* name,
                                            octet_tensor_t* tensor) {
  return guarded([&] {
    require(tensor, "octet_infer_request_get_output", "tensor");
    *tensor = nullptr;
    require(request, "octet_infer_request_get_output", "request");
    require(name, "octet_infer_request_get_output", "name");
    BusyGuard busy(request);
    *tensor = copy_out(request->request->output(name));
  });
}

octet_status octet_infer_request_get_output_by_index(octet_infer_request_t request, size_t index,
                                                     octet_tensor_t* tensor) {
  return guarded([&] {
    require(tensor, "octet_infer_request_get_output_by_index", "tensor");
    *tensor = nullptr;
    require(request, "octet_infer_request_get_output_by_index", "request");
    BusyGuard busy(request);
    *tensor = copy_out(request->request->output_at(index));
  });
}

// The list is one malloc block: the records, then their strings, so one free() releases it.
octet_status octet_infer_request_get_profiling(octet_infer_request_t request, octet_profiling_list* list) {
  return guarded([&] {
    require(list, "octet_infer_request_get_profiling", "list");
    list->records = nullptr;
    list->count = 0;
    require(request, "octet_infer_request_get_profiling", "request");
    BusyGuard busy(request);
    const std::vector<NodeProfile>& profile = request->request->profile();
    if (profile.empty()) return;
    size_t bytes = profile.size() * sizeof(octet_profiling_info);
    for (const NodeProfile& p : profile)
      bytes += p.node_name.size() + p.node_type.size() + p.exec_type.size() + p.backend.size() + 4;
    auto* block = static_cast<char*>(std::malloc(bytes));
    if (!block) throw std::bad_alloc();
    auto* records = reinterpret_cast<octet_profiling_info*>(block);
    char* strings = block + profile.size() * sizeof(octet_profiling_info);
    auto put = [&strings](const std::string& s) {
      std::memcpy(strings, s.c_str(), s.size() + 1);
      const char* at = strings;
      strings += s.size() + 1;
      return at;
    };
    for (size_t i = 0; i < profile.size(); ++i) {
      records[i].node_name = put(profile[i].node_name);
      records[i].node_type = put(profile[i].node_type);
      records[i].exec_type = put(profile[i].exec_type);
      records[i].backend = put(profile[i].backend);
      records[i].real_time_us = profile[i].real_time_us;
      records[i].cpu_time_us = profile[i].cpu_time_us;
    }
    list->records = records;
    list->count = profile.size();
  });
}

void octet_profiling_list_free(octet_profiling_list* list) {
  if (!list) return;
  std::free(list->records);
  list->records = nullptr;
  list->count = 0;
}

}  // extern "C"
