/* host/channel.c: the per-channel activations (include/clact/channel.h): programs, argument
 * validation and launch of clact_channel_forward / clact_channel_backward and their _ex forms
 * (a clact_call: output blending, fused per-channel bias and its gradient).
 *
 * Everything is validated, the programs built and the scratch buffer of the reduction
 * allocated before anything is enqueued, so an error leaves every buffer untouched.
 *
 * Programs: built from kernels/prelu_ch.cl and kernels/apl.cl on first use, one per
 * (cl_context, device, kernel folder, dtype, call variant and use: the forward kernels at the
 * device's automatic vector width, prelu's backward and the reduction's pass 2 at width 1,
 * apl's backward at 16 lanes on every device: get_program), kept in the
 * context (ctx->channel) and released with it (clact__channel_release). The call variants are
 * the elementwise ones (CLACT_VARIANT: blending 0/1/2 x bias 0/1, -DCLACT_BLEND and
 * -DCLACT_BIAS); the plain variant is built with no options, as before the variants existed.
 * The bias gradient (db[c] = sum of the stored dx of channel c) is the elementwise calls'
 * reduction (kernels/bias_grad.cl through clact__prepare_bias_grad), enqueued after pass 1. The
 * kernels' arguments are set and the kernels enqueued under ctx->lock. */
#include "channel_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------------------- */
static const char *const names[CLACT_CHANNEL_COUNT] = {"prelu", "apl"};

const char *clact_channel_name(clact_channel_op op) {
  return (unsigned)op < CLACT_CHANNEL_COUNT ? names[op] : "?";
}

clact_status clact_channel_lookup(const char *name, clact_channel_op *op) {
  if (!name || !op)
    return CLACT_ERROR_NULL_ARGUMENT;
  for (int i = 0; i < CLACT_CHANNEL_COUNT; i++)
    if (strcmp(names[i], name) == 0) {
      *op = (clact_channel_op)i;
      return CLACT_SUCCESS;
    }
  return CLACT_ERROR_UNKNOWN_ACTIVATION;
}

unsigned clact__channel_quantities(clact_channel_op op, unsigned hinges) {
  return op == CLACT_CH_APL ? 2 * hinges : 1;
}

/* ---- programs ---------------------------------------------------------------------------- */
enum { K_REDUCE, K_PRELU_FWD, K_PRELU_BWD, K_APL_FWD, K_APL_BWD, K_COUNT };
static const char *const kernel_names[K_COUNT] = {"clact_ch_reduce", "clact_ch_prelu_fwd",
                                                  "clact_ch_prelu_bwd", "clact_ch_apl_fwd",
                                                  "clact_ch_apl_bwd"};

typedef struct chprog {
  cl_program program;        /* CLACT_VW = 1: prelu's backward and the reduction kernels */
  cl_kernel kernel[K_COUNT]; /* the forward ones from fprogram, apl's backward from aprogram */
  cl_program fprogram;       /* the forward kernels at the device's vector width */
  cl_program aprogram;       /* apl's backward at APL_LANES */
  unsigned fwd_width;        /* elements per work-item of the forward kernels */
  size_t fwd_local;          /* work-items per work-group of the 2D forward kernels */
} chprog;

struct clact_channel_programs {
  chprog p[CLACT_DTYPE_COUNT][CLACT_VARIANT_COUNT];
};

/* The programs of a (dtype, variant): the backward and reduction kernels at width 1, the
 * forward kernels at the device's automatic vector width (fixed per device, so results never
 * depend on clact_context_set_vector_width; they are the same bits at any width), and apl's
 * backward, whose pass 1 sums APL_LANES lanes per work-item, at that width on every device: the
 * order of its sums, and so the bits of da and db, then depend on the shape only. */
enum { PROG_BWD, PROG_FWD, PROG_APL };
#define APL_LANES 16u

