/* tests/test_rows_call.c: output blending of the row operations (clact_rows_*_ex), against
 * compositions computed on the host from the kernels' own unblended results:
 *   - R, the result in the compute precision: the float32 kernel (f64: the float64 kernel) on
 *     the same values with the identity blend alpha = 1, beta = 1 over an output of -0
 *     (fma(1, r, 1 * -0) = r exactly, -0 included). It runs the code of every blend with
 *     beta != 0, which is also the code of the 16-bit kernels;
 *   - alpha, beta != 0: out == the rounding into the dtype of fma(alpha, R, beta * old);
 *   - beta = 0 over NaN poison: out == the rounding of alpha * R (the old output is not read;
 *     float32 and float64: alpha times the plain call's result, whose code this runs);
 *   - R against the plain call: identical after rounding into the dtype, except float32
 *     softmax and softmin, whose plain kernel divides stored terms instead (kernels/softmax.cl,
 *     SM_STORE_T): both within their bound, here within 2 ulp of each other;
 * forward and backward, every row operation and dtype, rows ending in partial vectors, both
 * kernel shapes of the softmax family and sparsemax, the separate-gate GLU form, in place; and the
 * calls that must be refused (exact status, the output untouched). */
#include "test_util.h"

#include "storage.h"
#include "structured_internal.h"

#include <math.h>
#include <stdint.h>

#define ROWS 5
#define MAXE 8192 /* elements of a host array */

static clact_context *ctx;
static cl_command_queue q;
static uint64_t rng = 0xB1E4D;

static double rnd(double a, double b) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return a + (b - a) * ((double)(rng >> 11) * 0x1p-53);
}

static cl_mem buf(size_t bytes, cl_mem_flags flags) {
  cl_int err;
  cl_mem m = clCreateBuffer(clact_context_cl(ctx), flags, bytes ? bytes : 1, NULL, &err);
  if (err != CL_SUCCESS)
    exit(1);
  return m;
}

static cl_mem upload(const void *h, size_t bytes) {
  cl_mem m = buf(bytes, CL_MEM_READ_WRITE);
  clEnqueueWriteBuffer(q, m, CL_TRUE, 0, bytes, h, 0, NULL, NULL);
  return m;
}

static void download(cl_mem m, void *h, size_t bytes) {
  clFinish(q);
  clEnqueueReadBuffer(q, m, CL_TRUE, 0, bytes, h, 0, NULL, NULL);
}

/* One call's shape: input widths w0 (x or y), w1 (dy), output width wo; ops with a separate
 * gate tensor take x and the gate both d wide. */
typedef struct shape {
  clact_structured op;
  clact_direction dir;
  int gated, kshape; /* kshape: CLACT_ROWS_AUTO/SHORT/LONG (softmax family) */
  size_t cols, w0, w1, wo;
} shape;

static shape make_shape(clact_structured op, clact_direction dir, size_t cols, int gated,
                        int kshape) {
  shape s = {op, dir, gated, kshape, cols, cols, 0, 0};
  size_t w = cols;
  if (!gated)
    EXPECT_STATUS(clact_structured_out_width(op, NULL, cols, &w), CLACT_SUCCESS);
  s.w1 = w;
  s.wo = dir == CLACT_FORWARD ? w : cols;
  return s;
}

/* Runs the call on host arrays of raw elements (in0 rows x w0, in1 rows x w1, gate rows x cols
 * when gated; out rows x wo starts as `old`, and for gated backward dgate too, stored after
 * out). in_place: the output is in0's buffer (which then starts as in0). */
