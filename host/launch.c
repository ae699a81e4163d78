/* host/launch.c: argument validation and kernel launch for forward, backward, backward from y
 * and the copy kernel. Everything is checked before anything is enqueued, so an error leaves
 * every buffer untouched. */
#include "internal.h"

#include <stdint.h>
#include <string.h>

/* A validated buffer range: the underlying (non-sub) buffer and the absolute byte range. */
typedef struct range {
  cl_mem base;
  size_t begin, end;
} range;

static clact_status check_buffer(const clact_context *ctx, cl_mem m, size_t off, size_t n,
                                 size_t elem, int write, range *r) {
  if (!m)
    return CLACT_ERROR_NULL_ARGUMENT;
  cl_context c;
  cl_mem_object_type type;
  cl_mem_flags flags;
  size_t size;
  cl_int err = clGetMemObjectInfo(m, CL_MEM_CONTEXT, sizeof c, &c, NULL);
  if (err == CL_SUCCESS)
    err = clGetMemObjectInfo(m, CL_MEM_TYPE, sizeof type, &type, NULL);
  if (err == CL_SUCCESS)
    err = clGetMemObjectInfo(m, CL_MEM_FLAGS, sizeof flags, &flags, NULL);
  if (err == CL_SUCCESS)
    err = clGetMemObjectInfo(m, CL_MEM_SIZE, sizeof size, &size, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  if (c != ctx->context)
    return CLACT_ERROR_CONTEXT_MISMATCH;
  if (type != CL_MEM_OBJECT_BUFFER)
    return (clact_status)CL_INVALID_MEM_OBJECT;
  if ((write && (flags & CL_MEM_READ_ONLY)) || (!write && (flags & CL_MEM_WRITE_ONLY)))
    return CLACT_ERROR_BUFFER_ACCESS;
  if (off > SIZE_MAX - n || off + n > SIZE_MAX / elem)
    return CLACT_ERROR_SIZE_OVERFLOW;
  if ((off + n) * elem > size)
    return CLACT_ERROR_OUT_OF_BOUNDS;
  /* Resolve sub-buffers to their parent so that aliasing through them is seen. */
  cl_mem parent = NULL;
  size_t origin = 0;
  err = clGetMemObjectInfo(m, CL_MEM_ASSOCIATED_MEMOBJECT, sizeof parent, &parent, NULL);
  if (err == CL_SUCCESS && parent)
    err = clGetMemObjectInfo(m, CL_MEM_OFFSET, sizeof origin, &origin, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  r->base = parent ? parent : m;
  r->begin = origin + off * elem;
  r->end = origin + (off + n) * elem;
  return CLACT_SUCCESS;
}

/* An output may coincide exactly with an input (in place) but not overlap it partially. */
static int bad_alias(const range *out, const range *in) {
  if (out->base != in->base)
    return 0;
  if (out->begin == in->begin && out->end == in->end)
    return 0;
  return out->begin < in->end && in->begin < out->end;
}

static clact_status enqueue(clact_context *ctx, clact_program *prog, clact_direction dir,
                            clact_dtype dtype, const double *p, unsigned width, size_t n,
                            cl_mem in0, size_t in0_off, cl_mem in1, size_t in1_off, cl_mem out,
                            size_t out_off, cl_event *event) {
  cl_kernel k = prog->kernel[dir];
  size_t items = n / width + (n % width != 0);
  size_t local = prog->local_size;
  size_t global = (items + local - 1) / local * local;
  if (ctx->address_bits < 64 && (uint64_t)global > ((uint64_t)1 << ctx->address_bits) - 1)
    return CLACT_ERROR_SIZE_OVERFLOW;
  cl_ulong o0 = in0_off, o1 = in1_off, oo = out_off, nn = n;
  cl_uint a = 0;
  cl_int err = clSetKernelArg(k, a++, sizeof in0, &in0);
  err |= clSetKernelArg(k, a++, sizeof o0, &o0);
  if (in1) {
    err |= clSetKernelArg(k, a++, sizeof in1, &in1);
    err |= clSetKernelArg(k, a++, sizeof o1, &o1);
  }
  err |= clSetKernelArg(k, a++, sizeof out, &out);
  err |= clSetKernelArg(k, a++, sizeof oo, &oo);
  err |= clSetKernelArg(k, a++, sizeof nn, &nn);
  for (int i = 0; i < CLACT_MAX_PARAMS; i++) { /* every kernel takes them (copy: zeros) */
    if (dtype == CLACT_F64) {
      err |= clSetKernelArg(k, a++, sizeof(double), &p[i]);
    } else {
      float f = (float)p[i];
      err |= clSetKernelArg(k, a++, sizeof f, &f);
    }
  }
  if (err != CL_SUCCESS)
    return (clact_status)CL_INVALID_KERNEL_ARGS;
  err = clEnqueueNDRangeKernel(ctx->queue, k, 1, NULL, &global, &local, 0, NULL, event);
  return (clact_status)err;
}

clact_status clact__launch(clact_context *ctx, int slot, clact_direction dir, clact_dtype dtype,
                           const clact_params *params, unsigned width, size_t n, cl_mem in0,
                           size_t in0_off, cl_mem in1, size_t in1_off, cl_mem out, size_t out_off,
                           cl_event *event) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  int is_copy = slot == CLACT_SLOT_COPY;
  if (slot < 0 || slot > CLACT_SLOT_COPY)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  if ((unsigned)dir >= CLACT_DIRECTION_COUNT)
    return CLACT_ERROR_INVALID_VALUE;
  if ((unsigned)dtype >= CLACT_DTYPE_COUNT)
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_status st = clact_context_supports(ctx, dtype);
  if (st != CLACT_SUCCESS)
    return st;
  double p[CLACT_MAX_PARAMS] = {0};
  if (!is_copy) {
    st = clact__params_for_dtype((clact_activation)slot, params, dtype, p);
    if (st != CLACT_SUCCESS)
      return st;
    if (dir == CLACT_BACKWARD_FROM_Y && !clact__from_y_allowed((clact_activation)slot, p))
      return CLACT_ERROR_NO_FROM_Y;
  }
  if (n == 0) /* a valid no-op; buffers are not inspected (an empty tensor may have none) */
    return event ? (clact_status)clEnqueueMarkerWithWaitList(ctx->queue, 0, NULL, event)
                 : CLACT_SUCCESS;
  size_t elem = clact_dtype_size(dtype);
  range r0, r1, ro;
  st = check_buffer(ctx, in0, in0_off, n, elem, 0, &r0);
  if (st == CLACT_SUCCESS && dir != CLACT_FORWARD)
    st = check_buffer(ctx, in1, in1_off, n, elem, 0, &r1);
  if (st == CLACT_SUCCESS)
    st = check_buffer(ctx, out, out_off, n, elem, 1, &ro);
  if (st != CLACT_SUCCESS)
    return st;
  if (bad_alias(&ro, &r0) || (dir != CLACT_FORWARD && bad_alias(&ro, &r1)))
    return CLACT_ERROR_INVALID_ALIAS;
  mtx_lock(&ctx->lock);
  unsigned w = width ? width : clact_context_vector_width(ctx);
  clact_program *prog;
  st = clact__program(ctx, slot, dtype, w, &prog, NULL);
  if (st == CLACT_SUCCESS)
    st = enqueue(ctx, prog, dir, dtype, p, w, n, in0, in0_off, dir == CLACT_FORWARD ? NULL : in1,
                 in1_off, out, out_off, event);
  mtx_unlock(&ctx->lock);
  return st;
}

clact_status clact_forward(clact_context *ctx, clact_activation act, clact_dtype dtype,
                           const clact_params *params, size_t n, cl_mem x, size_t x_off, cl_mem y,
                           size_t y_off, cl_event *event) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT)
    return ctx ? CLACT_ERROR_UNKNOWN_ACTIVATION : CLACT_ERROR_NULL_ARGUMENT;
  return clact__launch(ctx, (int)act, CLACT_FORWARD, dtype, params, 0, n, x, x_off, NULL, 0, y,
                       y_off, event);
}

