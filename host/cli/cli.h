/* host/cli/cli.h: what the clact command's files share: exit codes, option parsing, strict
 * number parsing, device and activation selection, the (activation, direction) job list that
 * `check` and `bench` both walk, and the text/JSON printing helpers.
 *
 * The command uses only the public API (include/clact.h) and, for `devices` and the headers
 * of `check` and `bench`, OpenCL directly; never the library's internal header. */
#ifndef CLACT_CLI_H
#define CLACT_CLI_H

#include "clact.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- exit codes (documented in `clact --help`) ------------------------------------------ */
enum {
  CLI_EXIT_OK = 0,     /* success */
  CLI_EXIT_FAIL = 1,   /* a check found results outside the bound */
  CLI_EXIT_USAGE = 2,  /* unknown command or option, missing or bad option value */
  CLI_EXIT_INPUT = 3,  /* unknown activation id, output file that cannot be written */
  CLI_EXIT_DEVICE = 4, /* no device, OpenCL error, kernel build failure */
  CLI_HELP = -1        /* not an exit code: --help was printed, the command returns 0 */
};

/* ---- the commands (argv[0] is the command's name) ---------------------------------------- */
int cli_cmd_devices(int argc, char **argv);
int cli_cmd_list(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);
int cli_cmd_bench(int argc, char **argv);
int cli_cmd_apply(int argc, char **argv);
int cli_cmd_table(int argc, char **argv);
int cli_cmd_plot(int argc, char **argv);

/* ---- options ---------------------------------------------------------------------------- */
/* One option of a command. `arg` names its value in messages ("N"); NULL makes it a flag.
 * After parsing, `value` is the value given (the last one wins), "" for a flag that was seen,
 * NULL when absent. */
typedef struct cli_opt {
  const char *name; /* with its dashes: "--n" */
  const char *arg;
  const char *value;
} cli_opt;

/* Parses argv[1..argc) of command `cmd`: "--name value", "--name=value", flags, "--" ends the
 * options, -h/--help prints `usage` on stdout. Positional arguments are moved to the front of
 * argv[1..] in order and their count stored in *npos. Returns CLI_EXIT_OK, CLI_HELP, or
 * CLI_EXIT_USAGE after printing what was wrong. */
int cli_parse_args(const char *cmd, const char *usage, int argc, char **argv, cli_opt *opts,
                   size_t nopts, int *npos);

/* Strict numbers: the whole text must be a decimal number within [min, max] (doubles: within
 * (lo, hi], lo excluded). On error prints "clact CMD: OPT ..." naming the value and the valid
 * range, and returns CLI_EXIT_USAGE; else CLI_EXIT_OK. */
int cli_parse_u64(const char *cmd, const char *opt, const char *text, uint64_t min, uint64_t max,
                  uint64_t *out);
int cli_parse_double(const char *cmd, const char *opt, const char *text, double lo, double hi,
                     double *out);

/* ---- devices ---------------------------------------------------------------------------- */
/* Creates the context of a command: `spec` from --device (NULL: CLACT_DEVICE, else the
 * library's default). On error prints what was wrong and what to do, returns the exit code. */
int cli_open_context(const char *cmd, const char *spec, clact_context **ctx);

/* A device described for headers and JSON. */
typedef struct cli_device_desc {
  char index[32]; /* "P:D", or "?" when the device is not among the enumerated ones */
  char name[256], vendor[256], driver[256], version[256], platform[256];
} cli_device_desc;

void cli_describe_device(cl_device_id dev, cli_device_desc *d);
/* A string property of a device or platform, truncated to the buffer; "?" on error. */
void cli_device_string(cl_device_id dev, cl_device_info what, char *buf, size_t size);
void cli_platform_string(cl_platform_id plat, cl_platform_info what, char *buf, size_t size);

/* ---- activations and jobs --------------------------------------------------------------- */
/* Resolves names or synonyms (none: every activation) into `acts` (CLACT_ACTIVATION_COUNT
 * entries), dropping repeats. Unknown name: message, CLI_EXIT_INPUT. */
int cli_select_activations(const char *cmd, char **names, int nnames, clact_activation *acts,
                           size_t *nacts);

/* One (activation, direction, dtype) that check and bench run. */
typedef struct cli_job {
  clact_activation act;
  clact_direction dir;
  clact_dtype dtype;
} cli_job;
#define CLI_MAX_JOBS (CLACT_ACTIVATION_COUNT * CLACT_DIRECTION_COUNT * CLACT_DTYPE_COUNT)

