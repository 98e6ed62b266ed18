//===- ParamFile.cpp - the NFPARAM1 parameter file format -----------------===//
//
// Format in ParamFile.h. Every way a file can be wrong is one line naming
// the file: not a parameter file, truncated (where), corrupt (what).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/ParamFile.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace normfuse::interp;
namespace endian = llvm::support::endian;

static constexpr llvm::StringLiteral kMagic = "NFPARAM1";
// No nf tensor has more dimensions than [B, T, H, hd]; 8 leaves room while
// still catching garbage read as a rank.
static constexpr uint32_t kMaxRank = 8;

static llvm::Error fileError(llvm::StringRef path, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": error: " + what);
}

std::string
normfuse::interp::encodeParamFile(llvm::ArrayRef<NamedTensor> tensors) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  auto u32 = [&](uint32_t v) {
    endian::write<uint32_t>(os, v, llvm::endianness::little);
  };
  os << kMagic;
  u32(tensors.size());
  for (const NamedTensor &t : tensors) {
    u32(t.name.size());
    os << t.name;
    u32(t.value.shape.size());
    for (int64_t d : t.value.shape)
      endian::write<int64_t>(os, d, llvm::endianness::little);
    for (double v : t.value.data)
      endian::write<double>(os, v, llvm::endianness::little);
  }
  return bytes;
}

namespace {

/// Reads little-endian fields from a byte buffer, bounds-checked.
class Reader {
public:
  explicit Reader(llvm::StringRef bytes) : bytes(bytes) {}
  bool has(uint64_t n) const { return n <= bytes.size() - at; }
  size_t left() const { return bytes.size() - at; }
  template <typename T> T read() {
    T v = endian::read<T, llvm::endianness::little>(bytes.data() + at);
    at += sizeof(T);
    return v;
  }
  llvm::StringRef take(size_t n) {
    llvm::StringRef s = bytes.substr(at, n);
    at += n;
    return s;
  }

private:
  llvm::StringRef bytes;
  size_t at = 0;
};

} // namespace

llvm::Expected<std::vector<NamedTensor>>
normfuse::interp::decodeParamFile(llvm::StringRef bytes, llvm::StringRef path) {
  if (!bytes.starts_with(kMagic))
    return fileError(path, "not a parameter file (it does not start with "
                           "NFPARAM1)");
  Reader in(bytes.drop_front(kMagic.size()));
  if (!in.has(4))
    return fileError(path, "truncated: no tensor count after the header");
  uint32_t count = in.read<uint32_t>();
  std::vector<NamedTensor> tensors;
  llvm::StringSet<> names;
  for (uint32_t i = 0; i < count; ++i) {
    std::string which = llvm::formatv("tensor #{0} of {1}", i + 1, count);
    if (!in.has(4))
      return fileError(path, "truncated before " + which);
    uint32_t nameSize = in.read<uint32_t>();
    if (!in.has(uint64_t(nameSize) + 4))
      return fileError(path, "truncated in the name of " + which);
    NamedTensor t;
    t.name = in.take(nameSize).str();
    which = "tensor '" + t.name + "'";
    if (!names.insert(t.name).second)
      return fileError(path, "corrupt: " + which + " appears twice");
    uint32_t rank = in.read<uint32_t>();
    if (rank > kMaxRank)
      return fileError(path, llvm::formatv("corrupt: {0} has rank {1} (at "
                                           "most {2})",
                                           which, rank, kMaxRank));
    if (!in.has(8 * uint64_t(rank)))
      return fileError(path, "truncated in the shape of " + which);
    for (uint32_t r = 0; r < rank; ++r)
      t.value.shape.push_back(in.read<int64_t>());
    int64_t numel = checkedNumel(t.value.shape);
    if (numel < 0)
      return fileError(path, "corrupt: " + which + " has shape " +
                                 formatShape(t.value.shape));
    if (uint64_t(numel) > in.left() / 8)
      return fileError(path, llvm::formatv("truncated in the values of {0} "
                                           "(shape {1} needs {2} bytes, {3} "
                                           "are left)",
                                           which, formatShape(t.value.shape),
                                           8 * numel, in.left()));
    t.value.data.resize(numel);
    for (double &v : t.value.data)
      v = in.read<double>();
    tensors.push_back(std::move(t));
  }
  if (in.left())
    return fileError(path, llvm::formatv("corrupt: {0} bytes after the last "
                                         "of {1} tensors",
                                         in.left(), count));
  return tensors;
}

llvm::Error
normfuse::interp::writeParamFile(llvm::StringRef path,
                                 llvm::ArrayRef<NamedTensor> tensors) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fileError(path, "cannot write the parameter file: " + ec.message());
  os << encodeParamFile(tensors);
  os.close();
  if (os.has_error())
    return fileError(path, "cannot write the parameter file: " +
                               os.error().message());
  return llvm::Error::success();
}

llvm::Expected<std::vector<NamedTensor>>
normfuse::interp::readParamFile(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return fileError(path, "cannot read the parameter file: " +
                               file.getError().message());
  return decodeParamFile((*file)->getBuffer(), path);
}
