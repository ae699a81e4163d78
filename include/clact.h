/* include/clact.h: the whole public C API of clact, documented in place.
 *
 * clact runs neural-network activation functions (forward and backward) as OpenCL kernels on
 * cl_mem buffers, and checks device results against a double-precision scalar reference.
 *
 * Conventions (they never vary):
 * - Every function that can fail returns a clact_status. CLACT_SUCCESS is 0; OpenCL error codes
 *   pass through unchanged (they are the negative values of CL/cl.h); the library's own codes
 *   lie in [-4099, -4000]. clact_status_string() names any of them.
 * - Argument order: context, activation, dtype, parameters, n, then (buffer, element offset)
 *   pairs, inputs before outputs, then the optional output event.
 * - Arguments are validated before anything is enqueued; on any error nothing is enqueued and
 *   the output buffer is untouched.
 * - n = 0 is a valid no-op (buffers are then not inspected; an event, if requested, is a
 *   marker).
 * - Outputs may alias inputs exactly (same buffer, same element offset: in place); partial
 *   overlap is rejected with CLACT_ERROR_INVALID_ALIAS.
 * - Thread safety: a clact_context may be used from several host threads; calls on one context
 *   are serialised internally around argument setting and enqueueing.
 */
#ifndef CLACT_H
#define CLACT_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version ---------------------------------------------------------------------------- */
#define CLACT_VERSION_MAJOR 0
#define CLACT_VERSION_MINOR 1
#define CLACT_VERSION_PATCH 0

/** "MAJOR.MINOR.PATCH" of the library actually linked. */
const char *clact_version(void);

/* ---- status ----------------------------------------------------------------------------- */
typedef enum clact_status {
  CLACT_SUCCESS = 0,
  /* Values -1 .. -3999: OpenCL error codes, passed through unchanged. */
  CLACT_ERROR_NULL_ARGUMENT = -4001,      /**< a required pointer or handle is NULL */
  CLACT_ERROR_UNKNOWN_ACTIVATION = -4002, /**< activation id or name not in the registry */
  CLACT_ERROR_UNKNOWN_PARAMETER = -4003,  /**< parameter name or index not defined */
  CLACT_ERROR_PARAMETER_RANGE = -4004,    /**< a parameter is NaN or outside its valid range */
  CLACT_ERROR_NO_FROM_Y = -4005,          /**< no backward-from-output variant (for these params) */
  CLACT_ERROR_UNSUPPORTED_DTYPE = -4006,  /**< dtype unknown or not supported by the device */
  CLACT_ERROR_OUT_OF_BOUNDS = -4007,      /**< offset + n exceeds the buffer (CL_MEM_SIZE) */
  CLACT_ERROR_SIZE_OVERFLOW = -4008,      /**< (offset + n) * element size overflows size_t */
  CLACT_ERROR_NO_DEVICE = -4009,          /**< no OpenCL platform/device, or index not found */
  CLACT_ERROR_BAD_DEVICE_SPEC = -4010,    /**< device spec is not "PLATFORM:DEVICE" */
  CLACT_ERROR_KERNEL_SOURCE = -4011,      /**< kernel source missing or unreadable */
  CLACT_ERROR_BUILD_FAILED = -4012,       /**< program build failed: see clact_build_log() */
  CLACT_ERROR_INVALID_ALIAS = -4013,      /**< an output partially overlaps an input */
  CLACT_ERROR_CONTEXT_MISMATCH = -4014,   /**< a buffer belongs to another cl_context */
  CLACT_ERROR_BUFFER_ACCESS = -4015, /**< buffer flags forbid the access (e.g. READ_ONLY out) */
  CLACT_ERROR_INVALID_VALUE = -4016, /**< an enum or option value is invalid */
  CLACT_ERROR_CHECK_FAILED = -4017   /**< a verification found results outside the bound */
} clact_status;

/** A static, human-readable description of any status (library or OpenCL); never NULL. */
const char *clact_status_string(clact_status status);

/* ---- the registry ----------------------------------------------------------------------- */
#define CLACT_MAX_PARAMS 4

/** The activations, in registry order (include/clact/activations.def). */
typedef enum clact_activation {
#define CLACT_ACTIVATION(ID, ...) CLACT_##ID,
#include "clact/activations.def"
  CLACT_ACTIVATION_COUNT
} clact_activation;

/** Storage types. float32 is computed in float, f16 and bf16 in float, f64 in double. */
typedef enum clact_dtype {
  CLACT_F32,
  CLACT_F16,
  CLACT_BF16,
  CLACT_F64,
  CLACT_DTYPE_COUNT
} clact_dtype;

/** Directions of a computation. */
typedef enum clact_direction {
  CLACT_FORWARD,         /**< y = f(x) */
  CLACT_BACKWARD,        /**< dx = dy * f'(x) */
  CLACT_BACKWARD_FROM_Y, /**< dx = dy * f'(x) computed from y = f(x) */
  CLACT_DIRECTION_COUNT
} clact_direction;

