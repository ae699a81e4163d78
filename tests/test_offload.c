/* tests/test_offload.c: clact_*_host (host/offload.c), both paths (zero-copy and streaming)
 * forced, with chunk sizes that split the arrays (odd tails included), for float32, half and
 * bfloat16, forward, backward and backward from y, out of place and in place. Every result
 * must be bit-identical to the same call on device buffers (clact_forward etc., whose accuracy
 * the kernel tests establish), over outputs poisoned beforehand. Then the argument errors:
 * each returns its status and leaves the output untouched. */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define EXPECT(cond, ...)                                                                          \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      failures++;                                                                                  \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                         \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
    }                                                                                              \
  } while (0)

static uint64_t rng = 0x0FF10AD5EEDull;
static uint32_t next32(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}

/* n elements of `dtype`: mostly values in [-8, 8], with NaN, ±inf, ±0 and raw bit patterns. */
static void fill(void *p, size_t n, clact_dtype dtype) {
  size_t es = clact_dtype_size(dtype);
  for (size_t i = 0; i < n; i++) {
    uint32_t r = next32();
    float v = ((float)(r & 0xFFFFFF) / (float)0x1000000 - 0.5f) * 16.0f;
    uint32_t bits;
    memcpy(&bits, &v, 4);
    switch (r >> 28) {
    case 0:
      bits = 0x7FC00000u;
      break; /* NaN */
    case 1:
      bits = (r & 1) ? 0xFF800000u : 0x7F800000u;
      break;
    case 2:
      bits = (r & 1) ? 0x80000000u : 0;
      break;
    case 3:
      bits = next32();
      break;
    default:
      break;
    }
    if (es == 4) {
      memcpy((char *)p + 4 * i, &bits, 4);
    } else {
      /* 16-bit patterns: bfloat16 = the high half; half = a raw pattern most of the time */
      uint16_t h = dtype == CLACT_BF16 ? (uint16_t)(bits >> 16)
                                       : (uint16_t)(r >> 28 == 3 ? bits : (bits >> 16) ^ 0x4000u);
      memcpy((char *)p + 2 * i, &h, 2);
    }
  }
}

typedef struct env {
  clact_context *ctx;
  cl_context cl;
  cl_command_queue q;
} env;

static cl_mem upload(const env *e, const void *p, size_t bytes) {
  cl_int err;
  cl_mem m = clCreateBuffer(e->cl, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes,
                            (void *)(uintptr_t)p, &err);
  return err == CL_SUCCESS ? m : NULL;
}

/* The expected output: the same call on device buffers. */
static int expected(const env *e, clact_activation act, clact_dtype dtype, clact_direction dir,
                    size_t n, const void *in0, const void *in1, void *out) {
  size_t bytes = n * clact_dtype_size(dtype);
  cl_mem b0 = upload(e, in0, bytes), b1 = in1 ? upload(e, in1, bytes) : NULL;
  cl_int err;
  cl_mem bo = clCreateBuffer(e->cl, CL_MEM_READ_WRITE, bytes, NULL, &err);
  clact_status st = b0 && bo && (b1 || !in1) ? CLACT_SUCCESS : CLACT_ERROR_NULL_ARGUMENT;
  if (st == CLACT_SUCCESS) {
    if (dir == CLACT_FORWARD)
      st = clact_forward(e->ctx, act, dtype, NULL, n, b0, 0, bo, 0, NULL);
    else if (dir == CLACT_BACKWARD)
      st = clact_backward(e->ctx, act, dtype, NULL, n, b0, 0, b1, 0, bo, 0, NULL);
    else
      st = clact_backward_from_y(e->ctx, act, dtype, NULL, n, b0, 0, b1, 0, bo, 0, NULL);
  }
  if (st == CLACT_SUCCESS)
    st = (clact_status)clEnqueueReadBuffer(e->q, bo, CL_TRUE, 0, bytes, out, 0, NULL, NULL);
  if (b0)
    clReleaseMemObject(b0);
  if (b1)
    clReleaseMemObject(b1);
  if (bo)
    clReleaseMemObject(bo);
  return st == CLACT_SUCCESS;
}

static const char *mode_name(int mode) {
  return mode == CLACT__HOST_ZERO_COPY ? "zero-copy"
         : mode == CLACT__HOST_STREAM  ? "stream"
                                       : "auto";
}

