/* C99 test of every octet C API entry point: error paths first, then a Parameter -> ReLU -> Result
 * model end to end with hand-checked values, a zoo model against OpenVINO's reference output, and a
 * request used by two threads at once. Usage: c_api_test [ZOO_DIR]. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, setrlimit */
#include <math.h>
#include <octet/octet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* 1 in an AddressSanitizer or ThreadSanitizer build: their shadow memory cannot live under a tight
   address-space limit (gcc defines __SANITIZE_ADDRESS__/__SANITIZE_THREAD__, clang has __has_feature). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OCTET_TEST_SHADOW_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define OCTET_TEST_SHADOW_SANITIZER 1
#endif
#endif
#ifndef OCTET_TEST_SHADOW_SANITIZER
#define OCTET_TEST_SHADOW_SANITIZER 0
#endif

static int g_failures = 0;

#define EXPECT(cond)                                                                     \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "%s:%d: FAILED: %s (last error: %s)\n", __FILE__, __LINE__, #cond, \
              octet_last_error());                                                       \
      ++g_failures;                                                                      \
    }                                                                                    \
  } while (0)
#define EXPECT_STATUS(call, status) EXPECT((call) == (status))
#define EXPECT_OK(call) EXPECT_STATUS(call, OCTET_OK)
#define EXPECT_ERROR_MENTIONS(text) EXPECT(strstr(octet_last_error(), (text)) != NULL)

/* Parameter "x" [1, n] f32 -> ReLU -> Result "y". */
static char* relu_ir(long n) {
  static const char* format =
      "<?xml version=\"1.0\"?>\n"
      "<net name=\"relu\" version=\"11\"><layers>\n"
      "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\">\n"
      " <data shape=\"1,%ld\" element_type=\"f32\"/>\n"
      " <output><port id=\"0\" precision=\"FP32\" names=\"x\"><dim>1</dim><dim>%ld</dim></port></output>\n"
      "</layer>\n"
      "<layer id=\"1\" name=\"relu\" type=\"ReLU\" version=\"opset1\">\n"
      " <input><port id=\"0\" precision=\"FP32\"><dim>1</dim><dim>%ld</dim></port></input>\n"
      " <output><port id=\"1\" precision=\"FP32\" names=\"y\"><dim>1</dim><dim>%ld</dim></port></output>\n"
      "</layer>\n"
      "<layer id=\"2\" name=\"out\" type=\"Result\" version=\"opset1\">\n"
      " <input><port id=\"0\" precision=\"FP32\"><dim>1</dim><dim>%ld</dim></port></input>\n"
      "</layer>\n"
      "</layers><edges>\n"
      "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"0\"/>\n"
      "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"2\" to-port=\"0\"/>\n"
      "</edges></net>\n";
  char* xml = (char*)malloc(4096);
  snprintf(xml, 4096, format, n, n, n, n, n);
  return xml;
}