/** Forward accuracy groups of ACCURACY.md (the bound in ulp is clact_accuracy_ulp()). */
typedef enum clact_accuracy {
  CLACT_ACCURACY_EXACT,    /**< correctly rounded: bit-exact with the rounded reference */
  CLACT_ACCURACY_SIMPLE,   /**< <= 1 ulp */
  CLACT_ACCURACY_EXP,      /**< <= 2 ulp */
  CLACT_ACCURACY_COMPOSITE /**< <= 4 ulp */
} clact_accuracy;

/** When the backward-from-output variant exists. */
typedef enum clact_from_y {
  CLACT_FROM_Y_NO,            /**< never */
  CLACT_FROM_Y_YES,           /**< always */
  CLACT_FROM_Y_P0_POSITIVE,   /**< when parameter 0 > 0 (f is then invertible) */
  CLACT_FROM_Y_P1_LE_P0,      /**< when parameter 1 <= parameter 0 (threshold: value <= it) */
  CLACT_FROM_Y_P2_P3_POSITIVE /**< when parameters 2 and 3 are > 0 (srelu: both slopes) */
} clact_from_y;

/** Cross-parameter constraints. */
typedef enum clact_constraint {
  CLACT_CONSTRAINT_NONE,
  CLACT_CONSTRAINT_P0_LE_P1,  /**< parameter 0 <= parameter 1 */
  CLACT_CONSTRAINT_P0_NONZERO /**< parameter 0 != 0 (celu: x/alpha; pow: alpha * x^beta) */
} clact_constraint;

#define CLACT_PARAM_MIN_OPEN 1u /**< the minimum itself is not valid */
#define CLACT_PARAM_MAX_OPEN 2u /**< the maximum itself is not valid */

typedef struct clact_param_info {
  const char *name;
  double def;      /**< default value */
  double min, max; /**< valid range (see flags) */
  unsigned flags;  /**< CLACT_PARAM_MIN_OPEN | CLACT_PARAM_MAX_OPEN */
} clact_param_info;

/** Everything the registry knows about one activation. */
typedef struct clact_info {
  clact_activation id;
  const char *name;     /**< canonical id, e.g. "gelu" */
  const char *synonyms; /**< comma-separated, "" if none */
  int nparams;
  clact_param_info params[CLACT_MAX_PARAMS];
  clact_from_y from_y;
  clact_constraint constraint;
  clact_accuracy accuracy;
  int fwd_elems; /**< elements moved per element forward (bytes = this * element size) */
  int bwd_elems; /**< elements moved per element backward */
  const char *range, *continuity, *monotonic, *dmonotonic, *identity0; /**< CATALOGUE.md */
} clact_info;

/** The registry row of an activation, or NULL if the id is out of range. */
const clact_info *clact_get_info(clact_activation act);

/** Finds an activation by canonical name or synonym (exact, case-sensitive). */
clact_status clact_lookup(const char *name, clact_activation *act);

/** Canonical name of an activation ("?" if out of range). */
const char *clact_name(clact_activation act);

/** Names of dtypes ("f32", "f16", "bf16", "f64") and directions ("forward", "backward",
 *  "backward_from_y"); "?" if out of range. */
const char *clact_dtype_name(clact_dtype dtype);
const char *clact_direction_name(clact_direction dir);
/** Parses "f32"/"f16"/"bf16"/"f64". */
clact_status clact_dtype_lookup(const char *name, clact_dtype *dtype);
/** Element size in bytes of a dtype (0 if out of range). */
size_t clact_dtype_size(clact_dtype dtype);

/** Forward bound in ulp of an accuracy group (0 for EXACT: bit-exact). */
double clact_accuracy_ulp(clact_accuracy acc);

/* ---- parameters ------------------------------------------------------------------------- */
/** Parameters of a call. A parameter whose bit is clear in `set` takes its registry default;
 *  a NULL clact_params pointer means "all defaults". Zero-initialise or use
 *  clact_params_default(). */
typedef struct clact_params {
  unsigned set;                   /**< bit i: value[i] is given */
  double value[CLACT_MAX_PARAMS]; /**< in registry order */
} clact_params;

/** All parameters unset (registry defaults). */
clact_params clact_params_default(void);

/** Sets a parameter by name. Fails with CLACT_ERROR_UNKNOWN_PARAMETER if `act` has no such
 *  parameter; the range is checked when the parameters are used (clact_params_resolve). */
clact_status clact_params_set(clact_activation act, clact_params *params, const char *name,
                              double value);

/** Resolves parameters to their effective values (defaults filled in) and validates them:
 *  each against its range, then the registry's cross-parameter constraint.
 *  `out` receives CLACT_MAX_PARAMS values (unused ones 0). */
clact_status clact_params_resolve(clact_activation act, const clact_params *params,
                                  double out[CLACT_MAX_PARAMS]);

