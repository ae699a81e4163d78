/* kernels/arctan.cl: arctan: atan x; f' = 1/(1 + x^2); from y: cos^2 y. Odd (f(-0) = -0), no
 * kink, f(+-inf) = +-pi/2 (as a float), f'(+-inf) = 0.
 * Forward: clact_atan_dd (three-piece reduction, s + s^3 P(s^2), pair sums): within 0.64 ulp.
 * Backward: with |x| = a 2^e (a in [1/2, 1), e > 0; e = 0 and a = |x| below 1),
 * f' = 2^-2e / (a^2 + 2^-2e), the denominator a pair (2^-2e dropped beyond e = 40), one pair
 * quotient, dy applied before the power of two (clact_mul_pow2): x^2 never overflows and a large dy
 * times a subnormal f' stays right. From y: cos y as a pair (clact_sincos: y rounded from
 * atan x can be just above pi/2, where cos y < 0 is tiny and needs the exact reduction), squared
 * with one rounding, then times dy. */
#if defined(CLACT_DTYPE_F64)
static inline realv arctan_fwd(realv x, clact_p p) {
  (void)p;
  return atan(x);
}
/* 1/(1 + x^2); beyond 2^27, 1/x^2 as (dy/x)/x (no overflow of x^2) */
static inline realv arctan_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv big = (dy / x) / x;
  realv r = fabs(x) > RV(0x1p27) ? big : dy / fma(x, x, RV(1.0));
  return isnan(x) ? x + x : r;
}
static inline realv arctan_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv c = cos(y);
  return (dy * c) * c;
}
#else
static inline realv arctan_fwd(realv x, clact_p p) {
  (void)p;
  realv lo;
  return clact_atan_dd(x, &lo);
}

static inline realv arctan_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv es;
  realv dl;
  realv dh = clact_one_plus_sq_scaled(x, &dl, &es);
  realv g = clact_div_dd(RV(1.0f), RV(0.0f), dh, dl);
  realv dx = clact_mul_pow2(dy, g, -2 * es);
  return isinf(x) ? dy * 0.0f : dx;
}

static inline realv arctan_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv sl, ch, cl;
  clact_sincos(y, &sl, &ch, &cl);
  return dy * fma(ch, ch, 2.0f * ch * cl);
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(arctan)
CLACT_ELEMENTWISE_FROM_Y(arctan)
