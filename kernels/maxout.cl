/* kernels/maxout.cl: maxout along rows, y_j = max(x[j k], ..., x[j k + k - 1]) (the output row is
 * cols / k wide). The result is the input at the group's argmax, copied: the first NaN of the
 * group if it has one (NaN propagates), else the first maximum (strict >, so the first of equal
 * values wins: of -0 and +0, whichever comes first). Backward (from x) sends dy_j to that same
 * position and +0 to the other k - 1. Every result is exact.
 * -DCLACT_VW=<lanes>: a work-item takes VW consecutive groups, one lane each; element t of the
 * groups is gathered as one vector (stride k; kernels/rows.clh). */
/* The groups' results and argmax positions (first NaN, else first maximum). */
static inline realv mo_max(__global const store_t *xr, ulong k, ulong i, ulong d, uintv *arg) {
  realv best = row_load(xr, k, i, d);
  intv nan = isnan(best);
  uintv at = (uintv)0u;
  for (ulong t = 1; t < k; t++) {
    realv v = row_load(xr + t, k, i, d);
    intv take = (!nan) & (isnan(v) | (v > best));
    best = take ? v : best;
    at = take ? (uintv)(uint)t : at;
    nan = nan | isnan(v);
  }
  *arg = at;
  return best;
}

__kernel void clact_maxout_fwd(__global const store_t *x, ulong xo, ulong xp, __global store_t *y,
                               ulong yo, ulong yp, ulong rows, ulong d, ulong k CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * ROW_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  uintv arg;
  realv out = mo_max(x + xo + r * xp, k, i, d, &arg);
  row_store(y + yo + r * yp, 1, i, d, out, ROW_BL);
}

__kernel void clact_maxout_bwd(__global const store_t *x, ulong xo, ulong xp,
                               __global const store_t *dy, ulong dyo, ulong dyp,
                               __global store_t *dx, ulong dxo, ulong dxp, ulong rows, ulong d,
                               ulong k CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * ROW_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  uintv arg;
  (void)mo_max(x + xo + r * xp, k, i, d, &arg);
  realv g = row_load(dy + dyo + r * dyp, 1, i, d);
  __global store_t *dxr = dx + dxo + r * dxp;
  /* every x of these groups has been read: dx may be x exactly */
  for (ulong t = 0; t < k; t++)
    row_store(dxr + t, k, i, d, arg == (uintv)(uint)t ? g : RV(0.0f), ROW_BL);
}
