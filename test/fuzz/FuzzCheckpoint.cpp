//===- FuzzCheckpoint.cpp - libFuzzer target: checkpoint load ---*- C++ -*-===//
//
// Input byte 0 picks how the rest becomes a checkpoint file:
//   even: the rest is the whole file, header included (header checks);
//   odd:  the rest is the payload, behind a header with the right magic,
//         length and CRC-32, so that mutations get past the checksum and
//         reach the FlatBuffers verifier and the tensor checks.
// A loaded checkpoint must answer every accessor and restore into buffers
// of its own shapes; a restore into a wrong shape must fail naming the file
// and write nothing.
//
//===----------------------------------------------------------------------===//
#include "FuzzCheck.h"
#include "FuzzFile.h"

#include "nfrt/Checkpoint.h"

#include <vector>

using namespace nfrt;

namespace {

std::vector<uint8_t> withHeader(const uint8_t *payload, size_t size) {
  auto header = checkpointHeader(payload, size);
  std::vector<uint8_t> file(header.begin(), header.end());
  file.insert(file.end(), payload, payload + size);
  return file;
}

/// Views of the checkpoint's own shapes over zeroed storage (moving an inner
/// vector keeps its data); false when they are too large to allocate here.
bool makeViews(const std::vector<LoadedCheckpoint::TensorInfo> &infos,
               std::vector<std::vector<float>> &storage,
               std::vector<TensorView> &views) {
  uint64_t total = 0;
  for (const auto &info : infos) {
    uint64_t n = 1;
    for (int64_t d : info.shape)
      n *= uint64_t(d); // load() checked the shapes against the data
    total += n;
    if (total > (uint64_t(1) << 24))
      return false;
    storage.emplace_back(n, 0.0f);
    views.push_back({info.name, info.shape, storage.back().data()});
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  const std::string &path = nffuzz::scratchPath("ckpt");
  if (data[0] & 1) {
    std::vector<uint8_t> file = withHeader(data + 1, size - 1);
    nffuzz::writeScratch(path, file.data(), file.size());
  } else {
    nffuzz::writeScratch(path, data + 1, size - 1);
  }

  Expected<LoadedCheckpoint> ckpt = LoadedCheckpoint::load(path);
  if (!ckpt) {
    nffuzz::requireOneLineNaming(ckpt.message(), path);
    return 0;
  }
  (void)ckpt->formatVersion();
  (void)ckpt->modelName();
  (void)ckpt->step();
  (void)ckpt->tokensSeen();
  (void)ckpt->trainSampler();
  std::string fingerprint = ckpt->modelFingerprint();

  std::vector<std::vector<float>> paramData, stateData;
  std::vector<TensorView> params, state;
  if (!makeViews(ckpt->params(), paramData, params) ||
      !makeViews(ckpt->optimizerState(), stateData, state))
    return 0;
  Status restored = ckpt->restore(fingerprint, params, state);
  nffuzz::require(restored.isOk(),
                  "a verified checkpoint does not restore into its own shapes",
                  restored.message());

  // One wrong shape: refused by name, nothing written.
  if (!params.empty()) {
    std::vector<float> sentinel(1, -7.0f);
    std::vector<TensorView> wrong = params;
    wrong.back().shape.push_back(2);
    wrong.back().data = sentinel.data();
    Status refused = ckpt->restore(fingerprint, wrong, state);
    nffuzz::require(!refused.isOk(), "a restore into a wrong shape succeeded",
                    wrong.back().name);
    nffuzz::requireOneLineNaming(refused.message(), path);
    nffuzz::require(sentinel[0] == -7.0f,
                    "a refused restore wrote into the caller's tensors",
                    refused.message());
  }
  return 0;
}
