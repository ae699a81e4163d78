/* kernels/softmax.cl: softmax, log_softmax and softmin along the rows of a matrix. Built by
 * host/structured.c with -DCLACT_VW=<lanes> -DCLACT_SM_OP=0|1|2 (softmax, log_softmax,
 * softmin) -DCLACT_WG=<work-group size of the long-row kernels, a power of two>.
 *
 * Forward, for a row x (softmin: -x) with m = max x:
 *   - m: fmax over the row. A row whose max is +-inf (a +inf anywhere, or all -inf) gives NaN,
 *     as PyTorch does; NaN anywhere gives NaN (it reaches the sum).
 *   - S = sum_j e^(x_j - m) as c + (sh + sl): c counts the x_j == m (each term is exactly 1),
 *     the other terms e^(x_j - m) < 1 are summed in double-float (TwoSum, errors accumulated in
 *     sl), each from x_j - m carried exactly as a pair and an exponential good to ~2^-30
 *     relative. S is then good to ~2^-30 + n 2^-48 relative, and so is S - c (log_softmax of a
 *     dominant element needs that: ln S ~ S - 1). softmax and softmin, which need S only to
 *     ~2^-30 relative, sum every term t (rounded to float; no count) onto a head that starts at
 *     1, so that Fast2Sum is exact (see sm_add_biased).
 *   - softmax: y = t / S by the reciprocal of S as a pair (sm_recip, once per row; sm_scale),
 *     the same float32 value in every float format (SM_T); log_softmax: y = (x - m) - ln S with
 *     both terms <= 0 and >= 0 (no cancellation), x - m exact and ln S a pair.
 * Backward, from y, with a compensated sum (TwoProduct + TwoSum) of y_j dy_j (log_softmax:
 * dy_j), the difference dy_i - s formed with TwoSum and rounded once, then the product.
 *
 * Work: every work-item takes CLACT_VW consecutive elements at a time as one vector (PoCL does
 * not vectorise along loops; explicit vectors fill the SIMD lanes). Two shapes: *_short runs a
 * row per work-item (short rows; forward: `rpw` consecutive rows per work-item, each row's
 * sum pass also taking the next row's max), *_long a work-group of CLACT_WG per row, work-item
 * lid taking the vectors at lid*VW, (lid + WG)*VW, ...; the per-lane partial results are
 * combined across the lanes, then across the work-group by tree reductions in local memory.
 * The combination order is fixed: results are reproducible run to run and do not depend on
 * rpw. Each pass runs its whole vectors unmasked and the row's one partial vector, if any,
 * masked. On PoCL's CPU devices the first pass over a row in memory prefetches ahead
 * (CLACT_SM_PREFETCH).
 * float64 (CLACT_DTYPE_F64) has a separate, simpler double path at the end of the file; the
 * code up to there is the float formats' only. */

#ifndef CLACT_SM_OP
#error "CLACT_SM_OP must be defined by the host"
#endif
#ifndef CLACT_WG
#error "CLACT_WG must be defined by the host"
#endif

#if CLACT_SM_OP == 2
#define SM_NEG(v) (-(v))
#else
#define SM_NEG(v) (v)
#endif

#define SM_VW ((ulong)CLACT_VW)
#if CLACT_VW == 1
#define SM_LANE0(v) (v)
#else
#define SM_LANE0(v) ((v).s0)
#endif

/* A whole vector stored at p, aligned (al) or not to the vector: PoCL lowers float vstore16 to
 * three stores, a store through a vector pointer to one; `al` is uniform along a row (j steps
 * by whole vectors). SM_STORE_T_RAW stores a float32 intermediate as it is (no NaN
 * canonicalisation: it is read back by the same work-item). */
#if CLACT_VW > 1 && defined(CLACT_DTYPE_F32)
#define SM_STOREV_AL(v, p, al)                                                                     \
  do {                                                                                             \
    if (al)                                                                                        \
      *(__global realv *)(p) = TO_RAW(v);                                                          \
    else                                                                                           \
      STOREV(v, p);                                                                                \
  } while (0)
#define SM_STORE_T_RAW(v, p, al)                                                                   \
  do {                                                                                             \
    if (al)                                                                                        \
      *(__global realv *)(p) = (v);                                                                \
    else                                                                                           \
      V(vstore)(v, 0, p);                                                                          \
  } while (0)
#else
#define SM_STOREV_AL(v, p, al) STOREV_GLOBAL(v, p)
#define SM_STORE_T_RAW(v, p, al) STOREV(v, p)
#endif
/* The last pass's whole vectors: streamed where `nt` (the _nt twins, a compile-time constant
 * after inlining; kernels/common.clh's STOREV_STREAM, the same bits), else as SM_STOREV_AL. */
#if CLACT_STREAMING
#define SM_STOREV_OUT(v, p, al, nt)                                                                \
  do {                                                                                             \
    if (nt)                                                                                        \
      STOREV_STREAM(v, p);                                                                         \
    else                                                                                           \
      SM_STOREV_AL(v, p, al);                                                                      \
  } while (0)
#define SM_NT_FENCE() __builtin_ia32_sfence()
#else
#define SM_STOREV_OUT(v, p, al, nt) SM_STOREV_AL(v, p, al)
#define SM_NT_FENCE() ((void)0)
#endif
/* A software prefetch of the cache line at p (PoCL on CPUs, where the host defines
 * CLACT_SM_PREFETCH: clang's builtin; the OpenCL prefetch() is a no-op there). The hardware
 * prefetcher stops at page boundaries, and a row's first pass over memory otherwise stalls. */
