/* refcheck.c: the double reference of ref.h against MPFR (256 bits) at a few thousand points per
 * function: random values in [-30, 30], the far tails down to where the float result (or dy*f'
 * with dy up to FLT_MAX) is 0, the neighbourhood of 0, the roots of f', thresholds, and random
 * finite bit patterns. ACCURACY.md requires relative error < 2^-40.
 *   forward:  |ref - exact| / |exact|                       (where |exact| >= 2^-160)
 *   backward: |ref - exact| / M_exact  (the bound's scale; relative to |f'| also printed, it is
 *             only large right at the roots of f')            (where M >= 2^-280)
 *   M itself: relative error; from y: |ref - exact| / M.
 * Parameters: softplus beta = 1, 0.5, 3 (threshold 20); elu alpha = 1, 1.6732632. From y: y in the
 * function's output range. The MPFR side avoids 1 - sigma (it cancels even at 256 bits). */
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ref.h"

#define PREC 256
static mpfr_t T[12];

/* exact f, f', M at the double x (a float) into fr, dr, Mr */
static void exact(int f, double x, double p0, double p1, mpfr_t fr, mpfr_t dr, mpfr_t Mr) {
  mpfr_t *t = T;
  mpfr_set_d(t[0], x, MPFR_RNDN);
  switch (f) {
  case F_SIGMOID:
  case F_SILU:
    mpfr_neg(t[1], t[0], MPFR_RNDN);
    mpfr_exp(t[6], t[1], MPFR_RNDN);
    mpfr_add_ui(t[1], t[6], 1, MPFR_RNDN);
    mpfr_ui_div(t[2], 1, t[1], MPFR_RNDN); /* s */
    mpfr_div(t[3], t[6], t[1], MPFR_RNDN); /* sigma(-x) = e^-x/(1+e^-x), not 1 - s */
    if (f == F_SIGMOID) {
      mpfr_set(fr, t[2], MPFR_RNDN);
      mpfr_mul(dr, t[2], t[3], MPFR_RNDN);
      mpfr_set(Mr, dr, MPFR_RNDN);
    } else {
      mpfr_mul(fr, t[0], t[2], MPFR_RNDN);
      mpfr_mul(t[4], t[0], t[3], MPFR_RNDN);
      mpfr_add_ui(t[5], t[4], 1, MPFR_RNDN);
      mpfr_mul(dr, t[2], t[5], MPFR_RNDN);
      mpfr_abs(t[4], t[4], MPFR_RNDN);
      mpfr_add_ui(t[5], t[4], 1, MPFR_RNDN);
      mpfr_mul(Mr, t[2], t[5], MPFR_RNDN);
    }
    break;
  case F_TANH:
    mpfr_tanh(fr, t[0], MPFR_RNDN);
    mpfr_sech(t[1], t[0], MPFR_RNDN);
    mpfr_sqr(dr, t[1], MPFR_RNDN);
    mpfr_set(Mr, dr, MPFR_RNDN);
    break;
  case F_SOFTPLUS:
    mpfr_mul_d(t[1], t[0], p0, MPFR_RNDN); /* z, exact at 256 bits */
    if (mpfr_cmp_d(t[1], p1) > 0) {
      mpfr_set(fr, t[0], MPFR_RNDN);
      mpfr_set_ui(dr, 1, MPFR_RNDN);
      mpfr_set_ui(Mr, 1, MPFR_RNDN);
      break;
    }
    mpfr_exp(t[2], t[1], MPFR_RNDN);
    mpfr_log1p(t[3], t[2], MPFR_RNDN);
    mpfr_div_d(fr, t[3], p0, MPFR_RNDN);
    mpfr_neg(t[4], t[1], MPFR_RNDN);
    mpfr_exp(t[4], t[4], MPFR_RNDN);
    mpfr_add_ui(t[4], t[4], 1, MPFR_RNDN);
    mpfr_ui_div(dr, 1, t[4], MPFR_RNDN);
    mpfr_set(Mr, dr, MPFR_RNDN);
    break;
  case F_ELU:
    if (x > 0) {
      mpfr_set(fr, t[0], MPFR_RNDN);
      mpfr_set_ui(dr, 1, MPFR_RNDN);
      mpfr_set_ui(Mr, 1, MPFR_RNDN);
      break;
    }
    mpfr_expm1(t[1], t[0], MPFR_RNDN);
    mpfr_mul_d(fr, t[1], p0, MPFR_RNDN);
    mpfr_exp(t[2], t[0], MPFR_RNDN);
    mpfr_mul_d(dr, t[2], p0, MPFR_RNDN);
    mpfr_abs(Mr, dr, MPFR_RNDN);
    break;
  case F_GELU:
    mpfr_sqrt_ui(t[1], 2, MPFR_RNDN);
    mpfr_div(t[2], t[0], t[1], MPFR_RNDN);
    mpfr_neg(t[2], t[2], MPFR_RNDN);
    mpfr_erfc(t[3], t[2], MPFR_RNDN);
    mpfr_div_ui(t[3], t[3], 2, MPFR_RNDN); /* Phi */
    mpfr_mul(fr, t[0], t[3], MPFR_RNDN);
    mpfr_sqr(t[4], t[0], MPFR_RNDN);
    mpfr_div_si(t[4], t[4], -2, MPFR_RNDN);
    mpfr_exp(t[4], t[4], MPFR_RNDN);
    mpfr_const_pi(t[5], MPFR_RNDN);
    mpfr_mul_ui(t[5], t[5], 2, MPFR_RNDN);
    mpfr_sqrt(t[5], t[5], MPFR_RNDN);
    mpfr_div(t[4], t[4], t[5], MPFR_RNDN); /* phi */
    mpfr_mul(t[6], t[0], t[4], MPFR_RNDN); /* x phi */
    mpfr_add(dr, t[3], t[6], MPFR_RNDN);
    mpfr_abs(t[6], t[6], MPFR_RNDN);
    mpfr_add(Mr, t[3], t[6], MPFR_RNDN);
    break;
  case F_GELU_TANH:
    /* c1 = 2 sqrt(2/pi), c3 = c1 * 0.044715; z = c1 x + c3 x^3, v = c1 x + 3 c3 x^3 */
    mpfr_const_pi(t[1], MPFR_RNDN);
    mpfr_ui_div(t[1], 2, t[1], MPFR_RNDN);
    mpfr_sqrt(t[1], t[1], MPFR_RNDN);
    mpfr_mul_ui(t[1], t[1], 2, MPFR_RNDN);
    mpfr_set_str(t[2], "0.044715", 10, MPFR_RNDN);
    mpfr_mul(t[2], t[2], t[1], MPFR_RNDN);
    mpfr_sqr(t[3], t[0], MPFR_RNDN);
    mpfr_mul(t[4], t[2], t[3], MPFR_RNDN);
    mpfr_add(t[5], t[1], t[4], MPFR_RNDN);
    mpfr_mul(t[5], t[5], t[0], MPFR_RNDN); /* z */
    mpfr_mul_ui(t[4], t[4], 3, MPFR_RNDN);
    mpfr_add(t[6], t[1], t[4], MPFR_RNDN);
    mpfr_mul(t[6], t[6], t[0], MPFR_RNDN); /* v */
    mpfr_neg(t[7], t[5], MPFR_RNDN);
    mpfr_exp(t[9], t[7], MPFR_RNDN);
    mpfr_add_ui(t[7], t[9], 1, MPFR_RNDN);
    mpfr_ui_div(t[8], 1, t[7], MPFR_RNDN); /* s */
    mpfr_div(t[9], t[9], t[7], MPFR_RNDN); /* 1 - s, without cancellation */
    mpfr_mul(fr, t[0], t[8], MPFR_RNDN);
    mpfr_mul(t[10], t[6], t[9], MPFR_RNDN);
    mpfr_add_ui(t[11], t[10], 1, MPFR_RNDN);
    mpfr_mul(dr, t[8], t[11], MPFR_RNDN);
    mpfr_abs(t[10], t[10], MPFR_RNDN);
    mpfr_add_ui(t[11], t[10], 1, MPFR_RNDN);
    mpfr_mul(Mr, t[8], t[11], MPFR_RNDN);
    break;
  }
}

