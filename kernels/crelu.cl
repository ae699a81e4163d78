/* kernels/crelu.cl: crelu, y row = [relu(x), relu(-x)] (twice as wide); backward
 * dx = dy_left relu'(x) - dy_right relu'(-x), i.e. dy_left [x > 0] - dy_right [x < 0]. Built by
 * host/structured.c after the prelude and kernels/relu.cl, whose relu_fwd and relu_bwd are the
 * math here (exact: NaN kept, relu(-0) = +0, relu'(0) = 0, dy = +-inf times a zero derivative is
 * NaN). -DCLACT_VW=<lanes>: a work-item takes VW consecutive elements of a row as one vector
 * (loads, stores, blending: kernels/rows.clh). */
__kernel void clact_crelu_fwd(__global const store_t *x, ulong xo, ulong xp, __global store_t *y,
                              ulong yo, ulong yp, ulong rows, ulong n CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * ROW_VW, r = get_global_id(1);
  if (i >= n || r >= rows)
    return;
  const clact_p p = {0.0f, 0.0f, 0.0f, 0.0f};
  realv v = row_load(x + xo + r * xp, 1, i, n);
  realv left = relu_fwd(v, p), right = relu_fwd(-v, p);
  row_store(y + yo + r * yp, 1, i, n, left, ROW_BL);
  row_store(y + yo + r * yp + n, 1, i, n, right, ROW_BL);
}

__kernel void clact_crelu_bwd(__global const store_t *x, ulong xo, ulong xp,
                              __global const store_t *dy, ulong dyo, ulong dyp,
                              __global store_t *dx, ulong dxo, ulong dxp, ulong rows,
                              ulong n CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * ROW_VW, r = get_global_id(1);
  if (i >= n || r >= rows)
    return;
  const clact_p p = {0.0f, 0.0f, 0.0f, 0.0f};
  realv v = row_load(x + xo + r * xp, 1, i, n);
  realv dl = row_load(dy + dyo + r * dyp, 1, i, n), dr = row_load(dy + dyo + r * dyp + n, 1, i, n);
  /* one of the two terms is a zero (or NaN): the difference is exact */
  row_store(dx + dxo + r * dxp, 1, i, n, relu_bwd(v, dl, p) - relu_bwd(-v, dr, p), ROW_BL);
}