#ifdef CLACT_SM_PREFETCH
#define SM_PREFETCH(p) __builtin_prefetch((const __global void *)(p))
#else
#define SM_PREFETCH(p) ((void)(p))
#endif
#define SM_AHEAD (16 * SM_VW) /* elements: the prefetch distance */
#define SM_ALIGNED(p) (((ulong)(p) & (ulong)(sizeof(realv) - 1)) == 0)

/* ---- shared by every format: compensated sums ------------------------------------------
 * The sums are row_accv/row_acc (kernels/rows.clh), here with a count of exact ones: value =
 * c + h + l; lanes and work-group reductions: row_lanes_acc, row_reduce_max, row_reduce_acc. */
/* a += t + tl (t the rounded term, tl its tail) */
static inline void sm_add(row_accv *a, realv t, realv tl) {
  realv e;
  realv s = row_two_sum(a->h, t, &e);
  a->l = a->l + (e + tl);
  a->h = s;
}

/* Every SM_RENORM whole vectors of a pass the tail is folded into the head (TwoSum), so that
 * the tail holds the errors of at most SM_RENORM additions: its own roundings then stay within
 * ~SM_RENORM n u^2 of the magnitudes summed, where an unrenormalised tail's grow as (n u)^2
 * (the compensated sum's worst case; docs/structured.md). */
#define SM_RENORM 16u
static inline void sm_renorm(row_accv *a) {
  realv e;
  a->h = row_two_sum(a->h, a->l, &e);
  a->l = e;
}

/* softmax dx = y (dy - s), softmin -y (dy - s), s = sh + sl: dy - s by TwoSum with the sum's
 * tail, rounded once, then the product */
static inline realv sb_scale(realv y, realv dy, real sh, real sl) {
  realv e;
  realv t = row_two_sum(dy, RV(-sh), &e);
  realv d = isfinite(t) ? t + (e - RV(sl)) : t;
#if CLACT_SM_OP == 2
  return -(y * d);
#else
  return y * d;
#endif
}

#if !defined(CLACT_DTYPE_F64) /* the float formats; float64 below */

/* softmax and softmin (SM_T) compute each term t = e^(x - m) rounded to float (1 for x = m),
 * sum the terms by the biased Fast2Sum and give y = t / S (~1.5 ulp) in every float format, so
 * that a 16-bit result is the float32 kernel's rounded to nearest even (ACCURACY.md's rule).
 * float32 stores t in y during the sum pass and scales it in place in the last pass (SM_STORE_T:
 * one exponential per element instead of two, the bandwidth target); the 16-bit formats (y
 * cannot hold a float) and blending with beta (y's old value is an input) recompute t from x
 * there. log_softmax keeps the pair sum with the count of exact ones (it needs S - 1). */
#if CLACT_SM_OP != 1
#define SM_T 1
#else
#define SM_T 0
#endif
#if SM_T && defined(CLACT_DTYPE_F32) && CLACT_BLEND != 2
#define SM_STORE_T 1
#else
#define SM_STORE_T 0
#endif
/* Where the terms are not stored in y (SM_T without SM_STORE_T), the kernel *_ls (CPU devices:
 * host/structured.c) keeps them in local memory instead, a row's worth per work-item of one
 * (`ts`, as floats), and the last pass scales them there: one exponential per element instead
 * of two, the same bits (softmax forward in half 5.5-5.9 -> 3.3 CPU ns per element on an AVX2
 * EPYC; bench/lab/stream/NOTES.md). The other kernels pass ts = 0. */
#define SM_LS (SM_T && !SM_STORE_T)

#if SM_T
/* The sum's head starts at SM_BIAS = 1 in every lane (sm_pass_sum takes it out again): the
 * head is then >= 1 >= every term, and Fast2Sum (3 operations) is exact where TwoSum takes 6.
 * The terms are in [0, 1] or NaN, so nothing overflows. The count of exact ones is not needed
 * here (it serves log_softmax's S - 1): x = m gives t = e^0 = 1 exactly. */
#define SM_BIAS 1.0f
static inline void sm_add_biased(row_accv *a, realv t) {
  realv s = a->h + t;
  a->l += t - (s - a->h);
  a->h = s;
}
#else
#define SM_BIAS 0.0f
#endif

#if SM_T
/* e^(hi + lo) = 2^k (1 + r + *t) for hi + lo <= 0 (or NaN): clact_exp_core's argument reduction
 * and polynomial (the same coefficients, the same ~2^-30 relative), with the shifter folded into
 * one fma and the polynomial by Estrin's scheme instead of Horner's. The sum pass is bound by
 * the latency of this chain on CPUs (bench/lab/softmax/NOTES.md): these take ~10 of its ~70
 * cycles off. No upper clamp: hi <= 0. */
