/* tests/test_channel_call.c: output blending and fused per-channel bias of the per-channel
 * activations (clact_channel_forward_ex, clact_channel_backward_ex), against the plain calls'
 * own results composed on the host the way the kernels compose them:
 *   blend:  out = fma(alpha, plain, beta * old) in the compute precision, rounded once (f32;
 *           bf16: the f32 kernel on the widened values, then round-to-nearest-even; f64), bit for
 *           bit; beta = 0 over NaN poison (the old output is not read: no NaN leaks in);
 *   bias:   forward, dx and the weight gradients (prelu dw, apl da/db) equal the plain call's on
 *           x + b (the host's sum in the compute precision), bit for bit; db[c] against a sum of
 *           the stored dx of channel c (tolerance below, check_dbias);
 *   in place (y = x, dx = dy, dx = x), an empty tensor (db: zeros), and every refused call
 *   (exact status; outputs, weight gradients and db untouched).
 * f32 runs every case; bf16 and f64 a few (each dtype x variant is a program build). */
#include "clact.h"

#include "clact/channel.h"
#include "storage.h"
#include "test_util.h"

#include <math.h>
#include <stdint.h>

#define PAD 3 /* elements of poisoned padding before and after every tensor */
#define POISON_F32 0x7FA1A1A1u
#define MAXE 40000

static clact_context *ctx;
static cl_command_queue q;

static uint64_t rng = 0x5EED;
static double rnd(double a, double b) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return a + (b - a) * ((double)(rng >> 11) * 0x1p-53);
}

static size_t esize(clact_dtype dt) {
  return clact_dtype_size(dt);
}

/* A NaN no kernel stores (they store the canonical quiet NaN). */
static uint64_t poison_raw(clact_dtype dt) {
  return dt == CLACT_F64 ? 0x7FF4A1A1A1A1A1A1ull
                         : (dt == CLACT_F32 ? POISON_F32 : (dt == CLACT_F16 ? 0x7D5Au : 0x7FA1u));
}

/* ---- device tensors: PAD poisoned elements, the values, PAD poisoned elements ------------ */
static cl_mem make(clact_dtype dt, size_t n, cl_mem_flags flags) {
  cl_int err;
  cl_mem m = clCreateBuffer(clact_context_cl(ctx), flags, (n + 2 * PAD) * esize(dt), NULL, &err);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clCreateBuffer: %d\n", err);
    exit(1);
  }
  return m;
}

/* Writes v (NULL: poison only) at [PAD, PAD + n), poison around it. */
static void upload(cl_mem m, clact_dtype dt, const double *v, size_t n) {
  static unsigned char h[(MAXE + 2 * PAD) * 8];
  for (size_t i = 0; i < n + 2 * PAD; i++)
    clact__put_raw(h, esize(dt), i,
                   v && i >= PAD && i < PAD + n ? clact__to_raw(dt, v[i - PAD]) : poison_raw(dt));
  EXPECT(clEnqueueWriteBuffer(q, m, CL_TRUE, 0, (n + 2 * PAD) * esize(dt), h, 0, NULL, NULL) ==
         CL_SUCCESS);
}

/* Reads the values back into v; the padding must still be poison. */
static int download(cl_mem m, clact_dtype dt, double *v, size_t n, uint64_t *raw) {
  static unsigned char h[(MAXE + 2 * PAD) * 8];
  clFinish(q);
  EXPECT(clEnqueueReadBuffer(q, m, CL_TRUE, 0, (n + 2 * PAD) * esize(dt), h, 0, NULL, NULL) ==
         CL_SUCCESS);
  int pad_ok = 1;
  for (size_t i = 0; i < n + 2 * PAD; i++) {
    uint64_t r = clact__get_raw(h, esize(dt), i);
    if (i < PAD || i >= PAD + n) {
      pad_ok &= r == poison_raw(dt);
    } else {
      if (v)
        v[i - PAD] = clact__from_raw(dt, r);
      if (raw)
        raw[i - PAD] = r;
    }
  }
  EXPECT(pad_ok);
  return pad_ok;
}

