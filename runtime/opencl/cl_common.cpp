// OpenCL error names and the live-object counter.
#include "runtime/opencl/cl_common.h"

namespace octet {
namespace ocl {
namespace {
std::atomic<int> g_live{0};
}  // namespace

int live_objects() {
  return g_live.load();
}
void note_created() {
  ++g_live;
}
void note_released() {
  --g_live;
}

const char* cl_error_name(cl_int code) {
  switch (code) {
#define C(x) \
  case x: return #x;
    C(CL_SUCCESS)
    C(CL_DEVICE_NOT_FOUND)
    C(CL_DEVICE_NOT_AVAILABLE)
    C(CL_COMPILER_NOT_AVAILABLE)
    C(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    C(CL_OUT_OF_RESOURCES)
    C(CL_OUT_OF_HOST_MEMORY)
    C(CL_PROFILING_INFO_NOT_AVAILABLE)
    C(CL_MEM_COPY_OVERLAP)
    C(CL_IMAGE_FORMAT_MISMATCH)
    C(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    C(CL_BUILD_PROGRAM_FAILURE)
    C(CL_MAP_FAILURE)
    C(CL_MISALIGNED_SUB_BUFFER_OFFSET)
    C(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    C(CL_COMPILE_PROGRAM_FAILURE)
    C(CL_LINKER_NOT_AVAILABLE)
    C(CL_LINK_PROGRAM_FAILURE)
    C(CL_INVALID_VALUE)
    C(CL_INVALID_DEVICE_TYPE)
    C(CL_INVALID_PLATFORM)
    C(CL_INVALID_DEVICE)
    C(CL_INVALID_CONTEXT)
    C(CL_INVALID_QUEUE_PROPERTIES)
    C(CL_INVALID_COMMAND_QUEUE)
    C(CL_INVALID_HOST_PTR)
    C(CL_INVALID_MEM_OBJECT)
    C(CL_INVALID_BINARY)
    C(CL_INVALID_BUILD_OPTIONS)
    C(CL_INVALID_PROGRAM)
    C(CL_INVALID_PROGRAM_EXECUTABLE)
    C(CL_INVALID_KERNEL_NAME)
    C(CL_INVALID_KERNEL)
    C(CL_INVALID_ARG_INDEX)
    C(CL_INVALID_ARG_VALUE)
    C(CL_INVALID_ARG_SIZE)
    C(CL_INVALID_KERNEL_ARGS)
    C(CL_INVALID_WORK_DIMENSION)
    C(CL_INVALID_WORK_GROUP_SIZE)
    C(CL_INVALID_WORK_ITEM_SIZE)
    C(CL_INVALID_GLOBAL_OFFSET)
    C(CL_INVALID_EVENT_WAIT_LIST)
    C(CL_INVALID_EVENT)
    C(CL_INVALID_OPERATION)
    C(CL_INVALID_BUFFER_SIZE)
    C(CL_INVALID_GLOBAL_WORK_SIZE)
#undef C
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    default: return "CL_UNKNOWN_ERROR";
  }
}

ErrorCode error_code_for(cl_int code) {
  switch (code) {
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
    case CL_OUT_OF_RESOURCES:
    case CL_OUT_OF_HOST_MEMORY:
    case CL_INVALID_BUFFER_SIZE: return ErrorCode::kOutOfDeviceMemory;
    case CL_BUILD_PROGRAM_FAILURE:
    case CL_COMPILE_PROGRAM_FAILURE: return ErrorCode::kKernelBuildFailed;
    case CL_DEVICE_NOT_FOUND:
    case -1001: return ErrorCode::kNotFound;
    case CL_DEVICE_NOT_AVAILABLE: return ErrorCode::kDeviceLost;
    default: return ErrorCode::kDevice;
  }
}

void check(cl_int code, const char* what) {
  if (code != CL_SUCCESS) raise(error_code_for(code), "{}: {} ({})", what, cl_error_name(code), code);
}

}  // namespace ocl
}  // namespace octet
