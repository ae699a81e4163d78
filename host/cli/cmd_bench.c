/* host/cli/cmd_bench.c: `clact bench [ID...]`: DESIGN.md's benchmark protocol, float32, for
 * every direction of the chosen activations: buffers allocated and touched once, compile time
 * apart (clact_prepare), warm-up, launches calibrated to a target time and timed one by one with
 * profiling events, min/median/max, G elements/s, GB/s from the registry's elements moved, and
 * the ratio to the copy kernel measured just before each row (the machine is shared and noisy:
 * interleaving keeps both figures under the same conditions). */
#define _POSIX_C_SOURCE 200809L
#include "bench_json.h"
#include "channel_cli.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: clact bench [ID...] [--n N | --sweep] [--dtype T] [--device P:D] [--time SECONDS]\n"
    "                   [--json FILE|-] [--csv FILE|-] [--compare BASELINE.json] [--host]\n"
    "                   [--width W] [--verbose]\n"
    "\n"
    "Measures throughput for each activation given by id or synonym (none: all, then every\n"
    "structured operation) and each direction it has, on one device. Buffers are allocated\n"
    "once and written before timing (x uniform in [-8, 8], dy in [-2, 2], y = the forward\n"
    "output). Structured operations (softmax, the GLU family, crelu, sparsemax, maxout with\n"
    "k = 2, rrelu_train) run at their default shapes and parameters (docs/structured.md), in\n"
    "the table only (not --json/--csv). Cold start is\n"
    "reported apart: 'compile ms' is the program build (clact_prepare; 0 = already built,\n"
    "e.g. by another direction) and 'first ms' the first launch after it, host clock around\n"
    "clFinish: together what a first call costs. Then, after a warm-up, launches repeat until\n"
    "the target time (at least 10, at most 10000), each timed by its own profiling event (the\n"
    "host clock around clFinish where the device gives none). GB/s = n x elements moved (the\n"
    "registry's: forward 2, backward 3) x element size / median; ratio = GB/s over the copy\n"
    "kernel's GB/s (2 elements per element, same dtype and n), measured right before each row.\n"
    "\n"
    "options:\n"
    "  --n N            elements per launch, N >= 1 (default 16777216)\n"
    "  --sweep          every size 2^10, 2^12, ..., 2^26 instead of one n (launch overhead\n"
    "                   shows at the small sizes, the bandwidth regime at the large ones);\n"
    "                   sizes the device cannot hold are left out, with a note\n"
    "  --dtype T        f32 (default), f16, bf16, a comma-separated list, or all (what the\n"
    "                   device supports)\n"
    "  --device P:D     device (see 'clact devices'); default $CLACT_DEVICE, else the first\n"
    "                   GPU, else the first device\n"
    "  --time SECONDS   target time of each measurement, in (0, 60] (default 0.3)\n"
    "  --json FILE|-    also write the results as JSON (device, driver, platform and library\n"
    "                   versions, one object per row) to FILE, or to stdout with '-'\n"
    "  --csv FILE|-     also write them as CSV (a header line, then one line per row, the\n"
    "                   versions in every line) to FILE, or to stdout with '-'\n"
    "  --compare FILE   a JSON file of an earlier run: after the table, each row found in it\n"
    "                   (same activation, direction, dtype and n) with both runs' G elements/s\n"
    "                   and ratio to copy and the change in percent; compare ratios across\n"
    "                   runs on a shared machine (each is measured against a copy in its run)\n"
    "  --host           also time the host-array calls (clact_forward_host etc.: arrays in host\n"
    "                   memory, streamed through the device or used in place where it shares\n"
    "                   host memory), host clock around each whole call: 'host ms' and\n"
    "                   'host ratio' = device-resident median / host-array median\n"
    "  --width W        elements per work-item of the elementwise kernels and the copy: 1, 2,\n"
    "                   4, 8 or 16 (default: the device's preferred float width, at least 8\n"
    "                   on CPUs and 4 on other devices); results are bit-identical at every\n"
    "                   width, so this compares launch shapes\n"
    "  --verbose        also print the launch configuration (vector width, work-group size)\n"
    "\n"
    "Files are written whole to a temporary, then renamed into place; at most one of --json\n"
    "and --csv may be '-' (the table then goes to stderr).\n"
    "\n"
    "Exit status: 0 done, 2 usage error, 3 unknown activation, FILE not writable or\n"
    "BASELINE unreadable, 4 device or OpenCL error (e.g. out of device memory, a kernel build\n"
    "failure).\n";

#define DEFAULT_N ((uint64_t)1 << 24)
#define SWEEP_MIN_LOG2 10
#define SWEEP_MAX_LOG2 26
#define SWEEP_STEP_LOG2 2
#define MAX_SIZES 16
#define DEFAULT_TIME 0.3
#define MIN_LAUNCHES 10
#define MAX_LAUNCHES 10000
#define WARMUP_MIN 3        /* launches after the first (which may compile or fault pages in) */
#define WARMUP_FRACTION 0.1 /* of the target time */
#define FILL_CHUNK ((size_t)1 << 20)

typedef struct bench_bufs {
  cl_mem x, dy, y, out;       /* y only when a backward_from_y row is run */
  size_t n, esize;            /* elements; bytes per element of the widest dtype run */
  void *hx, *hdy, *hy, *hout; /* --host: host copies of x, dy and y, and the host output */
} bench_bufs;

typedef struct stats {
  double min_ms, median_ms, max_ms;
  size_t launches;
  int host_clock; /* some launch had no profiling info */
} stats;

