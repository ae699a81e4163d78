#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#ifndef RAT
#define RAT 67
#endif
#if RAT == 56
static const float A[6] = {5.00000001e-01f, 4.09164442e-01f, 1.59821498e-01f,
                           3.16742412e-02f, 2.37076305e-03f, -1.32838657e-04f};
static const float B[7] = {1.0f,
                           1.61621367e+00f,
                           1.10919226e+00f,
                           4.06223132e-01f,
                           7.90832628e-02f,
                           5.94187120e-03f,
                           -3.32965224e-04f};
enum { NA = 6, NB = 7 };
#else
static const float A[7] = {5.00000001e-01f, 3.88591057e-01f,  1.46038201e-01f, 2.73982998e-02f,
                           1.84718737e-03f, -1.13474689e-04f, 2.78337012e-06f};
static const float B[8] = {1.0f,
                           1.57506676e+00f,
                           1.04879672e+00f,
                           3.70049202e-01f,
                           6.84440743e-02f,
                           4.63443400e-03f,
                           -2.84351330e-04f,
                           6.97564186e-06f};
enum { NA = 7, NB = 8 };
#endif
int main() {
  double maxe = 0, maxc = 0;
  float at = 0, atc = 0;
  for (float t = 0; t <= 14.5f; t = nextafterf(t, 20)) {
    float nn = A[NA - 1];
    for (int i = NA - 2; i >= 0; i--)
      nn = fmaf(nn, t, A[i]);
    float dd = B[NB - 1];
    for (int i = NB - 2; i >= 0; i--)
      dd = fmaf(dd, t, B[i]);
    float q = nn / dd;
    double nd = A[NA - 1];
    for (int i = NA - 2; i >= 0; i--)
      nd = nd * t + A[i];
    double de = B[NB - 1];
    for (int i = NB - 2; i >= 0; i--)
      de = de * t + B[i];
    double qc = nd / de;
    double Q = 0.5 * erfc(t / sqrt(2.0)) * exp(0.5 * (double)t * t);
    double e = fabs(q - Q) / Q * 0x1p24, ec = fabs(qc - Q) / Q * 0x1p24;
    if (e > maxe) {
      maxe = e;
      at = t;
    }
    if (ec > maxc) {
      maxc = ec;
      atc = t;
    }
  }
  printf("float eval: max %.3f ulp(rel 2^-24) at t=%g; exact eval of float coeffs: %.3f at %g\n",
         maxe, at, maxc, atc);
}