/* ---- one problem: shape, weights, inputs ------------------------------------------------- */
typedef struct problem {
  clact_channel_op op;
  unsigned hinges;
  int shared;
  size_t n, c, inner, total, wcount;
  double x[MAXE], dy[MAXE], old[MAXE], xb[MAXE];
  double w[64], b[64], bias[16];
} problem;

static problem P;

/* Fills P for a shape with values of dtype dt (x + b formed in dt's compute precision). */
static void setup(clact_channel_op op, unsigned hinges, int shared, size_t n, size_t c,
                  size_t inner, clact_dtype dt) {
  problem *p = &P;
  p->op = op;
  p->hinges = hinges;
  p->shared = shared;
  p->n = n;
  p->c = c;
  p->inner = inner;
  p->total = n * c * inner;
  p->wcount = op == CLACT_CH_APL ? hinges * c : (shared ? 1 : c);
  for (size_t k = 0; k < p->wcount; k++) {
    p->w[k] = clact__in_format(dt, op == CLACT_CH_APL ? rnd(-1, 1) : rnd(0, 0.5));
    p->b[k] = clact__in_format(dt, rnd(-2, 2));
  }
  for (size_t k = 0; k < c; k++)
    p->bias[k] = clact__in_format(dt, rnd(-1.5, 1.5));
  for (size_t i = 0; i < p->total; i++) {
    p->x[i] = clact__in_format(dt, rnd(-4, 4));
    p->dy[i] = clact__in_format(dt, rnd(-2, 2));
    p->old[i] = clact__in_format(dt, rnd(-3, 3));
    double bc = p->bias[(i / inner) % c];
    p->xb[i] = dt == CLACT_F64 ? p->x[i] + bc : (double)((float)p->x[i] + (float)bc);
  }
}

/* The outputs of one call. */
typedef struct result {
  double out[MAXE];
  uint64_t raw[MAXE];
  double dw[64], db[64], dbias[16];
  clact_status st;
} result;

typedef struct opts {
  const clact_call *call; /* NULL: the plain call */
  int grads;              /* backward: dw (and apl db) too */
  int dbias;              /* backward: the bias gradient */
  const double *x;        /* the x given to the call (P.x or P.xb) */
  const double *old;      /* the output's initial values (NULL: poison) */
  int inplace;            /* 1: y = x / dx = dy; 2: dx = x */
} opts;

