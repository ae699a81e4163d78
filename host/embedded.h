/* host/embedded.h: the kernel sources compiled into the library (generated clact_kernels.c). */
#ifndef CLACT_EMBEDDED_H
#define CLACT_EMBEDDED_H

typedef struct clact_embedded_source {
  const char *name;          /* file name in kernels/, e.g. "relu.cl"; NULL ends the table */
  const unsigned char *data; /* the bytes, followed by a NUL */
  unsigned size;             /* without the NUL */
} clact_embedded_source;

extern const clact_embedded_source clact_embedded_sources[];

#endif
