/* host/cli/cmd_devices.c: `clact devices`: every OpenCL platform and device with the P:D
 * indices that --device and clact_context_create accept, their versions, sizes, floating-point
 * capabilities and the clact dtypes each can run; the default device is marked. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: clact devices\n"
    "\n"
    "Lists every OpenCL platform and device with its index P:D (platforms in clGetPlatformIDs\n"
    "order, devices in clGetDeviceIDs(CL_DEVICE_TYPE_ALL) order): the value of --device and of\n"
    "CLACT_DEVICE. For each: name, vendor, type, OpenCL and driver versions, compute units,\n"
    "global memory, fp64 (cl_khr_fp64), fp16 (cl_khr_fp16), denormals (CL_FP_DENORM in\n"
    "CL_DEVICE_SINGLE_FP_CONFIG; with fp64 also in CL_DEVICE_DOUBLE_FP_CONFIG) and the clact\n"
    "dtypes it runs (f64 where the device has cl_khr_fp64). '*' marks the default device\n"
    "(CLACT_DEVICE if set, else the first GPU, else the first device).\n"
    "\n"
    "Exit status: 0 listed, 2 usage error, 4 no OpenCL platform or an OpenCL error.\n";

/* Whether a space-separated extension list holds `ext` as a whole word. */
static int has_extension(cl_device_id dev, const char *ext) {
  size_t size = 0;
  if (clGetDeviceInfo(dev, CL_DEVICE_EXTENSIONS, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return 0;
  char *s = malloc(size + 1);
  int found = 0;
  if (s && clGetDeviceInfo(dev, CL_DEVICE_EXTENSIONS, size, s, NULL) == CL_SUCCESS) {
    s[size] = '\0';
    size_t len = strlen(ext);
    for (const char *q = strstr(s, ext); q && !found; q = strstr(q + 1, ext))
      found = (q == s || q[-1] == ' ') && (q[len] == ' ' || q[len] == '\0');
  }
  free(s);
  return found;
}

static const char *type_text(cl_device_type t) {
  if (t & CL_DEVICE_TYPE_GPU)
    return "GPU";
  if (t & CL_DEVICE_TYPE_CPU)
    return "CPU";
  if (t & CL_DEVICE_TYPE_ACCELERATOR)
    return "accelerator";
  if (t & CL_DEVICE_TYPE_CUSTOM)
    return "custom";
  return "other";
}

/* The dtypes clact runs on the device: asked of a clact context made for it, so the answer is
 * the library's, not a guess from the extension list. */
static void print_dtypes(unsigned p, unsigned d) {
  char spec[32];
  snprintf(spec, sizeof spec, "%u:%u", p, d);
  clact_context *ctx = NULL;
  clact_status st = clact_context_create(&ctx, spec);
  printf("      clact dtypes: ");
  if (st != CLACT_SUCCESS) {
    printf("none (no context: %s)\n", clact_status_string(st));
    return;
  }
  int any = 0;
  for (int t = 0; t < CLACT_DTYPE_COUNT; t++) {
    if (clact_context_supports(ctx, (clact_dtype)t) == CLACT_SUCCESS) {
      printf("%s%s", any ? " " : "", clact_dtype_name((clact_dtype)t));
      any = 1;
    }
  }
  printf("%s\n", any ? "" : "none");
  clact_context_destroy(ctx);
}

static void print_device(cl_device_id dev, unsigned p, unsigned d, int is_default) {
  cli_device_desc desc;
  cli_describe_device(dev, &desc);
  cl_device_type type = 0;
  cl_uint units = 0;
  cl_ulong mem = 0;
  cl_device_fp_config single = 0, dbl = 0;
  clGetDeviceInfo(dev, CL_DEVICE_TYPE, sizeof type, &type, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL);
  clGetDeviceInfo(dev, CL_DEVICE_SINGLE_FP_CONFIG, sizeof single, &single, NULL);
  int fp64 = has_extension(dev, "cl_khr_fp64");
  if (fp64)
    clGetDeviceInfo(dev, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof dbl, &dbl, NULL);
  printf("  %u:%u %s %s\n", p, d, is_default ? "*" : " ", desc.name);
  printf("      vendor: %s; type: %s\n", desc.vendor, type_text(type));
  printf("      version: %s; driver: %s\n", desc.version, desc.driver);
  printf("      compute units: %u; global memory: %.1f GiB\n", (unsigned)units,
         (double)mem / (1024.0 * 1024.0 * 1024.0));
  printf("      fp64: %s; fp16: %s; denormals (f32): %s%s%s\n", fp64 ? "yes" : "no",
         has_extension(dev, "cl_khr_fp16") ? "yes" : "no", (single & CL_FP_DENORM) ? "yes" : "no",
         fp64 ? "; denormals (f64): " : "", fp64 ? ((dbl & CL_FP_DENORM) ? "yes" : "no") : "");
  print_dtypes(p, d);
}

/* Lists the devices of one platform; returns 0, or the OpenCL error that stopped it. */
static cl_int list_platform(cl_platform_id plat, unsigned p, cl_device_id default_dev) {
  char name[256], vendor[256], version[256];
  cli_platform_string(plat, CL_PLATFORM_NAME, name, sizeof name);
  cli_platform_string(plat, CL_PLATFORM_VENDOR, vendor, sizeof vendor);
  cli_platform_string(plat, CL_PLATFORM_VERSION, version, sizeof version);
  printf("platform %u: %s (%s), %s\n", p, name, vendor, version);
  cl_uint nd = 0;
  cl_int err = clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, 0, NULL, &nd);
  if (err == CL_DEVICE_NOT_FOUND || (err == CL_SUCCESS && nd == 0)) {
    printf("  (no devices)\n");
    return CL_SUCCESS;
  }
  if (err != CL_SUCCESS)
    return err;
  cl_device_id *ds = malloc(nd * sizeof *ds);
  if (!ds)
    return CL_OUT_OF_HOST_MEMORY;
  err = clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, nd, ds, NULL);
  for (cl_uint d = 0; d < nd && err == CL_SUCCESS; d++)
    print_device(ds[d], p, (unsigned)d, ds[d] == default_dev);
  free(ds);
  return err;
}