static clact_status run(const shape *s, clact_dtype dt, const clact_call *call, const void *in0,
                        const void *in1, const void *gate, const void *old, void *out,
                        int in_place) {
  size_t es = clact_dtype_size(dt);
  size_t n0 = ROWS * s->w0, n1 = ROWS * s->w1, no = ROWS * s->wo;
  cl_mem m0 = upload(in0, n0 * es), m1 = upload(in1, (n1 ? n1 : 1) * es);
  cl_mem mg = upload(gate ? gate : in0, (gate ? ROWS * s->cols : n0) * es);
  cl_mem mo = in_place ? m0 : upload(old, no * es);
  int dg = s->gated && s->dir == CLACT_BACKWARD; /* dgate, stored after out */
  cl_mem mdg = dg ? upload((const char *)old + no * es, ROWS * s->cols * es) : m1;
  clact_tensor t0 = {m0, 0, 0}, t1 = {m1, 0, 0}, tg = {mg, 0, 0}, to = {mo, 0, 0};
  clact_tensor tdg = {mdg, 0, 0};
  clact_status st;
  int fwd = s->dir == CLACT_FORWARD;
  if (s->gated)
    st = fwd ? clact_rows_forward_gated_ex(ctx, s->op, dt, NULL, call, ROWS, s->cols, t0, tg, to,
                                           NULL)
             : clact_rows_backward_gated_ex(ctx, s->op, dt, NULL, call, ROWS, s->cols, t0, tg, t1,
                                            to, tdg, NULL);
  else if (s->kshape != CLACT_ROWS_AUTO)
    st = clact__rows_launch(ctx, s->op, s->dir, dt, NULL, ROWS, s->cols, &t0, fwd ? NULL : &t1, &to,
                            call, s->kshape, NULL);
  else
    st = fwd ? clact_rows_forward_ex(ctx, s->op, dt, NULL, call, ROWS, s->cols, t0, to, NULL)
             : clact_rows_backward_ex(ctx, s->op, dt, NULL, call, ROWS, s->cols, t0, t1, to, NULL);
  download(mo, out, no * es);
  if (dg)
    download(mdg, (char *)out + no * es, ROWS * s->cols * es);
  clReleaseMemObject(m0);
  clReleaseMemObject(m1);
  clReleaseMemObject(mg);
  if (!in_place)
    clReleaseMemObject(mo);
  if (dg)
    clReleaseMemObject(mdg);
  return st;
}

/* Elements of the output(s) of a shape. */
static size_t outputs(const shape *s) {
  return ROWS * s->wo + (s->gated && s->dir == CLACT_BACKWARD ? ROWS * s->cols : 0);
}

static void fill(clact_dtype dt, void *a, size_t n, double lo, double hi) {
  size_t es = clact_dtype_size(dt);
  for (size_t i = 0; i < n; i++)
    clact__put_raw(a, es, i, clact__to_raw(dt, (float)rnd(lo, hi)));
}

/* a (raw dt) widened to the compute format (f32, or f64 for f64) */
static void widen(clact_dtype dt, const void *a, void *w, size_t n) {
  clact_dtype cd = dt == CLACT_F64 ? CLACT_F64 : CLACT_F32;
  for (size_t i = 0; i < n; i++)
    clact__put_raw(
        w, clact_dtype_size(cd), i,
        clact__to_raw(cd, clact__from_raw(dt, clact__get_raw(a, clact_dtype_size(dt), i))));
}

static int report(const char *what, const shape *s, clact_dtype dt, size_t i, uint64_t got,
                  uint64_t want) {
  fprintf(stderr, "%s %s %s %s cols %zu%s shape %d: element %zu: got 0x%llx, expected 0x%llx\n",
          what, clact_structured_get_info(s->op)->name, clact_direction_name(s->dir),
          clact_dtype_name(dt), s->cols, s->gated ? " gated" : "", s->kshape, i,
          (unsigned long long)got, (unsigned long long)want);
  return 0;
}

/* The expected raw result of blending R (compute format) with old (raw dt). */
static uint64_t blended(clact_dtype dt, double alpha, double beta, double r, uint64_t old) {
  if (dt == CLACT_F64)
    return clact__to_raw(dt,
                         beta == 0 ? alpha * r : fma(alpha, r, beta * clact__from_raw(dt, old)));
  float fr = (float)r, fa = (float)alpha, fb = (float)beta;
  float v = fb == 0 ? fa * fr : fmaf(fa, fr, fb * (float)clact__from_raw(dt, old));
  return clact__to_raw(dt, v);
}

