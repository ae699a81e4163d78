/* tests/fuzz/fuzz_bench_json.c: libFuzzer harness of the reader of `clact bench --compare`
 * (host/cli/bench_json.c). Beyond "no crash, no sanitizer report", it checks the contract: any
 * bytes are either rejected, leaving *refs NULL and *count 0, with a terminated message that
 * names a byte offset, or accepted with results whose strings are terminated within their
 * fields; and parsing is deterministic (a second parse gives the same outcome and results). */
#include "bench_json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "fuzz_bench_json: %s failed\n", #cond);                                      \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bench_ref *refs = (bench_ref *)&refs, *again = NULL; /* poisoned: the parser must set it */
  size_t count = 12345, count2 = 0;
  char err[160], err2[160];
  memset(err, 0x55, sizeof err);
  int rc = bench_json_parse((const char *)data, size, &refs, &count, err, sizeof err);
  int rc2 = bench_json_parse((const char *)data, size, &again, &count2, err2, sizeof err2);
  CHECK(rc == rc2 && count == count2); /* deterministic */
  if (rc != 0) {
    CHECK(refs == NULL && count == 0);
    CHECK(memchr(err, '\0', sizeof err) != NULL); /* a terminated message */
    CHECK(strstr(err, " at byte ") != NULL || strstr(err, "out of host memory") != NULL);
    CHECK(strcmp(err, err2) == 0);
  } else {
    CHECK(count == 0 || refs != NULL);
    for (size_t i = 0; i < count; i++) {
      CHECK(memchr(refs[i].activation, '\0', sizeof refs[i].activation) != NULL);
      CHECK(memchr(refs[i].direction, '\0', sizeof refs[i].direction) != NULL);
      CHECK(memchr(refs[i].dtype, '\0', sizeof refs[i].dtype) != NULL);
      CHECK(memcmp(&refs[i], &again[i], sizeof refs[i]) == 0 || refs[i].n != refs[i].n ||
            refs[i].gelem_per_s != refs[i].gelem_per_s ||
            refs[i].ratio_to_copy != refs[i].ratio_to_copy); /* NaN compares unequal */
    }
  }
  free(refs == (bench_ref *)&refs ? NULL : refs);
  free(again);
  return 0;
}
