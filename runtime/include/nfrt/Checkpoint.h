//===- Checkpoint.h - save and restore a training run -----------*- C++ -*-===//
//
// A checkpoint file is a 32-byte header and a FlatBuffer (schema:
// runtime/schema/Checkpoint.fbs):
//
//   offset  0  char[8]  magic "NFRTCKPT"
//           8  uint32   header version (1)
//          12  uint32   reserved, 0
//          16  uint64   payload length in bytes
//          24  uint32   CRC-32 of the payload
//          28  uint32   reserved, 0
//          32  ...      payload: the FlatBuffer
//
// all little-endian. Saving writes "<path>.tmp", fsyncs it and renames it
// over <path>, so a crash or a failed save leaves the previous checkpoint
// as it was. Loading checks the header, the length against the file, the
// checksum and the FlatBuffers verifier before anything is read, and
// restoring checks every name and shape before anything is copied.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CHECKPOINT_H
#define NFRT_CHECKPOINT_H

#include "nfrt/BatchSampler.h"
#include "nfrt/Status.h"
#include "nfrt/TensorView.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nfrt {

constexpr uint32_t kCheckpointFormatVersion = 1;
constexpr uint64_t kCheckpointHeaderBytes = 32;

/// Everything a checkpoint holds; the tensors point at the caller's data.
struct CheckpointState {
  std::string modelFingerprint;
  std::string modelName;
  int64_t step = 0;
  uint64_t tokensSeen = 0;
  SamplerState trainSampler;
  std::vector<TensorView> params;
  std::vector<TensorView> optimizerState;
  std::optional<uint64_t> seed; // the run's seed, stored when set
};

/// Writes `state` to `path` atomically (see above). On failure `path` is
/// untouched and the temporary file removed.
Status saveCheckpoint(const std::string &path, const CheckpointState &state);

/// The header saveCheckpoint writes before `payload` (magic, header version,
/// length, CRC-32). Tests and the fuzzer wrap hand-made payloads in it.
std::array<uint8_t, kCheckpointHeaderBytes>
checkpointHeader(const uint8_t *payload, uint64_t size);

/// A checkpoint read and verified in memory.
class LoadedCheckpoint {
public:
  struct TensorInfo {
    std::string name;
    std::vector<int64_t> shape;
  };

  /// Reads and verifies `path`: header magic and version, payload length,
  /// checksum, FlatBuffers verifier, format version, and that every
  /// tensor's data matches its shape. Each failure is one message naming
  /// the file.
  static Expected<LoadedCheckpoint> load(const std::string &path);

  const std::string &path() const { return file; }
  uint32_t formatVersion() const;
  std::string modelFingerprint() const;
  std::string modelName() const;
  int64_t step() const;
  uint64_t tokensSeen() const;
  /// The seed the run started with; none in checkpoints written before
  /// the field existed.
  std::optional<uint64_t> seed() const;
  SamplerState trainSampler() const;
  std::vector<TensorInfo> params() const;
  std::vector<TensorInfo> optimizerState() const;

  /// Copies the checkpoint's tensors into the caller's. First checks, and
  /// fails without writing anything, that the fingerprint equals
  /// `expectedFingerprint` (unless that is empty) and that each list holds
  /// exactly the expected names with the expected shapes, naming the first
  /// tensor that does not fit.
  Status restore(const std::string &expectedFingerprint,
                 const std::vector<TensorView> &params,
                 const std::vector<TensorView> &optimizerState) const;

private:
  LoadedCheckpoint(std::string file,
                   std::shared_ptr<std::vector<uint64_t>> storage,
                   const uint8_t *payload)
      : file(std::move(file)), storage(std::move(storage)), payload(payload) {}

  std::string file;
  std::shared_ptr<std::vector<uint64_t>> storage; // 8-byte aligned payload
  const uint8_t *payload;
};

} // namespace nfrt

#endif // NFRT_CHECKPOINT_H