typedef struct row {
  cli_job job;
  size_t n;
  double compile_ms, first_ms; /* cold start: the build, then the first launch (host clock) */
  stats s, copy;
  double host_ms; /* --host: median of the host-array call, host clock; 0 when not measured */
  double gelem_per_s, gb_per_s, copy_gb_per_s, ratio;
} row;

/* ---- buffers ---------------------------------------------------------------------------- */
static uint64_t mix64(uint64_t z) { /* splitmix64 */
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* A float as a 16-bit element, truncated (benchmark data needs no rounding; the values used
 * are normal in both formats). */
static uint16_t to16(clact_dtype dtype, float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  if (dtype == CLACT_BF16)
    return (uint16_t)(u >> 16);
  int e = (int)((u >> 23) & 0xFFu) - 127;
  if (e < -14)
    return (uint16_t)((u >> 16) & 0x8000u);
  return (uint16_t)(((u >> 16) & 0x8000u) | (uint32_t)(e + 15) << 10 | ((u >> 13) & 0x3FFu));
}

/* --host: the host copy of a device buffer (the same data for both kinds of call). */
static cl_int download(clact_context *ctx, cl_mem m, void *host, size_t bytes) {
  return host ? clEnqueueReadBuffer(clact_context_queue(ctx), m, CL_TRUE, 0, bytes, host, 0, NULL,
                                    NULL)
              : CL_SUCCESS;
}

/* Writes pseudo-random values uniform in [-scale, scale] (as elements of `dtype`) to every
 * element: this also takes the first-touch page faults (35x slower on PoCL) out of the timed
 * launches. `host` holds FILL_CHUNK doubles. */
static cl_int fill_random(cl_command_queue q, cl_mem m, size_t n, clact_dtype dtype, float scale,
                          uint64_t seed, double *host) {
  cl_int err = CL_SUCCESS;
  size_t esize = clact_dtype_size(dtype);
  for (size_t first = 0; first < n && err == CL_SUCCESS; first += FILL_CHUNK) {
    size_t len = n - first < FILL_CHUNK ? n - first : FILL_CHUNK;
    for (size_t i = 0; i < len; i++) {
      double u = (double)(mix64(seed ^ (first + i)) >> 11) * 0x1p-53; /* [0, 1) */
      float v = (float)((2 * u - 1) * scale);
      if (esize == 2) {
        uint16_t h = to16(dtype, v);
        memcpy((char *)host + 2 * i, &h, 2);
      } else if (esize == 4) {
        memcpy((char *)host + 4 * i, &v, 4);
      } else {
        host[i] = v; /* f64: the same values */
      }
    }
    /* Blocking, so `host` can be refilled for the next chunk. */
    err = clEnqueueWriteBuffer(q, m, CL_TRUE, first * esize, len * esize, host, 0, NULL, NULL);
  }
  return err;
}

/* Fills x and dy with data of `dtype` (the buffers hold n elements of the largest size). */
static int fill_inputs(clact_context *ctx, const bench_bufs *b, clact_dtype dtype) {
  double *host = malloc(FILL_CHUNK * sizeof *host);
  cl_command_queue q = clact_context_queue(ctx);
  cl_int err = host ? CL_SUCCESS : CL_OUT_OF_HOST_MEMORY;
  if (err == CL_SUCCESS)
    err = fill_random(q, b->x, b->n, dtype, 8.0f, 0x5EED0001ull, host);
  if (err == CL_SUCCESS)
    err = fill_random(q, b->dy, b->n, dtype, 2.0f, 0x5EED0002ull, host);
  size_t bytes = b->n * clact_dtype_size(dtype);
  if (err == CL_SUCCESS)
    err = download(ctx, b->x, b->hx, bytes);
  if (err == CL_SUCCESS)
    err = download(ctx, b->dy, b->hdy, bytes);
  free(host);
  if (err != CL_SUCCESS)
    return cli_report_status("bench", "filling the inputs", (clact_status)err, ctx);
  return CLI_EXIT_OK;
}

static void release_bufs(bench_bufs *b) {
  cl_mem *all[] = {&b->x, &b->dy, &b->y, &b->out};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (*all[i])
      clReleaseMemObject(*all[i]);
    *all[i] = NULL;
  }
  void **host[] = {&b->hx, &b->hdy, &b->hy, &b->hout};
  for (size_t i = 0; i < sizeof host / sizeof host[0]; i++) {
    free(*host[i]);
    *host[i] = NULL;
  }
}

/* --host: host arrays of n floats, touched once (page faults out of the timing). */
static int alloc_host(bench_bufs *b, int need_y) {
  size_t bytes = b->n * b->esize;
  void **host[] = {&b->hx, &b->hdy, &b->hy, &b->hout};
  for (size_t i = 0; i < sizeof host / sizeof host[0] && bytes > 0; i++) {
    if (i == 2 && !need_y)
      continue;
    *host[i] = malloc(bytes);
    if (!*host[i]) {
      fprintf(stderr,
              "clact bench: --host: cannot allocate %.1f MiB of host memory: give a "
              "smaller --n\n",
              (double)bytes / 1048576.0);
      return CLI_EXIT_DEVICE;
    }
    memset(*host[i], 0, bytes);
  }
  return CLI_EXIT_OK;
}

