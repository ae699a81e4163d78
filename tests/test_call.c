/* tests/test_call.c: output blending and fused bias (clact_call), against compositions of the
 * plain kernels computed the same way on the host:
 *   blend:  out = fma(alpha, plain, beta * out_old) (beta = 0: alpha * plain, the old output not
 *           read: NaNs placed there must not appear), forward and backward, bit-exact;
 *   bias:   forward = plain forward of x + b[c] (the float sum), backward = plain backward of
 *           x + b[c], bit-exact, for N x C x inner layouts, inner = 1 (a bias per column), and
 *           n that ends inside a block; db[c] against a double sum of the stored dx;
 *   both at once, from-y with db, bf16 storage, and the invalid calls (exact status, outputs
 *   untouched). */
#include "test_util.h"

#include <math.h>
#include <stdint.h>

#define CAP 4096
#define POISON 0x7FA0BEEFu

static clact_context *ctx;
static cl_command_queue q;

static cl_mem buf(size_t n) {
  cl_int err;
  cl_mem m = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, n * 4, NULL, &err);
  if (err != CL_SUCCESS)
    exit(1);
  return m;
}
static void put(cl_mem m, const void *h, size_t bytes) {
  clEnqueueWriteBuffer(q, m, CL_TRUE, 0, bytes, h, 0, NULL, NULL);
}
static void get(cl_mem m, void *h, size_t bytes) {
  clFinish(q);
  clEnqueueReadBuffer(q, m, CL_TRUE, 0, bytes, h, 0, NULL, NULL);
}

static uint64_t rng = 0x5EED;
static float rnd(float a, float b) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return a + (b - a) * (float)((double)(rng >> 11) * 0x1p-53);
}

static int same(const float *a, const float *b, size_t n, const char *what) {
  for (size_t i = 0; i < n; i++) {
    if (test_bits(a[i]) != test_bits(b[i])) {
      fprintf(stderr, "%s: element %zu: got %.9g (0x%08x), expected %.9g (0x%08x)\n", what, i,
              (double)a[i], test_bits(a[i]), (double)b[i], test_bits(b[i]));
      return 0;
    }
  }
  return 1;
}

/* The plain kernel of a direction on host arrays (in1 = dy, unused forward). */
static void plain(clact_activation act, clact_direction dir, const float *in0, const float *in1,
                  float *out, size_t n) {
  cl_mem a = buf(n), b = buf(n), o = buf(n);
  put(a, in0, n * 4);
  put(b, in1, n * 4);
  clact_status st =
      dir == CLACT_FORWARD
          ? clact_forward(ctx, act, CLACT_F32, NULL, n, a, 0, o, 0, NULL)
          : (dir == CLACT_BACKWARD
                 ? clact_backward(ctx, act, CLACT_F32, NULL, n, a, 0, b, 0, o, 0, NULL)
                 : clact_backward_from_y(ctx, act, CLACT_F32, NULL, n, a, 0, b, 0, o, 0, NULL));
  EXPECT_STATUS(st, CLACT_SUCCESS);
  get(o, out, n * 4);
  clReleaseMemObject(a);
  clReleaseMemObject(b);
  clReleaseMemObject(o);
}

/* The _ex kernel with `call`; out starts as `old`; db (channels values) read back if wanted. */
static clact_status fused(clact_activation act, clact_direction dir, const clact_call *call_in,
                          const float *in0, const float *in1, const float *old, const float *bias,
                          float *out, float *db, size_t n) {
  cl_mem a = buf(n), b = buf(n), o = buf(n), mb = buf(CAP), mdb = buf(CAP);
  put(a, in0, n * 4);
  put(b, in1, n * 4);
  put(o, old, n * 4);
  clact_call call = *call_in;
  if (call.bias) {
    put(mb, bias, call.channels * 4);
    call.bias = mb;
  }
  if (call.dbias)
    call.dbias = mdb;
  clact_status st =
      dir == CLACT_FORWARD
          ? clact_forward_ex(ctx, act, CLACT_F32, NULL, &call, n, a, 0, o, 0, NULL)
          : (dir == CLACT_BACKWARD
                 ? clact_backward_ex(ctx, act, CLACT_F32, NULL, &call, n, a, 0, b, 0, o, 0, NULL)
                 : clact_backward_from_y_ex(ctx, act, CLACT_F32, NULL, &call, n, a, 0, b, 0, o, 0,
                                            NULL));
  get(o, out, n * 4);
  if (db && call.dbias)
    get(mdb, db, call.channels * 4);
  clReleaseMemObject(a);
  clReleaseMemObject(b);
  clReleaseMemObject(o);
  clReleaseMemObject(mb);
  clReleaseMemObject(mdb);
  return st;
}

