//===- ArenaTest.cpp - one aligned allocation with named slices -----------===//
#include "nfrt/Arena.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace nfrt;

TEST(Arena, SlicesAreAlignedAndNamed) {
  ArenaLayout layout;
  EXPECT_EQ(layout.addFloats("params", 10), 0u);  // 40 bytes -> one line
  EXPECT_EQ(layout.add("tokens", 65), 64u);       // 65 bytes -> two lines
  EXPECT_EQ(layout.addFloats("grads", 16), 192u); // exactly one line
  EXPECT_EQ(layout.sizeBytes(), 256u);

  Expected<Arena> arena = Arena::create(layout);
  ASSERT_TRUE(arena) << arena.message();
  EXPECT_EQ(arena->sizeBytes(), 256u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(arena->data()) % 64, 0u);
  for (const ArenaSlice &slice : arena->slices())
    EXPECT_EQ(reinterpret_cast<uintptr_t>(arena->get(slice.name)) % 64, 0u)
        << slice.name;
  EXPECT_EQ(arena->get("tokens"), arena->data() + 64);
  EXPECT_EQ(arena->getFloats("grads"),
            reinterpret_cast<float *>(arena->data() + 192));
  EXPECT_EQ(arena->find("grads")->bytes, 64u);
  EXPECT_EQ(arena->get("missing"), nullptr);
  for (size_t i = 0; i < arena->sizeBytes(); ++i)
    ASSERT_EQ(arena->data()[i], 0) << "not zeroed at " << i;
}

TEST(Arena, DuplicateSliceIsAnError) {
  ArenaLayout layout;
  layout.add("x", 4);
  layout.add("x", 8);
  Expected<Arena> arena = Arena::create(layout);
  ASSERT_FALSE(arena);
  EXPECT_EQ(arena.message(), "arena: slice 'x' is defined twice");
}

TEST(Arena, EmptyLayoutStillHasData) {
  Expected<Arena> arena = Arena::create(ArenaLayout());
  ASSERT_TRUE(arena);
  EXPECT_EQ(arena->sizeBytes(), 0u);
  EXPECT_NE(arena->data(), nullptr);
}

TEST(Arena, MoveTransfersOwnership) {
  ArenaLayout layout;
  layout.addFloats("w", 4);
  Expected<Arena> a = Arena::create(layout);
  ASSERT_TRUE(a);
  char *data = a->data();
  Arena b = std::move(*a);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.get("w"), data);
  EXPECT_EQ(a->data(), nullptr);
}

TEST(Arena, ImpossibleSizeIsAnError) {
  ArenaLayout layout;
  layout.add("huge", SIZE_MAX / 2);
  Expected<Arena> arena = Arena::create(layout);
  ASSERT_FALSE(arena);
  EXPECT_NE(arena.message().find("arena: cannot allocate"), std::string::npos)
      << arena.message();
}
