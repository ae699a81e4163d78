/* kernels/bent_identity.cl: bent_identity f(x) = (√(x²+1) - 1)/2 + x = x + g(x) with
 * g = x²/(2(√(x²+1) + 1)) >= 0, the cancellation-free form of (√(x²+1) - 1)/2. Written
 * x*(1 + x/(2(√(x²+1)+1))), f is of the form x*h(x): f(-0) = -0. f(±inf) = ±inf; NaN in -> quiet
 * NaN out. Smooth: no kink.
 * Accuracy: for x < 0, |f| can be as small as g, so g needs better than float precision:
 * x² = qh + ql (TwoProduct), x² + 1 = sh + sl (TwoSum), √ = t + tl from the exact residual of
 * t², √ + 1 = dh + dl (FastTwoSum, t >= 1), g = (g0 + g1)/2 with g0 = qh/dh corrected by its
 * exact residual, and x + g (FastTwoSum, |x| >= g) rounded once: about half an ulp.
 * For |x| > 2^40 (where x² would overflow), f = 1.5x - 0.5 (x > 0) or x/2 - 0.5 (x < 0) up to
 * a relative 2^-80, each one fma.
 * Derivative: 1 + x/(2√(x²+1)) (in (1/2, 3/2)), ±1/2 for the fraction when |x| > 2^32, as
 * dx = fma(dy, h, dy) on dy/4 (for |dy| >= 1) scaled back; a scaled result of exactly 2^126 may
 * be a value just below the overflow threshold and is returned as ±FLT_MAX (within an ulp of
 * the exact value whichever side it is). */
#if defined(CLACT_DTYPE_F64)
/* x + x^2/(2(sqrt(x^2+1)+1)); beyond 2^60, 1.5x - 0.5 or 0.5x - 0.5 (x^2 would overflow) */
static inline realv bent_identity_fwd(realv x, clact_p p) {
  (void)p;
  realv q = x * x;
  realv g = q / (RV(2.0) * (sqrt(q + RV(1.0)) + RV(1.0)));
  realv small = x + g;
  realv big = x > RV(0.0) ? fma(RV(1.5), x, RV(-0.5)) : fma(RV(0.5), x, RV(-0.5));
  return fabs(x) > RV(0x1p60) ? big : (x == RV(0.0) ? x : small);
}
static inline realv bent_identity_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv h = x / (RV(2.0) * sqrt(fma(x, x, RV(1.0))));
  h = fabs(x) > RV(0x1p60) ? copysign(RV(0.5), x) : h;
  return isinf(dy) ? dy * (RV(1.0) + h) : fma(dy, h, dy);
}
#else
static inline realv bent_identity_fwd(realv x, clact_p p) {
  (void)p;
  realv ql, se;
  realv qh = clact_two_prod(x, x, &ql);
  realv sh = clact_two_sum(qh, RV(1.0f), &se);
  realv sl = se + ql; /* x² + 1 = sh + sl */
  realv t = sqrt(sh);
  realv tl = (fma(-t, t, sh) + sl) / (t + t); /* √(x²+1) = t + tl */
  realv dh = t + RV(1.0f);
  realv dl = ((t - dh) + RV(1.0f)) + tl; /* √(x²+1) + 1 = dh + dl */
  realv g0 = qh / dh;
  realv g1 = (fma(-g0, dh, qh) + (ql - g0 * dl)) / dh; /* x²/(dh + dl) = g0 + g1 */
  realv gh = g0 * RV(0.5f);
  realv r = x + gh;
  realv re = (gh - (r - x)) + g1 * RV(0.5f);
  realv small = r + re;
  realv big = x > RV(0.0f) ? fma(RV(1.5f), x, RV(-0.5f)) : fma(RV(0.5f), x, RV(-0.5f));
  return fabs(x) > RV(0x1p40f) ? big : (x == RV(0.0f) ? x : small);
}
static inline realv bent_identity_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv h = x / (RV(2.0f) * sqrt(fma(x, x, RV(1.0f))));
  h = fabs(x) > RV(0x1p32f) ? copysign(RV(0.5f), x) : h;
  realv sc = fabs(dy) >= RV(1.0f) ? RV(0.25f) : RV(1.0f);
  realv ds = dy * sc;
  realv rs = isinf(ds) ? ds * (RV(1.0f) + h) : fma(ds, h, ds);
  return fabs(rs) == RV(0x1p126f) ? copysign(RV(FLT_MAX), rs) : rs / sc;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(bent_identity)
