/* tests/test_kernel.c: one CTest per (activation, direction, dtype), e.g. `gelu/fwd/f32`.
 * Usage: test_kernel ID fwd|bwd|bwd_y DTYPE
 * Runs clact_check (ACCURACY.md's sweeps, edges, random inputs, layout) on the default device.
 * Exit 0 pass, 1 fail, 77 skip (no device, or the device lacks the dtype). */
#include "clact.h"
#include "test_util.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: test_kernel ID fwd|bwd|bwd_y DTYPE\n");
    return 2;
  }
  clact_activation act;
  clact_dtype dtype;
  clact_direction dir = strcmp(argv[2], "fwd") == 0   ? CLACT_FORWARD
                        : strcmp(argv[2], "bwd") == 0 ? CLACT_BACKWARD
                                                      : CLACT_BACKWARD_FROM_Y;
  if (clact_lookup(argv[1], &act) != CLACT_SUCCESS ||
      clact_dtype_lookup(argv[3], &dtype) != CLACT_SUCCESS) {
    fprintf(stderr, "unknown activation or dtype\n");
    return 2;
  }
  clact_context *ctx = test_context();
  if (clact_context_supports(ctx, dtype) != CLACT_SUCCESS) {
    printf("SKIP: device does not support %s\n", argv[3]);
    clact_context_destroy(ctx);
    return TEST_SKIP;
  }
  clact_check_result r;
  /* f64: a lighter sweep (16 significands per exponent and sign, 16384 random inputs, the
   * edges, every parameter set, the layout checks) to keep the default test run short;
   * `clact check --dtype f64` runs the full one */
  clact_check_options o64 = {0};
  o64.sweep_stride = 1024;
  o64.random_count = (uint64_t)1 << 16;
  clact_status st =
      clact_check(ctx, act, dir, dtype, NULL, dtype == CLACT_F64 ? &o64 : NULL, &r, NULL, NULL);
  printf("%s %s %s: %llu results, %llu failures, max error %.3f (bound %.0f) at x=%.9g dy=%.9g "
         "(got %.9g, expected %.17g), seed %llu\n",
         argv[1], clact_direction_name(dir), argv[3], (unsigned long long)r.count,
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
  /* The check must have compared something: a run that judged nothing is not a pass. */
  uint64_t least = dtype == CLACT_F32 ? (uint64_t)1 << 24 : 65536;
  return st == CLACT_SUCCESS && r.count > least ? 0 : 1;
}
