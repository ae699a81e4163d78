/* tests/test_npy.c: unit test of the .npy reader and writer of `clact apply` (host/cli/npy.c),
 * no device needed; also the checker of the apply CLI tests.
 *   test_npy unit SCRATCH_DIR    round trips of every dtype, byte order, version and shape
 *                                kind; every rejection with its message; number conversions
 *                                (all f16 and bf16 values, rounding ties, overflow, NaN);
 *                                the temporary-file writer (commit, abort, unwritable folder)
 *   test_npy expect FILE DESCR SHAPE TOL V...
 *                                FILE must parse, with that descr ("<f4") and shape ("(2, 3)"),
 *                                and hold the values V (|got - V| <= TOL * max(1, |V|); "nan"
 *                                matches a NaN) */
#define _POSIX_C_SOURCE 200809L
#include "npy.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define EXPECT(cond)                                                                               \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__, __LINE__, #cond);               \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)

/* ---- building files in memory ----------------------------------------------------------- */
typedef struct file {
  unsigned char b[4096];
  size_t n;
} file;

/* A file of format `major`.0 with header text `h` (padded with blanks and a newline to a
 * multiple of 64 when pad is set, else taken as is) and `data` bytes of data. */
static void make(file *f, int major, const char *h, int pad, const void *data, size_t ndata) {
  size_t pre = major == 1 ? 10 : 12, hl = strlen(h);
  memcpy(f->b, "\x93NUMPY", 6);
  f->b[6] = (unsigned char)major;
  f->b[7] = 0;
  memcpy(f->b + pre, h, hl);
  if (pad) {
    size_t total = (pre + hl + 1 + 63) / 64 * 64;
    memset(f->b + pre + hl, ' ', total - pre - hl);
    f->b[total - 1] = '\n';
    hl = total - pre;
  }
  for (size_t k = 0; k < pre - 8; k++)
    f->b[8 + k] = (unsigned char)(hl >> (8 * k));
  memcpy(f->b + pre + hl, data, ndata);
  f->n = pre + hl + ndata;
}

static int parses(const file *f, npy_array *a) {
  char err[NPY_ERR_SIZE];
  int rc = npy_parse(f->b, f->n, a, err);
  if (rc != 0)
    fprintf(stderr, "  unexpected rejection: %s\n", err);
  return rc == 0;
}

/* The file must be rejected with a message containing `want`. */
static void rejects(const file *f, const char *want, int line) {
  npy_array a;
  char err[NPY_ERR_SIZE] = "";
  int rc = npy_parse(f->b, f->n, &a, err);
  if (rc == 0 || strstr(err, want) == NULL) {
    fprintf(stderr, "%s:%d: expected a rejection containing '%s', got rc %d '%s'\n", __FILE__, line,
            want, rc, err);
    failures++;
  }
}
#define REJECTS(f, want) rejects(f, want, __LINE__)