/* One case: out of place and in place (output = the first input for forward and from y, = dy
 * for backward), against the device-buffer result. */
static void run_case(const env *e, clact_activation act, clact_dtype dtype, clact_direction dir,
                     size_t n, int mode, size_t chunk) {
  size_t bytes = n * clact_dtype_size(dtype);
  char *in0 = malloc(bytes + 1), *in1 = malloc(bytes + 1), *out = malloc(bytes + 1),
       *want = malloc(bytes + 1), *inplace = malloc(bytes + 1);
  if (!in0 || !in1 || !out || !want || !inplace) {
    EXPECT(0, "out of host memory");
    goto done;
  }
  fill(in0, n, dtype);
  fill(in1, n, dtype);
  const void *second = dir == CLACT_FORWARD ? NULL : in1;
  if (!expected(e, act, dtype, dir, n, in0, second, want)) {
    EXPECT(0, "%s: the device-buffer call failed", clact_name(act));
    goto done;
  }
  memset(out, 0xA5, bytes);
  clact_status st =
      clact__host_call(e->ctx, act, dtype, NULL, dir, n, in0, second, out, mode, chunk);
  EXPECT(st == CLACT_SUCCESS && memcmp(out, want, bytes) == 0,
         "%s %s %s n=%zu %s chunk %zu: status %d, %s", clact_name(act), clact_direction_name(dir),
         clact_dtype_name(dtype), n, mode_name(mode), chunk, (int)st,
         st == CLACT_SUCCESS ? "results differ from the device-buffer call" : "call failed");
  /* in place */
  char *victim = dir == CLACT_BACKWARD ? in1 : in0;
  memcpy(inplace, victim, bytes);
  st = clact__host_call(e->ctx, act, dtype, NULL, dir, n, dir == CLACT_BACKWARD ? in0 : inplace,
                        dir == CLACT_FORWARD ? NULL : (dir == CLACT_BACKWARD ? inplace : in1),
                        inplace, mode, chunk);
  EXPECT(st == CLACT_SUCCESS && memcmp(inplace, want, bytes) == 0,
         "%s %s %s n=%zu %s chunk %zu in place: status %d", clact_name(act),
         clact_direction_name(dir), clact_dtype_name(dtype), n, mode_name(mode), chunk, (int)st);
done:
  free(in0);
  free(in1);
  free(out);
  free(want);
  free(inplace);
}

static void errors(const env *e) {
  float x[8] = {1, -2, 3, -4, 5, -6, 7, -8}, y[8], keep[8];
  memset(y, 0x5A, sizeof y);
  memcpy(keep, y, sizeof y);
  clact_activation relu = 0, sigmoid = 0, gelu = 0;
  clact_lookup("relu", &relu);
  clact_lookup("sigmoid", &sigmoid);
  clact_lookup("gelu", &gelu);
  struct {
    const char *what;
    clact_status got, want;
  } rows[16];
  size_t k = 0;
#define ROW(w, call, st) rows[k++] = (__typeof__(rows[0])){w, call, st}
  ROW("NULL context", clact_forward_host(NULL, relu, CLACT_F32, NULL, 8, x, y),
      CLACT_ERROR_NULL_ARGUMENT);
  ROW("NULL x", clact_forward_host(e->ctx, relu, CLACT_F32, NULL, 8, NULL, y),
      CLACT_ERROR_NULL_ARGUMENT);
  ROW("NULL y", clact_forward_host(e->ctx, relu, CLACT_F32, NULL, 8, x, NULL),
      CLACT_ERROR_NULL_ARGUMENT);
  ROW("NULL dy", clact_backward_host(e->ctx, relu, CLACT_F32, NULL, 8, x, NULL, y),
      CLACT_ERROR_NULL_ARGUMENT);
  ROW("unknown activation",
      clact_forward_host(e->ctx, (clact_activation)CLACT_ACTIVATION_COUNT, CLACT_F32, NULL, 8, x,
                         y),
      CLACT_ERROR_UNKNOWN_ACTIVATION);
  ROW("unknown dtype", clact_forward_host(e->ctx, relu, (clact_dtype)99, NULL, 8, x, y),
      CLACT_ERROR_UNSUPPORTED_DTYPE);
  ROW("no from-y variant", clact_backward_from_y_host(e->ctx, gelu, CLACT_F32, NULL, 8, x, x, y),
      CLACT_ERROR_NO_FROM_Y);
  clact_activation softplus = 0;
  clact_lookup("softplus", &softplus);
  clact_params bad = clact_params_default();
  clact_status set = clact_params_set(softplus, &bad, "beta", -1.0);
  ROW("beta = -1",
      set == CLACT_SUCCESS ? clact_forward_host(e->ctx, softplus, CLACT_F32, &bad, 8, x, y) : set,
      CLACT_ERROR_PARAMETER_RANGE);
  ROW("n * size overflows", clact_forward_host(e->ctx, relu, CLACT_F32, NULL, SIZE_MAX / 2, x, y),
      CLACT_ERROR_SIZE_OVERFLOW);
  ROW("output overlaps x partially", clact_forward_host(e->ctx, relu, CLACT_F32, NULL, 4, x, x + 1),
      CLACT_ERROR_INVALID_ALIAS);
  ROW("output overlaps dy partially",
      clact_backward_host(e->ctx, sigmoid, CLACT_F32, NULL, 4, y + 4, x + 2, x),
      CLACT_ERROR_INVALID_ALIAS);
  ROW("n = 0", clact_forward_host(e->ctx, relu, CLACT_F32, NULL, 0, x, y), CLACT_SUCCESS);
#undef ROW
  for (size_t i = 0; i < k; i++)
    EXPECT(rows[i].got == rows[i].want, "%s: status %d (%s), expected %d (%s)", rows[i].what,
           (int)rows[i].got, clact_status_string(rows[i].got), (int)rows[i].want,
           clact_status_string(rows[i].want));
  EXPECT(memcmp(y, keep, sizeof y) == 0, "an output was written by a call that failed");
  float xs[8] = {1, -2, 3, -4, 5, -6, 7, -8};
  EXPECT(memcmp(x, xs, sizeof x) == 0, "an input was written by a call that failed");
}

