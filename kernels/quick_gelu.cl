/* kernels/quick_gelu.cl: quick_gelu: x sigma(1.702 x), swish with beta = 1.702 as a float32
 * (0x1.b3b646p+0, PyTorch's and OpenAI's constant as their float kernels see it; the reference uses
 * the same value). Conventions and method: kernels/swish.cl (clact_swish_fwd/bwd). */
#define CLACT_QUICK_GELU_BETA 0x1.b3b646p+0f

static inline realv quick_gelu_fwd(realv x, clact_p p) {
  (void)p;
  return clact_swish_fwd(x, RV(CLACT_QUICK_GELU_BETA));
}

static inline realv quick_gelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return clact_swish_bwd(x, dy, RV(CLACT_QUICK_GELU_BETA));
}
CLACT_ELEMENTWISE(quick_gelu)
