//===- Checkpoint.cpp - save and restore a training run -------------------===//
#include "nfrt/Checkpoint.h"

#include "Checkpoint_generated.h"
#include "FileUtil.h"
#include "nfrt/Crc32.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <unordered_map>

using namespace nfrt;

namespace {

constexpr char kMagic[8] = {'N', 'F', 'R', 'T', 'C', 'K', 'P', 'T'};
constexpr uint32_t kHeaderVersion = 1;
// FlatBuffers addresses its buffer with 32-bit offsets; keep well below 2 GiB
// so that names, shapes and alignment padding still fit.
constexpr uint64_t kMaxPayloadBytes = (uint64_t(1) << 31) - (uint64_t(1) << 24);

void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}
uint32_t get32(const unsigned char *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}
uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

std::string hex32(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%08x", v);
  return text;
}

using TensorOffsets = std::vector<flatbuffers::Offset<fb::Tensor>>;

TensorOffsets buildTensors(flatbuffers::FlatBufferBuilder &fbb,
                           const std::vector<TensorView> &tensors) {
  TensorOffsets out;
  static const float kNoData = 0;
  for (const TensorView &t : tensors) {
    auto data = fbb.CreateVector(t.data ? t.data : &kNoData, size_t(t.numel()));
    auto shape = fbb.CreateVector(t.shape);
    auto name = fbb.CreateString(t.name);
    out.push_back(fb::CreateTensor(fbb, name, shape, data));
  }
  return out;
}

/// Checks what the caller hands to saveCheckpoint before anything is built.
Status checkTensorsToSave(const std::string &path, const char *kind,
                          const std::vector<TensorView> &tensors,
                          uint64_t &bytes) {
  std::unordered_map<std::string, int> seen;
  for (const TensorView &t : tensors) {
    if (!seen.emplace(t.name, 0).second)
      return Status::error(path + ": cannot save " + kind + " '" + t.name +
                           "' twice");
    for (int64_t d : t.shape)
      if (d < 0)
        return Status::error(path + ": cannot save " + kind + " '" + t.name +
                             "': negative dimension in shape " +
                             formatShape(t.shape));
    if (t.numel() > 0 && !t.data)
      return Status::error(path + ": cannot save " + kind + " '" + t.name +
                           "': no data");
    bytes += uint64_t(t.numel()) * sizeof(float) + t.name.size() +
             t.shape.size() * sizeof(int64_t) + 64;
  }
  return Status::ok();
}

/// Writes header + payload to `tmp`, flushed to the disk.
Status writeFile(const std::string &tmp, const unsigned char *header,
                 const uint8_t *payload, uint64_t size) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return detail::systemError(tmp, "cannot create the checkpoint");
  Status status = detail::writeAll(fd, tmp, header, kCheckpointHeaderBytes);
  if (status)
    status = detail::writeAll(fd, tmp, payload, size);
  if (status && ::fsync(fd) != 0)
    status = detail::systemError(tmp, "cannot flush the checkpoint");
  if (::close(fd) != 0 && status)
    status = detail::systemError(tmp, "cannot close the checkpoint");
  return status;
}

const fb::Checkpoint *root(const uint8_t *payload) {
  return fb::GetCheckpoint(payload);
}

std::vector<LoadedCheckpoint::TensorInfo>
tensorInfos(const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>> *v) {
  std::vector<LoadedCheckpoint::TensorInfo> out;
  if (!v)
    return out;
  for (const fb::Tensor *t : *v) {
    LoadedCheckpoint::TensorInfo info;
    info.name = t->name()->str();
    if (t->shape())
      info.shape.assign(t->shape()->begin(), t->shape()->end());
    out.push_back(std::move(info));
  }
  return out;
}

/// FlatBuffers' verifier checks the alignment of a vector's length, not of
/// its 8-byte elements: a crafted file passes it with a shape or generator
/// state at an address that is not a multiple of 8, and reading it would be
/// undefined behaviour (found by test/fuzz/FuzzCheckpoint.cpp). The builder
/// never writes such a vector.
/// An empty vector is only 4-aligned, and fine: nothing is read from it.
template <typename T> bool elementsAligned(const flatbuffers::Vector<T> *v) {
  return !v || v->size() == 0 ||
         reinterpret_cast<uintptr_t>(v->data()) % alignof(T) == 0;
}