/* Caller holds ctx->lock. variant: CLACT_VARIANT(blend, bias). */
static clact_status get_program(clact_context *ctx, clact_dtype dtype, int variant, int which,
                                chprog **out) {
  if (!ctx->channel) {
    ctx->channel = calloc(1, sizeof *ctx->channel);
    if (!ctx->channel)
      return (clact_status)CL_OUT_OF_HOST_MEMORY;
  }
  chprog *p = &ctx->channel->p[dtype][variant];
  *out = p;
  int forward = which == PROG_FWD;
  cl_program *prog = forward ? &p->fprogram : which == PROG_APL ? &p->aprogram : &p->program;
  if (*prog)
    return CLACT_SUCCESS;
  unsigned width = which == PROG_APL ? APL_LANES : forward && ctx->row_width ? ctx->row_width : 1;
  char options[64] = ""; /* the plain variant: no options (its cached binaries stay valid) */
  if (variant != 0)
    snprintf(options, sizeof options, "-DCLACT_BLEND=%d -DCLACT_BIAS=%d", variant % 3, variant / 3);
  clact_status st = clact__build_extra(ctx, "prelu_ch.cl,apl.cl", dtype, width, options, prog);
  if (st != CLACT_SUCCESS) {
    *prog = NULL;
    return st;
  }
  static const int fwd_kernels[] = {K_PRELU_FWD, K_APL_FWD},
                   bwd_kernels[] = {K_REDUCE, K_PRELU_BWD}, apl_kernels[] = {K_APL_BWD};
  const int *ks = forward ? fwd_kernels : which == PROG_APL ? apl_kernels : bwd_kernels;
  int nk = which == PROG_APL ? 1 : 2;
  size_t fwd_local = 256;
  cl_int err = CL_SUCCESS;
  for (int i = 0; i < nk && err == CL_SUCCESS; i++) {
    int k = ks[i];
    p->kernel[k] = clCreateKernel(*prog, kernel_names[k], &err);
    size_t wg = 0;
    if (err == CL_SUCCESS)
      err = clGetKernelWorkGroupInfo(p->kernel[k], ctx->device, CL_KERNEL_WORK_GROUP_SIZE,
                                     sizeof wg, &wg, NULL);
    /* the reductions need their work-group of CLACT_CH_LOCAL (reqd_work_group_size) */
    int reduction = k == K_REDUCE || k == K_PRELU_BWD || k == K_APL_BWD;
    if (err == CL_SUCCESS && reduction && wg < CLACT_CH_LOCAL)
      err = CL_INVALID_WORK_GROUP_SIZE;
    if (!reduction)
      while (fwd_local > wg && fwd_local > 1)
        fwd_local /= 2;
  }
  if (err != CL_SUCCESS) {
    for (int i = 0; i < nk; i++)
      if (p->kernel[ks[i]]) {
        clReleaseKernel(p->kernel[ks[i]]);
        p->kernel[ks[i]] = NULL;
      }
    clReleaseProgram(*prog);
    *prog = NULL;
    return (clact_status)err;
  }
  if (forward) {
    p->fwd_width = width;
    p->fwd_local = fwd_local;
  }
  return CLACT_SUCCESS;
}

/* ---- validation -------------------------------------------------------------------------- */
typedef clact_range range; /* validated by clact__check_buffer (host/launch.c) */

static int overlaps(const range *a, const range *b) {
  return a->base == b->base && a->begin < b->end && b->begin < a->end;
}

/* An output may coincide exactly with an input (in place), not overlap it otherwise. */
static int bad_alias(const range *out, const range *in) {
  return overlaps(out, in) && !(out->begin == in->begin && out->end == in->end);
}

typedef struct call {
  clact_channel_op op;
  clact_direction dir;
  clact_dtype dtype;
  const clact_channel_params *p;
  size_t n, c, inner, total;
  cl_mem x, dy, out;
  size_t xo, dyo, oo;
  const clact_channel_grads *g; /* NULL: no weight gradient */
  const clact_call *cl;         /* NULL: plain */
  int want_dw, want_db;
  size_t wcount; /* elements of w (prelu: C or 1; apl: S C), also of b, da, db */
  int blend;     /* 0 none, 1 alpha only (beta as the kernel sees it is 0), 2 alpha and beta */
  int bias, dbias;
} call;

