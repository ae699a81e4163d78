/* host/structured.c: the structured operations (include/clact/structured.def): registry,
 * programs (built lazily per context, operation and dtype), argument validation and launch of
 * clact_rows_forward / clact_rows_backward. Everything is validated before anything is
 * enqueued, so an error leaves every buffer untouched. */
#include "structured_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- registry ---------------------------------------------------------------------------- */
/* include/clact.h spells the enum out (an installed header cannot include the registry file);
 * it must match structured.def row for row. */
enum {
#define CLACT_STRUCTURED(ID, ...) DEF_##ID,
#include "clact/structured.def"
  DEF_COUNT
};
_Static_assert((int)DEF_COUNT == (int)CLACT_STRUCTURED_COUNT,
               "structured.def and clact.h differ in length");
#define CLACT_STRUCTURED(ID, ...)                                                                  \
  _Static_assert((int)DEF_##ID == (int)CLACT_S_##ID, "structured.def and clact.h disagree "        \
                                                     "at " #ID);
#include "clact/structured.def"

#define Y_FROM_Y 1
#define X_FROM_Y 0
static clact_structured_info infos[CLACT_STRUCTURED_COUNT] = {
#define CLACT_STRUCTURED(ID, NAME, FILE, NPARAMS, FROM, MUL, DIV, PARAM, SUMMARY, FWD, BWD)        \
  {CLACT_S_##ID, #NAME, SUMMARY, NPARAMS, {{0}}, FROM##_FROM_Y, MUL, DIV, PARAM, FWD, BWD},
#include "clact/structured.def"
};

typedef struct param_row {
  clact_structured op;
  int index;
  clact_param_info info;
} param_row;

static const param_row param_rows[] = {
#define CLACT_STRUCTURED_PARAM(ID, INDEX, NAME, DEF, MIN, MAX, FLAGS)                              \
  {CLACT_S_##ID, INDEX, {NAME, DEF, MIN, MAX, FLAGS}},
#include "clact/structured.def"
};

static once_flag infos_once = ONCE_FLAG_INIT;
static void fill_params(void) {
  for (size_t i = 0; i < sizeof param_rows / sizeof param_rows[0]; i++)
    infos[param_rows[i].op].params[param_rows[i].index] = param_rows[i].info;
}

static const char *const files[CLACT_STRUCTURED_COUNT] = {
#define CLACT_STRUCTURED(ID, NAME, FILE, ...) FILE,
#include "clact/structured.def"
};

const clact_structured_info *clact_structured_get_info(clact_structured op) {
  call_once(&infos_once, fill_params);
  return (unsigned)op < CLACT_STRUCTURED_COUNT ? &infos[op] : NULL;
}

clact_activation clact__glu_act(clact_structured op) {
  switch (op) {
  case CLACT_S_GLU:
    return CLACT_SIGMOID;
  case CLACT_S_SWIGLU:
    return CLACT_SWISH;
  case CLACT_S_GEGLU:
    return CLACT_GELU;
  case CLACT_S_GEGLU_TANH:
    return CLACT_GELU_TANH;
  case CLACT_S_REGLU:
    return CLACT_RELU;
  case CLACT_S_BILINEAR:
    return CLACT_IDENTITY;
  default:
    return CLACT_ACTIVATION_COUNT;
  }
}

clact_status clact__structured_params(clact_structured op, const clact_params *params,
                                      clact_dtype dtype, double out[CLACT_MAX_PARAMS]) {
  const clact_structured_info *in = clact_structured_get_info(op);
  for (int i = 0; i < CLACT_MAX_PARAMS; i++)
    out[i] = 0;
  if (params && (params->set >> in->nparams) != 0)
    return CLACT_ERROR_UNKNOWN_PARAMETER;
  for (int i = 0; i < in->nparams; i++) {
    const clact_param_info *pi = &in->params[i];
    double v = params && (params->set >> i & 1u) ? params->value[i] : pi->def;
    if (isnan(v) || v < pi->min || v > pi->max ||
        ((pi->flags & CLACT_PARAM_MIN_OPEN) && v == pi->min) ||
        ((pi->flags & CLACT_PARAM_MAX_OPEN) && v == pi->max))
      return CLACT_ERROR_PARAMETER_RANGE;
    if ((pi->flags & CLACT_S_PARAM_WHOLE) && v != floor(v))
      return CLACT_ERROR_PARAMETER_RANGE; /* gate 0, 1 or 2; maxout's k; rrelu_train's seed */
    /* as the kernel sees it: float, except f64 and the parameters passed exactly (the seed) */
    out[i] = dtype == CLACT_F64 || (pi->flags & CLACT_S_PARAM_EXACT) ? v : (double)(float)v;
  }
  if (op == CLACT_S_SWIGLU && !(out[1] > 0)) /* beta rounds to 0 in float */
    return CLACT_ERROR_PARAMETER_RANGE;
  if (op == CLACT_S_RRELU_TRAIN && !(out[0] <= out[1])) /* lower <= upper */
    return CLACT_ERROR_PARAMETER_RANGE;
  return CLACT_SUCCESS;
}

clact_status clact__out_width(clact_structured op, const double *pv, size_t cols, size_t *width) {
  const clact_structured_info *in = clact_structured_get_info(op);
  size_t div = (size_t)in->out_div;
  if (in->out_param >= 0) {
    double p = pv[in->out_param]; /* a whole number >= 1 (its registry row) */
    if (!(p >= 1) || p > (double)(SIZE_MAX / div))
      return CLACT_ERROR_PARAMETER_RANGE;
    div *= (size_t)p;
  }
  if (cols % div != 0)
    return CLACT_ERROR_INVALID_VALUE; /* GLU: odd cols; maxout: cols not a multiple of k */
  size_t q = cols / div;
  if (q > SIZE_MAX / (size_t)in->out_mul)
    return CLACT_ERROR_SIZE_OVERFLOW;
  *width = q * (size_t)in->out_mul;
  return CLACT_SUCCESS;
}

clact_status clact_structured_out_width(clact_structured op, const clact_params *params,
                                        size_t cols, size_t *width) {
  if (!width)
    return CLACT_ERROR_NULL_ARGUMENT;
  if ((unsigned)op >= CLACT_STRUCTURED_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  double pv[CLACT_MAX_PARAMS];
  clact_status st = clact__structured_params(op, params, CLACT_F64, pv);
  return st != CLACT_SUCCESS ? st : clact__out_width(op, pv, cols, width);
}

clact_status clact_structured_lookup(const char *name, clact_structured *op) {
  if (!name || !op)
    return CLACT_ERROR_NULL_ARGUMENT;
  for (int i = 0; i < CLACT_STRUCTURED_COUNT; i++)
    if (strcmp(infos[i].name, name) == 0) {
      *op = (clact_structured)i;
      return CLACT_SUCCESS;
    }
  return CLACT_ERROR_UNKNOWN_ACTIVATION;
}

/* ---- programs ---------------------------------------------------------------------------- */
/* K_FWD_LS: the softmax family's short forward keeping its terms in local memory, where the
 * source has it (softmax and softmin in 16-bit, or blending with beta: kernels/softmax.cl) */
enum { K_FWD_SHORT, K_FWD_LONG, K_BWD_SHORT, K_BWD_LONG, K_FWD_LS, K_COUNT };
static const char *const kernel_names[K_COUNT] = {"clact_rows_fwd_short", "clact_rows_fwd_long",
                                                  "clact_rows_bwd_short", "clact_rows_bwd_long",
                                                  "clact_rows_fwd_short_ls"};
/* K_FWD_LS runs on CPU devices for rows up to this many elements: its work-items each hold a row
 * of float terms in local memory (64 KiB), and the device must have that much. */
#define LS_MAX_COLS 16384

typedef struct sprog {
  cl_program program;
  cl_kernel kernel[K_COUNT];
  cl_kernel kernel_nt[K_COUNT]; /* their streaming twins, or NULL (kernels/softmax.cl) */
  size_t wg;                    /* work-group size of the long-row kernels */
  size_t vw;                    /* CLACT_VW of the program */
  size_t ls_max_cols;           /* K_FWD_LS takes rows up to this long (0: not used) */
} sprog;

/* Output blending variants (kernels/rows.clh): 0 none, 1 alpha (the output not read), 2 alpha
 * and beta. */
#define BLENDS 3

struct clact_structured_programs {
  sprog p[CLACT_STRUCTURED_COUNT][CLACT_DTYPE_COUNT][BLENDS]; /* f32, f16, bf16, f64 */
};

static void release_sprog(sprog *p) {
  for (int k = 0; k < K_COUNT; k++) {
    if (p->kernel[k])
      clReleaseKernel(p->kernel[k]);
    if (p->kernel_nt[k])
      clReleaseKernel(p->kernel_nt[k]);
  }
  if (p->program)
    clReleaseProgram(p->program);
  memset(p, 0, sizeof *p);
}

void clact__structured_release(clact_context *ctx) {
  if (!ctx || !ctx->structured)
    return;
  for (int o = 0; o < CLACT_STRUCTURED_COUNT; o++)
    for (int d = 0; d < CLACT_DTYPE_COUNT; d++)
      for (int b = 0; b < BLENDS; b++)
        release_sprog(&ctx->structured->p[o][d][b]);
  free(ctx->structured);
  ctx->structured = NULL;
}

/* The compile-time selection of the operation within its family's file. */
static int family_index(clact_structured op) {
  switch (op) {
  case CLACT_S_SOFTMAX:
    return 0;
  case CLACT_S_LOG_SOFTMAX:
    return 1;
  case CLACT_S_SOFTMIN:
    return 2;
  default:
    return -1;
  }
}

/* Whether an operation has the work-group-per-row kernels too (the softmax family and
 * sparsemax). */
static int has_long(clact_structured op) {
  return family_index(op) >= 0 || op == CLACT_S_SPARSEMAX;
}

/* The kernel of slot k of an operation's program (NULL: none; one shape except the softmax
 * family and sparsemax). */
static const char *kernel_name(clact_structured op, int k) {
  if (family_index(op) >= 0)
    return kernel_names[k];
  if (k == K_FWD_LS)
    return NULL;
  if (op == CLACT_S_SPARSEMAX)
    return k == K_FWD_SHORT   ? "clact_sparsemax_fwd"
           : k == K_FWD_LONG  ? "clact_sparsemax_fwd_long"
           : k == K_BWD_SHORT ? "clact_sparsemax_bwd"
                              : "clact_sparsemax_bwd_long";
  if (k == K_FWD_LONG || k == K_BWD_LONG)
    return NULL;
  int f = k == K_FWD_SHORT;
  switch (op) {
  case CLACT_S_CRELU:
    return f ? "clact_crelu_fwd" : "clact_crelu_bwd";
  case CLACT_S_MAXOUT:
    return f ? "clact_maxout_fwd" : "clact_maxout_bwd";
  case CLACT_S_RRELU_TRAIN:
    return f ? "clact_rrelu_train_fwd" : "clact_rrelu_train_bwd";
  default: /* the GLU family */
    return f ? "clact_glu_fwd" : "clact_glu_bwd";
  }
}

/* Caller holds ctx->lock. */
static clact_status get_program(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                int blend, sprog **out) {
  if (!ctx->structured) {
    ctx->structured = calloc(1, sizeof *ctx->structured);
    if (!ctx->structured)
      return (clact_status)CL_OUT_OF_HOST_MEMORY;
  }
  sprog *p = &ctx->structured->p[op][dtype][blend];
  if (p->program) {
    *out = p;
    return CLACT_SUCCESS;
  }
  size_t maxwg = 0;
  cl_int err =
      clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof maxwg, &maxwg, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  /* the long-row kernels' work-group: 256 on GPUs; 16 on CPUs, where a work-group runs on one
   * core and its barriers cost (PoCL: 16 measured faster than 64 and 256) */
  size_t wg = ctx->is_cpu ? 16 : 256;
  while (wg > maxwg && wg > 1)
    wg /= 2;
  char options[160];
  /* struct_width (16 on CPUs; sparsemax: row_width, the device's preferred width, at least 8 on
   * CPUs), fixed per context so that results do not depend on clact_context_set_vector_width
   * (the lanes are combined in a fixed order; host/context.c) */
  unsigned width = op == CLACT_S_SPARSEMAX ? ctx->row_width : ctx->struct_width;
  width = width ? width : 1;
  int sm = family_index(op) >= 0; /* the softmax family */
  if (op == CLACT_S_CRELU) {      /* elementwise: VW consecutive elements per work-item */
    snprintf(options, sizeof options, "-DCLACT_CRELU=1");
  } else if (clact__glu_act(op) != CLACT_ACTIVATION_COUNT) {
    snprintf(options, sizeof options, "-DCLACT_GLU_ACT=%s", clact_name(clact__glu_act(op)));
  } else if (sm) {
    /* software prefetch on PoCL's CPU devices only (clang's builtin, kernels/softmax.cl) */
    int pf = ctx->pocl_cpu;
    snprintf(options, sizeof options, "-DCLACT_SM_OP=%d -DCLACT_WG=%zu%s", family_index(op), wg,
             pf ? " -DCLACT_SM_PREFETCH=1" : "");
  } else if (op == CLACT_S_SPARSEMAX) { /* both row shapes */
    snprintf(options, sizeof options, "-DCLACT_WG=%zu", wg);
  } else { /* maxout, rrelu_train: their own file, no options */
    options[0] = '\0';
  }
  /* every row operation: the shared row helpers (kernels/rows.clh) first, the blending variant */
  char list[128];
  size_t used = strlen(options);
  snprintf(list, sizeof list, "rows.clh,%s", files[op]);
  snprintf(options + used, sizeof options - used, " -DCLACT_BLEND=%d", blend);
  clact_status st = clact__build_extra(ctx, list, dtype, width, options, &p->program);
  if (st != CLACT_SUCCESS) {
    p->program = NULL;
    return st;
  }
  for (int k = 0; k < K_COUNT; k++) {
    const char *name = kernel_name(op, k);
    if (!name)
      continue;
    p->kernel[k] = clCreateKernel(p->program, name, &err);
    if (k == K_FWD_LS && err == CL_INVALID_KERNEL_NAME) { /* optional */
      p->kernel[k] = NULL;
      continue;
    }
    size_t kwg = 0;
    if (err == CL_SUCCESS)
      err = clGetKernelWorkGroupInfo(p->kernel[k], ctx->device, CL_KERNEL_WORK_GROUP_SIZE,
                                     sizeof kwg, &kwg, NULL);
    if (err == CL_SUCCESS && has_long(op) && (k == K_FWD_LONG || k == K_BWD_LONG) && kwg < wg)
      err = CL_INVALID_WORK_GROUP_SIZE;
    size_t twin_wg = 0; /* the short kernels take any work-group size */
    if (err == CL_SUCCESS && k != K_FWD_LONG && k != K_BWD_LONG)
      err = clact__create_twin(ctx, p->program, name, &p->kernel_nt[k], &twin_wg);
    if (err != CL_SUCCESS) {
      release_sprog(p);
      return (clact_status)err;
    }
  }
  p->wg = wg;
  p->vw = width;
  /* K_FWD_LS on CPU devices only, its row of float terms within the device's local memory */
  cl_ulong local_mem = 0;
  if (p->kernel[K_FWD_LS] && ctx->is_cpu &&
      clGetDeviceInfo(ctx->device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof local_mem, &local_mem, NULL) ==
          CL_SUCCESS) {
    cl_ulong fit = local_mem / sizeof(cl_float) / width * width;
    p->ls_max_cols = fit < LS_MAX_COLS ? (size_t)fit : LS_MAX_COLS;
  }
  *out = p;
  return CLACT_SUCCESS;
}

/* ---- validation -------------------------------------------------------------------------- */
typedef struct span {
  cl_mem base;
  size_t begin, end; /* bytes, in the base buffer */
  size_t offset, pitch;
} span;

/* A tensor of rows x width elements: checks the buffer, computes its byte span. write: 0 an
 * input, 1 an output, 2 an output that is read too (blending with beta). */
static clact_status check_tensor(const clact_context *ctx, const clact_tensor *t, size_t rows,
                                 size_t width, size_t elem, int write, span *s) {
  if (!t->mem)
    return CLACT_ERROR_NULL_ARGUMENT;
  size_t pitch = t->pitch ? t->pitch : width;
  if (pitch < width)
    return CLACT_ERROR_INVALID_VALUE;
  cl_context c;
  cl_mem_object_type type;
  cl_mem_flags flags;
  size_t size;
  cl_int err = clGetMemObjectInfo(t->mem, CL_MEM_CONTEXT, sizeof c, &c, NULL);
  if (err == CL_SUCCESS)
    err = clGetMemObjectInfo(t->mem, CL_MEM_TYPE, sizeof type, &type, NULL);
  if (err == CL_SUCCESS)
    err = clGetMemObjectInfo(t->mem, CL_MEM_FLAGS, sizeof flags, &flags, NULL);
  if (err == CL_SUCCESS)
    err = clGetMemObjectInfo(t->mem, CL_MEM_SIZE, sizeof size, &size, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  if (c != ctx->context)
    return CLACT_ERROR_CONTEXT_MISMATCH;
  if (type != CL_MEM_OBJECT_BUFFER)
    return (clact_status)CL_INVALID_MEM_OBJECT;
  if ((write && (flags & CL_MEM_READ_ONLY)) || (write != 1 && (flags & CL_MEM_WRITE_ONLY)))
    return CLACT_ERROR_BUFFER_ACCESS;
  /* elements spanned: offset + (rows - 1) * pitch + width */
  if (rows - 1 > SIZE_MAX / pitch)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t last = (rows - 1) * pitch;
  if (last > SIZE_MAX - width || last + width > SIZE_MAX - t->offset)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t end = t->offset + last + width;
  if (end > SIZE_MAX / elem)
    return CLACT_ERROR_SIZE_OVERFLOW;
  if (end * elem > size)
    return CLACT_ERROR_OUT_OF_BOUNDS;
  cl_mem parent = NULL;
  size_t origin = 0;
  err = clGetMemObjectInfo(t->mem, CL_MEM_ASSOCIATED_MEMOBJECT, sizeof parent, &parent, NULL);
  if (err == CL_SUCCESS && parent)
    err = clGetMemObjectInfo(t->mem, CL_MEM_OFFSET, sizeof origin, &origin, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  s->base = parent ? parent : t->mem;
  s->begin = origin + t->offset * elem;
  s->end = origin + end * elem;
  s->offset = origin + t->offset * elem; /* in bytes from the base */
  s->pitch = pitch;
  return CLACT_SUCCESS;
}

/* An output may be exactly an input (same base, start and pitch); any other overlap of the
 * spans is rejected. */
static int bad_alias(const span *out, const span *in) {
  if (out->base != in->base || out->end <= in->begin || in->end <= out->begin)
    return 0;
  return !(out->offset == in->offset && out->pitch == in->pitch && out->end == in->end);
}

/* Whether the operation has a float64 kernel path (docs/structured.md: every one). */
static int has_f64(clact_structured op) {
  return (unsigned)op < CLACT_STRUCTURED_COUNT;
}

/* What every structured launch checks after the operation itself, in this order: the direction,
 * the dtype (f64: where the operation has it) and the device's support of it, the parameters
 * (resolved into pv), the call (NULL: plain): no fused bias (elementwise calls only), finite
 * alpha and beta; *blend gets the variant (0 none, 1 alpha only: beta as the kernel sees it is
 * 0, so the output is not read, 2 alpha and beta). */
static clact_status check_common(clact_context *ctx, clact_structured op, clact_direction dir,
                                 clact_dtype dtype, const clact_params *params,
                                 const clact_call *call, double *pv, int *blend) {
  if (dir != CLACT_FORWARD && dir != CLACT_BACKWARD)
    return CLACT_ERROR_INVALID_VALUE;
  if ((unsigned)dtype >= CLACT_DTYPE_COUNT || (dtype == CLACT_F64 && !has_f64(op)))
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_status st = clact_context_supports(ctx, dtype);
  if (st != CLACT_SUCCESS)
    return st;
  st = clact__structured_params(op, params, dtype, pv);
  if (st != CLACT_SUCCESS)
    return st;
  if (call && (call->bias || call->dbias))
    return CLACT_ERROR_INVALID_VALUE; /* the bias is for the elementwise calls */
  return clact__blend_variant(call, dtype, blend);
}

/* rows == 0 or cols == 0: nothing to compute; the event, if one is asked for, is a marker. */
static clact_status empty_call(clact_context *ctx, cl_event *event) {
  return event ? (clact_status)clEnqueueMarkerWithWaitList(ctx->queue, 0, NULL, event)
               : CLACT_SUCCESS;
}

static cl_int set_tensor(cl_kernel k, cl_uint *a, const clact_tensor *t, size_t width) {
  cl_ulong off = t->offset, pitch = t->pitch ? t->pitch : width;
  cl_int err = clSetKernelArg(k, (*a)++, sizeof t->mem, &t->mem);
  err |= clSetKernelArg(k, (*a)++, sizeof off, &off);
  err |= clSetKernelArg(k, (*a)++, sizeof pitch, &pitch);
  return err;
}

clact_status clact__structured_prepare_all(clact_context *ctx, clact_structured op,
                                           clact_dtype dtype, int all) {
  if ((unsigned)op >= CLACT_STRUCTURED_COUNT)
    return CLACT_ERROR_INVALID_VALUE;
  clact_status st = clact_context_supports(ctx, dtype);
  mtx_lock(&ctx->lock);
  for (int b = 0; st == CLACT_SUCCESS && b < (all ? BLENDS : 1); b++) {
    sprog *p;
    st = get_program(ctx, op, dtype, b, &p);
  }
  mtx_unlock(&ctx->lock);
  return st;
}

clact_status clact__rows_launch(clact_context *ctx, clact_structured op, clact_direction dir,
                                clact_dtype dtype, const clact_params *params, size_t rows,
                                size_t cols, const clact_tensor *in0, const clact_tensor *in1,
                                const clact_tensor *out, const clact_call *call, int shape,
                                cl_event *event) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  if ((unsigned)op >= CLACT_STRUCTURED_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  double pv[CLACT_MAX_PARAMS];
  int blend;
  clact_status st = check_common(ctx, op, dir, dtype, params, call, pv, &blend);
  if (st != CLACT_SUCCESS)
    return st;
  if (family_index(op) < 0 && op != CLACT_S_SPARSEMAX)
    return CLACT_ERROR_INVALID_VALUE; /* the GLU family, crelu, maxout, rrelu_train: their own */
  if (shape < CLACT_ROWS_AUTO || shape > CLACT_ROWS_LONG)
    return CLACT_ERROR_INVALID_VALUE;
  if (!in0 || !out || (dir == CLACT_BACKWARD && !in1)) /* the tensor structs (internal callers) */
    return CLACT_ERROR_NULL_ARGUMENT;
  if (rows == 0 || cols == 0)
    return empty_call(ctx, event);
  size_t elem = clact_dtype_size(dtype);
  size_t wout = cols; /* out_factor is 1 for every operation so far */
  span s0, s1, so;
  st = check_tensor(ctx, in0, rows, cols, elem, 0, &s0);
  if (st == CLACT_SUCCESS && dir == CLACT_BACKWARD)
    st = check_tensor(ctx, in1, rows, cols, elem, 0, &s1);
  if (st == CLACT_SUCCESS)
    st = check_tensor(ctx, out, rows, wout, elem, blend == 2 ? 2 : 1, &so);
  if (st != CLACT_SUCCESS)
    return st;
  if (bad_alias(&so, &s0) || (dir == CLACT_BACKWARD && bad_alias(&so, &s1)))
    return CLACT_ERROR_INVALID_ALIAS;
  /* By the row length: a row per work-item up to CLACT_ROWS_SHORT_MAX elements, a work-group
   * per row beyond, except on CPU devices, where a work-group runs on one core anyway and a row
   * per work-item measured faster at every shape (docs/structured.md). */
  int lng = shape == CLACT_ROWS_AUTO ? !ctx->is_cpu && cols > CLACT_ROWS_SHORT_MAX
                                     : shape == CLACT_ROWS_LONG;
  /* The softmax family's short forward kernel runs rpw consecutive rows per work-item, reading
   * the next row's max during a row's exponentials (kernels/softmax.cl). On CPUs, where a
   * work-item's memory stalls are not hidden by other work-items, up to 8 while every core
   * keeps work (at least 128 rows per 8); on GPUs one. The results do not depend on it. */
  int multi = family_index(op) >= 0 && !lng && dir == CLACT_FORWARD;
  cl_ulong rpw = multi && ctx->is_cpu ? rows / 128 : 1;
  rpw = rpw < 1 ? 1 : rpw > 8 ? 8 : rpw;
  mtx_lock(&ctx->lock);
  sprog *p = NULL;
  st = get_program(ctx, op, dtype, blend, &p);
  if (st == CLACT_SUCCESS) {
    size_t local = p->wg, global;
    if (lng) {
      if (rows > SIZE_MAX / local)
        st = CLACT_ERROR_SIZE_OVERFLOW;
      global = rows * local;
    } else if (multi) {
      global = (rows - 1) / rpw + 1;
    } else {
      global = rows;
    }
    if (st == CLACT_SUCCESS && clact__too_big(ctx, global))
      st = CLACT_ERROR_SIZE_OVERFLOW;
    if (st == CLACT_SUCCESS) {
      int kid = dir == CLACT_FORWARD ? (lng ? K_FWD_LONG : K_FWD_SHORT)
                                     : (lng ? K_BWD_LONG : K_BWD_SHORT);
      /* the terms in local memory: a row of floats (whole vectors) per work-item of one */
      size_t ts_bytes = 0;
      if (multi && cols <= p->ls_max_cols) {
        ts_bytes = (cols + p->vw - 1) / p->vw * p->vw * sizeof(cl_float);
        kid = K_FWD_LS;
        local = 1;
      }
      cl_kernel k = p->kernel[kid];
      /* the streaming twin by the bytes read and written, as the elementwise calls (launch.c) */
      double bytes = (double)rows * (double)cols * (double)elem *
                     ((dir == CLACT_BACKWARD ? 2 : 1) + 1 + (blend == 2));
      if (p->kernel_nt[kid] && clact__streams(ctx, bytes))
        k = p->kernel_nt[kid];
      cl_uint a = 0;
      cl_ulong r = rows, c = cols;
      cl_int err = set_tensor(k, &a, in0, cols);
      if (dir == CLACT_BACKWARD)
        err |= set_tensor(k, &a, in1, cols);
      err |= set_tensor(k, &a, out, wout);
      err |= clSetKernelArg(k, a++, sizeof r, &r);
      err |= clSetKernelArg(k, a++, sizeof c, &c);
      if (multi)
        err |= clSetKernelArg(k, a++, sizeof rpw, &rpw);
      err |= clact__set_blend(k, &a, call, blend, dtype);
      if (ts_bytes)
        err |= clSetKernelArg(k, a++, ts_bytes, NULL);
      if (err != CL_SUCCESS)
        st = (clact_status)CL_INVALID_KERNEL_ARGS;
      else
        st = (clact_status)clEnqueueNDRangeKernel(ctx->queue, k, 1, NULL, &global,
                                                  lng || ts_bytes ? &local : NULL, 0, NULL, event);
    }
  }
  mtx_unlock(&ctx->lock);
  return st;
}

static int is_glu(clact_structured op) {
  return (unsigned)op < CLACT_STRUCTURED_COUNT && clact__glu_act(op) != CLACT_ACTIVATION_COUNT;
}

clact_status clact_rows_forward_ex(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                   const clact_params *params, const clact_call *call, size_t rows,
                                   size_t cols, clact_tensor x, clact_tensor y, cl_event *event) {
  if (op == CLACT_S_MAXOUT || op == CLACT_S_RRELU_TRAIN)
    return clact__ew_launch(ctx, op, CLACT_FORWARD, dtype, params, rows, cols, &x, NULL, &y, call,
                            event);
  if (op == CLACT_S_CRELU)
    return clact__crelu_launch(ctx, CLACT_FORWARD, dtype, params, rows, cols, &x, NULL, &y, call,
                               event);
  if (is_glu(op))
    return clact__glu_launch(ctx, op, CLACT_FORWARD, dtype, params, rows, cols, &x, NULL, NULL, &y,
                             NULL, call, event);
  return clact__rows_launch(ctx, op, CLACT_FORWARD, dtype, params, rows, cols, &x, NULL, &y, call,
                            CLACT_ROWS_AUTO, event);
}

clact_status clact_rows_backward_ex(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                    const clact_params *params, const clact_call *call, size_t rows,
                                    size_t cols, clact_tensor in, clact_tensor dy, clact_tensor dx,
                                    cl_event *event) {
  if (op == CLACT_S_MAXOUT || op == CLACT_S_RRELU_TRAIN)
    return clact__ew_launch(ctx, op, CLACT_BACKWARD, dtype, params, rows, cols, &in, &dy, &dx, call,
                            event);
  if (op == CLACT_S_CRELU)
    return clact__crelu_launch(ctx, CLACT_BACKWARD, dtype, params, rows, cols, &in, &dy, &dx, call,
                               event);
  if (is_glu(op))
    return clact__glu_launch(ctx, op, CLACT_BACKWARD, dtype, params, rows, cols, &in, NULL, &dy,
                             &dx, NULL, call, event);
  return clact__rows_launch(ctx, op, CLACT_BACKWARD, dtype, params, rows, cols, &in, &dy, &dx, call,
                            CLACT_ROWS_AUTO, event);
}

clact_status clact_rows_forward_gated_ex(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                         const clact_params *params, const clact_call *call,
                                         size_t rows, size_t cols, clact_tensor x,
                                         clact_tensor gate, clact_tensor y, cl_event *event) {
  return clact__glu_launch(ctx, op, CLACT_FORWARD, dtype, params, rows, cols, &x, &gate, NULL, &y,
                           NULL, call, event);
}

clact_status clact_rows_backward_gated_ex(clact_context *ctx, clact_structured op,
                                          clact_dtype dtype, const clact_params *params,
                                          const clact_call *call, size_t rows, size_t cols,
                                          clact_tensor x, clact_tensor gate, clact_tensor dy,
                                          clact_tensor dx, clact_tensor dgate, cl_event *event) {
  return clact__glu_launch(ctx, op, CLACT_BACKWARD, dtype, params, rows, cols, &x, &gate, &dy, &dx,
                           &dgate, call, event);
}

/* The plain forms: the *_ex forms without a call. */
clact_status clact_rows_forward(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                const clact_params *params, size_t rows, size_t cols,
                                clact_tensor x, clact_tensor y, cl_event *event) {
  return clact_rows_forward_ex(ctx, op, dtype, params, NULL, rows, cols, x, y, event);
}

clact_status clact_rows_backward(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                 const clact_params *params, size_t rows, size_t cols,
                                 clact_tensor in, clact_tensor dy, clact_tensor dx,
                                 cl_event *event) {
  return clact_rows_backward_ex(ctx, op, dtype, params, NULL, rows, cols, in, dy, dx, event);
}

clact_status clact_rows_forward_gated(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                      const clact_params *params, size_t rows, size_t cols,
                                      clact_tensor x, clact_tensor gate, clact_tensor y,
                                      cl_event *event) {
  return clact_rows_forward_gated_ex(ctx, op, dtype, params, NULL, rows, cols, x, gate, y, event);
}

clact_status clact_rows_backward_gated(clact_context *ctx, clact_structured op, clact_dtype dtype,
                                       const clact_params *params, size_t rows, size_t cols,
                                       clact_tensor x, clact_tensor gate, clact_tensor dy,
                                       clact_tensor dx, clact_tensor dgate, cl_event *event) {
  return clact_rows_backward_gated_ex(ctx, op, dtype, params, NULL, rows, cols, x, gate, dy, dx,
                                      dgate, event);
}

/* Enqueues k, whose arguments are set (err: their combined status), over `items` work-items
 * in each of `rows` rows, in work-groups of 64 along a row: the GLU family, crelu, maxout and
 * rrelu_train. A size the device cannot index is CLACT_ERROR_SIZE_OVERFLOW. */
static clact_status enqueue_rows(clact_context *ctx, cl_kernel k, cl_int err, size_t items,
                                 size_t rows, cl_event *event) {
  if (err != CL_SUCCESS)
    return (clact_status)CL_INVALID_KERNEL_ARGS;
  if (items > SIZE_MAX - 63)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t local[2] = {64, 1};
  size_t global[2] = {(items + 63) / 64 * 64, rows};
  if (clact__too_big(ctx, global[0]) || clact__too_big(ctx, rows))
    return CLACT_ERROR_SIZE_OVERFLOW;
  return (clact_status)clEnqueueNDRangeKernel(ctx->queue, k, 2, NULL, global, local, 0, NULL,
                                              event);
}

/* ---- the GLU family ------------------------------------------------------------------------ */
static int overlaps(const span *a, const span *b) {
  return a->base == b->base && a->begin < b->end && b->begin < a->end;
}

static cl_int set_ptr(cl_kernel k, cl_uint *a, cl_mem m, size_t off, size_t pitch, int stride) {
  cl_ulong o = off, p = pitch, st = (cl_ulong)stride;
  cl_int err = clSetKernelArg(k, (*a)++, sizeof m, &m);
  err |= clSetKernelArg(k, (*a)++, sizeof o, &o);
  err |= clSetKernelArg(k, (*a)++, sizeof p, &p);
  if (stride > 0)
    err |= clSetKernelArg(k, (*a)++, sizeof st, &st);
  return err;
}

clact_status clact__glu_launch(clact_context *ctx, clact_structured op, clact_direction dir,
                               clact_dtype dtype, const clact_params *params, size_t rows,
                               size_t cols, const clact_tensor *x, const clact_tensor *gate,
                               const clact_tensor *dy, const clact_tensor *out0,
                               const clact_tensor *out1, const clact_call *call, cl_event *event) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  if (!is_glu(op))
    return (unsigned)op < CLACT_STRUCTURED_COUNT ? CLACT_ERROR_INVALID_VALUE
                                                 : CLACT_ERROR_UNKNOWN_ACTIVATION;
  double pv[CLACT_MAX_PARAMS];
  int blend;
  clact_status st = check_common(ctx, op, dir, dtype, params, call, pv, &blend);
  if (st != CLACT_SUCCESS)
    return st;
  if (!x || !out0 || (dir == CLACT_BACKWARD && !dy) || (gate && dir == CLACT_BACKWARD && !out1))
    return CLACT_ERROR_NULL_ARGUMENT;
  int mode = gate ? 3 : (int)pv[0];
  if (gate && params && (params->set & 1u) && params->value[0] != 0)
    return CLACT_ERROR_INVALID_VALUE; /* a separate gate tensor has no gate position */
  if (!gate && cols % 2 != 0)
    return CLACT_ERROR_INVALID_VALUE; /* rows of 2d */
  if (rows == 0 || cols == 0)
    return empty_call(ctx, event);
  size_t d = gate ? cols : cols / 2, elem = clact_dtype_size(dtype);
  size_t xw = gate ? d : cols;
  /* the tensors: inputs x, [gate], [dy]; outputs out0 (y: d wide; dx: as x), [out1: as gate] */
  span sx, sg, sdy, so0, so1;
  st = check_tensor(ctx, x, rows, xw, elem, 0, &sx);
  if (st == CLACT_SUCCESS && gate)
    st = check_tensor(ctx, gate, rows, d, elem, 0, &sg);
  if (st == CLACT_SUCCESS && dir == CLACT_BACKWARD)
    st = check_tensor(ctx, dy, rows, d, elem, 0, &sdy);
  if (st == CLACT_SUCCESS)
    st = check_tensor(ctx, out0, rows, dir == CLACT_FORWARD ? d : xw, elem, blend == 2 ? 2 : 1,
                      &so0);
  if (st == CLACT_SUCCESS && gate && dir == CLACT_BACKWARD)
    st = check_tensor(ctx, out1, rows, d, elem, blend == 2 ? 2 : 1, &so1);
  if (st != CLACT_SUCCESS)
    return st;
  int two = gate && dir == CLACT_BACKWARD;
  if (bad_alias(&so0, &sx) || (gate && bad_alias(&so0, &sg)) ||
      (dir == CLACT_BACKWARD && bad_alias(&so0, &sdy)))
    return CLACT_ERROR_INVALID_ALIAS;
  if (two && (bad_alias(&so1, &sx) || bad_alias(&so1, &sg) || bad_alias(&so1, &sdy) ||
              overlaps(&so0, &so1)))
    return CLACT_ERROR_INVALID_ALIAS;
  /* positions of a and g: (offset within the row, stride) */
  size_t ao = 0, go = 0;
  int as = 1, gs = 1;
  if (mode == 0) {
    go = d;
  } else if (mode == 1) {
    ao = d;
  } else if (mode == 2) {
    ao = 1;
    as = 2;
    gs = 2;
  }
  const clact_tensor *gt = gate ? gate : x;
  size_t xp = x->pitch ? x->pitch : xw, gp = gt->pitch ? gt->pitch : (gate ? d : xw);
  mtx_lock(&ctx->lock);
  sprog *p = NULL;
  st = get_program(ctx, op, dtype, blend, &p);
  if (st == CLACT_SUCCESS) {
    cl_kernel k = p->kernel[dir == CLACT_FORWARD ? K_FWD_SHORT : K_BWD_SHORT];
    cl_uint a = 0;
    cl_int err = set_ptr(k, &a, x->mem, x->offset + ao, xp, as);
    err |= set_ptr(k, &a, gt->mem, gt->offset + go, gp, gs);
    if (dir == CLACT_FORWARD) {
      err |= set_ptr(k, &a, out0->mem, out0->offset, out0->pitch ? out0->pitch : d, 0);
    } else {
      const clact_tensor *dg = two ? out1 : out0;
      size_t dxp = out0->pitch ? out0->pitch : xw, dgp = dg->pitch ? dg->pitch : (two ? d : xw);
      err |= set_ptr(k, &a, dy->mem, dy->offset, dy->pitch ? dy->pitch : d, 0);
      err |= set_ptr(k, &a, out0->mem, out0->offset + ao, dxp, as);
      err |= set_ptr(k, &a, dg->mem, dg->offset + go, dgp, gs);
    }
    cl_ulong r = rows, dd = d;
    err |= clSetKernelArg(k, a++, sizeof r, &r);
    err |= clSetKernelArg(k, a++, sizeof dd, &dd);
    err |= clact__set_real(k, &a, dtype, op == CLACT_S_SWIGLU ? pv[1] : 0.0);
    err |= clact__set_real(k, &a, dtype, op == CLACT_S_SWIGLU ? pv[2] : 0.0);
    err |= clact__set_blend(k, &a, call, blend, dtype);
    st = enqueue_rows(ctx, k, err, d / p->vw + (d % p->vw != 0), rows, event);
  }
  mtx_unlock(&ctx->lock);
  return st;
}

/* ---- crelu --------------------------------------------------------------------------------- */
clact_status clact__crelu_launch(clact_context *ctx, clact_direction dir, clact_dtype dtype,
                                 const clact_params *params, size_t rows, size_t cols,
                                 const clact_tensor *x, const clact_tensor *dy,
                                 const clact_tensor *out, const clact_call *call, cl_event *event) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  double pv[CLACT_MAX_PARAMS];
  int blend;
  clact_status st = check_common(ctx, CLACT_S_CRELU, dir, dtype, params, call, pv, &blend);
  if (st != CLACT_SUCCESS)
    return st;
  if (!x || !out || (dir == CLACT_BACKWARD && !dy))
    return CLACT_ERROR_NULL_ARGUMENT;
  if (rows == 0 || cols == 0)
    return empty_call(ctx, event);
  if (cols > SIZE_MAX / 2)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t elem = clact_dtype_size(dtype);
  span sx, sdy, so;
  st = check_tensor(ctx, x, rows, cols, elem, 0, &sx);
  if (st == CLACT_SUCCESS && dir == CLACT_BACKWARD)
    st = check_tensor(ctx, dy, rows, 2 * cols, elem, 0, &sdy);
  if (st == CLACT_SUCCESS)
    st = check_tensor(ctx, out, rows, dir == CLACT_FORWARD ? 2 * cols : cols, elem,
                      blend == 2 ? 2 : 1, &so);
  if (st != CLACT_SUCCESS)
    return st;
  if (bad_alias(&so, &sx) || (dir == CLACT_BACKWARD && bad_alias(&so, &sdy)))
    return CLACT_ERROR_INVALID_ALIAS;
  mtx_lock(&ctx->lock);
  sprog *p = NULL;
  st = get_program(ctx, CLACT_S_CRELU, dtype, blend, &p);
  if (st == CLACT_SUCCESS) {
    cl_kernel k = p->kernel[dir == CLACT_FORWARD ? K_FWD_SHORT : K_BWD_SHORT];
    cl_uint a = 0;
    cl_int err = set_ptr(k, &a, x->mem, x->offset, x->pitch ? x->pitch : cols, 0);
    if (dir == CLACT_BACKWARD)
      err |= set_ptr(k, &a, dy->mem, dy->offset, dy->pitch ? dy->pitch : 2 * cols, 0);
    err |= set_ptr(k, &a, out->mem, out->offset,
                   out->pitch ? out->pitch : (dir == CLACT_FORWARD ? 2 * cols : cols), 0);
    cl_ulong r = rows, n = cols;
    err |= clSetKernelArg(k, a++, sizeof r, &r);
    err |= clSetKernelArg(k, a++, sizeof n, &n);
    err |= clact__set_blend(k, &a, call, blend, dtype);
    st = enqueue_rows(ctx, k, err, cols / p->vw + (cols % p->vw != 0), rows, event);
  }
  mtx_unlock(&ctx->lock);
  return st;
}

/* ---- maxout and rrelu_train ---------------------------------------------------------------- */
clact_status clact__ew_launch(clact_context *ctx, clact_structured op, clact_direction dir,
                              clact_dtype dtype, const clact_params *params, size_t rows,
                              size_t cols, const clact_tensor *x, const clact_tensor *dy,
                              const clact_tensor *out, const clact_call *call, cl_event *event) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  if (op != CLACT_S_MAXOUT && op != CLACT_S_RRELU_TRAIN)
    return (unsigned)op < CLACT_STRUCTURED_COUNT ? CLACT_ERROR_INVALID_VALUE
                                                 : CLACT_ERROR_UNKNOWN_ACTIVATION;
  double pv[CLACT_MAX_PARAMS];
  int blend;
  clact_status st = check_common(ctx, op, dir, dtype, params, call, pv, &blend);
  if (st != CLACT_SUCCESS)
    return st;
  if (!x || !out || (dir == CLACT_BACKWARD && !dy))
    return CLACT_ERROR_NULL_ARGUMENT;
  size_t w = cols; /* the output width (maxout: cols / k, cols a multiple of k) */
  st = clact__out_width(op, pv, cols, &w);
  if (st != CLACT_SUCCESS)
    return st;
  if (rows == 0 || cols == 0)
    return empty_call(ctx, event);
  size_t elem = clact_dtype_size(dtype), k = op == CLACT_S_MAXOUT ? (size_t)pv[0] : 1;
  int bwd = dir == CLACT_BACKWARD;
  span sx, sdy, so;
  st = check_tensor(ctx, x, rows, cols, elem, 0, &sx);
  if (st == CLACT_SUCCESS && bwd)
    st = check_tensor(ctx, dy, rows, w, elem, 0, &sdy);
  if (st == CLACT_SUCCESS)
    st = check_tensor(ctx, out, rows, bwd ? cols : w, elem, blend == 2 ? 2 : 1, &so);
  if (st != CLACT_SUCCESS)
    return st;
  /* in place where the widths agree (dx over x; every width when k = 1): a work-item reads
   * all its inputs before it writes. maxout with k > 1: y (cols/k wide) over x, or dx over dy,
   * would have work-items write what others still read: any overlap is rejected. */
  if (k > 1 && (bwd ? overlaps(&so, &sdy) : overlaps(&so, &sx)))
    return CLACT_ERROR_INVALID_ALIAS;
  if (bad_alias(&so, &sx) || (bwd && bad_alias(&so, &sdy)))
    return CLACT_ERROR_INVALID_ALIAS;
  mtx_lock(&ctx->lock);
  sprog *p = NULL;
  st = get_program(ctx, op, dtype, blend, &p);
  if (st == CLACT_SUCCESS) {
    cl_kernel kern = p->kernel[bwd ? K_BWD_SHORT : K_FWD_SHORT];
    cl_uint a = 0;
    cl_int err = set_ptr(kern, &a, x->mem, x->offset, x->pitch ? x->pitch : cols, 0);
    if (bwd)
      err |= set_ptr(kern, &a, dy->mem, dy->offset, dy->pitch ? dy->pitch : w, 0);
    err |= set_ptr(kern, &a, out->mem, out->offset, out->pitch ? out->pitch : (bwd ? cols : w), 0);
    cl_ulong r = rows, n = op == CLACT_S_MAXOUT ? w : cols, kk = k;
    err |= clSetKernelArg(kern, a++, sizeof r, &r);
    err |= clSetKernelArg(kern, a++, sizeof n, &n);
    if (op == CLACT_S_MAXOUT) {
      err |= clSetKernelArg(kern, a++, sizeof kk, &kk);
    } else { /* lower, upper (float), the seed as two 32-bit words (key of Philox4x32-10) */
      uint64_t seed = (uint64_t)pv[2];
      cl_uint k0 = (cl_uint)(seed & 0xFFFFFFFFu), k1 = (cl_uint)(seed >> 32);
      err |= clact__set_real(kern, &a, dtype, pv[0]);
      err |= clact__set_real(kern, &a, dtype, pv[1]);
      err |= clSetKernelArg(kern, a++, sizeof k0, &k0);
      err |= clSetKernelArg(kern, a++, sizeof k1, &k1);
    }
    err |= clact__set_blend(kern, &a, call, blend, dtype);
    st = enqueue_rows(ctx, kern, err, n / p->vw + (n % p->vw != 0), rows, event);
  }
  mtx_unlock(&ctx->lock);
  return st;
}
