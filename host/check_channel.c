/* host/check_channel.c: clact_check_channel, the verification of the per-channel activations
 * against the double-precision reference of host/ref_channel.c (bounds: docs/channel.md).
 * Used by the CTest programs (tests/test_channel.c) and by `clact check`
 * (host/cli/channel_cli.c).
 *
 * Every output is judged against B = k ulp(ref) + c u M (u: the compute precision's unit
 * roundoff, M: the sum of the magnitudes of the result's terms); max_err is the largest
 * |got - ref| / B, so 1 is the bound. A wrong class (NaN against a number, an infinity against
 * a finite value) fails whatever its size. f16/bf16 results must also equal, bit for bit, the
 * rounding of what the f32 kernels give on the same values. */
#include "channel_internal.h"
#include "storage.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- storage formats on the host ------------------------------------------------------------ */
typedef struct fmt {
  size_t esize;
  int p, emin;     /* precision in bits; frexp exponent of the smallest normal */
  double overflow; /* |v| from which round-to-nearest gives infinity */
  uint64_t poison; /* a NaN that no kernel stores (they store the canonical quiet NaN) */
  double u;        /* unit roundoff of the compute precision (float, or double for f64) */
} fmt;

static const fmt fmts[CLACT_DTYPE_COUNT] = {
    {4, 24, -125, 0x1.ffffffp127, 0x7FA1A1A1u, 0x1p-24},
    {2, 11, -13, 65520.0, 0x7D5Au, 0x1p-24},
    {2, 8, -125, 0x1.ffp127, 0x7FA1u, 0x1p-24},
    {8, 53, -1021, INFINITY, 0x7FF4A1A1A1A1A1A1ull, 0x1p-53},
};

static double fmt_ulp(const fmt *f, double ref) {
  int e = 0;
  frexp(ref, &e);
  if (ref == 0 || !isfinite(ref) || e < f->emin)
    e = f->emin;
  return ldexp(1.0, e - f->p);
}

