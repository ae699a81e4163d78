/* tests/test_structured_api.c: the structured operations' API (clact_rows_forward/backward,
 * the registry, clact_check_rows): every validation error returns its status and writes
 * nothing (the output, poisoned before, is read back unchanged); empty shapes are no-ops;
 * in place is allowed, partial overlap is not; Philox4x32-10 against its known answers. */
#include "clact.h"
#include "structured_internal.h" /* clact__philox4x32_10 */
#include "test_util.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define N 256
#define POISON 0x7FA1A1A1u

static clact_context *ctx;
static cl_mem x, y, ro, wo; /* x: inputs, y: output (poisoned), ro: READ_ONLY, wo: WRITE_ONLY */

static void poison(cl_mem m) {
  uint32_t p[N];
  for (int i = 0; i < N; i++)
    p[i] = POISON;
  EXPECT(clEnqueueWriteBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, sizeof p, p, 0, NULL,
                              NULL) == CL_SUCCESS);
}

static int untouched(cl_mem m) {
  uint32_t p[N];
  EXPECT(clEnqueueReadBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, sizeof p, p, 0, NULL, NULL) ==
         CL_SUCCESS);
  for (int i = 0; i < N; i++)
    if (p[i] != POISON)
      return 0;
  return 1;
}

static clact_tensor T(cl_mem m, size_t off, size_t pitch) {
  clact_tensor t = {m, off, pitch};
  return t;
}

/* A forward call that must fail with `want` and leave y untouched. */
#define FWD_FAILS(want, op, dtype, params, rows, cols, tx, ty)                                     \
  do {                                                                                             \
    poison(y);                                                                                     \
    EXPECT_STATUS(clact_rows_forward(ctx, op, dtype, params, rows, cols, tx, ty, NULL), want);     \
    EXPECT(untouched(y));                                                                          \
  } while (0)

#define BWD_FAILS(want, rows, cols, tin, tdy, tdx)                                                 \
  do {                                                                                             \
    poison(y);                                                                                     \
    EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, rows, cols, tin, tdy, \
                                      tdx, NULL),                                                  \
                  want);                                                                           \
    EXPECT(untouched(y));                                                                          \
  } while (0)

static void registry(void) {
  EXPECT(CLACT_STRUCTURED_COUNT >= 3);
  for (int i = 0; i < CLACT_STRUCTURED_COUNT; i++) {
    const clact_structured_info *in = clact_structured_get_info((clact_structured)i);
    EXPECT(in && in->id == (clact_structured)i && in->name && in->summary);
    clact_structured op;
    EXPECT_STATUS(clact_structured_lookup(in->name, &op), CLACT_SUCCESS);
    EXPECT(op == (clact_structured)i);
    EXPECT(in->out_mul >= 1 && in->out_div >= 1 && in->out_param < in->nparams);
    EXPECT(in->forward_bound && in->backward_bound);
  }
  EXPECT(clact_structured_get_info(CLACT_STRUCTURED_COUNT) == NULL);
  EXPECT(clact_structured_get_info((clact_structured)-1) == NULL);
  clact_structured op;
  EXPECT_STATUS(clact_structured_lookup("softmax2", &op), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_structured_lookup("gelu", &op), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_structured_lookup(NULL, &op), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_structured_lookup("softmax", NULL), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_structured_lookup("log_softmax", &op), CLACT_SUCCESS);
  EXPECT(op == CLACT_S_LOG_SOFTMAX);
}

