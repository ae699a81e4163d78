/* host/program.c: kernel sources (embedded, or read from CLACT_KERNEL_DIR) and programs built
 * lazily, once per (context, activation, dtype, vector width), then kept.
 *
 * A program is two strings: the prelude kernels/common.clh and the activation's kernels/<id>.cl,
 * each preceded by a #line marker so build errors name the real file and line. Only the dtype
 * and the vector width are compile-time; n, offsets and parameters are kernel arguments. */
#include "embedded.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PRELUDE "common.clh"
#define LOCAL_SIZE 256 /* work-group size; on PoCL 256 measured best (bench/lab/probe.cl) */
/* Where the device can divide and take square roots correctly rounded, the programs ask for it,
 * and CLACT_CR_DIVIDE tells the kernels that a quotient needs no residual correction. */
#define CLACT_CR_DIVIDE_OPTIONS " -cl-fp32-correctly-rounded-divide-sqrt -DCLACT_CR_DIVIDE=1"
/* half conversions by x86 F16C instructions (kernels/common.clh), in half programs only: the
 * other dtypes' programs (and their cache keys) stay as they are */
#define F16C_OPTION " -DCLACT_X86_F16C=1"
static const char *f16c_option(const clact_context *ctx, clact_dtype dtype) {
  return ctx->f16c && dtype == CLACT_F16 ? F16C_OPTION : "";
}

static const char *const kernel_names[CLACT_DIRECTION_COUNT] = {"clact_fwd", "clact_bwd",
                                                                "clact_bwd_y"};
static const char *const dtype_macros[CLACT_DTYPE_COUNT] = {"CLACT_DTYPE_F32", "CLACT_DTYPE_F16",
                                                            "CLACT_DTYPE_BF16", "CLACT_DTYPE_F64"};

unsigned clact__width_index(unsigned width) {
  unsigned i = 0;
  while ((1u << i) < width && i + 1 < CLACT_WIDTH_COUNT)
    i++;
  return i;
}

/* A source with its #line marker in front: malloc'd, NUL-terminated. */
static clact_status with_line_marker(const char *file, const char *text, size_t len, char **out) {
  char marker[128];
  int m = snprintf(marker, sizeof marker, "#line 1 \"%s\"\n", file);
  char *s = malloc((size_t)m + len + 1);
  if (!s)
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  memcpy(s, marker, (size_t)m);
  memcpy(s + m, text, len);
  s[(size_t)m + len] = '\0';
  *out = s;
  return CLACT_SUCCESS;
}

static clact_status load_source(const clact_context *ctx, const char *file, char **out) {
  if (ctx->kernel_dir) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", ctx->kernel_dir, file) >= (int)sizeof path)
      return CLACT_ERROR_KERNEL_SOURCE;
    FILE *f = fopen(path, "rb");
    if (!f)
      return CLACT_ERROR_KERNEL_SOURCE;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    clact_status st = CLACT_SUCCESS;
    for (;;) {
      if (len + 4096 > cap) {
        char *nb = realloc(buf, cap = cap * 2 + 8192);
        if (!nb) {
          st = (clact_status)CL_OUT_OF_HOST_MEMORY;
          break;
        }
        buf = nb;
      }
      size_t got = fread(buf + len, 1, cap - len, f);
      len += got;
      if (got == 0)
        break;
    }
    if (st == CLACT_SUCCESS && ferror(f))
      st = CLACT_ERROR_KERNEL_SOURCE;
    fclose(f);
    if (st == CLACT_SUCCESS)
      st = with_line_marker(file, buf, len, out);
    free(buf);
    return st;
  }
  for (const clact_embedded_source *e = clact_embedded_sources; e->name; e++)
    if (strcmp(e->name, file) == 0)
      return with_line_marker(file, (const char *)e->data, e->size, out);
  return CLACT_ERROR_KERNEL_SOURCE;
}

/* The program's build log (malloc'ed), or NULL when there is none or it cannot be read. */
static char *read_build_log(const clact_context *ctx, cl_program prog) {
  size_t size = 0;
  if (clGetProgramBuildInfo(prog, ctx->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) !=
          CL_SUCCESS ||
      size == 0)
    return NULL;
  char *log = malloc(size + 1);
  if (!log)
    return NULL;
  if (clGetProgramBuildInfo(prog, ctx->device, CL_PROGRAM_BUILD_LOG, size, log, NULL) != CL_SUCCESS)
    size = 0;
  log[size] = '\0';
  return log;
}

