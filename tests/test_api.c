/* tests/test_api.c: the public API's argument validation: each invalid call returns its exact
 * status and leaves the output buffer byte-for-byte untouched; valid edge cases (n = 0, exact
 * in-place aliasing, events, wrapped contexts) work. */
#include "test_util.h"

#include <math.h>
#include <stdint.h>

#define N 1024
#define POISON 0x7FA0BEEFu

static cl_mem make_buffer(cl_context c, cl_mem_flags flags, size_t n) {
  cl_int err;
  cl_mem m = clCreateBuffer(c, flags, n * sizeof(float), NULL, &err);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clCreateBuffer: %d\n", err);
    exit(1);
  }
  return m;
}

static void fill(clact_context *ctx, cl_mem m, size_t n, int poison) {
  float *h = malloc(n * sizeof *h);
  for (size_t i = 0; i < n; i++)
    h[i] = poison ? test_float(POISON) : (float)((double)i / 64.0 - 8.0);
  clEnqueueWriteBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, n * sizeof *h, h, 0, NULL, NULL);
  free(h);
}

/* Every element of the buffer still holds the poison. */
static int untouched(clact_context *ctx, cl_mem m, size_t n) {
  float *h = malloc(n * sizeof *h);
  clFinish(clact_context_queue(ctx));
  clEnqueueReadBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, n * sizeof *h, h, 0, NULL, NULL);
  int ok = 1;
  for (size_t i = 0; i < n; i++)
    ok &= test_bits(h[i]) == POISON;
  free(h);
  return ok;
}

/* An invalid forward call: exact status, output untouched. */
#define EXPECT_FWD_REJECTED(want, act, dtype, params, n, x, xo, y, yo)                             \
  do {                                                                                             \
    fill(ctx, y, N, 1);                                                                            \
    EXPECT_STATUS(clact_forward(ctx, act, dtype, params, n, x, xo, y, yo, NULL), want);            \
    EXPECT(untouched(ctx, y, N));                                                                  \
  } while (0)

static void test_context_creation(void) {
  clact_context *c = NULL;
  EXPECT_STATUS(clact_context_create(NULL, NULL), CLACT_ERROR_NULL_ARGUMENT);
  const char *bad[] = {"abc", "0:", ":0", "0", "1:2:3", "0:x", "-1:0", " 0:0", "0:0 "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    EXPECT_STATUS(clact_context_create(&c, bad[i]), CLACT_ERROR_BAD_DEVICE_SPEC);
    EXPECT(c == NULL);
  }
  EXPECT_STATUS(clact_context_create(&c, "99:0"), CLACT_ERROR_NO_DEVICE);
  EXPECT_STATUS(clact_context_create(&c, "0:99"), CLACT_ERROR_NO_DEVICE);
  EXPECT_STATUS(clact_context_create(&c, "0:0"), CLACT_SUCCESS);
  clact_context_destroy(c);
  clact_context_destroy(NULL); /* a no-op */
}