int main(void) {
  env e = {0};
  clact_status st = clact_context_create(&e.ctx, NULL);
  if (st == CLACT_ERROR_NO_DEVICE) {
    printf("no OpenCL device: skipped\n");
    return 77;
  }
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "context: %s\n", clact_status_string(st));
    return 1;
  }
  e.cl = clact_context_cl(e.ctx);
  e.q = clact_context_queue(e.ctx);
  const char *ids[] = {"relu", "gelu", "sigmoid", "brelu"};
  const clact_dtype dtypes[] = {CLACT_F32, CLACT_F16, CLACT_BF16};
  const size_t ns[] = {1, 3, 1001, ((size_t)1 << 18) + 3};
  for (size_t a = 0; a < sizeof ids / sizeof ids[0]; a++) {
    clact_activation act;
    if (clact_lookup(ids[a], &act) != CLACT_SUCCESS) {
      EXPECT(0, "no activation %s", ids[a]);
      continue;
    }
    for (int d = 0; d < CLACT_DIRECTION_COUNT; d++) {
      if (d == CLACT_BACKWARD_FROM_Y && clact_has_backward_from_y(act, NULL) != CLACT_SUCCESS)
        continue;
      for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++)
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
          size_t n = ns[i];
          /* the default chunk (one chunk here), and chunks that split the array unevenly */
          run_case(&e, act, dtypes[t], (clact_direction)d, n, CLACT__HOST_ZERO_COPY, 0);
          run_case(&e, act, dtypes[t], (clact_direction)d, n, CLACT__HOST_STREAM, 0);
          if (n > 1000) {
            run_case(&e, act, dtypes[t], (clact_direction)d, n, CLACT__HOST_ZERO_COPY, 1000);
            run_case(&e, act, dtypes[t], (clact_direction)d, n, CLACT__HOST_STREAM, 4096);
            run_case(&e, act, dtypes[t], (clact_direction)d, n, CLACT__HOST_STREAM,
                     333); /* -> 332 */
          }
        }
    }
  }
  /* the public calls (automatic path) */
  clact_activation silu;
  clact_lookup("silu", &silu);
  run_case(&e, silu, CLACT_F32, CLACT_FORWARD, 100003, CLACT__HOST_AUTO, 0);
  run_case(&e, silu, CLACT_F32, CLACT_BACKWARD, 100003, CLACT__HOST_AUTO, 0);
  errors(&e);
  clact_context_destroy(e.ctx);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("host offload: all cases bit-identical to the device-buffer calls\n");
  return 0;
}
