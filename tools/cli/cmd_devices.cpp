// `octet devices`: the CPU backend and every OpenCL device octet can use, clinfo-style.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/table.h"

namespace octet::cli {

int print_devices(bool verbose) {
  {
    size_t count = 0;
    check(octet_device_count(&count), "cannot list devices");
    Table summary(
        {"Device", "Type", "Name", "Platform", ">Units", ">Memory", "fp16", "int8 dot", "DOT4 int8"});
    std::vector<octet_device_info> infos(count);
    for (size_t i = 0; i < count; ++i) {
      octet_device_info& d = infos[i];
      check(octet_device_get_info(i, &d), "cannot list devices");
      const bool gpu = d.type == OCTET_DEVICE_GPU;
      auto yes_no = [&](int v) { return std::string(gpu ? (v ? "yes" : "no") : "-"); };
      summary.add_row({d.name, gpu ? "OpenCL" : "oneDNN", d.full_name, gpu ? d.platform : "-",
                       std::to_string(d.compute_units), bytes_string(d.global_memory_bytes), yes_no(d.fp16),
                       yes_no(d.int_dot_product), yes_no(d.dot4)});
    }
    summary.print();
    for (const octet_device_info& d : infos) {
      fmt::print("\n{}: {}\n", d.name, d.full_name);
      fmt::print("  vendor            {}\n", d.vendor);
      if (d.type == OCTET_DEVICE_GPU) {
        fmt::print("  platform          {}\n", d.platform);
        fmt::print("  driver            {}\n", d.driver_version);
        fmt::print("  OpenCL C          {}\n", d.opencl_c_version);
        fmt::print("  compute units     {}\n", d.compute_units);
        fmt::print("  global memory     {}\n", bytes_string(d.global_memory_bytes));
        fmt::print("  max allocation    {}\n", bytes_string(d.max_alloc_bytes));
        fmt::print("  local memory      {}\n", bytes_string(d.local_memory_bytes));
        fmt::print("  fp16              {}\n", d.fp16 ? "yes (cl_khr_fp16)" : "no");
        fmt::print("  int8 dot product  {}\n", d.int_dot_product ? "yes" : "no");
        fmt::print("  int8 DOT4 kernels {}\n",
                   d.dot4 ? "candidate (probed at device open)" : "no (int8 kernels use plain multiply-add)");
        if (verbose) {
          const char* detail = nullptr;
          const size_t index = static_cast<size_t>(&d - infos.data());
          if (octet_device_dot4_detail(index, &detail) == OCTET_OK)
            fmt::print("  DOT4 path         {}\n", detail);
          else
            fmt::print("  DOT4 path         unknown: {}\n", octet_last_error());
        }
      } else {
        fmt::print("  backend           {}\n", d.driver_version);
        fmt::print("  threads           {}\n", d.compute_units);
        fmt::print("  memory            {}\n", bytes_string(d.global_memory_bytes));
      }
    }
    if (count == 1)
      fmt::print("\nNo OpenCL device: {}\nCheck `clinfo`, or point OCL_ICD_VENDORS at an .icd file.\n",
                 octet_device_unavailable_reason());
  }
  return kExitOk;
}

Runner add_devices_command(CLI::App& app) {
  auto verbose = std::make_shared<bool>(false);
  app.add_flag("-v,--verbose", *verbose, "Also open each OpenCL device and show its DOT4 probe's verdict");
  return [verbose] { return print_devices(*verbose); };
}

}  // namespace octet::cli