/* ---- inputs ------------------------------------------------------------------------------- */
static uint64_t next(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double unif(uint64_t *s) {
  return (double)(next(s) >> 11) * 0x1p-53;
}

/* the neighbour of v in dt, up or down */
static double neighbour(clact_dtype dt, double v, int up) {
  const fmt *f = &fmts[dt];
  double step = fmt_ulp(f, v);
  if (v != 0 && fabs(v) == ldexp(1.0, (int)floor(log2(fabs(v)))) && (v > 0) != up)
    step /= 2; /* below a power of two the spacing halves */
  return clact__in_format(dt, up ? v + step : v - step);
}

/* Channel kinds: 0 finite values only; 1 (channel C - 2 when C >= 3, not shared): +-inf x with
 * finite dy (dy > 0 at x = -inf: infinite, not NaN, gradient sums); 2 (channel C - 1 when
 * C >= 2, not shared): NaN and +-inf in x and dy anywhere. */
static int channel_kind(size_t c, size_t channels, int shared) {
  if (shared)
    return 0;
  if (channels >= 2 && c == channels - 1)
    return 2;
  if (channels >= 3 && c == channels - 2)
    return 1;
  return 0;
}

/* the smallest subnormals of each format, times 1 to 7 */
static double subnormal(clact_dtype dt, uint64_t *s) {
  static const double base[CLACT_DTYPE_COUNT] = {0x1p-149, 0x1p-24, 0x1p-133, 0x1p-1074};
  double m = (double)(1 + next(s) % 7); /* (two statements: a fixed order of the draws) */
  return clact__in_format(dt, base[dt] * m * (double)(1u << (next(s) % 6)));
}

static double gen_x(clact_dtype dt, int kind, const double *b, unsigned hinges, int denormals,
                    uint64_t *s) {
  double big = dt == CLACT_F16 ? 300.0 : 1e4;
  uint64_t k = next(s) % 20;
  double sign = next(s) & 1 ? -1.0 : 1.0;
  if (kind == 2 && k == 0)
    return next(s) % 3 == 0 ? NAN : sign * INFINITY;
  if (kind == 1 && k == 0)
    return sign * INFINITY;
  switch (k) {
  case 1:
    return 0.0;
  case 2:
    return -0.0;
  case 3:
    return denormals ? sign * subnormal(dt, s) : sign * 0.5;
  case 4:
    return sign * clact__in_format(dt, (dt == CLACT_F16 ? 1e-4 : 1e-30) * (1 + unif(s)));
  case 5:
    return sign * clact__in_format(dt, big * unif(s));
  case 6:
  case 7:
  case 8:
    if (hinges) { /* a kink, or next to one */
      double v = b[next(s) % hinges];
      return k == 6 ? v : neighbour(dt, v, k == 7);
    }
    return sign * clact__in_format(dt, unif(s) * 1e-3);
  default:
    return clact__in_format(dt, 8.0 * unif(s) - 4.0);
  }
}

static double gen_dy(clact_dtype dt, int kind, double x, int denormals, uint64_t *s) {
  uint64_t k = next(s) % 16;
  double sign = next(s) & 1 ? -1.0 : 1.0;
  if (kind == 1 && isinf(x))
    return clact__in_format(dt, 0.5 + unif(s));
  if (kind == 2 && k == 0)
    return next(s) % 3 == 0 ? NAN : sign * INFINITY;
  switch (k) {
  case 1:
    return 0.0;
  case 2:
    return -0.0;
  case 3:
    return denormals ? sign * subnormal(dt, s) : sign;
  case 4:
    return sign * clact__in_format(dt, (dt == CLACT_F16 ? 100.0 : 1000.0) * unif(s));
  default:
    return clact__in_format(dt, 4.0 * unif(s) - 2.0);
  }
}

/* ---- device runs -------------------------------------------------------------------------- */
#define PAD 7 /* poisoned elements after each tensor */

typedef struct tensor {
  size_t off, count;
  void *img; /* off + count + PAD elements */
} tensor;

static int make_img(const fmt *f, clact_dtype dt, tensor *t, const double *v, size_t off,
                    size_t count) {
  t->off = off;
  t->count = count;
  t->img = malloc((off + count + PAD) * f->esize);
  if (!t->img)
    return 0;
  for (size_t i = 0; i < off + count + PAD; i++)
    clact__put_raw(t->img, f->esize, i, f->poison);
  if (v)
    for (size_t i = 0; i < count; i++)
      clact__put_raw(t->img, f->esize, off + i, clact__to_raw(dt, v[i]));
  return 1;
}

static size_t img_bytes(const fmt *f, const tensor *t) {
  return (t->off + t->count + PAD) * f->esize;
}

typedef struct problem {
  clact_channel_op op;
  clact_dtype dt;
  unsigned hinges;
  int shared;
  size_t n, c, inner, total, wcount;
  double *x, *dy, *w, *b; /* w: prelu w or apl a */
} problem;

/* What one run gives back: the outputs' images (y or dx; dw, db) read from the device. */
typedef struct outputs {
  tensor out, dw, db;
} outputs;

static void free_outputs(outputs *o) {
  free(o->out.img);
  free(o->dw.img);
  free(o->db.img);
  memset(o, 0, sizeof *o);
}

static cl_mem buffer_of(clact_context *ctx, const fmt *f, const tensor *t, cl_int *err) {
  return clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                        img_bytes(f, t), t->img, err);
}

/* Runs forward or backward on the problem's values stored in dt. in_place: dx = dy (same
 * buffer and offset). grads: 0 none, 1 dw (and db for apl), accumulate with the values acc0
 * (wcount each; NULL: overwrite, outputs poisoned). */
