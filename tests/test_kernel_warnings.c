/* tests/test_kernel_warnings.c: every kernel source compiles without a compiler warning. The
 * device compiler's warnings reach users' terminals on some drivers (NVIDIA's OpenCL printed
 * "1 warning generated" for maxout on an H200: docs/performance.md, GPU), so a warning is a
 * defect here. Builds, with the program cache off and every build log read
 * (clact__collect_build_warnings), at the context's vector widths: every activation and the
 * copy kernel in every dtype the device has, in float32 also with blending and a fused bias (the
 * variant with the most code: CLACT_BLEND=2, CLACT_BIAS=1); every row operation and the
 * per-channel operations in every dtype, in all their variants in float32; then the same in
 * float32 at width 1 (scalar code: some warnings fire on scalars only). PoCL's build log carries
 * the front end's (clang's) warnings. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "internal.h"
#include "structured_internal.h"
#include "test_util.h"

#include <stdlib.h>

int main(void) {
  setenv("CLACT_CACHE", "off", 1); /* a cached binary is not built, and its log is empty */
  clact_context *ctx = test_context();
  clact__collect_build_warnings(ctx, 1);
  const clact_dtype dtypes[] = {CLACT_F32, CLACT_F16, CLACT_BF16, CLACT_F64};
  size_t built = 0;
  /* pass 0 at the context's widths, pass 1 at width 1 (a warning can depend on the width:
   * clang's -Wlogical-not-parentheses fires on scalars only); the row and per-channel kernels'
   * widths are fixed per context (row_width, struct_width), so pass 1 releases the programs and
   * sets them to 1 */
  unsigned width = clact_context_vector_width(ctx);
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      if (width == 1 && ctx->row_width == 1 && ctx->struct_width == 1)
        break;
      mtx_lock(&ctx->lock);
      clact__release_programs(ctx);
      ctx->row_width = 1;
      ctx->struct_width = 1;
      mtx_unlock(&ctx->lock);
      width = 1;
    }
    for (size_t d = 0; d < (pass == 0 ? 4 : 1); d++) { /* width 1: float32 */
      if (clact_context_supports(ctx, dtypes[d]) != CLACT_SUCCESS)
        continue;
      int all = dtypes[d] == CLACT_F32; /* every variant in float32 only */
      /* the plain program, the one for the default parameters (the same program unless the
       * kernel specialises them) and, in float32, blending with bias */
      static const int variants[] = {0, CLACT_VARIANT_DEFAULTS, CLACT_VARIANT(2, 1)};
      for (int slot = 0; slot <= CLACT_SLOT_COPY; slot++)
        for (int v = 0; v < (all && slot != CLACT_SLOT_COPY ? 3 : 2); v++) {
          clact_program *p;
          mtx_lock(&ctx->lock);
          clact_status st = clact__program(ctx, slot, dtypes[d], width, variants[v], &p, NULL);
          mtx_unlock(&ctx->lock);
          EXPECT_STATUS(st, CLACT_SUCCESS);
          built++;
        }
      for (int op = 0; op < CLACT_STRUCTURED_COUNT; op++) {
        EXPECT_STATUS(clact__structured_prepare_all(ctx, (clact_structured)op, dtypes[d], all),
                      CLACT_SUCCESS);
        built++;
      }
      EXPECT_STATUS(clact__channel_prepare_all(ctx, dtypes[d], all), CLACT_SUCCESS);
      built++;
    }
  }
  const char *log;
  unsigned long n = clact__build_warnings(ctx, &log);
  if (n != 0)
    fprintf(stderr, "%lu program build(s) with warnings; the first log:\n%s\n", n, log);
  EXPECT(n == 0);
  printf("%zu program groups built, %lu with warnings\n", built, n);
  clact_context_destroy(ctx);
  return test_result();
}
