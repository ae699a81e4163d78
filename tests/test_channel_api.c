/* tests/test_channel_api.c: the per-channel activations' API (include/clact/channel.h): every
 * invalid argument returns its own status and writes nothing (the outputs, poisoned before,
 * are read back unchanged); in place and empty tensors work; the names; clact_check_channel's
 * own argument checks. */
#include "clact.h"

#include "clact/channel.h"
#include "test_util.h"

#include <stdint.h>
#include <string.h>

#define NB 256 /* floats per buffer */
#define POISON 0x7FA1A1A1u
/* the shape of the calls: 2 x 4 x 8 = 64 elements; weights: S x C <= 8 x 4 = 32 */
#define SN 2
#define SC 4
#define SI 8
#define TOTAL (SN * SC * SI)

static clact_context *ctx, *other;
static cl_mem x, y, w, b, dw, db, ro, wo, foreign;

static cl_mem make(cl_context c, cl_mem_flags flags) {
  cl_int err;
  cl_mem m = clCreateBuffer(c, flags, NB * sizeof(float), NULL, &err);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clCreateBuffer: %d\n", err);
    exit(1);
  }
  return m;
}

static void fill(cl_mem m, float v) {
  float p[NB];
  for (int i = 0; i < NB; i++)
    p[i] = v + 0.01f * (float)(i % 7) - 0.02f * (float)(i % 5);
  EXPECT(clEnqueueWriteBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, sizeof p, p, 0, NULL,
                              NULL) == CL_SUCCESS);
}

static void poison(cl_mem m) {
  uint32_t p[NB];
  for (int i = 0; i < NB; i++)
    p[i] = POISON;
  EXPECT(clEnqueueWriteBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, sizeof p, p, 0, NULL,
                              NULL) == CL_SUCCESS);
}

static void read_back(cl_mem m, void *p) {
  EXPECT(clEnqueueReadBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, NB * sizeof(float), p, 0,
                             NULL, NULL) == CL_SUCCESS);
}

static int untouched(cl_mem m) {
  uint32_t p[NB];
  read_back(m, p);
  for (int i = 0; i < NB; i++)
    if (p[i] != POISON)
      return 0;
  return 1;
}

static void poison_outputs(void) {
  poison(y);
  poison(dw);
  poison(db);
}

static int outputs_untouched(void) {
  return untouched(y) && untouched(dw) && untouched(db);
}

static clact_channel_params prelu_p(void) {
  clact_channel_params p = {0, 0, w, 0, NULL, 0};
  return p;
}

static clact_channel_params apl_p(unsigned s) {
  clact_channel_params p = {s, 0, w, 0, b, 0};
  return p;
}

/* A call that must fail with `want` and write nothing. */
#define FAILS(want, expr)                                                                          \
  do {                                                                                             \
    poison_outputs();                                                                              \
    EXPECT_STATUS(expr, want);                                                                     \
    EXPECT(outputs_untouched());                                                                   \
  } while (0)

#define FWD(op, dt, pp, n, c, inner, xm, xo, ym, yo)                                               \
  clact_channel_forward(ctx, op, dt, pp, n, c, inner, xm, xo, ym, yo, NULL)
#define BWD(op, dt, pp, n, c, inner, xm, xo, dym, dyo, dxm, dxo, gg)                               \
  clact_channel_backward(ctx, op, dt, pp, n, c, inner, xm, xo, dym, dyo, dxm, dxo, gg, NULL)

static void names(void) {
  clact_channel_op op;
  EXPECT(strcmp(clact_channel_name(CLACT_CH_PRELU), "prelu") == 0);
  EXPECT(strcmp(clact_channel_name(CLACT_CH_APL), "apl") == 0);
  EXPECT(strcmp(clact_channel_name(CLACT_CHANNEL_COUNT), "?") == 0);
  EXPECT(strcmp(clact_channel_name((clact_channel_op)-1), "?") == 0);
  EXPECT_STATUS(clact_channel_lookup("apl", &op), CLACT_SUCCESS);
  EXPECT(op == CLACT_CH_APL);
  EXPECT_STATUS(clact_channel_lookup("prelu", &op), CLACT_SUCCESS);
  EXPECT(op == CLACT_CH_PRELU);
  EXPECT_STATUS(clact_channel_lookup("PReLU", &op), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_channel_lookup("relu", &op), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_channel_lookup(NULL, &op), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_channel_lookup("apl", NULL), CLACT_ERROR_NULL_ARGUMENT);
}

