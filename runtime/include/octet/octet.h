/* octet.h: the public C99 API of the octet inference runtime (OpenVINO IR models on OpenCL GPUs,
 * with a oneDNN CPU backend as reference and fallback).
 *
 * Usage:
 *
 *   octet_model_t model = NULL;
 *   octet_compiled_model_t compiled = NULL;
 *   octet_infer_request_t request = NULL;
 *   const char* options[] = {"precision=fast", "cpu_fallback=true", NULL};
 *   if (octet_model_read("model.xml", NULL, &model) != OCTET_OK ||
 *       octet_model_compile(model, "GPU", options, &compiled) != OCTET_OK ||
 *       octet_compiled_model_create_request(compiled, &request) != OCTET_OK)
 *     fprintf(stderr, "octet: %s\n", octet_last_error());
 *   ... octet_tensor_create_from_host_ptr(OCTET_TYPE_F32, dims, 4, pixels, &input);
 *   ... octet_infer_request_set_input(request, "data", input);
 *   ... octet_infer_request_infer(request);
 *   ... octet_infer_request_get_output(request, "prob", &output);
 *   octet_tensor_destroy(output); octet_tensor_destroy(input);
 *   octet_infer_request_destroy(request); octet_compiled_model_destroy(compiled);
 *   octet_model_destroy(model);
 *
 * Conventions:
 * - Every fallible call returns an octet_status; results come back through trailing out-pointers,
 *   which are left untouched on failure (handles are set to NULL).
 * - octet_last_error() gives a message for the last failed call on the calling thread (file, layer,
 *   port, device error); the pointer stays valid until the next octet call on that thread.
 * - Every octet_*_destroy / *_free accepts NULL.
 * - Strings returned by query functions are owned by the object queried and live as long as it;
 *   device strings live until the process exits.
 * - Thread safety: models and compiled models may be shared by threads; an infer request is used by
 *   one thread at a time, and a call on a request another thread is using returns
 *   OCTET_ERROR_REQUEST_BUSY instead of blocking.
 * - A compiled model or request keeps what it needs alive: destroying a model after compiling it,
 *   or a compiled model while its requests live, is safe.
 * - No C++ exception ever crosses this API.
 */
#ifndef OCTET_OCTET_H_
#define OCTET_OCTET_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OCTET_VERSION_MAJOR 0
#define OCTET_VERSION_MINOR 1
#define OCTET_VERSION_PATCH 0
/* Bumped whenever a struct layout, enum value or signature below changes incompatibly. */
#define OCTET_ABI_VERSION 1

#if defined(_WIN32)
#define OCTET_API
#elif defined(__GNUC__) || defined(__clang__)
#define OCTET_API __attribute__((visibility("default")))
#else
#define OCTET_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define OCTET_NODISCARD __attribute__((warn_unused_result))
#else
#define OCTET_NODISCARD
#endif

/* Status codes. They mirror octet::ErrorCode one to one (OCTET_OK aside). */
typedef enum octet_status {
  OCTET_OK = 0,
  OCTET_ERROR_INVALID_ARGUMENT = 1,   /* NULL handle/out-pointer/string, bad option, bad shape */
  OCTET_ERROR_NOT_FOUND = 2,          /* file, input/output name or device that does not exist */
  OCTET_ERROR_MODEL = 3,              /* malformed or inconsistent model (xml, bin, graph) */
  OCTET_ERROR_UNSUPPORTED = 4,        /* valid model, but an op/type octet cannot run */
  OCTET_ERROR_PARAMETER_MISMATCH = 5, /* input tensor of the wrong type, rank or dims */
  OCTET_ERROR_DEVICE = 6,             /* OpenCL error other than the specific ones below */
  OCTET_ERROR_OUT_OF_MEMORY = 7,      /* host allocation failure or memory budget exceeded */
  OCTET_ERROR_OUT_OF_DEVICE_MEMORY = 8,
  OCTET_ERROR_KERNEL_BUILD_FAILED = 9,
  OCTET_ERROR_DEVICE_LOST = 10,
  OCTET_ERROR_TIMEOUT = 11,
  OCTET_ERROR_REQUEST_BUSY = 12, /* the request is in use by another thread */
  OCTET_ERROR_INTERNAL = 13,     /* a bug in octet */
  /* Not a status: widens the enum to 32 bits so that any int a caller passes or stores is a value
   * of the type (C++ gives enums without it a narrower range of valid values). */
  OCTET_STATUS_MAX_ENUM = 0x7FFFFFFF
} octet_status;