/* A header dict with the usual keys and this shape and descr. */
static void dict(char *h, size_t size, const char *descr, const char *shape) {
  snprintf(h, size, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
}

/* ---- round trips ------------------------------------------------------------------------ */
static void test_round_trips(void) {
  static const char *const shapes[] = {"()",
                                       "(0,)",
                                       "(3,)",
                                       "(2, 3)",
                                       "(0, 4)",
                                       "(4, 0, 2)",
                                       "(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)"};
  static const size_t counts[] = {1, 0, 3, 6, 0, 0, 1};
  const double values[] = {1.0, -2.5, 0.0, -0.0, 65504.0, 0.09375};
  for (int t = NPY_F2; t <= NPY_F8; t++)
    for (int big = 0; big < 2; big++)
      for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        npy_array a;
        memset(&a, 0, sizeof a);
        char h[512];
        dict(h, sizeof h, npy_descr((npy_dtype)t, big), shapes[s]);
        unsigned char data[64];
        for (size_t i = 0; i < counts[s]; i++)
          npy_put((npy_dtype)t, big, data, i, values[i]);
        file f;
        make(&f, 1, h, 1, data, counts[s] * npy_itemsize((npy_dtype)t));
        if (!parses(&f, &a)) {
          fprintf(stderr, "  in %s\n", h);
          failures++;
          continue;
        }
        EXPECT(a.dtype == (npy_dtype)t && a.big_endian == big && a.count == counts[s]);
        char text[256];
        EXPECT(strcmp(npy_shape_text(&a, text, sizeof text), shapes[s]) == 0);
        for (size_t i = 0; i < a.count; i++) {
          double v = npy_get(&a, i);
          EXPECT(v == values[i] && signbit(v) == signbit(values[i]));
        }
        /* What the writer makes reads back the same, and its header is NumPy's layout. */
        unsigned char hdr[NPY_HEADER_CAP];
        size_t hl = npy_header(&a, hdr);
        EXPECT(hl % 64 == 0 && hdr[hl - 1] == '\n' && hdr[6] == 1 && hdr[7] == 0);
        EXPECT(memcmp(hdr + 10, h, strlen(h)) == 0);
        file g;
        memcpy(g.b, hdr, hl);
        memcpy(g.b + hl, a.data, a.count * npy_itemsize(a.dtype));
        g.n = hl + a.count * npy_itemsize(a.dtype);
        npy_array b;
        EXPECT(parses(&g, &b) && b.count == a.count && b.ndim == a.ndim &&
               memcmp(b.data, a.data, a.count * npy_itemsize(a.dtype)) == 0);
      }
  /* The byte orders themselves. */
  unsigned char d[8];
  npy_put(NPY_F4, 1, d, 0, 1.0);
  EXPECT(memcmp(d, "\x3f\x80\x00\x00", 4) == 0);
  npy_put(NPY_F4, 0, d, 0, 1.0);
  EXPECT(memcmp(d, "\x00\x00\x80\x3f", 4) == 0);
  npy_put(NPY_F2, 1, d, 0, -2.0);
  EXPECT(memcmp(d, "\xc0\x00", 2) == 0);
  npy_put(NPY_F8, 1, d, 0, 2.0);
  EXPECT(memcmp(d, "\x40\x00\x00\x00\x00\x00\x00\x00", 8) == 0);

  /* 64 dimensions (the most) and the largest header they make. */
  npy_array big;
  memset(&big, 0, sizeof big);
  big.dtype = NPY_F4;
  big.ndim = NPY_MAX_DIMS;
  for (int i = 0; i < NPY_MAX_DIMS; i++)
    big.shape[i] = i == 0 ? 0 : (uint64_t)INT64_MAX;
  unsigned char hdr[NPY_HEADER_CAP];
  size_t hl = npy_header(&big, hdr);
  npy_array back;
  file g;
  memcpy(g.b, hdr, hl);
  g.n = hl;
  /* (0, 2^63-1, ...) has no elements but its nonzero dimensions overflow: rejected. */
  REJECTS(&g, "too large");
  for (int i = 0; i < NPY_MAX_DIMS; i++)
    big.shape[i] = 1;
  big.shape[0] = 999999999;
  big.shape[1] = 0;
  hl = npy_header(&big, hdr);
  memcpy(g.b, hdr, hl);
  g.n = hl;
  EXPECT(parses(&g, &back) && back.ndim == NPY_MAX_DIMS && back.count == 0 &&
         back.shape[0] == 999999999);
}

/* Variants that NumPy (or Python) accepts: versions 2.0 and 3.0, keys in another order,
 * double quotes, no trailing comma, blanks, a trailing comma in the tuple, no padding. */
static void test_accepted_variants(void) {
  const float v[2] = {1.5f, -3.0f};
  static const char *const headers[] = {
      "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}\n",
      "{'descr':'<f4','fortran_order':False,'shape':(2,)}\n",
      "  {  'fortran_order' :\tFalse , 'shape' : ( 2 , ) , 'descr' : '<f4' , }  \n",
      "{'descr': '<f4',\n 'fortran_order': False,\n 'shape': (2,)}\r\n",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2,), }\n",
  };
  for (int major = 1; major <= 3; major++)
    for (size_t k = 0; k < sizeof headers / sizeof headers[0]; k++) {
      file f;
      make(&f, major, headers[k], 0, v, sizeof v);
      npy_array a;
      if (!parses(&f, &a)) {
        fprintf(stderr, "  header %zu, version %d\n", k, major);
        failures++;
        continue;
      }
      EXPECT(a.count == 2 && npy_get(&a, 0) == 1.5 && npy_get(&a, 1) == -3.0);
    }
  /* A file exactly as NumPy 2 writes it (np.save of float32 [1, 2] as '<f4'). */
  static const unsigned char numpy_file[] =
      "\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
      "                                                            "
      "\n\x00\x00\x80\x3f\x00\x00\x00\x40";
  npy_array a;
  char err[NPY_ERR_SIZE];
  EXPECT(sizeof numpy_file - 1 == 136);
  EXPECT(npy_parse(numpy_file, sizeof numpy_file - 1, &a, err) == 0 && a.count == 2 &&
         npy_get(&a, 1) == 2.0 && a.ndim == 1 && a.shape[0] == 2);
}

