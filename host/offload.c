/* host/offload.c: activations on host arrays of any length (clact_*_host).
 *
 * Two ways through the device:
 * - zero-copy, where the device shares host memory (CL_DEVICE_HOST_UNIFIED_MEMORY: CPU devices
 *   such as PoCL, integrated GPUs): each chunk of the arrays is wrapped in a buffer with
 *   CL_MEM_USE_HOST_PTR, the kernel runs on the host memory itself, and a map of the output
 *   makes the results visible to the host (the OpenCL rule for USE_HOST_PTR buffers);
 * - streaming, elsewhere (discrete GPUs): two sets of device buffers (double buffering) and a
 *   second, in-order transfer queue. Enqueued in the order write 0, kernel 0, write 1, read 0,
 *   kernel 1, write 2, read 1, ...: the write of chunk i+1 overlaps the kernel of chunk i, and a
 *   slot is rewritten only after its previous read (both on the in-order transfer queue).
 *   Kernels wait for their write through a barrier on the context's queue; reads wait for their
 *   kernel's event.
 * Chunks are limited by CL_DEVICE_MAX_MEM_ALLOC_SIZE, so arrays larger than device memory work.
 * Chunk boundaries are a multiple of 2 elements, so index-dependent activations (brelu) see each
 * element's parity within the whole call. */
#include "internal.h"

#include <stdint.h>
#include <string.h>

#define STREAM_CHUNK ((size_t)1 << 22) /* elements per streamed chunk (16 MiB of float32) */

typedef struct host_job {
  clact_activation act;
  clact_dtype dtype;
  const clact_params *params;
  clact_direction dir;
  const void *in0, *in1; /* in1: dy (NULL for forward) */
  void *out;
  size_t esize;
} host_job;

static clact_status launch(clact_context *ctx, const host_job *j, size_t n, cl_mem in0, cl_mem in1,
                           cl_mem out, cl_event *ev) {
  switch (j->dir) {
  case CLACT_FORWARD:
    return clact_forward(ctx, j->act, j->dtype, j->params, n, in0, 0, out, 0, ev);
  case CLACT_BACKWARD:
    return clact_backward(ctx, j->act, j->dtype, j->params, n, in0, 0, in1, 0, out, 0, ev);
  default:
    return clact_backward_from_y(ctx, j->act, j->dtype, j->params, n, in0, 0, in1, 0, out, 0, ev);
  }
}

/* Whether [a, a + len) and [b, b + len) overlap without being the same range. */
static int partial_overlap(const void *a, const void *b, size_t len) {
  uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return x != y && x < y + len && y < x + len;
}

/* Everything that can be wrong before the device is touched. */
static clact_status validate(clact_context *ctx, const host_job *j, size_t n) {
  if (!ctx || !j->in0 || (j->dir != CLACT_FORWARD && !j->in1) || !j->out)
    return CLACT_ERROR_NULL_ARGUMENT;
  if (!clact_get_info(j->act))
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  clact_status st = clact_context_supports(ctx, j->dtype);
  if (st != CLACT_SUCCESS)
    return st;
  double p[CLACT_MAX_PARAMS];
  st = clact_params_resolve(j->act, j->params, p);
  if (st != CLACT_SUCCESS)
    return st;
  if (j->dir == CLACT_BACKWARD_FROM_Y) {
    st = clact_has_backward_from_y(j->act, j->params);
    if (st != CLACT_SUCCESS)
      return st;
  }
  if (n > SIZE_MAX / j->esize)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t bytes = n * j->esize;
  if ((uintptr_t)j->in0 > UINTPTR_MAX - bytes || (uintptr_t)j->out > UINTPTR_MAX - bytes ||
      (j->in1 && (uintptr_t)j->in1 > UINTPTR_MAX - bytes))
    return CLACT_ERROR_SIZE_OVERFLOW;
  if (partial_overlap(j->out, j->in0, bytes) || (j->in1 && partial_overlap(j->out, j->in1, bytes)))
    return CLACT_ERROR_INVALID_ALIAS;
  return CLACT_SUCCESS;
}

/* The largest chunk (elements, even) that one buffer may hold. */
static size_t max_chunk(clact_context *ctx, size_t esize, size_t cap) {
  cl_ulong max_alloc = 0;
  /* A failed query: the streamed chunk size, which every OpenCL device can allocate (its
   * minimum CL_DEVICE_MAX_MEM_ALLOC_SIZE is 128 MiB). */
  if (clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc,
                      NULL) != CL_SUCCESS)
    max_alloc = (cl_ulong)STREAM_CHUNK * esize;
  if (max_alloc < 2 * esize)
    max_alloc = 2 * esize;
  size_t c = (cl_ulong)cap < max_alloc / esize ? cap : (size_t)(max_alloc / esize);
  return c < 2 ? 2 : c & ~(size_t)1;
}

