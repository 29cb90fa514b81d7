#include <malloc.h>

#include <iostream>
#include <string>
#include <vector>

#include "sfmon/monitor/cli.h"

namespace {

// Evaluation builds and frees each school's record and fact vectors, a few
// MiB apiece. With glibc's defaults every such block is a fresh mmap and
// munmap, and faulting its pages in again took a quarter of an incremental
// run (bench/profile.md). Serving them from the heap reuses the pages; peak
// RSS stays the same, since it is set by the largest school anyway.
void keep_large_blocks_in_the_heap() {
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}

}  // namespace

int main(int argc, char** argv) {
  keep_large_blocks_in_the_heap();
  const std::vector<std::string> args(argv + 1, argv + argc);
  return sfmon::run_cli(args, std::cout, std::cerr);
}
