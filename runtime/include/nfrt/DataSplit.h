//===- DataSplit.h - train and validation streams ---------------*- C++ -*-===//
#ifndef NFRT_DATASPLIT_H
#define NFRT_DATASPLIT_H

#include "nfrt/Status.h"
#include "nfrt/TokenStream.h"

namespace nfrt {

struct TrainValData {
  TokenStream train;
  TokenStream val; // empty when no validation was asked for
};

/// Holds out the last `valFraction` of the stream (0 <= valFraction < 1)
/// for validation. A contiguous tail, not random windows, so that no
/// validation token is ever trained on (except one token at the boundary
/// when a training window's target is the first validation token... no:
/// training windows end before the boundary, see the sampler).
Expected<TrainValData> splitTrainVal(const TokenStream &all,
                                     double valFraction);

} // namespace nfrt

#endif // NFRT_DATASPLIT_H