/* Element types (values are part of the ABI). */
typedef enum octet_element_type {
  OCTET_TYPE_UNDEFINED = 0,
  OCTET_TYPE_F64 = 1,
  OCTET_TYPE_F32 = 2,
  OCTET_TYPE_F16 = 3,
  OCTET_TYPE_BF16 = 4,
  OCTET_TYPE_I64 = 5,
  OCTET_TYPE_I32 = 6,
  OCTET_TYPE_I16 = 7,
  OCTET_TYPE_I8 = 8,
  OCTET_TYPE_U64 = 9,
  OCTET_TYPE_U32 = 10,
  OCTET_TYPE_U16 = 11,
  OCTET_TYPE_U8 = 12,
  OCTET_TYPE_I4 = 13, /* packed two per byte, element 2k in the low nibble */
  OCTET_TYPE_U4 = 14,
  OCTET_TYPE_U1 = 15, /* packed eight per byte, element 8k in the most significant bit */
  OCTET_TYPE_BOOLEAN = 16,
  /* Not a type: widens the enum to 32 bits, so an out-of-range value from a caller is refused as
   * OCTET_ERROR_INVALID_ARGUMENT by well-defined code instead of being undefined behaviour in C++. */
  OCTET_TYPE_MAX_ENUM = 0x7FFFFFFF
} octet_element_type;

typedef enum octet_device_type {
  OCTET_DEVICE_CPU = 0,
  OCTET_DEVICE_GPU = 1,
  OCTET_DEVICE_TYPE_MAX_ENUM = 0x7FFFFFFF /* not a device type: widens the enum to 32 bits */
} octet_device_type;

typedef struct octet_model* octet_model_t;
typedef struct octet_options* octet_options_t;
typedef struct octet_compiled_model* octet_compiled_model_t;
typedef struct octet_infer_request* octet_infer_request_t;
typedef struct octet_tensor* octet_tensor_t;

/* ---- Version and errors ---------------------------------------------------------------------- */

/* "MAJOR.MINOR.PATCH" of the library actually loaded (compare with the OCTET_VERSION_* macros). */
OCTET_API const char* octet_version(void);
/* OCTET_ABI_VERSION of the library actually loaded. */
OCTET_API int octet_abi_version(void);
/* Static name of a status, e.g. "OCTET_ERROR_NOT_FOUND"; "OCTET_UNKNOWN_STATUS" for other values. */
OCTET_API const char* octet_status_string(octet_status status);
/* Message of the last failed call on this thread ("" if none). Do not free; valid until the next
 * octet call on this thread. */
OCTET_API const char* octet_last_error(void);
/* Static lower-case name: "f32", "i8", ...; "undefined" for unknown values. */
OCTET_API const char* octet_element_type_name(octet_element_type type);

/* ---- Devices --------------------------------------------------------------------------------- */

/* One device octet can run on: index 0 is always the CPU (oneDNN); GPUs follow as "GPU.0", ... */
typedef struct octet_device_info {
  const char* name; /* "CPU", "GPU.0": what octet_model_compile accepts */
  octet_device_type type;
  const char* full_name; /* device name as the driver reports it */
  const char* vendor;
  const char* platform; /* OpenCL platform name; "" for the CPU backend */
  const char* driver_version;
  const char* opencl_c_version; /* "OpenCL C 1.2 pocl"; "" for the CPU backend */
  uint32_t compute_units;
  uint64_t global_memory_bytes;
  uint64_t max_alloc_bytes;
  uint64_t local_memory_bytes;
  int fp16;            /* cl_khr_fp16 */
  int int_dot_product; /* cl_khr_integer_dot_product (or an equivalent vendor extension) */
  int dot4;            /* a DOT4 instruction is a candidate here (NVIDIA sm_61+, or the 4x8-bit packed
                        * capability of cl_khr_integer_dot_product); octet_device_dot4_detail gives
                        * the probe's verdict */
} octet_device_info;

