/* tests/fuzz/fuzz_params.c: libFuzzer harness of everything that parses outside text, in the
 * library (activation names and synonyms, dtype names, parameter names and values, device
 * specs "PLATFORM:DEVICE", status and enum names from arbitrary values) and in the clact
 * command's helpers (strict numbers cli_parse_u64/cli_parse_double, option parsing, activation
 * and dtype lists). Beyond "no crash, no sanitizer report", it checks the contracts: a found
 * name maps back to itself, an accepted number is exactly what it says and within its range,
 * resolved parameters lie in their ranges.
 *
 * Input: up to four NUL-separated strings s0..s3, the first bytes also read as numbers.
 * Build and run (Clang; see tests/robustness.cmake for the CMake targets):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ihost -Ihost/cli \
 *     tests/fuzz/fuzz_params.c host/registry.c host/status.c host/context.c host/program.c \
 *     host/launch.c host/cache.c host/reference.c host/check.c host/cli/cli_util.c \
 *     BUILD/clact_kernels.c -lOpenCL -lm -o fuzz_params
 *   ./fuzz_params -max_total_time=60 -close_fd_mask=3 tests/fuzz/corpus_params */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #cond);                  \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

static uint64_t read_u64(const uint8_t *data, size_t size, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && at + i < size; i++)
    v |= (uint64_t)data[at + i] << (8 * i);
  return v;
}

