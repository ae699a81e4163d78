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
 * f64: the same code in double over the activations' f64 math. Loads, stores and output
 * blending: kernels/rows.clh. */

#ifndef CLACT_GLU_ACT
#error "CLACT_GLU_ACT must be defined by the host"
#endif
#define GLU_FWD CLACT_CAT(CLACT_GLU_ACT, _fwd)
#define GLU_BWD CLACT_CAT(CLACT_GLU_ACT, _bwd)
/* 1 inside [lo, hi], 0 outside, NaN for NaN */
static inline realv glu_pass(realv v, realv lo, realv hi) {
  return ((v >= lo) & (v <= hi)) ? RV(1.0f) : (isnan(v) ? v + v : RV(0.0f));
}

__kernel void clact_glu_fwd(__global const store_t *va, ulong vo, ulong vp, ulong as,
                            __global const store_t *ga, ulong go, ulong gp, ulong gs,
                            __global store_t *y, ulong yo, ulong yp, ulong rows, ulong d, real p0,
                            real limit CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * ROW_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  const clact_p p = {p0, 0.0f, 0.0f, 0.0f};
  realv a = row_load(va + vo + r * vp, as, i, d);
  realv g = row_load(ga + go + r * gp, gs, i, d);
  realv out;
  if (limit > 0.0f) {
    realv gc = g > RV(limit) ? RV(limit) : g;
    realv ac = a > RV(limit) ? RV(limit) : (a < RV(-limit) ? RV(-limit) : a);
    out = GLU_FWD(gc, p) * (ac + 1.0f);
  } else {
    out = a * GLU_FWD(g, p);
  }
  row_store(y + yo + r * yp, 1, i, d, out, ROW_BL);
}

__kernel void clact_glu_bwd(__global const store_t *va, ulong vo, ulong vp, ulong as,
                            __global const store_t *ga, ulong go, ulong gp, ulong gs,
                            __global const store_t *dy, ulong dyo, ulong dyp, __global store_t *da,
                            ulong dao, ulong dap, ulong das, __global store_t *dg, ulong dgo,
                            ulong dgp, ulong dgs, ulong rows, ulong d, real p0,
                            real limit CLACT_BLEND_ARGS) {
  const ulong i = get_global_id(0) * ROW_VW, r = get_global_id(1);
  if (i >= d || r >= rows)
    return;
  const clact_p p = {p0, 0.0f, 0.0f, 0.0f};
  realv a = row_load(va + vo + r * vp, as, i, d);
  realv g = row_load(ga + go + r * gp, gs, i, d);
  realv t = row_load(dy + dyo + r * dyp, 1, i, d);
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
  row_store(da + dao + r * dap, das, i, d, ra, ROW_BL);
  row_store(dg + dgo + r * dgp, dgs, i, d, rg, ROW_BL);
}
