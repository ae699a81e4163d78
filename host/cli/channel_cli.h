/* host/cli/channel_cli.h: the per-channel activations (PReLU, APL: include/clact/channel.h) in
 * the clact command: `clact list` (text and --json), `clact check`, `clact bench`. The commands
 * call these functions; they use only the public API. */
#ifndef CLACT_CHANNEL_CLI_H
#define CLACT_CHANNEL_CLI_H

#include "cli.h"

#include "clact/channel.h"

/* `clact list`: the section of the per-channel operations (a blank line, a heading, one line
 * per op with its bounds), in the style of the structured operations' section. */
void cli_channel_list(FILE *f);
/* `clact list --json`: one object per op ({"id": "prelu", "kind": "channel", "directions":
 * [...], "parameters": ..., "bound": ..., "backward_bound": ...}), each preceded by ",\n" when
 * leading_comma is set (else the first is not), none followed by a newline or comma. */
void cli_channel_list_json(FILE *f, int leading_comma);

/* Moves the names of per-channel ops from names[0..nnames) into ops (CLACT_CHANNEL_COUNT
 * entries, no repeats; *nops) and the others into rest (*nrest; rest holds nnames entries). */
void cli_channel_split(char **names, int nnames, clact_channel_op *ops, size_t *nops, char **rest,
                       int *nrest);

/* The ids given to `clact check` or `clact bench` (names[0..nnames)), sorted into the
 * activations (by id or synonym), the structured operations and the per-channel ones; no name
 * at all selects everything. Returns a CLI exit code (unknown id: CLI_EXIT_UNKNOWN, with the
 * message of cli_select_activations; out of memory: CLI_EXIT_DEVICE). */
int cli_select_ops(const char *cmd, char **names, int nnames, clact_activation *acts, size_t *nacts,
                   clact_structured *sops, size_t *nsops, clact_channel_op *cops, size_t *ncops);

/* One (op, direction, dtype) of `clact check`: clact_check_channel over the shapes and hinge
 * counts of cli_channel_shapes_text(quick), results merged into `total` (max_err over all;
 * message: the first failure, or the per-output maxima of the largest shape). Returns
 * CLACT_SUCCESS, CLACT_ERROR_CHECK_FAILED or the error that stopped it (f64 on a device
 * without it: CLACT_ERROR_UNSUPPORTED_DTYPE). */
clact_status cli_check_channel(clact_context *ctx, clact_channel_op op, clact_direction dir,
                               clact_dtype dtype, uint64_t seed, int quick,
                               clact_check_result *total);
const char *cli_channel_shapes_text(int quick);

/* Every (op in ops, dtype in dtypes, forward and backward) through cli_check_channel, one line
 * printed to `out` per job as it completes ("PASS  prelu  forward  f32  max/bound ..."), dtypes
 * the device lacks skipped. Adds to *passed, *failed, *errors (each may not be NULL). Returns
 * a CLI exit code: CLI_EXIT_OK, CLI_EXIT_FAIL (a check failed) or CLI_EXIT_DEVICE (an error
 * stopped one). */
int cli_channel_check_all(clact_context *ctx, const clact_channel_op *ops, size_t nops,
                          const clact_dtype *dtypes, size_t ndtypes, uint64_t seed, int quick,
                          FILE *out, size_t *passed, size_t *failed, size_t *errors);

/* `clact bench`: forward and backward (dx and the weight gradients) of one op on an
 * n x c x inner tensor (0, 0, 0: the default 16 x 64 x 16384; apl with `hinges` hinges, 0: 8),
 * each measured right after a copy kernel of the same element count and dtype, by the host
 * clock around clFinish (the backward is two kernels); prints a header and one row per
 * direction: ms (median), GB/s (forward reads x and writes y; backward reads x and dy and
 * writes dx), ratio to the copy. time_s in (0, 60]. Returns a CLI exit code. */
int cli_channel_bench(clact_context *ctx, clact_channel_op op, clact_dtype dtype, size_t n,
                      size_t c, size_t inner, unsigned hinges, double time_s, FILE *out);

#endif /* CLACT_CHANNEL_CLI_H */