static inline realv sm_exp_core(realv hi, realv lo, intv *k, realv *t) {
  realv h = hi < -200.0f ? RV(-200.0f) : hi;
  lo = h == hi ? lo : RV(0.0f);
  realv sh = fma(h, RV(CLACT_LOG2E), RV(0x1.8p23f));
  realv kf = sh - 0x1.8p23f;
  realv r1 = fma(-kf, RV(CLACT_LN2_HI), h);
  realv c = fma(-kf, RV(CLACT_LN2_LO), lo);
  realv r = r1 + c;
  realv re = (r1 - r) + c;
  realv r2 = r * r;
  realv p23 = fma(RV(CLACT_EXP_C3), r, RV(CLACT_EXP_C2));
  realv p45 = fma(RV(CLACT_EXP_C5), r, RV(CLACT_EXP_C4));
  realv p67 = fma(RV(CLACT_EXP_C7), r, RV(CLACT_EXP_C6));
  realv q = fma(p67, r2 * r2, fma(p45, r2, p23));
  *t = fma(r2, q, re);
  *k = AS_INTV(sh) - 0x4b400000; /* bits of 1.5*2^23 */
  return r;
}
#endif

#if SM_T
/* t = e^(v - m) rounded once to float (1 where v = m). x - m <= 0 as an exact pair, by plain
 * TwoSum: an intermediate can overflow (a tail that is not finite) only where x - m is -inf or
 * far below -200 (|x - m| >= 200 unless x and m are both small or within a factor 2 of each
 * other), and the exponential drops the tail below -200. e^(dh + dl) = 2^k (1 + r + t2),
 * k <= 0: 2^k applied as 2^(k+64), exact on a normal result for k >= -189 (1 + r + t2 > 0.7),
 * then 2^-64, the one rounding (also for a subnormal t); below e^-131, t is 0 either way. */
static inline realv sm_t(realv v, float m) {
  realv dl;
  realv dh = clact_two_sum(v, RV(-m), &dl);
  intv k;
  realv t2;
  realv r = sm_exp_core(dh, dl, &k, &t2);
  return ((1.0f + (r + t2)) * clact_pow2i(max(k, (intv)(-189)) + 64)) * 0x1p-64f;
}

/* The reciprocal of the pair S = sh + sl as a pair ih + *il, once per row: ih = 1/sh rounded,
 * il = ih e with e = 1 - ih (sh + sl) (the residual: fma exact for the sh part), so that
 * ih + il = 1/S to ~2^-46 relative. */
static inline float sm_recip(float sh, float sl, float *il) {
  const float ih = 1.0f / sh;
  *il = ih * fma(-sl, ih, fma(-sh, ih, 1.0f));
  return ih;
}

/* y = t / S as t ih + t il rounded once (a product, an fma) */
static inline realv sm_scale(realv t, float ih, float il) {
  return fma(t, RV(ih), t * RV(il));
}
#endif

/* The forward term of the elements v given the row max m; lanes with `use` 0 add nothing.
 * Branch-free. Returns t = e^(v - m) (softmax, softmin: rounded; log_softmax:
 * the head of the pair, before 2^k). */
static inline realv sm_term(row_accv *a, realv v, float m, intv use) {
#if SM_T
  realv t = sm_t(v, m);
  sm_add_biased(a, use ? t : RV(0.0f));
  return t;
#else
  /* x - m <= 0 as an exact pair (see sm_t) */
  realv dl;
  realv dh = clact_two_sum(v, RV(-m), &dl);
  intv k;
  intv one = v == RV(m);
  a->c += (use & one) ? (uintv)1u : (uintv)0u;
  intv add = use & !one;
  realv el;
  realv e = clact_exp_dd(dh, dl, &k, &el);
  sm_add(a, add ? clact_ldexp(e, k) : RV(0.0f), add ? clact_ldexp(el, k) : RV(0.0f));
  return e;
#endif
}

/* The row's S = c + h + l as a normalised pair (sh, *sl); NaN for a row whose max is +-inf. */
static inline float sm_total(row_acc a, float m, float *sl) {
  /* c as two exact floats (16 bits each), then the pair sum */
  float chi = convert_float(a.c & 0xFFFF0000u);
  float clo = convert_float(a.c & 0xFFFFu);
  float e1;
  float s = row_two_sum1(chi, clo, &e1);
  float e2;
  float h = row_two_sum1(s, a.h, &e2);
  float l = a.l + (e1 + e2);
  float hh = h + l;
  float ll = l - (hh - h);
  *sl = isfinite(hh) ? ll : 0.0f;
  return isinf(m) ? (float)NAN : hh;
}

/* ln S as a pair (log_softmax only); NaN propagates. */
static inline float sm_log(float sh, float sl, float *ll) {
#if CLACT_SM_OP == 1
  realv lo;
  realv hv = clact_log_dd(RV(sh), RV(sl), (intv)0, &lo);
  float h = SM_LANE0(hv), l = SM_LANE0(lo);
  float hh = h + l;
  *ll = isfinite(sh) ? l - (hh - h) : 0.0f;
  return isnan(sh) ? sh : (isinf(sh) ? sh : hh);
#else
  (void)sl;
  *ll = 0.0f;
  return sh;
#endif
}

#if !SM_T
/* log_softmax's outputs of the elements v given the max m and L = ln S = lh + ll. */
static inline realv sm_out(realv v, float m, float lh, float ll) {
  realv dl;
  realv dh = row_two_sum(v, RV(-m), &dl);
  realv e;
  realv s = row_two_sum(dh, RV(-lh), &e);
  realv y = s + (e + (dl - RV(ll)));
  y = v == RV(m) ? RV(-(lh + ll)) : y;
  return isinf(dh) ? dh - RV(lh) : y; /* -inf entries, and x - m beyond the float range */
}
#endif

