/* tests/test_hashes.c: bit-exact regression. For every activation, direction and dtype, the
 * output bits on a fixed input set are hashed (FNV-1a 64) and compared with the committed
 * tests/data/hashes.txt: any change of any output bit - an intended kernel change included -
 * fails until the file is regenerated (`test_hashes --write tests/data/hashes.txt`, and the diff
 * reviewed). Outputs carry canonical NaNs already, so NaNs need no normalising.
 * Inputs: f32: every 65536th bit pattern (with varying low bits), 4096 points in [-20, 20] and
 * the special values; f16 and bf16: all 65536 patterns. dy: a fixed pseudo-random mix.
 * The structured (row) operations too, forward and backward, on SROWS x SCOLS matrices of
 * values in (-8, 8) (2^-4 to 2^3 in magnitude) with the special values in row 1.
 * Usage: test_hashes [--dtype NAME] FILE (compare) | test_hashes --write FILE */
#include "test_util.h"

#include <stdint.h>

#define N32 (65536 + 4096 + 16)
#define N16 65536

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

static uint32_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(*s >> 32);
}

/* Fills the raw input arrays (x, dy) for a dtype; returns the element count. */
/* A value of magnitude 2^-4 to 2^3 as the raw bits of the dtype (f32, f16, bf16). */
static void raw_value(clact_dtype dtype, uint32_t r, void *out, size_t i) {
  uint32_t sign = r >> 31, e = (r >> 24) % 7, m = r & 0x7FFFFFu;
  if (dtype == CLACT_F32)
    ((uint32_t *)out)[i] = sign << 31 | (123u + e) << 23 | m;
  else if (dtype == CLACT_F16)
    ((uint16_t *)out)[i] = (uint16_t)(sign << 15 | (11u + e) << 10 | (m >> 13));
  else
    ((uint16_t *)out)[i] = (uint16_t)(sign << 15 | (123u + e) << 7 | (m >> 16));
}

#define SROWS 32
#define SCOLS 1000
/* The structured operations' x and dy (rows x width), raw bits of the dtype. */
static void row_inputs(clact_dtype dtype, void *x, size_t nx, void *dy, size_t ndy) {
  uint64_t s = 0x5EED5ull;
  for (size_t i = 0; i < nx; i++)
    raw_value(dtype, lcg(&s), x, i);
  for (size_t i = 0; i < ndy; i++)
    raw_value(dtype, lcg(&s), dy, i);
  /* row 1: +-0, +-inf, NaN and a huge value (f32; the 16-bit formats' own) */
  static const uint32_t sp32[6] = {0x00000000u, 0x80000000u, 0x7F800000u,
                                   0xFF800000u, 0x7FC00000u, 0x7F7FFFFFu};
  static const uint16_t sp16[6] = {0x0000u, 0x8000u, 0x7C00u, 0xFC00u, 0x7E00u, 0x7BFFu};
  static const uint16_t spbf[6] = {0x0000u, 0x8000u, 0x7F80u, 0xFF80u, 0x7FC0u, 0x7F7Fu};
  for (size_t k = 0; k < 6; k++) {
    size_t i = SCOLS + 7 * k;
    if (dtype == CLACT_F32)
      ((uint32_t *)x)[i] = sp32[k];
    else
      ((uint16_t *)x)[i] = dtype == CLACT_F16 ? sp16[k] : spbf[k];
  }
}

static size_t inputs(clact_dtype dtype, void *x, void *dy) {
  uint64_t s = 0xC1AC7ull;
  if (dtype != CLACT_F32) {
    uint16_t *hx = x, *hd = dy;
    for (size_t i = 0; i < N16; i++) {
      hx[i] = (uint16_t)i;
      uint16_t d = (uint16_t)(lcg(&s) & 0x3FFFu); /* finite, both formats: |d| < 2 */
      hd[i] = (uint16_t)(d | (i & 1 ? 0x8000u : 0));
    }
    return N16;
  }
  float *fx = x, *fd = dy;
  size_t n = 0;
  for (uint64_t b = 0; b < ((uint64_t)1 << 32); b += 65536)
    fx[n++] = test_float((unsigned)(b | (lcg(&s) & 0xFFFFu)));
  for (int i = 0; i < 4096; i++)
    fx[n++] = -20.0f + 40.0f * (float)i / 4095.0f;
  static const unsigned specials[16] = {0x00000000u, 0x80000000u, 0x00000001u, 0x80000001u,
                                        0x00800000u, 0x80800000u, 0x3F800000u, 0xBF800000u,
                                        0x7F7FFFFFu, 0xFF7FFFFFu, 0x7F800000u, 0xFF800000u,
                                        0x7FC00000u, 0xFFC00000u, 0x7FA00000u, 0x42B00000u};
  for (int i = 0; i < 16; i++)
    fx[n++] = test_float(specials[i]);
  for (size_t i = 0; i < n; i++)
    fd[i] = (float)(lcg(&s) % 2001) / 250.0f - 4.0f;
  return n;
}