/** Whether the backward-from-output variant exists for these parameters: CLACT_SUCCESS,
 *  CLACT_ERROR_NO_FROM_Y, or a parameter error. */
clact_status clact_has_backward_from_y(clact_activation act, const clact_params *params);

/* ---- contexts --------------------------------------------------------------------------- */
/* Thread safety: every function may be called from several host threads at once. Calls on one
 * clact_context are serialised internally around program building (a lazy first build blocks
 * the context's other callers until it finishes), kernel argument setting and enqueueing
 * (cl_kernel objects are not thread-safe for clSetKernelArg). Kernels run on the context's one
 * command queue, in the order the calls take the lock: order your own commands with events, or
 * use separate queues. Several clact_contexts may wrap the same cl_context with different
 * queues (clact_context_wrap); each keeps its own programs, and they share the on-disk program
 * cache safely, as separate processes do (entries are written to a temporary file and renamed).
 * A result never depends on the thread, queue or context that computed it, or on how calls
 * interleave: it is bit-identical to the same call made alone (tests/test_threads.c). The
 * caller owns the buffers: concurrent calls must not write a range another call reads or
 * writes. clact_build_log() returns a pointer that a failed build in another thread may free:
 * read it only when no other thread can be building on that context.
 * clact_context_set_vector_width() applies to calls that start after it returns. */
typedef struct clact_context clact_context;

/** Creates a library-owned context on one device. `device_spec` is "PLATFORM:DEVICE" (indices
 *  as listed by `clact devices`); NULL means the environment variable CLACT_DEVICE if set, else
 *  the first GPU of any platform, else the first device of any platform. The queue is in order
 *  with profiling enabled. */
clact_status clact_context_create(clact_context **ctx, const char *device_spec);

/** Wraps a caller's context and queue (both retained; released by clact_context_destroy).
 *  Work is enqueued on `queue`; its device is used for compilation. */
clact_status clact_context_wrap(clact_context **ctx, cl_context context, cl_command_queue queue);

/** Releases everything the context holds (programs, kernels, queue, context). NULL is a no-op. */
void clact_context_destroy(clact_context *ctx);

cl_context clact_context_cl(const clact_context *ctx);
cl_command_queue clact_context_queue(const clact_context *ctx);
cl_device_id clact_context_device(const clact_context *ctx);

/** Whether the context's device supports a dtype (f16/bf16 always: storage formats; f64 needs
 *  cl_khr_fp64). Returns CLACT_SUCCESS or CLACT_ERROR_UNSUPPORTED_DTYPE. */
clact_status clact_context_supports(const clact_context *ctx, clact_dtype dtype);

/** Elements per work-item of the elementwise kernels: 1, 2, 4, 8 or 16; 0 restores the
 *  automatic choice (the device's preferred float vector width, at least 8 on CPU devices and at
 *  least 4 on others). Results are bit-identical whatever the width. */
clact_status clact_context_set_vector_width(clact_context *ctx, unsigned width);
unsigned clact_context_vector_width(const clact_context *ctx);

/** Streaming stores: an elementwise call (forward, backward, backward from y, copy) that reads
 *  and writes at least this many bytes in all stores its output with non-temporal stores, which
 *  send it to memory without reading it into the cache first (the same results; on a CPU a
 *  kernel bound by memory then moves 2 bytes per output byte instead of 3). The device's global
 *  memory cache size (CL_DEVICE_GLOBAL_MEM_CACHE_SIZE) where the library can (PoCL's CPU devices
 *  on x86); SIZE_MAX (never) elsewhere, for a NULL context, and with the environment variable
 *  CLACT_STREAM=off at context creation; 0 (always) with CLACT_STREAM=on. */
size_t clact_context_stream_bytes(const clact_context *ctx);

/** Build log of the last failed program build on this context ("" if none). The pointer stays
 *  valid until the next build failure or clact_context_destroy. */
const char *clact_build_log(const clact_context *ctx);

/** Builds (or finds in memory) the program of an activation and dtype now, so that the first
 *  call does not pay for compilation. `build_ms`, if not NULL, receives the compile time of
 *  this call (0 if it was already built). This is the program of calls with the default
 *  parameters; where a kernel has a path of its own for them (swish at beta = 1, pow at
 *  alpha = beta = 1), the first call with other parameters builds a second program. */
clact_status clact_prepare(clact_context *ctx, clact_activation act, clact_dtype dtype,
                           double *build_ms);

/* ---- compute ---------------------------------------------------------------------------- */
/** y[y_off + i] = f(x[x_off + i]) for i < n. Offsets and n count elements of `dtype`. */
clact_status clact_forward(clact_context *ctx, clact_activation act, clact_dtype dtype,
                           const clact_params *params, size_t n, cl_mem x, size_t x_off, cl_mem y,
                           size_t y_off, cl_event *event);

