/* seroot.c: soft_exponential (alpha in (0, 1)) at the floats next to its root
 * x* = ln(1 - alpha^2)/alpha, for N pseudo-random alpha: the host build of
 * kernels/soft_exponential.cl against the library's reference (double-double x*). Reports the
 * largest error in ulp and how many alpha exceed 2 ulp. Usage: seroot [N] (build: make seroot;
 * needs ../../../build/libclact.a) */
#include <stdio.h>
#include <stdlib.h>

#include "shim2.h"
#include "shared_math.gen.h"
#include "../../../kernels/soft_exponential.cl"

#include "clact.h"

static double unit_of(double r) {
  int e = -125;
  if (r != 0)
    frexp(r, &e);
  return ldexp(1.0, (e < -125 ? -125 : e) - 24);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  double worst = 0, wa = 0, wx = 0;
  long bad = 0, farbad = 0;
  unsigned long long s = 12345;
  for (long i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    float a = (float)((double)(s >> 11) * 0x1p-53);
    if (!(a > 0 && a < 1))
      continue;
    double xs = log1p(-(double)a * a) / a;
    float x = (float)xs;
    for (int k = 0; k < 3; k++)
      x = nextafterf(x, -INFINITY);
    int badhere = 0;
    float x0 = (float)xs;
    for (int k = 0; k < 7; k++, x = nextafterf(x, INFINITY)) {
      double p[4] = {a, 0, 0, 0};
      double r = clact_reference_forward(CLACT_SOFT_EXPONENTIAL, x, p);
      float y = hw_soft_exponential_fwd(x, (float[4]){a, 0, 0, 0});
      double e = __builtin_fabs((double)y - r) / unit_of(r);
      if (e > worst)
        worst = e, wa = a, wx = x;
      badhere |= e > 2;
      if (e > 2 && x != x0 && x != nextafterf(x0, -INFINITY) && x != nextafterf(x0, INFINITY))
        farbad++;
    }
    bad += badhere;
  }
  printf(
      "soft_exponential near its root, %ld alpha in (0, 1), 7 floats each: max %.3g ulp (alpha %a, "
      "x %a); alpha with an error above 2 ulp: %ld; errors above 2 ulp more than one float from "
      "x*: %ld\n",
      n, worst, wa, wx, bad, farbad);
  return 0;
}
