/* tests/consumer/consumer.c: a program built against an installed clact (CMake package or
 * pkg-config): looks an activation up, runs it on the default device and checks one value. */
#include <clact.h>

#include <math.h>
#include <stdio.h>

int main(void) {
  clact_activation act;
  if (clact_lookup("swish1", &act) != CLACT_SUCCESS || act != CLACT_SILU) {
    fprintf(stderr, "lookup failed\n");
    return 1;
  }
  clact_context *ctx;
  clact_status st = clact_context_create(&ctx, NULL);
  if (st == CLACT_ERROR_NO_DEVICE) {
    printf("no OpenCL device: skipped\n");
    return 77;
  }
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "%s\n", clact_status_string(st));
    return 1;
  }
  float x[4] = {-2.0f, 0.0f, 1.0f, 3.0f}, y[4];
  cl_int err;
  cl_mem bx = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                             sizeof x, x, &err);
  cl_mem by = clCreateBuffer(clact_context_cl(ctx), CL_MEM_WRITE_ONLY, sizeof y, NULL, &err);
  st = clact_forward(ctx, act, CLACT_F32, NULL, 4, bx, 0, by, 0, NULL);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clEnqueueReadBuffer(clact_context_queue(ctx), by, CL_TRUE, 0, sizeof y, y, 0,
                                           NULL, NULL);
  clReleaseMemObject(bx);
  clReleaseMemObject(by);
  clact_context_destroy(ctx);
  /* silu(1) = 1/(1+e^-1) = 0.7310585786300049 */
  if (st != CLACT_SUCCESS || fabs(y[2] - 0.7310585786300049) > 1e-7 || y[1] != 0.0f) {
    fprintf(stderr, "unexpected result (%s): %g %g\n", clact_status_string(st), y[1], y[2]);
    return 1;
  }
  printf("clact %s: silu(1) = %.9g\n", clact_version(), y[2]);
  return 0;
}
