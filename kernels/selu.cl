/* kernels/selu.cl: selu, lambda = p0 > 0, alpha = p1 > 0: lambda (x > 0 ? x : alpha (e^x - 1));
 * f' = x > 0 ? lambda : lambda alpha e^x; from y: y > 0 ? lambda : y + lambda alpha.
 * Kink convention (PyTorch's elu family): the x <= 0 branch at 0 for the derivative, so
 * f'(0) = lambda alpha, from x and from y alike; the forward takes lambda x for x >= 0, so
 * f(-0) = -0. f(-inf) = -lambda alpha, f'(-inf) = 0.
 * lambda alpha is carried as an exact pair (TwoProduct) and e^x - 1 as an exact pair
 * (clact_expm1_dd): one rounding of their product, ~0.5 ulp. lambda, alpha <= 1e18 keep their
 * product finite. Backward: lambda alpha e^x with dy and the power of two applied by
 * clact_mul_scaled. From y: y + lambda alpha = (y + ch) + cl, no cancellation beyond the one the
 * bound's M = |y| + lambda alpha covers. */
#if defined(CLACT_DTYPE_F64)
static inline realv selu_fwd(realv x, clact_p p) {
  realv la = RV(p.p0 * p.p1);
  return x >= RV(0.0) ? RV(p.p0) * x : la * expm1(x);
}
static inline realv selu_bwd(realv x, realv dy, clact_p p) {
  realv la = RV(p.p0 * p.p1);
  realv k;
  realv m = clact_d_expk(x, RV(0.0), &k);
  realv dx = clact_d_mul_pow2(dy, la * m, k);
  dx = isinf(x) ? dy * RV(0.0) : dx;
  return x > RV(0.0) ? dy * RV(p.p0) : (isnan(x) ? x + x : dx);
}
static inline realv selu_bwd_y(realv y, realv dy, clact_p p) {
  return y > RV(0.0) ? dy * RV(p.p0) : dy * (y + RV(p.p0 * p.p1));
}
#else
static inline realv selu_fwd(realv x, clact_p p) {
  realv lam = RV(p.p0);
  realv cl;
  realv ch = clact_two_prod(lam, RV(p.p1), &cl);
  realv el;
  realv eh = clact_expm1_dd(x, &el);
  realv neg = fma(ch, eh, fma(ch, el, cl * eh));
  return x >= 0.0f ? lam * x : neg;
}

static inline realv selu_bwd(realv x, realv dy, clact_p p) {
  realv lam = RV(p.p0);
  realv cl;
  realv ch = clact_two_prod(lam, RV(p.p1), &cl);
  intv k;
  realv ml;
  realv m = clact_exp_dd(x, RV(0.0f), &k, &ml);
  realv g = fma(ch, m, fma(ch, ml, cl * m));
  realv dx = clact_mul_scaled(dy, g, k);
  dx = (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
  return x > 0.0f ? dy * lam : dx;
}

static inline realv selu_bwd_y(realv y, realv dy, clact_p p) {
  realv lam = RV(p.p0);
  realv cl;
  realv ch = clact_two_prod(lam, RV(p.p1), &cl);
  return y > 0.0f ? dy * lam : dy * ((y + ch) + cl);
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(selu)
CLACT_ELEMENTWISE_FROM_Y(selu)