static clact_status run(clact_context *ctx, const problem *pr, clact_dtype dt, clact_direction dir,
                        int in_place, int grads, const double *acc0, outputs *o) {
  const fmt *f = &fmts[dt];
  memset(o, 0, sizeof *o);
  tensor tx, tdy, tw, tb;
  memset(&tdy, 0, sizeof tdy);
  memset(&tb, 0, sizeof tb);
  int apl = pr->op == CLACT_CH_APL, ok = 1;
  ok &= make_img(f, dt, &tx, pr->x, 3, pr->total);
  if (dir == CLACT_BACKWARD)
    ok &= make_img(f, dt, &tdy, pr->dy, 5, pr->total);
  ok &= make_img(f, dt, &tw, pr->w, 2, pr->wcount);
  if (apl)
    ok &= make_img(f, dt, &tb, pr->b, 4, pr->wcount);
  ok &= make_img(f, dt, &o->out, NULL, 1, pr->total);
  if (grads) {
    ok &= make_img(f, dt, &o->dw, acc0, 1, pr->wcount);
    if (apl)
      ok &= make_img(f, dt, &o->db, acc0, 3, pr->wcount);
  }
  clact_status st = ok ? CLACT_SUCCESS : (clact_status)CL_OUT_OF_HOST_MEMORY;
  cl_int err = CL_SUCCESS;
  cl_mem bx = NULL, bdy = NULL, bw = NULL, bb = NULL, bo = NULL, bdw = NULL, bdb = NULL;
  if (st == CLACT_SUCCESS) {
    bx = buffer_of(ctx, f, &tx, &err);
    if (err == CL_SUCCESS && dir == CLACT_BACKWARD)
      bdy = buffer_of(ctx, f, &tdy, &err);
    if (err == CL_SUCCESS)
      bw = buffer_of(ctx, f, &tw, &err);
    if (err == CL_SUCCESS && apl)
      bb = buffer_of(ctx, f, &tb, &err);
    if (err == CL_SUCCESS && !in_place)
      bo = buffer_of(ctx, f, &o->out, &err);
    if (err == CL_SUCCESS && grads)
      bdw = buffer_of(ctx, f, &o->dw, &err);
    if (err == CL_SUCCESS && grads && apl)
      bdb = buffer_of(ctx, f, &o->db, &err);
    st = (clact_status)err;
  }
  if (st == CLACT_SUCCESS) {
    clact_channel_params p = {pr->hinges, pr->shared, bw, tw.off, bb, tb.off};
    clact_channel_grads g = {bdw, o->dw.off, bdb, o->db.off, acc0 != NULL};
    if (dir == CLACT_FORWARD) {
      st = clact_channel_forward(ctx, pr->op, dt, &p, pr->n, pr->c, pr->inner, bx, tx.off, bo,
                                 o->out.off, NULL);
    } else {
      cl_mem dxm = in_place ? bdy : bo;
      size_t dxo = in_place ? tdy.off : o->out.off;
      st = clact_channel_backward(ctx, pr->op, dt, &p, pr->n, pr->c, pr->inner, bx, tx.off, bdy,
                                  tdy.off, dxm, dxo, grads ? &g : NULL, NULL);
    }
    cl_command_queue q = clact_context_queue(ctx);
    if (st == CLACT_SUCCESS && in_place) { /* dy's image becomes the output's */
      free(o->out.img);
      o->out = tdy;
      tdy.img = NULL;
    }
    if (st == CLACT_SUCCESS)
      st = (clact_status)clEnqueueReadBuffer(q, in_place ? bdy : bo, CL_TRUE, 0,
                                             img_bytes(f, &o->out), o->out.img, 0, NULL, NULL);
    if (st == CLACT_SUCCESS && grads)
      st = (clact_status)clEnqueueReadBuffer(q, bdw, CL_TRUE, 0, img_bytes(f, &o->dw), o->dw.img, 0,
                                             NULL, NULL);
    if (st == CLACT_SUCCESS && grads && apl)
      st = (clact_status)clEnqueueReadBuffer(q, bdb, CL_TRUE, 0, img_bytes(f, &o->db), o->db.img, 0,
                                             NULL, NULL);
  }
  cl_mem all[] = {bx, bdy, bw, bb, bo, bdw, bdb};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (all[i])
      clReleaseMemObject(all[i]);
  free(tx.img);
  free(tdy.img);
  free(tw.img);
  free(tb.img);
  if (st != CLACT_SUCCESS)
    free_outputs(o);
  return st;
}

/* ---- judging ------------------------------------------------------------------------------ */
typedef struct judge {
  clact_check_result *res;
  const fmt *f;
  clact_dtype dt;
  double kind_max[3]; /* y or dx, dw (da), db: for the summary */
} judge;

static void fail_msg(judge *j, const char *fmtstr, const char *what, size_t i, double x, double dy,
                     double got, double ref) {
  clact_check_result *r = j->res;
  r->failures++;
  if (r->failures == 1) {
    r->worst_x = x;
    r->worst_dy = dy;
    r->worst_got = got;
    r->worst_ref = ref;
    snprintf(r->message, sizeof r->message, fmtstr, what, i, x, dy, got, ref);
  }
}

