/* kernels/prelu_ch.cl: the per-channel activations' shared reduction (the second pass of every
 * weight gradient) and PReLU on an N x C x inner tensor (host/channel.c, docs/channel.md).
 * Built in one program with kernels/apl.cl twice: with CLACT_VW = 1 (the host takes prelu's
 * backward and pass 2 from it) and with the context's automatic vector width (the forward
 * kernels, VW elements of one row per work-item, and apl's backward; prelu's backward and pass
 * 2 are then left out).
 *
 * PReLU (PyTorch's convention, as leaky_relu): y = x > 0 ? x : w_c x, so y(-0) = -0 for w > 0;
 * dy/dx = x > 0 ? 1 : w_c (w_c at 0); dw_c = sum of dy x over the channel's x <= 0 (x = 0 adds
 * a zero). NaN x gives NaN y, dx and dw_c. w_c = 0 and x = -inf give the limit 0 (signed as
 * w_c x would be), not the NaN of 0 inf.
 *
 * Weight gradients are reduced in two passes, both with fixed work-group sizes and a fixed
 * order, so every run gives the same bits: pass 1 (clact_ch_*_bwd) covers each channel by
 * tiles of at most CLACT_CH_TILE elements, one work-group of CLACT_CH_LOCAL work-items per
 * (tile, channel); each work-item sums its strided share with compensated summation (TwoSum)
 * and the work-group combines the (sum, compensation) pairs in a fixed tree, writing one pair per
 * (quantity, channel, tile). Pass 2 (clact_ch_reduce) combines one output's pairs the same
 * way. */
/* ---- PReLU ------------------------------------------------------------------------------ */
static inline realv prelu_ch_fwd(realv x, realv w) {
  /* w = 0, x = -inf: the limit, a zero of w x's sign (not 0 inf = NaN) */
  realv xs = (w == RV(0) && isinf(x)) ? copysign(RV(1), x) : x;
  return x > RV(0) ? x : w * xs;
}

/* A weight broadcast to every lane (a scalar converted once: a private array gathered lane by
 * lane measured 2.5x slower on PoCL). */
#if defined(CLACT_DTYPE_F16) || defined(CLACT_DTYPE_BF16)
#define clact_ch_bcast(p) TO_REAL((rawv)(*(p)))
#else
#define clact_ch_bcast(p) ((realv)(*(p)))
#endif

/* Call variants (host/channel.c builds one program per variant; the plain one, CLACT_BLEND = 0
 * and CLACT_BIAS = 0, is the code as it was before them):
 * -DCLACT_BLEND (kernels/common.clh: CLACT_BLEND_ARGS, CLACT_OUT): the output y or dx blended,
 *   out = fma(alpha, r, beta * out) (2; the old output read by the same work-item just before
 *   its store), alpha * r (1: beta 0, the output not read), r (0).
 * -DCLACT_BIAS=1: the op sees x + bias[c] (one value per channel, the dtype of x, rounded once in
 *   the compute precision), in the forward, in dx and in the weight gradients; arguments
 *   CLACT_CH_BIAS_ARGS after the blending ones. (Not the prelude's CLACT_BIAS_ARGS: its channels
 *   and inner are arguments of these kernels already, and the channel is known per row.) */
#if CLACT_BIAS
#define CLACT_CH_BIAS_ARGS , __global const raw_t *bias, ulong biaso
#define CLACT_CH_BIAS_V(v) ((v) + clact_ch_bcast(bias + biaso + c))
#define CLACT_CH_BIAS_S(v) ((v) + TO_REAL(bias[biaso + c]))
#else
#define CLACT_CH_BIAS_ARGS
#define CLACT_CH_BIAS_V(v) (v)
#define CLACT_CH_BIAS_S(v) (v)
#endif
#if CLACT_BLEND == 2 /* the tail's old outputs, gathered as its inputs are */
#define CLACT_CH_TAIL_OLD                                                                          \
  raw_t o[CLACT_VW];                                                                               \
  for (uint k = 0; k < CLACT_VW; k++)                                                              \
    o[k] = k < rest ? y[yo + i + k] : (raw_t)0;
#else
#define CLACT_CH_TAIL_OLD
#endif

/* The forward kernels' frame: a 2D range, dimension 0 over inner in steps of VW, dimension 1
 * over the N x C rows; F(v) maps a realv. The last work-item of a row gathers its tail. */
