/* host/check.c: verification of device results against the scalar reference (ACCURACY.md).
 *
 * One engine for `clact check` and the CTest kernel tests. float32: the sweep of every
 * stride-th bit pattern, the edge lists, fixed-seed random inputs. f16 and bf16: every one of
 * the 65,536 inputs (backward with a fixed set of dy plus random ones), each result bit-equal to
 * the round-to-nearest-even of the float32 kernel's result and within the format's bound of the
 * exact value. Outputs are poisoned with a signaling NaN before every launch (all valid outputs
 * are numbers or quiet NaNs, so a poison value left over is an unwritten element); results are
 * judged on the host on all cores. Then the layout checks, which demand bit-identical results
 * across sizes, offsets, vector widths and in-place operation, with the memory around the
 * output untouched. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "storage.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BACKWARD_BOUND 4.0   /* ACCURACY.md: 4 ulp(dx_ref) + 4 u |dy| M(x) */
#define SMALL_BOUND 1.0      /* f16/bf16 forward: within 1 ulp of the exact value */
#define ALT_STRIDE_FACTOR 16 /* alternative parameter sets sweep 16x more sparsely */
#define MAX_THREADS 16
#define MAX_SETS 16
#define ELEM_MAX 8 /* largest element size checked (bytes) */

/* ---- small helpers ---------------------------------------------------------------------- */
static uint32_t f2u(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}
static float u2f(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}
static uint64_t mix64(uint64_t z) { /* splitmix64 finaliser */
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* ---- storage formats -------------------------------------------------------------------- */
/* What the checker needs to know of a storage format: precision p (significand bits with the
 * hidden one), emin (frexp exponent of the smallest normal, so the ulp floor is
 * 2^(emin - p), the smallest subnormal), the largest finite value, the quiet-NaN bit, the
 * poison (a signaling NaN) and the unit roundoff u of the backward bound. */
typedef struct fmt {
  clact_dtype dtype;
  size_t esize;
  int p, emin;
  double max;
  uint64_t quiet, poison;
  double u;
} fmt;

static const fmt formats[] = {
    {CLACT_F32, 4, 24, -125, FLT_MAX, 0x00400000u, 0x7FA0DEADu, 0x1p-24},
    {CLACT_F16, 2, 11, -13, 65504.0, 0x0200u, 0x7DADu, 0x1p-11},
    {CLACT_BF16, 2, 8, -125, 0x1.FEp127, 0x0040u, 0x7FA5u, 0x1p-8},
    {CLACT_F64, 8, 53, -1021, DBL_MAX, 0x0008000000000000ull, 0x7FF4DEADBEEF0001ull, 0x1p-53},
};

static const fmt *fmt_of(clact_dtype dtype) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (formats[i].dtype == dtype)
      return &formats[i];
  return NULL;
}

/* ulp of an exact value (ACCURACY.md): 2^(max(e, emin) - p), e from frexp; 0 and non-finite
 * values count at the floor. */
static inline double fmt_ulp(const fmt *f, double r) {
  if (f->dtype != CLACT_F64) {
    /* The same from the double's exponent field, without frexp/ldexp (the checker's hot path):
     * a normal double has frexp exponent be - 1022; zero, double subnormals, inf and NaN take
     * the floor; 2^(e - p) >= 2^-149 is a normal double built from its exponent field. */
    uint64_t bits;
    memcpy(&bits, &r, sizeof bits);
    int be = (int)((bits >> 52) & 0x7FFu), e = be - 1022;
    if (be == 0 || be == 0x7FF || e < f->emin)
      e = f->emin;
    uint64_t q = (uint64_t)(e - f->p + 1023) << 52;
    double u;
    memcpy(&u, &q, sizeof u);
    return u;
  }
  int e = f->emin;
  if (r != 0 && isfinite(r)) {
    frexp(r, &e);
    if (e < f->emin)
      e = f->emin;
  }
  return ldexp(1.0, e - f->p);
}

/* Round to nearest even into the format (overflow to infinity). */
static double fmt_round(const fmt *f, double d) {
  if (d == 0 || !isfinite(d))
    return d;
  if (f->dtype == CLACT_F32)
    return (double)(float)d; /* the same: C's conversion rounds to nearest even, subnormals and
                                overflow to infinity included (the checker's hot path) */
  double q = fmt_ulp(f, d);
  double r = nearbyint(d / q) * q; /* d/q is exact: q is a power of two */
  return fabs(r) > f->max ? copysign(INFINITY, d) : r;
}

static double fmt_decode(const fmt *f, uint32_t bits) {
  if (f->dtype == CLACT_F32)
    return u2f(bits);
  if (f->dtype == CLACT_BF16)
    return u2f(bits << 16);
  double sign = (bits & 0x8000u) ? -1.0 : 1.0;
  unsigned e = (bits >> 10) & 0x1Fu, m = bits & 0x3FFu;
  if (e == 0x1F)
    return m ? (double)NAN : sign * INFINITY;
  return sign * (e ? ldexp(1024 + m, (int)e - 25) : ldexp(m, -24));
}

/* Bits of a value the format represents exactly (or an infinity or NaN). */
static uint32_t fmt_encode(const fmt *f, double v) {
  if (f->dtype == CLACT_F32)
    return f2u((float)v);
  if (f->dtype == CLACT_BF16)
    return isnan(v) ? 0x7FC0u : f2u((float)v) >> 16;
  uint32_t s = signbit(v) ? 0x8000u : 0;
  if (isnan(v))
    return 0x7E00u;
  if (isinf(v))
    return s | 0x7C00u;
  double a = fabs(v);
  if (a < 0x1p-14)
    return s | (uint32_t)(a * 0x1p24); /* subnormal (or zero) */
  int e;
  frexp(a, &e); /* a = m 2^e, m in [0.5, 1) */
  return s | (uint32_t)(e + 14) << 10 | ((uint32_t)(ldexp(a, 11 - e)) & 0x3FFu);
}

/* Error of a result in ulp of the exact value; INFINITY for a wrong class. An infinite result
 * is right only where the exact value rounds to it; a finite result against an infinite exact
 * value is wrong; a finite exact value just beyond the largest finite is measured like any
 * other. */
static double fmt_ulp_error(const fmt *f, double got, double exact) {
  if (isnan(exact) || isnan(got))
    return isnan(exact) && isnan(got) ? 0.0 : INFINITY;
  if (isinf(got))
    return got == fmt_round(f, exact) ? 0.0 : INFINITY;
  if (isinf(exact))
    return INFINITY;
  return fabs(got - exact) / fmt_ulp(f, exact);
}

double clact_ulp_error_f32(float got, double exact) {
  return fmt_ulp_error(&formats[0], got, exact);
}

static int histogram_bin(double err) {
  return err == 0 ? 0 : err <= 0.5 ? 1 : err <= 1 ? 2 : err <= 2 ? 3 : err <= 4 ? 4 : 5;
}

/* ---- judging ---------------------------------------------------------------------------- */
typedef struct judge_ctx {
  clact_activation act;
  clact_direction dir;
  const double *p; /* parameters as the kernel sees them */
  const fmt *f;
  double bound;
  int exact; /* float32 forward of the EXACT group: bit-exact with the rounded reference */
  int ftz;   /* the device flushes float32 subnormals (no CL_FP_DENORM): ACCURACY.md's relaxation */
  int digest; /* options->digest: results folded into the digest, not judged */
} judge_ctx;

/* ---- the flush-to-zero relaxation (OpenCL's, exactly; ACCURACY.md) -------------------------
 * On a device without denormals a subnormal input may act as +0 or -0, and a result below
 * FLT_MIN in magnitude may be ±0. A result that misses the bound is accepted when it meets it
 * for one of those substitutions: the input (and dy) replaced by ±0 where subnormal, or the
 * result flushed where the exact value is below FLT_MIN. Nothing else is relaxed. */
static int is_subnormal32(float v) {
  return v != 0 && fabsf(v) < FLT_MIN;
}

static int ftz_candidate_ok(const judge_ctx *j, double got, double ref, double tol_unit) {
  if (isnan(ref) || isnan(got))
    return 0;
  if (got == 0 && fabs(ref) < FLT_MIN)
    return 1; /* a result below FLT_MIN flushed to ±0 */
  if (isinf(ref) || isinf(got))
    return got == ref;
  return fabs(got - ref) <= j->bound * tol_unit;
}

static int ftz_accepts(const judge_ctx *j, float x, float dy, double got, uint64_t index) {
  float xs[3] = {x, 0.0f, -0.0f}, dys[3] = {dy, 0.0f, -0.0f};
  int nx = is_subnormal32(x) ? 3 : 1, nd = j->dir != CLACT_FORWARD && is_subnormal32(dy) ? 3 : 1;
  for (int a = 0; a < nx; a++) {
    if (j->dir == CLACT_FORWARD) {
      double ref = clact_reference_forward_at(j->act, (double)xs[a], j->p, index);
      if (ftz_candidate_ok(j, got, ref, fmt_ulp(j->f, ref)))
        return 1;
      continue;
    }
    double mag = 0;
    double d = j->dir == CLACT_BACKWARD_FROM_Y
                   ? clact_reference_derivative_from_y_at(j->act, (double)xs[a], j->p, index, &mag)
                   : clact_reference_derivative_at(j->act, (double)xs[a], j->p, index, &mag);
    for (int b = 0; b < nd; b++) {
      double ref = (double)dys[b] * d;
      if (ftz_candidate_ok(j, got, ref, fmt_ulp(j->f, ref) + j->f->u * fabs((double)dys[b]) * mag))
        return 1;
    }
  }
  return 0;
}

static void record(clact_check_result *r, const judge_ctx *j, double err, const char *why, float x,
                   float dy, double got, uint32_t bits, double ref) {
  int fail = why != NULL;
  r->count++;
  r->histogram[histogram_bin(err)]++;
  /* The worst point is the first failure if there is one, else the largest error. */
  int take = fail ? r->failures == 0 : r->failures == 0 && (err > r->max_err || r->count == 1);
  if (take) {
    r->worst_x = x;
    r->worst_dy = dy;
    r->worst_got = got;
    r->worst_ref = ref;
    memcpy(r->worst_p, j->p, sizeof r->worst_p);
  }
  if (fail && r->failures == 0) {
    int digits = (int)j->f->esize * 2;
    char xs[64], gs[64];
    snprintf(xs, sizeof xs, "%s=%.9g", j->dir == CLACT_BACKWARD_FROM_Y ? "y" : "x", (double)x);
    snprintf(gs, sizeof gs, "%.9g (0x%0*x)", got, digits, (unsigned)bits);
    if (j->dir == CLACT_FORWARD)
      snprintf(r->message, sizeof r->message, "%s: %s: got %s, expected %.17g%s", why, xs, gs, ref,
               j->exact ? " (bit-exact required)" : "");
    else
      snprintf(r->message, sizeof r->message, "%s: %s dy=%.9g: got %s, expected %.17g", why, xs,
               (double)dy, gs, ref);
  }
  if (fail)
    r->failures++;
  if (err > r->max_err)
    r->max_err = err;
}

/* For f16/bf16, where the float32 result is exactly the format's overflow tie (max + half an
 * ulp: 65520 for half), RNE gives infinity, while the exact value may lie just below the tie
 * (finite in the format). ACCURACY.md's two rules for the 16-bit formats - "RNE of the float32
 * result" and "within 1 ulp of the exact value" - then cannot both hold; the stored value
 * follows the first (as hardware conversions do), and the class check accepts it at exactly
 * that point. */