/* got against ref = hi + lo with B = k ulp(ref) + c u M. */
static void judge_value(judge *j, const char *what, size_t i, double x, double dy, double got,
                        double hi, double lo, double k, double c, double m) {
  clact_check_result *r = j->res;
  const fmt *f = j->f;
  r->count++;
  double ref = hi + lo;
  int cls;
  if (isnan(ref) || isnan(got))
    cls = isnan(ref) && isnan(got);
  else if (fabs(ref) >= f->overflow || isinf(got))
    cls = fabs(ref) >= f->overflow && isinf(got) && (got > 0) == (ref > 0);
  else
    cls = 1;
  if (!cls) {
    r->histogram[CLACT_HISTOGRAM_BINS - 1]++;
    r->max_err = INFINITY;
    fail_msg(j, "%s %zu: x %.9g dy %.9g: got %.9g, reference %.17g (wrong class)", what, i, x, dy,
             got, ref);
    return;
  }
  double e = 0;
  if (!isnan(ref) && !isinf(got)) {
    double diff = fabs((got - hi) - lo);
    double bound = k * fmt_ulp(f, ref) + c * f->u * m;
    e = diff == 0 ? 0 : diff / bound;
  }
  int kind = what[0] == 'd' && what[1] == 'w' ? 1 : what[0] == 'd' && what[1] == 'b' ? 2 : 0;
  if (e > j->kind_max[kind])
    j->kind_max[kind] = e;
  int bin = e == 0 ? 0 : e <= 0.5 ? 1 : e <= 1 ? 2 : e <= 2 ? 3 : e <= 4 ? 4 : 5;
  r->histogram[bin]++;
  if (e > r->max_err && !r->failures) {
    r->worst_x = x;
    r->worst_dy = dy;
    r->worst_got = got;
    r->worst_ref = ref;
  }
  if (e > r->max_err)
    r->max_err = e;
  if (e > 1)
    fail_msg(j, "%s %zu: x %.9g dy %.9g: got %.9g, reference %.17g", what, i, x, dy, got, ref);
}

/* The padding of an output image still holds the poison. */
static int padding_ok(judge *j, const tensor *t, const char *what) {
  for (size_t i = 0; i < t->off + t->count + PAD; i++) {
    if (i >= t->off && i < t->off + t->count)
      continue;
    if (clact__get_raw(t->img, j->f->esize, i) != j->f->poison) {
      j->res->failures++;
      if (j->res->failures == 1)
        snprintf(j->res->message, sizeof j->res->message,
                 "%s: element %zu outside the tensor was written", what, i);
      return 0;
    }
  }
  return 1;
}

/* Two runs' images must hold the same bits (determinism, in place). */
static void same_bits(judge *j, const tensor *a, const tensor *b, const char *what) {
  for (size_t i = 0; i < a->count; i++)
    if (clact__get_raw(a->img, j->f->esize, a->off + i) !=
        clact__get_raw(b->img, j->f->esize, b->off + i)) {
      j->res->failures++;
      if (j->res->failures == 1)
        snprintf(j->res->message, sizeof j->res->message, "%s: element %zu differs", what, i);
      return;
    }
}

/* 16-bit: each stored result equals the rounding of the f32 kernel's result. */
static void rounds_f32(judge *j, const tensor *t16, const tensor *t32, const char *what) {
  for (size_t i = 0; i < t16->count; i++) {
    double v32 = clact__from_raw(CLACT_F32, clact__get_raw(t32->img, 4, t32->off + i));
    uint64_t want = clact__to_raw(j->dt, v32), got = clact__get_raw(t16->img, 2, t16->off + i);
    if (want != got) {
      j->res->failures++;
      if (j->res->failures == 1)
        snprintf(j->res->message, sizeof j->res->message,
                 "%s %zu: stored 0x%04x, the rounding of the f32 result %.9g is 0x%04x", what, i,
                 (unsigned)got, v32, (unsigned)want);
      return;
    }
  }
}

static double value_at(clact_dtype dt, const tensor *t, size_t i) {
  return clact__from_raw(dt, clact__get_raw(t->img, fmts[dt].esize, t->off + i));
}