static void keep_build_log(clact_context *ctx, cl_program prog) {
  free(ctx->build_log);
  ctx->build_log = read_build_log(ctx, prog);
}

/* A successful build: with collect_warnings on (tests), a log that holds a compiler warning is
 * counted and the first one kept. Off by default: no extra OpenCL calls. */
static void note_warnings(clact_context *ctx, cl_program prog) {
  if (!ctx->collect_warnings)
    return;
  char *log = read_build_log(ctx, prog);
  if (log && strstr(log, "warning")) {
    ctx->build_warnings++;
    if (!ctx->warning_log) {
      ctx->warning_log = log;
      log = NULL;
    }
  }
  free(log);
}

void clact__collect_build_warnings(clact_context *ctx, int on) {
  mtx_lock(&ctx->lock);
  ctx->collect_warnings = on;
  mtx_unlock(&ctx->lock);
}

unsigned long clact__build_warnings(clact_context *ctx, const char **first_log) {
  mtx_lock(&ctx->lock);
  unsigned long n = ctx->build_warnings;
  *first_log = ctx->warning_log ? ctx->warning_log : "";
  mtx_unlock(&ctx->lock);
  return n;
}

static double now_ms(void) {
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static void release_program(clact_program *p) {
  for (int d = 0; d < CLACT_DIRECTION_COUNT; d++)
    if (p->kernel[d])
      clReleaseKernel(p->kernel[d]);
  for (int d = 0; d < CLACT_DIRECTION_COUNT; d++)
    if (p->kernel_nt[d])
      clReleaseKernel(p->kernel_nt[d]);
  if (p->program)
    clReleaseProgram(p->program);
  memset(p, 0, sizeof *p);
}

/* A program of the prelude and one kernel source (src) with the build options opts (which end
 * with f16c_option's define where it applies): from the program cache, else built (the log kept
 * on failure, warnings noted, the binary cached). Should a half program not build with the F16C
 * conversions (a PoCL whose compiler rejects the builtins or the asm statement), the context
 * drops them and builds the integer conversions instead: the same bits. *out is NULL on error. */
static cl_int compile(clact_context *ctx, char *const src[2], char *opts, cl_program *out) {
  const char *const *sources = (const char *const *)src;
  cl_int err = CL_SUCCESS;
  cl_program prog = clact__cache_load(ctx, sources, opts);
  if (!prog) {
    prog = clCreateProgramWithSource(ctx->context, 2, (const char **)src, NULL, &err);
    if (err != CL_SUCCESS) {
      prog = NULL;
    } else {
      err = clBuildProgram(prog, 1, &ctx->device, opts, NULL, NULL);
      if (err != CL_SUCCESS) {
        keep_build_log(ctx, prog);
        clReleaseProgram(prog);
        prog = NULL;
      } else {
        note_warnings(ctx, prog);
        clact__cache_store(ctx, prog, sources, opts);
      }
    }
  }
  char *f16c = strstr(opts, F16C_OPTION);
  if (err == CL_BUILD_PROGRAM_FAILURE && f16c) {
    memmove(f16c, f16c + strlen(F16C_OPTION), strlen(f16c + strlen(F16C_OPTION)) + 1);
    err = compile(ctx, src, opts, out);
    if (err == CL_SUCCESS) /* it was the F16C code: none from now on */
      ctx->f16c = 0;
    return err;
  }
  *out = prog;
  return err;
}

/* A kernel of the program and its largest work-group size on the device; *k stays NULL on
 * error. */
static cl_int create_kernel(const clact_context *ctx, cl_program prog, const char *name,
                            cl_kernel *k, size_t *wg) {
  cl_int err;
  *k = clCreateKernel(prog, name, &err);
  if (err != CL_SUCCESS) {
    *k = NULL;
    return err;
  }
  return clGetKernelWorkGroupInfo(*k, ctx->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof *wg, wg, NULL);
}

cl_int clact__create_twin(const clact_context *ctx, cl_program prog, const char *name, cl_kernel *k,
                          size_t *wg) {
  *k = NULL;
  if (!ctx->nt_stores)
    return CL_SUCCESS;
  char nt[64];
  snprintf(nt, sizeof nt, "%s_nt", name);
  size_t w = 0;
  cl_int err = create_kernel(ctx, prog, nt, k, &w);
  if (err == CL_INVALID_KERNEL_NAME) /* a source without twins (width 1, another prelude) */
    return CL_SUCCESS;
  if (err == CL_SUCCESS)
    *wg = w;
  return err;
}

static void slot_file(int slot, char *file, size_t size) {
  snprintf(file, size, "%s.cl",
           slot == CLACT_SLOT_COPY        ? "copy"
           : slot == CLACT_SLOT_BIAS_GRAD ? "bias_grad"
                                          : clact_name((clact_activation)slot));
}

/* Whether the slot's kernel source names CLACT_DEFAULT_PARAMS (read once; a source that cannot
 * be read is "no", and its build reports the error). */
static int specialises_defaults(clact_context *ctx, int slot) {
  if (ctx->specialises_defaults[slot] == 0) {
    char file[128], *src = NULL;
    slot_file(slot, file, sizeof file);
    if (load_source(ctx, file, &src) != CLACT_SUCCESS)
      return 0;
    ctx->specialises_defaults[slot] = strstr(src, "CLACT_DEFAULT_PARAMS") ? 1 : -1;
    free(src);
  }
  return ctx->specialises_defaults[slot] > 0;
}

static clact_status build(clact_context *ctx, int slot, clact_dtype dtype, unsigned width,
                          int variant, clact_program *p) {
  char file[128];
  slot_file(slot, file, sizeof file);
  int defaults = variant >= CLACT_VARIANT_DEFAULTS;
  variant %= CLACT_VARIANT_DEFAULTS;
  char *src[2] = {NULL, NULL};
  clact_status st = load_source(ctx, PRELUDE, &src[0]);
  if (st == CLACT_SUCCESS)
    st = load_source(ctx, file, &src[1]);
  if (st != CLACT_SUCCESS) {
    free(src[0]);
    return st;
  }
  char options[256];
  snprintf(options, sizeof options,
           "-cl-std=CL1.2 -D%s=1 -DCLACT_VW=%u -DCLACT_BLEND=%d "
           "-DCLACT_BIAS=%d%s%s%s%s",
           dtype_macros[dtype], width, variant % 3, variant / 3,
           defaults ? " -DCLACT_DEFAULT_PARAMS=1" : "",
           ctx->nt_stores ? " -DCLACT_NT_STORES=1" : "",
           ctx->correctly_rounded_divide ? CLACT_CR_DIVIDE_OPTIONS : "", f16c_option(ctx, dtype));
  cl_int err = compile(ctx, src, options, &p->program);
  free(src[0]);
  free(src[1]);
  if (err != CL_SUCCESS) {
    release_program(p);
    return err == CL_BUILD_PROGRAM_FAILURE ? CLACT_ERROR_BUILD_FAILED : (clact_status)err;
  }
  size_t local = slot == CLACT_SLOT_BIAS_GRAD ? 64 : LOCAL_SIZE; /* bias_grad.cl's reqd size */
  for (int d = 0; d < CLACT_DIRECTION_COUNT; d++) {
    const char *name = kernel_names[d];
    if (slot == CLACT_SLOT_COPY || slot == CLACT_SLOT_BIAS_GRAD) {
      if (d != CLACT_FORWARD)
        continue;
      name = slot == CLACT_SLOT_COPY ? "clact_copy" : "clact_bias_grad";
    } else if (d == CLACT_BACKWARD_FROM_Y &&
               (variant / 3 || /* from y takes no bias: not created in fused-bias programs */
                clact_get_info((clact_activation)slot)->from_y == CLACT_FROM_Y_NO)) {
      continue;
    }
    size_t wg = 0;
    err = create_kernel(ctx, p->program, name, &p->kernel[d], &wg);
    if (err == CL_SUCCESS && slot == CLACT_SLOT_BIAS_GRAD && wg < local)
      err = CL_INVALID_WORK_GROUP_SIZE;
    if (err == CL_SUCCESS && slot != CLACT_SLOT_BIAS_GRAD) {
      size_t wg_nt = wg; /* the streaming twin (kernels/common.clh) */
      err = clact__create_twin(ctx, p->program, name, &p->kernel_nt[d], &wg_nt);
      if (wg_nt < wg)
        wg = wg_nt;
    }
    if (err != CL_SUCCESS) {
      release_program(p);
      return (clact_status)err;
    }
    while (local > wg && local > 1)
      local /= 2;
  }
  p->local_size = local;
  return CLACT_SUCCESS;
}

clact_status clact__program(clact_context *ctx, int slot, clact_dtype dtype, unsigned width,
                            int variant, clact_program **out, double *build_ms) {
  if (variant >= CLACT_VARIANT_DEFAULTS && !specialises_defaults(ctx, slot))
    variant -= CLACT_VARIANT_DEFAULTS;
  clact_program *p = &ctx->programs[slot][dtype][clact__width_index(width)][variant];
  if (build_ms)
    *build_ms = 0;
  if (!p->program) {
    double t0 = now_ms();
    clact_status st = build(ctx, slot, dtype, width, variant, p);
    if (st != CLACT_SUCCESS)
      return st;
    if (build_ms)
      *build_ms = now_ms() - t0;
  }
  *out = p;
  return CLACT_SUCCESS;
}

void clact__release_programs(clact_context *ctx) {
  clact__structured_release(ctx);
  clact__channel_release(ctx);
  for (int s = 0; s < CLACT_SLOT_COUNT; s++)
    for (int d = 0; d < CLACT_DTYPE_COUNT; d++)
      for (int w = 0; w < CLACT_WIDTH_COUNT; w++)
        for (int v = 0; v < CLACT_PROGRAM_VARIANTS; v++)
          release_program(&ctx->programs[s][d][w][v]);
}

clact_status clact__build_extra(clact_context *ctx, const char *file, clact_dtype dtype,
                                unsigned width, const char *options, cl_program *out) {
  char *src[2] = {NULL, NULL};
  clact_status st = load_source(ctx, PRELUDE, &src[0]);
  /* `file` may name several files, comma-separated: concatenated, each with its #line marker */
  for (const char *f = file; st == CLACT_SUCCESS && *f;) {
    const char *end = strchr(f, ',');
    size_t len = end ? (size_t)(end - f) : strlen(f);
    char name[128];
    char *part = NULL;
    if (len >= sizeof name) {
      st = CLACT_ERROR_KERNEL_SOURCE;
      break;
    }
    memcpy(name, f, len);
    name[len] = '\0';
    st = load_source(ctx, name, &part);
    if (st == CLACT_SUCCESS) {
      size_t have = src[1] ? strlen(src[1]) : 0, add = strlen(part);
      char *joined = realloc(src[1], have + add + 2);
      if (!joined) {
        st = (clact_status)CL_OUT_OF_HOST_MEMORY;
      } else {
        memcpy(joined + have, part, add);
        joined[have + add] = '\n';
        joined[have + add + 1] = '\0';
        src[1] = joined;
      }
    }
    free(part);
    f += len + (end ? 1 : 0);
  }
  if (st == CLACT_SUCCESS && !src[1])
    st = CLACT_ERROR_KERNEL_SOURCE;
  if (st != CLACT_SUCCESS) {
    free(src[0]);
    free(src[1]);
    return st;
  }
  char opts[512];
  snprintf(opts, sizeof opts, "-cl-std=CL1.2 -D%s=1 -DCLACT_VW=%u %s%s%s%s", dtype_macros[dtype],
           width, options ? options : "", ctx->nt_stores ? " -DCLACT_NT_STORES=1" : "",
           ctx->correctly_rounded_divide ? CLACT_CR_DIVIDE_OPTIONS : "", f16c_option(ctx, dtype));
  cl_program prog = NULL;
  cl_int err = compile(ctx, src, opts, &prog);
  free(src[0]);
  free(src[1]);
  if (err != CL_SUCCESS)
    return err == CL_BUILD_PROGRAM_FAILURE ? CLACT_ERROR_BUILD_FAILED : (clact_status)err;
  *out = prog;
  return CLACT_SUCCESS;
}

clact_status clact_prepare(clact_context *ctx, clact_activation act, clact_dtype dtype,
                           double *build_ms) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  clact_status st = clact_context_supports(ctx, dtype);
  if (st != CLACT_SUCCESS)
    return st;
  clact_program *p;
  mtx_lock(&ctx->lock);
  st = clact__program(ctx, (int)act, dtype, clact_context_vector_width(ctx), CLACT_VARIANT_DEFAULTS,
                      &p, build_ms);
  mtx_unlock(&ctx->lock);
  return st;
}
