/* host/cli/main.c: the clact command: usage, exit codes, and dispatch to the subcommands
 * (devices, list, check, bench, apply, table, plot), each in its own cmd_*.c. */
#include "cli.h"

#include <string.h>

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"devices", cli_cmd_devices, "list OpenCL platforms and devices (the P:D of --device)"},
    {"list", cli_cmd_list, "list the activations: synonyms, parameters, directions, bounds"},
    {"check", cli_cmd_check, "verify device results against the scalar reference"},
    {"bench", cli_cmd_bench, "measure throughput, as a ratio to a copy kernel"},
    {"apply", cli_cmd_apply, "run an activation on a NumPy .npy file, write a .npy file"},
    {"table", cli_cmd_table, "the properties table, declared and measured on the device"},
    {"plot", cli_cmd_plot, "SVG plots of activations and derivatives, computed on the device"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f) {
  fprintf(f,
          "usage: clact COMMAND [OPTIONS] [ID...]\n"
          "\n"
          "clact %s: OpenCL kernels of neural-network activation functions, forward and\n"
          "backward, checked against a double-precision scalar reference.\n"
          "\n"
          "commands:\n",
          clact_version());
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fputs("\n"
        "Run 'clact COMMAND --help' for a command's options. IDs are activation ids or\n"
        "synonyms (see 'clact list'); none means every activation.\n"
        "\n"
        "device (check, bench): --device P:D, else $CLACT_DEVICE, else the first GPU, else the\n"
        "first device of any platform.\n"
        "\n"
        "exit status:\n"
        "  0  success\n"
        "  1  a check found results outside the accuracy bound\n"
        "  2  usage error: unknown command or option, missing or invalid option value\n"
        "  3  input error: unknown activation id, output file that cannot be written\n"
        "  4  device error: no OpenCL platform or device, OpenCL error, kernel build failure\n",
        f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    /* "clact help CMD" is "clact CMD --help". */
    if (strcmp(name, "help") == 0 && argc > 2) {
      for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[2], commands[i].name) == 0) {
          char help[] = "--help";
          char *args[] = {argv[2], help, NULL};
          return commands[i].run(2, args);
        }
      }
      fprintf(stderr, "clact help: unknown command '%s' (run 'clact --help' for the commands)\n",
              argv[2]);
      return CLI_EXIT_USAGE;
    }
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0) {
    printf("clact %s\n", clact_version());
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < NCOMMANDS; i++) {
    if (strcmp(name, commands[i].name) == 0) {
      int rc = commands[i].run(argc - 1, argv + 1);
      /* Output that never arrived (a full disk, a closed pipe) is not a success. */
      if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "clact %s: writing the output failed\n", name);
        return rc == CLI_HELP || rc == CLI_EXIT_OK ? CLI_EXIT_INPUT : rc;
      }
      return rc == CLI_HELP ? CLI_EXIT_OK : rc;
    }
  }
  fprintf(stderr, "clact: unknown %s '%s' (run 'clact --help' for the commands)\n",
          name[0] == '-' ? "option" : "command", name);
  return CLI_EXIT_USAGE;
}
