// The tuner's results on disk: one text file next to the program cache (<cache dir>/tuning.tsv)
// mapping (device name, driver version, kernel source hash, GEMM shape) to the tile parameters
// that won, written temp-then-rename. Reading never fails a load: a missing file, a damaged line
// (each carries its own checksum, so a truncated or altered line is dropped alone) or an entry
// for another device, driver or kernel source simply is not found, and compile uses the defaults.
//
//   TuningKey key{device.name, device.driver_version, source_hash, shape};
//   if (auto e = tuning_lookup(dir, key)) params = e->params;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace octet {

struct TuningKey {
  std::string device, driver, source_hash, shape;
  bool operator==(const TuningKey& o) const {
    return device == o.device && driver == o.driver && source_hash == o.source_hash && shape == o.shape;
  }
};

struct TuningEntry {
  TuningKey key;
  int params[6] = {0, 0, 0, 0, 0, 0};  // MWG, NWG, KWG, MWI, NWI, SPLIT (all > 0)
  double time_us = 0;                  // the winner's median device time when tuned
};

// "<dir>/tuning.tsv", or "" when `dir` is empty.
std::string tuning_file(const std::string& dir);

// Every entry of `text` that verifies; `rejected` (may be null) counts the lines dropped.
std::vector<TuningEntry> parse_tuning_file(const std::string& text, int* rejected = nullptr);
std::string format_tuning_file(const std::vector<TuningEntry>& entries);

// The entry for `key` in the file of `dir` (cached per file, reread when its size or time
// changes); nullopt when there is none. Never throws.
std::optional<TuningEntry> tuning_lookup(const std::string& dir, const TuningKey& key);

// Merges `entries` into the file of `dir` (same key: replaced), written to a temporary file and
// renamed over the old one (lines that do not verify are dropped). Throws
// Error(kInvalidArgument) when `dir` is empty and Error(kNotFound) when it cannot be written.
void tuning_store(const std::string& dir, const std::vector<TuningEntry>& entries);

}  // namespace octet