static void validation(void) {
  clact_tensor tx = T(x, 0, 0), ty = T(y, 0, 0);
  /* NULL context, unknown op, dtypes, parameters */
  poison(y);
  EXPECT_STATUS(clact_rows_forward(NULL, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, tx, ty, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT(untouched(y));
  FWD_FAILS(CLACT_ERROR_UNKNOWN_ACTIVATION, CLACT_STRUCTURED_COUNT, CLACT_F32, NULL, 4, 8, tx, ty);
  FWD_FAILS(CLACT_ERROR_UNKNOWN_ACTIVATION, (clact_structured)-1, CLACT_F32, NULL, 4, 8, tx, ty);
  /* f64: every operation, where the device has cl_khr_fp64 */
  if (clact_context_supports(ctx, CLACT_F64) != CLACT_SUCCESS) {
    FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_SOFTMAX, CLACT_F64, NULL, 4, 8, tx, ty);
    FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_SPARSEMAX, CLACT_F64, NULL, 4, 8, tx, ty);
    FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_SWIGLU, CLACT_F64, NULL, 4, 8, tx, ty);
    FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_CRELU, CLACT_F64, NULL, 4, 8, tx, ty);
    FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_MAXOUT, CLACT_F64, NULL, 4, 8, tx, ty);
  } else {
    /* 8-byte elements: 16 x 8 doubles fill x (N floats) exactly, one more row is beyond it */
    FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SOFTMAX, CLACT_F64, NULL, 17, 8, tx, ty);
    poison(y);
    EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F64, NULL, 16, 8, tx, ty, NULL),
                  CLACT_SUCCESS);
    EXPECT(clFinish(clact_context_queue(ctx)) == CL_SUCCESS);
    EXPECT(!untouched(y));
  }
  FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_SOFTMAX, CLACT_DTYPE_COUNT, NULL, 4, 8, tx, ty);
  FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_SOFTMAX, (clact_dtype)-1, NULL, 4, 8, tx, ty);
  clact_params p = clact_params_default();
  p.set = 1u;
  p.value[0] = 1.0;
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_SOFTMAX, CLACT_F32, &p, 4, 8, tx, ty);
  /* buffers: NULL, pitch below the row, out of bounds (offset, rows, pitch), overflow */
  FWD_FAILS(CLACT_ERROR_NULL_ARGUMENT, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(NULL, 0, 0), ty);
  FWD_FAILS(CLACT_ERROR_NULL_ARGUMENT, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, tx, T(NULL, 0, 0));
  FWD_FAILS(CLACT_ERROR_INVALID_VALUE, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(x, 0, 7), ty);
  FWD_FAILS(CLACT_ERROR_INVALID_VALUE, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, tx, T(y, 0, 7));
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SOFTMAX, CLACT_F32, NULL, 1, N, T(x, 1, 0), ty);
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SOFTMAX, CLACT_F32, NULL, 1, N, tx, T(y, 1, 0));
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SOFTMAX, CLACT_F32, NULL, 2, N, tx, ty);
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(x, 0, 100),
            ty); /* 3 * 100 + 8 > 256 */
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SOFTMAX, CLACT_F16, NULL, 1, 2 * N + 1, tx, ty);
  FWD_FAILS(CLACT_ERROR_SIZE_OVERFLOW, CLACT_S_SOFTMAX, CLACT_F32, NULL, 3, 8,
            T(x, 0, SIZE_MAX / 2), ty);
  FWD_FAILS(CLACT_ERROR_SIZE_OVERFLOW, CLACT_S_SOFTMAX, CLACT_F32, NULL, 1, 8,
            T(x, SIZE_MAX - 4, 0), ty);
  FWD_FAILS(CLACT_ERROR_SIZE_OVERFLOW, CLACT_S_SOFTMAX, CLACT_F32, NULL, 1, SIZE_MAX / 2, tx, ty);
  /* access flags */
  FWD_FAILS(CLACT_ERROR_BUFFER_ACCESS, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, tx, T(ro, 0, 0));
  FWD_FAILS(CLACT_ERROR_BUFFER_ACCESS, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(wo, 0, 0), ty);
  /* aliasing: partial overlap rejected (rows interleaved, shifted, other pitch) */
  poison(y);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(y, 0, 0), T(y, 1, 0), NULL),
      CLACT_ERROR_INVALID_ALIAS);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(y, 0, 16),
                                   T(y, 8, 16), NULL),
                CLACT_ERROR_INVALID_ALIAS);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(y, 0, 8), T(y, 0, 9), NULL),
      CLACT_ERROR_INVALID_ALIAS);
  EXPECT(untouched(y));
  /* backward: dx against y and dy */
  BWD_FAILS(CLACT_ERROR_INVALID_ALIAS, 4, 8, T(x, 0, 0), T(y, 0, 0), T(y, 4, 0));
  BWD_FAILS(CLACT_ERROR_INVALID_ALIAS, 4, 8, T(y, 2, 0), T(x, 0, 0), T(y, 0, 0));
  BWD_FAILS(CLACT_ERROR_NULL_ARGUMENT, 4, 8, T(x, 0, 0), T(NULL, 0, 0), T(y, 0, 0));
  BWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, 1, N, T(x, 0, 0), T(x, 3, 0), T(y, 0, 0));
  BWD_FAILS(CLACT_ERROR_BUFFER_ACCESS, 4, 8, T(x, 0, 0), T(wo, 0, 0), T(y, 0, 0));
  /* a buffer of another context */
  clact_context *other = NULL;
  if (clact_context_create(&other, NULL) == CLACT_SUCCESS) {
    cl_int err;
    cl_mem ob = clCreateBuffer(clact_context_cl(other), CL_MEM_READ_WRITE, N * 4, NULL, &err);
    EXPECT(err == CL_SUCCESS);
    FWD_FAILS(CLACT_ERROR_CONTEXT_MISMATCH, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(ob, 0, 0),
              ty);
    clReleaseMemObject(ob);
    clact_context_destroy(other);
  }
  /* empty shapes: no-ops even with NULL buffers; an event is then a marker */
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 0, 8, T(NULL, 0, 0),
                                   T(NULL, 0, 0), NULL),
                CLACT_SUCCESS);
  cl_event ev = NULL;
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_LOG_SOFTMAX, CLACT_BF16, NULL, 5, 0, T(NULL, 0, 0),
                                    T(NULL, 0, 0), T(NULL, 0, 0), &ev),
                CLACT_SUCCESS);
  EXPECT(ev != NULL);
  if (ev) {
    EXPECT(clWaitForEvents(1, &ev) == CL_SUCCESS);
    clReleaseEvent(ev);
  }
  /* but an unknown op or an unsupported f64 is still an error on an empty shape */
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_STRUCTURED_COUNT, CLACT_F32, NULL, 0, 0, tx, ty, NULL),
      CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SPARSEMAX, CLACT_F64, NULL, 0, 0, tx, ty, NULL),
                clact_context_supports(ctx, CLACT_F64) == CLACT_SUCCESS
                    ? CLACT_SUCCESS
                    : CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F64, NULL, 0, 0, tx, ty, NULL),
                clact_context_supports(ctx, CLACT_F64) == CLACT_SUCCESS
                    ? CLACT_SUCCESS
                    : CLACT_ERROR_UNSUPPORTED_DTYPE);
}