static int overflow_tie(const fmt *f, float got32) {
  return f->dtype != CLACT_F32 && fabs((double)got32) == f->max + 0.5 * fmt_ulp(f, f->max);
}

/* For f16/bf16: the stored result must be RNE(the float32 kernel's result on the same
 * inputs); NaN against NaN counts as equal. */
static const char *rounding_check(const judge_ctx *j, double got, uint32_t bits, float got32) {
  if (j->f->dtype == CLACT_F32)
    return NULL;
  if (isnan(got) && isnan(got32))
    return NULL;
  return bits == fmt_encode(j->f, fmt_round(j->f, got32)) ? NULL : "not RNE of the float32 result";
}

/* `index`: the element's index within the call (brelu depends on it). */
static void judge_forward(clact_check_result *r, const judge_ctx *j, float x, uint32_t bits,
                          float got32, uint64_t index) {
  double got = fmt_decode(j->f, bits);
  double ref = clact_reference_forward_at(j->act, (double)x, j->p, index);
  double err = INFINITY;
  const char *why = NULL;
  if (isnan(got) && !(bits & j->f->quiet)) {
    why = "unwritten element or signaling NaN output";
  } else {
    err = fmt_ulp_error(j->f, got, ref);
    if (isinf(err) && isinf(got) && overflow_tie(j->f, got32))
      err = SMALL_BOUND;
    if (isinf(err))
      why = "wrong class (NaN/inf vs number)";
    else if (ref == 0 && got == 0 && !signbit(ref) != !signbit(got))
      why = "wrong sign of zero", err = INFINITY;
    else if ((why = rounding_check(j, got, bits, got32)) != NULL)
      err = INFINITY;
    else if (j->exact && !isnan(ref) && bits != fmt_encode(j->f, fmt_round(j->f, ref)))
      why = "not correctly rounded";
    else if (!j->exact && err > j->bound)
      why = "error above the bound";
    if (why && j->ftz && strcmp(why, "not RNE of the float32 result") != 0 &&
        ftz_accepts(j, x, 0.0f, got, index))
      why = NULL, err = 0;
  }
  record(r, j, err, why, x, 0, got, bits, ref);
}

static double reference_derivative(const judge_ctx *j, float x, uint64_t index, double *mag) {
  *mag = 0;
  return j->dir == CLACT_BACKWARD_FROM_Y
             ? clact_reference_derivative_from_y_at(j->act, (double)x, j->p, index, mag)
             : clact_reference_derivative_at(j->act, (double)x, j->p, index, mag);
}

/* judge_backward with the reference's f'(x) = d and M(x) = mag already computed. */
static void judge_backward_d(clact_check_result *r, const judge_ctx *j, float x, float dy,
                             uint32_t bits, float got32, double d, double mag, uint64_t index) {
  double got = fmt_decode(j->f, bits);
  double ref = (double)dy * d;
  double err = INFINITY;
  const char *why = NULL;
  if (isnan(got) && !(bits & j->f->quiet)) {
    why = "unwritten element or signaling NaN output";
  } else {
    if (isinf(dy) && fabs(d) <= j->bound * j->f->u * mag && (isinf(got) || isnan(got)))
      /* dy = ±inf where f'(x) is within the bound's tolerance of zero (at a root of f'): the
       * sign of f' is not determined by the bound, so ±inf and NaN (f' = 0) all conform, and
       * the error (inf/inf) is counted as 0 rather than letting it mask the finite maxima. */
      err = 0;
    else if (isnan(ref) || isnan(got) || isinf(ref) || isinf(got))
      err = isinf(got) && !isinf(ref) && overflow_tie(j->f, got32)
                ? SMALL_BOUND
                : fmt_ulp_error(j->f, got, ref); /* 0 or a wrong class */
    else
      err = fabs(got - ref) / (fmt_ulp(j->f, ref) + j->f->u * fabs((double)dy) * mag);
    if (isinf(err))
      why = "wrong class (NaN/inf vs number)";
    else if ((why = rounding_check(j, got, bits, got32)) != NULL)
      err = INFINITY;
    else if (err > j->bound)
      why = "error above the bound";
    if (why && j->ftz && strcmp(why, "not RNE of the float32 result") != 0 &&
        ftz_accepts(j, x, dy, got, index))
      why = NULL, err = 0;
  }
  record(r, j, err, why, x, dy, got, bits, ref);
}

static void judge_backward(clact_check_result *r, const judge_ctx *j, float x, float dy,
                           uint32_t bits, float got32, uint64_t index) {
  double mag;
  double d = reference_derivative(j, x, index, &mag);
  judge_backward_d(r, j, x, dy, bits, got32, d, mag, index);
}

/* float32 backward where f'(x) and M(x) are both below 2^-400 in magnitude (f' underflowed:
 * e.g. sigma' beyond |x| = 745, where the reference returns a subnormal double). On x86 every
 * operation on a subnormal double costs a microcode assist (~150 cycles), and judge_backward_d
 * does several per element: this decides, without touching a subnormal, the cases whose outcome
 * (count, histogram bin, max error, no failure, no new worst point) is provably the one
 * judge_backward_d gives; it returns 0 for every other case, which the caller then passes to
 * judge_backward_d. Why the values are the same: with |d|, M < 2^-400 and a finite float dy,
 * |dy d| < 2^-272 and u|dy|M < 2^-296, so judge_backward_d's tolerance ulp(ref) + u|dy|M rounds
 * to exactly 2^-149 (the float32 ulp floor); a result got != 0 (|got| >= 2^-149) gives
 * fl(|got - ref|) = |got| (|ref| is far below a quarter of got's double ulp), so the error is
 * |got| 2^149 exactly; got = 0 gives the error |fl(dy d)| 2^149 (at most 2^-123), computed
 * exactly from d's bits. */
static int judge_backward_tiny(clact_check_result *r, const judge_ctx *j, float dy, uint32_t bits,
                               double d, double mag) {
  uint64_t db, mb;
  memcpy(&db, &d, sizeof db);
  memcpy(&mb, &mag, sizeof mb);
  unsigned de = (unsigned)(db >> 52) & 0x7FFu, me = (unsigned)(mb >> 52) & 0x7FFu;
  if (j->f->dtype != CLACT_F32 || de >= 1023 - 400 || me >= 1023 - 400 || (mb >> 63) ||
      r->count == 0 || !isfinite(dy))
    return 0;
  uint32_t abits = bits & 0x7FFFFFFFu;
  if (abits >= 0x7F800000u)
    return 0; /* NaN or infinity: judge_backward_d */
  double err;
  int bin;
  if (abits) {
    err = fabs((double)u2f(bits)) * 0x1p149;
    if (err > j->bound || err > r->max_err)
      return 0; /* a failure or a new worst point: judge_backward_d records it */
    bin = histogram_bin(err);
  } else {
    /* got = ±0: the error is |fl(dy d)| 2^149, computed exactly without a subnormal
     * operand; where that cannot be shown exact, or the error is a new maximum, it is left to
     * judge_backward_d. */
    double e0;
    if (!de) { /* subnormal d = m 2^-1074: fl(dy d) = nearbyint(dy m) 2^-1074 */
      uint64_t m = db & 0xFFFFFFFFFFFFFull;
      if (m >= ((uint64_t)1 << 29))
        return 0;
      double pm = fabs((double)dy) * (double)m; /* exact: fewer than 53 significant bits */
      if (pm >= 0x1p52)
        return 0; /* fl(dy d) would be normal */
      e0 = nearbyint(pm) * 0x1p-925;
    } else { /* normal d: dy d 2^600 from d's bits, no subnormal on the way */
      uint64_t sb = db + ((uint64_t)600 << 52);
      double ds;
      memcpy(&ds, &sb, sizeof ds);
      double ps = fabs((double)dy * ds);
      if (ps <= 0x1p-476)
        e0 = 0; /* |dy d| < 2^-1075: fl(dy d) = 0 */
      else if (ps >= 0x1p-421)
        e0 = ps * 0x1p-451; /* fl(dy d) normal: fl(dy d) 2^600 = ps exactly */
      else
        return 0;
    }
    if (e0 > r->max_err)
      return 0;
    bin = e0 == 0 ? 0 : 1; /* e0 <= 2^-123 */
  }
  r->count++;
  r->histogram[bin]++;
  return 1;
}

/* --digest: the results' bits folded in input order, h = (h ^ bits) * P. P is odd, so each step
 * is a bijection in h and in the bits: two streams that differ in exactly one result always
 * end in different digests (more differences collide with probability ~2^-64). */
#define DIGEST_BASIS 0xCBF29CE484222325ull
#define DIGEST_P 0x100000001B3ull
static void fold_digest(clact_check_result *r, const void *out, size_t elem, size_t n) {
  uint64_t h = r->digest;
  if (elem == 4) {
    const uint32_t *w = out;
    for (size_t i = 0; i < n; i++)
      h = (h ^ w[i]) * DIGEST_P;
  } else {
    const uint16_t *w = out;
    for (size_t i = 0; i < n; i++)
      h = (h ^ w[i]) * DIGEST_P;
  }
  r->digest = h;
  r->count += n;
}

static void merge_result(clact_check_result *into, const clact_check_result *from) {
  if (from->count == 0)
    return;
  int take = into->count == 0 || (from->failures && !into->failures) ||
             (!from->failures && !into->failures && from->max_err > into->max_err);
  if (take) {
    into->worst_x = from->worst_x;
    into->worst_dy = from->worst_dy;
    into->worst_got = from->worst_got;
    into->worst_ref = from->worst_ref;
    memcpy(into->worst_p, from->worst_p, sizeof into->worst_p);
  }
  if (from->failures && !into->failures)
    memcpy(into->message, from->message, sizeof into->message);
  if (from->max_err > into->max_err)
    into->max_err = from->max_err;
  into->count += from->count;
  into->failures += from->failures;
  for (int b = 0; b < CLACT_HISTOGRAM_BINS; b++)
    into->histogram[b] += from->histogram[b];
}

/* A chunk to judge: inputs as float values, the device's raw output, and for the 16-bit
 * formats the float32 kernel's results on the same inputs. */
typedef struct chunk {
  float *x, *dy, *got32;
  void *raw0, *raw1, *out;
  size_t n;
} chunk;

typedef struct judge_job {
  const judge_ctx *j;
  const chunk *c;
  size_t begin, end;
  clact_check_result r;
} judge_job;

static int judge_worker(void *arg) {
  judge_job *job = arg;
  const chunk *c = job->c;
  memset(&job->r, 0, sizeof job->r);
  for (size_t i = job->begin; i < job->end; i++) {
    uint32_t bits = (uint32_t)clact__get_raw(c->out, job->j->f->esize, i);
    // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign): filled by the device read
    float g32 = c->got32 ? c->got32[i] : 0.0f;
    if (job->j->dir == CLACT_FORWARD)
      judge_forward(&job->r, job->j, c->x[i], bits, g32, i);
    else
      judge_backward(&job->r, job->j, c->x[i], c->dy[i], bits, g32, i);
  }
  return 0;
}

static int thread_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void judge_all(clact_check_result *r, const judge_ctx *j, const chunk *c) {
  judge_job jobs[MAX_THREADS] = {0}; /* (every used one is set below; nt >= 1) */
  thrd_t th[MAX_THREADS];
  int nt = c->n < 65536 ? 1 : thread_count();
  int started[MAX_THREADS] = {0};
  for (int t = 0; t < nt; t++) {
    jobs[t] =
        (judge_job){j, c, c->n * (size_t)t / (size_t)nt, c->n * (size_t)(t + 1) / (size_t)nt, {0}};
    started[t] = t > 0 && thrd_create(&th[t], judge_worker, &jobs[t]) == thrd_success;
  }
  judge_worker(&jobs[0]);
  for (int t = 1; t < nt; t++) {
    if (started[t])
      thrd_join(th[t], NULL);
    else
      judge_worker(&jobs[t]); /* no thread: do it here */
  }
  for (int t = 0; t < nt; t++)
    merge_result(r, &jobs[t].r);
}

