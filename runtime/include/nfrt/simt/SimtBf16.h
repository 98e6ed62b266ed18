//===- SimtBf16.h - __nv_bfloat16 on the host -------------------*- C++ -*-===//
//
// bfloat16 as CUDA stores it: the high 16 bits of an IEEE float. Rounding
// from float is to nearest, ties to even, as __float2bfloat16 does; NaN
// stays a (quiet) NaN. Arithmetic goes through float, as on sm_80.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_SIMTBF16_H
#define NFRT_SIMT_SIMTBF16_H

#include <cstdint>
#include <cstring>

inline uint16_t nfFloatToBf16Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) // NaN: keep the sign, force quiet
    return uint16_t((u >> 16) | 0x40u);
  // Round to nearest even: add 0x7fff plus the lowest kept bit.
  u += 0x7fffu + ((u >> 16) & 1u);
  return uint16_t(u >> 16);
}

inline float nfBf16BitsToFloat(uint16_t b) {
  uint32_t u = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

struct __nv_bfloat16 {
  uint16_t x;
  __nv_bfloat16() = default;
  __nv_bfloat16(float f) : x(nfFloatToBf16Bits(f)) {}
  operator float() const { return nfBf16BitsToFloat(x); }
};

inline __nv_bfloat16 __float2bfloat16(float f) { return __nv_bfloat16(f); }
inline __nv_bfloat16 __float2bfloat16_rn(float f) { return __nv_bfloat16(f); }
inline float __bfloat162float(__nv_bfloat16 b) { return float(b); }

#endif // NFRT_SIMT_SIMTBF16_H
