/* tests/test_stream.c: streaming (non-temporal) stores (the _nt kernels of kernels/common.clh,
 * host/launch.c). The threshold each CLACT_STREAM setting gives (clact_context_stream_bytes),
 * and the output of calls large enough to stream by default, compared bit for bit with the same
 * calls through a context that never streams (CLACT_STREAM=off) and one that always does (=on):
 * forward, backward, backward from y, blending that reads the output, the copy kernel, the
 * softmax family's row kernels; float32, half and float64; the output's offset aligned to the
 * vector (streamed), to 16 bytes only (streamed in pieces) and not (ordinary stores), n not a
 * multiple of the width (the tail). Every output buffer is poisoned first, with a different
 * pattern per context, so an element left unwritten differs. Skips (77) where the device has no
 * streaming stores. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "test_util.h"

#include <math.h>
#include <stdint.h>

#define NCTX 3 /* default, off, on */

typedef struct run {
  clact_context *ctx;
  cl_mem x, dy, out;
} run;

static clact_context *context_with(const char *stream) {
  if (stream)
    setenv("CLACT_STREAM", stream, 1);
  else
    unsetenv("CLACT_STREAM");
  clact_context *ctx = test_context();
  unsetenv("CLACT_STREAM");
  return ctx;
}

static cl_mem buffer(clact_context *ctx, size_t bytes) {
  cl_int err;
  cl_mem m = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, bytes, NULL, &err);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clCreateBuffer(%zu bytes): %d\n", bytes, err);
    exit(1);
  }
  return m;
}

static void to_device(clact_context *ctx, cl_mem m, const void *src, size_t bytes) {
  cl_int err =
      clEnqueueWriteBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, bytes, src, 0, NULL, NULL);
  EXPECT(err == CL_SUCCESS);
}

static void from_device(clact_context *ctx, cl_mem m, void *dst, size_t bytes) {
  cl_int err =
      clEnqueueReadBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, bytes, dst, 0, NULL, NULL);
  EXPECT(err == CL_SUCCESS);
}

/* Inputs: finite values of magnitude 2^-6 to 2^5 of both signs and every dtype, as raw bits. */
static void fill_inputs(clact_dtype dt, unsigned char *x, unsigned char *dy, size_t n) {
  uint64_t s = 0x5713EA11ull;
  for (size_t i = 0; i < n; i++) {
    for (int k = 0; k < 2; k++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      uint32_t r = (uint32_t)(s >> 32);
      double v = ldexp(1.0 + (r & 0xFFFFFu) / 1048576.0, (int)((r >> 20) % 12) - 6);
      v = (r >> 31) ? -v : v;
      unsigned char *dst = k ? dy : x;
      if (dt == CLACT_F64) {
        memcpy(dst + 8 * i, &v, 8);
      } else if (dt == CLACT_F32) {
        float f = (float)v;
        memcpy(dst + 4 * i, &f, 4);
      } else { /* half: sign, exponent 9..20 (2^-6..2^5), 10 mantissa bits */
        uint16_t h = (uint16_t)((r >> 31) << 15 | (9u + (r >> 20) % 12) << 10 | (r & 0x3FFu));
        memcpy(dst + 2 * i, &h, 2);
      }
    }
  }
}

/* A row operation's call (run_case with `rows`): rows x cols from element 0 of x (and dy), the
 * output from out_off, pitch = cols. */
typedef struct rows_call {
  clact_structured op;
  size_t cols;
} rows_call;

