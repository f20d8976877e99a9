/* Soak test over the public C API: read, compile, infer and destroy a model in a loop for a given
 * time, and fail when the process grows (resident memory, open file descriptors, threads).
 *
 *   octet_soak MODEL.xml [DEVICE=CPU] [SECONDS=60] [MAX_RSS_GROWTH_MB=16]
 *
 * The first cycles warm up (drivers, allocator pools, program caches); the baseline is taken after
 * them, so growth is what repeated cycles add. Prints one line of figures per sample and a final
 * verdict; exit status 0 = stable, 1 = growth, 2 = usage or octet error. Not part of CI (it runs
 * for minutes): tools/soak.sh runs it on the bundled models. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "octet/octet.h"

enum { kWarmupCycles = 20, kSamples = 10 };

typedef struct Usage {
  double rss_mb;
  long fds;
  long threads;
} Usage;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long count_fds(void) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == NULL) return -1;
  long n = 0;
  struct dirent* e;
  while ((e = readdir(dir)) != NULL)
    if (e->d_name[0] != '.') ++n;
  closedir(dir);
  return n - 1; /* the directory stream's own descriptor */
}

static Usage usage_now(void) {
  Usage u = {0, count_fds(), -1};
  FILE* f = fopen("/proc/self/status", "r");
  if (f == NULL) return u;
  char line[256];
  while (fgets(line, sizeof line, f) != NULL) {
    long v;
    if (sscanf(line, "VmRSS: %ld kB", &v) == 1) u.rss_mb = (double)v / 1024.0;
    if (sscanf(line, "Threads: %ld", &v) == 1) u.threads = v;
  }
  fclose(f);
  return u;
}

static int fail(const char* what, octet_status s) {
  fprintf(stderr, "octet_soak: %s: %s: %s\n", what, octet_status_string(s), octet_last_error());
  return 2;
}

/* One full cycle: read, compile, one request, zero inputs, infer, read every output, destroy. */
static int cycle(const char* xml, const char* device) {
  octet_model_t model = NULL;
  octet_compiled_model_t compiled = NULL;
  octet_infer_request_t request = NULL;
  octet_status s = octet_model_read(xml, NULL, &model);
  if (s != OCTET_OK) return fail("read", s);
  s = octet_model_compile(model, device, NULL, &compiled);
  if (s != OCTET_OK) {
    octet_model_destroy(model);
    return fail("compile", s);
  }
  s = octet_compiled_model_create_request(compiled, &request);
  size_t inputs = 0, outputs = 0;
  if (s == OCTET_OK) s = octet_compiled_model_input_count(compiled, &inputs);
  for (size_t i = 0; s == OCTET_OK && i < inputs; ++i) {
    octet_port_info port;
    octet_tensor_t tensor = NULL;
    s = octet_compiled_model_input(compiled, i, &port);
    if (s == OCTET_OK) s = octet_tensor_create(port.type, port.dims, port.rank, NULL, &tensor);
    if (s == OCTET_OK) s = octet_infer_request_set_input(request, port.name, tensor);
    octet_tensor_destroy(tensor);
  }
  if (s == OCTET_OK) s = octet_infer_request_infer(request);
  if (s == OCTET_OK) s = octet_compiled_model_output_count(compiled, &outputs);
  for (size_t i = 0; s == OCTET_OK && i < outputs; ++i) {
    octet_tensor_t out = NULL;
    s = octet_infer_request_get_output_by_index(request, i, &out);
    octet_tensor_destroy(out);
  }
  int rc = s == OCTET_OK ? 0 : fail("infer", s);
  octet_infer_request_destroy(request);
  octet_compiled_model_destroy(compiled);
  octet_model_destroy(model);
  return rc;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: octet_soak MODEL.xml [DEVICE=CPU] [SECONDS=60] [MAX_RSS_GROWTH_MB=16]\n");
    return 2;
  }
  const char* xml = argv[1];
  const char* device = argc > 2 ? argv[2] : "CPU";
  const double seconds = argc > 3 ? atof(argv[3]) : 60.0;
  const double max_growth_mb = argc > 4 ? atof(argv[4]) : 16.0;

  for (int i = 0; i < kWarmupCycles; ++i)
    if (cycle(xml, device) != 0) return 2;
  const Usage base = usage_now();
  printf("soak %s on %s for %.0f s: after %d warm-up cycles rss %.1f MB, fds %ld, threads %ld\n", xml, device,
         seconds, kWarmupCycles, base.rss_mb, base.fds, base.threads);

  const double start = now_seconds();
  long cycles = 0;
  int sample = 1;
  Usage last = base, peak = base;
  while (now_seconds() - start < seconds) {
    if (cycle(xml, device) != 0) return 2;
    ++cycles;
    last = usage_now();
    if (last.rss_mb > peak.rss_mb) peak.rss_mb = last.rss_mb;
    if (now_seconds() - start >= seconds * sample / kSamples) {
      printf("  %6.1f s  %7ld cycles  rss %.1f MB  fds %ld  threads %ld\n", now_seconds() - start, cycles,
             last.rss_mb, last.fds, last.threads);
      fflush(stdout);
      ++sample;
    }
  }
  const double growth = last.rss_mb - base.rss_mb;
  const int stable = growth <= max_growth_mb && last.fds <= base.fds && last.threads <= base.threads;
  printf("%s: %ld cycles in %.0f s (%.1f ms each), rss %+.1f MB (peak %.1f MB, limit +%.0f MB), fds %+ld, "
         "threads %+ld\n",
         stable ? "STABLE" : "GROWTH", cycles, now_seconds() - start, cycles ? 1000.0 * (now_seconds() - start) / cycles : 0.0,
         growth, peak.rss_mb, max_growth_mb, last.fds - base.fds, last.threads - base.threads);
  return stable ? 0 : 1;
}