static void test_blend(clact_activation act) {
  static float x[CAP], dy[CAP], old[CAP], p[CAP], got[CAP], want[CAP];
  size_t n = 1000 + 3;
  for (size_t i = 0; i < n; i++) {
    x[i] = rnd(-8, 8);
    dy[i] = rnd(-2, 2);
    old[i] = rnd(-3, 3);
  }
  for (int d = 0; d < 2; d++) {
    clact_direction dir = (clact_direction)d;
    plain(act, dir, x, dy, p, n);
    clact_call c = {0};
    c.blend = 1;
    c.alpha = 2.5;
    c.beta = -0.75;
    EXPECT_STATUS(fused(act, dir, &c, x, dy, old, NULL, got, NULL, n), CLACT_SUCCESS);
    for (size_t i = 0; i < n; i++)
      want[i] = fmaf(2.5f, p[i], -0.75f * old[i]);
    EXPECT(same(got, want, n, "blend alpha, beta"));
    /* beta = 0: the old output is never read (NaNs there must not leak in) */
    static float nans[CAP];
    for (size_t i = 0; i < n; i++)
      nans[i] = NAN;
    c.beta = 0;
    EXPECT_STATUS(fused(act, dir, &c, x, dy, nans, NULL, got, NULL, n), CLACT_SUCCESS);
    for (size_t i = 0; i < n; i++)
      want[i] = 2.5f * p[i];
    EXPECT(same(got, want, n, "blend beta = 0"));
  }
}

/* db[c] against the double sum of the stored dx of channel c. */
static void check_db(const float *dx, const float *db, size_t n, size_t channels, size_t inner) {
  for (size_t c = 0; c < channels; c++) {
    double s = 0, abs_sum = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
      if ((i / inner) % channels == c) {
        s += dx[i];
        abs_sum += fabs(dx[i]);
        count++;
      }
    }
    /* compensated float summation: 2u|S| + n u^2 sum|dx|, plus the final rounding */
    double tol = 3 * 0x1p-24 * fabs(s) + (double)count * 0x1p-48 * abs_sum + 0x1p-149;
    if (!(fabs((double)db[c] - s) <= tol)) {
      fprintf(stderr, "db[%zu] = %.9g, sum %.17g (tolerance %.3g)\n", c, (double)db[c], s, tol);
      test_failures++;
    }
  }
}

