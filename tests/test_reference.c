/* tests/test_reference.c: the double-precision reference (host/reference.c) against MPFR at
 * 256 bits, for every activation, direction and parameter set the checker uses.
 *
 * Points: a sweep of every 2^20-th float32 bit pattern (all exponents, both signs, subnormals,
 * inf, NaN), the reference's own edge lists (tails, thresholds, roots of f') each ±3 ulp, and
 * fixed-seed random points in [-40, 40] and [-2, 2]. Criteria (ACCURACY.md: the reference's
 * relative error stays under 2^-40): forward |ref - exact| <= 2^-40 |exact|; derivatives
 * |ref - exact| <= 2^-40 M(x), M the sum of the magnitudes of the terms of f' (relative error is
 * meaningless at a root of f', where the checker's bound is in terms of M too). Special values
 * must agree exactly (NaN, infinities, zeros with their sign in the forward direction).
 * An activation without an oracle here fails the test: add one with its reference. */
#include "internal.h"
#include "test_util.h"

#include <float.h>
#include <math.h>
#include <mpfr.h>

#define PREC 256
#define TOL 0x1p-40
/* Below 2^-200 no float32 result can tell a difference (the smallest float32 subnormal is
 * 2^-149, and the bound's own resolution 2^-149 * 2^-40): double subnormals in the far tails
 * are judged against this absolute floor instead of relatively. */
#define FLOOR 0x1p-200

static mpfr_t t1, t2, t3, t4, xx;
static int mode64; /* f64 mode (below) */

/* σ(v) and σ'(v) = σ(v)σ(-v), stable forms (exact identities; computed at 256 bits). */
static void mp_sigmoid(mpfr_t r, const mpfr_t v) {
  mpfr_abs(t1, v, MPFR_RNDN);
  mpfr_neg(t1, t1, MPFR_RNDN);
  mpfr_exp(t1, t1, MPFR_RNDN); /* t = e^-|v| */
  mpfr_add_ui(t2, t1, 1, MPFR_RNDN);
  if (mpfr_sgn(v) >= 0)
    mpfr_ui_div(r, 1, t2, MPFR_RNDN);
  else
    mpfr_div(r, t1, t2, MPFR_RNDN);
}
static void mp_sigmoid_prime(mpfr_t r, const mpfr_t v) {
  mpfr_abs(t1, v, MPFR_RNDN);
  mpfr_neg(t1, t1, MPFR_RNDN);
  mpfr_exp(t1, t1, MPFR_RNDN);
  mpfr_add_ui(t2, t1, 1, MPFR_RNDN);
  mpfr_sqr(t2, t2, MPFR_RNDN);
  mpfr_div(r, t1, t2, MPFR_RNDN);
}
/* Φ(v) = erfc(-v/√2)/2 and φ(v) = e^(-v²/2)/√(2π) */
static void mp_big_phi(mpfr_t r, const mpfr_t v) {
  mpfr_sqrt_ui(t3, 2, MPFR_RNDN);
  mpfr_div(t3, v, t3, MPFR_RNDN);
  mpfr_neg(t3, t3, MPFR_RNDN);
  mpfr_erfc(r, t3, MPFR_RNDN);
  mpfr_div_ui(r, r, 2, MPFR_RNDN);
}
static void mp_small_phi(mpfr_t r, const mpfr_t v) {
  mpfr_sqr(t3, v, MPFR_RNDN);
  mpfr_div_si(t3, t3, -2L, MPFR_RNDN);
  mpfr_exp(r, t3, MPFR_RNDN);
  mpfr_const_pi(t3, MPFR_RNDN);
  mpfr_mul_ui(t3, t3, 2, MPFR_RNDN);
  mpfr_sqrt(t3, t3, MPFR_RNDN);
  mpfr_div(r, r, t3, MPFR_RNDN);
}
/* gelu_tanh: w = 2u = 2√(2/π)(x + 0.044715x³), u' = √(2/π)(1 + 3·0.044715x²), all exact reals */
static void mp_sqrt_2_pi(mpfr_t r) {
  mpfr_const_pi(r, MPFR_RNDN);
  mpfr_ui_div(r, 2, r, MPFR_RNDN);
  mpfr_sqrt(r, r, MPFR_RNDN);
}
static void mp_gelu_c(mpfr_t r) {
  mpfr_set_str(r, "0.044715", 10, MPFR_RNDN);
}

/* check_point() evaluates the limits at ±inf at ±1e300 and expects |result| > 1e299 for an
 * infinite limit; a function that grows slower (a slope below 0.1, √x, 2x as a derivative
 * whose double is finite) states its infinite limit here: r = ±inf (the sign of r) when v is
 * that stand-in. */
static void mp_inf_standin(mpfr_t r, const mpfr_t v) {
  if (mpfr_regular_p(v) && mpfr_get_exp(v) > 900 && mpfr_regular_p(r))
    mpfr_set_inf(r, mpfr_sgn(r));
}

/* The element index of the point being checked (brelu depends on its parity). */
static uint64_t point_index;

/* exact value of the direction's function at v; returns 0 if there is no oracle. `mag`
 * receives M for derivatives. */