static void exact_y(int f, double y, double p0, double p1, mpfr_t gr, mpfr_t Mr) {
  mpfr_t *t = T;
  mpfr_set_d(t[0], y, MPFR_RNDN);
  switch (f) {
  case F_SIGMOID:
    mpfr_ui_sub(t[1], 1, t[0], MPFR_RNDN);
    mpfr_mul(gr, t[0], t[1], MPFR_RNDN);
    break;
  case F_TANH:
    mpfr_ui_sub(t[1], 1, t[0], MPFR_RNDN);
    mpfr_add_ui(t[2], t[0], 1, MPFR_RNDN);
    mpfr_mul(gr, t[1], t[2], MPFR_RNDN);
    break;
  case F_SOFTPLUS:
    mpfr_mul_d(t[1], t[0], -p0, MPFR_RNDN);
    if (-mpfr_get_d(t[1], MPFR_RNDN) > p1)
      mpfr_set_ui(gr, 1, MPFR_RNDN);
    else {
      mpfr_expm1(t[2], t[1], MPFR_RNDN);
      mpfr_neg(gr, t[2], MPFR_RNDN);
    }
    break;
  case F_ELU:
    if (y > 0)
      mpfr_set_ui(gr, 1, MPFR_RNDN);
    else
      mpfr_add_d(gr, t[0], p0, MPFR_RNDN);
    break;
  }
  if (f == F_ELU && y <= 0) {
    mpfr_abs(t[3], t[0], MPFR_RNDN);
    mpfr_add_d(Mr, t[3], fabs(p0), MPFR_RNDN);
  } else
    mpfr_abs(Mr, gr, MPFR_RNDN);
}

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static double urand(void) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (double)(rs >> 11) * 0x1p-53;
}