/* ---- rejections ------------------------------------------------------------------------- */
static void test_rejections(void) {
  const float v[6] = {0};
  char h[512];
  file f;
  dict(h, sizeof h, "<f4", "(2,)");

  make(&f, 1, h, 1, v, 8);
  f.b[1] = 'n'; /* bad magic */
  REJECTS(&f, "not a .npy file");
  f.n = 3; /* shorter than the magic */
  REJECTS(&f, "not a .npy file");
  f.n = 0;
  REJECTS(&f, "not a .npy file");

  make(&f, 4, h, 1, v, 8);
  REJECTS(&f, "unsupported .npy format version 4.0");
  make(&f, 1, h, 1, v, 8);
  f.b[7] = 1;
  REJECTS(&f, "version 1.1");
  make(&f, 2, h, 1, v, 8);
  f.n = 11; /* inside the 4-byte header length */
  REJECTS(&f, "ends inside the header length");

  /* Header length: beyond the file, beyond the limit, zero, no newline. */
  make(&f, 1, h, 1, v, 8);
  f.b[8] = 0xFF;
  f.b[9] = 0x0F; /* 4095 > file */
  REJECTS(&f, "runs past the end of the file");
  make(&f, 2, h, 1, v, 8);
  f.b[10] = 0x01; /* 65536 + ... */
  REJECTS(&f, "exceeds the limit");
  make(&f, 2, h, 1, v, 8);
  f.b[11] = 0x80; /* 2^31 + ...: must not wrap */
  REJECTS(&f, "exceeds the limit");
  make(&f, 1, "", 0, v, 8);
  REJECTS(&f, "does not end with a newline");
  make(&f, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 0, v, 8);
  REJECTS(&f, "does not end with a newline");
  make(&f, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\x01\n", 0, v, 8);
  REJECTS(&f, "not printable ASCII");
  make(&f, 3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), '\xc3\xa9': 1}\n", 0, v, 8);
  REJECTS(&f, "not printable ASCII");

  /* Not a dict literal of exactly descr/fortran_order/shape. */
  static const struct {
    const char *header, *want;
  } bad[] = {
      {"['descr', '<f4']\n", "expected '{'"},
      {"{}\n", "key 'descr' is missing"},
      {"{'descr': '<f4', 'shape': (2,)}\n", "key 'fortran_order' is missing"},
      {"{'descr': '<f4', 'fortran_order': False}\n", "key 'shape' is missing"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}\n",
       "unexpected key 'extra'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n",
       "'descr' appears twice"},
      {"{descr: '<f4', 'fortran_order': False, 'shape': (2,)}\n", "expected a quoted string"},
      {"{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}\n", "expected ':'"},
      {"{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}\n", "expected ',' or '}'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)\n", "expected ',' or '}'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}}\n", "unexpected text after"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x\n", "unexpected text after"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype '<f4, '"},
      {"{'descr': '<f4\", 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype '<f4\""},
      {"{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}\n", "an escape"},
      {"{'descr': '<f4\n', 'fortran_order': False, 'shape': (2,)}\n", "a line break"},
      {"{'descr': '<f4', 'fortran_order': True, 'shape': (2,)}\n", "fortran_order True"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}\n", "must be True or False"},
      {"{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,)}\n", "must be True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': 2}\n", "expected '('"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2]}\n", "expected '('"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2)}\n", "is not a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (,)}\n", "expected a dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,,)}\n", "expected a dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1 2)}\n", "expected ',' or ')'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}\n", "expected a dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (02,)}\n", "leading zero"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2L,)}\n", "not a plain decimal"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1_0,)}\n", "not a plain decimal"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}\n", "expected ',' or ')'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775808,)}\n",
       "is too large"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}\n",
       "is too large"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}\n",
       "too large"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}\n", "too large"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,\n", "expected a dimension"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype '<i4'"},
      {"{'descr': '|u1', 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype"},
      {"{'descr': '=f4', 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype"},
      {"{'descr': '<f16', 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype"},
      {"{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}\n", "unsupported dtype"},
      {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}\n", "structured"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    make(&f, 1, bad[k].header, 0, v, 8);
    int before = failures;
    REJECTS(&f, bad[k].want);
    if (failures != before)
      fprintf(stderr, "  header: %s", bad[k].header);
  }
  /* A NUL inside the header (strlen would stop there). */
  make(&f, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} \n", 0, v, 8);
  f.b[10 + 5] = '\0'; /* inside the key 'descr' */
  REJECTS(&f, "not printable ASCII");

  /* Data length against the shape. */
  make(&f, 1, h, 1, v, 7);
  REJECTS(&f, "data truncated: shape (2,) of <f4 needs 8 bytes, the file has 7");
  make(&f, 1, h, 1, v, 12);
  REJECTS(&f, "4 trailing bytes after the data");
  dict(h, sizeof h, "<f4", "()");
  make(&f, 1, h, 1, v, 0);
  REJECTS(&f, "needs 4 bytes, the file has 0");
  dict(h, sizeof h, "<f2", "(0, 3)");
  make(&f, 1, h, 1, v, 2);
  REJECTS(&f, "2 trailing bytes");
  /* 65 dimensions. */
  char many[512] = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int i = 0; i < NPY_MAX_DIMS + 1; i++)
    strcat(many, "1, ");
  strcat(many, "), }");
  make(&f, 1, many, 1, v, 4);
  REJECTS(&f, "more than 64 dimensions");
}

