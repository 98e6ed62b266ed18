//===- MachineMemory.cpp - how much memory this machine gives a process ---===//
#include "MachineMemory.h"

#include "llvm/Support/MemoryBuffer.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

/// The first number in `path` ("max" and unreadable files: none).
static uint64_t readLimit(const char *path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return 0;
  uint64_t value = 0;
  if (llvm::StringRef((*file)->getBuffer()).trim().getAsInteger(10, value))
    return 0;
  return value;
}

uint64_t normfuse::machineMemoryBytes() {
  if (const char *forced = std::getenv("NFRT_MEMORY_LIMIT_BYTES")) {
    uint64_t v = 0;
    if (!llvm::StringRef(forced).trim().getAsInteger(10, v) && v > 0)
      return v;
  }
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  uint64_t bytes = pages > 0 && pageSize > 0
                       ? uint64_t(pages) * uint64_t(pageSize)
                       : UINT64_MAX;
  // cgroup v2, then v1 (which reports "no limit" as a huge number).
  for (const char *limitFile : {"/sys/fs/cgroup/memory.max",
                                "/sys/fs/cgroup/memory/memory.limit_in_bytes"})
    if (uint64_t limit = readLimit(limitFile))
      bytes = std::min(bytes, limit);
  return bytes;
}