clact_status clact_backward(clact_context *ctx, clact_activation act, clact_dtype dtype,
                            const clact_params *params, size_t n, cl_mem x, size_t x_off, cl_mem dy,
                            size_t dy_off, cl_mem dx, size_t dx_off, cl_event *event) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT)
    return ctx ? CLACT_ERROR_UNKNOWN_ACTIVATION : CLACT_ERROR_NULL_ARGUMENT;
  return clact__launch(ctx, (int)act, CLACT_BACKWARD, dtype, params, 0, n, x, x_off, dy, dy_off, dx,
                       dx_off, event);
}

clact_status clact_backward_from_y(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                   const clact_params *params, size_t n, cl_mem y, size_t y_off,
                                   cl_mem dy, size_t dy_off, cl_mem dx, size_t dx_off,
                                   cl_event *event) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT)
    return ctx ? CLACT_ERROR_UNKNOWN_ACTIVATION : CLACT_ERROR_NULL_ARGUMENT;
  return clact__launch(ctx, (int)act, CLACT_BACKWARD_FROM_Y, dtype, params, 0, n, y, y_off, dy,
                       dy_off, dx, dx_off, event);
}

clact_status clact_copy(clact_context *ctx, clact_dtype dtype, size_t n, cl_mem src, size_t src_off,
                        cl_mem dst, size_t dst_off, cl_event *event) {
  return clact__launch(ctx, CLACT_SLOT_COPY, CLACT_FORWARD, dtype, NULL, 0, n, src, src_off, NULL,
                       0, dst, dst_off, event);
}
