/* host/cli/cmd_table.c: `clact table [ID...]`: the classic comparison table of activation
 * functions (range, order of continuity, monotonic, monotone derivative, identity near the
 * origin), each property both DECLARED (the registry's strings, CATALOGUE.md) and MEASURED from
 * the device's float32 forward and backward outputs with the default parameters, and compared.
 * A disagreement fails the command (exit 1).
 *
 * The measurement (the rules are also in the usage text below; keep the two in step):
 * - Inputs, sorted ascending and deduplicated as float32: a uniform grid of 2^20 intervals over
 *   [-L, L], L = max(20, 2 max|p_i|) over the finite default parameters (every kink, step and
 *   threshold of the default functions lies well inside); a fine grid of step 1e-6 over
 *   [-1e-3, 1e-3]; ±10^-k for k = 7..37; 128 geometric points from L to FLT_MAX on each side;
 *   ±FLT_MAX and ±inf. About 1.05e6 inputs.
 * - Each input is evaluated at an even and at an odd element index (the only element-index
 *   dependence in the library, brelu's, is by parity): when the two results differ anywhere,
 *   the activation has two branches, each measured alone, and a property is measured Y only if
 *   it holds for both (range: the union; continuity: the lower order).
 * - f = forward(x), g = backward(x, dy = 1) = f'(x). Finite inputs where f is NaN are outside
 *   the domain and take no part in the other measurements; f(±inf) = NaN says that f has no
 *   limit there (sin), shown as "no limit", not a domain statement.
 * - Tolerances are the library's own error bounds (ACCURACY.md), so a difference that the bound
 *   allows is never read as a property: tf(x) = (b + 1) ulp(f(x)), b = the forward bound in ulp
 *   of the activation's accuracy group; tg(x) = 4 ulp(g(x)) + 4 u M(x), u = 2^-24, M(x) from
 *   clact_reference_derivative (the backward bound). They are computed only where a raw test
 *   fails.
 * - Range: min and max of f over all inputs (the limits at ±inf included). Agrees when each
 *   endpoint of the declared set's hull matches (inf with inf; a finite value within 1e-6
 *   relative, or, for a "≈" value, within half a unit of its last written digit), when every
 *   value of f lies in the declared set (its closure, same tolerances; "the integers": every
 *   finite value is an integer), and when f is NaN exactly for x < 0 if the declared range says
 *   "(NaN for x<0)", nowhere otherwise. Open and closed brackets are not compared: float32
 *   rounding attains open limits (sigmoid(-104) = 0, tanh(10) = 1).
 * - Continuity, over consecutive inputs a < b of [-L, L] (and of the declared "on (lo,hi)"
 *   domain) where f is finite: a jump in f when |f(b)-f(a)| > 4 max(|g(a)|,|g(b)|)(b-a) +
 *   tf(a) + tf(b) (a derivative that is a true bound of the slope forbids anything larger); a
 *   jump in f' when g is infinite at a finite x (f' unbounded) or |g(b)-g(a)| > 4 s (b-a) +
 *   tg(a) + tg(b), s = the larger of the finite-difference slopes of g two intervals to the
 *   left and to the right (clear of a jump split over two intervals by a point value between
 *   the sides); an interval is judged only when those two are in the domain as well (at an
 *   edge, e.g. log's f' = 1/x at x -> 0+, one side tells nothing about the steepness of f';
 *   the infinite f' at sqrt's edge is caught by the first clause). Measured C-1 (a jump in
 *   f), C0 (a jump in f'), else ">=C1": a grid cannot see higher orders. Declared C-1 and C0
 *   must be measured exactly; declared C1, C2, C∞ agree with ">=C1".
 * - brelu (the element-index-dependent activation) is measured per parity as said above: even
 *   elements relu, odd elements -relu(-x); both are C0, monotonic, with a monotone f' (one
 *   rising, one falling), f'(0) = 0: the row agrees with the union of the two.
 * - Monotonic: Y if g >= -tg everywhere and f never decreases by more than tf(a) + tf(b)
 *   between consecutive inputs, or the mirror image; else N.
 * - Monotone derivative: N if f has a jump (f' then holds a Dirac spike, as the classic table
 *   has it for the step functions); else Y if g never decreases by more than tg(a) + tg(b)
 *   between consecutive inputs, or never increases by more; else N.
 * - Identity near the origin: Y if |f(0)| <= 1e-6 and |g(x) - 1| <= 1e-4 for x = 0 and every
 *   input with |x| <= 1e-6 (the origin and its neighbourhood, both sides); else N.
 * - Declared values that depend on parameters ("Y if α≤1", "C1 if α=1", "(-α,inf)", "Y iff
 *   α=0", "(C0 if value=threshold)", ", else ...") are evaluated at the default parameters;
 *   "X if C" with C false, and "depends", are not comparable (shown with '~', never a failure).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: clact table [ID...] [--device P:D] [--json | --markdown]\n"
    "\n"
    "The classic comparison table of the activations given by id or synonym (none: all):\n"
    "range, order of continuity, monotonic, monotone derivative, identity near the origin.\n"
    "Each property is DECLARED (the registry, CATALOGUE.md) and MEASURED from the device's\n"
    "float32 forward and backward (dy = 1) outputs with the default parameters, then compared:\n"
    "'=' agree, '≠' disagree (the command fails), '~' not comparable (declared 'depends', or\n"
    "'X if C' with C false at the defaults).\n"
    "\n"
    "Measured over about 1.05e6 sorted float32 inputs: 2^20 intervals over [-L, L],\n"
    "L = max(20, 2 max|default parameter|); step 1e-6 over [-1e-3, 1e-3]; ±10^-k, k = 7..37;\n"
    "128 geometric points from L to FLT_MAX each side; ±FLT_MAX; ±inf. Each input runs at an\n"
    "even and an odd element index: if results differ (brelu), each parity is measured alone\n"
    "and a property holds only if it holds for both. Where f is NaN (finite x) is outside the\n"
    "domain; f(±inf) = NaN means no limit there (sin), not a domain statement.\n"
    "Tolerances are the library's error bounds (ACCURACY.md): tf = (bound+1) ulp(f) forward,\n"
    "tg = 4 ulp(f') + 4u M(x) backward.\n"
    "  range       min and max of f (limits at ±inf included) match the declared hull\n"
    "              (1e-6 relative; '≈v': half a unit of v's last digit), every value lies in\n"
    "              the declared set, NaN exactly where declared ('NaN for x<0'). Open and\n"
    "              closed brackets are not compared (float32 attains open limits).\n"
    "  continuity  on [-L, L] (and a declared 'on (a,b)'): a jump in f between neighbours a<b\n"
    "              if |f(b)-f(a)| > 4 max|f'| (b-a) + tf; a jump in f' if f' is infinite, or\n"
    "              |f'(b)-f'(a)| > 4 s (b-a) + tg, s = the larger slope of f' two intervals\n"
    "              away on either side (both must be in the domain: not judged at its edge).\n"
    "              Measured C-1 (jump in f), C0 (jump in f'), else >=C1. Declared C1, C2, C∞\n"
    "              agree with >=C1; C-1 and C0 must match exactly.\n"
    "  monotonic   Y if f' >= -tg everywhere and f never decreases (or the mirror image).\n"
    "  f' monot.   N if f jumps (f' has a Dirac spike); else Y if f' never decreases, or never\n"
    "              increases, beyond tg.\n"
    "  identity 0  Y if |f(0)| <= 1e-6 and |f'(x)-1| <= 1e-4 at x = 0 and for all |x| <= 1e-6.\n"
    "\n"
    "options:\n"
    "  --device P:D   device (see 'clact devices'); default $CLACT_DEVICE, else the first GPU,\n"
    "                 else the first device\n"
    "  --json         print a JSON object (results: one object per activation, with declared\n"
    "                 and measured fields) instead of the table\n"
    "  --markdown     print a markdown table instead (docs/table.md is made with it)\n"
    "\n"
    "Exit status: 0 every comparable property agrees, 1 a disagreement (listed), 2 usage error,\n"
    "3 unknown activation, 4 device or OpenCL error.\n";

/* ---- the grid --------------------------------------------------------------------------- */
#define DENSE_INTERVALS (1u << 20)
#define FINE_HALF 1000 /* fine grid: k * 1e-6 for |k| <= FINE_HALF */
#define FINE_STEP 1e-6
#define TINY_MIN_EXP 7
#define TINY_MAX_EXP 37
#define HUGE_POINTS 128
#define GRID_CAP                                                                                   \
  (DENSE_INTERVALS + 1 + 2 * FINE_HALF + 1 + 2 * (TINY_MAX_EXP - TINY_MIN_EXP + 1) +               \
   2 * (HUGE_POINTS + 2) + 8)

