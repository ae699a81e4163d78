/* host/check.c: verification of device results against the scalar reference (ACCURACY.md).
 *
 * One engine for `clact check` and the CTest kernel tests: the float32 sweep (every stride-th
 * bit pattern), the edge lists, fixed-seed random inputs, outputs poisoned with a signaling NaN
 * before every launch (all valid outputs are numbers or quiet NaNs, so a poison value left over
 * is an unwritten element), each result judged on the host on all cores; then the layout
 * checks, which demand bit-identical results across sizes, offsets, vector widths and in-place
 * operation, with the memory around the output left untouched. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POISON 0x7FA0DEADu   /* a signaling NaN */
#define BACKWARD_BOUND 4.0   /* ACCURACY.md: 4 ulp(dx_ref) + 4 u |dy| M(x) */
#define U32 0x1p-24          /* unit roundoff of float32 */
#define ALT_STRIDE_FACTOR 16 /* alternative parameter sets sweep 16x more sparsely */
#define MAX_THREADS 16

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

/* ulp of an exact value in float32 (ACCURACY.md): 2^(max(e,-125)-24), e from frexp; 0 counts
 * at the floor (the smallest subnormal). */
static double ulp_f32(double r) {
  int e = -125;
  if (r != 0 && isfinite(r)) {
    frexp(r, &e);
    if (e < -125)
      e = -125;
  }
  return ldexp(1.0, e - 24);
}

double clact_ulp_error_f32(float got, double exact) {
  if (isnan(exact) || isnan(got))
    return isnan(exact) && isnan(got) ? 0.0 : INFINITY;
  /* An infinite result is right only where the exact value rounds to it; a finite result
   * against an infinite exact value is wrong. A finite exact value just beyond FLT_MAX is
   * measured like any other (FLT_MAX is then 1 ulp away, not a wrong class). */
  if (isinf(got))
    return got == (float)exact ? 0.0 : INFINITY;
  if (isinf(exact))
    return INFINITY;
  return fabs((double)got - exact) / ulp_f32(exact);
}

static int histogram_bin(double err) {
  return err == 0 ? 0 : err <= 0.5 ? 1 : err <= 1 ? 2 : err <= 2 ? 3 : err <= 4 ? 4 : 5;
}

/* dy for sweep and random inputs: a quarter exactly 1 (the derivative itself), the rest of
 * random sign and mantissa over a spread of exponents (mostly moderate, some extreme). */
static float dy_for(uint64_t h) {
  unsigned cls = (unsigned)(h & 15);
  if (cls < 4)
    return 1.0f;
  if (cls == 4)
    return -1.0f;
  int span = cls < 14 ? 8 : cls == 14 ? 60 : 126;
  int e = (int)((h >> 8) % (uint64_t)(2 * span + 1)) - span;
  uint32_t mant = (uint32_t)(h >> 24) & 0x7FFFFFu;
  uint32_t sign = (uint32_t)(h >> 60) & 1u;
  return u2f((sign << 31) | ((uint32_t)(e + 127) << 23) | mant);
}

/* ---- judging ---------------------------------------------------------------------------- */
typedef struct judge_ctx {
  clact_activation act;
  clact_direction dir;
  const double *p; /* parameters as the kernel sees them */
  double bound;
  int exact;
} judge_ctx;

static void record(clact_check_result *r, const judge_ctx *j, double err, int fail, float x,
                   float dy, float got, double ref, const char *why) {
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
    char xs[64];
    snprintf(xs, sizeof xs, "%s=%.9g (0x%08x)", j->dir == CLACT_BACKWARD_FROM_Y ? "y" : "x",
             (double)x, (unsigned)f2u(x));
    if (j->dir == CLACT_FORWARD)
      snprintf(r->message, sizeof r->message, "%s: %s: got %.9g (0x%08x), expected %.17g%s", why,
               xs, (double)got, (unsigned)f2u(got), ref, j->exact ? " (bit-exact required)" : "");
    else
      snprintf(r->message, sizeof r->message, "%s: %s dy=%.9g: got %.9g (0x%08x), expected %.17g",
               why, xs, (double)dy, (double)got, (unsigned)f2u(got), ref);
  }
  if (fail)
    r->failures++;
  if (err > r->max_err)
    r->max_err = err;
}