static int oracle(clact_activation act, clact_direction dir, const mpfr_t v, const double *p,
                  mpfr_t out, mpfr_t mag) {
  int fwd = dir == CLACT_FORWARD;
  mpfr_set_ui(mag, 0, MPFR_RNDN);
  switch (act) {
  case CLACT_IDENTITY:
    fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 1, MPFR_RNDN);
    break;
  case CLACT_RELU:
    if (fwd)
      mpfr_sgn(v) > 0 ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 0, MPFR_RNDN);
    else
      mpfr_set_ui(out, mpfr_sgn(v) > 0 ? 1u : 0u, MPFR_RNDN);
    break;
  case CLACT_BRELU: /* even index: relu; odd: -relu(-x) = min(x, 0) */
    if (!(point_index & 1)) {
      if (fwd)
        mpfr_sgn(v) > 0 ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 0, MPFR_RNDN);
      else
        mpfr_set_ui(out, mpfr_sgn(v) > 0 ? 1u : 0u, MPFR_RNDN);
    } else {
      if (fwd)
        mpfr_sgn(v) < 0 ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 0, MPFR_RNDN);
      else
        mpfr_set_ui(out, mpfr_sgn(v) < 0 ? 1u : 0u, MPFR_RNDN);
    }
    break;
  case CLACT_LEAKY_RELU:
    if (fwd)
      mpfr_sgn(v) > 0 ? mpfr_set(out, v, MPFR_RNDN) : mpfr_mul_d(out, v, p[0], MPFR_RNDN);
    else
      mpfr_sgn(v) > 0 ? mpfr_set_ui(out, 1, MPFR_RNDN) : mpfr_set_d(out, p[0], MPFR_RNDN);
    break;
  case CLACT_SIGMOID:
    if (fwd)
      mp_sigmoid(out, v);
    else if (dir == CLACT_BACKWARD)
      mp_sigmoid_prime(out, v);
    else { /* y(1-y) */
      mpfr_ui_sub(t4, 1, v, MPFR_RNDN);
      mpfr_mul(out, v, t4, MPFR_RNDN);
    }
    break;
  case CLACT_TANH:
    if (fwd)
      mpfr_tanh(out, v, MPFR_RNDN);
    else if (dir == CLACT_BACKWARD) {
      mpfr_sech(out, v, MPFR_RNDN);
      mpfr_sqr(out, out, MPFR_RNDN);
    } else { /* (1-y)(1+y) */
      mpfr_ui_sub(t4, 1, v, MPFR_RNDN);
      mpfr_add_ui(out, v, 1, MPFR_RNDN);
      mpfr_mul(out, out, t4, MPFR_RNDN);
    }
    break;
  case CLACT_GELU:
    mp_big_phi(t4, v);
    if (fwd)
      mpfr_mul(out, v, t4, MPFR_RNDN);
    else {
      mp_small_phi(out, v);
      mpfr_mul(out, out, v, MPFR_RNDN);
      mpfr_abs(mag, out, MPFR_RNDN);
      mpfr_add(mag, mag, t4, MPFR_RNDN);
      mpfr_add(out, out, t4, MPFR_RNDN);
    }
    break;
  case CLACT_GELU_TANH: {
    mpfr_t w;
    mpfr_init2(w, PREC);
    mp_gelu_c(t4);
    mpfr_sqr(w, v, MPFR_RNDN);
    mpfr_mul(w, w, t4, MPFR_RNDN);
    mpfr_add_ui(w, w, 1, MPFR_RNDN);
    mpfr_mul(w, w, v, MPFR_RNDN);
    mp_sqrt_2_pi(t4);
    mpfr_mul(w, w, t4, MPFR_RNDN);
    mpfr_mul_ui(w, w, 2, MPFR_RNDN); /* w = 2u */
    if (fwd) {
      mp_sigmoid(out, w);
      mpfr_mul(out, out, v, MPFR_RNDN);
    } else {
      mpfr_t s;
      mpfr_init2(s, PREC);
      mp_sigmoid(s, w);
      mp_sigmoid_prime(out, w);
      mp_gelu_c(t4);
      mpfr_mul_ui(t4, t4, 3, MPFR_RNDN);
      mpfr_mul(t4, t4, v, MPFR_RNDN);
      mpfr_mul(t4, t4, v, MPFR_RNDN);
      mpfr_add_ui(t4, t4, 1, MPFR_RNDN);
      mpfr_mul(out, out, t4, MPFR_RNDN);
      mp_sqrt_2_pi(t4);
      mpfr_mul(out, out, t4, MPFR_RNDN);
      mpfr_mul(out, out, v, MPFR_RNDN);
      mpfr_mul_ui(out, out, 2, MPFR_RNDN); /* 2x s(1-s) u' */
      mpfr_abs(mag, out, MPFR_RNDN);
      mpfr_add(mag, mag, s, MPFR_RNDN);
      mpfr_add(out, out, s, MPFR_RNDN);
      mpfr_clear(s);
    }
    mpfr_clear(w);
    break;
  }
  case CLACT_SILU:
    mp_sigmoid(t4, v);
    if (fwd)
      mpfr_mul(out, v, t4, MPFR_RNDN);
    else {
      mp_sigmoid_prime(out, v);
      mpfr_mul(out, out, v, MPFR_RNDN);
      mpfr_abs(mag, out, MPFR_RNDN);
      mpfr_add(mag, mag, t4, MPFR_RNDN);
      mpfr_add(out, out, t4, MPFR_RNDN);
    }
    break;
  case CLACT_ELU:
    if (dir == CLACT_BACKWARD_FROM_Y) {
      if (mpfr_sgn(v) > 0)
        mpfr_set_ui(out, 1, MPFR_RNDN);
      else {
        mpfr_add_d(out, v, p[0], MPFR_RNDN);
        mpfr_abs(mag, v, MPFR_RNDN);
        mpfr_add_d(mag, mag, fabs(p[0]), MPFR_RNDN);
        return 1;
      }
    } else if (mpfr_sgn(v) > 0)
      fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 1, MPFR_RNDN);
    else {
      fwd ? mpfr_expm1(out, v, MPFR_RNDN) : mpfr_exp(out, v, MPFR_RNDN);
      mpfr_mul_d(out, out, p[0], MPFR_RNDN);
    }
    break;
  case CLACT_SOFTPLUS:
    mpfr_mul_d(t4, v, p[0], MPFR_RNDN); /* βx, exact */
    if (mpfr_cmp_d(t4, p[1]) > 0) {
      fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 1, MPFR_RNDN);
    } else if (fwd) {
      mpfr_exp(out, t4, MPFR_RNDN);
      mpfr_log1p(out, out, MPFR_RNDN);
      mpfr_div_d(out, out, p[0], MPFR_RNDN);
    } else if (dir == CLACT_BACKWARD) {
      mpfr_set(xx, t4, MPFR_RNDN);
      mp_sigmoid(out, xx);
    } else {
      mpfr_neg(t4, t4, MPFR_RNDN);
      mpfr_expm1(out, t4, MPFR_RNDN);
      mpfr_neg(out, out, MPFR_RNDN);
    }
    break;
  /* ---- piecewise and algebraic activations (issue 3) ---- */
  case CLACT_BINARY_STEP:
  case CLACT_BIPOLAR_STEP:
  case CLACT_ROUND:
    if (!fwd)
      mpfr_set_ui(out, 0, MPFR_RNDN);
    else if (act == CLACT_ROUND)
      mpfr_rint(out, v, MPFR_RNDN); /* to nearest, ties to even */
    else
      mpfr_set_si(out, mpfr_sgn(v) < 0 ? (act == CLACT_BINARY_STEP ? 0 : -1) : 1, MPFR_RNDN);
    break;
  case CLACT_SQNL:
    mpfr_abs(t4, v, MPFR_RNDN);
    if (dir == CLACT_BACKWARD_FROM_Y) {
      mpfr_ui_sub(out, 1, t4, MPFR_RNDN);
      mpfr_sqrt(out, out, MPFR_RNDN);
    } else if (mpfr_cmp_ui(t4, 2) > 0) {
      mpfr_set_ui(out, fwd ? 1 : 0, MPFR_RNDN);
      if (fwd)
        mpfr_setsign(out, out, mpfr_signbit(v), MPFR_RNDN);
    } else if (fwd) { /* sign(x)(|x| - x²/4) */
      mpfr_sqr(out, t4, MPFR_RNDN);
      mpfr_div_ui(out, out, 4, MPFR_RNDN);
      mpfr_sub(out, t4, out, MPFR_RNDN);
      mpfr_setsign(out, out, mpfr_signbit(v), MPFR_RNDN);
    } else { /* 1 - |x|/2, M = 1 + |x|/2 */
      mpfr_div_ui(t4, t4, 2, MPFR_RNDN);
      mpfr_ui_sub(out, 1, t4, MPFR_RNDN);
      mpfr_add_ui(mag, t4, 1, MPFR_RNDN);
      return 1;
    }
    break;
  case CLACT_SOFTSIGN:
    mpfr_abs(t4, v, MPFR_RNDN);
    if (dir == CLACT_BACKWARD_FROM_Y) { /* (1 - |y|)² */
      mpfr_ui_sub(out, 1, t4, MPFR_RNDN);
      mpfr_sqr(out, out, MPFR_RNDN);
    } else {
      mpfr_add_ui(t4, t4, 1, MPFR_RNDN);
      if (fwd)
        mpfr_div(out, v, t4, MPFR_RNDN);
      else {
        mpfr_sqr(t4, t4, MPFR_RNDN);
        mpfr_ui_div(out, 1, t4, MPFR_RNDN);
      }
    }
    break;
  case CLACT_ISRU:
  case CLACT_ISRLU:
    if (act == CLACT_ISRLU && mpfr_sgn(v) >= 0) {
      fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 1, MPFR_RNDN);
      break;
    }
    mpfr_sqr(t4, v, MPFR_RNDN);
    mpfr_mul_d(t4, t4, p[0], MPFR_RNDN); /* αv² */
    if (dir == CLACT_BACKWARD_FROM_Y) {  /* max(0, 1 - αy²)^(3/2) */
      mpfr_ui_sub(t4, 1, t4, MPFR_RNDN);
      if (mpfr_sgn(t4) < 0)
        mpfr_set_ui(t4, 0, MPFR_RNDN);
      mpfr_sqrt(out, t4, MPFR_RNDN);
      mpfr_mul(out, out, t4, MPFR_RNDN);
    } else {
      mpfr_add_ui(t4, t4, 1, MPFR_RNDN);
      if (fwd) {
        mpfr_rec_sqrt(out, t4, MPFR_RNDN);
        mpfr_mul(out, out, v, MPFR_RNDN);
      } else { /* (1 + αx²)^(-3/2) */
        mpfr_rec_sqrt(out, t4, MPFR_RNDN);
        mpfr_div(out, out, t4, MPFR_RNDN);
      }
    }
    break;
  case CLACT_PLU:
    mpfr_abs(t4, v, MPFR_RNDN);
    if (!fwd)
      mpfr_set_d(out, mpfr_cmp_d(t4, p[1]) > 0 ? p[0] : 1.0, MPFR_RNDN);
    else if (mpfr_cmp_d(t4, p[1]) <= 0)
      mpfr_set(out, v, MPFR_RNDN);
    else { /* sign(x)(α(|x| - c) + c) */
      mpfr_sub_d(out, t4, p[1], MPFR_RNDN);
      mpfr_mul_d(out, out, p[0], MPFR_RNDN);
      mpfr_add_d(out, out, p[1], MPFR_RNDN);
      if (p[0] > 0)
        mp_inf_standin(out, v);
      mpfr_setsign(out, out, mpfr_signbit(v), MPFR_RNDN);
    }
    break;
  case CLACT_RRELU: { /* leaky_relu with the float32 slope RN((lower + upper)/2) */
    double slope = mode64 ? 0.5 * (p[0] + p[1]) : (double)(float)(0.5 * (p[0] + p[1]));
    if (fwd) {
      mpfr_sgn(v) > 0 ? mpfr_set(out, v, MPFR_RNDN) : mpfr_mul_d(out, v, slope, MPFR_RNDN);
      mp_inf_standin(out, v);
    } else
      mpfr_sgn(v) > 0 ? mpfr_set_ui(out, 1, MPFR_RNDN) : mpfr_set_d(out, slope, MPFR_RNDN);
    break;
  }
  case CLACT_SRELU: { /* (tl, tr, al, ar) */
    int left = mpfr_cmp_d(v, p[0]) <= 0, right = !left && mpfr_cmp_d(v, p[1]) >= 0;
    double t = left ? p[0] : p[1], a = left ? p[2] : p[3];
    if (!fwd)
      mpfr_set_d(out, left || right ? a : 1.0, MPFR_RNDN);
    else if (!left && !right)
      mpfr_set(out, v, MPFR_RNDN);
    else { /* t + a(x - t) */
      mpfr_sub_d(out, v, t, MPFR_RNDN);
      mpfr_mul_d(out, out, a, MPFR_RNDN);
      mpfr_add_d(out, out, t, MPFR_RNDN);
      if (a != 0)
        mp_inf_standin(out, v);
    }
    break;
  }
  case CLACT_RELU6:
  case CLACT_HARDTANH: {
    double lo = act == CLACT_RELU6 ? 0.0 : p[0], hi = act == CLACT_RELU6 ? 6.0 : p[1];
    int below = mpfr_cmp_d(v, lo) <= 0, above = mpfr_cmp_d(v, hi) >= 0;
    if (!fwd)
      mpfr_set_ui(out, below || above ? 0u : 1u, MPFR_RNDN);
    else if (mpfr_cmp_d(v, lo) < 0)
      mpfr_set_d(out, lo, MPFR_RNDN);
    else if (mpfr_cmp_d(v, hi) > 0)
      mpfr_set_d(out, hi, MPFR_RNDN);
    else
      mpfr_set(out, v, MPFR_RNDN);
    break;
  }
  case CLACT_THRESHOLD:
    if (fwd)
      mpfr_cmp_d(v, p[0]) > 0 ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_d(out, p[1], MPFR_RNDN);
    else
      mpfr_set_ui(out, mpfr_cmp_d(v, p[0]) > 0 ? 1u : 0u, MPFR_RNDN);
    break;
  case CLACT_HARDSIGMOID:
  case CLACT_HARDSWISH: {
    if (dir == CLACT_BACKWARD_FROM_Y) { /* hardsigmoid only */
      int in = mpfr_sgn(v) > 0 && mpfr_cmp_ui(v, 1) < 0;
      mpfr_set_d(out, in ? p[0] : 0.0, MPFR_RNDN);
      break;
    }
    mpfr_mul_d(t4, v, p[0], MPFR_RNDN);
    mpfr_add_d(t4, t4, p[1], MPFR_RNDN); /* v = αx + β, exact */
    int lo = mpfr_sgn(t4), hi = mpfr_cmp_ui(t4, 1);
    if (act == CLACT_HARDSIGMOID) {
      if (!fwd)
        mpfr_set_d(out, lo > 0 && hi < 0 ? p[0] : 0.0, MPFR_RNDN);
      else if (lo <= 0)
        mpfr_set_ui(out, 0, MPFR_RNDN);
      else if (hi >= 0)
        mpfr_set_ui(out, 1, MPFR_RNDN);
      else
        mpfr_set(out, t4, MPFR_RNDN);
    } else if (lo < 0)
      mpfr_set_ui(out, 0, MPFR_RNDN);
    else if (hi > 0)
      fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 1, MPFR_RNDN);
    else if (fwd)
      mpfr_mul(out, v, t4, MPFR_RNDN);
    else { /* 2αx + β, M = |2αx| + |β| */
      mpfr_mul_d(out, v, 2 * p[0], MPFR_RNDN);
      mpfr_abs(mag, out, MPFR_RNDN);
      mpfr_add_d(mag, mag, fabs(p[1]), MPFR_RNDN);
      mpfr_add_d(out, out, p[1], MPFR_RNDN);
      return 1;
    }
    break;
  }
  case CLACT_SOFTSHRINK:
  case CLACT_HARDSHRINK: {
    int outside = mpfr_cmp_d(v, p[0]) > 0 || mpfr_cmp_d(v, -p[0]) < 0;
    if (dir == CLACT_BACKWARD_FROM_Y)
      mpfr_set_ui(out, mpfr_zero_p(v) ? 0u : 1u, MPFR_RNDN);
    else if (!fwd)
      mpfr_set_ui(out, outside ? 1u : 0u, MPFR_RNDN);
    else if (!outside)
      mpfr_set_ui(out, 0, MPFR_RNDN);
    else if (act == CLACT_HARDSHRINK)
      mpfr_set(out, v, MPFR_RNDN);
    else /* x ∓ λ */
      mpfr_sub_d(out, v, mpfr_sgn(v) > 0 ? p[0] : -p[0], MPFR_RNDN);
    break;
  }
  case CLACT_RELU_SQUARED:
  case CLACT_SQUARE:
    if (dir == CLACT_BACKWARD_FROM_Y) { /* relu_squared: 2√y */
      mpfr_sqrt(out, v, MPFR_RNDN);
      mpfr_mul_ui(out, out, 2, MPFR_RNDN);
    } else if (act == CLACT_RELU_SQUARED && mpfr_sgn(v) <= 0)
      mpfr_set_ui(out, 0, MPFR_RNDN);
    else
      fwd ? mpfr_sqr(out, v, MPFR_RNDN) : mpfr_mul_ui(out, v, 2, MPFR_RNDN);
    mp_inf_standin(out, v);
    break;
  case CLACT_SPARSE_PLUS:
  case CLACT_SPARSE_SIGMOID: {
    int plus = act == CLACT_SPARSE_PLUS;
    if (dir == CLACT_BACKWARD_FROM_Y) {
      if (plus) /* y >= 1 ? 1 : √y */
        mpfr_cmp_ui(v, 1) >= 0 ? mpfr_set_ui(out, 1, MPFR_RNDN) : mpfr_sqrt(out, v, MPFR_RNDN);
      else
        mpfr_set_d(out, mpfr_sgn(v) > 0 && mpfr_cmp_ui(v, 1) < 0 ? 0.5 : 0.0, MPFR_RNDN);
    } else if (mpfr_cmp_si(v, -1) <= 0)
      mpfr_set_ui(out, 0, MPFR_RNDN);
    else if (mpfr_cmp_ui(v, 1) >= 0)
      plus &&fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, plus || fwd ? 1u : 0u, MPFR_RNDN);
    else if (fwd) { /* (x+1)²/4, (x+1)/2 */
      mpfr_add_ui(out, v, 1, MPFR_RNDN);
      if (plus)
        mpfr_sqr(out, out, MPFR_RNDN);
      mpfr_div_ui(out, out, plus ? 4 : 2, MPFR_RNDN);
    } else if (plus) {
      mpfr_add_ui(out, v, 1, MPFR_RNDN);
      mpfr_div_ui(out, out, 2, MPFR_RNDN);
    } else
      mpfr_set_d(out, 0.5, MPFR_RNDN);
    break;
  }
  case CLACT_AFFINE:
    if (!fwd)
      mpfr_set_d(out, p[0], MPFR_RNDN);
    else if (p[0] == 0)
      mpfr_set_d(out, p[1], MPFR_RNDN);
    else {
      mpfr_mul_d(out, v, p[0], MPFR_RNDN);
      mpfr_add_d(out, out, p[1], MPFR_RNDN);
      mp_inf_standin(out, v);
    }
    break;
  case CLACT_ABS:
    fwd ? mpfr_abs(out, v, MPFR_RNDN) : mpfr_set_si(out, mpfr_sgn(v), MPFR_RNDN);
    break;
  case CLACT_SQRT:
    if (fwd) {
      mpfr_sqrt(out, v, MPFR_RNDN);
      mp_inf_standin(out, v);
    } else if (mpfr_zero_p(v))
      mpfr_set_inf(out, 1);
    else { /* 1/(2√x), 1/(2y) */
      dir == CLACT_BACKWARD ? mpfr_sqrt(out, v, MPFR_RNDN) : mpfr_set(out, v, MPFR_RNDN);
      mpfr_mul_ui(out, out, 2, MPFR_RNDN);
      mpfr_ui_div(out, 1, out, MPFR_RNDN);
    }
    break;
  case CLACT_BENT_IDENTITY:
    mpfr_sqr(t4, v, MPFR_RNDN);
    mpfr_add_ui(t4, t4, 1, MPFR_RNDN);
    mpfr_sqrt(t4, t4, MPFR_RNDN); /* √(x²+1) */
    if (fwd) {
      mpfr_sub_ui(out, t4, 1, MPFR_RNDN);
      mpfr_div_ui(out, out, 2, MPFR_RNDN);
      mpfr_add(out, out, v, MPFR_RNDN);
      mp_inf_standin(out, v);
    } else { /* 1 + x/(2√(x²+1)), M = 1 + |x|/(2√(x²+1)) */
      mpfr_mul_ui(t4, t4, 2, MPFR_RNDN);
      mpfr_div(t4, v, t4, MPFR_RNDN);
      mpfr_add_ui(out, t4, 1, MPFR_RNDN);
      mpfr_abs(mag, t4, MPFR_RNDN);
      mpfr_add_ui(mag, mag, 1, MPFR_RNDN);
      return 1;
    }
    break;
  case CLACT_SQUAREPLUS:
    if (dir == CLACT_BACKWARD_FROM_Y) { /* y²/(y² + b) */
      mpfr_sqr(t4, v, MPFR_RNDN);
      mpfr_add_d(out, t4, p[0], MPFR_RNDN);
      mpfr_div(out, t4, out, MPFR_RNDN);
      break;
    }
    mpfr_sqr(t4, v, MPFR_RNDN);
    mpfr_add_d(t4, t4, p[0], MPFR_RNDN);
    mpfr_sqrt(t4, t4, MPFR_RNDN); /* s */
    if (mpfr_sgn(v) >= 0) {       /* (x + s)/2, (1 + x/s)/2 */
      fwd ? mpfr_add(out, v, t4, MPFR_RNDN) : mpfr_div(out, v, t4, MPFR_RNDN);
      if (!fwd)
        mpfr_add_ui(out, out, 1, MPFR_RNDN);
      mpfr_div_ui(out, out, 2, MPFR_RNDN);
    } else { /* b/(2(s - x)), b/(2s(s - x)) */
      mpfr_sub(out, t4, v, MPFR_RNDN);
      if (!fwd)
        mpfr_mul(out, out, t4, MPFR_RNDN);
      mpfr_mul_ui(out, out, 2, MPFR_RNDN);
      mpfr_d_div(out, p[0], out, MPFR_RNDN);
    }
    break;
  /* ---- transcendental activations (issue 3, second half) ---- */
  case CLACT_BIPOLAR_SIGMOID:
    if (dir == CLACT_BACKWARD_FROM_Y) { /* (1-y)(1+y)/2 */
      mpfr_ui_sub(t4, 1, v, MPFR_RNDN);
      mpfr_add_ui(out, v, 1, MPFR_RNDN);
      mpfr_mul(out, out, t4, MPFR_RNDN);
      mpfr_div_ui(out, out, 2, MPFR_RNDN);
    } else {
      mpfr_div_ui(t4, v, 2, MPFR_RNDN);
      if (fwd)
        mpfr_tanh(out, t4, MPFR_RNDN);
      else { /* sech²(x/2)/2 */
        mpfr_sech(out, t4, MPFR_RNDN);
        mpfr_sqr(out, out, MPFR_RNDN);
        mpfr_div_ui(out, out, 2, MPFR_RNDN);
      }
    }
    break;
  case CLACT_ARCTAN:
    if (fwd)
      mpfr_atan(out, v, MPFR_RNDN);
    else if (dir == CLACT_BACKWARD) {
      mpfr_sqr(out, v, MPFR_RNDN);
      mpfr_add_ui(out, out, 1, MPFR_RNDN);
      mpfr_ui_div(out, 1, out, MPFR_RNDN);
    } else {
      mpfr_cos(out, v, MPFR_RNDN);
      mpfr_sqr(out, out, MPFR_RNDN);
    }
    break;
  case CLACT_ARSINH:
    if (fwd) {
      mpfr_asinh(out, v, MPFR_RNDN);
      mp_inf_standin(out, v);
    } else if (dir == CLACT_BACKWARD) {
      mpfr_sqr(out, v, MPFR_RNDN);
      mpfr_add_ui(out, out, 1, MPFR_RNDN);
      mpfr_rec_sqrt(out, out, MPFR_RNDN);
    } else
      mpfr_sech(out, v, MPFR_RNDN);
    break;
  case CLACT_SELU:
  case CLACT_CELU: {
    int selu = act == CLACT_SELU;
    double scale = selu ? p[0] : 1.0, neg = selu ? p[0] * p[1] : p[0]; /* λ (1), λα (α) */
    if (dir == CLACT_BACKWARD_FROM_Y) {
      if (mpfr_sgn(v) > 0)
        mpfr_set_d(out, scale, MPFR_RNDN);
      else { /* selu: y + λα; celu: y/α + 1 */
        selu ? mpfr_set(t4, v, MPFR_RNDN) : mpfr_div_d(t4, v, p[0], MPFR_RNDN);
        mpfr_add_d(out, t4, selu ? neg : 1.0, MPFR_RNDN);
        mp_inf_standin(out, v); /* celu with α < 0: y/α grows without bound */
        mpfr_abs(mag, t4, MPFR_RNDN);
        mpfr_add_d(mag, mag, selu ? neg : 1.0, MPFR_RNDN);
        return 1;
      }
    } else if (fwd ? mpfr_sgn(v) >= 0 : mpfr_sgn(v) > 0) {
      fwd ? mpfr_mul_d(out, v, scale, MPFR_RNDN) : mpfr_set_d(out, scale, MPFR_RNDN);
      if (fwd)
        mp_inf_standin(out, v);
    } else { /* λα expm1(x), λα e^x; α expm1(x/α), e^(x/α) */
      selu ? mpfr_set(t4, v, MPFR_RNDN) : mpfr_div_d(t4, v, p[0], MPFR_RNDN);
      if (fwd) {
        mpfr_expm1(out, t4, MPFR_RNDN);
        mpfr_mul_d(out, out, neg, MPFR_RNDN);
      } else {
        mpfr_exp(out, t4, MPFR_RNDN);
        if (selu)
          mpfr_mul_d(out, out, neg, MPFR_RNDN);
      }
    }
    break;
  }
  case CLACT_LOG_SIGMOID:
    if (fwd) { /* min(x, 0) - log1p(e^-|x|) */
      mpfr_abs(t4, v, MPFR_RNDN);
      mpfr_neg(t4, t4, MPFR_RNDN);
      mpfr_exp(t4, t4, MPFR_RNDN);
      mpfr_log1p(t4, t4, MPFR_RNDN);
      mpfr_sgn(v) < 0 ? mpfr_sub(out, v, t4, MPFR_RNDN) : mpfr_neg(out, t4, MPFR_RNDN);
    } else if (dir == CLACT_BACKWARD) {
      mpfr_neg(xx, v, MPFR_RNDN);
      mp_sigmoid(out, xx);
    } else {
      mpfr_expm1(out, v, MPFR_RNDN);
      mpfr_neg(out, out, MPFR_RNDN);
    }
    break;
  case CLACT_EXP:
    dir == CLACT_BACKWARD_FROM_Y ? mpfr_set(out, v, MPFR_RNDN) : mpfr_exp(out, v, MPFR_RNDN);
    mp_inf_standin(out, v);
    break;
  case CLACT_LOG:
    if (fwd) {
      mpfr_log(out, v, MPFR_RNDN);
      mp_inf_standin(out, v);
    } else if (dir == CLACT_BACKWARD) {
      if (mpfr_zero_p(v))
        mpfr_set_inf(out, 1);
      else
        mpfr_ui_div(out, 1, v, MPFR_RNDN);
      if (mpfr_sgn(v) < 0)
        mpfr_set_nan(out);
    } else {
      mpfr_neg(t4, v, MPFR_RNDN);
      mpfr_exp(out, t4, MPFR_RNDN);
    }
    break;
  case CLACT_GAUSSIAN:
    mpfr_sqr(t4, v, MPFR_RNDN);
    mpfr_neg(t4, t4, MPFR_RNDN);
    mpfr_exp(out, t4, MPFR_RNDN);
    if (!fwd) {
      mpfr_mul(out, out, v, MPFR_RNDN);
      mpfr_mul_si(out, out, -2, MPFR_RNDN);
    }
    break;
  case CLACT_SOFT_EXPONENTIAL: {
    double a = p[0];
    if (a == 0) {
      fwd ? mpfr_set(out, v, MPFR_RNDN) : mpfr_set_ui(out, 1, MPFR_RNDN);
    } else if (dir == CLACT_BACKWARD_FROM_Y) {
      if (a < 0) { /* e^(αy) */
        mpfr_mul_d(t4, v, a, MPFR_RNDN);
        mpfr_exp(out, t4, MPFR_RNDN);
      } else { /* 1 + α(y - α), M = 1 + |αy| + α² */
        mpfr_sub_d(t4, v, a, MPFR_RNDN);
        mpfr_mul_d(t4, t4, a, MPFR_RNDN);
        mpfr_add_ui(out, t4, 1, MPFR_RNDN);
        mp_inf_standin(out, v);
        mpfr_mul_d(mag, v, a, MPFR_RNDN);
        mpfr_abs(mag, mag, MPFR_RNDN);
        mpfr_add_d(mag, mag, 1 + a * a, MPFR_RNDN);
        return 1;
      }
    } else if (a < 0) { /* z = -α(x + α); -log1p(z)/α, 1/(1 + z) */
      mpfr_add_d(t4, v, a, MPFR_RNDN);
      mpfr_mul_d(t4, t4, -a, MPFR_RNDN);
      if (fwd) {
        mpfr_log1p(out, t4, MPFR_RNDN);
        mpfr_div_d(out, out, -a, MPFR_RNDN);
        if (mpfr_cmpabs_ui(out, 1) > 0)
          mp_inf_standin(out, v);
      } else { /* (NaN where 1 + z < 0: outside the function's domain, as the forward) */
        mpfr_add_ui(out, t4, 1, MPFR_RNDN);
        if (mpfr_sgn(out) < 0)
          mpfr_set_nan(out);
        else
          mpfr_ui_div(out, 1, out, MPFR_RNDN);
      }
    } else { /* (e^(αx) - 1)/α + α, e^(αx) */
      mpfr_mul_d(t4, v, a, MPFR_RNDN);
      mpfr_exp(out, t4, MPFR_RNDN);
      if (fwd) { /* (e^(αx) - (1 - α²))/α: no 1 - 1 at α = 1 */
        mpfr_set_d(t4, a, MPFR_RNDN);
        mpfr_sqr(t4, t4, MPFR_RNDN);
        mpfr_ui_sub(t4, 1, t4, MPFR_RNDN);
        mpfr_sub(out, out, t4, MPFR_RNDN);
        mpfr_div_d(out, out, a, MPFR_RNDN);
      }
    }
    break;
  }
  case CLACT_SINUSOID:
    fwd ? mpfr_sin(out, v, MPFR_RNDN) : mpfr_cos(out, v, MPFR_RNDN);
    break;
  case CLACT_SINC:
    if (mpfr_zero_p(v)) {
      mpfr_set_ui(out, fwd ? 1 : 0, MPFR_RNDN);
      break;
    }
    mpfr_sin(t4, v, MPFR_RNDN);
    if (fwd) {
      mpfr_div(out, t4, v, MPFR_RNDN);
      break;
    }
    if (mpfr_cmpabs_ui(v, 1) < 0) { /* the series (no cancellation): M = |f'| */
      mpfr_set_ui(out, 0, MPFR_RNDN);
      mpfr_mul(xx, v, v, MPFR_RNDN);
      mpfr_div_si(t3, v, -3, MPFR_RNDN); /* term n = 1: -x/3 */
      for (int n = 1; n <= 40; n++) {
        mpfr_add(out, out, t3, MPFR_RNDN);
        mpfr_mul(t3, t3, xx, MPFR_RNDN);
        mpfr_mul_si(t3, t3, -(2 * n + 2), MPFR_RNDN);
        mpfr_div_ui(t3, t3, (unsigned long)(2 * n * (2 * n + 2) * (2 * n + 3)), MPFR_RNDN);
      }
      break;
    }
    /* (cos x - sin x / x)/x, M = |cos x / x| + |sin x / x²| */
    mpfr_div(t4, t4, v, MPFR_RNDN); /* sin x / x */
    mpfr_cos(out, v, MPFR_RNDN);
    mpfr_div(xx, out, v, MPFR_RNDN);
    mpfr_abs(mag, xx, MPFR_RNDN);
    mpfr_sub(out, out, t4, MPFR_RNDN);
    mpfr_div(out, out, v, MPFR_RNDN);
    mpfr_div(t4, t4, v, MPFR_RNDN);
    mpfr_abs(t4, t4, MPFR_RNDN);
    mpfr_add(mag, mag, t4, MPFR_RNDN);
    return 1;
  case CLACT_TANHSHRINK:
    mpfr_tanh(t4, v, MPFR_RNDN);
    if (!fwd)
      mpfr_sqr(out, t4, MPFR_RNDN);
    else if (mpfr_regular_p(v) && mpfr_get_exp(v) < -20) { /* x³/3 - 2x⁵/15 + 17x⁷/315 */
      mpfr_sqr(xx, v, MPFR_RNDN);
      mpfr_mul_ui(out, xx, 17, MPFR_RNDN);
      mpfr_div_ui(out, out, 315, MPFR_RNDN);
      mpfr_sub_d(out, out, 2.0 / 15.0, MPFR_RNDN); /* 2/15 in double: the x⁵ term is < 2^-40 */
      mpfr_mul(out, out, xx, MPFR_RNDN);
      mpfr_set_ui(t3, 1, MPFR_RNDN);
      mpfr_div_ui(t3, t3, 3, MPFR_RNDN);
      mpfr_add(out, out, t3, MPFR_RNDN);
      mpfr_mul(out, out, xx, MPFR_RNDN);
      mpfr_mul(out, out, v, MPFR_RNDN);
    } else
      mpfr_sub(out, v, t4, MPFR_RNDN);
    break;
  case CLACT_MISH: { /* sp = log1p(e^x), t = tanh sp; f' = t + x σ(x) sech² sp */
    mpfr_t sp;
    mpfr_init2(sp, PREC);
    mpfr_exp(sp, v, MPFR_RNDN);
    mpfr_log1p(sp, sp, MPFR_RNDN);
    mpfr_tanh(t4, sp, MPFR_RNDN);
    if (fwd)
      mpfr_mul(out, v, t4, MPFR_RNDN);
    else {
      mpfr_sech(sp, sp, MPFR_RNDN);
      mpfr_sqr(sp, sp, MPFR_RNDN);
      mp_sigmoid(out, v);
      mpfr_mul(out, out, sp, MPFR_RNDN);
      mpfr_mul(out, out, v, MPFR_RNDN);
      mpfr_abs(mag, out, MPFR_RNDN);
      mpfr_add(mag, mag, t4, MPFR_RNDN);
      mpfr_add(out, out, t4, MPFR_RNDN);
    }
    mpfr_clear(sp);
    if (!fwd)
      return 1;
    break;
  }
  case CLACT_ELISH:
    mp_sigmoid(t4, v);
    if (mpfr_sgn(v) >= 0) { /* silu */
      if (fwd)
        mpfr_mul(out, v, t4, MPFR_RNDN);
      else {
        mp_sigmoid_prime(out, v);
        mpfr_mul(out, out, v, MPFR_RNDN);
        mpfr_abs(mag, out, MPFR_RNDN);
        mpfr_add(mag, mag, t4, MPFR_RNDN);
        mpfr_add(out, out, t4, MPFR_RNDN);
        return 1;
      }
    } else if (fwd) {
      mpfr_expm1(out, v, MPFR_RNDN);
      mpfr_mul(out, out, t4, MPFR_RNDN);
    } else { /* e (e² + 2e - 1)/(1 + e)², M = e */
      mpfr_exp(xx, v, MPFR_RNDN);
      mpfr_add_ui(out, xx, 2, MPFR_RNDN);
      mpfr_mul(out, out, xx, MPFR_RNDN);
      mpfr_sub_ui(out, out, 1, MPFR_RNDN);
      mpfr_mul(out, out, xx, MPFR_RNDN);
      mpfr_add_ui(t3, xx, 1, MPFR_RNDN);
      mpfr_sqr(t3, t3, MPFR_RNDN);
      mpfr_div(out, out, t3, MPFR_RNDN);
      mpfr_set(mag, xx, MPFR_RNDN);
      return 1;
    }
    break;
  case CLACT_SMHT: { /* e^u factored out of the denominator, u = cx (x >= 0) or -dx */
    double a = p[0], b = p[1], c = p[2], d = p[3];
    int pos = mpfr_sgn(v) >= 0;
    mpfr_t den, e1;
    mpfr_inits2(mpfr_get_prec(v), den, e1, (mpfr_ptr)0);
    mpfr_mul_d(den, v, -(c + d), MPFR_RNDN);
    if (!pos)
      mpfr_neg(den, den, MPFR_RNDN); /* w3 = -|(c+d)x| */
    mpfr_exp(den, den, MPFR_RNDN);
    mpfr_add_ui(den, den, 1, MPFR_RNDN);
    if (fwd) { /* (e^(ax-u) - e^(-bx-u))/(1 + e^w3) */
      mpfr_mul_d(t4, v, pos ? a - c : a + d, MPFR_RNDN);
      mpfr_exp(out, t4, MPFR_RNDN);
      mpfr_mul_d(t4, v, pos ? -(b + c) : d - b, MPFR_RNDN);
      mpfr_exp(e1, t4, MPFR_RNDN);
      mpfr_sub(out, out, e1, MPFR_RNDN);
      mpfr_div(out, out, den, MPFR_RNDN);
      mp_inf_standin(out, v);
    } else {
      double k[4] = {a - c, a + d, b + c, b - d};
      double q[4] = {pos ? a - c : a + c + 2 * d, pos ? a - d - 2 * c : a + d,
                     pos ? -(b + c) : c - b + 2 * d, pos ? -(b + d + 2 * c) : d - b};
      mpfr_set_ui(out, 0, MPFR_RNDN);
      for (int i = 0; i < 4; i++) {
        mpfr_mul_d(t4, v, q[i], MPFR_RNDN);
        mpfr_exp(e1, t4, MPFR_RNDN);
        mpfr_mul_d(e1, e1, k[i], MPFR_RNDN);
        mpfr_add(out, out, e1, MPFR_RNDN);
        mpfr_abs(e1, e1, MPFR_RNDN);
        mpfr_add(mag, mag, e1, MPFR_RNDN);
      }
      mpfr_sqr(den, den, MPFR_RNDN);
      mpfr_div(out, out, den, MPFR_RNDN);
      mpfr_div(mag, mag, den, MPFR_RNDN);
    }
    mpfr_clears(den, e1, (mpfr_ptr)0);
    if (!fwd)
      return 1;
    break;
  }
  case CLACT_SQ_RBF: {
    mpfr_abs(t4, v, MPFR_RNDN);
    int in = mpfr_cmp_ui(t4, 1) <= 0, mid = !in && mpfr_cmp_ui(t4, 2) < 0;
    if (in) /* 1 - x²/2, -x */
      if (fwd) {
        mpfr_sqr(out, v, MPFR_RNDN);
        mpfr_div_si(out, out, -2, MPFR_RNDN);
        mpfr_add_ui(out, out, 1, MPFR_RNDN);
      } else
        mpfr_neg(out, v, MPFR_RNDN);
    else if (mid) { /* (2 - |x|)²/2, sgn(x)(|x| - 2) */
      mpfr_ui_sub(t4, 2, t4, MPFR_RNDN);
      if (fwd) {
        mpfr_sqr(out, t4, MPFR_RNDN);
        mpfr_div_ui(out, out, 2, MPFR_RNDN);
      } else {
        mpfr_neg(out, t4, MPFR_RNDN);
        mpfr_setsign(out, out, mpfr_signbit(v) != mpfr_signbit(out), MPFR_RNDN);
      }
    } else
      mpfr_set_ui(out, 0, MPFR_RNDN);
    break;
  }
  case CLACT_SWISH:
  case CLACT_QUICK_GELU: { /* x σ(βx); σ(z) + z σ'(z) */
    double beta = act == CLACT_SWISH ? p[0] : (double)1.702f;
    mpfr_mul_d(xx, v, beta, MPFR_RNDN);
    mp_sigmoid(t4, xx);
    if (fwd)
      mpfr_mul(out, v, t4, MPFR_RNDN);
    else {
      mp_sigmoid_prime(out, xx);
      mpfr_mul(out, out, xx, MPFR_RNDN);
      mpfr_abs(mag, out, MPFR_RNDN);
      mpfr_add(mag, mag, t4, MPFR_RNDN);
      mpfr_add(out, out, t4, MPFR_RNDN);
      return 1;
    }
    break;
  }
  case CLACT_SOFT_CLIPPING: { /* z = α(x-1), E = expm1(α) */
    double a = p[0];
    mpfr_t z, e, E;
    mpfr_inits2(mpfr_get_prec(v), z, e, E, (mpfr_ptr)0);
    mpfr_sub_ui(z, v, 1, MPFR_RNDN);
    mpfr_mul_d(z, z, a, MPFR_RNDN);
    mpfr_set_d(E, a, MPFR_RNDN);
    mpfr_expm1(E, E, MPFR_RNDN);
    int neg = mpfr_sgn(z) <= 0;
    mpfr_abs(e, z, MPFR_RNDN);
    mpfr_neg(e, e, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN); /* e^-|z| */
    if (fwd && neg) {          /* log1p(σ(z) E)/α */
      mp_sigmoid(out, z);
      mpfr_mul(out, out, E, MPFR_RNDN);
      mpfr_log1p(out, out, MPFR_RNDN);
      mpfr_div_d(out, out, a, MPFR_RNDN);
    } else if (fwd) { /* 1 - log1p(-expm1(-α) e^-z/(1 + e^-(z+α)))/α */
      mpfr_set_d(t4, -a, MPFR_RNDN);
      mpfr_expm1(t4, t4, MPFR_RNDN);
      mpfr_mul(out, t4, e, MPFR_RNDN);
      mpfr_neg(out, out, MPFR_RNDN);
      mpfr_add_d(t4, z, a, MPFR_RNDN);
      mpfr_neg(t4, t4, MPFR_RNDN);
      mpfr_exp(t4, t4, MPFR_RNDN);
      mpfr_add_ui(t4, t4, 1, MPFR_RNDN);
      mpfr_div(out, out, t4, MPFR_RNDN);
      mpfr_log1p(out, out, MPFR_RNDN);
      mpfr_div_d(out, out, a, MPFR_RNDN);
      mpfr_ui_sub(out, 1, out, MPFR_RNDN);
    } else { /* E e/((1 + e)(1 + e A)) or E e/((e + 1)(e + A)), A = e^α */
      mpfr_set_d(t4, a, MPFR_RNDN);
      mpfr_exp(t4, t4, MPFR_RNDN);
      mpfr_add_ui(out, e, 1, MPFR_RNDN);
      if (neg) {
        mpfr_mul(t4, t4, e, MPFR_RNDN);
        mpfr_add_ui(t4, t4, 1, MPFR_RNDN);
      } else
        mpfr_add(t4, t4, e, MPFR_RNDN);
      mpfr_mul(out, out, t4, MPFR_RNDN);
      mpfr_mul(t4, E, e, MPFR_RNDN);
      mpfr_div(out, t4, out, MPFR_RNDN);
    }
    mpfr_clears(z, e, E, (mpfr_ptr)0);
    break;
  }
  case CLACT_POW:
    if (p[1] == 0) {
      mpfr_set_d(out, fwd ? p[0] : 0.0, MPFR_RNDN);
      break;
    }
    mpfr_set_d(t4, fwd ? p[1] : p[1] - 1, MPFR_RNDN);
    mpfr_pow(out, v, t4, MPFR_RNDN);
    mpfr_mul_d(out, out, fwd ? p[0] : p[0] * p[1], MPFR_RNDN);
    if (mpfr_cmpabs_ui(out, 1) > 0)
      mp_inf_standin(out, v);
    break;
  default:
    return 0;
  }
  if (!fwd && mpfr_zero_p(mag))
    mpfr_abs(mag, out, MPFR_RNDN); /* a single term: M = |f'| */
  return 1;
}