static void test_bias(clact_activation act, size_t n, size_t channels, size_t inner, int blend) {
  static float x[CAP], dy[CAP], b[CAP], xb[CAP], old[CAP], p[CAP], got[CAP], want[CAP], db[CAP];
  for (size_t c = 0; c < channels; c++)
    b[c] = rnd(-1, 1);
  for (size_t i = 0; i < n; i++) {
    x[i] = rnd(-6, 6);
    dy[i] = rnd(-2, 2);
    old[i] = rnd(-1, 1);
    xb[i] = x[i] + b[(i / inner) % channels]; /* the float sum, as the kernel forms it */
  }
  clact_call c = {0};
  c.bias = (cl_mem)1; /* replaced by fused() */
  c.channels = channels;
  c.inner = inner;
  if (blend) {
    c.blend = 1;
    c.alpha = 0.5;
    c.beta = 1.0;
  }
  char what[96];
  snprintf(what, sizeof what, "%s bias n=%zu C=%zu inner=%zu%s", clact_name(act), n, channels,
           inner, blend ? " blend" : "");
  plain(act, CLACT_FORWARD, xb, dy, p, n);
  EXPECT_STATUS(fused(act, CLACT_FORWARD, &c, x, dy, old, b, got, NULL, n), CLACT_SUCCESS);
  for (size_t i = 0; i < n; i++)
    want[i] = blend ? fmaf(0.5f, p[i], old[i]) : p[i];
  EXPECT(same(got, want, n, what));
  c.dbias = (cl_mem)1;
  plain(act, CLACT_BACKWARD, xb, dy, p, n);
  EXPECT_STATUS(fused(act, CLACT_BACKWARD, &c, x, dy, old, b, got, db, n), CLACT_SUCCESS);
  for (size_t i = 0; i < n; i++)
    want[i] = blend ? fmaf(0.5f, p[i], old[i]) : p[i];
  EXPECT(same(got, want, n, what));
  check_db(got, db, n, channels, inner);
}

static void test_from_y_db(void) {
  static float y[CAP], dy[CAP], old[CAP], p[CAP], got[CAP], db[CAP];
  size_t n = 3 * 4 * 5;
  for (size_t i = 0; i < n; i++) {
    y[i] = rnd(0.01f, 0.99f);
    dy[i] = rnd(-2, 2);
  }
  plain(CLACT_SIGMOID, CLACT_BACKWARD_FROM_Y, y, dy, p, n);
  clact_call c = {0};
  c.dbias = (cl_mem)1;
  c.channels = 4;
  c.inner = 5;
  EXPECT_STATUS(fused(CLACT_SIGMOID, CLACT_BACKWARD_FROM_Y, &c, y, dy, old, NULL, got, db, n),
                CLACT_SUCCESS);
  EXPECT(same(got, p, n, "from y with db"));
  check_db(got, db, n, 4, 5);
}

static void test_invalid(void) {
  cl_mem x = buf(64), y = buf(64), b = buf(8), small = buf(2);
  const cl_uint poison = POISON;
  clEnqueueFillBuffer(q, y, &poison, 4, 0, 64 * 4, 0, NULL, NULL);
  clact_call c = {0};
  c.bias = b;
  c.channels = 0;
  c.inner = 1;
#define REJECT(want, call_expr)                                                                    \
  do {                                                                                             \
    EXPECT_STATUS(call_expr, want);                                                                \
    unsigned h[64];                                                                                \
    get(y, h, sizeof h);                                                                           \
    int untouched = 1;                                                                             \
    for (int i = 0; i < 64; i++)                                                                   \
      untouched &= h[i] == POISON;                                                                 \
    EXPECT(untouched);                                                                             \
  } while (0)
  REJECT(CLACT_ERROR_INVALID_VALUE,
         clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, y, 0, NULL));
  c.channels = 8;
  c.inner = 0;
  REJECT(CLACT_ERROR_INVALID_VALUE,
         clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, y, 0, NULL));
  c.inner = 1;
  c.bias = small; /* 8 channels need 8 elements */
  REJECT(CLACT_ERROR_OUT_OF_BOUNDS,
         clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, y, 0, NULL));
  c.bias = y; /* the bias inside the output */
  REJECT(CLACT_ERROR_INVALID_ALIAS,
         clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, y, 0, NULL));
  c.bias = b;
  c.dbias = b; /* db on a forward call */
  REJECT(CLACT_ERROR_INVALID_VALUE,
         clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, y, 0, NULL));
  c.dbias = y; /* db inside dx */
  c.dbias_off = 8;
  REJECT(CLACT_ERROR_INVALID_ALIAS,
         clact_backward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, x, 0, y, 0, NULL));
  c.dbias = NULL;
  c.blend = 1;
  c.alpha = NAN;
  REJECT(CLACT_ERROR_INVALID_VALUE,
         clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, y, 0, NULL));
  /* beta != 0 reads the output: a write-only one is refused; beta = 0 does not read it */
  cl_int err;
  cl_mem wo = clCreateBuffer(clact_context_cl(ctx), CL_MEM_WRITE_ONLY, 64 * 4, NULL, &err);
  EXPECT(err == CL_SUCCESS);
  c.alpha = 2;
  c.beta = 1;
  EXPECT_STATUS(clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, wo, 0, NULL),
                CLACT_ERROR_BUFFER_ACCESS);
  c.beta = 0;
  EXPECT_STATUS(clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &c, 64, x, 0, wo, 0, NULL),
                CLACT_SUCCESS);
  clFinish(q);
  clReleaseMemObject(wo);
  clReleaseMemObject(x);
  clReleaseMemObject(y);
  clReleaseMemObject(b);
  clReleaseMemObject(small);
}

