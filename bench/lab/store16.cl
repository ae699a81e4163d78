#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define US CAT(ushort, VW)
#define UI CAT(uint, VW)
#define FL CAT(float, VW)
__kernel void f32_copy(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n)
    CAT(vstore, VW)(CAT(vload, VW)(i, x), i, y);
}
__kernel void u16_vstore(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n)
    CAT(vstore, VW)(CAT(vload, VW)(i, x), i, y);
}
__kernel void u16_ptr(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n)
    ((__global US *)y)[i] = CAT(vload, VW)(i, x);
}
__kernel void u16_uintstore(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
#if VW >= 2
  if ((i + 1) * VW <= n)
    vstore8(as_uint8(CAT(vload, VW)(i, x)), i, (__global uint *)y);
#endif
}
/* f16 relu-like with conversion through uint lanes: convert, max, back */
__kernel void u16_conv_vstore(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) {
    FL f = CAT(as_float, VW)(CAT(convert_uint, VW)(CAT(vload, VW)(i, x)) << 16);
    f = f > 0 ? f : 0;
    UI u = CAT(as_uint, VW)(f);
    UI r = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    CAT(vstore, VW)(CAT(convert_ushort, VW)(r), i, y);
  }
}
__kernel void u16_conv_ptr(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) {
    FL f = CAT(as_float, VW)(CAT(convert_uint, VW)(CAT(vload, VW)(i, x)) << 16);
    f = f > 0 ? f : 0;
    UI u = CAT(as_uint, VW)(f);
    UI r = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    ((__global US *)y)[i] = CAT(convert_ushort, VW)(r);
  }
}
__kernel void u16_conv_branch(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) {
    FL f = CAT(as_float, VW)(CAT(convert_uint, VW)(CAT(vload, VW)(i, x)) << 16);
    f = f > 0 ? f : 0;
    UI u = CAT(as_uint, VW)(f);
    UI r = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    US s = CAT(convert_ushort, VW)(r);
    __global ushort *p = y + i * VW;
    if (((ulong)p & (2 * VW - 1)) == 0)
      *(__global US *)p = s;
    else
      CAT(vstore, VW)(s, 0, p);
  }
}
__kernel void u16_conv_branch_off1(__global const ushort *x, __global ushort *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 2) * VW <= n) {
    FL f = CAT(as_float, VW)(CAT(convert_uint, VW)(CAT(vload, VW)(i, x)) << 16);
    f = f > 0 ? f : 0;
    UI u = CAT(as_uint, VW)(f);
    UI r = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    US s = CAT(convert_ushort, VW)(r);
    __global ushort *p = y + 1 + i * VW;
    if (((ulong)p & (2 * VW - 1)) == 0)
      *(__global US *)p = s;
    else
      CAT(vstore, VW)(s, 0, p);
  }
}
