/* Minimal octet C API program: reads an OpenVINO IR, compiles it for a device, feeds a .npy file (or
 * zeros) to the first input, runs once and prints every output plus the top class of the first.
 * Usage: c_api_example model.xml [CPU|GPU|AUTO] [input.npy] */
#include <octet/octet.h>
#include <stdio.h>

#define CHECK(call)                                                                                    \
  do {                                                                                                 \
    octet_status status_ = (call);                                                                     \
    if (status_ != OCTET_OK) {                                                                         \
      fprintf(stderr, "%s failed: %s: %s\n", #call, octet_status_string(status_), octet_last_error()); \
      goto done;                                                                                       \
    }                                                                                                  \
  } while (0)

int main(int argc, char** argv) {
  const char* device = argc > 2 ? argv[2] : "AUTO";
  const char* options[] = {"precision=fast", NULL};
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_tensor_t input = NULL, output = NULL;
  octet_port_info port;
  size_t count = 0, i, elements = 0, best = 0;
  const char* used_device = NULL;
  const char* note = NULL;
  float* values = NULL;
  int result = 1;

  if (argc < 2) {
    fprintf(stderr, "usage: %s model.xml [CPU|GPU|AUTO] [input.npy]\n", argv[0]);
    return 2;
  }
  CHECK(octet_model_read(argv[1], NULL, &model));
  CHECK(octet_model_compile(model, device, options, &compiled));
  CHECK(octet_compiled_model_device(compiled, &used_device, &note));
  printf("octet %s on %s%s%s\n", octet_version(), used_device, note[0] ? ": " : "", note);
  CHECK(octet_compiled_model_create_request(compiled, &request));

  CHECK(octet_compiled_model_input(compiled, 0, &port));
  if (argc > 3) {
    CHECK(octet_tensor_read_npy(argv[3], &input));
  } else {
    CHECK(octet_tensor_create(port.type, port.dims, port.rank, NULL, &input)); /* zeros */
  }
  CHECK(octet_infer_request_set_input(request, port.name, input));
  CHECK(octet_infer_request_infer(request));

  CHECK(octet_compiled_model_output_count(compiled, &count));
  for (i = 0; i < count; ++i) {
    size_t d;
    CHECK(octet_compiled_model_output(compiled, i, &port));
    printf("output %s %s [", port.name, octet_element_type_name(port.type));
    for (d = 0; d < port.rank; ++d) printf(d ? ",%lld" : "%lld", (long long)port.dims[d]);
    printf("]\n");
  }
  CHECK(octet_compiled_model_output(compiled, 0, &port));
  if (port.type == OCTET_TYPE_F32) {
    CHECK(octet_infer_request_get_output_by_index(request, 0, &output));
    CHECK(octet_tensor_data(output, (void**)&values));
    CHECK(octet_tensor_element_count(output, &elements));
    for (i = 1; i < elements; ++i)
      if (values[i] > values[best]) best = i;
    if (elements > 0) printf("top class %zu (%.4f)\n", best, values[best]);
  }
  result = 0;
done:
  octet_tensor_destroy(output);
  octet_tensor_destroy(input);
  octet_infer_request_destroy(request);
  octet_compiled_model_destroy(compiled);
  octet_model_destroy(model);
  return result;
}