static int is_signaling(float v) {
  return isnan(v) && !(f2u(v) & 0x00400000u);
}

static void judge_forward(clact_check_result *r, const judge_ctx *j, float x, float got) {
  double ref = clact_reference_forward(j->act, (double)x, j->p);
  if (is_signaling(got)) {
    record(r, j, INFINITY, 1, x, 0, got, ref, "unwritten element or signaling NaN output");
    return;
  }
  double err = clact_ulp_error_f32(got, ref);
  const char *why = NULL;
  if (isinf(err))
    why = "wrong class (NaN/inf vs number)";
  else if (ref == 0 && got == 0 && !signbit(ref) != !signbit(got))
    why = "wrong sign of zero", err = INFINITY;
  else if (j->exact && !isnan(ref) && f2u(got) != f2u((float)ref))
    why = "not correctly rounded";
  else if (!j->exact && err > j->bound)
    why = "error above the bound";
  record(r, j, err, why != NULL, x, 0, got, ref, why);
}

static void judge_backward(clact_check_result *r, const judge_ctx *j, float x, float dy,
                           float got) {
  double mag = 0;
  double d = j->dir == CLACT_BACKWARD_FROM_Y
                 ? clact_reference_derivative_from_y(j->act, (double)x, j->p, &mag)
                 : clact_reference_derivative(j->act, (double)x, j->p, &mag);
  double ref = (double)dy * d;
  double err;
  const char *why = NULL;
  if (is_signaling(got)) {
    err = INFINITY;
    why = "unwritten element or signaling NaN output";
  } else if (isnan(ref) || isnan(got) || isinf(ref) || isinf(got)) {
    err = clact_ulp_error_f32(got, ref); /* 0 or a wrong class */
  } else {
    err = fabs((double)got - ref) / (ulp_f32(ref) + U32 * fabs((double)dy) * mag);
  }
  if (!why && isinf(err))
    why = "wrong class (NaN/inf vs number)";
  else if (!why && err > j->bound)
    why = "error above the bound";
  record(r, j, err, why != NULL, x, dy, got, ref, why);
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

/* Judging a chunk on all cores. */
typedef struct judge_job {
  const judge_ctx *j;
  const float *x, *dy, *got;
  size_t begin, end;
  clact_check_result r;
} judge_job;

static int judge_worker(void *arg) {
  judge_job *job = arg;
  memset(&job->r, 0, sizeof job->r);
  for (size_t i = job->begin; i < job->end; i++) {
    if (job->j->dir == CLACT_FORWARD)
      judge_forward(&job->r, job->j, job->x[i], job->got[i]);
    else
      judge_backward(&job->r, job->j, job->x[i], job->dy[i], job->got[i]);
  }
  return 0;
}

static int thread_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void judge_all(clact_check_result *r, const judge_ctx *j, const float *x, const float *dy,
                      const float *got, size_t n) {
  judge_job jobs[MAX_THREADS];
  thrd_t th[MAX_THREADS];
  int nt = n < 65536 ? 1 : thread_count();
  int started[MAX_THREADS] = {0};
  for (int t = 0; t < nt; t++) {
    jobs[t] = (judge_job){
        j, x, dy, got, n * (size_t)t / (size_t)nt, n * (size_t)(t + 1) / (size_t)nt, {0}};
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
  size_t cap; /* elements */
} device_bufs;

static void release_bufs(device_bufs *b) {
  if (b->in0)
    clReleaseMemObject(b->in0);
  if (b->in1)
    clReleaseMemObject(b->in1);
  if (b->out)
    clReleaseMemObject(b->out);
  memset(b, 0, sizeof *b);
}

static clact_status alloc_bufs(clact_context *ctx, device_bufs *b, size_t cap) {
  cl_int err;
  b->cap = cap;
  b->in0 = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, cap * sizeof(float), NULL, &err);
  if (err == CL_SUCCESS)
    b->in1 = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, cap * sizeof(float), NULL, &err);
  if (err == CL_SUCCESS)
    b->out = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, cap * sizeof(float), NULL, &err);
  if (err != CL_SUCCESS)
    release_bufs(b);
  return (clact_status)err;
}