/* Allocates and touches the buffers; on error prints why and returns the exit code. */
static int alloc_bufs(clact_context *ctx, size_t n, size_t esize, int need_y, bench_bufs *b) {
  cl_device_id dev = clact_context_device(ctx);
  cl_ulong max_alloc = 0, global = 0;
  clGetDeviceInfo(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL);
  size_t bytes = n * esize; /* cannot overflow: --n is bounded by SIZE_MAX / 8 */
  cl_ulong nbufs = need_y ? 4 : 3;
  if ((cl_ulong)bytes > max_alloc || (cl_ulong)bytes > global / nbufs) {
    fprintf(stderr,
            "clact bench: --n %zu needs %llu buffers of %.1f MiB; the device allows "
            "%.1f MiB per buffer and %.1f MiB in all: give a smaller --n\n",
            n, (unsigned long long)nbufs, (double)bytes / 1048576.0, (double)max_alloc / 1048576.0,
            (double)global / 1048576.0);
    return CLI_EXIT_DEVICE;
  }
  cl_context c = clact_context_cl(ctx);
  cl_command_queue q = clact_context_queue(ctx);
  cl_int err = CL_SUCCESS;
  memset(b, 0, sizeof *b);
  b->n = n;
  b->esize = esize;
  b->x = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  if (err == CL_SUCCESS)
    b->dy = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  if (err == CL_SUCCESS && need_y)
    b->y = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  if (err == CL_SUCCESS)
    b->out = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  const cl_float zero = 0;
  if (err == CL_SUCCESS && b->y)
    err = clEnqueueFillBuffer(q, b->y, &zero, sizeof zero, 0, bytes, 0, NULL, NULL);
  if (err == CL_SUCCESS)
    err = clEnqueueFillBuffer(q, b->out, &zero, sizeof zero, 0, bytes, 0, NULL, NULL);
  if (err == CL_SUCCESS)
    err = clFinish(q);
  if (err != CL_SUCCESS) {
    release_bufs(b);
    fprintf(stderr,
            "clact bench: cannot set up %llu buffers of %.1f MiB: %s (status %d); give "
            "a smaller --n\n",
            (unsigned long long)nbufs, (double)bytes / 1048576.0,
            clact_status_string((clact_status)err), (int)err);
    return CLI_EXIT_DEVICE;
  }
  return CLI_EXIT_OK;
}

/* ---- timing ----------------------------------------------------------------------------- */
/* One launch of a job, or of the copy kernel of `dtype` when `job` is NULL. */
static clact_status launch(clact_context *ctx, const bench_bufs *b, size_t n, const cli_job *job,
                           clact_dtype dtype, cl_event *ev) {
  if (!job)
    return clact_copy(ctx, dtype, n, b->x, 0, b->out, 0, ev);
  switch (job->dir) {
  case CLACT_FORWARD:
    return clact_forward(ctx, job->act, dtype, NULL, n, b->x, 0, b->out, 0, ev);
  case CLACT_BACKWARD:
    return clact_backward(ctx, job->act, dtype, NULL, n, b->x, 0, b->dy, 0, b->out, 0, ev);
  default:
    return clact_backward_from_y(ctx, job->act, dtype, NULL, n, b->y, 0, b->dy, 0, b->out, 0, ev);
  }
}

/* Runs one launch to completion; its duration in ms from the profiling event, else from the
 * host clock around clFinish. */
static clact_status timed_launch(clact_context *ctx, const bench_bufs *b, size_t n,
                                 const cli_job *job, clact_dtype dtype, double *ms,
                                 int *host_clock) {
  cl_command_queue q = clact_context_queue(ctx);
  cl_event ev = NULL;
  double t0 = cli_now();
  clact_status st = launch(ctx, b, n, job, dtype, &ev);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clFinish(q);
  double t1 = cli_now();
  cl_ulong start = 0, end = 0;
  if (st == CLACT_SUCCESS &&
      clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL) ==
          CL_SUCCESS &&
      clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL) == CL_SUCCESS &&
      end >= start) {
    *ms = (double)(end - start) * 1e-6;
  } else {
    *ms = (t1 - t0) * 1e3;
    *host_clock = 1;
  }
  if (ev)
    clReleaseEvent(ev);
  return st;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Warm-up, then launches until the target time (MIN_LAUNCHES..MAX_LAUNCHES), then the stats.
 * `times` holds MAX_LAUNCHES entries. */
static clact_status measure(clact_context *ctx, const bench_bufs *b, size_t n, const cli_job *job,
                            clact_dtype dtype, double target_s, double *times, stats *s) {
  double ms;
  memset(s, 0, sizeof *s);
  clact_status st = timed_launch(ctx, b, n, job, dtype, &ms, &s->host_clock);
  double t0 = cli_now();
  for (int i = 0;
       st == CLACT_SUCCESS && (i < WARMUP_MIN || cli_now() - t0 < target_s * WARMUP_FRACTION); i++)
    st = timed_launch(ctx, b, n, job, dtype, &ms, &s->host_clock);
  s->host_clock = 0; /* only the timed launches count */
  size_t k = 0;
  t0 = cli_now();
  while (st == CLACT_SUCCESS && k < MAX_LAUNCHES && (k < MIN_LAUNCHES || cli_now() - t0 < target_s))
    st = timed_launch(ctx, b, n, job, dtype, &times[k++], &s->host_clock);
  if (st != CLACT_SUCCESS)
    return st;
  qsort(times, k, sizeof *times, cmp_double);
  s->launches = k;
  s->min_ms = times[0];
  s->max_ms = times[k - 1];
  s->median_ms = k % 2 ? times[k / 2] : (times[k / 2 - 1] + times[k / 2]) / 2;
  return CLACT_SUCCESS;
}

/* --host: the host-array call, host clock around each whole (blocking) call; two calls of
 * warm-up, then calls until the target time (at least 3); the median in *ms. */
