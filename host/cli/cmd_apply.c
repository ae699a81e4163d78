/* host/cli/cmd_apply.c: `clact apply ID IN.npy OUT.npy` (and --backward with DY.npy): runs one
 * activation on the elements of a NumPy file on the device and writes the result as a .npy file
 * of the input's dtype and shape. The files are read whole and checked strictly (npy.h) before
 * the device is touched; the output goes to a temporary file renamed into place on success, so
 * an existing OUT is untouched on any failure. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "npy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: clact apply ID [--param NAME=VALUE]... [--dtype T] [--device P:D] IN.npy OUT.npy\n"
    "       clact apply ID --backward [--from-output] [--param NAME=VALUE]... [--dtype T]\n"
    "                   [--device P:D] IN.npy DY.npy OUT.npy\n"
    "\n"
    "Runs activation ID (an id or synonym, see 'clact list') elementwise on a NumPy .npy file\n"
    "on the device and writes OUT.npy with the same shape, dtype and byte order as IN.npy:\n"
    "  forward                      OUT = f(IN)\n"
    "  --backward                   OUT = DY * f'(IN)                 (IN holds x)\n"
    "  --backward --from-output     OUT = DY * f'(x) computed from IN (IN holds y = f(x))\n"
    "DY must have the shape of IN (its dtype may differ).\n"
    "\n"
    "Files: float16, float32 or float64 ('<f2', '>f2', '<f4', '>f4', '<f8', '>f8'), C order,\n"
    "any shape (0-d and empty too), .npy format 1.0, 2.0 or 3.0. A malformed file is rejected\n"
    "with what is wrong in it. OUT is written to OUT.tmp.XXXXXX in the same folder and renamed\n"
    "into place only on success: on any error an existing OUT is left as it was.\n"
    "\n"
    "Precision: the kernels compute in --dtype T: f16 for float16 files, f64 for float64 files\n"
    "(where the device has cl_khr_fp64; else f32, with a note), else f32 by default; bf16 (no\n"
    "NumPy dtype) means bfloat16 storage. Inputs are rounded to T (to nearest, ties to even),\n"
    "results are converted back to IN's dtype the same way (exactly when it is wider).\n"
    "\n"
    "options:\n"
    "  --param NAME=VALUE  a parameter of ID (see 'clact list'), repeatable; the others\n"
    "                      take their defaults. VALUE: a decimal number, inf or -inf\n"
    "  --backward          compute the gradient dx from IN and DY\n"
    "  --from-output       with --backward: IN holds the forward output y (where ID has this\n"
    "                      variant for the parameters given)\n"
    "  --dtype T           compute dtype: f32, f16, bf16 or f64 (default above)\n"
    "  --device P:D        device (see 'clact devices'); default $CLACT_DEVICE, else the first\n"
    "                      GPU, else the first device\n"
    "\n"
    "Exit status: 0 done, 2 usage error, 3 input error (unknown activation or parameter, a\n"
    "parameter out of range, a file that cannot be read or is malformed, shapes that differ,\n"
    "OUT not writable), 4 device or OpenCL error.\n";

/* Elements per device launch: buffers stay bounded whatever the file's size. Even, so that
 * activations defined by the element index (brelu: parity) see each element's index in the
 * file with its parity. */
#define CHUNK ((size_t)1 << 22)

enum { OPT_BACKWARD, OPT_FROM_OUTPUT, OPT_DTYPE, OPT_DEVICE, NOPTS };

/* The formats of the compute dtypes, as npy_encode/npy_decode take them. */
static void compute_format(clact_dtype t, int *ebits, int *mbits) {
  *ebits = t == CLACT_F16 ? 5 : 8;
  *mbits = t == CLACT_F32 ? 23 : t == CLACT_F16 ? 10 : 7;
}

/* ---- --param: repeatable, so collected before cli_parse_args (which keeps the last) ------ */
#define MAX_PARAM_ARGS 64

/* Moves every "--param X" / "--param=X" out of argv (before a "--"), keeping the rest in
 * order. Options of apply that take a value are skipped with their value. */
