/* kernels/gelu.cl: gelu(x) = x Φ(x) = ½x erfc(-x/√2); gelu' = Φ(x) + x φ(x). No from-y. */
static inline realv gelu_fwd(realv x, clact_p p) {
  (void)p;
  realv r = RV(0.5f) * x * erfc(x * RV(-0.70710678118654752f));
  return isinf(x) ? (x > RV(0.0f) ? x : RV(-0.0f)) : r;
}
static inline realv gelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv phi = RV(0.39894228040143268f) * exp(RV(-0.5f) * x * x);
  realv d = RV(0.5f) * erfc(x * RV(-0.70710678118654752f)) + x * phi;
  return dy * (isinf(x) ? (x > RV(0.0f) ? RV(1.0f) : RV(0.0f)) : d);
}
CLACT_ELEMENTWISE(gelu)
