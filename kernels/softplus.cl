/* kernels/softplus.cl: softplus(x) = βx > threshold ? x : log1p(e^(βx))/β (p0 = β > 0,
 * p1 = threshold). f' = 1 beyond the threshold, else σ(βx). From y: 1 - e^(-βy). */
static inline realv softplus_fwd(realv x, clact_p p) {
  realv bx = p.p0 * x;
  realv r = (fmax(bx, RV(0.0f)) + log1p(exp(-fabs(bx)))) / p.p0;
  return bx > RV(p.p1) ? x : r;
}
static inline realv softplus_bwd(realv x, realv dy, clact_p p) {
  realv bx = p.p0 * x;
  return bx > RV(p.p1) ? dy : dy * clact_sigmoid(bx);
}
static inline realv softplus_bwd_y(realv y, realv dy, clact_p p) {
  realv by = p.p0 * y;
  return by > RV(p.p1) ? dy : dy * -expm1(-by);
}
CLACT_ELEMENTWISE(softplus)
CLACT_ELEMENTWISE_FROM_Y(softplus)