static int take_params(int *argc, char **argv, const char **vals, int *nvals) {
  int out = 1, i = 1;
  *nvals = 0;
  for (; i < *argc; i++) {
    char *a = argv[i];
    if (strcmp(a, "--") == 0)
      break;
    const char *val = NULL;
    if (strcmp(a, "--param") == 0) {
      if (i + 1 >= *argc) {
        fprintf(stderr, "clact apply: option '--param' needs a value: '--param NAME=VALUE'\n");
        return CLI_EXIT_USAGE;
      }
      val = argv[++i];
    } else if (strncmp(a, "--param=", 8) == 0) {
      val = a + 8;
    } else {
      argv[out++] = a;
      if ((strcmp(a, "--dtype") == 0 || strcmp(a, "--device") == 0) && i + 1 < *argc)
        argv[out++] = argv[++i];
      continue;
    }
    if (*nvals == MAX_PARAM_ARGS) {
      fprintf(stderr, "clact apply: more than %d --param options\n", MAX_PARAM_ARGS);
      return CLI_EXIT_USAGE;
    }
    vals[(*nvals)++] = val;
  }
  for (; i < *argc; i++)
    argv[out++] = argv[i];
  *argc = out;
  argv[out] = NULL;
  return CLI_EXIT_OK;
}

static void list_params(const clact_info *in) {
  if (in->nparams == 0) {
    fprintf(stderr, "  %s has no parameters\n", in->name);
    return;
  }
  for (int p = 0; p < in->nparams; p++) {
    char range[96];
    fprintf(stderr, "  %s = %g (default), valid range %s\n", in->params[p].name, in->params[p].def,
            cli_range_text(&in->params[p], range, sizeof range));
  }
}

static int parse_params(const clact_info *in, const char **vals, int nvals, clact_params *params) {
  *params = clact_params_default();
  for (int k = 0; k < nvals; k++) {
    const char *eq = strchr(vals[k], '=');
    if (!eq || eq == vals[k]) {
      fprintf(stderr, "clact apply: --param '%s' is not NAME=VALUE (e.g. --param %s=%g)\n", vals[k],
              in->nparams ? in->params[0].name : "alpha", in->nparams ? in->params[0].def : 1.0);
      return CLI_EXIT_USAGE;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - vals[k]), vals[k]);
    const char *text = eq + 1;
    double v;
    if (strcmp(text, "inf") == 0 || strcmp(text, "+inf") == 0) {
      v = HUGE_VAL;
    } else if (strcmp(text, "-inf") == 0) {
      v = -HUGE_VAL;
    } else {
      char opt[96];
      snprintf(opt, sizeof opt, "--param %s", name);
      int rc = cli_parse_double("apply", opt, text, -HUGE_VAL, HUGE_VAL, &v);
      if (rc != CLI_EXIT_OK)
        return rc;
    }
    int p = 0;
    while (p < in->nparams && strcmp(in->params[p].name, name) != 0)
      p++;
    if (p == in->nparams || clact_params_set(in->id, params, name, v) != CLACT_SUCCESS) {
      fprintf(stderr, "clact apply: %s has no parameter '%s'; its parameters:\n", in->name, name);
      list_params(in);
      return CLI_EXIT_INPUT;
    }
    const clact_param_info *pi = &in->params[p];
    int ok = v >= pi->min && v <= pi->max &&
             !((pi->flags & CLACT_PARAM_MIN_OPEN) && v == pi->min) &&
             !((pi->flags & CLACT_PARAM_MAX_OPEN) && v == pi->max);
    if (!ok) {
      char range[96];
      fprintf(stderr, "clact apply: --param %s=%s is out of range; %s takes values in %s\n", name,
              text, name, cli_range_text(pi, range, sizeof range));
      return CLI_EXIT_INPUT;
    }
  }
  double resolved[CLACT_MAX_PARAMS];
  clact_status st = clact_params_resolve(in->id, params, resolved);
  if (st != CLACT_SUCCESS) { /* each value is in range: a constraint between them failed */
    const char *rule = in->constraint == CLACT_CONSTRAINT_P0_LE_P1     ? "%s <= %s"
                       : in->constraint == CLACT_CONSTRAINT_P0_NONZERO ? "%s != 0"
                                                                       : "%s";
    char what[128];
    snprintf(what, sizeof what, rule, in->params[0].name,
             in->nparams > 1 ? in->params[1].name : "");
    fprintf(stderr, "clact apply: the parameters of %s must satisfy %s: %s\n", in->name, what,
            clact_status_string(st));
    return CLI_EXIT_INPUT;
  }
  return CLI_EXIT_OK;
}

