/* host/context.c: contexts: device choice (argument, CLACT_DEVICE, first GPU, first device),
 * wrapping a caller's context and queue, device capabilities, destruction. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/* Parses "P:D" (decimal indices, nothing else). */
static int parse_spec(const char *spec, cl_uint *p, cl_uint *d) {
  char *end;
  if (!(spec[0] >= '0' && spec[0] <= '9'))
    return 0;
  unsigned long a = strtoul(spec, &end, 10);
  if (*end != ':' || !(end[1] >= '0' && end[1] <= '9'))
    return 0;
  unsigned long b = strtoul(end + 1, &end, 10);
  if (*end != '\0' || a > 1000000 || b > 1000000)
    return 0;
  *p = (cl_uint)a;
  *d = (cl_uint)b;
  return 1;
}

static clact_status platforms(cl_platform_id **out, cl_uint *count) {
  cl_uint n = 0;
  cl_int err = clGetPlatformIDs(0, NULL, &n);
  if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (err == CL_SUCCESS && n == 0))
    return CLACT_ERROR_NO_DEVICE;
  if (err != CL_SUCCESS)
    return (clact_status)err;
  *out = malloc(n * sizeof **out);
  if (!*out)
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  err = clGetPlatformIDs(n, *out, NULL);
  if (err != CL_SUCCESS) {
    free(*out);
    return (clact_status)err;
  }
  *count = n;
  return CLACT_SUCCESS;
}

/* Device `index` of `type` on a platform; CLACT_ERROR_NO_DEVICE when there are not that many. */
static clact_status device_of(cl_platform_id p, cl_device_type type, cl_uint index,
                              cl_device_id *dev) {
  cl_uint n = 0;
  cl_int err = clGetDeviceIDs(p, type, 0, NULL, &n);
  if (err == CL_DEVICE_NOT_FOUND || (err == CL_SUCCESS && n <= index))
    return CLACT_ERROR_NO_DEVICE;
  if (err != CL_SUCCESS)
    return (clact_status)err;
  cl_device_id *all = malloc(n * sizeof *all);
  if (!all)
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  err = clGetDeviceIDs(p, type, n, all, NULL);
  if (err == CL_SUCCESS)
    *dev = all[index];
  free(all);
  return err == CL_SUCCESS ? CLACT_SUCCESS : (clact_status)err;
}

static clact_status choose_device(const char *spec, cl_platform_id *plat, cl_device_id *dev) {
  cl_uint pi = 0, di = 0;
  if (spec && !parse_spec(spec, &pi, &di))
    return CLACT_ERROR_BAD_DEVICE_SPEC;
  cl_platform_id *ps = NULL;
  cl_uint np = 0;
  clact_status st = platforms(&ps, &np);
  if (st != CLACT_SUCCESS)
    return st;
  if (spec) {
    st = pi < np ? device_of(ps[pi], CL_DEVICE_TYPE_ALL, di, dev) : CLACT_ERROR_NO_DEVICE;
    if (st == CLACT_SUCCESS)
      *plat = ps[pi];
    free(ps);
    return st;
  }
  st = CLACT_ERROR_NO_DEVICE;
  for (int pass = 0; pass < 2 && st == CLACT_ERROR_NO_DEVICE; pass++) {
    for (cl_uint i = 0; i < np && st == CLACT_ERROR_NO_DEVICE; i++) {
      st = device_of(ps[i], pass == 0 ? CL_DEVICE_TYPE_GPU : CL_DEVICE_TYPE_ALL, 0, dev);
      if (st == CLACT_SUCCESS)
        *plat = ps[i];
      else if (st != CLACT_ERROR_NO_DEVICE)
        break; /* a real error: report it rather than silently taking another device */
    }
  }
  free(ps);
  return st;
}

