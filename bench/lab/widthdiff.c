/* bench/lab/widthdiff.c: finds inputs where an activation's result differs between vector
 * widths (the layout check says "differs from the canonical run"). Lab tool.
 * Usage: widthdiff ID fwd|bwd|bwd_y [N] */
#include "clact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  clact_activation act;
  if (argc < 3 || clact_lookup(argv[1], &act))
    return 2;
  int dir = strcmp(argv[2], "fwd") == 0 ? 0 : strcmp(argv[2], "bwd") == 0 ? 1 : 2;
  size_t n = argc > 3 ? (size_t)atol(argv[3]) : 4096;
  clact_context *ctx;
  if (clact_context_create(&ctx, NULL))
    return 4;
  float *x = malloc(n * 4), *dy = malloc(n * 4), *out[5];
  unsigned long long s = 1;
  for (size_t i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    unsigned bits = (unsigned)(s >> 32);
    memcpy(&x[i], &bits, 4);
    if (i & 1)
      x[i] = (float)((double)(s >> 11) / 9007199254740992.0 * 48.0 - 24.0);
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    dy[i] = (float)((double)(s >> 11) / 9007199254740992.0 * 400.0 - 200.0);
  }
  cl_int err;
  cl_mem bx = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4,
                             x, &err);
  cl_mem bd = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4,
                             dy, &err);
  cl_mem bo = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, n * 4, NULL, &err);
  unsigned w[5] = {1, 2, 4, 8, 16};
  if (dir == 2) { /* from y: y = f(x) */
    clact_forward(ctx, act, CLACT_F32, NULL, n, bx, 0, bo, 0, NULL);
    clEnqueueCopyBuffer(clact_context_queue(ctx), bo, bx, 0, 0, n * 4, 0, NULL, NULL);
    clEnqueueReadBuffer(clact_context_queue(ctx), bx, CL_TRUE, 0, n * 4, x, 0, NULL, NULL);
  }
  for (int k = 0; k < 5; k++) {
    out[k] = malloc(n * 4);
    clact_context_set_vector_width(ctx, w[k]);
    clact_status st =
        dir == 0   ? clact_forward(ctx, act, CLACT_F32, NULL, n, bx, 0, bo, 0, NULL)
        : dir == 1 ? clact_backward(ctx, act, CLACT_F32, NULL, n, bx, 0, bd, 0, bo, 0, NULL)
                   : clact_backward_from_y(ctx, act, CLACT_F32, NULL, n, bx, 0, bd, 0, bo, 0, NULL);
    if (st) {
      printf("%s\n", clact_status_string(st));
      return 1;
    }
    clEnqueueReadBuffer(clact_context_queue(ctx), bo, CL_TRUE, 0, n * 4, out[k], 0, NULL, NULL);
  }
  for (int k = 0; k < 5; k++) {
    size_t diffs = 0, first = n;
    for (size_t i = 0; i < n; i++)
      if (memcmp(&out[k][i], &out[3][i], 4)) {
        diffs++;
        if (first == n)
          first = i;
      }
    printf("width %2u vs 8: %zu differences", w[k], diffs);
    if (diffs)
      printf(", first at x=%.9g dy=%.9g: %.9g vs %.9g", x[first], dy[first], out[k][first],
             out[3][first]);
    printf("\n");
  }
  return 0;
}