/** dx = dy * f'(x), elementwise. dy = ±inf where f'(x) = 0 gives NaN (the product is
 *  undefined); NaN in x or dy gives NaN. */
clact_status clact_backward(clact_context *ctx, clact_activation act, clact_dtype dtype,
                            const clact_params *params, size_t n, cl_mem x, size_t x_off, cl_mem dy,
                            size_t dy_off, cl_mem dx, size_t dx_off, cl_event *event);

/** dx = dy * f'(x) computed from the forward output y (registry column from_y). */
clact_status clact_backward_from_y(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                   const clact_params *params, size_t n, cl_mem y, size_t y_off,
                                   cl_mem dy, size_t dy_off, cl_mem dx, size_t dx_off,
                                   cl_event *event);

/* ---- blending and fused bias ------------------------------------------------------------ */
/** What a call does beyond out = f(in): zero-initialise it (`clact_call c = {0};`) and set what
 *  is wanted. Used by the *_ex forms; the plain forms are the *_ex forms with a zeroed call.
 *
 *  Blending (cuDNN/MIOpen style), when `blend` is set:
 *    forward   y  = alpha * f(x)          + beta * y
 *    backward  dx = alpha * (dy * f'(x))  + beta * dx     (gradient accumulation: beta = 1)
 *  computed in the compute precision as fma(alpha, f, beta * out), then stored (rounded into the
 *  storage type). beta = 0 never reads the output, so a NaN already there does not leak in;
 *  beta != 0 reads it, so it must then be readable (CL_MEM_WRITE_ONLY:
 *  CLACT_ERROR_BUFFER_ACCESS). In place (out aliasing an input exactly) is allowed: each element is
 * read before it is written, by the same work-item.
 *
 *  Fused bias, when `bias` is not NULL: the activation is applied to x + b[c] (rounded once in
 *  the compute precision), where element i of the call (0-based within the call's range)
 *  belongs to channel c = (i / inner) % channels: an N x C x inner tensor (PyTorch's channel
 *  axis 1; inner = 1 gives rows x cols with a bias per column). Backward takes x (not x + b),
 *  and, when `dbias` is not NULL, also writes db[c] = sum over the channel of dx (the stored
 *  dx values, summed in the compute precision with compensated summation, in a fixed order:
 *  reproducible), reduced on the device. From y, dx needs no bias; db is still available. */
typedef struct clact_call {
  int blend;              /**< nonzero: apply alpha and beta */
  double alpha, beta;     /**< blending factors (rounded to the compute precision) */
  cl_mem bias;            /**< NULL: no bias; else channels elements from bias_off */
  size_t bias_off;        /**< element offset of b[0] */
  size_t channels, inner; /**< the layout: c = (i / inner) % channels; both >= 1 */
  cl_mem dbias;           /**< backward: NULL, or channels elements receiving db */
  size_t dbias_off;       /**< element offset of db[0] */
} clact_call;

clact_status clact_forward_ex(clact_context *ctx, clact_activation act, clact_dtype dtype,
                              const clact_params *params, const clact_call *call, size_t n,
                              cl_mem x, size_t x_off, cl_mem y, size_t y_off, cl_event *event);
clact_status clact_backward_ex(clact_context *ctx, clact_activation act, clact_dtype dtype,
                               const clact_params *params, const clact_call *call, size_t n,
                               cl_mem x, size_t x_off, cl_mem dy, size_t dy_off, cl_mem dx,
                               size_t dx_off, cl_event *event);
clact_status clact_backward_from_y_ex(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                      const clact_params *params, const clact_call *call, size_t n,
                                      cl_mem y, size_t y_off, cl_mem dy, size_t dy_off, cl_mem dx,
                                      size_t dx_off, cl_event *event);

/** A plain copy kernel (dst = src, elementwise), the bandwidth yardstick of the benchmark. */
clact_status clact_copy(clact_context *ctx, clact_dtype dtype, size_t n, cl_mem src, size_t src_off,
                        cl_mem dst, size_t dst_off, cl_event *event);

