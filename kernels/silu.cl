/* kernels/silu.cl: silu: x sigma(x); bwd dy sigma(x)(1 + x sigma(-x)).
 * x sigma(x) is one pair quotient (x times the numerator pair): ~0.6 ulp. x > 20: the result
 * rounds to x (x e^-x < ulp(x)/2); x < -200: the result is -0, as at -inf. */
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
  realv xc = x < -200.0f ? RV(-200.0f) : x;
  intv k;
  realv q = clact_xsigmoid(xc, xc, RV(0.0f), &k);
  realv f = clact_ldexp(q, k);
  f = x > 20.0f ? x : f;
  return x == 0.0f ? x : f;
}

static inline realv silu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv xc = x < -200.0f ? RV(-200.0f) : x;
  xc = xc > 200.0f ? RV(200.0f) : xc;
  realv dx = clact_xsigmoid_bwd(xc, RV(0.0f), xc, dy);
  return (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(silu)