/// Checks the data length of every tensor against its shape and that no
/// name repeats: what the verifier cannot know.
Status checkStoredTensors(
    const std::string &path, const char *kind,
    const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>> *v) {
  if (!v)
    return Status::ok();
  std::unordered_map<std::string, int> seen;
  for (const fb::Tensor *t : *v) {
    std::string name = t->name()->str();
    if (!seen.emplace(name, 0).second)
      return Status::error(path + ": corrupt checkpoint: " + kind + " '" +
                           name + "' is stored twice");
    if (!elementsAligned(t->shape()))
      return Status::error(path + ": corrupt checkpoint: " + kind + " '" +
                           name + "' has a misaligned shape");
    std::vector<int64_t> shape;
    if (t->shape())
      shape.assign(t->shape()->begin(), t->shape()->end());
    // Multiply in unsigned arithmetic with an overflow check: the shape
    // comes from the file.
    uint64_t numel = 1;
    for (int64_t d : shape) {
      if (d < 0 || (d > 0 && numel > UINT64_MAX / uint64_t(d)))
        return Status::error(path + ": corrupt checkpoint: " + kind + " '" +
                             name + "' has an invalid shape " +
                             formatShape(shape));
      numel *= uint64_t(d);
    }
    uint64_t stored = t->data() ? t->data()->size() : 0;
    if (stored != numel)
      return Status::error(path + ": corrupt checkpoint: " + kind + " '" +
                           name + "' has " + std::to_string(stored) +
                           " values, its shape " + formatShape(shape) +
                           " needs " + std::to_string(numel));
  }
  return Status::ok();
}

/// Checks that `stored` holds exactly the `expected` names and shapes.
Status
matchTensors(const std::string &path, const char *kind,
             const flatbuffers::Vector<flatbuffers::Offset<fb::Tensor>> *stored,
             const std::vector<TensorView> &expected,
             std::vector<const fb::Tensor *> &matched) {
  std::unordered_map<std::string, const fb::Tensor *> byName;
  if (stored)
    for (const fb::Tensor *t : *stored)
      byName.emplace(t->name()->str(), t);
  std::unordered_map<std::string, int> wanted;
  for (const TensorView &view : expected) {
    wanted.emplace(view.name, 0);
    auto it = byName.find(view.name);
    if (it == byName.end())
      return Status::error(path + ": " + kind + " '" + view.name +
                           "' is missing from the checkpoint: the spec does "
                           "not fit it");
    std::vector<int64_t> shape;
    if (it->second->shape())
      shape.assign(it->second->shape()->begin(), it->second->shape()->end());
    if (shape != view.shape)
      return Status::error(
          path + ": " + kind + " '" + view.name + "' has shape " +
          formatShape(shape) + " in the checkpoint, the model expects " +
          formatShape(view.shape) + ": the spec does not fit it");
    matched.push_back(it->second);
  }
  if (stored)
    for (const fb::Tensor *t : *stored)
      if (!wanted.count(t->name()->str()))
        return Status::error(path + ": the checkpoint has " + kind + " '" +
                             t->name()->str() +
                             "', which the model does not have: the spec "
                             "does not fit it");
  return Status::ok();
}

} // namespace

std::array<uint8_t, kCheckpointHeaderBytes>
nfrt::checkpointHeader(const uint8_t *payload, uint64_t size) {
  std::array<uint8_t, kCheckpointHeaderBytes> header{};
  std::memcpy(header.data(), kMagic, sizeof(kMagic));
  put32(header.data() + 8, kHeaderVersion);
  put64(header.data() + 16, size);
  put32(header.data() + 24, crc32(payload, size));
  return header;
}