/* The element's parameters for the reference: prelu w_c; apl a_s[c], b_s[c]. */
static void params_at(const problem *pr, size_t c, double *p) {
  if (pr->op == CLACT_CH_PRELU) {
    p[0] = pr->w[pr->shared ? 0 : c];
    return;
  }
  for (unsigned s = 0; s < pr->hinges; s++) {
    p[s] = pr->w[s * pr->c + c];
    p[pr->hinges + s] = pr->b[s * pr->c + c];
  }
}

static void judge_elementwise(judge *j, const problem *pr, clact_direction dir, const tensor *out) {
  int prelu = pr->op == CLACT_CH_PRELU, wide = j->dt == CLACT_F32 || j->dt == CLACT_F64;
  /* prelu: correctly rounded (16-bit: after the float rounding, within 1 ulp); apl: S + 1
   * roundings of u against the terms' magnitudes */
  double k = prelu && wide ? 0.5 : 1.0, cc = prelu ? 0.0 : (double)pr->hinges + 1;
  double p[2 * CLACT_APL_MAX_HINGES];
  for (size_t i = 0; i < pr->total; i++) {
    size_t c = (i / pr->inner) % pr->c;
    params_at(pr, c, p);
    double lo, m, got = value_at(j->dt, out, i), x = pr->x[i];
    if (dir == CLACT_FORWARD) {
      double hi = clact__ref_channel_forward(pr->op, pr->hinges, p, x, &lo, &m);
      judge_value(j, "y", i, x, 0, got, hi, lo, k, cc, m);
    } else {
      double dy = pr->dy[i];
      double d = clact__ref_channel_derivative(pr->op, pr->hinges, p, x, &lo, &m);
      /* dy (d + lo) as hi + lo */
      double hi = dy * d, l2 = isfinite(hi) ? fma(dy, d, -hi) + dy * lo : 0;
      judge_value(j, "dx", i, x, dy, got, hi, l2, k, cc, fabs(dy) * m);
    }
  }
}

/* The weight gradients against the reference sums (docs/channel.md):
 * |got - ref| <= ulp(ref) + (4 + 4 n u) u sum|terms|, n the terms per sum. acc0: the values
 * the gradients held before (accumulate), or NULL. */
static void judge_grads(judge *j, const problem *pr, const outputs *o, const double *acc0) {
  unsigned nq = clact__channel_quantities(pr->op, pr->hinges);
  size_t nsums = (size_t)nq * pr->c;
  clact_ch_sum *sums = malloc(nsums * sizeof *sums);
  if (!sums) {
    j->res->failures++;
    snprintf(j->res->message, sizeof j->res->message, "out of host memory");
    return;
  }
  for (size_t k = 0; k < nsums; k++)
    clact__ch_sum_init(&sums[k]);
  double p[2 * CLACT_APL_MAX_HINGES];
  for (size_t i = 0; i < pr->total; i++) {
    size_t c = (i / pr->inner) % pr->c;
    params_at(pr, c, p);
    clact__ref_channel_terms(pr->op, pr->hinges, p, pr->x[i], pr->dy[i], &sums[pr->shared ? 0 : c],
                             pr->c);
  }
  double nterms = (double)(pr->shared ? pr->total : pr->total / pr->c);
  double cc = 4 + 4 * nterms * j->f->u;
  int apl = pr->op == CLACT_CH_APL;
  for (size_t k = 0; k < pr->wcount; k++) {
    for (int which = 0; which < 1 + apl; which++) {
      size_t q = apl ? (size_t)which * pr->hinges + k / pr->c : 0;
      size_t c = apl ? k % pr->c : k;
      clact_ch_sum *s = &sums[q * pr->c + c];
      double hi = clact__ch_sum_value(s), lo = isfinite(hi) ? (s->hi - hi) + s->lo : 0, m = s->mag;
      if (which == 1) { /* db = a * sum */
        double a = pr->w[k], h2 = a * hi;
        lo = isfinite(h2) ? fma(a, hi, -h2) + a * lo : 0;
        hi = h2;
        m *= fabs(a);
      }
      if (acc0) { /* old + sum: one more rounding of the compute precision */
        double h2 = acc0[k] + hi;
        if (isfinite(h2)) {
          double bb = h2 - acc0[k];
          lo += (acc0[k] - (h2 - bb)) + (hi - bb);
        } else {
          lo = 0;
        }
        hi = h2;
        m += fabs(acc0[k]);
      }
      const tensor *tt = which ? &o->db : &o->dw;
      judge_value(j, which ? "db" : "dw", k, 0, 0, value_at(j->dt, tt, k), hi, lo, 1.0, cc, m);
    }
  }
  free(sums);
}

