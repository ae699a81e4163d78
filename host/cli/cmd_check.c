/* host/cli/cmd_check.c: `clact check [ID...]`: runs clact_check (ACCURACY.md's sweep, edge
 * lists, random inputs, parameter sets and layout checks, float32) for every direction of the
 * chosen activations on one device, and prints per (activation, direction) PASS/FAIL, the max
 * error against its bound and where it occurred; a progress line with ETA on a terminal. The
 * structured operations (softmax, ...: include/clact/structured.def) are checked after them
 * with clact_check_rows over several row lengths (host/cli/structured_cli.c). */
#define _POSIX_C_SOURCE 200809L
#include "channel_cli.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: clact check [ID...] [--device P:D] [--dtype T] [--stride N] [--random N] [--seed S]\n"
    "                   [--quick | --exhaustive] [--digest] [--json | --markdown]\n"
    "\n"
    "Verifies device results against the double-precision reference (ACCURACY.md) for\n"
    "each activation given by id or synonym (none: all) and each direction it has: forward,\n"
    "backward, and backward_from_y where it exists with the default parameters. Every input\n"
    "set runs with outputs poisoned first: the float32 sweep, the edge lists, random inputs,\n"
    "the registry's alternative parameter sets, and the layout checks (sizes, offsets, in\n"
    "place, vector width 1 (f32, f64) and the default: bit-identical results).\n"
    "\n"
    "Max error: forward in ulp; backward in units of ulp+u|dy|M, i.e.\n"
    "|dx - dx_ref| / (ulp(dx_ref) + u |dy| M(x)), held to 4 for every activation.\n"
    "\n"
    "The structured operations (the softmax family, the GLU family, crelu, sparsemax, maxout,\n"
    "rrelu_train: along the rows of a matrix) are ids too; with no id they are checked after the\n"
    "activations: forward and backward on rows of length 1, 3, 33, 1000, 4096 and 2^20 (--quick:\n"
    "up to 4096), every kernel shape, special rows, padded pitches, in place, several parameter\n"
    "values (maxout's k, rrelu_train's seeds); docs/structured.md has the bounds. f64 in\n"
    "units of its 2^-45 bound (sparsemax forward: of 1 ulp + abs64(n) M_i, as f32's form).\n"
    "--stride and --random do not apply to them.\n"
    "The per-channel operations (prelu, apl: N x C x inner tensors) follow, forward and backward\n"
    "(dx and the weight gradients) in every dtype, f64 included (docs/channel.md).\n"
    "\n"
    "options:\n"
    "  --device P:D   device (see 'clact devices'); default $CLACT_DEVICE, else the first GPU,\n"
    "                 else the first device\n"
    "  --dtype T      f32 (default), f16, bf16, a comma-separated list, or all (what the device\n"
    "                 supports). f16 and bf16 are checked on every one of their 65536 inputs\n"
    "                 (backward with a set of dy): each result equal to the round-to-nearest-\n"
    "                 even of the f32 kernel's and within 1 ulp of the exact value (forward)\n"
    "  --stride N     sweep every N-th float32 bit pattern, N a power of two in [1, 2^31]\n"
    "                 (default 256; 1 = all 2^32 inputs, hours)\n"
    "  --random N     random inputs, N >= 1 (default 1048576)\n"
    "  --seed S       seed of the random inputs, S >= 1 (default 1)\n"
    "  --quick        a fast look: --stride 4096 --random 65536 (explicit options win)\n"
    "  --exhaustive   every one of the 2^32 float32 inputs (--stride 1); backward runs the\n"
    "                 sweep twice, with dy = 1 and with a pseudo-random dy per input; inputs\n"
    "                 are generated on the device. Prints the error histogram and the time\n"
    "                 of each. On 2 idle CPU cores (PoCL): 1-3 minutes per forward, 2-14\n"
    "                 per backward; every activation and direction 5-8 hours\n"
    "  --digest       no reference: run the same inputs and print a 64-bit digest of each\n"
    "                 row's result bits (input order) instead of errors, so that two kernel\n"
    "                 versions (CLACT_KERNEL_DIR) can be shown bit-identical on exactly these\n"
    "                 inputs (scripts/exhaustive.py carry). No layout checks; elementwise\n"
    "                 activations in f32, f16 and bf16 only\n"
    "  --json         print a JSON object instead of the table\n"
    "  --markdown     print a markdown table instead (docs/accuracy.md is made with it)\n"
    "\n"
    "Exit status: 0 all passed, 1 a check failed, 2 usage error, 3 unknown activation,\n"
    "4 device or OpenCL error (e.g. a kernel build failure: the build log is printed).\n";