static void validation(void) {
  clact_channel_params pp = prelu_p(), pa = apl_p(3), q;
  clact_channel_grads g = {dw, 0, NULL, 0, 0}, ga = {dw, 0, db, 0, 0}, gq;
  const size_t big = SIZE_MAX / 2;
  /* NULL context and parameters */
  poison_outputs();
  EXPECT_STATUS(
      clact_channel_forward(NULL, CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, 0, NULL),
      CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_channel_backward(NULL, CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0,
                                       y, 0, &g, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT(outputs_untouched());
  FAILS(CLACT_ERROR_NULL_ARGUMENT, FWD(CLACT_CH_PRELU, CLACT_F32, NULL, SN, SC, SI, x, 0, y, 0));
  FAILS(CLACT_ERROR_NULL_ARGUMENT,
        BWD(CLACT_CH_APL, CLACT_F32, NULL, SN, SC, SI, x, 0, x, 0, y, 0, &ga));
  /* op and dtype */
  FAILS(CLACT_ERROR_UNKNOWN_ACTIVATION,
        FWD(CLACT_CHANNEL_COUNT, CLACT_F32, &pp, SN, SC, SI, x, 0, y, 0));
  FAILS(CLACT_ERROR_UNKNOWN_ACTIVATION,
        BWD((clact_channel_op)-1, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0, y, 0, &g));
  FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE,
        FWD(CLACT_CH_PRELU, CLACT_DTYPE_COUNT, &pp, SN, SC, SI, x, 0, y, 0));
  FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE,
        FWD(CLACT_CH_PRELU, (clact_dtype)-1, &pp, SN, SC, SI, x, 0, y, 0));
  if (clact_context_supports(ctx, CLACT_F64) != CLACT_SUCCESS) {
    FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE,
          FWD(CLACT_CH_PRELU, CLACT_F64, &pp, SN, SC, SI, x, 0, y, 0));
    FAILS(CLACT_ERROR_UNSUPPORTED_DTYPE,
          BWD(CLACT_CH_APL, CLACT_F64, &pa, SN, SC, SI, x, 0, x, 0, y, 0, &ga));
  }
  /* hinges and shared */
  q = pp;
  q.hinges = 1;
  FAILS(CLACT_ERROR_PARAMETER_RANGE, FWD(CLACT_CH_PRELU, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  q = pp;
  q.shared = 2;
  FAILS(CLACT_ERROR_PARAMETER_RANGE, FWD(CLACT_CH_PRELU, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  q = pa;
  q.hinges = 0;
  FAILS(CLACT_ERROR_PARAMETER_RANGE, FWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  q.hinges = CLACT_APL_MAX_HINGES + 1;
  FAILS(CLACT_ERROR_PARAMETER_RANGE,
        BWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, x, 0, y, 0, &ga));
  q = pa;
  q.shared = 1;
  FAILS(CLACT_ERROR_PARAMETER_RANGE, FWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  /* c == 0, accumulate, prelu with db */
  FAILS(CLACT_ERROR_INVALID_VALUE, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, 0, SI, x, 0, y, 0));
  FAILS(CLACT_ERROR_INVALID_VALUE,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, 0, 0, SI, x, 0, x, 0, y, 0, &ga));
  gq = ga;
  gq.accumulate = 2;
  FAILS(CLACT_ERROR_INVALID_VALUE,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  FAILS(CLACT_ERROR_INVALID_VALUE,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0, y, 0, &ga));
  /* shapes that overflow */
  FAILS(CLACT_ERROR_SIZE_OVERFLOW, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, big, 3, 1, x, 0, y, 0));
  FAILS(CLACT_ERROR_SIZE_OVERFLOW, BWD(CLACT_CH_PRELU, CLACT_F32, &pp, 1 << 20, 1 << 20,
                                       SIZE_MAX / 1024, x, 0, x, 0, y, 0, &g));
  FAILS(CLACT_ERROR_SIZE_OVERFLOW, FWD(CLACT_CH_APL, CLACT_F32, &pa, 1, big, 0, x, 0, y, 0));
  /* NULL buffers */
  FAILS(CLACT_ERROR_NULL_ARGUMENT, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, NULL, 0, y, 0));
  FAILS(CLACT_ERROR_NULL_ARGUMENT, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, NULL, 0));
  FAILS(CLACT_ERROR_NULL_ARGUMENT,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, NULL, 0, y, 0, &g));
  q = pp;
  q.w = NULL;
  FAILS(CLACT_ERROR_NULL_ARGUMENT, FWD(CLACT_CH_PRELU, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  q = pa;
  q.b = NULL;
  FAILS(CLACT_ERROR_NULL_ARGUMENT, FWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  /* past the end of a buffer, offsets overflowing */
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS,
        FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, NB - TOTAL + 1, y, 0));
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS,
        FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, NB - TOTAL + 1));
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, NB - TOTAL + 1, y, 0, &g));
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, 8, 33, 1, x, 0, y, 0));
  q = pp;
  q.w_off = NB - SC + 1;
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS, FWD(CLACT_CH_PRELU, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  q.shared = 1; /* one weight: fits */
  poison_outputs();
  EXPECT_STATUS(FWD(CLACT_CH_PRELU, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0), CLACT_SUCCESS);
  q = pa;
  q.b_off = NB - 3 * SC + 1;
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS, FWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  gq = ga;
  gq.dw_off = NB - 3 * SC + 1;
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  gq = ga;
  gq.db_off = NB - 3 * SC + 1;
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  FAILS(CLACT_ERROR_SIZE_OVERFLOW,
        FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, SIZE_MAX - 10, y, 0));
  FAILS(CLACT_ERROR_SIZE_OVERFLOW,
        FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, SIZE_MAX / 2));
  /* buffer flags and contexts */
  FAILS(CLACT_ERROR_BUFFER_ACCESS, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, wo, 0, y, 0));
  poison_outputs();
  EXPECT_STATUS(FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, ro, 0),
                CLACT_ERROR_BUFFER_ACCESS);
  EXPECT(outputs_untouched());
  gq = g;
  gq.dw = ro;
  FAILS(CLACT_ERROR_BUFFER_ACCESS,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  FAILS(CLACT_ERROR_CONTEXT_MISMATCH,
        FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, foreign, 0, y, 0));
  q = pa;
  q.b = foreign;
  FAILS(CLACT_ERROR_CONTEXT_MISMATCH, FWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  /* aliasing */
  FAILS(CLACT_ERROR_INVALID_ALIAS, FWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, y, 0, y, 1));
  q = pp;
  q.w = y;
  q.w_off = TOTAL - 1; /* y overlaps the weights */
  FAILS(CLACT_ERROR_INVALID_ALIAS, FWD(CLACT_CH_PRELU, CLACT_F32, &q, SN, SC, SI, x, 0, y, 0));
  q = pa;
  q.b = y;
  q.b_off = 100;
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_APL, CLACT_F32, &q, SN, SC, SI, x, 0, x, 0, y, 90, NULL));
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, 8, y, 0, &g));
  gq = g;
  gq.dw = x; /* dw over x */
  gq.dw_off = 10;
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  gq = g;
  gq.dw = y; /* dw over dx */
  gq.dw_off = TOTAL - 2;
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  gq = g;
  gq.dw = w; /* dw over w */
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  gq = ga;
  gq.db = dw; /* dw and db overlap */
  gq.db_off = 5;
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
  /* the same tensor region as dw and db exactly is an overlap too */
  gq = ga;
  gq.db = dw;
  FAILS(CLACT_ERROR_INVALID_ALIAS,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, x, 0, y, 0, &gq));
}