static int has_extension(cl_device_id dev, const char *ext) {
  size_t size = 0;
  if (clGetDeviceInfo(dev, CL_DEVICE_EXTENSIONS, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return 0;
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  int found = 0;
  if (clGetDeviceInfo(dev, CL_DEVICE_EXTENSIONS, size, s, NULL) == CL_SUCCESS) {
    s[size] = '\0';
    size_t len = strlen(ext);
    for (const char *q = strstr(s, ext); q && !found; q = strstr(q + 1, ext))
      found = (q == s || q[-1] == ' ') && (q[len] == ' ' || q[len] == '\0');
  }
  free(s);
  return found;
}

/* Whether this (the host) CPU converts between half and float in hardware (x86 F16C, with AVX
 * enabled by the operating system): PoCL's CPU devices run on it, and their half kernels then
 * use the instructions (CLACT_X86_F16C, kernels/common.clh). CLACT_F16C=off keeps the integer
 * conversions (the same bits; the tests compare both). */
static int host_f16c(void) {
  const char *env = getenv("CLACT_F16C");
  if (env && strcmp(env, "off") == 0)
    return 0;
#if defined(__x86_64__) || defined(__i386__)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return 0;
  const unsigned need = bit_F16C | bit_AVX | bit_OSXSAVE;
  if ((c & need) != need)
    return 0;
  unsigned lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0)); /* the OS saves the xmm and ymm state */
  (void)hi;
  return (lo & 6u) == 6u;
#else
  return 0;
#endif
}

/* Streaming (non-temporal) stores in the elementwise kernels (the _nt twins, kernels/common.clh)
 * on PoCL's CPU devices on x86, for calls that touch (read and write) at least as many bytes as
 * the device's global memory cache holds (CL_DEVICE_GLOBAL_MEM_CACHE_SIZE; 32 MiB if it says
 * none). On an AMD EPYC with a 32 MiB L3, relu forward over repeated launches
 * (bench/lab/stream/NOTES.md) took 0.36 CPU ns per element with ordinary stores and 0.40 with
 * streaming ones at 2^21 elements (16 MiB touched), 0.63 and 0.43 at 2^22 (32 MiB), 0.81 and
 * 0.58 at 2^24. CLACT_STREAM=off never streams, =on always does (the tests use it to run the
 * streaming path at small sizes); unset or anything else: by size. */
static void set_streaming(clact_context *ctx) {
#if defined(__x86_64__) || defined(__i386__)
  ctx->nt_stores = ctx->pocl_cpu;
#else
  ctx->nt_stores = 0;
#endif
  cl_ulong cache = 0;
  if (clGetDeviceInfo(ctx->device, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, sizeof cache, &cache, NULL) !=
          CL_SUCCESS ||
      cache == 0)
    cache = (cl_ulong)32 << 20;
  const char *env = getenv("CLACT_STREAM");
  if (env && strcmp(env, "off") == 0)
    ctx->nt_stores = 0;
  ctx->stream_bytes = !ctx->nt_stores             ? SIZE_MAX
                      : env && !strcmp(env, "on") ? 0
                      : cache > SIZE_MAX          ? SIZE_MAX
                                                  : (size_t)cache;
}

static unsigned round_width(cl_uint w) {
  unsigned r = 1;
  while (r * 2 <= w && r < 16)
    r *= 2;
  return r;
}

/* "platform NAME VERSION / device NAME VERSION / driver VERSION": what identifies the
 * compiler for the program cache. NULL when out of memory. */
static char *device_identity(cl_platform_id plat, cl_device_id dev) {
  char pn[256] = "", pv[256] = "", dn[256] = "", dv[256] = "", drv[256] = "";
  clGetPlatformInfo(plat, CL_PLATFORM_NAME, sizeof pn - 1, pn, NULL);
  clGetPlatformInfo(plat, CL_PLATFORM_VERSION, sizeof pv - 1, pv, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof dn - 1, dn, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_VERSION, sizeof dv - 1, dv, NULL);
  clGetDeviceInfo(dev, CL_DRIVER_VERSION, sizeof drv - 1, drv, NULL);
  size_t len = strlen(pn) + strlen(pv) + strlen(dn) + strlen(dv) + strlen(drv) + 64;
  char *s = malloc(len);
  if (s)
    snprintf(s, len, "platform %s %s\ndevice %s %s\ndriver %s", pn, pv, dn, dv, drv);
  return s;
}

