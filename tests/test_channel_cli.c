/* tests/test_channel_cli.c: a stand-alone driver of host/cli/channel_cli.c (what `clact list`,
 * `clact check` and `clact bench` call for the per-channel activations), for the CTest smoke
 * tests and for measuring:
 *   test_channel_cli list | json | split NAME... | check [quick|full] DTYPE... |
 *                    bench OP DTYPE TIME_S [N C INNER [HINGES]] */
#include "channel_cli.h"

#include <stdlib.h>
#include <string.h>

static clact_context *open_ctx(void) {
  clact_context *ctx = NULL;
  clact_status st = clact_context_create(&ctx, NULL);
  if (st == CLACT_ERROR_NO_DEVICE)
    exit(77);
  if (st != CLACT_SUCCESS)
    exit(CLI_EXIT_DEVICE);
  return ctx;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "list") == 0) {
    cli_channel_list(stdout);
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "json") == 0) {
    fputs("[\n  {\"id\": \"before\"}", stdout);
    cli_channel_list_json(stdout, 1);
    fputs("\n]\n", stdout);
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "split") == 0) {
    clact_channel_op ops[CLACT_CHANNEL_COUNT];
    char **rest = calloc((size_t)argc, sizeof *rest);
    size_t nops = 0;
    int nrest = 0;
    if (!rest)
      return 1;
    cli_channel_split(argv + 2, argc - 2, ops, &nops, rest, &nrest);
    for (size_t i = 0; i < nops; i++)
      printf("op %s\n", clact_channel_name(ops[i]));
    for (int i = 0; i < nrest; i++)
      printf("rest %s\n", rest[i]);
    free(rest);
    return 0;
  }
  if (argc >= 4 && strcmp(argv[1], "check") == 0) {
    clact_dtype dtypes[CLACT_DTYPE_COUNT];
    size_t nd = 0;
    for (int i = 3; i < argc && nd < CLACT_DTYPE_COUNT; i++)
      if (clact_dtype_lookup(argv[i], &dtypes[nd++]) != CLACT_SUCCESS)
        return CLI_EXIT_USAGE;
    clact_channel_op ops[CLACT_CHANNEL_COUNT] = {CLACT_CH_PRELU, CLACT_CH_APL};
    clact_context *ctx = open_ctx();
    size_t passed = 0, failed = 0, errors = 0;
    int rc =
        cli_channel_check_all(ctx, ops, CLACT_CHANNEL_COUNT, dtypes, nd, 1,
                              strcmp(argv[2], "quick") == 0, stdout, &passed, &failed, &errors);
    printf("\n%zu passed, %zu failed, %zu stopped by an error\n", passed, failed, errors);
    clact_context_destroy(ctx);
    return rc;
  }
  if (argc >= 5 && strcmp(argv[1], "bench") == 0) {
    clact_channel_op op;
    clact_dtype dtype;
    if (clact_channel_lookup(argv[2], &op) != CLACT_SUCCESS ||
        clact_dtype_lookup(argv[3], &dtype) != CLACT_SUCCESS)
      return CLI_EXIT_USAGE;
    size_t n = 0, c = 0, inner = 0;
    unsigned hinges = 0;
    if (argc >= 8) {
      n = strtoull(argv[5], NULL, 10);
      c = strtoull(argv[6], NULL, 10);
      inner = strtoull(argv[7], NULL, 10);
    }
    if (argc >= 9)
      hinges = (unsigned)strtoul(argv[8], NULL, 10);
    clact_context *ctx = open_ctx();
    int rc = cli_channel_bench(ctx, op, dtype, n, c, inner, hinges, strtod(argv[4], NULL), stdout);
    clact_context_destroy(ctx);
    return rc;
  }
  fprintf(stderr, "usage: test_channel_cli list | json | split NAME... | check quick|full "
                  "DTYPE... | bench OP DTYPE TIME_S [N C INNER [HINGES]]\n");
  return CLI_EXIT_USAGE;
}
