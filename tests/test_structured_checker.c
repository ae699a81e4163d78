/* tests/test_structured_checker.c: clact_check_rows can fail. Kernels are read from a scratch
 * CLACT_KERNEL_DIR holding the real prelude and kernels/softmax.cl with one deliberate defect
 * each; the check must report every one (a result 8 ulp off at the row max, the last column
 * not written, a write into the padding after a row, the double-float tail of x - m dropped,
 * the two-step scaling of log_softmax backward collapsed, an f16 result that is not the
 * rounding of the f32 one, NaN rows turned into numbers; sparsemax, maxout and rrelu_train
 * defects below; float64 defects where the device has cl_khr_fp64, sparsemax's among them), and
 * the unmodified source must pass.
 * Usage: test_structured_checker KERNEL_SOURCE_DIR SCRATCH_DIR */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <sys/stat.h>

static const char *src_dir, *scratch;

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  s[n] = '\0';
  fclose(f);
  return s;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
  fputs(text, f);
  fclose(f);
}

/* kernels/<file> with `from` replaced by `to` (which must occur) in a scratch kernel folder that
 * also holds the real prelude and the real sources the GLU programs include. */
static int mutate_file(const char *case_name, const char *file, const char *from, const char *to) {
  char dir[1024], path[1200];
  snprintf(dir, sizeof dir, "%s/%s", scratch, case_name);
  mkdir(scratch, 0755);
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/common.clh", src_dir);
  char *prelude = read_file(path);
  snprintf(path, sizeof path, "%s/common.clh", dir);
  write_file(path, prelude);
  free(prelude);
  static const char *const others[] = {
      "rows.clh",  "softmax.cl",     "glu.cl",  "sigmoid.cl",  "swish.cl",
      "gelu.cl",   "gelu_tanh.cl",   "relu.cl", "identity.cl", "sparsemax.cl",
      "maxout.cl", "rrelu_train.cl", "crelu.cl"};
  for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
    snprintf(path, sizeof path, "%s/%s", src_dir, others[k]);
    char *text = read_file(path);
    snprintf(path, sizeof path, "%s/%s", dir, others[k]);
    write_file(path, text);
    free(text);
  }
  snprintf(path, sizeof path, "%s/%s", src_dir, file);
  char *src = read_file(path);
  char *at = from ? strstr(src, from) : NULL;
  if (from && !at) {
    fprintf(stderr, "%s: the text to mutate is not in %s: %s\n", case_name, file, from);
    free(src);
    return 0;
  }
  size_t n = strlen(src) + (to ? strlen(to) : 0) + 1;
  char *out = malloc(n);
  if (!out)
    exit(1);
  if (at)
    snprintf(out, n, "%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
  else
    snprintf(out, n, "%s", src);
  snprintf(path, sizeof path, "%s/%s", dir, file);
  write_file(path, out);
  free(out);
  free(src);
  setenv("CLACT_KERNEL_DIR", dir, 1);
  return 1;
}

static int mutate(const char *case_name, const char *from, const char *to) {
  return mutate_file(case_name, "softmax.cl", from, to);
}

static clact_status check(clact_structured op, clact_direction dir, clact_dtype dtype, size_t rows,
                          size_t cols, clact_check_result *r) {
  clact_context *ctx = test_context();
  clact_status st = clact_check_rows(ctx, op, dir, dtype, NULL, rows, cols, 5, r);
  if (st != CLACT_SUCCESS && st != CLACT_ERROR_CHECK_FAILED)
    fprintf(stderr, "%s\n", clact_build_log(ctx));
  clact_context_destroy(ctx);
  return st;
}

#define CATCHES(name, from, to, op, dir, dtype, rows, cols)                                        \
  CATCHES_IN("softmax.cl", name, from, to, op, dir, dtype, rows, cols)