/* Runs one call in dtype dt on the problem P; results in *r. */
static void run(clact_dtype dt, clact_direction dir, const opts *o, result *r) {
  problem *p = &P;
  size_t t = p->total;
  cl_mem mx = make(dt, t, CL_MEM_READ_WRITE), mdy = make(dt, t, CL_MEM_READ_WRITE),
         mo = make(dt, t, CL_MEM_READ_WRITE), mw = make(dt, p->wcount, CL_MEM_READ_WRITE),
         mb = make(dt, p->wcount, CL_MEM_READ_WRITE), mdw = make(dt, p->wcount, CL_MEM_READ_WRITE),
         mdb = make(dt, p->wcount, CL_MEM_READ_WRITE), mbias = make(dt, p->c, CL_MEM_READ_WRITE),
         mdbias = make(dt, p->c, CL_MEM_READ_WRITE);
  upload(mx, dt, o->x, t);
  upload(mdy, dt, p->dy, t);
  upload(mw, dt, p->w, p->wcount);
  upload(mb, dt, p->b, p->wcount);
  upload(mdw, dt, NULL, p->wcount);
  upload(mdb, dt, NULL, p->wcount);
  upload(mbias, dt, p->bias, p->c);
  upload(mdbias, dt, NULL, p->c);
  cl_mem out = mo;
  if (o->inplace == 1) {
    out = dir == CLACT_FORWARD ? mx : mdy;
  } else if (o->inplace == 2) {
    out = mx;
  } else {
    upload(mo, dt, o->old, t);
  }
  clact_channel_params cp = {0};
  cp.hinges = p->hinges;
  cp.shared = p->shared;
  cp.w = mw;
  cp.w_off = PAD;
  if (p->op == CLACT_CH_APL) {
    cp.b = mb;
    cp.b_off = PAD;
  }
  clact_call call = {0};
  if (o->call) {
    call = *o->call;
    if (call.bias) {
      call.bias = mbias;
      call.bias_off = PAD;
    }
    call.dbias = o->dbias ? mdbias : NULL;
    call.dbias_off = PAD;
  }
  clact_channel_grads g = {0};
  if (o->grads) {
    g.dw = mdw;
    g.dw_off = PAD;
    if (p->op == CLACT_CH_APL) {
      g.db = mdb;
      g.db_off = PAD;
    }
  }
  const clact_call *cc = o->call ? &call : NULL;
  r->st = dir == CLACT_FORWARD
              ? clact_channel_forward_ex(ctx, p->op, dt, &cp, cc, p->n, p->c, p->inner, mx, PAD,
                                         out, PAD, NULL)
              : clact_channel_backward_ex(ctx, p->op, dt, &cp, cc, p->n, p->c, p->inner, mx, PAD,
                                          mdy, PAD, out, PAD, o->grads ? &g : NULL, NULL);
  if (r->st == CLACT_ERROR_BUILD_FAILED)
    fprintf(stderr, "build log:\n%s\n", clact_build_log(ctx));
  download(out, dt, r->out, t, r->raw);
  if (o->grads) {
    download(mdw, dt, r->dw, p->wcount, NULL);
    if (p->op == CLACT_CH_APL)
      download(mdb, dt, r->db, p->wcount, NULL);
  }
  if (o->dbias)
    download(mdbias, dt, r->dbias, p->c, NULL);
  cl_mem all[] = {mx, mdy, mo, mw, mb, mdw, mdb, mbias, mdbias};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    clReleaseMemObject(all[i]);
}

/* ---- comparisons --------------------------------------------------------------------------- */
/* The stored bits of a value computed in the compute precision (float for f32/bf16). */
static uint64_t stored(clact_dtype dt, double v) {
  return clact__to_raw(dt, v);
}

/* fma(alpha, r, beta * old) in the compute precision (beta == 0: alpha * r, old not read). */
static double blended(clact_dtype dt, double alpha, double beta, double r, double old) {
  if (dt == CLACT_F64)
    return beta == 0 ? alpha * r : fma(alpha, r, beta * old);
  float a = (float)alpha, b = (float)beta, fr = (float)r;
  return b == 0 ? (double)(a * fr) : (double)fmaf(a, fr, b * (float)old);
}

static int same_bits(clact_dtype dt, const uint64_t *got, const double *want, size_t n,
                     const char *what) {
  for (size_t i = 0; i < n; i++) {
    uint64_t w = stored(dt, want[i]);
    if (got[i] != w) {
      fprintf(stderr, "%s: element %zu: got 0x%llx (%.17g), expected 0x%llx (%.17g)\n", what, i,
              (unsigned long long)got[i], clact__from_raw(dt, got[i]), (unsigned long long)w,
              clact__from_raw(dt, w));
      return 0;
    }
  }
  return 1;
}

static int same_vals(clact_dtype dt, const double *got, const double *want, size_t n,
                     const char *what) {
  for (size_t i = 0; i < n; i++)
    if (clact__to_raw(dt, got[i]) != clact__to_raw(dt, want[i])) {
      fprintf(stderr, "%s: value %zu: got %.17g, expected %.17g\n", what, i, got[i], want[i]);
      return 0;
    }
  return 1;
}