/* Enumerates devices (cached after the first call; OpenCL failures leave only the CPU listed). */
OCTET_API OCTET_NODISCARD octet_status octet_device_count(size_t* count);
/* Fills *info for device `index` (0 <= index < count); strings live until the process exits. */
OCTET_API OCTET_NODISCARD octet_status octet_device_get_info(size_t index, octet_device_info* info);
/* The int8 DOT4 path of device `index` and why: "dp4a: ...", "khr_dot: cl_khr_integer_dot_product
 * with 4x8-bit packed inputs: probe exact, ...", "plain: ..." (a listed extension without the
 * 4x8-bit packed capability, a probe that was not exact or was slower than the plain path). Opens
 * the device on first use (the probe builds and runs two small kernels); the string lives until
 * the process exits. */
OCTET_API OCTET_NODISCARD octet_status octet_device_dot4_detail(size_t index, const char** detail);
/* Why no GPU is listed ("" when one is), e.g. "clGetPlatformIDs: CL_PLATFORM_NOT_FOUND_KHR (-1001): no
 * OpenCL ICD or platform"; enumerates devices on first use, lives until the process exits. */
OCTET_API const char* octet_device_unavailable_reason(void);

/* ---- Models ---------------------------------------------------------------------------------- */

/* Reads and validates an IR. bin_path may be NULL: the xml path with ".bin" instead of ".xml". */
OCTET_API OCTET_NODISCARD octet_status octet_model_read(const char* xml_path, const char* bin_path,
                                                        octet_model_t* model);
/* Same from memory; both buffers are copied. bin may be NULL when bin_size is 0 (no Const layers). */
OCTET_API OCTET_NODISCARD octet_status octet_model_read_from_memory(const char* xml, size_t xml_size,
                                                                    const void* bin, size_t bin_size,
                                                                    octet_model_t* model);
