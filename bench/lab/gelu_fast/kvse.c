/* bench/lab/gelu_fast/kvse.c: the float32 gelu forward kernel (through the library, so
 * CLACT_KERNEL_DIR picks the version) against gf.c's emulation gelu_k, bit for bit, over the
 * patterns OFFSET + i STRIDE (all of them with STRIDE 1). Same arguments as gf's K mode.
 * Build: sed 's/^int main(int argc/static int gf_main(int argc/' bench/lab/gelu_fast/gf.c \
 *          > /tmp/gf_nomain.c && gcc -O2 -march=native -ffp-contract=off -Iinclude -I/tmp \
 *          bench/lab/gelu_fast/kvse.c -o /tmp/kvse build-hB/libclact.a -lOpenCL -lm -lpthread
 * Run:   /tmp/kvse STRIDE OFFSET WFILE C NCOMP SHIFTER EXPAIR */
#include "gf_nomain.c"

int main(int argc, char **argv) {
  if (argc < 8)
    return 2;
  uint64_t st = strtoull(argv[1], 0, 10), off = strtoull(argv[2], 0, 10);
  nw = load(argv[3], W);
  cc = strtof(argv[4], 0);
  ncomp = atoi(argv[5]);
  shifter = strtof(argv[6], 0);
  expair = atoi(argv[7]);
  gform = 1;
  size_t chunk = (size_t)1 << 24;
  float *in = malloc(chunk * 4), *out = malloc(chunk * 4);
  clact_activation act;
  clact_context *ctx;
  if (clact_lookup("gelu", &act) || clact_context_create(&ctx, NULL))
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
      float g = gelu_k(in[i]);
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