#define DEFAULT_STRIDE 256
#define DEFAULT_RANDOM ((uint64_t)1 << 20)
#define QUICK_STRIDE 4096
#define QUICK_RANDOM 65536
#define MAX_RANDOM ((uint64_t)1 << 40) /* beyond this a run takes days */

/* The outcome of one (activation, direction). */
typedef struct outcome {
  cli_job job;
  int sop; /* -1: an activation (job.act) or a channel op; else a clact_structured */
  int cop; /* -1, or a clact_channel_op (job.dir, job.dtype) */
  clact_status st;
  clact_check_result r;
} outcome;

static const char *outcome_name(const outcome *o) {
  if (o->cop >= 0)
    return clact_channel_name((clact_channel_op)o->cop);
  return o->sop >= 0 ? clact_structured_get_info((clact_structured)o->sop)->name
                     : clact_name(o->job.act);
}

/* not one of the 58 elementwise activations (no clact_info) */
static int shaped(const outcome *o) {
  return o->sop >= 0 || o->cop >= 0;
}

/* backward of a structured operation is from y (the softmax family) */
static const char *outcome_dir(const outcome *o) {
  if (o->sop >= 0 && o->job.dir != CLACT_FORWARD &&
      clact_structured_get_info((clact_structured)o->sop)->backward_from_y)
    return clact_direction_name(CLACT_BACKWARD_FROM_Y);
  return clact_direction_name(o->job.dir);
}

/* ---- progress on a terminal ------------------------------------------------------------- */
typedef struct progress {
  int enabled; /* stderr is a terminal */
  size_t job, njobs;
  const char *name, *dir;
  double start, last;
} progress;

static void progress_clear(const progress *pr) {
  if (pr->enabled)
    fputs("\r\033[K", stderr);
}

static void on_progress(double fraction, void *user) {
  progress *pr = user;
  double now = cli_now();
  if (now - pr->last < 0.25 && fraction < 1)
    return; /* a few updates a second are enough and keep the terminal cheap */
  pr->last = now;
  /* Every job counts the same: crude, but the ETA settles as jobs finish. */
  double overall = ((double)pr->job + fraction) / (double)pr->njobs;
  double elapsed = now - pr->start;
  fprintf(stderr, "\r\033[K[%zu/%zu] %s %s %3.0f%%, all %3.0f%%, %.0f s elapsed", pr->job + 1,
          pr->njobs, pr->name, pr->dir, 100 * fraction, 100 * overall, elapsed);
  if (overall > 0.005)
    fprintf(stderr, ", ETA %.0f s", elapsed * (1 - overall) / overall);
  fflush(stderr);
}