#define CATCHES_IN(file, name, from, to, op, dir, dtype, rows, cols)                               \
  do {                                                                                             \
    clact_check_result r_;                                                                         \
    if (mutate_file(name, file, from, to)) {                                                       \
      EXPECT_STATUS(check(op, dir, dtype, rows, cols, &r_), CLACT_ERROR_CHECK_FAILED);             \
      printf("%-22s caught: %s\n", name, r_.message);                                              \
    } else {                                                                                       \
      test_failures++;                                                                             \
    }                                                                                              \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_structured_checker KERNEL_SOURCE_DIR SCRATCH_DIR\n");
    return 2;
  }
  src_dir = argv[1];
  scratch = argv[2];
  clact_check_result r;
  /* the real source passes from the scratch folder */
  EXPECT(mutate("unmodified", NULL, NULL));
  EXPECT_STATUS(check(CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F32, 30, 33, &r), CLACT_SUCCESS);
  /* 8 ulp at the max element (1 + 2^-20 instead of 1; float32: the stored term) */
  CATCHES("max_off", "  sm_add_biased(a, use ? t : RV(0.0f));\n  return t;",
          "  sm_add_biased(a, use ? t : RV(0.0f));\n  return v == RV(m) ? RV(1.000001f) : t;",
          CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F32, 30, 33);
  /* the last column never written (every shape: the tail of row_store, kernels/rows.clh) */
  CATCHES_IN("rows.clh", "last_unwritten", "    if (i + k < n)\n      p[stride * (i + k)] = a[k];",
             "    if (i + k + 1 < n)\n      p[stride * (i + k)] = a[k];", CLACT_S_LOG_SOFTMAX,
             CLACT_FORWARD, CLACT_BF16, 20, 5);
  /* one element written past the row, into the padding */
  CATCHES_IN("rows.clh", "padding_written", "    if (i + k < n)\n      p[stride * (i + k)] = a[k];",
             "    if (i + k <= n)\n      p[stride * (i + k)] = a[k];", CLACT_S_SOFTMIN,
             CLACT_FORWARD, CLACT_F32, 20, 7);
  /* x - m without its exact tail: ~100 ulp where |x - m| is large */
  CATCHES("difference_tail", "  realv dh = clact_two_sum(v, RV(-m), &dl);\n  intv k;",
          "  realv dh = clact_two_sum(v, RV(-m), &dl);\n  dl = RV(0.0f);\n  intv k;",
          CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F32, 30, 1000);
  /* log_softmax backward: 2^k applied in one clamped step (wrong for e^y far below FLT_MIN
   * times a sum near 2^125) */
  CATCHES("scale_collapsed", "intv ka = clamp(k, (intv)(-64), (intv)64);", "intv ka = (intv)0;",
          CLACT_S_LOG_SOFTMAX, CLACT_BACKWARD, CLACT_F32, 30, 1000);
  /* f16: the output rounded toward zero instead of to nearest even */
  CATCHES("f16_not_rne", "return sm_scale(sm_t(SM_NEG(u), m), ih, il);",
          "return AS_REALV(AS_UINTV(sm_scale(sm_t(SM_NEG(u), m), ih, il)) & "
          "(uintv)0xFFFFE000u);",
          CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F16, 30, 33);
  /* a row with a +inf (or all -inf) no longer NaN (the path that counts the maxima:
   * log_softmax; softmax's sum of rounded terms is NaN there by itself, inf - inf) */
  CATCHES("inf_row_not_nan", "return isinf(m) ? (float)NAN : hh;", "return hh;",
          CLACT_S_LOG_SOFTMAX, CLACT_FORWARD, CLACT_F16, 20, 3);
  /* GLU: the real glu.cl passes from the scratch folder */
  EXPECT(mutate_file("glu_unmodified", "glu.cl", NULL, NULL));
  EXPECT_STATUS(check(CLACT_S_SWIGLU, CLACT_BACKWARD, CLACT_F32, 8, 66, &r), CLACT_SUCCESS);
  /* interleaved pairs taken the other way round (a at even columns) */
  CATCHES_IN("rows.clh", "glu_pairs_swapped", "return TO_REAL((row_rawv)(lo.even, hi.even));",
             "return TO_REAL((row_rawv)(lo.odd, hi.odd));", CLACT_S_GEGLU, CLACT_FORWARD, CLACT_F32,
             8, 66);
  /* the gpt-oss clamp of the value half dropped */
  CATCHES_IN("glu.cl", "glu_no_clamp", "    out = GLU_FWD(gc, p) * (ac + 1.0f);",
             "    out = GLU_FWD(gc, p) * (a + 1.0f);", CLACT_S_SWIGLU, CLACT_FORWARD, CLACT_F32, 8,
             66);
  /* the clamp's gradient not masked */
  CATCHES_IN("glu.cl", "glu_grad_unmasked", "* glu_pass(g, RV(-INFINITY), RV(limit));", ";",
             CLACT_S_SWIGLU, CLACT_BACKWARD, CLACT_F32, 8, 66);
  /* the gate gradient written to the value's position */
  CATCHES_IN("glu.cl", "glu_dg_misplaced", "row_store(dg + dgo + r * dgp, dgs, i, d, rg, ROW_BL);",
             "row_store(da + dao + r * dap, das, i, d, rg, ROW_BL);", CLACT_S_REGLU, CLACT_BACKWARD,
             CLACT_BF16, 8, 66);
  /* crelu: the right half relu(x) instead of relu(-x); backward with the right term added */
  CATCHES_IN("crelu.cl", "crelu_right_half", "right = relu_fwd(-v, p);", "right = relu_fwd(v, p);",
             CLACT_S_CRELU, CLACT_FORWARD, CLACT_F32, 8, 33);
  CATCHES_IN("crelu.cl", "crelu_bwd_sign", "relu_bwd(v, dl, p) - relu_bwd(-v, dr, p)",
             "relu_bwd(v, dl, p) + relu_bwd(-v, dr, p)", CLACT_S_CRELU, CLACT_BACKWARD, CLACT_F16,
             8, 33);
  /* sparsemax: the double-float refinement skipped (tau from the float iteration only) */
  CATCHES_IN("sparsemax.cl", "sparsemax_no_refinement",
             "  kprev = 0;\n  for (ulong it = 0; it <= cols; it++) {",
             "  kprev = 0;\n  for (ulong it = 0; it < 0; it++) {", CLACT_S_SPARSEMAX, CLACT_FORWARD,
             CLACT_F32, 20, 33);
  /* a row with a +inf turned into NaN instead of 1 at the +inf */
  CATCHES_IN("sparsemax.cl", "sparsemax_inf_row", "cinf > 0 && cnan == 0 ?",
             "cinf > 0 && cnan > 0 ?", CLACT_S_SPARSEMAX, CLACT_FORWARD, CLACT_BF16, 20, 7);
  /* backward: the mean of dy over the support off by one element */
  CATCHES_IN("sparsemax.cl", "sparsemax_bwd_mean", "vh = sp_div(sh, sl, k, &vl);",
             "vh = sp_div(sh, sl, k + 1, &vl);", CLACT_S_SPARSEMAX, CLACT_BACKWARD, CLACT_F32, 20,
             33);
  /* maxout: ties go to the last maximum instead of the first */
  CATCHES_IN("maxout.cl", "maxout_last_argmax", "(isnan(v) | (v > best))",
             "(isnan(v) | (v >= best))", CLACT_S_MAXOUT, CLACT_BACKWARD, CLACT_F32, 8, 66);
  /* maxout: a NaN in the group dropped (fmax-like) */
  CATCHES_IN("maxout.cl", "maxout_nan_dropped", "intv take = (!nan) & (isnan(v) | (v > best));",
             "intv take = v > best;", CLACT_S_MAXOUT, CLACT_FORWARD, CLACT_F16, 8, 66);
  /* rrelu_train: the counter taken from the pitch (the slopes then depend on the layout) */
  CATCHES_IN("rrelu_train.cl", "rrelu_counter_pitch",
             "realv a = rt_slope(r * n + i, lower, upper, k0, k1);\n  realv neg",
             "realv a = rt_slope(r * xp + i, lower, upper, k0, k1);\n  realv neg",
             CLACT_S_RRELU_TRAIN, CLACT_FORWARD, CLACT_F32, 8, 33);
  /* rrelu_train: the seed's high word not in the key (seeds >= 2^32 collide) */
  CATCHES_IN("rrelu_train.cl", "rrelu_key_hi", "c2 = RT_TO_UINT(p0 >> 32) ^ c3 ^ (rt_uintv)k1;",
             "c2 = RT_TO_UINT(p0 >> 32) ^ c3 ^ (rt_uintv)0u;", CLACT_S_RRELU_TRAIN, CLACT_BACKWARD,
             CLACT_BF16, 8, 33);
  /* float64 (where the device has it): the unmodified source passes; then defects of the f64
   * paths of softmax.cl and the other operations, each below what float32 could see */
  clact_context *c64 = test_context();
  int fp64 = clact_context_supports(c64, CLACT_F64) == CLACT_SUCCESS;
  clact_context_destroy(c64);
  if (!fp64) {
    printf("f64 cases skipped: the device has no cl_khr_fp64\n");
    return test_result();
  }
  EXPECT(mutate("f64_unmodified", NULL, NULL));
  EXPECT_STATUS(check(CLACT_S_LOG_SOFTMAX, CLACT_BACKWARD, CLACT_F64, 30, 33, &r), CLACT_SUCCESS);
  /* e^(x - m) without its tail correction: up to 2^-44 relative where |x - m| > 512 */
  CATCHES("f64_exp_tail", "  realv t = exp(*dh);\n  return fma(t, *dl, t);",
          "  realv t = exp(*dh);\n  return t;", CLACT_S_SOFTMAX, CLACT_FORWARD, CLACT_F64, 30,
          1000);
  /* ln S as log(S) for a dominant element (S - 1 lost in the rounding of S) */
  CATCHES("f64_log_not_log1p", "double L = a.c == 1 ? log1p(rest) : log(S);", "double L = log(S);",
          CLACT_S_LOG_SOFTMAX, CLACT_FORWARD, CLACT_F64, 30, 33);
  /* backward: the sum 2^-40 relative off before dy_i - s (below float32's resolution) */
  CATCHES("f64_sum_off", "realv t = row_two_sum(dy, RV(-sh), &e);",
          "realv t = row_two_sum(dy, RV(-(sh * (1.0 + 0x1p-40))), &e);", CLACT_S_SOFTMIN,
          CLACT_BACKWARD, CLACT_F64, 30, 33);
  /* GLU in f64: the gpt-oss clamp of the value half dropped */
  CATCHES_IN("glu.cl", "glu_f64_no_clamp", "    out = GLU_FWD(gc, p) * (ac + 1.0f);",
             "    out = GLU_FWD(gc, p) * (a + 1.0f);", CLACT_S_SWIGLU, CLACT_FORWARD, CLACT_F64, 8,
             66);
  /* rrelu_train in f64: the slope's last addition in double from the unrounded lower bound (not
   * the float32 slope of every other dtype) */
  CATCHES_IN("rrelu_train.cl", "rrelu_f64_slope_double",
             "return CONVERT_REALV((rt_floatv)lower + t);",
             "return RV(lower_in) + CONVERT_REALV(t);", CLACT_S_RRELU_TRAIN, CLACT_FORWARD,
             CLACT_F64, 8, 33);
  /* sparsemax in f64: tau from the plain double Newton iteration only (the double-double
   * refinement skipped: errors near 2^-53 |tau|, far below float32's resolution) */
  CATCHES_IN("sparsemax.cl", "sparsemax_f64_no_refinement",
             "  kprev = 0;\n  for (ulong it = 0; it <= cols; it++) {",
             "  kprev = 0;\n  for (ulong it = 0; it < 0; it++) {", CLACT_S_SPARSEMAX, CLACT_FORWARD,
             CLACT_F64, 20, 33);
  /* sparsemax backward in f64: the mean of dy over the support 2^-40 relative off */
  CATCHES_IN("sparsemax.cl", "sparsemax_f64_mean_off", "vh = sp_div(sh, sl, k, &vl);",
             "vh = sp_div(sh, sl, k, &vl) * (real)(1.0 + 0x1p-40);", CLACT_S_SPARSEMAX,
             CLACT_BACKWARD, CLACT_F64, 20, 33);
  /* maxout in f64: ties go to the last maximum */
  CATCHES_IN("maxout.cl", "maxout_f64_last_argmax", "(isnan(v) | (v > best))",
             "(isnan(v) | (v >= best))", CLACT_S_MAXOUT, CLACT_BACKWARD, CLACT_F64, 8, 66);
  return test_result();
}
