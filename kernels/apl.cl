/* kernels/apl.cl: APL, the adaptive piecewise linear unit (Agostinelli et al. 2015), per
 * channel c of an N x C x inner tensor, S hinges (1 <= S <= 8):
 *   y = max(0, x) + sum_s a_s[c] max(0, b_s[c] - x)
 * a and b are S x C (a_s[c] at s * C + c). Compiled after kernels/prelu_ch.cl (its reduction
 * helpers, pass 2 and the forward frame); the backward kernels only where CLACT_VW = 1.
 *
 * Kinks: PyTorch autograd's convention for max(0, .) (relu'(0) = 0), at x = 0 and at each
 * x = b_s:  dy/dx = [x > 0] - sum_s a_s [x < b_s]; da_s = sum dy max(0, b_s - x);
 * db_s = sum dy a_s [x < b_s] (computed as a_s times sum dy [x < b_s]). NaN x gives NaN in
 * every result. Forward: a_s = 0 times an infinite hinge (x = -inf) is 0 (the limit), not NaN;
 * x = -inf with hinges of both signs gives inf - inf = NaN (docs/channel.md). Gradient terms
 * follow IEEE (dy = inf times a zero factor is NaN), as clact_backward's dx does.
 * Call variants (blending, fused bias): kernels/prelu_ch.cl; x below is then x + bias[c].
 * Rounding (float; double for f64): y = fma chain over the hinges from max(0, x), each
 * b_s - x rounded once; dx = dy g with g = [x > 0] - a_1 [x < b_1] - ... in order. */
#define CLACT_APL_MAXS 8

/* max(0, v) keeping NaN */
static inline realv apl_relu(realv v) {
  return v > RV(0) ? v : (v <= RV(0) ? RV(0) : v);
}

static inline realv apl_fwd(realv x, __global const raw_t *a, __global const raw_t *b, uint hinges,
                            ulong channels) {
  realv acc = apl_relu(x);
  for (uint s = 0; s < hinges; s++) {
    const realv as = clact_ch_bcast(a + s * channels), bs = clact_ch_bcast(b + s * channels);
    acc = fma(as, as == RV(0) ? RV(0) : apl_relu(bs - x), acc);
  }
  return acc;
}

__kernel void clact_ch_apl_fwd(__global const raw_t *x, ulong xo, __global raw_t *y, ulong yo,
                               __global const raw_t *a, ulong ao, __global const raw_t *b, ulong bo,
                               uint hinges, ulong inner, ulong rows,
                               ulong channels CLACT_BLEND_ARGS CLACT_CH_BIAS_ARGS) {
  CLACT_CH_FWD_BODY(apl_fwd(v, a + ao + c, b + bo + c, hinges, channels))
}

#if CLACT_VW == 1
/* dx = dy f'(x) (blended: CLACT_OUT) and, when reduce is set, the pass-1 pairs of da_s (quantity s:
 * dy max(0, b_s - x)) and of the sums behind db_s (quantity S + s: dy [x < b_s]). As
 * clact_ch_prelu_bwd: (G tiles x 64, C) work-items, local (64, 1); dx may be x or dy. */
__kernel __attribute__((reqd_work_group_size(CLACT_CH_LOCAL, 1, 1))) void
clact_ch_apl_bwd(__global const raw_t *x, ulong xo, __global const raw_t *dy, ulong dyo,
                 __global raw_t *dx, ulong dxo, __global const raw_t *a, ulong ao,
                 __global const raw_t *b, ulong bo, uint hinges, ulong inner, ulong nrows,
                 ulong channels, ulong tile_w, ulong tile_h, ulong tiles_j, uint q64, uint r64,
                 int reduce, __global real *part CLACT_BLEND_ARGS CLACT_CH_BIAS_ARGS) {
  __local real ps[CLACT_CH_MAXQ * CLACT_CH_LOCAL], pe[CLACT_CH_MAXQ * CLACT_CH_LOCAL];
  const ulong c = get_group_id(1);
  const uint lid = (uint)get_local_id(0);
  real as[CLACT_APL_MAXS], bs[CLACT_APL_MAXS];
  real s[CLACT_CH_MAXQ], e[CLACT_CH_MAXQ];
  for (uint k = 0; k < hinges; k++) {
    as[k] = TO_REAL(a[ao + k * channels + c]);
    bs[k] = TO_REAL(b[bo + k * channels + c]);
  }
  for (uint q = 0; q < 2 * hinges; q++)
    s[q] = e[q] = 0;
  clact_ch_tile t = clact_ch_tile_of(nrows, inner, tile_w, tile_h, tiles_j);
  const uint iters = (uint)((tile_w * tile_h + CLACT_CH_LOCAL - 1) / CLACT_CH_LOCAL);
  for (uint it = 0; it < iters; it++) { /* uniform trip count, as clact_ch_prelu_bwd */
    if (t.row < t.th && t.pos < t.tw) {
      const ulong i = ((t.n0 + t.row) * channels + c) * inner + t.j0 + t.pos;
      const real xv = CLACT_CH_BIAS_S(TO_REAL(x[xo + i])), g = TO_REAL(dy[dyo + i]);
      real d = xv > (real)0 ? (real)1 : (xv <= (real)0 ? (real)0 : xv); /* NaN kept */
      for (uint k = 0; k < hinges; k++) {
        d -= xv < bs[k] ? as[k] : (real)0;
        if (reduce) {
          clact_ch_add(&s[k], &e[k], g * apl_relu(bs[k] - xv));
          /* [x < b_s], NaN for NaN x */
          clact_ch_add(&s[hinges + k], &e[hinges + k],
                       g * (xv < bs[k] ? (real)1 : (xv >= bs[k] ? (real)0 : xv)));
        }
      }
      dx[dxo + i] = TO_RAW(CLACT_OUT(g * d, dx + dxo + i));
    }
    clact_ch_tile_next(&t, tile_w, q64, r64);
  }
  if (!reduce)
    return;
  for (uint q = 0; q < 2 * hinges; q++) {
    ps[q * CLACT_CH_LOCAL + lid] = s[q];
    pe[q * CLACT_CH_LOCAL + lid] = e[q];
  }
  clact_ch_tree(ps, pe, 2 * hinges, lid);
  clact_ch_write_pairs(part, ps, pe, 2 * hinges, channels, c);
}
#endif /* CLACT_VW == 1 */
