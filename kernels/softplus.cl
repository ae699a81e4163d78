/* kernels/softplus.cl: softplus, beta = p0 > 0, threshold = p1:  x when beta x > threshold, else
 * log1p(e^(beta x))/beta. z = beta x is carried exactly as zh + zl (else e^z would inherit |z| ulp
 * of relative error), and the threshold test is on the exact z. f' = 1 beyond the threshold (the
 * branch the forward selects), else σ(βx).
 * float32 forward (clact_softplus_s, in the prelude; log_sigmoid uses it too): with w = e^-|z| =
 * 2^k (1 + s) (s rounded once, the reduction's rounding error kept),
 *   z <= 0: log1p(w)/beta,   z > 0: x + log1p(w)/beta.
 * log1p(w) = ln 2 + log1p(u) with u = (w - 1)/2 (exact) for w > 1/2, else w (1 + u G(u)) with
 * u = w, one polynomial G on [-1/4, 1/2] for both (well conditioned there; near w = 1 the series
 * of log1p(w) is not). It is formed as A + B (|B| < A/4), divided by beta as A ib + (B ib + A ibl)
 * with 1/beta = ib + ibl (uniform: computed once per launch) in one fma, and added to x with one
 * rounding more; the power 2^k last. Within ~1.1 ulp for every beta (bench/lab/fast/sp.c and
 * NOTES.md: the float emulation swept against the reference), half the operations of the pair
 * arithmetic (exp_dd, TwoSums, a pair quotient) it replaced, which was ~0.6 ulp. */
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
#elif defined(CLACT_DEFAULT_PARAMS)
/* beta = 1, threshold = 20, the defaults (a program of its own, host/program.c): z = x exactly
 * (zl = 0) and 1/beta = 1, so clact_softplus_s takes its unit form (as log_sigmoid does) and
 * the pair z = beta x, the division by beta and the threshold's tie test drop out. The same bits
 * as the general kernels below at these parameters. */
static inline realv softplus_fwd(realv x, clact_p p) {
  (void)p;
  return x > 20.0f ? x : clact_softplus_s(x, x, RV(0.0f), RV(1.0f), RV(0.0f), 1);
}

static inline realv softplus_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv dx = clact_dy_sigmoid(x, RV(0.0f), dy);
  dx = (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
  return x > 20.0f ? dy : dx;
}

static inline realv softplus_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv e = clact_expm1(-y, RV(-0.0f));
  realv tiny = clact_ldexp(dy * (y * 0x1p64f), (intv)(-64));
  realv dx = fabs(y) < 0x1p-100f ? tiny : dy * -e;
  return y > 20.0f ? dy : dx;
}
#else

static inline realv softplus_fwd(realv x, clact_p p) {
  real ib = 1.0f / p.p0;
  real ibl = ib * fma(-ib, p.p0, 1.0f); /* ib + ibl = 1/beta to ~2^-48 */
  realv beta = RV(p.p0);
  realv th = RV(p.p1);
  realv zh = beta * x;
  realv zl = fma(beta, x, -zh); /* NaN where zh is infinite: only ever compared, or dropped */
  intv big = (zh > th) | ((zh == th) & (zl > 0.0f));
  return big ? x : clact_softplus_s(x, zh, zl, RV(ib), RV(ibl), 0);
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