static void release(cl_mem *m) {
  if (*m)
    clReleaseMemObject(*m);
  *m = NULL;
}

/* ---- zero-copy ---------------------------------------------------------------------------- */
static clact_status run_zero_copy(clact_context *ctx, const host_job *j, size_t n, size_t chunk) {
  clact_status st = CLACT_SUCCESS;
  for (size_t first = 0; first < n && st == CLACT_SUCCESS; first += chunk) {
    size_t len = n - first < chunk ? n - first : chunk, bytes = len * j->esize;
    /* USE_HOST_PTR takes a non-const pointer; the inputs' buffers are READ_ONLY. */
    char *in0 = (char *)j->in0 + first * j->esize;
    char *in1 = j->in1 ? (char *)j->in1 + first * j->esize : NULL;
    char *out = (char *)j->out + first * j->esize;
    cl_int err = CL_SUCCESS;
    cl_mem b0 = NULL, b1 = NULL, bo = NULL;
    /* An output that is exactly an input (in place) is one buffer, read and written. */
    bo = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, bytes, out, &err);
    if (err == CL_SUCCESS)
      b0 = in0 == out ? (clRetainMemObject(bo), bo)
                      : clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, bytes,
                                       in0, &err);
    if (err == CL_SUCCESS && in1)
      b1 = in1 == out ? (clRetainMemObject(bo), bo)
                      : clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, bytes,
                                       in1, &err);
    st = (clact_status)err;
    if (st == CLACT_SUCCESS)
      st = launch(ctx, j, len, b0, b1, bo, NULL);
    if (st == CLACT_SUCCESS) {
      /* Mapping the output is what makes the kernel's writes visible in host memory. */
      void *p =
          clEnqueueMapBuffer(ctx->queue, bo, CL_TRUE, CL_MAP_READ, 0, bytes, 0, NULL, NULL, &err);
      if (err == CL_SUCCESS)
        err = clEnqueueUnmapMemObject(ctx->queue, bo, p, 0, NULL, NULL);
      if (err == CL_SUCCESS)
        err = clFinish(ctx->queue);
      st = (clact_status)err;
    } else {
      clFinish(ctx->queue); /* nothing may still use the host memory after we return */
    }
    release(&b0);
    release(&b1);
    release(&bo);
  }
  return st;
}

/* ---- streaming ---------------------------------------------------------------------------- */
typedef struct slot {
  cl_mem in0, in1, out;
  cl_event written, computed, read;
} slot;

static void release_event(cl_event *e) {
  if (*e)
    clReleaseEvent(*e);
  *e = NULL;
}

static clact_status enqueue_write(cl_command_queue tq, const host_job *j, slot *s, size_t first,
                                  size_t len) {
  size_t bytes = len * j->esize, at = first * j->esize;
  release_event(&s->written);
  cl_event w0 = NULL;
  cl_int err = clEnqueueWriteBuffer(tq, s->in0, CL_FALSE, 0, bytes, (const char *)j->in0 + at, 0,
                                    NULL, j->in1 ? &w0 : &s->written);
  if (err == CL_SUCCESS && j->in1)
    err = clEnqueueWriteBuffer(tq, s->in1, CL_FALSE, 0, bytes, (const char *)j->in1 + at, 0, NULL,
                               &s->written); /* in order: after w0 */
  release_event(&w0);
  return (clact_status)err;
}