/* The GLU family's own rules: rows of 2d, the gate parameter, the gated entry points. */
static void glu_validation(void) {
  clact_tensor tx = T(x, 0, 0), ty = T(y, 0, 0);
  clact_params p = clact_params_default();
  FWD_FAILS(CLACT_ERROR_INVALID_VALUE, CLACT_S_SWIGLU, CLACT_F32, NULL, 4, 7, tx, ty); /* odd */
  p.set = 1u;
  p.value[0] = 3; /* gate position 3 does not exist */
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_GLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.value[0] = 0.5; /* nor 0.5 */
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_GEGLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.value[0] = NAN;
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_REGLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.set = 2u; /* beta */
  p.value[1] = 0;
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_SWIGLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.value[1] = 1e-50; /* rounds to 0 in float */
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_SWIGLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.set = 4u; /* limit */
  p.value[2] = -1;
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_SWIGLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.set = 2u; /* glu has no beta */
  p.value[1] = 1;
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_GLU, CLACT_F32, &p, 4, 8, tx, ty);
  p.set = 8u; /* swiglu has 3 parameters */
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_SWIGLU, CLACT_F32, &p, 4, 8, tx, ty);
  /* y (d wide) over x (2d wide): never an exact alias */
  poison(y);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_GLU, CLACT_F32, NULL, 4, 8, T(y, 0, 0), T(y, 0, 0), NULL),
      CLACT_ERROR_INVALID_ALIAS);
  EXPECT(untouched(y));
  /* out of bounds: y is rows x d */
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_BILINEAR, CLACT_F32, NULL, 1, 200, tx, T(y, 200, 0));
  /* gated: only the GLU family; no gate position; outputs must not overlap */
  poison(y);
  EXPECT_STATUS(clact_rows_forward_gated(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, tx,
                                         T(x, 64, 0), ty, NULL),
                CLACT_ERROR_INVALID_VALUE);
  p.set = 1u;
  p.value[0] = 1;
  EXPECT_STATUS(
      clact_rows_forward_gated(ctx, CLACT_S_GLU, CLACT_F32, &p, 4, 8, tx, T(x, 64, 0), ty, NULL),
      CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(clact_rows_forward_gated(ctx, CLACT_S_GLU, CLACT_F32, NULL, 4, 8, tx, T(NULL, 0, 0),
                                         ty, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_rows_backward_gated(ctx, CLACT_S_SWIGLU, CLACT_F32, NULL, 4, 8, tx,
                                          T(x, 64, 0), T(x, 128, 0), T(y, 0, 0), T(y, 16, 0), NULL),
                CLACT_ERROR_INVALID_ALIAS); /* dx and dgate overlap */
  EXPECT_STATUS(clact_rows_backward_gated(ctx, CLACT_S_SWIGLU, CLACT_F32, NULL, 4, 8, tx,
                                          T(x, 64, 0), T(x, 128, 0), T(y, 0, 0), T(x, 60, 0), NULL),
                CLACT_ERROR_INVALID_ALIAS); /* dgate partly over the gate */
  EXPECT(untouched(y));
  /* packed backward: dx (2d) partly over dy (d) */
  poison(y);
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_GLU, CLACT_F32, NULL, 4, 8, T(x, 0, 0), T(y, 0, 0),
                                    T(y, 0, 0), NULL),
                CLACT_ERROR_INVALID_ALIAS);
  EXPECT(untouched(y));
  /* empty shapes are no-ops, odd widths are still errors */
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_GLU, CLACT_F16, NULL, 0, 8, T(NULL, 0, 0),
                                   T(NULL, 0, 0), NULL),
                CLACT_SUCCESS);
}

