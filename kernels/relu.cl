/* kernels/relu.cl: relu f(x) = x > 0 ? x : 0, NaN kept (no fmax: its NaN behaviour drops it).
 * relu(-0) = +0. Kink convention (PyTorch): relu'(0) = 0. From y: y > 0 <=> x > 0.
 * Forward: one compare and one select (a NaN fails x <= 0 and passes through; the store
 * canonicalises it, TO_RAW): in bfloat16 that is as cheap as the copy kernel (bench/lab/cputime:
 * 0.20-0.235 CPU ns per element against 0.244-0.265 for the three-way form). */
static inline realv relu_fwd(realv x, clact_p p) {
  (void)p;
  return x <= RV(0.0f) ? RV(0.0f) : x;
}
static inline realv relu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * (x > RV(0.0f) ? RV(1.0f) : (x <= RV(0.0f) ? RV(0.0f) : x));
}
static inline realv relu_bwd_y(realv y, realv dy, clact_p p) {
  return relu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(relu)
CLACT_ELEMENTWISE_FROM_Y(relu)