/* ---- activations with structure: rows x cols (CATALOGUE.md section 3) ------------------ */
/* Operations that act along the rows of a rows x cols matrix (the activation runs along each
 * row, the last, contiguous axis): softmax, log_softmax, softmin, the GLU family (glu, swiglu,
 * geglu, geglu_tanh, reglu, bilinear), crelu, sparsemax, maxout and rrelu_train so far
 * (include/clact/structured.def; docs/structured.md has the bounds and special values).
 *
 * Conventions, beyond those of the elementwise API:
 * - A tensor is a clact_tensor {mem, offset, pitch}: element (r, c) lives at element
 *   offset + r * pitch + c of `mem` (elements of the call's dtype). pitch 0 means packed
 *   (pitch = the row width); otherwise pitch >= the row width, so a row may live inside a wider
 *   buffer (a slice of columns, or rows of a padded matrix).
 * - rows == 0 or cols == 0 is a valid no-op, as n == 0 is (buffers are not inspected; an event,
 *   if requested, is a marker).
 * - Validation before anything is enqueued (nothing is written on bad input): NULL context or
 *   buffer (CLACT_ERROR_NULL_ARGUMENT), unknown operation (CLACT_ERROR_UNKNOWN_ACTIVATION),
 *   unknown dtype, f64 on a device without cl_khr_fp64 (CLACT_ERROR_UNSUPPORTED_DTYPE; every
 *   operation has an f64 kernel),
 *   a parameter given that the operation does not have (CLACT_ERROR_UNKNOWN_PARAMETER),
 *   pitch < row width (CLACT_ERROR_INVALID_VALUE), offset + (rows-1)*pitch + width overflowing
 *   size_t (CLACT_ERROR_SIZE_OVERFLOW) or exceeding CL_MEM_SIZE (CLACT_ERROR_OUT_OF_BOUNDS),
 *   a buffer of another context, READ_ONLY output or WRITE_ONLY input (as for the elementwise
 *   calls), a row count the device cannot launch (CLACT_ERROR_SIZE_OVERFLOW).
 * - Aliasing: an output may coincide exactly with an input (same buffer, offset and pitch: in
 *   place). Any other overlap of the byte spans [first element, last element] of an output and
 *   an input is rejected with CLACT_ERROR_INVALID_ALIAS (conservative: interleaved rows that
 *   share no element are rejected too).
 * - Kernel shapes (the softmax family and sparsemax; the other operations have one shape): a
 *   row per work-item for short rows, a work-group per row (reductions in local
 *   memory) for long ones, chosen by the row length (on CPU devices a row per work-item always:
 *   it measured faster at every shape); results are within the same bound, and a call gives
 *   the same bits every time on the same context. */

/** The structured operations, in registry order (include/clact/structured.def, the library's
 *  internal registry: host/structured.c checks at compile time that this list matches it). */
typedef enum clact_structured {
  CLACT_S_SOFTMAX,
  CLACT_S_LOG_SOFTMAX,
  CLACT_S_SOFTMIN,
  CLACT_S_GLU,
  CLACT_S_SWIGLU,
  CLACT_S_GEGLU,
  CLACT_S_GEGLU_TANH,
  CLACT_S_REGLU,
  CLACT_S_BILINEAR,
  CLACT_S_CRELU,
  CLACT_S_SPARSEMAX,
  CLACT_S_MAXOUT,
  CLACT_S_RRELU_TRAIN,
  CLACT_STRUCTURED_COUNT
} clact_structured;

/** A matrix in a buffer: element (r, c) at element offset + r * pitch + c (pitch 0: packed). */
typedef struct clact_tensor {
  cl_mem mem;
  size_t offset; /**< elements */
  size_t pitch;  /**< elements between row starts; 0 = the row width */
} clact_tensor;

/** The registry row of a structured operation. */
typedef struct clact_structured_info {
  clact_structured id;
  const char *name;    /**< canonical id, e.g. "log_softmax" */
  const char *summary; /**< one line */
  int nparams;         /**< parameters (clact_params, registry order); 0 for the softmax family */
  clact_param_info params[CLACT_MAX_PARAMS];
  int backward_from_y; /**< 1: backward takes y = forward(x); 0: it takes x */
  /** Output row width = cols * out_mul / (out_div * P), P = the value of parameter out_param
   *  (maxout: k), or 1 when out_param is -1: softmax family 1, 1, -1; GLU family 1, 2, -1 (rows
   *  of 2d); crelu 2, 1, -1; maxout 1, 1, 0. clact_structured_out_width() computes it. */
  int out_mul, out_div, out_param;
  const char *forward_bound;  /**< the forward bound in short (docs/structured.md in full) */
  const char *backward_bound; /**< the backward bound in short */
} clact_structured_info;

/** The registry row of a structured operation, or NULL if out of range. */
const clact_structured_info *clact_structured_get_info(clact_structured op);
/** Finds a structured operation by canonical name (exact, case-sensitive). */
clact_status clact_structured_lookup(const char *name, clact_structured *op);
/** The output row width of `op` for input rows of `cols` elements with these parameters (NULL:
 *  defaults): CLACT_SUCCESS, a parameter error, or CLACT_ERROR_INVALID_VALUE when cols does not
 *  give a whole width (GLU family: odd cols; maxout: cols not a multiple of k). */
clact_status clact_structured_out_width(clact_structured op, const clact_params *params,
                                        size_t cols, size_t *width);