/* ---- number conversions ----------------------------------------------------------------- */
/* encode(v) must be the nearest value of the format, ties to the even encoding. */
static void check_nearest(double v, int eb, int mb) {
  uint32_t r = npy_encode(v, eb, mb);
  double got = npy_decode(r, eb, mb);
  uint32_t sign = 1u << (eb + mb), inf = ((1u << eb) - 1) << mb;
  uint32_t mag = r & (sign - 1);
  double lo = mag > 0 ? fabs(npy_decode(mag - 1, eb, mb)) : 0;
  double hi = mag < inf ? fabs(npy_decode(mag + 1, eb, mb)) : INFINITY;
  double a = fabs(v), e = fabs(fabs(got) - a);
  int ok = signbit(got) == signbit(v);
  if (isinf(got)) { /* overflow: v at or beyond max + half an ulp */
    double max = fabs(npy_decode(inf - 1, eb, mb));
    double half = (max - fabs(npy_decode(inf - 2, eb, mb))) / 2;
    ok = ok && a >= max + half;
  } else {
    ok = ok && e <= a - lo && e <= hi - a;
    if (e == a - lo && mag > 0)
      ok = ok && (mag & 1) == 0;
    if (isfinite(hi) && e == hi - a)
      ok = ok && (mag & 1) == 0;
  }
  if (!ok) {
    fprintf(stderr, "encode(%a) with %d/%d bits gave 0x%x (%a)\n", v, eb, mb, (unsigned)r, got);
    failures++;
  }
}

