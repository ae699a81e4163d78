/* kernels/elish.cl: elish: x >= 0: x sigma(x); x < 0: (e^x - 1) sigma(x).
 * f' = x >= 0: sigma(x)(1 + x sigma(-x)); x < 0: e (e^2 + 2e - 1)/(1 + e)^2, e = e^x.
 * Kink convention: f is C1 (both branches give f(0) = 0, f'(0) = 1/2); at 0 the x >= 0 branch (the
 * one the forward selects), so f(-0) = -0 (x sigma(x)). f(-inf) = -0, f(+inf) = +inf,
 * f'(-inf) = 0, f'(+inf) = 1.
 * x >= 0: silu (the prelude's swish helpers with beta = 1, ~0.6 ulp). x < 0: expm1(x) as an exact
 * pair times sigma(x) = q 2^k (one pair quotient), scaled last: ~1.1 ulp, no subnormal
 * intermediate for x < -87. Backward x < 0: e^2 + 2e - 1 = (1 + e)^2 - 2 with (1 + e)^2 as a pair
 * (its root x = ln(sqrt 2 - 1) = -0.8814 is an exact cancellation there, the bound's M = e covers
 * the rest), one pair quotient, dy applied before the last power of two (clact_mul_pow2). */
#if defined(CLACT_DTYPE_F64)
/* x >= 0: x sigma(x) (silu); x < 0: expm1(x) sigma(x) = expm1(x) m/(1 + e) 2^k;
 * f' (x < 0) = e(e^2 + 2e - 1)/(1 + e)^2 */
static inline realv elish_fwd(realv x, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(x, RV(0.0), &k);
  realv e = clact_d_ldexp(m, k);
  realv neg = clact_d_mul_pow2(expm1(x), m / (RV(1.0) + e), k);
  realv pos = clact_d_xsigmoid(x, x, RV(0.0));
  realv r = x < RV(0.0) ? neg : (x == RV(0.0) ? x : pos);
  r = isinf(x) ? (x > RV(0.0) ? x : RV(-0.0)) : r;
  return isnan(x) ? x + x : r;
}
static inline realv elish_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(x, RV(0.0), &k);
  realv e = clact_d_ldexp(m, k);
  realv q = RV(1.0) + e;
  realv neg = clact_d_mul_pow2(dy, (m * fma(e, e + RV(2.0), RV(-1.0))) / (q * q), k);
  realv pos = clact_d_xsigmoid_bwd(x, RV(0.0), x, dy);
  realv r = x < RV(0.0) ? neg : pos;
  r = isinf(x) && x < RV(0.0) ? dy * RV(0.0) : r;
  return isnan(x) ? x + x : r;
}
#else
static inline realv elish_fwd(realv x, clact_p p) {
  (void)p;
  realv el;
  realv eh = clact_expm1_dd(x, &el);
  intv k;
  realv q = clact_xsigmoid(RV(1.0f), x, RV(0.0f), &k);
  realv neg = clact_ldexp(fma(eh, q, el * q), k);
  return x >= 0.0f ? clact_swish_fwd(x, RV(1.0f)) : neg;
}

static inline realv elish_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = clact_exp_dd(x, RV(0.0f), &k, &ml);
  realv dl;
  realv dh = clact_one_plus(m, ml, k, &dl); /* 1 + e */
  realv d2l;
  realv d2 = clact_two_prod(dh, dh, &d2l);
  d2l = fma(2.0f * dh, dl, d2l); /* (1 + e)^2 = d2 + d2l */
  realv pe;
  realv ph = clact_two_sum(d2, RV(-2.0f), &pe);
  realv pl = pe + d2l; /* (1 + e)^2 - 2 */
  realv nl;
  realv nh = clact_two_prod(m, ph, &nl);
  nl = nl + fma(m, pl, ml * ph);
  realv g = clact_div_dd(nh, nl, d2, d2l);
  realv dneg = clact_mul_pow2(dy, g, k);
  dneg = isinf(x) ? dy * 0.0f : dneg;
  return x >= 0.0f ? clact_swish_bwd(x, dy, RV(1.0f)) : dneg;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(elish)
