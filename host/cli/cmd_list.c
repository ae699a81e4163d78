/* host/cli/cmd_list.c: `clact list [--json]`: every activation of the registry with its
 * synonyms, parameters (defaults, valid ranges), directions (with the condition of backward
 * from y), forward accuracy bound and properties, then the structured operations (softmax, ...:
 * include/clact/structured.def). Everything printed comes from clact_get_info and
 * clact_structured_get_info: a new registry row shows up here with no change to this file. */
#include "channel_cli.h"
#include "cli.h"

#include <string.h>

static const char usage[] =
    "usage: clact list [--json]\n"
    "\n"
    "Lists every activation: id, synonyms, parameters with defaults and valid ranges ('(' and\n"
    "')' exclude the bound, '[' and ']' include it), directions (backward_from_y with its\n"
    "condition where it has one), the forward accuracy bound, and the properties of\n"
    "CATALOGUE.md. The backward bound is one rule for every activation (ACCURACY.md).\n"
    "Then the structured operations, which act along the rows of a rows x cols matrix\n"
    "(softmax family, GLU family, crelu, sparsemax, maxout, rrelu_train; docs/structured.md),\n"
    "with their output row width and bounds. In --json they are objects with\n"
    "\"kind\": \"structured\" (the activations have \"kind\": \"elementwise\").\n"
    "\n"
    "options:\n"
    "  --json   print a JSON array of objects instead of text\n"
    "\n"
    "Exit status: 0 listed, 2 usage error.\n";

/* The backward bound, said once (ACCURACY.md). */
static const char backward_rule[] =
    "|dx - dx_ref| \xe2\x89\xa4 4 ulp(dx_ref) + 4 u |dy| M(x), u = 2^-24 (f32), M(x) = the sum of "
    "the magnitudes of the terms of f'(x)";

/* The structured operations' output width, as text: "cols", "cols/2", "2 cols", "cols/k". */
static const char *out_width_text(const clact_structured_info *si, char *buf, size_t size) {
  char div[64] = "";
  if (si->out_div != 1 && si->out_param >= 0)
    snprintf(div, sizeof div, "/(%d %s)", si->out_div, si->params[si->out_param].name);
  else if (si->out_param >= 0)
    snprintf(div, sizeof div, "/%s", si->params[si->out_param].name);
  else if (si->out_div != 1)
    snprintf(div, sizeof div, "/%d", si->out_div);
  if (si->out_mul != 1)
    snprintf(buf, size, "%d cols%s", si->out_mul, div);
  else
    snprintf(buf, size, "cols%s", div);
  return buf;
}

/* When backward_from_y exists: "yes", "no", or its condition on the parameters. */
static const char *from_y_text(const clact_info *in, char *buf, size_t size) {
  switch (in->from_y) {
  case CLACT_FROM_Y_YES:
    return "yes";
  case CLACT_FROM_Y_P0_POSITIVE:
    snprintf(buf, size, "if %s > 0", in->nparams > 0 ? in->params[0].name : "p0");
    return buf;
  case CLACT_FROM_Y_P1_LE_P0:
    snprintf(buf, size, "if %s \xe2\x89\xa4 %s", in->nparams > 1 ? in->params[1].name : "p1",
             in->nparams > 0 ? in->params[0].name : "p0");
    return buf;
  case CLACT_FROM_Y_P2_P3_POSITIVE:
    snprintf(buf, size, "if %s > 0 and %s > 0", in->nparams > 2 ? in->params[2].name : "p2",
             in->nparams > 3 ? in->params[3].name : "p3");
    return buf;
  case CLACT_FROM_Y_NO:
    break;
  }
  return "no";
}

static const char *constraint_text(const clact_info *in, char *buf, size_t size) {
  if (in->constraint == CLACT_CONSTRAINT_P0_LE_P1 && in->nparams >= 2) {
    snprintf(buf, size, "%s \xe2\x89\xa4 %s", in->params[0].name, in->params[1].name);
    return buf;
  }
  if (in->constraint == CLACT_CONSTRAINT_P0_NONZERO && in->nparams >= 1) {
    snprintf(buf, size, "%s \xe2\x89\xa0 0", in->params[0].name);
    return buf;
  }
  return NULL;
}

/* "forward, backward, backward_from_y if slope > 0" */
static const char *directions_text(const clact_info *in, char *buf, size_t size) {
  char cond[64];
  const char *fy = from_y_text(in, cond, sizeof cond);
  if (strcmp(fy, "no") == 0)
    snprintf(buf, size, "forward, backward");
  else if (strcmp(fy, "yes") == 0)
    snprintf(buf, size, "forward, backward, backward_from_y");
  else
    snprintf(buf, size, "forward, backward, backward_from_y %s", fy);
  return buf;
}

