//===- TokenStream.cpp - a read-only sequence of token ids ----------------===//
#include "nfrt/TokenStream.h"

#include <algorithm>
#include <cassert>

using namespace nfrt;

TokenStream::TokenStream(std::vector<Run> runs, std::string source)
    : sourceName(std::move(source)) {
  for (Run &run : runs) {
    if (run.size == 0)
      continue;
    starts.push_back(total);
    total += run.size;
    runList.push_back(std::move(run));
  }
}

TokenStream TokenStream::slice(uint64_t begin, uint64_t end,
                               std::string source) const {
  assert(begin <= end && end <= total && "slice out of range");
  std::vector<Run> out;
  for (size_t i = 0; i < runList.size(); ++i) {
    uint64_t lo = std::max(begin, starts[i]);
    uint64_t hi = std::min(end, starts[i] + runList[i].size);
    if (lo < hi)
      out.push_back({runList[i].data + (lo - starts[i]), hi - lo,
                     runList[i].owner, runList[i].file,
                     runList[i].fileStart + (lo - starts[i])});
  }
  return TokenStream(std::move(out), std::move(source));
}

void TokenStream::copy(uint64_t pos, uint64_t count, int32_t *out) const {
  assert(pos + count <= total && "copy out of range");
  // The run holding `pos`: the last one that starts at or before it.
  size_t i =
      std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin() - 1;
  while (count > 0) {
    uint64_t offset = pos - starts[i];
    uint64_t n = std::min(count, runList[i].size - offset);
    const uint16_t *src = runList[i].data + offset;
    for (uint64_t k = 0; k < n; ++k)
      out[k] = src[k];
    out += n;
    pos += n;
    count -= n;
    ++i;
  }
}

int32_t TokenStream::maxToken() const {
  int32_t best = -1;
  for (const Run &run : runList)
    for (uint64_t k = 0; k < run.size; ++k)
      best = std::max<int32_t>(best, run.data[k]);
  return best;
}

Status TokenStream::checkVocabulary(int64_t vocabSize) const {
  for (const Run &run : runList) {
    // The max first: a loop the compiler vectorizes; the search for the
    // first bad token runs only when there is one.
    uint16_t most = 0;
    for (uint64_t k = 0; k < run.size; ++k)
      most = std::max(most, run.data[k]);
    if (most < vocabSize)
      continue;
    for (uint64_t k = 0; k < run.size; ++k)
      if (run.data[k] >= vocabSize)
        return Status::error((run.file.empty() ? sourceName : run.file) +
                             ": error: token " + std::to_string(run.data[k]) +
                             " at offset " + std::to_string(run.fileStart + k) +
                             " does not fit the model's vocab_size " +
                             std::to_string(vocabSize));
  }
  return Status::ok();
}