/* db[c] against the sum of the stored dx of channel c (Neumaier in double: exact to ~2^-100).
 * Tolerance: the device's compensated sum in the compute precision (unit roundoff u) is within
 * 3u|S| + k u^2 sum|dx| (k terms), plus the rounding to the storage format (u_s |S|, u_s = 2^-8
 * for bf16), plus the smallest subnormal. */
static void check_dbias(clact_dtype dt, const double *dx, const double *db, const char *what) {
  double u = dt == CLACT_F64 ? 0x1p-53 : 0x1p-24, us = dt == CLACT_BF16 ? 0x1p-8 : 0;
  for (size_t c = 0; c < P.c; c++) {
    double s = 0, e = 0, abs_sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < P.total; i++)
      if ((i / P.inner) % P.c == c) {
        double t = s + dx[i];
        e += fabs(s) >= fabs(dx[i]) ? (s - t) + dx[i] : (dx[i] - t) + s;
        s = t;
        abs_sum += fabs(dx[i]);
        k++;
      }
    s += e;
    double tol = (3 * u + us) * fabs(s) + (double)k * u * u * abs_sum + 0x1p-1074;
    if (!(fabs(db[c] - s) <= tol)) {
      fprintf(stderr, "%s: db[%zu] = %.17g, sum %.17g (tolerance %.3g)\n", what, c, db[c], s, tol);
      test_failures++;
    }
  }
}

/* ---- the cases ----------------------------------------------------------------------------- */
static result R_plain, R_fused;

/* The plain result on f32 kernels for a bf16 problem (the values are floats already). */
static clact_dtype ref_dtype(clact_dtype dt) {
  return dt == CLACT_BF16 ? CLACT_F32 : dt;
}

/* Blending: forward and backward with beta != 0 and with beta = 0 over NaN poison. */
static void test_blend(clact_dtype dt, const char *name) {
  static double nans[MAXE];
  for (size_t i = 0; i < P.total; i++)
    nans[i] = NAN;
  for (int d = 0; d < 2; d++) {
    clact_direction dir = d ? CLACT_BACKWARD : CLACT_FORWARD;
    opts po = {NULL, d, 0, P.x, NULL, 0};
    run(ref_dtype(dt), dir, &po, &R_plain);
    EXPECT_STATUS(R_plain.st, CLACT_SUCCESS);
    for (int zero = 0; zero < 2; zero++) {
      clact_call c = {0};
      c.blend = 1;
      c.alpha = 1.75;
      c.beta = zero ? 0.0 : -0.625;
      opts fo = {&c, d, 0, P.x, zero ? nans : P.old, 0};
      run(dt, dir, &fo, &R_fused);
      EXPECT_STATUS(R_fused.st, CLACT_SUCCESS);
      static double want[MAXE];
      for (size_t i = 0; i < P.total; i++)
        want[i] = blended(dt, c.alpha, c.beta, R_plain.out[i], P.old[i]);
      char what[128];
      snprintf(what, sizeof what, "%s %s %s blend beta %g", name, d ? "bwd" : "fwd",
               clact_dtype_name(dt), c.beta);
      EXPECT(same_bits(dt, R_fused.raw, want, P.total, what));
      if (d) { /* the weight gradients are not blended */
        EXPECT(same_vals(dt, R_fused.dw, R_plain.dw, P.wcount, what));
        if (P.op == CLACT_CH_APL)
          EXPECT(same_vals(dt, R_fused.db, R_plain.db, P.wcount, what));
      }
    }
  }
}