clact_status clact__channel_prepare_all(clact_context *ctx, clact_dtype dtype, int all) {
  clact_status st = clact_context_supports(ctx, dtype);
  mtx_lock(&ctx->lock);
  for (int v = 0; st == CLACT_SUCCESS && v < (all ? CLACT_VARIANT_COUNT : 1); v++)
    for (int which = PROG_BWD; st == CLACT_SUCCESS && which <= PROG_APL; which++) {
      chprog *p;
      st = get_program(ctx, dtype, v, which, &p);
    }
  mtx_unlock(&ctx->lock);
  return st;
}

/* The checks of include/clact/channel.h, in its order. */
static clact_status validate(clact_context *ctx, call *k) {
  if (!ctx || !k->p)
    return CLACT_ERROR_NULL_ARGUMENT;
  if ((unsigned)k->op >= CLACT_CHANNEL_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  if ((unsigned)k->dtype >= CLACT_DTYPE_COUNT)
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_status st = clact_context_supports(ctx, k->dtype);
  if (st != CLACT_SUCCESS)
    return st;
  const clact_channel_params *p = k->p;
  const int bwd = k->dir == CLACT_BACKWARD;
  if (k->op == CLACT_CH_PRELU ? (p->hinges != 0 || (p->shared != 0 && p->shared != 1))
                              : (p->hinges < 1 || p->hinges > CLACT_APL_MAX_HINGES || p->shared))
    return CLACT_ERROR_PARAMETER_RANGE;
  if (k->c == 0)
    return CLACT_ERROR_INVALID_VALUE;
  const clact_channel_grads *g = k->g;
  if (g && g->accumulate != 0 && g->accumulate != 1)
    return CLACT_ERROR_INVALID_VALUE;
  if (g && k->op == CLACT_CH_PRELU && g->db)
    return CLACT_ERROR_INVALID_VALUE; /* prelu has no b */
  const clact_call *cl = k->cl;
  int blend;
  clact_status bst = clact__blend_variant(cl, k->dtype, &blend);
  if (bst != CLACT_SUCCESS)
    return bst;
  k->blend = blend;
  k->bias = cl && cl->bias;
  k->dbias = cl && cl->dbias;
  if (cl) {
    /* the bias is per channel of this tensor: the call's layout must be the op's own */
    if ((k->bias || k->dbias) && (cl->channels != k->c || cl->inner != k->inner))
      return CLACT_ERROR_INVALID_VALUE;
    if (k->dbias && !bwd)
      return CLACT_ERROR_INVALID_VALUE; /* db is a gradient: backward only */
  }
  /* n * c * inner elements; the weights: S * C */
  if (k->n != 0 && k->c > SIZE_MAX / k->n)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t rows = k->n * k->c;
  if (rows != 0 && k->inner > SIZE_MAX / rows)
    return CLACT_ERROR_SIZE_OVERFLOW;
  k->total = rows * k->inner;
  if (k->op == CLACT_CH_APL && k->c > SIZE_MAX / p->hinges)
    return CLACT_ERROR_SIZE_OVERFLOW;
  k->wcount = k->op == CLACT_CH_APL ? p->hinges * k->c : (p->shared ? 1 : k->c);
  k->want_dw = g && g->dw;
  k->want_db = g && g->db;
  size_t elem = clact_dtype_size(k->dtype);
  range rx, rdy, ro, rw, rb, rdw, rdb, rbias, rdbias;
  int empty = k->total == 0;
  /* an empty tensor's buffers are not inspected (it may have none); the weights are */
  if (!empty) {
    st = clact__check_buffer(ctx, k->x, k->xo, k->total, elem, 0, &rx);
    if (st == CLACT_SUCCESS && bwd)
      st = clact__check_buffer(ctx, k->dy, k->dyo, k->total, elem, 0, &rdy);
    if (st == CLACT_SUCCESS)
      st = clact__check_buffer(ctx, k->out, k->oo, k->total, elem, 1, &ro);
    /* blending with beta != 0 reads the output: it must be readable too */
    if (st == CLACT_SUCCESS && k->blend == 2)
      st = clact__check_buffer(ctx, k->out, k->oo, k->total, elem, 0, &ro);
    if (st != CLACT_SUCCESS)
      return st;
  }
  int need_weights = !empty || k->want_dw || k->want_db;
  if (need_weights) {
    st = clact__check_buffer(ctx, p->w, p->w_off, k->wcount, elem, 0, &rw);
    if (st == CLACT_SUCCESS && k->op == CLACT_CH_APL)
      st = clact__check_buffer(ctx, p->b, p->b_off, k->wcount, elem, 0, &rb);
    if (st != CLACT_SUCCESS)
      return st;
  }
  if (k->want_dw)
    st = clact__check_buffer(ctx, g->dw, g->dw_off, k->wcount, elem, 1, &rdw);
  if (st == CLACT_SUCCESS && k->want_db)
    st = clact__check_buffer(ctx, g->db, g->db_off, k->wcount, elem, 1, &rdb);
  /* the bias and its gradient: C values each, checked even for an empty tensor (as the
   * weights) */
  if (st == CLACT_SUCCESS && k->bias)
    st = clact__check_buffer(ctx, cl->bias, cl->bias_off, k->c, elem, 0, &rbias);
  if (st == CLACT_SUCCESS && k->dbias)
    st = clact__check_buffer(ctx, cl->dbias, cl->dbias_off, k->c, elem, 1, &rdbias);
  if (st != CLACT_SUCCESS)
    return st;
  /* aliasing: y/dx exactly x (or dy) or apart; never over the weights */
  int apl = k->op == CLACT_CH_APL;
  if (!empty) {
    if (bad_alias(&ro, &rx) || (bwd && bad_alias(&ro, &rdy)) || overlaps(&ro, &rw) ||
        (apl && overlaps(&ro, &rb)) || (k->bias && overlaps(&ro, &rbias)))
      return CLACT_ERROR_INVALID_ALIAS;
  }
  /* the gradients (dw, db, the bias's) overlap nothing */
  const range *others[7];
  int nothers = 0;
  if (!empty) {
    others[nothers++] = &rx;
    others[nothers++] = &ro;
    if (bwd)
      others[nothers++] = &rdy;
  }
  others[nothers++] = &rw;
  if (apl)
    others[nothers++] = &rb;
  if (k->bias)
    others[nothers++] = &rbias;
  for (int i = 0; i < nothers; i++)
    if ((k->want_dw && overlaps(&rdw, others[i])) || (k->want_db && overlaps(&rdb, others[i])) ||
        (k->dbias && overlaps(&rdbias, others[i])))
      return CLACT_ERROR_INVALID_ALIAS;
  if ((k->want_dw && k->want_db && overlaps(&rdw, &rdb)) ||
      (k->dbias && k->want_dw && overlaps(&rdbias, &rdw)) ||
      (k->dbias && k->want_db && overlaps(&rdbias, &rdb)))
    return CLACT_ERROR_INVALID_ALIAS;
  return CLACT_SUCCESS;
}

/* ---- launch ------------------------------------------------------------------------------ */
static size_t round_up(size_t v, size_t m) {
  return (v + m - 1) / m * m;
}

#define ARG(k, a, v) clSetKernelArg(k, (a)++, sizeof(v), &(v))

/* The call's arguments, after a kernel's own (kernels/prelu_ch.cl): [alpha, beta] when blending,
 * [bias, offset] with a fused bias. */
static cl_int call_args(cl_kernel kr, const call *k, cl_uint *a) {
  cl_int err = clact__set_blend(kr, a, k->cl, k->blend, k->dtype);
  if (k->bias) {
    cl_ulong bo = k->cl->bias_off;
    err |= ARG(kr, *a, k->cl->bias);
    err |= ARG(kr, *a, bo);
  }
  return err;
}

static int variant_of(const call *k) {
  return CLACT_VARIANT(k->blend, k->bias);
}

/* The weights' arguments, the same in every kernel of an op: w and its offset, then apl's b,
 * its offset and S, or prelu's weight stride (0 when shared). */
static cl_int weight_args(cl_kernel kr, const call *k, cl_uint *a) {
  cl_ulong wo = k->p->w_off, bo = k->p->b_off, ws = k->p->shared ? 0 : 1;
  cl_uint hinges = k->p->hinges;
  cl_int err = ARG(kr, *a, k->p->w);
  err |= ARG(kr, *a, wo);
  if (k->op == CLACT_CH_APL) {
    err |= ARG(kr, *a, k->p->b);
    err |= ARG(kr, *a, bo);
    err |= ARG(kr, *a, hinges);
  } else {
    err |= ARG(kr, *a, ws);
  }
  return err;
}

/* Caller holds ctx->lock. */
static clact_status enqueue_forward(clact_context *ctx, const chprog *prog, const call *k,
                                    cl_event *event) {
  size_t rows = k->n * k->c, l0 = 1, vw = prog->fwd_width;
  size_t items = k->inner / vw + (k->inner % vw != 0); /* per row */
  while (l0 < items && l0 < prog->fwd_local)
    l0 *= 2;
  size_t l1 = prog->fwd_local / l0;
  if (items > SIZE_MAX - l0 || rows > SIZE_MAX - l1)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t local[2] = {l0, l1}, global[2] = {round_up(items, l0), round_up(rows, l1)};
  if (clact__too_big(ctx, global[0]) || clact__too_big(ctx, global[1]))
    return CLACT_ERROR_SIZE_OVERFLOW;
  int apl = k->op == CLACT_CH_APL;
  cl_kernel kr = prog->kernel[apl ? K_APL_FWD : K_PRELU_FWD];
  cl_ulong xo = k->xo, oo = k->oo, inner = k->inner, r = rows, ch = k->c;
  cl_uint a = 0;
  cl_int err = ARG(kr, a, k->x);
  err |= ARG(kr, a, xo);
  err |= ARG(kr, a, k->out);
  err |= ARG(kr, a, oo);
  err |= weight_args(kr, k, &a);
  err |= ARG(kr, a, inner);
  err |= ARG(kr, a, r);
  err |= ARG(kr, a, ch);
  err |= call_args(kr, k, &a);
  if (err != CL_SUCCESS)
    return (clact_status)CL_INVALID_KERNEL_ARGS;
  return (clact_status)clEnqueueNDRangeKernel(ctx->queue, kr, 2, NULL, global, local, 0, NULL,
                                              event);
}

/* The tiles of pass 1 (docs/channel.md: they fix the order of the reduction). */
typedef struct tiling {
  size_t tw, th, tiles_j, tiles;
} tiling;

static clact_status tiles_of(const call *k, tiling *t) {
  t->tw = k->inner >= CLACT_CH_TILE ? CLACT_CH_TILE : k->inner;
  t->th = t->tw ? CLACT_CH_TILE / t->tw : 1;
  if (k->total == 0 || t->tw == 0) { /* tw == 0 only with inner == 0, so total == 0 */
    t->tiles_j = t->tiles = 0;
    return CLACT_SUCCESS;
  }
  t->tiles_j = (k->inner + t->tw - 1) / t->tw;
  size_t tn = (k->n + t->th - 1) / t->th;
  if (tn > SIZE_MAX / t->tiles_j || tn * t->tiles_j > SIZE_MAX / CLACT_CH_LOCAL)
    return CLACT_ERROR_SIZE_OVERFLOW;
  t->tiles = tn * t->tiles_j;
  return CLACT_SUCCESS;
}

static clact_status backward(clact_context *ctx, call *k, cl_event *event) {
  size_t rsize = k->dtype == CLACT_F64 ? sizeof(double) : sizeof(float);
  int reduce = k->want_dw || k->want_db;
  unsigned nq = clact__channel_quantities(k->op, k->p->hinges);
  tiling t;
  clact_status st = tiles_of(k, &t);
  if (st != CLACT_SUCCESS)
    return st;
  size_t global1[2] = {t.tiles * CLACT_CH_LOCAL, k->c}, local1[2] = {CLACT_CH_LOCAL, 1};
  if (clact__too_big(ctx, global1[0]) || clact__too_big(ctx, global1[1]))
    return CLACT_ERROR_SIZE_OVERFLOW;
  /* apl's pass 1: one work-item per (tile, channel), a 1D range in groups of CLACT_CH_LOCAL */
  if (t.tiles > SIZE_MAX / k->c - CLACT_CH_LOCAL)
    return CLACT_ERROR_SIZE_OVERFLOW;
  size_t global_apl = round_up(t.tiles * k->c, CLACT_CH_LOCAL);
  if (clact__too_big(ctx, global_apl))
    return CLACT_ERROR_SIZE_OVERFLOW;
  /* outputs of pass 2: [o0, o1) of nq * wcount_per_q */
  int apl = k->op == CLACT_CH_APL;
  size_t per_q = apl ? k->c : (k->p->shared ? 1 : k->c);
  size_t o0 = k->want_dw ? 0 : per_q * (nq / 2),
         o1 = k->want_db ? per_q * nq : per_q * (apl ? nq / 2 : 1);
  size_t len = t.tiles * (k->c / per_q);
  /* the scratch pairs: nq x C x tiles x 2 reals */
  size_t pairs = 1;
  if (reduce && t.tiles) {
    if (t.tiles > SIZE_MAX / k->c / nq / 2 / rsize)
      return CLACT_ERROR_SIZE_OVERFLOW;
    pairs = t.tiles * k->c * nq;
  }
  if (reduce && k->g->accumulate && k->total == 0) /* adds zeros: nothing to do */
    reduce = 0;
  if (k->total == 0 && !reduce && !k->dbias)
    return event ? (clact_status)clEnqueueMarkerWithWaitList(ctx->queue, 0, NULL, event)
                 : CLACT_SUCCESS;
  cl_int err = CL_SUCCESS;
  cl_mem part = NULL;
  if (reduce) {
    part = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, pairs * 2 * rsize, NULL, &err);
    if (err != CL_SUCCESS)
      return (clact_status)err;
  }
  mtx_lock(&ctx->lock);
  chprog *prog = NULL;
  st = get_program(ctx, k->dtype, variant_of(k), PROG_BWD, &prog);
  if (st == CLACT_SUCCESS && apl) /* apl's pass 1: in its own program, APL_LANES wide */
    st = get_program(ctx, k->dtype, variant_of(k), PROG_APL, &prog);
  cl_event e1 = NULL, e2 = NULL;
  int pass1 = k->total != 0;
  /* the bias gradient: db[c] = sum of the stored dx of channel c, after pass 1 (an empty tensor:
   * zeros; the kernel's inner is then 1, so that it never divides by 0) */
  clact_program *bg = NULL;
  if (st == CLACT_SUCCESS && k->dbias) {
    clact_call bc = *k->cl;
    bc.channels = k->c;
    bc.inner = k->inner ? k->inner : 1;
    st = clact__prepare_bias_grad(ctx, k->dtype, &bc, k->total, k->out, k->oo, &bg);
  }
  if (st == CLACT_SUCCESS) {
    /* both kernels' arguments are set before either is enqueued */
    cl_kernel kr = prog->kernel[apl ? K_APL_BWD : K_PRELU_BWD];
    cl_ulong xo = k->xo, dyo = k->dyo, oo = k->oo, wo = k->p->w_off, inner = k->inner, nrows = k->n,
             ch = k->c, tw = t.tw, th = t.th, tj = t.tiles_j, tiles = t.tiles;
    cl_uint q64 = (cl_uint)(CLACT_CH_LOCAL / (tw ? tw : 1)),
            r64 = (cl_uint)(CLACT_CH_LOCAL % (tw ? tw : 1)), a = 0;
    cl_int red = reduce;
    cl_mem pm = part ? part : k->out;
    if (pass1) {
      err = ARG(kr, a, k->x);
      err |= ARG(kr, a, xo);
      err |= ARG(kr, a, k->dy);
      err |= ARG(kr, a, dyo);
      err |= ARG(kr, a, k->out);
      err |= ARG(kr, a, oo);
      err |= weight_args(kr, k, &a);
      err |= ARG(kr, a, inner);
      err |= ARG(kr, a, nrows);
      err |= ARG(kr, a, ch);
      err |= ARG(kr, a, tw);
      err |= ARG(kr, a, th);
      err |= ARG(kr, a, tj);
      if (apl) { /* one work-item per (tile, channel), VW elements at a time */
        err |= ARG(kr, a, tiles);
      } else {
        err |= ARG(kr, a, q64);
        err |= ARG(kr, a, r64);
      }
      err |= ARG(kr, a, red);
      err |= ARG(kr, a, pm);
      err |= call_args(kr, k, &a);
    }
    cl_kernel k2 = prog->kernel[K_REDUCE];
    if (reduce) {
      cl_ulong ln = len, oo0 = o0, nout0 = apl ? per_q * (nq / 2) : per_q,
               dwo = k->want_dw ? k->g->dw_off : 0, dbo = k->want_db ? k->g->db_off : 0;
      cl_mem dw = k->want_dw ? k->g->dw : k->g->db, db = k->want_db ? k->g->db : k->g->dw;
      cl_int acc = k->g->accumulate;
      a = 0;
      err |= ARG(k2, a, part);
      err |= ARG(k2, a, ln);
      err |= ARG(k2, a, oo0);
      err |= ARG(k2, a, nout0);
      err |= ARG(k2, a, dw);
      err |= ARG(k2, a, dwo);
      err |= ARG(k2, a, db);
      err |= ARG(k2, a, dbo);
      err |= ARG(k2, a, k->p->w);
      err |= ARG(k2, a, wo);
      err |= ARG(k2, a, acc);
    }
    if (err != CL_SUCCESS)
      st = (clact_status)CL_INVALID_KERNEL_ARGS;
    /* pass 1, then the weights' pass 2 and the bias gradient, each waiting for the previous one
     * through an event (out-of-order queues too); the caller's event is the last one's */
    if (st == CLACT_SUCCESS && pass1)
      st = (clact_status)clEnqueueNDRangeKernel(ctx->queue, kr, apl ? 1 : 2, NULL,
                                                apl ? &global_apl : global1, local1, 0, NULL,
                                                reduce || bg ? &e1 : event);
    if (st == CLACT_SUCCESS && reduce) {
      size_t local2 = CLACT_CH_LOCAL, global2 = (o1 - o0) * CLACT_CH_LOCAL;
      st = (clact_status)clEnqueueNDRangeKernel(ctx->queue, k2, 1, NULL, &global2, &local2,
                                                e1 ? 1 : 0, e1 ? &e1 : NULL, bg ? &e2 : event);
    }
    if (st == CLACT_SUCCESS && bg) {
      cl_event *wait = e2 ? &e2 : (e1 ? &e1 : NULL);
      size_t local3 = bg->local_size, global3 = k->c * bg->local_size;
      st = (clact_status)clEnqueueNDRangeKernel(ctx->queue, bg->kernel[CLACT_FORWARD], 1, NULL,
                                                &global3, &local3, wait ? 1 : 0, wait, event);
    }
  }
  mtx_unlock(&ctx->lock);
  if (e1)
    clReleaseEvent(e1);
  if (e2)
    clReleaseEvent(e2);
  if (part) /* released once the kernels that use it have finished */
    clReleaseMemObject(part);
  return st;
}