Status nfrt::saveCheckpoint(const std::string &path,
                            const CheckpointState &state) {
  uint64_t estimate =
      4096 + state.modelFingerprint.size() + state.modelName.size();
  if (Status s = checkTensorsToSave(path, "parameter", state.params, estimate);
      !s)
    return s;
  if (Status s = checkTensorsToSave(path, "optimizer state",
                                    state.optimizerState, estimate);
      !s)
    return s;
  if (estimate > kMaxPayloadBytes)
    return Status::error(path + ": cannot save: the checkpoint would take " +
                         std::to_string(estimate) +
                         " bytes, more than one FlatBuffer holds (2 GiB)");

  flatbuffers::FlatBufferBuilder fbb(static_cast<size_t>(estimate));
  TensorOffsets params = buildTensors(fbb, state.params);
  TensorOffsets optState = buildTensors(fbb, state.optimizerState);
  auto rng = fbb.CreateVector(&state.trainSampler.rng, 1);
  auto sampler = fb::CreateSamplerState(fbb, state.trainSampler.position, rng);
  auto root = fb::CreateCheckpoint(
      fbb, kCheckpointFormatVersion, fbb.CreateString(state.modelFingerprint),
      fbb.CreateString(state.modelName), state.step, fbb.CreateVector(params),
      fbb.CreateVector(optState), sampler, state.tokensSeen,
      state.seed ? flatbuffers::Optional<uint64_t>(*state.seed)
                 : flatbuffers::Optional<uint64_t>(flatbuffers::nullopt));
  fb::FinishCheckpointBuffer(fbb, root);

  const uint8_t *payload = fbb.GetBufferPointer();
  uint64_t size = fbb.GetSize();
  std::array<uint8_t, kCheckpointHeaderBytes> header =
      checkpointHeader(payload, size);

  std::string tmp = path + ".tmp";
  Status written = writeFile(tmp, header.data(), payload, size);
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status error = detail::systemError(
        path, "cannot move the new checkpoint into place (from " + tmp + ")");
    ::unlink(tmp.c_str());
    return error;
  }
  detail::syncDirectoryOf(path);
  return Status::ok();
}

Expected<LoadedCheckpoint> LoadedCheckpoint::load(const std::string &path) {
  uint64_t size = 0;
  Expected<int> fd = detail::openForReading(path, size);
  if (!fd)
    return fd.status();
  auto fail = [&](const std::string &message) {
    ::close(*fd);
    return Status::error(path + ": " + message);
  };
  unsigned char header[kCheckpointHeaderBytes];
  uint64_t headerBytes = std::min<uint64_t>(size, sizeof(header));
  if (Status s = detail::readExactly(*fd, path, header, headerBytes, 0); !s) {
    ::close(*fd);
    return s;
  }
  if (headerBytes < sizeof(kMagic) ||
      std::memcmp(header, kMagic, sizeof(kMagic)) != 0)
    return fail("not a NormFuse checkpoint (no NFRTCKPT magic at its start)");
  if (size < kCheckpointHeaderBytes)
    return fail("truncated checkpoint: " + std::to_string(size) +
                " bytes, shorter than its 32-byte header");
  uint32_t version = get32(header + 8);
  if (version != kHeaderVersion)
    return fail("unsupported checkpoint header version " +
                std::to_string(version) + " (this build reads version " +
                std::to_string(kHeaderVersion) + ")");
  if (get32(header + 12) != 0 || get32(header + 28) != 0)
    return fail("corrupt checkpoint: reserved header fields are not zero");
  uint64_t payloadBytes = get64(header + 16);
  uint64_t present = size - kCheckpointHeaderBytes;
  if (payloadBytes > present)
    return fail("truncated checkpoint: the header announces " +
                std::to_string(payloadBytes) + " payload bytes, the file has " +
                std::to_string(present));
  if (payloadBytes < present)
    return fail(
        "corrupt checkpoint: " + std::to_string(present - payloadBytes) +
        " unexpected bytes after the payload");
  if (payloadBytes > kMaxPayloadBytes + (uint64_t(1) << 24))
    return fail("corrupt checkpoint: payload of " +
                std::to_string(payloadBytes) + " bytes is too large");

  // uint64_t storage keeps the FlatBuffer 8-byte aligned, as its verifier
  // requires.
  auto storage =
      std::make_shared<std::vector<uint64_t>>((payloadBytes + 7) / 8);
  if (Status s = detail::readExactly(*fd, path, storage->data(), payloadBytes,
                                     kCheckpointHeaderBytes);
      !s) {
    ::close(*fd);
    return s;
  }
  ::close(*fd);
  const auto *payload = reinterpret_cast<const uint8_t *>(storage->data());

  uint32_t stored = get32(header + 24);
  uint32_t computed = crc32(payload, payloadBytes);
  if (stored != computed)
    return Status::error(path +
                         ": corrupt checkpoint: checksum mismatch "
                         "(stored " +
                         hex32(stored) + ", computed " + hex32(computed) + ")");
  flatbuffers::Verifier verifier(payload, size_t(payloadBytes));
  if (!fb::VerifyCheckpointBuffer(verifier))
    return Status::error(path + ": corrupt checkpoint: the FlatBuffer does "
                                "not verify against Checkpoint.fbs");
  const fb::Checkpoint *ckpt = root(payload);
  if (ckpt->format_version() != kCheckpointFormatVersion)
    return Status::error(path + ": unsupported checkpoint format version " +
                         std::to_string(ckpt->format_version()) +
                         " (this build reads version " +
                         std::to_string(kCheckpointFormatVersion) + ")");
  if (Status s = checkStoredTensors(path, "parameter", ckpt->params()); !s)
    return s;
  if (Status s =
          checkStoredTensors(path, "optimizer state", ckpt->optimizer_state());
      !s)
    return s;
  const fb::SamplerState *sampler = ckpt->train_sampler();
  if (sampler && !elementsAligned(sampler->rng()))
    return Status::error(path + ": corrupt checkpoint: the sampler's "
                                "generator state is misaligned");
  if (sampler && sampler->rng() && sampler->rng()->size() != 1)
    return Status::error(path +
                         ": corrupt checkpoint: the sampler's "
                         "generator state has " +
                         std::to_string(sampler->rng()->size()) +
                         " words, not 1");
  return LoadedCheckpoint(path, std::move(storage), payload);
}