static void test_vector_width(clact_context *ctx) {
  EXPECT_STATUS(clact_context_set_vector_width(ctx, 3), CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(clact_context_set_vector_width(ctx, 32), CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(clact_context_set_vector_width(NULL, 4), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_context_set_vector_width(ctx, 4), CLACT_SUCCESS);
  EXPECT(clact_context_vector_width(ctx) == 4);
  EXPECT_STATUS(clact_context_set_vector_width(ctx, 0), CLACT_SUCCESS);
  unsigned w = clact_context_vector_width(ctx);
  EXPECT(w == 1 || w == 2 || w == 4 || w == 8 || w == 16);
}

static void test_forward_validation(clact_context *ctx) {
  cl_context c = clact_context_cl(ctx);
  cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), y = make_buffer(c, CL_MEM_READ_WRITE, N);
  fill(ctx, x, N, 0);
  clact_params bad = clact_params_default();

  /* NULL context and buffers, unknown ids and dtypes */
  EXPECT_STATUS(clact_forward(NULL, CLACT_RELU, CLACT_F32, NULL, N, x, 0, y, 0, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_FWD_REJECTED(CLACT_ERROR_NULL_ARGUMENT, CLACT_RELU, CLACT_F32, NULL, N, NULL, 0, y, 0);
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, N, x, 0, NULL, 0, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_FWD_REJECTED(CLACT_ERROR_UNKNOWN_ACTIVATION, CLACT_ACTIVATION_COUNT, CLACT_F32, NULL, N, x,
                      0, y, 0);
  EXPECT_FWD_REJECTED(CLACT_ERROR_UNKNOWN_ACTIVATION, (clact_activation)-1, CLACT_F32, NULL, N, x,
                      0, y, 0);
  EXPECT_FWD_REJECTED(CLACT_ERROR_UNSUPPORTED_DTYPE, CLACT_RELU, (clact_dtype)99, NULL, N, x, 0, y,
                      0);

  /* parameters: NaN, out of range, out of range once rounded to float, nonexistent */
  bad.set = 1;
  bad.value[0] = NAN;
  EXPECT_FWD_REJECTED(CLACT_ERROR_PARAMETER_RANGE, CLACT_LEAKY_RELU, CLACT_F32, &bad, N, x, 0, y,
                      0);
  bad.value[0] = INFINITY;
  EXPECT_FWD_REJECTED(CLACT_ERROR_PARAMETER_RANGE, CLACT_LEAKY_RELU, CLACT_F32, &bad, N, x, 0, y,
                      0);
  bad.value[0] = 1e300; /* finite, but inf as the float the kernel would see */
  EXPECT_FWD_REJECTED(CLACT_ERROR_PARAMETER_RANGE, CLACT_LEAKY_RELU, CLACT_F32, &bad, N, x, 0, y,
                      0);
  bad.value[0] = 0.0; /* softplus beta must be > 0 */
  EXPECT_FWD_REJECTED(CLACT_ERROR_PARAMETER_RANGE, CLACT_SOFTPLUS, CLACT_F32, &bad, N, x, 0, y, 0);
  bad.value[0] = -1.0;
  EXPECT_FWD_REJECTED(CLACT_ERROR_PARAMETER_RANGE, CLACT_SOFTPLUS, CLACT_F32, &bad, N, x, 0, y, 0);
  bad.value[0] = 1e-50; /* > 0 as a double, 0 as a float */
  EXPECT_FWD_REJECTED(CLACT_ERROR_PARAMETER_RANGE, CLACT_SOFTPLUS, CLACT_F32, &bad, N, x, 0, y, 0);
  bad.set = 1u << 3; /* relu has no parameter 3 */
  EXPECT_FWD_REJECTED(CLACT_ERROR_UNKNOWN_PARAMETER, CLACT_RELU, CLACT_F32, &bad, N, x, 0, y, 0);

  /* sizes and offsets */
  EXPECT_FWD_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_RELU, CLACT_F32, NULL, N + 1, x, 0, y, 0);
  EXPECT_FWD_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_RELU, CLACT_F32, NULL, N, x, 1, y, 0);
  EXPECT_FWD_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, CLACT_RELU, CLACT_F32, NULL, N, x, 0, y, 1);
  EXPECT_FWD_REJECTED(CLACT_ERROR_SIZE_OVERFLOW, CLACT_RELU, CLACT_F32, NULL, 16, x, SIZE_MAX - 8,
                      y, 0);
  EXPECT_FWD_REJECTED(CLACT_ERROR_SIZE_OVERFLOW, CLACT_RELU, CLACT_F32, NULL, SIZE_MAX / 2, x, 0, y,
                      0);

  /* aliasing: partial overlap rejected, directly and through a sub-buffer */
  fill(ctx, x, N, 1);
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 16, x, 0, x, 1, NULL),
                CLACT_ERROR_INVALID_ALIAS);
  EXPECT(untouched(ctx, x, N));
  cl_uint align_bits = 0;
  clGetDeviceInfo(clact_context_device(ctx), CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof align_bits,
                  &align_bits, NULL);
  size_t align = align_bits / 8;
  if (align && align * 2 <= N * sizeof(float)) {
    cl_buffer_region region = {align, N * sizeof(float) - align};
    cl_int err;
    cl_mem sub =
        clCreateSubBuffer(x, CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region, &err);
    EXPECT(err == CL_SUCCESS);
    if (err == CL_SUCCESS) {
      /* x[0..64) and sub[0..64) = x[align/4 ..) overlap partially when align/4 < 64 */
      size_t shift = align / sizeof(float);
      if (shift < 64)
        EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 64, x, 0, sub, 0, NULL),
                      CLACT_ERROR_INVALID_ALIAS);
      /* the same elements through the parent and the sub-buffer: exact aliasing, allowed */
      EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 64, x, shift, sub, 0, NULL),
                    CLACT_SUCCESS);
      clReleaseMemObject(sub);
    }
  }
  fill(ctx, x, N, 0);

  /* buffers of another context; flags that forbid the access */
  cl_int err;
  cl_device_id dev = clact_context_device(ctx);
  cl_context other = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
  cl_mem xo = make_buffer(other, CL_MEM_READ_WRITE, N);
  EXPECT_FWD_REJECTED(CLACT_ERROR_CONTEXT_MISMATCH, CLACT_RELU, CLACT_F32, NULL, N, xo, 0, y, 0);
  clReleaseMemObject(xo);
  clReleaseContext(other);
  cl_mem ro = make_buffer(c, CL_MEM_READ_ONLY, N), wo = make_buffer(c, CL_MEM_WRITE_ONLY, N);
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, N, x, 0, ro, 0, NULL),
                CLACT_ERROR_BUFFER_ACCESS);
  EXPECT_FWD_REJECTED(CLACT_ERROR_BUFFER_ACCESS, CLACT_RELU, CLACT_F32, NULL, N, wo, 0, y, 0);
  clReleaseMemObject(ro);
  clReleaseMemObject(wo);

  /* n = 0 is a no-op even without buffers; with an event it is a marker */
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 0, NULL, 0, NULL, 0, NULL),
                CLACT_SUCCESS);
  cl_event ev = NULL;
  fill(ctx, y, N, 1);
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 0, x, 0, y, 0, &ev), CLACT_SUCCESS);
  EXPECT(ev != NULL && clWaitForEvents(1, &ev) == CL_SUCCESS);
  if (ev)
    clReleaseEvent(ev);
  EXPECT(untouched(ctx, y, N));
  /* ... but the activation and parameters are still validated */
  EXPECT_STATUS(
      clact_forward(ctx, CLACT_ACTIVATION_COUNT, CLACT_F32, NULL, 0, NULL, 0, NULL, 0, NULL),
      CLACT_ERROR_UNKNOWN_ACTIVATION);

  /* a valid call with an event writes exactly its range */
  ev = NULL;
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 100, x, 10, y, 20, &ev),
                CLACT_SUCCESS);
  EXPECT(ev != NULL && clWaitForEvents(1, &ev) == CL_SUCCESS);
  if (ev)
    clReleaseEvent(ev);
  float hy[N], hx[N];
  clEnqueueReadBuffer(clact_context_queue(ctx), y, CL_TRUE, 0, sizeof hy, hy, 0, NULL, NULL);
  clEnqueueReadBuffer(clact_context_queue(ctx), x, CL_TRUE, 0, sizeof hx, hx, 0, NULL, NULL);
  int ok = 1;
  for (int i = 0; i < N; i++) {
    if (i >= 20 && i < 120)
      ok &= hy[i] == (hx[i - 10] > 0 ? hx[i - 10] : 0.0f);
    else
      ok &= test_bits(hy[i]) == POISON;
  }
  EXPECT(ok);

  clReleaseMemObject(x);
  clReleaseMemObject(y);
}