static clact_status poison(clact_context *ctx, cl_mem m, size_t n) {
  cl_uint pattern = POISON;
  return (clact_status)clEnqueueFillBuffer(ctx->queue, m, &pattern, sizeof pattern, 0,
                                           n * sizeof(float), 0, NULL, NULL);
}

/* Uploads x (and dy), poisons the output, runs the kernel, reads the result into `got`. */
static clact_status run_chunk(clact_context *ctx, device_bufs *b, clact_activation act,
                              clact_direction dir, const clact_params *params, const float *x,
                              const float *dy, float *got, size_t n) {
  cl_int err =
      clEnqueueWriteBuffer(ctx->queue, b->in0, CL_FALSE, 0, n * sizeof(float), x, 0, NULL, NULL);
  if (err == CL_SUCCESS && dir != CLACT_FORWARD)
    err =
        clEnqueueWriteBuffer(ctx->queue, b->in1, CL_FALSE, 0, n * sizeof(float), dy, 0, NULL, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  clact_status st = poison(ctx, b->out, n);
  if (st == CLACT_SUCCESS)
    st = clact__launch(ctx, (int)act, dir, CLACT_F32, params, 0, n, b->in0, 0,
                       dir == CLACT_FORWARD ? NULL : b->in1, 0, b->out, 0, NULL);
  if (st != CLACT_SUCCESS)
    return st;
  return (clact_status)clEnqueueReadBuffer(ctx->queue, b->out, CL_TRUE, 0, n * sizeof(float), got,
                                           0, NULL, NULL);
}

/* ---- input sets ------------------------------------------------------------------------- */
/* A generator fills x[0..n) (and dy) starting at element `first` of its set. */
typedef enum input_set { SET_SWEEP, SET_EDGES, SET_RANDOM } input_set;

typedef struct inputs {
  input_set set;
  clact_activation act;
  const double *p; /* parameters as the kernel sees them */
  uint64_t total;
  unsigned stride;
  uint64_t seed;
  float *edges; /* SET_EDGES: the x values, each repeated for every dy of edge_dy */
  size_t nedges;
} inputs;

static const float edge_dy[] = {1.0f,      -1.0f, 0.5f,  3.0f,    -0.0f,   0.0f,      INFINITY,
                                -INFINITY, NAN,   1e30f, -1e-30f, FLT_MAX, 0x1p-149f, 1e10f};
#define EDGE_DY_COUNT (sizeof edge_dy / sizeof edge_dy[0])

static void generate(const inputs *in, clact_direction dir, uint64_t first, size_t n, float *x,
                     float *dy) {
  /* Backward-from-output takes what a forward pass stores: y = f(x) rounded to float32. */
  const clact_activation act = in->act;
  const double *p = in->p;
  for (size_t k = 0; k < n; k++) {
    uint64_t i = first + k;
    uint64_t h = mix64(i ^ 0x5DEECE66Dull);
    switch (in->set) {
    case SET_SWEEP:
      x[k] = u2f((uint32_t)(i * in->stride + (in->stride > 1 ? h % in->stride : 0)));
      break;
    case SET_EDGES:
      x[k] = in->edges[dir == CLACT_FORWARD ? i : i / EDGE_DY_COUNT];
      break;
    case SET_RANDOM: {
      uint64_t s = in->seed + i * 0x9E3779B97F4A7C15ull;
      uint64_t v = mix64(s);
      /* half random bit patterns, half uniform in [-24, 24] where the functions bend */
      x[k] =
          (v & 1) ? u2f((uint32_t)(v >> 32)) : (float)(((double)(v >> 11) * 0x1p-53 - 0.5) * 48.0);
      h = mix64(s ^ 0xD1B54A32D192ED03ull);
      break;
    }
    }
    if (dir != CLACT_FORWARD)
      dy[k] = in->set == SET_EDGES ? edge_dy[i % EDGE_DY_COUNT] : dy_for(h);
    if (dir == CLACT_BACKWARD_FROM_Y)
      x[k] = (float)clact_reference_forward(act, (double)x[k], p);
  }
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
    double v = i < nc              ? common[i]
               : i < nc + no       ? own[i - nc]
               : (i - nc - no) % 2 ? p[(i - nc - no) / 2] / (p[0] != 0 ? p[0] : 1.0)
                                   : p[(i - nc - no) / 2];
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

/* ---- layout ----------------------------------------------------------------------------- */
#define LAYOUT_N ((size_t)1 << 20) + 3
#define GUARD 8

typedef struct layout_case {
  size_t n, in_off, out_off;
  int in_place;
} layout_case;

/* Runs one layout case at vector width w and compares it bit for bit with `want` (the
 * canonical results for the first n inputs); the guard zones around the output must still
 * hold the poison. Returns a failure description or NULL. */
static const char *layout_one(clact_context *ctx, clact_activation act, clact_direction dir,
                              const clact_params *params, unsigned w, const layout_case *c,
                              const float *x, const float *dy, const float *want, float *buf,
                              clact_status *st) {
  size_t total = c->out_off + c->n + GUARD;
  if (c->in_off + c->n + GUARD > total)
    total = c->in_off + c->n + GUARD;
  cl_int err;
  cl_mem in0 = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, total * sizeof(float), NULL, &err);
  cl_mem in1 = err == CL_SUCCESS ? clCreateBuffer(ctx->context, CL_MEM_READ_WRITE,
                                                  total * sizeof(float), NULL, &err)
                                 : NULL;
  cl_mem out = err == CL_SUCCESS ? clCreateBuffer(ctx->context, CL_MEM_READ_WRITE,
                                                  total * sizeof(float), NULL, &err)
                                 : NULL;
  const char *fail = NULL;
  *st = (clact_status)err;
  if (err != CL_SUCCESS)
    goto done;
  /* In place: the output buffer holds the (last) input at the same offset. */
  cl_mem target_in0 = in0, target_in1 = in1;
  size_t off0 = c->in_off, off1 = c->in_off;
  *st = poison(ctx, out, total);
  if (*st != CLACT_SUCCESS)
    goto done;
  if (c->n) {
    const float *src = dir == CLACT_FORWARD ? x : dy;
    cl_mem dst = c->in_place ? out : (dir == CLACT_FORWARD ? in0 : in1);
    size_t at = c->in_place ? c->out_off : c->in_off;
    err = clEnqueueWriteBuffer(ctx->queue, dst, CL_FALSE, at * sizeof(float), c->n * sizeof(float),
                               src, 0, NULL, NULL);
    if (err == CL_SUCCESS && dir != CLACT_FORWARD)
      err = clEnqueueWriteBuffer(ctx->queue, in0, CL_FALSE, c->in_off * sizeof(float),
                                 c->n * sizeof(float), x, 0, NULL, NULL);
    *st = (clact_status)err;
    if (err != CL_SUCCESS)
      goto done;
    if (c->in_place) {
      if (dir == CLACT_FORWARD)
        target_in0 = out, off0 = c->out_off;
      else
        target_in1 = out, off1 = c->out_off;
    }
  }
  *st = clact__launch(ctx, (int)act, dir, CLACT_F32, params, w, c->n, target_in0, off0,
                      dir == CLACT_FORWARD ? NULL : target_in1, off1, out, c->out_off, NULL);
  if (*st != CLACT_SUCCESS)
    goto done;
  *st = (clact_status)clEnqueueReadBuffer(ctx->queue, out, CL_TRUE, 0, total * sizeof(float), buf,
                                          0, NULL, NULL);
  if (*st != CLACT_SUCCESS)
    goto done;
  for (size_t k = 0; k < total && !fail; k++) {
    int inside = k >= c->out_off && k < c->out_off + c->n;
    if (inside && f2u(buf[k]) != f2u(want[k - c->out_off]))
      fail = "result differs from the canonical run";
    else if (!inside && f2u(buf[k]) != POISON)
      fail = "memory outside the output range was written";
  }
done:
  if (in0)
    clReleaseMemObject(in0);
  if (in1)
    clReleaseMemObject(in1);
  if (out)
    clReleaseMemObject(out);
  return fail;
}

static clact_status check_layout(clact_context *ctx, clact_activation act, clact_direction dir,
                                 const clact_params *params, const judge_ctx *j,
                                 clact_check_result *res) {
  size_t n = LAYOUT_N;
  float *x = malloc(n * sizeof *x), *dy = malloc(n * sizeof *dy), *want = malloc(n * sizeof *want);
  float *buf = malloc((n + 64) * sizeof *buf);
  clact_status st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  if (!x || !dy || !want || !buf)
    goto done;
  inputs in = {SET_RANDOM, act, j->p, n, 1, 0x1A7E57ull, NULL, 0};
  generate(&in, dir, 0, n, x, dy);
  /* canonical: out of place, offsets 0, the context's width; judged like any other result */
  device_bufs b = {0};
  st = alloc_bufs(ctx, &b, n);
  if (st == CLACT_SUCCESS)
    st = run_chunk(ctx, &b, act, dir, params, x, dy, want, n);
  release_bufs(&b);
  if (st != CLACT_SUCCESS)
    goto done;
  judge_all(res, j, x, dy, want, n);
  static const size_t sizes[] = {0, 1, 3, 7, 93, 4096, LAYOUT_N};
  static const size_t offs[][2] = {{0, 0}, {1, 3}, {7, 2}};
  unsigned widths[] = {1, 2, 4, 8, 16};
  for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
      for (size_t oi = 0; oi < sizeof offs / sizeof offs[0]; oi++) {
        for (int ip = 0; ip < 2; ip++) {
          /* in place only at matching offsets (in = out), every size, two offsets */
          if (ip && oi == 2)
            continue;
          layout_case c = {sizes[si], offs[oi][0], ip ? offs[oi][0] : offs[oi][1], ip};
          const char *fail =
              layout_one(ctx, act, dir, params, widths[wi], &c, x, dy, want, buf, &st);
          if (st != CLACT_SUCCESS)
            goto done;
          if (fail) {
            if (!res->failures)
              snprintf(res->message, sizeof res->message,
                       "layout: %s (n=%zu, in offset %zu, out offset %zu, %s, vector width %u)",
                       fail, c.n, c.in_off, c.out_off, ip ? "in place" : "out of place",
                       widths[wi]);
            res->failures++;
          }
        }
      }
    }
  }
