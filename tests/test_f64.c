/* tests/test_f64.c: the f64 (double) storage type beyond the accuracy sweeps of the kernel tests
 * (test_kernel ID DIR f64, host/check.c):
 *   - output blending: out = fma(alpha, plain, beta * out_old) bit-exact against the plain f64
 *     kernel combined on the host; beta = 0 never reads the old output (NaN placed there);
 *   - fused bias: forward = plain forward of x + b[c] (the double sum), backward = plain backward
 *     of x + b[c], bit-exact; db[c] against a long double sum of the stored dx;
 *   - in place (y aliasing x, dx aliasing dy), bit-identical to out of place;
 *   - alpha and beta are not rounded to float for f64 (a beta of 1 + 2^-40 shows);
 *   - the parameters reach the kernel as doubles (leaky_relu's slope 0.1 in double).
 * Skips (77) where the device has no cl_khr_fp64, after checking that f64 is then refused with
 * CLACT_ERROR_UNSUPPORTED_DTYPE. */
#include "test_util.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define N 1003
#define C 3
#define INNER 7

static clact_context *ctx;
static cl_command_queue q;

static cl_mem buf(size_t n) {
  cl_int err;
  cl_mem m = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, n * 8, NULL, &err);
  if (err != CL_SUCCESS)
    exit(1);
  return m;
}
static void put(cl_mem m, const double *h, size_t n) {
  clEnqueueWriteBuffer(q, m, CL_TRUE, 0, n * 8, h, 0, NULL, NULL);
}
static void get(cl_mem m, double *h, size_t n) {
  clFinish(q);
  clEnqueueReadBuffer(q, m, CL_TRUE, 0, n * 8, h, 0, NULL, NULL);
}

static uint64_t rng = 0xF64F64ull;
static double rnd(double a, double b) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return a + (b - a) * ((double)(rng >> 11) * 0x1p-53);
}

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static int same(const double *a, const double *b, size_t n, const char *what) {
  for (size_t i = 0; i < n; i++)
    if (bits(a[i]) != bits(b[i])) {
      fprintf(stderr, "%s: element %zu: got %.17g, expected %.17g\n", what, i, a[i], b[i]);
      return 0;
    }
  return 1;
}

/* A plain or fused f64 call on host arrays. out starts as old; db read back when wanted. */
static clact_status run(clact_activation act, clact_direction dir, const clact_params *params,
                        const clact_call *call_in, const double *in0, const double *in1,
                        const double *old, const double *bias, double *out, double *db) {
  cl_mem a = buf(N), b = buf(N), o = buf(N), mb = buf(C), mdb = buf(C);
  put(a, in0, N);
  put(b, in1, N);
  put(o, old, N);
  clact_call call = call_in ? *call_in : (clact_call){0};
  if (call.bias) {
    put(mb, bias, C);
    call.bias = mb;
  }
  if (call.dbias)
    call.dbias = mdb;
  const clact_call *cp = call_in ? &call : NULL;
  clact_status st =
      dir == CLACT_FORWARD
          ? clact_forward_ex(ctx, act, CLACT_F64, params, cp, N, a, 0, o, 0, NULL)
          : clact_backward_ex(ctx, act, CLACT_F64, params, cp, N, a, 0, b, 0, o, 0, NULL);
  get(o, out, N);
  if (db && call.dbias)
    get(mdb, db, C);
  clReleaseMemObject(a);
  clReleaseMemObject(b);
  clReleaseMemObject(o);
  clReleaseMemObject(mb);
  clReleaseMemObject(mdb);
  return st;
}

