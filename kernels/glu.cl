/* kernels/glu.cl: the GLU family, out = a * phi(g) for a value half a and a gate half g of each
 * row. Built by host/structured.c after the prelude and the gate activation's own
 * kernels/<act>.cl (sigmoid, swish, gelu, gelu_tanh, relu, identity), whose <act>_fwd and
 * <act>_bwd are phi and dy * phi' here: the math is the elementwise kernels', not a copy.
 * -DCLACT_GLU_ACT=<act>, -DCLACT_VW=<lanes>: a work-item takes VW consecutive outputs as one
 * vector (PoCL vectorises only such explicit vectors here: the strides are runtime values);
 * interleaved pairs are loaded as 2 VW contiguous elements and split with .even/.odd.
 *
 * Element i of row r: a = va[r * vp + ao + as * i], g = ga[r * gp + go + gs * i]: the host
 * maps the gate positions onto (offset, stride): gate second half (PyTorch GLU: ao = 0,
 * go = d), first half (vLLM SiluAndMul: go = 0, ao = d), interleaved (gpt-oss: g at even, a at
 * odd columns: stride 2), or a separate gate tensor (LLaMA's two projections). Backward writes
 * da and dg to the same positions of dx (or of dx and dgate).
 *
 * limit > 0: the gpt-oss form, g clamped above at limit, a to [-limit, limit], and
 * out = phi(g) (a + 1); clamp gradients pass where the input lies within the bounds (bounds
 * included, as torch.clamp), NaN stays NaN.
 * f64: the same code in double over the activations' f64 math (the raw vectors are then the
 * compute vectors, as for f32). */

#ifndef CLACT_GLU_ACT
#error "CLACT_GLU_ACT must be defined by the host"
#endif
#define GLU_FWD CLACT_CAT(CLACT_GLU_ACT, _fwd)
#define GLU_BWD CLACT_CAT(CLACT_GLU_ACT, _bwd)
#define GLU_VW ((ulong)CLACT_VW)
#if defined(CLACT_DTYPE_F32) || defined(CLACT_DTYPE_F64)
typedef realv glu_rawv; /* raw vectors of the storage type */
#else
typedef rawv glu_rawv;
#endif

/* 1 inside [lo, hi], 0 outside, NaN for NaN */
static inline realv glu_pass(realv v, realv lo, realv hi) {
  return ((v >= lo) & (v <= hi)) ? RV(1.0f) : (isnan(v) ? v + v : RV(0.0f));
}

/* Elements i .. i+VW-1 (of n in the row) at p[stride * k]: stride 1 or 2; the lanes past the
 * end read the last element. */
static inline realv glu_load(__global const store_t *p, ulong stride, ulong i, ulong n) {
  if (i + GLU_VW <= n) {
#if CLACT_VW == 1
    return TO_REAL(p[stride * i]);
#else
    if (stride == 1)
      return LOADV(p + i);
    raw_t a[2 * CLACT_VW];
    for (uint k = 0; k < 2 * CLACT_VW; k++)
      a[k] = p[2 * i + k];
    glu_rawv lo = V(vload)(0, a), hi = V(vload)(1, a);
    return TO_REAL((glu_rawv)(lo.even, hi.even));
#endif
  }
  raw_t a[CLACT_VW];
  for (uint k = 0; k < CLACT_VW; k++)
    a[k] = p[stride * min(i + k, n - 1)];
  return LOADV(a);
}

static inline void glu_store(__global store_t *p, ulong stride, ulong i, ulong n, realv v) {
  raw_t a[CLACT_VW];
  if (stride == 1 && i + GLU_VW <= n) {
    STOREV(v, p + i);
    return;
  }
  STOREV(v, a);
  for (uint k = 0; k < CLACT_VW; k++)
    if (i + k < n)
      p[stride * (i + k)] = a[k];
}

__kernel void clact_glu_fwd(__global const store_t *va, ulong vo, ulong vp, ulong as,
                            __global const store_t *ga, ulong go, ulong gp, ulong gs,
                            __global store_t *y, ulong yo, ulong yp, ulong rows, ulong d, real p0,
                            real limit) {
  const ulong i = get_global_id(0) * GLU_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  const clact_p p = {p0, 0.0f, 0.0f, 0.0f};
  realv a = glu_load(va + vo + r * vp, as, i, d);
  realv g = glu_load(ga + go + r * gp, gs, i, d);
  realv out;
  if (limit > 0.0f) {
    realv gc = g > RV(limit) ? RV(limit) : g;
    realv ac = a > RV(limit) ? RV(limit) : (a < RV(-limit) ? RV(-limit) : a);
    out = GLU_FWD(gc, p) * (ac + 1.0f);
  } else {
    out = a * GLU_FWD(g, p);
  }
  glu_store(y + yo + r * yp, 1, i, d, out);
}

__kernel void clact_glu_bwd(__global const store_t *va, ulong vo, ulong vp, ulong as,
                            __global const store_t *ga, ulong go, ulong gp, ulong gs,
                            __global const store_t *dy, ulong dyo, ulong dyp, __global store_t *da,
                            ulong dao, ulong dap, ulong das, __global store_t *dg, ulong dgo,
                            ulong dgp, ulong dgs, ulong rows, ulong d, real p0, real limit) {
  const ulong i = get_global_id(0) * GLU_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  const clact_p p = {p0, 0.0f, 0.0f, 0.0f};
  realv a = glu_load(va + vo + r * vp, as, i, d);
  realv g = glu_load(ga + go + r * gp, gs, i, d);
  realv t = glu_load(dy + dyo + r * dyp, 1, i, d);
  realv ra, rg;
  if (limit > 0.0f) {
    realv gc = g > RV(limit) ? RV(limit) : g;
    realv ac = a > RV(limit) ? RV(limit) : (a < RV(-limit) ? RV(-limit) : a);
    ra = (t * GLU_FWD(gc, p)) * glu_pass(a, RV(-limit), RV(limit));
    rg = GLU_BWD(gc, t * (ac + 1.0f), p) * glu_pass(g, RV(-INFINITY), RV(limit));
  } else {
    ra = t * GLU_FWD(g, p);
    rg = GLU_BWD(g, t * a, p);
  }
  /* every read of a position happens before any write (dx may alias x exactly; the positions
   * of this work-item's a and g are its own) */
  glu_store(da + dao + r * dap, das, i, d, ra);
  glu_store(dg + dgo + r * dgp, dgs, i, d, rg);
}
