/* kernels/silu.cl: silu: x sigma(x); bwd dy sigma(x)(1 + x sigma(-x)).
 * float: x / (1 + e^-x) by the prelude's clact_n_inv_1pe (~1.6 ulp over every 64th float32;
 * bench/lab/fast). x > 20: the result rounds to x (x e^-x < ulp(x)/2); x < -200: the result is -0,
 * as at -inf. */
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
  realv f = clact_n_inv_1pe(xc, -xc, RV(0.0f));
  return x > 20.0f ? x : f;
}

static inline realv silu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv xc = x < -200.0f ? RV(-200.0f) : x;
  xc = xc > 200.0f ? RV(200.0f) : xc;
  realv dx = clact_xsigmoid_bwd_s(xc, RV(0.0f), xc, dy);
  return (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(silu)