/* ---- device plumbing -------------------------------------------------------------------- */
typedef struct device_bufs {
  cl_mem in0, in1, out;
  size_t cap; /* elements (of the largest size) */
} device_bufs;

static void release_mems(cl_mem *m, int n) {
  for (int i = 0; i < n; i++) {
    if (m[i])
      clReleaseMemObject(m[i]);
    m[i] = NULL;
  }
}

/* Three buffers of `bytes` each (in0, in1, out). */
static clact_status create_mems(clact_context *ctx, size_t bytes, cl_mem m[3]) {
  cl_int err = CL_SUCCESS;
  for (int i = 0; i < 3; i++)
    m[i] = err == CL_SUCCESS ? clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, bytes, NULL, &err)
                             : NULL;
  if (err != CL_SUCCESS)
    release_mems(m, 3);
  return (clact_status)err;
}

/* The poison of format f as the bytes of one element. */
static void poison_bytes(const fmt *f, unsigned char *out) {
  uint64_t p64 = f->poison;
  uint32_t p32 = (uint32_t)f->poison;
  uint16_t p16 = (uint16_t)f->poison;
  memcpy(out,
         f->esize == 8   ? (const void *)&p64
         : f->esize == 4 ? (const void *)&p32
                         : &p16,
         f->esize);
}

static clact_status poison(clact_context *ctx, cl_mem m, const fmt *f, size_t n) {
  unsigned char pattern[ELEM_MAX];
  poison_bytes(f, pattern);
  return (clact_status)clEnqueueFillBuffer(ctx->queue, m, pattern, f->esize, 0, n * f->esize, 0,
                                           NULL, NULL);
}

/* Uploads the raw inputs, poisons the output, runs the kernel in format f, reads the output. */
static clact_status run_raw(clact_context *ctx, device_bufs *b, clact_activation act,
                            clact_direction dir, const fmt *f, const clact_params *params,
                            const void *in0, const void *in1, void *out, size_t n) {
  size_t bytes = n * f->esize;
  cl_int err = clEnqueueWriteBuffer(ctx->queue, b->in0, CL_FALSE, 0, bytes, in0, 0, NULL, NULL);
  if (err == CL_SUCCESS && dir != CLACT_FORWARD)
    err = clEnqueueWriteBuffer(ctx->queue, b->in1, CL_FALSE, 0, bytes, in1, 0, NULL, NULL);
  clact_status st = (clact_status)err;
  if (st == CLACT_SUCCESS)
    st = poison(ctx, b->out, f, n);
  if (st == CLACT_SUCCESS)
    st = clact__launch(ctx, (int)act, dir, f->dtype, params, NULL, 0, n, b->in0, 0,
                       dir == CLACT_FORWARD ? NULL : b->in1, 0, b->out, 0, NULL);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clEnqueueReadBuffer(ctx->queue, b->out, CL_TRUE, 0, bytes, out, 0, NULL,
                                           NULL);
  if (st != CLACT_SUCCESS) /* writes already enqueued read in0/in1: done before they are freed */
    clFinish(ctx->queue);
  return st;
}

/* Runs a chunk whose x/dy hold values of format f: encodes them, runs the kernel of format f,
 * and for the 16-bit formats also the float32 kernel on the same values. */
static clact_status run_chunk(clact_context *ctx, device_bufs *b, clact_activation act,
                              clact_direction dir, const fmt *f, const clact_params *params,
                              chunk *c) {
  if (f->dtype == CLACT_F32)
    return run_raw(ctx, b, act, dir, f, params, c->x, c->dy, c->out, c->n);
  for (size_t i = 0; i < c->n; i++) {
    clact__put_raw(c->raw0, f->esize, i, fmt_encode(f, c->x[i]));
    if (dir != CLACT_FORWARD)
      clact__put_raw(c->raw1, f->esize, i, fmt_encode(f, c->dy[i]));
  }
  clact_status st = run_raw(ctx, b, act, dir, f, params, c->raw0, c->raw1, c->out, c->n);
  if (st == CLACT_SUCCESS)
    st = run_raw(ctx, b, act, dir, &formats[0], params, c->x, c->dy, c->got32, c->n);
  return st;
}

/* ---- input sets ------------------------------------------------------------------------- */
/* A generator fills x[0..n) (and dy) starting at element `first` of its set, with values of
 * the format being checked. */
typedef enum input_set { SET_SWEEP, SET_EDGES, SET_RANDOM, SET_ALL16 } input_set;

typedef struct inputs {
  input_set set;
  clact_activation act;
  const double *p; /* parameters as the kernel sees them */
  const fmt *f;
  uint64_t total;
  unsigned stride;
  uint64_t seed;
  float *edges; /* SET_EDGES: the x values, each repeated for every dy of edge_dy */
  size_t nedges;
  int dy_one;   /* SET_SWEEP: dy = 1 for every input (the exhaustive run's first backward pass) */
  unsigned dup; /* 2 for activations defined by the element index (brelu): every input twice,
                   at an even and an odd index (chunks are even-sized); 0 or 1 otherwise */
} inputs;

static unsigned dup_of(const inputs *in) {
  return in->dup > 1 ? in->dup : 1;
}

static const float edge_dy[] = {1.0f,      -1.0f,     0.5f,         3.0f,         -0.0f,   0.0f,
                                INFINITY,  -INFINITY, NAN,          1e30f,        -1e-30f, FLT_MAX,
                                0x1p-149f, 1e10f,     -0x1.8p-130f, 0x1.234p-127f};
#define EDGE_DY_COUNT (sizeof edge_dy / sizeof edge_dy[0])
/* 16-bit backward: every x with these dy, then DY16_RANDOM random finite ones */
static const float dy16_fixed[] = {1.0f, -1.0f, 0.5f, 3.0f, -0.0f, INFINITY, NAN};
#define DY16_FIXED (sizeof dy16_fixed / sizeof dy16_fixed[0])
#define DY16_RANDOM 3
#define DY16_COUNT (DY16_FIXED + DY16_RANDOM)

/* float32 dy for sweep and random inputs: a quarter exactly 1 (the derivative itself), the
 * rest of random sign and mantissa over a spread of exponents (mostly moderate, some
 * extreme). */
static float dy_for(uint64_t h) {
  unsigned cls = (unsigned)(h & 15);
  if (cls < 4)
    return 1.0f;
  if (cls == 4)
    return -1.0f;
  /* e uniform in [-span, span], span 8, 60 or 126; constant divisors (a multiplication, not a
   * 64-bit division: this runs for every input of the exhaustive sweep) */
  uint64_t v = h >> 8;
  int e = cls < 14 ? (int)(v % 17u) - 8 : cls == 14 ? (int)(v % 121u) - 60 : (int)(v % 253u) - 126;
  uint32_t mant = (uint32_t)(h >> 24) & 0x7FFFFFu;
  uint32_t sign = (uint32_t)(h >> 60) & 1u;
  return u2f((sign << 31) | ((uint32_t)(e + 127) << 23) | mant);
}

/* A random finite value of a 16-bit format. */
static float random16(const fmt *f, uint64_t h) {
  uint32_t bits = (uint32_t)h & 0xFFFFu;
  uint32_t expmask = f->dtype == CLACT_F16 ? 0x7C00u : 0x7F80u;
  if ((bits & expmask) == expmask)
    bits &= ~(expmask & (expmask >> 1)); /* not inf/NaN: clear the top exponent bit */
  return (float)fmt_decode(f, bits);
}

/* Position `pos` of a float32 sweep (inputs times dup): x, and dy = 1 or the hash dy. The
 * generator kernel (kernels/gen_exhaustive.cl) computes the same on the device. */
static inline void sweep_input(const inputs *in, uint64_t pos, float *x, float *dy) {
  uint64_t i = pos / dup_of(in);
  if (in->stride <= 1 && (!dy || in->dy_one)) { /* no hash needed */
    *x = u2f((uint32_t)i);
    if (dy)
      *dy = 1.0f;
    return;
  }
  uint64_t h = mix64(i ^ 0x5DEECE66Dull);
  *x = u2f((uint32_t)(i * in->stride + (in->stride > 1 ? h % in->stride : 0)));
  if (dy) /* (forward: NULL) */
    *dy = in->dy_one ? 1.0f : dy_for(h);
}

/* `first` and k count positions (inputs times dup); a chunk is one call, so k is also the
 * element's index within the call. */
static void generate(const inputs *in, clact_direction dir, uint64_t first, size_t n, float *x,
                     float *dy) {
  for (size_t k = 0; k < n; k++) {
    uint64_t i = (first + k) / dup_of(in);
    uint64_t h = mix64(i ^ 0x5DEECE66Dull);
    float d = 0;
    switch (in->set) {
    case SET_SWEEP:
      sweep_input(in, first + k, &x[k], &d);
      break;
    case SET_EDGES:
      x[k] = in->edges[dir == CLACT_FORWARD ? i : i / EDGE_DY_COUNT];
      d = edge_dy[i % EDGE_DY_COUNT];
      break;
    case SET_RANDOM: {
      uint64_t s = in->seed + i * 0x9E3779B97F4A7C15ull;
      uint64_t v = mix64(s);
      /* half random bit patterns, half uniform in [-24, 24] where the functions bend */
      x[k] =
          (v & 1) ? u2f((uint32_t)(v >> 32)) : (float)(((double)(v >> 11) * 0x1p-53 - 0.5) * 48.0);
      d = dy_for(mix64(s ^ 0xD1B54A32D192ED03ull));
      if (in->f->dtype != CLACT_F32) { /* random values of the 16-bit format */
        x[k] = (float)fmt_round(in->f, x[k]);
        d = (float)fmt_round(in->f, d);
      }
      break;
    }
    case SET_ALL16: {
      uint64_t xi = dir == CLACT_FORWARD ? i : i / DY16_COUNT;
      unsigned di = (unsigned)(i % DY16_COUNT);
      x[k] = (float)fmt_decode(in->f, (uint32_t)xi);
      d = di < DY16_FIXED ? dy16_fixed[di] : random16(in->f, h);
      break;
    }
    }
    if (dir != CLACT_FORWARD)
      dy[k] = d;
    /* Backward-from-output takes what a forward pass stores: y = f(x) rounded to the format. */
    if (dir == CLACT_BACKWARD_FROM_Y)
      x[k] = (float)fmt_round(in->f, clact_reference_forward_at(in->act, (double)x[k], in->p, k));
  }
}

/* Point i of an activation's edge list: the common edges, then its own, then for each
 * parameter the value itself and its ratio to the first parameter. */
static double edge_point(size_t i, const double *common, size_t nc, const double *own, size_t no,
                         const double *p) {
  if (i < nc)
    return common[i];
  if (i < nc + no)
    return own[i - nc];
  size_t k = i - nc - no;
  return k % 2 ? p[k / 2] / (p[0] != 0 ? p[0] : 1.0) : p[k / 2];
}

/* Edge points: the registry-independent list, the activation's own list and its parameter
 * values, each with both signs and 3 ulp either side; then the special values. */