/* The jobs, dtype by dtype: for each activation the directions it has (forward, backward, and
 * backward_from_y where it exists with the default parameters). `jobs` holds CLI_MAX_JOBS
 * entries; returns the count. */
size_t cli_jobs(const clact_activation *acts, size_t nacts, const clact_dtype *dtypes,
                size_t ndtypes, cli_job *jobs);

/* --dtype: "f32", "f16", "bf16", "f64", a comma-separated list of them, or "all"; NULL means
 * f32. Keeps the ones the context's device supports: "all" silently drops the others, a dtype
 * named explicitly that the device lacks is an error (message, CLI_EXIT_DEVICE). An unknown
 * name is a usage error. `dtypes` holds CLACT_DTYPE_COUNT entries. */
int cli_select_dtypes(const char *cmd, const char *text, const clact_context *ctx,
                      clact_dtype *dtypes, size_t *n);

/* Maps a library status to an exit code and prints "clact CMD: WHAT: <status>", plus the build
 * log for a failed build. Returns the exit code. */
int cli_report_status(const char *cmd, const char *what, clact_status st, const clact_context *ctx);

/* ---- text ------------------------------------------------------------------------------- */
/* The forward bound of an accuracy group: "bit-exact" or "≤ N ulp". */
const char *cli_bound_text(clact_accuracy acc, char *buf, size_t size);
/* A parameter's valid range with open/closed brackets, infinities as inf: "(0, inf)". */
const char *cli_range_text(const clact_param_info *p, char *buf, size_t size);
/* Prints `s` padded with spaces to `width` terminal columns (UTF-8 aware, left-aligned). */
void cli_pad(FILE *f, const char *s, int width);
/* Monotonic clock in seconds. */
double cli_now(void);

/* ---- JSON ------------------------------------------------------------------------------- */
/* A JSON string literal with quotes and escapes (UTF-8 passes through). */
void cli_json_string(FILE *f, const char *s);
/* The shortest decimal that reads back as the same double; null for NaN and infinities
 * (JSON has no such numbers). */
void cli_json_number(FILE *f, double v);
/* `"k": ` of an object, preceded by ", " unless it is the first key. */
void cli_json_key(FILE *f, const char *k, int first);
/* The registry's five properties as an object: {"range": ..., "continuity": ...,
 * "monotonic": ..., "derivative_monotonic": ..., "identity_near_0": ...}. */
void cli_json_properties(FILE *f, const clact_info *in);
/* v rounded to `digits` significant decimal digits: measured figures carry no more. */
double cli_round_sig(double v, int digits);

/* ---- structured operations (host/cli/structured_cli.c, host/cli/bench_structured.c) ------- */
/* Benchmarks forward and backward of one structured operation (`id`: any name of
 * include/clact/structured.def) at its default shape (softmax family 4096 x 4096, GLU family
 * 8192 x 2*11008), each measured right after a copy kernel of the same dtype and element count;
 * prints a header and one row per direction to `out` in the style of `clact bench`. time_s in
 * (0, 60]. Returns a CLI exit code (CLI_EXIT_INPUT for an unknown id, CLI_EXIT_USAGE for a bad
 * time or shape, CLI_EXIT_DEVICE for OpenCL errors). The _shape form takes rows and cols
 * (the GLU family: cols = 2d, even). */
int cli_bench_structured(clact_context *ctx, const char *id, clact_dtype dtype, double time_s,
                         FILE *out);
int cli_bench_structured_shape(clact_context *ctx, const char *id, clact_dtype dtype, size_t rows,
                               size_t cols, double time_s, FILE *out);
/* Moves the names of structured operations from names[0..nnames) into ops (no repeats; *nops)
 * and the others into rest (*nrest; rest holds nnames entries). */
int cli_split_structured(char **names, int nnames, clact_structured *ops, size_t *nops, char **rest,
                         int *nrest);
/* One (operation, direction, dtype) of `clact check`: clact_check_rows over the row lengths
 * 1, 3, 33, 1000, 4096 and 2^20 (quick: without 2^20), results merged into `total`. */
clact_status cli_check_structured(clact_context *ctx, clact_structured op, clact_direction dir,
                                  clact_dtype dtype, uint64_t seed, int quick,
                                  clact_check_result *total);
/* The shapes cli_check_structured runs, as text. */
const char *cli_structured_shapes_text(int quick);

#endif /* CLACT_CLI_H */
