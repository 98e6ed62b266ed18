//===- Crc32.h - CRC-32 (IEEE 802.3, as zlib and PNG use) -------*- C++ -*-===//
#ifndef NFRT_CRC32_H
#define NFRT_CRC32_H

#include <cstddef>
#include <cstdint>

namespace nfrt {

/// The CRC-32 of `size` bytes, continuing from `crc` (0 to start), so that
/// crc32(b, crc32(a)) == crc32(a + b). crc32("123456789") == 0xCBF43926.
uint32_t crc32(const void *data, size_t size, uint32_t crc = 0);

} // namespace nfrt

#endif // NFRT_CRC32_H