/* relative error of a double against an MPFR value, against a scale */
static double rel(double r, mpfr_t ex, mpfr_t scale) {
  mpfr_t d;
  mpfr_init2(d, PREC);
  mpfr_set_d(d, r, MPFR_RNDN);
  mpfr_sub(d, d, ex, MPFR_RNDN);
  mpfr_abs(d, d, MPFR_RNDN);
  if (mpfr_zero_p(scale)) {
    mpfr_clear(d);
    return mpfr_zero_p(ex) && r == 0 ? 0 : INFINITY;
  }
  mpfr_div(d, d, scale, MPFR_RNDN);
  double v = mpfr_get_d(d, MPFR_RNDN);
  mpfr_clear(d);
  return v;
}

int main(void) {
  for (int i = 0; i < 12; i++)
    mpfr_init2(T[i], PREC);
  mpfr_t fr, dr, Mr, af, aM;
  mpfr_inits2(PREC, fr, dr, Mr, af, aM, (mpfr_ptr)0);
  /* tails: [lo, hi] where the tail matters, per function */
  static const double tail[F_COUNT][2] = {{-110, -20}, {5, 50},   {-110, -15}, {-110, -10},
                                          {-110, -15}, {-40, -2}, {-20, -2}};
  static const double roots[] = {-0.7517915241, -1.2784645428, -0.75,    -1.28,     0.0,
                                 1e-30,         -1e-30,        0x1p-149, -0x1p-149, 20.0,
                                 3.5,           1.75,          -3.5,     -1.75,     -87.3,
                                 -88.72,        -103.97,       -14.36,   -19.7,     9.01};
  int bad = 0;
  for (int f = 0; f < F_COUNT; f++) {
    static const double pset[F_COUNT][3][2] = {
        {{0, 0}}, {{0, 0}}, {{1, 20}, {0.5, 20}, {3, 20}}, {{1, 0}, {1.6732632, 0}}, {{0, 0}},
        {{0, 0}}, {{0, 0}}};
    int np = f == F_SOFTPLUS ? 3 : f == F_ELU ? 2 : 1;
    for (int ps = 0; ps < np; ps++) {
      double p0 = (float)pset[f][ps][0], p1 = pset[f][ps][1];
      double ef = 0, eb = 0, ebr = 0, eM = 0, ey = 0, xf = 0, xb = 0, xM = 0, xy = 0;
      int npts = 0;
      for (int i = 0; i < 6000; i++) {
        double x;
        if (i < 2000)
          x = urand() * 60 - 30;
        else if (i < 3500)
          x = tail[f][0] + (tail[f][1] - tail[f][0]) * urand();
        else if (i < 4500) {
          x = ldexp(1.0, -(int)(urand() * 140)) * (urand() < 0.5 ? -1 : 1) * (1 + urand());
        } else if (i < 4500 + 20 * 20) {
          int j = i - 4500;
          x = roots[j % 20] * (1 + ((j / 20) - 10) * 1e-7) + ((j / 20) - 10) * 1e-9;
        } else {
          uint32_t b = (uint32_t)(urand() * 4294967296.0);
          float fl;
          memcpy(&fl, &b, 4);
          if (!isfinite(fl))
            continue;
          x = fl;
        }
        x = (float)x;
        npts++;
        exact(f, x, p0, p1, fr, dr, Mr);
        double M, r = ref_fwd(f, x, p0, p1), d = ref_bwd(f, x, p0, p1, &M);
        mpfr_abs(af, fr, MPFR_RNDN);
        if (mpfr_cmp_d(af, 0x1p-160) >= 0) {
          double e = rel(r, fr, af);
          if (e > ef)
            ef = e, xf = x;
        }
        if (mpfr_cmp_d(Mr, 0x1p-280) >= 0 && fabs(x) < 1e30) {
          double e = rel(d, dr, Mr);
          if (e > eb)
            eb = e, xb = x;
          e = rel(M, Mr, Mr);
          if (e > eM)
            eM = e, xM = x;
          mpfr_abs(af, dr, MPFR_RNDN);
          e = rel(d, dr, af);
          if (e > ebr)
            ebr = e;
        }
        if (ref_has_y[f]) {
          double y = (float)(f == F_SIGMOID    ? urand()
                             : f == F_TANH     ? 2 * urand() - 1
                             : f == F_SOFTPLUS ? 30 * urand()
                                               : urand() * 5 - p0);
          if ((i & 1) && ref_y_in_domain(f, x, p0))
            y = x;
          double My, g = ref_bwd_y(f, y, p0, p1, &My);
          exact_y(f, y, p0, p1, fr, aM);
          if (mpfr_cmp_d(aM, 0x1p-280) >= 0) {
            double e = rel(g, fr, aM);
            if (e > ey)
              ey = e, xy = y;
          }
        }
      }
      printf(
          "%-9s p=(%g,%g) %d points: fwd 2^%.1f (x=%.9g)  bwd/M 2^%.1f (x=%.9g)  M 2^%.1f (x=%.9g)",
          ref_names[f], p0, p1, npts, log2(ef), xf, log2(eb), xb, log2(eM), xM);
      printf("  [bwd/|f'| 2^%.1f]", log2(ebr));
      if (ref_has_y[f])
        printf("  from-y/M 2^%.1f (y=%.9g)", log2(ey), xy);
      printf("\n");
      if (ef > 0x1p-40 || eb > 0x1p-40 || eM > 0x1p-40 || ey > 0x1p-40)
        bad = 1;
    }
  }
  printf(bad ? "FAIL: a reference error exceeds 2^-40\n" : "ok: every reference error < 2^-40\n");
  return bad;
}
