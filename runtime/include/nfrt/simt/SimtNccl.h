//===- SimtNccl.h - the NCCL entry points with ranks as threads -*- C++ -*-===//
//
// Each rank is a host thread with its own "device" (its own context and
// buffers). ncclCommInitRank meets the other ranks of the same unique id;
// an all-reduce is a rendezvous: every rank posts its send buffer, each
// sums all of them in rank order (so every rank gets bit-identical results,
// as NCCL's ring gives all ranks the same result), a second barrier, then
// each writes its own receive buffer. Calls go through the stream, so they
// are captured into graphs and rendezvous again at every replay.
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
enum ncclDataType_t { ncclFloat32 = 7, ncclFloat = 7 };
enum ncclRedOp_t { ncclSum = 0, ncclAvg = 4 };

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
ncclResult_t ncclGroupStart();
ncclResult_t ncclGroupEnd();

#endif // NFRT_SIMT_SIMTNCCL_H
