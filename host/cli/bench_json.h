/* host/cli/bench_json.h: reading back the results of `clact bench --json` (for --compare). */
#ifndef CLACT_BENCH_JSON_H
#define CLACT_BENCH_JSON_H

#include <stddef.h>

/* One result of a baseline file: the keys that identify it and the figures compared. */
typedef struct bench_ref {
  char activation[64], direction[32], dtype[16];
  double n, gelem_per_s, ratio_to_copy;
} bench_ref;

/* Parses JSON text (strict RFC 8259 syntax; nesting at most 64 deep, numbers of at most 511
 * characters, the kept strings no longer than their fields) that is an object with a
 * "results" array of objects, each with the string keys "activation", "direction", "dtype" and
 * the numbers "n", "gelem_per_s", "ratio_to_copy" (other keys are ignored). On success stores a
 * malloc'd array in *refs (free() it) and its length in *count and returns 0. On error returns
 * -1 and writes what was wrong, with the byte offset, into err. */
int bench_json_parse(const char *text, size_t len, bench_ref **refs, size_t *count, char *err,
                     size_t errsize);

/* Reads and parses a file (at most 64 MiB). On error prints "clact bench: FILE: what was wrong"
 * and returns the exit code CLI_EXIT_INPUT (3); 0 on success. */
int bench_json_load(const char *path, bench_ref **refs, size_t *count);

#endif /* CLACT_BENCH_JSON_H */
