/* host/cli/npy.c: the strict .npy reader and writer of npy.h: header parsing (a tiny tokenizer
 * for the one dict literal NumPy writes), element conversion with round-to-nearest-even, and
 * files written to a temporary name and renamed into place. */
#define _POSIX_C_SOURCE 200809L
#include "npy.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

static int fail(char *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* va_start is above (clang-analyzer 14 misreads it) */
  // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
  vsnprintf(err, NPY_ERR_SIZE, fmt, ap);
  va_end(ap);
  return -1;
}

size_t npy_itemsize(npy_dtype dtype) {
  return dtype == NPY_F2 ? 2 : dtype == NPY_F4 ? 4 : 8;
}

const char *npy_descr(npy_dtype dtype, int big_endian) {
  static const char *const names[2][3] = {{"<f2", "<f4", "<f8"}, {">f2", ">f4", ">f8"}};
  return names[big_endian != 0][dtype];
}

const char *npy_shape_text(const npy_array *a, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = -1; i <= a->ndim && used < size; i++) {
    int k;
    if (i < 0)
      k = snprintf(buf + used, size - used, "(");
    else if (i == a->ndim)
      k = snprintf(buf + used, size - used, "%s)", a->ndim == 1 ? "," : "");
    else
      k = snprintf(buf + used, size - used, "%s%llu", i ? ", " : "",
                   (unsigned long long)a->shape[i]);
    if (k < 0)
      break;
    used += (size_t)k;
  }
  return buf;
}

/* ---- header parsing --------------------------------------------------------------------- */
typedef struct lexer {
  const char *s;
  size_t n, i;
  char *err;
} lexer;

static void skip_blanks(lexer *l) {
  while (l->i < l->n &&
         (l->s[l->i] == ' ' || l->s[l->i] == '\t' || l->s[l->i] == '\n' || l->s[l->i] == '\r'))
    l->i++;
}

static int peek(lexer *l) {
  skip_blanks(l);
  return l->i < l->n ? (unsigned char)l->s[l->i] : -1;
}

/* Messages add this when the header ended where a token was expected. */
static const char *near(lexer *l) {
  return l->i < l->n ? "" : " (the header ends there)";
}

static int expect(lexer *l, char c, const char *after) {
  if (peek(l) != c)
    return fail(l->err, "header: expected '%c' %s at byte %zu%s", c, after, l->i, near(l));
  l->i++;
  return 0;
}

/* A Python string literal without escapes or prefixes, into buf (truncated). */
static int string_literal(lexer *l, char *buf, size_t size, const char *what) {
  int q = peek(l);
  if (q != '\'' && q != '"')
    return fail(l->err, "header: expected a quoted string for %s at byte %zu%s", what, l->i,
                near(l));
  size_t start = ++l->i;
  while (l->i < l->n && l->s[l->i] != q) {
    if (l->s[l->i] == '\\' || l->s[l->i] == '\n')
      return fail(l->err, "header: %s in %s at byte %zu is not supported",
                  l->s[l->i] == '\\' ? "an escape" : "a line break", what, l->i);
    l->i++;
  }
  if (l->i >= l->n)
    return fail(l->err, "header: unterminated string for %s", what);
  size_t len = l->i - start;
  l->i++;
  snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), l->s + start);
  return 0;
}

static int is_word_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A decimal integer as Python 3 writes it: "0" or a nonzero digit then digits, <= INT64_MAX. */
static int dimension(lexer *l, uint64_t *out) {
  int c = peek(l);
  if (c < '0' || c > '9')
    return fail(l->err, "header: expected a dimension (a whole number) in 'shape' at byte %zu%s",
                l->i, near(l));
  size_t start = l->i;
  uint64_t v = 0;
  while (l->i < l->n && l->s[l->i] >= '0' && l->s[l->i] <= '9') {
    unsigned d = (unsigned)(l->s[l->i] - '0');
    if (v > (uint64_t)(INT64_MAX - d) / 10)
      return fail(l->err, "header: dimension at byte %zu is too large", start);
    v = v * 10 + d;
    l->i++;
  }
  if (l->s[start] == '0' && l->i - start > 1)
    return fail(l->err, "header: dimension at byte %zu has a leading zero", start);
  if (l->i < l->n && is_word_char((unsigned char)l->s[l->i]))
    return fail(l->err, "header: dimension at byte %zu is not a plain decimal number", start);
  *out = v;
  return 0;
}