/* crelu: y and dy are twice as wide as x. */
static void crelu_validation(void) {
  clact_tensor tx = T(x, 0, 0), ty = T(y, 0, 0);
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_CRELU, CLACT_F32, NULL, 1, 200, tx, ty);
  FWD_FAILS(CLACT_ERROR_INVALID_VALUE, CLACT_S_CRELU, CLACT_F32, NULL, 2, 8, tx, T(y, 0, 15));
  poison(y);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_CRELU, CLACT_F32, NULL, 4, 8, T(y, 0, 0), T(y, 0, 0), NULL),
      CLACT_ERROR_INVALID_ALIAS); /* y (16 wide) over x (8 wide) */
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_CRELU, CLACT_F32, NULL, 4, 8, T(x, 0, 0),
                                    T(y, 0, 0), T(y, 0, 0), NULL),
                CLACT_ERROR_INVALID_ALIAS); /* dx (8 wide) over dy (16 wide) */
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_CRELU, CLACT_F32, NULL, 4, 100, T(x, 0, 0),
                                    T(x, 0, 0), T(y, 0, 0), NULL),
                CLACT_ERROR_OUT_OF_BOUNDS); /* dy: 4 rows of 200 */
  EXPECT(untouched(y));
  EXPECT_STATUS(clact_rows_forward_gated(ctx, CLACT_S_CRELU, CLACT_F32, NULL, 4, 8, tx, T(x, 64, 0),
                                         ty, NULL),
                CLACT_ERROR_INVALID_VALUE);
  clact_params p = clact_params_default();
  p.set = 1u;
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_CRELU, CLACT_F32, &p, 4, 8, tx, ty);
}

