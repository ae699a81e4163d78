/* kernels/sq_rbf.cl: sq_rbf: 1 - x^2/2 (|x| <= 1); (2 - |x|)^2/2 (1 < |x| < 2); 0 (|x| >= 2).
 * f' = -x; sgn(x)(|x| - 2); 0. Even; f(+-inf) = +0, f'(+-inf) = 0 (dy = +-inf gives NaN).
 * Kink convention: the branch the forward selects (|x| <= 1 inner, |x| >= 2 outer); f is C1, so
 * both sides give the same f' at |x| = 1 and 2 anyway.
 * Correctly rounded: fma(-x/2, x, 1) rounds once (x/2 is exact unless x is subnormal, where x^2 is
 * invisible); 2 - |x| is exact on [1, 2] (Sterbenz), its square rounds once, halving is exact
 * (the square is at least 2^-46). */
static inline realv sq_rbf_fwd(realv x, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv in = fma(-0.5f * x, x, RV(1.0f));
  realv d = 2.0f - a;
  realv mid = 0.5f * (d * d);
  realv r = a <= 1.0f ? in : (a < 2.0f ? mid : RV(0.0f));
  return isnan(x) ? x + x : r;
}

static inline realv sq_rbf_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv g = a <= 1.0f ? -x : (a < 2.0f ? copysign(2.0f - a, -x) : RV(0.0f));
  return dy * (isnan(x) ? x + x : g);
}
CLACT_ELEMENTWISE(sq_rbf)