/* Appends v (as float32) when it is above the last value: the grid stays strictly ascending. */
static void grid_push(float *x, size_t *n, double v) {
  float f = (float)v;
  if (*n > 0 && !(f > x[*n - 1]))
    return;
  x[(*n)++] = f;
}

/* The sorted inputs for half-width L; returns their count. */
static size_t make_grid(float *x, double L) {
  size_t n = 0;
  grid_push(x, &n, -INFINITY);
  grid_push(x, &n, -FLT_MAX);
  for (int j = HUGE_POINTS - 1; j >= 1; j--) /* -FLT_MAX .. -L, geometric */
    grid_push(x, &n, -L * pow((double)FLT_MAX / L, (double)j / (HUGE_POINTS - 1)));
  const double fine_edge = FINE_HALF * FINE_STEP;
  double h = 2 * L / DENSE_INTERVALS;
  unsigned i = 0;
  for (; i <= DENSE_INTERVALS && -L + h * i < -fine_edge; i++)
    grid_push(x, &n, -L + h * i);
  for (int k = -FINE_HALF; k < 0; k++)
    grid_push(x, &n, k * FINE_STEP);
  for (int e = TINY_MIN_EXP; e <= TINY_MAX_EXP; e++)
    grid_push(x, &n, -pow(10.0, -e));
  grid_push(x, &n, 0.0);
  for (int e = TINY_MAX_EXP; e >= TINY_MIN_EXP; e--)
    grid_push(x, &n, pow(10.0, -e));
  for (int k = 1; k <= FINE_HALF; k++)
    grid_push(x, &n, k * FINE_STEP);
  for (; i <= DENSE_INTERVALS; i++)
    if (-L + h * i > fine_edge)
      grid_push(x, &n, -L + h * i);
  for (int j = 1; j <= HUGE_POINTS - 1; j++)
    grid_push(x, &n, L * pow((double)FLT_MAX / L, (double)j / (HUGE_POINTS - 1)));
  grid_push(x, &n, FLT_MAX);
  grid_push(x, &n, INFINITY);
  return n;
}

/* ---- declared values: a small parser of the registry's property strings ------------------ */
/* Grammar (what the rows use): expressions of numbers, inf, π, parameter names (α β λ stand for
 * alpha beta lambda), unary - and √, postfix ², * / (also implicit, "λα", "4α"), + -, and
 * parentheses; "≈" before a number marks it approximate. Sets: pieces "[a,b)" or "{a,b}" joined
 * by "∪", or "the integers". Conditions: comparison chains (< > = ≤ ≥ ≠) joined by " and ". */
typedef struct parser {
  const char *s;
  const clact_info *in;
  const double *p; /* default parameters */
  int bad;         /* the text is not understood: not comparable */
  int approx;      /* a "≈" was seen */
  double rel_tol;  /* relative tolerance of the approximate literals seen */
} parser;

static int peek(const parser *ps, const char *tok) {
  return strncmp(ps->s, tok, strlen(tok)) == 0;
}

static int eat(parser *ps, const char *tok) {
  if (!peek(ps, tok))
    return 0;
  ps->s += strlen(tok);
  return 1;
}

static const char *const greek[][2] = {
    {"\xce\xb1", "alpha"}, {"\xce\xb2", "beta"}, {"\xce\xbb", "lambda"}}; /* α β λ */
#define PI_UTF8 "\xcf\x80"                                                /* π */
#define SQRT_UTF8 "\xe2\x88\x9a"                                          /* √ */
#define SQUARE_UTF8 "\xc2\xb2"                                            /* ² */
#define APPROX_UTF8 "\xe2\x89\x88"                                        /* ≈ */
#define UNION_UTF8 "\xe2\x88\xaa"                                         /* ∪ */
#define INF_UTF8 "\xe2\x88\x9e"                                           /* ∞ */
#define LE_UTF8 "\xe2\x89\xa4"                                            /* ≤ */
#define GE_UTF8 "\xe2\x89\xa5"                                            /* ≥ */
#define NE_UTF8 "\xe2\x89\xa0"                                            /* ≠ */

static double param_value(parser *ps, const char *name, size_t len) {
  for (int i = 0; i < ps->in->nparams; i++)
    if (strlen(ps->in->params[i].name) == len && strncmp(ps->in->params[i].name, name, len) == 0)
      return ps->p[i];
  ps->bad = 1;
  return NAN;
}

static int starts_primary(const parser *ps) {
  unsigned char c = (unsigned char)*ps->s;
  if ((c >= '0' && c <= '9') || c == '.' || c == '(' || c == '_' || (c >= 'a' && c <= 'z'))
    return 1;
  if (peek(ps, PI_UTF8) || peek(ps, SQRT_UTF8))
    return 1;
  for (size_t g = 0; g < sizeof greek / sizeof greek[0]; g++)
    if (peek(ps, greek[g][0]))
      return 1;
  return 0;
}

static double parse_expr(parser *ps);

static double parse_primary(parser *ps) {
  double v = NAN;
  const char *s = ps->s;
  if (eat(ps, "(")) {
    v = parse_expr(ps);
    if (!eat(ps, ")"))
      ps->bad = 1;
  } else if ((*s >= '0' && *s <= '9') || *s == '.') {
    const char *e = s;
    int decimals = 0, dot = 0;
    for (; (*e >= '0' && *e <= '9') || (*e == '.' && !dot); e++) {
      decimals += dot;
      dot |= *e == '.';
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(e - s), s);
    v = strtod(buf, NULL);
    ps->s = e;
    if (ps->approx && v != 0) /* half a unit of the last written digit */
      ps->rel_tol = fmax(ps->rel_tol, 0.5 * pow(10.0, -decimals) / fabs(v));
  } else if (eat(ps, PI_UTF8)) {
    v = 3.14159265358979323846;
  } else if ((*s >= 'a' && *s <= 'z') || *s == '_') {
    const char *e = s;
    while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_')
      e++;
    size_t len = (size_t)(e - s);
    v = len == 3 && strncmp(s, "inf", 3) == 0 ? INFINITY : param_value(ps, s, len);
    ps->s = e;
  } else {
    size_t g = 0;
    for (; g < sizeof greek / sizeof greek[0]; g++)
      if (eat(ps, greek[g][0]))
        break;
    if (g < sizeof greek / sizeof greek[0])
      v = param_value(ps, greek[g][1], strlen(greek[g][1]));
    else
      ps->bad = 1;
  }
  while (eat(ps, SQUARE_UTF8))
    v *= v;
  return v;
}

static double parse_factor(parser *ps) {
  if (eat(ps, APPROX_UTF8)) {
    ps->approx = 1;
    return parse_factor(ps);
  }
  if (eat(ps, "-"))
    return -parse_factor(ps);
  if (eat(ps, "+"))
    return parse_factor(ps);
  if (eat(ps, SQRT_UTF8))
    return sqrt(parse_factor(ps));
  return parse_primary(ps);
}

static double parse_term(parser *ps) {
  double v = parse_factor(ps);
  while (!ps->bad) {
    if (eat(ps, "/"))
      v /= parse_factor(ps);
    else if (eat(ps, "*") || starts_primary(ps)) /* implicit products too: "λα", "4α" */
      v *= parse_factor(ps);
    else
      break;
  }
  return v;
}

static double parse_expr(parser *ps) {
  double v = parse_term(ps);
  while (!ps->bad) {
    if (eat(ps, "+"))
      v += parse_term(ps);
    else if (eat(ps, "-"))
      v -= parse_term(ps);
    else
      break;
  }
  return v;
}

