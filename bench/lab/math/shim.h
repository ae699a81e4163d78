/* shim.h: compiles clact_math.clh as C11 on the host (VW = 1), so that the exhaustive checker
 * and the device run the identical source. Build the including file with
 *   -std=c11 -ffp-contract=off -fno-fast-math   (and -mfma or -march=native for speed:
 *   fmaf is correctly rounded either way)
 * and include <math.h> nowhere after this header (the OpenCL names fma, rint, ... are macros
 * here). Semantics match OpenCL C for the scalar case: comparisons and isinf/isnan give 0/1,
 * as_float/as_int are bit copies, convert_int of a float truncates (NaN gives INT_MIN, as the
 * x86 instruction does; clact_math.clh never converts a NaN). */
#ifndef CLACT_SHIM_H
#define CLACT_SHIM_H

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#ifndef CLACT_VW
#define CLACT_VW 1
#endif

typedef float real;
typedef float realv;
typedef int intv;
typedef unsigned int uintv;
typedef struct clact_p {
  real p0, p1, p2, p3;
} clact_p;

static inline float clact_h_u2f(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}
static inline uint32_t clact_h_f2u(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}
static inline int clact_h_u2i(uint32_t u) {
  int i;
  memcpy(&i, &u, sizeof i);
  return i;
}
static inline uint32_t clact_h_i2u(int i) {
  uint32_t u;
  memcpy(&u, &i, sizeof u);
  return u;
}
static inline int clact_h_f2i_bits(float f) {
  return clact_h_u2i(clact_h_f2u(f));
}
static inline float clact_h_i2f_bits(int i) {
  return clact_h_u2f(clact_h_i2u(i));
}
static inline uint32_t clact_h_u2u(uint32_t u) {
  return u;
}
static inline int clact_h_i2i(int i) {
  return i;
}
static inline float clact_h_f2f(float f) {
  return f;
}

#define AS_REALV(v)                                                                                \
  _Generic((v), float : clact_h_f2f, int : clact_h_i2f_bits, unsigned int : clact_h_u2f)(v)
#define AS_INTV(v)                                                                                 \
  _Generic((v), float : clact_h_f2i_bits, int : clact_h_i2i, unsigned int : clact_h_u2i)(v)
#define AS_UINTV(v)                                                                                \
  _Generic((v), float : clact_h_f2u, int : clact_h_i2u, unsigned int : clact_h_u2u)(v)

static inline int clact_h_cvt_i(float v) {
  return (v != v || v >= 2147483648.0f || v < -2147483648.0f) ? INT_MIN : (int)v;
}
#define CONVERT_INTV(v) clact_h_cvt_i(v)
#define CONVERT_REALV(v) ((float)(v))
#define RV(c) ((realv)(c))

/* OpenCL built-ins used by clact_math.clh, scalar float versions. */
#define fma(a, b, c) fmaf((a), (b), (c))
#define rint(a) rintf(a)
#define fabs(a) fabsf(a)
#define copysign(a, b) copysignf((a), (b))
#define sqrt(a) sqrtf(a)
#undef isinf
#undef isnan
#define isinf(a) (__builtin_isinf(a) ? 1 : 0)
#define isnan(a) (__builtin_isnan(a) ? 1 : 0)

#endif