static clact_status measure_host(clact_context *ctx, const bench_bufs *b, size_t n,
                                 const cli_job *job, double target_s, double *times, double *ms) {
  clact_status st = CLACT_SUCCESS;
  size_t k = 0;
  double t0 = cli_now();
  for (int i = -2; st == CLACT_SUCCESS && k < MAX_LAUNCHES && (i < 3 || cli_now() - t0 < target_s);
       i++) {
    double t = cli_now();
    switch (job->dir) {
    case CLACT_FORWARD:
      st = clact_forward_host(ctx, job->act, job->dtype, NULL, n, b->hx, b->hout);
      break;
    case CLACT_BACKWARD:
      st = clact_backward_host(ctx, job->act, job->dtype, NULL, n, b->hx, b->hdy, b->hout);
      break;
    default:
      st = clact_backward_from_y_host(ctx, job->act, job->dtype, NULL, n, b->hy, b->hdy, b->hout);
      break;
    }
    t = (cli_now() - t) * 1e3;
    if (i < 0)
      t0 = cli_now(); /* the warm-up does not count */
    else
      times[k++] = t;
  }
  if (st != CLACT_SUCCESS)
    return st;
  qsort(times, k, sizeof *times, cmp_double);
  *ms = k % 2 ? times[k / 2] : (times[k / 2 - 1] + times[k / 2]) / 2;
  return CLACT_SUCCESS;
}

/* ---- output ----------------------------------------------------------------------------- */
/* What identifies the run in every output: the device, its driver and platform, the library. */
typedef struct run_info {
  cli_device_desc dev;
  unsigned width;
  int host; /* --host */
  double target;
} run_info;

static void print_table_header(FILE *f, const run_info *ri, const size_t *sizes, size_t nsizes,
                               const clact_dtype *dtypes, size_t ndtypes) {
  const cli_device_desc *d = &ri->dev;
  fprintf(f, "clact %s bench on device %s: %s (%s, driver %s)\n", clact_version(), d->index,
          d->name, d->platform, d->driver);
  for (size_t i = 0; i < ndtypes; i++)
    fprintf(f, "%s%s", i ? ", " : "", clact_dtype_name(dtypes[i]));
  if (nsizes == 1)
    fprintf(f, "; n = %zu", sizes[0]);
  else
    fprintf(f, "; n = %zu to %zu (%zu sizes)", sizes[0], sizes[nsizes - 1], nsizes);
  fprintf(f,
          "; target %g s per measurement; ratio = GB/s / copy GB/s (same dtype and n) "
          "measured just before\n\n",
          ri->target);
  fprintf(f, "%-14s  %-15s  %-5s  %10s  %10s  %8s  %9s  %9s  %9s  %8s  %8s  %9s  %5s%s\n",
          "activation", "direction", "dtype", "n", "compile ms", "first ms", "median ms", "min ms",
          "max ms", "Gelem/s", "GB/s", "copy GB/s", "ratio",
          ri->host ? "    host ms  host ratio" : "");
}

static void print_row(FILE *f, const row *r) {
  fprintf(f,
          "%-14s  %-15s  %-5s  %10zu  %10.1f  %8.3f  %9.4f  %9.4f  %9.4f  %8.3f  %8.2f  %9.2f  "
          "%5.2f",
          clact_name(r->job.act), clact_direction_name(r->job.dir), clact_dtype_name(r->job.dtype),
          r->n, r->compile_ms, r->first_ms, r->s.median_ms, r->s.min_ms, r->s.max_ms,
          r->gelem_per_s, r->gb_per_s, r->copy_gb_per_s, r->ratio);
  if (r->host_ms > 0)
    fprintf(f, "  %9.4f  %10.2f", r->host_ms, r->s.median_ms / r->host_ms);
  fputs(r->s.host_clock || r->copy.host_clock ? " *\n" : "\n", f);
}

static void json_field_num(FILE *f, const char *key, double v) {
  cli_json_key(f, key, 0);
  cli_json_number(f, cli_round_sig(v, 6));
}

static void json_field_str(FILE *f, const char *key, const char *v, int first) {
  cli_json_key(f, key, first);
  cli_json_string(f, v);
}

static void write_json(FILE *f, const run_info *ri, const row *rows, size_t nrows) {
  const cli_device_desc *d = &ri->dev;
  fputc('{', f);
  json_field_str(f, "device", d->name, 1);
  json_field_str(f, "device_index", d->index, 0);
  json_field_str(f, "vendor", d->vendor, 0);
  json_field_str(f, "device_version", d->version, 0);
  json_field_str(f, "driver", d->driver, 0);
  json_field_str(f, "platform", d->platform, 0);
  json_field_str(f, "clact", clact_version(), 0);
  cli_json_key(f, "vector_width", 0);
  fprintf(f, "%u", ri->width);
  json_field_num(f, "target_s", ri->target);
  fputs(", \"results\": [", f);
  for (size_t i = 0; i < nrows; i++) {
    const row *r = &rows[i];
    fputs(i ? ",\n  {" : "\n  {", f);
    json_field_str(f, "activation", clact_name(r->job.act), 1);
    json_field_str(f, "direction", clact_direction_name(r->job.dir), 0);
    json_field_str(f, "dtype", clact_dtype_name(r->job.dtype), 0);
    cli_json_key(f, "n", 0);
    fprintf(f, "%zu", r->n);
    json_field_num(f, "gelem_per_s", r->gelem_per_s);
    json_field_num(f, "gb_per_s", r->gb_per_s);
    json_field_num(f, "ratio_to_copy", r->ratio);
    json_field_num(f, "median_ms", r->s.median_ms);
    json_field_num(f, "min_ms", r->s.min_ms);
    json_field_num(f, "max_ms", r->s.max_ms);
    cli_json_key(f, "launches", 0);
    fprintf(f, "%zu", r->s.launches);
    json_field_num(f, "compile_ms", r->compile_ms);
    json_field_num(f, "first_ms", r->first_ms);
    json_field_num(f, "copy_gb_per_s", r->copy_gb_per_s);
    if (r->host_ms > 0) {
      json_field_num(f, "host_ms", r->host_ms);
      json_field_num(f, "host_ratio", r->s.median_ms / r->host_ms);
    }
    cli_json_key(f, "host_clock", 0);
    fputs(r->s.host_clock || r->copy.host_clock ? "true" : "false", f);
    fputc('}', f);
  }
  fputs("\n]}\n", f);
}

