/* kernels/softplus.cl: softplus, beta = p0 > 0, threshold = p1:  x when beta x > threshold, else
 * log1p(e^(beta x))/beta. z = beta x is carried exactly as zh + zl (else e^z would inherit |z| ulp
 * of relative error), and the threshold test is on the exact z. With w = e^-|z| = 2^k (m + ml): z
 * <= 0: log1p(w)/beta,   z > 0: (z + log1p(w))/beta = x + log1p(w)/beta. log1p(w) = u + u^2 G(u)
 * with u = w for w <= 1/2, and ln 2 + log1p(u), u = (w - 1)/2 (exact) above: on [-1/4, 1/2] the
 * Horner scheme of G is well conditioned (near w = 1 the series of log1p(w) is not). log1p(w) is
 * kept as a pair, summed with z as a pair, and divided by beta with one pair quotient (exact for
 * beta = 1): ~0.6 ulp for every beta (clact_log1pexp, in the prelude). f' = 1 beyond the threshold
 * (the branch the forward selects), else σ(βx). */

static inline realv softplus_fwd(realv x, clact_p p) {
  realv beta = RV(p.p0);
  realv th = RV(p.p1);
  realv zl;
  realv zh = clact_scaled_pair(x, beta, &zl);
  intv big = (zh > th) | ((zh == th) & (zl > 0.0f));
  return big ? x : clact_log1pexp(zh, zl, beta);
}

static inline realv softplus_bwd(realv x, realv dy, clact_p p) {
  realv beta = RV(p.p0);
  realv th = RV(p.p1);
  realv zl;
  realv zh = clact_scaled_pair(x, beta, &zl);
  intv big = (zh > th) | ((zh == th) & (zl > 0.0f));
  intv k;
  realv q = clact_xsigmoid(RV(1.0f), zh, zl, &k);
  realv dx = clact_mul_pow2(dy, q, k);
  dx = (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
  return big ? dy : dx;
}

/* From y: dy when beta y > threshold, else dy (1 - e^(-beta y)) with beta y exact as a pair.
 * For |beta y| < 2^-100 the factor is beta y itself, formed as beta (y 2^64) 2^-64 after dy: a
 * subnormal beta*y would have lost its low bits (and the pair its tail), dy up to FLT_MAX can
 * make them visible. */
static inline realv softplus_bwd_y(realv y, realv dy, clact_p p) {
  realv beta = RV(p.p0);
  realv th = RV(p.p1);
  realv zl;
  realv zh = clact_scaled_pair(y, beta, &zl);
  intv big = (zh > th) | ((zh == th) & (zl > 0.0f));
  realv e = clact_expm1(-zh, -zl);
  realv tiny = clact_ldexp(dy * (beta * (y * 0x1p64f)), (intv)(-64));
  realv dx = fabs(zh) < 0x1p-100f ? tiny : dy * -e;
  return big ? dy : dx;
}
CLACT_ELEMENTWISE(softplus)
CLACT_ELEMENTWISE_FROM_Y(softplus)