/* One case on every context: out (from out_off, n elements) after the call, compared. */
static void run_case(run *r, const char *what, clact_activation act, clact_direction dir,
                     clact_dtype dt, const unsigned char *old, int copy, size_t n, size_t off,
                     size_t total, unsigned char *host[NCTX], const rows_call *rows) {
  size_t es = clact_dtype_size(dt);
  int blend = old != NULL;
  for (int c = 0; c < NCTX; c++) {
    if (blend) /* the old output is read: the same finite values everywhere */
      memcpy(host[c], old, total * es);
    else /* poison: a different pattern per context */
      memset(host[c], 0xA5 + 0x11 * c, total * es);
    to_device(r[c].ctx, r[c].out, host[c], total * es);
    clact_call call = {0};
    call.blend = blend;
    call.alpha = 0.75;
    call.beta = blend ? -1.5 : 0.0;
    clact_status st;
    clact_tensor tx = {r[c].x, 0, 0}, tdy = {r[c].dy, 0, 0}, tout = {r[c].out, off, 0};
    if (rows && dir == CLACT_FORWARD)
      st = clact_rows_forward_ex(r[c].ctx, rows->op, dt, NULL, &call, n / rows->cols, rows->cols,
                                 tx, tout, NULL);
    else if (rows)
      st = clact_rows_backward_ex(r[c].ctx, rows->op, dt, NULL, &call, n / rows->cols, rows->cols,
                                  tx, tdy, tout, NULL);
    else if (copy)
      st = clact_copy(r[c].ctx, dt, n, r[c].x, 0, r[c].out, off, NULL);
    else if (dir == CLACT_FORWARD)
      st = clact_forward_ex(r[c].ctx, act, dt, NULL, &call, n, r[c].x, 0, r[c].out, off, NULL);
    else if (dir == CLACT_BACKWARD)
      st = clact_backward_ex(r[c].ctx, act, dt, NULL, &call, n, r[c].x, 0, r[c].dy, 0, r[c].out,
                             off, NULL);
    else
      st = clact_backward_from_y_ex(r[c].ctx, act, dt, NULL, &call, n, r[c].x, 0, r[c].dy, 0,
                                    r[c].out, off, NULL);
    EXPECT_STATUS(st, CLACT_SUCCESS);
    clFinish(clact_context_queue(r[c].ctx));
    from_device(r[c].ctx, r[c].out, host[c], total * es);
  }
  for (int c = 1; c < NCTX; c++)
    if (memcmp(host[0] + off * es, host[c] + off * es, n * es) != 0) {
      size_t i = 0;
      while (memcmp(host[0] + (off + i) * es, host[c] + (off + i) * es, es) == 0)
        i++;
      fprintf(stderr, "%s %s: context %d differs from the default at element %zu of %zu\n", what,
              clact_dtype_name(dt), c, i, n);
      test_failures++;
    }
  /* the elements outside the call's range keep the poison */
  for (int c = 0; c < NCTX && !blend; c++) {
    unsigned char want = (unsigned char)(0xA5 + 0x11 * c);
    for (size_t b = 0; b < total * es; b++)
      if ((b < off * es || b >= (off + n) * es) && host[c][b] != want) {
        fprintf(stderr, "%s %s: context %d wrote byte %zu outside the call\n", what,
                clact_dtype_name(dt), c, b);
        test_failures++;
        break;
      }
  }
}