static void test_backward_validation(clact_context *ctx) {
  cl_context c = clact_context_cl(ctx);
  cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), dy = make_buffer(c, CL_MEM_READ_WRITE, N),
         dx = make_buffer(c, CL_MEM_READ_WRITE, N);
  fill(ctx, x, N, 0);
  fill(ctx, dy, N, 0);
  clact_params p = clact_params_default();

  fill(ctx, dx, N, 1);
  EXPECT_STATUS(clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, NULL, 0, dx, 0, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 1, dx, 0, NULL),
                CLACT_ERROR_OUT_OF_BOUNDS);
  EXPECT_STATUS(clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, 8, x, 0, dy, 0, dy, 2, NULL),
                CLACT_ERROR_INVALID_ALIAS);
  /* no backward-from-output variant: never (gelu), or not for these parameters */
  EXPECT_STATUS(
      clact_backward_from_y(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 0, dx, 0, NULL),
      CLACT_ERROR_NO_FROM_Y);
  EXPECT_STATUS(clact_has_backward_from_y(CLACT_GELU, NULL), CLACT_ERROR_NO_FROM_Y);
  EXPECT_STATUS(clact_params_set(CLACT_LEAKY_RELU, &p, "slope", -0.1), CLACT_SUCCESS);
  EXPECT_STATUS(
      clact_backward_from_y(ctx, CLACT_LEAKY_RELU, CLACT_F32, &p, N, x, 0, dy, 0, dx, 0, NULL),
      CLACT_ERROR_NO_FROM_Y);
  EXPECT_STATUS(clact_params_set(CLACT_LEAKY_RELU, &p, "slope", 0.0), CLACT_SUCCESS);
  EXPECT_STATUS(clact_has_backward_from_y(CLACT_LEAKY_RELU, &p), CLACT_ERROR_NO_FROM_Y);
  EXPECT_STATUS(clact_params_set(CLACT_LEAKY_RELU, &p, "slope", 0.3), CLACT_SUCCESS);
  EXPECT_STATUS(clact_has_backward_from_y(CLACT_LEAKY_RELU, &p), CLACT_SUCCESS);
  EXPECT(untouched(ctx, dx, N));

  /* in place: dx may be dy or x exactly */
  EXPECT_STATUS(clact_backward(ctx, CLACT_SILU, CLACT_F32, NULL, N, x, 0, dy, 0, dy, 0, NULL),
                CLACT_SUCCESS);
  EXPECT_STATUS(clact_backward(ctx, CLACT_SILU, CLACT_F32, NULL, N, x, 0, dy, 0, x, 0, NULL),
                CLACT_SUCCESS);
  EXPECT_STATUS(
      clact_backward_from_y(ctx, CLACT_SIGMOID, CLACT_F32, NULL, N, x, 0, dy, 0, dx, 0, NULL),
      CLACT_SUCCESS);
  clFinish(clact_context_queue(ctx));
  clReleaseMemObject(x);
  clReleaseMemObject(dy);
  clReleaseMemObject(dx);
}

