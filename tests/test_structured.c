/* tests/test_structured.c: one CTest per (structured operation, direction, dtype, row length),
 * e.g. `structured/softmax/fwd/f32/cols4096`.
 * Usage: test_structured ID fwd|bwd DTYPE ROWS COLS [SEED]   (GLU family: COLS = d, rows of 2d;
 *        maxout: COLS = the output width, rows of 2 COLS)
 * Runs clact_check_rows (host/check_structured.c) on the default device: both kernel shapes
 * where COLS <= 4096, in place and out of place, special rows, padded pitches.
 * Exit 0 pass, 1 fail, 77 skip (no device; f64 on a device without cl_khr_fp64, after checking
 * that the check refuses it with CLACT_ERROR_UNSUPPORTED_DTYPE). */
#include "clact.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 6 && argc != 7) {
    fprintf(stderr, "usage: test_structured ID fwd|bwd DTYPE ROWS COLS [SEED]\n");
    return 2;
  }
  clact_structured op;
  clact_dtype dtype;
  clact_direction dir = strcmp(argv[2], "fwd") == 0 ? CLACT_FORWARD : CLACT_BACKWARD;
  if (clact_structured_lookup(argv[1], &op) != CLACT_SUCCESS ||
      clact_dtype_lookup(argv[3], &dtype) != CLACT_SUCCESS) {
    fprintf(stderr, "unknown operation or dtype\n");
    return 2;
  }
  size_t rows = strtoull(argv[4], NULL, 10), cols = strtoull(argv[5], NULL, 10);
  uint64_t seed = argc == 7 ? strtoull(argv[6], NULL, 10) : 1;
  /* COLS is the narrower of the input and output row widths: the GLU family's rows hold 2 COLS
   * elements (value and gate halves), maxout's k COLS (the default k; the check runs several) */
  const clact_structured_info *si = clact_structured_get_info(op);
  size_t div =
      (size_t)si->out_div * (si->out_param >= 0 ? (size_t)si->params[si->out_param].def : 1);
  if (div > (size_t)si->out_mul)
    cols *= div / (size_t)si->out_mul;
  clact_context *ctx = test_context();
  if (dtype == CLACT_F64 && clact_context_supports(ctx, CLACT_F64) != CLACT_SUCCESS) {
    /* no cl_khr_fp64: the check must refuse f64 with the unsupported status, then skip */
    clact_check_result r0;
    clact_status st0 = clact_check_rows(ctx, op, dir, dtype, NULL, rows, cols, seed, &r0);
    clact_context_destroy(ctx);
    if (st0 != CLACT_ERROR_UNSUPPORTED_DTYPE) {
      fprintf(stderr, "f64 without cl_khr_fp64: %s, expected the unsupported status\n",
              clact_status_string(st0));
      return 1;
    }
    printf("SKIP: the device has no cl_khr_fp64\n");
    return 77;
  }
  clact_check_result r;
  clact_status st = clact_check_rows(ctx, op, dir, dtype, NULL, rows, cols, seed, &r);
  printf("%s %s %s %zu x %zu: %llu results, %llu failures, max error %.3f (bound %.3f) at "
         "in=%.9g dy=%.9g (got %.9g, expected %.17g), seed %llu\n",
         argv[1], clact_direction_name(dir), argv[3], rows, cols, (unsigned long long)r.count,
         (unsigned long long)r.failures, r.max_err, r.bound, r.worst_x, r.worst_dy, r.worst_got,
         r.worst_ref, (unsigned long long)r.seed);
  printf("histogram {0, <=0.5, <=1, <=2, <=4, >4}: %llu %llu %llu %llu %llu %llu\n",
         (unsigned long long)r.histogram[0], (unsigned long long)r.histogram[1],
         (unsigned long long)r.histogram[2], (unsigned long long)r.histogram[3],
         (unsigned long long)r.histogram[4], (unsigned long long)r.histogram[5]);
  if (r.message[0])
    printf("first failure: %s\n", r.message);
  if (st != CLACT_SUCCESS && st != CLACT_ERROR_CHECK_FAILED) {
    fprintf(stderr, "error: %s\n%s", clact_status_string(st), clact_build_log(ctx));
    clact_context_destroy(ctx);
    return 1;
  }
  clact_context_destroy(ctx);
  /* The check must have compared every element of every run at least once. */
  return st == CLACT_SUCCESS && r.count >= (uint64_t)rows * cols ? 0 : 1;
}
