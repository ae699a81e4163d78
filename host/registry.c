/* host/registry.c: the registry (activations.def) as data: info rows, name lookup, parameters
 * (defaults, ranges, cross-parameter constraints), dtype and direction names. */
#include "internal.h"

#include <math.h>
#include <string.h>

static const clact_info info_table[CLACT_ACTIVATION_COUNT] = {
#define CLACT_ACTIVATION(ID, name, synonyms, nparams, from_y, constraint, accuracy, fwd_elems,     \
                         bwd_elems, range, continuity, monotonic, dmonotonic, identity0)           \
  [CLACT_##ID] = {CLACT_##ID,                                                                      \
                  #name,                                                                           \
                  synonyms,                                                                        \
                  nparams,                                                                         \
                  {{0}},                                                                           \
                  CLACT_FROM_Y_##from_y,                                                           \
                  CLACT_CONSTRAINT_##constraint,                                                   \
                  CLACT_ACCURACY_##accuracy,                                                       \
                  fwd_elems,                                                                       \
                  bwd_elems,                                                                       \
                  range,                                                                           \
                  continuity,                                                                      \
                  monotonic,                                                                       \
                  dmonotonic,                                                                      \
                  identity0},
#include "clact/activations.def"
};

/* Parameter rows live apart from their activation rows in the .def; they are merged into the
 * info table once, at first use (the table above cannot nest them statically). */
typedef struct param_row {
  clact_activation act;
  int index;
  clact_param_info info;
} param_row;
static const param_row param_rows[] = {
#define CLACT_PARAM(ID, index, name, def, min, max, flags)                                         \
  {CLACT_##ID, index, {name, def, min, max, flags}},
#include "clact/activations.def"
};

static clact_info merged[CLACT_ACTIVATION_COUNT];
static once_flag merged_once = ONCE_FLAG_INIT;

static void merge(void) {
  memcpy(merged, info_table, sizeof merged);
  for (size_t i = 0; i < sizeof param_rows / sizeof param_rows[0]; i++)
    merged[param_rows[i].act].params[param_rows[i].index] = param_rows[i].info;
}

const clact_info *clact_get_info(clact_activation act) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT)
    return NULL;
  call_once(&merged_once, merge);
  return &merged[act];
}

const char *clact_name(clact_activation act) {
  return (unsigned)act < CLACT_ACTIVATION_COUNT ? info_table[act].name : "?";
}

/* Whether `name` is one of the comma-separated entries of `list`. */
static int in_list(const char *list, const char *name) {
  size_t len = strlen(name);
  for (const char *s = list; *s;) {
    const char *end = strchr(s, ',');
    size_t n = end ? (size_t)(end - s) : strlen(s);
    if (n == len && memcmp(s, name, n) == 0)
      return 1;
    s += n + (end ? 1 : 0);
  }
  return 0;
}

clact_status clact_lookup(const char *name, clact_activation *act) {
  if (!name || !act)
    return CLACT_ERROR_NULL_ARGUMENT;
  if (!*name)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  for (int i = 0; i < CLACT_ACTIVATION_COUNT; i++) {
    if (strcmp(info_table[i].name, name) == 0 || in_list(info_table[i].synonyms, name)) {
      *act = (clact_activation)i;
      return CLACT_SUCCESS;
    }
  }
  return CLACT_ERROR_UNKNOWN_ACTIVATION;
}

static const char *const dtype_names[CLACT_DTYPE_COUNT] = {"f32", "f16", "bf16", "f64"};
static const size_t dtype_sizes[CLACT_DTYPE_COUNT] = {4, 2, 2, 8};
static const char *const direction_names[CLACT_DIRECTION_COUNT] = {"forward", "backward",
                                                                   "backward_from_y"};

const char *clact_dtype_name(clact_dtype dtype) {
  return (unsigned)dtype < CLACT_DTYPE_COUNT ? dtype_names[dtype] : "?";
}

size_t clact_dtype_size(clact_dtype dtype) {
  return (unsigned)dtype < CLACT_DTYPE_COUNT ? dtype_sizes[dtype] : 0;
}

clact_status clact_dtype_lookup(const char *name, clact_dtype *dtype) {
  if (!name || !dtype)
    return CLACT_ERROR_NULL_ARGUMENT;
  for (int i = 0; i < CLACT_DTYPE_COUNT; i++) {
    if (strcmp(dtype_names[i], name) == 0) {
      *dtype = (clact_dtype)i;
      return CLACT_SUCCESS;
    }
  }
  return CLACT_ERROR_UNSUPPORTED_DTYPE;
}

const char *clact_direction_name(clact_direction dir) {
  return (unsigned)dir < CLACT_DIRECTION_COUNT ? direction_names[dir] : "?";
}

