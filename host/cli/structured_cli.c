/* host/cli/structured_cli.c: the structured operations (include/clact/structured.def) in
 * `clact check` and `clact list`: splitting ids between the two registries, and one check of an
 * (operation, direction, dtype) as clact_check_rows runs over the row lengths of issue 4. */
#include "cli.h"

#include <math.h>
#include <string.h>

/* rows x cols of a check: rows of length 1 to 2^20 (fewer rows for the long ones), and 1100
 * short rows (the softmax family's forward runs 8 rows per work-item there on CPUs) */
static const size_t shapes[][2] = {
    {64, 1}, {64, 3}, {40, 33}, {1100, 33}, {12, 1000}, {10, 4096}, {2, (size_t)1 << 20}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

const char *cli_structured_shapes_text(int quick) {
  return quick ? "rows x cols 64x1, 64x3, 40x33, 1100x33, 12x1000, 10x4096"
               : "rows x cols 64x1, 64x3, 40x33, 1100x33, 12x1000, 10x4096, 2x1048576";
}

/* Input row length per listed row length: the narrower of input and output is listed (GLU
 * rows of 2d, maxout rows of k d at the default k). */
static size_t in_factor(clact_structured op) {
  const clact_structured_info *si = clact_structured_get_info(op);
  size_t div = (size_t)si->out_div;
  if (si->out_param >= 0)
    div *= (size_t)si->params[si->out_param].def;
  return div > (size_t)si->out_mul ? div / (size_t)si->out_mul : 1;
}

int cli_split_structured(char **names, int nnames, clact_structured *ops, size_t *nops, char **rest,
                         int *nrest) {
  *nops = 0;
  *nrest = 0;
  for (int i = 0; i < nnames; i++) {
    clact_structured op;
    if (clact_structured_lookup(names[i], &op) == CLACT_SUCCESS) {
      int seen = 0;
      for (size_t k = 0; k < *nops; k++)
        seen |= ops[k] == op;
      if (!seen)
        ops[(*nops)++] = op;
    } else {
      rest[(*nrest)++] = names[i];
    }
  }
  return CLI_EXIT_OK;
}

/* Merges one shape's result into the total: counts add up, the worst point is kept. */
static void merge(clact_check_result *t, const clact_check_result *r, size_t rows, size_t cols) {
  int first_failure = r->failures && !t->failures;
  if (first_failure || (!t->failures && r->max_err > t->max_err)) {
    t->worst_x = r->worst_x;
    t->worst_dy = r->worst_dy;
    t->worst_got = r->worst_got;
    t->worst_ref = r->worst_ref;
  }
  if (first_failure)
    snprintf(t->message, sizeof t->message, "%zu x %zu: %.200s", rows, cols, r->message);
  if (r->max_err > t->max_err || isnan(r->max_err))
    t->max_err = r->max_err;
  if (r->bound > t->bound)
    t->bound = r->bound;
  t->count += r->count;
  t->failures += r->failures;
  for (int b = 0; b < CLACT_HISTOGRAM_BINS; b++)
    t->histogram[b] += r->histogram[b];
}

clact_status cli_check_structured(clact_context *ctx, clact_structured op, clact_direction dir,
                                  clact_dtype dtype, uint64_t seed, int quick,
                                  clact_check_result *total) {
  memset(total, 0, sizeof *total);
  total->seed = seed;
  for (size_t s = 0; s < NSHAPES; s++) {
    if (quick && shapes[s][1] > 4096)
      continue;
    clact_check_result r;
    /* the row length listed is the narrower of input and output: GLU rows of 2d, maxout rows
     * of k d (default k), d listed */
    size_t cols = shapes[s][1] * in_factor(op);
    clact_status st = clact_check_rows(ctx, op, dir, dtype, NULL, shapes[s][0], cols, seed, &r);
    if (st != CLACT_SUCCESS && st != CLACT_ERROR_CHECK_FAILED)
      return st;
    merge(total, &r, shapes[s][0], cols);
  }
  return total->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}