/* ---- backward ---------------------------------------------------------------------------- */
/* The per-element term of the backward sum: softmax/softmin y dy (exact product as a pair),
 * log_softmax dy. Lanes with `use` 0 add nothing. */
static inline void sb_term(row_accv *a, realv y, realv dy, intv use) {
#if CLACT_SM_OP == 1
  (void)y;
  sm_add(a, use ? dy : RV(0.0f), RV(0.0f));
#else
  realv pe;
  realv p = clact_two_prod(y, dy, &pe);
  pe = isfinite(pe) ? pe : RV(0.0f);
  sm_add(a, use ? p : RV(0.0f), use ? pe : RV(0.0f));
#endif
}

static inline realv sb_out(realv y, realv dy, float sh, float sl) {
#if CLACT_SM_OP == 1
  /* dy - P, P = e^y (sh + sl) = 2^k (eh + el) (sh + sl) rounded about once (e^y by clact_exps,
   * ~1 u; 1 + s kept as a pair): P's error is within ~1.5 u e^y |S| <= 1.5 u M_i, inside the
   * bound's 4 u M_i, so the difference needs no pair. 2^k in two steps: 2^ka (|ka| <= 64) on
   * eh and el exactly, so that the product with any float S stays in range, then 2^(k-ka) on
   * the product: one rounding, also for subnormal results. */
  intv k;
  realv s = clact_exps(y, RV(0.0f), &k);
  realv eh = 1.0f + s, el = (1.0f - eh) + s; /* Fast2Sum, |s| < 1 */
  intv ka = clamp(k, (intv)(-64), (intv)64);
  realv p2 = clact_pow2i(ka);
  realv e2 = eh * p2;
  realv pk = fma(e2, RV(sh), fma(e2, RV(sl), (el * p2) * RV(sh)));
  return dy - clact_ldexp(pk, k - ka);
#else
  return sb_scale(y, dy, sh, sl);
#endif
}

/* ---- the row passes, from element j0 in steps of `step` ------------------------------------ */
static inline float sm_pass_max(__global const store_t *xr, ulong j0, ulong step, ulong cols) {
  const ulong last = cols - 1;
  realv m = RV(-INFINITY);
  ulong j = j0;
  for (; j + (SM_VW - 1) <= last; j += step) { /* whole vectors */
    SM_PREFETCH(xr + min(j + SM_AHEAD, last));
    m = fmax(m, SM_NEG(LOADV(xr + j)));
  }
  if (j <= last) /* the row's one partial vector, if any */
    m = fmax(m, row_valid(j, last) ? SM_NEG(row_load(xr, 1, j, cols)) : RV(-INFINITY));
  return row_lanes_max(m);
}

/* The sum pass also takes the max of the row xn (of the same length; *mn), the next row of a
 * work-item that runs several: its loads from memory then overlap the exponentials' arithmetic
 * instead of stalling a pass of their own. xn = xr where there is no next row. */
static inline row_acc sm_pass_sum(__global const store_t *xr, __global store_t *yr, ulong j0,
                                  ulong step, ulong cols, float m, __global const store_t *xn,
                                  float *mn, __local realv *ts) {
  const ulong last = cols - 1;
  row_accv a = row_accv_zero();
  a.h = RV(SM_BIAS);
  realv mx = RV(-INFINITY);
  const int al = SM_ALIGNED(yr);
  uint it = 0;
  ulong j = j0;
  for (; j + (SM_VW - 1) <= last; j += step) {
    SM_PREFETCH(xn + min(j + SM_AHEAD, last));
    mx = fmax(mx, SM_NEG(LOADV(xn + j)));
    realv t = sm_term(&a, SM_NEG(LOADV(xr + j)), m, (intv)(-1));
#if SM_STORE_T
    SM_STORE_T_RAW(t, yr + j, al);
    (void)ts;
#else
    if (ts)
      ts[it] = t;
    (void)yr;
#endif
    if (++it % SM_RENORM == 0)
      sm_renorm(&a);
  }
  if (j <= last) {
    intv valid = row_valid(j, last);
    mx = fmax(mx, valid ? SM_NEG(row_load(xn, 1, j, cols)) : RV(-INFINITY));
    realv t = sm_term(&a, SM_NEG(row_load(xr, 1, j, cols)), m, valid);
#if SM_STORE_T
    row_store(yr, 1, j, cols, t, row_bl_of(1.0f, 0.0f)); /* blending is 0 or 1 here */
#else
    if (ts)
      ts[it] = t;
#endif
  }
  *mn = row_lanes_max(mx);
  row_acc bias = {-SM_BIAS * (float)CLACT_VW, 0.0f, 0u}; /* exact: VW <= 16 */
  return row_merge(row_lanes_acc(a), bias);
}

/* The outputs of the elements j.. whose source (the stored terms t, or x) is u. */
#if SM_STORE_T
#define SM_OUT_SRC yr
#else
#define SM_OUT_SRC xr
#endif
/* ih + il: 1/S as a pair (softmax, softmin); lh + ll: ln S (log_softmax) */
static inline realv sm_out_at(float m, float ih, float il, float lh, float ll, realv u) {
#if SM_STORE_T
  (void)m;
  (void)lh;
  (void)ll;
  return sm_scale(u, ih, il);
#elif SM_T
  (void)lh;
  (void)ll;
  return sm_scale(sm_t(SM_NEG(u), m), ih, il);
#else
  (void)ih;
  (void)il;
  return sm_out(SM_NEG(u), m, lh, ll);
#endif
}