#define CLACT_CH_FWD_BODY(F)                                                                       \
  const ulong j = (ulong)get_global_id(0) * CLACT_VW, r = get_global_id(1);                        \
  if (j >= inner || r >= rows)                                                                     \
    return;                                                                                        \
  const ulong c = r % channels, i = r * inner + j;                                                 \
  if (j + CLACT_VW <= inner) {                                                                     \
    const realv v = CLACT_CH_BIAS_V(LOADV(x + xo + i));                                            \
    STOREV_GLOBAL(CLACT_OUT(F, y + yo + i), y + yo + i);                                           \
  } else {                                                                                         \
    const uint rest = (uint)(inner - j);                                                           \
    raw_t t[CLACT_VW];                                                                             \
    for (uint k = 0; k < CLACT_VW; k++)                                                            \
      t[k] = k < rest ? x[xo + i + k] : (raw_t)0;                                                  \
    CLACT_CH_TAIL_OLD                                                                              \
    const realv v = CLACT_CH_BIAS_V(LOADV(t));                                                     \
    STOREV(CLACT_OUT(F, o), t);                                                                    \
    for (uint k = 0; k < rest; k++)                                                                \
      y[yo + i + k] = t[k];                                                                        \
  }

/* y = prelu(x); wstride 1: one weight per channel, 0: one shared weight. */
__kernel void clact_ch_prelu_fwd(__global const raw_t *x, ulong xo, __global raw_t *y, ulong yo,
                                 __global const raw_t *w, ulong wo, ulong wstride, ulong inner,
                                 ulong rows, ulong channels CLACT_BLEND_ARGS CLACT_CH_BIAS_ARGS) {
  CLACT_CH_FWD_BODY(prelu_ch_fwd(v, clact_ch_bcast(w + wo + c * wstride)))
}

/* The reduction helpers: used by every pass 1 (clact_ch_apl_bwd is built at the forward kernels'
 * vector width, clact_ch_prelu_bwd and pass 2 at width 1). */
#define CLACT_CH_LOCAL 64
#define CLACT_CH_MAXQ 16 /* quantities reduced per channel: apl's da_s and db_s, S <= 8 */

/* s + e += v: Knuth's branch-free TwoSum puts the exact rounding error of each addition into
 * e (Neumaier's form, with its |s| >= |v| select, ran 2.5x slower on PoCL). Once the running
 * sum is not finite (an inf or NaN term, or overflow) e may become NaN: clact_ch_value then
 * returns the sum alone, and a sum never comes back from inf or NaN, so e never matters. */
static inline void clact_ch_add(real *s, real *e, real v) {
  real t = *s + v;
  real bb = t - *s;
  *e += (*s - (t - bb)) + (v - bb);
  *s = t;
}

/* The same on every lane of a vector (apl's pass 1, one sum per lane) */
static inline void clact_ch_addv(realv *s, realv *e, realv v) {
  realv t = *s + v;
  realv bb = t - *s;
  *e += (*s - (t - bb)) + (v - bb);
  *s = t;
}

/* (s, e) += (s2, e2) */
static inline void clact_ch_add2(real *s, real *e, real s2, real e2) {
  real t = *s + s2;
  real bb = t - *s;
  *e += e2 + ((*s - (t - bb)) + (s2 - bb));
  *s = t;
}

static inline real clact_ch_value(real s, real e) {
  return isfinite(s) ? s + e : s;
}

