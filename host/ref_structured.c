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
#include <stdlib.h>

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

/* The max of sign * x over the row into *m; 0 (and y all NaN) when the row has a NaN or its max
 * is +-inf, the rows whose results are all NaN. */
static int row_max(const double *x, size_t n, double sign, double *m, double *y) {
  int nan = 0;
  *m = -INFINITY;
  for (size_t j = 0; j < n; j++) {
    double v = sign * x[j];
    if (isnan(v))
      nan = 1;
    else if (v > *m)
      *m = v;
  }
  if (nan || isinf(*m)) {
    for (size_t j = 0; j < n; j++)
      y[j] = NAN;
    return 0;
  }
  return 1;
}

void clact__ref_rows_forward(clact_structured op, const double *x, size_t n, double *y) {
  double sign = op == CLACT_S_SOFTMIN ? -1.0 : 1.0;
  double m;
  if (!row_max(x, n, sign, &m, y))
    return;
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

/* ---- float64 (long double) ----------------------------------------------------------------
 * The same formulas in long double (x86: 64-bit significand, 2^-64 roundings; expl/log1pl within
 * an ulp of that) with Neumaier's compensated sums, rounded once to double at the end: the
 * reference's own error is ~2^-53 relative (the final rounding), 2^-8 of the float64 bound
 * 2^-45. x_j - m in long double is exact where the exponents differ by at most 11, and
 * otherwise within 2^-64 |x_j - m|: e^(x_j - m), where it is not 0, then moves by at most
 * 745 2^-64 < 2^-54 relative. */
typedef struct ksuml {
  long double s, c;
} ksuml;

static void kaddl(ksuml *k, long double v) {
  long double t = k->s + v;
  if (isfinite(t)) {
    if (fabsl(k->s) >= fabsl(v))
      k->c += (k->s - t) + v;
    else
      k->c += (v - t) + k->s;
  }
  k->s = t;
}

static long double kvall(const ksuml *k) {
  return isfinite(k->s) ? k->s + k->c : k->s;
}

void clact__ref_rows_forward64(clact_structured op, const double *x, size_t n, double *y) {
  long double sign = op == CLACT_S_SOFTMIN ? -1.0L : 1.0L;
  double md;
  if (!row_max(x, n, (double)sign, &md, y))
    return;
  long double m = md; /* exact: the max of doubles */
  long double c = 0;
  ksuml s = {0, 0};
  for (size_t j = 0; j < n; j++) {
    long double v = sign * x[j];
    if (v == m)
      c += 1;
    else
      kaddl(&s, expl(v - m));
  }
  long double rest = kvall(&s);
  long double S = c + rest;
  long double L = c == 1 ? log1pl(rest) : logl(S);
  for (size_t j = 0; j < n; j++) {
    long double d = sign * x[j] - m;
    if (is_log(op))
      y[j] = (double)(d - L);
    else
      y[j] = (double)((d == 0 ? 1.0L : expl(d)) / S);
  }
}

void clact__ref_rows_backward64(clact_structured op, const double *in, const double *dy, size_t n,
                                double *dx, double *mag) {
  ksuml s = {0, 0}, a = {0, 0};
  if (is_log(op)) {
    for (size_t j = 0; j < n; j++) {
      kaddl(&s, dy[j]);
      kaddl(&a, fabsl((long double)dy[j]));
    }
    long double S = kvall(&s), A = kvall(&a);
    for (size_t i = 0; i < n; i++) {
      long double e = expl((long double)in[i]);
      dx[i] = (double)(dy[i] - e * S);
      if (mag)
        mag[i] = (double)(fabsl((long double)dy[i]) + e * A);
    }
    return;
  }
  long double sign = op == CLACT_S_SOFTMIN ? -1.0L : 1.0L;
  for (size_t j = 0; j < n; j++) { /* y_j dy_j: 106 bits, rounded to 64 (2^-64 relative) */
    long double p = (long double)in[j] * dy[j];
    kaddl(&s, p);
    kaddl(&a, fabsl(p));
  }
  long double S = kvall(&s), A = kvall(&a);
  for (size_t i = 0; i < n; i++) {
    dx[i] = (double)(sign * (in[i] * (dy[i] - S)));
    if (mag)
      mag[i] = (double)(fabsl((long double)in[i]) * (fabsl((long double)dy[i]) + A));
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

/* ---- sparsemax ----------------------------------------------------------------------------- */
/* Martins & Astudillo's algorithm on the sorted candidates (independent of the kernel's Newton
 * iteration): in the coordinates d_j = x_j - m (exact in double for every candidate d_j > -1
 * up to 2^-53 |d_j|), sort the candidates decreasingly, K = the largest k with
 * 1 + k d_(k) > sum_{i<=k} d_(i) (compensated sums), tau' = (sum_{i<=K} d_(i) - 1) / K,
 * y_j = max(d_j - tau', 0). Special rows as the kernel (docs/structured.md). */
static int cmp_desc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

/* The row max into *m; 1 (and y, mag filled) for the special rows: NaN anywhere or all -inf
 * give NaN, c entries +inf give 1/c there and 0 elsewhere. */
static int sparse_special(const double *x, size_t n, double *y, double *mag, double *m) {
  size_t nan = 0, inf = 0;
  *m = -INFINITY;
  for (size_t j = 0; j < n; j++) {
    if (isnan(x[j]))
      nan++;
    else if (x[j] > *m)
      *m = x[j];
    inf += x[j] == INFINITY;
  }
  if (!(nan || *m == -INFINITY || inf))
    return 0;
  for (size_t j = 0; j < n; j++) {
    y[j] = nan || *m == -INFINITY ? NAN : (x[j] == INFINITY ? 1.0 / (double)inf : 0.0);
    if (mag)
      mag[j] = 0;
  }
  return 1;
}

void clact__ref_sparsemax_forward(const double *x, size_t n, double *y, double *mag) {
  double m;
  size_t nc = 0;
  if (sparse_special(x, n, y, mag, &m))
    return;
  for (size_t j = 0; j < n; j++)
    nc += x[j] - m > -1.0;
  double *d = malloc((nc + 1) * sizeof *d); /* nc >= 1: the max is a candidate */
  if (!d) { /* no memory: NaN, which the checker reports as a failure */
    for (size_t j = 0; j < n; j++)
      y[j] = NAN;
    return;
  }
  size_t c = 0;
  for (size_t j = 0; j < n; j++)
    if (x[j] - m > -1.0)
      d[c++] = x[j] - m;
  qsort(d, nc, sizeof *d, cmp_desc);
  ksum s = {0, 0}, a = {0, 0};
  size_t K = 1;
  double SK = d[0], AK = fabs(d[0]);
  for (size_t k = 1; k <= nc; k++) {
    kadd(&s, d[k - 1]);
    kadd(&a, fabs(d[k - 1]));
    if (1.0 + (double)k * d[k - 1] > kval(&s)) {
      K = k;
      SK = kval(&s);
      AK = kval(&a);
    }
  }
  free(d);
  double tau = (SK - 1.0) / (double)K, big = (1.0 + AK) / (double)K;
  for (size_t j = 0; j < n; j++) {
    double dj = x[j] - m, v = dj - tau;
    y[j] = v > 0 ? v : 0.0;
    if (mag)
      mag[j] = fmin(fabs(dj), 1.0) + big;
  }
}

void clact__ref_sparsemax_backward(const double *y, const double *dy, size_t n, double *dx,
                                   double *mag) {
  ksum s = {0, 0}, a = {0, 0};
  size_t K = 0;
  int nan = 0;
  for (size_t j = 0; j < n; j++) {
    nan |= isnan(y[j]) || isnan(dy[j]);
    if (y[j] > 0) {
      kadd(&s, dy[j]);
      kadd(&a, fabs(dy[j]));
      K++;
    }
  }
  double v = K ? kval(&s) / (double)K : 0.0, A = K ? kval(&a) / (double)K : 0.0;
  for (size_t i = 0; i < n; i++) {
    dx[i] = nan ? NAN : (y[i] > 0 ? dy[i] - v : 0.0);
    if (mag)
      mag[i] = y[i] > 0 ? fabs(dy[i]) + A : 0.0;
  }
}

/* Forward bound of sparsemax, in units of ulp(y_ref) + (4 + n) u^2 M_i: 1. */
double clact__ref_sparsemax_abs(size_t n) {
  return (4.0 + (double)n) * 0x1p-48;
}

/* float64: the same algorithm in long double (64-bit significand, u_L = 2^-64), each result
 * rounded once to double. d_j = x_j - m is rounded to long double (2^-64 |d_j|); the compensated
 * sums, S - 1, the division by K and d_i - tau' add a few u_L each: the reference is within
 * (5 + 2 n u_L) u_L M_i < 6 u_L M_i of the exact y before its final rounding (docs/structured.md,
 * "sparsemax"). */
static int cmp_desc_l(const void *a, const void *b) {
  long double x = *(const long double *)a, y = *(const long double *)b;
  return (x < y) - (x > y);
}

void clact__ref_sparsemax_forward64(const double *x, size_t n, double *y, double *mag) {
  double md;
  size_t nc = 0;
  if (sparse_special(x, n, y, mag, &md))
    return;
  long double m = md; /* the max of doubles, exact */
  for (size_t j = 0; j < n; j++)
    nc += (long double)x[j] - m > -1.0L;
  long double *d = malloc((nc + 1) * sizeof *d); /* nc >= 1: the max is a candidate */
  if (!d) { /* no memory: NaN, which the checker reports as a failure */
    for (size_t j = 0; j < n; j++)
      y[j] = NAN;
    return;
  }
  size_t c = 0;
  for (size_t j = 0; j < n; j++)
    if ((long double)x[j] - m > -1.0L)
      d[c++] = (long double)x[j] - m;
  qsort(d, nc, sizeof *d, cmp_desc_l);
  ksuml s = {0, 0}, a = {0, 0};
  size_t K = 1;
  long double SK = d[0], AK = fabsl(d[0]);
  for (size_t k = 1; k <= nc; k++) {
    kaddl(&s, d[k - 1]);
    kaddl(&a, fabsl(d[k - 1]));
    if (1.0L + (long double)k * d[k - 1] > kvall(&s)) {
      K = k;
      SK = kvall(&s);
      AK = kvall(&a);
    }
  }
  free(d);
  long double tau = (SK - 1.0L) / (long double)K, big = (1.0L + AK) / (long double)K;
  for (size_t j = 0; j < n; j++) {
    long double dj = (long double)x[j] - m, v = dj - tau;
    y[j] = v > 0 ? (double)v : 0.0;
    if (mag)
      mag[j] = (double)(fminl(fabsl(dj), 1.0L) + big);
  }
}

void clact__ref_sparsemax_backward64(const double *y, const double *dy, size_t n, double *dx,
                                     double *mag) {
  ksuml s = {0, 0}, a = {0, 0};
  size_t K = 0;
  int nan = 0;
  for (size_t j = 0; j < n; j++) {
    nan |= isnan(y[j]) || isnan(dy[j]);
    if (y[j] > 0) {
      kaddl(&s, dy[j]);
      kaddl(&a, fabsl((long double)dy[j]));
      K++;
    }
  }
  long double v = K ? kvall(&s) / (long double)K : 0.0L;
  long double A = K ? kvall(&a) / (long double)K : 0.0L;
  for (size_t i = 0; i < n; i++) {
    dx[i] = nan ? NAN : (y[i] > 0 ? (double)(dy[i] - v) : 0.0);
    if (mag)
      mag[i] = y[i] > 0 ? (double)(fabsl((long double)dy[i]) + A) : 0.0;
  }
}

/* float64 forward bound, in units of ulp(y_ref) + abs64(n) M_i: 1. The kernel's own term is
 * (4 + n) u^2 with u = 2^-53 (its double-double refinement); the reference's 6 u_L = 6 2^-64
 * dominates it at every row length up to 2^40. */
double clact__ref_sparsemax_abs64(size_t n) {
  return (4.0 + (double)n) * 0x1p-106 + 6.0 * 0x1p-64;
}

/* ---- maxout -------------------------------------------------------------------------------- */
size_t clact__ref_maxout_arg(const double *x, size_t k) {
  size_t at = 0;
  for (size_t t = 0; t < k; t++) {
    if (isnan(x[t]))
      return t;
    if (x[t] > x[at])
      at = t;
  }
  return at;
}

/* ---- rrelu_train: Philox4x32-10 ------------------------------------------------------------ */
/* Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3" (SC11): a round
 * multiplies words 0 and 2 by M0 = 0xD2511F53 and M1 = 0xCD9E8D57 (32 x 32 -> 64 bits), and the
 * new words are {hi(M1 c2) ^ c1 ^ k0, lo(M1 c2), hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)}; the key is
 * bumped by the Weyl constants W0 = 0x9E3779B9, W1 = 0xBB67AE85 between rounds; 10 rounds. */
void clact__philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3], k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n1 = (uint32_t)p1;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1, n3 = (uint32_t)p0;
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* Float arithmetic, each operation rounded once (float is evaluated in float here: x86-64 SSE,
 * FLT_EVAL_METHOD 0, and no contraction, see above). */
float clact__rrelu_slope(uint64_t i, float lower, float upper, uint64_t seed) {
  uint32_t ctr[4] = {(uint32_t)i, (uint32_t)(i >> 32), 0, 0};
  uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  uint32_t out[4];
  clact__philox4x32_10(ctr, key, out);
  volatile float u24 = (float)(out[0] >> 8) * 0x1p-24f;
  volatile float w = upper - lower;
  volatile float t = w * u24;
  return lower + t;
}