uint32_t LoadedCheckpoint::formatVersion() const {
  return root(payload)->format_version();
}

std::string LoadedCheckpoint::modelFingerprint() const {
  const auto *s = root(payload)->model_fingerprint();
  return s ? s->str() : std::string();
}

std::string LoadedCheckpoint::modelName() const {
  const auto *s = root(payload)->model_name();
  return s ? s->str() : std::string();
}

int64_t LoadedCheckpoint::step() const { return root(payload)->step(); }

uint64_t LoadedCheckpoint::tokensSeen() const {
  return root(payload)->tokens_seen();
}

std::optional<uint64_t> LoadedCheckpoint::seed() const {
  flatbuffers::Optional<uint64_t> s = root(payload)->seed();
  if (!s)
    return std::nullopt;
  return *s;
}

SamplerState LoadedCheckpoint::trainSampler() const {
  SamplerState state;
  const fb::SamplerState *s = root(payload)->train_sampler();
  if (!s)
    return state;
  state.position = s->position();
  if (s->rng() && s->rng()->size() == 1)
    state.rng = s->rng()->Get(0);
  return state;
}

std::vector<LoadedCheckpoint::TensorInfo> LoadedCheckpoint::params() const {
  return tensorInfos(root(payload)->params());
}

std::vector<LoadedCheckpoint::TensorInfo>
LoadedCheckpoint::optimizerState() const {
  return tensorInfos(root(payload)->optimizer_state());
}

Status
LoadedCheckpoint::restore(const std::string &expectedFingerprint,
                          const std::vector<TensorView> &params,
                          const std::vector<TensorView> &optimizerState) const {
  const fb::Checkpoint *ckpt = root(payload);
  std::string fingerprint = modelFingerprint();
  if (!expectedFingerprint.empty() && fingerprint != expectedFingerprint)
    return Status::error(file + ": the checkpoint was written for model '" +
                         modelName() + "' with fingerprint '" + fingerprint +
                         "', this model's is '" + expectedFingerprint +
                         "': the spec does not fit the checkpoint");
  std::vector<const fb::Tensor *> paramSources, stateSources;
  if (Status s =
          matchTensors(file, "parameter", ckpt->params(), params, paramSources);
      !s)
    return s;
  if (Status s = matchTensors(file, "optimizer state", ckpt->optimizer_state(),
                              optimizerState, stateSources);
      !s)
    return s;
  // Everything fits: only now is the caller's memory written.
  auto copyAll = [](const std::vector<TensorView> &views,
                    const std::vector<const fb::Tensor *> &sources) {
    for (size_t i = 0; i < views.size(); ++i)
      if (sources[i]->data() && sources[i]->data()->size() > 0)
        std::memcpy(views[i].data, sources[i]->data()->data(),
                    sources[i]->data()->size() * sizeof(float));
  };
  copyAll(params, paramSources);
  copyAll(optimizerState, stateSources);
  return Status::ok();
}