static int shape_tuple(lexer *l, npy_array *a) {
  if (expect(l, '(', "to start the 'shape' tuple") != 0)
    return -1;
  a->ndim = 0;
  if (peek(l) == ')') {
    l->i++;
    return 0;
  }
  for (;;) {
    uint64_t d = 0;
    if (dimension(l, &d) != 0)
      return -1;
    if (a->ndim == NPY_MAX_DIMS)
      return fail(l->err, "header: 'shape' has more than %d dimensions", NPY_MAX_DIMS);
    a->shape[a->ndim++] = d;
    int c = peek(l);
    if (c == ')') {
      if (a->ndim == 1) /* "(3)" is the number 3, not a tuple */
        return fail(l->err,
                    "header: 'shape' (%llu) is not a tuple; a 1-d shape is written "
                    "(%llu,)",
                    (unsigned long long)d, (unsigned long long)d);
      l->i++;
      return 0;
    }
    if (c != ',')
      return fail(l->err, "header: expected ',' or ')' in 'shape' at byte %zu%s", l->i, near(l));
    l->i++;
    if (peek(l) == ')') {
      l->i++;
      return 0;
    }
  }
}

static int parse_dtype(const char *descr, npy_array *a, char *err) {
  for (int big = 0; big < 2; big++)
    for (int t = NPY_F2; t <= NPY_F8; t++)
      if (strcmp(descr, npy_descr((npy_dtype)t, big)) == 0) {
        a->dtype = (npy_dtype)t;
        a->big_endian = big;
        return 0;
      }
  return fail(err,
              "unsupported dtype '%s' (supported: float16, float32, float64 in either byte "
              "order: '<f2', '>f2', '<f4', '>f4', '<f8', '>f8')",
              descr);
}

/* The dict literal of the header text s[0..n). */
static int parse_dict(const char *s, size_t n, npy_array *a, char *err) {
  lexer l = {s, n, 0, err};
  enum { K_DESCR, K_FORTRAN, K_SHAPE, NKEYS };
  static const char *const keys[NKEYS] = {"descr", "fortran_order", "shape"};
  int seen[NKEYS] = {0, 0, 0};
  if (expect(&l, '{', "to start the header dict") != 0)
    return -1;
  while (peek(&l) != '}') {
    char key[32], descr[32];
    if (string_literal(&l, key, sizeof key, "a key") != 0)
      return -1;
    int k = 0;
    while (k < NKEYS && strcmp(key, keys[k]) != 0)
      k++;
    if (k == NKEYS)
      return fail(err,
                  "header: unexpected key '%s' (a .npy header has exactly 'descr', "
                  "'fortran_order' and 'shape')",
                  key);
    if (seen[k]++)
      return fail(err, "header: key '%s' appears twice", key);
    if (expect(&l, ':', "after a key") != 0)
      return -1;
    if (k == K_DESCR) {
      if (peek(&l) == '[')
        return fail(err, "unsupported dtype: a structured (record) array");
      if (string_literal(&l, descr, sizeof descr, "'descr'") != 0 ||
          parse_dtype(descr, a, err) != 0)
        return -1;
    } else if (k == K_FORTRAN) {
      peek(&l);
      size_t start = l.i;
      while (l.i < l.n && is_word_char((unsigned char)s[l.i]))
        l.i++;
      size_t len = l.i - start;
      if (len == 4 && memcmp(s + start, "True", 4) == 0)
        return fail(err, "fortran_order True is not supported (C order only: save a C-contiguous "
                         "array, e.g. numpy.ascontiguousarray)");
      if (len != 5 || memcmp(s + start, "False", 5) != 0)
        return fail(err, "header: 'fortran_order' must be True or False (at byte %zu)", start);
    } else if (shape_tuple(&l, a) != 0) {
      return -1;
    }
    int c = peek(&l);
    if (c == ',')
      l.i++;
    else if (c != '}')
      return fail(err, "header: expected ',' or '}' after the value of '%s' at byte %zu%s", key,
                  l.i, near(&l));
  }
  l.i++;
  skip_blanks(&l);
  if (l.i != l.n)
    return fail(err, "header: unexpected text after the dict at byte %zu", l.i);
  for (int k = 0; k < NKEYS; k++)
    if (!seen[k])
      return fail(err, "header: key '%s' is missing", keys[k]);
  return 0;
}

