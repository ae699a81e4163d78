/* ref.h: double-precision reference of the seven activations for the checker (sweep.c) and its
 * MPFR self-test (refcheck.c). Cancellation-free formulas only:
 *   sigma via e^-|x|; sech^2 = 4e/(1+e)^2, e = e^-2|x|; softplus via log1p/expm1 on the exact
 *   double z = beta*x (a float times a float is exact in double); gelu via erfc (x/sqrt 2 is
 *   rounded in double: relative 2^-53 costs erfc ~x^2 2^-53 <= 2^-45 where the float result is
 *   not 0); 1 + tanh(u) = 2 sigma(2u).
 * Each derivative also returns M(x), the sum of the magnitudes of the terms of f' in its
 * cancellation-free form (ACCURACY.md, backward bound). Infinite inputs return the limits. */
#ifndef CLACT_REF_H
#define CLACT_REF_H

#include <math.h>

enum { F_SIGMOID, F_TANH, F_SOFTPLUS, F_ELU, F_SILU, F_GELU, F_GELU_TANH, F_COUNT };
static const char *const ref_names[F_COUNT] = {"sigmoid", "tanh", "softplus", "elu",
                                               "silu",    "gelu", "gelu_tanh"};
/* Which functions have a backward-from-output variant. */
static const int ref_has_y[F_COUNT] = {1, 1, 1, 1, 0, 0, 0};

#define REF_SQRT1_2 0.70710678118654752440
#define REF_1_SQRT2PI 0.39894228040143267794
/* gelu_tanh: z = 2u = C1 x + C3 x^3 */
#define REF_GT_C1 1.5957691216057307117 /* 2 sqrt(2/pi) */
#define REF_GT_C3 (REF_GT_C1 * 0.044715)

/* sigma(z) and sigma(-z) without cancellation */
static inline void ref_sig2(double z, double *s, double *sm) {
  double e = exp(-fabs(z));
  double a = 1.0 / (1.0 + e), b = e / (1.0 + e);
  *s = z >= 0 ? a : b;
  *sm = z >= 0 ? b : a;
}

static inline double ref_fwd(int f, double x, double p0, double p1) {
  if (isnan(x))
    return NAN;
  double s, sm;
  switch (f) {
  case F_SIGMOID:
    if (isinf(x))
      return x > 0 ? 1.0 : 0.0;
    ref_sig2(x, &s, &sm);
    return s;
  case F_TANH:
    return tanh(x);
  case F_SOFTPLUS: {
    double z = p0 * x;
    if (z > p1)
      return x;
    if (isinf(x))
      return 0.0; /* -inf */
    if (z <= 0)
      return log1p(exp(z)) / p0;
    return (z + log1p(exp(-z))) / p0;
  }
  case F_ELU:
    if (x >= 0)
      return x;
    if (isinf(x))
      return -p0;
    return p0 * expm1(x);
  case F_SILU:
    if (isinf(x))
      return x > 0 ? x : -0.0;
    ref_sig2(x, &s, &sm);
    return x * s;
  case F_GELU:
    if (isinf(x))
      return x > 0 ? x : -0.0;
    return 0.5 * x * erfc(-x * REF_SQRT1_2);
  case F_GELU_TANH: {
    if (isinf(x))
      return x > 0 ? x : -0.0;
    double z = x * (REF_GT_C1 + REF_GT_C3 * x * x);
    ref_sig2(z, &s, &sm);
    return x * s;
  }
  }
  return NAN;
}

/* f'(x); *M = the bound's M(x). */
static inline double ref_bwd(int f, double x, double p0, double p1, double *M) {
  double s, sm, r;
  *M = 0;
  if (isnan(x))
    return NAN;
  if (isinf(x)) { /* limits of f' */
    switch (f) {
    case F_SOFTPLUS:
    case F_SILU:
    case F_GELU:
    case F_GELU_TANH:
      r = x > 0 ? 1.0 : 0.0;
      break;
    case F_ELU:
      r = x > 0 ? 1.0 : 0.0;
      break;
    default:
      r = 0.0;
    }
    *M = fabs(r);
    return r;
  }
  switch (f) {
  case F_SIGMOID:
    ref_sig2(x, &s, &sm);
    r = s * sm;
    *M = r;
    return r;
  case F_TANH: {
    double e = exp(-2.0 * fabs(x));
    r = 4.0 * e / ((1.0 + e) * (1.0 + e));
    *M = r;
    return r;
  }
  case F_SOFTPLUS: {
    double z = p0 * x;
    if (z > p1) {
      *M = 1;
      return 1.0;
    }
    ref_sig2(z, &s, &sm);
    *M = s;
    return s;
  }
  case F_ELU:
    if (x > 0) {
      *M = 1;
      return 1.0;
    }
    r = p0 * exp(x);
    *M = fabs(r);
    return r;
  case F_SILU:
    ref_sig2(x, &s, &sm);
    *M = s + fabs(x) * s * sm;
    return s * (1.0 + x * sm);
  case F_GELU: {
    double Phi = 0.5 * erfc(-x * REF_SQRT1_2);
    double phi = exp(-0.5 * x * x) * REF_1_SQRT2PI;
    *M = Phi + fabs(x) * phi;
    return Phi + x * phi;
  }
  case F_GELU_TANH: {
    double z = x * (REF_GT_C1 + REF_GT_C3 * x * x);
    double v = x * (REF_GT_C1 + 3.0 * REF_GT_C3 * x * x); /* 2 x u' */
    ref_sig2(z, &s, &sm);
    *M = s + fabs(v) * s * sm;
    return s * (1.0 + v * sm);
  }
  }
  return NAN;
}

/* Sign of f'(x) for finite x where the double value underflowed to 0 (far left tails). */
static inline int ref_bwd_tail_sign(int f, double x, double p0) {
  switch (f) {
  case F_ELU:
    return x > 0 ? 1 : (p0 > 0) - (p0 < 0);
  case F_SILU:
  case F_GELU:
  case F_GELU_TANH:
    return x < 0 ? -1 : 1;
  default:
    return 1;
  }
}

/* Backward from the output y: the factor g(y) with dx = dy * g(y); *M as in ACCURACY.md. */
static inline double ref_bwd_y(int f, double y, double p0, double p1, double *M) {
  double r;
  switch (f) {
  case F_SIGMOID:
    r = y * (1.0 - y);
    *M = fabs(r);
    return r;
  case F_TANH:
    r = (1.0 - y) * (1.0 + y);
    *M = fabs(r);
    return r;
  case F_SOFTPLUS: {
    double z = p0 * y;
    if (z > p1) {
      *M = 1;
      return 1.0;
    }
    r = -expm1(-z);
    *M = fabs(r);
    return r;
  }
  case F_ELU:
    if (y > 0) {
      *M = 1;
      return 1.0;
    }
    *M = fabs(y) + fabs(p0);
    return y + p0;
  }
  *M = NAN;
  return NAN;
}

/* The range of y where the backward-from-output variant is meaningful (its output domain). */
static inline int ref_y_in_domain(int f, double y, double p0) {
  switch (f) {
  case F_SIGMOID:
    return y >= 0 && y <= 1;
  case F_TANH:
    return y >= -1 && y <= 1;
  case F_SOFTPLUS:
    return y >= 0;
  case F_ELU:
    return y >= -p0;
  }
  return 0;
}

#endif
