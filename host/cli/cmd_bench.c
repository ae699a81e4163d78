/* host/cli/cmd_bench.c: `clact bench [ID...]`: DESIGN.md's benchmark protocol, float32, for
 * every direction of the chosen activations: buffers allocated and touched once, compile time
 * apart (clact_prepare), warm-up, launches calibrated to a target time and timed one by one with
 * profiling events, min/median/max, G elements/s, GB/s from the registry's elements moved, and
 * the ratio to the copy kernel measured just before each row (the machine is shared and noisy:
 * interleaving keeps both figures under the same conditions). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: clact bench [ID...] [--n N] [--dtype T] [--device P:D] [--time SECONDS]\n"
    "                   [--json FILE|-]\n"
    "\n"
    "Measures throughput for each activation given by id or synonym (none: all) and\n"
    "each direction it has, on one device. Buffers are allocated once and written before\n"
    "timing (x uniform in [-8, 8], dy in [-2, 2], y = the forward output); the compile time is\n"
    "reported apart (clact_prepare; 0 = already built); after a warm-up, launches repeat until\n"
    "the target time (at least 10, at most 10000), each timed by its own profiling event (the\n"
    "host clock around clFinish where the device gives none). GB/s = n x elements moved (the\n"
    "registry's: forward 2, backward 3) x element size / median; ratio = GB/s over the copy\n"
    "kernel's GB/s (2 elements per element, same dtype), measured right before each row.\n"
    "\n"
    "options:\n"
    "  --n N            elements per launch, N >= 1 (default 16777216)\n"
    "  --dtype T        f32 (default), f16, bf16, a comma-separated list, or all (what the\n"
    "                   device supports)\n"
    "  --device P:D     device (see 'clact devices'); default $CLACT_DEVICE, else the first\n"
    "                   GPU, else the first device\n"
    "  --time SECONDS   target time of each measurement, in (0, 60] (default 0.3)\n"
    "  --json FILE|-    also write the results as JSON to FILE (written whole, then renamed\n"
    "                   into place), or to stdout with '-' (the table then goes to stderr)\n"
    "\n"
    "Exit status: 0 done, 2 usage error, 3 unknown activation or FILE not writable,\n"
    "4 device or OpenCL error (e.g. out of device memory, a kernel build failure).\n";

#define DEFAULT_N ((uint64_t)1 << 24)
#define DEFAULT_TIME 0.3
#define MIN_LAUNCHES 10
#define MAX_LAUNCHES 10000
#define WARMUP_MIN 3        /* launches after the first (which may compile or fault pages in) */
#define WARMUP_FRACTION 0.1 /* of the target time */
#define FILL_CHUNK ((size_t)1 << 20)

typedef struct bench_bufs {
  cl_mem x, dy, y, out; /* y only when a backward_from_y row is run */
  size_t n;
} bench_bufs;

typedef struct stats {
  double min_ms, median_ms, max_ms;
  size_t launches;
  int host_clock; /* some launch had no profiling info */
} stats;

typedef struct row {
  cli_job job;
  double compile_ms;
  stats s, copy;
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

/* Writes pseudo-random values uniform in [-scale, scale] (as elements of `dtype`) to every
 * element: this also takes the first-touch page faults (35x slower on PoCL) out of the timed
 * launches. `host` holds FILL_CHUNK floats. */
static cl_int fill_random(cl_command_queue q, cl_mem m, size_t n, clact_dtype dtype, float scale,
                          uint64_t seed, float *host) {
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
      } else {
        host[i] = v;
      }
    }
    /* Blocking, so `host` can be refilled for the next chunk. */
    err = clEnqueueWriteBuffer(q, m, CL_TRUE, first * esize, len * esize, host, 0, NULL, NULL);
  }
  return err;
}

/* Fills x and dy with data of `dtype` (the buffers hold n elements of the largest size). */
static int fill_inputs(clact_context *ctx, const bench_bufs *b, clact_dtype dtype) {
  float *host = malloc(FILL_CHUNK * sizeof *host);
  cl_command_queue q = clact_context_queue(ctx);
  cl_int err = host ? CL_SUCCESS : CL_OUT_OF_HOST_MEMORY;
  if (err == CL_SUCCESS)
    err = fill_random(q, b->x, b->n, dtype, 8.0f, 0x5EED0001ull, host);
  if (err == CL_SUCCESS)
    err = fill_random(q, b->dy, b->n, dtype, 2.0f, 0x5EED0002ull, host);
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
}