/* Fused bias (with blending if `blend`): against the plain call on x + b; db from dx. */
static void test_bias(clact_dtype dt, const char *name, int blend) {
  clact_call c = {0};
  c.bias = (cl_mem)1; /* replaced by run() */
  c.channels = P.c;
  c.inner = P.inner;
  if (blend) {
    c.blend = 1;
    c.alpha = -0.5;
    c.beta = 1.0;
  }
  for (int d = 0; d < 2; d++) {
    clact_direction dir = d ? CLACT_BACKWARD : CLACT_FORWARD;
    opts po = {NULL, d, 0, P.xb, NULL, 0};
    run(ref_dtype(dt), dir, &po, &R_plain);
    EXPECT_STATUS(R_plain.st, CLACT_SUCCESS);
    opts fo = {&c, d, d, P.x, P.old, 0};
    run(dt, dir, &fo, &R_fused);
    EXPECT_STATUS(R_fused.st, CLACT_SUCCESS);
    static double want[MAXE];
    for (size_t i = 0; i < P.total; i++)
      want[i] = blend ? blended(dt, c.alpha, c.beta, R_plain.out[i], P.old[i]) : R_plain.out[i];
    char what[128];
    snprintf(what, sizeof what, "%s %s %s bias%s", name, d ? "bwd" : "fwd", clact_dtype_name(dt),
             blend ? " blend" : "");
    EXPECT(same_bits(dt, R_fused.raw, want, P.total, what));
    if (d) {
      EXPECT(same_vals(dt, R_fused.dw, R_plain.dw, P.wcount, what));
      if (P.op == CLACT_CH_APL)
        EXPECT(same_vals(dt, R_fused.db, R_plain.db, P.wcount, what));
      check_dbias(dt, R_fused.out, R_fused.dbias, what);
    }
  }
}

/* In place: y = x (forward), dx = dy and dx = x (backward), with bias, blending and db. */
static void test_inplace(clact_dtype dt, const char *name) {
  clact_call c = {0};
  c.bias = (cl_mem)1;
  c.channels = P.c;
  c.inner = P.inner;
  c.blend = 1;
  c.alpha = 0.75;
  c.beta = 2.0;
  static double want[MAXE];
  char what[128];
  for (int mode = 0; mode < 3; mode++) {
    clact_direction dir = mode ? CLACT_BACKWARD : CLACT_FORWARD;
    opts po = {NULL, mode != 0, 0, P.xb, NULL, 0};
    run(ref_dtype(dt), dir, &po, &R_plain);
    opts fo = {&c, mode != 0, mode != 0, P.x, NULL, mode == 2 ? 2 : 1};
    run(dt, dir, &fo, &R_fused);
    EXPECT_STATUS(R_fused.st, CLACT_SUCCESS);
    const double *old = mode == 1 ? P.dy : P.x;
    for (size_t i = 0; i < P.total; i++)
      want[i] = blended(dt, c.alpha, c.beta, R_plain.out[i], old[i]);
    snprintf(what, sizeof what, "%s %s in place (%s)", name, clact_dtype_name(dt),
             mode == 0 ? "y = x" : (mode == 1 ? "dx = dy" : "dx = x"));
    EXPECT(same_bits(dt, R_fused.raw, want, P.total, what));
    if (mode) {
      EXPECT(same_vals(dt, R_fused.dw, R_plain.dw, P.wcount, what));
      check_dbias(dt, R_fused.out, R_fused.dbias, what);
    }
  }
}

static void test_shape(clact_dtype dt, clact_channel_op op, unsigned hinges, int shared, size_t n,
                       size_t c, size_t inner, int full) {
  setup(op, hinges, shared, n, c, inner, dt);
  char name[96];
  snprintf(name, sizeof name, "%s%s %zux%zux%zu S=%u", clact_channel_name(op),
           shared ? " shared" : "", n, c, inner, hinges);
  if (full) {
    test_blend(dt, name);
    test_bias(dt, name, 0);
  }
  test_bias(dt, name, 1);
  if (full)
    test_inplace(dt, name);
}

