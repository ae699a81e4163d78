/* tests/test_channel.c: one accuracy test of the per-channel activations (include/clact/
 * channel.h): clact_check_channel for an op, direction, dtype and shape (docs/channel.md has
 * the bounds). Prints the measured maximum error (1 = the bound).
 * Usage: test_channel OP fwd|bwd DTYPE N C INNER [HINGES|shared] */
#include "clact.h"

#include "clact/channel.h"
#include "test_util.h"

#include <stdint.h>

int main(int argc, char **argv) {
  if (argc < 7 || argc > 8) {
    fprintf(stderr, "usage: test_channel OP fwd|bwd DTYPE N C INNER [HINGES|shared]\n");
    return 2;
  }
  clact_channel_op op;
  clact_dtype dtype;
  if (clact_channel_lookup(argv[1], &op) != CLACT_SUCCESS ||
      clact_dtype_lookup(argv[3], &dtype) != CLACT_SUCCESS ||
      (strcmp(argv[2], "fwd") != 0 && strcmp(argv[2], "bwd") != 0)) {
    fprintf(stderr, "test_channel: bad op, direction or dtype\n");
    return 2;
  }
  clact_direction dir = strcmp(argv[2], "fwd") == 0 ? CLACT_FORWARD : CLACT_BACKWARD;
  size_t n = strtoull(argv[4], NULL, 10), c = strtoull(argv[5], NULL, 10),
         inner = strtoull(argv[6], NULL, 10);
  unsigned hinges = op == CLACT_CH_APL ? 1 : 0;
  int shared = 0;
  if (argc == 8) {
    if (strcmp(argv[7], "shared") == 0)
      shared = 1;
    else
      hinges = (unsigned)strtoul(argv[7], NULL, 10);
  }
  clact_context *ctx = test_context();
  if (clact_context_supports(ctx, dtype) != CLACT_SUCCESS) {
    printf("SKIP: the device has no %s\n", argv[3]);
    clact_context_destroy(ctx);
    return TEST_SKIP;
  }
  clact_check_result r;
  clact_status st =
      clact_check_channel(ctx, op, dir, dtype, hinges, shared, n, c, inner, 0x5EED, &r);
  printf("%s %s %s %zux%zux%zu S=%u%s: %llu results, %llu failures, max error %.3g of the "
         "bound (worst: x %.9g dy %.9g got %.9g ref %.17g)\n",
         argv[1], argv[2], argv[3], n, c, inner, hinges, shared ? " shared" : "",
         (unsigned long long)r.count, (unsigned long long)r.failures, r.max_err, r.worst_x,
         r.worst_dy, r.worst_got, r.worst_ref);
  if (st == CLACT_SUCCESS)
    printf("%s\n", r.message);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "%s: %s\n", clact_status_string(st), r.message);
    if (st == CLACT_ERROR_BUILD_FAILED)
      fprintf(stderr, "%s\n", clact_build_log(ctx));
  }
  EXPECT_STATUS(st, CLACT_SUCCESS);
  clact_context_destroy(ctx);
  return test_failures ? 1 : 0;
}
