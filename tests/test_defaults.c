/* tests/test_defaults.c: the program variant for the default parameters (CLACT_VARIANT_DEFAULTS,
 * host/program.c). A call whose parameters are the registry's defaults, given or not, runs the
 * program built with -DCLACT_DEFAULT_PARAMS where the kernel source names that macro (swish: silu's
 * kernel at beta = 1; pow: x at alpha = beta = 1), and the plain program otherwise (elu); other
 * parameters run the general path. clact_prepare builds the program of the default call.
 * White-box: reads which programs the context holds. Results are compared bit for bit between
 * the ways of asking for the defaults, and against the activation's own expectations (silu's
 * results for swish, the input for pow). */
#include "internal.h"
#include "test_util.h"

#include <math.h>

#define N 4099

static float in[N], dyv[N];

/* act's direction (forward, or backward with dyv) of `in` with params (NULL: defaults) */
static void run(clact_context *ctx, clact_activation act, int bwd, const clact_params *params,
                float *out) {
  cl_int err;
  cl_context c = clact_context_cl(ctx);
  cl_mem x = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof in, in, &err);
  cl_mem d = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof dyv, dyv, &err);
  for (int i = 0; i < N; i++)
    out[i] = -12345.0f; /* poison */
  cl_mem y = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof in, out, &err);
  clact_status st = bwd ? clact_backward(ctx, act, CLACT_F32, params, N, x, 0, d, 0, y, 0, NULL)
                        : clact_forward(ctx, act, CLACT_F32, params, N, x, 0, y, 0, NULL);
  EXPECT_STATUS(st, CLACT_SUCCESS);
  clEnqueueReadBuffer(clact_context_queue(ctx), y, CL_TRUE, 0, sizeof in, out, 0, NULL, NULL);
  clReleaseMemObject(x);
  clReleaseMemObject(d);
  clReleaseMemObject(y);
}

static int built(clact_context *ctx, clact_activation act, int variant) {
  unsigned w = clact__width_index(clact_context_vector_width(ctx));
  return ctx->programs[act][CLACT_F32][w][variant].program != NULL;
}

static int same_bits(const float *a, const float *b) {
  return memcmp(a, b, N * sizeof(float)) == 0;
}

int main(void) {
  for (int i = 0; i < N; i++) {
    in[i] = (float)(i - N / 2) / 128.0f; /* [-16, 16] */
    dyv[i] = (float)((i * 37) % 101 - 50) / 16.0f;
  }
  in[0] = -0.0f;
  in[1] = INFINITY;
  in[2] = -INFINITY;
  in[3] = NAN;
  in[4] = 1e-40f;
  in[5] = -3e38f;
  clact_context *ctx = test_context();
  static float a[N], b[N], c[N];

  /* swish: defaults, unset or given, are silu's bits; another beta is the general path */
  clact_params one = clact_params_default();
  EXPECT_STATUS(clact_params_set(CLACT_SWISH, &one, "beta", 1.0), CLACT_SUCCESS);
  clact_params other = clact_params_default();
  EXPECT_STATUS(clact_params_set(CLACT_SWISH, &other, "beta", 1.5), CLACT_SUCCESS);
  EXPECT_STATUS(clact_prepare(ctx, CLACT_SWISH, CLACT_F32, NULL), CLACT_SUCCESS);
  EXPECT(built(ctx, CLACT_SWISH, CLACT_VARIANT_DEFAULTS) && !built(ctx, CLACT_SWISH, 0));
  for (int bwd = 0; bwd < 2; bwd++) {
    run(ctx, CLACT_SWISH, bwd, NULL, a);
    run(ctx, CLACT_SWISH, bwd, &one, b);
    run(ctx, CLACT_SILU, bwd, NULL, c);
    EXPECT(same_bits(a, b) && same_bits(a, c));
    run(ctx, CLACT_SWISH, bwd, &other, b);
    EXPECT(!same_bits(a, b));
  }
  EXPECT(built(ctx, CLACT_SWISH, 0)); /* the general program, for beta = 1.5 */

  /* pow: the defaults give x itself (NaN canonical), f' = 1 (dy) but at NaN */
  run(ctx, CLACT_POW, 0, NULL, a);
  for (int i = 0; i < N; i++)
    EXPECT(isnan(in[i]) ? isnan(a[i]) : memcmp(&a[i], &in[i], sizeof a[i]) == 0);
  run(ctx, CLACT_POW, 1, NULL, a);
  for (int i = 0; i < N; i++)
    EXPECT(isnan(in[i]) ? isnan(a[i]) : memcmp(&a[i], &dyv[i], sizeof a[i]) == 0);
  clact_params sq = clact_params_default();
  EXPECT_STATUS(clact_params_set(CLACT_POW, &sq, "beta", 2.0), CLACT_SUCCESS);
  run(ctx, CLACT_POW, 0, &sq, a);
  EXPECT(a[N - 1] == in[N - 1] * in[N - 1] && a[6] == in[6] * in[6]);
  EXPECT(built(ctx, CLACT_POW, CLACT_VARIANT_DEFAULTS) && built(ctx, CLACT_POW, 0));

  /* elu names no CLACT_DEFAULT_PARAMS: one program for every alpha */
  run(ctx, CLACT_ELU, 0, NULL, a);
  EXPECT(built(ctx, CLACT_ELU, 0) && !built(ctx, CLACT_ELU, CLACT_VARIANT_DEFAULTS));

  clact_context_destroy(ctx);
  return test_result();
}
