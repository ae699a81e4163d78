/* bench/lab/kerneldiff.c: a hash of an activation's float32 results (forward, backward, from y,
 * the default and the registry's alternative parameter sets) over every STRIDE-th bit pattern and
 * a fixed set of dy, so that two versions of a kernel (CLACT_KERNEL_DIR=old vs new) can be shown
 * bit-identical. Lab tool. Usage: kerneldiff ID [STRIDE] (default 64) */
#include "clact.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  clact_activation act;
  if (argc < 2 || clact_lookup(argv[1], &act))
    return 2;
  unsigned stride = argc > 2 ? (unsigned)atoi(argv[2]) : 64;
  size_t n = ((size_t)1 << 32) / stride;
  clact_context *ctx;
  if (clact_context_create(&ctx, NULL))
    return 4;
  float *x = malloc(n * 4), *dy = malloc(n * 4), *out = malloc(n * 4);
  for (size_t i = 0; i < n; i++) {
    unsigned b = (unsigned)(i * stride + (i * 2654435761u) % stride);
    memcpy(&x[i], &b, 4);
    static const float d[] = {1.0f, -3.5f, 1e30f, 1e-30f, 3.4e38f, 1.4e-45f, 0.0f, 1e-3f};
    dy[i] = d[i % 8];
  }
  cl_int err;
  cl_context cl = clact_context_cl(ctx);
  cl_command_queue q = clact_context_queue(ctx);
  cl_mem bx = clCreateBuffer(cl, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, x, &err);
  cl_mem bd = clCreateBuffer(cl, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, dy, &err);
  cl_mem bo = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * 4, NULL, &err);
  const double(*alt)[CLACT_MAX_PARAMS];
  size_t na = clact__ref_param_sets(act, &alt);
  const clact_info *in = clact_get_info(act);
  for (size_t s = 0; s <= na; s++) {
    clact_params p = clact_params_default();
    if (s > 0)
      for (int k = 0; k < in->nparams; k++) {
        p.value[k] = alt[s - 1][k];
        p.set |= 1u << k;
      }
    for (int dir = 0; dir < 3; dir++) {
      clact_status st =
          dir == 0   ? clact_forward(ctx, act, CLACT_F32, &p, n, bx, 0, bo, 0, NULL)
          : dir == 1 ? clact_backward(ctx, act, CLACT_F32, &p, n, bx, 0, bd, 0, bo, 0, NULL)
                     : clact_backward_from_y(ctx, act, CLACT_F32, &p, n, bx, 0, bd, 0, bo, 0, NULL);
      if (st != CLACT_SUCCESS) {
        if (dir == 2)
          continue;
        fprintf(stderr, "error %s\n%s", clact_status_string(st), clact_build_log(ctx));
        return 1;
      }
      clEnqueueReadBuffer(q, bo, CL_TRUE, 0, n * 4, out, 0, NULL, NULL);
      unsigned long long h = 1469598103934665603ull;
      for (size_t i = 0; i < n; i++) {
        unsigned b;
        memcpy(&b, &out[i], 4);
        h = (h ^ b) * 1099511628211ull;
      }
      printf("%s set %zu dir %d: %016llx\n", argv[1], s, dir, h);
    }
  }
  clact_context_destroy(ctx);
  return 0;
}
