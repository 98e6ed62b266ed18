//===- SimtNccl.h - the NCCL entry points with ranks as threads -*- C++ -*-===//
//
// A rank is a host thread or a process with its own "device" (its own
// context and buffers). The ranks of a unique id meet in a POSIX shared
// memory segment named by the id (threads of one process and separate
// processes alike: the training binary runs one process per rank). An
// all-reduce goes through it in chunks: every rank copies its chunk into
// its slot, a barrier, each reduces the slots in rank order (so every rank
// gets bit-identical results, as NCCL's ring gives all ranks the same
// result) into its own receive buffer, a second barrier. A rank that waits
// more than NFRT_SIMT_NCCL_TIMEOUT seconds (300) for the others fails the
// call, naming the group. Calls go through the stream, so they are
// captured into graphs and rendezvous again at every replay.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SIMTNCCL_H
#define NFRT_SIMT_SIMTNCCL_H

#include "nfrt/simt/Simt.h"

enum ncclResult_t {
  ncclSuccess = 0,
  ncclInvalidArgument = 4,
  ncclInvalidUsage = 5,
};
// NCCL's values; the harness reduces these types with these operations.
enum ncclDataType_t { ncclUint64 = 5, ncclFloat32 = 7, ncclFloat = 7 };
enum ncclRedOp_t { ncclSum = 0, ncclMax = 2, ncclAvg = 4 };

struct ncclUniqueId {
  char internal[128];
};
struct ncclComm;
using ncclComm_t = ncclComm *;

const char *ncclGetErrorString(ncclResult_t result);
ncclResult_t ncclGetUniqueId(ncclUniqueId *id);
ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId id,
                              int rank);
ncclResult_t ncclCommDestroy(ncclComm_t comm);
ncclResult_t ncclCommCount(ncclComm_t comm, int *count);
ncclResult_t ncclCommUserRank(ncclComm_t comm, int *rank);
ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count,
                           ncclDataType_t datatype, ncclRedOp_t op,
                           ncclComm_t comm, cudaStream_t stream);
/// The last failure's reason (this thread), for error messages.
const char *ncclGetLastError(ncclComm_t comm);
ncclResult_t ncclGroupStart();
ncclResult_t ncclGroupEnd();

#endif // NFRT_SIMT_SIMTNCCL_H
