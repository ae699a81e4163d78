/* kernels/maxout.cl: maxout along rows, y_j = max(x[j k], ..., x[j k + k - 1]) (the output row is
 * cols / k wide). The result is the input at the group's argmax, copied: the first NaN of the
 * group if it has one (NaN propagates), else the first maximum (strict >, so the first of equal
 * values wins: of -0 and +0, whichever comes first). Backward (from x) sends dy_j to that same
 * position and +0 to the other k - 1. Every result is exact.
 * -DCLACT_VW=<lanes>: a work-item takes VW consecutive groups, one lane each; element t of the
 * groups is gathered as one vector (stride k). */
#define MO_VW ((ulong)CLACT_VW)

/* Element t of groups i .. i+VW-1 of a row of d groups (lanes past the end repeat group d-1). */
static inline realv mo_load(__global const store_t *p, ulong k, ulong i, ulong d, ulong t) {
  if (k == 1 && i + MO_VW <= d)
    return LOADV(p + i);
  raw_t a[CLACT_VW];
  for (uint l = 0; l < CLACT_VW; l++)
    a[l] = p[min(i + l, d - 1) * k + t];
  return LOADV(a);
}

/* The groups' results and argmax positions (first NaN, else first maximum). */
static inline realv mo_max(__global const store_t *xr, ulong k, ulong i, ulong d, uintv *arg) {
  realv best = mo_load(xr, k, i, d, 0);
  intv nan = isnan(best);
  uintv at = (uintv)0u;
  for (ulong t = 1; t < k; t++) {
    realv v = mo_load(xr, k, i, d, t);
    intv take = !nan & (isnan(v) | (v > best));
    best = take ? v : best;
    at = take ? (uintv)(uint)t : at;
    nan = nan | isnan(v);
  }
  *arg = at;
  return best;
}

__kernel void clact_maxout_fwd(__global const store_t *x, ulong xo, ulong xp, __global store_t *y,
                               ulong yo, ulong yp, ulong rows, ulong d, ulong k) {
  const ulong i = get_global_id(0) * MO_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  uintv arg;
  realv out = mo_max(x + xo + r * xp, k, i, d, &arg);
  __global store_t *yr = y + yo + r * yp;
  if (i + MO_VW <= d) {
    STOREV(out, yr + i);
    return;
  }
  raw_t a[CLACT_VW];
  STOREV(out, a);
  for (uint l = 0; l < CLACT_VW; l++)
    if (i + l < d)
      yr[i + l] = a[l];
}

__kernel void clact_maxout_bwd(__global const store_t *x, ulong xo, ulong xp,
                               __global const store_t *dy, ulong dyo, ulong dyp,
                               __global store_t *dx, ulong dxo, ulong dxp, ulong rows, ulong d,
                               ulong k) {
  const ulong i = get_global_id(0) * MO_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  uintv arg;
  (void)mo_max(x + xo + r * xp, k, i, d, &arg);
  realv g = mo_load(dy + dyo + r * dyp, 1, i, d, 0);
  __global store_t *dxr = dx + dxo + r * dxp;
  /* every x of these groups has been read: dx may be x exactly */
  for (ulong t = 0; t < k; t++) {
    realv v = arg == (uintv)(uint)t ? g : RV(0.0f);
    raw_t a[CLACT_VW];
    STOREV(v, a);
    for (uint l = 0; l < CLACT_VW; l++)
      if (i + l < d)
        dxr[(i + l) * k + t] = a[l];
  }
}
