//===- SharedStatics.h - the program's __shared__ variables -----*- C++ -*-===//
//
// Under the harness `__shared__` declares a function-static thread_local
// tagged with the ABI tag nf_simt_shared (nfrt/simt/Simt.h). This finds
// them all, once per process, in the executable's symbol table, so that
// the scheduler can poison them before every block (CUDA's shared memory
// starts uninitialised; a static starts zeroed and then keeps the last
// block's values, which hides reads of what no thread wrote).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SHAREDSTATICS_H
#define NFRT_SIMT_SHAREDSTATICS_H

#include <cstddef>
#include <string>

namespace nfrt::simt {

/// The byte shared memory is filled with: 0xFFFFFFFF is a NaN as a float,
/// 0xFFFF one as a bf16, and -1 as an integer, so a read of memory that no
/// thread wrote shows in the result.
constexpr unsigned char kSharedPoison = 0xFF;

/// Fills the calling OS thread's copy of every __shared__ variable of the
/// program with kSharedPoison (a few memsets: their bytes only).
void poisonSharedStatics();

/// "name + offset" of the calling thread's __shared__ variable that holds
/// `p` (the demangled symbol), or "" when none does.
std::string describeSharedStatic(const void *p);

} // namespace nfrt::simt

#endif // NFRT_SIMT_SHAREDSTATICS_H