done:
  free(x);
  free(dy);
  free(want);
  free(buf);
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
                            clact_activation act, clact_direction dir, const clact_params *params,
                            const judge_ctx *j, clact_check_result *res, float *x, float *dy,
                            float *got, progress_ctx *pc) {
  for (uint64_t first = 0; first < in->total; first += b->cap) {
    size_t n = (size_t)(in->total - first < b->cap ? in->total - first : b->cap);
    generate(in, dir, first, n, x, dy);
    clact_status st = run_chunk(ctx, b, act, dir, params, x, dy, got, n);
    if (st != CLACT_SUCCESS)
      return st;
    clact_check_result part;
    memset(&part, 0, sizeof part);
    judge_all(&part, j, x, dy, got, n);
    merge_result(res, &part);
    advance(pc, n);
  }
  return CLACT_SUCCESS;
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
  if (dtype != CLACT_F32) /* the other storage types have their own checks (to come) */
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_check_options o;
  memset(&o, 0, sizeof o);
  if (options)
    o = *options;
  if (!o.sweep_stride)
    o.sweep_stride = 256;
  if (!o.random_count)
    o.random_count = (uint64_t)1 << 20;
  if (!o.seed)
    o.seed = 1;
  if (!o.chunk)
    o.chunk = (size_t)1 << 22;
  result->seed = o.seed;
  if (o.sweep_stride & (o.sweep_stride - 1))
    return CLACT_ERROR_INVALID_VALUE; /* a power of two, so the sweep tiles the 2^32 patterns */

  /* Parameter sets: the given (or default) one, then the registry's alternatives. */
  double sets[16][CLACT_MAX_PARAMS];
  size_t nsets = 0;
  clact_status st = clact_params_resolve(act, params, sets[nsets]);
  if (st != CLACT_SUCCESS)
    return st;
  nsets++;
  if (!params && !o.no_param_sets) {
    const double(*alt)[CLACT_MAX_PARAMS];
    size_t na = clact__ref_param_sets(act, &alt);
    for (size_t i = 0; i < na && nsets < 16; i++)
      memcpy(sets[nsets++], alt[i], sizeof sets[0]);
  }
  /* Each set as the kernel sees it; from-y only where the variant exists for that set. */
  double used[16][CLACT_MAX_PARAMS];
  clact_params given[16];
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

  progress_ctx pc = {progress, user, 0, 0};
  uint64_t sweep_n = ((uint64_t)1 << 32) / o.sweep_stride;
  uint64_t alt_stride = (uint64_t)o.sweep_stride * ALT_STRIDE_FACTOR;
  if (alt_stride > ((uint64_t)1 << 31))
    alt_stride = (uint64_t)1 << 31;
  pc.total = sweep_n + o.random_count + (nused - 1) * (((uint64_t)1 << 32) / alt_stride);
  if (!o.no_layout)
    pc.total += LAYOUT_N;

  size_t cap = o.chunk;
  float *x = malloc(cap * sizeof *x), *dy = malloc(cap * sizeof *dy),
        *got = malloc(cap * sizeof *got);
  device_bufs b = {0};
  if (!x || !dy || !got)
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  else
    st = alloc_bufs(ctx, &b, cap);
  for (size_t s = 0; s < nused && st == CLACT_SUCCESS; s++) {
    judge_ctx j = {act, dir, used[s],
                   dir == CLACT_FORWARD ? clact_accuracy_ulp(info->accuracy) : BACKWARD_BOUND,
                   dir == CLACT_FORWARD && info->accuracy == CLACT_ACCURACY_EXACT};
    inputs sweep = {SET_SWEEP,
                    act,
                    used[s],
                    s == 0 ? sweep_n : ((uint64_t)1 << 32) / alt_stride,
                    s == 0 ? o.sweep_stride : (unsigned)alt_stride,
                    0,
                    NULL,
                    0};
    st = run_set(ctx, &b, &sweep, act, dir, &given[s], &j, result, x, dy, got, &pc);
    if (st == CLACT_SUCCESS && !o.no_edges) {
      inputs edges = {SET_EDGES, act, used[s], 0, 1, 0, NULL, 0};
      edges.nedges = build_edges(act, used[s], &edges.edges);
      if (!edges.edges) {
        st = (clact_status)CL_OUT_OF_HOST_MEMORY;
        break;
      }
      edges.total = edges.nedges * (dir == CLACT_FORWARD ? 1 : EDGE_DY_COUNT);
      st = run_set(ctx, &b, &edges, act, dir, &given[s], &j, result, x, dy, got, &pc);
      free(edges.edges);
    }
    if (st == CLACT_SUCCESS && s == 0) {
      inputs rnd = {SET_RANDOM, act, used[s], o.random_count, 1, o.seed, NULL, 0};
      st = run_set(ctx, &b, &rnd, act, dir, &given[s], &j, result, x, dy, got, &pc);
    }
    if (st == CLACT_SUCCESS && s == 0 && !o.no_layout) {
      st = check_layout(ctx, act, dir, &given[s], &j, result);
      advance(&pc, LAYOUT_N);
    }
  }
  release_bufs(&b);
  free(x);
  free(dy);
  free(got);
  result->bound = dir == CLACT_FORWARD ? clact_accuracy_ulp(info->accuracy) : BACKWARD_BOUND;
  if (st != CLACT_SUCCESS)
    return st;
  return result->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}