/* An empty tensor with db: zeros, whatever the blending. */
static void test_empty(void) {
  setup(CLACT_CH_PRELU, 0, 0, 0, 3, 5, CLACT_F32);
  clact_call c = {0};
  c.dbias = (cl_mem)1;
  c.channels = 3;
  c.inner = 5;
  c.blend = 1;
  c.alpha = 1;
  c.beta = 1;
  opts fo = {&c, 1, 1, P.x, NULL, 0};
  run(CLACT_F32, CLACT_BACKWARD, &fo, &R_fused);
  EXPECT_STATUS(R_fused.st, CLACT_SUCCESS);
  for (size_t k = 0; k < 3; k++)
    EXPECT(test_bits((float)R_fused.dbias[k]) == 0 && test_bits((float)R_fused.dw[k]) == 0);
}

/* ---- refused calls --------------------------------------------------------------------------- */
#define RN 2
#define RC 3
#define RI 5
#define RT (RN * RC * RI)

static cl_mem raw_buf(clact_context *c, cl_mem_flags flags, size_t floats) {
  cl_int err;
  cl_mem m = clCreateBuffer(clact_context_cl(c), flags, floats * 4, NULL, &err);
  if (err != CL_SUCCESS)
    exit(1);
  return m;
}

static void poison_buf(cl_mem m, size_t floats) {
  const cl_uint v = POISON_F32;
  EXPECT(clEnqueueFillBuffer(q, m, &v, 4, 0, floats * 4, 0, NULL, NULL) == CL_SUCCESS);
  clFinish(q);
}

static int untouched(cl_mem m, size_t floats) {
  uint32_t h[256];
  EXPECT(clEnqueueReadBuffer(q, m, CL_TRUE, 0, floats * 4, h, 0, NULL, NULL) == CL_SUCCESS);
  for (size_t i = 0; i < floats; i++)
    if (h[i] != POISON_F32)
      return 0;
  return 1;
}