static clact_status launch(clact_context *ctx, call *k, cl_event *event) {
  clact_status st = validate(ctx, k);
  if (st != CLACT_SUCCESS)
    return st;
  if (k->dir == CLACT_BACKWARD)
    return backward(ctx, k, event);
  if (k->total == 0)
    return event ? (clact_status)clEnqueueMarkerWithWaitList(ctx->queue, 0, NULL, event)
                 : CLACT_SUCCESS;
  mtx_lock(&ctx->lock);
  chprog *prog = NULL;
  st = get_program(ctx, k->dtype, variant_of(k), PROG_FWD, &prog);
  if (st == CLACT_SUCCESS)
    st = enqueue_forward(ctx, prog, k, event);
  mtx_unlock(&ctx->lock);
  return st;
}

clact_status clact_channel_forward_ex(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                      const clact_channel_params *params, const clact_call *opts,
                                      size_t n, size_t c, size_t inner, cl_mem x, size_t x_off,
                                      cl_mem y, size_t y_off, cl_event *event) {
  call k = {.op = op,
            .dir = CLACT_FORWARD,
            .dtype = dtype,
            .p = params,
            .n = n,
            .c = c,
            .inner = inner,
            .x = x,
            .out = y,
            .xo = x_off,
            .oo = y_off,
            .cl = opts};
  return launch(ctx, &k, event);
}