static void test_wrap(clact_context *owner) {
  cl_context c = clact_context_cl(owner);
  cl_device_id dev = clact_context_device(owner);
  cl_int err;
  cl_command_queue q = clCreateCommandQueue(c, dev, 0, &err);
  clact_context *w = NULL;
  EXPECT_STATUS(clact_context_wrap(NULL, c, q), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_context_wrap(&w, NULL, q), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_context_wrap(&w, c, NULL), CLACT_ERROR_NULL_ARGUMENT);
  cl_context other = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
  EXPECT_STATUS(clact_context_wrap(&w, other, q), CLACT_ERROR_CONTEXT_MISMATCH);
  EXPECT(w == NULL);
  clReleaseContext(other);
  EXPECT_STATUS(clact_context_wrap(&w, c, q), CLACT_SUCCESS);
  clReleaseCommandQueue(q); /* the wrapper retained it */
  if (w) {
    EXPECT(clact_context_queue(w) == q && clact_context_cl(w) == c);
    cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), y = make_buffer(c, CL_MEM_READ_WRITE, N);
    fill(w, x, N, 0);
    EXPECT_STATUS(clact_forward(w, CLACT_TANH, CLACT_F32, NULL, N, x, 0, y, 0, NULL),
                  CLACT_SUCCESS);
    float h[N];
    EXPECT(clEnqueueReadBuffer(q, y, CL_TRUE, 0, sizeof h, h, 0, NULL, NULL) == CL_SUCCESS);
    EXPECT(h[0] < -0.99f && h[N - 1] > 0.99f && h[512] == 0.0f); /* x = -8, 7.98, 0 */
    clReleaseMemObject(x);
    clReleaseMemObject(y);
    clact_context_destroy(w);
  }
}

/* ---- the rest of the validation matrix (docs/robustness.md lists it whole) -------------- */
static cl_mem other_context_buffer(clact_context *ctx, cl_context *other) {
  cl_int err;
  cl_device_id dev = clact_context_device(ctx);
  *other = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clCreateContext: %d\n", err);
    exit(1);
  }
  return make_buffer(*other, CL_MEM_READ_WRITE, N);
}

/* An invalid call: exact status, and `out` (poisoned first) untouched. */
#define EXPECT_REJECTED(want, out, call_expr)                                                      \
  do {                                                                                             \
    fill(ctx, out, N, 1);                                                                          \
    EXPECT_STATUS(call_expr, want);                                                                \
    EXPECT(untouched(ctx, out, N));                                                                \
  } while (0)

