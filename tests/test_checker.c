/* tests/test_checker.c: the checker can fail. Kernels are read from a scratch CLACT_KERNEL_DIR
 * holding the real prelude and deliberately broken activations; clact_check must report each
 * defect (a wrong value at one point, a wrong sign of zero, an error just above the bound, a
 * backward error, an unwritten tail element, a write past the end, a NaN turned into a number,
 * an f16 result that is not the rounding of the f32 one), the unmodified sources must pass, a
 * syntax error must give CLACT_ERROR_BUILD_FAILED with a log naming the file and line, and a
 * missing source CLACT_ERROR_KERNEL_SOURCE. The digest mode (options.digest) must give the same
 * digest for other code with the same bits and another where a single result differs.
 * Usage: test_checker KERNEL_SOURCE_DIR SCRATCH_DIR */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <sys/stat.h>

static const char *src_dir, *scratch;

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  if (!in || !out) {
    fprintf(stderr, "cannot copy %s to %s\n", from, to);
    exit(1);
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    fwrite(buf, 1, n, out);
  fclose(in);
  fclose(out);
}

/* A kernel directory with the real prelude, the input generator and `text` as
 * kernels/<name>.cl. */
static void kernel_dir(const char *case_name, const char *name, const char *text) {
  char dir[1024], path[1200], from[1200];
  snprintf(dir, sizeof dir, "%s/%s", scratch, case_name);
  mkdir(scratch, 0755);
  mkdir(dir, 0755);
  snprintf(from, sizeof from, "%s/common.clh", src_dir);
  snprintf(path, sizeof path, "%s/common.clh", dir);
  copy_file(from, path);
  /* the sweep's input generator too, so the broken kernels are judged on device inputs */
  snprintf(from, sizeof from, "%s/gen_exhaustive.cl", src_dir);
  snprintf(path, sizeof path, "%s/gen_exhaustive.cl", dir);
  copy_file(from, path);
  if (name) {
    snprintf(path, sizeof path, "%s/%s.cl", dir, name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
  }
  setenv("CLACT_KERNEL_DIR", dir, 1);
}

static clact_status quick_check_ftz(clact_activation act, clact_direction dir, clact_dtype dtype,
                                    clact_check_result *r, int ftz) {
  clact_context *ctx = test_context();
  clact_check_options o = {4096, 1u << 14, 7, 0, 0, 1, 0, ftz, 0, 0, 0};
  clact_status st = clact_check(ctx, act, dir, dtype, NULL, &o, r, NULL, NULL);
  clact_context_destroy(ctx);
  return st;
}

static clact_status quick_check(clact_activation act, clact_direction dir, clact_dtype dtype,
                                clact_check_result *r) {
  return quick_check_ftz(act, dir, dtype, r, 0);
}

/* The check of `act` with the broken kernel must fail, with `what` in its message. */
static void expect_caught_dtype(const char *case_name, clact_activation act, clact_direction dir,
                                clact_dtype dtype, const char *text, const char *what) {
  kernel_dir(case_name, clact_name(act), text);
  clact_check_result r;
  clact_status st = quick_check(act, dir, dtype, &r);
  printf("%-14s -> %s: %llu failures; %s\n", case_name, clact_status_string(st),
         (unsigned long long)r.failures, r.message);
  EXPECT(st == CLACT_ERROR_CHECK_FAILED && r.failures > 0);
  EXPECT(strstr(r.message, what) != NULL);
}

static void expect_caught(const char *case_name, clact_activation act, clact_direction dir,
                          const char *text, const char *what) {
  expect_caught_dtype(case_name, act, dir, CLACT_F32, text, what);
}

#define RELU_BWD                                                                                   \
  "static inline realv relu_bwd(realv x, realv dy, clact_p p) { return dy; }\n"                    \
  "static inline realv relu_bwd_y(realv y, realv dy, clact_p p) { return dy; }\n"

/* The digest of relu's float32 forward on the quick inputs, with the current CLACT_KERNEL_DIR. */
static uint64_t relu_digest(void) {
  clact_context *ctx = test_context();
  clact_check_options o = {4096, 1u << 14, 7, 0, 0, 1, 0, 0, 0, 0, 1};
  clact_check_result r;
  EXPECT_STATUS(clact_check(ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
                CLACT_SUCCESS);
  EXPECT(r.count > 0 && r.failures == 0 && r.digest != 0);
  clact_context_destroy(ctx);
  return r.digest;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_checker KERNEL_SOURCE_DIR SCRATCH_DIR\n");
    return 2;
  }
  src_dir = argv[1];
  scratch = argv[2];

  /* control: the real relu and gelu read from the source folder pass */
  setenv("CLACT_KERNEL_DIR", src_dir, 1);
  clact_check_result r;
  clact_status st;
  EXPECT_STATUS(quick_check(CLACT_RELU, CLACT_FORWARD, CLACT_F32, &r), CLACT_SUCCESS);
  EXPECT_STATUS(quick_check(CLACT_RELU, CLACT_FORWARD, CLACT_F16, &r), CLACT_SUCCESS);

  /* digest mode: relu's former three-way forward has the same bits; one result off (x = -1,
   * an edge point) changes the digest */
  uint64_t real = relu_digest();
  kernel_dir("digest_same", "relu",
             "static inline realv relu_fwd(realv x, clact_p p) {\n"
             "  return x > RV(0.0f) ? x : (x <= RV(0.0f) ? RV(0.0f) : x + x); }\n" RELU_BWD
             "CLACT_ELEMENTWISE(relu)\nCLACT_ELEMENTWISE_FROM_Y(relu)\n");
  EXPECT(relu_digest() == real);
  kernel_dir("digest_one", "relu",
             "static inline realv relu_fwd(realv x, clact_p p) {\n"
             "  return x == RV(-1.0f) ? RV(-0.0f) : (x <= RV(0.0f) ? RV(0.0f) : x); }\n" RELU_BWD
             "CLACT_ELEMENTWISE(relu)\nCLACT_ELEMENTWISE_FROM_Y(relu)\n");
  EXPECT(relu_digest() != real);
  setenv("CLACT_KERNEL_DIR", src_dir, 1);

  /* relu wrong at a single point: x = -1 gives 1e-30 instead of +0 */
  expect_caught("one_point", CLACT_RELU, CLACT_FORWARD,
                "static inline realv relu_fwd(realv x, clact_p p) {\n"
                "  return x == RV(-1.0f) ? RV(1e-30f) : (x > RV(0.0f) ? x : x <= 0 ? RV(0.0f) : x "
                "+ x); }\n" RELU_BWD "CLACT_ELEMENTWISE(relu)\nCLACT_ELEMENTWISE_FROM_Y(relu)\n",
                "not correctly rounded");
  /* relu(-0) = -0: a wrong sign of zero */
  expect_caught(
      "signed_zero", CLACT_RELU, CLACT_FORWARD,
      "static inline realv relu_fwd(realv x, clact_p p) {\n"
      "  return x > RV(0.0f) || x == RV(0.0f) ? x : x <= 0 ? RV(0.0f) : x + x; }\n" RELU_BWD
      "CLACT_ELEMENTWISE(relu)\nCLACT_ELEMENTWISE_FROM_Y(relu)\n",
      "sign of zero");
  /* sigmoid 3 ulp high everywhere: above its 2 ulp bound */
  expect_caught("above_bound", CLACT_SIGMOID, CLACT_FORWARD,
                "static inline realv sigmoid_fwd(realv x, clact_p p) {\n"
                "  realv s = clact_sigmoid(x);\n"
                "  return s + RV(3.0f) * (nextafter(s, RV(INFINITY)) - s); }\n"
                "static inline realv sigmoid_bwd(realv x, realv dy, clact_p p) { return dy; }\n"
                "static inline realv sigmoid_bwd_y(realv y, realv dy, clact_p p) { return dy; }\n"
                "CLACT_ELEMENTWISE(sigmoid)\nCLACT_ELEMENTWISE_FROM_Y(sigmoid)\n",
                "above the bound");
  /* a derivative off by a factor 1 + 2^-19 (32 ulp): the backward bound catches it */
  expect_caught("backward", CLACT_SILU, CLACT_BACKWARD,
                "static inline realv silu_fwd(realv x, clact_p p) { return x; }\n"
                "static inline realv silu_bwd(realv x, realv dy, clact_p p) {\n"
                "  realv s = clact_sigmoid(x);\n"
                "  return dy * (s + x * s * clact_sigmoid(-x)) * RV(1.0f + 0x1p-19f); }\n"
                "CLACT_ELEMENTWISE(silu)\n",
                "above the bound");
  /* the last element of a tail never written: the poison shows */
  expect_caught("unwritten", CLACT_RELU, CLACT_FORWARD,
                "static inline realv relu_fwd(realv x, clact_p p) {\n"
                "  return x > RV(0.0f) ? x : (x <= RV(0.0f) ? RV(0.0f) : x + x); }\n" RELU_BWD
                "__kernel void clact_fwd(__global const float *x, ulong xo, __global float *y,\n"
                "    ulong yo, ulong n, float p0, float p1, float p2, float p3) {\n"
                "  clact_p p = {p0, p1, p2, p3};\n"
                "  for (uint k = 0; k < CLACT_VW; k++) {\n"
                "    ulong j = get_global_id(0) * CLACT_VW + k;\n"
                "    float v = x[xo + j];\n"
                "    if (j < n && !(j + 1 == n && n % 8 != 0)) y[yo + j] = v > 0.0f ? v : v <= "
                "0.0f ? 0.0f : v + v;\n"
                "  }\n"
                "}\n"
                "CLACT_KERNEL_2(clact_bwd, relu_bwd, CLACT_IN_BIAS, CLACT_BIAS_ARGS)\n"
                "CLACT_ELEMENTWISE_FROM_Y(relu)\n",
                "unwritten");
  /* one element written past the end of the range */
  expect_caught("past_end", CLACT_RELU, CLACT_FORWARD,
                "static inline realv relu_fwd(realv x, clact_p p) {\n"
                "  return x > RV(0.0f) ? x : (x <= RV(0.0f) ? RV(0.0f) : x + x); }\n" RELU_BWD
                "__kernel void clact_fwd(__global const float *x, ulong xo, __global float *y,\n"
                "    ulong yo, ulong n, float p0, float p1, float p2, float p3) {\n"
                "  clact_p p = {p0, p1, p2, p3};\n"
                "  for (uint k = 0; k < CLACT_VW; k++) {\n"
                "    ulong j = get_global_id(0) * CLACT_VW + k;\n"
                "    float v = x[xo + j];\n"
                "    if (j < n) y[yo + j] = v > 0.0f ? v : v <= 0.0f ? 0.0f : v + v;\n"
                "    if (j == n && n == 93) y[yo + j] = 0.0f;\n"
                "  }\n"
                "}\n"
                "CLACT_KERNEL_2(clact_bwd, relu_bwd, CLACT_IN_BIAS, CLACT_BIAS_ARGS)\n"
                "CLACT_ELEMENTWISE_FROM_Y(relu)\n",
                "outside the output range");
  /* identity turning NaN into a number */
  expect_caught("nan_class", CLACT_IDENTITY, CLACT_FORWARD,
                "static inline realv identity_fwd(realv x, clact_p p) {\n"
                "  return isnan(x) ? RV(0.0f) : x; }\n"
                "static inline realv identity_bwd(realv x, realv dy, clact_p p) { return dy; }\n"
                "static inline realv identity_bwd_y(realv x, realv dy, clact_p p) { return dy; }\n"
                "CLACT_ELEMENTWISE(identity)\nCLACT_ELEMENTWISE_FROM_Y(identity)\n",
                "wrong class");
  /* an f16 kernel that computes differently from the f32 one: within 1 ulp of the exact value
   * (it is one float32 ulp off), but not the rounding of the float32 result */
  expect_caught_dtype(
      "f16_rounding", CLACT_SIGMOID, CLACT_FORWARD, CLACT_F16,
      "static inline realv sigmoid_fwd(realv x, clact_p p) {\n"
      "  realv s = clact_sigmoid(x);\n"
      "#ifdef CLACT_DTYPE_F16\n"
      "  s = nextafter(s, RV(INFINITY));\n"
      "#endif\n"
      "  return s; }\n"
      "static inline realv sigmoid_bwd(realv x, realv dy, clact_p p) { return dy; }\n"
      "static inline realv sigmoid_bwd_y(realv y, realv dy, clact_p p) { return dy; }\n"
      "CLACT_ELEMENTWISE(sigmoid)\nCLACT_ELEMENTWISE_FROM_Y(sigmoid)\n",
      "not RNE of the float32 result");

  /* The flush-to-zero relaxation: an identity (forward and backward) that flushes subnormals is
   * caught on a device with denormals and accepted under assume_ftz; one that also flushes
   * normal numbers below 2^-100 is caught either way. */
  for (int normal = 0; normal < 2; normal++) {
    char text[1024];
    const char *limit = normal ? "0x1p-100f" : "FLT_MIN";
    snprintf(text, sizeof text,
             "static inline realv identity_fwd(realv x, clact_p p) {\n"
             "  return fabs(x) < RV(%s) ? RV(0.0f) * x : x; }\n"
             "static inline realv identity_bwd(realv x, realv dy, clact_p p) {\n"
             "  return isnan(x) ? x : (fabs(dy) < RV(%s) ? RV(0.0f) * dy : dy); }\n"
             "static inline realv identity_bwd_y(realv x, realv dy, clact_p p) {\n"
             "  return identity_bwd(x, dy, p); }\n"
             "CLACT_ELEMENTWISE(identity)\nCLACT_ELEMENTWISE_FROM_Y(identity)\n",
             limit, limit);
    for (int d = 0; d < 2; d++) {
      clact_direction dir = d ? CLACT_BACKWARD : CLACT_FORWARD;
      expect_caught(normal ? "flush_normal" : "flush_subnormal", CLACT_IDENTITY, dir, text,
                    d ? "above the bound" : "not correctly rounded"); /* (subnormal edge dy) */
      st = quick_check_ftz(CLACT_IDENTITY, dir, CLACT_F32, &r, 1);
      printf("%-14s -> under assume_ftz: %s: %llu failures; %s\n",
             normal ? "flush_normal" : "flush_subnormal", clact_status_string(st),
             (unsigned long long)r.failures, r.message);
      EXPECT_STATUS(st, normal ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS);
    }
  }

  /* a syntax error: build failure, the log names the kernel file and line */
  kernel_dir("syntax", "tanh",
             "static inline realv tanh_fwd(realv x, clact_p p) {\n"
             "  return x +;\n}\n");
  clact_context *ctx = test_context();
  EXPECT_STATUS(clact_prepare(ctx, CLACT_TANH, CLACT_F32, NULL), CLACT_ERROR_BUILD_FAILED);
  const char *log = clact_build_log(ctx);
  printf("build log: %.300s\n", log);
  EXPECT(strstr(log, "tanh.cl:2") != NULL);
  clact_context_destroy(ctx);

  /* a missing source */
  kernel_dir("missing", NULL, NULL);
  ctx = test_context();
  EXPECT_STATUS(clact_prepare(ctx, CLACT_GELU, CLACT_F32, NULL), CLACT_ERROR_KERNEL_SOURCE);
  clact_context_destroy(ctx);
  return test_result();
}