static void test_refused(void) {
  clact_context *other = NULL;
  EXPECT_STATUS(clact_context_create(&other, NULL), CLACT_SUCCESS);
  cl_mem x = raw_buf(ctx, CL_MEM_READ_WRITE, 64), y = raw_buf(ctx, CL_MEM_READ_WRITE, 64),
         w = raw_buf(ctx, CL_MEM_READ_WRITE, 8), dw = raw_buf(ctx, CL_MEM_READ_WRITE, 8),
         bias = raw_buf(ctx, CL_MEM_READ_WRITE, 8), dbias = raw_buf(ctx, CL_MEM_READ_WRITE, 8),
         small = raw_buf(ctx, CL_MEM_READ_WRITE, 2), wo = raw_buf(ctx, CL_MEM_WRITE_ONLY, 64),
         ro = raw_buf(ctx, CL_MEM_READ_ONLY, 8), wo8 = raw_buf(ctx, CL_MEM_WRITE_ONLY, 8),
         foreign = raw_buf(other, CL_MEM_READ_WRITE, 8);
  float ones[64];
  for (int i = 0; i < 64; i++)
    ones[i] = 0.25f * (float)(i % 9) - 1.0f;
  clEnqueueWriteBuffer(q, x, CL_TRUE, 0, sizeof ones, ones, 0, NULL, NULL);
  clEnqueueWriteBuffer(q, w, CL_TRUE, 0, 8 * 4, ones, 0, NULL, NULL);
  clEnqueueWriteBuffer(q, bias, CL_TRUE, 0, 8 * 4, ones, 0, NULL, NULL);
  clact_channel_params p = {0};
  p.w = w;
  clact_channel_grads g = {dw, 0, NULL, 0, 0};
  clact_call base = {0};
  base.bias = bias;
  base.channels = RC;
  base.inner = RI;
  clact_call c;
#define FWD(cl, out)                                                                               \
  clact_channel_forward_ex(ctx, CLACT_CH_PRELU, CLACT_F32, &p, cl, RN, RC, RI, x, 0, out, 0, NULL)
#define BWD(cl, out)                                                                               \
  clact_channel_backward_ex(ctx, CLACT_CH_PRELU, CLACT_F32, &p, cl, RN, RC, RI, x, 0, x, 0, out,   \
                            0, &g, NULL)
  /* each refused call: its exact status, and y (or dx), dw and dbias untouched */
#define REFUSE(want, expr, out)                                                                    \
  do {                                                                                             \
    poison_buf(out, 64);                                                                           \
    poison_buf(dw, 8);                                                                             \
    poison_buf(dbias, 8);                                                                          \
    EXPECT_STATUS(expr, want);                                                                     \
    clFinish(q);                                                                                   \
    EXPECT(untouched(out, RT) && untouched(dw, 8) && untouched(dbias, 8));                         \
  } while (0)
  c = base;
  c.blend = 1;
  c.alpha = NAN;
  REFUSE(CLACT_ERROR_INVALID_VALUE, FWD(&c, y), y);
  c.alpha = 1;
  c.beta = INFINITY;
  REFUSE(CLACT_ERROR_INVALID_VALUE, BWD(&c, y), y);
  c.beta = -INFINITY;
  REFUSE(CLACT_ERROR_INVALID_VALUE, FWD(&c, y), y);
  c = base;
  c.channels = RC + 1; /* the layout must be the op's own */
  REFUSE(CLACT_ERROR_INVALID_VALUE, FWD(&c, y), y);
  c.channels = RC;
  c.inner = 1;
  REFUSE(CLACT_ERROR_INVALID_VALUE, BWD(&c, y), y);
  c = base;
  c.bias = NULL;
  c.dbias = dbias;
  c.channels = 1;
  c.inner = RC * RI;
  REFUSE(CLACT_ERROR_INVALID_VALUE, BWD(&c, y), y); /* db with another layout */
  c.channels = RC;
  c.inner = RI;
  REFUSE(CLACT_ERROR_INVALID_VALUE, FWD(&c, y), y); /* db on a forward call */
  c = base;
  c.bias = small; /* 3 channels need 3 elements */
  REFUSE(CLACT_ERROR_OUT_OF_BOUNDS, FWD(&c, y), y);
  c.bias = bias;
  c.bias_off = 6;
  REFUSE(CLACT_ERROR_OUT_OF_BOUNDS, BWD(&c, y), y);
  c.bias_off = SIZE_MAX - 1;
  REFUSE(CLACT_ERROR_SIZE_OVERFLOW, FWD(&c, y), y);
  c.bias_off = 0;
  c.bias = foreign;
  REFUSE(CLACT_ERROR_CONTEXT_MISMATCH, FWD(&c, y), y);
  c.bias = wo8;
  REFUSE(CLACT_ERROR_BUFFER_ACCESS, FWD(&c, y), y);
  c.bias = bias;
  c.dbias = ro;
  REFUSE(CLACT_ERROR_BUFFER_ACCESS, BWD(&c, y), y);
  c.dbias = foreign;
  REFUSE(CLACT_ERROR_CONTEXT_MISMATCH, BWD(&c, y), y);
  c.dbias = small;
  REFUSE(CLACT_ERROR_OUT_OF_BOUNDS, BWD(&c, y), y);
  /* aliasing: the bias inside the output or dw; dbias over dx, x, dw, the bias */
  c = base;
  c.bias = y;
  c.bias_off = 4;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, FWD(&c, y), y);
  c.bias = dw;
  c.bias_off = 0;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, BWD(&c, y), y);
  c = base;
  c.dbias = y;
  c.dbias_off = 10;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, BWD(&c, y), y);
  c.dbias = x;
  c.dbias_off = 0;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, BWD(&c, y), y);
  c.dbias = dw;
  c.dbias_off = 2;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, BWD(&c, y), y);
  c.dbias = bias;
  c.dbias_off = 0;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, BWD(&c, y), y);
  c.dbias = w;
  REFUSE(CLACT_ERROR_INVALID_ALIAS, BWD(&c, y), y);
  /* beta != 0 reads the output: a WRITE_ONLY one is refused; beta = 0 does not read it */
  c = base;
  c.blend = 1;
  c.alpha = 2;
  c.beta = 0.5;
  REFUSE(CLACT_ERROR_BUFFER_ACCESS, FWD(&c, wo), wo);
  REFUSE(CLACT_ERROR_BUFFER_ACCESS, BWD(&c, wo), wo);
  c.beta = 1e-60; /* 0 in float: the kernel does not read the output */
  EXPECT_STATUS(FWD(&c, wo), CLACT_SUCCESS);
  c.beta = 0;
  EXPECT_STATUS(BWD(&c, wo), CLACT_SUCCESS);
  /* the plain calls' checks come first */
  c.beta = NAN;
  REFUSE(CLACT_ERROR_NULL_ARGUMENT,
         clact_channel_forward_ex(ctx, CLACT_CH_PRELU, CLACT_F32, NULL, &c, RN, RC, RI, x, 0, y, 0,
                                  NULL),
         y);
  REFUSE(
      CLACT_ERROR_PARAMETER_RANGE,
      clact_channel_forward_ex(ctx, CLACT_CH_APL, CLACT_F32, &p, &c, RN, RC, RI, x, 0, y, 0, NULL),
      y);
  /* an empty tensor: the call's own checks still apply */
  c = base;
  c.dbias = dbias;
  REFUSE(CLACT_ERROR_INVALID_VALUE,
         clact_channel_backward_ex(ctx, CLACT_CH_PRELU, CLACT_F32, &p, &c, 0, RC, 0, NULL, 0, NULL,
                                   0, NULL, 0, &g, NULL),
         y);
  c.inner = 0;
  c.dbias = ro;
  REFUSE(CLACT_ERROR_BUFFER_ACCESS,
         clact_channel_backward_ex(ctx, CLACT_CH_PRELU, CLACT_F32, &p, &c, 0, RC, 0, NULL, 0, NULL,
                                   0, NULL, 0, &g, NULL),
         y);
  cl_mem all[] = {x, y, w, dw, bias, dbias, small, wo, ro, wo8, foreign};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    clReleaseMemObject(all[i]);
  clact_context_destroy(other);
}

