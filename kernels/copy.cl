/* kernels/copy.cl: a plain copy, the bandwidth yardstick of `clact bench` (not an activation). */
static inline realv copy_fwd(realv x, clact_p p) {
  (void)p;
  return x;
}
CLACT_KERNEL_1(clact_copy, copy_fwd)
