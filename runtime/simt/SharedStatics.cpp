//===- SharedStatics.cpp - find and poison the __shared__ variables -------===//
//
// Each __shared__ variable is a TLS symbol of the executable whose mangled
// name carries the ABI tag "B14nf_simt_shared". In an executable, a TLS
// symbol's value is its offset in the module's TLS block, and glibc's
// dl_iterate_phdr gives the calling thread's block (dlpi_tls_data), so
// the variable's address in this thread is that block plus the offset.
// Only the main executable is searched: the harness and the kernels are
// linked into it (static libraries), never loaded as shared objects. A
// stripped executable has no symbol table; then nothing is poisoned, and a
// note says so once.
//
//===----------------------------------------------------------------------===//
#include "SharedStatics.h"

#include <cxxabi.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace nfrt::simt {
namespace {

constexpr const char *kTag = "B14nf_simt_shared";

struct Symbol {
  size_t offset, bytes;
  std::string name; // mangled
};

/// The tagged TLS symbols of /proc/self/exe, by offset.
std::vector<Symbol> readSymbols() {
  std::vector<Symbol> out;
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 ||
      size_t(st.st_size) < sizeof(Elf64_Ehdr)) {
    if (fd >= 0)
      close(fd);
    return out;
  }
  size_t size = size_t(st.st_size);
  void *map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED)
    return out;
  const char *base = static_cast<const char *>(map);
  auto *eh = reinterpret_cast<const Elf64_Ehdr *>(base);
  bool haveSymtab = false;
  if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
      eh->e_ident[EI_CLASS] == ELFCLASS64 &&
      eh->e_shentsize == sizeof(Elf64_Shdr) &&
      eh->e_shoff + size_t(eh->e_shnum) * sizeof(Elf64_Shdr) <= size) {
    auto *sh = reinterpret_cast<const Elf64_Shdr *>(base + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
      if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
        continue;
      const Elf64_Shdr &strs = sh[sh[i].sh_link];
      if (sh[i].sh_offset + sh[i].sh_size > size ||
          strs.sh_offset + strs.sh_size > size)
        continue;
      haveSymtab = true;
      auto *syms = reinterpret_cast<const Elf64_Sym *>(base + sh[i].sh_offset);
      const char *names = base + strs.sh_offset;
      for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); ++k) {
        const Elf64_Sym &s = syms[k];
        if (ELF64_ST_TYPE(s.st_info) != STT_TLS || s.st_size == 0 ||
            s.st_name >= strs.sh_size)
          continue;
        const char *name = names + s.st_name;
        if (std::strstr(name, kTag))
          out.push_back({size_t(s.st_value), size_t(s.st_size), name});
      }
    }
  }
  munmap(map, size);
  if (!haveSymtab)
    std::fprintf(stderr, "simt: note: the executable has no symbol table "
                         "(stripped?), so __shared__ variables are not "
                         "poisoned before each block\n");
  std::sort(out.begin(), out.end(), [](const Symbol &a, const Symbol &b) {
    return a.offset < b.offset;
  });
  return out;
}

const std::vector<Symbol> &symbols() {
  static const std::vector<Symbol> s = readSymbols(); // once, thread-safe
  return s;
}

/// The calling thread's TLS block of the main executable (the first
/// module dl_iterate_phdr reports), or null.
char *tlsBlock() {
  char *block = nullptr;
  dl_iterate_phdr(
      [](dl_phdr_info *info, size_t, void *out) {
        *static_cast<char **>(out) = static_cast<char *>(info->dlpi_tls_data);
        return 1; // the main program only
      },
      &block);
  return block;
}

/// This OS thread's __shared__ bytes as maximal runs (adjacent variables
/// merged: one memset each), computed on its first block.
struct ThreadRuns {
  bool ready = false;
  char *block = nullptr;
  std::vector<std::pair<char *, size_t>> runs;

  void init() {
    ready = true;
    block = tlsBlock();
    if (!block)
      return;
    for (const Symbol &s : symbols()) {
      char *at = block + s.offset;
      if (!runs.empty() && runs.back().first + runs.back().second >= at) {
        char *end =
            std::max(runs.back().first + runs.back().second, at + s.bytes);
        runs.back().second = size_t(end - runs.back().first);
      } else {
        runs.push_back({at, s.bytes});
      }
    }
  }
};
thread_local ThreadRuns tRuns;

} // namespace

void poisonSharedStatics() {
  if (!tRuns.ready)
    tRuns.init();
  for (auto [at, bytes] : tRuns.runs)
    std::memset(at, kSharedPoison, bytes);
}

std::string describeSharedStatic(const void *p) {
  if (!tRuns.ready)
    tRuns.init();
  const char *c = static_cast<const char *>(p);
  if (!tRuns.block || c < tRuns.block)
    return "";
  size_t offset = size_t(c - tRuns.block);
  for (const Symbol &s : symbols()) {
    if (offset < s.offset || offset >= s.offset + s.bytes)
      continue;
    int status = 0;
    char *demangled =
        abi::__cxa_demangle(s.name.c_str(), nullptr, nullptr, &status);
    std::string name = status == 0 && demangled ? demangled : s.name;
    std::free(demangled);
    // The tag says nothing to a reader: "...::partial[abi:nf_simt_shared]".
    const std::string shown = "[abi:nf_simt_shared]";
    if (size_t at = name.rfind(shown); at != std::string::npos)
      name.erase(at, shown.size());
    return name + " + " + std::to_string(offset - s.offset);
  }
  return "";
}

} // namespace nfrt::simt