/* Allocates and touches the buffers; on error prints why and returns the exit code. */
static int alloc_bufs(clact_context *ctx, size_t n, int need_y, bench_bufs *b) {
  cl_device_id dev = clact_context_device(ctx);
  cl_ulong max_alloc = 0, global = 0;
  clGetDeviceInfo(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL);
  size_t bytes = n * sizeof(float); /* cannot overflow: --n is bounded by SIZE_MAX / 4 */
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
static clact_status launch(clact_context *ctx, const bench_bufs *b, const cli_job *job,
                           clact_dtype dtype, cl_event *ev) {
  if (!job)
    return clact_copy(ctx, dtype, b->n, b->x, 0, b->out, 0, ev);
  switch (job->dir) {
  case CLACT_FORWARD:
    return clact_forward(ctx, job->act, dtype, NULL, b->n, b->x, 0, b->out, 0, ev);
  case CLACT_BACKWARD:
    return clact_backward(ctx, job->act, dtype, NULL, b->n, b->x, 0, b->dy, 0, b->out, 0, ev);
  default:
    return clact_backward_from_y(ctx, job->act, dtype, NULL, b->n, b->y, 0, b->dy, 0, b->out, 0,
                                 ev);
  }
}

/* Runs one launch to completion; its duration in ms from the profiling event, else from the
 * host clock around clFinish. */
static clact_status timed_launch(clact_context *ctx, const bench_bufs *b, const cli_job *job,
                                 clact_dtype dtype, double *ms, int *host_clock) {
  cl_command_queue q = clact_context_queue(ctx);
  cl_event ev = NULL;
  double t0 = cli_now();
  clact_status st = launch(ctx, b, job, dtype, &ev);
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
static clact_status measure(clact_context *ctx, const bench_bufs *b, const cli_job *job,
                            clact_dtype dtype, double target_s, double *times, stats *s) {
  double ms;
  memset(s, 0, sizeof *s);
  clact_status st = timed_launch(ctx, b, job, dtype, &ms, &s->host_clock);
  double t0 = cli_now();
  for (int i = 0;
       st == CLACT_SUCCESS && (i < WARMUP_MIN || cli_now() - t0 < target_s * WARMUP_FRACTION); i++)
    st = timed_launch(ctx, b, job, dtype, &ms, &s->host_clock);
  s->host_clock = 0; /* only the timed launches count */
  size_t k = 0;
  t0 = cli_now();
  while (st == CLACT_SUCCESS && k < MAX_LAUNCHES && (k < MIN_LAUNCHES || cli_now() - t0 < target_s))
    st = timed_launch(ctx, b, job, dtype, &times[k++], &s->host_clock);
  if (st != CLACT_SUCCESS)
    return st;
  qsort(times, k, sizeof *times, cmp_double);
  s->launches = k;
  s->min_ms = times[0];
  s->max_ms = times[k - 1];
  s->median_ms = k % 2 ? times[k / 2] : (times[k / 2 - 1] + times[k / 2]) / 2;
  return CLACT_SUCCESS;
}

/* ---- output ----------------------------------------------------------------------------- */
static void print_table_header(FILE *f, const cli_device_desc *d, size_t n, double target,
                               const clact_dtype *dtypes, size_t ndtypes) {
  fprintf(f, "clact %s bench on device %s: %s (%s, driver %s)\n", clact_version(), d->index,
          d->name, d->platform, d->driver);
  for (size_t i = 0; i < ndtypes; i++)
    fprintf(f, "%s%s", i ? ", " : "", clact_dtype_name(dtypes[i]));
  fprintf(f,
          "; n = %zu; target %g s per measurement; ratio = GB/s / copy GB/s (same dtype) "
          "measured just before\n\n",
          n, target);
  fprintf(f, "%-14s  %-15s  %-5s  %10s  %10s  %9s  %9s  %9s  %8s  %8s  %9s  %5s\n", "activation",
          "direction", "dtype", "n", "compile ms", "median ms", "min ms", "max ms", "Gelem/s",
          "GB/s", "copy GB/s", "ratio");
}

static void print_row(FILE *f, const row *r, size_t n) {
  fprintf(f,
          "%-14s  %-15s  %-5s  %10zu  %10.1f  %9.3f  %9.3f  %9.3f  %8.3f  %8.2f  %9.2f  %5.2f%s\n",
          clact_name(r->job.act), clact_direction_name(r->job.dir), clact_dtype_name(r->job.dtype),
          n, r->compile_ms, r->s.median_ms, r->s.min_ms, r->s.max_ms, r->gelem_per_s, r->gb_per_s,
          r->copy_gb_per_s, r->ratio, r->s.host_clock || r->copy.host_clock ? " *" : "");
}

static void write_json(FILE *f, const cli_device_desc *d, size_t n, const row *rows, size_t nrows) {
  fputs("{\"device\": ", f);
  cli_json_string(f, d->name);
  fputs(", \"driver\": ", f);
  cli_json_string(f, d->driver);
  fputs(", \"clact\": ", f);
  cli_json_string(f, clact_version());
  fputs(", \"results\": [", f);
  for (size_t i = 0; i < nrows; i++) {
    const row *r = &rows[i];
    fputs(i ? ",\n  {\"activation\": " : "\n  {\"activation\": ", f);
    cli_json_string(f, clact_name(r->job.act));
    fputs(", \"direction\": ", f);
    cli_json_string(f, clact_direction_name(r->job.dir));
    fputs(", \"dtype\": ", f);
    cli_json_string(f, clact_dtype_name(r->job.dtype));
    fprintf(f, ", \"n\": %zu, \"gelem_per_s\": ", n);
    cli_json_number(f, cli_round_sig(r->gelem_per_s, 6));
    fputs(", \"gb_per_s\": ", f);
    cli_json_number(f, cli_round_sig(r->gb_per_s, 6));
    fputs(", \"ratio_to_copy\": ", f);
    cli_json_number(f, cli_round_sig(r->ratio, 6));
    fputs(", \"median_ms\": ", f);
    cli_json_number(f, cli_round_sig(r->s.median_ms, 6));
    fputs(", \"min_ms\": ", f);
    cli_json_number(f, cli_round_sig(r->s.min_ms, 6));
    fputs(", \"max_ms\": ", f);
    cli_json_number(f, cli_round_sig(r->s.max_ms, 6));
    fputs(", \"compile_ms\": ", f);
    cli_json_number(f, cli_round_sig(r->compile_ms, 6));
    fputs(", \"copy_gb_per_s\": ", f);
    cli_json_number(f, cli_round_sig(r->copy_gb_per_s, 6));
    fputc('}', f);
  }
  fputs("\n]}\n", f);
}

/* Writes the JSON to `path` through a temporary file in the same folder, renamed into place
 * only when everything was written: a reader never sees half a file. */
static int save_json(const char *path, const cli_device_desc *d, size_t n, const row *rows,
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
    write_json(f, d, n, rows, nrows);
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

/* ---- the run ---------------------------------------------------------------------------- */
/* Measures every job (copy first, then the job) into rows[]; returns the exit code. */
static int run_jobs(clact_context *ctx, const cli_job *jobs, size_t njobs, const bench_bufs *b,
                    double target, FILE *table, row *rows) {
  double *times = malloc(MAX_LAUNCHES * sizeof *times);
  if (!times) {
    fprintf(stderr, "clact bench: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  int rc = CLI_EXIT_OK;
  clact_status st = CLACT_SUCCESS;
  for (size_t i = 0; i < njobs && rc == CLI_EXIT_OK; i++) {
    row *r = &rows[i];
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
      st = measure(ctx, b, NULL, dtype, target, times, &discard);
      if (st != CLACT_SUCCESS) {
        rc = cli_report_status("bench", "copy (warm-up)", st, ctx);
        break;
      }
    }
    char what[96];
    snprintf(what, sizeof what, "%s %s %s", in->name, clact_direction_name(jobs[i].dir),
             clact_dtype_name(dtype));
    memset(r, 0, sizeof *r);
    r->job = jobs[i];
    st = clact_prepare(ctx, jobs[i].act, dtype, &r->compile_ms);
    /* y for backward_from_y is what a forward pass stores. */
    if (st == CLACT_SUCCESS && jobs[i].dir == CLACT_BACKWARD_FROM_Y) {
      st = clact_forward(ctx, jobs[i].act, dtype, NULL, b->n, b->x, 0, b->y, 0, NULL);
      if (st == CLACT_SUCCESS)
        st = (clact_status)clFinish(clact_context_queue(ctx));
    }
    if (st == CLACT_SUCCESS)
      st = measure(ctx, b, NULL, dtype, target, times, &r->copy);
    if (st == CLACT_SUCCESS)
      st = measure(ctx, b, &jobs[i], dtype, target, times, &r->s);
    if (st != CLACT_SUCCESS) {
      rc = cli_report_status("bench", what, st, ctx);
      break;
    }
    double n = (double)b->n;
    int moved = jobs[i].dir == CLACT_FORWARD ? in->fwd_elems : in->bwd_elems;
    r->gelem_per_s = n / (r->s.median_ms * 1e-3) * 1e-9;
    r->gb_per_s = n * moved * elem / (r->s.median_ms * 1e-3) * 1e-9;
    r->copy_gb_per_s = n * 2 * elem / (r->copy.median_ms * 1e-3) * 1e-9;
    r->ratio = r->gb_per_s / r->copy_gb_per_s;
    print_row(table, r, b->n);
    fflush(table);
  }
  free(times);
  return rc;
}

enum { OPT_N, OPT_DTYPE, OPT_DEVICE, OPT_TIME, OPT_JSON, NOPTS };

int cli_cmd_bench(int argc, char **argv) {
  cli_opt opts[NOPTS] = {{"--n", "N", NULL},
                         {"--dtype", "T", NULL},
                         {"--device", "P:D", NULL},
                         {"--time", "SECONDS", NULL},
                         {"--json", "FILE|-", NULL}};
  int npos;
  int rc = cli_parse_args("bench", usage, argc, argv, opts, NOPTS, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  uint64_t n = DEFAULT_N;
  double target = DEFAULT_TIME;
  /* n x 4 bytes must be addressable; the device's own limits are checked at allocation. */
  if (opts[OPT_N].value)
    rc = cli_parse_u64("bench", "--n", opts[OPT_N].value, 1, (uint64_t)(SIZE_MAX / sizeof(float)),
                       &n);
  if (rc == CLI_EXIT_OK && opts[OPT_TIME].value)
    rc = cli_parse_double("bench", "--time", opts[OPT_TIME].value, 0, 60, &target);
  const char *json = opts[OPT_JSON].value;
  if (rc == CLI_EXIT_OK && json && !*json) {
    fprintf(stderr, "clact bench: --json needs a file name, or '-' for stdout\n");
    rc = CLI_EXIT_USAGE;
  }
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_activation acts[CLACT_ACTIVATION_COUNT];
  size_t nacts;
  rc = cli_select_activations("bench", argv + 1, npos, acts, &nacts);
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_context *ctx = NULL;
  rc = cli_open_context("bench", opts[OPT_DEVICE].value, &ctx);
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_dtype dtypes[CLACT_DTYPE_COUNT];
  size_t ndtypes;
  rc = cli_select_dtypes("bench", opts[OPT_DTYPE].value, ctx, dtypes, &ndtypes);
  if (rc != CLI_EXIT_OK) {
    clact_context_destroy(ctx);
    return rc;
  }
  static cli_job jobs[CLI_MAX_JOBS];
  static row rows[CLI_MAX_JOBS];
  size_t njobs = cli_jobs(acts, nacts, dtypes, ndtypes, jobs);
  int need_y = 0;
  for (size_t i = 0; i < njobs; i++)
    need_y |= jobs[i].dir == CLACT_BACKWARD_FROM_Y;
  bench_bufs b;
  rc = alloc_bufs(ctx, (size_t)n, need_y, &b);
  if (rc == CLI_EXIT_OK) {
    cli_device_desc desc;
    cli_describe_device(clact_context_device(ctx), &desc);
    int json_stdout = json && strcmp(json, "-") == 0;
    FILE *table = json_stdout ? stderr : stdout; /* stdout carries only the JSON then */
    print_table_header(table, &desc, (size_t)n, target, dtypes, ndtypes);
    rc = run_jobs(ctx, jobs, njobs, &b, target, table, rows);
    int host_clock = 0;
    for (size_t i = 0; rc == CLI_EXIT_OK && i < njobs; i++)
      host_clock |= rows[i].s.host_clock || rows[i].copy.host_clock;
    if (host_clock)
      fprintf(table, "* some launches had no profiling info: timed by the host clock around "
                     "clFinish\n");
    if (rc == CLI_EXIT_OK && json_stdout)
      write_json(stdout, &desc, (size_t)n, rows, njobs);
    else if (rc == CLI_EXIT_OK && json)
      rc = save_json(json, &desc, (size_t)n, rows, njobs);
    release_bufs(&b);
  }
  clact_context_destroy(ctx);
  return rc;
}
