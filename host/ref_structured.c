/* host/ref_structured.c: the double-precision reference of the structured operations, one row
 * at a time, on the stored input values (float32, or 16-bit values converted exactly).
 *
 * softmax: m = max, S = c + sum over x_j != m of e^(x_j - m) (c = the count of x_j == m, each
 * term exactly 1; the rest summed with Neumaier's compensated summation), y_i = e^(x_i-m)/S.
 * x_j - m is exact in double whenever it matters (|x_j - m| < 2^29 ulp(m)); otherwise
 * e^(x_j - m) is 0 to far below any float result. log_softmax: y_i = (x_i - m) - ln S with
 * ln S = log1p(S - 1) when c = 1 (S - 1 is the compensated sum itself, so a dominant element's
 * y = -ln S ~ -(S - 1) keeps its relative accuracy). Special rows: NaN anywhere, or a max of
 * +-inf (a +inf entry, or all -inf), give NaN for the whole row (PyTorch's results).
 * Relative error: a few 2^-50 (the 2^-53 roundings, exp/log1p within 1 ulp of double), far
 * below the float bound. */
#include "structured_internal.h"

#include <math.h>

/* No contraction into fma: GCC in ISO C mode (CMAKE_C_EXTENSIONS OFF: -std=c11) defaults to
 * -ffp-contract=off; the x86-64 baseline has no fma instruction for clang to contract into. */

/* Neumaier's compensated sum: s + c, the compensation dropped once s is not finite. */
typedef struct ksum {
  double s, c;
} ksum;

static void kadd(ksum *k, double v) {
  double t = k->s + v;
  if (isfinite(t)) {
    if (fabs(k->s) >= fabs(v))
      k->c += (k->s - t) + v;
    else
      k->c += (v - t) + k->s;
  }
  k->s = t;
}

static double kval(const ksum *k) {
  return isfinite(k->s) ? k->s + k->c : k->s;
}

static int is_log(clact_structured op) {
  return op == CLACT_S_LOG_SOFTMAX;
}

void clact__ref_rows_forward(clact_structured op, const double *x, size_t n, double *y) {
  double sign = op == CLACT_S_SOFTMIN ? -1.0 : 1.0;
  double m = -INFINITY;
  int nan = 0;
  for (size_t j = 0; j < n; j++) {
    double v = sign * x[j];
    if (isnan(v))
      nan = 1;
    else if (v > m)
      m = v;
  }
  if (nan || isinf(m)) {
    for (size_t j = 0; j < n; j++)
      y[j] = NAN;
    return;
  }
  double c = 0;
  ksum s = {0, 0};
  for (size_t j = 0; j < n; j++) {
    double v = sign * x[j];
    if (v == m)
      c += 1;
    else
      kadd(&s, exp(v - m));
  }
  double rest = kval(&s);
  double S = c + rest;
  double L = c == 1 ? log1p(rest) : log(S);
  for (size_t j = 0; j < n; j++) {
    double d = sign * x[j] - m;
    if (is_log(op))
      y[j] = d - L;
    else
      y[j] = (d == 0 ? 1.0 : exp(d)) / S;
  }
}

void clact__ref_rows_backward(clact_structured op, const double *in, const double *dy, size_t n,
                              double *dx, double *mag) {
  ksum s = {0, 0}, a = {0, 0};
  if (is_log(op)) {
    for (size_t j = 0; j < n; j++) {
      kadd(&s, dy[j]);
      kadd(&a, fabs(dy[j]));
    }
    double S = kval(&s), A = kval(&a);
    for (size_t i = 0; i < n; i++) {
      double e = exp(in[i]);
      dx[i] = dy[i] - e * S;
      if (mag)
        mag[i] = fabs(dy[i]) + e * A;
    }
    return;
  }
  double sign = op == CLACT_S_SOFTMIN ? -1.0 : 1.0;
  for (size_t j = 0; j < n; j++) { /* y_j dy_j is exact in double */
    kadd(&s, in[j] * dy[j]);
    kadd(&a, fabs(in[j] * dy[j]));
  }
  double S = kval(&s), A = kval(&a);
  for (size_t i = 0; i < n; i++) {
    dx[i] = sign * (in[i] * (dy[i] - S));
    if (mag)
      mag[i] = fabs(in[i]) * (fabs(dy[i]) + A);
  }
}

/* Forward bound (docs/structured.md): 4 ulp, plus 4 n u ulp for the compensated sum's
 * accumulated tail (n u^2 relative), u = 2^-24. */
double clact__ref_rows_forward_ulp(clact_structured op, size_t n) {
  (void)op;
  return 4.0 + 4.0 * (double)n * 0x1p-24;
}

/* ---- the GLU family ------------------------------------------------------------------------ */
/* 1 inside [lo, hi] (bounds included, as torch.clamp's gradient), 0 outside, NaN for NaN */
static double pass(double v, double lo, double hi) {
  return isnan(v) ? v : (v >= lo && v <= hi ? 1.0 : 0.0);
}

void clact__ref_glu(clact_structured op, const double *p, clact_direction dir, double a, double g,
                    double dy, double *r0, double *r1, double *mag1, double *phi_out) {
  clact_activation act = clact__glu_act(op);
  double ap[CLACT_MAX_PARAMS] = {op == CLACT_S_SWIGLU ? p[1] : 0, 0, 0, 0};
  double limit = op == CLACT_S_SWIGLU ? p[2] : 0;
  double gc = g, aeff = a, pa = 1, pg = 1;
  if (limit > 0) {
    gc = g > limit ? limit : g;
    aeff = (a > limit ? limit : (a < -limit ? -limit : a)) + 1.0;
    pa = pass(a, -limit, limit);
    pg = pass(g, -INFINITY, limit);
  }
  double phi = clact_reference_forward(act, gc, ap);
  if (phi_out)
    *phi_out = phi;
  if (dir == CLACT_FORWARD) {
    *r0 = aeff * phi;
    return;
  }
  double m = 0;
  double d = clact_reference_derivative(act, gc, ap, &m);
  *r0 = dy * phi * pa;
  *r1 = dy * aeff * d * pg;
  if (mag1)
    *mag1 = fabs(dy * aeff) * m;
}

/* ---- crelu --------------------------------------------------------------------------------- */
/* relu'(v) with NaN kept (PyTorch's kink: 0 at 0) */
static double relu_d(double v) {
  return isnan(v) ? v : (v > 0 ? 1.0 : 0.0);
}

void clact__ref_crelu(clact_direction dir, double x, double dyl, double dyr, double *r0,
                      double *r1) {
  if (dir == CLACT_FORWARD) {
    *r0 = isnan(x) ? x : (x > 0 ? x : 0.0);
    *r1 = isnan(x) ? x : (-x > 0 ? -x : 0.0);
    return;
  }
  *r0 = dyl * relu_d(x) - dyr * relu_d(-x);
  *r1 = 0;
}
