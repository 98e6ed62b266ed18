//===- Crc32.cpp - CRC-32 (IEEE 802.3), slicing by 8 ----------------------===//
//
// Eight table lookups per 8 bytes instead of one per byte: a checkpoint of
// a few hundred megabytes is checked in well under a second.
//
//===----------------------------------------------------------------------===//
#include "nfrt/Crc32.h"

using namespace nfrt;

namespace {

struct Tables {
  uint32_t t[8][256];
  Tables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int k = 1; k < 8; ++k)
        t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  }
};

const Tables &tables() {
  static const Tables instance;
  return instance;
}

uint32_t load32le(const unsigned char *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

} // namespace

uint32_t nfrt::crc32(const void *data, size_t size, uint32_t crc) {
  const auto &t = tables().t;
  const auto *p = static_cast<const unsigned char *>(data);
  crc = ~crc;
  for (; size >= 8; p += 8, size -= 8) {
    uint32_t one = load32le(p) ^ crc;
    uint32_t two = load32le(p + 4);
    crc = t[7][one & 0xFF] ^ t[6][(one >> 8) & 0xFF] ^
          t[5][(one >> 16) & 0xFF] ^ t[4][one >> 24] ^ t[3][two & 0xFF] ^
          t[2][(two >> 8) & 0xFF] ^ t[1][(two >> 16) & 0xFF] ^ t[0][two >> 24];
  }
  for (; size > 0; ++p, --size)
    crc = t[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
  return ~crc;
}