/* A CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s, int last) {
  if (strpbrk(s, ",\"\r\n")) {
    fputc('"', f);
    for (; *s; s++) {
      if (*s == '"')
        fputc('"', f);
      fputc(*s, f);
    }
    fputc('"', f);
  } else {
    fputs(s, f);
  }
  fputc(last ? '\n' : ',', f);
}

static void write_csv(FILE *f, const run_info *ri, const row *rows, size_t nrows) {
  fputs("device,driver,platform,clact,vector_width,activation,direction,dtype,n,gelem_per_s,"
        "gb_per_s,ratio_to_copy,median_ms,min_ms,max_ms,launches,compile_ms,first_ms,"
        "copy_gb_per_s,host_clock,host_ms,host_ratio\n",
        f);
  for (size_t i = 0; i < nrows; i++) {
    const row *r = &rows[i];
    csv_field(f, ri->dev.name, 0);
    csv_field(f, ri->dev.driver, 0);
    csv_field(f, ri->dev.platform, 0);
    csv_field(f, clact_version(), 0);
    fprintf(f, "%u,", ri->width);
    csv_field(f, clact_name(r->job.act), 0);
    csv_field(f, clact_direction_name(r->job.dir), 0);
    csv_field(f, clact_dtype_name(r->job.dtype), 0);
    fprintf(f, "%zu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%zu,%.6g,%.6g,%.6g,%d,", r->n, r->gelem_per_s,
            r->gb_per_s, r->ratio, r->s.median_ms, r->s.min_ms, r->s.max_ms, r->s.launches,
            r->compile_ms, r->first_ms, r->copy_gb_per_s, r->s.host_clock || r->copy.host_clock);
    if (r->host_ms > 0)
      fprintf(f, "%.6g,%.6g\n", r->host_ms, r->s.median_ms / r->host_ms);
    else
      fputs(",\n", f);
  }
}

typedef void (*writer_fn)(FILE *, const run_info *, const row *, size_t);

/* Writes to `path` through a temporary file in the same folder, renamed into place only when
 * everything was written: a reader never sees half a file, and an existing file survives any
 * failure. */