/* A condition at the default parameters: 1 true, 0 false (ps->bad when not understood). */
static int parse_cond(parser *ps) {
  int truth = 1;
  do {
    double a = parse_expr(ps);
    int nops = 0;
    for (;;) {
      int op;
      if (eat(ps, LE_UTF8))
        op = 'l';
      else if (eat(ps, GE_UTF8))
        op = 'g';
      else if (eat(ps, NE_UTF8))
        op = 'n';
      else if (eat(ps, "<"))
        op = '<';
      else if (eat(ps, ">"))
        op = '>';
      else if (eat(ps, "="))
        op = '=';
      else
        break;
      double b = parse_expr(ps);
      int r = op == 'l'   ? a <= b
              : op == 'g' ? a >= b
              : op == 'n' ? a != b
              : op == '<' ? a < b
              : op == '>' ? a > b
                          : a == b;
      truth &= r;
      a = b;
      nops++;
    }
    if (nops == 0)
      ps->bad = 1;
  } while (!ps->bad && eat(ps, " and "));
  return truth;
}

/* ---- declared range ---------------------------------------------------------------------- */
#define MAX_PIECES 6
typedef struct piece {
  double lo, hi;   /* closure of the piece (a point: lo == hi) */
  double tlo, thi; /* tolerances of the endpoints */
} piece;

typedef struct dset {
  int comparable;
  int integers; /* "the integers" */
  int npieces;
  piece pc[MAX_PIECES];
  int nan_neg;   /* "(NaN for x<0)" */
  double inf_lo; /* the hull */
  double sup_hi;
  double tinf, tsup;
  char why[128]; /* when not comparable */
} dset;

/* The tolerance of a declared value: 1e-6 relative, or the approximate literal's. */
static double value_tol(const parser *ps, double v) {
  if (isinf(v))
    return 0;
  return fmax(1e-6 * fabs(v) + 1e-37, ps->approx ? ps->rel_tol * fabs(v) : 0);
}

static double parse_value(parser *ps, double *tol) {
  ps->approx = 0;
  ps->rel_tol = 0;
  double v = parse_expr(ps);
  *tol = value_tol(ps, v);
  return v;
}

static void parse_pieces(parser *ps, dset *d) {
  d->npieces = 0;
  do {
    if (d->npieces + 2 > MAX_PIECES) {
      ps->bad = 1;
      return;
    }
    if (eat(ps, "{")) {
      do {
        piece *pc = &d->pc[d->npieces++];
        pc->lo = pc->hi = parse_value(ps, &pc->tlo);
        pc->thi = pc->tlo;
      } while (!ps->bad && d->npieces < MAX_PIECES && eat(ps, ","));
      if (!eat(ps, "}"))
        ps->bad = 1;
    } else if (eat(ps, "[") || eat(ps, "(")) {
      piece *pc = &d->pc[d->npieces++];
      pc->lo = parse_value(ps, &pc->tlo);
      if (!eat(ps, ","))
        ps->bad = 1;
      pc->hi = parse_value(ps, &pc->thi);
      if (!eat(ps, "]") && !eat(ps, ")"))
        ps->bad = 1;
    } else {
      ps->bad = 1;
    }
  } while (!ps->bad && eat(ps, UNION_UTF8));
}

/* Skips a parenthesised note starting at ps->s (after " ("), returning its text span. */
static int take_note(parser *ps, const char **start, size_t *len) {
  int depth = 1;
  const char *s = ps->s;
  *start = s;
  for (; *s && depth; s++)
    depth += (*s == '(') - (*s == ')');
  if (depth)
    return 0;
  *len = (size_t)(s - 1 - *start);
  ps->s = s;
  return 1;
}

static void declared_range(const clact_info *in, const double *p, dset *d) {
  memset(d, 0, sizeof *d);
  const char *s = in->range;
  if (strncmp(s, "depends", 7) == 0) {
    snprintf(d->why, sizeof d->why, "declared '%s'", s);
    return;
  }
  if (strcmp(s, "the integers") == 0) {
    d->comparable = d->integers = 1;
    d->inf_lo = -INFINITY;
    d->sup_hi = INFINITY;
    return;
  }
  parser ps = {s, in, p, 0, 0, 0};
  parse_pieces(&ps, d);
  while (!ps.bad && *ps.s) {
    if (eat(&ps, " if ")) {
      int c = parse_cond(&ps);
      if (eat(&ps, ", else ")) {
        if (!c && !ps.bad)
          parse_pieces(&ps, d);
        else
          ps.s += strlen(ps.s); /* the else branch is not taken */
      } else if (!c && !ps.bad) {
        snprintf(d->why, sizeof d->why, "the condition of '%s' is false at the defaults", s);
        return;
      }
    } else if (eat(&ps, " (")) {
      const char *note;
      size_t len;
      if (!take_note(&ps, &note, &len))
        ps.bad = 1;
      else if (len == strlen("NaN for x<0") && strncmp(note, "NaN for x<0", len) == 0)
        d->nan_neg = 1;
      /* any other note ("≈-0.375") restates the range: nothing to compare */
    } else {
      ps.bad = 1;
    }
  }
  if (ps.bad) {
    snprintf(d->why, sizeof d->why, "'%s' is not understood", s);
    return;
  }
  d->comparable = 1;
  d->inf_lo = INFINITY;
  d->sup_hi = -INFINITY;
  for (int i = 0; i < d->npieces; i++) {
    if (d->pc[i].lo < d->inf_lo) {
      d->inf_lo = d->pc[i].lo;
      d->tinf = d->pc[i].tlo;
    }
    if (d->pc[i].hi > d->sup_hi) {
      d->sup_hi = d->pc[i].hi;
      d->tsup = d->pc[i].thi;
    }
  }
}

/* Whether a value lies in the declared set (closure, within tolerances). */
static int in_set(const dset *d, double y) {
  if (d->integers)
    return isinf(y) || y == floor(y);
  for (int i = 0; i < d->npieces; i++)
    if (y >= d->pc[i].lo - d->pc[i].tlo && y <= d->pc[i].hi + d->pc[i].thi)
      return 1;
  return 0;
}

/* ---- declared Y/N and continuity --------------------------------------------------------- */
enum { NC = -2 }; /* not comparable */
#define C_INF 99  /* C∞ */

/* A Y/N property at the defaults: 1 Y, 0 N, NC. */
static int declared_yn(const clact_info *in, const double *p, const char *s) {
  int base;
  parser ps = {s, in, p, 0, 0, 0};
  if (eat(&ps, "Y"))
    base = 1;
  else if (eat(&ps, "N"))
    base = 0;
  else
    return NC; /* "depends" */
  if (!*ps.s)
    return base;
  if (eat(&ps, " iff ")) {
    int c = parse_cond(&ps);
    return ps.bad || *ps.s ? NC : c ? base : !base;
  }
  if (eat(&ps, " if ")) {
    int c = parse_cond(&ps);
    return ps.bad || *ps.s || !c ? NC : base;
  }
  return NC;
}

typedef struct dcont {
  int k;         /* -1, 0, 1, 2, C_INF, or NC */
  int on;        /* continuity is declared only on (lo, hi) */
  double lo, hi; /* that domain (open) */
} dcont;

static int parse_ck(parser *ps) {
  if (!eat(ps, "C"))
    return NC;
  if (eat(ps, INF_UTF8))
    return C_INF;
  if (eat(ps, "-1"))
    return -1;
  if (*ps->s >= '0' && *ps->s <= '9')
    return *ps->s++ - '0';
  return NC;
}

static void declared_cont(const clact_info *in, const double *p, dcont *d) {
  memset(d, 0, sizeof *d);
  parser ps = {in->continuity, in, p, 0, 0, 0};
  d->k = parse_ck(&ps);
  while (d->k != NC && !ps.bad && *ps.s) {
    if (eat(&ps, " if ")) {
      if (!parse_cond(&ps))
        d->k = NC; /* "C1 if α=1" with α != 1: the row does not say */
    } else if (eat(&ps, " on ")) {
      dset dom;
      memset(&dom, 0, sizeof dom);
      parse_pieces(&ps, &dom);
      if (dom.npieces != 1)
        ps.bad = 1;
      d->on = 1;
      d->lo = dom.pc[0].lo;
      d->hi = dom.pc[0].hi;
    } else if (eat(&ps, " (")) {
      const char *note;
      size_t len;
      if (!take_note(&ps, &note, &len)) {
        ps.bad = 1;
        break;
      }
      /* "(C0 if value=threshold)" overrides when its condition holds; a refinement such as
       * "(C∞ on (0,inf))" says more than the grid can measure: nothing to compare. */
      char buf[128];
      snprintf(buf, sizeof buf, "%.*s", (int)len, note);
      parser np = {buf, in, p, 0, 0, 0};
      int k = parse_ck(&np);
      if (k != NC && eat(&np, " if ")) {
        int c = parse_cond(&np);
        if (!np.bad && !*np.s && c)
          d->k = k;
      }
    } else {
      ps.bad = 1;
    }
  }
  if (ps.bad)
    d->k = NC;
}

