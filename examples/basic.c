/* examples/basic.c: the library in one page. Creates a context on the default device, runs the
 * forward and backward of an activation on device buffers, reads the results back and compares
 * them with the library's double-precision reference.
 * Usage: basic [ACTIVATION] (default gelu; any id or synonym of `clact list`) */
#include <clact.h>

#include <math.h>
#include <stdio.h>

#define N 1000

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "gelu";
  clact_activation act;
  if (clact_lookup(name, &act) != CLACT_SUCCESS) {
    fprintf(stderr, "basic: unknown activation '%s' (see: clact list)\n", name);
    return 2;
  }
  clact_context *ctx;
  clact_status st = clact_context_create(&ctx, NULL); /* CLACT_DEVICE=P:D picks another */
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "basic: %s\n", clact_status_string(st));
    return st == CLACT_ERROR_NO_DEVICE ? 77 : 1;
  }

  /* Inputs on the host, buffers on the device. */
  float x[N], dy[N], y[N], dx[N];
  for (int i = 0; i < N; i++) {
    x[i] = -6.0f + 12.0f * (float)i / (N - 1);
    dy[i] = 1.0f; /* dx is then f'(x) itself */
  }
  cl_context c = clact_context_cl(ctx);
  cl_command_queue q = clact_context_queue(ctx);
  cl_int err;
  cl_mem bx = clCreateBuffer(c, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof x, x, &err);
  cl_mem bdy = clCreateBuffer(c, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof dy, dy, &err);
  cl_mem by = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof y, NULL, &err);
  cl_mem bdx = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof dx, NULL, &err);

  /* Default parameters (NULL); clact_params_set(act, &p, "alpha", 0.5) would change one. */
  st = clact_forward(ctx, act, CLACT_F32, NULL, N, bx, 0, by, 0, NULL);
  if (st == CLACT_SUCCESS)
    st = clact_backward(ctx, act, CLACT_F32, NULL, N, bx, 0, bdy, 0, bdx, 0, NULL);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clEnqueueReadBuffer(q, by, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clEnqueueReadBuffer(q, bdx, CL_TRUE, 0, sizeof dx, dx, 0, NULL, NULL);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "basic: %s\n%s", clact_status_string(st), clact_build_log(ctx));
    return 1;
  }

  /* Compare with the reference, with the parameters as the kernel saw them. */
  double p[CLACT_MAX_PARAMS];
  clact_params_resolve(act, NULL, p);
  for (int i = 0; i < CLACT_MAX_PARAMS; i++)
    p[i] = (double)(float)p[i];
  double worst_y = 0, worst_dx = 0;
  for (int i = 0; i < N; i++) {
    double ry = clact_reference_forward(act, x[i], p);
    double mag;
    double rd = clact_reference_derivative(act, x[i], p, &mag);
    double ey = clact_ulp_error_f32(y[i], ry);
    /* backward, in the units of the accuracy contract: |dx - ref| / (ulp(ref) + u |dy| M(x)),
     * which stays meaningful at a root of f' (where an error in ulp of f' would not) */
    int e;
    frexp(rd, &e);
    double ulp = ldexp(1.0, (rd == 0 || e < -125 ? -125 : e) - 24);
    double ed = fabs(dx[i] - rd) / (ulp + 0x1p-24 * mag);
    worst_y = ey > worst_y ? ey : worst_y;
    worst_dx = ed > worst_dx ? ed : worst_dx;
  }
  printf("%s on %d points in [-6, 6]: f(1.5) = %.9g, f'(1.5) = %.9g\n", clact_name(act), N,
         (double)y[625], (double)dx[625]); /* x[625] = 1.5075... */
  printf("max error against the reference: forward %.2f ulp (bound %g), backward %.2f (bound 4, "
         "in units of ulp + u|dy|M)\n",
         worst_y, clact_accuracy_ulp(clact_get_info(act)->accuracy), worst_dx);

  clReleaseMemObject(bx);
  clReleaseMemObject(bdy);
  clReleaseMemObject(by);
  clReleaseMemObject(bdx);
  clact_context_destroy(ctx);
  /* Within the published bounds (bit-exact results are within half an ulp). */
  return worst_y <= clact_accuracy_ulp(clact_get_info(act)->accuracy) + 0.5 && worst_dx <= 4 ? 0
                                                                                             : 1;
}