/* ---- the check ------------------------------------------------------------------------------ */
clact_status clact_check_channel(clact_context *ctx, clact_channel_op op, clact_direction dir,
                                 clact_dtype dtype, unsigned hinges, int shared, size_t n, size_t c,
                                 size_t inner, uint64_t seed, clact_check_result *result) {
  if (!ctx || !result)
    return CLACT_ERROR_NULL_ARGUMENT;
  memset(result, 0, sizeof *result);
  result->seed = seed;
  result->bound = 1.0;
  if ((unsigned)op >= CLACT_CHANNEL_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  if (dir == CLACT_BACKWARD_FROM_Y || (unsigned)dir >= CLACT_DIRECTION_COUNT)
    return CLACT_ERROR_INVALID_VALUE;
  if ((unsigned)dtype >= CLACT_DTYPE_COUNT)
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_status st = clact_context_supports(ctx, dtype);
  if (st != CLACT_SUCCESS)
    return st;
  if (op == CLACT_CH_PRELU ? hinges != 0 || (shared != 0 && shared != 1)
                           : hinges < 1 || hinges > CLACT_APL_MAX_HINGES || shared)
    return CLACT_ERROR_PARAMETER_RANGE;
  if (n == 0 || c == 0 || inner == 0 || c > SIZE_MAX / n || inner > SIZE_MAX / (n * c) / 8)
    return CLACT_ERROR_INVALID_VALUE;
  judge j = {result, &fmts[dtype], dtype, {0, 0, 0}};
  problem pr = {op, dtype, hinges, shared, n, c, inner, n * c * inner, 0, NULL, NULL, NULL, NULL};
  pr.wcount = op == CLACT_CH_APL ? hinges * c : (shared ? 1 : c);
  pr.x = malloc(pr.total * sizeof *pr.x);
  pr.dy = malloc(pr.total * sizeof *pr.dy);
  pr.w = malloc(pr.wcount * sizeof *pr.w);
  pr.b = malloc(pr.wcount * sizeof *pr.b);
  double *acc0 = malloc(pr.wcount * sizeof *acc0);
  if (!pr.x || !pr.dy || !pr.w || !pr.b || !acc0) {
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
    goto done;
  }
  uint64_t s = seed;
  /* weights: prelu 0.25, 0 (the limit at x = -inf), a negative one, random; apl a with some
   * zeros, b in [-2, 2] */
  for (size_t k = 0; k < pr.wcount; k++) {
    uint64_t kind = op == CLACT_CH_PRELU ? k % 6 : next(&s) % 8;
    pr.w[k] = kind == 0   ? (op == CLACT_CH_PRELU ? 0.25 : 0.0)
              : kind == 1 ? (op == CLACT_CH_PRELU ? 0.0 : clact__in_format(dtype, 2 * unif(&s) - 1))
              : kind == 2 ? -0.5
                          : clact__in_format(dtype, 3 * unif(&s) - 1.5);
    pr.b[k] = clact__in_format(dtype, 4 * unif(&s) - 2);
    acc0[k] = clact__in_format(dtype, 2 * unif(&s) - 1);
  }
  {
    double bl[CLACT_APL_MAX_HINGES];
    for (size_t i = 0; i < pr.total; i++) {
      size_t ch = (i / inner) % c;
      for (unsigned h = 0; h < hinges; h++)
        bl[h] = pr.b[h * c + ch];
      int kind = channel_kind(ch, c, shared);
      pr.x[i] = gen_x(dtype, kind, bl, hinges, ctx->denormals, &s);
      pr.dy[i] = gen_dy(dtype, kind, pr.x[i], ctx->denormals, &s);
    }
  }
  int wide = dtype == CLACT_F32 || dtype == CLACT_F64;
  outputs o, o32, o2;
  memset(&o32, 0, sizeof o32);
  if (dir == CLACT_FORWARD) {
    st = run(ctx, &pr, dtype, dir, 0, 0, NULL, &o);
    if (st == CLACT_SUCCESS && !wide)
      st = run(ctx, &pr, CLACT_F32, dir, 0, 0, NULL, &o32);
    if (st == CLACT_SUCCESS) {
      padding_ok(&j, &o.out, "y");
      judge_elementwise(&j, &pr, dir, &o.out);
      if (!wide)
        rounds_f32(&j, &o.out, &o32.out, "y");
    }
    free_outputs(&o);
    free_outputs(&o32);
    goto done;
  }
  /* backward: out of place with the gradients; the f32 twin (16-bit); again in place (dx = dy):
   * the same bits; then accumulating into acc0 */
  st = run(ctx, &pr, dtype, dir, 0, 1, NULL, &o);
  if (st == CLACT_SUCCESS && !wide)
    st = run(ctx, &pr, CLACT_F32, dir, 0, 1, NULL, &o32);
  if (st == CLACT_SUCCESS) {
    padding_ok(&j, &o.out, "dx");
    padding_ok(&j, &o.dw, "dw");
    if (op == CLACT_CH_APL)
      padding_ok(&j, &o.db, "db");
    judge_elementwise(&j, &pr, dir, &o.out);
    judge_grads(&j, &pr, &o, NULL);
    if (!wide) {
      rounds_f32(&j, &o.out, &o32.out, "dx");
      rounds_f32(&j, &o.dw, &o32.dw, "dw");
      if (op == CLACT_CH_APL)
        rounds_f32(&j, &o.db, &o32.db, "db");
    }
  }
  if (st == CLACT_SUCCESS) { /* in place, and a second run: bit-identical */
    st = run(ctx, &pr, dtype, dir, 1, 1, NULL, &o2);
    if (st == CLACT_SUCCESS) {
      padding_ok(&j, &o2.out, "dx (in place)");
      same_bits(&j, &o2.out, &o.out, "dx in place against out of place");
      same_bits(&j, &o2.dw, &o.dw, "dw of a second run");
      if (op == CLACT_CH_APL)
        same_bits(&j, &o2.db, &o.db, "db of a second run");
    }
    free_outputs(&o2);
  }
  if (st == CLACT_SUCCESS) { /* accumulate: old + the float result, rounded once */
    st = run(ctx, &pr, dtype, dir, 0, 1, acc0, &o2);
    if (st == CLACT_SUCCESS) {
      judge_grads(&j, &pr, &o2, acc0);
      const outputs *base = wide ? &o : &o32;
      clact_dtype bdt = wide ? dtype : CLACT_F32;
      for (int which = 0; which < 1 + (op == CLACT_CH_APL); which++) {
        const tensor *got = which ? &o2.db : &o2.dw, *sum = which ? &base->db : &base->dw;
        for (size_t k = 0; k < pr.wcount; k++) {
          double r = value_at(bdt, sum, k);
          double want = dtype == CLACT_F64 ? acc0[k] + r : (double)((float)acc0[k] + (float)r);
          double g = value_at(dtype, got, k);
          if (clact__to_raw(dtype, want) !=
                  clact__get_raw(got->img, fmts[dtype].esize, got->off + k) &&
              !(isnan(want) && isnan(g))) {
            result->failures++;
            if (result->failures == 1)
              snprintf(result->message, sizeof result->message,
                       "%s %zu accumulated: got %.9g, %.9g + %.9g rounded is %.9g",
                       which ? "db" : "dw", k, value_at(dtype, got, k), acc0[k], r, want);
            break;
          }
        }
      }
    }
    free_outputs(&o2);
  }
  free_outputs(&o);
  free_outputs(&o32);
done:
  free(pr.x);
  free(pr.dy);
  free(pr.w);
  free(pr.b);
  free(acc0);
  if (st != CLACT_SUCCESS)
    return st;
  if (!result->failures) {
    if (dir == CLACT_FORWARD)
      snprintf(result->message, sizeof result->message, "max error/bound: y %.3g", j.kind_max[0]);
    else if (op == CLACT_CH_PRELU)
      snprintf(result->message, sizeof result->message, "max error/bound: dx %.3g, dw %.3g",
               j.kind_max[0], j.kind_max[1]);
    else
      snprintf(result->message, sizeof result->message,
               "max error/bound: dx %.3g, da %.3g, db %.3g", j.kind_max[0], j.kind_max[1],
               j.kind_max[2]);
  }
  return result->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}
