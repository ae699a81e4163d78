/* host/internal.h: what the library's host files share and do not publish. */
#ifndef CLACT_INTERNAL_H
#define CLACT_INTERNAL_H

#include "clact.h"

#include <stdatomic.h>
#include <threads.h>

/* Vector widths a program can be built for: 1, 2, 4, 8, 16 (index = log2). */
#define CLACT_WIDTH_COUNT 5
/* Program slots: one per activation, then the copy kernel and the bias-gradient reduction. */
#define CLACT_SLOT_COPY CLACT_ACTIVATION_COUNT
#define CLACT_SLOT_BIAS_GRAD (CLACT_ACTIVATION_COUNT + 1)
#define CLACT_SLOT_COUNT (CLACT_ACTIVATION_COUNT + 2)
/* Program variants of an activation (compile-time, so the plain kernels stay lean):
 * blend (0 none, 1 alpha only: the output is not read, 2 alpha and beta) x fused bias (0, 1). */
#define CLACT_VARIANT(blend, bias) ((blend) + 3 * (bias))
#define CLACT_VARIANT_COUNT 6
/* Added to an elementwise program's variant when the call's parameters are the registry's
 * defaults (bit for bit): built with -DCLACT_DEFAULT_PARAMS=1, for kernels whose source names
 * that macro (a path specialised for the defaults, e.g. swish with beta = 1); for the others it is
 * dropped and the plain program serves (program.c). */
#define CLACT_VARIANT_DEFAULTS CLACT_VARIANT_COUNT
#define CLACT_PROGRAM_VARIANTS (2 * CLACT_VARIANT_COUNT)

typedef struct clact_program {
  cl_program program;                         /* NULL until built */
  cl_kernel kernel[CLACT_DIRECTION_COUNT];    /* copy: kernel[CLACT_FORWARD] only */
  cl_kernel kernel_nt[CLACT_DIRECTION_COUNT]; /* their streaming twins, or NULL (launch.c) */
  size_t local_size;                          /* work-group size used to launch */
} clact_program;

struct clact_context {
  cl_context context;
  cl_command_queue queue;
  cl_device_id device;
  cl_platform_id platform;
  int is_cpu;
  int pocl_cpu;        /* PoCL's CPU device: clang's builtins (__builtin_prefetch) apply */
  int f16c;            /* ... on an x86 CPU with F16C: half conversions in hardware */
  int nt_stores;       /* ... on x86: elementwise kernels may stream their stores */
  size_t stream_bytes; /* calls touching this many bytes stream (SIZE_MAX: never; CLACT_STREAM) */
  int fp64;            /* cl_khr_fp64 */
  int correctly_rounded_divide; /* CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT in single config */
  int denormals;                /* CL_FP_DENORM in single config */
  cl_uint address_bits;
  atomic_uint vector_width; /* 0 = automatic; atomic: read without the lock */
  unsigned auto_width;      /* elementwise kernels' width when vector_width is 0 */
  unsigned row_width;       /* per-channel kernels' width and sparsemax's (fixed per context) */
  unsigned struct_width;    /* the other structured (row) kernels' width (fixed per context) */
  char *kernel_dir;         /* CLACT_KERNEL_DIR at creation, or NULL: read sources from here */
  char *cache_dir;          /* program cache folder, or NULL when the cache is off (cache.c) */
  char *identity; /* platform, device and driver names and versions: part of the cache key */
  unsigned long cache_hits, cache_writes; /* programs loaded from / written to the disk cache */
  char *build_log;                        /* last failed build */
  int collect_warnings; /* tests: read every successful build's log (clact__build_warnings) */
  unsigned long build_warnings; /* successful builds whose log held a warning */
  char *warning_log;            /* the first such log */
  mtx_t lock; /* guards programs, build_log and kernel argument setting + enqueue */
  clact_program programs[CLACT_SLOT_COUNT][CLACT_DTYPE_COUNT][CLACT_WIDTH_COUNT]
                        [CLACT_PROGRAM_VARIANTS];
  signed char specialises_defaults[CLACT_SLOT_COUNT]; /* 1 yes, -1 no, 0 not yet read */
  struct clact_structured_programs *structured;       /* host/structured.c; NULL until first used */
  struct clact_channel_programs *channel;             /* host/channel.c; NULL until first used */
};