/* ---- text output ------------------------------------------------------------------------ */
static void print_header(const cli_device_desc *d, const clact_check_options *o,
                         const clact_dtype *dtypes, size_t ndtypes) {
  printf("clact %s check on device %s: %s (%s, driver %s)\n", clact_version(), d->index, d->name,
         d->platform, d->driver);
  char sweep[64];
  if (o->sweep_stride == 1)
    snprintf(sweep, sizeof sweep, "all 2^32 float32 bit patterns");
  else
    snprintf(sweep, sizeof sweep, "every %uth float32 bit pattern", o->sweep_stride);
  printf("dtypes:");
  for (size_t i = 0; i < ndtypes; i++)
    printf("%s %s", i ? "," : "", clact_dtype_name(dtypes[i]));
  printf("; f32: sweep of %s, %llu random inputs, seed %llu, edge lists; f16/bf16: all 65536 "
         "inputs; f64: every exponent x random significands, specials, edges, random inputs; "
         "parameter sets; layout\n",
         sweep, (unsigned long long)o->random_count, (unsigned long long)o->seed);
  if (o->digest) {
    printf("digest: no reference, no layout checks; each row's result bits in input order, "
           "h = (h ^ bits) * 0x100000001B3 from 0xCBF29CE484222325\n\n");
    printf("%-6s  %-14s  %-15s  %-5s  %-16s  %10s  %8s\n", "result", "activation", "direction",
           "dtype", "digest", "results", "failures");
    return;
  }
  printf("max error: forward in ulp; backward in units of ulp+u|dy|M (ACCURACY.md: "
         "|dx-dx_ref| / (ulp(dx_ref) + u|dy|M(x))); f64: in units of the 2^-45 bound "
         "(docs/accuracy.md)\n\n");
  printf("%-6s  %-14s  %-15s  %-5s  %9s  %-9s  %10s  %8s  %s\n", "result", "activation",
         "direction", "dtype", "max error", "bound", "results", "failures", "worst at");
}

static void bound_of(const outcome *o, char *buf, size_t size) {
  if (o->cop >= 0 || (o->sop == CLACT_S_SPARSEMAX && o->job.dir == CLACT_FORWARD))
    /* channel ops, in units of their bounds; sparsemax, of 1 ulp + (4 + n) u^2 M_i */
    snprintf(buf, size, "\xe2\x89\xa4 1 (units)");
  else if (o->sop >= 0 && o->r.bound == 0)
    snprintf(buf, size, "bit-exact"); /* crelu, maxout, rrelu_train */
  else if (o->job.dtype == CLACT_F64)
    snprintf(buf, size, "\xe2\x89\xa4 1 (2^-45 rel)"); /* f64: in units of its bound */
  else if (o->sop >= 0 && o->job.dir == CLACT_FORWARD)
    snprintf(buf, size, "\xe2\x89\xa4 %.3g ulp", o->r.bound); /* 4 + 4nu at the longest row */
  else if (o->job.dir != CLACT_FORWARD)
    snprintf(buf, size, "\xe2\x89\xa4 %g", o->r.bound); /* "≤ 4" */
  else if (o->job.dtype != CLACT_F32)
    snprintf(buf, size, "\xe2\x89\xa4 1 ulp"); /* 16-bit formats: RNE of f32, <= 1 ulp */
  else
    cli_bound_text(clact_get_info(o->job.act)->accuracy, buf, size);
}

static void print_outcome(const outcome *o, int digest) {
  const clact_info *in = shaped(o) ? NULL : clact_get_info(o->job.act);
  const clact_check_result *r = &o->r;
  const char *dir = outcome_dir(o);
  if (o->st != CLACT_SUCCESS && o->st != CLACT_ERROR_CHECK_FAILED) {
    printf("%-6s  %-14s  %-15s  %-5s  %s\n", "ERROR", outcome_name(o), dir,
           clact_dtype_name(o->job.dtype), clact_status_string(o->st));
    return;
  }
  if (digest) {
    printf("%-6s  %-14s  %-15s  %-5s  %016llx  %10llu  %8llu\n",
           o->st == CLACT_SUCCESS ? "DIGEST" : "FAIL", outcome_name(o), dir,
           clact_dtype_name(o->job.dtype), (unsigned long long)r->digest,
           (unsigned long long)r->count, (unsigned long long)r->failures);
    if (o->st == CLACT_ERROR_CHECK_FAILED)
      printf("        first failure: %s\n", r->message);
    return;
  }
  char bound[32];
  bound_of(o, bound, sizeof bound);
  printf("%-6s  %-14s  %-15s  %-5s  %9.3g  ", o->st == CLACT_SUCCESS ? "PASS" : "FAIL",
         outcome_name(o), dir, clact_dtype_name(o->job.dtype), r->max_err);
  cli_pad(stdout, bound, 9);
  printf("  %10llu  %8llu  ", (unsigned long long)r->count, (unsigned long long)r->failures);
  if (r->max_err == 0 && r->failures == 0) {
    printf("all exact\n"); /* no point stands out */
    return;
  }
  printf("%s=%.9g", strcmp(dir, clact_direction_name(CLACT_BACKWARD_FROM_Y)) == 0 ? "y" : "x",
         r->worst_x);
  if (o->job.dir != CLACT_FORWARD)
    printf(" dy=%.9g", r->worst_dy);
  printf(" got=%.9g expected=%.12g", r->worst_got, r->worst_ref);
  for (int p = 0; in && p < in->nparams; p++)
    printf("%s%s=%g%s", p ? ", " : " (", in->params[p].name, r->worst_p[p],
           p + 1 == in->nparams ? ")" : "");
  printf("\n");
  if (o->st == CLACT_ERROR_CHECK_FAILED)
    printf("        first failure: %s\n", r->message);
}