static int is_nan_raw(clact_dtype dt, uint64_t r) {
  return isnan(clact__from_raw(dt, r));
}

static void test_shape(const shape *s, clact_dtype dt) {
  static unsigned char in0[MAXE * 8], in1[MAXE * 8], gate[MAXE * 8], old[MAXE * 8];
  static unsigned char w0[MAXE * 8], w1[MAXE * 8], wg[MAXE * 8], zero[MAXE * 8];
  static unsigned char rr[MAXE * 8], plain[MAXE * 8], got[MAXE * 8], nanp[MAXE * 8];
  clact_dtype cd = dt == CLACT_F64 ? CLACT_F64 : CLACT_F32;
  size_t es = clact_dtype_size(dt), ces = clact_dtype_size(cd), no = outputs(s);
  fill(dt, in0, ROWS * s->w0, -4, 4);
  fill(dt, in1, ROWS * s->w1, -2, 2);
  fill(dt, gate, ROWS * s->cols, -4, 4);
  fill(dt, old, no, -3, 3);
  for (size_t i = 0; i < no; i++) {
    clact__put_raw(zero, ces, i, clact__to_raw(cd, -0.0));
    clact__put_raw(nanp, es, i, clact__to_raw(dt, NAN) ^ 1u); /* a NaN no kernel stores */
  }
  widen(dt, in0, w0, ROWS * s->w0);
  widen(dt, in1, w1, ROWS * s->w1);
  widen(dt, gate, wg, ROWS * s->cols);
  clact_call id = {0};
  id.blend = 1;
  id.alpha = 1;
  id.beta = 1;
  EXPECT_STATUS(run(s, cd, &id, w0, w1, s->gated ? wg : NULL, zero, rr, 0), CLACT_SUCCESS);
  EXPECT_STATUS(run(s, dt, NULL, in0, in1, s->gated ? gate : NULL, nanp, plain, 0), CLACT_SUCCESS);
  /* R against the plain call */
  int near = dt == CLACT_F32 && s->dir == CLACT_FORWARD &&
             (s->op == CLACT_S_SOFTMAX || s->op == CLACT_S_SOFTMIN);
  int ok = 1;
  for (size_t i = 0; i < no && ok; i++) {
    uint64_t want = clact__to_raw(dt, clact__from_raw(cd, clact__get_raw(rr, ces, i)));
    uint64_t p = clact__get_raw(plain, es, i);
    if (near) {
      double a = clact__from_raw(dt, p), b = clact__from_raw(dt, want);
      if (!(fabs(a - b) <= 2 * (nextafterf((float)fabs(b), INFINITY) - (float)fabs(b))))
        ok = report("plain vs R", s, dt, i, p, want);
    } else if (p != want && !(is_nan_raw(dt, p) && is_nan_raw(dt, want))) {
      ok = report("plain vs R", s, dt, i, p, want);
    }
  }
  EXPECT(ok);
  const double ab[][2] = {{-1.75, 0.625}, {0.5, 1.0}, {3.0, 0.0}, {-1.0, 0.0}};
  for (size_t c = 0; c < sizeof ab / sizeof ab[0]; c++) {
    clact_call call = {0};
    call.blend = 1;
    call.alpha = ab[c][0];
    call.beta = ab[c][1];
    const void *start = ab[c][1] == 0 ? nanp : old;
    EXPECT_STATUS(run(s, dt, &call, in0, in1, s->gated ? gate : NULL, start, got, 0),
                  CLACT_SUCCESS);
    ok = 1;
    for (size_t i = 0; i < no && ok; i++) {
      uint64_t g = clact__get_raw(got, es, i);
      /* beta 0 runs the plain kernel's code: its result, where that is the compute format */
      double r = call.beta == 0 && dt == cd ? clact__from_raw(dt, clact__get_raw(plain, es, i))
                                            : clact__from_raw(cd, clact__get_raw(rr, ces, i));
      uint64_t want = blended(dt, call.alpha, call.beta, r, clact__get_raw(old, es, i));
      if (g != want && !(is_nan_raw(dt, g) && is_nan_raw(dt, want)))
        ok = report(call.beta == 0 ? "blend (beta 0)" : "blend", s, dt, i, g, want);
    }
    EXPECT(ok);
  }
}

