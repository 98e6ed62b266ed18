//===- Arena.h - one aligned allocation with named slices -------*- C++ -*-===//
//
// Parameters, gradients, optimizer state and activations live in a few
// large buffers. An ArenaLayout lists the named slices (each starts on a
// 64-byte boundary, a cache line and the widest SIMD load); an Arena makes
// one zeroed allocation for a layout and hands out pointers by name.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_ARENA_H
#define NFRT_ARENA_H

#include "nfrt/Status.h"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace nfrt {

struct ArenaSlice {
  std::string name;
  size_t offset = 0; // bytes from the start of the arena, a multiple of 64
  size_t bytes = 0;
};

/// The slices of an arena, in the order they were added.
class ArenaLayout {
public:
  static constexpr size_t kAlignment = 64;

  /// Appends a slice and returns its offset. Names are checked for
  /// duplicates by Arena::create.
  size_t add(std::string name, size_t bytes);
  /// Convenience for float32 slices.
  size_t addFloats(std::string name, size_t count) {
    return add(std::move(name), count * sizeof(float));
  }

  const std::vector<ArenaSlice> &slices() const { return sliceList; }
  /// The bytes needed for all slices, a multiple of kAlignment.
  size_t sizeBytes() const { return end; }

private:
  std::vector<ArenaSlice> sliceList;
  size_t end = 0;
};

/// One 64-byte aligned, zero-initialised allocation. Move-only.
class Arena {
public:
  /// Allocates the layout; fails on a duplicate slice name or when memory
  /// cannot be had (the message says how many bytes were asked for).
  static Expected<Arena> create(const ArenaLayout &layout);

  Arena(Arena &&other) noexcept;
  Arena &operator=(Arena &&other) noexcept;
  Arena(const Arena &) = delete;
  Arena &operator=(const Arena &) = delete;
  ~Arena();

  char *data() { return base; }
  const char *data() const { return base; }
  size_t sizeBytes() const { return size; }
  const std::vector<ArenaSlice> &slices() const { return sliceList; }

  /// The slice called `name`, or null.
  const ArenaSlice *find(const std::string &name) const;
  /// The start of slice `name`, or null when there is none.
  char *get(const std::string &name);
  float *getFloats(const std::string &name) {
    return reinterpret_cast<float *>(get(name));
  }

private:
  Arena() = default;

  char *base = nullptr;
  size_t size = 0;
  std::vector<ArenaSlice> sliceList;
  std::unordered_map<std::string, size_t> index; // name -> slice position
};

/// Rounds `bytes` up to a multiple of ArenaLayout::kAlignment.
inline size_t alignArenaBytes(size_t bytes) {
  return (bytes + ArenaLayout::kAlignment - 1) & ~(ArenaLayout::kAlignment - 1);
}

} // namespace nfrt

#endif // NFRT_ARENA_H
