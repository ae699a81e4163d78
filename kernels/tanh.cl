/* kernels/tanh.cl: tanh x; tanh' = sech²x = 4t/(1+t)², t = e^-2|x|; from y: (1-y)(1+y). */
static inline realv tanh_fwd(realv x, clact_p p) {
  (void)p;
  return tanh(x);
}
static inline realv tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = exp(RV(-2.0f) * fabs(x));
  realv s = RV(1.0f) / (RV(1.0f) + t);
  return dy * (RV(4.0f) * t * s * s);
}
static inline realv tanh_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * ((RV(1.0f) - y) * (RV(1.0f) + y));
}
CLACT_ELEMENTWISE(tanh)
CLACT_ELEMENTWISE_FROM_Y(tanh)