/* the output of whole vector `it` of the row: from the stored term where there is one (ts) */
#if SM_LS
#define SM_OUT_LS(ts, it, m, ih, il, lh, ll, u)                                                    \
  ((ts) ? sm_scale((ts)[it], ih, il) : sm_out_at(m, ih, il, lh, ll, u))
#else
#define SM_OUT_LS(ts, it, m, ih, il, lh, ll, u) sm_out_at(m, ih, il, lh, ll, u)
#endif

static inline void sm_pass_out(__global const store_t *xr, __global store_t *yr, ulong j0,
                               ulong step, ulong cols, float m, float sh, float sl, float lh,
                               float ll, row_bl bl, int nt, __local const realv *ts) {
  const ulong last = cols - 1;
  ulong j = j0;
  const int al = SM_ALIGNED(yr);
  (void)xr;
#if SM_T
  float il;
  const float ih = sm_recip(sh, sl, &il);
#else
  const float ih = sh, il = sl; /* unused */
#endif
  uint it = 0;
  (void)ts;
  for (; j + (SM_VW - 1) <= last; j += step, it++)
    SM_STOREV_OUT(
        row_blend_at(SM_OUT_LS(ts, it, m, ih, il, lh, ll, LOADV(SM_OUT_SRC + j)), yr + j, bl),
        yr + j, al, nt);
  if (j <= last)
    row_store(yr, 1, j, cols,
              SM_OUT_LS(ts, it, m, ih, il, lh, ll, row_load(SM_OUT_SRC, 1, j, cols)), bl);
}

static inline row_acc sb_pass_sum(__global const store_t *yr, __global const store_t *dyr, ulong j0,
                                  ulong step, ulong cols) {
  const ulong last = cols - 1;
  row_accv a = row_accv_zero();
  ulong j = j0;
  uint it = 0;
  for (; j + (SM_VW - 1) <= last; j += step) {
    SM_PREFETCH(yr + min(j + SM_AHEAD, last));
    SM_PREFETCH(dyr + min(j + SM_AHEAD, last));
    sb_term(&a, LOADV(yr + j), LOADV(dyr + j), (intv)(-1));
    if (++it % SM_RENORM == 0)
      sm_renorm(&a);
  }
  if (j <= last)
    sb_term(&a, row_load(yr, 1, j, cols), row_load(dyr, 1, j, cols), row_valid(j, last));
  return row_lanes_acc(a);
}

static inline void sb_pass_out(__global const store_t *yr, __global const store_t *dyr,
                               __global store_t *dxr, ulong j0, ulong step, ulong cols, float sh,
                               float sl, row_bl bl, int nt) {
  const ulong last = cols - 1;
  ulong j = j0;
  const int al = SM_ALIGNED(dxr);
  for (; j + (SM_VW - 1) <= last; j += step)
    SM_STOREV_OUT(row_blend_at(sb_out(LOADV(yr + j), LOADV(dyr + j), sh, sl), dxr + j, bl), dxr + j,
                  al, nt);
  if (j <= last)
    row_store(dxr, 1, j, cols, sb_out(row_load(yr, 1, j, cols), row_load(dyr, 1, j, cols), sh, sl),
              bl);
}

/* ---- a row per work-item, `rpw` consecutive rows per work-item --------------------------- */
#define SM_FWD_SHORT_ARGS                                                                          \
  __global const store_t *x, ulong xo, ulong xp, __global store_t *y, ulong yo, ulong yp,          \
      ulong rows, ulong cols, ulong rpw CLACT_BLEND_ARGS
#define SM_BWD_SHORT_ARGS                                                                          \
  __global const store_t *y, ulong yo, ulong yp, __global const store_t *dy, ulong dyo, ulong dyp, \
      __global store_t *dx, ulong dxo, ulong dxp, ulong rows, ulong cols CLACT_BLEND_ARGS
static inline void sm_fwd_short(__global const store_t *x, ulong xo, ulong xp, __global store_t *y,
                                ulong yo, ulong yp, ulong rows, ulong cols, ulong rpw, row_bl bl,
                                int nt, __local realv *ts) {
  const ulong r0 = get_global_id(0) * rpw;
  if (r0 >= rows)
    return;
  const ulong r1 = min(r0 + rpw, rows);
  float m = sm_pass_max(x + xo + r0 * xp, 0, SM_VW, cols);
  for (ulong r = r0; r < r1; r++) {
    __global const store_t *xr = x + xo + r * xp;
    __global store_t *yr = y + yo + r * yp;
    float mn;
    row_acc a = sm_pass_sum(xr, yr, 0, SM_VW, cols, m, r + 1 < r1 ? xr + xp : xr, &mn, ts);
    float sl;
    float sh = sm_total(a, m, &sl);
    float ll;
    float lh = sm_log(sh, sl, &ll);
    sm_pass_out(xr, yr, 0, SM_VW, cols, m, sh, sl, lh, ll, bl, nt, ts);
    m = mn;
  }
}