static void test_activation(clact_activation act) {
  static double x[N], dy[N], old[N], nan_old[N], plain[N], got[N], want[N], xb[N];
  double b[C] = {0.375, -1.25, 0.0625 + 0x1p-40};
  for (size_t i = 0; i < N; i++) {
    x[i] = rnd(-8, 8);
    dy[i] = rnd(-2, 2);
    old[i] = rnd(-3, 3);
    nan_old[i] = NAN;
    xb[i] = x[i] + b[(i / INNER) % C];
  }
  const char *name = clact_name(act);
  for (int d = 0; d < 2; d++) {
    clact_direction dir = (clact_direction)d;
    EXPECT_STATUS(run(act, dir, NULL, NULL, x, dy, nan_old, NULL, plain, NULL), CLACT_SUCCESS);
    /* blending, beta != 0 (not a float: 1 + 2^-40) */
    clact_call call = {1, 0.75, 1 + 0x1p-40, NULL, 0, 0, 0, NULL, 0};
    EXPECT_STATUS(run(act, dir, NULL, &call, x, dy, old, NULL, got, NULL), CLACT_SUCCESS);
    for (size_t i = 0; i < N; i++)
      want[i] = fma(0.75, plain[i], (1 + 0x1p-40) * old[i]);
    if (!same(got, want, N, name))
      EXPECT(0);
    /* beta = 0: the old output (NaN) is never read */
    call.beta = 0;
    EXPECT_STATUS(run(act, dir, NULL, &call, x, dy, nan_old, NULL, got, NULL), CLACT_SUCCESS);
    for (size_t i = 0; i < N; i++)
      want[i] = 0.75 * plain[i];
    if (!same(got, want, N, name))
      EXPECT(0);
    /* fused bias (+ db backward) against the plain kernel on x + b[c] */
    static double pb[N], db[C];
    EXPECT_STATUS(run(act, dir, NULL, NULL, xb, dy, nan_old, NULL, pb, NULL), CLACT_SUCCESS);
    clact_call bc = {0, 1, 0, (cl_mem)1, 0, C, INNER, dir == CLACT_BACKWARD ? (cl_mem)1 : NULL, 0};
    EXPECT_STATUS(run(act, dir, NULL, &bc, x, dy, nan_old, b, got, db), CLACT_SUCCESS);
    if (!same(got, pb, N, name))
      EXPECT(0);
    if (dir == CLACT_BACKWARD) {
      for (size_t c = 0; c < C; c++) {
        long double s = 0, m = 0;
        for (size_t i = 0; i < N; i++)
          if ((i / INNER) % C == c)
            s += got[i], m += fabsl((long double)got[i]);
        EXPECT(fabsl(db[c] - s) <= 0x1p-50L * m);
      }
    }
  }
  /* in place: y = f(x) into x's buffer; dx into dy's */
  cl_mem a = buf(N), g = buf(N);
  put(a, x, N);
  EXPECT_STATUS(clact_forward(ctx, act, CLACT_F64, NULL, N, a, 0, a, 0, NULL), CLACT_SUCCESS);
  get(a, got, N);
  EXPECT_STATUS(run(act, CLACT_FORWARD, NULL, NULL, x, dy, nan_old, NULL, plain, NULL),
                CLACT_SUCCESS);
  if (!same(got, plain, N, "in place forward"))
    EXPECT(0);
  put(a, x, N);
  put(g, dy, N);
  EXPECT_STATUS(clact_backward(ctx, act, CLACT_F64, NULL, N, a, 0, g, 0, g, 0, NULL),
                CLACT_SUCCESS);
  get(g, got, N);
  EXPECT_STATUS(run(act, CLACT_BACKWARD, NULL, NULL, x, dy, nan_old, NULL, plain, NULL),
                CLACT_SUCCESS);
  if (!same(got, plain, N, "in place backward"))
    EXPECT(0);
  clReleaseMemObject(a);
  clReleaseMemObject(g);
}

int main(void) {
  ctx = test_context();
  q = clact_context_queue(ctx);
  if (clact_context_supports(ctx, CLACT_F64) != CLACT_SUCCESS) {
    cl_mem m = buf(4);
    EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F64, NULL, 4, m, 0, m, 0, NULL),
                  CLACT_ERROR_UNSUPPORTED_DTYPE);
    clReleaseMemObject(m);
    int r = test_result();
    clact_context_destroy(ctx);
    printf("SKIP: the device has no cl_khr_fp64\n");
    return r ? r : TEST_SKIP;
  }
  test_activation(CLACT_GELU);
  test_activation(CLACT_SOFTPLUS);
  test_activation(CLACT_ELU);
  test_activation(CLACT_BRELU);
  /* parameters reach the kernel as doubles: leaky_relu(slope 0.1) of -1 is -0.1 in double */
  static double x[N], y[N], zero[N];
  for (size_t i = 0; i < N; i++)
    x[i] = -1.0;
  clact_params p = clact_params_default();
  p.value[0] = 0.1;
  p.set = 1;
  EXPECT_STATUS(run(CLACT_LEAKY_RELU, CLACT_FORWARD, &p, NULL, x, zero, zero, NULL, y, NULL),
                CLACT_SUCCESS);
  EXPECT(y[0] == -0.1 && y[N - 1] == -0.1);
  clact_context_destroy(ctx);
  return test_result();
}