/* In place and empty tensors work; the results equal the out-of-place ones. */
static void allowed(void) {
  clact_channel_params pp = prelu_p(), pa = apl_p(2);
  clact_channel_grads g = {dw, 0, NULL, 0, 0}, ga = {dw, 0, db, 0, 0};
  float r1[NB], r2[NB], g1[NB], g2[NB];
  /* forward out of place, then in place (y = x) */
  fill(x, -0.5f);
  poison(y);
  EXPECT_STATUS(FWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 4, y, 4), CLACT_SUCCESS);
  read_back(y, r1);
  EXPECT_STATUS(FWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 4, x, 4), CLACT_SUCCESS);
  read_back(x, r2);
  EXPECT(memcmp(r1 + 4, r2 + 4, TOTAL * sizeof(float)) == 0);
  /* backward: dx = dy (in place) and dx = x */
  fill(x, -0.5f);
  fill(y, 0.75f);
  poison(dw);
  cl_mem dx2 = make(clact_context_cl(ctx), CL_MEM_READ_WRITE);
  EXPECT_STATUS(BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, 0, dx2, 0, &g),
                CLACT_SUCCESS);
  read_back(dx2, r1);
  read_back(dw, g1);
  poison(dw);
  EXPECT_STATUS(BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, 0, y, 0, &g),
                CLACT_SUCCESS);
  read_back(y, r2);
  read_back(dw, g2);
  EXPECT(memcmp(r1, r2, TOTAL * sizeof(float)) == 0);
  EXPECT(memcmp(g1, g2, SC * sizeof(float)) == 0);
  fill(y, 0.75f);
  EXPECT_STATUS(BWD(CLACT_CH_PRELU, CLACT_F32, &pp, SN, SC, SI, x, 0, y, 0, x, 0, NULL),
                CLACT_SUCCESS);
  read_back(x, r2);
  EXPECT(memcmp(r1, r2, TOTAL * sizeof(float)) == 0);
  clReleaseMemObject(dx2);
  /* empty tensors: forward writes nothing; backward zeroes the gradients (overwrite) or leaves
   * them (accumulate); the event completes */
  poison_outputs();
  cl_event ev = NULL;
  EXPECT_STATUS(
      clact_channel_forward(ctx, CLACT_CH_PRELU, CLACT_F32, &pp, 0, SC, SI, NULL, 0, NULL, 0, &ev),
      CLACT_SUCCESS);
  EXPECT(ev && clWaitForEvents(1, &ev) == CL_SUCCESS);
  if (ev)
    clReleaseEvent(ev);
  EXPECT_STATUS(FWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, 0, x, 0, y, 0), CLACT_SUCCESS);
  EXPECT(outputs_untouched());
  ev = NULL;
  EXPECT_STATUS(clact_channel_backward(ctx, CLACT_CH_APL, CLACT_F32, &pa, 0, SC, SI, NULL, 0, NULL,
                                       0, NULL, 0, &ga, &ev),
                CLACT_SUCCESS);
  EXPECT(ev && clWaitForEvents(1, &ev) == CL_SUCCESS);
  if (ev)
    clReleaseEvent(ev);
  read_back(dw, g1);
  read_back(db, g2);
  int zeros = 1;
  for (int i = 0; i < 2 * SC; i++)
    zeros &= g1[i] == 0 && g2[i] == 0;
  EXPECT(zeros);
  EXPECT(test_bits(g1[2 * SC]) == POISON && test_bits(g2[2 * SC]) == POISON);
  poison_outputs();
  ga.accumulate = 1;
  EXPECT_STATUS(BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, 0, x, 0, x, 0, y, 0, &ga), CLACT_SUCCESS);
  EXPECT(outputs_untouched());
  /* an empty backward still checks the gradients' buffers */
  ga.accumulate = 0;
  ga.db_off = NB;
  FAILS(CLACT_ERROR_OUT_OF_BOUNDS,
        BWD(CLACT_CH_APL, CLACT_F32, &pa, 0, SC, SI, NULL, 0, NULL, 0, NULL, 0, &ga));
}

