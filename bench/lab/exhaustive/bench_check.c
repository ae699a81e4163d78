/* bench/lab/exhaustive/bench_check.c: throughput of the checker's float32 sweep (inputs judged
 * per second) for one activation and direction: clact_check with the sweep only (no edges, no
 * layout, no alternative parameter sets, one random input) at a given stride.
 * usage: bench_check ID fwd|bwd|bwd_y STRIDE */
#define _POSIX_C_SOURCE 200809L
#include "clact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec + (double)u.ru_stime.tv_sec +
         1e-6 * (double)u.ru_stime.tv_usec;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: bench_check ID fwd|bwd|bwd_y STRIDE\n");
    return 2;
  }
  clact_activation act;
  if (clact_lookup(argv[1], &act) != CLACT_SUCCESS)
    return 3;
  clact_direction dir = strcmp(argv[2], "fwd") == 0   ? CLACT_FORWARD
                        : strcmp(argv[2], "bwd") == 0 ? CLACT_BACKWARD
                                                      : CLACT_BACKWARD_FROM_Y;
  clact_context *ctx = NULL;
  if (clact_context_create(&ctx, NULL) != CLACT_SUCCESS)
    return 77;
  clact_check_options o;
  memset(&o, 0, sizeof o);
  o.sweep_stride = (unsigned)strtoul(argv[3], NULL, 10);
  o.random_count = 1;
  o.no_edges = 1;
  o.no_layout = 1;
  o.no_param_sets = 1;
  clact_check_result r;
  /* warm: the program build */
  o.sweep_stride = 1u << 20;
  clact_check(ctx, act, dir, CLACT_F32, NULL, &o, &r, NULL, NULL);
  o.sweep_stride = (unsigned)strtoul(argv[3], NULL, 10);
  double t0 = now(), c0 = cpu();
  clact_status st = clact_check(ctx, act, dir, CLACT_F32, NULL, &o, &r, NULL, NULL);
  double t = now() - t0, c = cpu() - c0;
  printf("%s %s stride %u: status %d, %llu results in %.2f s (%.2f CPU s): %.3g inputs/s, "
         "%.3g per CPU s, max %.4g\n",
         argv[1], argv[2], o.sweep_stride, (int)st, (unsigned long long)r.count, t, c,
         (double)r.count / t, (double)r.count / c, r.max_err);
  printf("  histogram {%llu, %llu, %llu, %llu, %llu, %llu}, failures %llu, worst x %a dy %a got %a "
         "ref %a\n",
         (unsigned long long)r.histogram[0], (unsigned long long)r.histogram[1],
         (unsigned long long)r.histogram[2], (unsigned long long)r.histogram[3],
         (unsigned long long)r.histogram[4], (unsigned long long)r.histogram[5],
         (unsigned long long)r.failures, r.worst_x, r.worst_dy, r.worst_got, r.worst_ref);
  clact_context_destroy(ctx);
  return 0;
}