/* ---- files ------------------------------------------------------------------------------ */
typedef struct input {
  const char *path;
  unsigned char *buf;
  npy_array a;
} input;

static int load(input *in, const char *path) {
  char err[NPY_ERR_SIZE];
  size_t len;
  in->path = path;
  if (npy_read_file(path, &in->buf, &len, err) != 0 || npy_parse(in->buf, len, &in->a, err) != 0) {
    fprintf(stderr, "clact apply: %s: %s\n", path, err);
    return CLI_EXIT_INPUT;
  }
  return CLI_EXIT_OK;
}

static int same_shape(const npy_array *a, const npy_array *b) {
  if (a->ndim != b->ndim)
    return 0;
  for (int i = 0; i < a->ndim; i++)
    if (a->shape[i] != b->shape[i])
      return 0;
  return 1;
}

/* Elements [first, first + n) of a file, rounded into the compute dtype's storage (f64: the
 * values as doubles, exact for every file dtype). */
static void to_compute(const npy_array *a, size_t first, size_t n, clact_dtype t, void *dst) {
  int eb, mb;
  compute_format(t, &eb, &mb);
  for (size_t i = 0; i < n; i++) {
    if (t == CLACT_F64) {
      double v = npy_get(a, first + i);
      memcpy((unsigned char *)dst + 8 * i, &v, 8);
      continue;
    }
    uint32_t bits = npy_encode(npy_get(a, first + i), eb, mb);
    if (t == CLACT_F32)
      memcpy((unsigned char *)dst + 4 * i, &bits, 4);
    else
      ((uint16_t *)dst)[i] = (uint16_t)bits;
  }
}

static void from_compute(const void *src, size_t n, clact_dtype t, npy_array *out, size_t first,
                         unsigned char *data) {
  int eb, mb;
  compute_format(t, &eb, &mb);
  for (size_t i = 0; i < n; i++) {
    uint32_t bits;
    if (t == CLACT_F64) {
      double v;
      memcpy(&v, (const unsigned char *)src + 8 * i, 8);
      npy_put(out->dtype, out->big_endian, data, first + i, v);
      continue;
    }
    if (t == CLACT_F32)
      memcpy(&bits, (const unsigned char *)src + 4 * i, 4);
    else
      bits = ((const uint16_t *)src)[i];
    npy_put(out->dtype, out->big_endian, data, first + i, npy_decode(bits, eb, mb));
  }
}

/* ---- the device ------------------------------------------------------------------------- */
typedef struct job {
  const clact_info *info;
  clact_direction dir;
  clact_dtype dtype;
  const clact_params *params;
  const npy_array *x, *dy; /* dy: NULL forward */
  npy_array *out;
  unsigned char *out_data;
} job;

static int cl_failed(const char *what, cl_int err) {
  fprintf(stderr, "clact apply: %s failed: %s (OpenCL error %d)\n", what,
          clact_status_string((clact_status)err), (int)err);
  return CLI_EXIT_DEVICE;
}

