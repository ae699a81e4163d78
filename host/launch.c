/* host/launch.c: argument validation and kernel launch for forward, backward, backward from y
 * and the copy kernel. Everything is checked before anything is enqueued, so an error leaves
 * every buffer untouched. */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef clact_range range;

/* internal.h */
clact_status clact__check_buffer(const clact_context *ctx, cl_mem m, size_t off, size_t n,
                                 size_t elem, int write, clact_range *r) {
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

/* Whether two ranges share any byte. */
static int overlaps(const range *a, const range *b) {
  return a->base == b->base && a->begin < b->end && b->begin < a->end;
}

/* An output may coincide exactly with an input (in place) but not overlap it partially. */
static int bad_alias(const range *out, const range *in) {
  if (out->base != in->base)
    return 0;
  if (out->begin == in->begin && out->end == in->end)
    return 0;
  return out->begin < in->end && in->begin < out->end;
}

cl_int clact__set_real(cl_kernel k, cl_uint *a, clact_dtype dtype, double v) {
  if (dtype == CLACT_F64)
    return clSetKernelArg(k, (*a)++, sizeof v, &v);
  float f = (float)v;
  return clSetKernelArg(k, (*a)++, sizeof f, &f);
}

clact_status clact__blend_variant(const clact_call *call, clact_dtype dtype, int *blend) {
  *blend = 0;
  if (!call || !call->blend)
    return CLACT_SUCCESS;
  double beta = dtype == CLACT_F64 ? call->beta : (double)(float)call->beta;
  *blend = beta == 0 ? 1 : 2;
  return isfinite(call->alpha) && isfinite(call->beta) ? CLACT_SUCCESS : CLACT_ERROR_INVALID_VALUE;
}

cl_int clact__set_blend(cl_kernel k, cl_uint *a, const clact_call *call, int blend,
                        clact_dtype dtype) {
  if (!blend)
    return CL_SUCCESS;
  cl_int err = clact__set_real(k, a, dtype, call->alpha);
  err |= clact__set_real(k, a, dtype, call->beta);
  return err;
}

/* Whether a call streams its stores (the _nt kernels, kernels/common.clh): when the bytes it
 * reads and writes are at least the context's threshold (host/context.c; SIZE_MAX: never). */
int clact__streams(const clact_context *ctx, double bytes) {
  return ctx->stream_bytes != SIZE_MAX && bytes >= (double)ctx->stream_bytes;
}

static int streams(const clact_context *ctx, clact_dtype dtype, size_t n, int inputs, int blend) {
  return clact__streams(ctx,
                        (double)n * (double)clact_dtype_size(dtype) * (inputs + 1 + (blend == 2)));
}

/* Arguments, in the order the prelude's entry points take them: in0, offset, [in1, offset],
 * out, offset, n, the four parameters, [alpha, beta] (blending), [bias, offset, channels,
 * inner] (fused bias). */
static clact_status enqueue(clact_context *ctx, clact_program *prog, clact_direction dir,
                            clact_dtype dtype, const double *p, const clact_call *call, int blend,
                            unsigned width, size_t n, cl_mem in0, size_t in0_off, cl_mem in1,
                            size_t in1_off, cl_mem out, size_t out_off, cl_event *event) {
  cl_kernel k = prog->kernel[dir];
  if (prog->kernel_nt[dir] && streams(ctx, dtype, n, in1 ? 2 : 1, blend))
    k = prog->kernel_nt[dir]; /* the same arguments */
  size_t items = n / width + (n % width != 0);
  size_t local = prog->local_size;
  size_t global = (items + local - 1) / local * local;
  if (clact__too_big(ctx, global))
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
  for (int i = 0; i < CLACT_MAX_PARAMS; i++) /* every kernel takes them (copy: zeros) */
    err |= clact__set_real(k, &a, dtype, p[i]);
  err |= clact__set_blend(k, &a, call, blend, dtype);
  if (call && call->bias && dir != CLACT_BACKWARD_FROM_Y) {
    cl_ulong bo = call->bias_off, ch = call->channels, in = call->inner;
    err |= clSetKernelArg(k, a++, sizeof call->bias, &call->bias);
    err |= clSetKernelArg(k, a++, sizeof bo, &bo);
    err |= clSetKernelArg(k, a++, sizeof ch, &ch);
    err |= clSetKernelArg(k, a++, sizeof in, &in);
  }
  if (err != CL_SUCCESS)
    return (clact_status)CL_INVALID_KERNEL_ARGS;
  err = clEnqueueNDRangeKernel(ctx->queue, k, 1, NULL, &global, &local, 0, NULL, event);
  return (clact_status)err;
}

/* internal.h. db[c] = sum over channel c of dx (kernels/bias_grad.cl): one work-group per
 * channel. The program is built and the arguments set before the kernel that writes dx is
 * enqueued (so that a failure here leaves dx untouched); clact__launch (and host/channel.c)
 * enqueue it after that kernel. */
clact_status clact__prepare_bias_grad(clact_context *ctx, clact_dtype dtype, const clact_call *call,
                                      size_t n, cl_mem dx, size_t dx_off, clact_program **out) {
  clact_program *prog;
  clact_status st = clact__program(ctx, CLACT_SLOT_BIAS_GRAD, dtype, 1, 0, &prog, NULL);
  if (st != CLACT_SUCCESS)
    return st;
  cl_kernel k = prog->kernel[CLACT_FORWARD];
  cl_ulong o = dx_off, nn = n, ch = call->channels, in = call->inner, dbo = call->dbias_off;
  cl_int err = clSetKernelArg(k, 0, sizeof dx, &dx);
  err |= clSetKernelArg(k, 1, sizeof o, &o);
  err |= clSetKernelArg(k, 2, sizeof nn, &nn);
  err |= clSetKernelArg(k, 3, sizeof ch, &ch);
  err |= clSetKernelArg(k, 4, sizeof in, &in);
  err |= clSetKernelArg(k, 5, sizeof call->dbias, &call->dbias);
  err |= clSetKernelArg(k, 6, sizeof dbo, &dbo);
  if (err != CL_SUCCESS)
    return (clact_status)CL_INVALID_KERNEL_ARGS;
  *out = prog;
  return CLACT_SUCCESS;
}

/* The call's own checks: layout and buffers of the bias and of db, and their aliasing with the
 * outputs (a bias read while the output is written, or db overlapping dx, would race). */
static clact_status check_call(const clact_context *ctx, const clact_call *call,
                               clact_direction dir, size_t elem, const range *out) {
  if (!call->bias && !call->dbias)
    return CLACT_SUCCESS;
  if (call->channels == 0 || call->inner == 0)
    return CLACT_ERROR_INVALID_VALUE;
  if (call->dbias && dir == CLACT_FORWARD)
    return CLACT_ERROR_INVALID_VALUE; /* db is a gradient: backward only */
  range rb, rdb;
  clact_status st = CLACT_SUCCESS;
  if (call->bias && dir != CLACT_BACKWARD_FROM_Y) {
    st = clact__check_buffer(ctx, call->bias, call->bias_off, call->channels, elem, 0, &rb);
    if (st == CLACT_SUCCESS && overlaps(out, &rb))
      return CLACT_ERROR_INVALID_ALIAS;
  }
  if (st == CLACT_SUCCESS && call->dbias) {
    st = clact__check_buffer(ctx, call->dbias, call->dbias_off, call->channels, elem, 1, &rdb);
    if (st == CLACT_SUCCESS && overlaps(out, &rdb))
      return CLACT_ERROR_INVALID_ALIAS;
  }
  return st;
}

clact_status clact__launch(clact_context *ctx, int slot, clact_direction dir, clact_dtype dtype,
                           const clact_params *params, const clact_call *call, unsigned width,
                           size_t n, cl_mem in0, size_t in0_off, cl_mem in1, size_t in1_off,
                           cl_mem out, size_t out_off, cl_event *event) {
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
  int defaults = 0; /* the parameters are the registry's defaults (CLACT_VARIANT_DEFAULTS) */
  if (!is_copy) {
    st = clact__params_for_dtype((clact_activation)slot, params, dtype, p);
    if (st != CLACT_SUCCESS)
      return st;
    double d[CLACT_MAX_PARAMS] = {0};
    defaults = !params; /* else resolve the defaults and compare, bit for bit: -0 is not 0 */
    if (!defaults)
      defaults = clact__params_for_dtype((clact_activation)slot, NULL, dtype, d) == CLACT_SUCCESS;
    for (int i = 0; params && defaults && i < CLACT_MAX_PARAMS; i++) {
      uint64_t a, b;
      memcpy(&a, &d[i], sizeof a);
      memcpy(&b, &p[i], sizeof b);
      defaults = a == b;
    }
    if (dir == CLACT_BACKWARD_FROM_Y && !clact__from_y_allowed((clact_activation)slot, p))
      return CLACT_ERROR_NO_FROM_Y;
    /* f64 soft_exponential with alpha in (0, 1) takes its root x* as a pair in p1, p2
     * (kernels/soft_exponential.cl) */
    if (dtype == CLACT_F64 && slot == CLACT_SOFT_EXPONENTIAL && p[0] > 0 && p[0] < 1)
      clact__ref_soft_exponential_root(p[0], &p[1], &p[2]);
  }
  /* The variant: blending without reading the output when beta (as the kernel sees it) is 0;
   * alpha or beta not finite is reported after the buffers' checks. */
  int blend, bias = 0;
  clact_status blend_st = clact__blend_variant(call, dtype, &blend);
  if (call && call->bias && dir != CLACT_BACKWARD_FROM_Y)
    bias = 1;
  if (n == 0) { /* a valid no-op; buffers are not inspected (an empty tensor may have none) */
    if (call && (call->bias || call->dbias) && (call->channels == 0 || call->inner == 0))
      return CLACT_ERROR_INVALID_VALUE;
    return event ? (clact_status)clEnqueueMarkerWithWaitList(ctx->queue, 0, NULL, event)
                 : CLACT_SUCCESS;
  }
  size_t elem = clact_dtype_size(dtype);
  range r0, r1, ro;
  st = clact__check_buffer(ctx, in0, in0_off, n, elem, 0, &r0);
  if (st == CLACT_SUCCESS && dir != CLACT_FORWARD)
    st = clact__check_buffer(ctx, in1, in1_off, n, elem, 0, &r1);
  if (st == CLACT_SUCCESS)
    st = clact__check_buffer(ctx, out, out_off, n, elem, 1, &ro);
  /* blending with beta != 0 reads the output: it must be readable too */
  if (st == CLACT_SUCCESS && blend == 2)
    st = clact__check_buffer(ctx, out, out_off, n, elem, 0, &ro);
  if (st == CLACT_SUCCESS)
    st = blend_st;
  if (st == CLACT_SUCCESS && call)
    st = check_call(ctx, call, dir, elem, &ro);
  if (st != CLACT_SUCCESS)
    return st;
  if (bad_alias(&ro, &r0) || (dir != CLACT_FORWARD && bad_alias(&ro, &r1)))
    return CLACT_ERROR_INVALID_ALIAS;
  mtx_lock(&ctx->lock);
  unsigned w = width ? width : clact_context_vector_width(ctx);
  clact_program *prog;
  st = clact__program(ctx, slot, dtype, w,
                      CLACT_VARIANT(blend, bias) + (defaults ? CLACT_VARIANT_DEFAULTS : 0), &prog,
                      NULL);
  int reduce = call && call->dbias && dir != CLACT_FORWARD;
  clact_program *bg = NULL;
  if (st == CLACT_SUCCESS && reduce)
    st = clact__prepare_bias_grad(ctx, dtype, call, n, out, out_off, &bg);
  if (st == CLACT_SUCCESS)
    st = enqueue(ctx, prog, dir, dtype, p, call, blend, w, n, in0, in0_off,
                 dir == CLACT_FORWARD ? NULL : in1, in1_off, out, out_off, reduce ? NULL : event);
  if (st == CLACT_SUCCESS && reduce) { /* in order after the kernel that writes dx */
    size_t local = bg->local_size, global = call->channels * local;
    st = (clact_status)clEnqueueNDRangeKernel(ctx->queue, bg->kernel[CLACT_FORWARD], 1, NULL,
                                              &global, &local, 0, NULL, event);
  }
  mtx_unlock(&ctx->lock);
  return st;
}

/* The public calls: the activation id checked first (so a bad id is not mistaken for a slot). */
#define LAUNCH(dir, call, in0, o0, in1, o1, out, oo)                                               \
  ((unsigned)act >= CLACT_ACTIVATION_COUNT                                                         \
       ? (ctx ? CLACT_ERROR_UNKNOWN_ACTIVATION : CLACT_ERROR_NULL_ARGUMENT)                        \
       : clact__launch(ctx, (int)act, dir, dtype, params, call, 0, n, in0, o0, in1, o1, out, oo,   \
                       event))

clact_status clact_forward(clact_context *ctx, clact_activation act, clact_dtype dtype,
                           const clact_params *params, size_t n, cl_mem x, size_t x_off, cl_mem y,
                           size_t y_off, cl_event *event) {
  return LAUNCH(CLACT_FORWARD, NULL, x, x_off, NULL, 0, y, y_off);
}

clact_status clact_backward(clact_context *ctx, clact_activation act, clact_dtype dtype,
                            const clact_params *params, size_t n, cl_mem x, size_t x_off, cl_mem dy,
                            size_t dy_off, cl_mem dx, size_t dx_off, cl_event *event) {
  return LAUNCH(CLACT_BACKWARD, NULL, x, x_off, dy, dy_off, dx, dx_off);
}

clact_status clact_backward_from_y(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                   const clact_params *params, size_t n, cl_mem y, size_t y_off,
                                   cl_mem dy, size_t dy_off, cl_mem dx, size_t dx_off,
                                   cl_event *event) {
  return LAUNCH(CLACT_BACKWARD_FROM_Y, NULL, y, y_off, dy, dy_off, dx, dx_off);
}

clact_status clact_forward_ex(clact_context *ctx, clact_activation act, clact_dtype dtype,
                              const clact_params *params, const clact_call *call, size_t n,
                              cl_mem x, size_t x_off, cl_mem y, size_t y_off, cl_event *event) {
  return LAUNCH(CLACT_FORWARD, call, x, x_off, NULL, 0, y, y_off);
}

clact_status clact_backward_ex(clact_context *ctx, clact_activation act, clact_dtype dtype,
                               const clact_params *params, const clact_call *call, size_t n,
                               cl_mem x, size_t x_off, cl_mem dy, size_t dy_off, cl_mem dx,
                               size_t dx_off, cl_event *event) {
  return LAUNCH(CLACT_BACKWARD, call, x, x_off, dy, dy_off, dx, dx_off);
}

clact_status clact_backward_from_y_ex(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                      const clact_params *params, const clact_call *call, size_t n,
                                      cl_mem y, size_t y_off, cl_mem dy, size_t dy_off, cl_mem dx,
                                      size_t dx_off, cl_event *event) {
  return LAUNCH(CLACT_BACKWARD_FROM_Y, call, y, y_off, dy, dy_off, dx, dx_off);
}

clact_status clact_copy(clact_context *ctx, clact_dtype dtype, size_t n, cl_mem src, size_t src_off,
                        cl_mem dst, size_t dst_off, cl_event *event) {
  return clact__launch(ctx, CLACT_SLOT_COPY, CLACT_FORWARD, dtype, NULL, NULL, 0, n, src, src_off,
                       NULL, 0, dst, dst_off, event);
}
