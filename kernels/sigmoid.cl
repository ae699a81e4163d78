/* kernels/sigmoid.cl: σ(x) = 1/(1+e^-x); σ' = σ(x)σ(-x); from y: y(1-y). */
static inline realv sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return clact_sigmoid(x);
}
static inline realv sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = exp(-fabs(x));
  realv s = RV(1.0f) / (RV(1.0f) + t);
  return dy * (t * s * s);
}
static inline realv sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (y * (RV(1.0f) - y));
}
CLACT_ELEMENTWISE(sigmoid)
CLACT_ELEMENTWISE_FROM_Y(sigmoid)
