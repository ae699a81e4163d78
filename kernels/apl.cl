/* kernels/apl.cl: APL, the adaptive piecewise linear unit (Agostinelli et al. 2015), per
 * channel c of an N x C x inner tensor, S hinges (1 <= S <= 8):
 *   y = max(0, x) + sum_s a_s[c] max(0, b_s[c] - x)
 * a and b are S x C (a_s[c] at s * C + c). Compiled after kernels/prelu_ch.cl (its reduction
 * helpers, pass 2 and the forward frame); the host takes every apl kernel from the program at
 * the vector width.
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

/* The backward kernel is built at the forward kernels' vector width: each work-item takes VW
 * consecutive elements of its tile at a time (the scalar form, one element and 2S compensated
 * sums in private arrays per work-item, was not vectorised by PoCL: ~0.02 of a copy). */

/* The lanes' (sum, compensation) pairs combined in lane order 0 .. VW-1 into one pair, written
 * to p[0], p[1]. */
static inline void apl_lanes(realv s, realv e, __global real *p) {
  real ls[CLACT_VW], le[CLACT_VW];
  VSTORE_RAW(s, ls);
  VSTORE_RAW(e, le);
  real rs = ls[0], re = le[0];
  for (uint k = 1; k < CLACT_VW; k++)
    clact_ch_add2(&rs, &re, ls[k], le[k]);
  p[0] = rs;
  p[1] = re;
}

/* A chunk: VW consecutive elements of the tile from (t->row, t->pos), row-major in rows of
 * tile_w. Contiguous in memory (full) when tile_w is a multiple of VW and the chunk lies in the
 * tile; otherwise gathered lane by lane, lanes outside the tile read as 0 and flagged 0 in *m. */
static inline void apl_chunk_load(__global const raw_t *x, __global const raw_t *dy, ulong i,
                                  int full, const clact_ch_tile *t, ulong tile_w, ulong rowstep,
                                  realv *xv, realv *gv, realv *m) {
  if (full) {
    *xv = LOADV(x + i);
    *gv = LOADV(dy + i);
    return;
  }
  raw_t tx[CLACT_VW], tg[CLACT_VW];
  real tm[CLACT_VW];
  ulong row = t->row, pos = t->pos, at = i;
  for (uint k = 0; k < CLACT_VW; k++) {
    const int in = row < t->th && pos < t->tw;
    tx[k] = in ? x[at] : (raw_t)0;
    tg[k] = in ? dy[at] : (raw_t)0;
    tm[k] = in ? (real)1 : (real)0;
    at++;
    if (++pos == tile_w) { /* next row of the tile: rowstep further in memory */
      pos = 0;
      row++;
      at += rowstep - tile_w;
    }
  }
  *xv = LOADV(tx);
  *gv = LOADV(tg);
  *m = VLOAD_RAW(tm);
}

/* The pass-1 pairs of da_s (quantity s: dy max(0, b_s - x)) and of the sums behind db_s
 * (quantity S + s: dy [x < b_s]), when reduce is set, then dx = dy f'(x) (blended: CLACT_OUT).
 * One work-item per (tile, channel), tiles as clact_ch_prelu_bwd's (pass 2 is the same), the
 * work-items numbered tile-fastest over a 1D range rounded up to work-groups of 64. A work-item
 * takes its tile in chunks of VW consecutive elements (row-major order) and accumulates each sum
 * lane by lane (TwoSum on vectors: lane l sums the tile's elements VW k + l in order), one hinge
 * at a time (S passes over the tile, from cache), then combines the lanes in order 0 .. VW-1
 * and writes the pair. No local memory and no barrier: on PoCL, a work-group tree after
 * explicit-vector loops (the prelu layout: 64 work-items per tile) made the kernel 3-4x slower.
 * The order depends on the shape and VW (the device's automatic vector width, fixed per
 * device). dx is written after every read of the reductions, by the work-item that read the
 * element, so dx may be x or dy. */