/* ---- measurement ------------------------------------------------------------------------ */
#define WHY_SIZE 200
/* What one branch (or the union of two) measured. */
typedef struct measured {
  size_t count;              /* inputs in the domain (f not NaN) */
  int nan_kind;              /* finite x: 0 none, 1 exactly x < 0, 2 elsewhere */
  int no_limit[2];           /* f(-inf), f(+inf) is NaN: f has no limit there (sin) */
  double nan_x, num_x;       /* a NaN input; kind 2 with x >= 0 or a number at x < 0 */
  double lo, hi, lo_x, hi_x; /* range */
  int ndistinct;             /* distinct values of f, up to 5 (5 = more) */
  double distinct[5];
  int integral;   /* every finite value is an integer */
  int out_of_set; /* a value outside the declared set (when comparable) */
  double out_x, out_y;
  int cont; /* -1, 0, 1 (>= C1) */
  char cont_why[WHY_SIZE];
  int mono; /* 1 Y, 0 N */
  char mono_why[WHY_SIZE];
  int dmono;
  char dmono_why[WHY_SIZE];
  int id0;
  double f0, g0;
  char id0_why[WHY_SIZE];
} measured;

/* What the analysis of one branch needs. */
typedef struct branch {
  const float *x; /* the grid */
  size_t n;
  const float *f, *g; /* forward and backward results of this branch, stride 2 */
  clact_activation act;
  uint64_t index;   /* 0 or 1: the element index parity, for the reference's M(x) */
  const double *pf; /* the parameters as the kernel sees them (float32) */
  double fwd_ulp;   /* forward bound in ulp */
  double L;
  const dset *ds;
  const dcont *dc;
} branch;

static double ulp32(double v) {
  float a = fabsf((float)v);
  if (isinf(a) || isnan(a))
    return 0;
  return (double)nextafterf(a, INFINITY) - (double)a;
}

static double tol_f(const branch *b, double y) {
  return (b->fwd_ulp + 1) * ulp32(y);
}

static double tol_g(const branch *b, double x, double g) {
  double mag = 0;
  (void)clact_reference_derivative_at(b->act, x, b->pf, b->index, &mag);
  if (!(mag >= 0) || isinf(mag))
    mag = fabs(g);
  return 4 * ulp32(g) + 4 * 0x1p-24 * mag;
}

static double F(const branch *b, size_t i) {
  return (double)b->f[2 * i];
}
static double G(const branch *b, size_t i) {
  return (double)b->g[2 * i];
}
static double X(const branch *b, size_t i) {
  return (double)b->x[i];
}

static void measure_range(const branch *b, measured *m) {
  m->nan_kind = 0;
  m->lo = INFINITY;
  m->hi = -INFINITY;
  m->integral = 1;
  m->count = 0;
  int nan_neg_all = 1;
  for (size_t i = 0; i < b->n; i++) {
    double x = X(b, i), y = F(b, i);
    if (isnan(y) && isinf(x)) {
      m->no_limit[x > 0] = 1; /* not a domain statement: the limit does not exist */
      continue;
    }
    if (isnan(y)) {
      if (x >= 0 && m->nan_kind != 2) {
        m->nan_kind = 2;
        m->nan_x = x;
      } else if (m->nan_kind == 0) {
        m->nan_kind = 1;
        m->nan_x = x;
      }
      continue;
    }
    if (x < 0 && isfinite(x) && nan_neg_all) {
      nan_neg_all = 0;
      m->num_x = x;
    }
    m->count++;
    if (y < m->lo) {
      m->lo = y;
      m->lo_x = x;
    }
    if (y > m->hi) {
      m->hi = y;
      m->hi_x = x;
    }
    if (isfinite(y) && y != floor(y))
      m->integral = 0;
    int seen = 0;
    for (int k = 0; k < m->ndistinct && k < 5; k++)
      seen |= m->distinct[k] == y;
    if (!seen && m->ndistinct < 5)
      m->distinct[m->ndistinct++] = y;
    if (b->ds->comparable && !m->out_of_set && !in_set(b->ds, y)) {
      m->out_of_set = 1;
      m->out_x = x;
      m->out_y = y;
    }
  }
  if (m->nan_kind == 1 && !nan_neg_all)
    m->nan_kind = 2; /* NaN at some x < 0 but not at all of them */
}

/* Whether input i takes part in continuity: finite x in [-L, L] and the declared domain. */
static int in_cont_domain(const branch *b, size_t i) {
  double x = X(b, i);
  if (!(fabs(x) <= b->L) || isnan(F(b, i)))
    return 0;
  return !b->dc->on || (x > b->dc->lo && x < b->dc->hi);
}

/* |g(j+1) - g(j)| / (x(j+1) - x(j)) for a valid interval j, else 0. */
static double gslope(const branch *b, size_t j) {
  if (j + 1 >= b->n || !in_cont_domain(b, j) || !in_cont_domain(b, j + 1))
    return 0;
  double d = fabs(G(b, j + 1) - G(b, j));
  return isfinite(d) ? d / (X(b, j + 1) - X(b, j)) : 0;
}

static void measure_continuity(const branch *b, measured *m) {
  m->cont = 1;
  int f_jump = 0, g_jump = 0;
  for (size_t i = 0; i + 1 < b->n && !f_jump; i++) {
    if (!in_cont_domain(b, i) || !in_cont_domain(b, i + 1))
      continue;
    double xa = X(b, i), xb = X(b, i + 1), fa = F(b, i), fb = F(b, i + 1);
    double ga = G(b, i), gb = G(b, i + 1), h = xb - xa;
    if (!isfinite(fa) || !isfinite(fb)) {
      continue; /* a pole is not a jump: the declared domain excludes it */
    }
    double df = fabs(fb - fa);
    double gmax = fmax(fabs(ga), fabs(gb));
    if (!(df <= 4 * gmax * h) && df > 4 * gmax * h + tol_f(b, fa) + tol_f(b, fb)) {
      f_jump = 1;
      snprintf(m->cont_why, sizeof m->cont_why,
               "f jumps by %.6g between x=%.9g (f=%.9g) and x=%.9g (f=%.9g), f' %.6g and %.6g",
               fb - fa, xa, fa, xb, fb, ga, gb);
      break;
    }
    if (g_jump)
      continue;
    if (!isfinite(ga) || !isfinite(gb)) {
      g_jump = 1;
      snprintf(m->cont_why, sizeof m->cont_why, "f' = %.6g at x=%.9g (unbounded)",
               isfinite(ga) ? gb : ga, isfinite(ga) ? xb : xa);
      continue;
    }
    double dg = fabs(gb - ga);
    /* Judged only with both neighbours two intervals away in the domain: at the domain's edge
     * (log's f' = 1/x at x -> 0+) one side says nothing about how steep f' is. */
    if (i < 2 || i + 3 >= b->n || !in_cont_domain(b, i - 2) || !in_cont_domain(b, i + 3))
      continue;
    double s = fmax(gslope(b, i - 2), gslope(b, i + 2));
    if (dg > 4 * s * h && dg > 4 * s * h + tol_g(b, xa, ga) + tol_g(b, xb, gb)) {
      g_jump = 1;
      snprintf(m->cont_why, sizeof m->cont_why,
               "f' jumps by %.6g between x=%.9g (f'=%.9g) and x=%.9g (f'=%.9g)", gb - ga, xa, ga,
               xb, gb);
    }
  }
  m->cont = f_jump ? -1 : g_jump ? 0 : 1;
  if (m->cont == 1)
    snprintf(m->cont_why, sizeof m->cont_why,
             "no jump in f or f' between neighbours over [-%g, %g]%s", b->L, b->L,
             b->dc->on ? " within the declared domain" : "");
}