int main(int argc, char **argv) {
  /* --dtype NAME: that dtype's lines only (CTest runs the half ones again with CLACT_F16C=off:
   * the integer conversions and F16C's must give the same bits) */
  int only = -1;
  if (argc > 2 && strcmp(argv[1], "--dtype") == 0) {
    for (int t = 0; t < 3; t++)
      if (strcmp(argv[2], clact_dtype_name((clact_dtype)t)) == 0)
        only = t;
    if (only < 0) {
      fprintf(stderr, "test_hashes: --dtype takes f32, f16 or bf16\n");
      return 2;
    }
    argc -= 2;
    argv += 2;
  }
  int write = argc == 3 && strcmp(argv[1], "--write") == 0;
  if ((argc != 2 && !write) || (write && only >= 0)) {
    fprintf(stderr, "usage: test_hashes [--dtype NAME] FILE | test_hashes --write FILE\n");
    return 2;
  }
  const char *path = argv[argc - 1];
  FILE *ref = write ? NULL : fopen(path, "r");
  if (!write && !ref) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  char *table = NULL;
  size_t table_len = 0;
  if (ref) {
    table = malloc(1 << 20);
    table_len = fread(table, 1, (1 << 20) - 1, ref);
    table[table_len] = '\0';
    fclose(ref);
  }
  clact_context *ctx = test_context();
  FILE *out = write ? fopen(path, "w") : NULL;
  if (write && !out) {
    fprintf(stderr, "cannot write %s\n", path);
    return 1;
  }
  if (out)
    fprintf(out, "# tests/data/hashes.txt: FNV-1a 64 of the output bits of every activation, "
                 "direction and dtype\n# (and structured operation) on tests/test_hashes.c's "
                 "inputs (PoCL). Regenerate "
                 "with: test_hashes --write tests/data/hashes.txt\n");
  static float x[N32], dy[N32], dx[N32];
  cl_context c = clact_context_cl(ctx);
  cl_command_queue q = clact_context_queue(ctx);
  cl_int err;
  cl_mem bx = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof x, NULL, &err);
  cl_mem bd = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof x, NULL, &err);
  cl_mem by = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof x, NULL, &err);
  cl_mem bo = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof x, NULL, &err);
  int checked = 0;
  for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++) {
    clact_activation act = (clact_activation)a;
    for (int t = 0; t < 3; t++) {
      if (only >= 0 && t != only)
        continue;
      clact_dtype dtype = (clact_dtype)t;
      size_t n = inputs(dtype, x, dy), bytes = n * clact_dtype_size(dtype);
      clEnqueueWriteBuffer(q, bx, CL_TRUE, 0, bytes, x, 0, NULL, NULL);
      clEnqueueWriteBuffer(q, bd, CL_TRUE, 0, bytes, dy, 0, NULL, NULL);
      for (int d = 0; d < CLACT_DIRECTION_COUNT; d++) {
        clact_status st;
        if (d == CLACT_FORWARD)
          st = clact_forward(ctx, act, dtype, NULL, n, bx, 0, bo, 0, NULL);
        else if (d == CLACT_BACKWARD)
          st = clact_backward(ctx, act, dtype, NULL, n, bx, 0, bd, 0, bo, 0, NULL);
        else if (clact_has_backward_from_y(act, NULL) != CLACT_SUCCESS)
          continue;
        else { /* from y: y = f(x) of the same kernel */
          st = clact_forward(ctx, act, dtype, NULL, n, bx, 0, by, 0, NULL);
          if (st == CLACT_SUCCESS)
            st = clact_backward_from_y(ctx, act, dtype, NULL, n, by, 0, bd, 0, bo, 0, NULL);
        }
        if (st == CLACT_SUCCESS)
          st = (clact_status)clEnqueueReadBuffer(q, bo, CL_TRUE, 0, bytes, dx, 0, NULL, NULL);
        if (st != CLACT_SUCCESS) {
          fprintf(stderr, "%s %s %s: %s\n", clact_name(act),
                  clact_direction_name((clact_direction)d), clact_dtype_name(dtype),
                  clact_status_string(st));
          test_failures++;
          continue;
        }
        char key[128], line[160];
        snprintf(key, sizeof key, "%s %s %s ", clact_name(act),
                 clact_direction_name((clact_direction)d), clact_dtype_name(dtype));
        snprintf(line, sizeof line, "%s%016llx\n", key,
                 (unsigned long long)fnv1a(0xCBF29CE484222325ull, dx, bytes));
        checked++;
        if (out) {
          fputs(line, out);
        } else {
          char needle[200];
          snprintf(needle, sizeof needle, "\n%s", line); /* whole line, from its start */
          if (!strstr(table, needle)) {
            fprintf(stderr, "bits changed (or no entry): %s", line);
            test_failures++;
          }
        }
      }
    }
  }
  /* the structured operations: forward, and backward from y (y = this forward) or from x */
  for (int o = 0; o < CLACT_STRUCTURED_COUNT; o++) {
    clact_structured op = (clact_structured)o;
    const clact_structured_info *info = clact_structured_get_info(op);
    size_t w = 0;
    if (clact_structured_out_width(op, NULL, SCOLS, &w) != CLACT_SUCCESS) {
      fprintf(stderr, "%s: no output width for %d columns\n", info->name, SCOLS);
      test_failures++;
      continue;
    }
    for (int t = 0; t < 3; t++) {
      if (only >= 0 && t != only)
        continue;
      clact_dtype dtype = (clact_dtype)t;
      size_t es = clact_dtype_size(dtype), nx = (size_t)SROWS * SCOLS, ny = (size_t)SROWS * w;
      row_inputs(dtype, x, nx, dy, ny);
      clEnqueueWriteBuffer(q, bx, CL_TRUE, 0, nx * es, x, 0, NULL, NULL);
      clEnqueueWriteBuffer(q, bd, CL_TRUE, 0, ny * es, dy, 0, NULL, NULL);
      clact_tensor tx = {bx, 0, 0}, td = {bd, 0, 0}, ty = {by, 0, 0}, to = {bo, 0, 0};
      for (int d = 0; d < 2; d++) {
        clact_status st =
            clact_rows_forward(ctx, op, dtype, NULL, SROWS, SCOLS, tx, d == 0 ? to : ty, NULL);
        if (st == CLACT_SUCCESS && d == 1)
          st = clact_rows_backward(ctx, op, dtype, NULL, SROWS, SCOLS,
                                   info->backward_from_y ? ty : tx, td, to, NULL);
        size_t bytes = (d == 0 ? ny : nx) * es;
        if (st == CLACT_SUCCESS)
          st = (clact_status)clEnqueueReadBuffer(q, bo, CL_TRUE, 0, bytes, dx, 0, NULL, NULL);
        const char *dname = d == 0                  ? "forward"
                            : info->backward_from_y ? "backward_from_y"
                                                    : "backward";
        if (st != CLACT_SUCCESS) {
          fprintf(stderr, "%s %s %s: %s\n", info->name, dname, clact_dtype_name(dtype),
                  clact_status_string(st));
          test_failures++;
          continue;
        }
        char line[160];
        snprintf(line, sizeof line, "%s %s %s %016llx\n", info->name, dname,
                 clact_dtype_name(dtype),
                 (unsigned long long)fnv1a(0xCBF29CE484222325ull, dx, bytes));
        checked++;
        if (out) {
          fputs(line, out);
        } else {
          char needle[200];
          snprintf(needle, sizeof needle, "\n%s", line);
          if (!strstr(table, needle)) {
            fprintf(stderr, "bits changed (or no entry): %s", line);
            test_failures++;
          }
        }
      }
    }
  }
  clReleaseMemObject(bx);
  clReleaseMemObject(bd);
  clReleaseMemObject(by);
  clReleaseMemObject(bo);
  clact_context_destroy(ctx);
  if (out && fclose(out) != 0)
    test_failures++;
  free(table);
  printf("%d outputs %s\n", checked, write ? "hashed and written" : "compared");
  return test_result();
}