/* On an out-of-order queue (a wrapped context) the second reduction pass still waits for the
 * first: the results equal the in-order queue's, and the event covers both passes. */
static void out_of_order(void) {
  cl_int err;
  cl_command_queue q = clCreateCommandQueue(clact_context_cl(ctx), clact_context_device(ctx),
                                            CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, &err);
  if (err != CL_SUCCESS) {
    printf("(no out-of-order queue on this device: %d; skipped)\n", err);
    return;
  }
  clact_context *ooo = NULL;
  EXPECT_STATUS(clact_context_wrap(&ooo, clact_context_cl(ctx), q), CLACT_SUCCESS);
  clReleaseCommandQueue(q);
  if (!ooo)
    return;
  clact_channel_params pa = apl_p(3);
  clact_channel_grads ga = {dw, 0, db, 0, 0};
  float r1[NB], r2[NB], a1[NB], a2[NB], b1[NB], b2[NB];
  fill(x, -0.25f);
  fill(y, 0.5f);
  EXPECT_STATUS(BWD(CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, y, 0, y, 0, &ga),
                CLACT_SUCCESS);
  read_back(y, r1);
  read_back(dw, a1);
  read_back(db, b1);
  fill(y, 0.5f);
  poison(dw);
  poison(db);
  cl_event ev = NULL;
  EXPECT_STATUS(clact_channel_backward(ooo, CLACT_CH_APL, CLACT_F32, &pa, SN, SC, SI, x, 0, y, 0, y,
                                       0, &ga, &ev),
                CLACT_SUCCESS);
  EXPECT(ev && clWaitForEvents(1, &ev) == CL_SUCCESS);
  if (ev)
    clReleaseEvent(ev);
  EXPECT(clFinish(clact_context_queue(ooo)) == CL_SUCCESS);
  read_back(y, r2);
  read_back(dw, a2);
  read_back(db, b2);
  EXPECT(memcmp(r1, r2, TOTAL * sizeof(float)) == 0);
  EXPECT(memcmp(a1, a2, 3 * SC * sizeof(float)) == 0);
  EXPECT(memcmp(b1, b2, 3 * SC * sizeof(float)) == 0);
  clact_context_destroy(ooo);
}