static int save_file(const char *path, writer_fn write, const run_info *ri, const row *rows,
                     size_t nrows) {
  size_t len = strlen(path) + 32;
  char *tmp = malloc(len);
  if (!tmp) {
    fprintf(stderr, "clact bench: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
  /* O_EXCL: never write through a file or link that is already there; mode 0666 & ~umask. */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  int ok = f != NULL;
  if (ok) {
    write(f, ri, rows, nrows);
    ok = fflush(f) == 0 && !ferror(f);
    ok = fclose(f) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
  } else if (fd >= 0) {
    close(fd);
  }
  int saved = errno;
  if (!ok) {
    if (fd >= 0)
      unlink(tmp);
    fprintf(stderr, "clact bench: cannot write %s: %s (check the folder exists and is writable)\n",
            path, strerror(saved));
  }
  free(tmp);
  return ok ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

/* Writes one output (--json or --csv): to stdout for "-", else through save_file. */
static int emit(const char *path, writer_fn write, const run_info *ri, const row *rows,
                size_t nrows) {
  if (!path)
    return CLI_EXIT_OK;
  if (strcmp(path, "-") != 0)
    return save_file(path, write, ri, rows, nrows);
  write(stdout, ri, rows, nrows);
  return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

/* --compare: each row with its baseline twin, by (activation, direction, dtype, n). */
static void print_comparison(FILE *f, const char *path, const row *rows, size_t nrows,
                             const bench_ref *refs, size_t nrefs) {
  size_t matched = 0;
  fprintf(f, "\ncompared with %s (change = now / then - 1):\n", path);
  fprintf(f, "%-14s  %-15s  %-5s  %10s  %9s  %9s  %7s  %7s  %7s  %7s\n", "activation", "direction",
          "dtype", "n", "then G/s", "now G/s", "change", "then r", "now r", "change");
  for (size_t i = 0; i < nrows; i++) {
    const row *r = &rows[i];
    const bench_ref *b = NULL;
    for (size_t j = 0; j < nrefs && !b; j++)
      if (strcmp(refs[j].activation, clact_name(r->job.act)) == 0 &&
          strcmp(refs[j].direction, clact_direction_name(r->job.dir)) == 0 &&
          strcmp(refs[j].dtype, clact_dtype_name(r->job.dtype)) == 0 && refs[j].n == (double)r->n)
        b = &refs[j];
    if (!b)
      continue;
    matched++;
    fprintf(f, "%-14s  %-15s  %-5s  %10zu  %9.3f  %9.3f  %+6.1f%%  %7.2f  %7.2f  %+6.1f%%\n",
            clact_name(r->job.act), clact_direction_name(r->job.dir),
            clact_dtype_name(r->job.dtype), r->n, b->gelem_per_s, r->gelem_per_s,
            100.0 * (r->gelem_per_s / b->gelem_per_s - 1.0), b->ratio_to_copy, r->ratio,
            100.0 * (r->ratio / b->ratio_to_copy - 1.0));
  }
  if (matched < nrows)
    fprintf(f, "%zu of %zu rows have no twin in %s (another activation, direction, dtype or n)\n",
            nrows - matched, nrows, path);
}

/* ---- the run ---------------------------------------------------------------------------- */
/* Measures every job at every size (copy first, then the job) into rows[] (njobs x nsizes,
 * job-major); returns the exit code. */
static int run_jobs(clact_context *ctx, const cli_job *jobs, size_t njobs, const size_t *sizes,
                    size_t nsizes, const bench_bufs *b, double target, FILE *table, row *rows) {
  double *times = malloc(MAX_LAUNCHES * sizeof *times);
  if (!times) {
    fprintf(stderr, "clact bench: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  int rc = CLI_EXIT_OK;
  clact_status st = CLACT_SUCCESS;
  for (size_t i = 0; i < njobs && rc == CLI_EXIT_OK; i++) {
    const clact_info *in = clact_get_info(jobs[i].act);
    clact_dtype dtype = jobs[i].dtype;
    const double elem = (double)clact_dtype_size(dtype);
    if (i == 0 || dtype != jobs[i - 1].dtype) {
      rc = fill_inputs(ctx, b, dtype);
      if (rc != CLI_EXIT_OK)
        break;
      /* A whole copy measurement, discarded, warms the device up first: on PoCL the first one
       * of a process ran up to 2x slower (thread pool and page mappings settling), which made
       * the first row's ratio to copy meaningless. */
      stats discard;
      st = measure(ctx, b, b->n, NULL, dtype, target, times, &discard);
      if (st != CLACT_SUCCESS) {
        rc = cli_report_status("bench", "copy (warm-up)", st, ctx);
        break;
      }
    }
    char what[96];
    snprintf(what, sizeof what, "%s %s %s", in->name, clact_direction_name(jobs[i].dir),
             clact_dtype_name(dtype));
    double compile_ms = 0, first_ms = 0;
    st = clact_prepare(ctx, jobs[i].act, dtype, &compile_ms);
    /* y for backward_from_y is what a forward pass stores. */
    if (st == CLACT_SUCCESS && jobs[i].dir == CLACT_BACKWARD_FROM_Y) {
      st = clact_forward(ctx, jobs[i].act, dtype, NULL, b->n, b->x, 0, b->y, 0, NULL);
      if (st == CLACT_SUCCESS)
        st = (clact_status)clFinish(clact_context_queue(ctx));
      if (st == CLACT_SUCCESS)
        st = (clact_status)download(ctx, b->y, b->hy, b->n * clact_dtype_size(dtype));
    }
    /* Cold start: the first launch of this direction, on the first size, host clock. */
    if (st == CLACT_SUCCESS) {
      double t0 = cli_now();
      st = launch(ctx, b, sizes[0], &jobs[i], dtype, NULL);
      if (st == CLACT_SUCCESS)
        st = (clact_status)clFinish(clact_context_queue(ctx));
      first_ms = (cli_now() - t0) * 1e3;
    }
    for (size_t k = 0; k < nsizes && st == CLACT_SUCCESS; k++) {
      row *r = &rows[i * nsizes + k];
      size_t n = sizes[k];
      memset(r, 0, sizeof *r);
      r->job = jobs[i];
      r->n = n;
      r->compile_ms = k == 0 ? compile_ms : 0;
      r->first_ms = k == 0 ? first_ms : 0;
      st = measure(ctx, b, n, NULL, dtype, target, times, &r->copy);
      if (st == CLACT_SUCCESS)
        st = measure(ctx, b, n, &jobs[i], dtype, target, times, &r->s);
      if (st == CLACT_SUCCESS && b->hx)
        st = measure_host(ctx, b, n, &jobs[i], target, times, &r->host_ms);
      if (st != CLACT_SUCCESS)
        break;
      int moved = jobs[i].dir == CLACT_FORWARD ? in->fwd_elems : in->bwd_elems;
      r->gelem_per_s = (double)n / (r->s.median_ms * 1e-3) * 1e-9;
      r->gb_per_s = (double)n * moved * elem / (r->s.median_ms * 1e-3) * 1e-9;
      r->copy_gb_per_s = (double)n * 2 * elem / (r->copy.median_ms * 1e-3) * 1e-9;
      r->ratio = r->gb_per_s / r->copy_gb_per_s;
      print_row(table, r);
      fflush(table);
    }
    if (st != CLACT_SUCCESS)
      rc = cli_report_status("bench", what, st, ctx);
  }
  free(times);
  return rc;
}

/* The sizes of --sweep whose buffers (3, or 4 with y, of `esize`-byte elements) fit the device. */
static size_t sweep_sizes(clact_context *ctx, size_t esize, int need_y, size_t *sizes) {
  cl_device_id dev = clact_context_device(ctx);
  cl_ulong max_alloc = 0, global = 0;
  clGetDeviceInfo(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL);
  cl_ulong nbufs = need_y ? 4 : 3;
  size_t count = 0;
  for (int e = SWEEP_MIN_LOG2; e <= SWEEP_MAX_LOG2; e += SWEEP_STEP_LOG2) {
    cl_ulong bytes = (cl_ulong)esize << e;
    if (bytes > max_alloc || bytes > global / nbufs) {
      fprintf(stderr, "clact bench: --sweep stops at 2^%d: 2^%d elements do not fit the device\n",
              e - SWEEP_STEP_LOG2, e);
      break;
    }
    sizes[count++] = (size_t)1 << e;
  }
  return count;
}

enum {
  OPT_N,
  OPT_SWEEP,
  OPT_DTYPE,
  OPT_DEVICE,
  OPT_TIME,
  OPT_JSON,
  OPT_CSV,
  OPT_COMPARE,
  OPT_HOST,
  OPT_WIDTH,
  OPT_VERBOSE,
  NOPTS
};

/* The options that need no device; returns the exit code. */
static int parse_options(const cli_opt *opts, uint64_t *n, double *target, unsigned *width) {
  int rc = CLI_EXIT_OK;
  /* n x 4 bytes must be addressable; the device's own limits are checked at allocation. */
  if (opts[OPT_N].value && opts[OPT_SWEEP].value) {
    fprintf(stderr, "clact bench: give --n or --sweep, not both\n");
    return CLI_EXIT_USAGE;
  }
  if (opts[OPT_N].value)
    rc = cli_parse_u64("bench", "--n", opts[OPT_N].value, 1, (uint64_t)(SIZE_MAX / 8), n);
  if (rc == CLI_EXIT_OK && opts[OPT_TIME].value)
    rc = cli_parse_double("bench", "--time", opts[OPT_TIME].value, 0, 60, target);
  uint64_t w = 0;
  if (rc == CLI_EXIT_OK && opts[OPT_WIDTH].value) {
    rc = cli_parse_u64("bench", "--width", opts[OPT_WIDTH].value, 1, 16, &w);
    if (rc == CLI_EXIT_OK && (w & (w - 1)) != 0) {
      fprintf(stderr, "clact bench: --width must be 1, 2, 4, 8 or 16, not %s\n",
              opts[OPT_WIDTH].value);
      rc = CLI_EXIT_USAGE;
    }
  }
  *width = (unsigned)w;
  const char *json = opts[OPT_JSON].value, *csv = opts[OPT_CSV].value;
  if (rc == CLI_EXIT_OK && ((json && !*json) || (csv && !*csv))) {
    fprintf(stderr, "clact bench: --%s needs a file name, or '-' for stdout\n",
            json && !*json ? "json" : "csv");
    rc = CLI_EXIT_USAGE;
  }
  if (rc == CLI_EXIT_OK && json && csv && strcmp(json, "-") == 0 && strcmp(csv, "-") == 0) {
    fprintf(stderr, "clact bench: --json and --csv cannot both go to stdout ('-'): give one a "
                    "file name\n");
    rc = CLI_EXIT_USAGE;
  }
  if (rc == CLI_EXIT_OK && opts[OPT_COMPARE].value && !*opts[OPT_COMPARE].value) {
    fprintf(stderr, "clact bench: --compare needs the file name of an earlier --json output\n");
    rc = CLI_EXIT_USAGE;
  }
  return rc;
}

int cli_cmd_bench(int argc, char **argv) {
  cli_opt opts[NOPTS] = {
      {"--n", "N", NULL},        {"--sweep", NULL, NULL},     {"--dtype", "T", NULL},
      {"--device", "P:D", NULL}, {"--time", "SECONDS", NULL}, {"--json", "FILE|-", NULL},
      {"--csv", "FILE|-", NULL}, {"--compare", "FILE", NULL}, {"--host", NULL, NULL},
      {"--width", "W", NULL},    {"--verbose", NULL, NULL}};
  int npos;
  int rc = cli_parse_args("bench", usage, argc, argv, opts, NOPTS, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  uint64_t n = DEFAULT_N;
  double target = DEFAULT_TIME;
  unsigned width = 0;
  rc = parse_options(opts, &n, &target, &width);
  if (rc != CLI_EXIT_OK)
    return rc;
  /* Names of structured operations (softmax, ...) go their own way; no name at all: all of
   * both kinds. */
  clact_structured sops[CLACT_STRUCTURED_COUNT];
  size_t nsops = 0;
  clact_channel_op cops[CLACT_CHANNEL_COUNT];
  size_t ncops = 0;
  clact_activation acts[CLACT_ACTIVATION_COUNT];
  size_t nacts = 0;
  rc = cli_select_ops("bench", argv + 1, npos, acts, &nacts, sops, &nsops, cops, &ncops);
  if (rc != CLI_EXIT_OK)
    return rc;
  /* The baseline is read before any measurement: a bad file fails fast. */
  bench_ref *refs = NULL;
  size_t nrefs = 0;
  if (opts[OPT_COMPARE].value) {
    rc = bench_json_load(opts[OPT_COMPARE].value, &refs, &nrefs);
    if (rc != CLI_EXIT_OK)
      return rc;
  }
  clact_context *ctx = NULL;
  rc = cli_open_context("bench", opts[OPT_DEVICE].value, &ctx);
  if (rc != CLI_EXIT_OK) {
    free(refs);
    return rc;
  }
  if (width) /* (valid: checked above) */
    clact_context_set_vector_width(ctx, width);
  clact_dtype dtypes[CLACT_DTYPE_COUNT];
  size_t ndtypes;
  rc = cli_select_dtypes("bench", opts[OPT_DTYPE].value, ctx, dtypes, &ndtypes);
  static cli_job jobs[CLI_MAX_JOBS];
  size_t njobs = rc == CLI_EXIT_OK ? cli_jobs(acts, nacts, dtypes, ndtypes, jobs) : 0;
  int need_y = 0;
  for (size_t i = 0; i < njobs; i++)
    need_y |= jobs[i].dir == CLACT_BACKWARD_FROM_Y;
  size_t esize = 0; /* the widest element among the dtypes run */
  for (size_t i = 0; rc == CLI_EXIT_OK && i < ndtypes; i++)
    esize = clact_dtype_size(dtypes[i]) > esize ? clact_dtype_size(dtypes[i]) : esize;
  size_t sizes[MAX_SIZES] = {(size_t)n};
  size_t nsizes = 1;
  if (rc == CLI_EXIT_OK && opts[OPT_SWEEP].value) {
    nsizes = sweep_sizes(ctx, esize, need_y, sizes);
    if (nsizes == 0) {
      fprintf(stderr, "clact bench: the device cannot hold even 2^%d elements\n", SWEEP_MIN_LOG2);
      rc = CLI_EXIT_DEVICE;
    }
  }
  row *rows = rc == CLI_EXIT_OK && njobs > 0 ? calloc(njobs * nsizes, sizeof *rows) : NULL;
  if (rc == CLI_EXIT_OK && njobs > 0 && !rows) {
    fprintf(stderr, "clact bench: out of host memory\n");
    rc = CLI_EXIT_DEVICE;
  }
  bench_bufs b;
  memset(&b, 0, sizeof b);
  if (rc == CLI_EXIT_OK && njobs > 0)
    rc = alloc_bufs(ctx, sizes[nsizes - 1], esize, need_y, &b);
  if (rc == CLI_EXIT_OK && njobs > 0 && opts[OPT_HOST].value) {
    rc = alloc_host(&b, need_y);
    if (rc != CLI_EXIT_OK)
      release_bufs(&b);
  }
  const char *json = opts[OPT_JSON].value, *csv = opts[OPT_CSV].value;
  int to_stdout = (json && strcmp(json, "-") == 0) || (csv && strcmp(csv, "-") == 0);
  FILE *table = to_stdout ? stderr : stdout; /* stdout carries only the JSON or CSV then */
  if (rc == CLI_EXIT_OK && njobs > 0) {
    run_info ri;
    cli_describe_device(clact_context_device(ctx), &ri.dev);
    ri.width = clact_context_vector_width(ctx);
    ri.target = target;
    ri.host = opts[OPT_HOST].value != NULL;
    print_table_header(table, &ri, sizes, nsizes, dtypes, ndtypes);
    if (opts[OPT_VERBOSE].value)
      fprintf(table,
              "launch: %u elements per work-item (vector width: --width, else the device's "
              "preferred float width, at least 8 on CPUs and 4 on other devices), work-groups of "
              "256 work-items (fewer where a "
              "kernel allows less), one work-item per vector, tail handled in the last one\n",
              ri.width);
    if (opts[OPT_VERBOSE].value) {
      size_t sb = clact_context_stream_bytes(ctx);
      if (sb == SIZE_MAX)
        fprintf(table, "stores: ordinary (no streaming stores on this device, or CLACT_STREAM=off)"
                       "\n\n");
      else
        fprintf(table,
                "stores: streaming (non-temporal) where a call reads and writes >= %zu bytes "
                "(the device's cache size; CLACT_STREAM=on|off), else ordinary\n\n",
                sb);
    }
    rc = run_jobs(ctx, jobs, njobs, sizes, nsizes, &b, target, table, rows);
    size_t nrows = njobs * nsizes;
    int host_clock = 0;
    for (size_t i = 0; rc == CLI_EXIT_OK && i < nrows; i++)
      host_clock |= rows[i].s.host_clock || rows[i].copy.host_clock;
    if (host_clock)
      fprintf(table, "* some launches had no profiling info: timed by the host clock around "
                     "clFinish\n");
    if (rc == CLI_EXIT_OK && refs)
      print_comparison(table, opts[OPT_COMPARE].value, rows, nrows, refs, nrefs);
    if (rc == CLI_EXIT_OK)
      rc = emit(json, write_json, &ri, rows, nrows);
    int rc2 = rc == CLI_EXIT_OK ? emit(csv, write_csv, &ri, rows, nrows) : rc;
    rc = rc == CLI_EXIT_OK ? rc2 : rc;
    release_bufs(&b);
  }
  /* The structured operations, at their default shapes, after the activations (table only:
   * not in --json/--csv). */
  for (size_t i = 0; rc == CLI_EXIT_OK && i < nsops; i++)
    for (size_t t = 0; rc == CLI_EXIT_OK && t < ndtypes; t++) {
      if (i == 0 && t == 0 && njobs > 0)
        fputc('\n', table);
      rc = cli_bench_structured(ctx, clact_structured_get_info(sops[i])->name, dtypes[t], target,
                                table);
    }
  /* The per-channel operations at their default shape (16 x 64 x 16384; table only). */
  for (size_t i = 0; rc == CLI_EXIT_OK && i < ncops; i++)
    for (size_t t = 0; rc == CLI_EXIT_OK && t < ndtypes; t++) {
      if (i == 0 && t == 0 && (njobs > 0 || nsops > 0))
        fputc('\n', table);
      rc = cli_channel_bench(ctx, cops[i], dtypes[t], 0, 0, 0, 0, target, table);
    }
  free(rows);
  free(refs);
  clact_context_destroy(ctx);
  return rc;
}
