/* include/clact/channel.h: the per-channel activations (PReLU, APL) on N x C x inner tensors.
 *
 * Part of the public API of include/clact.h, which includes this file at its end: it uses the
 * types declared there and is not meant to be included on its own. Documented in full in
 * docs/channel.md.
 *
 * Layout: PyTorch's, channel axis 1: element (n, c, j) of an N x C x inner tensor is at element
 * offset + (n * C + c) * inner + j of its buffer (contiguous). x, y, dy, dx are such tensors;
 * the weights are small tensors of the same dtype as x, contiguous, each with its own element
 * offset:
 *   prelu  w: C values (one per channel) or 1 value (shared by every channel, hinges = 0,
 *          shared = 1).
 *   apl    a and b: S x C values each (a_s[c] at offset + s * C + c), S = hinges in [1, 8].
 * dtypes: f32, f16 and bf16 (16-bit: storage only, computed in float, each stored result is
 * the round-to-nearest-even of the float result), f64 where the device has cl_khr_fp64 (else
 * CLACT_ERROR_UNSUPPORTED_DTYPE).
 *
 * Conventions (docs/channel.md has the formulas, bounds and special values):
 * - Validation before anything is enqueued; on any error nothing is written (the one exception:
 *   an OpenCL error from enqueueing a backward call's second or third kernel (the weight
 *   gradients' pass 2, the bias gradient of the _ex call), after the first, leaves dx written
 *   and the gradients not). Order of the checks: NULL ctx or params
 *   (CLACT_ERROR_NULL_ARGUMENT), unknown op (CLACT_ERROR_UNKNOWN_ACTIVATION), dtype
 *   (CLACT_ERROR_UNSUPPORTED_DTYPE), hinges and shared not valid for the op
 *   (CLACT_ERROR_PARAMETER_RANGE), c == 0, accumulate not 0/1 or a db given to prelu
 *   (CLACT_ERROR_INVALID_VALUE), n * c * inner or S * C overflowing (CLACT_ERROR_SIZE_OVERFLOW),
 *   then
 *   each buffer: NULL (CLACT_ERROR_NULL_ARGUMENT), of another context
 *   (CLACT_ERROR_CONTEXT_MISMATCH), READ_ONLY output or WRITE_ONLY input
 *   (CLACT_ERROR_BUFFER_ACCESS), (offset + count) * element size overflowing size_t
 *   (CLACT_ERROR_SIZE_OVERFLOW) or past CL_MEM_SIZE (CLACT_ERROR_OUT_OF_BOUNDS); then aliasing
 *   (CLACT_ERROR_INVALID_ALIAS).
 * - Aliasing: y may be x exactly (same buffer and offset: in place), dx may be dy or x exactly;
 *   any other overlap of an output with an input is rejected, and so is any overlap of the
 *   gradient outputs (dw, db) with anything else, each other included.
 * - n == 0 or inner == 0 (an empty tensor) is valid: forward does nothing; backward writes
 *   zeros to the requested weight gradients (accumulate: leaves them as they are). The event,
 *   if asked for, completes when everything the call enqueued has.
 * - Results are deterministic: the same inputs give the same bits on every run (the weight
 *   gradients are reduced in a fixed order that depends only on the shape).
 */
#ifndef CLACT_CHANNEL_H
#define CLACT_CHANNEL_H

