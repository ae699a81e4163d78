/* kernels/celu.cl: celu, alpha = p0 != 0: max(0, x) + min(0, alpha (e^(x/alpha) - 1)), i.e.
 * x > 0 ? x : alpha expm1(x/alpha) (for alpha < 0 the second term is <= 0 for x <= 0 too);
 * f' = x > 0 ? 1 : e^(x/alpha); from y: y > 0 ? 1 : y/alpha + 1.
 * Kink convention (PyTorch's elu family): the x <= 0 branch at 0 for the derivative; both give 1
 * there (C1). The forward takes x for x >= 0, so f(-0) = -0. alpha > 0: f(-inf) = -alpha,
 * f'(-inf) = 0; alpha < 0: f(-inf) = -inf, f'(-inf) = +inf.
 * z = x/alpha as a pair from the exact residual of the division (a rounded z would cost |z| ulp
 * in the exponential). f = alpha 2^s (h + l), e^z - 1 = 2^s (h + l) from clact_expm1_scaled
 * (s = 0 and an exact pair for z <= 41; for alpha < 0, z >= 0 and e^z goes up to e^199.9: alpha e^z
 * can be finite far beyond e^88 when |alpha| is small, subnormal alpha included), the mantissa of
 * alpha times the pair rounded once and the power of two applied last: ~0.5 ulp (one more
 * rounding where the result is subnormal).
 * Backward: dy e^z, e^z from clact_exp_wide, scaled last (clact_mul_scaled). From y:
 * 1 + y/alpha, the quotient corrected by its fma residual; M = 1 + |y/alpha|. */
#if defined(CLACT_DTYPE_F64)
/* q = x/alpha as a pair qh + ql */
static inline realv celu_q(realv x, realv al, realv *ql) {
  realv qh = x / al;
  *ql = fma(-qh, al, x) / al;
  *ql = isinf(qh) || isinf(x) ? RV(0.0) : *ql;
  return qh;
}
/* alpha expm1(q): q <= 40: alpha (expm1(qh) + ql e^qh); beyond, alpha e^q (the -1 is below
 * 2^-57 relative) as alpha m 2^k, which stays finite where e^q alone would overflow */
static inline realv celu_fwd(realv x, clact_p p) {
  realv al = RV(p.p0);
  realv ql;
  realv qh = celu_q(x, al, &ql);
  realv small = al * fma(ql, exp(qh), expm1(qh));
  realv k;
  realv m = clact_d_expk(qh, ql, &k);
  realv big = clact_d_mul_pow2(al, m, k);
  realv r = qh > RV(40.0) ? big : small;
  r = isinf(qh) ? al * expm1(qh) : r;
  return x >= RV(0.0) ? x : (isnan(x) ? x + x : r);
}
static inline realv celu_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0);
  realv ql;
  realv qh = celu_q(x, al, &ql);
  realv k;
  realv m = clact_d_expk(qh, ql, &k);
  realv dx = clact_d_mul_pow2(dy, m, k);
  /* x/alpha overflows for a finite x: f' = e^q is then 0 < f' < 2^-1074 or beyond DBL_MAX */
  realv tiny = isinf(dy) ? dy : dy * RV(0.0);
  realv huge = dy == RV(0.0) ? dy * RV(0.0) : dy * RV(INFINITY);
  dx = isinf(qh) ? (isinf(x) ? dy * exp(qh) : (qh > RV(0.0) ? huge : tiny)) : dx;
  return x > RV(0.0) ? dy : (isnan(x) ? x + x : dx);
}
static inline realv celu_bwd_y(realv y, realv dy, clact_p p) {
  return y > RV(0.0) ? dy : dy * (y / RV(p.p0) + RV(1.0));
}
#else
static inline realv celu_z(realv x, realv al, realv *zl) {
  realv zh = x / al;
  realv l = fma(-zh, al, x) / al;
  *zl = isinf(zh) ? RV(0.0f) : l;
  return zh;
}

static inline realv celu_fwd(realv x, clact_p p) {
  realv al = RV(p.p0);
  realv zl;
  realv zh = celu_z(x, al, &zl);
  intv s;
  realv l;
  realv h = clact_expm1_scaled(zh, zl, &s, &l);
  realv r;
  if (p.p0 > 0.0f) /* a uniform branch (alpha is a kernel argument): s = 0, |r| < alpha */
    r = fma(al, h, al * l);
  else {
    intv ea;
    realv am = clact_frexp(al, &ea);
    r = clact_ldexp_wide(fma(am, h, am * l), s + ea);
  }
  /* |z| < 2^-30: x (1 + z/2) (the rest is below 2^-62; x/alpha may be subnormal and inexact) */
  r = fabs(zh) < 0x1p-30f ? fma(x, 0.5f * zh, x) : r;
  return x >= 0.0f ? x : r;
}

static inline realv celu_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0);
  realv zl;
  realv zh = celu_z(x, al, &zl);
  intv k;
  realv ml;
  realv m = clact_exp_wide(zh, zl, &k, &ml);
  realv dx = clact_mul_scaled(dy, m + ml, k);
  dx = isinf(x) ? dy * (al < 0.0f ? RV(INFINITY) : RV(0.0f)) : dx; /* f'(-inf) */
  return x > 0.0f ? dy : dx;
}

static inline realv celu_bwd_y(realv y, realv dy, clact_p p) {
  realv al = RV(p.p0);
  realv q = y / al;
  q = isinf(q) ? q : q + fma(-q, al, y) / al;
  /* |y/alpha| > 2^100 (alpha < 0 only): the 1 is invisible, and y/alpha may overflow where dy
   * times it does not: dy (ym/am) 2^(ey - ea) */
  intv ey, ea;
  realv ym = clact_frexp(y, &ey);
  realv am = clact_frexp(al, &ea);
  realv qm = ym / am;
  qm = qm + fma(-qm, am, ym) / am;
  realv big = clact_mul_scaled(dy, qm, ey - ea);
  realv dx = fabs(q) > 0x1p100f ? big : dy * (1.0f + q);
  dx = isinf(y) ? dy * q : dx;
  return y > 0.0f ? dy : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(celu)
CLACT_ELEMENTWISE_FROM_Y(celu)