static void checker_args(void) {
  clact_check_result r;
  EXPECT_STATUS(
      clact_check_channel(NULL, CLACT_CH_PRELU, CLACT_FORWARD, CLACT_F32, 0, 0, 1, 1, 1, 1, &r),
      CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(
      clact_check_channel(ctx, CLACT_CH_PRELU, CLACT_FORWARD, CLACT_F32, 0, 0, 1, 1, 1, 1, NULL),
      CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(
      clact_check_channel(ctx, CLACT_CHANNEL_COUNT, CLACT_FORWARD, CLACT_F32, 0, 0, 1, 1, 1, 1, &r),
      CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_check_channel(ctx, CLACT_CH_PRELU, CLACT_BACKWARD_FROM_Y, CLACT_F32, 0, 0, 1,
                                    1, 1, 1, &r),
                CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(
      clact_check_channel(ctx, CLACT_CH_APL, CLACT_FORWARD, CLACT_F32, 9, 0, 1, 1, 1, 1, &r),
      CLACT_ERROR_PARAMETER_RANGE);
  EXPECT_STATUS(
      clact_check_channel(ctx, CLACT_CH_APL, CLACT_FORWARD, CLACT_F32, 2, 0, 1, 0, 1, 1, &r),
      CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(clact_check_channel(ctx, CLACT_CH_PRELU, CLACT_FORWARD, CLACT_DTYPE_COUNT, 0, 0, 1,
                                    1, 1, 1, &r),
                CLACT_ERROR_UNSUPPORTED_DTYPE);
}

int main(void) {
  ctx = test_context();
  other = test_context();
  cl_context cl = clact_context_cl(ctx);
  x = make(cl, CL_MEM_READ_WRITE);
  y = make(cl, CL_MEM_READ_WRITE);
  w = make(cl, CL_MEM_READ_WRITE);
  b = make(cl, CL_MEM_READ_WRITE);
  dw = make(cl, CL_MEM_READ_WRITE);
  db = make(cl, CL_MEM_READ_WRITE);
  ro = make(cl, CL_MEM_READ_ONLY);
  wo = make(cl, CL_MEM_WRITE_ONLY);
  foreign = make(clact_context_cl(other), CL_MEM_READ_WRITE);
  fill(x, 0.5f);
  fill(w, 0.25f);
  fill(b, -0.5f);
  names();
  validation();
  allowed();
  out_of_order();
  checker_args();
  cl_mem all[] = {x, y, w, b, dw, db, ro, wo, foreign};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    clReleaseMemObject(all[i]);
  clact_context_destroy(other);
  clact_context_destroy(ctx);
  if (test_failures)
    fprintf(stderr, "%d failures\n", test_failures);
  else
    printf("channel API: every invalid argument rejected with its status, nothing written\n");
  return test_failures ? 1 : 0;
}