static int run_device(clact_context *ctx, const job *j) {
  size_t n = j->x->count, esize = clact_dtype_size(j->dtype);
  size_t chunk = n < CHUNK ? (n ? n : 1) : CHUNK;
  cl_context clctx = clact_context_cl(ctx);
  cl_command_queue q = clact_context_queue(ctx);
  cl_mem bx = NULL, bdy = NULL, bout = NULL;
  void *hin = malloc(chunk * esize), *hdy = malloc(chunk * esize);
  int rc = CLI_EXIT_OK;
  cl_int err = CL_SUCCESS;
  if (!hin || !hdy) {
    fprintf(stderr, "clact apply: out of host memory\n");
    rc = CLI_EXIT_DEVICE;
    goto done;
  }
  bx = clCreateBuffer(clctx, CL_MEM_READ_ONLY, chunk * esize, NULL, &err);
  if (err == CL_SUCCESS && j->dy)
    bdy = clCreateBuffer(clctx, CL_MEM_READ_ONLY, chunk * esize, NULL, &err);
  if (err == CL_SUCCESS)
    bout = clCreateBuffer(clctx, CL_MEM_WRITE_ONLY, chunk * esize, NULL, &err);
  if (err != CL_SUCCESS) {
    rc = cl_failed("allocating the device buffers", err);
    goto done;
  }
  for (size_t first = 0; first < n; first += chunk) {
    size_t m = n - first < chunk ? n - first : chunk;
    to_compute(j->x, first, m, j->dtype, hin);
    err = clEnqueueWriteBuffer(q, bx, CL_FALSE, 0, m * esize, hin, 0, NULL, NULL);
    if (err == CL_SUCCESS && j->dy) {
      to_compute(j->dy, first, m, j->dtype, hdy);
      err = clEnqueueWriteBuffer(q, bdy, CL_FALSE, 0, m * esize, hdy, 0, NULL, NULL);
    }
    if (err != CL_SUCCESS) {
      rc = cl_failed("copying the input to the device", err);
      goto done;
    }
    clact_status st;
    if (j->dir == CLACT_FORWARD)
      st = clact_forward(ctx, j->info->id, j->dtype, j->params, m, bx, 0, bout, 0, NULL);
    else if (j->dir == CLACT_BACKWARD)
      st = clact_backward(ctx, j->info->id, j->dtype, j->params, m, bx, 0, bdy, 0, bout, 0, NULL);
    else
      st = clact_backward_from_y(ctx, j->info->id, j->dtype, j->params, m, bx, 0, bdy, 0, bout, 0,
                                 NULL);
    if (st != CLACT_SUCCESS) {
      char what[96];
      snprintf(what, sizeof what, "%s %s %s", j->info->name, clact_direction_name(j->dir),
               clact_dtype_name(j->dtype));
      rc = cli_report_status("apply", what, st, ctx);
      goto done;
    }
    /* Blocking: hin and hdy are reused by the next chunk, and the result is needed now. */
    err = clEnqueueReadBuffer(q, bout, CL_TRUE, 0, m * esize, hin, 0, NULL, NULL);
    if (err != CL_SUCCESS) {
      rc = cl_failed("reading the result from the device", err);
      goto done;
    }
    from_compute(hin, m, j->dtype, j->out, first, j->out_data);
  }
done:
  if (bx)
    clReleaseMemObject(bx);
  if (bdy)
    clReleaseMemObject(bdy);
  if (bout)
    clReleaseMemObject(bout);
  free(hin);
  free(hdy);
  return rc;
}