double clact_accuracy_ulp(clact_accuracy acc) {
  switch (acc) {
  case CLACT_ACCURACY_EXACT:
    return 0.0;
  case CLACT_ACCURACY_SIMPLE:
    return 1.0;
  case CLACT_ACCURACY_EXP:
    return 2.0;
  case CLACT_ACCURACY_COMPOSITE:
    return 4.0;
  }
  return 0.0;
}

clact_params clact_params_default(void) {
  clact_params p;
  memset(&p, 0, sizeof p);
  return p;
}

clact_status clact_params_set(clact_activation act, clact_params *params, const char *name,
                              double value) {
  const clact_info *info = clact_get_info(act);
  if (!info)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  if (!params || !name)
    return CLACT_ERROR_NULL_ARGUMENT;
  for (int i = 0; i < info->nparams; i++) {
    if (strcmp(info->params[i].name, name) == 0) {
      params->value[i] = value;
      params->set |= 1u << i;
      return CLACT_SUCCESS;
    }
  }
  return CLACT_ERROR_UNKNOWN_PARAMETER;
}

static int in_range(const clact_param_info *pi, double v) {
  if (isnan(v))
    return 0;
  if (v < pi->min || ((pi->flags & CLACT_PARAM_MIN_OPEN) && v == pi->min))
    return 0;
  if (v > pi->max || ((pi->flags & CLACT_PARAM_MAX_OPEN) && v == pi->max))
    return 0;
  return 1;
}

/* The registry's cross-parameter constraint on resolved values. */
static int constraint_holds(const clact_info *info, const double *v) {
  switch (info->constraint) {
  case CLACT_CONSTRAINT_NONE:
    return 1;
  case CLACT_CONSTRAINT_P0_LE_P1:
    return v[0] <= v[1];
  case CLACT_CONSTRAINT_P0_NONZERO:
    return v[0] != 0;
  }
  return 0;
}

clact_status clact_params_resolve(clact_activation act, const clact_params *params,
                                  double out[CLACT_MAX_PARAMS]) {
  const clact_info *info = clact_get_info(act);
  if (!info)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  if (!out)
    return CLACT_ERROR_NULL_ARGUMENT;
  if (params && (params->set >> info->nparams) != 0)
    return CLACT_ERROR_UNKNOWN_PARAMETER; /* a value given for a parameter that does not exist */
  double v[CLACT_MAX_PARAMS] = {0};
  for (int i = 0; i < info->nparams; i++) {
    v[i] = (params && (params->set & (1u << i))) ? params->value[i] : info->params[i].def;
    if (!in_range(&info->params[i], v[i]))
      return CLACT_ERROR_PARAMETER_RANGE;
  }
  if (!constraint_holds(info, v))
    return CLACT_ERROR_PARAMETER_RANGE;
  memcpy(out, v, sizeof v);
  return CLACT_SUCCESS;
}

int clact__from_y_allowed(clact_activation act, const double *resolved) {
  switch (clact_get_info(act)->from_y) {
  case CLACT_FROM_Y_NO:
    return 0;
  case CLACT_FROM_Y_YES:
    return 1;
  case CLACT_FROM_Y_P0_POSITIVE:
    return resolved[0] > 0;
  case CLACT_FROM_Y_P1_LE_P0:
    return resolved[1] <= resolved[0];
  case CLACT_FROM_Y_P2_P3_POSITIVE:
    return resolved[2] > 0 && resolved[3] > 0;
  }
  return 0;
}

clact_status clact_has_backward_from_y(clact_activation act, const clact_params *params) {
  double v[CLACT_MAX_PARAMS];
  clact_status st = clact_params_resolve(act, params, v);
  if (st != CLACT_SUCCESS)
    return st;
  return clact__from_y_allowed(act, v) ? CLACT_SUCCESS : CLACT_ERROR_NO_FROM_Y;
}

clact_status clact__params_for_dtype(clact_activation act, const clact_params *params,
                                     clact_dtype dtype, double out[CLACT_MAX_PARAMS]) {
  double v[CLACT_MAX_PARAMS];
  clact_status st = clact_params_resolve(act, params, v);
  if (st != CLACT_SUCCESS)
    return st;
  const clact_info *info = clact_get_info(act);
  /* Kernels of the 32-bit compute types see float parameters: a value valid as a double can
   * round out of range (1e-50 -> 0, 1e300 -> inf), so the rounded value is checked again. */
  for (int i = 0; i < CLACT_MAX_PARAMS; i++) {
    out[i] = dtype == CLACT_F64 ? v[i] : (double)(float)v[i];
    if (i < info->nparams && !in_range(&info->params[i], out[i]))
      return CLACT_ERROR_PARAMETER_RANGE;
  }
  if (!constraint_holds(info, out))
    return CLACT_ERROR_PARAMETER_RANGE;
  return CLACT_SUCCESS;
}