static size_t build_edges(clact_activation act, const double *p, float **out) {
  const double *common, *own;
  size_t nc = clact__ref_common_edges(&common), no = clact__ref_edges(act, &own);
  int np = clact_get_info(act)->nparams;
  size_t npoints = nc + no + (size_t)np * 2;
  static const uint32_t specials[] = {
      0x00000000u, 0x80000000u, 0x00000001u, 0x80000001u, 0x00000002u, 0x007FFFFFu, 0x807FFFFFu,
      0x00800000u, 0x80800000u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x7F7FFFFEu, 0x7F800000u, 0xFF800000u,
      0x7FC00000u, 0xFFC00000u, 0x7FA00000u, 0xFFA00001u, 0x7FC12345u};
  size_t nspecial = sizeof specials / sizeof specials[0];
  float *e = malloc((npoints * 14 + nspecial) * sizeof *e);
  if (!e)
    return 0;
  size_t n = 0;
  for (size_t i = 0; i < npoints; i++) {
    double v = edge_point(i, common, nc, own, no, p);
    for (int sign = -1; sign <= 1; sign += 2) {
      float c = (float)(sign * v);
      float lo = c, hi = c;
      e[n++] = c;
      for (int k = 0; k < 3; k++) {
        lo = nextafterf(lo, -INFINITY);
        hi = nextafterf(hi, INFINITY);
        e[n++] = lo;
        e[n++] = hi;
      }
    }
  }
  for (size_t i = 0; i < nspecial; i++)
    e[n++] = u2f(specials[i]);
  *out = e;
  return n;
}

/* Host memory for one chunk of cap elements. */
static int alloc_chunk(chunk *c, size_t cap) {
  memset(c, 0, sizeof *c);
  c->x = malloc(cap * sizeof(float));
  c->dy = malloc(cap * sizeof(float));
  c->got32 = malloc(cap * sizeof(float));
  c->raw0 = malloc(cap * ELEM_MAX);
  c->raw1 = malloc(cap * ELEM_MAX);
  c->out = malloc(cap * ELEM_MAX);
  return c->x && c->dy && c->got32 && c->raw0 && c->raw1 && c->out;
}

static void free_chunk(chunk *c) {
  free(c->x);
  free(c->dy);
  free(c->got32);
  free(c->raw0);
  free(c->raw1);
  free(c->out);
  memset(c, 0, sizeof *c);
}

/* ---- layout ----------------------------------------------------------------------------- */
#define LAYOUT_N (((size_t)1 << 20) + 3)
#define GUARD 8

typedef struct layout_case {
  size_t n, in_off, out_off;
  int in_place;
} layout_case;

/* Runs one layout case at vector width w and compares it bit for bit with `want` (the
 * canonical results for the first n inputs); the guard zones around the output must still
 * hold the poison. Returns a failure description or NULL. */
static const char *layout_one(clact_context *ctx, clact_activation act, clact_direction dir,
                              const fmt *f, const clact_params *params, unsigned w,
                              const layout_case *c, const chunk *in, const void *want, void *buf,
                              clact_status *st) {
  size_t total = c->out_off + c->n + GUARD;
  if (c->in_off + c->n + GUARD > total)
    total = c->in_off + c->n + GUARD;
  size_t es = f->esize;
  cl_mem m[3];
  const char *fail = NULL;
  *st = create_mems(ctx, total * es, m);
  if (*st != CLACT_SUCCESS)
    return NULL;
  cl_mem in0 = m[0], in1 = m[1], out = m[2];
  /* In place: the output buffer holds the (last) input at the same offset. */
  cl_mem target_in0 = in0, target_in1 = in1;
  size_t off0 = c->in_off;
  size_t off1 = off0;
  *st = poison(ctx, out, f, total);
  if (*st == CLACT_SUCCESS && c->n) {
    const void *src = dir == CLACT_FORWARD ? in->raw0 : in->raw1;
    cl_mem dst = c->in_place ? out : (dir == CLACT_FORWARD ? in0 : in1);
    size_t at = c->in_place ? c->out_off : c->in_off;
    cl_int err =
        clEnqueueWriteBuffer(ctx->queue, dst, CL_FALSE, at * es, c->n * es, src, 0, NULL, NULL);
    if (err == CL_SUCCESS && dir != CLACT_FORWARD)
      err = clEnqueueWriteBuffer(ctx->queue, in0, CL_FALSE, c->in_off * es, c->n * es, in->raw0, 0,
                                 NULL, NULL);
    *st = (clact_status)err;
    if (c->in_place) {
      if (dir == CLACT_FORWARD)
        target_in0 = out, off0 = c->out_off;
      else
        target_in1 = out, off1 = c->out_off;
    }
  }
  if (*st == CLACT_SUCCESS)
    *st = clact__launch(ctx, (int)act, dir, f->dtype, params, NULL, w, c->n, target_in0, off0,
                        dir == CLACT_FORWARD ? NULL : target_in1, off1, out, c->out_off, NULL);
  if (*st == CLACT_SUCCESS)
    *st = (clact_status)clEnqueueReadBuffer(ctx->queue, out, CL_TRUE, 0, total * es, buf, 0, NULL,
                                            NULL);
  unsigned char pat[ELEM_MAX];
  poison_bytes(f, pat);
  for (size_t k = 0; *st == CLACT_SUCCESS && k < total && !fail; k++) {
    int inside = k >= c->out_off && k < c->out_off + c->n;
    const unsigned char *got = (const unsigned char *)buf + k * es;
    if (inside && want && memcmp(got, (const unsigned char *)want + (k - c->out_off) * es, es) != 0)
      fail = "result differs from the canonical run";
    else if (!inside && memcmp(got, pat, es) != 0)
      fail = "memory outside the output range was written";
  }
  if (*st != CLACT_SUCCESS) /* enqueued writes read the inputs: done before they are freed */
    clFinish(ctx->queue);
  release_mems(m, 3);
  return fail;
}

/* judges n outputs of the layout inputs (f64: per-width canonical runs) */
typedef void (*layout_judge)(void *u, const void *out, size_t n, clact_check_result *res);
static clact_status layout_cases(clact_context *ctx, clact_activation act, clact_direction dir,
                                 const fmt *f, const clact_params *params, int all_widths,
                                 const chunk *cc, void *buf, clact_check_result *res,
                                 layout_judge judge, void *ju);

static clact_status check_layout(clact_context *ctx, clact_activation act, clact_direction dir,
                                 const clact_params *params, const judge_ctx *j, int all_widths,
                                 clact_check_result *res) {
  const fmt *f = j->f;
  size_t n = LAYOUT_N;
  chunk c;
  void *buf = malloc((n + 64) * ELEM_MAX);
  clact_status st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  if (!alloc_chunk(&c, n) || !buf)
    goto done;
  c.n = n;
  inputs in = {SET_RANDOM, act, j->p, f, n, 1, 0x1A7E57ull, NULL, 0, 0, 1};
  generate(&in, dir, 0, n, c.x, c.dy);
  /* canonical: out of place, offsets 0, the context's width; judged like any other result */
  device_bufs b = {0};
  cl_mem m[3];
  st = create_mems(ctx, n * ELEM_MAX, m);
  if (st == CLACT_SUCCESS) {
    b = (device_bufs){m[0], m[1], m[2], n};
    st = run_chunk(ctx, &b, act, dir, f, params, &c);
    release_mems(m, 3);
  }
  if (st != CLACT_SUCCESS)
    goto done;
  judge_all(res, j, &c);
  if (f->dtype == CLACT_F32) { /* the raw inputs of the layout runs */
    memcpy(c.raw0, c.x, n * sizeof(float));
    memcpy(c.raw1, c.dy, n * sizeof(float));
  }
  st = layout_cases(ctx, act, dir, f, params, all_widths, &c, buf, res, NULL, NULL);
done:
  free_chunk(&c);
  free(buf);
  return st;
}

/* The layout cases against the canonical results c->out of the raw inputs c->raw0 (x or y)
 * and c->raw1 (dy), for the first n <= LAYOUT_N elements; buf: room for LAYOUT_N + 64. */
static clact_status layout_cases(clact_context *ctx, clact_activation act, clact_direction dir,
                                 const fmt *f, const clact_params *params, int all_widths,
                                 const chunk *cc, void *buf, clact_check_result *res,
                                 layout_judge judge, void *ju) {
  clact_status st = CLACT_SUCCESS;
  /* With a judge (f64, computed with the device's built-ins, whose scalar and vector forms may
   * differ in the last bits), each width has its own canonical run - the full LAYOUT_N inputs,
   * out of place, offset 0 - judged against the reference; every other case of that width must
   * be bit-identical to it. Without, the canonical results cc->out serve every width. */
  void *wbuf = judge ? malloc(LAYOUT_N * f->esize) : NULL;
  if (judge && !wbuf)
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  const void *want = cc->out;
  static const size_t sizes[] = {0, 1, 3, 7, 93, 4096, LAYOUT_N};
  static const size_t offs[][2] = {{0, 0}, {1, 3}, {7, 2}};
  /* f32 and f64: width 1 (the scalar path) against the context's (the canonical run's: 8 on a
   * CPU); f16 and bf16: the context's width only. With all_widths every width the library
   * offers. Each width is a program to compile (most of a kernel test's time on PoCL), and the
   * width-dependent code - loads, stores, tail gathers - is the prelude's, shared by every
   * activation, while each activation's math is one width-generic source, the same for f32,
   * f16 and bf16 (f64 has its own): unit/widths checks all widths on representative
   * activations of every dtype, and the f32 tests the scalar form of every activation's math. */
  static const unsigned widths[] = {1, 2, 4, 8, 16};
  size_t nwidths = all_widths ? 5 : 1;
  unsigned own =
      f->dtype == CLACT_F16 || f->dtype == CLACT_BF16 ? clact_context_vector_width(ctx) : 1;
  for (size_t wi = 0; wi < nwidths && st == CLACT_SUCCESS; wi++) {
    unsigned w = all_widths ? widths[wi] : own;
    if (judge) {
      layout_case lc0 = {LAYOUT_N, 0, 0, 0};
      const char *fail = layout_one(ctx, act, dir, f, params, w, &lc0, cc, NULL, buf, &st);
      if (st != CLACT_SUCCESS)
        break;
      memcpy(wbuf, buf, LAYOUT_N * f->esize);
      judge(ju, wbuf, LAYOUT_N, res);
      want = wbuf;
      if (fail && !res->failures)
        snprintf(res->message, sizeof res->message, "layout: %s (vector width %u)", fail, w);
      res->failures += fail != NULL;
    }
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0] && st == CLACT_SUCCESS; si++) {
      for (size_t oi = 0; oi < sizeof offs / sizeof offs[0] && st == CLACT_SUCCESS; oi++) {
        for (int ip = 0; ip < 2 && st == CLACT_SUCCESS; ip++) {
          /* in place only at matching offsets (in = out), every size, two offsets */
          if (ip && oi == 2)
            continue;
          layout_case lc = {sizes[si], offs[oi][0], ip ? offs[oi][0] : offs[oi][1], ip};
          const char *fail = layout_one(ctx, act, dir, f, params, w, &lc, cc, want, buf, &st);
          if (st != CLACT_SUCCESS)
            break;
          if (fail) {
            if (!res->failures)
              snprintf(res->message, sizeof res->message,
                       "layout: %s (n=%zu, in offset %zu, out offset %zu, %s, vector width %u)",
                       fail, lc.n, lc.in_off, lc.out_off, ip ? "in place" : "out of place", w);
            res->failures++;
          }
        }
      }
    }
  }
  free(wbuf);
  return st;
}