static double read_double(const uint8_t *data, size_t size, size_t at) {
  uint64_t u = read_u64(data, size, at);
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

static void names(const char *s) {
  clact_activation act;
  if (clact_lookup(s, &act) == CLACT_SUCCESS) {
    CHECK((unsigned)act < CLACT_ACTIVATION_COUNT);
    const clact_info *info = clact_get_info(act);
    CHECK(info && info->id == act);
    clact_activation again;
    CHECK(clact_lookup(clact_name(act), &again) == CLACT_SUCCESS && again == act);
    /* s is the name or one of the comma-separated synonyms: never empty, never with a comma */
    CHECK(*s && !strchr(s, ','));
    CHECK(strcmp(s, info->name) == 0 || strstr(info->synonyms, s) != NULL);
  }
  clact_dtype dt;
  if (clact_dtype_lookup(s, &dt) == CLACT_SUCCESS) {
    CHECK((unsigned)dt < CLACT_DTYPE_COUNT && strcmp(clact_dtype_name(dt), s) == 0);
    CHECK(clact_dtype_size(dt) > 0);
  }
}

static void params(clact_activation act, const char *n1, const char *n2, double v1, double v2,
                   uint64_t index) {
  const clact_info *info = clact_get_info(act);
  clact_params p = clact_params_default();
  clact_status st = clact_params_set(act, &p, n1, v1);
  if (!info) {
    CHECK(st == CLACT_ERROR_UNKNOWN_ACTIVATION);
    return;
  }
  if (st == CLACT_SUCCESS) {
    int found = 0;
    for (int i = 0; i < info->nparams; i++)
      found |= strcmp(info->params[i].name, n1) == 0;
    CHECK(found);
  } else {
    CHECK(st == CLACT_ERROR_UNKNOWN_PARAMETER);
  }
  clact_params_set(act, &p, n2, v2);
  double out[CLACT_MAX_PARAMS];
  st = clact_params_resolve(act, &p, out);
  if (st == CLACT_SUCCESS) {
    for (int i = 0; i < info->nparams; i++) {
      const clact_param_info *pi = &info->params[i];
      CHECK(!isnan(out[i]) && out[i] >= pi->min && out[i] <= pi->max);
      CHECK(!((pi->flags & CLACT_PARAM_MIN_OPEN) && out[i] == pi->min));
      CHECK(!((pi->flags & CLACT_PARAM_MAX_OPEN) && out[i] == pi->max));
    }
  } else {
    CHECK(st == CLACT_ERROR_PARAMETER_RANGE || st == CLACT_ERROR_UNKNOWN_PARAMETER);
  }
  clact_status fy = clact_has_backward_from_y(act, &p);
  CHECK(st == CLACT_SUCCESS ? (fy == CLACT_SUCCESS || fy == CLACT_ERROR_NO_FROM_Y) : fy == st);
  for (int d = 0; d < CLACT_DTYPE_COUNT; d++) {
    double r[CLACT_MAX_PARAMS];
    clact_status sd = clact__params_for_dtype(act, &p, (clact_dtype)d, r);
    if (st != CLACT_SUCCESS)
      CHECK(sd == st); /* what fails in double fails for every dtype */
    if (sd == CLACT_SUCCESS)
      for (int i = 0; i < info->nparams; i++)
        CHECK(!isnan(r[i]) && r[i] >= info->params[i].min && r[i] <= info->params[i].max);
  }
  /* The reference must not crash on any parameters it may be given. */
  if (st == CLACT_SUCCESS) {
    double mag;
    (void)clact_reference_forward(act, v2, out);
    (void)clact_reference_derivative(act, v1, out, &mag);
    (void)clact_reference_forward_at(act, v1, out, index);
    (void)clact_reference_derivative_from_y_at(act, v2, out, index, &mag);
  }
}

static void device_spec(const char *s) {
  /* Only specs that name a device index out of range reach the device enumeration without
   * creating a context (kept cheap: a valid "0:0" would create one per input). */
  clact_context *ctx = NULL;
  size_t len = strlen(s);
  if (len == 0 || len > 32)
    return;
  const char *colon = strchr(s, ':');
  if (colon && colon[1] >= '0' && colon[1] <= '9' && strtoul(colon + 1, NULL, 10) < 1000)
    return; /* may be a real device */
  clact_status st = clact_context_create(&ctx, s);
  CHECK(st != CLACT_SUCCESS || ctx != NULL);
  CHECK(st == CLACT_SUCCESS || ctx == NULL);
  clact_context_destroy(ctx);
}

static void cli_numbers(const char *s, uint64_t a, uint64_t b, double lo, double hi) {
  uint64_t min = a < b ? a : b, max = a < b ? b : a, u = 0;
  if (cli_parse_u64("fuzz", "--n", s, min, max, &u) == CLI_EXIT_OK) {
    CHECK(u >= min && u <= max);
    CHECK(*s >= '0' && *s <= '9');
    for (const char *c = s; *c; c++)
      CHECK(*c >= '0' && *c <= '9');
    CHECK(strtoull(s, NULL, 10) == u);
  }
  if (isnan(lo) || isnan(hi))
    return;
  double v = 0;
  if (cli_parse_double("fuzz", "--x", s, lo, hi, &v) == CLI_EXIT_OK) {
    CHECK(v > lo && v <= hi && isfinite(v));
    CHECK(!strpbrk(s, "xXnNiI \t\n"));
    CHECK(strtod(s, NULL) == v);
  }
}

static void cli_lists(char **strs, int nstr, const char *dtypes) {
  clact_activation acts[CLACT_ACTIVATION_COUNT];
  size_t nacts = 0;
  if (cli_select_activations("fuzz", strs, nstr, acts, &nacts) == CLI_EXIT_OK) {
    CHECK(nacts <= CLACT_ACTIVATION_COUNT);
    for (size_t i = 0; i < nacts; i++)
      for (size_t k = 0; k < i; k++)
        CHECK(acts[i] != acts[k]);
  }
  static struct clact_context fake; /* clact_context_supports reads nothing of it */
  clact_dtype dts[CLACT_DTYPE_COUNT];
  size_t ndt = 0;
  if (cli_select_dtypes("fuzz", dtypes, &fake, dts, &ndt) == CLI_EXIT_OK) {
    CHECK(ndt >= 1 && ndt <= CLACT_DTYPE_COUNT);
    for (size_t i = 0; i < ndt; i++)
      CHECK(clact_context_supports(&fake, dts[i]) == CLACT_SUCCESS);
  }
}

static void cli_options(char **strs, int nstr) {
  cli_opt opts[] = {{"--n", "N", NULL}, {"--json", NULL, NULL}, {"--dtype", "LIST", NULL}};
  char *argv[8];
  argv[0] = "fuzz";
  for (int i = 0; i < nstr; i++)
    argv[i + 1] = strs[i];
  int npos = -1;
  int rc = cli_parse_args("fuzz", "usage\n", nstr + 1, argv, opts, 3, &npos);
  CHECK(rc == CLI_EXIT_OK || rc == CLI_HELP || rc == CLI_EXIT_USAGE);
  if (rc == CLI_EXIT_OK) {
    CHECK(npos >= 0 && npos <= nstr);
    CHECK(opts[1].value == NULL || opts[1].value[0] == '\0');
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return 0;
  char *buf = malloc(size + 1);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  char *s[4] = {buf, "", "", ""};
  int nstr = 1;
  for (size_t i = 0; i < size && nstr < 4; i++)
    if (buf[i] == '\0')
      s[nstr++] = buf + i + 1;

  for (int i = 0; i < nstr; i++)
    names(s[i]);
  clact_activation act;
  if (clact_lookup(s[0], &act) != CLACT_SUCCESS)
    act = (clact_activation)(size ? (int)(signed char)data[0] : 0); /* also out of range */
  params(act, s[1], s[2], read_double(data, size, 1), read_double(data, size, 9),
         read_u64(data, size, 5));
  device_spec(s[0]);

  int code = (int)(int32_t)(uint32_t)read_u64(data, size, 0);
  CHECK(clact_status_string((clact_status)code) != NULL);
  CHECK(clact_name((clact_activation)code) != NULL);
  CHECK(clact_dtype_name((clact_dtype)code) != NULL);
  CHECK(clact_direction_name((clact_direction)code) != NULL);
  (void)clact_get_info((clact_activation)code);
  (void)clact_dtype_size((clact_dtype)code);
  (void)clact_accuracy_ulp((clact_accuracy)code);

  cli_numbers(s[nstr - 1], read_u64(data, size, 2), read_u64(data, size, 10),
              read_double(data, size, 3), read_double(data, size, 11));
  cli_lists(s, nstr, s[nstr > 1 ? 1 : 0]);
  cli_options(s, nstr);
  free(buf);
  return 0;
}