#ifdef __cplusplus
extern "C" {
#endif

/** The per-channel activations. */
typedef enum clact_channel_op {
  CLACT_CH_PRELU, /**< y = x > 0 ? x : w_c x */
  CLACT_CH_APL,   /**< y = max(0, x) + sum_s a_s[c] max(0, b_s[c] - x) */
  CLACT_CHANNEL_COUNT
} clact_channel_op;

#define CLACT_APL_MAX_HINGES 8

/** The weights of a call. Zero-initialise and fill what the op uses. */
typedef struct clact_channel_params {
  unsigned hinges; /**< apl: S in [1, CLACT_APL_MAX_HINGES]; prelu: 0 */
  int shared;      /**< prelu: 1 = one weight for every channel (w holds 1 value); apl: 0 */
  cl_mem w;        /**< prelu: w (C values, or 1 if shared); apl: a (S x C) */
  size_t w_off;    /**< elements */
  cl_mem b;        /**< apl: b (S x C); prelu: unused (NULL) */
  size_t b_off;    /**< elements */
} clact_channel_params;

/** The weight gradients a backward call writes, reduced on the device over N and inner. A NULL
 *  pointer to this struct, or NULL buffers in it, skip them (dx only).
 *  prelu: dw (as w: C values or 1) = sum over the channel (all channels if shared) of
 *         dy x where x <= 0.
 *  apl:   dw = da (S x C): da_s[c] = sum dy max(0, b_s - x); db (S x C):
 *         db_s[c] = a_s[c] * sum dy [x < b_s].
 *  accumulate 0: the gradients are overwritten (PyTorch's torch.autograd.grad); 1: added to
 *  what the buffers hold (dw += ..., in the compute precision, one rounding when stored: the
 *  accumulation of .grad over several backward calls). */
typedef struct clact_channel_grads {
  cl_mem dw;     /**< prelu: dw; apl: da; NULL: not computed */
  size_t dw_off; /**< elements */
  cl_mem db;     /**< apl: db; prelu: must be NULL */
  size_t db_off; /**< elements */
  int accumulate;
} clact_channel_grads;

/** Canonical names ("prelu", "apl"); "?" if out of range. */
const char *clact_channel_name(clact_channel_op op);
/** Finds an op by canonical name (exact, case-sensitive). */
clact_status clact_channel_lookup(const char *name, clact_channel_op *op);

/** y = op(x) per channel, for an n x c x inner tensor. */
clact_status clact_channel_forward(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                   const clact_channel_params *params, size_t n, size_t c,
                                   size_t inner, cl_mem x, size_t x_off, cl_mem y, size_t y_off,
                                   cl_event *event);

/** dx = dy * op'(x) (kinks: prelu'(0) = w_c; apl: relu'(0) = 0 at x = 0 and at x = b_s, as
 *  PyTorch autograd), and the weight gradients of `grads` (may be NULL). */
clact_status clact_channel_backward(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                    const clact_channel_params *params, size_t n, size_t c,
                                    size_t inner, cl_mem x, size_t x_off, cl_mem dy, size_t dy_off,
                                    cl_mem dx, size_t dx_off, const clact_channel_grads *grads,
                                    cl_event *event);

/** The calls above with a clact_call (include/clact.h; NULL: the plain call, which these are):
 *  output blending and a fused per-channel bias, with the semantics of the elementwise *_ex
 *  calls.
 *  - Blending (call->blend): y = alpha f + beta y (forward), dx = alpha (dy f') + beta dx
 *    (backward), computed in the compute precision (float for f32/f16/bf16, double for f64) as
 *    fma(alpha, r, beta * out), r the plain result, and rounded once into the storage format.
 *    beta = 0 as the kernel sees it (beta rounded to float, or double for f64) never reads the
 *    output (a NaN there does not leak in). Only y and dx are blended: the weight gradients
 *    follow grads->accumulate, and db below sums the stored (blended) dx. In place stays
 *    allowed: each element of the output is read by the work-item that writes it, before it
 *    writes it.
 *  - Fused bias (call->bias not NULL: C values of the dtype from call->bias_off): the op is
 *    applied to x + b[c] (rounded once in the compute precision). The bias is per channel of
 *    this N x C x inner tensor, so call->channels must equal c and call->inner equal inner.
 *    Backward takes x (not x + b) and uses x + b everywhere: in dx and in the weight gradients
 *    (prelu dw: dy (x + b) where x + b <= 0; apl da, db likewise), the gradients of the fused
 *    function.
 *  - Bias gradient (call->dbias not NULL, backward only: C values from call->dbias_off):
 *    db[c] = sum over channel c (all n and j) of the stored dx, reduced on the device with
 *    compensated summation in a fixed order (the elementwise calls' reduction, reproducible),
 *    overwritten (no accumulation); an empty tensor gives zeros. It does not need call->bias.
 *  Errors, beyond the plain calls' (checked with them: nothing is enqueued, nothing written):
 *  alpha or beta not finite, a bias or dbias with call->channels != c or call->inner != inner,
 *  or a dbias in a forward call: CLACT_ERROR_INVALID_VALUE (after the plain calls'
 *  INVALID_VALUE checks); with beta != 0 an output that is not readable (CL_MEM_WRITE_ONLY):
 *  CLACT_ERROR_BUFFER_ACCESS; the bias and dbias buffers are checked as the weights (NULL
 *  cannot occur, context, access: bias readable, dbias writable, overflow, bounds; also for an
 *  empty tensor), after the gradients' buffers; aliasing: the bias may overlap inputs only
 *  (not y/dx, dw, db, dbias), dbias nothing at all (CLACT_ERROR_INVALID_ALIAS). */
clact_status clact_channel_forward_ex(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                      const clact_channel_params *params, const clact_call *call,
                                      size_t n, size_t c, size_t inner, cl_mem x, size_t x_off,
                                      cl_mem y, size_t y_off, cl_event *event);
clact_status clact_channel_backward_ex(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                       const clact_channel_params *params, const clact_call *call,
                                       size_t n, size_t c, size_t inner, cl_mem x, size_t x_off,
                                       cl_mem dy, size_t dy_off, cl_mem dx, size_t dx_off,
                                       const clact_channel_grads *grads, cl_event *event);

/** Verifies one op, direction (CLACT_FORWARD or CLACT_BACKWARD) and dtype on the context's
 *  device against the double-precision reference (host/ref_channel.c), on an n x c x inner
 *  tensor from `seed` (special values among the inputs: +-0, subnormals, x at the kinks b_s and
 *  next to them, and, in chosen channels, +-inf and NaN), weights from the seed (prelu: one per
 *  channel, or shared if `shared`; apl: `hinges` hinges), buffers at offsets with poisoned
 *  padding, outputs poisoned first; backward also in place (dx = dy), with accumulation, and
 *  twice (the gradients must be bit-identical). f16/bf16 results must equal the rounding of
 *  the f32 kernel's on the same values. Bounds: docs/channel.md; max_err is the largest
 *  |got - ref| / bound over every result (<= 1 passes; 0 for bit-exact results), bound is 1,
 *  the histogram bins that ratio; message: the first failure, or, on success, the maximum per
 *  output ("max error/bound: dx 0.5, da 0.3, db 0.2"). Returns
 *  CLACT_SUCCESS, CLACT_ERROR_CHECK_FAILED (details in `result`) or the error that stopped it. */
clact_status clact_check_channel(clact_context *ctx, clact_channel_op op, clact_direction dir,
                                 clact_dtype dtype, unsigned hinges, int shared, size_t n, size_t c,
                                 size_t inner, uint64_t seed, clact_check_result *result);

#ifdef __cplusplus
}
#endif
#endif /* CLACT_CHANNEL_H */