static void test_context_queries(clact_context *ctx) {
  EXPECT_STATUS(clact_context_supports(NULL, CLACT_F32), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_context_supports(ctx, (clact_dtype)99), CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(clact_context_supports(ctx, (clact_dtype)-1), CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(clact_prepare(ctx, CLACT_RELU, (clact_dtype)99, NULL),
                CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(clact_prepare(ctx, (clact_activation)-1, CLACT_F32, NULL),
                CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT(clact_context_vector_width(NULL) == 0);
  EXPECT(strcmp(clact_build_log(NULL), "") == 0);
  EXPECT(clact_context_cl(NULL) == NULL && clact_context_queue(NULL) == NULL &&
         clact_context_device(NULL) == NULL);
  clact_params p = clact_params_default();
  EXPECT_STATUS(clact_params_set(CLACT_LEAKY_RELU, NULL, "slope", 1.0), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_params_set(CLACT_LEAKY_RELU, &p, NULL, 1.0), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_params_set(CLACT_ACTIVATION_COUNT, &p, "slope", 1.0),
                CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_params_resolve(CLACT_RELU, NULL, NULL), CLACT_ERROR_NULL_ARGUMENT);
  clact_dtype d;
  EXPECT_STATUS(clact_dtype_lookup(NULL, &d), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_dtype_lookup("f32", NULL), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_dtype_lookup("float", &d), CLACT_ERROR_UNSUPPORTED_DTYPE);
}

static void test_forward_more(clact_context *ctx) {
  cl_context c = clact_context_cl(ctx);
  cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), y = make_buffer(c, CL_MEM_READ_WRITE, N);
  fill(ctx, x, N, 0);
  clact_params bad = clact_params_default();
  /* n = 0 still validates the parameters */
  bad.set = 1;
  bad.value[0] = NAN;
  EXPECT_REJECTED(CLACT_ERROR_PARAMETER_RANGE, y,
                  clact_forward(ctx, CLACT_LEAKY_RELU, CLACT_F32, &bad, 0, x, 0, y, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_UNSUPPORTED_DTYPE, y,
                  clact_forward(ctx, CLACT_RELU, (clact_dtype)99, NULL, 0, x, 0, y, 0, NULL));
  /* cross-parameter constraints: rrelu lower <= upper; celu alpha != 0 */
  bad.set = 3;
  bad.value[0] = 0.3;
  bad.value[1] = 0.2;
  EXPECT_REJECTED(CLACT_ERROR_PARAMETER_RANGE, y,
                  clact_forward(ctx, CLACT_RRELU, CLACT_F32, &bad, N, x, 0, y, 0, NULL));
  bad.set = 1;
  bad.value[0] = 0.0;
  EXPECT_REJECTED(CLACT_ERROR_PARAMETER_RANGE, y,
                  clact_forward(ctx, CLACT_CELU, CLACT_F32, &bad, N, x, 0, y, 0, NULL));
  /* NULL parameters with bits set for nothing: a zeroed struct is the defaults */
  bad.set = 0;
  bad.value[0] = NAN; /* not set: ignored */
  fill(ctx, y, N, 1);
  EXPECT_STATUS(clact_forward(ctx, CLACT_LEAKY_RELU, CLACT_F32, &bad, N, x, 0, y, 0, NULL),
                CLACT_SUCCESS);
  EXPECT(!untouched(ctx, y, N));
  /* the output range beyond the buffer through the offset alone; offset + n wrapping */
  EXPECT_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, y,
                  clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 1, x, 0, y, N, NULL));
  EXPECT_REJECTED(CLACT_ERROR_SIZE_OVERFLOW, y,
                  clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 2, x, 0, y, SIZE_MAX, NULL));
  /* f16 counts 2-byte elements: 2N of them fit, 2N + 1 do not */
  EXPECT_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, y,
                  clact_forward(ctx, CLACT_RELU, CLACT_F16, NULL, 2 * N + 1, x, 0, y, 0, NULL));
  /* an output that lies inside the input (n smaller than the buffers) */
  fill(ctx, x, N, 1);
  EXPECT_STATUS(clact_forward(ctx, CLACT_RELU, CLACT_F32, NULL, 100, x, 10, x, 50, NULL),
                CLACT_ERROR_INVALID_ALIAS);
  EXPECT(untouched(ctx, x, N));
  clReleaseMemObject(x);
  clReleaseMemObject(y);
}

