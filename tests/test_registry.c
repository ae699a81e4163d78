/* tests/test_registry.c: the registry's consistency and lookups, without a device: every id and
 * synonym finds its activation and no name is claimed twice; parameter rows are complete and
 * their defaults valid; setting, resolving and validating parameters; names of dtypes and
 * directions. */
#include "test_util.h"

#include <math.h>

/* Calls fn(name) for every comma-separated entry of a synonym list. */
static void each_synonym(const char *list, void (*fn)(const char *, clact_activation),
                         clact_activation act) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", list);
  for (char *s = buf; *s;) {
    char *end = strchr(s, ',');
    if (end)
      *end = '\0';
    fn(s, act);
    if (!end)
      break;
    s = end + 1;
  }
}

static void finds(const char *name, clact_activation want) {
  clact_activation got = CLACT_ACTIVATION_COUNT;
  EXPECT_STATUS(clact_lookup(name, &got), CLACT_SUCCESS);
  if (got != want)
    fprintf(stderr, "lookup(%s) found %s, expected %s\n", name, clact_name(got), clact_name(want));
  EXPECT(got == want);
}

/* No name is both a canonical id and a synonym, or two synonyms of different activations. */
static void unique(const char *name, clact_activation owner) {
  int claims = 0;
  for (int i = 0; i < CLACT_ACTIVATION_COUNT; i++) {
    const clact_info *in = clact_get_info((clact_activation)i);
    claims += strcmp(in->name, name) == 0;
    char pattern[128];
    snprintf(pattern, sizeof pattern, ",%s,", name);
    char list[300];
    snprintf(list, sizeof list, ",%s,", in->synonyms);
    claims += strstr(list, pattern) != NULL;
  }
  if (claims != 1)
    fprintf(stderr, "name %s (of %s) is claimed %d times\n", name, clact_name(owner), claims);
  EXPECT(claims == 1);
}

static int valid(const clact_param_info *p, double v) {
  if (isnan(v) || v < p->min || v > p->max)
    return 0;
  if ((p->flags & CLACT_PARAM_MIN_OPEN) && v == p->min)
    return 0;
  return !((p->flags & CLACT_PARAM_MAX_OPEN) && v == p->max);
}

static void test_rows(void) {
  for (int i = 0; i < CLACT_ACTIVATION_COUNT; i++) {
    clact_activation act = (clact_activation)i;
    const clact_info *in = clact_get_info(act);
    EXPECT(in && in->id == act && in->name && *in->name);
    EXPECT(strcmp(clact_name(act), in->name) == 0);
    finds(in->name, act);
    unique(in->name, act);
    each_synonym(in->synonyms, finds, act);
    each_synonym(in->synonyms, unique, act);
    EXPECT(in->nparams >= 0 && in->nparams <= CLACT_MAX_PARAMS);
    EXPECT(in->fwd_elems == 2 && in->bwd_elems == 3); /* elementwise: x->y; x,dy->dx */
    EXPECT(in->range && in->continuity && in->monotonic && in->dmonotonic && in->identity0);
    double resolved[CLACT_MAX_PARAMS];
    EXPECT_STATUS(clact_params_resolve(act, NULL, resolved), CLACT_SUCCESS);
    for (int k = 0; k < in->nparams; k++) {
      const clact_param_info *p = &in->params[k];
      EXPECT(p->name && *p->name); /* every parameter has its CLACT_PARAM row */
      EXPECT(valid(p, p->def));
      EXPECT(resolved[k] == p->def);
      for (int m = 0; m < k; m++)
        EXPECT(strcmp(p->name, in->params[m].name) != 0);
    }
    for (int k = in->nparams; k < CLACT_MAX_PARAMS; k++)
      EXPECT(in->params[k].name == NULL && resolved[k] == 0);
  }
  EXPECT(clact_get_info(CLACT_ACTIVATION_COUNT) == NULL);
  EXPECT(clact_get_info((clact_activation)-1) == NULL);
  EXPECT(strcmp(clact_name(CLACT_ACTIVATION_COUNT), "?") == 0);
}

