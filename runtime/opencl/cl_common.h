// OpenCL headers, error checking and RAII handles (with a live-object counter tests can read).
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <atomic>
#include <string>
#include <utility>

#include "host/common/error.h"

namespace octet {
namespace ocl {

// "CL_OUT_OF_RESOURCES" for -5, "CL_ERROR(-1234)" for unknown codes.
const char* cl_error_name(cl_int code);
// Maps an OpenCL status to the ErrorCode a caller sees (allocation failures -> kOutOfDeviceMemory).
ErrorCode error_code_for(cl_int code);
// Throws Error(error_code_for(code)) "<what>: CL_... (<code>)" unless code == CL_SUCCESS.
void check(cl_int code, const char* what);

// OpenCL objects currently alive that octet created (buffers, programs, kernels, queues,
// contexts, events). Tests compare it before and after to prove nothing leaked.
int live_objects();
void note_created();
void note_released();

template <typename T>
struct HandleTraits;
#define OCTET_CL_HANDLE(type, release_fn, retain_fn) \
  template <>                                        \
  struct HandleTraits<type> {                        \
    static void release(type h) { release_fn(h); }   \
    static void retain(type h) { retain_fn(h); }     \
  };
OCTET_CL_HANDLE(cl_context, clReleaseContext, clRetainContext)
OCTET_CL_HANDLE(cl_command_queue, clReleaseCommandQueue, clRetainCommandQueue)
OCTET_CL_HANDLE(cl_program, clReleaseProgram, clRetainProgram)
OCTET_CL_HANDLE(cl_kernel, clReleaseKernel, clRetainKernel)
OCTET_CL_HANDLE(cl_mem, clReleaseMemObject, clRetainMemObject)
OCTET_CL_HANDLE(cl_event, clReleaseEvent, clRetainEvent)
#undef OCTET_CL_HANDLE

// Owns one reference to an OpenCL object. Constructing from a raw handle adopts the reference
// the creating call returned; copies retain.
template <typename T>
class Handle {
 public:
  Handle() = default;
  explicit Handle(T h) : h_(h) {
    if (h_) note_created();
  }
  Handle(const Handle& o) : h_(o.h_) {
    if (h_) {
      HandleTraits<T>::retain(h_);
      note_created();
    }
  }
  Handle(Handle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Handle& operator=(Handle o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  ~Handle() { reset(); }
  void reset() {
    if (h_) {
      HandleTraits<T>::release(h_);
      note_released();
      h_ = nullptr;
    }
  }
  T get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  T h_ = nullptr;
};

using Context = Handle<cl_context>;
using Queue = Handle<cl_command_queue>;
using Program = Handle<cl_program>;
using ClKernel = Handle<cl_kernel>;
using Mem = Handle<cl_mem>;
using Event = Handle<cl_event>;

}  // namespace ocl
}  // namespace octet
