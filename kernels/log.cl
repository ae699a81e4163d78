/* kernels/log.cl: log: ln x (NaN for x < 0, -inf at +-0, +inf at +inf); f' = 1/x; from y: e^-y.
 * No kink; f'(+-0) = +inf (the limit from the right, as sqrt's), NaN for x < 0.
 * Forward: clact_log_reduce (x = m 2^e, a 3-bit reciprocal c of m so that u = m c - 1 is exact
 * and |u| <= 1/8, log1p(u) = u - u^2/2 + u^3 P(u)), summed in single float (log_fwd).
 * Backward: dy / x (no overflow of 1/x for a subnormal x before dy scales it), one division,
 * corrected by its exact fma residual where the device's division is not correctly rounded
 * (CLACT_CR_DIVIDE, host/program.c): correctly rounded wherever it is good to a few ulp.
 * From y: dy e^-y, e^-y from clact_exp_wide (y down to ln 2^-149 = -103.3: e^103.3 overflows, dy
 * times it need not) and scaled last; y = -inf (x = 0) gives dy * inf, y = +inf gives dy * 0. */
#if defined(CLACT_DTYPE_F64)
static inline realv log_fwd(realv x, clact_p p) {
  (void)p;
  return log(x);
}
static inline realv log_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv r = x > RV(0.0) ? dy / x : (x == RV(0.0) ? dy * RV(INFINITY) : RV(NAN));
  return isnan(x) ? x + x : r;
}
/* e^-y */
static inline realv log_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(-y, RV(0.0), &k);
  realv dx = clact_d_mul_pow2(dy, m, k);
  return isinf(y) ? dy * exp(-y) : (isnan(y) ? y + y : dx);
}
#else
/* ln x = e ln 2 - ln c + log1p(u) from clact_log_reduce, summed in single float: e ln2_h16 (exact)
 * + lch and then + u by Fast2Sums (|e ln 2| >= 0.69 > |lch| >= 0.13 > |u|, or the larger is 0),
 * their errors, the tails and u^2 (u P - 1/2) added once: within 0.6 ulp. */
static inline realv log_fwd(realv x, clact_p p) {
  (void)p;
  intv e;
  realv lch, lcl, q;
  realv u = clact_log_reduce(x, &e, &lch, &lcl, &q);
  realv ef = CONVERT_REALV(e);
  realv a = ef * CLACT_LN2_H16;
  realv s1 = a + lch, e1 = (a - s1) + lch;
  realv s2 = s1 + u, e2 = (s1 - s2) + u;
  realv tail = (e1 + e2) + (fma(ef, RV(CLACT_LN2_M24), lcl) + (u * u) * fma(u, q, RV(-0.5f)));
  realv h = s2 + tail;
  h = x == 0.0f ? RV(-INFINITY) : h;
  h = x < 0.0f ? RV(NAN) : h;
  h = x == INFINITY ? x : h;
  return isnan(x) ? x + x : h;
}

static inline realv log_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv xp = x + 0.0f; /* -0 -> +0: f'(0) = +inf */
  realv q = dy / xp;
#if defined(CLACT_CR_DIVIDE)
  realv dx = q; /* correctly rounded: the correction below would give q again */
#else
  realv c = q + fma(-q, xp, dy) / xp;
  realv dx = isinf(q) | (q == 0.0f) | isinf(xp) ? q : c;
#endif
  return x < 0.0f ? RV(NAN) : dx;
}

static inline realv log_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = clact_exp_wide(-y, RV(0.0f), &k, &ml);
  realv dx = clact_mul_scaled(dy, m + ml, k);
  return isinf(y) ? dy * (y < 0.0f ? RV(INFINITY) : RV(0.0f)) : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(log)
CLACT_ELEMENTWISE_FROM_Y(log)
