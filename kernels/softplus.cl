/* kernels/softplus.cl: softplus, beta = p0 > 0, threshold = p1:  x when beta x > threshold, else
 * log1p(e^(beta x))/beta. z = beta x is carried exactly as zh + zl (else e^z would inherit |z| ulp
 * of relative error), and the threshold test is on the exact z. With w = e^-|z| = 2^k (m + ml): z
 * <= 0: log1p(w)/beta,   z > 0: (z + log1p(w))/beta = x + log1p(w)/beta. log1p(w) = u + u^2 G(u)
 * with u = w for w <= 1/2, and ln 2 + log1p(u), u = (w - 1)/2 (exact) above: on [-1/4, 1/2] the
 * Horner scheme of G is well conditioned (near w = 1 the series of log1p(w) is not). log1p(w) is
 * kept as a pair, summed with z as a pair, and divided by beta with one pair quotient (exact for
 * beta = 1): ~0.6 ulp for every beta (clact_log1pexp, in the prelude). f' = 1 beyond the threshold
 * (the branch the forward selects), else σ(βx). */
#if defined(CLACT_DTYPE_F64)
/* z = beta x as an exact pair; x when z > threshold (the exact product compared) */
static inline realv softplus_z(realv x, clact_p p, realv *zl, realv *big) {
  realv zh = clact_two_prod(x, RV(p.p0), zl);
  *zl = isinf(zh) ? RV(0.0) : *zl;
  *big = (zh > RV(p.p1)) || (zh == RV(p.p1) && *zl > RV(0.0)) ? RV(1.0) : RV(0.0);
  return zh;
}
/* z > 0: x + log1p(e^-z)/beta; z <= 0: log1p(e^z)/beta, scaled where e^z is tiny */
static inline realv softplus_fwd(realv x, clact_p p) {
  realv zl, big;
  realv zh = softplus_z(x, p, &zl, &big);
  realv beta = RV(p.p0);
  realv k;
  realv m = clact_d_expk(-fabs(zh), zh < RV(0.0) ? zl : -zl, &k);
  realv t = clact_d_ldexp(m, k);
  realv lp = log1p(t);
  realv tiny = clact_d_ldexp((m * fma(RV(-0.5), t, RV(1.0))) / beta, k);
  realv r = zh > RV(0.0) ? x + lp / beta : (t < RV(0x1p-30) ? tiny : lp / beta);
  return big != RV(0.0) ? x : (isnan(x) ? x + x : r);
}
static inline realv softplus_bwd(realv x, realv dy, clact_p p) {
  realv zl, big;
  realv zh = softplus_z(x, p, &zl, &big);
  realv dx = clact_d_xsigmoid(dy, zh, zl);
  /* beta x = -inf for a finite x: f' > 0 is below every double, dy = +-inf gives +-inf */
  dx = isinf(zh) && zh < RV(0.0) && isinf(dy) ? dy : dx;
  dx = isinf(x) && x < RV(0.0) ? dy * RV(0.0) : dx;
  return big != RV(0.0) ? dy : (isnan(x) ? x + x : dx);
}
/* 1 - e^-(beta y) */
static inline realv softplus_bwd_y(realv y, realv dy, clact_p p) {
  realv zl, big;
  realv zh = softplus_z(y, p, &zl, &big);
  realv e = fma(zl, exp(-zh), -expm1(-zh));
  return big != RV(0.0) ? dy : dy * e;
}
#else

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
  realv dx = clact_dy_sigmoid(zh, zl, dy);
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
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(softplus)
CLACT_ELEMENTWISE_FROM_Y(softplus)