/** Forward along rows: y row r = op(x row r) for r < rows; x rows have `cols` elements, y rows
 *  cols * out_halves / 2. `params` may be NULL (defaults; the softmax family has none).
 *  GLU family (glu, swiglu, geglu, geglu_tanh, reglu, bilinear): cols = 2d must be even; y is
 *  rows x d, y_i = a_i phi(g_i) with the gate half g at the columns given by parameter "gate"
 *  (0: second half d..2d-1, PyTorch's GLU; 1: first half, vLLM's SiluAndMul; 2: interleaved,
 *  g at even and a at odd columns, gpt-oss), phi = sigmoid, swish with "beta" (silu at 1),
 *  gelu, gelu_tanh, relu, identity. swiglu "limit" > 0 is gpt-oss's form: g clamped above at
 *  limit, a to [-limit, limit], y = g sigmoid(beta g) (a + 1) (gpt-oss: beta 1.702, limit 7).
 *  Parameters out of range (gate not 0, 1 or 2) give CLACT_ERROR_PARAMETER_RANGE.
 *  crelu: y is rows x 2 cols, y row = [relu(x), relu(-x)]; its backward takes x and dy
 *  (rows x 2 cols): dx = dy_left [x > 0] - dy_right [x < 0] (exact).
 *  sparsemax: y_i = max(x_i - tau, 0), the row's projection onto the probability simplex; NaN
 *  anywhere or all -inf: NaN row; c entries +inf: 1/c there, 0 elsewhere. Backward from y:
 *  dx_i = dy_i - mean of dy over {y > 0} where y_i > 0, else +0.
 *  maxout (parameter k, default 2): y is rows x cols/k, y_j = the input at the first NaN of
 *  x[j k .. j k + k - 1], else at its first maximum (exact); cols not a multiple of k:
 *  CLACT_ERROR_INVALID_VALUE. Backward from x: dy_j goes to that position, +0 to the others.
 *  With k > 1, y over x and dx over dy are rejected (CLACT_ERROR_INVALID_ALIAS).
 *  rrelu_train (lower 1/8, upper 1/3, seed 0, a whole number in [0, 2^53)): y = x for x > 0,
 *  else a x with a = lower + (upper - lower) * (u >> 8) * 2^-24 in float, u from
 *  Philox4x32-10 keyed by the seed at counter r * cols + c (docs/structured.md has the exact
 *  definition); backward from x regenerates a: dx = x > 0 ? dy : a dy (bit-exact). */
clact_status clact_rows_forward(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                const clact_params *params, size_t rows, size_t cols,
                                clact_tensor x, clact_tensor y, cl_event *event);

/** Backward along rows: dx from `in` (y = forward(x) for the softmax family,
 *  clact_structured_info.backward_from_y; else x) and dy:
 *    softmax      dx_i = y_i (dy_i - sum_j y_j dy_j)
 *    log_softmax  dx_i = dy_i - e^(y_i) sum_j dy_j
 *    softmin      dx_i = -y_i (dy_i - sum_j y_j dy_j)
 *  dx may alias `in` or dy exactly (in place). */
clact_status clact_rows_backward(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                 const clact_params *params, size_t rows, size_t cols,
                                 clact_tensor in, clact_tensor dy, clact_tensor dx,
                                 cl_event *event);
/*  GLU family backward takes x (rows x 2d) and dy (rows x d) and writes both halves' gradients
 *  into dx (rows x 2d, at the positions of a and g): da = dy phi(g), dg = dy a phi'(g) (gpt-oss
 *  form: the clamps' gradients pass inside their bounds, bounds included, as torch.clamp). dx
 *  may alias x exactly. */

/** The GLU family with a separate gate tensor (LLaMA's two projections): x (the value a), gate
 *  and y are rows x cols (= d), the parameter "gate" must be left at its default.
 *  Backward writes dx (da) and dgate (dg); each may alias its own input or dy exactly, and they
 *  must not overlap each other. Other operations: CLACT_ERROR_INVALID_VALUE. */
clact_status clact_rows_forward_gated(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                      const clact_params *params, size_t rows, size_t cols,
                                      clact_tensor x, clact_tensor gate, clact_tensor y,
                                      cl_event *event);
clact_status clact_rows_backward_gated(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                       const clact_params *params, size_t rows, size_t cols,
                                       clact_tensor x, clact_tensor gate, clact_tensor dy,
                                       clact_tensor dx, clact_tensor dgate, cl_event *event);

/** The row operations with output blending: the calls above with a clact_call (NULL: plain).
 *  Every output the call writes (y; dx; dx and dgate) is blended, element by element, as for
 *  the elementwise calls: out = alpha * r + beta * out, r the plain result in the compute
 *  precision (float for f32/f16/bf16, double for f64), computed as fma(alpha, r, beta * out)
 *  and rounded once into the storage format; beta = 0 (as the kernel sees it) never reads the
 *  output. With beta != 0 an output buffer must be readable (CL_MEM_WRITE_ONLY:
 *  CLACT_ERROR_BUFFER_ACCESS). Outputs that the plain call writes as zeros (maxout's dx at the
 *  non-maximal positions, sparsemax's dx off the support) are blended too: beta * out there.
 *  In place stays allowed as in the plain calls (each element is read before the same
 *  work-item writes it). Errors, beyond the plain calls': alpha or beta not finite, or a fused
 *  bias or dbias in the call (the bias is for the elementwise calls), give
 *  CLACT_ERROR_INVALID_VALUE. */
