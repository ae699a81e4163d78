/* kernels/swish.cl: swish, beta = p0 > 0 (finite): x sigma(beta x); f' = sigma(beta x)
 * (1 + beta x sigma(-beta x)). No kink; f(-0) = -0, f(-inf) = -0, f(+inf) = +inf, f'(-inf) = 0,
 * f'(+inf) = 1. beta = 1 is silu.
 * beta x is carried as an exact pair (TwoProduct), x sigma(z) is one pair quotient (~0.6 ulp), and
 * the derivative the prelude's clact_xsigmoid_bwd with v = z (the helpers clact_swish_fwd/bwd,
 * shared with quick_gelu). beta <= 0 is rejected: the derivative helper takes sign(z) = sign(x),
 * and beta = 0 (x/2) would need inf * 0 cases of its own. */
#if defined(CLACT_DEFAULT_PARAMS) && !defined(CLACT_DTYPE_F64)
/* beta = 1, the default (a program of its own, host/program.c): silu's plain-rounding kernel,
 * as fast as silu. (In float64 beta x is already exact at beta = 1.) */
static inline realv swish_fwd(realv x, clact_p p) {
  (void)p;
  return clact_silu_fwd(x);
}

static inline realv swish_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return clact_silu_bwd(x, dy);
}
#else
static inline realv swish_fwd(realv x, clact_p p) {
  return clact_swish_fwd(x, RV(p.p0));
}

static inline realv swish_bwd(realv x, realv dy, clact_p p) {
  return clact_swish_bwd(x, dy, RV(p.p0));
}
#endif
CLACT_ELEMENTWISE(swish)
