/* Probe: 16-bit storage at VW=8: raw ushort copy, bf16 widen/narrow through convert_*, and
 * through bit tricks. Kernel args as lab.c: (const float *x, float *y, ulong n) reinterpreted. */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define US CAT(ushort, VW)
#define UI CAT(uint, VW)
#define FL CAT(float, VW)
__kernel void k_raw(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) CAT(vstore, VW)(CAT(vload, VW)(i, x), i, y);
}
__kernel void k_conv(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) {
    FL f = CAT(as_float, VW)(CAT(convert_uint, VW)(CAT(vload, VW)(i, x)) << 16);
    f = f > 0 ? f : 0;
    UI u = CAT(as_uint, VW)(f);
    UI r = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    CAT(vstore, VW)(CAT(convert_ushort, VW)(r), i, y);
  }
}
__kernel void k_conv_sel(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) {
    FL f = CAT(as_float, VW)(CAT(convert_uint, VW)(CAT(vload, VW)(i, x)) << 16);
    f = f > 0 ? f : 0;
    UI u = CAT(as_uint, VW)(f);
    UI r = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    UI q = (u >> 16) | 0x40u;
    CAT(vstore, VW)(CAT(convert_ushort, VW)(isnan(f) ? q : r), i, y);
  }
}
__kernel void k_f32(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) { FL f = CAT(vload, VW)(i, x); CAT(vstore, VW)(f > 0 ? f : 0, i, y); }
}
__kernel void k_f32_isnan(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) { FL f = CAT(vload, VW)(i, x); CAT(vstore, VW)(isnan(f) ? f + f : f * 2.0f, i, y); }
}
__kernel void k_f32_int(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) { FL f = CAT(vload, VW)(i, x); UI u = CAT(as_uint, VW)(f) & 0x7FFFFFFFu; CAT(vstore, VW)(u > 0x7F800000u ? f + f : f * 2.0f, i, y); }
}
__kernel void k_f32_ne(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) { FL f = CAT(vload, VW)(i, x); CAT(vstore, VW)(f != f ? f + f : f * 2.0f, i, y); }
}
__kernel void k_f32_mul(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) { FL f = CAT(vload, VW)(i, x); CAT(vstore, VW)(f * 2.0f, i, y); }
}
