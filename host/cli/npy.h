/* host/cli/npy.h: a small, strict reader and writer of NumPy .npy files for `clact apply`:
 * float16, float32 and float64 arrays, either byte order, C order, any shape, format versions
 * 1.0, 2.0 and 3.0. No OpenCL here: tests/test_npy.c and tests/fuzz/fuzz_npy.c use it alone.
 *
 * What is accepted (anything else is rejected with a message saying what was wrong):
 * - the magic "\x93NUMPY", version 1.0 (2-byte header length), 2.0 or 3.0 (4-byte length);
 * - a header of at most NPY_MAX_HEADER bytes (NumPy's own read limit), all ASCII, ending in
 *   '\n', holding a Python dict literal with exactly the keys 'descr', 'fortran_order' and
 *   'shape', each once, in any order (single or double quotes, blanks between tokens, an
 *   optional trailing comma);
 * - descr '<f2', '>f2', '<f4', '>f4', '<f8' or '>f8'; fortran_order False;
 * - shape a tuple of at most NPY_MAX_DIMS decimal integers ("()" is 0-d, "(3,)" 1-d);
 * - a data length equal to the element count times the element size, with nothing after it;
 *   the count times the element size must fit in 63 bits (and in size_t).
 * Not accepted: Python 2 long suffixes ("3L"), underscores in numbers, string escapes. */
#ifndef CLACT_NPY_H
#define CLACT_NPY_H

#include <stddef.h>
#include <stdint.h>

#define NPY_MAX_DIMS 64       /* NumPy 2's limit */
#define NPY_MAX_HEADER 10000u /* bytes of header text; NumPy's default max_header_size */
#define NPY_ERR_SIZE 256      /* a buffer this size holds any message of this file */

/* Element types of the files. */
typedef enum npy_dtype { NPY_F2, NPY_F4, NPY_F8 } npy_dtype;

/* An array described by a header. `data` points into the parsed buffer (npy_parse), or at
 * the caller's bytes (npy_write_*): count * npy_itemsize(dtype) bytes in the file's byte
 * order. */
typedef struct npy_array {
  npy_dtype dtype;
  int big_endian; /* 1: '>' */
  int ndim;       /* 0 .. NPY_MAX_DIMS */
  uint64_t shape[NPY_MAX_DIMS];
  size_t count; /* product of shape (1 for 0-d) */
  const unsigned char *data;
} npy_array;

/* Bytes per element of a dtype: 2, 4 or 8. */
size_t npy_itemsize(npy_dtype dtype);
/* The descr of an array's type: "<f4", ">f2", ... (a static string). */
const char *npy_descr(npy_dtype dtype, int big_endian);
/* The shape as Python writes it, "(2, 3)", "(3,)", "()", truncated to `size`. */
const char *npy_shape_text(const npy_array *a, char *buf, size_t size);

/* Parses a whole .npy file held in memory. Returns 0 and fills *a (a->data points into buf),
 * or -1 with a message in err (NPY_ERR_SIZE bytes) describing the problem, without the file's
 * name, e.g. "header: fortran_order True is not supported (C order only)". */
int npy_parse(const void *buf, size_t len, npy_array *a, char *err);

/* Reads a whole file into a malloc'd buffer (*buf, *len; free it). -1 with a message naming
 * the cause (not the file) on error. */
int npy_read_file(const char *path, unsigned char **buf, size_t *len, char *err);

/* Element i of an array as a double (exact for every supported dtype). */
double npy_get(const npy_array *a, size_t i);
/* Stores v as element i of `data` laid out as dtype/big_endian, rounded to nearest, ties to
 * even (overflow gives infinity; NaN stays NaN, sign kept). */
void npy_put(npy_dtype dtype, int big_endian, unsigned char *data, size_t i, double v);

/* Binary formats of at most 32 bits with `ebits` exponent and `mbits` fraction bits (f16:
 * 5, 10; bf16: 8, 7; f32: 8, 23): encode rounds to nearest even, decode is exact. */
uint32_t npy_encode(double v, int ebits, int mbits);
double npy_decode(uint32_t bits, int ebits, int mbits);

/* The header of an array (version 1.0, NumPy's layout, padded with blanks so that the data
 * starts at a multiple of 64 bytes). Returns its length (at most NPY_HEADER_CAP), the magic
 * included. */
#define NPY_HEADER_CAP 2048
size_t npy_header(const npy_array *a, unsigned char out[NPY_HEADER_CAP]);

/* Writing a file safely: npy_out_open creates PATH.tmp.XXXXXX (mkstemp) in the folder of
 * `path`; npy_out_commit writes the header and a->data there, flushes it to disk and renames
 * it onto `path`; npy_out_abort removes it. After a failure of either call, or an abort,
 * nothing is left behind and an existing file at `path` is untouched. */
typedef struct npy_out {
  int fd;
  char *tmp;        /* the temporary file's path */
  const char *path; /* the final path (not owned) */
} npy_out;

int npy_out_open(npy_out *o, const char *path, char *err);
int npy_out_commit(npy_out *o, const npy_array *a, char *err);
void npy_out_abort(npy_out *o);

#endif /* CLACT_NPY_H */
