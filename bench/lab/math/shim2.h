/* shim2.h: shim.h plus what the second half of the shared math section and the issue-3 kernels
 * need on the host (mul_hi, the entry-point macros as host wrappers). See sweep2.c. */
#ifndef CLACT_SHIM2_H
#define CLACT_SHIM2_H
#include "shim.h"
#include <float.h>

static inline unsigned int mul_hi(unsigned int a, unsigned int b) {
  return (unsigned int)(((unsigned long long)a * b) >> 32);
}
#define fmax(a, b) fmaxf((a), (b))

typedef float (*h2_fwd)(float, const float *);
typedef float (*h2_bwd)(float, float, const float *);

#define CLACT_ELEMENTWISE(id)                                                                      \
  static float hw_##id##_fwd(float x, const float *p) {                                            \
    clact_p q = {p[0], p[1], p[2], p[3]};                                                          \
    return id##_fwd(x, q);                                                                         \
  }                                                                                                \
  static float hw_##id##_bwd(float x, float dy, const float *p) {                                  \
    clact_p q = {p[0], p[1], p[2], p[3]};                                                          \
    return id##_bwd(x, dy, q);                                                                     \
  }
#define CLACT_ELEMENTWISE_FROM_Y(id)                                                               \
  static float hw_##id##_bwd_y(float x, float dy, const float *p) {                                \
    clact_p q = {p[0], p[1], p[2], p[3]};                                                          \
    return id##_bwd_y(x, dy, q);                                                                   \
  }
#endif