static void test_version_and_status(void) {
  char expected[64];
  snprintf(expected, sizeof expected, "%d.%d.%d", OCTET_VERSION_MAJOR, OCTET_VERSION_MINOR,
           OCTET_VERSION_PATCH);
  EXPECT(strcmp(octet_version(), expected) == 0);
  EXPECT(octet_abi_version() == OCTET_ABI_VERSION);
  EXPECT(strcmp(octet_status_string(OCTET_OK), "OCTET_OK") == 0);
  EXPECT(strcmp(octet_status_string(OCTET_ERROR_REQUEST_BUSY), "OCTET_ERROR_REQUEST_BUSY") == 0);
  EXPECT(strcmp(octet_status_string((octet_status)999), "OCTET_UNKNOWN_STATUS") == 0);
  /* Out-of-range enum values from C are validated as integers (no UB in the library). */
  EXPECT(strcmp(octet_element_type_name((octet_element_type)99), "undefined") == 0);
  {
    octet_tensor_t t = NULL;
    int64_t d[1] = {2};
    EXPECT_STATUS(octet_tensor_create((octet_element_type)99, d, 1, NULL, &t), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_ERROR_MENTIONS("99");
    EXPECT(t == NULL);
  }
  EXPECT(strcmp(octet_element_type_name(OCTET_TYPE_F32), "f32") == 0);
  EXPECT(strcmp(octet_element_type_name(OCTET_TYPE_I4), "i4") == 0);
  EXPECT(strcmp(octet_element_type_name((octet_element_type)77), "undefined") == 0);
}

static void test_null_arguments(void) {
  octet_model_t model = NULL;
  octet_tensor_t tensor = NULL;
  octet_options_t options = NULL;
  size_t count = 0;
  int64_t dims[2] = {1, 4};
  float data[4] = {0};

  EXPECT_STATUS(octet_device_count(NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR_MENTIONS("count is NULL");
  EXPECT_STATUS(octet_device_get_info(0, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_read(NULL, NULL, &model), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT(model == NULL);
  EXPECT_STATUS(octet_model_read("a.xml", NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_read_from_memory(NULL, 10, NULL, 0, &model), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_read_from_memory("<net/>", 6, NULL, 5, &model), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_node_count(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_compile(NULL, "CPU", NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_compiled_model_input_count(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_compiled_model_create_request(NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_infer_request_infer(NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_infer_request_set_input(NULL, "x", NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_infer_request_get_output(NULL, "y", &tensor), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_infer_request_get_profiling(NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_options_create(NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_options_set(NULL, "profiling", "true"), OCTET_ERROR_INVALID_ARGUMENT);

  /* Tensors: NULL dims with a rank, NULL host pointer, negative dims, bad type, misalignment. */
  EXPECT_STATUS(octet_tensor_create(OCTET_TYPE_F32, NULL, 2, NULL, &tensor), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT(tensor == NULL);
  EXPECT_STATUS(octet_tensor_create(OCTET_TYPE_F32, dims, 2, NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_tensor_create_from_host_ptr(OCTET_TYPE_F32, dims, 2, NULL, &tensor),
                OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR_MENTIONS("host_ptr is NULL");
  EXPECT_STATUS(octet_tensor_create_from_host_ptr(OCTET_TYPE_F32, dims, 2, (char*)data + 1, &tensor),
                OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR_MENTIONS("not aligned");
  {
    int64_t negative[2] = {1, -3};
    EXPECT_STATUS(octet_tensor_create(OCTET_TYPE_F32, negative, 2, NULL, &tensor),
                  OCTET_ERROR_INVALID_ARGUMENT);
  }
  EXPECT_STATUS(octet_tensor_create(OCTET_TYPE_UNDEFINED, dims, 2, NULL, &tensor),
                OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_tensor_create((octet_element_type)55, dims, 2, NULL, &tensor),
                OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_tensor_data(NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_tensor_byte_size(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_tensor_read_npy(NULL, &tensor), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_tensor_write_npy(NULL, "x.npy"), OCTET_ERROR_INVALID_ARGUMENT);

  /* Options: unknown key and bad values. */
  EXPECT_OK(octet_options_create(&options));
  EXPECT_STATUS(octet_options_set(options, "colour", "blue"), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR_MENTIONS("unknown compile option 'colour'");
  EXPECT_STATUS(octet_options_set(options, "precision", "sloppy"), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_options_set(options, "cpu_fallback", "maybe"), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_OK(octet_options_set(options, "precision", "reference"));
  EXPECT_STATUS(octet_options_set(options, "guard", "maybe"), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_options_set(options, "timeout_ms", "12abc"), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR_MENTIONS("timeout_ms");
  EXPECT_STATUS(octet_options_set(options, "timeout_ms", "-5"), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_options_set(options, "timeout_ms", ""), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_OK(octet_options_set(options, "guard", "1"));
  EXPECT_OK(octet_options_set(options, "timeout_ms", "250"));
  octet_options_destroy(options);

  /* Model-level queries (rows 33-34). */
  {
    octet_port_info port;
    int version = 0;
    EXPECT_STATUS(octet_model_input_count(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_input(NULL, 0, &port), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_output_count(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_output(NULL, 0, &port), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_node_version(NULL, 0, &version), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_reshape(NULL, "x", dims, 2), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_find_input(NULL, "x", &count), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_find_input(NULL, "x", &count), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_find_output(NULL, "y", &count), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_model_node(NULL, 0, NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_output(NULL, 0, &port), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_device(NULL, NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_memory(NULL, NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_assignment_count(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_compiled_model_quant_step(NULL, "x", NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_infer_request_get_output_by_index(NULL, 0, &tensor), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT(tensor == NULL);
    EXPECT_STATUS(octet_model_compile_with_options(NULL, "CPU", NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_tensor_read_raw("x.bin", OCTET_TYPE_F32, NULL, 2, &tensor),
                  OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_tensor_read_raw(NULL, OCTET_TYPE_F32, dims, 2, &tensor),
                  OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_tensor_shape(NULL, NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_tensor_type(NULL, NULL), OCTET_ERROR_INVALID_ARGUMENT);
    EXPECT_STATUS(octet_tensor_element_count(NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
  }

  /* Zero-length shapes: a scalar (rank 0, dims NULL) and a tensor with a 0 dim are valid; a
   * zero-element host-pointer tensor still needs a pointer. */
  {
    int64_t empty[2] = {3, 0};
    size_t bytes = 1;
    EXPECT_OK(octet_tensor_create(OCTET_TYPE_F32, NULL, 0, data, &tensor));
    EXPECT_OK(octet_tensor_element_count(tensor, &count));
    EXPECT(count == 1);
    octet_tensor_destroy(tensor);
    tensor = NULL;
    EXPECT_OK(octet_tensor_create(OCTET_TYPE_F32, empty, 2, NULL, &tensor));
    EXPECT_OK(octet_tensor_byte_size(tensor, &bytes));
    EXPECT(bytes == 0);
    octet_tensor_destroy(tensor);
    tensor = NULL;
    EXPECT_STATUS(octet_tensor_create_from_host_ptr(OCTET_TYPE_F32, empty, 2, NULL, &tensor),
                  OCTET_ERROR_INVALID_ARGUMENT);
  }

  /* Every destroy accepts NULL. */
  octet_model_destroy(NULL);
  octet_options_destroy(NULL);
  octet_compiled_model_destroy(NULL);
  octet_infer_request_destroy(NULL);
  octet_tensor_destroy(NULL);
  octet_profiling_list_free(NULL);
}

/* A host allocation failure (std::bad_alloc inside) comes back as OCTET_ERROR_OUT_OF_MEMORY, not as an
 * exception (row 43). In a child process with a 16 GiB address-space limit, so the 4 TiB request fails
 * whatever the machine's overcommit policy; run first, before any library thread exists. */
static void test_out_of_memory(void) {
  pid_t child = fork();
  if (child == 0) {
    struct rlimit limit;
    int64_t huge[1] = {(int64_t)1 << 40}; /* 2^40 f32 elements: 4 TiB */
    octet_tensor_t tensor = NULL;
    octet_status status;
    limit.rlim_cur = limit.rlim_max = (rlim_t)16 << 30;
    /* ASan's shadow memory needs far more address space than 16 GiB; under it the 4 TiB request
     * fails in ASan's allocator instead (tools/sanitize.sh sets allocator_may_return_null=1). */
    if (!OCTET_TEST_SHADOW_SANITIZER) setrlimit(RLIMIT_AS, &limit);
    status = octet_tensor_create(OCTET_TYPE_F32, huge, 1, NULL, &tensor);
    _exit(status == OCTET_ERROR_OUT_OF_MEMORY && tensor == NULL ? 0 : 1);
  }
  {
    int wstatus = 0;
    EXPECT(child > 0);
    EXPECT(waitpid(child, &wstatus, 0) == child);
    EXPECT(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  }
}

static void test_devices(void) {
  size_t count = 0, i;
  octet_device_info info;
  EXPECT_OK(octet_device_count(&count));
  EXPECT(count >= 1);
  EXPECT_OK(octet_device_get_info(0, &info));
  EXPECT(strcmp(info.name, "CPU") == 0);
  EXPECT(info.type == OCTET_DEVICE_CPU);
  EXPECT(info.compute_units >= 1);
  for (i = 1; i < count; ++i) {
    char expected[32];
    EXPECT_OK(octet_device_get_info(i, &info));
    snprintf(expected, sizeof expected, "GPU.%zu", i - 1);
    EXPECT(strcmp(info.name, expected) == 0);
    EXPECT(info.type == OCTET_DEVICE_GPU);
    EXPECT(strncmp(info.opencl_c_version, "OpenCL C", 8) == 0);
  }
  EXPECT_STATUS(octet_device_get_info(count, &info), OCTET_ERROR_NOT_FOUND);
  /* A reason exactly when no GPU is listed. */
  EXPECT(octet_device_unavailable_reason() != NULL);
  EXPECT((count > 1) == (octet_device_unavailable_reason()[0] == '\0'));
}

static void test_bad_models(void) {
  octet_model_t model = (octet_model_t)1;
  static const char garbage[] = "\x01\x02not xml at all";
  EXPECT_STATUS(octet_model_read("/nonexistent/model.xml", NULL, &model), OCTET_ERROR_NOT_FOUND);
  EXPECT(model == NULL);
  EXPECT_ERROR_MENTIONS("/nonexistent/model.xml");
  EXPECT_STATUS(octet_model_read_from_memory(garbage, sizeof garbage - 1, NULL, 0, &model),
                OCTET_ERROR_MODEL);
  EXPECT(model == NULL);
  EXPECT(strlen(octet_last_error()) > 0);
  /* An explicit length: the xml below is cut in the middle of an element. */
  {
    char* xml = relu_ir(4);
    EXPECT_STATUS(octet_model_read_from_memory(xml, 120, NULL, 0, &model), OCTET_ERROR_MODEL);
    free(xml);
  }
}

static void test_relu_end_to_end(void) {
  char* xml = relu_ir(8);
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_tensor_t input = NULL, output = NULL, output2 = NULL, wrong = NULL;
  octet_port_info port;
  octet_node_assignment assignment;
  octet_profiling_list profile = {NULL, 0};
  size_t count = 0, rank = 0, bytes = 0, i;
  const int64_t* dims = NULL;
  const char *device = NULL, *note = NULL, *name = NULL, *op = NULL;
  uint64_t weights = 1, activations = 0;
  double step = -1;
  int64_t levels = -1;
  int64_t shape[2] = {1, 8};
  int64_t wrong_shape[2] = {1, 9};
  float values[8] = {-2.0f, -0.5f, 0.0f, 0.25f, 1.0f, -1e-3f, 3.5f, -7.0f};
  const float expected[8] = {0.0f, 0.0f, 0.0f, 0.25f, 1.0f, 0.0f, 3.5f, 0.0f};
  const char* options[] = {"precision=reference", "profiling=true", NULL};
  const char* bad_options[] = {"profiling", NULL};
  octet_element_type type = OCTET_TYPE_UNDEFINED;
  float* out = NULL;

  EXPECT_OK(octet_model_read_from_memory(xml, strlen(xml), NULL, 0, &model));
  free(xml);
  if (!model) return;
  EXPECT_OK(octet_model_node_count(model, &count));
  EXPECT(count == 3);
  EXPECT_OK(octet_model_node(model, 1, &name, &op));
  EXPECT(strcmp(name, "relu") == 0 && strcmp(op, "Relu") == 0);
  EXPECT_STATUS(octet_model_node(model, 3, &name, &op), OCTET_ERROR_NOT_FOUND);
  {
    int version = 0;
    EXPECT_OK(octet_model_node_version(model, 1, &version));
    EXPECT(version == 1);
    EXPECT_STATUS(octet_model_node_version(model, 3, &version), OCTET_ERROR_NOT_FOUND);
    EXPECT_STATUS(octet_model_node_version(model, 0, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  }
  /* Ports as the IR declares them, before any compile. */
  EXPECT_OK(octet_model_input_count(model, &count));
  EXPECT(count == 1);
  EXPECT_OK(octet_model_input(model, 0, &port));
  EXPECT(strcmp(port.name, "x") == 0 && port.type == OCTET_TYPE_F32 && port.rank == 2 && port.dims[0] == 1 &&
         port.dims[1] == 8);
  EXPECT_STATUS(octet_model_input(model, 1, &port), OCTET_ERROR_NOT_FOUND);
  EXPECT_OK(octet_model_output_count(model, &count));
  EXPECT(count == 1);
  EXPECT_OK(octet_model_output(model, 0, &port));
  EXPECT(strcmp(port.name, "y") == 0 && port.type == OCTET_TYPE_F32 && port.rank == 2 && port.dims[1] == 8);
  EXPECT_STATUS(octet_model_output(model, 0, NULL), OCTET_ERROR_INVALID_ARGUMENT);
  /* Input lookup by tensor name or layer name (the same here), unknown names listing the valid. */
  count = 7;
  EXPECT_OK(octet_model_find_input(model, "x", &count));
  EXPECT(count == 0);
  EXPECT_STATUS(octet_model_find_input(model, "y", &count), OCTET_ERROR_NOT_FOUND);
  EXPECT_ERROR_MENTIONS("'x'");
  EXPECT_STATUS(octet_model_find_input(model, NULL, &count), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_find_input(model, "x", NULL), OCTET_ERROR_INVALID_ARGUMENT);
  /* Reshape: unknown names list the valid ones; NULL dims with a rank are refused; the same shape
   * is a no-op. */
  EXPECT_STATUS(octet_model_reshape(model, "nope", shape, 2), OCTET_ERROR_NOT_FOUND);
  EXPECT_ERROR_MENTIONS("'x'");
  EXPECT_STATUS(octet_model_reshape(model, "x", NULL, 2), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_reshape(model, NULL, shape, 2), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_OK(octet_model_reshape(model, "x", shape, 2));
  EXPECT_OK(octet_model_output(model, 0, &port));
  EXPECT(port.dims[1] == 8);

  EXPECT_STATUS(octet_model_compile(model, "CPU", bad_options, &compiled), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_compile(model, "TPU", NULL, &compiled), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_STATUS(octet_model_compile(model, "GPU.99", NULL, &compiled), OCTET_ERROR_NOT_FOUND);
  EXPECT_ERROR_MENTIONS("CPU"); /* the message lists the devices found */
  EXPECT(compiled == NULL);
  EXPECT_OK(octet_model_compile(model, "CPU", options, &compiled));
  /* The compiled model outlives the model it came from. */
  octet_model_destroy(model);
  if (!compiled) return;

  EXPECT_OK(octet_compiled_model_device(compiled, &device, &note));
  EXPECT(strcmp(device, "CPU") == 0);
  EXPECT(strcmp(note, "") == 0);
  EXPECT_OK(octet_compiled_model_input_count(compiled, &count));
  EXPECT(count == 1);
  EXPECT_OK(octet_compiled_model_input(compiled, 0, &port));
  EXPECT(strcmp(port.name, "x") == 0 && port.type == OCTET_TYPE_F32 && port.rank == 2 && port.dims[1] == 8);
  EXPECT_STATUS(octet_compiled_model_input(compiled, 1, &port), OCTET_ERROR_NOT_FOUND);
  EXPECT_OK(octet_compiled_model_output_count(compiled, &count));
  EXPECT(count == 1);
  EXPECT_OK(octet_compiled_model_output(compiled, 0, &port));
  EXPECT(strcmp(port.name, "y") == 0 && port.type == OCTET_TYPE_F32 && port.rank == 2);
  /* Output lookup: tensor name, Result layer name, producing layer name, "<layer>.<n>". */
  {
    const char* output_names[] = {"y", "out", "relu", "relu.0"};
    size_t k, index;
    for (k = 0; k < 4; ++k) {
      index = 9;
      EXPECT_OK(octet_compiled_model_find_output(compiled, output_names[k], &index));
      EXPECT(index == 0);
    }
    EXPECT_STATUS(octet_compiled_model_find_output(compiled, "relu.1", &index), OCTET_ERROR_NOT_FOUND);
    EXPECT_ERROR_MENTIONS("'y'");
    EXPECT_OK(octet_compiled_model_find_input(compiled, "x", &index));
    EXPECT(index == 0);
    EXPECT_STATUS(octet_compiled_model_find_input(compiled, "y", &index), OCTET_ERROR_NOT_FOUND);
  }
  EXPECT_OK(octet_compiled_model_quant_step(compiled, "y", &step, &levels));
  EXPECT(step == 0 && levels == 0);
  EXPECT_STATUS(octet_compiled_model_quant_step(compiled, "nope", &step, &levels), OCTET_ERROR_NOT_FOUND);
  EXPECT_OK(octet_compiled_model_assignment_count(compiled, &count));
  EXPECT(count >= 1);
  if (count >= 1) {
    EXPECT_OK(octet_compiled_model_assignment(compiled, 0, &assignment));
    EXPECT(strcmp(assignment.backend, "CPU") == 0);
  }
  EXPECT_STATUS(octet_compiled_model_assignment(compiled, count, &assignment), OCTET_ERROR_NOT_FOUND);
  EXPECT_OK(octet_compiled_model_memory(compiled, &weights, &activations));
  EXPECT(weights == 0);

  EXPECT_OK(octet_compiled_model_create_request(compiled, &request));
  /* The request keeps the compiled model alive. */
  octet_compiled_model_destroy(compiled);
  if (!request) return;
  /* No result before the first inference (not zeros). */
  EXPECT_STATUS(octet_infer_request_get_output_by_index(request, 0, &output), OCTET_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR_MENTIONS("no result");
  EXPECT(output == NULL);

  EXPECT_OK(octet_tensor_create_from_host_ptr(OCTET_TYPE_F32, shape, 2, values, &input));
  EXPECT_OK(octet_tensor_byte_size(input, &bytes));
  EXPECT(bytes == sizeof values);
  EXPECT_OK(octet_tensor_shape(input, &rank, &dims));
  EXPECT(rank == 2 && dims[0] == 1 && dims[1] == 8);
  EXPECT_OK(octet_tensor_element_count(input, &count));
  EXPECT(count == 8);
  EXPECT_OK(octet_tensor_type(input, &type));
  EXPECT(type == OCTET_TYPE_F32);

  EXPECT_STATUS(octet_infer_request_set_input(request, "nope", input), OCTET_ERROR_NOT_FOUND);
  EXPECT_ERROR_MENTIONS("x"); /* lists the valid names */
  EXPECT_OK(octet_tensor_create(OCTET_TYPE_F32, wrong_shape, 2, NULL, &wrong));
  EXPECT_STATUS(octet_infer_request_set_input(request, "x", wrong), OCTET_ERROR_PARAMETER_MISMATCH);
  octet_tensor_destroy(wrong);
  EXPECT_OK(octet_tensor_create(OCTET_TYPE_I32, shape, 2, NULL, &wrong));
  EXPECT_STATUS(octet_infer_request_set_input(request, "x", wrong), OCTET_ERROR_PARAMETER_MISMATCH);
  octet_tensor_destroy(wrong);

  EXPECT_OK(octet_infer_request_set_input(request, "x", input));
  EXPECT_OK(octet_infer_request_infer(request));
  EXPECT_OK(octet_infer_request_get_output(request, "y", &output));
  EXPECT_STATUS(octet_infer_request_get_output(request, "nope", &output2), OCTET_ERROR_NOT_FOUND);
  EXPECT(output2 == NULL);
  EXPECT_STATUS(octet_infer_request_get_output_by_index(request, 1, &output2), OCTET_ERROR_NOT_FOUND);
  EXPECT_OK(octet_infer_request_get_output_by_index(request, 0, &output2));
  if (output && output2) {
    float* out2 = NULL;
    EXPECT_OK(octet_tensor_data(output, (void**)&out));
    EXPECT_OK(octet_tensor_data(output2, (void**)&out2));
    for (i = 0; i < 8; ++i) {
      EXPECT(out[i] == expected[i]);
      EXPECT(out2[i] == expected[i]);
    }
  }
  EXPECT_OK(octet_infer_request_get_profiling(request, &profile));
  EXPECT(profile.count >= 1);
  for (i = 0; i < profile.count; ++i) {
    EXPECT(profile.records[i].node_name != NULL && profile.records[i].exec_type != NULL);
    EXPECT(profile.records[i].real_time_us >= 0);
  }
  octet_profiling_list_free(&profile);
  EXPECT(profile.records == NULL && profile.count == 0);

  /* .npy round trip through a file. */
  {
    octet_tensor_t back = NULL;
    const char* path = "c_api_test_output.npy";
    EXPECT_OK(octet_tensor_write_npy(output, path));
    EXPECT_OK(octet_tensor_read_npy(path, &back));
    if (back) {
      float* b = NULL;
      EXPECT_OK(octet_tensor_data(back, (void**)&b));
      for (i = 0; i < 8; ++i) EXPECT(b[i] == expected[i]);
    }
    octet_tensor_destroy(back);
    remove(path);
    EXPECT_STATUS(octet_tensor_read_npy("/nonexistent/in.npy", &back), OCTET_ERROR_NOT_FOUND);
    EXPECT(back == NULL);
  }

  octet_tensor_destroy(output);
  octet_tensor_destroy(output2);
  octet_tensor_destroy(input);
  octet_infer_request_destroy(request);
}

/* A request used by two threads at once: one of them must get OCTET_ERROR_REQUEST_BUSY. */
typedef struct {
  octet_infer_request_t request;
  int iterations;
  int busy_seen;
  int other_errors;
  volatile int stop;
} BusyShared;

static void* infer_loop(void* arg) {
  BusyShared* shared = (BusyShared*)arg;
  int i;
  for (i = 0; i < shared->iterations && !shared->stop; ++i) {
    octet_status status = octet_infer_request_infer(shared->request);
    if (status == OCTET_ERROR_REQUEST_BUSY) {
      /* The busy message is this thread's own last error. */
      if (strstr(octet_last_error(), "in use") != NULL) shared->busy_seen = 1;
    } else if (status != OCTET_OK) {
      shared->other_errors++;
    }
  }
  return NULL;
}

static void test_busy_request(void) {
  const long n = 1L << 20;
  char* xml = relu_ir(n);
  int64_t shape[2] = {1, n};
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_tensor_t input = NULL;
  BusyShared a, b;
  pthread_t ta, tb;

  EXPECT_OK(octet_model_read_from_memory(xml, strlen(xml), NULL, 0, &model));
  free(xml);
  EXPECT_OK(octet_model_compile(model, "CPU", NULL, &compiled));
  EXPECT_OK(octet_compiled_model_create_request(compiled, &request));
  EXPECT_OK(octet_tensor_create(OCTET_TYPE_F32, shape, 2, NULL, &input));
  EXPECT_OK(octet_infer_request_set_input(request, "x", input));
  if (!request) goto done;
  memset(&a, 0, sizeof a);
  a.request = request;
  a.iterations = 400;
  b = a;
  pthread_create(&ta, NULL, infer_loop, &a);
  pthread_create(&tb, NULL, infer_loop, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  EXPECT(a.busy_seen || b.busy_seen);
  EXPECT(a.other_errors == 0 && b.other_errors == 0);
  /* Once both are done the request works again. */
  EXPECT_OK(octet_infer_request_infer(request));
done:
  octet_tensor_destroy(input);
  octet_infer_request_destroy(request);
  octet_compiled_model_destroy(compiled);
  octet_model_destroy(model);
}

/* Reshape: the ReLU model's input goes from [1,8] to [1,16]; the old shape is then a mismatch. */
static void test_reshape(void) {
  char* xml = relu_ir(8);
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_tensor_t input = NULL, old_input = NULL, output = NULL;
  octet_port_info port;
  int64_t shape[2] = {1, 16}, old_shape[2] = {1, 8};
  float values[16];
  float* out = NULL;
  int i;
  for (i = 0; i < 16; ++i) values[i] = (float)(i - 8) * 0.5f;
  EXPECT_OK(octet_model_read_from_memory(xml, strlen(xml), NULL, 0, &model));
  free(xml);
  if (!model) return;
  EXPECT_OK(octet_model_reshape(model, "x", shape, 2));
  EXPECT_OK(octet_model_input(model, 0, &port));
  EXPECT(port.rank == 2 && port.dims[1] == 16);
  EXPECT_OK(octet_model_output(model, 0, &port));
  EXPECT(port.rank == 2 && port.dims[1] == -1); /* unknown until compiled */
  EXPECT_OK(octet_model_compile(model, "CPU", NULL, &compiled));
  if (compiled) {
    EXPECT_OK(octet_compiled_model_output(compiled, 0, &port));
    EXPECT(port.rank == 2 && port.dims[0] == 1 && port.dims[1] == 16);
    EXPECT_OK(octet_compiled_model_create_request(compiled, &request));
  }
  if (request) {
    EXPECT_OK(octet_tensor_create(OCTET_TYPE_F32, old_shape, 2, NULL, &old_input));
    EXPECT_STATUS(octet_infer_request_set_input(request, "x", old_input), OCTET_ERROR_PARAMETER_MISMATCH);
    EXPECT_OK(octet_tensor_create(OCTET_TYPE_F32, shape, 2, values, &input));
    EXPECT_OK(octet_infer_request_set_input(request, "x", input));
    EXPECT_OK(octet_infer_request_infer(request));
    EXPECT_OK(octet_infer_request_get_output(request, "y", &output));
    if (output) {
      EXPECT_OK(octet_tensor_data(output, (void**)&out));
      for (i = 0; i < 16; ++i) EXPECT(out[i] == (i < 8 ? 0.0f : (float)(i - 8) * 0.5f));
    }
  }
  octet_tensor_destroy(output);
  octet_tensor_destroy(input);
  octet_tensor_destroy(old_input);
  octet_infer_request_destroy(request);
  octet_compiled_model_destroy(compiled);
  octet_model_destroy(model);
}

/* A zoo model read from disk, compiled, run on `device` with the zoo input, and compared with the
 * output OpenVINO's CPU plugin produced (tests/zoo/<model>/ref): |out - ref| <= atol + rtol * |ref|
 * where atol = abs_tol + of_max * max|ref| (int8 models: 1e-2 * max|ref|, the zoo tests' criterion,
 * since OpenVINO's int8 execution rounds differently from the spec's float FakeQuantize). */
static void test_zoo_model(const char* zoo, const char* name, const char* device, const char* precision,
                           double abs_tol, double of_max, double rtol) {
  char xml[1024], input_path[1024], ref_path[1024], option[64];
  const char* options[2];
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_tensor_t input = NULL, output = NULL, ref = NULL;
  size_t count = 0, ref_count = 0, i, bad = 0;
  float *out = NULL, *expected = NULL;
  double worst = 0, max_ref = 0, atol = 0;
  snprintf(xml, sizeof xml, "%s/%s/model.xml", zoo, name);
  snprintf(input_path, sizeof input_path, "%s/%s/inputs/input.npy", zoo, name);
  snprintf(ref_path, sizeof ref_path, "%s/%s/ref/prob.npy", zoo, name);
  snprintf(option, sizeof option, "precision=%s", precision);
  options[0] = option;
  options[1] = NULL;
  /* "" for the weights means what NULL means (<model>.bin): both spellings run to the reference. */
  EXPECT_OK(octet_model_read(xml, strcmp(precision, "reference") == 0 ? "" : NULL, &model));
  EXPECT_OK(octet_tensor_read_npy(input_path, &input));
  EXPECT_OK(octet_tensor_read_npy(ref_path, &ref));
  if (model) EXPECT_OK(octet_model_compile(model, device, options, &compiled));
  if (compiled) EXPECT_OK(octet_compiled_model_create_request(compiled, &request));
  if (request && input && ref) {
    EXPECT_OK(octet_infer_request_set_input(request, "input", input));
    EXPECT_OK(octet_infer_request_infer(request));
    EXPECT_OK(octet_infer_request_get_output(request, "prob", &output));
  }
  if (output) {
    EXPECT_OK(octet_tensor_element_count(output, &count));
    EXPECT_OK(octet_tensor_element_count(ref, &ref_count));
    EXPECT(count == ref_count && count > 1);
    EXPECT_OK(octet_tensor_data(output, (void**)&out));
    EXPECT_OK(octet_tensor_data(ref, (void**)&expected));
    for (i = 0; i < ref_count; ++i) max_ref = fmax(max_ref, fabs((double)expected[i]));
    atol = abs_tol + of_max * max_ref;
    for (i = 0; i < count && i < ref_count; ++i) {
      double diff = fabs((double)out[i] - (double)expected[i]);
      if (diff > worst) worst = diff;
      if (!(diff <= atol + rtol * fabs((double)expected[i]))) ++bad;
    }
    if (bad) fprintf(stderr, "%s on %s: %zu elements off, max |diff| %g\n", name, device, bad, worst);
    EXPECT(bad == 0);
  }
  octet_tensor_destroy(output);
  octet_tensor_destroy(ref);
  octet_tensor_destroy(input);
  octet_infer_request_destroy(request);
  octet_compiled_model_destroy(compiled);
  octet_model_destroy(model);
}

static int have_gpu(void) {
  size_t count = 0;
  return octet_device_count(&count) == OCTET_OK && count > 1;
}

/* guard=1 and timeout_ms=N reach the OpenCL backend: the device note names both, and a guarded
 * ReLU still computes max(x, 0). */
static void test_gpu_guard_and_timeout(void) {
  char* xml = relu_ir(8);
  const char* options[] = {"guard=1", "timeout_ms=60000", NULL};
  const float values[8] = {-2.0f, -0.5f, 0.0f, 0.25f, 1.0f, -1e-3f, 3.5f, -7.0f};
  const float expected[8] = {0.0f, 0.0f, 0.0f, 0.25f, 1.0f, 0.0f, 3.5f, 0.0f};
  const int64_t shape[2] = {1, 8};
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_tensor_t input = NULL, output = NULL;
  const char *device = NULL, *note = NULL;
  float* out = NULL;
  int i;
  EXPECT_OK(octet_model_read_from_memory(xml, strlen(xml), NULL, 0, &model));
  free(xml);
  EXPECT_OK(octet_model_compile(model, "GPU", options, &compiled));
  octet_model_destroy(model);
  if (!compiled) return;
  EXPECT_OK(octet_compiled_model_device(compiled, &device, &note));
  EXPECT(note && strstr(note, "guard mode") != NULL);
  EXPECT(note && strstr(note, "timeout 60000 ms") != NULL);
  EXPECT_OK(octet_compiled_model_create_request(compiled, &request));
  EXPECT_OK(octet_tensor_create_from_host_ptr(OCTET_TYPE_F32, shape, 2, (void*)values, &input));
  EXPECT_OK(octet_infer_request_set_input(request, "x", input));
  EXPECT_OK(octet_infer_request_infer(request));
  EXPECT_OK(octet_infer_request_get_output(request, "y", &output));
  if (output) {
    EXPECT_OK(octet_tensor_data(output, (void**)&out));
    for (i = 0; i < 8; ++i) EXPECT(out[i] == expected[i]);
  }
  octet_tensor_destroy(output);
  octet_tensor_destroy(input);
  octet_infer_request_destroy(request);
  octet_compiled_model_destroy(compiled);
}

int main(int argc, char** argv) {
  test_out_of_memory();
  test_version_and_status();
  test_null_arguments();
  test_devices();
  test_bad_models();
  test_relu_end_to_end();
  test_reshape();
  test_busy_request();
  if (have_gpu()) test_gpu_guard_and_timeout();
  if (argc > 1) {
    test_zoo_model(argv[1], "cnn_fp32", "CPU", "reference", 1e-5, 0, 1e-4);
    test_zoo_model(argv[1], "cnn_int8", "CPU", "reference", 0, 1e-2, 0);
    test_zoo_model(argv[1], "cnn_int8", "CPU", "fast", 0, 1e-2, 0);
    if (have_gpu()) {
      test_zoo_model(argv[1], "cnn_fp32", "GPU", "reference", 1e-5, 0, 1e-4);
      test_zoo_model(argv[1], "cnn_int8", "GPU", "fast", 0, 1e-2, 0);
    } else {
      printf("no OpenCL device: GPU zoo checks skipped\n");
    }
  } else {
    printf("no zoo folder given: zoo checks skipped\n");
  }
  if (g_failures) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("all C API checks passed\n");
  return 0;
}
