/* host/cli/cli_util.c: helpers shared by the clact command's subcommands: option parsing,
 * strict numbers, device contexts and descriptions, activation selection, the job list of
 * check and bench, error reporting, and text/JSON output. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- options ---------------------------------------------------------------------------- */
int cli_parse_args(const char *cmd, const char *usage, int argc, char **argv, cli_opt *opts,
                   size_t nopts, int *npos) {
  int pos = 1, only_positional = 0;
  for (size_t i = 0; i < nopts; i++)
    opts[i].value = NULL;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (only_positional || a[0] != '-' || a[1] == '\0') {
      argv[pos++] = a; /* positional: compacted to the front, order kept ("-" is positional) */
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_positional = 1;
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage, stdout);
      return CLI_HELP;
    }
    const char *eq = strchr(a, '=');
    size_t len = eq ? (size_t)(eq - a) : strlen(a);
    cli_opt *o = NULL;
    for (size_t k = 0; k < nopts && !o; k++)
      if (strlen(opts[k].name) == len && strncmp(opts[k].name, a, len) == 0)
        o = &opts[k];
    if (!o) {
      fprintf(stderr, "clact %s: unknown option '%.*s' (run 'clact %s --help' for the options)\n",
              cmd, (int)len, a, cmd);
      return CLI_EXIT_USAGE;
    }
    if (!o->arg) {
      if (eq) {
        fprintf(stderr, "clact %s: option '%s' takes no value; give it as '%s' alone\n", cmd,
                o->name, o->name);
        return CLI_EXIT_USAGE;
      }
      o->value = "";
    } else if (eq) {
      o->value = eq + 1;
    } else if (i + 1 < argc) {
      o->value = argv[++i];
    } else {
      fprintf(stderr, "clact %s: option '%s' needs a value: '%s %s'\n", cmd, o->name, o->name,
              o->arg);
      return CLI_EXIT_USAGE;
    }
  }
  *npos = pos - 1;
  return CLI_EXIT_OK;
}

int cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t min, uint64_t max,
                  uint64_t *out) {
  /* strtoull skips blanks and accepts a sign (negating the value): demand a digit first. */
  if (text[0] >= '0' && text[0] <= '9') {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end == '\0' && errno == 0 && v >= min && v <= max) {
      *out = (uint64_t)v;
      return CLI_EXIT_OK;
    }
    if (*end == '\0') {
      fprintf(stderr, "clact %s: %s %s is out of range; give a whole number from %llu to %llu\n",
              cmd, opt, text, (unsigned long long)min, (unsigned long long)max);
      return CLI_EXIT_USAGE;
    }
  }
  fprintf(stderr,
          "clact %s: %s '%s' is not a whole number; give decimal digits only, from %llu to "
          "%llu\n",
          cmd, opt, text, (unsigned long long)min, (unsigned long long)max);
  return CLI_EXIT_USAGE;
}

int cli_parse_double(const char *cmd, const char *opt, const char *text, double lo, double hi,
                     double *out) {
  char *end = NULL;
  double v = NAN;
  /* strtod also takes blanks, "nan", "inf" and hex: demand a plain decimal. */
  int is_number =
      text[0] != '\0' && strchr("0123456789.+-", text[0]) != NULL && strpbrk(text, "xXnN") == NULL;
  if (is_number) {
    errno = 0;
    v = strtod(text, &end);
    is_number = *end == '\0';
  }
  if (!is_number) {
    fprintf(stderr, "clact %s: %s '%s' is not a number; give a decimal number in (%g, %g]\n", cmd,
            opt, text, lo, hi);
    return CLI_EXIT_USAGE;
  }
  if (errno == ERANGE || !(v > lo && v <= hi)) {
    fprintf(stderr, "clact %s: %s %s is out of range; give a number in (%g, %g]\n", cmd, opt, text,
            lo, hi);
    return CLI_EXIT_USAGE;
  }
  *out = v;
  return CLI_EXIT_OK;
}

/* ---- devices ---------------------------------------------------------------------------- */
void cli_device_string(cl_device_id dev, cl_device_info what, char *buf, size_t size) {
  size_t got = 0;
  /* Query the size first: a string longer than the buffer is an error for clGetDeviceInfo. */
  char *tmp = NULL;
  if (clGetDeviceInfo(dev, what, 0, NULL, &got) == CL_SUCCESS && got > 0 &&
      (tmp = malloc(got + 1)) != NULL && clGetDeviceInfo(dev, what, got, tmp, NULL) == CL_SUCCESS) {
    tmp[got] = '\0';
    snprintf(buf, size, "%s", tmp);
  } else {
    snprintf(buf, size, "?");
  }
  free(tmp);
}