/* --exhaustive: the histogram of the errors, the count over the bound and the time taken. */
static void print_exhaustive(const outcome *o, double seconds) {
  const uint64_t *h = o->r.histogram;
  printf("        histogram {0, <=0.5, <=1, <=2, <=4, >4}: {%llu, %llu, %llu, %llu, %llu, %llu}; "
         "%llu over the bound; %.0f s\n",
         (unsigned long long)h[0], (unsigned long long)h[1], (unsigned long long)h[2],
         (unsigned long long)h[3], (unsigned long long)h[4], (unsigned long long)h[5],
         (unsigned long long)o->r.failures, seconds);
}

/* ---- JSON output ------------------------------------------------------------------------ */
static void print_json(const cli_device_desc *d, const clact_check_options *opt, const outcome *out,
                       size_t n, size_t passed, size_t failed, size_t errors, double elapsed) {
  FILE *f = stdout;
  fputs("{\"device\": ", f);
  cli_json_string(f, d->name);
  fputs(", \"device_index\": ", f);
  cli_json_string(f, d->index);
  fputs(", \"driver\": ", f);
  cli_json_string(f, d->driver);
  fputs(", \"clact\": ", f);
  cli_json_string(f, clact_version());
  fprintf(f, ", \"stride\": %u, \"random\": %llu, \"seed\": %llu,\n", opt->sweep_stride,
          (unsigned long long)opt->random_count, (unsigned long long)opt->seed);
  fputs(" \"results\": [", f);
  for (size_t i = 0; i < n; i++) {
    const outcome *o = &out[i];
    const clact_check_result *r = &o->r;
    const clact_info *in = shaped(o) ? NULL : clact_get_info(o->job.act);
    int ran = o->st == CLACT_SUCCESS || o->st == CLACT_ERROR_CHECK_FAILED;
    fputs(i ? ",\n  {\"activation\": " : "\n  {\"activation\": ", f);
    cli_json_string(f, outcome_name(o));
    fputs(", \"kind\": ", f);
    cli_json_string(f, o->cop >= 0 ? "channel" : o->sop >= 0 ? "structured" : "elementwise");
    fputs(", \"direction\": ", f);
    cli_json_string(f, outcome_dir(o));
    fputs(", \"dtype\": ", f);
    cli_json_string(f, clact_dtype_name(o->job.dtype));
    fprintf(f, ", \"result\": \"%s\"",
            o->st == CLACT_SUCCESS              ? "pass"
            : o->st == CLACT_ERROR_CHECK_FAILED ? "fail"
                                                : "error");
    if (!ran) {
      fputs(", \"error\": ", f);
      cli_json_string(f, clact_status_string(o->st));
      fprintf(f, ", \"status\": %d}", (int)o->st);
      continue;
    }
    fputs(", \"max_error\": ", f);
    cli_json_number(f, r->max_err);
    fputs(", \"bound\": ", f);
    cli_json_number(f, r->bound);
    fprintf(f, ", \"bit_exact\": %s",
            in && o->job.dir == CLACT_FORWARD && o->job.dtype == CLACT_F32 &&
                    in->accuracy == CLACT_ACCURACY_EXACT
                ? "true"
                : "false");
    fprintf(f, ", \"count\": %llu, \"failures\": %llu", (unsigned long long)r->count,
            (unsigned long long)r->failures);
    if (opt->digest)
      fprintf(f, ", \"digest\": \"%016llx\"", (unsigned long long)r->digest);
    fputs(", \"worst\": {\"x\": ", f);
    cli_json_number(f, r->worst_x);
    fputs(", \"dy\": ", f); /* forward has no dy */
    cli_json_number(f, o->job.dir == CLACT_FORWARD ? NAN : r->worst_dy);
    fputs(", \"got\": ", f);
    cli_json_number(f, r->worst_got);
    fputs(", \"expected\": ", f);
    cli_json_number(f, r->worst_ref);
    fputs(", \"params\": {", f);
    for (int p = 0; in && p < in->nparams; p++) {
      fputs(p ? ", " : "", f);
      cli_json_string(f, in->params[p].name);
      fputs(": ", f);
      cli_json_number(f, r->worst_p[p]);
    }
    fputs("}}", f);
    fprintf(f, ", \"histogram\": [%llu, %llu, %llu, %llu, %llu, %llu]",
            (unsigned long long)r->histogram[0], (unsigned long long)r->histogram[1],
            (unsigned long long)r->histogram[2], (unsigned long long)r->histogram[3],
            (unsigned long long)r->histogram[4], (unsigned long long)r->histogram[5]);
    fputs(", \"message\": ", f);
    cli_json_string(f, r->message);
    fputc('}', f);
  }
  fprintf(f, "\n ],\n \"passed\": %zu, \"failed\": %zu, \"errors\": %zu, \"elapsed_s\": ", passed,
          failed, errors);
  cli_json_number(f, cli_round_sig(elapsed, 6));
  fputs("}\n", f);
}