static void test_lookup_errors(void) {
  clact_activation a;
  EXPECT_STATUS(clact_lookup(NULL, &a), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_lookup("relu", NULL), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_lookup("", &a), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_lookup("GELU", &a), CLACT_ERROR_UNKNOWN_ACTIVATION); /* case-sensitive */
  EXPECT_STATUS(clact_lookup("gel", &a), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_lookup("gelu,", &a), CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_lookup("ramp,rectifier", &a), CLACT_ERROR_UNKNOWN_ACTIVATION);
  finds("swish1", CLACT_SILU);
  finds("gelu_pytorch_tanh", CLACT_GELU_TANH);
  finds("logistic", CLACT_SIGMOID);
}

static void test_params(void) {
  clact_params p = clact_params_default();
  double v[CLACT_MAX_PARAMS];
  EXPECT(p.set == 0);
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "nope", 1.0), CLACT_ERROR_UNKNOWN_PARAMETER);
  EXPECT_STATUS(clact_params_set(CLACT_RELU, &p, "slope", 1.0), CLACT_ERROR_UNKNOWN_PARAMETER);
  EXPECT_STATUS(clact_params_set(CLACT_ACTIVATION_COUNT, &p, "beta", 1.0),
                CLACT_ERROR_UNKNOWN_ACTIVATION);
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, NULL, "beta", 1.0), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "threshold", 5.0), CLACT_SUCCESS);
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, &p, v), CLACT_SUCCESS);
  EXPECT(v[0] == 1.0 && v[1] == 5.0); /* beta default, threshold given */
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "beta", 0.0), CLACT_SUCCESS);
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, &p, v), CLACT_ERROR_PARAMETER_RANGE);
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "beta", INFINITY), CLACT_SUCCESS);
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, &p, v), CLACT_ERROR_PARAMETER_RANGE);
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "beta", 2.0), CLACT_SUCCESS);
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "threshold", -INFINITY), CLACT_SUCCESS);
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, &p, v), CLACT_SUCCESS); /* closed range */
  EXPECT_STATUS(clact_params_set(CLACT_SOFTPLUS, &p, "threshold", NAN), CLACT_SUCCESS);
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, &p, v), CLACT_ERROR_PARAMETER_RANGE);
  clact_params q = clact_params_default();
  q.set = 1u << 2; /* softplus has two parameters */
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, &q, v), CLACT_ERROR_UNKNOWN_PARAMETER);
  EXPECT_STATUS(clact_params_resolve(CLACT_SOFTPLUS, NULL, NULL), CLACT_ERROR_NULL_ARGUMENT);
  EXPECT_STATUS(clact_has_backward_from_y(CLACT_ELU, NULL), CLACT_SUCCESS);
  q = clact_params_default();
  EXPECT_STATUS(clact_params_set(CLACT_ELU, &q, "alpha", -1.0), CLACT_SUCCESS);
  EXPECT_STATUS(clact_has_backward_from_y(CLACT_ELU, &q), CLACT_ERROR_NO_FROM_Y);
}

static void test_names(void) {
  clact_dtype d;
  const char *names[] = {"f32", "f16", "bf16", "f64"};
  for (int i = 0; i < CLACT_DTYPE_COUNT; i++) {
    EXPECT_STATUS(clact_dtype_lookup(names[i], &d), CLACT_SUCCESS);
    EXPECT(d == (clact_dtype)i && strcmp(clact_dtype_name(d), names[i]) == 0);
  }
  EXPECT(clact_dtype_size(CLACT_F32) == 4 && clact_dtype_size(CLACT_F16) == 2 &&
         clact_dtype_size(CLACT_BF16) == 2 && clact_dtype_size(CLACT_F64) == 8);
  EXPECT_STATUS(clact_dtype_lookup("f8", &d), CLACT_ERROR_UNSUPPORTED_DTYPE);
  EXPECT(strcmp(clact_direction_name(CLACT_BACKWARD_FROM_Y), "backward_from_y") == 0);
  EXPECT(strcmp(clact_direction_name(CLACT_DIRECTION_COUNT), "?") == 0);
  EXPECT(clact_accuracy_ulp(CLACT_ACCURACY_EXACT) == 0 &&
         clact_accuracy_ulp(CLACT_ACCURACY_COMPOSITE) == 4);
  EXPECT(strcmp(clact_version(), "0.1.0") == 0);
}

int main(void) {
  test_rows();
  test_lookup_errors();
  test_params();
  test_names();
  return test_result();
}
