//===- Arena.cpp - one aligned allocation with named slices ---------------===//
#include "nfrt/Arena.h"

#include <cstdlib>
#include <cstring>

using namespace nfrt;

size_t ArenaLayout::add(std::string name, size_t bytes) {
  size_t offset = end;
  sliceList.push_back({std::move(name), offset, bytes});
  end = offset + alignArenaBytes(bytes);
  return offset;
}

Expected<Arena> Arena::create(const ArenaLayout &layout) {
  Arena arena;
  arena.sliceList = layout.slices();
  for (size_t i = 0; i < arena.sliceList.size(); ++i) {
    const std::string &name = arena.sliceList[i].name;
    if (!arena.index.emplace(name, i).second)
      return Status::error("arena: slice '" + name + "' is defined twice");
  }
  arena.size = layout.sizeBytes();
  // aligned_alloc needs a non-zero multiple of the alignment; an empty arena
  // still gets one line so that data() is never null.
  size_t request = arena.size == 0 ? ArenaLayout::kAlignment : arena.size;
  arena.base =
      static_cast<char *>(std::aligned_alloc(ArenaLayout::kAlignment, request));
  if (!arena.base)
    return Status::error("arena: cannot allocate " + std::to_string(request) +
                         " bytes");
  std::memset(arena.base, 0, request);
  return Expected<Arena>(std::move(arena));
}

Arena::Arena(Arena &&other) noexcept { *this = std::move(other); }

Arena &Arena::operator=(Arena &&other) noexcept {
  if (this == &other)
    return *this;
  std::free(base);
  base = other.base;
  size = other.size;
  sliceList = std::move(other.sliceList);
  index = std::move(other.index);
  other.base = nullptr;
  other.size = 0;
  return *this;
}

Arena::~Arena() { std::free(base); }

const ArenaSlice *Arena::find(const std::string &name) const {
  auto it = index.find(name);
  return it == index.end() ? nullptr : &sliceList[it->second];
}

char *Arena::get(const std::string &name) {
  const ArenaSlice *slice = find(name);
  return slice ? base + slice->offset : nullptr;
}
