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
  EXPECT_STATUS(clact_prepare(NULL, CLACT_RELU, CLACT_F32, NULL), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_prepare(ctx, CLACT_ACTIVATION_COUNT, CLACT_F32, NULL),
                CLACT_ERROR_UNKNOWN_ACTIVATION);
  clact_context_destroy(ctx);
  return test_result();
}
