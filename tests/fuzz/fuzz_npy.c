/* tests/fuzz/fuzz_npy.c: libFuzzer harness of the .npy reader of `clact apply`
 * (host/cli/npy.c). Every input must either be rejected with a message or parse into an array
 * whose data lies inside the input and whose elements all read; what parses must also survive
 * a write/parse round trip unchanged. Build and run (Clang):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ihost/cli host/cli/npy.c \
 *         tests/fuzz/fuzz_npy.c -lm -o fuzz_npy
 *   ./fuzz_npy -max_total_time=60 -dict=tests/fuzz/npy.dict tests/fuzz/corpus_npy
 * or configure with -DCLACT_FUZZ=ON and CC=clang (target fuzz_npy, test fuzz/npy_corpus). */
#include "npy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  npy_array a;
  char err[NPY_ERR_SIZE];
  err[0] = '\0';
  if (npy_parse(data, size, &a, err) != 0) {
    if (err[0] == '\0' || strlen(err) >= NPY_ERR_SIZE)
      abort(); /* every rejection says why */
    return 0;
  }
  size_t bytes = a.count * npy_itemsize(a.dtype);
  if (a.data < data || a.data + bytes != data + size || a.ndim < 0 || a.ndim > NPY_MAX_DIMS)
    abort(); /* the data ends exactly at the end of the file */
  uint64_t count = 1;
  for (int i = 0; i < a.ndim; i++)
    count *= a.shape[i];
  if (count != a.count)
    abort();
  double sum = 0;
  for (size_t i = 0; i < a.count; i++)
    sum += npy_get(&a, i);
  (void)sum;
  /* Round trip: the writer's header around the same data parses to the same array. */
  unsigned char *copy = malloc(NPY_HEADER_CAP + bytes);
  if (!copy)
    return 0;
  size_t hl = npy_header(&a, copy);
  memcpy(copy + hl, a.data, bytes);
  npy_array b;
  if (npy_parse(copy, hl + bytes, &b, err) != 0 || b.dtype != a.dtype ||
      b.big_endian != a.big_endian || b.ndim != a.ndim || b.count != a.count ||
      memcmp(b.shape, a.shape, sizeof a.shape[0] * (size_t)a.ndim) != 0)
    abort();
  /* Elements re-encoded in their own dtype are unchanged (NaN payloads aside). */
  for (size_t i = 0; i < a.count && i < 64; i++) {
    double v = npy_get(&a, i);
    unsigned char e[8];
    npy_put(a.dtype, a.big_endian, e, 0, v);
    npy_array one = a;
    one.data = e;
    double w = npy_get(&one, 0);
    if (!(isnan(v) ? isnan(w) : memcmp(&v, &w, sizeof v) == 0))
      abort();
  }
  free(copy);
  return 0;
}
