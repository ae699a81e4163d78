/* kernels/gen_exhaustive.cl: the checker's float32 sweep inputs, generated on the device from
 * the element's position, so that `clact check` (and its --exhaustive mode, all 2^32 inputs)
 * uploads no input buffer. Not an activation: host/check.c builds it on its own
 * (clact__build_extra) and then runs the activation's ordinary kernel on the buffers it fills.
 *
 * Position p of a sweep: input i = p >> dup_shift (brelu sees every input at an even and an odd
 * index), h = mix64(i ^ 0x5DEECE66D), x = bits(i * stride + (h mod stride)) (the stride is a
 * power of two: 1 for --exhaustive), dy = 1 (dy_mode 1) or the hash dy of dy_for() (dy_mode
 * 2). host/check.c computes the same values with sweep_input() to judge the results, and
 * compares the device's inputs with its own on the first chunk and at both ends of every
 * chunk, so a divergence of the two copies is a check failure, never a silent change of the
 * inputs. Integer operations only. */

/* splitmix64's finaliser */
static inline ulong gen_mix64(ulong z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
  return z ^ (z >> 31);
}

/* host/check.c dy_for(): a quarter exactly 1, one in 16 -1, the rest of random sign and
 * mantissa with exponents in [-8, 8] (mostly), [-60, 60] or [-126, 126]. */
static inline uint gen_dy(ulong h) {
  uint cls = (uint)(h & 15UL);
  if (cls < 4u)
    return 0x3F800000u;
  if (cls == 4u)
    return 0xBF800000u;
  /* e uniform in [-span, span], span 8, 60 or 126: constant divisors (no 64-bit division) */
  ulong v = h >> 8;
  int e = cls < 14u    ? (int)(v % 17UL) - 8
          : cls == 14u ? (int)(v % 121UL) - 60
                       : (int)(v % 253UL) - 126;
  uint mant = (uint)(h >> 24) & 0x7FFFFFu;
  uint sign = (uint)(h >> 60) & 1u;
  return (sign << 31) | ((uint)(e + 127) << 23) | mant;
}

__kernel void clact_gen_sweep(__global uint *x, __global uint *dy, ulong first, ulong n,
                              uint dup_shift, uint stride, uint dy_mode) {
  ulong k = get_global_id(0);
  if (k >= n)
    return;
  ulong i = (first + k) >> dup_shift;
  if (stride == 1u && dy_mode != 2u) { /* every input, dy = 1 or none: no hash */
    x[k] = (uint)i;
    if (dy_mode == 1u)
      dy[k] = 0x3F800000u;
    return;
  }
  ulong h = gen_mix64(i ^ 0x5DEECE66DUL);
  x[k] = (uint)(i * (ulong)stride + (h & (ulong)(stride - 1u)));
  if (dy_mode == 1u)
    dy[k] = 0x3F800000u;
  else if (dy_mode == 2u)
    dy[k] = gen_dy(h);
}