static long checked, failed;
/* f64 mode (clact__ref_set_f64): double inputs and parameters, as the f64 checker uses the
 * reference. Forward |ref - exact| <= 2^-50 |exact| (floor 2^-1070, below the checker's
 * 2^-1067); derivatives |ref - exact| <= 2^-50 |exact| + 2^-52 M + 2^-1062 (the checker allows
 * 2^-45 |dx| + 2^-51 |dy| M + |dy| 2^-1060 below DBL_MIN); a marker (reference.c: the smallest
 * double for a nonzero f' below the doubles, DBL_MAX for one beyond) must be true. */
#define TOL64 0x1p-50
#define FLOOR64_FWD 0x1p-1070
#define FLOOR64_DER 0x1p-1062

static void check_point(clact_activation act, clact_direction dir, double x, const double *p) {
  double ref, mag = 0;
  if (dir == CLACT_FORWARD)
    ref = clact_reference_forward_at(act, x, p, point_index);
  else if (dir == CLACT_BACKWARD)
    ref = clact_reference_derivative_at(act, x, p, point_index, &mag);
  else
    ref = clact_reference_derivative_from_y_at(act, x, p, point_index, &mag);
  checked++;
  const char *why = NULL;
  double exact = NAN, m = 0;
  if (isnan(x)) {
    if (!isnan(ref))
      why = "NaN input must give NaN";
  } else if (isinf(x)) {
    /* the limits at ±inf: take the oracle at a huge finite argument */
    mpfr_t v, out, mg;
    mpfr_inits2(PREC, v, out, mg, (mpfr_ptr)0);
    mpfr_set_d(v, x > 0 ? 1e300 : -1e300, MPFR_RNDN);
    int ok = oracle(act, dir, v, p, out, mg);
    exact = mpfr_get_d(out, MPFR_RNDN);
    if (!ok)
      why = "no MPFR oracle for this activation";
    else if (dir == CLACT_FORWARD && fabs(exact) > 1e299 ? !(isinf(ref) && (ref > 0) == (exact > 0))
                                                         : fabs(ref - exact) > 1e-30)
      why = "wrong limit at infinity";
    mpfr_clears(v, out, mg, (mpfr_ptr)0);
  } else {
    mpfr_t v, out, mg;
    /* f64 mode, tiny x: 1 + x and e^x need ~1100 more bits than x has */
    mpfr_prec_t prec = mode64 && fabs(x) < 0x1p-150 ? 1400 : PREC;
    mpfr_inits2(prec, v, out, mg, (mpfr_ptr)0);
    if (prec != PREC) {
      mpfr_set_prec(t1, prec), mpfr_set_prec(t2, prec), mpfr_set_prec(t3, prec);
      mpfr_set_prec(t4, prec), mpfr_set_prec(xx, prec);
    }
    mpfr_set_d(v, x, MPFR_RNDN);
    if (!oracle(act, dir, v, p, out, mg))
      why = "no MPFR oracle for this activation";
    exact = mpfr_get_d(out, MPFR_RNDN);
    m = mpfr_get_d(mg, MPFR_RNDN);
    if (prec != PREC) {
      mpfr_set_prec(t1, PREC), mpfr_set_prec(t2, PREC), mpfr_set_prec(t3, PREC);
      mpfr_set_prec(t4, PREC), mpfr_set_prec(xx, PREC);
    }
    if (!why && (isnan(exact) || isnan(ref))) {
      /* NaN where the exact value is NaN (outside the function's domain), and only there */
      if (isnan(exact) && !isnan(ref))
        why = "NaN expected";
      else if (!isnan(exact))
        why = "NaN reference where the exact value is a number";
    } else if (!why && mode64 && isinf(exact) && ref == exact) {
      /* (a pole: both infinite) */
    } else if (!why && mode64) {
      double mx = mpfr_get_d(out, MPFR_RNDZ); /* (toward zero: |mx| <= |exact|) */
      if (dir == CLACT_FORWARD) {
        if (exact == 0 ? fabs(ref) > FLOOR64_FWD
                       : !(fabs(ref - exact) <= fmax(TOL64 * fabs(exact), FLOOR64_FWD)) &&
                             !(isinf(ref) && fabs(mx) >= DBL_MAX && (ref > 0) == (mx > 0)))
          why = "relative error above 2^-50 (f64 mode)";
      } else if (fabs(ref) == DBL_TRUE_MIN) {
        if (!(fabs(exact) < DBL_MIN && (exact == 0 || (exact > 0) == (ref > 0))))
          why = "underflow marker where f' is not below DBL_MIN (f64 mode)";
      } else if (fabs(ref) == DBL_MAX) {
        if (!(fabs(mx) >= DBL_MAX * (1 - 0x1p-45) && (mx > 0) == (ref > 0)))
          why = "overflow marker where f' is not beyond DBL_MAX (f64 mode)";
      } else if (!(fabs(ref - exact) <= TOL64 * fabs(exact) + 0x1p-52 * m + FLOOR64_DER)) {
        why = "error above 2^-50 |f'| + 2^-52 M(x) (f64 mode)";
      }
    } else if (!why) {
      if (dir == CLACT_FORWARD) {
        if (exact == 0 ? ref != 0 : fabs(ref - exact) > fmax(TOL * fabs(exact), FLOOR))
          why = "relative error above 2^-40";
      } else if (fabs(ref - exact) > fmax(TOL * m, FLOOR)) {
        why = "error above 2^-40 M(x)";
      }
    }
    mpfr_clears(v, out, mg, (mpfr_ptr)0);
  }
  if (why) {
    if (failed < 20 || getenv("CLACT_REF_VERBOSE"))
      fprintf(stderr, "%s %s x=%.17g p=(%g,%g): reference %.17g, exact %.17g (M %.3g): %s\n",
              clact_name(act), clact_direction_name(dir), x, p[0], p[1], ref, exact, m, why);
    failed++;
  }
}