static void test_backward_more(clact_context *ctx) {
  cl_context c = clact_context_cl(ctx);
  cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), dy = make_buffer(c, CL_MEM_READ_WRITE, N),
         dx = make_buffer(c, CL_MEM_READ_WRITE, N);
  fill(ctx, x, N, 0);
  fill(ctx, dy, N, 0);
  clact_params bad = clact_params_default();
  bad.set = 1;
  bad.value[0] = NAN;
  cl_context other;
  cl_mem xo = other_context_buffer(ctx, &other);
  cl_mem ro = make_buffer(c, CL_MEM_READ_ONLY, N), wo = make_buffer(c, CL_MEM_WRITE_ONLY, N);

  EXPECT_REJECTED(CLACT_ERROR_NULL_ARGUMENT, dx,
                  clact_backward(NULL, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_NULL_ARGUMENT, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, NULL, 0, dy, 0, dx, 0, NULL));
  EXPECT_STATUS(clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 0, NULL, 0, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_REJECTED(
      CLACT_ERROR_UNKNOWN_ACTIVATION, dx,
      clact_backward(ctx, CLACT_ACTIVATION_COUNT, CLACT_F32, NULL, N, x, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(
      CLACT_ERROR_UNSUPPORTED_DTYPE, dx,
      clact_backward(ctx, CLACT_GELU, (clact_dtype)99, NULL, N, x, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(
      CLACT_ERROR_PARAMETER_RANGE, dx,
      clact_backward(ctx, CLACT_LEAKY_RELU, CLACT_F32, &bad, N, x, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 1, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 0, dx, 1, NULL));
  EXPECT_REJECTED(
      CLACT_ERROR_SIZE_OVERFLOW, dx,
      clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, 16, x, 0, dy, SIZE_MAX - 4, dx, 0, NULL));
  /* dx partially over x, partially over dy */
  EXPECT_REJECTED(CLACT_ERROR_INVALID_ALIAS, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, 64, dx, 0, dy, 0, dx, 1, NULL));
  EXPECT_REJECTED(CLACT_ERROR_INVALID_ALIAS, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, 64, x, 0, dx, 3, dx, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_CONTEXT_MISMATCH, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, xo, 0, dx, 0, NULL));
  EXPECT_STATUS(clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 0, xo, 0, NULL),
                CLACT_ERROR_CONTEXT_MISMATCH);
  EXPECT_STATUS(clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, dy, 0, ro, 0, NULL),
                CLACT_ERROR_BUFFER_ACCESS);
  EXPECT_REJECTED(CLACT_ERROR_BUFFER_ACCESS, dx,
                  clact_backward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, wo, 0, dx, 0, NULL));
  /* from y: the same checks, then the variant */
  EXPECT_REJECTED(
      CLACT_ERROR_NULL_ARGUMENT, dx,
      clact_backward_from_y(ctx, CLACT_SIGMOID, CLACT_F32, NULL, N, NULL, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(
      CLACT_ERROR_OUT_OF_BOUNDS, dx,
      clact_backward_from_y(ctx, CLACT_SIGMOID, CLACT_F32, NULL, N + 1, x, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(
      CLACT_ERROR_INVALID_ALIAS, dx,
      clact_backward_from_y(ctx, CLACT_SIGMOID, CLACT_F32, NULL, 64, x, 0, dx, 0, dx, 8, NULL));
  EXPECT_REJECTED(
      CLACT_ERROR_CONTEXT_MISMATCH, dx,
      clact_backward_from_y(ctx, CLACT_SIGMOID, CLACT_F32, NULL, N, xo, 0, dy, 0, dx, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_UNSUPPORTED_DTYPE, dx,
                  clact_backward_from_y(ctx, CLACT_SIGMOID, (clact_dtype)99, NULL, N, x, 0, dy, 0,
                                        dx, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_NO_FROM_Y, dx,
                  clact_backward_from_y(ctx, CLACT_GELU, CLACT_F32, NULL, 0, x, 0, dy, 0, dx, 0,
                                        NULL)); /* n = 0: the variant is still checked */
  clReleaseMemObject(xo);
  clReleaseContext(other);
  clReleaseMemObject(ro);
  clReleaseMemObject(wo);
  clReleaseMemObject(x);
  clReleaseMemObject(dy);
  clReleaseMemObject(dx);
}

static void test_call_more(clact_context *ctx) {
  cl_context c = clact_context_cl(ctx);
  cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), dy = make_buffer(c, CL_MEM_READ_WRITE, N),
         dx = make_buffer(c, CL_MEM_READ_WRITE, N), b = make_buffer(c, CL_MEM_READ_WRITE, N),
         ro = make_buffer(c, CL_MEM_READ_ONLY, N);
  fill(ctx, x, N, 0);
  fill(ctx, dy, N, 0);
  fill(ctx, b, N, 0);
  cl_context other;
  cl_mem bo = other_context_buffer(ctx, &other);
  clact_call call = {0};
  call.blend = 1;
  call.alpha = 1.0;
  call.beta = NAN;
  EXPECT_REJECTED(CLACT_ERROR_INVALID_VALUE, dx,
                  clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dx, 0, NULL));
  call.beta = 0.0;
  call.alpha = INFINITY;
  EXPECT_REJECTED(
      CLACT_ERROR_INVALID_VALUE, dx,
      clact_backward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dy, 0, dx, 0, NULL));
  call.alpha = 1.0;
  call.channels = 8;
  call.inner = 4;
  call.bias = bo; /* from another context */
  EXPECT_REJECTED(CLACT_ERROR_CONTEXT_MISMATCH, dx,
                  clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dx, 0, NULL));
  call.bias = b;
  call.bias_off = SIZE_MAX - 2; /* bias_off + channels wraps */
  EXPECT_REJECTED(CLACT_ERROR_SIZE_OVERFLOW, dx,
                  clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dx, 0, NULL));
  call.bias_off = N - 7; /* 8 channels from there: one beyond the buffer */
  EXPECT_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, dx,
                  clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dx, 0, NULL));
  call.bias_off = 0;
  call.dbias = ro; /* db must be writable */
  EXPECT_REJECTED(
      CLACT_ERROR_BUFFER_ACCESS, dx,
      clact_backward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dy, 0, dx, 0, NULL));
  call.dbias = bo;
  EXPECT_REJECTED(
      CLACT_ERROR_CONTEXT_MISMATCH, dx,
      clact_backward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, N, x, 0, dy, 0, dx, 0, NULL));
  call.dbias = NULL;
  call.channels = 0; /* n = 0 still checks the layout */
  EXPECT_REJECTED(CLACT_ERROR_INVALID_VALUE, dx,
                  clact_forward_ex(ctx, CLACT_RELU, CLACT_F32, NULL, &call, 0, x, 0, dx, 0, NULL));
  call.channels = 8;
  call.dbias = dx; /* from y: db overlapping dx */
  EXPECT_REJECTED(CLACT_ERROR_INVALID_ALIAS, dx,
                  clact_backward_from_y_ex(ctx, CLACT_SIGMOID, CLACT_F32, NULL, &call, N, x, 0, dy,
                                           0, dx, 0, NULL));
  call.dbias = NULL;
  call.bias = NULL;
  EXPECT_REJECTED(CLACT_ERROR_NO_FROM_Y, dx,
                  clact_backward_from_y_ex(ctx, CLACT_GELU, CLACT_F32, NULL, &call, N, x, 0, dy, 0,
                                           dx, 0, NULL));
  clReleaseMemObject(bo);
  clReleaseContext(other);
  clReleaseMemObject(x);
  clReleaseMemObject(dy);
  clReleaseMemObject(dx);
  clReleaseMemObject(b);
  clReleaseMemObject(ro);
}

