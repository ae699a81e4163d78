/* kernels/rrelu_train.cl: rrelu in training mode. y = x for x > 0, a x otherwise (a x with a = 0
 * is -0: never 0 * -inf), NaN kept; a ~ U(lower, upper) drawn per element by Philox4x32-10
 * (Salmon, Moraes, Dror, Shaw 2011) keyed by the 64-bit seed (key = {seed lo, seed hi}) on the
 * counter {lo, hi, 0, 0} of the logical index i = r * cols + c, so that the slope of an element
 * does not depend on the pitch, the offset, the vector width or the device:
 *   u = word 0 of Philox4x32-10(counter, key), w = fl(upper - lower),
 *   a = fl(lower + fl(w * fl((u >> 8) * 2^-24)))   (float32, each operation rounded once).
 * Backward (from x) regenerates the slopes: dx = x > 0 ? dy : a dy (PyTorch's kink convention:
 * the slope at x = 0), NaN for a NaN x. Results are a x or a dy rounded once: bit-exact with
 * host/ref_structured.c. -DCLACT_VW=<lanes>: a work-item takes VW consecutive elements.
 * f64: the same float32 slopes (from lower and upper rounded to float), so that a seed gives the
 * same slopes in every dtype; a x and a dy are then products in double, rounded once. */
#define RT_VW ((ulong)CLACT_VW)

typedef V(ulong) rt_ulongv;
typedef V(uint) rt_uintv; /* (uintv has 64-bit lanes in the f64 build) */
typedef V(float) rt_floatv;
#define RT_TO_ULONG(v) V(convert_ulong)(v)
#define RT_TO_UINT(v) V(convert_uint)(v)

/* Word 0 of Philox4x32-10 of the counters {c0, c1, 0, 0} under the key {k0, k1}: ten rounds of
 * two 32 x 32 -> 64-bit products (multipliers 0xD2511F53, 0xCD9E8D57), the key bumped by the
 * Weyl constants 0x9E3779B9, 0xBB67AE85 between rounds. */
static inline rt_uintv rt_philox(rt_uintv c0, rt_uintv c1, uint k0, uint k1) {
  rt_uintv c2 = (rt_uintv)0u, c3 = (rt_uintv)0u;
  for (int round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    /* 32 x 32 -> 64-bit products as ulong lanes (one vector multiply: mul_hi on uint vectors
     * ran several times slower on PoCL) */
    rt_ulongv p0 = RT_TO_ULONG(c0) * (rt_ulongv)0xD2511F53u;
    rt_ulongv p1 = RT_TO_ULONG(c2) * (rt_ulongv)0xCD9E8D57u;
    c2 = RT_TO_UINT(p0 >> 32) ^ c3 ^ (rt_uintv)k1;
    c3 = RT_TO_UINT(p0);
    c0 = RT_TO_UINT(p1 >> 32) ^ c1 ^ (rt_uintv)k0;
    c1 = RT_TO_UINT(p1);
  }
  return c0;
}

/* The slopes of logical elements base .. base+VW-1, in float32 (lower and upper as floats:
 * in the f64 build they arrive as doubles and are rounded to nearest here, as the host rounds
 * them for the other dtypes). */
static inline realv rt_slope(ulong base, real lower_in, real upper_in, uint k0, uint k1) {
  const float lower = (float)lower_in, upper = (float)upper_in;
  uint a[CLACT_VW];
  for (uint l = 0; l < CLACT_VW; l++)
    a[l] = l;
#if CLACT_VW == 1
  rt_uintv lanes = a[0];
#else
  rt_uintv lanes = V(vload)(0, a);
#endif
  uint blo = (uint)base;
  rt_uintv lo = (rt_uintv)blo + lanes;
  rt_uintv hi = (rt_uintv)(uint)(base >> 32) + (lo < (rt_uintv)blo ? (rt_uintv)1u : (rt_uintv)0u);
  rt_uintv u = rt_philox(lo, hi, k0, k1);
  rt_floatv u24 = V(convert_float)(u >> 8) * (rt_floatv)0x1p-24f;
  float w = upper - lower;
  rt_floatv t = (rt_floatv)w * u24;
  return CONVERT_REALV((rt_floatv)lower + t);
}

__kernel void clact_rrelu_train_fwd(__global const store_t *x, ulong xo, ulong xp,
                                    __global store_t *y, ulong yo, ulong yp, ulong rows, ulong n,
                                    real lower, real upper, uint k0, uint k1 CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * RT_VW, r = get_global_id(1);
  if (i >= n || r >= rows)
    return;
  realv v = row_load(x + xo + r * xp, 1, i, n);
  realv a = rt_slope(r * n + i, lower, upper, k0, k1);
  realv neg = a > RV(0.0f) ? a * v : RV(-0.0f);
  row_store(y + yo + r * yp, 1, i, n, (v > RV(0.0f) || isnan(v)) ? v : neg, ROW_BL);
}

__kernel void clact_rrelu_train_bwd(__global const store_t *x, ulong xo, ulong xp,
                                    __global const store_t *dy, ulong dyo, ulong dyp,
                                    __global store_t *dx, ulong dxo, ulong dxp, ulong rows, ulong n,
                                    real lower, real upper, uint k0, uint k1 CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * RT_VW, r = get_global_id(1);
  if (i >= n || r >= rows)
    return;
  realv v = row_load(x + xo + r * xp, 1, i, n);
  realv g = row_load(dy + dyo + r * dyp, 1, i, n);
  realv a = rt_slope(r * n + i, lower, upper, k0, k1);
  realv d = v > RV(0.0f) ? g : a * g;
  row_store(dx + dxo + r * dxp, 1, i, n, isnan(v) ? v : d, ROW_BL);
}