/* ---- the check -------------------------------------------------------------------------- */
typedef struct progress_ctx {
  void (*fn)(double, void *);
  void *user;
  uint64_t done, total;
} progress_ctx;

static void advance(progress_ctx *pc, uint64_t n) {
  pc->done += n;
  if (pc->fn && pc->total)
    pc->fn(pc->done >= pc->total ? 1.0 : (double)pc->done / (double)pc->total, pc->user);
}

static clact_status run_set(clact_context *ctx, device_bufs *b, const inputs *in,
                            clact_direction dir, const clact_params *params, const judge_ctx *j,
                            clact_check_result *res, chunk *c, progress_ctx *pc) {
  uint64_t total = in->total * dup_of(in);
  for (uint64_t first = 0; first < total; first += b->cap) {
    c->n = (size_t)(total - first < b->cap ? total - first : b->cap);
    generate(in, dir, first, c->n, c->x, c->dy);
    clact_status st = run_chunk(ctx, b, in->act, dir, in->f, params, c);
    if (st != CLACT_SUCCESS)
      return st;
    if (j->digest) {
      fold_digest(res, c->out, in->f->esize, c->n);
    } else {
      clact_check_result part;
      memset(&part, 0, sizeof part);
      judge_all(&part, j, c);
      merge_result(res, &part);
    }
    advance(pc, c->n);
  }
  return CLACT_SUCCESS;
}

/* ---- the float32 sweep, pipelined ---------------------------------------------------------
 * The sweep (all 2^32 inputs with --exhaustive) as a two-slot pipeline: while the host judges
 * chunk k on all cores, the device computes chunk k+1. Inputs are generated on the device by
 * kernels/gen_exhaustive.cl (no upload) and recomputed on the host from the position when
 * judged; backward from y, whose inputs are the reference's rounded f(x), has them generated on
 * the host (on all cores) and uploaded. Every position is judged, exactly as run_set would. */
#define PROBE 64 /* device inputs compared with the host's at each end of every chunk */

typedef struct sweep_slot {
  cl_mem in0, in1, out;
  float *x, *dy;               /* host-generated inputs (from y), else NULL */
  uint32_t *got;               /* the device's results */
  uint32_t probe[2][2][PROBE]; /* device-generated inputs: [x, dy][head, tail] */
  cl_event read;               /* the results' read: the chunk is done */
  uint64_t first;              /* position of element 0 */
  size_t n;
} sweep_slot;

typedef struct sweep_job {
  const judge_ctx *j;
  const inputs *in;
  const sweep_slot *s;
  size_t begin, end; /* generate: even, so k keeps the position's parity */
  int generate;
  clact_check_result r;
} sweep_job;

static int sweep_worker(void *arg) {
  sweep_job *job = arg;
  const sweep_slot *s = job->s;
  const judge_ctx *j = job->j;
  memset(&job->r, 0, sizeof job->r);
  if (job->generate) {
    generate(job->in, j->dir, s->first + job->begin, job->end - job->begin, s->x + job->begin,
             s->dy + job->begin);
    return 0;
  }
  /* one loop per direction and input source: no per-element dispatch beyond the reference's */
  if (j->dir == CLACT_FORWARD && !s->x) {
    for (size_t i = job->begin; i < job->end; i++) {
      float x;
      sweep_input(job->in, s->first + i, &x, NULL);
      judge_forward(&job->r, j, x, s->got[i], 0.0f, i);
    }
  } else if (!s->x) {
    for (size_t i = job->begin; i < job->end; i++) {
      float x, dy;
      double mag;
      sweep_input(job->in, s->first + i, &x, &dy);
      double d = reference_derivative(j, x, i, &mag);
      if (!judge_backward_tiny(&job->r, j, dy, s->got[i], d, mag))
        judge_backward_d(&job->r, j, x, dy, s->got[i], 0.0f, d, mag, i);
    }
  } else if (j->dir == CLACT_FORWARD) {
    for (size_t i = job->begin; i < job->end; i++)
      judge_forward(&job->r, j, s->x[i], s->got[i], 0.0f, i);
  } else {
    for (size_t i = job->begin; i < job->end; i++) {
      double mag;
      double d = reference_derivative(j, s->x[i], i, &mag);
      if (!judge_backward_tiny(&job->r, j, s->dy[i], s->got[i], d, mag))
        judge_backward_d(&job->r, j, s->x[i], s->dy[i], s->got[i], 0.0f, d, mag, i);
    }
  }
  return 0;
}

