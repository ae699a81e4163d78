/* host/storage.c: the storage formats' bits on the host (host/storage.h). */
#include "storage.h"

#include <math.h>
#include <string.h>

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static float bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static uint16_t to_half(float f) {
  uint32_t u = f32_bits(f);
  uint32_t sign = (u >> 16) & 0x8000u, a = u & 0x7FFFFFFFu;
  if (a > 0x7F800000u)
    return 0x7E00u;
  if (a >= 0x477FF000u) /* 65520 and up, inf */
    return (uint16_t)(sign | 0x7C00u);
  if (a >= 0x38800000u) /* normal half */
    return (uint16_t)(sign | ((a - 0x38000000u + 0x0FFFu + ((a >> 13) & 1u)) >> 13));
  /* subnormal half: multiples of 2^-24, round to nearest even (exact in double) */
  return (uint16_t)(sign | (uint32_t)nearbyint((double)bits_f32(a) * 0x1p24));
}

static float from_half(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16, em = h & 0x7FFFu;
  float mag = em >= 0x7C00u  ? bits_f32((em << 13) | 0x7F800000u)
              : em < 0x0400u ? (float)em * 0x1p-24f
                             : bits_f32((em << 13) + 0x38000000u);
  return bits_f32(f32_bits(mag) | sign);
}

static uint16_t to_bf16(float f) {
  uint32_t u = f32_bits(f);
  return isnan(f) ? 0x7FC0u : (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

uint64_t clact__to_raw(clact_dtype dt, double v) {
  if (dt == CLACT_F64) {
    uint64_t b;
    v = isnan(v) ? NAN : v;
    memcpy(&b, &v, 8);
    return b;
  }
  float f = (float)v;
  return dt == CLACT_F32 ? f32_bits(isnan(f) ? NAN : f) : dt == CLACT_F16 ? to_half(f) : to_bf16(f);
}

double clact__from_raw(clact_dtype dt, uint64_t r) {
  if (dt == CLACT_F64) {
    double d;
    memcpy(&d, &r, 8);
    return d;
  }
  return dt == CLACT_F32   ? bits_f32((uint32_t)r)
         : dt == CLACT_F16 ? from_half((uint16_t)r)
                           : bits_f32((uint32_t)r << 16);
}

double clact__in_format(clact_dtype dt, double v) {
  return clact__from_raw(dt, clact__to_raw(dt, v));
}

uint64_t clact__get_raw(const void *buf, size_t esize, size_t i) {
  if (esize == 8) {
    uint64_t v;
    memcpy(&v, (const char *)buf + 8 * i, 8);
    return v;
  }
  if (esize == 4) {
    uint32_t v;
    memcpy(&v, (const char *)buf + 4 * i, 4);
    return v;
  }
  uint16_t v;
  memcpy(&v, (const char *)buf + 2 * i, 2);
  return v;
}

void clact__put_raw(void *buf, size_t esize, size_t i, uint64_t r) {
  if (esize == 8) {
    memcpy((char *)buf + 8 * i, &r, 8);
  } else if (esize == 4) {
    uint32_t w = (uint32_t)r;
    memcpy((char *)buf + 4 * i, &w, 4);
  } else {
    uint16_t h = (uint16_t)r;
    memcpy((char *)buf + 2 * i, &h, 2);
  }
}
