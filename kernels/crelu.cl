/* kernels/crelu.cl: crelu, y row = [relu(x), relu(-x)] (twice as wide); backward
 * dx = dy_left relu'(x) - dy_right relu'(-x), i.e. dy_left [x > 0] - dy_right [x < 0]. Built by
 * host/structured.c after the prelude and kernels/relu.cl, whose relu_fwd and relu_bwd are the
 * math here (exact: NaN kept, relu(-0) = +0, relu'(0) = 0, dy = +-inf times a zero derivative is
 * NaN). -DCLACT_VW=<lanes>: a work-item takes VW consecutive elements of a row as one vector. */
#define CR_VW ((ulong)CLACT_VW)

/* Elements i .. i+VW-1 of a row of n (lanes past the end read the last element). */
static inline realv cr_load(__global const store_t *p, ulong i, ulong n) {
  if (i + CR_VW <= n)
    return LOADV(p + i);
  raw_t a[CLACT_VW];
  for (uint k = 0; k < CLACT_VW; k++)
    a[k] = p[min(i + k, n - 1)];
  return LOADV(a);
}

static inline void cr_store(__global store_t *p, ulong i, ulong n, realv v) {
  if (i + CR_VW <= n) {
    STOREV(v, p + i);
    return;
  }
  raw_t a[CLACT_VW];
  STOREV(v, a);
  for (uint k = 0; k < CLACT_VW; k++)
    if (i + k < n)
      p[i + k] = a[k];
}

__kernel void clact_crelu_fwd(__global const store_t *x, ulong xo, ulong xp, __global store_t *y,
                              ulong yo, ulong yp, ulong rows, ulong n) {
  const ulong i = get_global_id(0) * CR_VW, r = get_global_id(1);
  if (i >= n || r >= rows)
    return;
  const clact_p p = {0.0f, 0.0f, 0.0f, 0.0f};
  realv v = cr_load(x + xo + r * xp, i, n);
  realv left = relu_fwd(v, p), right = relu_fwd(-v, p);
  cr_store(y + yo + r * yp, i, n, left);
  cr_store(y + yo + r * yp + n, i, n, right);
}

__kernel void clact_crelu_bwd(__global const store_t *x, ulong xo, ulong xp,
                              __global const store_t *dy, ulong dyo, ulong dyp,
                              __global store_t *dx, ulong dxo, ulong dxp, ulong rows, ulong n) {
  const ulong i = get_global_id(0) * CR_VW, r = get_global_id(1);
  if (i >= n || r >= rows)
    return;
  const clact_p p = {0.0f, 0.0f, 0.0f, 0.0f};
  realv v = cr_load(x + xo + r * xp, i, n);
  realv dl = cr_load(dy + dyo + r * dyp, i, n), dr = cr_load(dy + dyo + r * dyp + n, i, n);
  /* one of the two terms is a zero (or NaN): the difference is exact */
  cr_store(dx + dxo + r * dxp, i, n, relu_bwd(v, dl, p) - relu_bwd(-v, dr, p));
}