/* Runs the jobs of one slot on all cores (generate or judge); merges judged results into r. */
static void sweep_parallel(const judge_ctx *j, const inputs *in, const sweep_slot *s, int gen,
                           clact_check_result *r) {
  sweep_job jobs[MAX_THREADS] = {0}; /* (every used one is set below; nt >= 1) */
  thrd_t th[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  int nt = s->n < 65536 ? 1 : thread_count();
  for (int t = 0; t < nt; t++) {
    size_t b = s->n * (size_t)t / (size_t)nt, e = s->n * (size_t)(t + 1) / (size_t)nt;
    if (t + 1 < nt)
      e &= ~(size_t)1; /* even boundaries (n is even but at the end of a set) */
    if (t > 0)
      b &= ~(size_t)1;
    jobs[t] = (sweep_job){j, in, s, b, e, gen, {0}};
    started[t] = t > 0 && thrd_create(&th[t], sweep_worker, &jobs[t]) == thrd_success;
  }
  sweep_worker(&jobs[0]);
  for (int t = 1; t < nt; t++) {
    if (started[t])
      thrd_join(th[t], NULL);
    else
      sweep_worker(&jobs[t]);
  }
  if (!gen)
    for (int t = 0; t < nt; t++)
      merge_result(r, &jobs[t].r);
}

/* The generator kernel of a context: built (or loaded from the program cache) per sweep. A
 * kernel directory without its source (CLACT_KERNEL_DIR of a test that holds only the kernels it
 * breaks) leaves *k NULL: the host then generates the same inputs and uploads them. */
static clact_status gen_kernel(clact_context *ctx, cl_program *prog, cl_kernel *k) {
  *prog = NULL;
  *k = NULL;
  mtx_lock(&ctx->lock);
  clact_status st = clact__build_extra(ctx, "gen_exhaustive.cl", CLACT_F32, 1, "", prog);
  mtx_unlock(&ctx->lock);
  if (st == CLACT_ERROR_KERNEL_SOURCE)
    return CLACT_SUCCESS;
  if (st != CLACT_SUCCESS)
    return st;
  cl_int err;
  *k = clCreateKernel(*prog, "clact_gen_sweep", &err);
  if (err != CL_SUCCESS) {
    clReleaseProgram(*prog);
    *prog = NULL;
    *k = NULL;
  }
  return (clact_status)err;
}

/* Enqueues chunk `first` of the sweep into slot s: inputs (generated on the device, or on the
 * host and written), the poison, the activation's kernel, the reads; flushes. */
static clact_status sweep_enqueue(clact_context *ctx, cl_kernel gen, const inputs *in,
                                  clact_direction dir, const clact_params *params,
                                  const judge_ctx *j, sweep_slot *s, uint64_t first, uint64_t total,
                                  size_t cap) {
  s->first = first;
  s->n = (size_t)(total - first < cap ? total - first : cap);
  size_t bytes = s->n * sizeof(float);
  cl_int err = CL_SUCCESS;
  if (!gen) {
    sweep_parallel(j, in, s, 1, NULL);
    err = clEnqueueWriteBuffer(ctx->queue, s->in0, CL_FALSE, 0, bytes, s->x, 0, NULL, NULL);
    if (err == CL_SUCCESS && dir != CLACT_FORWARD)
      err = clEnqueueWriteBuffer(ctx->queue, s->in1, CL_FALSE, 0, bytes, s->dy, 0, NULL, NULL);
  } else {
    cl_ulong f = first, n = s->n;
    cl_uint dup_shift = dup_of(in) > 1 ? 1 : 0, stride = in->stride;
    cl_uint dy_mode = dir == CLACT_FORWARD ? 0 : in->dy_one ? 1 : 2;
    /* (as launch.c: a failed argument is CL_INVALID_KERNEL_ARGS, whatever the driver said) */
    cl_int a = clSetKernelArg(gen, 0, sizeof(cl_mem), &s->in0);
    a |= clSetKernelArg(gen, 1, sizeof(cl_mem), &s->in1);
    a |= clSetKernelArg(gen, 2, sizeof f, &f);
    a |= clSetKernelArg(gen, 3, sizeof n, &n);
    a |= clSetKernelArg(gen, 4, sizeof dup_shift, &dup_shift);
    a |= clSetKernelArg(gen, 5, sizeof stride, &stride);
    a |= clSetKernelArg(gen, 6, sizeof dy_mode, &dy_mode);
    err = a != CL_SUCCESS ? CL_INVALID_KERNEL_ARGS : CL_SUCCESS;
    size_t local = 64, global = (s->n + local - 1) / local * local;
    if (err == CL_SUCCESS)
      err = clEnqueueNDRangeKernel(ctx->queue, gen, 1, NULL, &global, &local, 0, NULL, NULL);
    /* both ends of the generated inputs, for the comparison with the host's */
    size_t m = s->n < PROBE ? s->n : PROBE;
    for (int b = 0; b < (dir == CLACT_FORWARD ? 1 : 2) && err == CL_SUCCESS; b++)
      for (int end = 0; end < 2 && err == CL_SUCCESS; end++)
        err = clEnqueueReadBuffer(ctx->queue, b ? s->in1 : s->in0, CL_FALSE,
                                  end ? (s->n - m) * sizeof(float) : 0, m * sizeof(float),
                                  s->probe[b][end], 0, NULL, NULL);
  }
  clact_status st = (clact_status)err;
  if (st == CLACT_SUCCESS)
    st = poison(ctx, s->out, in->f, s->n);
  if (st == CLACT_SUCCESS)
    st = clact__launch(ctx, (int)in->act, dir, CLACT_F32, params, NULL, 0, s->n, s->in0, 0,
                       dir == CLACT_FORWARD ? NULL : s->in1, 0, s->out, 0, NULL);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clEnqueueReadBuffer(ctx->queue, s->out, CL_FALSE, 0, bytes, s->got, 0, NULL,
                                           &s->read);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clFlush(ctx->queue);
  return st;
}

/* The device-generated inputs of a finished chunk against the host's: all of them on the
 * first chunk (one blocking read), both ends of every chunk. A difference is a failure. */
static clact_status sweep_verify(clact_context *ctx, const inputs *in, clact_direction dir,
                                 const sweep_slot *s, int all, clact_check_result *res) {
  size_t m = s->n < PROBE ? s->n : PROBE;
  int nb = dir == CLACT_FORWARD ? 1 : 2;
  uint32_t *dev[2] = {NULL, NULL};
  clact_status st = CLACT_SUCCESS;
  for (int b = 0; all && b < nb && st == CLACT_SUCCESS; b++) {
    dev[b] = malloc(s->n * sizeof(uint32_t));
    st = dev[b] ? (clact_status)clEnqueueReadBuffer(ctx->queue, b ? s->in1 : s->in0, CL_TRUE, 0,
                                                    s->n * sizeof(uint32_t), dev[b], 0, NULL, NULL)
                : (clact_status)CL_OUT_OF_HOST_MEMORY;
  }
  size_t bad = SIZE_MAX;
  for (size_t k = 0; st == CLACT_SUCCESS && k < s->n && bad == SIZE_MAX; k++) {
    int head = k < m, tail = k >= s->n - m;
    if (!all && !head && !tail) {
      k = s->n - m - 1; /* to the tail */
      continue;
    }
    float x, dy;
    sweep_input(in, s->first + k, &x, &dy);
    uint32_t want[2] = {f2u(x), f2u(dy)};
    for (int b = 0; b < nb; b++) {
      uint32_t got = all ? dev[b][k] : head ? s->probe[b][0][k] : s->probe[b][1][k - (s->n - m)];
      if (got != want[b])
        bad = k;
    }
  }
  if (bad != SIZE_MAX) {
    if (!res->failures)
      snprintf(res->message, sizeof res->message,
               "the device-generated sweep inputs differ from the host's at position %llu "
               "(kernels/gen_exhaustive.cl against sweep_input())",
               (unsigned long long)s->first + (unsigned long long)bad);
    res->failures++;
  }
  free(dev[0]);
  free(dev[1]);
  return st;
}

static clact_status run_sweep32(clact_context *ctx, const inputs *in, clact_direction dir,
                                const clact_params *params, const judge_ctx *j,
                                clact_check_result *res, size_t cap, progress_ctx *pc) {
  uint64_t total = in->total * dup_of(in);
  cl_program prog = NULL;
  cl_kernel gen = NULL;
  clact_status st = CLACT_SUCCESS;
  if (dir != CLACT_BACKWARD_FROM_Y)
    st = gen_kernel(ctx, &prog, &gen);
  sweep_slot slots[2];
  memset(slots, 0, sizeof slots);
  for (int i = 0; i < 2 && st == CLACT_SUCCESS; i++) {
    cl_mem m[3] = {NULL, NULL, NULL};
    st = create_mems(ctx, cap * sizeof(float), m);
    slots[i].in0 = m[0], slots[i].in1 = m[1], slots[i].out = m[2];
    slots[i].got = malloc(cap * sizeof(uint32_t));
    if (!gen) {
      slots[i].x = malloc(cap * sizeof(float));
      slots[i].dy = malloc(cap * sizeof(float));
    }
    if (st == CLACT_SUCCESS && (!slots[i].got || (!gen && (!slots[i].x || !slots[i].dy))))
      st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  }
  if (st == CLACT_SUCCESS && total)
    st = sweep_enqueue(ctx, gen, in, dir, params, j, &slots[0], 0, total, cap);
  uint64_t first = 0;
  for (size_t c = 0; st == CLACT_SUCCESS && first < total; c++, first += cap) {
    sweep_slot *s = &slots[c & 1];
    if (first + cap < total) /* the next chunk runs on the device while this one is judged */
      st =
          sweep_enqueue(ctx, gen, in, dir, params, j, &slots[(c + 1) & 1], first + cap, total, cap);
    cl_int err = clWaitForEvents(1, &s->read);
    clReleaseEvent(s->read);
    s->read = NULL;
    if (st == CLACT_SUCCESS)
      st = (clact_status)err;
    if (st == CLACT_SUCCESS && gen)
      st = sweep_verify(ctx, in, dir, s, c == 0, res);
    if (st != CLACT_SUCCESS)
      break;
    if (j->digest) {
      fold_digest(res, s->got, sizeof(uint32_t), s->n);
    } else {
      clact_check_result part;
      memset(&part, 0, sizeof part);
      sweep_parallel(j, in, s, 0, &part);
      merge_result(res, &part);
    }
    advance(pc, s->n);
  }
  if (st != CLACT_SUCCESS) /* enqueued commands may still use the slots (on success every one
                             has completed: the last read was waited for, the queue is in order) */
    clFinish(ctx->queue);
  for (int i = 0; i < 2; i++) {
    if (slots[i].read)
      clReleaseEvent(slots[i].read);
    cl_mem m[3] = {slots[i].in0, slots[i].in1, slots[i].out};
    release_mems(m, 3);
    free(slots[i].got);
    free(slots[i].x);
    free(slots[i].dy);
  }
  if (gen)
    clReleaseKernel(gen);
  if (prog)
    clReleaseProgram(prog);
  return st;
}

/* ---- float64 ----------------------------------------------------------------------------
 * ACCURACY.md's float64 bound, relative error <= 2^-45, read as: forward |y - r| <= 2^-45
 * max(|r|, 2^-1022) (the floor: the same relative bound at DBL_MIN, 256 subnormal ulps, as the
 * float32 unit stops at the smallest subnormal); backward, float32's rule with u = 2^-53:
 * |dx - dx_ref| <= 2^-45 max(|dx_ref|, 2^-1022) + 4 2^-53 |dy| M(x), plus |dy| 2^-1060 where the
 * reference's own f'(x) is below DBL_MIN: a double resolves it only to its subnormal steps, and
 * the reference's forms multiply those by factors up to ~2^10 (x sigma'(x) at x = -745; a
 * nonzero f' that underflows is returned as the smallest double, reference.c's nonzero()); an
 * infinite dy there must give the infinity of dy f'. Where f' is beyond the double range (the
 * reference returns DBL_MAX) only what that proves is demanded: |dx| >= |dy| DBL_MAX
 * (1 - 2^-45), with the sign of dy f' (0 for dy = 0). max_err is the error
 * in units of the bound (pass: <= 1). Inputs: every exponent of both signs with random
 * significands, the special values, the edge lists (3 doubles either side), random values. */
#define F64_REL 0x1p-45
#define F64_FLOOR 0x1p-1022
#define F64_DER_FLOOR 0x1p-1060 /* the reference's resolution of a subnormal f' */
/* sweep: significands per (sign, exponent): 16384 / stride (64 at the default stride 256) */
#define F64_PER_EXPONENT per_exp

static uint64_t d2u(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}
static double u2d(uint64_t u) {
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

static const double edge_dy64[] = {
    1.0,   -1.0,    0.5,     3.0,       -0.0, 0.0,          INFINITY,      -INFINITY, NAN,
    1e300, -1e-300, DBL_MAX, 0x1p-1074, 1e10, -0x1.8p-1030, 0x1.234p-1020, 1e-10};
#define EDGE_DY64_COUNT (sizeof edge_dy64 / sizeof edge_dy64[0])

/* dy for sweep and random inputs: a quarter exactly 1, the rest of random sign and significand
 * over a spread of exponents (mostly moderate, some extreme). */
static double dy_for64(uint64_t h) {
  unsigned cls = (unsigned)(h & 15);
  if (cls < 4)
    return 1.0;
  if (cls == 4)
    return -1.0;
  int span = cls < 14 ? 8 : cls == 14 ? 200 : 1000;
  int e = (int)((h >> 8) % (uint64_t)(2 * span + 1)) - span;
  uint64_t mant = mix64(h) & 0xFFFFFFFFFFFFFull;
  uint64_t sign = (h >> 63) & 1u;
  return u2d((sign << 63) | ((uint64_t)(e + 1023) << 52) | mant);
}

typedef struct judge64 {
  clact_activation act;
  clact_direction dir;
  const double *p;
  int ftz; /* the device flushes double subnormals: ACCURACY.md's relaxation */
} judge64;

/* Error of got against the exact value in units of the bound, for dy*f' (dir != forward) or f. */
static double err64_fwd(double got, double ref) {
  if (isnan(ref) || isnan(got))
    return isnan(ref) && isnan(got) ? 0.0 : INFINITY;
  if (isinf(got) && isfinite(ref) && (got < 0) == (ref < 0) && fabs(ref) * (1 + F64_REL) >= DBL_MAX)
    return 0.0; /* the bound reaches beyond the largest double: overflow conforms */
  if (isinf(ref) || isinf(got))
    return got == ref ? 0.0 : INFINITY;
  if (ref == 0 && got == 0 && !signbit(ref) != !signbit(got))
    return INFINITY;
  double r = fabs(ref);
  return fabs(got - ref) / (F64_REL * (r > F64_FLOOR ? r : F64_FLOOR));
}

static double err64_bwd(double got, double dy, double d, double mag) {
  double ref = dy * d;
  if (isnan(got) || isnan(ref))
    return isnan(got) && isnan(ref) ? 0.0 : INFINITY;
  double sgn = (signbit(dy) != signbit(d)) ? -1.0 : 1.0;
  if (fabs(d) == DBL_MAX) { /* marker: |f'| > DBL_MAX */
    if (dy == 0)
      return got == 0 ? 0.0 : INFINITY;
    if ((got < 0) != (sgn < 0))
      return INFINITY;
    return fabs(got) >= fabs(dy) * DBL_MAX * (1 - F64_REL) ? 0.0 : INFINITY;
  }
  double tolm = 4 * 0x1p-53 * fabs(dy) * mag;
  if (isinf(dy) && fabs(d) <= 4 * 0x1p-53 * mag && (isinf(got) || isnan(got)))
    return 0.0; /* at a root of f' (see judge_backward) */
  double r = fabs(ref);
  double tol = F64_REL * (r > F64_FLOOR ? r : F64_FLOOR) + tolm;
  if (isinf(got) && isfinite(ref) && (got < 0) == (ref < 0) && r + tol >= DBL_MAX)
    return 0.0; /* the bound reaches beyond the largest double: overflow conforms */
  if (isinf(ref) || isinf(got))
    return got == ref ? 0.0 : INFINITY;
  if (d != 0 && fabs(d) < DBL_MIN) {
    if (isinf(dy)) /* a nonzero f' (however small) times an infinite dy */
      return got == sgn * INFINITY ? 0.0 : INFINITY;
    tol += fabs(dy) * F64_DER_FLOOR;
  }
  return fabs(got - ref) / tol;
}

static double ref_d64(const judge64 *j, double x, uint64_t index, double *mag) {
  *mag = 0;
  return j->dir == CLACT_BACKWARD_FROM_Y
             ? clact_reference_derivative_from_y_at(j->act, x, j->p, index, mag)
             : clact_reference_derivative_at(j->act, x, j->p, index, mag);
}

static double judge_one64(const judge64 *j, double x, double dy, double got, uint64_t index,
                          double *ref_out) {
  double err;
  if (j->dir == CLACT_FORWARD) {
    double ref = clact_reference_forward_at(j->act, x, j->p, index);
    *ref_out = ref;
    err = err64_fwd(got, ref);
  } else {
    double mag;
    double d = ref_d64(j, x, index, &mag);
    *ref_out = dy * d;
    err = err64_bwd(got, dy, d, mag);
  }
  if (err > 1 && j->ftz) { /* OpenCL's flush to zero: subnormal inputs as +-0, results below
                              DBL_MIN flushed */
    double xs[3] = {x, 0.0, -0.0}, dys[3] = {dy, 0.0, -0.0};
    int nx = x != 0 && fabs(x) < DBL_MIN ? 3 : 1;
    int nd = j->dir != CLACT_FORWARD && dy != 0 && fabs(dy) < DBL_MIN ? 3 : 1;
    for (int a = 0; a < nx; a++)
      for (int b = 0; b < nd; b++) {
        double e2, r2;
        if (j->dir == CLACT_FORWARD) {
          r2 = clact_reference_forward_at(j->act, xs[a], j->p, index);
          e2 = err64_fwd(got, r2);
        } else {
          double mag;
          double d = ref_d64(j, xs[a], index, &mag);
          r2 = dys[b] * d;
          e2 = err64_bwd(got, dys[b], d, mag);
        }
        if (e2 <= 1 || (got == 0 && fabs(r2) < DBL_MIN))
          return 0.0;
      }
  }
  return err;
}

typedef struct job64 {
  const judge64 *j;
  const double *x, *dy, *out;
  size_t begin, end;
  clact_check_result r;
} job64;

static void record64(clact_check_result *r, const judge64 *j, double err, const char *why, double x,
                     double dy, double got, double ref) {
  r->count++;
  r->histogram[histogram_bin(err)]++;
  int fail = why != NULL;
  int take = fail ? r->failures == 0 : r->failures == 0 && (err > r->max_err || r->count == 1);
  if (take) {
    r->worst_x = x;
    r->worst_dy = dy;
    r->worst_got = got;
    r->worst_ref = ref;
    memcpy(r->worst_p, j->p, sizeof r->worst_p);
  }
  if (fail && r->failures == 0) {
    if (j->dir == CLACT_FORWARD)
      snprintf(r->message, sizeof r->message,
               "%s: x=%.17g (0x%016llx): got %.17g (0x%016llx), expected %.17g", why, x,
               (unsigned long long)d2u(x), got, (unsigned long long)d2u(got), ref);
    else
      snprintf(r->message, sizeof r->message,
               "%s: %s=%.17g (0x%016llx) dy=%.17g: got %.17g (0x%016llx), expected %.17g", why,
               j->dir == CLACT_BACKWARD_FROM_Y ? "y" : "x", x, (unsigned long long)d2u(x), dy, got,
               (unsigned long long)d2u(got), ref);
  }
  if (fail)
    r->failures++;
  if (err > r->max_err)
    r->max_err = err;
}

static int worker64(void *arg) {
  job64 *job = arg;
  const judge64 *j = job->j;
  memset(&job->r, 0, sizeof job->r);
  clact__ref_set_f64(1);
  for (size_t i = job->begin; i < job->end; i++) {
    double got = job->out[i], ref = 0;
    double x = job->x[i], dy = j->dir == CLACT_FORWARD ? 0.0 : job->dy[i];
    double err = INFINITY;
    const char *why = NULL;
    if (isnan(got) && !(d2u(got) & 0x0008000000000000ull)) {
      why = "unwritten element or signaling NaN output";
    } else {
      err = judge_one64(j, x, dy, got, i, &ref);
      if (isinf(err))
        why = "wrong class (NaN/inf vs number, sign of zero or a bound the reference proves)";
      else if (err > 1)
        why = "error above the bound";
    }
    record64(&job->r, j, err, why, x, dy, got, ref);
  }
  clact__ref_set_f64(0);
  return 0;
}

static void judge_all64(clact_check_result *r, const judge64 *j, const double *x, const double *dy,
                        const double *out, size_t n) {
  job64 jobs[MAX_THREADS] = {0}; /* (every used one is set below; nt >= 1) */
  thrd_t th[MAX_THREADS];
  int nt = n < 16384 ? 1 : thread_count();
  int started[MAX_THREADS] = {0};
  for (int t = 0; t < nt; t++) {
    jobs[t] =
        (job64){j, x, dy, out, n * (size_t)t / (size_t)nt, n * (size_t)(t + 1) / (size_t)nt, {0}};
    started[t] = t > 0 && thrd_create(&th[t], worker64, &jobs[t]) == thrd_success;
  }
  worker64(&jobs[0]);
  for (int t = 1; t < nt; t++) {
    if (started[t])
      thrd_join(th[t], NULL);
    else
      worker64(&jobs[t]);
  }
  for (int t = 0; t < nt; t++)
    merge_result(r, &jobs[t].r);
}

/* The f64 inputs of one parameter set: x (and dy) for position i of a set of `total`. */
typedef struct inputs64 {
  input_set set;
  uint64_t seed;
  const double *edges; /* SET_EDGES: x values, each with every dy of edge_dy64 */
  size_t nedges;
  unsigned dup;
  unsigned stride; /* SET_SWEEP: every stride-th sample (alternative parameter sets) */
} inputs64;

static const uint64_t specials64[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x8000000000000001ull,
    0x000FFFFFFFFFFFFFull, 0x800FFFFFFFFFFFFFull, 0x0010000000000000ull, 0x8010000000000000ull,
    0x7FEFFFFFFFFFFFFFull, 0xFFEFFFFFFFFFFFFFull, 0x7FF0000000000000ull, 0xFFF0000000000000ull,
    0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF4000000000000ull, 0xFFF0000000000001ull,
    0x7FF8123456789ABCull, 0x3FF0000000000000ull, 0xBFF0000000000000ull};
#define NSPECIAL64 (sizeof specials64 / sizeof specials64[0])
/* sweep: both signs x 2047 exponents x F64_PER_EXPONENT significands, then the specials */
#define SWEEP64 ((uint64_t)2 * 2047 * F64_PER_EXPONENT + NSPECIAL64)
static _Thread_local uint64_t per_exp = 64;

static void generate64(const inputs64 *in, const judge64 *j, uint64_t first, size_t n, double *x,
                       double *dy) {
  unsigned dup = in->dup > 1 ? in->dup : 1;
  for (size_t k = 0; k < n; k++) {
    uint64_t i = (first + k) / dup;
    uint64_t h = mix64(i ^ 0x5DEECE66Dull ^ in->seed);
    double v = 0, d = 1;
    switch (in->set) {
    case SET_SWEEP: {
      uint64_t st = in->stride > 1 ? in->stride : 1, ns = (SWEEP64 - NSPECIAL64) / st;
      if (i < ns) {
        i = i * st + (st > 1 ? h % st : 0);
        uint64_t sign = i / (2047 * F64_PER_EXPONENT), e = (i / F64_PER_EXPONENT) % 2047;
        uint64_t mant = (i % F64_PER_EXPONENT) == 0 ? 0 : mix64(h) & 0xFFFFFFFFFFFFFull;
        v = u2d(sign << 63 | e << 52 | mant); /* e = 0: subnormals (and +-0) */
      } else {
        v = u2d(specials64[i - ns]);
      }
      d = dy_for64(h);
      break;
    }
    case SET_EDGES:
      v = in->edges[j->dir == CLACT_FORWARD ? i : i / EDGE_DY64_COUNT];
      d = edge_dy64[i % EDGE_DY64_COUNT];
      break;
    default: { /* random: half random finite bit patterns, half uniform in [-48, 48] */
      uint64_t r = mix64(in->seed + i * 0x9E3779B97F4A7C15ull);
      if (r & 1) {
        v = u2d(mix64(r));
        if (!isfinite(v))
          v = u2d(d2u(v) & ~0x4000000000000000ull);
      } else {
        v = ((double)(r >> 11) * 0x1p-53 - 0.5) * 96.0 + (double)(mix64(r) >> 11) * 0x1p-80;
      }
      d = dy_for64(mix64(r ^ 0xD1B54A32D192ED03ull));
      break;
    }
    }
    /* backward from y: y = f(x) as a forward pass stores it */
    x[k] = j->dir == CLACT_BACKWARD_FROM_Y ? clact_reference_forward_at(j->act, v, j->p, k) : v;
    if (j->dir != CLACT_FORWARD)
      dy[k] = d;
  }
}

/* Edge points as doubles: the common and own lists and the parameters, both signs, 3 doubles
 * either side; the float32 neighbours of each too (the edge lists are float32 thresholds). */
static size_t build_edges64(clact_activation act, const double *p, double **out) {
  const double *common, *own;
  size_t nc = clact__ref_common_edges(&common), no = clact__ref_edges(act, &own);
  int np = clact_get_info(act)->nparams;
  size_t npoints = nc + no + (size_t)np * 2;
  double *e = malloc((npoints * 18 + NSPECIAL64) * sizeof *e);
  if (!e)
    return 0;
  size_t n = 0;
  for (size_t i = 0; i < npoints; i++) {
    double v = edge_point(i, common, nc, own, no, p);
    for (int sign = -1; sign <= 1; sign += 2) {
      double c = sign * v, lo = c, hi = c;
      e[n++] = c;
      for (int k = 0; k < 3; k++) {
        lo = nextafter(lo, -INFINITY);
        hi = nextafter(hi, INFINITY);
        e[n++] = lo;
        e[n++] = hi;
      }
      e[n++] = (double)nextafterf((float)c, -INFINITY);
      e[n++] = (double)nextafterf((float)c, INFINITY);
    }
  }
  for (size_t i = 0; i < NSPECIAL64; i++)
    e[n++] = u2d(specials64[i]);
  *out = e;
  return n;
}

static clact_status run_set64(clact_context *ctx, device_bufs *b, const inputs64 *in,
                              const judge64 *j, uint64_t total, const clact_params *params,
                              chunk *c, clact_check_result *res, progress_ctx *pc) {
  const fmt *f = fmt_of(CLACT_F64);
  total *= in->dup > 1 ? in->dup : 1;
  for (uint64_t first = 0; first < total; first += b->cap) {
    c->n = (size_t)(total - first < b->cap ? total - first : b->cap);
    generate64(in, j, first, c->n, c->raw0, c->raw1);
    clact_status st = run_raw(ctx, b, j->act, j->dir, f, params, c->raw0, c->raw1, c->out, c->n);
    if (st != CLACT_SUCCESS)
      return st;
    clact_check_result part;
    memset(&part, 0, sizeof part);
    judge_all64(&part, j, c->raw0, c->raw1, c->out, c->n);
    merge_result(res, &part);
    advance(pc, c->n);
  }
  return CLACT_SUCCESS;
}

typedef struct layout_ju64 {
  const judge64 *j;
  const chunk *c;
} layout_ju64;
/* A width's canonical run is judged on every 16th pair of elements (pairs keep the index
 * parity that brelu depends on): the sweeps judge the accuracy, this that the width computes
 * the same function. */
static void layout_judge64(void *u, const void *out, size_t n, clact_check_result *res) {
  const layout_ju64 *l = u;
  size_t m = 0;
  double *x = malloc(n * sizeof *x), *dy = malloc(n * sizeof *dy), *o = malloc(n * sizeof *o);
  if (x && dy && o) {
    for (size_t i = 0; i + 1 < n; i += 32)
      for (size_t k = i; k < i + 2; k++, m++) {
        x[m] = ((const double *)l->c->raw0)[k];
        dy[m] = ((const double *)l->c->raw1)[k];
        o[m] = ((const double *)out)[k];
      }
    judge_all64(res, l->j, x, dy, o, m);
  } else {
    judge_all64(res, l->j, l->c->raw0, l->c->raw1, out, n);
  }
  free(x);
  free(dy);
  free(o);
}

static int device_double_denormals(const clact_context *ctx) {
  cl_device_fp_config cfg = 0;
  if (clGetDeviceInfo(ctx->device, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof cfg, &cfg, NULL) !=
      CL_SUCCESS)
    return 0;
  return (cfg & CL_FP_DENORM) != 0;
}

static clact_status check_f64(clact_context *ctx, clact_activation act, clact_direction dir,
                              size_t nused, const double (*used)[CLACT_MAX_PARAMS],
                              const clact_params *given, const clact_check_options *o,
                              clact_check_result *result, progress_ctx *pc) {
  const fmt *f = fmt_of(CLACT_F64);
  unsigned dup = clact__ref_indexed(act) ? 2 : 1;
  per_exp = o->sweep_stride >= 16384 ? 1 : 16384 / o->sweep_stride;
  uint64_t alt_sweep = (SWEEP64 - NSPECIAL64) / ALT_STRIDE_FACTOR + NSPECIAL64;
  pc->total = dup * (SWEEP64 + o->random_count / 4 + (nused - 1) * alt_sweep);
  if (!o->no_layout)
    pc->total += LAYOUT_N;
  chunk c;
  cl_mem m[3] = {NULL, NULL, NULL};
  clact_status st = CLACT_SUCCESS;
  if (!alloc_chunk(&c, o->chunk))
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  else
    st = create_mems(ctx, o->chunk * ELEM_MAX, m);
  device_bufs b = {m[0], m[1], m[2], o->chunk};
  int ftz = !device_double_denormals(ctx) || o->assume_ftz;
  for (size_t s = 0; s < nused && st == CLACT_SUCCESS; s++) {
    judge64 j = {act, dir, used[s], ftz};
    /* alternative sets: every ALT_STRIDE_FACTOR-th exponent sample, and the edges */
    inputs64 sweep = {SET_SWEEP, s, NULL, 0, dup, s == 0 ? 1 : ALT_STRIDE_FACTOR};
    st = run_set64(ctx, &b, &sweep, &j, s == 0 ? SWEEP64 : alt_sweep, &given[s], &c, result, pc);
    if (st == CLACT_SUCCESS && !o->no_edges) {
      inputs64 edges = {SET_EDGES, 0, NULL, 0, dup, 1};
      double *ev = NULL;
      edges.nedges = build_edges64(act, used[s], &ev);
      if (!ev) {
        st = (clact_status)CL_OUT_OF_HOST_MEMORY;
        break;
      }
      edges.edges = ev;
      st = run_set64(ctx, &b, &edges, &j,
                     edges.nedges * (dir == CLACT_FORWARD ? 1 : EDGE_DY64_COUNT), &given[s], &c,
                     result, pc);
      free(ev);
    }
    if (st == CLACT_SUCCESS && s == 0) {
      inputs64 rnd = {SET_RANDOM, o->seed, NULL, 0, dup, 1};
      st = run_set64(ctx, &b, &rnd, &j, o->random_count / 4, &given[s], &c, result, pc);
    }
    if (st == CLACT_SUCCESS && s == 0 && !o->no_layout) {
      /* canonical: random inputs, judged, then every layout case bit-identical to it */
      size_t n = LAYOUT_N;
      chunk lc;
      void *buf = malloc((n + 64) * ELEM_MAX);
      cl_mem lm[3] = {NULL, NULL, NULL};
      if (!alloc_chunk(&lc, n) || !buf)
        st = (clact_status)CL_OUT_OF_HOST_MEMORY;
      if (st == CLACT_SUCCESS)
        st = create_mems(ctx, n * ELEM_MAX, lm);
      if (st == CLACT_SUCCESS) {
        device_bufs lb = {lm[0], lm[1], lm[2], n};
        inputs64 rnd = {SET_RANDOM, 0x1A7E57ull, NULL, 0, 1, 1};
        lc.n = n;
        generate64(&rnd, &j, 0, n, lc.raw0, lc.raw1);
        st = run_raw(ctx, &lb, act, dir, f, &given[s], lc.raw0, lc.raw1, lc.out, n);
        release_mems(lm, 3);
        if (st == CLACT_SUCCESS) {
          layout_ju64 ju = {&j, &lc};
          layout_judge64(&ju, lc.out, n, result);
          st = layout_cases(ctx, act, dir, f, &given[s], o->all_widths, &lc, buf, result,
                            layout_judge64, &ju);
        }
      }
      free_chunk(&lc);
      free(buf);
      advance(pc, LAYOUT_N);
    }
  }
  release_mems(m, 3);
  free_chunk(&c);
  result->bound = 1.0;
  if (st != CLACT_SUCCESS)
    return st;
  return result->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}

clact_status clact_check(clact_context *ctx, clact_activation act, clact_direction dir,
                         clact_dtype dtype, const clact_params *params,
                         const clact_check_options *options, clact_check_result *result,
                         void (*progress)(double, void *), void *user) {
  if (!ctx || !result)
    return CLACT_ERROR_NULL_ARGUMENT;
  memset(result, 0, sizeof *result);
  const clact_info *info = clact_get_info(act);
  if (!info)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  if ((unsigned)dir >= CLACT_DIRECTION_COUNT)
    return CLACT_ERROR_INVALID_VALUE;
  const fmt *f = fmt_of(dtype);
  if (!f || clact_context_supports(ctx, dtype) != CLACT_SUCCESS)
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_check_options o;
  memset(&o, 0, sizeof o);
  if (options)
    o = *options;
  if (!o.sweep_stride)
    o.sweep_stride = 256;
  if (o.exhaustive)
    o.sweep_stride = 1;
  if (!o.random_count)
    o.random_count = (uint64_t)1 << 20;
  if (!o.seed)
    o.seed = 1;
  if (!o.chunk)
    o.chunk = (size_t)1 << 22;
  if (o.digest) { /* the same inputs, no judging: the layout checks only compare with the
                     reference-judged canonical run */
    if (dtype == CLACT_F64)
      return CLACT_ERROR_INVALID_VALUE;
    o.no_layout = 1;
    result->digest = DIGEST_BASIS;
  }
  o.chunk += o.chunk & 1; /* even: the element index's parity is the position's */
  /* A chunk whose buffers the device cannot allocate (or whose byte counts overflow) is
   * refused before any host memory is allocated for it. */
  cl_ulong max_alloc = 0;
  cl_int qerr = clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc,
                                &max_alloc, NULL);
  if (qerr != CL_SUCCESS)
    return (clact_status)qerr;
  if (o.chunk > SIZE_MAX / ELEM_MAX / 2 || (cl_ulong)o.chunk * ELEM_MAX > max_alloc)
    return (clact_status)CL_INVALID_BUFFER_SIZE;
  unsigned dup = clact__ref_indexed(act) ? 2 : 1;
  result->seed = o.seed;
  if (o.sweep_stride & (o.sweep_stride - 1))
    return CLACT_ERROR_INVALID_VALUE; /* a power of two, so the sweep tiles the 2^32 patterns */

  /* Parameter sets: the given (or default) one, then the registry's alternatives. */
  double sets[MAX_SETS][CLACT_MAX_PARAMS];
  size_t nsets = 0;
  clact_status st = clact_params_resolve(act, params, sets[nsets]);
  if (st != CLACT_SUCCESS)
    return st;
  nsets++;
  if (!params && !o.no_param_sets) {
    const double(*alt)[CLACT_MAX_PARAMS];
    size_t na = clact__ref_param_sets(act, &alt);
    for (size_t i = 0; i < na && nsets < MAX_SETS; i++)
      memcpy(sets[nsets++], alt[i], sizeof sets[0]);
  }
  /* Each set as the kernel sees it; from-y only where the variant exists for that set. */
  double used[MAX_SETS][CLACT_MAX_PARAMS];
  clact_params given[MAX_SETS];
  size_t nused = 0;
  for (size_t s = 0; s < nsets; s++) {
    double rounded[CLACT_MAX_PARAMS];
    clact_params cp = clact_params_default();
    for (int i = 0; i < info->nparams; i++) {
      cp.value[i] = sets[s][i];
      cp.set |= 1u << i;
    }
    st = clact__params_for_dtype(act, &cp, dtype, rounded);
    if (st != CLACT_SUCCESS)
      return st;
    if (dir == CLACT_BACKWARD_FROM_Y && !clact__from_y_allowed(act, rounded))
      continue;
    memcpy(used[nused], rounded, sizeof rounded);
    given[nused++] = cp;
  }
  if (nused == 0)
    return CLACT_ERROR_NO_FROM_Y;

  if (dtype == CLACT_F64) {
    progress_ctx pc64 = {progress, user, 0, 0};
    return check_f64(ctx, act, dir, nused, (const double(*)[CLACT_MAX_PARAMS])used, given, &o,
                     result, &pc64);
  }
  int is32 = dtype == CLACT_F32;
  uint64_t sweep_n = ((uint64_t)1 << 32) / o.sweep_stride;
  uint64_t alt_stride = (uint64_t)o.sweep_stride * ALT_STRIDE_FACTOR;
  if (alt_stride > ((uint64_t)1 << 31))
    alt_stride = (uint64_t)1 << 31;
  uint64_t all16 = (uint64_t)65536 * (dir == CLACT_FORWARD ? 1 : DY16_COUNT);
  progress_ctx pc = {progress, user, 0, 0};
  pc.total = dup * (is32 ? sweep_n * (o.exhaustive && dir != CLACT_FORWARD ? 2 : 1) +
                               o.random_count + (nused - 1) * (((uint64_t)1 << 32) / alt_stride)
                         : nused * all16);
  if (!o.no_layout)
    pc.total += LAYOUT_N;

  chunk c;
  device_bufs b = {0};
  cl_mem m[3] = {NULL, NULL, NULL};
  if (!alloc_chunk(&c, o.chunk))
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  else
    st = create_mems(ctx, o.chunk * ELEM_MAX, m);
  b = (device_bufs){m[0], m[1], m[2], o.chunk};
  double fwd_bound = is32 ? clact_accuracy_ulp(info->accuracy) : SMALL_BOUND;
  for (size_t s = 0; s < nused && st == CLACT_SUCCESS; s++) {
    judge_ctx j = {act,
                   dir,
                   used[s],
                   f,
                   dir == CLACT_FORWARD ? fwd_bound : BACKWARD_BOUND,
                   is32 && dir == CLACT_FORWARD && info->accuracy == CLACT_ACCURACY_EXACT,
                   !ctx->denormals || o.assume_ftz,
                   o.digest};
    if (!is32) {
      inputs every = {SET_ALL16, act, used[s], f, all16, 1, 0, NULL, 0, 0, dup};
      st = run_set(ctx, &b, &every, dir, &given[s], &j, result, &c, &pc);
    } else {
      inputs sweep = {SET_SWEEP,
                      act,
                      used[s],
                      f,
                      s == 0 ? sweep_n : ((uint64_t)1 << 32) / alt_stride,
                      s == 0 ? o.sweep_stride : (unsigned)alt_stride,
                      0,
                      NULL,
                      0,
                      0,
                      dup};
      st = run_sweep32(ctx, &sweep, dir, &given[s], &j, result, o.chunk, &pc);
      if (st == CLACT_SUCCESS && s == 0 && o.exhaustive && dir != CLACT_FORWARD) {
        sweep.dy_one = 1; /* the derivative itself at every input */
        st = run_sweep32(ctx, &sweep, dir, &given[s], &j, result, o.chunk, &pc);
      }
      if (st == CLACT_SUCCESS && !o.no_edges) {
        inputs edges = {SET_EDGES, act, used[s], f, 0, 1, 0, NULL, 0, 0, dup};
        edges.nedges = build_edges(act, used[s], &edges.edges);
        if (!edges.edges) {
          st = (clact_status)CL_OUT_OF_HOST_MEMORY;
          break;
        }
        edges.total = edges.nedges * (dir == CLACT_FORWARD ? 1 : EDGE_DY_COUNT);
        st = run_set(ctx, &b, &edges, dir, &given[s], &j, result, &c, &pc);
        free(edges.edges);
      }
      if (st == CLACT_SUCCESS && s == 0) {
        inputs rnd = {SET_RANDOM, act, used[s], f, o.random_count, 1, o.seed, NULL, 0, 0, dup};
        st = run_set(ctx, &b, &rnd, dir, &given[s], &j, result, &c, &pc);
      }
    }
    if (st == CLACT_SUCCESS && s == 0 && !o.no_layout) {
      st = check_layout(ctx, act, dir, &given[s], &j, o.all_widths, result);
      advance(&pc, LAYOUT_N);
    }
  }
  release_mems(m, 3);
  free_chunk(&c);
  result->bound = dir == CLACT_FORWARD ? fwd_bound : BACKWARD_BOUND;
  if (st != CLACT_SUCCESS)
    return st;
  return result->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}
