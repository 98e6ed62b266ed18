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
/// for validation. The tail is contiguous and the samplers draw each
/// window from one stream, so no validation token is ever trained on. With
/// a separate validation file, load it and fill TrainValData directly.
Expected<TrainValData> splitTrainVal(const TokenStream &all,
                                     double valFraction);

} // namespace nfrt

#endif // NFRT_DATASPLIT_H
