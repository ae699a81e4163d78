/* kernels/silu.cl: silu: x sigma(x); bwd dy sigma(x)(1 + x sigma(-x)).
 * float: the prelude's clact_silu_fwd and clact_silu_bwd (x / (1 + e^-x) in plain roundings),
 * which swish also runs for its default beta = 1. */
#if defined(CLACT_DTYPE_F64)
static inline realv silu_fwd(realv x, clact_p p) {
  (void)p;
  return x == RV(0.0) ? x : clact_d_xsigmoid(x, x, RV(0.0));
}
static inline realv silu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return clact_d_xsigmoid_bwd(x, RV(0.0), x, dy);
}
#else
static inline realv silu_fwd(realv x, clact_p p) {
  (void)p;
  return clact_silu_fwd(x);
}

static inline realv silu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return clact_silu_bwd(x, dy);
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(silu)