clact_status clact_rows_forward_ex(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                   const clact_params *params, const clact_call *call, size_t rows,
                                   size_t cols, clact_tensor x, clact_tensor y, cl_event *event);
clact_status clact_rows_backward_ex(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                    const clact_params *params, const clact_call *call, size_t rows,
                                    size_t cols, clact_tensor in, clact_tensor dy, clact_tensor dx,
                                    cl_event *event);
clact_status clact_rows_forward_gated_ex(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                         const clact_params *params, const clact_call *call,
                                         size_t rows, size_t cols, clact_tensor x,
                                         clact_tensor gate, clact_tensor y, cl_event *event);
clact_status clact_rows_backward_gated_ex(clact_context *ctx, clact_structured op,
                                          clact_dtype dtype, const clact_params *params,
                                          const clact_call *call, size_t rows, size_t cols,
                                          clact_tensor x, clact_tensor gate, clact_tensor dy,
                                          clact_tensor dx, clact_tensor dgate, cl_event *event);

/* ---- host arrays (offload) ---------------------------------------------------------------- */
/** The elementwise calls on host arrays of n elements of `dtype`, any n (larger than the
 *  device's memory too). Blocking: the output is complete when the call returns, and the
 *  library keeps no reference to the arrays. Results are bit-identical to the cl_mem calls.
 *  - Where the device shares host memory (CL_DEVICE_HOST_UNIFIED_MEMORY: CPU devices such as
 *    PoCL, integrated GPUs) the arrays are used in place, in chunks of up to
 *    CL_DEVICE_MAX_MEM_ALLOC_SIZE, with CL_MEM_USE_HOST_PTR: no copy.
 *  - Elsewhere they stream through the device in chunks of 2^22 elements (or less), with
 *    double buffering: the transfer of the next chunk overlaps the kernel of this one (a second,
 *    internal command queue carries the transfers).
 *  In place is allowed (the output pointer equal to an input pointer); any other overlap of
 *  the output with an input is CLACT_ERROR_INVALID_ALIAS. All arguments are validated before
 *  the device is used (NULL pointers, unknown activation, unsupported dtype, parameters,
 *  missing backward-from-output variant, n * element size or an address range overflowing:
 *  CLACT_ERROR_SIZE_OVERFLOW); n == 0 does nothing. On a device error during the call the
 *  output may be partly written (and, in place, the input with it). */
clact_status clact_forward_host(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                const clact_params *params, size_t n, const void *x, void *y);
clact_status clact_backward_host(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                 const clact_params *params, size_t n, const void *x,
                                 const void *dy, void *dx);
clact_status clact_backward_from_y_host(clact_context *ctx, clact_activation act, clact_dtype dtype,
                                        const clact_params *params, size_t n, const void *y,
                                        const void *dy, void *dx);

/* ---- the scalar reference (double precision, exact formulas of CATALOGUE.md) ------------ */
/** p: resolved parameters (clact_params_resolve), as the kernel sees them: rounded to the
 *  dtype's compute precision by the caller where that matters. NaN for an unknown id. */
double clact_reference_forward(clact_activation act, double x, const double *p);
/** f'(x); `mag`, if not NULL, receives M(x), the sum of the magnitudes of the terms of f'(x)
 *  in its cancellation-free form (ACCURACY.md's backward bound). */
double clact_reference_derivative(clact_activation act, double x, const double *p, double *mag);
/** f'(x) from y = f(x) (NaN where the variant does not exist). */
double clact_reference_derivative_from_y(clact_activation act, double y, const double *p,
                                         double *mag);
/** The same at element index `index` of a call (0-based within the call's range): they differ
 *  from the forms above only for activations defined by the index (brelu: relu at even
 *  indices, -relu(-x) at odd ones); the forms above are index 0. */
double clact_reference_forward_at(clact_activation act, double x, const double *p, uint64_t index);
double clact_reference_derivative_at(clact_activation act, double x, const double *p,
                                     uint64_t index, double *mag);
double clact_reference_derivative_from_y_at(clact_activation act, double y, const double *p,
                                            uint64_t index, double *mag);

