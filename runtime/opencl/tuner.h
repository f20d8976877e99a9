// Per-device tuning of the int8 kernels with parameters: for each distinct GEMM / convolution
// shape of a prepared graph that runs on the tiled core or on the GEMV family (gemv_rows and the
// float GEMV of MatMuls with a constant B, at most 16 rows), times the legal tile or GEMV parameter sets
// (profiling events, median of several runs) within a time budget, checks the fastest bit-exact against the
// integer reference and stores it in the tuning file next to the program cache (tuning_store.h), where later
// compiles on the same device, driver and kernel source pick it up.
//
//   auto gpu = OpenClBackend::create("GPU", options_with_profiling);
//   TuneReport r = tune_graph(compiled->graph(), *gpu, TuneOptions{});
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "runtime/opencl/opencl_backend.h"
#include "runtime/opencl/ops/quantized.h"  // tuning_dir
#include "runtime/opencl/ops/quantized_gemv.h"

namespace octet {

struct TuneOptions {
  double budget_s = 60;    // for the whole graph, shared among its shapes
  int max_candidates = 0;  // parameter sets timed per shape (0: as many as the budget allows)
  int runs = 5;            // timed runs per set (median; at least 5)
  bool store = true;       // write the winners to the tuning file
  // Test hook: builds each candidate in place of compile_quantized_tiled (e.g. a deliberately wrong
  // kernel, to show that a winner that is not bit-exact is never stored).
  std::function<std::unique_ptr<Kernel>(const Node&, OpenClBackend&, const TileParams&)> compile;
  // The same for the GEMV family's candidates (in place of compile_gemv_rows) and the float GEMV's
  // (in place of compile_float_gemv).
  std::function<std::unique_ptr<Kernel>(const Node&, OpenClBackend&, const GemvParams&)> compile_gemv;
  std::function<std::unique_ptr<Kernel>(const Node&, OpenClBackend&, const GemvParams&)> compile_float_gemv;
};

struct TuneRecord {
  std::string node;       // first node of the shape
  std::string shape;      // tiled_shape_key, gemv_shape_key or float_gemv_shape_key
  size_t nodes = 0;       // nodes of the graph with this shape
  size_t candidates = 0;  // parameter sets timed
  std::string params;     // the stored winner ("" when none)
  std::string status;     // "tuned", "default kept", "skipped: <why>", "no exact winner: <why>"
  double default_us = -1, best_us = -1;  // median device times
};

struct TuneReport {
  std::vector<TuneRecord> records;
  std::string file;  // the tuning file written ("" when nothing was stored)
  double seconds = 0;
};

// The backend must have been created with profiling on (the timings use profiling events);
// throws Error(kInvalidArgument) otherwise, and when storing with no tuning directory.
TuneReport tune_graph(const Graph& prepared, OpenClBackend& backend, const TuneOptions& options);

}  // namespace octet