int cli_cmd_devices(int argc, char **argv) {
  int npos;
  int rc = cli_parse_args("devices", usage, argc, argv, NULL, 0, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (npos > 0) {
    fprintf(stderr,
            "clact devices: unexpected argument '%s' (it takes none; run 'clact devices "
            "--help')\n",
            argv[1]);
    return CLI_EXIT_USAGE;
  }
  cl_uint np = 0;
  cl_int err = clGetPlatformIDs(0, NULL, &np);
  if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no driver */ ||
      (err == CL_SUCCESS && np == 0)) {
    fprintf(stderr, "clact devices: no OpenCL platform found (install pocl-opencl-icd or a GPU "
                    "driver)\n");
    return CLI_EXIT_DEVICE;
  }
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clact devices: clGetPlatformIDs failed: %s (status %d)\n",
            clact_status_string((clact_status)err), (int)err);
    return CLI_EXIT_DEVICE;
  }
  cl_platform_id *ps = malloc(np * sizeof *ps);
  if (!ps) {
    fprintf(stderr, "clact devices: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  err = clGetPlatformIDs(np, ps, NULL);

  /* The default is whatever the library picks for a NULL spec; asking it keeps the two in step
   * (CLACT_DEVICE included). */
  clact_context *def = NULL;
  clact_status def_st = clact_context_create(&def, NULL);
  cl_device_id default_dev = def_st == CLACT_SUCCESS ? clact_context_device(def) : NULL;

  printf("clact %s: %u OpenCL platform%s\n", clact_version(), (unsigned)np, np == 1 ? "" : "s");
  for (cl_uint p = 0; p < np && err == CL_SUCCESS; p++)
    err = list_platform(ps[p], (unsigned)p, default_dev);
  if (err == CL_SUCCESS) {
    if (default_dev) {
      printf("* default device (CLACT_DEVICE if set, else the first GPU, else the first device)\n");
    } else {
      const char *env = getenv("CLACT_DEVICE");
      printf("no default device: %s%s%s\n", clact_status_string(def_st),
             env && *env ? "; CLACT_DEVICE=" : "", env && *env ? env : "");
    }
  }
  clact_context_destroy(def);
  free(ps);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clact devices: listing the devices failed: %s (status %d)\n",
            clact_status_string((clact_status)err), (int)err);
    return CLI_EXIT_DEVICE;
  }
  return CLI_EXIT_OK;
}