void cli_platform_string(cl_platform_id plat, cl_platform_info what, char *buf, size_t size) {
  size_t got = 0;
  char *tmp = NULL;
  if (clGetPlatformInfo(plat, what, 0, NULL, &got) == CL_SUCCESS && got > 0 &&
      (tmp = malloc(got + 1)) != NULL &&
      clGetPlatformInfo(plat, what, got, tmp, NULL) == CL_SUCCESS) {
    tmp[got] = '\0';
    snprintf(buf, size, "%s", tmp);
  } else {
    snprintf(buf, size, "?");
  }
  free(tmp);
}

/* The "P:D" indices of a device as clact_context_create counts them (platforms in
 * clGetPlatformIDs order, devices in clGetDeviceIDs(CL_DEVICE_TYPE_ALL) order). */
static void device_index(cl_device_id dev, char *buf, size_t size) {
  snprintf(buf, size, "?");
  cl_uint np = 0;
  if (clGetPlatformIDs(0, NULL, &np) != CL_SUCCESS || np == 0)
    return;
  cl_platform_id *ps = malloc(np * sizeof *ps);
  if (ps && clGetPlatformIDs(np, ps, NULL) == CL_SUCCESS) {
    for (cl_uint p = 0; p < np; p++) {
      cl_uint nd = 0;
      if (clGetDeviceIDs(ps[p], CL_DEVICE_TYPE_ALL, 0, NULL, &nd) != CL_SUCCESS || nd == 0)
        continue;
      cl_device_id *ds = malloc(nd * sizeof *ds);
      if (ds && clGetDeviceIDs(ps[p], CL_DEVICE_TYPE_ALL, nd, ds, NULL) == CL_SUCCESS)
        for (cl_uint d = 0; d < nd; d++)
          if (ds[d] == dev)
            snprintf(buf, size, "%u:%u", (unsigned)p, (unsigned)d);
      free(ds);
    }
  }
  free(ps);
}

void cli_describe_device(cl_device_id dev, cli_device_desc *d) {
  device_index(dev, d->index, sizeof d->index);
  cli_device_string(dev, CL_DEVICE_NAME, d->name, sizeof d->name);
  cli_device_string(dev, CL_DEVICE_VENDOR, d->vendor, sizeof d->vendor);
  cli_device_string(dev, CL_DRIVER_VERSION, d->driver, sizeof d->driver);
  cli_device_string(dev, CL_DEVICE_VERSION, d->version, sizeof d->version);
  cl_platform_id plat;
  if (clGetDeviceInfo(dev, CL_DEVICE_PLATFORM, sizeof plat, &plat, NULL) == CL_SUCCESS)
    cli_platform_string(plat, CL_PLATFORM_NAME, d->platform, sizeof d->platform);
  else
    snprintf(d->platform, sizeof d->platform, "?");
}

int cli_open_context(const char *cmd, const char *spec, clact_context **ctx) {
  const char *env = getenv("CLACT_DEVICE");
  clact_status st = clact_context_create(ctx, spec);
  if (st == CLACT_SUCCESS)
    return CLI_EXIT_OK;
  /* Name where the device choice came from, so the user knows what to change. */
  char from[320];
  if (spec)
    snprintf(from, sizeof from, "--device %s", spec);
  else if (env && *env)
    snprintf(from, sizeof from, "CLACT_DEVICE=%s", env);
  else
    snprintf(from, sizeof from, "the default device");
  if (st == CLACT_ERROR_BAD_DEVICE_SPEC) {
    fprintf(stderr,
            "clact %s: %s: a device is given as PLATFORM:DEVICE indices, e.g. 0:0 (run "
            "'clact devices' to list them)\n",
            cmd, from);
    return CLI_EXIT_USAGE;
  }
  if (st == CLACT_ERROR_NO_DEVICE) {
    cl_uint np = 0;
    cl_int err = clGetPlatformIDs(0, NULL, &np);
    if (err != CL_SUCCESS || np == 0)
      fprintf(stderr,
              "clact %s: no OpenCL platform found (install pocl-opencl-icd or a GPU "
              "driver)\n",
              cmd);
    else
      fprintf(stderr, "clact %s: %s: no such device (run 'clact devices' to list them)\n", cmd,
              from);
    return CLI_EXIT_DEVICE;
  }
  fprintf(stderr, "clact %s: cannot open %s: %s (status %d)\n", cmd, from, clact_status_string(st),
          (int)st);
  return CLI_EXIT_DEVICE;
}