/* The fixed tree of a work-group over nq quantities: ps/pe[q * CLACT_CH_LOCAL + lid]. */
static inline void clact_ch_tree(__local real *ps, __local real *pe, uint nq, uint lid) {
  for (uint h = CLACT_CH_LOCAL / 2; h > 0; h /= 2) {
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid < h)
      for (uint q = 0; q < nq; q++) {
        uint a = q * CLACT_CH_LOCAL + lid;
        real s = ps[a], e = pe[a];
        clact_ch_add2(&s, &e, ps[a + h], pe[a + h]);
        ps[a] = s;
        pe[a] = e;
      }
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

/* The tile of pass 1 handled by this work-group: rows [n0, n0 + th) of the channel's N rows,
 * positions [j0, j0 + tw) of inner (tile g of the channel); the work-item starts at element
 * `first` of the tile (row-major, rows of `tile_w`) and steps by its kernel's stride (prelu:
 * CLACT_CH_LOCAL = q64 rows + r64 positions; apl: VW). */
typedef struct clact_ch_tile {
  ulong n0, j0, th, tw;
  ulong row, pos;
} clact_ch_tile;

static inline clact_ch_tile clact_ch_tile_of(ulong nrows, ulong inner, ulong tile_w, ulong tile_h,
                                             ulong tiles_j, ulong g, ulong first) {
  clact_ch_tile t;
  ulong gn = g / tiles_j, gj = g % tiles_j;
  t.n0 = gn * tile_h;
  t.j0 = gj * tile_w;
  t.th = min(tile_h, nrows - t.n0);
  t.tw = min(tile_w, inner - t.j0);
  t.row = first / tile_w;
  t.pos = first % tile_w;
  return t;
}

static inline void clact_ch_tile_next(clact_ch_tile *t, ulong tile_w, uint q64, uint r64) {
  t->pos += r64;
  t->row += q64;
  if (t->pos >= tile_w) {
    t->pos -= tile_w;
    t->row++;
  }
}

/* Pass 1's pairs: part[((q * C + c) * G + g) * 2 + {0, 1}] */
static inline void clact_ch_write_pairs(__global real *part, __local real *ps, __local real *pe,
                                        uint nq, ulong channels, ulong c) {
  if (get_local_id(0) == 0) {
    ulong tiles = get_num_groups(0), g = get_group_id(0);
    for (uint q = 0; q < nq; q++) {
      ulong at = ((q * channels + c) * tiles + g) * 2;
      part[at] = ps[q * CLACT_CH_LOCAL];
      part[at + 1] = pe[q * CLACT_CH_LOCAL];
    }
  }
}

#if CLACT_VW == 1
/* Pass 2: output o = o0 + group reduces the len pairs at part[o * len * 2 ...]. Outputs
 * [0, nout0) go to out0 (dw; apl: da, S x C), the rest to out1 (apl: db_s[c], = a_s[c] times
 * the reduced sum of dy [x < b_s]). accumulate: out += result (in the compute precision). */
__kernel __attribute__((reqd_work_group_size(CLACT_CH_LOCAL, 1, 1))) void
clact_ch_reduce(__global const real *part, ulong len, ulong o0, ulong nout0, __global raw_t *out0,
                ulong out0o, __global raw_t *out1, ulong out1o, __global const raw_t *a, ulong ao,
                int accumulate) {
  __local real ps[CLACT_CH_LOCAL], pe[CLACT_CH_LOCAL];
  const ulong o = o0 + get_group_id(0);
  const uint lid = (uint)get_local_id(0);
  real s = 0, e = 0;
  for (ulong k = lid; k < len; k += CLACT_CH_LOCAL)
    clact_ch_add2(&s, &e, part[(o * len + k) * 2], part[(o * len + k) * 2 + 1]);
  ps[lid] = s;
  pe[lid] = e;
  clact_ch_tree(ps, pe, 1, lid);
  if (lid == 0) {
    real r = clact_ch_value(ps[0], pe[0]);
    __global raw_t *out = out0 + out0o + o;
    if (o >= nout0) {
      r = TO_REAL(a[ao + (o - nout0)]) * r;
      out = out1 + out1o + (o - nout0);
    }
    if (accumulate)
      r = TO_REAL(*out) + r;
    *out = TO_RAW(r);
  }
}

/* dx = dy (x > 0 ? 1 : w) (blended) and, when reduce is set, the pass-1 pairs of dw (quantity 0):
 * sum of (x > 0 ? 0 : dy x). Launched as (G tiles x 64, C) with local (64, 1). dx may be x or
 * dy (each element is read before the same work-item writes it). */
__kernel __attribute__((reqd_work_group_size(CLACT_CH_LOCAL, 1, 1))) void
clact_ch_prelu_bwd(__global const raw_t *x, ulong xo, __global const raw_t *dy, ulong dyo,
                   __global raw_t *dx, ulong dxo, __global const raw_t *w, ulong wo, ulong wstride,
                   ulong inner, ulong nrows, ulong channels, ulong tile_w, ulong tile_h,
                   ulong tiles_j, uint q64, uint r64, int reduce,
                   __global real *part CLACT_BLEND_ARGS CLACT_CH_BIAS_ARGS) {
  __local real ps[CLACT_CH_LOCAL], pe[CLACT_CH_LOCAL];
  const ulong c = get_group_id(1);
  const uint lid = (uint)get_local_id(0);
  const real wc = TO_REAL(w[wo + c * wstride]);
  clact_ch_tile t = clact_ch_tile_of(nrows, inner, tile_w, tile_h, tiles_j, get_group_id(0), lid);
  const uint iters = (uint)((tile_w * tile_h + CLACT_CH_LOCAL - 1) / CLACT_CH_LOCAL);
  real s = 0, e = 0;
  /* the same trip count for every work-item of the group (PoCL then vectorises across them) */
  for (uint it = 0; it < iters; it++) {
    if (t.row < t.th && t.pos < t.tw) {
      const ulong i = ((t.n0 + t.row) * channels + c) * inner + t.j0 + t.pos;
      const real xv = CLACT_CH_BIAS_S(TO_REAL(x[xo + i])), g = TO_REAL(dy[dyo + i]);
      /* NaN x: NaN through the product */
      dx[dxo + i] =
          TO_RAW(CLACT_OUT(g * (xv > (real)0 ? (real)1 : (xv <= (real)0 ? wc : xv)), dx + dxo + i));
      clact_ch_add(&s, &e, xv > (real)0 ? (real)0 : g * xv);
    }
    clact_ch_tile_next(&t, tile_w, q64, r64);
  }
  if (!reduce)
    return;
  ps[lid] = s;
  pe[lid] = e;
  clact_ch_tree(ps, pe, 1, lid);
  clact_ch_write_pairs(part, ps, pe, 1, channels, c);
}
#endif /* CLACT_VW == 1 */