OCTET_API void octet_model_destroy(octet_model_t model);
/* Nodes of the model as read (before any transform), for op histograms. */
OCTET_API OCTET_NODISCARD octet_status octet_model_node_count(octet_model_t model, size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_model_node(octet_model_t model, size_t index, const char** name,
                                                        const char** op);
/* The op version of node `index` as the IR's opset selected it (e.g. 8 for SoftMax in opset8). */
OCTET_API OCTET_NODISCARD octet_status octet_model_node_version(octet_model_t model, size_t index,
                                                                int* version);

/* ---- Compile options ------------------------------------------------------------------------- */
/* Keys (values are case-sensitive):
 *   precision=fast|reference    int8 kernels where the graph is quantized (default) | spec-exact float
 *   fp16=true|false             OpenCL fp16 storage where supported (default false)
 *   cache_dir=PATH              OpenCL program cache (default $OCTET_CACHE_DIR or none)
 *   cpu_fallback=true|false     run nodes the GPU declines on the CPU (default true)
 *   profiling=true|false        per-node times (default false)
 *   extra_outputs=a,b,...       intermediate tensors (tensor or node names) exposed as outputs
 *   all_layers=true|false       expose every intermediate tensor as an output (default false)
 *   guard=true|false            OpenCL guard mode: every buffer between poisoned bytes, checked
 *                               after each kernel; slow, for debugging (default $OCTET_GUARD or false)
 *   separate_buffers=true|false OpenCL: every tensor its own cl_mem instead of a sub-buffer of the
 *                               request's arena, so a checker (Oclgrind) sees an access past a
 *                               tensor; for debugging (default $OCTET_SEPARATE_BUFFERS or false)
 *   timeout_ms=N                OpenCL: an inference waits at most N ms for the device, then fails
 *                               with OCTET_ERROR_TIMEOUT (default $OCTET_OPENCL_TIMEOUT_MS; 0 = forever)
 * On a GPU, octet_compiled_model_device's note mentions guard mode and a timeout when set.
 * An unknown key or bad value is OCTET_ERROR_INVALID_ARGUMENT. */
OCTET_API OCTET_NODISCARD octet_status octet_options_create(octet_options_t* options);
OCTET_API OCTET_NODISCARD octet_status octet_options_set(octet_options_t options, const char* key,
                                                         const char* value);
OCTET_API void octet_options_destroy(octet_options_t options);

/* ---- Compiled models ------------------------------------------------------------------------- */

/* Compiles for "CPU", "GPU" (= "GPU.0"), "GPU.<n>" or "AUTO" (the first GPU if any, else the CPU;
 * octet_compiled_model_device tells which and why). `options` is a NULL-terminated array of
 * "key=value" strings, or NULL. The model may be compiled any number of times. */
OCTET_API OCTET_NODISCARD octet_status octet_model_compile(octet_model_t model, const char* device,
                                                           const char* const* options,
                                                           octet_compiled_model_t* compiled);
OCTET_API OCTET_NODISCARD octet_status octet_model_compile_with_options(octet_model_t model,
                                                                        const char* device,
                                                                        octet_options_t options,
                                                                        octet_compiled_model_t* compiled);
OCTET_API void octet_compiled_model_destroy(octet_compiled_model_t compiled);

/* The device the model runs on ("CPU", "GPU.0") and, for AUTO, a sentence on the choice ("" else). */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_device(octet_compiled_model_t compiled,
                                                                   const char** device, const char** note);

/* One input or output; pointers live as long as the compiled model. */
typedef struct octet_port_info {
  const char* name;
  octet_element_type type;
  size_t rank;
  const int64_t* dims;
} octet_port_info;

OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_input_count(octet_compiled_model_t compiled,
                                                                        size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_input(octet_compiled_model_t compiled,
                                                                  size_t index, octet_port_info* info);
/* Inputs and outputs of the model as the IR declares them, before compiling (no device needed);
 * a dynamic dim is -1. Pointers live as long as the model. */
OCTET_API OCTET_NODISCARD octet_status octet_model_input_count(octet_model_t model, size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_model_input(octet_model_t model, size_t index,
                                                         octet_port_info* info);
OCTET_API OCTET_NODISCARD octet_status octet_model_output_count(octet_model_t model, size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_model_output(octet_model_t model, size_t index,
                                                          octet_port_info* info);
/* The index of the input `name` addresses: any of its tensor names (a port may have several, as
 * OpenVINO accepts), else its Parameter layer name. OCTET_ERROR_NOT_FOUND lists the valid names;
 * OCTET_ERROR_INVALID_ARGUMENT when two inputs answer to the name. */
OCTET_API OCTET_NODISCARD octet_status octet_model_find_input(octet_model_t model, const char* name,
                                                              size_t* index);
/* Gives input `name` (tensor or Parameter name) a new static shape; later compiles infer every
 * other shape from it (the IR's declared port dims are no longer checked, and octet_model_output
 * reports -1 for dims that may change). OCTET_ERROR_NOT_FOUND lists the valid names; a shape the
 * model cannot take fails at compile. A shape equal to the current one changes nothing. It changes
 * the model, so no other thread may use the model during the call; compiled models are unaffected. */
OCTET_API OCTET_NODISCARD octet_status octet_model_reshape(octet_model_t model, const char* name,
                                                           const int64_t* dims, size_t rank);
/* Outputs: the model's Results first, then extra outputs (extra_outputs / all_layers). */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_output_count(octet_compiled_model_t compiled,
                                                                         size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_output(octet_compiled_model_t compiled,
                                                                   size_t index, octet_port_info* info);
/* The index of the input or output `name` addresses. Inputs: tensor names, then Parameter layer
 * names. Outputs: tensor names (OpenVINO's rule), then Result layer names, then "<layer>.<n>"
 * (output n of a layer), then the name of a layer with one output; a multi-output layer's bare
 * name is refused unless it is also a tensor name. OCTET_ERROR_NOT_FOUND lists the valid names;
 * OCTET_ERROR_INVALID_ARGUMENT names the candidates of an ambiguous name. */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_find_input(octet_compiled_model_t compiled,
                                                                       const char* name, size_t* index);
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_find_output(octet_compiled_model_t compiled,
                                                                        const char* name, size_t* index);
/* Quantization grid of a tensor: when a FakeQuantize of the prepared graph produces the tensor
 * named `name`, *step = (output_high - output_low) / (levels - 1) (the largest over channels) and
 * *levels its levels; otherwise both are 0. OCTET_ERROR_NOT_FOUND when no tensor has that name. */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_quant_step(octet_compiled_model_t compiled,
                                                                       const char* name, double* step,
                                                                       int64_t* levels);

/* Whether tensor `name` is computed from quantized data: *quantized = 1 when a FakeQuantize (or
 * the int8 nodes octet makes of one) or compressed integer weights lie upstream of it in the
 * prepared graph, else 0. *step is the quantization step of the nearest such grid upstream (0 when
 * the only quantized inputs are compressed weights) and *grid_node (may be NULL) the node holding
 * it; the string lives as long as the compiled model. `compare` uses it to pick the quantized
 * models' bound for such tensors. OCTET_ERROR_NOT_FOUND when no tensor has that name. */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_quant_origin(octet_compiled_model_t compiled,
                                                                         const char* name, int* quantized,
                                                                         double* step,
                                                                         const char** grid_node);

/* The tensors read by the layer that produces tensor `name`, named as octet_compiled_model_output
 * names them with all_layers (a model input by its input name; Constant inputs left out), so that
 * a per-layer comparison can tell an error a layer makes from one it inherits. The names live as
 * long as the compiled model. OCTET_ERROR_NOT_FOUND when no tensor has that name. */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_tensor_inputs(octet_compiled_model_t compiled,
                                                                          const char* name, size_t* count,
                                                                          const char* const** names);

/* Where each node runs and why; pointers live as long as the compiled model. */
typedef struct octet_node_assignment {
  const char* node_name;
  const char* op;        /* "Convolution", "QuantizedConvolution", ... */
  const char* backend;   /* "CPU", "GPU.0" */
  const char* impl;      /* kernel implementation name */
  const char* precision; /* "f32", "f16", "int8", "int4" */
  const char* note;      /* why not on the primary device / not int8; "" otherwise */
} octet_node_assignment;

OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_assignment_count(octet_compiled_model_t compiled,
                                                                             size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_assignment(octet_compiled_model_t compiled,
                                                                       size_t index,
                                                                       octet_node_assignment* assignment);
/* Weight bytes held on the device, and planned activation bytes per request (all backends). */
OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_memory(octet_compiled_model_t compiled,
                                                                   uint64_t* weight_bytes,
                                                                   uint64_t* activation_peak_bytes);

/* ---- Infer requests -------------------------------------------------------------------------- */

OCTET_API OCTET_NODISCARD octet_status octet_compiled_model_create_request(octet_compiled_model_t compiled,
                                                                           octet_infer_request_t* request);
OCTET_API void octet_infer_request_destroy(octet_infer_request_t request);
/* Copies `tensor` into the request. OCTET_ERROR_NOT_FOUND (message lists the valid names) or
 * OCTET_ERROR_PARAMETER_MISMATCH (message gives expected and actual type/shape). */
OCTET_API OCTET_NODISCARD octet_status octet_infer_request_set_input(octet_infer_request_t request,
                                                                     const char* name, octet_tensor_t tensor);
/* Runs synchronously. */
OCTET_API OCTET_NODISCARD octet_status octet_infer_request_infer(octet_infer_request_t request);
/* A new tensor holding a copy of an output of the last infer; destroy it with octet_tensor_destroy. */
OCTET_API OCTET_NODISCARD octet_status octet_infer_request_get_output(octet_infer_request_t request,
                                                                      const char* name,
                                                                      octet_tensor_t* tensor);
OCTET_API OCTET_NODISCARD octet_status octet_infer_request_get_output_by_index(octet_infer_request_t request,
                                                                               size_t index,
                                                                               octet_tensor_t* tensor);

/* One executed node of the last infer (needs profiling=true). Times in microseconds. */
typedef struct octet_profiling_info {
  const char* node_name;
  const char* node_type; /* op */
  const char* exec_type; /* implementation, e.g. "ocl_conv_int8_dot4", "onednn_jit:avx512" */
  const char* backend;
  double real_time_us; /* device time when known, else wall time */
  double cpu_time_us;  /* host time spent enqueueing */
} octet_profiling_info;

typedef struct octet_profiling_list {
  octet_profiling_info* records;
  size_t count;
} octet_profiling_list;

/* Fills *list with a copy of the last infer's records (count 0 without profiling). Free the list with
 * octet_profiling_list_free; the strings belong to the list. */
OCTET_API OCTET_NODISCARD octet_status octet_infer_request_get_profiling(octet_infer_request_t request,
                                                                         octet_profiling_list* list);
OCTET_API void octet_profiling_list_free(octet_profiling_list* list);

/* ---- Tensors over host memory ---------------------------------------------------------------- */

/* Allocates an owned tensor (64-byte aligned). `data` (may be NULL: zeros) is copied; it must hold
 * octet_tensor_byte_size bytes. rank may be 0 (a scalar); dims may be NULL only then. */
OCTET_API OCTET_NODISCARD octet_status octet_tensor_create(octet_element_type type, const int64_t* dims,
                                                           size_t rank, const void* data,
                                                           octet_tensor_t* tensor);
/* Wraps caller memory without copying. The caller guarantees that host_ptr points to at least
 * (product of dims x element size) bytes and keeps it alive until the tensor is destroyed: octet
 * cannot check the size (bad-inputs.md row 34); it rejects NULL and pointers not aligned to the
 * element size. Use octet_tensor_create when in doubt. */
OCTET_API OCTET_NODISCARD octet_status octet_tensor_create_from_host_ptr(octet_element_type type,
                                                                         const int64_t* dims, size_t rank,
                                                                         void* host_ptr,
                                                                         octet_tensor_t* tensor);
/* Reads a .npy file (strict parser) / writes a tensor as .npy / reads raw bytes that must be
 * exactly the shape's byte size. */
OCTET_API OCTET_NODISCARD octet_status octet_tensor_read_npy(const char* path, octet_tensor_t* tensor);
OCTET_API OCTET_NODISCARD octet_status octet_tensor_write_npy(octet_tensor_t tensor, const char* path);
OCTET_API OCTET_NODISCARD octet_status octet_tensor_read_raw(const char* path, octet_element_type type,
                                                             const int64_t* dims, size_t rank,
                                                             octet_tensor_t* tensor);
OCTET_API void octet_tensor_destroy(octet_tensor_t tensor);

OCTET_API OCTET_NODISCARD octet_status octet_tensor_data(octet_tensor_t tensor, void** data);
OCTET_API OCTET_NODISCARD octet_status octet_tensor_type(octet_tensor_t tensor, octet_element_type* type);
/* *dims lives as long as the tensor. */
OCTET_API OCTET_NODISCARD octet_status octet_tensor_shape(octet_tensor_t tensor, size_t* rank,
                                                          const int64_t** dims);
OCTET_API OCTET_NODISCARD octet_status octet_tensor_element_count(octet_tensor_t tensor, size_t* count);
OCTET_API OCTET_NODISCARD octet_status octet_tensor_byte_size(octet_tensor_t tensor, size_t* bytes);

/* ---- Tuning (OpenCL) ------------------------------------------------------------------------ */

/* One distinct GEMM / convolution shape of the model the tuner looked at. Strings belong to the
 * list. */
typedef struct octet_tune_record {
  const char* node_name; /* the first node of the prepared graph with this shape */
  const char* shape;     /* the shape key the result is stored under */
  const char* params;    /* the stored winner, e.g. "m32n32k16 r2x2"; "" when nothing was stored */
  const char* status;    /* "tuned", "default kept", "skipped: <why>", "no exact winner: <why>" */
  size_t nodes;          /* nodes of the model with this shape */
  size_t candidates;     /* parameter sets timed */
  double default_us;     /* median device time of the default parameters (-1 when not timed) */
  double best_us;        /* median device time of the stored winner (-1 when none) */
} octet_tune_record;

typedef struct octet_tune_list {
  octet_tune_record* records;
  size_t count;
  const char* file; /* the tuning file written; "" when nothing was stored */
  double seconds;   /* the tuner's wall time */
} octet_tune_list;

/* Tunes the tiled int8 core of OpenCL `device` ("GPU", "GPU.<n>") for `model`: for each distinct
 * quantized MatMul/Convolution shape that runs on the core, times the legal tile parameter sets
 * (profiling events, median of 5 runs) within `budget_seconds` for the whole model (<= 0: 60) and
 * at most `max_candidates` sets per shape (0: no cap), checks the fastest bit-exact against the
 * integer reference and stores it in "tuning.tsv" of the program cache directory (cache_dir in
 * `options`, else $OCTET_CACHE_DIR; OCTET_ERROR_INVALID_ARGUMENT when neither is set), keyed by
 * device name, driver version, kernel source hash and shape. Later compiles on that device use
 * the stored parameters (the kernel name in octet_compiled_model_assignment ends in " tuned");
 * a missing, stale or damaged entry falls back to the defaults and never fails a compile.
 * `options` as for octet_model_compile (NULL-terminated "key=value", or NULL). Free *list with
 * octet_tune_list_free. */
OCTET_API OCTET_NODISCARD octet_status octet_model_tune(octet_model_t model, const char* device,
                                                        const char* const* options, double budget_seconds,
                                                        size_t max_candidates, octet_tune_list* list);
OCTET_API void octet_tune_list_free(octet_tune_list* list);

#ifdef __cplusplus
}
#endif

#endif /* OCTET_OCTET_H_ */