/* ---- markdown output -------------------------------------------------------------------- */
static void print_markdown(const cli_device_desc *d, const clact_check_options *opt,
                           const outcome *out, size_t n, size_t passed, size_t failed,
                           size_t errors) {
  char sweep[64];
  if (opt->sweep_stride == 1)
    snprintf(sweep, sizeof sweep, "all 2^32 float32 inputs");
  else
    snprintf(sweep, sizeof sweep, "every %u-th float32 bit pattern", opt->sweep_stride);
  printf("Measured by `clact check` %s on %s (driver %s): f32 over %s, the edge lists and %llu "
         "random inputs (seed %llu); f16 and bf16 over all 65536 inputs; with the registry's "
         "parameter sets. Forward: max error in ulp; backward: max |dx - dx_ref| / (ulp(dx_ref) "
         "+ u|dy|M(x)), bound 4.\n\n",
         clact_version(), d->name, d->driver, sweep, (unsigned long long)opt->random_count,
         (unsigned long long)opt->seed);
  printf("| activation | direction | dtype | bound | max error | at | results | failures |\n");
  printf("|---|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < n; i++) {
    const outcome *o = &out[i];
    const clact_check_result *r = &o->r;
    char bound[32];
    bound_of(o, bound, sizeof bound);
    printf("| %s | %s | %s | ", outcome_name(o), outcome_dir(o), clact_dtype_name(o->job.dtype));
    if (o->st != CLACT_SUCCESS && o->st != CLACT_ERROR_CHECK_FAILED) {
      printf("%s | error: %s | | | |\n", bound, clact_status_string(o->st));
      continue;
    }
    printf("%s | %.3g%s | ", bound, r->max_err, o->st == CLACT_SUCCESS ? "" : " (FAIL)");
    if (r->max_err == 0)
      printf("all exact");
    else if (o->job.dir == CLACT_FORWARD)
      printf("x = %.9g", r->worst_x);
    else
      printf("%s = %.9g, dy = %.9g", o->job.dir == CLACT_BACKWARD_FROM_Y ? "y" : "x", r->worst_x,
             r->worst_dy);
    printf(" | %llu | %llu |\n", (unsigned long long)r->count, (unsigned long long)r->failures);
  }
  printf("\n%zu passed, %zu failed, %zu stopped by an error.\n", passed, failed, errors);
}

