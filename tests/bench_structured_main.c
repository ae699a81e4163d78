/* tests/bench_structured_main.c: a stand-alone driver of cli_bench_structured (the function
 * `clact bench` calls for the structured operations), for the CTest smoke test and for
 * measuring: bench_structured ID DTYPE TIME_S [ROWS COLS]. Exit 77 (skip): no device, or a
 * dtype the device does not support. */
#include "cli.h"

#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 4 && argc != 6) {
    fprintf(stderr, "usage: bench_structured ID DTYPE TIME_S [ROWS COLS]\n");
    return CLI_EXIT_USAGE;
  }
  clact_dtype dtype;
  if (clact_dtype_lookup(argv[2], &dtype) != CLACT_SUCCESS)
    return CLI_EXIT_USAGE;
  clact_context *ctx = NULL;
  clact_status st = clact_context_create(&ctx, NULL);
  if (st == CLACT_ERROR_NO_DEVICE)
    return 77;
  if (st != CLACT_SUCCESS)
    return CLI_EXIT_DEVICE;
  if (clact_context_supports(ctx, dtype) != CLACT_SUCCESS) { /* f64 without cl_khr_fp64 */
    printf("SKIP: the device does not support %s\n", clact_dtype_name(dtype));
    clact_context_destroy(ctx);
    return 77;
  }
  double t = strtod(argv[3], NULL);
  int rc = argc == 6 ? cli_bench_structured_shape(ctx, argv[1], dtype, strtoull(argv[4], NULL, 10),
                                                  strtoull(argv[5], NULL, 10), t, stdout)
                     : cli_bench_structured(ctx, argv[1], dtype, t, stdout);
  clact_context_destroy(ctx);
  return rc;
}