/* In place with beta != 0: the old output is the input itself. */
static void test_in_place(const shape *s) {
  static float x[MAXE], dy[MAXE], r[MAXE], got[MAXE], zero[MAXE], dummy[MAXE];
  for (size_t i = 0; i < ROWS * s->w0; i++)
    x[i] = (float)rnd(-4, 4);
  for (size_t i = 0; i < ROWS * s->w1; i++)
    dy[i] = (float)rnd(-2, 2);
  for (size_t i = 0; i < MAXE; i++)
    zero[i] = -0.0f;
  clact_call call = {0};
  call.blend = 1;
  call.alpha = 1;
  call.beta = 1;
  EXPECT_STATUS(run(s, CLACT_F32, &call, x, dy, NULL, zero, r, 0), CLACT_SUCCESS);
  call.alpha = 0.75;
  call.beta = -2;
  EXPECT_STATUS(run(s, CLACT_F32, &call, x, dy, NULL, dummy, got, 1), CLACT_SUCCESS);
  int ok = 1;
  for (size_t i = 0; i < ROWS * s->wo && ok; i++) {
    float want = fmaf(0.75f, r[i], -2.0f * x[i]);
    if (test_bits(got[i]) != test_bits(want))
      ok = report("in place", s, CLACT_F32, i, test_bits(got[i]), test_bits(want));
  }
  EXPECT(ok);
}

/* Refused calls: the status, and the output as it was. */
static void test_invalid(void) {
  float h[64], back[64];
  for (int i = 0; i < 64; i++)
    h[i] = (float)i;
  cl_mem x = upload(h, sizeof h), y = upload(h, sizeof h);
  cl_mem wo = buf(sizeof h, CL_MEM_WRITE_ONLY);
  clact_tensor tx = {x, 0, 0}, ty = {y, 0, 0}, two = {wo, 0, 0};
  clact_call c = {0};
  c.blend = 1;
  c.alpha = NAN;
  c.beta = 1;
  EXPECT_STATUS(
      clact_rows_forward_ex(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, &c, 4, 16, tx, ty, NULL),
      CLACT_ERROR_INVALID_VALUE);
  c.alpha = 1;
  c.beta = INFINITY;
  EXPECT_STATUS(
      clact_rows_backward_ex(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, &c, 4, 16, tx, tx, ty, NULL),
      CLACT_ERROR_INVALID_VALUE);
  c.beta = 1;
  c.bias = x; /* fused bias: elementwise calls only */
  c.channels = 16;
  c.inner = 1;
  EXPECT_STATUS(
      clact_rows_forward_ex(ctx, CLACT_S_SWIGLU, CLACT_F32, NULL, &c, 4, 16, tx, ty, NULL),
      CLACT_ERROR_INVALID_VALUE);
  c.bias = NULL;
  c.dbias = x;
  EXPECT_STATUS(
      clact_rows_backward_ex(ctx, CLACT_S_CRELU, CLACT_F32, NULL, &c, 4, 8, tx, tx, ty, NULL),
      CLACT_ERROR_INVALID_VALUE);
  c.dbias = NULL;
  /* beta != 0 reads the output: a write-only one is refused; beta = 0 does not read it */
  EXPECT_STATUS(
      clact_rows_forward_ex(ctx, CLACT_S_LOG_SOFTMAX, CLACT_F32, NULL, &c, 4, 16, tx, two, NULL),
      CLACT_ERROR_BUFFER_ACCESS);
  c.beta = 0;
  EXPECT_STATUS(
      clact_rows_forward_ex(ctx, CLACT_S_LOG_SOFTMAX, CLACT_F32, NULL, &c, 4, 16, tx, two, NULL),
      CLACT_SUCCESS);
  download(y, back, sizeof back);
  EXPECT(memcmp(h, back, sizeof h) == 0);
  clReleaseMemObject(x);
  clReleaseMemObject(y);
  clReleaseMemObject(wo);
}

