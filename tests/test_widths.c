/* tests/test_widths.c: the layout checks (sizes 0..2^20+3, offsets, in place, guard zones,
 * results bit-identical to the canonical run) at every vector width (1, 2, 4, 8, 16) of every
 * dtype, on representative activations. The loads, stores and tail gathers that depend on the
 * width are the prelude's, shared by every activation, and each activation's math is one
 * width-generic source, so the per-activation kernel tests check the context's width (and
 * width 1 for f32 and f64, whose math is the scalar form of the f16/bf16 kernels' and f64's own)
 * only (host/check.c, check_layout). Covers a plain kernel (relu), an index-dependent one
 * (brelu), long ones (gelu, mish) and one with parameters (softplus); f64 too where the
 * device has cl_khr_fp64. */
#include "test_util.h"

int main(void) {
  clact_context *ctx = test_context();
  const clact_activation acts[] = {CLACT_RELU, CLACT_BRELU, CLACT_GELU, CLACT_MISH, CLACT_SOFTPLUS};
  /* f64 where the device has it: its canonical run is per width (built-ins, host/check.c) */
  const clact_dtype dtypes[] = {CLACT_F32, CLACT_F16, CLACT_BF16, CLACT_F64};
  for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
    for (size_t d = 0; d < 4; d++) {
      if (clact_context_supports(ctx, dtypes[d]) != CLACT_SUCCESS)
        continue;
      for (int dir = 0; dir < 2; dir++) {
        /* the layout checks, with a token sweep: no edge lists, no alternative parameter sets
         * (the sweeps are the kernel tests' job) */
        clact_check_options o = {0};
        o.sweep_stride = 1u << 31;
        o.random_count = 1;
        o.no_edges = 1;
        o.no_param_sets = 1;
        o.all_widths = 1;
        clact_check_result r;
        clact_status st =
            clact_check(ctx, acts[a], (clact_direction)dir, dtypes[d], NULL, &o, &r, NULL, NULL);
        if (st != CLACT_SUCCESS)
          fprintf(stderr, "%s %s %s: %s: %s\n", clact_name(acts[a]),
                  clact_direction_name((clact_direction)dir), clact_dtype_name(dtypes[d]),
                  clact_status_string(st), r.message);
        EXPECT_STATUS(st, CLACT_SUCCESS);
        EXPECT(r.count > 0);
      }
    }
  }
  clact_context_destroy(ctx);
  return test_result();
}