/* Whether a global work size v exceeds what the device's address space can index
 * (CL_DEVICE_ADDRESS_BITS below 64): such a launch is CLACT_ERROR_SIZE_OVERFLOW. */
static inline int clact__too_big(const clact_context *ctx, uint64_t v) {
  return ctx->address_bits < 64 && v > ((uint64_t)1 << ctx->address_bits) - 1;
}

/* launch.c: a validated buffer range: the underlying (non-sub) buffer and the absolute byte
 * range [begin, end). */
typedef struct clact_range {
  cl_mem base;
  size_t begin, end;
} clact_range;
/* launch.c: checks that m is a buffer of the context, accessible as `write` says, holding the
 * n elements of `elem` bytes from element off (NULL, context, access, size_t overflow, bounds:
 * each its own status), and resolves sub-buffers to their parent into *r. */
clact_status clact__check_buffer(const clact_context *ctx, cl_mem m, size_t off, size_t n,
                                 size_t elem, int write, clact_range *r);

/* launch.c: the blending variant of a call: 0 (no call, or blend unset), 1 (beta as a kernel of
 * `dtype` sees it is 0: the output is not read), 2 (alpha and beta). Returns
 * CLACT_ERROR_INVALID_VALUE when alpha or beta is not finite (*blend is set either way). */
clact_status clact__blend_variant(const clact_call *call, clact_dtype dtype, int *blend);
/* launch.c: a real kernel argument (float, or double for f64) at index *a, then ++*a. */
cl_int clact__set_real(cl_kernel k, cl_uint *a, clact_dtype dtype, double v);
/* launch.c: alpha and beta, the last arguments of a blending kernel (none when blend is 0). */
cl_int clact__set_blend(cl_kernel k, cl_uint *a, const clact_call *call, int blend,
                        clact_dtype dtype);

/* launch.c: whether a call that reads and writes `bytes` streams its stores (launches the _nt
 * twin of its kernel, kernels/common.clh): bytes >= the context's threshold (host/context.c). */
int clact__streams(const clact_context *ctx, double bytes);
/* program.c: the streaming twin `<name>_nt` of a kernel of prog, where the context streams and the
 * source defines it; *k is NULL (and CL_SUCCESS returned) where it does not. *wg: its largest
 * work-group size (untouched when there is no twin). */
cl_int clact__create_twin(const clact_context *ctx, cl_program prog, const char *name, cl_kernel *k,
                          size_t *wg);

/* launch.c: the bias-gradient reduction of a fused-bias backward, db[c] = sum over channel c of
 * the n elements of dx (element i in channel (i / call->inner) % call->channels; call->dbias,
 * dbias_off receive it; n may be 0: zeros): builds its program and sets its arguments, enqueues
 * nothing. The caller enqueues (*out)->kernel[CLACT_FORWARD] over call->channels work-groups of
 * (*out)->local_size after the kernel that writes dx. Caller holds ctx->lock. */
clact_status clact__prepare_bias_grad(clact_context *ctx, clact_dtype dtype, const clact_call *call,
                                      size_t n, cl_mem dx, size_t dx_off, clact_program **out);

/* program.c: the program of (slot, dtype, width, variant), built on first use. Caller holds
 * ctx->lock. `build_ms` (may be NULL) receives the compile time (0 when it was already built). */
clact_status clact__program(clact_context *ctx, int slot, clact_dtype dtype, unsigned width,
                            int variant, clact_program **out, double *build_ms);
void clact__release_programs(clact_context *ctx);
/* program.c, for host/structured.c: builds (or loads from the program cache) the program of the
 * prelude plus kernels/<file> with -DCLACT_VW=width, the dtype macro and `options`; `file` may
 * list several files, comma-separated (concatenated in order). Caller holds ctx->lock. */
clact_status clact__build_extra(clact_context *ctx, const char *file, clact_dtype dtype,
                                unsigned width, const char *options, cl_program *out);