/* ---- activations and jobs --------------------------------------------------------------- */
int cli_select_activations(const char *cmd, char **names, int nnames, clact_activation *acts,
                           size_t *nacts) {
  size_t n = 0;
  if (nnames == 0) {
    for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++)
      acts[n++] = (clact_activation)a;
    *nacts = n;
    return CLI_EXIT_OK;
  }
  for (int i = 0; i < nnames; i++) {
    clact_activation act;
    if (clact_lookup(names[i], &act) != CLACT_SUCCESS) {
      fprintf(stderr,
              "clact %s: unknown activation '%s' (run 'clact list' to see the ids and "
              "synonyms)\n",
              cmd, names[i]);
      return CLI_EXIT_INPUT;
    }
    int seen = 0;
    for (size_t k = 0; k < n; k++)
      seen |= acts[k] == act;
    if (!seen)
      acts[n++] = act;
  }
  *nacts = n;
  return CLI_EXIT_OK;
}

size_t cli_jobs(const clact_activation *acts, size_t nacts, const clact_dtype *dtypes,
                size_t ndtypes, cli_job *jobs) {
  size_t n = 0;
  for (size_t d = 0; d < ndtypes; d++) {
    for (size_t i = 0; i < nacts; i++) {
      jobs[n++] = (cli_job){acts[i], CLACT_FORWARD, dtypes[d]};
      jobs[n++] = (cli_job){acts[i], CLACT_BACKWARD, dtypes[d]};
      if (clact_has_backward_from_y(acts[i], NULL) == CLACT_SUCCESS)
        jobs[n++] = (cli_job){acts[i], CLACT_BACKWARD_FROM_Y, dtypes[d]};
    }
  }
  return n;
}

int cli_select_dtypes(const char *cmd, const char *text, const clact_context *ctx,
                      clact_dtype *dtypes, size_t *n) {
  *n = 0;
  if (!text) {
    dtypes[(*n)++] = CLACT_F32;
    return CLI_EXIT_OK;
  }
  if (strcmp(text, "all") == 0) {
    for (int d = 0; d < CLACT_DTYPE_COUNT; d++)
      if (clact_context_supports(ctx, (clact_dtype)d) == CLACT_SUCCESS)
        dtypes[(*n)++] = (clact_dtype)d;
    return CLI_EXIT_OK;
  }
  char buf[64];
  size_t len = strlen(text);
  if (len >= sizeof buf || !*text) {
    fprintf(stderr,
            "clact %s: --dtype '%s' is not a dtype: give f32, f16, bf16, f64, a "
            "comma-separated list of them, or all\n",
            cmd, text);
    return CLI_EXIT_USAGE;
  }
  memcpy(buf, text, len + 1);
  for (char *s = buf, *end; s; s = end ? end + 1 : NULL) {
    end = strchr(s, ',');
    if (end)
      *end = '\0';
    clact_dtype d;
    if (clact_dtype_lookup(s, &d) != CLACT_SUCCESS) {
      fprintf(stderr,
              "clact %s: --dtype '%s' is not a dtype: give f32, f16, bf16, f64, a "
              "comma-separated list of them, or all\n",
              cmd, s);
      return CLI_EXIT_USAGE;
    }
    if (clact_context_supports(ctx, d) != CLACT_SUCCESS) {
      fprintf(stderr,
              "clact %s: %s is not available on this device (%s; 'clact devices' lists the "
              "dtypes of each device, --dtype all takes what it supports)\n",
              cmd, s,
              d == CLACT_F64 ? "unsupported on this device: f64 needs cl_khr_fp64"
                             : "the device lacks the extension");
      return CLI_EXIT_DEVICE;
    }
    int seen = 0;
    for (size_t i = 0; i < *n; i++)
      seen |= dtypes[i] == d;
    if (!seen)
      dtypes[(*n)++] = d;
  }
  return CLI_EXIT_OK;
}