int main(void) {
  ctx = test_context();
  q = clact_context_queue(ctx);
  test_refused();
  test_empty();
  /* f32: every case, on a row shorter than the vector width with a tail (33), several tiles of
   * the reduction (5000 > 4096), and inner = 1 (N x C, a bias per column) */
  test_shape(CLACT_F32, CLACT_CH_PRELU, 0, 0, 2, 3, 33, 1);
  test_shape(CLACT_F32, CLACT_CH_PRELU, 0, 1, 3, 2, 5000, 1);
  test_shape(CLACT_F32, CLACT_CH_PRELU, 0, 0, 7, 5, 1, 1);
  test_shape(CLACT_F32, CLACT_CH_APL, 3, 0, 2, 3, 33, 1);
  test_shape(CLACT_F32, CLACT_CH_APL, 1, 0, 3, 2, 5000, 1);
  /* bf16 (against the f32 kernels, rounded) and f64: bias with blending */
  test_shape(CLACT_BF16, CLACT_CH_PRELU, 0, 0, 2, 3, 33, 0);
  test_shape(CLACT_BF16, CLACT_CH_APL, 2, 0, 2, 3, 33, 0);
  if (clact_context_supports(ctx, CLACT_F64) == CLACT_SUCCESS) {
    test_shape(CLACT_F64, CLACT_CH_PRELU, 0, 0, 2, 3, 33, 0);
    test_shape(CLACT_F64, CLACT_CH_APL, 2, 0, 3, 2, 5000, 0);
  } else {
    printf("f64: not supported by the device, not tested\n");
  }
  clact_context_destroy(ctx);
  return test_result();
}