static clact_status run_stream(clact_context *ctx, const host_job *j, size_t n, size_t chunk) {
  cl_int err = CL_SUCCESS;
  cl_command_queue tq = clCreateCommandQueue(ctx->context, ctx->device, 0, &err);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  slot s[2];
  memset(s, 0, sizeof s);
  size_t cbytes = (n < chunk ? n : chunk) * j->esize;
  for (int k = 0; k < 2 && err == CL_SUCCESS; k++) {
    s[k].in0 = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY, cbytes, NULL, &err);
    if (err == CL_SUCCESS && j->in1)
      s[k].in1 = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY, cbytes, NULL, &err);
    if (err == CL_SUCCESS)
      s[k].out = clCreateBuffer(ctx->context, CL_MEM_WRITE_ONLY, cbytes, NULL, &err);
  }
  clact_status st = (clact_status)err;
  size_t nchunks = n / chunk + (n % chunk != 0);
  if (st == CLACT_SUCCESS)
    st = enqueue_write(tq, j, &s[0], 0, n < chunk ? n : chunk);
  if (st == CLACT_SUCCESS)
    clFlush(tq);
  for (size_t i = 0; i < nchunks && st == CLACT_SUCCESS; i++) {
    slot *c = &s[i % 2];
    size_t first = i * chunk, len = n - first < chunk ? n - first : chunk;
    /* kernel i, after write i */
    err = clEnqueueBarrierWithWaitList(ctx->queue, 1, &c->written, NULL);
    st = (clact_status)err;
    release_event(&c->computed);
    if (st == CLACT_SUCCESS)
      st = launch(ctx, j, len, c->in0, c->in1, c->out, &c->computed);
    if (st == CLACT_SUCCESS)
      clFlush(ctx->queue);
    /* write i+1 (its slot's previous read is earlier on the in-order transfer queue) */
    if (st == CLACT_SUCCESS && i + 1 < nchunks) {
      size_t f1 = first + chunk, l1 = n - f1 < chunk ? n - f1 : chunk;
      st = enqueue_write(tq, j, &s[(i + 1) % 2], f1, l1);
    }
    /* read i, after kernel i */
    if (st == CLACT_SUCCESS) {
      release_event(&c->read);
      err = clEnqueueReadBuffer(tq, c->out, CL_FALSE, 0, len * j->esize,
                                (char *)j->out + first * j->esize, 1, &c->computed, &c->read);
      st = (clact_status)err;
    }
    if (st == CLACT_SUCCESS)
      clFlush(tq);
  }
  /* Both queues drained before anything is released or returned: no transfer may touch the
   * host arrays after this call. */
  cl_int e1 = clFinish(ctx->queue), e2 = clFinish(tq);
  if (st == CLACT_SUCCESS)
    st = (clact_status)(e1 != CL_SUCCESS ? e1 : e2);
  for (int k = 0; k < 2; k++) {
    if (st == CLACT_SUCCESS && s[k].read) {
      cl_int es = CL_COMPLETE;
      clGetEventInfo(s[k].read, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof es, &es, NULL);
      if (es < 0)
        st = (clact_status)es;
    }
    release_event(&s[k].written);
    release_event(&s[k].computed);
    release_event(&s[k].read);
    release(&s[k].in0);
    release(&s[k].in1);
    release(&s[k].out);
  }
  clReleaseCommandQueue(tq);
  return st;
}

clact_status clact__host_call(clact_context *ctx, clact_activation act, clact_dtype dtype,
                              const clact_params *params, clact_direction dir, size_t n,
                              const void *in0, const void *in1, void *out, int mode, size_t chunk) {
  host_job j = {act, dtype, params, dir, in0, in1, out, clact_dtype_size(dtype)};
  if (j.esize == 0)
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_status st = validate(ctx, &j, n);
  if (st != CLACT_SUCCESS || n == 0)
    return st;
  if (mode == CLACT__HOST_AUTO) {
    cl_bool unified = CL_FALSE;
    clGetDeviceInfo(ctx->device, CL_DEVICE_HOST_UNIFIED_MEMORY, sizeof unified, &unified, NULL);
    mode = unified ? CLACT__HOST_ZERO_COPY : CLACT__HOST_STREAM;
  }
  if (mode == CLACT__HOST_ZERO_COPY)
    return run_zero_copy(ctx, &j, n, max_chunk(ctx, j.esize, chunk ? chunk : SIZE_MAX));
  /* Streaming: each slot holds 2 or 3 chunk buffers. */
  return run_stream(ctx, &j, n, max_chunk(ctx, j.esize, chunk ? chunk : STREAM_CHUNK));
}

clact_status clact_forward_host(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                const clact_params *params, size_t n, const void *x, void *y) {
  return clact__host_call(ctx, act, dtype, params, CLACT_FORWARD, n, x, NULL, y, CLACT__HOST_AUTO,
                          0);
}

clact_status clact_backward_host(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                 const clact_params *params, size_t n, const void *x,
                                 const void *dy, void *dx) {
  return clact__host_call(ctx, act, dtype, params, CLACT_BACKWARD, n, x, dy, dx, CLACT__HOST_AUTO,
                          0);
}

clact_status clact_backward_from_y_host(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                        const clact_params *params, size_t n, const void *y,
                                        const void *dy, void *dx) {
  return clact__host_call(ctx, act, dtype, params, CLACT_BACKWARD_FROM_Y, n, y, dy, dx,
                          CLACT__HOST_AUTO, 0);
}