static inline void sm_bwd_short(__global const store_t *y, ulong yo, ulong yp,
                                __global const store_t *dy, ulong dyo, ulong dyp,
                                __global store_t *dx, ulong dxo, ulong dxp, ulong rows, ulong cols,
                                row_bl bl, int nt) {
  const ulong r = get_global_id(0);
  if (r >= rows)
    return;
  __global const store_t *yr = y + yo + r * yp;
  __global const store_t *dyr = dy + dyo + r * dyp;
  __global store_t *dxr = dx + dxo + r * dxp;
  row_acc a = sb_pass_sum(yr, dyr, 0, SM_VW, cols);
  float sl;
  float sh = row_acc_total(a, &sl);
  sb_pass_out(yr, dyr, dxr, 0, SM_VW, cols, sh, sl, bl, nt);
}

__kernel void clact_rows_fwd_short(SM_FWD_SHORT_ARGS) {
  sm_fwd_short(x, xo, xp, y, yo, yp, rows, cols, rpw, ROW_BL, 0, (__local realv *)0);
}

__kernel void clact_rows_bwd_short(SM_BWD_SHORT_ARGS) {
  sm_bwd_short(y, yo, yp, dy, dyo, dyp, dx, dxo, dxp, rows, cols, ROW_BL, 0);
}

/* The streaming twins (CLACT_STREAMING: PoCL on x86; host/structured.c launches them for calls
 * that read and write at least the device's cache size, as the elementwise ones): the last pass
 * streams its whole vectors, each work-item ends with an sfence (it runs its rows on one
 * thread). softmax and softmin float32 forward have none: their sum pass stores the terms in y
 * first (SM_STORE_T), so the last pass writes lines already in the cache (and keeping the terms
 * in local memory instead, to stream y once, measured no faster: bench/lab/stream/NOTES.md). */
#if CLACT_STREAMING
#if !SM_STORE_T
__kernel void clact_rows_fwd_short_nt(SM_FWD_SHORT_ARGS) {
  sm_fwd_short(x, xo, xp, y, yo, yp, rows, cols, rpw, ROW_BL, 1, (__local realv *)0);
  SM_NT_FENCE();
}
#endif

__kernel void clact_rows_bwd_short_nt(SM_BWD_SHORT_ARGS) {
  sm_bwd_short(y, yo, yp, dy, dyo, dyp, dx, dxo, dxp, rows, cols, ROW_BL, 1);
  SM_NT_FENCE();
}
#endif

/* The terms in local memory (SM_LS): work-groups of one work-item, ts holding ceil(cols / VW)
 * vectors (host/structured.c), and the streaming twin. */
#if SM_LS
__kernel __attribute__((reqd_work_group_size(1, 1, 1))) void
clact_rows_fwd_short_ls(SM_FWD_SHORT_ARGS, __local realv *ts) {
  sm_fwd_short(x, xo, xp, y, yo, yp, rows, cols, rpw, ROW_BL, 0, ts);
}
#if CLACT_STREAMING
__kernel __attribute__((reqd_work_group_size(1, 1, 1))) void
clact_rows_fwd_short_ls_nt(SM_FWD_SHORT_ARGS, __local realv *ts) {
  sm_fwd_short(x, xo, xp, y, yo, yp, rows, cols, rpw, ROW_BL, 1, ts);
  SM_NT_FENCE();
}
#endif
#endif

/* ---- a work-group per row (reductions: row_reduce_max, row_reduce_acc) ------------------- */
__kernel __attribute__((reqd_work_group_size(CLACT_WG, 1, 1))) void
clact_rows_fwd_long(__global const store_t *x, ulong xo, ulong xp, __global store_t *y, ulong yo,
                    ulong yp, ulong rows, ulong cols CLACT_BLEND_ARGS) {
  __local real lh[CLACT_WG], ll[CLACT_WG];
  __local cnt_t lc[CLACT_WG];
  const ulong r = get_group_id(0);
  const ulong j0 = (ulong)get_local_id(0) * SM_VW, step = (ulong)CLACT_WG * SM_VW;
  (void)rows;
  __global const store_t *xr = x + xo + r * xp;
  __global store_t *yr = y + yo + r * yp;
  float m = row_reduce_max(lh, sm_pass_max(xr, j0, step, cols));
  float mn; /* unused: no next row */
  row_acc a = row_reduce_acc(lh, ll, lc,
                             sm_pass_sum(xr, yr, j0, step, cols, m, xr, &mn, (__local realv *)0));
  float sl;
  float sh = sm_total(a, m, &sl);
  float lgl;
  float lgh = sm_log(sh, sl, &lgl);
  sm_pass_out(xr, yr, j0, step, cols, m, sh, sl, lgh, lgl, ROW_BL, 0, (__local realv *)0);
}

