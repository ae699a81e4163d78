#include <math.h>
#include <stdio.h>
static const float A11[12] = {0x1.0d3312p-19f, 0x1.324164p-3f,  0x1.34406cp-3f, 0x1.f0486cp-4f,
                              0x1.fff5a4p-4f,  -0x1.9fbf14p-4f, 0x1.2fd81cp-2f, -0x1.0a48cp-1f,
                              0x1.ab7156p-2f,  -0x1.545a28p-3f, 0x1.c63ee2p-6f, -0x1.3fe69cp-12f};
static const float A12[13] = {0x1.9dd0aep-22f, 0x1.325ce2p-3f, 0x1.32b9p-3f,    0x1.04cd7ap-3f,
                              0x1.7814f4p-4f,  0x1.49b30ap-6f, -0x1.07bc62p-6f, 0x1.9600fep-5f,
                              -0x1.405824p-2f, 0x1.e9438p-2f,  -0x1.60174ap-2f, 0x1.01cfbap-3f,
                              -0x1.3927e2p-6f};
static void run(const float *W, int deg, float c, const char *name) {
  double worst = 0, wt = 0;
  for (float t = 0; t < 14.5f;) {
    float q = c * t, dh = 1.0f + q;
    float dl = q > 1.0f ? (q - dh) + 1.0f : (1.0f - dh) + q;
    float w = 1.0f / dh;
    float wl = w * fmaf(-w, dl, fmaf(-w, dh, 1.0f));
    float p = W[deg], dp = 0;
    for (int i = deg - 1; i >= 0; i--) {
      dp = fmaf(dp, w, p);
      p = fmaf(p, w, W[i]);
    }
    float pc = fmaf(dp, wl, p);
    double wd = 1.0 / (1.0 + (double)c * (double)t), pd = W[deg];
    for (int i = deg - 1; i >= 0; i--)
      pd = pd * wd + W[i];
    double e = fabs(pc - pd) / pd / 0x1p-24;
    if (e > worst) {
      worst = e;
      wt = t;
    }
    for (int s = 0; s < 37; s++)
      t = nextafterf(t, 20.0f);
    if (t < 1e-4f)
      t = 1e-4f;
  }
  printf("%s: max rel err of corrected P(w): %.3f u at t = %g\n", name, worst, wt);
}
int main(void) {
  run(A11, 11, 0.375f, "c=0.375 deg11");
  run(A12, 12, 0.375f, "c=0.375 deg12");
  return 0;
}
