/* kernels/bias_grad.cl: db[c] = sum of dx over channel c of an N x C x inner layout (element i
 * of the call belongs to channel (i / inner) % channels): the bias gradient of the fused-bias
 * backward (not an activation). Built with CLACT_VW = 1.
 * One work-group per channel; each work-item sums a strided share of the channel with
 * compensated (Kahan-Babuska) summation, then the work-group combines the partial pairs in a
 * fixed tree order: the result does not depend on timing, so it is reproducible. */
#define CLACT_BG_LOCAL 64

__kernel __attribute__((reqd_work_group_size(CLACT_BG_LOCAL, 1, 1))) void
clact_bias_grad(__global const raw_t *dx, ulong dxo, ulong n, ulong channels, ulong inner,
                __global raw_t *db, ulong dbo) {
  const ulong c = get_group_id(0);
  const uint lid = (uint)get_local_id(0);
  __local real part_s[CLACT_BG_LOCAL], part_e[CLACT_BG_LOCAL];
  real s = 0, e = 0;
  /* the k-th element of channel c: block k / inner, position k % inner */
  for (ulong k = lid;; k += CLACT_BG_LOCAL) {
    ulong i = (k / inner) * channels * inner + c * inner + k % inner;
    if (i >= n)
      break;
    real v = TO_REAL(dx[dxo + i]);
    real t = s + v; /* Neumaier's variant: the lost low part goes to e */
    e += fabs(s) >= fabs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  part_s[lid] = s;
  part_e[lid] = e;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint h = CLACT_BG_LOCAL / 2; h > 0; h /= 2) {
    if (lid < h) {
      real a = part_s[lid], b = part_s[lid + h];
      real t = a + b;
      part_e[lid] += part_e[lid + h] + (fabs(a) >= fabs(b) ? (a - t) + b : (b - t) + a);
      part_s[lid] = t;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    db[dbo + c] = TO_RAW(part_s[0] + part_e[0]);
}