/* Synonyms with a space after each comma, "-" if none. */
static const char *synonyms_text(const clact_info *in, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (const char *s = in->synonyms; *s && n + 3 < size; s++) {
    buf[n++] = *s;
    if (*s == ',')
      buf[n++] = ' ';
  }
  buf[n] = '\0';
  return n ? buf : "-";
}

static void print_text(void) {
  printf("clact %s: %d activations\n\n", clact_version(), (int)CLACT_ACTIVATION_COUNT);
  printf("%-13s %-14s %-48s %s\n", "activation", "forward bound", "directions", "synonyms");
  for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++) {
    const clact_info *in = clact_get_info((clact_activation)a);
    char bound[32], dirs[128], syn[256], range[96], cons[96];
    printf("%-13s ", in->name);
    cli_pad(stdout, cli_bound_text(in->accuracy, bound, sizeof bound), 14);
    printf(" %-48s %s\n", directions_text(in, dirs, sizeof dirs),
           synonyms_text(in, syn, sizeof syn));
    for (int p = 0; p < in->nparams; p++)
      printf("    parameter %s = %g, valid in %s\n", in->params[p].name, in->params[p].def,
             cli_range_text(&in->params[p], range, sizeof range));
    if (constraint_text(in, cons, sizeof cons))
      printf("    constraint %s\n", cons);
    printf("    range %s; %s; monotonic %s; f' monotonic %s; identity near 0 %s\n", in->range,
           in->continuity, in->monotonic, in->dmonotonic, in->identity0);
  }
  printf("\nbackward bound (every activation, backward and backward_from_y):\n  %s\n",
         backward_rule);
  printf("\n%d structured operations (along each row of a rows x cols matrix; "
         "docs/structured.md):\n\n",
         (int)CLACT_STRUCTURED_COUNT);
  printf("%-13s %-15s %-18s %s\n", "operation", "backward from", "output row width", "what");
  for (int k = 0; k < CLACT_STRUCTURED_COUNT; k++) {
    const clact_structured_info *si = clact_structured_get_info((clact_structured)k);
    printf("%-13s ", si->name);
    char wbuf[64];
    printf("%-15s %-18s %s\n", si->backward_from_y ? "y (from_y)" : "x",
           out_width_text(si, wbuf, sizeof wbuf), si->summary);
    printf("    forward bound %s\n    backward bound %s\n", si->forward_bound, si->backward_bound);
    char range[96];
    for (int p = 0; p < si->nparams; p++)
      printf("    parameter %s = %g, valid in %s\n", si->params[p].name, si->params[p].def,
             cli_range_text(&si->params[p], range, sizeof range));
  }
  printf("\n(every structured operation has forward; GLU family: rows of 2d, value a and gate g, "
         "y = s phi(g), s = a (gpt-oss form: a + 1), phi the gate activation with its own bound "
         "b ulp)\n");
  cli_channel_list(stdout);
}