int main(int argc, char **argv) {
  ctx = test_context();
  q = clact_context_queue(ctx);
  /* The default run: float32 for one operation of each kernel file and every softmax-family
   * member, the other formats for the softmax family (whose code differs by format) and a few
   * more. Each dtype and blending variant is a program build, the bulk of the time here;
   * `--all` (CTest label exhaustive) runs every operation in every format. */
  int all = argc > 1 && strcmp(argv[1], "--all") == 0;
  const clact_dtype dts[] = {CLACT_F32, CLACT_F16, CLACT_BF16, CLACT_F64};
  for (int op = 0; op < CLACT_STRUCTURED_COUNT; op++) {
    int sm = op <= CLACT_S_SOFTMIN;
    for (size_t t = 0; t < sizeof dts / sizeof dts[0]; t++) {
      clact_dtype dt = dts[t];
      int lean = dt == CLACT_F32    ? sm || op == CLACT_S_SWIGLU || op >= CLACT_S_CRELU
                 : dt == CLACT_F16  ? op == CLACT_S_SOFTMAX
                 : dt == CLACT_BF16 ? op == CLACT_S_SOFTMAX || op == CLACT_S_SWIGLU
                                    : op == CLACT_S_SOFTMAX || op == CLACT_S_LOG_SOFTMAX ||
                                          op == CLACT_S_SPARSEMAX;
      if (!(all || lean) || clact_context_supports(ctx, dt) != CLACT_SUCCESS)
        continue;
      for (int d = 0; d < 2; d++) {
        clact_direction dir = d ? CLACT_BACKWARD : CLACT_FORWARD;
        shape s = make_shape((clact_structured)op, dir, 74, 0, CLACT_ROWS_AUTO);
        test_shape(&s, dt);
        if (sm || op == CLACT_S_SPARSEMAX) { /* both kernel shapes, a long row */
          s = make_shape((clact_structured)op, dir, 1000, 0, CLACT_ROWS_LONG);
          test_shape(&s, dt);
          s = make_shape((clact_structured)op, dir, 1000, 0, CLACT_ROWS_SHORT);
          test_shape(&s, dt);
        }
      }
    }
  }
  for (int d = 0; d < 2; d++) { /* a separate gate tensor */
    shape g =
        make_shape(CLACT_S_SWIGLU, d ? CLACT_BACKWARD : CLACT_FORWARD, 37, 1, CLACT_ROWS_AUTO);
    test_shape(&g, CLACT_F32);
    test_shape(&g, CLACT_BF16);
  }
  shape s = make_shape(CLACT_S_SOFTMAX, CLACT_FORWARD, 74, 0, CLACT_ROWS_AUTO);
  test_in_place(&s);
  s = make_shape(CLACT_S_GLU, CLACT_BACKWARD, 74, 0, CLACT_ROWS_AUTO);
  test_in_place(&s);
  s = make_shape(CLACT_S_MAXOUT, CLACT_BACKWARD, 74, 0, CLACT_ROWS_AUTO);
  test_in_place(&s);
  s = make_shape(CLACT_S_LOG_SOFTMAX, CLACT_BACKWARD, 74, 0, CLACT_ROWS_AUTO);
  test_in_place(&s);
  test_invalid();
  clact_context_destroy(ctx);
  return test_result();
}