/* Valid calls: in place equals out of place; a pitch leaves the gaps alone; an event comes back */
static void valid_calls(void) {
  float h[N];
  for (int i = 0; i < N; i++)
    h[i] = (float)(i % 13) * 0.25f - 1.0f;
  EXPECT(clEnqueueWriteBuffer(clact_context_queue(ctx), x, CL_TRUE, 0, sizeof h, h, 0, NULL,
                              NULL) == CL_SUCCESS);
  poison(y);
  cl_event ev = NULL;
  /* 4 rows of 8 at pitch 16 from offset 3: elements 3..10, 19..26, ... */
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(x, 0, 0), T(y, 3, 16), &ev),
      CLACT_SUCCESS);
  EXPECT(ev != NULL);
  if (ev) {
    EXPECT(clWaitForEvents(1, &ev) == CL_SUCCESS);
    clReleaseEvent(ev);
  }
  uint32_t got[N];
  EXPECT(clEnqueueReadBuffer(clact_context_queue(ctx), y, CL_TRUE, 0, sizeof got, got, 0, NULL,
                             NULL) == CL_SUCCESS);
  for (int i = 0; i < N; i++) {
    int inside = i >= 3 && i < 3 + 3 * 16 + 8 && (i - 3) % 16 < 8;
    EXPECT(inside ? got[i] != POISON : got[i] == POISON);
  }
  /* every row sums to 1 (a check independent of the reference: 8 terms, float) */
  for (int r = 0; r < 4; r++) {
    double s = 0;
    for (int c = 0; c < 8; c++)
      s += test_float(got[3 + r * 16 + c]);
    EXPECT(s > 1 - 1e-6 && s < 1 + 1e-6);
  }
  /* in place on a copy of x: the same bits */
  EXPECT(clEnqueueWriteBuffer(clact_context_queue(ctx), y, CL_TRUE, 0, sizeof h, h, 0, NULL,
                              NULL) == CL_SUCCESS);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 4, 8, T(y, 0, 0), T(y, 0, 0), NULL),
      CLACT_SUCCESS);
  uint32_t ip[N];
  EXPECT(clEnqueueReadBuffer(clact_context_queue(ctx), y, CL_TRUE, 0, sizeof ip, ip, 0, NULL,
                             NULL) == CL_SUCCESS);
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 8; c++)
      EXPECT(ip[r * 8 + c] == got[3 + r * 16 + c]);
  /* pitch 0 and pitch = cols are the same thing (exact alias, in place) */
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_LOG_SOFTMAX, CLACT_F32, NULL, 4, 8, T(y, 0, 0),
                                   T(y, 0, 8), NULL),
                CLACT_SUCCESS);
  EXPECT(clFinish(clact_context_queue(ctx)) == CL_SUCCESS);
}

/* sparsemax, maxout, rrelu_train: parameters (k, lower, upper, seed), the width rule of maxout,
 * aliasing of outputs narrower than their inputs. */
static clact_params P(int i, double v) {
  clact_params p = clact_params_default();
  p.set = 1u << i;
  p.value[i] = v;
  return p;
}

