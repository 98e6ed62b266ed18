//===- MachineMemory.h - how much memory a run may use ----------*- C++ -*-===//
//
// The training binary adds up what it will allocate before it allocates
// anything and refuses a run that cannot fit, with both numbers, instead of
// being killed by the kernel's OOM killer mid-run.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_MACHINEMEMORY_H
#define NFRT_MACHINEMEMORY_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nfrt {

/// Bytes this process may use, and where the number comes from: physical
/// memory (sysconf), or the cgroup v2 / v1 memory limit of this process's
/// cgroup when that is smaller (a container, a systemd slice).
/// NFRT_MEMORY_LIMIT_BYTES, a positive integer, replaces both (tests; nfc
/// reads it too).
struct MachineMemory {
  uint64_t bytes = 0;
  std::string source; // "physical memory", "cgroup limit", ...
};
MachineMemory machineMemory();

/// "812 KB", "83.0 MB", "3.1 GB" (powers of 1024, as the arena size the
/// binary prints).
std::string formatBytes(uint64_t bytes);

/// "this run needs about 3.1 GB of <what> (parameters 1.0 GB, ...) but
/// <where>" when the parts add up to more than `available`; "" when they
/// fit. Parts of 0 bytes are left out.
std::string
memoryShortfall(const std::vector<std::pair<std::string, uint64_t>> &parts,
                uint64_t available, const std::string &what,
                const std::string &where);

/// The same against the machine: "... of memory (...) but this machine has
/// 2.0 GB (cgroup memory limit)".
std::string
memoryShortfall(const std::vector<std::pair<std::string, uint64_t>> &parts,
                const MachineMemory &machine);

} // namespace nfrt

#endif // NFRT_MACHINEMEMORY_H