int npy_parse(const void *buf, size_t len, npy_array *a, char *err) {
  const unsigned char *b = buf;
  memset(a, 0, sizeof *a);
  if (len < 8 || memcmp(b, magic, sizeof magic) != 0)
    return fail(err, "not a .npy file (it does not start with \\x93NUMPY)");
  unsigned major = b[6], minor = b[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return fail(err, "unsupported .npy format version %u.%u (supported: 1.0, 2.0, 3.0)", major,
                minor);
  size_t pre = major == 1 ? 10 : 12;
  if (len < pre)
    return fail(err, "file ends inside the header length (%zu bytes)", len);
  size_t hlen = major == 1
                    ? (size_t)b[8] | (size_t)b[9] << 8
                    : (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
  if (hlen > NPY_MAX_HEADER)
    return fail(err, "header length %zu exceeds the limit of %u bytes", hlen, NPY_MAX_HEADER);
  if (hlen > len - pre)
    return fail(err, "header length %zu runs past the end of the file (%zu bytes)", hlen, len);
  const char *h = (const char *)b + pre;
  if (hlen == 0 || h[hlen - 1] != '\n')
    return fail(err, "header does not end with a newline");
  for (size_t i = 0; i < hlen; i++) {
    unsigned char c = (unsigned char)h[i];
    if (c >= 0x7F || (c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
      return fail(err, "header: byte %zu (0x%02x) is not printable ASCII", i, (unsigned)c);
  }
  if (parse_dict(h, hlen, a, err) != 0)
    return -1;
  /* The bytes of the nonzero dimensions must fit in 63 bits, as NumPy demands (it skips zero
   * dimensions in that product, and so does this); a zero dimension makes the count 0. */
  size_t item = npy_itemsize(a->dtype);
  uint64_t limit = (uint64_t)INT64_MAX / item, count = 1;
  int empty = 0;
  for (int i = 0; i < a->ndim; i++) {
    uint64_t d = a->shape[i];
    if (d == 0) {
      empty = 1;
      continue;
    }
    if (count > limit / d) {
      char shape[96];
      return fail(err, "shape %s is too large (more than 2^63 bytes)",
                  npy_shape_text(a, shape, sizeof shape));
    }
    count *= d;
  }
  if (empty)
    count = 0;
  if (count > SIZE_MAX / item)
    return fail(err, "shape is too large for this machine's address space");
  a->count = (size_t)count;
  size_t have = len - pre - hlen, need = a->count * item;
  if (have != need) {
    char shape[96];
    npy_shape_text(a, shape, sizeof shape);
    if (have < need)
      return fail(err, "data truncated: shape %s of %s needs %zu bytes, the file has %zu", shape,
                  npy_descr(a->dtype, a->big_endian), need, have);
    return fail(err, "%zu trailing bytes after the data of shape %s of %s", have - need, shape,
                npy_descr(a->dtype, a->big_endian));
  }
  a->data = b + pre + hlen;
  return 0;
}

int npy_read_file(const char *path, unsigned char **buf, size_t *len, char *err) {
  *buf = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(err, "cannot open it: %s", strerror(errno));
  size_t cap = 0, n = 0;
  unsigned char *b = NULL;
  for (;;) {
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      unsigned char *nb = ncap > cap ? realloc(b, ncap) : NULL;
      if (!nb) {
        free(b);
        fclose(f);
        return fail(err, "out of host memory reading it (%zu bytes so far)", n);
      }
      b = nb;
      cap = ncap;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    int e = errno;
    free(b);
    fclose(f);
    return fail(err, "cannot read it: %s", strerror(e));
  }
  fclose(f);
  *buf = b;
  *len = n;
  return 0;
}

/* ---- elements --------------------------------------------------------------------------- */
static uint64_t load_bits(const unsigned char *p, size_t size, int big) {
  uint64_t v = 0;
  for (size_t k = 0; k < size; k++)
    v |= (uint64_t)p[big ? size - 1 - k : k] << (8 * k);
  return v;
}

static void store_bits(unsigned char *p, size_t size, int big, uint64_t v) {
  for (size_t k = 0; k < size; k++)
    p[big ? size - 1 - k : k] = (unsigned char)(v >> (8 * k));
}

static double double_of_bits(uint64_t u) {
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

static uint64_t bits_of_double(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

double npy_decode(uint32_t bits, int ebits, int mbits) {
  uint32_t sign = bits >> (ebits + mbits) & 1u;
  uint32_t e = bits >> mbits & ((1u << ebits) - 1);
  uint32_t m = bits & ((1u << mbits) - 1);
  int bias = (1 << (ebits - 1)) - 1;
  double v;
  if (e == (1u << ebits) - 1) {
    if (m == 0) {
      v = INFINITY;
    } else { /* NaN: the payload moves to the top of the double's fraction */
      uint64_t u = (uint64_t)0x7FF << 52 | (uint64_t)m << (52 - mbits);
      return double_of_bits(u | (uint64_t)sign << 63);
    }
  } else if (e == 0) {
    v = ldexp((double)m, 1 - bias - mbits);
  } else {
    v = ldexp((double)(m | 1u << mbits), (int)e - bias - mbits);
  }
  return sign ? -v : v;
}

uint32_t npy_encode(double v, int ebits, int mbits) {
  uint32_t sign = signbit(v) ? 1u << (ebits + mbits) : 0;
  uint32_t emask = (1u << ebits) - 1;
  int bias = (1 << (ebits - 1)) - 1;
  if (isnan(v)) { /* quiet, with the top of the payload */
    uint32_t m = (uint32_t)(bits_of_double(v) >> (52 - mbits)) & ((1u << mbits) - 1);
    return sign | emask << mbits | 1u << (mbits - 1) | m;
  }
  double a = fabs(v);
  if (a == 0)
    return sign;
  if (isinf(a))
    return sign | emask << mbits;
  int e2;
  frexp(a, &e2);
  int exp = e2 - 1; /* a in [2^exp, 2^(exp+1)) */
  if (exp < 1 - bias)
    exp = 1 - bias; /* subnormal: the quantum is fixed */
  if (exp > bias)
    return sign | emask << mbits;
  /* q = a / quantum is exact (a power-of-two scaling) and below 2^(mbits+1) < 2^53;
   * nearbyint rounds it to nearest even in the default rounding mode. */
  double q = nearbyint(ldexp(a, mbits - exp));
  uint64_t m = (uint64_t)q;
  if (m >> (mbits + 1)) { /* rounded up to the next binade */
    m >>= 1;
    exp++;
    if (exp > bias)
      return sign | emask << mbits;
  }
  if (m < (uint64_t)1 << mbits) /* subnormal (or rounded to zero) */
    return sign | (uint32_t)m;
  return sign | (uint32_t)(exp + bias) << mbits | ((uint32_t)m & ((1u << mbits) - 1));
}

double npy_get(const npy_array *a, size_t i) {
  size_t size = npy_itemsize(a->dtype);
  uint64_t u = load_bits(a->data + i * size, size, a->big_endian);
  if (a->dtype == NPY_F8)
    return double_of_bits(u);
  if (a->dtype == NPY_F4)
    return npy_decode((uint32_t)u, 8, 23);
  return npy_decode((uint32_t)u, 5, 10);
}

void npy_put(npy_dtype dtype, int big_endian, unsigned char *data, size_t i, double v) {
  size_t size = npy_itemsize(dtype);
  uint64_t u = dtype == NPY_F8   ? bits_of_double(v)
               : dtype == NPY_F4 ? npy_encode(v, 8, 23)
                                 : npy_encode(v, 5, 10);
  store_bits(data + i * size, size, big_endian, u);
}

/* ---- writing ---------------------------------------------------------------------------- */
size_t npy_header(const npy_array *a, unsigned char out[NPY_HEADER_CAP]) {
  char shape[NPY_HEADER_CAP - 128];
  npy_shape_text(a, shape, sizeof shape);
  char *h = (char *)out + 10;
  int k = snprintf(h, NPY_HEADER_CAP - 10, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                   npy_descr(a->dtype, a->big_endian), shape);
  size_t len = (size_t)k + 1; /* the newline */
  size_t total = (10 + len + 63) / 64 * 64;
  memset(h + k, ' ', total - 10 - (size_t)k);
  out[total - 1] = '\n';
  memcpy(out, magic, sizeof magic);
  out[6] = 1;
  out[7] = 0;
  out[8] = (unsigned char)((total - 10) & 0xFF);
  out[9] = (unsigned char)((total - 10) >> 8);
  return total;
}

int npy_out_open(npy_out *o, const char *path, char *err) {
  o->fd = -1;
  o->path = path;
  size_t n = strlen(path);
  o->tmp = malloc(n + sizeof ".tmp.XXXXXX");
  if (!o->tmp)
    return fail(err, "out of host memory");
  memcpy(o->tmp, path, n);
  memcpy(o->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
  o->fd = mkstemp(o->tmp);
  if (o->fd < 0) {
    int e = errno;
    free(o->tmp);
    o->tmp = NULL;
    return fail(err, "cannot create a temporary file next to it: %s", strerror(e));
  }
  /* mkstemp makes the file 0600; give it what a new file would get. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(o->fd, 0666 & ~mask) != 0) {
    int e = errno;
    npy_out_abort(o);
    return fail(err, "cannot set the permissions of the temporary file: %s", strerror(e));
  }
  return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n > ((size_t)1 << 30) ? (size_t)1 << 30 : n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

int npy_out_commit(npy_out *o, const npy_array *a, char *err) {
  unsigned char header[NPY_HEADER_CAP];
  size_t hlen = npy_header(a, header);
  if (write_all(o->fd, header, hlen) != 0 ||
      write_all(o->fd, a->data, a->count * npy_itemsize(a->dtype)) != 0 || fsync(o->fd) != 0) {
    int e = errno;
    npy_out_abort(o);
    return fail(err, "cannot write it: %s", strerror(e));
  }
  int rc = close(o->fd);
  o->fd = -1;
  if (rc != 0 || rename(o->tmp, o->path) != 0) {
    int e = errno;
    npy_out_abort(o);
    return fail(err, "cannot write it: %s", strerror(e));
  }
  free(o->tmp);
  o->tmp = NULL;
  return 0;
}

void npy_out_abort(npy_out *o) {
  if (o->fd >= 0)
    close(o->fd);
  o->fd = -1;
  if (o->tmp) {
    unlink(o->tmp);
    free(o->tmp);
  }
  o->tmp = NULL;
}