static void test_conversions(void) {
  /* Every f16 and bf16 value decodes and encodes back to itself (NaN stays NaN). */
  static const int fmt[2][2] = {{5, 10}, {8, 7}};
  for (int f = 0; f < 2; f++)
    for (uint32_t b = 0; b < 65536; b++) {
      double d = npy_decode(b, fmt[f][0], fmt[f][1]);
      uint32_t back = npy_encode(d, fmt[f][0], fmt[f][1]);
      if (isnan(d) ? !isnan(npy_decode(back, fmt[f][0], fmt[f][1])) || (back ^ b) & 0x8000
                   : back != b) {
        fprintf(stderr, "format %d: 0x%04x -> %a -> 0x%04x\n", f, (unsigned)b, d, (unsigned)back);
        failures++;
      }
    }
  /* Known f16 values, ties, overflow and underflow. */
  EXPECT(npy_encode(1.0, 5, 10) == 0x3C00);
  EXPECT(npy_encode(-2.0, 5, 10) == 0xC000);
  EXPECT(npy_encode(65504.0, 5, 10) == 0x7BFF);
  EXPECT(npy_encode(65519.99, 5, 10) == 0x7BFF);
  EXPECT(npy_encode(65520.0, 5, 10) == 0x7C00); /* the tie goes to even: infinity */
  EXPECT(npy_encode(1e300, 5, 10) == 0x7C00);
  EXPECT(npy_encode(-INFINITY, 5, 10) == 0xFC00);
  EXPECT(npy_encode(0x1p-24, 5, 10) == 0x0001);
  EXPECT(npy_encode(0x1p-25, 5, 10) == 0x0000);          /* tie to even: zero */
  EXPECT(npy_encode(0x1.8p-24, 5, 10) == 0x0002);        /* 1.5 quanta: tie to even 2 */
  EXPECT(npy_encode(0x1.0000000000001p-25, 5, 10) == 1); /* just above the tie */
  EXPECT(npy_encode(-0.0, 5, 10) == 0x8000);
  EXPECT(npy_encode(1.0 + 0x1p-11, 5, 10) == 0x3C00); /* tie, even below */
  EXPECT(npy_encode(1.0 + 3 * 0x1p-11, 5, 10) == 0x3C02);
  EXPECT(npy_encode(0x1.ffep-15, 5, 10) == 0x0400); /* largest subnormal rounds to min normal */
  EXPECT(npy_encode(0x1p-149, 8, 23) == 1);
  EXPECT(npy_encode(0x1p-150, 8, 23) == 0);
  EXPECT(npy_encode(0x1.fffffefffffffp127, 8, 23) == 0x7F7FFFFF);
  EXPECT(npy_encode(0x1.ffffffp127, 8, 23) == 0x7F800000);
  EXPECT(npy_encode(1.0 + 0x1p-8, 8, 7) == 0x3F80); /* bf16 tie to even */
  EXPECT(npy_encode(0x1.0100000000001p0, 8, 7) == 0x3F81);
  uint32_t qn = npy_encode(NAN, 5, 10);
  EXPECT((qn & 0x7C00) == 0x7C00 && (qn & 0x3FF) != 0);
  EXPECT(isnan(npy_decode(0x7E00, 5, 10)) && isinf(npy_decode(0x7C00, 5, 10)));
  EXPECT(npy_decode(0x0001, 5, 10) == 0x1p-24 && npy_decode(0x8400, 5, 10) == -0x1p-14);
  /* Random doubles against the nearest-even property, and f32 against the C cast. */
  uint64_t s = 88172645463325252u;
  for (int i = 0; i < 300000; i++) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    double d;
    uint64_t u = (s & 0x800FFFFFFFFFFFFFu) | (uint64_t)(1023 - 160 + (s >> 52) % 330) << 52;
    memcpy(&d, &u, sizeof d);
    check_nearest(d, 5, 10);
    check_nearest(d, 8, 7);
    if (fabs(d) < 0x1p127) {
      float fl = (float)d;
      uint32_t fb;
      memcpy(&fb, &fl, sizeof fb);
      if (npy_encode(d, 8, 23) != fb) {
        fprintf(stderr, "f32 encode(%a) = 0x%x, the cast gives 0x%x\n", d,
                (unsigned)npy_encode(d, 8, 23), (unsigned)fb);
        failures++;
      }
    }
  }
}

/* ---- files ------------------------------------------------------------------------------ */
static int read_all(const char *path, unsigned char *buf, size_t cap, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  *n = fread(buf, 1, cap, f);
  fclose(f);
  return 0;
}

static int leftovers(const char *dir) {
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "ls '%s' | grep -q '\\.tmp\\.'", dir);
  return system(cmd) == 0;
}