__kernel __attribute__((reqd_work_group_size(CLACT_WG, 1, 1))) void
clact_rows_bwd_long(__global const store_t *y, ulong yo, ulong yp, __global const store_t *dy,
                    ulong dyo, ulong dyp, __global store_t *dx, ulong dxo, ulong dxp, ulong rows,
                    ulong cols CLACT_BLEND_ARGS) {
  __local real lh[CLACT_WG], ll[CLACT_WG];
  __local cnt_t lc[CLACT_WG];
  const ulong r = get_group_id(0);
  const ulong j0 = (ulong)get_local_id(0) * SM_VW, step = (ulong)CLACT_WG * SM_VW;
  (void)rows;
  __global const store_t *yr = y + yo + r * yp;
  __global const store_t *dyr = dy + dyo + r * dyp;
  __global store_t *dxr = dx + dxo + r * dxp;
  row_acc a = row_reduce_acc(lh, ll, lc, sb_pass_sum(yr, dyr, j0, step, cols));
  float sl;
  float sh = row_acc_total(a, &sl);
  sb_pass_out(yr, dyr, dxr, j0, step, cols, sh, sl, ROW_BL, 0);
}

#else /* CLACT_DTYPE_F64 */
/* ---- float64 ------------------------------------------------------------------------------
 * A separate, simpler path in double (docs/structured.md, "float64"): the float formats' pair
 * tricks exist to reach float32 accuracy cheaply; in double the built-ins are accurate enough.
 * Forward, m = max (fmax), per element d = x - m as an exact pair (dh, dl) by TwoSum,
 * t = e^dh (1 + dl) = fma(e^dh, dl, e^dh) (|dl| <= 2^-44: the dropped dl^2/2 is below 2^-88),
 * S = c + sum of the other terms (c counts the x_j == m, each term exactly 1) with the terms
 * summed by TwoSum per lane, the errors accumulated in a second double; softmax y = t / S;
 * log_softmax y = (dh - ln S) + dl, ln S = log1p(S - 1) for c = 1 (a dominant element keeps
 * its relative accuracy), log(S) otherwise. Backward from y: the compensated sum (TwoProduct +
 * TwoSum) of y_j dy_j (log_softmax: dy_j), dy_i - s by TwoSum rounded once, then the product;
 * log_softmax's e^(y_i) s as m 2^k times s with the power of two applied last. */

/* e^(v - m): v - m as the exact pair (dh, *dl), e^dh corrected by the tail */
static inline realv sd_exp_term(realv v, double m, realv *dh, realv *dl) {
  *dh = row_two_sum(v, RV(-m), dl);
  realv t = exp(*dh);
  return fma(t, *dl, t);
}

/* ---- the row passes, from element j0 in steps of `step` ------------------------------------ */
static inline double sd_pass_max(__global const store_t *xr, ulong j0, ulong step, ulong cols) {
  const ulong last = cols - 1;
  realv m = RV(-INFINITY);
  for (ulong j = j0; j <= last; j += step)
    m = fmax(m, row_valid(j, last) ? SM_NEG(row_load(xr, 1, j, cols)) : RV(-INFINITY));
  return row_lanes_max(m);
}

static inline row_acc sd_pass_sum(__global const store_t *xr, ulong j0, ulong step, ulong cols,
                                  double m) {
  const ulong last = cols - 1;
  row_accv a = row_accv_zero();
  for (ulong j = j0; j <= last; j += step) {
    intv valid = row_valid(j, last);
    realv v = SM_NEG(row_load(xr, 1, j, cols));
    intv one = v == RV(m);
    realv dh, dl;
    realv t = sd_exp_term(v, m, &dh, &dl);
    a.c += (valid & one) ? (uintv)1 : (uintv)0;
    sm_add(&a, (valid & !one) ? t : RV(0.0), RV(0.0));
  }
  return row_lanes_acc(a);
}

/* S = c + h + l rounded once; *lg: ln S (log_softmax), NaN for a row whose max is +-inf. */
static inline double sd_total(row_acc a, double m, double *lg) {
  double e;
  double s = row_two_sum1(convert_double(a.c), a.h, &e);
  double S = s + (a.l + e);
  double rest = a.h + a.l;
  double L = a.c == 1 ? log1p(rest) : log(S);
  S = isinf(m) ? (double)NAN : S;
  *lg = isnan(S) ? S : L;
  return S;
}

static inline realv sd_out(realv v, double m, double S, double L) {
  realv dh, dl;
  realv t = sd_exp_term(v, m, &dh, &dl);
#if CLACT_SM_OP == 1
  (void)t;
  (void)S;
  realv y = (dh - RV(L)) + dl;
  return isinf(dh) ? dh - RV(L) : y; /* -inf entries, and x - m beyond the double range */
#else
  (void)L;
  return t / RV(S);
#endif
}

static inline void sd_pass_out(__global const store_t *xr, __global store_t *yr, ulong j0,
                               ulong step, ulong cols, double m, double S, double L, row_bl bl) {
  const ulong last = cols - 1;
  for (ulong j = j0; j <= last; j += step)
    row_store(yr, 1, j, cols, sd_out(SM_NEG(row_load(xr, 1, j, cols)), m, S, L), bl);
}

/* ---- backward ---------------------------------------------------------------------------- */
static inline row_acc sdb_pass_sum(__global const store_t *yr, __global const store_t *dyr,
                                   ulong j0, ulong step, ulong cols) {
  const ulong last = cols - 1;
  row_accv a = row_accv_zero();
  for (ulong j = j0; j <= last; j += step) {
    intv use = row_valid(j, last);
    realv dy = row_load(dyr, 1, j, cols);
#if CLACT_SM_OP == 1
    sm_add(&a, use ? dy : RV(0.0), RV(0.0));
#else
    realv pe;
    realv p = clact_two_prod(row_load(yr, 1, j, cols), dy, &pe);
    pe = isfinite(pe) ? pe : RV(0.0);
    sm_add(&a, use ? p : RV(0.0), use ? pe : RV(0.0));
#endif
  }
  return row_lanes_acc(a);
}

