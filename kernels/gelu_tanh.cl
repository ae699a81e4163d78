/* kernels/gelu_tanh.cl: ½x(1+tanh u) = x σ(2u), u = √(2/π)(x + 0.044715x³). No from-y. */
static inline realv gelu_tanh_fwd(realv x, clact_p p) {
  (void)p;
  realv w = RV(1.5957691216057308f) * (x + RV(0.044715f) * x * x * x);
  realv r = x * clact_sigmoid(w);
  return isinf(x) ? (x > RV(0.0f) ? x : RV(-0.0f)) : r;
}
static inline realv gelu_tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv w = RV(1.5957691216057308f) * (x + RV(0.044715f) * x * x * x);
  realv s = clact_sigmoid(w);
  realv du = RV(0.7978845608028654f) * (RV(1.0f) + RV(0.134145f) * x * x);
  realv d = s + RV(2.0f) * x * s * (RV(1.0f) - s) * du;
  return dy * (isinf(x) ? (x > RV(0.0f) ? RV(1.0f) : RV(0.0f)) : d);
}
CLACT_ELEMENTWISE(gelu_tanh)