/* ---- the command ------------------------------------------------------------------------ */
int cli_cmd_apply(int argc, char **argv) {
  const char *param_vals[MAX_PARAM_ARGS];
  int nparam_vals = 0;
  int rc = take_params(&argc, argv, param_vals, &nparam_vals);
  if (rc != CLI_EXIT_OK)
    return rc;
  cli_opt opts[NOPTS] = {{"--backward", NULL, NULL},
                         {"--from-output", NULL, NULL},
                         {"--dtype", "T", NULL},
                         {"--device", "P:D", NULL}};
  int npos;
  rc = cli_parse_args("apply", usage, argc, argv, opts, NOPTS, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  int backward = opts[OPT_BACKWARD].value != NULL;
  int from_y = opts[OPT_FROM_OUTPUT].value != NULL;
  if (from_y && !backward) {
    fprintf(stderr, "clact apply: --from-output goes with --backward (the gradient from y)\n");
    return CLI_EXIT_USAGE;
  }
  int want = backward ? 4 : 3;
  if (npos != want) {
    fprintf(stderr,
            "clact apply: expected %s, got %d argument%s (run 'clact apply --help' for the "
            "usage)\n",
            backward ? "ID IN.npy DY.npy OUT.npy" : "ID IN.npy OUT.npy", npos,
            npos == 1 ? "" : "s");
    return CLI_EXIT_USAGE;
  }
  clact_activation act;
  if (clact_lookup(argv[1], &act) != CLACT_SUCCESS) {
    fprintf(stderr,
            "clact apply: unknown activation '%s' (run 'clact list' to see the ids and "
            "synonyms)\n",
            argv[1]);
    return CLI_EXIT_INPUT;
  }
  const clact_info *info = clact_get_info(act);
  clact_params params;
  rc = parse_params(info, param_vals, nparam_vals, &params);
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_direction dir = !backward ? CLACT_FORWARD : from_y ? CLACT_BACKWARD_FROM_Y : CLACT_BACKWARD;
  if (from_y && clact_has_backward_from_y(act, &params) != CLACT_SUCCESS) {
    fprintf(stderr,
            "clact apply: %s has no backward from the output for these parameters (see "
            "'clact list'); drop --from-output and pass x\n",
            info->name);
    return CLI_EXIT_INPUT;
  }
  int dtype_given = opts[OPT_DTYPE].value != NULL;
  clact_dtype dtype = CLACT_F32;
  if (dtype_given) {
    const char *t = opts[OPT_DTYPE].value;
    if (clact_dtype_lookup(t, &dtype) != CLACT_SUCCESS) {
      fprintf(stderr,
              "clact apply: --dtype '%s' is not a compute dtype: give f32, f16, bf16 or f64\n", t);
      return CLI_EXIT_USAGE;
    }
  }
  const char *out_path = argv[want];

  input x = {0}, dy = {0};
  unsigned char *out_data = NULL;
  clact_context *ctx = NULL;
  npy_out out = {-1, NULL, NULL};
  char err[NPY_ERR_SIZE];
  rc = load(&x, argv[2]);
  if (rc == CLI_EXIT_OK && backward)
    rc = load(&dy, argv[3]);
  if (rc != CLI_EXIT_OK)
    goto done;
  if (backward && !same_shape(&x.a, &dy.a)) {
    char s1[96], s2[96];
    fprintf(stderr, "clact apply: %s has shape %s but %s has shape %s; DY must have IN's shape\n",
            dy.path, npy_shape_text(&dy.a, s2, sizeof s2), x.path,
            npy_shape_text(&x.a, s1, sizeof s1));
    rc = CLI_EXIT_INPUT;
    goto done;
  }
  if (!dtype_given && x.a.dtype == NPY_F2)
    dtype = CLACT_F16;
  if (!dtype_given && x.a.dtype == NPY_F8)
    dtype = CLACT_F64; /* (f32 where the device lacks cl_khr_fp64: below) */
  npy_array result = x.a;
  size_t bytes = x.a.count * npy_itemsize(x.a.dtype);
  out_data = malloc(bytes ? bytes : 1);
  if (!out_data) {
    fprintf(stderr, "clact apply: out of host memory (%zu bytes for the output)\n", bytes);
    rc = CLI_EXIT_DEVICE;
    goto done;
  }
  result.data = out_data;
  /* Before the device work: an unwritable folder is reported at once. */
  if (npy_out_open(&out, out_path, err) != 0) {
    fprintf(stderr, "clact apply: %s: %s\n", out_path, err);
    rc = CLI_EXIT_INPUT;
    goto done;
  }
  rc = cli_open_context("apply", opts[OPT_DEVICE].value, &ctx);
  if (rc != CLI_EXIT_OK)
    goto done;
  if (!dtype_given && dtype == CLACT_F64 && clact_context_supports(ctx, dtype) != CLACT_SUCCESS)
    dtype = CLACT_F32;
  if (clact_context_supports(ctx, dtype) != CLACT_SUCCESS) {
    fprintf(stderr, "clact apply: the device does not support %s (see 'clact devices')\n",
            clact_dtype_name(dtype));
    rc = CLI_EXIT_DEVICE;
    goto done;
  }
  if (dtype != CLACT_F64 && (x.a.dtype == NPY_F8 || (dy.buf && dy.a.dtype == NPY_F8)))
    fprintf(stderr, "clact apply: note: float64 data is computed in %s%s\n",
            clact_dtype_name(dtype),
            dtype_given ? "" : " (the device has no cl_khr_fp64: no f64 kernels)");
  job j = {info, dir, dtype, &params, &x.a, backward ? &dy.a : NULL, &result, out_data};
  rc = run_device(ctx, &j);
  if (rc != CLI_EXIT_OK)
    goto done;
  if (npy_out_commit(&out, &result, err) != 0) {
    fprintf(stderr, "clact apply: %s: %s\n", out_path, err);
    rc = CLI_EXIT_INPUT;
  }
done:
  npy_out_abort(&out); /* a no-op after a commit */
  clact_context_destroy(ctx);
  free(out_data);
  free(x.buf);
  free(dy.buf);
  return rc;
}