static void new_ops_validation(void) {
  clact_tensor tx = T(x, 0, 0), ty = T(y, 0, 0);
  clact_params p;
  /* maxout: k a whole number in [1, 2^24]; cols a multiple of k */
  FWD_FAILS(CLACT_ERROR_INVALID_VALUE, CLACT_S_MAXOUT, CLACT_F32, NULL, 4, 7, tx, ty); /* k = 2 */
  p = P(0, 3);
  FWD_FAILS(CLACT_ERROR_INVALID_VALUE, CLACT_S_MAXOUT, CLACT_F32, &p, 4, 8, tx, ty);
  const double bad_k[] = {0, -2, 2.5, NAN, INFINITY, 16777217};
  for (size_t i = 0; i < sizeof bad_k / sizeof bad_k[0]; i++) {
    p = P(0, bad_k[i]);
    FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_MAXOUT, CLACT_F32, &p, 4, 8, tx, ty);
  }
  p = P(1, 1); /* maxout has one parameter */
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_MAXOUT, CLACT_F32, &p, 4, 8, tx, ty);
  /* y is rows x cols/k: out of bounds at offset 200 for 64 wide (k = 4, cols = 256) */
  p = P(0, 4);
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_MAXOUT, CLACT_F32, &p, 1, 256, tx, T(y, 200, 0));
  /* k > 1: y over x, or dx over dy, even at the same offset and pitch */
  poison(y);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, 4, 8, T(y, 0, 8), T(y, 0, 8), NULL),
      CLACT_ERROR_INVALID_ALIAS);
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, 4, 8, T(x, 0, 0),
                                    T(y, 0, 8), T(y, 0, 8), NULL),
                CLACT_ERROR_INVALID_ALIAS);
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, 4, 8, T(x, 0, 0),
                                    T(NULL, 0, 0), T(y, 0, 0), NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT(untouched(y));
  /* the output width */
  size_t w = 0;
  p = P(0, 4);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_MAXOUT, &p, 12, &w), CLACT_SUCCESS);
  EXPECT(w == 3);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_MAXOUT, &p, 13, &w), CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_GLU, NULL, 7, &w), CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_CRELU, NULL, 5, &w), CLACT_SUCCESS);
  EXPECT(w == 10);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_SPARSEMAX, NULL, 5, &w), CLACT_SUCCESS);
  EXPECT(w == 5);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_MAXOUT, NULL, 5, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_structured_out_width(CLACT_STRUCTURED_COUNT, NULL, 5, &w),
                CLACT_ERROR_UNKNOWN_ACTIVATION);
  p = P(0, 0);
  EXPECT_STATUS(clact_structured_out_width(CLACT_S_MAXOUT, &p, 4, &w), CLACT_ERROR_PARAMETER_RANGE);
  /* rrelu_train: lower in [0, 1], upper in (0, 1], lower <= upper, seed a whole number in
   * [0, 2^53) */
  const struct {
    int i;
    double v;
  } bad[] = {{0, -0.1}, {0, 1.5},     {0, NAN},
             {1, 0},    {1, 1.5},     {1, 0.1},
             {2, -1},   {2, 0.5},     {2, 9007199254740992.0},
             {2, NAN},  {2, INFINITY}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    p = P(bad[i].i, bad[i].v); /* {1, 0.1}: upper below the default lower */
    FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_RRELU_TRAIN, CLACT_F32, &p, 4, 8, tx, ty);
  }
  p = clact_params_default();
  p.set = 3u;
  p.value[0] = 0.5;
  p.value[1] = 0.25;
  FWD_FAILS(CLACT_ERROR_PARAMETER_RANGE, CLACT_S_RRELU_TRAIN, CLACT_F32, &p, 4, 8, tx, ty);
  p = P(3, 1);
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_RRELU_TRAIN, CLACT_F32, &p, 4, 8, tx, ty);
  if (clact_context_supports(ctx, CLACT_F64) != CLACT_SUCCESS)
    FWD_FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_S_RRELU_TRAIN, CLACT_F64, NULL, 4, 8, tx, ty);
  p = P(2, 9007199254740991.0); /* the largest seed is valid */
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_RRELU_TRAIN, CLACT_F32, &p, 4, 8, tx, ty, NULL),
                CLACT_SUCCESS);
  /* sparsemax: no parameters; partial overlap rejected; gated forms are the GLU family's */
  p = P(0, 1);
  FWD_FAILS(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_S_SPARSEMAX, CLACT_F32, &p, 4, 8, tx, ty);
  FWD_FAILS(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_S_SPARSEMAX, CLACT_F32, NULL, 2, N, tx, ty);
  poison(y);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SPARSEMAX, CLACT_F32, NULL, 4, 8, T(y, 0, 0),
                                   T(y, 1, 0), NULL),
                CLACT_ERROR_INVALID_ALIAS);
  EXPECT_STATUS(clact_rows_forward_gated(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, 4, 8, tx,
                                         T(x, 64, 0), ty, NULL),
                CLACT_ERROR_INVALID_VALUE);
  EXPECT(untouched(y));
  EXPECT(clFinish(clact_context_queue(ctx)) == CL_SUCCESS);
}

