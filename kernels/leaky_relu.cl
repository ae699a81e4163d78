/* kernels/leaky_relu.cl: f(x) = x > 0 ? x : slope*x (p0 = slope), so f(-0) = -0 and NaN goes
 * through the product (quiet). Kink convention (PyTorch): f'(0) = slope. From y (slope > 0):
 * y > 0 <=> x > 0. */
static inline realv leaky_relu_fwd(realv x, clact_p p) {
  return x > RV(0.0f) ? x : x * p.p0;
}
static inline realv leaky_relu_bwd(realv x, realv dy, clact_p p) {
  return dy * (x > RV(0.0f) ? RV(1.0f) : (x <= RV(0.0f) ? RV(p.p0) : x));
}
static inline realv leaky_relu_bwd_y(realv y, realv dy, clact_p p) {
  return leaky_relu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(leaky_relu)
CLACT_ELEMENTWISE_FROM_Y(leaky_relu)