/* bf16 storage: blend and bias computed in float, rounded once: equal to the rounding of the
 * same computation on the decoded values (bf16 RNE is a few integer operations). */
static uint16_t to_bf16(float f) {
  uint32_t u = test_bits(f);
  return isnan(f) ? 0x7FC0 : (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}
static float from_bf16(uint16_t h) {
  return test_float((unsigned)h << 16);
}

static void test_bf16(void) {
  static uint16_t hx[CAP], hb[CAP], hold[CAP], got[CAP];
  static float xb[CAP], p[CAP], dummy[CAP];
  size_t n = 999, channels = 7, inner = 3;
  for (size_t i = 0; i < channels; i++)
    hb[i] = to_bf16(rnd(-1, 1));
  for (size_t i = 0; i < n; i++) {
    hx[i] = to_bf16(rnd(-6, 6));
    hold[i] = to_bf16(rnd(-1, 1));
    xb[i] = from_bf16(hx[i]) + from_bf16(hb[(i / inner) % channels]);
  }
  plain(CLACT_GELU, CLACT_FORWARD, xb, dummy, p, n); /* the f32 kernel: same float math */
  cl_mem mx = buf(n), my = buf(n), mb = buf(channels);
  put(mx, hx, n * 2);
  put(my, hold, n * 2);
  put(mb, hb, channels * 2);
  clact_call c = {0};
  c.blend = 1;
  c.alpha = 2;
  c.beta = 0.5;
  c.bias = mb;
  c.channels = channels;
  c.inner = inner;
  EXPECT_STATUS(clact_forward_ex(ctx, CLACT_GELU, CLACT_BF16, NULL, &c, n, mx, 0, my, 0, NULL),
                CLACT_SUCCESS);
  get(my, got, n * 2);
  int ok = 1;
  for (size_t i = 0; i < n && ok; i++) {
    uint16_t want = to_bf16(fmaf(2.0f, p[i], 0.5f * from_bf16(hold[i])));
    if (got[i] != want) {
      fprintf(stderr, "bf16 element %zu: got 0x%04x, expected 0x%04x\n", i, got[i], want);
      ok = 0;
    }
  }
  EXPECT(ok);
  clReleaseMemObject(mx);
  clReleaseMemObject(my);
  clReleaseMemObject(mb);
}

int main(void) {
  ctx = test_context();
  q = clact_context_queue(ctx);
  const clact_activation acts[] = {CLACT_RELU, CLACT_GELU, CLACT_SIGMOID, CLACT_SOFTPLUS};
  for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
    test_blend(acts[a]);
    test_bias(acts[a], 2 * 5 * 7, 5, 7, 0);     /* N x C x inner */
    test_bias(acts[a], 100, 5, 7, 0);           /* ends inside a block */
    test_bias(acts[a], 37 * 13, 13, 1, 0);      /* rows x cols, a bias per column */
    test_bias(acts[a], 3 * 11 * 16, 11, 16, 1); /* with blending */
  }
  test_from_y_db();
  test_invalid();
  test_bf16();
  clact_context_destroy(ctx);
  return test_result();
}
