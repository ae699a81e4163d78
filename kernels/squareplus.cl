/* kernels/squareplus.cl: squareplus f(x) = (x + √(x² + b))/2 (p0 = b in (0, 1e18]), evaluated
 * as (s + |x|)/2 for x >= 0 and b/(2(s + |x|)) for x < 0 (s = √(x²+b)), the cancellation-free
 * form of the left side. f > 0: f(-inf) = +0, f(+inf) = +inf, f(±0) = √b/2; NaN in -> quiet
 * NaN out. Smooth: no kink.
 * Accuracy: x² + b = sh + sl (TwoProduct, TwoSum), s = t + tl from the exact residual of t²,
 * A = s + |x| = ah + al (FastTwoSum, t >= |x|); A/2, or b/(2A) corrected by its exact residual:
 * about half an ulp. Where x² > 2^60 b (so x² could overflow), f = x or b/(4|x|) up to a
 * relative 2^-62. b <= 1e18 < 2^60 keeps x² + b finite below that switch.
 * Derivative: (1 + x/s)/2 for x >= 0; b/(2s(s + |x|)) = f/s for x < 0 (no cancellation); beyond
 * the switch 1, or b/(4x²) = K² with K = √b/(2|x|) in [2^-204, 2^-31], applied as
 * ((dy 2^-64) ks) ks or ((dy ks) ks) 2^-64 with ks = K 2^32 (by the size of dy) so that dx
 * neither overflows nor underflows early; dy = ±inf gives ±inf for every finite x (f' > 0).
 * From y: f' = y²/(y² + b), as ((dy r) r)/(1 + r²) with r = y/√b for y < √b, dy/(1 + r²) with
 * r = √b/y above (no overflow of y², no early underflow of dx). */
/* f(x) in the main range (x² <= 2^60 b) and s = √(x² + b) rounded */
static inline realv squareplus_main(realv x, realv b, realv *s) {
  realv a = fabs(x);
  realv ql, se;
  realv qh = clact_two_prod(x, x, &ql);
  realv sh = clact_two_sum(qh, b, &se);
  realv sl = se + ql; /* x² + b = sh + sl */
  realv t = sqrt(sh);
  realv tl = (fma(-t, t, sh) + sl) / (t + t); /* s = t + tl */
  realv ah = t + a;
  realv al = ((t - ah) + a) + tl; /* s + |x| = ah + al */
  realv pos = (ah + al) * RV(0.5f);
  realv den = ah + ah;
  realv q = b / den;
  realv neg = q + (fma(-q, den, b) - q * (al + al)) / den; /* b/(2(ah + al)) */
  *s = t + tl;
  return x >= RV(0.0f) ? pos : neg;
}
static inline realv squareplus_fwd(realv x, clact_p p) {
  realv b = RV(p.p0), s;
  realv m = squareplus_main(x, b, &s);
  realv large = x > RV(0.0f) ? x : (b * RV(0.25f)) / fabs(x);
  return x * x > b * RV(0x1p60f) ? large : m;
}
static inline realv squareplus_bwd(realv x, realv dy, clact_p p) {
  realv b = RV(p.p0), s;
  realv a = fabs(x);
  realv m = squareplus_main(x, b, &s);
  realv d = x >= RV(0.0f) ? (RV(1.0f) + x / s) * RV(0.5f) : m / s;
  /* beyond the switch, x < 0: f' = K² with K = √b/(2|x|) in [2^-204, 2^-31]; ks = K 2^32 */
  realv ks = (sqrt(b) * RV(0x1p31f)) / a;
  realv kk =
      fabs(dy) >= RV(0x1p64f) ? ((dy * RV(0x1p-64f)) * ks) * ks : ((dy * ks) * ks) * RV(0x1p-64f);
  kk = isinf(dy) && a < RV(INFINITY) ? dy : kk; /* f' > 0, even where K² is below float32 */
  realv large = x > RV(0.0f) ? dy : kk;
  return x * x > b * RV(0x1p60f) ? large : dy * d;
}
static inline realv squareplus_bwd_y(realv y, realv dy, clact_p p) {
  realv rb = sqrt(RV(p.p0));
  realv r = y < rb ? y / rb : rb / y;
  realv den = RV(1.0f) + r * r;
  return y < rb ? ((dy * r) * r) / den : dy / den;
}
CLACT_ELEMENTWISE(squareplus)
CLACT_ELEMENTWISE_FROM_Y(squareplus)
