/* kernels/elu.cl: elu, alpha = p0:  x > 0 ? x : alpha (e^x - 1);  bwd x > 0 ? dy : dy alpha e^x;
 * bwd_y (alpha > 0): y > 0 ? dy : dy (y + alpha).  float: two roundings after the prelude's
 * clact_exps (see elu_fwd). elu(-0) = -0 (x >= 0 selects x). Branch convention: the x <= 0 branch
 * at x = 0 for the derivative, so elu'(0) = alpha (from x and from y alike). */
#if defined(CLACT_DTYPE_F64)
static inline realv elu_fwd(realv x, clact_p p) {
  return x >= RV(0.0) ? x : RV(p.p0) * expm1(x);
}
static inline realv elu_bwd(realv x, realv dy, clact_p p) {
  realv k;
  realv m = clact_d_expk(x, RV(0.0), &k);
  realv dx = clact_d_mul_pow2(dy, RV(p.p0) * m, k);
  dx = isinf(x) ? dy * RV(0.0) : dx;
  return x > RV(0.0) ? dy : (isnan(x) ? x + x : dx);
}
static inline realv elu_bwd_y(realv y, realv dy, clact_p p) {
  return y > RV(0.0) ? dy : dy * (y + RV(p.p0));
}
#else

/* x < 0: alpha (e^x - 1) = alpha 2^k s + alpha (2^k - 1), e^x = 2^k (1 + s) (clact_exps): 2^k - 1
 * is exact (k >= -24; below, the result is -alpha to the last bit anyway) and the first product
 * is exact, so two roundings in all. */
static inline realv elu_fwd(realv x, clact_p p) {
  realv alpha = RV(p.p0);
  intv k;
  realv s = clact_exps(x, RV(0.0f), &k);
  realv pk = clact_pow2i(k < -60 ? (intv)(-60) : k);
  realv res = fma(alpha * pk, s, alpha * (pk - 1.0f));
  return x >= 0.0f ? x : res;
}

/* alpha e^x = 2^k alpha (1 + s), dy applied by clact_mul_pow2: right for every dy when
 * 2^-60 <= |alpha| <= 2^60 (beyond, alpha e^x may round to a subnormal, or alpha 2^-64 dy overflow,
 * before the last factor is applied; only for dy and alpha both extreme). */
static inline realv elu_bwd(realv x, realv dy, clact_p p) {
  realv alpha = RV(p.p0);
  intv k;
  realv s = clact_exps(x, RV(0.0f), &k);
  realv g = fma(alpha, s, alpha);
  realv dx = clact_mul_pow2(dy, g, k);
  dx = (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
  return x > 0.0f ? dy : dx;
}

static inline realv elu_bwd_y(realv y, realv dy, clact_p p) {
  realv alpha = RV(p.p0);
  return y > 0.0f ? dy : dy * (y + alpha);
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(elu)
CLACT_ELEMENTWISE_FROM_Y(elu)