__kernel __attribute__((reqd_work_group_size(CLACT_CH_LOCAL, 1, 1))) void
clact_ch_apl_bwd(__global const raw_t *x, ulong xo, __global const raw_t *dy, ulong dyo,
                 __global raw_t *dx, ulong dxo, __global const raw_t *a, ulong ao,
                 __global const raw_t *b, ulong bo, uint hinges, ulong inner, ulong nrows,
                 ulong channels, ulong tile_w, ulong tile_h, ulong tiles_j, ulong tiles, int reduce,
                 __global real *part CLACT_BLEND_ARGS CLACT_CH_BIAS_ARGS) {
  const ulong gid = get_global_id(0), g = gid % tiles, c = gid / tiles;
  if (c >= channels)
    return;
  const clact_ch_tile t0 = clact_ch_tile_of(nrows, inner, tile_w, tile_h, tiles_j, g, 0);
  const ulong rowstep = channels * inner;
  const uint qs = (uint)(CLACT_VW / tile_w), rs = (uint)(CLACT_VW % tile_w);
  const uint iters = (uint)((tile_w * tile_h + CLACT_VW - 1) / CLACT_VW);
  const int rows_of_vw = tile_w % CLACT_VW == 0; /* a chunk never straddles two rows */
  const ulong base = (t0.n0 * channels + c) * inner + t0.j0;
  /* a chunk that starts in the tile may end past it (gathered, masked); one that starts
   * outside lies wholly outside (row >= th; or pos >= tw with tw < tile_w, only with tile_w =
   * CLACT_CH_TILE, a multiple of VW) */
#define APL_CHUNK                                                                                  \
  const ulong i = base + t.row * rowstep + t.pos;                                                  \
  const int full = rows_of_vw && t.row < t.th && t.pos + CLACT_VW <= t.tw;                         \
  realv xv, g, m = RV(1);                                                                          \
  apl_chunk_load(x + xo, dy + dyo, i, full, &t, tile_w, rowstep, &xv, &g, &m);                     \
  xv = CLACT_CH_BIAS_V(xv);
  if (reduce) {
    for (uint k = 0; k < hinges; k++) {
      const realv ak = clact_ch_bcast(a + ao + k * channels + c),
                  bk = clact_ch_bcast(b + bo + k * channels + c);
      realv sa = RV(0), ea = RV(0), sb = RV(0), eb = RV(0);
      clact_ch_tile t = t0;
      for (uint it = 0; it < iters; it++) {
        if (t.row < t.th && t.pos < t.tw) {
          APL_CHUNK
          realv ta = g * apl_relu(bk - xv);
          /* [x < b_s], NaN for NaN x */
          realv tb = g * (xv < bk ? RV(1) : (xv >= bk ? RV(0) : xv));
          if (!full) {
            ta = m != RV(0) ? ta : RV(0);
            tb = m != RV(0) ? tb : RV(0);
          }
          clact_ch_addv(&sa, &ea, ta);
          clact_ch_addv(&sb, &eb, tb);
        }
        clact_ch_tile_next(&t, tile_w, qs, rs);
      }
      /* pass 1's pairs: part[((q * C + c) * tiles + g) * 2 + {0, 1}], as clact_ch_write_pairs */
      apl_lanes(sa, ea, part + ((k * channels + c) * tiles + g) * 2);
      apl_lanes(sb, eb, part + (((hinges + k) * channels + c) * tiles + g) * 2);
    }
  }
  clact_ch_tile t = t0;
  for (uint it = 0; it < iters; it++) {
    if (t.row < t.th && t.pos < t.tw) {
      APL_CHUNK
      realv d = xv > RV(0) ? RV(1) : (xv <= RV(0) ? RV(0) : xv); /* NaN kept */
      for (uint k = 0; k < hinges; k++) {
        const realv ak = clact_ch_bcast(a + ao + k * channels + c),
                    bk = clact_ch_bcast(b + bo + k * channels + c);
        d -= xv < bk ? ak : RV(0);
      }
      if (full) {
        STOREV_GLOBAL(CLACT_OUT(g * d, dx + dxo + i), dx + dxo + i);
      } else { /* scattered as gathered */
        raw_t o[CLACT_VW];
        ulong row = t.row, pos = t.pos, at = dxo + i;
#if CLACT_BLEND == 2
        for (uint k = 0; k < CLACT_VW; k++) {
          o[k] = row < t.th && pos < t.tw ? dx[at] : (raw_t)0;
          at++;
          if (++pos == tile_w) {
            pos = 0;
            row++;
            at += rowstep - tile_w;
          }
        }
        row = t.row;
        pos = t.pos;
        at = dxo + i;
#endif
        STOREV(CLACT_OUT(g * d, o), o);
        for (uint k = 0; k < CLACT_VW; k++) {
          if (row < t.th && pos < t.tw)
            dx[at] = o[k];
          at++;
          if (++pos == tile_w) {
            pos = 0;
            row++;
            at += rowstep - tile_w;
          }
        }
      }
    }
    clact_ch_tile_next(&t, tile_w, qs, rs);
  }
#undef APL_CHUNK
}
