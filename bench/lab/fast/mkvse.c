/* bench/lab/fast/mkvse.c: the float32 mish forward kernel (through the library, so
 * CLACT_KERNEL_DIR picks the version) against mf.c's emulation mish_m, bit for bit, over the
 * patterns OFFSET + i STRIDE (all of them with STRIDE 1). NaN matches any NaN.
 * Build: sed 's/^int main(int argc/static int mf_main(int argc/' bench/lab/fast/mf.c \
 *          > /tmp/mf_nomain.c && gcc -O2 -march=native -ffp-contract=off -Iinclude -I/tmp \
 *          bench/lab/fast/mkvse.c -o /tmp/mkvse build-hC/libclact.a -lOpenCL -lm -lpthread
 * Run:   /tmp/mkvse STRIDE OFFSET VARIANT */
#include "mf_nomain.c"

int main(int argc, char **argv) {
  if (argc < 4)
    return 2;
  uint64_t st = strtoull(argv[1], 0, 10), off = strtoull(argv[2], 0, 10);
  variant = atoi(argv[3]);
  size_t chunk = (size_t)1 << 24;
  float *in = malloc(chunk * 4), *out = malloc(chunk * 4);
  clact_activation act;
  clact_context *ctx;
  if (clact_lookup("mish", &act) || clact_context_create(&ctx, NULL))
    return 3;
  cl_int e;
  cl_mem bi = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, chunk * 4, NULL, &e);
  cl_mem bo = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, chunk * 4, NULL, &e);
  uint64_t b = off, diff = 0, n_all = 0;
  while (b <= 0xFFFFFFFFull) {
    size_t n = 0;
    for (; n < chunk && b <= 0xFFFFFFFFull; b += st)
      in[n++] = asf((uint32_t)b);
    cl_command_queue q = clact_context_queue(ctx);
    clEnqueueWriteBuffer(q, bi, CL_TRUE, 0, n * 4, in, 0, NULL, NULL);
    if (clact_forward(ctx, act, CLACT_F32, NULL, n, bi, 0, bo, 0, NULL) != CLACT_SUCCESS)
      return 4;
    clEnqueueReadBuffer(q, bo, CL_TRUE, 0, n * 4, out, 0, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
      float g = mish_m(in[i]);
      if (asu(g) != asu(out[i]) && !(isnan(g) && isnan(out[i]))) {
        if (diff++ < 10)
          printf("x = %a: kernel %a, emulation %a\n", in[i], out[i], g);
      }
    }
    n_all += n;
  }
  printf("%llu inputs, %llu differ\n", (unsigned long long)n_all, (unsigned long long)diff);
  return diff != 0;
}