int cli_report_status(const char *cmd, const char *what, clact_status st,
                      const clact_context *ctx) {
  fprintf(stderr, "clact %s: %s: %s (status %d)\n", cmd, what, clact_status_string(st), (int)st);
  if (st == CLACT_ERROR_BUILD_FAILED)
    fprintf(stderr, "build log:\n%s\n", clact_build_log(ctx));
  switch (st) {
  case CLACT_ERROR_CHECK_FAILED:
    return CLI_EXIT_FAIL;
  case CLACT_ERROR_BAD_DEVICE_SPEC:
  case CLACT_ERROR_INVALID_VALUE:
    return CLI_EXIT_USAGE;
  case CLACT_ERROR_UNKNOWN_ACTIVATION:
  case CLACT_ERROR_UNKNOWN_PARAMETER:
  case CLACT_ERROR_PARAMETER_RANGE:
    return CLI_EXIT_INPUT;
  default:
    return CLI_EXIT_DEVICE;
  }
}

/* ---- text ------------------------------------------------------------------------------- */
const char *cli_bound_text(clact_accuracy acc, char *buf, size_t size) {
  double ulp = clact_accuracy_ulp(acc);
  if (ulp == 0)
    snprintf(buf, size, "bit-exact");
  else
    snprintf(buf, size, "\xe2\x89\xa4 %g ulp", ulp); /* "≤ N ulp" */
  return buf;
}

static void bound_value(double v, char *buf, size_t size) {
  if (isinf(v))
    snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
  else
    snprintf(buf, size, "%g", v);
}

const char *cli_range_text(const clact_param_info *p, char *buf, size_t size) {
  char lo[32], hi[32];
  bound_value(p->min, lo, sizeof lo);
  bound_value(p->max, hi, sizeof hi);
  snprintf(buf, size, "%c%s, %s%c", (p->flags & CLACT_PARAM_MIN_OPEN) ? '(' : '[', lo, hi,
           (p->flags & CLACT_PARAM_MAX_OPEN) ? ')' : ']');
  return buf;
}

void cli_pad(FILE *f, const char *s, int width) {
  /* Columns are counted in code points (UTF-8 continuation bytes do not advance the cursor),
   * so "≤ 4 ulp" lines up with ASCII entries. */
  int cols = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    cols += (*p & 0xC0) != 0x80;
  fputs(s, f);
  for (; cols < width; cols++)
    fputc(' ', f);
}

double cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- JSON ------------------------------------------------------------------------------- */
void cli_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      fputs("\\\"", f);
      break;
    case '\\':
      fputs("\\\\", f);
      break;
    case '\n':
      fputs("\\n", f);
      break;
    case '\r':
      fputs("\\r", f);
      break;
    case '\t':
      fputs("\\t", f);
      break;
    default:
      if (*p < 0x20)
        fprintf(f, "\\u%04x", (unsigned)*p);
      else
        fputc(*p, f);
    }
  }
  fputc('"', f);
}

double cli_round_sig(double v, int digits) {
  char buf[40];
  snprintf(buf, sizeof buf, "%.*g", digits, v);
  return strtod(buf, NULL);
}

void cli_json_number(FILE *f, double v) {
  if (!isfinite(v)) {
    fputs("null", f);
    return;
  }
  char buf[40];
  if (v == floor(v) && fabs(v) < 1e15) { /* whole numbers as integers: 20, not 2e+01 */
    fprintf(f, "%.0f", v);
    return;
  }
  for (int digits = 1; digits <= 17; digits++) {
    snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (strtod(buf, NULL) == v)
      break;
  }
  fputs(buf, f);
}

void cli_json_key(FILE *f, const char *k, int first) {
  fputs(first ? "" : ", ", f);
  cli_json_string(f, k);
  fputs(": ", f);
}

void cli_json_properties(FILE *f, const clact_info *in) {
  const char *const names[] = {"range", "continuity", "monotonic", "derivative_monotonic",
                               "identity_near_0"};
  const char *const values[] = {in->range, in->continuity, in->monotonic, in->dmonotonic,
                                in->identity0};
  fputc('{', f);
  for (int i = 0; i < 5; i++) {
    cli_json_key(f, names[i], i == 0);
    cli_json_string(f, values[i]);
  }
  fputc('}', f);
}