/* Philox4x32-10 against the known-answer vectors of Random123's kat_vectors (counter, key ->
 * output). */
static void philox_kat(void) {
  static const uint32_t kat[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u},
      {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du,
       0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu},
      {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u,
       0x94fdccebu, 0x5001e420u, 0x24126ea1u}};
  for (int i = 0; i < 3; i++) {
    uint32_t out[4];
    clact__philox4x32_10(kat[i], kat[i] + 4, out);
    for (int k = 0; k < 4; k++)
      EXPECT(out[k] == kat[i][6 + k]);
  }
}

static void read_f32(cl_mem m, float *h, size_t n) {
  EXPECT(clEnqueueReadBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, n * sizeof *h, h, 0, NULL,
                             NULL) == CL_SUCCESS);
}

static void write_f32(cl_mem m, const float *h, size_t n) {
  EXPECT(clEnqueueWriteBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, n * sizeof *h, h, 0, NULL,
                              NULL) == CL_SUCCESS);
}

/* Results that do not need the reference: sparsemax of small rows, maxout's first argmax, the
 * slopes of rrelu_train (in [lower, upper], mean near the middle, not constant, the same for a
 * seed whatever the pitch, another for another seed). */
static void new_ops_values(void) {
  float h[N], o[N];
  /* sparsemax rows [1, 0, -inf], [0.5, 0.2, -1]: [1, 0, 0], [0.65, 0.35, 0] */
  const float in[6] = {1.0f, 0.0f, -INFINITY, 0.5f, 0.2f, -1.0f};
  write_f32(x, in, 6);
  poison(y);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_SPARSEMAX, CLACT_F32, NULL, 2, 3, T(x, 0, 0),
                                   T(y, 0, 0), NULL),
                CLACT_SUCCESS);
  read_f32(y, o, 6);
  EXPECT(o[0] == 1.0f && o[1] == 0.0f && o[2] == 0.0f && o[5] == 0.0f);
  EXPECT(fabs(o[3] - 0.65) < 1e-7 && fabs(o[4] - 0.35) < 1e-7);
  /* maxout k = 2 of [1, 3, 3, 2, 5, 5]: [3, 3, 5]; backward routes dy to the first argmax */
  const float mx[6] = {1.0f, 3.0f, 3.0f, 2.0f, 5.0f, 5.0f}, g[3] = {10.0f, 20.0f, 30.0f};
  write_f32(x, mx, 6);
  poison(y);
  EXPECT_STATUS(
      clact_rows_forward(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, 1, 6, T(x, 0, 0), T(y, 0, 0), NULL),
      CLACT_SUCCESS);
  read_f32(y, o, 4);
  EXPECT(o[0] == 3.0f && o[1] == 3.0f && o[2] == 5.0f && test_bits(o[3]) == POISON);
  cl_int err;
  cl_mem d = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, N * 4, NULL, &err);
  EXPECT(err == CL_SUCCESS);
  write_f32(d, g, 3);
  poison(y);
  EXPECT_STATUS(clact_rows_backward(ctx, CLACT_S_MAXOUT, CLACT_F32, NULL, 1, 6, T(x, 0, 0),
                                    T(d, 0, 0), T(y, 0, 0), NULL),
                CLACT_SUCCESS);
  read_f32(y, o, 6);
  EXPECT(o[0] == 0 && o[1] == 10.0f && o[2] == 20.0f && o[3] == 0 && o[4] == 30.0f && o[5] == 0);
  /* rrelu_train slopes: y = -a for x = -1 */
  for (int i = 0; i < N; i++)
    h[i] = -1.0f;
  write_f32(x, h, N);
  float a1[N], a2[N], a3[N];
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_RRELU_TRAIN, CLACT_F32, NULL, 4, 64, T(x, 0, 0),
                                   T(y, 0, 0), NULL),
                CLACT_SUCCESS);
  read_f32(y, a1, N);
  double mean = 0, lo = 1, hi = 0;
  for (int i = 0; i < N; i++) {
    double a = -a1[i];
    mean += a / N;
    lo = a < lo ? a : lo;
    hi = a > hi ? a : hi;
  }
  EXPECT(lo >= 0.125 && hi < 1.0 / 3.0 && hi - lo > 0.15);
  EXPECT(fabs(mean - (0.125 + 1.0 / 3.0) / 2) < 0.02);
  /* the same logical elements at another pitch and offset: the same slopes */
  poison(y);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_RRELU_TRAIN, CLACT_F32, NULL, 2, 64, T(x, 0, 0),
                                   T(y, 3, 100), NULL),
                CLACT_SUCCESS);
  read_f32(y, a2, N);
  for (int c = 0; c < 64; c++)
    EXPECT(a2[3 + c] == a1[c] && a2[103 + c] == a1[64 + c]);
  /* another seed: other slopes */
  clact_params p = P(2, 1);
  EXPECT_STATUS(clact_rows_forward(ctx, CLACT_S_RRELU_TRAIN, CLACT_F32, &p, 4, 64, T(x, 0, 0),
                                   T(y, 0, 0), NULL),
                CLACT_SUCCESS);
  read_f32(y, a3, N);
  int differ = 0;
  for (int i = 0; i < N; i++)
    differ += a3[i] != a1[i];
  EXPECT(differ > N / 2);
  clReleaseMemObject(d);
}