/* ---- options ---------------------------------------------------------------------------- */
enum {
  OPT_DEVICE,
  OPT_DTYPE,
  OPT_STRIDE,
  OPT_RANDOM,
  OPT_SEED,
  OPT_QUICK,
  OPT_EXHAUSTIVE,
  OPT_DIGEST,
  OPT_JSON,
  OPT_MARKDOWN,
  NOPTS
};

/* Output formats. */
enum { FMT_TEXT, FMT_JSON, FMT_MARKDOWN };

static int parse_options(const cli_opt *opts, clact_check_options *o) {
  uint64_t v;
  int rc = CLI_EXIT_OK;
  memset(o, 0, sizeof *o);
  int quick = opts[OPT_QUICK].value != NULL;
  o->sweep_stride = quick ? QUICK_STRIDE : DEFAULT_STRIDE;
  o->random_count = quick ? QUICK_RANDOM : DEFAULT_RANDOM;
  o->seed = 1;
  if (opts[OPT_EXHAUSTIVE].value) {
    if (quick || opts[OPT_STRIDE].value) {
      fprintf(stderr, "clact check: --exhaustive checks every input: it cannot be combined with "
                      "--quick or --stride\n");
      return CLI_EXIT_USAGE;
    }
    o->exhaustive = 1;
    o->sweep_stride = 1;
  }
  if (opts[OPT_STRIDE].value) {
    rc = cli_parse_u64("check", "--stride", opts[OPT_STRIDE].value, 1, (uint64_t)1 << 31, &v);
    if (rc != CLI_EXIT_OK)
      return rc;
    /* The sweep tiles the 2^32 bit patterns only with a power-of-two stride. */
    if (v & (v - 1)) {
      fprintf(stderr,
              "clact check: --stride %llu is not a power of two; give 1, 2, 4, ..., "
              "2147483648 (e.g. 256)\n",
              (unsigned long long)v);
      return CLI_EXIT_USAGE;
    }
    o->sweep_stride = (unsigned)v;
  }
  /* 0 means "the default" to clact_check, so neither count nor seed may be 0 here. */
  if (opts[OPT_RANDOM].value) {
    rc = cli_parse_u64("check", "--random", opts[OPT_RANDOM].value, 1, MAX_RANDOM, &v);
    if (rc != CLI_EXIT_OK)
      return rc;
    o->random_count = v;
  }
  if (opts[OPT_SEED].value)
    rc = cli_parse_u64("check", "--seed", opts[OPT_SEED].value, 1, UINT64_MAX, &o->seed);
  o->digest = opts[OPT_DIGEST].value != NULL;
  return rc;
}

