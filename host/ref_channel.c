/* host/ref_channel.c: the double-precision reference of the per-channel activations (PReLU,
 * APL; docs/channel.md), on the stored input values (float32 or 16-bit values converted
 * exactly, or doubles for f64). Values are computed as double-doubles (error-free sums and
 * products, fma for the exact low part of a product), so the reference stays far below the
 * bounds of f64 too: relative error about 2^-100 of the terms' magnitudes. Non-finite inputs
 * take the conventions of kernels/prelu_ch.cl and kernels/apl.cl in plain double arithmetic.
 * Built without fast-math and with -ffp-contract=off (CMakeLists.txt; GCC's ISO C default,
 * and clang is told below). */
#include "channel_internal.h"

#include <math.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

typedef struct dd {
  double hi, lo;
} dd;

static dd two_sum(double a, double b) {
  double s = a + b, bb = s - a;
  dd r = {s, (a - (s - bb)) + (b - bb)};
  return r;
}

/* a += b (both double-doubles; finite) */
static dd dd_add(dd a, dd b) {
  dd s = two_sum(a.hi, b.hi);
  double lo = s.lo + a.lo + b.lo;
  return two_sum(s.hi, lo);
}

/* u * v exactly, as hi + lo (finite, no underflow of lo that matters here) */
static dd prod(double u, double v) {
  double p = u * v;
  dd r = {p, isfinite(p) ? fma(u, v, -p) : 0.0};
  return r;
}

static double relu(double v) {
  return v > 0 ? v : (v <= 0 ? 0.0 : v);
}

double clact__ref_channel_forward(clact_channel_op op, unsigned hinges, const double *p, double x,
                                  double *lo, double *mag) {
  *lo = 0;
  if (op == CLACT_CH_PRELU) {
    double w = p[0];
    if (x > 0) {
      *mag = x;
      return x;
    }
    double xs = (w == 0 && isinf(x)) ? copysign(1.0, x) : x;
    dd r = prod(w, xs);
    *lo = r.lo;
    *mag = fabs(r.hi);
    return r.hi;
  }
  const double *a = p, *b = p + hinges;
  if (!isfinite(x)) { /* NaN, +-inf: plain double with the a_s = 0 rule */
    double y = relu(x), m = fabs(y);
    for (unsigned s = 0; s < hinges; s++) {
      double h = relu(b[s] - x);
      y += a[s] == 0 ? 0.0 : a[s] * h;
      m += a[s] == 0 ? 0.0 : fabs(a[s]) * h;
    }
    *mag = m;
    return y;
  }
  dd y = {relu(x), 0};
  double m = y.hi;
  for (unsigned s = 0; s < hinges; s++) {
    dd h = two_sum(b[s], -x); /* b_s - x exactly */
    if (!(h.hi > 0))
      continue;
    y = dd_add(y, prod(a[s], h.hi));
    y = dd_add(y, prod(a[s], h.lo));
    m += fabs(a[s]) * h.hi;
  }
  *mag = m;
  dd r = two_sum(y.hi, y.lo);
  *lo = r.lo;
  return r.hi;
}

double clact__ref_channel_derivative(clact_channel_op op, unsigned hinges, const double *p,
                                     double x, double *lo, double *mag) {
  *lo = 0;
  if (op == CLACT_CH_PRELU) {
    double d = x > 0 ? 1.0 : (x <= 0 ? p[0] : x);
    *mag = fabs(d);
    return d;
  }
  const double *a = p, *b = p + hinges;
  if (isnan(x)) {
    *mag = NAN;
    return x;
  }
  dd d = {x > 0 ? 1.0 : 0.0, 0};
  double m = d.hi;
  for (unsigned s = 0; s < hinges; s++)
    if (x < b[s]) {
      d = dd_add(d, (dd){-a[s], 0});
      m += fabs(a[s]);
    }
  *mag = m;
  dd r = two_sum(d.hi, d.lo);
  *lo = r.lo;
  return r.hi;
}

void clact__ch_sum_init(clact_ch_sum *s) {
  s->hi = s->lo = s->mag = 0;
  s->nan = s->pinf = s->ninf = 0;
}

static void sum_add(clact_ch_sum *s, dd t) {
  if (isnan(t.hi)) {
    s->nan = 1;
  } else if (isinf(t.hi)) {
    if (t.hi > 0)
      s->pinf = 1;
    else
      s->ninf = 1;
  } else {
    dd r = dd_add((dd){s->hi, s->lo}, t);
    s->hi = r.hi;
    s->lo = r.lo;
    s->mag += fabs(t.hi);
  }
}

void clact__ch_sum_add_prod(clact_ch_sum *s, double u, double v) {
  sum_add(s, prod(u, v));
}

double clact__ch_sum_value(const clact_ch_sum *s) {
  if (s->nan || (s->pinf && s->ninf))
    return NAN;
  if (s->pinf)
    return INFINITY;
  if (s->ninf)
    return -INFINITY;
  return s->hi + s->lo;
}

void clact__ref_channel_terms(clact_channel_op op, unsigned hinges, const double *p, double x,
                              double dy, clact_ch_sum *sums, size_t stride) {
  if (op == CLACT_CH_PRELU) {
    if (!(x > 0))
      clact__ch_sum_add_prod(&sums[0], dy, x); /* NaN x: NaN */
    return;
  }
  const double *b = p + hinges;
  for (unsigned s = 0; s < hinges; s++) {
    if (!isfinite(x)) {
      clact__ch_sum_add_prod(&sums[s * stride], dy, relu(b[s] - x));
    } else {
      dd h = two_sum(b[s], -x);
      if (h.hi > 0) {
        clact__ch_sum_add_prod(&sums[s * stride], dy, h.hi);
        clact__ch_sum_add_prod(&sums[s * stride], dy, h.lo);
      } else {
        clact__ch_sum_add_prod(&sums[s * stride], dy, 0.0); /* dy = inf: NaN, as in the kernel */
      }
    }
    double ind = x < b[s] ? 1.0 : (x >= b[s] ? 0.0 : x);
    clact__ch_sum_add_prod(&sums[(hinges + s) * stride], dy, ind);
  }
}