/* ---- verification ----------------------------------------------------------------------- */
/** What clact_check runs. Zero-initialised fields take the defaults shown. */
typedef struct clact_check_options {
  unsigned sweep_stride; /**< float32 bit patterns stepped by this (default 256; 1 = all) */
  uint64_t random_count; /**< random inputs (default 1<<20) */
  uint64_t seed;         /**< seed of the random inputs (default 1) */
  int no_edges;          /**< 1: skip the edge lists */
  int no_layout;         /**< 1: skip the layout checks (sizes, offsets, in place, widths) */
  int no_param_sets;     /**< 1: check only the given/default parameters */
  size_t chunk;          /**< elements per device launch (default 1<<22) */
  int assume_ftz;        /**< 1: judge with the OpenCL flush-to-zero relaxation even on a device
                              with denormals (applied anyway on devices without CL_FP_DENORM):
                              subnormal x or dy may act as ±0, results below FLT_MIN may be ±0 */
  int exhaustive;        /**< 1: float32 sweep of all 2^32 inputs (sweep_stride is taken as 1);
                              backward sweeps twice: dy = 1, then a pseudo-random dy per input */
  int all_widths;        /**< 1: layout checks at every vector width (1, 2, 4, 8, 16); by
                              default at the context's width, and width 1 for
                              f32 and f64 (f16/bf16 share f32's math source) */
  int digest;            /**< 1: no reference and no layout checks: the same inputs run and
                              every result's bits are folded, in input order, into
                              result->digest, so that two kernel versions can be shown
                              bit-identical on exactly the inputs of a check (f32, f16, bf16;
                              f64: CLACT_ERROR_INVALID_VALUE) */
} clact_check_options;

#define CLACT_HISTOGRAM_BINS 6 /**< error bins {0, <=0.5, <=1, <=2, <=4, >4} */

typedef struct clact_check_result {
  uint64_t count;    /**< results compared */
  uint64_t failures; /**< results outside the bound or of the wrong class */
  double max_err;    /**< forward: max ulp; backward: max |dx-dx_ref| / (ulp(dx_ref)+u|dy|M) */
  double bound;      /**< the bound max_err is held to (forward EXACT: 0 and bit-exactness) */
  double worst_x, worst_dy, worst_got, worst_ref; /**< where max_err (or the first failure) is */
  double worst_p[CLACT_MAX_PARAMS];               /**< the parameters in effect there */
  uint64_t histogram[CLACT_HISTOGRAM_BINS];
  uint64_t seed;     /**< the random seed used */
  char message[256]; /**< first failure described ("" if none) */
  uint64_t digest;   /**< options->digest: h = (h ^ bits) * 0x100000001B3 over the results in
                          input order, from 0xCBF29CE484222325 (one differing result always
                          changes it; 0 otherwise) */
} clact_check_result;

/** Runs the verification of ACCURACY.md for one activation, direction and dtype on the
 *  context's device: the float32 sweep, the edge lists, fixed-seed random inputs (backward
 *  with a mix of dy values), each with outputs poisoned before the kernel runs, with the
 *  registry's default parameters and alternative parameter sets (unless `params` is given),
 *  then the layout checks (n in {0,1,3,7,93,4096,2^20+3}, offsets, in place and out of place,
 *  vector widths 1 and the default: results must be bit-identical). Returns CLACT_SUCCESS
 *  when everything is within the bound, CLACT_ERROR_CHECK_FAILED when not (details in
 *  `result`), or the error that stopped it. `progress`, if not NULL, is called with a fraction
 *  in [0,1]. */
clact_status clact_check(clact_context *ctx, clact_activation act, clact_direction dir,
                         clact_dtype dtype, const clact_params *params,
                         const clact_check_options *options, clact_check_result *result,
                         void (*progress)(double fraction, void *user), void *user);

/** ulp error of a float32 result against an exact value (ACCURACY.md's definition). Returns
 *  INFINITY for a wrong class (NaN vs number, inf vs finite). */
double clact_ulp_error_f32(float got, double exact);

/* ---- verification of the structured operations ---------------------------------------- */
/** Verifies a structured operation on the context's device against the double-precision
 *  host reference (host/ref_structured.c): rows x cols inputs from `seed` (special rows among
 *  them when rows > 1: all -inf, NaN, +inf, -inf entries, ties, huge and tiny spreads), padded
 *  pitches and offsets, outputs poisoned before the kernel (and the padding checked to stay
 *  untouched), in place and out of place, both kernel shapes (whichever the automatic choice
 *  is). Forward and
 *  CLACT_BACKWARD (from y for the softmax family: CLACT_BACKWARD_FROM_Y is accepted as the same
 *  thing). f16/bf16: the stored result must equal RNE of the float32 kernel's result on the same
 *  inputs bit-exactly and be within the 16-bit bound. Bounds: docs/structured.md. Returns
 *  CLACT_SUCCESS, CLACT_ERROR_CHECK_FAILED (details in `result`), or the error that stopped it.
 *  rows and cols must be >= 1. */
clact_status clact_check_rows(clact_context *ctx, clact_structured op, clact_direction dir,
                              clact_dtype dtype, const clact_params *params, size_t rows,
                              size_t cols, uint64_t seed, clact_check_result *result);

/* The per-channel activations (PReLU, APL) on N x C x inner tensors: docs/channel.md. */
#include "clact/channel.h"

#ifdef __cplusplus
}
#endif
#endif /* CLACT_H */
