/* kernels/affine.cl: affine f(x) = αx + β (p0 = α, p1 = β), as fma(α, x, β): correctly rounded.
 * Signed zero: with β = 0 the function is linear and f = αx exactly (f(-0) = -0 for α > 0, as
 * for odd functions), otherwise IEEE's αx + β (a zero sum is +0). α = 0: f = β for every
 * non-NaN x, ±inf included (the limit, not 0*inf). NaN in -> quiet NaN out.
 * f' = α, with dx = dy * α (NaN for a NaN x). From y: the same α (f' does not depend on x). */
static inline realv affine_fwd(realv x, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv r = al == RV(0.0f) ? be : (be == RV(0.0f) ? al * x : fma(al, x, be));
  return isnan(x) ? x + x : r;
}
static inline realv affine_bwd(realv x, realv dy, clact_p p) {
  return dy * clact_nan_or(x, RV(p.p0));
}
static inline realv affine_bwd_y(realv y, realv dy, clact_p p) {
  return affine_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(affine)
CLACT_ELEMENTWISE_FROM_Y(affine)