/* program.c, for tests: with `on`, every successful build's log is read, and logs holding a
 * compiler warning are counted; clact__build_warnings returns the count and the first such log
 * ("" if none). Programs loaded from the disk cache are not built here: turn the cache off. */
void clact__collect_build_warnings(clact_context *ctx, int on);
unsigned long clact__build_warnings(clact_context *ctx, const char **first_log);
/* structured.c / channel.c, for tests: build the programs of a row operation / of the
 * per-channel operations in one dtype: the plain variant, or with `all` every variant
 * (blending, bias). */
clact_status clact__structured_prepare_all(clact_context *ctx, clact_structured op,
                                           clact_dtype dtype, int all);
clact_status clact__channel_prepare_all(clact_context *ctx, clact_dtype dtype, int all);
/* structured.c: releases the structured ops' programs (called by clact__release_programs). */
void clact__structured_release(clact_context *ctx);
/* channel.c: releases the per-channel ops' programs (called by clact__release_programs). */
void clact__channel_release(clact_context *ctx);
unsigned clact__width_index(unsigned width);

/* cache.c: the on-disk program cache. load returns a built program or NULL (a miss); store
 * writes one after a source build. Neither ever fails: problems are misses. cache_dir: the
 * folder, or NULL when the cache is off: CLACT_CACHE=off|0, or by default where the driver keeps
 * compiled programs itself (driver_caches; CLACT_CACHE=on|1 uses the cache there too). */
char *clact__cache_dir(int driver_caches);
cl_program clact__cache_load(clact_context *ctx, const char *const src[2], const char *options);
void clact__cache_store(clact_context *ctx, cl_program prog, const char *const src[2],
                        const char *options);

/* offload.c: the clact_*_host calls with the path forced (tests): mode AUTO picks zero-copy
 * where the device shares host memory, else streaming; chunk 0 = the default chunk size
 * (elements; rounded down to an even number, at least 2). */
enum { CLACT__HOST_AUTO, CLACT__HOST_ZERO_COPY, CLACT__HOST_STREAM };
clact_status clact__host_call(clact_context *ctx, clact_activation act, clact_dtype dtype,
                              const clact_params *params, clact_direction dir, size_t n,
                              const void *in0, const void *in1, void *out, int mode, size_t chunk);

/* registry.c */
int clact__from_y_allowed(clact_activation act, const double *resolved);

/* reference.c: test inputs that belong with the math. */
size_t clact__ref_common_edges(const double **v);
size_t clact__ref_edges(clact_activation act, const double **v);
size_t clact__ref_param_sets(clact_activation act, const double (**v)[CLACT_MAX_PARAMS]);
/* Whether the activation depends on the element index (brelu): its reference has *_at forms
 * that differ at odd indices. */
int clact__ref_indexed(clact_activation act);
/* soft_exponential, alpha in (0, 1): the root x* = ln(1 - alpha^2)/alpha as a pair h + l (to
 * ~2^-100 relative): the f64 kernel's p1, p2 (launch.c). */
void clact__ref_soft_exponential_root(double alpha, double *h, double *l);
/* The f64 checker's mode for this thread: the reference then treats its inputs as doubles (not
 * float32 values carried in doubles) where that matters. */
void clact__ref_set_f64(int on);

/* launch.c: like the public calls, with an explicit vector width (0 = the context's) and an
 * optional clact_call (NULL: plain). */
clact_status clact__launch(clact_context *ctx, int slot, clact_direction dir, clact_dtype dtype,
                           const clact_params *params, const clact_call *call, unsigned width,
                           size_t n, cl_mem in0, size_t in0_off, cl_mem in1, size_t in1_off,
                           cl_mem out, size_t out_off, cl_event *event);

/* registry.c: resolves and validates parameters, then rounds them to what a kernel of `dtype`
 * computes with (float for f32/f16/bf16) and validates the rounded values too. */
clact_status clact__params_for_dtype(clact_activation act, const clact_params *params,
                                     clact_dtype dtype, double out[CLACT_MAX_PARAMS]);

#endif