int main(void) {
  mpfr_inits2(PREC, t1, t2, t3, t4, xx, (mpfr_ptr)0);
  uint64_t seed = 0x2545F4914F6CDD1Dull;
  for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++) {
    clact_activation act = (clact_activation)a;
    double sets[8][CLACT_MAX_PARAMS];
    size_t nsets = 1;
    clact_params_resolve(act, NULL, sets[0]);
    const double(*alt)[CLACT_MAX_PARAMS];
    size_t na = clact__ref_param_sets(act, &alt);
    for (size_t i = 0; i < na && nsets < 8; i++)
      memcpy(sets[nsets++], alt[i], sizeof sets[0]);
    for (size_t s = 0; s < nsets; s++) {
      double p[CLACT_MAX_PARAMS];
      for (int k = 0; k < CLACT_MAX_PARAMS; k++)
        p[k] = (double)(float)sets[s][k]; /* as an f32 kernel sees them */
      /* index-defined activations (brelu): every point at an even and an odd index */
      for (int d = 0; d < CLACT_DIRECTION_COUNT * (clact__ref_indexed(act) ? 2 : 1); d++) {
        clact_direction dir = (clact_direction)(d % CLACT_DIRECTION_COUNT);
        point_index = (uint64_t)(d / CLACT_DIRECTION_COUNT);
        if (dir == CLACT_BACKWARD_FROM_Y && !clact__from_y_allowed(act, p))
          continue;
          /* inputs of from-y are outputs of f */
#define POINT(v)                                                                                   \
  check_point(act, dir,                                                                            \
              dir == CLACT_BACKWARD_FROM_Y                                                         \
                  ? (double)(float)clact_reference_forward_at(act, v, p, point_index)              \
                  : (v),                                                                           \
              p)
        for (uint64_t b = 0; b < ((uint64_t)1 << 32); b += (uint64_t)1 << 20)
          POINT((double)test_float((unsigned)(b + (b >> 20))));
        const double *e;
        size_t ne = clact__ref_edges(act, &e);
        for (size_t i = 0; i < ne; i++) {
          float c = (float)e[i];
          for (int k = -3; k <= 3; k++) {
            float v = c;
            for (int j = 0; j < abs(k); j++)
              v = nextafterf(v, k < 0 ? -INFINITY : INFINITY);
            POINT((double)v);
          }
        }
        for (int i = 0; i < 3000; i++) {
          seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
          double u = (double)(seed >> 11) * 0x1p-53;
          POINT((double)(float)((u - 0.5) * (i % 2 ? 80.0 : 4.0)));
        }
      }
    }
  }
  /* f64 mode: double inputs over every exponent, the edges +-3 doubles, random doubles; the
   * parameters as an f64 kernel sees them (unrounded) */
  long checked32 = checked, failed32 = failed;
  mode64 = 1;
  clact__ref_set_f64(1);
  for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++) {
    clact_activation act = (clact_activation)a;
    double sets[8][CLACT_MAX_PARAMS];
    size_t nsets = 1;
    clact_params_resolve(act, NULL, sets[0]);
    const double(*alt)[CLACT_MAX_PARAMS];
    size_t na = clact__ref_param_sets(act, &alt);
    for (size_t i = 0; i < na && nsets < 8; i++)
      memcpy(sets[nsets++], alt[i], sizeof sets[0]);
    for (size_t s = 0; s < nsets; s++) {
      double *p = sets[s];
      for (int d = 0; d < CLACT_DIRECTION_COUNT * (clact__ref_indexed(act) ? 2 : 1); d++) {
        clact_direction dir = (clact_direction)(d % CLACT_DIRECTION_COUNT);
        point_index = (uint64_t)(d / CLACT_DIRECTION_COUNT);
        if (dir == CLACT_BACKWARD_FROM_Y && !clact__from_y_allowed(act, p))
          continue;
#define POINT64(v)                                                                                 \
  check_point(                                                                                     \
      act, dir,                                                                                    \
      dir == CLACT_BACKWARD_FROM_Y ? clact_reference_forward_at(act, v, p, point_index) : (v), p)
        for (uint64_t e = 0; e < 2048; e += 3) /* every third exponent, both signs */
          for (int sg = 0; sg < 2; sg++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            uint64_t bits = (uint64_t)sg << 63 | e << 52 | (seed & 0xFFFFFFFFFFFFFull);
            double v;
            memcpy(&v, &bits, sizeof v);
            POINT64(v);
          }
        const double *e;
        size_t ne = clact__ref_edges(act, &e);
        for (size_t i = 0; i < ne; i++)
          for (int sg = -1; sg <= 1; sg += 2) {
            double c = sg * e[i];
            for (int k = -3; k <= 3; k++) {
              double v = c;
              for (int j = 0; j < abs(k); j++)
                v = nextafter(v, k < 0 ? -INFINITY : INFINITY);
              POINT64(v);
            }
          }
        for (int i = 0; i < 1500; i++) {
          seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
          double u = (double)(seed >> 11) * 0x1p-53;
          double scale = i % 3 == 0 ? 4.0 : i % 3 == 1 ? 80.0 : 1500.0;
          POINT64((u - 0.5) * scale);
        }
      }
    }
  }
  clact__ref_set_f64(0);
  mpfr_clears(t1, t2, t3, t4, xx, (mpfr_ptr)0);
  mpfr_free_cache();
  printf("f64 mode: %ld reference values checked against MPFR, %ld outside the f64 criteria\n",
         checked - checked32, failed - failed32);
  printf("%ld reference values checked against MPFR (%d bits), %ld outside 2^-40\n", checked, PREC,
         failed);
  return failed || checked == 0 ? 1 : 0;
}
