/* host/storage.h: the storage formats' bits on the host (f32, f16, bf16, f64), shared by the
 * checkers and the tests; not published. Rounding is to nearest even; a NaN is stored as the
 * canonical quiet NaN of the format (what the kernels store). */
#ifndef CLACT_STORAGE_H
#define CLACT_STORAGE_H

#include "clact.h"

#include <stddef.h>
#include <stdint.h>

/* v as stored in dt: f64 exactly; the others from v rounded to float (the values stored are
 * floats already, or float32 kernel results), then to the format. */
uint64_t clact__to_raw(clact_dtype dt, double v);
/* The value of stored bits r of dt. */
double clact__from_raw(clact_dtype dt, uint64_t r);
/* The value v takes once stored in dt. */
double clact__in_format(clact_dtype dt, double v);
/* Element i of a host array of elements of esize bytes (2, 4 or 8), as raw bits. */
uint64_t clact__get_raw(const void *buf, size_t esize, size_t i);
void clact__put_raw(void *buf, size_t esize, size_t i, uint64_t r);

#endif
