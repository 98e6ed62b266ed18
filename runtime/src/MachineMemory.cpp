//===- MachineMemory.cpp - how much memory a run may use ------------------===//
#include "nfrt/MachineMemory.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace nfrt;

namespace {

/// The number in a cgroup limit file; 0 for "max", a missing file or text
/// that is not a number.
uint64_t readLimit(const std::string &path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty() ||
      text.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::strtoull(text.c_str(), nullptr, 10);
}

/// The smallest limit in `file` of cgroup `path` under `root` and of every
/// cgroup above it: a parent's limit binds its children too.
uint64_t smallestLimit(const std::string &root, std::string path,
                       const char *file) {
  uint64_t best = 0;
  while (true) {
    uint64_t v = readLimit(root + path + (path == "/" ? "" : "/") + file);
    if (v && (!best || v < best))
      best = v;
    if (path.empty() || path == "/")
      return best;
    size_t slash = path.find_last_of('/');
    path =
        slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
}

} // namespace

MachineMemory nfrt::machineMemory() {
  if (const char *forced = std::getenv("NFRT_MEMORY_LIMIT_BYTES")) {
    char *end = nullptr;
    unsigned long long v = std::strtoull(forced, &end, 10);
    if (*forced && *end == '\0' && v > 0)
      return {uint64_t(v), "NFRT_MEMORY_LIMIT_BYTES"};
  }
  MachineMemory m{UINT64_MAX, "physical memory"};
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages > 0 && pageSize > 0)
    m.bytes = uint64_t(pages) * uint64_t(pageSize);
  // /proc/self/cgroup: "0::/path" (v2) and "N:controllers:/path" (v1).
  std::ifstream groups("/proc/self/cgroup");
  std::string line;
  while (std::getline(groups, line)) {
    size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos)
      continue;
    std::string controllers = line.substr(a + 1, b - a - 1);
    std::string path = line.substr(b + 1);
    uint64_t limit = 0;
    if (line.compare(0, 3, "0::") == 0)
      limit = smallestLimit("/sys/fs/cgroup", path, "memory.max");
    else if (("," + controllers + ",").find(",memory,") != std::string::npos)
      // v1 says "no limit" with a huge number, larger than any machine.
      limit =
          smallestLimit("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes");
    if (limit && limit < m.bytes)
      m = {limit, "cgroup memory limit"};
  }
  return m;
}

std::string nfrt::formatBytes(uint64_t bytes) {
  char text[32];
  double b = double(bytes);
  if (b >= 1024.0 * 1024 * 1024)
    std::snprintf(text, sizeof text, "%.1f GB", b / (1024.0 * 1024 * 1024));
  else if (b >= 1024.0 * 1024)
    std::snprintf(text, sizeof text, "%.1f MB", b / (1024.0 * 1024));
  else
    std::snprintf(text, sizeof text, "%.0f KB", b / 1024.0);
  return text;
}

std::string nfrt::memoryShortfall(
    const std::vector<std::pair<std::string, uint64_t>> &parts,
    uint64_t available, const std::string &what, const std::string &where) {
  uint64_t total = 0;
  std::string list;
  for (const auto &[name, bytes] : parts) {
    if (!bytes)
      continue;
    total += bytes;
    list += (list.empty() ? "" : ", ") + name + " " + formatBytes(bytes);
  }
  if (total <= available)
    return "";
  return "this run needs about " + formatBytes(total) + " of " + what + " (" +
         list + ") but " + where;
}

std::string nfrt::memoryShortfall(
    const std::vector<std::pair<std::string, uint64_t>> &parts,
    const MachineMemory &machine) {
  return memoryShortfall(parts, machine.bytes, "memory",
                         "this machine has " + formatBytes(machine.bytes) +
                             " (" + machine.source + ")");
}