static void checker_api(void) {
  clact_check_result r;
  EXPECT_STATUS(
      clact_check_rows(NULL, CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F32, NULL, 1, 1, 1, &r),
      CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(
      clact_check_rows(ctx, CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F32, NULL, 1, 1, 1, NULL),
      CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(
      clact_check_rows(ctx, CLACT_STRUCTURED_COUNT, CLACT_FORWARD, CLACT_F32, NULL, 1, 1, 1, &r),
      CLACT_ERROR_UNKNOWN_ACTIVATION);
  /* f64: checked where the device has cl_khr_fp64, refused elsewhere */
  EXPECT_STATUS(
      clact_check_rows(ctx, CLACT_S_SPARSEMAX, CLACT_FORWARD, CLACT_F64, NULL, 1, 1, 1, &r),
      clact_context_supports(ctx, CLACT_F64) == CLACT_SUCCESS ? CLACT_SUCCESS
                                                              : CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(clact_check_rows(ctx, CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F64, NULL, 3, 5, 1, &r),
                clact_context_supports(ctx, CLACT_F64) == CLACT_SUCCESS
                    ? CLACT_SUCCESS
                    : CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(clact_check_rows(ctx, CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F32, NULL, 0, 1, 1, &r),
                CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(
      clact_check_rows(ctx, CLACT_S_SOFTMAX, CLACT_DIRECTION_COUNT, CLACT_F32, NULL, 1, 1, 1, &r),
      CLACT_ERROR_INVALID_VALUE);
  /* backward from y is the backward of the softmax family */
  EXPECT_STATUS(
      clact_check_rows(ctx, CLACT_S_SOFTMIN, CLACT_BACKWARD_FROM_Y, CLACT_F32, NULL, 12, 5, 3, &r),
      CLACT_SUCCESS);
  EXPECT(r.count >= 12 * 5 && r.failures == 0);
}

int main(void) {
  ctx = test_context();
  cl_int err;
  cl_context cl = clact_context_cl(ctx);
  x = clCreateBuffer(cl, CL_MEM_READ_WRITE, N * 4, NULL, &err);
  y = clCreateBuffer(cl, CL_MEM_READ_WRITE, N * 4, NULL, &err);
  ro = clCreateBuffer(cl, CL_MEM_READ_ONLY, N * 4, NULL, &err);
  wo = clCreateBuffer(cl, CL_MEM_WRITE_ONLY, N * 4, NULL, &err);
  registry();
  validation();
  glu_validation();
  crelu_validation();
  valid_calls();
  new_ops_validation();
  new_ops_values();
  philox_kat();
  checker_api();
  clReleaseMemObject(x);
  clReleaseMemObject(y);
  clReleaseMemObject(ro);
  clReleaseMemObject(wo);
  clact_context_destroy(ctx);
  return test_result();
}