/* Monotonic (f' sign and f order) and monotone derivative, over the domain. */
static void measure_monotone(const branch *b, measured *m) {
  int up = 1, down = 1, gup = 1, gdown = 1;
  char why_up[96] = "", why_down[96] = "", gwhy_up[96] = "", gwhy_down[96] = "";
  size_t prev = SIZE_MAX; /* previous input in the domain with a number g */
  for (size_t i = 0; i < b->n && (up || down || gup || gdown); i++) {
    double x = X(b, i), y = F(b, i), g = G(b, i);
    if (isnan(y) || isnan(g))
      continue;
    if (up && g < 0 && g < -tol_g(b, x, g)) {
      up = 0;
      snprintf(why_up, sizeof why_up, "f'(%.9g) = %.6g < 0", x, g);
    }
    if (down && g > 0 && g > tol_g(b, x, g)) {
      down = 0;
      snprintf(why_down, sizeof why_down, "f'(%.9g) = %.6g > 0", x, g);
    }
    if (prev != SIZE_MAX) {
      double xp = X(b, prev), yp = F(b, prev), gp = G(b, prev);
      if (up && y < yp && y < yp - tol_f(b, yp) - tol_f(b, y)) {
        up = 0;
        snprintf(why_up, sizeof why_up, "f falls from %.9g at x=%.9g to %.9g at x=%.9g", yp, xp, y,
                 x);
      }
      if (down && y > yp && y > yp + tol_f(b, yp) + tol_f(b, y)) {
        down = 0;
        snprintf(why_down, sizeof why_down, "f rises from %.9g at x=%.9g to %.9g at x=%.9g", yp, xp,
                 y, x);
      }
      if (gup && g < gp && !(g >= gp - tol_g(b, xp, gp) - tol_g(b, x, g))) {
        gup = 0;
        snprintf(gwhy_up, sizeof gwhy_up, "f' falls from %.6g at x=%.9g to %.6g at x=%.9g", gp, xp,
                 g, x);
      }
      if (gdown && g > gp && !(g <= gp + tol_g(b, xp, gp) + tol_g(b, x, g))) {
        gdown = 0;
        snprintf(gwhy_down, sizeof gwhy_down, "f' rises from %.6g at x=%.9g to %.6g at x=%.9g", gp,
                 xp, g, x);
      }
    }
    prev = i;
  }
  m->mono = up || down;
  if (m->mono)
    snprintf(m->mono_why, sizeof m->mono_why, "f' %s 0 and f %s over the domain",
             up ? "\xe2\x89\xa5" : "\xe2\x89\xa4", up ? "non-decreasing" : "non-increasing");
  else
    snprintf(m->mono_why, sizeof m->mono_why, "%s; %s", why_up, why_down);
  if (m->cont == -1) {
    m->dmono = 0;
    snprintf(m->dmono_why, sizeof m->dmono_why, "f jumps: f' has a Dirac spike there");
  } else {
    m->dmono = gup || gdown;
    if (m->dmono)
      snprintf(m->dmono_why, sizeof m->dmono_why, "f' %s over the domain",
               gup ? "non-decreasing" : "non-increasing");
    else
      snprintf(m->dmono_why, sizeof m->dmono_why, "%s; %s", gwhy_up, gwhy_down);
  }
}

static void measure_id0(const branch *b, measured *m) {
  m->id0 = 1;
  m->f0 = m->g0 = NAN;
  double worst = 0, worst_x = 0, worst_g = 0;
  for (size_t i = 0; i < b->n; i++) {
    double x = X(b, i);
    if (fabs(x) > FINE_STEP)
      continue;
    double g = G(b, i);
    if (x == 0) {
      m->f0 = F(b, i);
      m->g0 = g;
    }
    double e = fabs(g - 1);
    if (!(e <= worst)) {
      worst = isnan(e) ? INFINITY : e;
      worst_x = x;
      worst_g = g;
    }
  }
  m->id0 = fabs(m->f0) <= 1e-6 && worst <= 1e-4;
  if (!(fabs(m->f0) <= 1e-6))
    snprintf(m->id0_why, sizeof m->id0_why, "f(0) = %.9g, f'(0) = %.9g", m->f0, m->g0);
  else
    snprintf(m->id0_why, sizeof m->id0_why, "f(0) = %.9g, f'(0) = %.9g; f'(%.3g) = %.9g", m->f0,
             m->g0, worst_x, worst_g);
}

static void measure_branch(const branch *b, measured *m) {
  memset(m, 0, sizeof *m);
  measure_range(b, m);
  measure_continuity(b, m);
  measure_monotone(b, m);
  measure_id0(b, m);
}

/* Two parities into one property: the lower value (a property holds only where it holds for
 * both), with the evidence of the parity that decides, or of both when they are equal. */
static void merge_prop(int *va, char *wa, int vb, const char *wb) {
  char a[WHY_SIZE];
  snprintf(a, sizeof a, "%s", wa);
  if (*va == vb)
    snprintf(wa, WHY_SIZE, "even elements: %.80s; odd elements: %.80s", a, wb);
  else if (vb < *va)
    snprintf(wa, WHY_SIZE, "odd elements: %.180s", wb);
  else
    snprintf(wa, WHY_SIZE, "even elements: %.180s", a);
  *va = vb < *va ? vb : *va;
}

static void merge_branches(measured *a, const measured *b) {
  a->count += b->count;
  if (b->nan_kind > a->nan_kind || (b->nan_kind && a->nan_kind == 0)) {
    a->nan_kind = b->nan_kind;
    a->nan_x = b->nan_x;
    a->num_x = b->num_x;
  }
  if (b->lo < a->lo) {
    a->lo = b->lo;
    a->lo_x = b->lo_x;
  }
  if (b->hi > a->hi) {
    a->hi = b->hi;
    a->hi_x = b->hi_x;
  }
  for (int k = 0; k < b->ndistinct; k++) {
    int seen = 0;
    for (int j = 0; j < a->ndistinct; j++)
      seen |= a->distinct[j] == b->distinct[k];
    if (!seen && a->ndistinct < 5)
      a->distinct[a->ndistinct++] = b->distinct[k];
  }
  if (b->ndistinct == 5)
    a->ndistinct = 5;
  a->integral &= b->integral;
  a->no_limit[0] |= b->no_limit[0];
  a->no_limit[1] |= b->no_limit[1];
  if (!a->out_of_set && b->out_of_set) {
    a->out_of_set = 1;
    a->out_x = b->out_x;
    a->out_y = b->out_y;
  }
  merge_prop(&a->cont, a->cont_why, b->cont, b->cont_why);
  merge_prop(&a->mono, a->mono_why, b->mono, b->mono_why);
  merge_prop(&a->dmono, a->dmono_why, b->dmono, b->dmono_why);
  if (b->id0 < a->id0) {
    a->f0 = b->f0;
    a->g0 = b->g0;
  }
  merge_prop(&a->id0, a->id0_why, b->id0, b->id0_why);
}

/* ---- one activation: evaluate, measure, compare ------------------------------------------ */
enum { P_RANGE, P_CONT, P_MONO, P_DMONO, P_ID0, NPROPS };
static const char *const prop_name[NPROPS] = {"range", "continuity", "monotonic",
                                              "derivative_monotonic", "identity_near_0"};
static const char *const prop_title[NPROPS] = {"range", "continuity", "monotonic", "f' monotonic",
                                               "identity near 0"};

enum { AGREE = 1, DISAGREE = 0 }; /* and NC */

typedef struct row {
  clact_activation act;
  double L;
  size_t ninputs;
  int branches;
  dset ds;
  dcont dc;
  int dyn[NPROPS]; /* declared Y/N at the defaults (mono, dmono, id0) */
  measured m;
  int cmp[NPROPS];
  char detail[NPROPS][320]; /* evidence for the comparison */
  char measured_range[96];
} row;

static const char *yn(int v) {
  return v == NC ? "?" : v ? "Y" : "N";
}