static void test_copy_validation(clact_context *ctx) {
  cl_context c = clact_context_cl(ctx);
  cl_mem x = make_buffer(c, CL_MEM_READ_WRITE, N), y = make_buffer(c, CL_MEM_READ_WRITE, N);
  fill(ctx, x, N, 0);
  cl_context other;
  cl_mem xo = other_context_buffer(ctx, &other);
  EXPECT_REJECTED(CLACT_ERROR_NULL_ARGUMENT, y, clact_copy(NULL, CLACT_F32, N, x, 0, y, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_NULL_ARGUMENT, y, clact_copy(ctx, CLACT_F32, N, NULL, 0, y, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_UNSUPPORTED_DTYPE, y,
                  clact_copy(ctx, (clact_dtype)99, N, x, 0, y, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_OUT_OF_BOUNDS, y, clact_copy(ctx, CLACT_F32, N, x, 0, y, 1, NULL));
  EXPECT_REJECTED(CLACT_ERROR_SIZE_OVERFLOW, y,
                  clact_copy(ctx, CLACT_F32, 8, x, SIZE_MAX - 1, y, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_CONTEXT_MISMATCH, y,
                  clact_copy(ctx, CLACT_F32, N, xo, 0, y, 0, NULL));
  EXPECT_REJECTED(CLACT_ERROR_INVALID_ALIAS, y, clact_copy(ctx, CLACT_F32, 64, y, 0, y, 2, NULL));
  EXPECT_REJECTED(CLACT_SUCCESS, y, clact_copy(ctx, CLACT_F32, 0, NULL, 0, NULL, 0, NULL));
  clReleaseMemObject(xo);
  clReleaseContext(other);
  clReleaseMemObject(x);
  clReleaseMemObject(y);
}

static void test_check_validation(clact_context *ctx) {
  clact_check_options o = {0};
  clact_check_result r;
  o.sweep_stride = 1u << 24;
  o.random_count = 16;
  o.no_edges = o.no_layout = o.no_param_sets = 1;
  clact_params bad = clact_params_default();
  bad.set = 1;
  bad.value[0] = NAN;
  EXPECT_STATUS(clact_check(NULL, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_check(ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, NULL, NULL, NULL),
                CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(
      clact_check(ctx, CLACT_ACTIVATION_COUNT, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
      CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(
      clact_check(ctx, CLACT_RELU, (clact_direction)7, CLACT_F32, NULL, &o, &r, NULL, NULL),
      CLACT_ERROR_INVALID_VALUE);
  EXPECT_STATUS(
      clact_check(ctx, CLACT_RELU, CLACT_FORWARD, (clact_dtype)99, NULL, &o, &r, NULL, NULL),
      CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT_STATUS(
      clact_check(ctx, CLACT_LEAKY_RELU, CLACT_FORWARD, CLACT_F32, &bad, &o, &r, NULL, NULL),
      CLACT_ERROR_PARAMETER_RANGE);
  EXPECT_STATUS(
      clact_check(ctx, CLACT_GELU, CLACT_BACKWARD_FROM_Y, CLACT_F32, NULL, &o, &r, NULL, NULL),
      CLACT_ERROR_NO_FROM_Y);
  o.sweep_stride = 3; /* not a power of two */
  EXPECT_STATUS(clact_check(ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
                CLACT_ERROR_INVALID_VALUE);
}

static void test_status_strings(void) {
  for (int s = -4001; s >= -4017; s--) {
    const char *str = clact_status_string((clact_status)s);
    EXPECT(str && strcmp(str, "unknown status") != 0);
    for (int t = s - 1; t >= -4017; t--)
      EXPECT(strcmp(str, clact_status_string((clact_status)t)) != 0);
  }
  EXPECT(strcmp(clact_status_string(CLACT_SUCCESS), "success") == 0);
  EXPECT(strstr(clact_status_string((clact_status)CL_OUT_OF_RESOURCES), "OpenCL") != NULL);
  EXPECT(strcmp(clact_status_string((clact_status)-4999), "unknown status") == 0);
}

int main(void) {
  test_status_strings();
  clact_context *ctx = test_context();
  test_context_creation();
  test_vector_width(ctx);
  test_forward_validation(ctx);
  test_backward_validation(ctx);
  test_wrap(ctx);
  test_context_queries(ctx);
  test_forward_more(ctx);
  test_backward_more(ctx);
  test_call_more(ctx);
  test_copy_validation(ctx);
  test_check_validation(ctx);
  EXPECT_STATUS(clact_prepare(NULL, CLACT_RELU, CLACT_F32, NULL), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_prepare(ctx, CLACT_ACTIVATION_COUNT, CLACT_F32, NULL),
                CLACT_ERROR_UNKNOWN_ACTIVATION);
  clact_context_destroy(ctx);
  return test_result();
}