/* "key": value pairs of one object are written by these, with the separator before. */
static void print_json_one(FILE *f, const clact_info *in) {
  char buf[128];
  cli_json_key(f, "id", 1);
  cli_json_string(f, in->name);
  cli_json_key(f, "kind", 0);
  cli_json_string(f, "elementwise");
  cli_json_key(f, "synonyms", 0);
  fputc('[', f);
  /* the registry's comma-separated list as an array */
  const char *s = in->synonyms;
  for (int first = 1; *s; first = 0) {
    const char *end = strchr(s, ',');
    size_t len = end ? (size_t)(end - s) : strlen(s);
    snprintf(buf, sizeof buf, "%.*s", (int)len, s);
    fputs(first ? "" : ", ", f);
    cli_json_string(f, buf);
    s += len + (end ? 1 : 0);
  }
  fputc(']', f);
  cli_json_key(f, "parameters", 0);
  fputc('[', f);
  for (int p = 0; p < in->nparams; p++) {
    const clact_param_info *pi = &in->params[p];
    fputs(p ? ", {" : "{", f);
    cli_json_key(f, "name", 1);
    cli_json_string(f, pi->name);
    cli_json_key(f, "default", 0);
    cli_json_number(f, pi->def);
    /* JSON has no infinity: an unbounded side is null; "range" keeps the exact text. */
    cli_json_key(f, "min", 0);
    cli_json_number(f, pi->min);
    cli_json_key(f, "max", 0);
    cli_json_number(f, pi->max);
    cli_json_key(f, "min_open", 0);
    fputs((pi->flags & CLACT_PARAM_MIN_OPEN) ? "true" : "false", f);
    cli_json_key(f, "max_open", 0);
    fputs((pi->flags & CLACT_PARAM_MAX_OPEN) ? "true" : "false", f);
    cli_json_key(f, "range", 0);
    cli_json_string(f, cli_range_text(pi, buf, sizeof buf));
    fputc('}', f);
  }
  fputc(']', f);
  cli_json_key(f, "constraint", 0);
  const char *cons = constraint_text(in, buf, sizeof buf);
  if (cons)
    cli_json_string(f, cons);
  else
    fputs("null", f);
  cli_json_key(f, "directions", 0);
  fputs(in->from_y == CLACT_FROM_Y_NO ? "[\"forward\", \"backward\"]"
                                      : "[\"forward\", \"backward\", \"backward_from_y\"]",
        f);
  cli_json_key(f, "backward_from_y", 0);
  cli_json_string(f, from_y_text(in, buf, sizeof buf));
  cli_json_key(f, "forward_bound", 0);
  cli_json_string(f, cli_bound_text(in->accuracy, buf, sizeof buf));
  cli_json_key(f, "forward_bound_ulp", 0);
  cli_json_number(f, clact_accuracy_ulp(in->accuracy));
  cli_json_key(f, "bit_exact", 0);
  fputs(in->accuracy == CLACT_ACCURACY_EXACT ? "true" : "false", f);
  cli_json_key(f, "backward_bound", 0);
  cli_json_string(f, backward_rule);
  cli_json_key(f, "fwd_elems", 0);
  fprintf(f, "%d", in->fwd_elems);
  cli_json_key(f, "bwd_elems", 0);
  fprintf(f, "%d", in->bwd_elems);
  cli_json_key(f, "properties", 0);
  cli_json_properties(f, in);
}

/* A structured operation: the keys every object has (id, kind, parameters, directions,
 * forward_bound, backward_bound) and its own (summary, layout). */
static void print_json_structured(FILE *f, const clact_structured_info *si) {
  cli_json_key(f, "id", 1);
  cli_json_string(f, si->name);
  cli_json_key(f, "kind", 0);
  cli_json_string(f, "structured");
  cli_json_key(f, "summary", 0);
  cli_json_string(f, si->summary);
  cli_json_key(f, "layout", 0);
  cli_json_string(f, "rows x cols, along each row; row pitch per tensor");
  cli_json_key(f, "parameters", 0);
  fputc('[', f);
  char buf[128];
  for (int p = 0; p < si->nparams; p++) {
    const clact_param_info *pi = &si->params[p];
    fputs(p ? ", {" : "{", f);
    cli_json_key(f, "name", 1);
    cli_json_string(f, pi->name);
    cli_json_key(f, "default", 0);
    cli_json_number(f, pi->def);
    cli_json_key(f, "range", 0);
    cli_json_string(f, cli_range_text(pi, buf, sizeof buf));
    fputc('}', f);
  }
  fputc(']', f);
  cli_json_key(f, "directions", 0);
  fputs(si->backward_from_y ? "[\"forward\", \"backward_from_y\"]" : "[\"forward\", \"backward\"]",
        f);
  cli_json_key(f, "forward_bound", 0);
  cli_json_string(f, si->forward_bound);
  cli_json_key(f, "backward_bound", 0);
  cli_json_string(f, si->backward_bound);
  cli_json_key(f, "out_width", 0);
  cli_json_string(f, out_width_text(si, buf, sizeof buf));
}

static void print_json(void) {
  fputs("[\n", stdout);
  for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++) {
    fputs("  {", stdout);
    print_json_one(stdout, clact_get_info((clact_activation)a));
    fputs("},\n", stdout); /* the structured operations follow: a comma after the last too */
  }
  for (int k = 0; k < CLACT_STRUCTURED_COUNT; k++) {
    fputs("  {", stdout);
    print_json_structured(stdout, clact_structured_get_info((clact_structured)k));
    fputs(k + 1 < CLACT_STRUCTURED_COUNT ? "},\n" : "}", stdout);
  }
  cli_channel_list_json(stdout, 1); /* the per-channel operations (prelu, apl) */
  fputs("\n]\n", stdout);
}

int cli_cmd_list(int argc, char **argv) {
  cli_opt opts[] = {{"--json", NULL, NULL}};
  int npos;
  int rc = cli_parse_args("list", usage, argc, argv, opts, 1, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (npos > 0) {
    fprintf(stderr,
            "clact list: unexpected argument '%s' (it lists every activation; run 'clact "
            "list --help')\n",
            argv[1]);
    return CLI_EXIT_USAGE;
  }
  if (opts[0].value)
    print_json();
  else
    print_text();
  return CLI_EXIT_OK;
}