/* Runs every job; prints each line as it completes (text mode). Returns the exit code. */
static int run_jobs(clact_context *ctx, const clact_check_options *opt, const cli_job *jobs,
                    size_t njobs, int format, const cli_device_desc *desc,
                    const clact_dtype *dtypes, size_t ndtypes, const clact_structured *sops,
                    size_t nsops, const clact_channel_op *cops, size_t ncops, int quick) {
  /* the structured jobs after the activations: per dtype, per operation, forward and backward */
  size_t nall = njobs + (nsops + ncops) * 2 * ndtypes;
  outcome *out = calloc(nall ? nall : 1, sizeof *out);
  if (!out) {
    fprintf(stderr, "clact check: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  size_t nst = 0;
  for (size_t d = 0; d < ndtypes; d++)
    for (size_t k = 0; k < nsops; k++)
      for (int dir = 0; dir < 2; dir++) {
        outcome *o = &out[njobs + nst++];
        o->sop = (int)sops[k];
        o->cop = -1;
        o->job.dtype = dtypes[d];
        o->job.dir = dir ? CLACT_BACKWARD : CLACT_FORWARD;
      }
  /* then the per-channel operations (f64 too) */
  for (size_t d = 0; d < ndtypes; d++)
    for (size_t k = 0; k < ncops; k++)
      for (int dir = 0; dir < 2; dir++) {
        outcome *o = &out[njobs + nst++];
        o->sop = -1;
        o->cop = (int)cops[k];
        o->job.dtype = dtypes[d];
        o->job.dir = dir ? CLACT_BACKWARD : CLACT_FORWARD;
      }
  for (size_t i = 0; i < njobs; i++) {
    out[i].sop = -1;
    out[i].cop = -1;
  }
  progress pr = {isatty(STDERR_FILENO), 0, njobs + nst, "", "", cli_now(), 0};
  size_t passed = 0, failed = 0, errors = 0;
  if (format == FMT_TEXT) {
    print_header(desc, opt, dtypes, ndtypes);
    if (nsops)
      printf("(structured operations: %s; the bound column is in each operation's units, "
             "see clact list and docs/structured.md)\n",
             cli_structured_shapes_text(quick));
    if (ncops)
      printf("(per-channel operations: %s; max error in units of each output's bound, "
             "docs/channel.md)\n",
             cli_channel_shapes_text(quick));
  }
  fflush(stdout);
  for (size_t i = 0; i < njobs; i++) {
    outcome *o = &out[i];
    o->job = jobs[i];
    pr.job = i;
    pr.name = clact_name(jobs[i].act);
    pr.dir = clact_direction_name(jobs[i].dir);
    pr.last = 0;
    double job_start = cli_now();
    o->st = clact_check(ctx, jobs[i].act, jobs[i].dir, jobs[i].dtype, NULL, opt, &o->r,
                        pr.enabled ? on_progress : NULL, &pr);
    progress_clear(&pr);
    if (o->st == CLACT_SUCCESS) {
      passed++;
    } else if (o->st == CLACT_ERROR_CHECK_FAILED) {
      failed++;
    } else {
      char what[96];
      snprintf(what, sizeof what, "%s %s %s", pr.name, pr.dir, clact_dtype_name(jobs[i].dtype));
      cli_report_status("check", what, o->st, ctx);
      errors++;
    }
    if (format == FMT_TEXT) {
      print_outcome(o, opt->digest);
      if (opt->exhaustive && (o->st == CLACT_SUCCESS || o->st == CLACT_ERROR_CHECK_FAILED))
        print_exhaustive(o, cli_now() - job_start);
      fflush(stdout);
    }
  }
  for (size_t i = njobs; i < njobs + nst; i++) {
    outcome *o = &out[i];
    pr.job = i;
    pr.name = outcome_name(o);
    pr.dir = outcome_dir(o);
    if (pr.enabled)
      on_progress(0, &pr);
    o->st = o->cop >= 0 ? cli_check_channel(ctx, (clact_channel_op)o->cop, o->job.dir, o->job.dtype,
                                            opt->seed, quick, &o->r)
                        : cli_check_structured(ctx, (clact_structured)o->sop, o->job.dir,
                                               o->job.dtype, opt->seed, quick, &o->r);
    progress_clear(&pr);
    if (o->st == CLACT_SUCCESS) {
      passed++;
    } else if (o->st == CLACT_ERROR_CHECK_FAILED) {
      failed++;
    } else {
      char what[96];
      snprintf(what, sizeof what, "%s %s %s", pr.name, pr.dir, clact_dtype_name(o->job.dtype));
      cli_report_status("check", what, o->st, ctx);
      errors++;
    }
    if (format == FMT_TEXT) {
      print_outcome(o, opt->digest);
      fflush(stdout);
    }
  }
  njobs += nst;
  double elapsed = cli_now() - pr.start;
  if (format == FMT_JSON)
    print_json(desc, opt, out, njobs, passed, failed, errors, elapsed);
  else if (format == FMT_MARKDOWN)
    print_markdown(desc, opt, out, njobs, passed, failed, errors);
  else {
    printf("\n%zu passed, %zu failed", passed, failed);
    if (errors)
      printf(", %zu stopped by an error", errors);
    printf(" in %.1f s (seed %llu)\n", elapsed, (unsigned long long)opt->seed);
  }
  free(out);
  return errors ? CLI_EXIT_DEVICE : failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

int cli_cmd_check(int argc, char **argv) {
  cli_opt opts[NOPTS] = {{"--device", "P:D", NULL},    {"--dtype", "T", NULL},
                         {"--stride", "N", NULL},      {"--random", "N", NULL},
                         {"--seed", "S", NULL},        {"--quick", NULL, NULL},
                         {"--exhaustive", NULL, NULL}, {"--digest", NULL, NULL},
                         {"--json", NULL, NULL},       {"--markdown", NULL, NULL}};
  int npos;
  int rc = cli_parse_args("check", usage, argc, argv, opts, NOPTS, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_check_options opt;
  rc = parse_options(opts, &opt);
  if (rc != CLI_EXIT_OK)
    return rc;
  /* ids of structured operations go their own way; no id at all: everything */
  clact_structured sops[CLACT_STRUCTURED_COUNT];
  size_t nsops = 0;
  clact_channel_op cops[CLACT_CHANNEL_COUNT];
  size_t ncops = 0;
  clact_activation acts[CLACT_ACTIVATION_COUNT];
  size_t nacts = 0;
  rc = cli_select_ops("check", argv + 1, npos, acts, &nacts, sops, &nsops, cops, &ncops);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (opt.digest) {
    if (opts[OPT_MARKDOWN].value || (npos > 0 && (nsops || ncops))) {
      fprintf(stderr, "clact check: --digest applies to the elementwise activations, in the table "
                      "or --json\n");
      return CLI_EXIT_USAGE;
    }
    nsops = ncops = 0; /* (no id: every activation, not the row and channel operations) */
  }
  clact_context *ctx = NULL;
  rc = cli_open_context("check", opts[OPT_DEVICE].value, &ctx);
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_dtype dtypes[CLACT_DTYPE_COUNT];
  size_t ndtypes;
  rc = cli_select_dtypes("check", opts[OPT_DTYPE].value, ctx, dtypes, &ndtypes);
  for (size_t d = 0; rc == CLI_EXIT_OK && opt.digest && d < ndtypes; d++)
    if (dtypes[d] == CLACT_F64) {
      fprintf(stderr, "clact check: --digest is for f32, f16 and bf16, not f64\n");
      rc = CLI_EXIT_USAGE;
    }
  if (rc != CLI_EXIT_OK) {
    clact_context_destroy(ctx);
    return rc;
  }
  static cli_job jobs[CLI_MAX_JOBS];
  size_t njobs = cli_jobs(acts, nacts, dtypes, ndtypes, jobs);
  cli_device_desc desc;
  cli_describe_device(clact_context_device(ctx), &desc);
  if (opts[OPT_JSON].value && opts[OPT_MARKDOWN].value) {
    fprintf(stderr, "clact check: give one of --json and --markdown\n");
    clact_context_destroy(ctx);
    return CLI_EXIT_USAGE;
  }
  int format = opts[OPT_JSON].value ? FMT_JSON : opts[OPT_MARKDOWN].value ? FMT_MARKDOWN : FMT_TEXT;
  rc = run_jobs(ctx, &opt, jobs, njobs, format, &desc, dtypes, ndtypes, sops, nsops, cops, ncops,
                opts[OPT_QUICK].value != NULL);
  clact_context_destroy(ctx);
  return rc;
}
