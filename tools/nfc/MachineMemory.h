//===- MachineMemory.h - the memory a process may use -----------*- C++ -*-===//
//
// `nfc eval` and `nfc check` compare what a model needs with what the
// machine has, so that a model too large is refused with both numbers
// instead of dying in an allocation ("LLVM ERROR: out of memory").
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_TOOLS_NFC_MACHINEMEMORY_H
#define NORMFUSE_TOOLS_NFC_MACHINEMEMORY_H

#include <cstdint>

namespace normfuse {

/// Bytes this process may use: physical memory, or the cgroup's memory
/// limit when that is smaller (a container). NFRT_MEMORY_LIMIT_BYTES, when
/// set, replaces both (tests; the training binaries read it too).
uint64_t machineMemoryBytes();

} // namespace normfuse

#endif // NORMFUSE_TOOLS_NFC_MACHINEMEMORY_H