/* Allocates the context around a device and queries what the library needs of it. */
static clact_status init_context(clact_context **out, cl_context context, cl_command_queue queue,
                                 cl_device_id device) {
  clact_context *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  if (mtx_init(&ctx->lock, mtx_plain) != thrd_success) {
    free(ctx);
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  }
  ctx->context = context;
  ctx->queue = queue;
  ctx->device = device;
  cl_device_type type = 0;
  cl_device_fp_config single = 0;
  cl_uint pref = 1;
  cl_int err = clGetDeviceInfo(device, CL_DEVICE_TYPE, sizeof type, &type, NULL);
  if (err == CL_SUCCESS)
    err = clGetDeviceInfo(device, CL_DEVICE_SINGLE_FP_CONFIG, sizeof single, &single, NULL);
  if (err == CL_SUCCESS)
    err = clGetDeviceInfo(device, CL_DEVICE_ADDRESS_BITS, sizeof ctx->address_bits,
                          &ctx->address_bits, NULL);
  if (err == CL_SUCCESS)
    err = clGetDeviceInfo(device, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT, sizeof pref, &pref, NULL);
  if (err == CL_SUCCESS)
    err = clGetDeviceInfo(device, CL_DEVICE_PLATFORM, sizeof ctx->platform, &ctx->platform, NULL);
  if (err != CL_SUCCESS) {
    mtx_destroy(&ctx->lock);
    free(ctx);
    return (clact_status)err;
  }
  ctx->is_cpu = (type & CL_DEVICE_TYPE_CPU) != 0;
  ctx->correctly_rounded_divide = (single & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
  ctx->denormals = (single & CL_FP_DENORM) != 0;
  ctx->fp64 = has_extension(device, "cl_khr_fp64");
  /* The device's preferred float width (1 on NVIDIA GPUs), at least 8 on CPUs: on PoCL with
   * AVX-512 (preferred 16) 16 floats per work-item run the transcendental activations 1.3-1.9x
   * faster than 8 and the bandwidth-bound ones alike (bench/lab/widths.c, RESULTS in
   * bench/lab/README.md); 8 measured best where the preferred width is 8 (bench/lab/probe.cl).
   * Elementwise kernels on other devices (GPUs): at least 4. On an H200 at width 1 every copy
   * and bandwidth-bound kernel ran at ~290 G work-items/s whatever the element size (f16 1.2,
   * f32 2.4, f64 3.5 TB/s; PyTorch's copy 3.6-4.0 TB/s): the work-item rate, not the memory,
   * was the limit (docs/performance.md, GPU). The structured and per-channel kernels keep the
   * preferred width there (row_width) until a GPU run measures theirs.
   * The row operations on CPUs: 16 wherever the preferred width is less. Their loops carry
   * long dependency chains (softmax's exponential, the compensated sums), and two 8-lane halves
   * per step keep more of them in flight: on an AVX2 CPU (AMD EPYC, PoCL, preferred width 8)
   * `bench/lab/cputime`, n = 2^24, CPU ns per element at 8 -> 16: softmax forward 1.92 -> 1.62,
   * backward 1.77 -> 1.54, log_softmax forward 3.25 -> 2.67, swiglu 2.27 -> 2.08 and
   * 4.38 -> 3.86, maxout 2.06 -> 1.61, glu backward 2.86 -> 2.81; sparsemax's forward went the
   * other way (8.5 -> 9.7) and keeps row_width. */
  ctx->row_width = ctx->is_cpu && pref < 8 ? 8 : round_width(pref);
  ctx->auto_width = ctx->is_cpu || ctx->row_width >= 4 ? ctx->row_width : 4;
  ctx->struct_width = ctx->is_cpu ? 16 : ctx->row_width;
  ctx->identity = device_identity(ctx->platform, device);
  int pocl = ctx->identity && strstr(ctx->identity, "Portable Computing Language") != NULL;
  ctx->pocl_cpu = ctx->is_cpu && pocl;
  ctx->f16c = ctx->pocl_cpu && host_f16c();
  set_streaming(ctx);
  /* clact's disk cache stays off on PoCL unless asked for (CLACT_CACHE=on): PoCL keeps compiled
   * programs in its own kernel cache (POCL_CACHE_DIR; off only with POCL_KERNEL_CACHE=0), and
   * exporting a program's binary makes it compile every kernel of the program once more. On this
   * kind of machine (AMD EPYC, 2 cores) `clact check relu --quick` took 4.1 s with both caches
   * empty and clact's on, 3.0 s with it off; with the caches filled 0.66-0.76 s on, 0.84-1.02 s
   * off. The test suite, cold: 1029 s off, ~1300 s on. */
  const char *pocl_cache = getenv("POCL_KERNEL_CACHE");
  ctx->cache_dir = clact__cache_dir(pocl && !(pocl_cache && strcmp(pocl_cache, "0") == 0));
  if (!ctx->identity) {
    free(ctx->cache_dir);
    mtx_destroy(&ctx->lock);
    free(ctx);
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  }
  const char *dir = getenv("CLACT_KERNEL_DIR");
  if (dir && *dir) {
    size_t len = strlen(dir) + 1;
    ctx->kernel_dir = malloc(len);
    if (!ctx->kernel_dir) {
      free(ctx->identity);
      free(ctx->cache_dir);
      mtx_destroy(&ctx->lock);
      free(ctx);
      return (clact_status)CL_OUT_OF_HOST_MEMORY;
    }
    memcpy(ctx->kernel_dir, dir, len);
  }
  *out = ctx;
  return CLACT_SUCCESS;
}

clact_status clact_context_create(clact_context **out, const char *device_spec) {
  if (!out)
    return CLACT_ERROR_NULL_ARGUMENT;
  *out = NULL;
  if (!device_spec) {
    const char *env = getenv("CLACT_DEVICE");
    if (env && *env)
      device_spec = env;
  }
  cl_platform_id plat;
  cl_device_id dev;
  clact_status st = choose_device(device_spec, &plat, &dev);
  if (st != CLACT_SUCCESS)
    return st;
  cl_int err;
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)plat, 0};
  cl_context context = clCreateContext(props, 1, &dev, NULL, NULL, &err);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  cl_command_queue queue = clCreateCommandQueue(context, dev, CL_QUEUE_PROFILING_ENABLE, &err);
  if (err != CL_SUCCESS) {
    clReleaseContext(context);
    return (clact_status)err;
  }
  st = init_context(out, context, queue, dev);
  if (st != CLACT_SUCCESS) {
    clReleaseCommandQueue(queue);
    clReleaseContext(context);
  }
  return st;
}

