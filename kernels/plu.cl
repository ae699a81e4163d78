/* kernels/plu.cl: plu f(x) = max(α(x+c) - c, min(α(x-c) + c, x)) (p0 = α in [0, 1], p1 = c >= 0),
 * which for these parameters is x for |x| <= c and sign(x)(α(|x| - c) + c) beyond: odd, so it
 * is computed on a = |x| with the sign put back (f(-0) = -0). f(±inf) = ±inf for α > 0, ±c for
 * α = 0 (the limits).
 * Kink convention (no PyTorch function; the catalogue's f' = |x| > c ? α : 1): f'(±c) = 1.
 * Accuracy: α(a - c) + c with a - c = d + dl exact (FastTwoSum, a > c), α d = ph + pl exact
 * (TwoProduct) and ph + c = sh + se exact (TwoSum): one final rounding plus tiny terms.
 * From y (α > 0): |y| > c <=> |x| > c, so f' = |y| > c ? α : 1. */
static inline realv plu_fwd(realv x, clact_p p) {
  realv al = RV(p.p0), c = RV(p.p1);
  realv a = fabs(x);
  realv d = a - c;
  realv dl = (a - d) - c; /* a - c = d + dl */
  realv pl, se;
  realv ph = clact_two_prod(al, d, &pl); /* α d = ph + pl */
  realv sh = clact_two_sum(c, ph, &se);  /* ph + c = sh + se */
  realv r = sh + ((se + pl) + al * dl);
  realv lim = al > RV(0.0f) ? a : c;
  return copysign(a <= c ? a : (isinf(a) ? lim : r), x);
}
static inline realv plu_bwd(realv x, realv dy, clact_p p) {
  realv a = fabs(x);
  return dy * (a > RV(p.p1) ? RV(p.p0) : (a <= RV(p.p1) ? RV(1.0f) : x + x));
}
static inline realv plu_bwd_y(realv y, realv dy, clact_p p) {
  return plu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(plu)
CLACT_ELEMENTWISE_FROM_Y(plu)