clact_status clact_channel_backward_ex(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                       const clact_channel_params *params, const clact_call *opts,
                                       size_t n, size_t c, size_t inner, cl_mem x, size_t x_off,
                                       cl_mem dy, size_t dy_off, cl_mem dx, size_t dx_off,
                                       const clact_channel_grads *grads, cl_event *event) {
  call k = {.op = op,
            .dir = CLACT_BACKWARD,
            .dtype = dtype,
            .p = params,
            .n = n,
            .c = c,
            .inner = inner,
            .x = x,
            .dy = dy,
            .out = dx,
            .xo = x_off,
            .dyo = dy_off,
            .oo = dx_off,
            .g = grads,
            .cl = opts};
  return launch(ctx, &k, event);
}

clact_status clact_channel_forward(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                   const clact_channel_params *params, size_t n, size_t c,
                                   size_t inner, cl_mem x, size_t x_off, cl_mem y, size_t y_off,
                                   cl_event *event) {
  return clact_channel_forward_ex(ctx, op, dtype, params, NULL, n, c, inner, x, x_off, y, y_off,
                                  event);
}

clact_status clact_channel_backward(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                                    const clact_channel_params *params, size_t n, size_t c,
                                    size_t inner, cl_mem x, size_t x_off, cl_mem dy, size_t dy_off,
                                    cl_mem dx, size_t dx_off, const clact_channel_grads *grads,
                                    cl_event *event) {
  return clact_channel_backward_ex(ctx, op, dtype, params, NULL, n, c, inner, x, x_off, dy, dy_off,
                                   dx, dx_off, grads, event);
}

void clact__channel_release(clact_context *ctx) {
  if (!ctx->channel)
    return;
  for (int d = 0; d < CLACT_DTYPE_COUNT; d++)
    for (int v = 0; v < CLACT_VARIANT_COUNT; v++) {
      chprog *p = &ctx->channel->p[d][v];
      for (int k = 0; k < K_COUNT; k++)
        if (p->kernel[k])
          clReleaseKernel(p->kernel[k]);
      if (p->program)
        clReleaseProgram(p->program);
      if (p->fprogram)
        clReleaseProgram(p->fprogram);
      if (p->aprogram)
        clReleaseProgram(p->aprogram);
    }
  free(ctx->channel);
  ctx->channel = NULL;
}