clact_status clact_context_wrap(clact_context **out, cl_context context, cl_command_queue queue) {
  if (!out || !context || !queue)
    return CLACT_ERROR_NULL_ARGUMENT;
  *out = NULL;
  cl_context qctx;
  cl_device_id dev;
  cl_int err = clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof qctx, &qctx, NULL);
  if (err == CL_SUCCESS)
    err = clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof dev, &dev, NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  if (qctx != context)
    return CLACT_ERROR_CONTEXT_MISMATCH;
  clact_status st = init_context(out, context, queue, dev);
  if (st == CLACT_SUCCESS) {
    clRetainContext(context);
    clRetainCommandQueue(queue);
  }
  return st;
}

void clact_context_destroy(clact_context *ctx) {
  if (!ctx)
    return;
  clact__release_programs(ctx);
  if (ctx->queue)
    clReleaseCommandQueue(ctx->queue);
  if (ctx->context)
    clReleaseContext(ctx->context);
  mtx_destroy(&ctx->lock);
  free(ctx->kernel_dir);
  free(ctx->cache_dir);
  free(ctx->identity);
  free(ctx->build_log);
  free(ctx->warning_log);
  free(ctx);
}

cl_context clact_context_cl(const clact_context *ctx) {
  return ctx ? ctx->context : NULL;
}

cl_command_queue clact_context_queue(const clact_context *ctx) {
  return ctx ? ctx->queue : NULL;
}

cl_device_id clact_context_device(const clact_context *ctx) {
  return ctx ? ctx->device : NULL;
}

clact_status clact_context_supports(const clact_context *ctx, clact_dtype dtype) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  /* f16 and bf16 are storage formats (vload_half/vstore_half, shifts): every device has them.
   * f64 computes in double: it needs cl_khr_fp64. */
  if (dtype == CLACT_F32 || dtype == CLACT_F16 || dtype == CLACT_BF16)
    return CLACT_SUCCESS;
  if (dtype == CLACT_F64 && ctx->fp64)
    return CLACT_SUCCESS;
  return CLACT_ERROR_UNSUPPORTED_DTYPE;
}

clact_status clact_context_set_vector_width(clact_context *ctx, unsigned width) {
  if (!ctx)
    return CLACT_ERROR_NULL_ARGUMENT;
  if (width != 0 && width != 1 && width != 2 && width != 4 && width != 8 && width != 16)
    return CLACT_ERROR_INVALID_VALUE;
  atomic_store(&ctx->vector_width, width);
  return CLACT_SUCCESS;
}

unsigned clact_context_vector_width(const clact_context *ctx) {
  if (!ctx)
    return 0;
  unsigned w = atomic_load(&ctx->vector_width);
  return w ? w : ctx->auto_width;
}

size_t clact_context_stream_bytes(const clact_context *ctx) {
  return ctx ? ctx->stream_bytes : SIZE_MAX;
}

const char *clact_build_log(const clact_context *ctx) {
  return ctx && ctx->build_log ? ctx->build_log : "";
}