int main(void) {
  EXPECT(clact_context_stream_bytes(NULL) == SIZE_MAX);
  run r[NCTX] = {
      {.ctx = context_with(NULL)}, {.ctx = context_with("off")}, {.ctx = context_with("on")}};
  size_t dflt = clact_context_stream_bytes(r[0].ctx);
  EXPECT(clact_context_stream_bytes(r[1].ctx) == SIZE_MAX);
  if (dflt == SIZE_MAX) {
    EXPECT(clact_context_stream_bytes(r[2].ctx) == SIZE_MAX);
    printf("SKIP: the device has no streaming stores\n");
    for (int c = 0; c < NCTX; c++)
      clact_context_destroy(r[c].ctx);
    return test_failures ? 1 : TEST_SKIP;
  }
  EXPECT(clact_context_stream_bytes(r[2].ctx) == 0);
  cl_ulong cache = 0;
  clGetDeviceInfo(clact_context_device(r[0].ctx), CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, sizeof cache,
                  &cache, NULL);
  EXPECT(dflt == (cache ? (size_t)cache : (size_t)32 << 20));

  clact_dtype dts[3] = {CLACT_F32, CLACT_F16, CLACT_F64};
  for (int d = 0; d < 3; d++) {
    clact_dtype dt = dts[d];
    if (clact_context_supports(r[0].ctx, dt) != CLACT_SUCCESS)
      continue;
    size_t es = clact_dtype_size(dt);
    /* n: the two-input calls touch 3 n es bytes, the one-input ones 2 n es: every call below
     * streams on the default context (the largest threshold); +5: a tail */
    size_t n = dflt / (2 * es) + 5, total = n + 1064;
    unsigned char *host[NCTX], *hx = malloc(2 * total * es);
    for (int c = 0; c < NCTX; c++)
      host[c] = malloc(total * es);
    if (!hx || !host[0] || !host[1] || !host[2]) {
      fprintf(stderr, "out of host memory\n");
      return 1;
    }
    fill_inputs(dt, hx, hx + total * es, total);
    const unsigned char *old = hx + total * es / 2; /* blending's old output: finite values */
    for (int c = 0; c < NCTX; c++) {
      r[c].x = buffer(r[c].ctx, total * es);
      r[c].dy = buffer(r[c].ctx, total * es);
      r[c].out = buffer(r[c].ctx, total * es);
      to_device(r[c].ctx, r[c].x, hx, total * es);
      to_device(r[c].ctx, r[c].dy, hx + total * es, total * es);
    }
    /* offsets: 0 and 16 (aligned to every vector: streamed whole), 16 bytes (aligned to 16 bytes
     * only, as malloc'd host arrays: streamed in 16-byte pieces where the vector is wider), 3
     * (not: ordinary stores) */
    size_t offs[4] = {0, 16, 16 / es, 3};
    for (int o = 0; o < 4; o++) {
      run_case(r, "relu forward", CLACT_RELU, CLACT_FORWARD, dt, NULL, 0, n, offs[o], total, host,
               NULL);
      run_case(r, "gelu backward", CLACT_GELU, CLACT_BACKWARD, dt, NULL, 0, n, offs[o], total, host,
               NULL);
      run_case(r, "sigmoid backward from y", CLACT_SIGMOID, CLACT_BACKWARD_FROM_Y, dt, NULL, 0, n,
               offs[o], total, host, NULL);
      run_case(r, "copy", CLACT_RELU, CLACT_FORWARD, dt, NULL, 1, n, offs[o], total, host, NULL);
    }
    /* the softmax family's row kernels (kernels/softmax.cl; float64 has no twins): rows of 1000
     * (a partial vector at the end of each; every row aligned to 32 bytes in float32, every other
     * row to 16 bytes only in half) */
    rows_call sm_bwd = {CLACT_S_SOFTMAX, 1000}, lsm = {CLACT_S_LOG_SOFTMAX, 1000},
              smin = {CLACT_S_SOFTMIN, 1000};
    size_t nr = (n / 1000 + 1) * 1000; /* <= n + 1000: inside total */
    for (int o = 0; o < 2; o++)        /* offset 3: no row aligned, ordinary stores */
      run_case(r, "softmax backward (rows)", CLACT_RELU, CLACT_BACKWARD, dt, NULL, 0, nr, o ? 3 : 0,
               total, host, &sm_bwd);
    run_case(r, "log_softmax forward (rows)", CLACT_RELU, CLACT_FORWARD, dt, NULL, 0, nr, 0, total,
             host, &lsm);
    run_case(r, "softmin forward (rows)", CLACT_RELU, CLACT_FORWARD, dt, NULL, 0, nr, 0, total,
             host, &smin);
    run_case(r, "softmax backward (rows), blended", CLACT_RELU, CLACT_BACKWARD, dt, old, 0, nr, 0,
             total, host, &sm_bwd);
    run_case(r, "elu forward, blended", CLACT_ELU, CLACT_FORWARD, dt, old, 0, n, 0, total, host,
             NULL);
    run_case(r, "tanh backward, blended", CLACT_TANH, CLACT_BACKWARD, dt, old, 0, n, 16, total,
             host, NULL);
    for (int c = 0; c < NCTX; c++) {
      clReleaseMemObject(r[c].x);
      clReleaseMemObject(r[c].dy);
      clReleaseMemObject(r[c].out);
      free(host[c]);
    }
    free(hx);
  }
  for (int c = 0; c < NCTX; c++)
    clact_context_destroy(r[c].ctx);
  return test_result();
}