static inline realv sdb_out(realv y, realv dy, double sh, double sl) {
#if CLACT_SM_OP == 1
  (void)sl;
  /* dy - e^y s, e^y = m 2^k: m s 2^k with the power of two applied last (a sum near DBL_MAX
   * times an e^y far below DBL_MIN keeps its scale) */
  realv k;
  realv m = clact_d_expk(y, RV(0.0), &k);
  realv p = clact_d_mul_pow2(RV(sh), m, k);
  p = isnan(y) ? y : p;
  return dy - p;
#else
  return sb_scale(y, dy, sh, sl);
#endif
}

static inline void sdb_pass_out(__global const store_t *yr, __global const store_t *dyr,
                                __global store_t *dxr, ulong j0, ulong step, ulong cols, double sh,
                                double sl, row_bl bl) {
  const ulong last = cols - 1;
  for (ulong j = j0; j <= last; j += step)
    row_store(dxr, 1, j, cols, sdb_out(row_load(yr, 1, j, cols), row_load(dyr, 1, j, cols), sh, sl),
              bl);
}

/* ---- a row per work-item, `rpw` consecutive rows per work-item --------------------------- */
__kernel void clact_rows_fwd_short(__global const store_t *x, ulong xo, ulong xp,
                                   __global store_t *y, ulong yo, ulong yp, ulong rows, ulong cols,
                                   ulong rpw CLACT_BLEND_ARGS) {
  const ulong r0 = get_global_id(0) * rpw;
  if (r0 >= rows)
    return;
  const ulong r1 = min(r0 + rpw, rows);
  for (ulong r = r0; r < r1; r++) {
    __global const store_t *xr = x + xo + r * xp;
    __global store_t *yr = y + yo + r * yp;
    double m = sd_pass_max(xr, 0, SM_VW, cols);
    double L;
    double S = sd_total(sd_pass_sum(xr, 0, SM_VW, cols, m), m, &L);
    sd_pass_out(xr, yr, 0, SM_VW, cols, m, S, L, ROW_BL);
  }
}

__kernel void clact_rows_bwd_short(__global const store_t *y, ulong yo, ulong yp,
                                   __global const store_t *dy, ulong dyo, ulong dyp,
                                   __global store_t *dx, ulong dxo, ulong dxp, ulong rows,
                                   ulong cols CLACT_BLEND_ARGS) {
  const ulong r = get_global_id(0);
  if (r >= rows)
    return;
  __global const store_t *yr = y + yo + r * yp;
  __global const store_t *dyr = dy + dyo + r * dyp;
  double sl;
  double sh = row_acc_total(sdb_pass_sum(yr, dyr, 0, SM_VW, cols), &sl);
  sdb_pass_out(yr, dyr, dx + dxo + r * dxp, 0, SM_VW, cols, sh, sl, ROW_BL);
}

/* ---- a work-group per row ---------------------------------------------------------------- */
__kernel __attribute__((reqd_work_group_size(CLACT_WG, 1, 1))) void
clact_rows_fwd_long(__global const store_t *x, ulong xo, ulong xp, __global store_t *y, ulong yo,
                    ulong yp, ulong rows, ulong cols CLACT_BLEND_ARGS) {
  __local double lh[CLACT_WG], ll[CLACT_WG];
  __local cnt_t lc[CLACT_WG];
  const ulong r = get_group_id(0);
  const ulong j0 = (ulong)get_local_id(0) * SM_VW, step = (ulong)CLACT_WG * SM_VW;
  (void)rows;
  __global const store_t *xr = x + xo + r * xp;
  double m = row_reduce_max(lh, sd_pass_max(xr, j0, step, cols));
  double L;
  double S = sd_total(row_reduce_acc(lh, ll, lc, sd_pass_sum(xr, j0, step, cols, m)), m, &L);
  sd_pass_out(xr, y + yo + r * yp, j0, step, cols, m, S, L, ROW_BL);
}

__kernel __attribute__((reqd_work_group_size(CLACT_WG, 1, 1))) void
clact_rows_bwd_long(__global const store_t *y, ulong yo, ulong yp, __global const store_t *dy,
                    ulong dyo, ulong dyp, __global store_t *dx, ulong dxo, ulong dxp, ulong rows,
                    ulong cols CLACT_BLEND_ARGS) {
  __local double lh[CLACT_WG], ll[CLACT_WG];
  __local cnt_t lc[CLACT_WG];
  const ulong r = get_group_id(0);
  const ulong j0 = (ulong)get_local_id(0) * SM_VW, step = (ulong)CLACT_WG * SM_VW;
  (void)rows;
  __global const store_t *yr = y + yo + r * yp;
  __global const store_t *dyr = dy + dyo + r * dyp;
  double sl;
  double sh = row_acc_total(row_reduce_acc(lh, ll, lc, sdb_pass_sum(yr, dyr, j0, step, cols)), &sl);
  sdb_pass_out(yr, dyr, dx + dxo + r * dxp, j0, step, cols, sh, sl, ROW_BL);
}
#endif /* CLACT_DTYPE_F64 */