static const char *cont_text(int k) {
  switch (k) {
  case -1:
    return "C-1";
  case 0:
    return "C0";
  case 1:
    return "\xe2\x89\xa5"
           "C1"; /* measured: >= C1 */
  case 2:
    return "C2";
  case C_INF:
    return "C" INF_UTF8;
  }
  return "?";
}

static void fmt_num(char *buf, size_t size, double v) {
  if (isinf(v))
    snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
  else
    snprintf(buf, size, "%.6g", v == 0 ? 0.0 : v); /* -0 prints as 0 */
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void describe_range(row *r) {
  const measured *m = &r->m;
  char lo[32], hi[32];
  fmt_num(lo, sizeof lo, m->lo);
  fmt_num(hi, sizeof hi, m->hi);
  if (m->count == 0) {
    snprintf(r->measured_range, sizeof r->measured_range, "(no values)");
  } else if (m->ndistinct < 5) {
    double v[5];
    memcpy(v, m->distinct, sizeof v);
    qsort(v, (size_t)m->ndistinct, sizeof v[0], cmp_dbl);
    size_t len = 0;
    int k = 0;
    for (int i = 0; i < m->ndistinct; i++) {
      if (i && v[i] == v[i - 1])
        continue; /* +0 and -0 */
      char t[32];
      fmt_num(t, sizeof t, v[i]);
      len += (size_t)snprintf(r->measured_range + len, sizeof r->measured_range - len, "%s%s",
                              k++ ? "," : "{", t);
    }
    snprintf(r->measured_range + len, sizeof r->measured_range - len, "}");
  } else if (m->integral) {
    snprintf(r->measured_range, sizeof r->measured_range, "integers in [%s,%s]", lo, hi);
  } else {
    snprintf(r->measured_range, sizeof r->measured_range, "[%s,%s]", lo, hi);
  }
  size_t len = strlen(r->measured_range);
  if (m->nan_kind == 1)
    snprintf(r->measured_range + len, sizeof r->measured_range - len, " (NaN for x<0)");
  else if (m->nan_kind == 2)
    snprintf(r->measured_range + len, sizeof r->measured_range - len, " (NaN at x=%.6g)", m->nan_x);
  /* NaN at -inf is no news where f is NaN for every x < 0 */
  int nl0 = m->no_limit[0] && m->nan_kind != 1, nl1 = m->no_limit[1];
  len = strlen(r->measured_range);
  if (nl0 || nl1)
    snprintf(r->measured_range + len, sizeof r->measured_range - len, " (no limit at %s)",
             nl0 && nl1 ? "\xc2\xb1inf"
             : nl0      ? "-inf"
                        : "inf");
}

static void compare_range(row *r) {
  const dset *d = &r->ds;
  const measured *m = &r->m;
  char *why = r->detail[P_RANGE];
  size_t size = sizeof r->detail[P_RANGE];
  if (!d->comparable) {
    r->cmp[P_RANGE] = NC;
    snprintf(why, size, "%s", d->why);
    return;
  }
  r->cmp[P_RANGE] = DISAGREE;
  int want_nan = d->nan_neg ? 1 : 0;
  if (m->nan_kind != want_nan) {
    if (m->nan_kind == 0)
      snprintf(why, size, "declared NaN for x<0, but f is a number for every input");
    else if (want_nan && m->nan_kind == 2)
      snprintf(why, size, "declared NaN for x<0; measured NaN at x=%.9g, a number at x=%.9g",
               m->nan_x, m->num_x);
    else
      snprintf(why, size, "f is NaN at x=%.9g, which the declared range does not say", m->nan_x);
    return;
  }
  char dlo[32], dhi[32];
  fmt_num(dlo, sizeof dlo, d->inf_lo);
  fmt_num(dhi, sizeof dhi, d->sup_hi);
  int lo_ok = isinf(d->inf_lo) ? m->lo == d->inf_lo : fabs(m->lo - d->inf_lo) <= d->tinf;
  int hi_ok = isinf(d->sup_hi) ? m->hi == d->sup_hi : fabs(m->hi - d->sup_hi) <= d->tsup;
  if (!lo_ok) {
    snprintf(why, size, "min of f is %.9g at x=%.9g; declared infimum %s (tolerance %.2g)", m->lo,
             m->lo_x, dlo, d->tinf);
    return;
  }
  if (!hi_ok) {
    snprintf(why, size, "max of f is %.9g at x=%.9g; declared supremum %s (tolerance %.2g)", m->hi,
             m->hi_x, dhi, d->tsup);
    return;
  }
  if (m->out_of_set) {
    snprintf(why, size, "f(%.9g) = %.9g is outside the declared set", m->out_x, m->out_y);
    return;
  }
  r->cmp[P_RANGE] = AGREE;
  snprintf(why, size, "min %.9g at x=%.9g, max %.9g at x=%.9g; every value in the declared set",
           m->lo, m->lo_x, m->hi, m->hi_x);
}

static void compare_all(row *r) {
  describe_range(r);
  compare_range(r);
  const measured *m = &r->m;
  /* continuity */
  int k = r->dc.k;
  snprintf(r->detail[P_CONT], sizeof r->detail[P_CONT], "%s", m->cont_why);
  if (k == NC)
    r->cmp[P_CONT] = NC;
  else
    r->cmp[P_CONT] = (k >= 1 ? 1 : k) == m->cont ? AGREE : DISAGREE;
  const int meas[NPROPS] = {0, 0, m->mono, m->dmono, m->id0};
  const char *const why[NPROPS] = {NULL, NULL, m->mono_why, m->dmono_why, m->id0_why};
  for (int p = P_MONO; p < NPROPS; p++) {
    snprintf(r->detail[p], sizeof r->detail[p], "%s", why[p]);
    r->cmp[p] = r->dyn[p] == NC ? NC : r->dyn[p] == meas[p] ? AGREE : DISAGREE;
  }
}

/* Device buffers and host arrays, reused across activations. */
typedef struct work {
  clact_context *ctx;
  cl_mem xb, yb, dyb, dxb;
  float *x, *x2, *f2, *g2, *ones;
} work;

static int table_error(const char *what, cl_int err) {
  fprintf(stderr, "clact table: %s: %s (status %d)\n", what, clact_status_string((clact_status)err),
          (int)err);
  return CLI_EXIT_DEVICE;
}

static int work_init(work *w) {
  size_t cap = 2 * (size_t)GRID_CAP;
  w->x = malloc(GRID_CAP * sizeof *w->x);
  w->x2 = malloc(cap * sizeof *w->x2);
  w->f2 = malloc(cap * sizeof *w->f2);
  w->g2 = malloc(cap * sizeof *w->g2);
  w->ones = malloc(cap * sizeof *w->ones);
  if (!w->x || !w->x2 || !w->f2 || !w->g2 || !w->ones) {
    fprintf(stderr, "clact table: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  for (size_t i = 0; i < cap; i++)
    w->ones[i] = 1.0f;
  cl_context cl = clact_context_cl(w->ctx);
  cl_int err = CL_SUCCESS;
  cl_mem *bufs[] = {&w->xb, &w->yb, &w->dyb, &w->dxb};
  for (size_t i = 0; i < 4 && err == CL_SUCCESS; i++)
    *bufs[i] = clCreateBuffer(cl, CL_MEM_READ_WRITE, cap * sizeof(float), NULL, &err);
  if (err != CL_SUCCESS)
    return table_error("creating device buffers", err);
  err = clEnqueueWriteBuffer(clact_context_queue(w->ctx), w->dyb, CL_TRUE, 0, cap * sizeof(float),
                             w->ones, 0, NULL, NULL);
  return err == CL_SUCCESS ? CLI_EXIT_OK : table_error("writing dy", err);
}

static void work_free(work *w) {
  cl_mem bufs[] = {w->xb, w->yb, w->dyb, w->dxb};
  for (size_t i = 0; i < 4; i++)
    if (bufs[i])
      clReleaseMemObject(bufs[i]);
  free(w->x);
  free(w->x2);
  free(w->f2);
  free(w->g2);
  free(w->ones);
}

/* The bits of a float (results are compared bit for bit: -0 and +0 differ). */
static uint32_t float_bits(float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return u;
}

static int measure_activation(work *w, clact_activation act, row *r) {
  const clact_info *in = clact_get_info(act);
  double p[CLACT_MAX_PARAMS], pf[CLACT_MAX_PARAMS];
  clact_status st = clact_params_resolve(act, NULL, p);
  if (st != CLACT_SUCCESS)
    return cli_report_status("table", in->name, st, w->ctx);
  memset(r, 0, sizeof *r);
  r->act = act;
  r->L = 20;
  for (int i = 0; i < CLACT_MAX_PARAMS; i++) {
    pf[i] = (double)(float)p[i];
    if (i < in->nparams && isfinite(p[i]))
      r->L = fmax(r->L, 2 * fabs(p[i]));
  }
  declared_range(in, p, &r->ds);
  declared_cont(in, p, &r->dc);
  r->dyn[P_MONO] = declared_yn(in, p, in->monotonic);
  r->dyn[P_DMONO] = declared_yn(in, p, in->dmonotonic);
  r->dyn[P_ID0] = declared_yn(in, p, in->identity0);

  size_t n = make_grid(w->x, r->L);
  r->ninputs = n;
  for (size_t i = 0; i < n; i++)
    w->x2[2 * i] = w->x2[2 * i + 1] = w->x[i];
  cl_command_queue q = clact_context_queue(w->ctx);
  size_t bytes = 2 * n * sizeof(float);
  cl_int err = clEnqueueWriteBuffer(q, w->xb, CL_TRUE, 0, bytes, w->x2, 0, NULL, NULL);
  if (err != CL_SUCCESS)
    return table_error("writing x", err);
  st = clact_forward(w->ctx, act, CLACT_F32, NULL, 2 * n, w->xb, 0, w->yb, 0, NULL);
  if (st != CLACT_SUCCESS)
    return cli_report_status("table", in->name, st, w->ctx);
  st = clact_backward(w->ctx, act, CLACT_F32, NULL, 2 * n, w->xb, 0, w->dyb, 0, w->dxb, 0, NULL);
  if (st != CLACT_SUCCESS)
    return cli_report_status("table", in->name, st, w->ctx);
  err = clEnqueueReadBuffer(q, w->yb, CL_TRUE, 0, bytes, w->f2, 0, NULL, NULL);
  if (err == CL_SUCCESS)
    err = clEnqueueReadBuffer(q, w->dxb, CL_TRUE, 0, bytes, w->g2, 0, NULL, NULL);
  if (err != CL_SUCCESS)
    return table_error("reading results", err);

  /* Two branches when even and odd element indices differ anywhere (bitwise, NaN = NaN). */
  r->branches = 1;
  for (size_t i = 0; i < 2 * n && r->branches == 1; i += 2) {
    float a[2] = {w->f2[i], w->g2[i]}, b[2] = {w->f2[i + 1], w->g2[i + 1]};
    for (int k = 0; k < 2; k++)
      if (float_bits(a[k]) != float_bits(b[k]) && !(isnan(a[k]) && isnan(b[k])))
        r->branches = 2;
  }
  branch br = {w->x, n,      w->f2, w->g2, act, 0, pf, clact_accuracy_ulp(in->accuracy),
               r->L, &r->ds, &r->dc};
  measure_branch(&br, &r->m);
  if (r->branches == 2) {
    measured odd;
    br.f = w->f2 + 1;
    br.g = w->g2 + 1;
    br.index = 1;
    measure_branch(&br, &odd);
    merge_branches(&r->m, &odd);
  }
  compare_all(r);
  return CLI_EXIT_OK;
}

/* ---- output ----------------------------------------------------------------------------- */
static int row_agrees(const row *r) {
  for (int p = 0; p < NPROPS; p++)
    if (r->cmp[p] == DISAGREE)
      return 0;
  return 1;
}

static const char *mark(int cmp) {
  return cmp == AGREE ? "=" : cmp == DISAGREE ? "\xe2\x89\xa0" : "~"; /* = ≠ ~ */
}

/* "declared = measured" for a column. */
static void cell(const row *r, int p, char *buf, size_t size) {
  const clact_info *in = clact_get_info(r->act);
  switch (p) {
  case P_RANGE:
    snprintf(buf, size, "%s %s %s", in->range, mark(r->cmp[p]), r->measured_range);
    break;
  case P_CONT:
    snprintf(buf, size, "%s %s %s", in->continuity, mark(r->cmp[p]), cont_text(r->m.cont));
    break;
  default: {
    const char *d = p == P_MONO ? in->monotonic : p == P_DMONO ? in->dmonotonic : in->identity0;
    int v = p == P_MONO ? r->m.mono : p == P_DMONO ? r->m.dmono : r->m.id0;
    snprintf(buf, size, "%s %s %s", d, mark(r->cmp[p]), yn(v));
  }
  }
}

static int cols(const char *s) {
  int c = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    c += (*p & 0xC0) != 0x80;
  return c;
}

static void print_disagreements(const row *rows, size_t n, int markdown) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    count += !row_agrees(&rows[i]);
  if (!count)
    return;
  printf(markdown ? "\n### Disagreements\n\n" : "\ndisagreements:\n");
  for (size_t i = 0; i < n; i++)
    for (int p = 0; p < NPROPS; p++) {
      if (rows[i].cmp[p] != DISAGREE)
        continue;
      char c[256];
      cell(&rows[i], p, c, sizeof c);
      printf(markdown ? "- **%s** %s: %s (%s)\n" : "  %s %s: %s (%s)\n", clact_name(rows[i].act),
             prop_title[p], c, rows[i].detail[p]);
    }
}

static void print_text(const cli_device_desc *d, const row *rows, size_t n, double elapsed) {
  printf("clact %s table on device %s: %s (%s, driver %s)\n", clact_version(), d->index, d->name,
         d->platform, d->driver);
  printf("declared (registry) vs measured (float32 forward/backward, default parameters): '=' "
         "agree, '\xe2\x89\xa0' disagree, '~' not comparable\n\n");
  int w[NPROPS] = {0};
  char c[256];
  for (int p = 0; p < NPROPS; p++)
    w[p] = cols(prop_title[p]);
  for (size_t i = 0; i < n; i++)
    for (int p = 0; p < NPROPS; p++) {
      cell(&rows[i], p, c, sizeof c);
      w[p] = cols(c) > w[p] ? cols(c) : w[p];
    }
  printf("%-16s  ", "activation");
  for (int p = 0; p < NPROPS; p++) {
    cli_pad(stdout, prop_title[p], w[p]);
    fputs("  ", stdout);
  }
  printf("result\n");
  size_t agree = 0;
  for (size_t i = 0; i < n; i++) {
    printf("%-16s  ", clact_name(rows[i].act));
    for (int p = 0; p < NPROPS; p++) {
      cell(&rows[i], p, c, sizeof c);
      cli_pad(stdout, c, w[p]);
      fputs("  ", stdout);
    }
    int ok = row_agrees(&rows[i]);
    agree += (size_t)ok;
    printf("%s\n", ok ? "agree" : "DISAGREE");
  }
  print_disagreements(rows, n, 0);
  printf("\n%zu agree, %zu disagree in %.1f s\n", agree, n - agree, elapsed);
}

static void print_markdown(const cli_device_desc *d, const row *rows, size_t n) {
  printf("# Activation properties: declared and measured\n\n");
  printf("Made by `clact table --markdown` %s on %s (driver %s). Each property as declared in "
         "the registry (CATALOGUE.md) and as measured from the device's float32 forward and "
         "backward outputs with the default parameters over about 1.05e6 inputs (a grid of 2^20 "
         "intervals over [-L, L], L = 20 or twice the largest default parameter, a fine grid "
         "near 0, huge values and ±inf); `clact table --help` gives the exact rules. "
         "`=` agree, `\xe2\x89\xa0` disagree, `~` not comparable (parameter-dependent or "
         "'depends'). Measured continuity: C-1 (f jumps), C0 (f' jumps), \xe2\x89\xa5"
         "C1 "
         "(a grid cannot see higher orders).\n\n",
         clact_version(), d->name, d->driver);
  printf("| activation |");
  for (int p = 0; p < NPROPS; p++)
    printf(" %s |", prop_title[p]);
  printf(" result |\n|---|---|---|---|---|---|---|\n");
  size_t agree = 0;
  for (size_t i = 0; i < n; i++) {
    printf("| %s |", clact_name(rows[i].act));
    for (int p = 0; p < NPROPS; p++) {
      char c[256];
      cell(&rows[i], p, c, sizeof c);
      /* markdown tables: '|' in a cell must be escaped */
      fputc(' ', stdout);
      for (const char *s = c; *s; s++)
        fputs(*s == '|' ? "\\|" : (char[2]){*s, 0}, stdout);
      fputs(" |", stdout);
    }
    int ok = row_agrees(&rows[i]);
    agree += (size_t)ok;
    printf(" %s |\n", ok ? "agree" : "**disagree**");
  }
  print_disagreements(rows, n, 1);
  printf("\n%zu agree, %zu disagree.\n", agree, n - agree);
}

static void json_yn(FILE *f, int v) {
  fputs(v == NC ? "null" : v ? "\"Y\"" : "\"N\"", f);
}

static void print_json(const cli_device_desc *d, const row *rows, size_t n, double elapsed) {
  FILE *f = stdout;
  fputs("{\"device\": ", f);
  cli_json_string(f, d->name);
  fputs(", \"device_index\": ", f);
  cli_json_string(f, d->index);
  fputs(", \"driver\": ", f);
  cli_json_string(f, d->driver);
  fputs(", \"clact\": ", f);
  cli_json_string(f, clact_version());
  fputs(",\n \"results\": [", f);
  size_t agree = 0;
  for (size_t i = 0; i < n; i++) {
    const row *r = &rows[i];
    const clact_info *in = clact_get_info(r->act);
    const measured *m = &r->m;
    fputs(i ? ",\n  {" : "\n  {", f);
    cli_json_key(f, "id", 1);
    cli_json_string(f, in->name);
    cli_json_key(f, "params", 0);
    fputc('{', f);
    for (int p = 0; p < in->nparams; p++) {
      cli_json_key(f, in->params[p].name, p == 0);
      cli_json_number(f, in->params[p].def);
    }
    fputc('}', f);
    cli_json_key(f, "inputs", 0);
    fprintf(f, "%zu", r->ninputs);
    cli_json_key(f, "L", 0);
    cli_json_number(f, r->L);
    cli_json_key(f, "branches", 0);
    fprintf(f, "%d", r->branches);
    cli_json_key(f, "declared", 0);
    cli_json_properties(f, in);
    cli_json_key(f, "declared_at_defaults", 0);
    fputc('{', f);
    cli_json_key(f, "range_min", 1);
    if (r->ds.comparable)
      cli_json_number(f, r->ds.inf_lo);
    else
      fputs("null", f);
    cli_json_key(f, "range_max", 0);
    if (r->ds.comparable)
      cli_json_number(f, r->ds.sup_hi);
    else
      fputs("null", f);
    cli_json_key(f, "continuity", 0);
    if (r->dc.k == NC)
      fputs("null", f);
    else
      cli_json_string(f, r->dc.k == C_INF ? "C" INF_UTF8 : cont_text(r->dc.k));
    cli_json_key(f, "monotonic", 0);
    json_yn(f, r->dyn[P_MONO]);
    cli_json_key(f, "derivative_monotonic", 0);
    json_yn(f, r->dyn[P_DMONO]);
    cli_json_key(f, "identity_near_0", 0);
    json_yn(f, r->dyn[P_ID0]);
    fputs("}", f);
    cli_json_key(f, "measured", 0);
    fputc('{', f);
    cli_json_key(f, "range", 1);
    cli_json_string(f, r->measured_range);
    /* JSON has no infinities: the limits are also given as text */
    cli_json_key(f, "min", 0);
    cli_json_number(f, m->lo);
    cli_json_key(f, "max", 0);
    cli_json_number(f, m->hi);
    char t[32];
    fmt_num(t, sizeof t, m->lo);
    cli_json_key(f, "min_text", 0);
    cli_json_string(f, t);
    fmt_num(t, sizeof t, m->hi);
    cli_json_key(f, "max_text", 0);
    cli_json_string(f, t);
    cli_json_key(f, "min_at", 0);
    cli_json_number(f, m->lo_x);
    cli_json_key(f, "max_at", 0);
    cli_json_number(f, m->hi_x);
    cli_json_key(f, "nan_for_negative", 0);
    fputs(m->nan_kind == 1 ? "true" : "false", f);
    cli_json_key(f, "continuity", 0);
    cli_json_string(f, cont_text(m->cont));
    cli_json_key(f, "monotonic", 0);
    json_yn(f, m->mono);
    cli_json_key(f, "derivative_monotonic", 0);
    json_yn(f, m->dmono);
    cli_json_key(f, "identity_near_0", 0);
    json_yn(f, m->id0);
    cli_json_key(f, "f0", 0);
    cli_json_number(f, m->f0);
    cli_json_key(f, "df0", 0);
    cli_json_number(f, m->g0);
    fputs("}", f);
    cli_json_key(f, "agree", 0);
    fputc('{', f);
    for (int p = 0; p < NPROPS; p++) {
      cli_json_key(f, prop_name[p], p == 0);
      fputs(r->cmp[p] == NC ? "null" : r->cmp[p] == AGREE ? "true" : "false", f);
    }
    fputs("}", f);
    cli_json_key(f, "evidence", 0);
    fputc('{', f);
    for (int p = 0; p < NPROPS; p++) {
      cli_json_key(f, prop_name[p], p == 0);
      cli_json_string(f, r->detail[p]);
    }
    fputs("}", f);
    int ok = row_agrees(r);
    agree += (size_t)ok;
    cli_json_key(f, "result", 0);
    cli_json_string(f, ok ? "agree" : "disagree");
    fputc('}', f);
  }
  fprintf(f, "\n ],\n \"agreed\": %zu, \"disagreed\": %zu, \"elapsed_s\": ", agree, n - agree);
  cli_json_number(f, cli_round_sig(elapsed, 6));
  fputs("}\n", f);
}

/* ---- the command ------------------------------------------------------------------------ */
enum { OPT_DEVICE, OPT_JSON, OPT_MARKDOWN, NOPTS };

int cli_cmd_table(int argc, char **argv) {
  cli_opt opts[NOPTS] = {
      {"--device", "P:D", NULL}, {"--json", NULL, NULL}, {"--markdown", NULL, NULL}};
  int npos;
  int rc = cli_parse_args("table", usage, argc, argv, opts, NOPTS, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (opts[OPT_JSON].value && opts[OPT_MARKDOWN].value) {
    fprintf(stderr, "clact table: give one of --json and --markdown\n");
    return CLI_EXIT_USAGE;
  }
  clact_activation acts[CLACT_ACTIVATION_COUNT];
  size_t nacts;
  rc = cli_select_activations("table", argv + 1, npos, acts, &nacts);
  if (rc != CLI_EXIT_OK)
    return rc;
  work w;
  memset(&w, 0, sizeof w);
  rc = cli_open_context("table", opts[OPT_DEVICE].value, &w.ctx);
  if (rc != CLI_EXIT_OK)
    return rc;
  row *rows = calloc(nacts, sizeof *rows);
  double start = cli_now();
  rc = rows ? work_init(&w) : CLI_EXIT_DEVICE;
  for (size_t i = 0; i < nacts && rc == CLI_EXIT_OK; i++)
    rc = measure_activation(&w, acts[i], &rows[i]);
  if (rc == CLI_EXIT_OK) {
    cli_device_desc desc;
    cli_describe_device(clact_context_device(w.ctx), &desc);
    double elapsed = cli_now() - start;
    if (opts[OPT_JSON].value)
      print_json(&desc, rows, nacts, elapsed);
    else if (opts[OPT_MARKDOWN].value)
      print_markdown(&desc, rows, nacts);
    else
      print_text(&desc, rows, nacts, elapsed);
    for (size_t i = 0; i < nacts && rc == CLI_EXIT_OK; i++)
      if (!row_agrees(&rows[i]))
        rc = CLI_EXIT_FAIL;
  }
  free(rows);
  work_free(&w);
  clact_context_destroy(w.ctx);
  return rc;
}