static void test_files(const char *dir) {
  char path[1024], err[NPY_ERR_SIZE];
  mkdir(dir, 0777);
  snprintf(path, sizeof path, "%s/keep.npy", dir);
  FILE *f = fopen(path, "wb");
  EXPECT(f != NULL);
  if (!f)
    return;
  fputs("precious", f);
  fclose(f);

  float v[3] = {1, 2, 3};
  npy_array a;
  memset(&a, 0, sizeof a);
  a.dtype = NPY_F4;
  a.ndim = 1;
  a.shape[0] = 3;
  a.count = 3;
  a.data = (const unsigned char *)v;

  /* Abort: the existing file is untouched, nothing left behind. */
  npy_out o;
  EXPECT(npy_out_open(&o, path, err) == 0);
  EXPECT(o.tmp && strncmp(o.tmp, path, strlen(path)) == 0 && strstr(o.tmp, ".tmp.") != NULL);
  EXPECT(leftovers(dir));
  npy_out_abort(&o);
  npy_out_abort(&o); /* twice is harmless */
  unsigned char buf[4096];
  size_t n = 0;
  EXPECT(read_all(path, buf, sizeof buf, &n) == 0 && n == 8 && memcmp(buf, "precious", 8) == 0);
  EXPECT(!leftovers(dir));

  /* Commit: replaced whole, readable back, with the permissions of a new file. */
  EXPECT(npy_out_open(&o, path, err) == 0);
  EXPECT(npy_out_commit(&o, &a, err) == 0);
  npy_out_abort(&o); /* after a commit: a no-op */
  unsigned char *fb = NULL;
  size_t flen = 0;
  npy_array b;
  EXPECT(npy_read_file(path, &fb, &flen, err) == 0 && npy_parse(fb, flen, &b, err) == 0 &&
         b.count == 3 && npy_get(&b, 2) == 3.0 && flen == 128 + 12);
  free(fb);
  EXPECT(!leftovers(dir));
  struct stat st;
  mode_t mask = umask(0);
  umask(mask);
  EXPECT(stat(path, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask));

  /* A folder that does not exist; a file that does not exist. */
  snprintf(path, sizeof path, "%s/no/such/dir/out.npy", dir);
  EXPECT(npy_out_open(&o, path, err) != 0 && strstr(err, "cannot create a temporary file"));
  EXPECT(o.tmp == NULL && o.fd < 0);
  snprintf(path, sizeof path, "%s/missing.npy", dir);
  EXPECT(npy_read_file(path, &fb, &flen, err) != 0 && strstr(err, "cannot open it") && fb == NULL);
  /* A folder is not a file. */
  EXPECT(npy_read_file(dir, &fb, &flen, err) != 0 && strstr(err, "cannot read it") && fb == NULL);
}

/* ---- the checker of the CLI tests ------------------------------------------------------- */
static int expect_file(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: test_npy expect FILE DESCR SHAPE TOL V...\n");
    return 2;
  }
  unsigned char *buf;
  size_t len;
  char err[NPY_ERR_SIZE], shape[512];
  npy_array a;
  if (npy_read_file(argv[2], &buf, &len, err) != 0 || npy_parse(buf, len, &a, err) != 0) {
    fprintf(stderr, "%s: %s\n", argv[2], err);
    return 1;
  }
  int bad = 0;
  const char *descr = npy_descr(a.dtype, a.big_endian);
  npy_shape_text(&a, shape, sizeof shape);
  if (strcmp(descr, argv[3]) != 0 || strcmp(shape, argv[4]) != 0) {
    fprintf(stderr, "%s: %s %s, expected %s %s\n", argv[2], descr, shape, argv[3], argv[4]);
    bad = 1;
  }
  double tol = strtod(argv[5], NULL);
  size_t want = (size_t)(argc - 6);
  if (a.count != want) {
    fprintf(stderr, "%s: %zu elements, expected %zu\n", argv[2], a.count, want);
    bad = 1;
  }
  for (size_t i = 0; i < a.count && i < want; i++) {
    double ref = strcmp(argv[6 + i], "nan") == 0 ? NAN : strtod(argv[6 + i], NULL);
    double got = npy_get(&a, i);
    int ok = isnan(ref) ? isnan(got) : fabs(got - ref) <= tol * fmax(1, fabs(ref));
    printf("[%zu] %.9g (expected %.9g)%s\n", i, got, ref, ok ? "" : "  WRONG");
    bad |= !ok;
  }
  free(buf);
  return bad;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "expect") == 0)
    return expect_file(argc, argv);
  if (argc != 3 || strcmp(argv[1], "unit") != 0) {
    fprintf(stderr, "usage: test_npy unit SCRATCH_DIR | test_npy expect FILE DESCR SHAPE TOL "
                    "V...\n");
    return 2;
  }
  test_round_trips();
  test_accepted_variants();
  test_rejections();
  test_conversions();
  test_files(argv[2]);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("all npy tests passed\n");
  return 0;
}
