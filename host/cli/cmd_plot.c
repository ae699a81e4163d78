/* host/cli/cmd_plot.c: `clact plot ID... -o FILE.svg` and `clact plot --gallery -o DIR`: the
 * graph of activations (and of their derivatives) as a self-contained SVG 1.1 file, every point
 * computed on the device: the float32 forward kernel for f, the backward kernel with dy = 1
 * for f'. The gallery writes one SVG per activation and an index.html grouped as the sections
 * of CATALOGUE.md.
 *
 * The rules (also in the usage text below; keep the two in step):
 * - Grid: 2001 points x_i = A + (B-A) i/2000 (rounded to float32), each evaluated at an even
 *   and an odd element index. Where the two differ (brelu: even relu, odd -relu(-x)) both
 *   branches are drawn, named "(even i)" and "(odd i)" in the legend.
 * - y window: over the finite values of all curves, q2 and q98 the 2nd and 98th percentiles,
 *   w = q98 - q2: [max(min, q2 - w/4), min(max, q98 + w/4)], then 5% margins. Only the far
 *   tails of exploding curves (exp, 1/x near 0) are cut; they leave the frame (clipped).
 * - Breaks: a NaN or infinite value ends the line. A function curve is also broken between
 *   neighbours a < b where |f(b) - f(a)| > 4 max(|f'(a)|, |f'(b)|)(b - a) + 8 eps max|f|: a
 *   change larger than the device's own derivative allows is a jump (binary_step, round,
 *   hardshrink), not a steep part. A derivative curve (no f'' to judge by) is broken where
 *   |Δ| is over 2 pixels and over 16 times the larger |Δ| two intervals away on either side:
 *   a jump between flat-ish neighbours (relu' at 0, hardshrink' at ±λ), while the steep parts
 *   of a continuous f' (1/x) change by comparable amounts from one interval to the next.
 *
 * Everything is computed before anything is written; each file goes to FILE.tmp.XXXXXX in its
 * folder and is renamed into place when complete. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: clact plot ID... -o FILE.svg [--range A:B] [--derivative] [--device P:D]\n"
    "       clact plot --gallery -o DIR [--range A:B] [--device P:D]\n"
    "\n"
    "Plots activations given by id or synonym (see 'clact list') with their default\n"
    "parameters as a self-contained SVG 1.1 file: every point computed on the device in\n"
    "float32 (f by the forward kernel, f' by the backward kernel with dy = 1) over 2001 points\n"
    "of [A, B]. Several ids share one plot, each in its own colour; f' is dashed. An activation\n"
    "that depends on the element index (brelu) is evaluated at even and odd indices and both\n"
    "branches are drawn, marked (even i) and (odd i) in the legend.\n"
    "\n"
    "--gallery writes DIR/<id>.svg for every activation (f and f') and DIR/index.html, a page\n"
    "of them grouped as the sections of CATALOGUE.md.\n"
    "\n"
    "y range: q2, q98 = the 2nd and 98th percentiles of the finite values, w = q98 - q2; the\n"
    "window is [max(min, q2 - w/4), min(max, q98 + w/4)] plus 5% margins: only the far tails\n"
    "of exploding curves are cut (they leave the frame).\n"
    "Breaks: NaN and infinite values end the line. A function curve is broken between\n"
    "neighbours a < b where |f(b)-f(a)| > 4 max(|f'(a)|,|f'(b)|)(b-a) + 8 eps max|f| (a jump:\n"
    "binary_step, round, hardshrink); a derivative curve where |Δ| is over 2 pixels and over\n"
    "16 times the larger |Δ| two intervals away on either side. No vertical line joins a jump.\n"
    "\n"
    "options:\n"
    "  -o, --output PATH  the SVG file (or, with --gallery, the folder: created if missing);\n"
    "                     files are written to PATH.tmp.XXXXXX and renamed into place when\n"
    "                     complete: nothing half-written is ever left\n"
    "  --range A:B        the x interval, A < B, |A|,|B| <= 1e6 (default -6:6)\n"
    "  --derivative       also draw f' (dashed, same colour); --gallery always does\n"
    "  --gallery          write the gallery (no ids)\n"
    "  --dump FILE        also write the plotted data as text: one line per point,\n"
    "                     'label<TAB>x<TAB>y', the device's float32 values (%.9g); for tests\n"
    "  --device P:D       device (see 'clact devices'); default $CLACT_DEVICE, else the first\n"
    "                     GPU, else the first device\n"
    "\n"
    "Exit status: 0 written, 2 usage error, 3 unknown activation or output that cannot be\n"
    "written, 4 device or OpenCL error.\n";

#define NPOINTS 2001
#define DEFAULT_A (-6.0)
#define DEFAULT_B 6.0

/* Page layout in SVG user units (pixels). */
#define PLOT_W 560.0
#define PLOT_H 360.0
#define MARGIN_L 64.0
#define MARGIN_T 70.0
#define MARGIN_B 50.0
#define LEGEND_GAP 20.0
#define LEGEND_ROW 20.0
#define CHAR_W 7.2 /* generous width of a 12px sans-serif character, for the legend's width */

/* Okabe-Ito colours (distinguishable with colour-vision deficiencies), then dash patterns. */
static const char *const colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000"};
#define NCOLOURS (sizeof colours / sizeof colours[0])

/* CATALOGUE.md's sections and their members (the catalogue is prose, not machine-readable:
 * keep in step with it). Activations of the registry not listed go under "Other". */
static const struct {
  const char *title;
  const char *ids;
} sections[] = {
    {"1. The classic table",
     "identity binary_step bipolar_step sigmoid bipolar_sigmoid tanh sqnl arctan arsinh softsign "
     "isru isrlu plu relu brelu leaky_relu rrelu gelu elu selu srelu softplus bent_identity silu "
     "soft_exponential soft_clipping sinusoid sinc gaussian sq_rbf mish smht elish squareplus"},
    {"2. Activations of the deep-learning frameworks",
     "gelu_tanh quick_gelu swish relu6 hardtanh threshold hardsigmoid hardswish celu log_sigmoid "
     "softshrink hardshrink tanhshrink relu_squared sparse_plus sparse_sigmoid affine abs square "
     "sqrt exp log pow round"},
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

/* ---- device evaluation ------------------------------------------------------------------ */
/* One activation on the grid: f and f' per branch (branch b = element index parity b). */
typedef struct series {
  clact_activation act;
  int branches;       /* 1, or 2 when the odd indices differ from the even ones */
  float *f[2], *g[2]; /* NPOINTS values each; f[1], g[1] only when branches == 2 */
} series;

typedef struct work {
  clact_context *ctx;
  cl_mem xb, yb, dyb, dxb;
  float x[NPOINTS];
  float x2[2 * NPOINTS], f2[2 * NPOINTS], g2[2 * NPOINTS];
} work;

static int plot_error(const char *what, cl_int err) {
  fprintf(stderr, "clact plot: %s: %s (status %d)\n", what, clact_status_string((clact_status)err),
          (int)err);
  return CLI_EXIT_DEVICE;
}

static int work_init(work *w) {
  for (size_t i = 0; i < 2 * (size_t)NPOINTS; i++)
    w->g2[i] = 1.0f; /* dy = 1 */
  cl_context cl = clact_context_cl(w->ctx);
  cl_int err = CL_SUCCESS;
  cl_mem *bufs[] = {&w->xb, &w->yb, &w->dyb, &w->dxb};
  for (size_t i = 0; i < 4 && err == CL_SUCCESS; i++)
    *bufs[i] = clCreateBuffer(cl, CL_MEM_READ_WRITE, sizeof w->x2, NULL, &err);
  if (err != CL_SUCCESS)
    return plot_error("creating device buffers", err);
  cl_command_queue q = clact_context_queue(w->ctx);
  err = clEnqueueWriteBuffer(q, w->dyb, CL_TRUE, 0, sizeof w->g2, w->g2, 0, NULL, NULL);
  for (size_t i = 0; i < NPOINTS; i++)
    w->x2[2 * i] = w->x2[2 * i + 1] = w->x[i];
  if (err == CL_SUCCESS)
    err = clEnqueueWriteBuffer(q, w->xb, CL_TRUE, 0, sizeof w->x2, w->x2, 0, NULL, NULL);
  return err == CL_SUCCESS ? CLI_EXIT_OK : plot_error("writing inputs", err);
}

static void work_free(work *w) {
  cl_mem bufs[] = {w->xb, w->yb, w->dyb, w->dxb};
  for (size_t i = 0; i < 4; i++)
    if (bufs[i])
      clReleaseMemObject(bufs[i]);
}

static void series_free(series *s) {
  for (int b = 0; b < 2; b++) {
    free(s->f[b]);
    free(s->g[b]);
  }
}

static int same(float a, float b) {
  return a == b || (isnan(a) && isnan(b));
}

/* f and f' of one activation at every grid point, at even and odd element indices. */
static int evaluate(work *w, clact_activation act, series *s) {
  const char *name = clact_name(act);
  memset(s, 0, sizeof *s);
  s->act = act;
  clact_status st =
      clact_forward(w->ctx, act, CLACT_F32, NULL, 2 * (size_t)NPOINTS, w->xb, 0, w->yb, 0, NULL);
  if (st == CLACT_SUCCESS)
    st = clact_backward(w->ctx, act, CLACT_F32, NULL, 2 * (size_t)NPOINTS, w->xb, 0, w->dyb, 0,
                        w->dxb, 0, NULL);
  if (st != CLACT_SUCCESS)
    return cli_report_status("plot", name, st, w->ctx);
  cl_command_queue q = clact_context_queue(w->ctx);
  cl_int err = clEnqueueReadBuffer(q, w->yb, CL_TRUE, 0, sizeof w->f2, w->f2, 0, NULL, NULL);
  if (err == CL_SUCCESS)
    err = clEnqueueReadBuffer(q, w->dxb, CL_TRUE, 0, sizeof w->g2, w->g2, 0, NULL, NULL);
  if (err != CL_SUCCESS)
    return plot_error("reading results", err);
  s->branches = 1;
  for (size_t i = 0; i < NPOINTS; i++)
    if (!same(w->f2[2 * i], w->f2[2 * i + 1]) || !same(w->g2[2 * i], w->g2[2 * i + 1]))
      s->branches = 2;
  for (int b = 0; b < s->branches; b++) {
    s->f[b] = malloc(NPOINTS * sizeof(float));
    s->g[b] = malloc(NPOINTS * sizeof(float));
    if (!s->f[b] || !s->g[b]) {
      fprintf(stderr, "clact plot: out of host memory\n");
      return CLI_EXIT_DEVICE;
    }
    for (size_t i = 0; i < NPOINTS; i++) {
      s->f[b][i] = w->f2[2 * i + (size_t)b];
      s->g[b][i] = w->g2[2 * i + (size_t)b];
    }
  }
  return CLI_EXIT_OK;
}

/* ---- the plot --------------------------------------------------------------------------- */
typedef struct curve {
  char label[64];
  const float *y;
  const float *slope; /* f' at the same points (function curves: the jump rule); NULL for f' */
  const char *colour;
  const char *dash; /* stroke-dasharray, NULL: solid */
} curve;

typedef struct plot {
  const float *x;
  double a, b;   /* x axis */
  double y0, y1; /* y axis */
  curve *curves;
  size_t ncurves;
  char title[256], subtitle[2][256]; /* two lines under the title */
  double width, height;
} plot;

static double px_of(const plot *p, double x) {
  return MARGIN_L + (x - p->a) / (p->b - p->a) * PLOT_W;
}

static double py_of(const plot *p, double y) {
  return MARGIN_T + PLOT_H - (y - p->y0) / (p->y1 - p->y0) * PLOT_H;
}

static int cmp_float(const void *a, const void *b) {
  float u = *(const float *)a, v = *(const float *)b;
  return (u > v) - (u < v);
}

/* The y axis from the finite values of all curves (the rule in the banner). */
static int y_window(plot *p) {
  float *v = p->ncurves ? malloc(p->ncurves * NPOINTS * sizeof *v) : NULL;
  if (!v) {
    fprintf(stderr, "clact plot: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  size_t n = 0;
  for (size_t c = 0; c < p->ncurves; c++)
    for (size_t i = 0; i < NPOINTS; i++)
      if (isfinite(p->curves[c].y[i]))
        v[n++] = p->curves[c].y[i];
  double lo = -1, hi = 1;
  if (n > 0) {
    qsort(v, n, sizeof *v, cmp_float);
    double q2 = v[(size_t)floor(0.02 * (double)(n - 1))];
    double q98 = v[(size_t)ceil(0.98 * (double)(n - 1))];
    double w = q98 - q2;
    lo = fmax(v[0], q2 - w / 4);
    hi = fmin(v[n - 1], q98 + w / 4);
  }
  free(v);
  if (!(hi - lo > 1e-9 * fmax(fabs(lo), fabs(hi)))) { /* constant: a window around it */
    double mid = (lo + hi) / 2, half = fmax(1.0, fabs(mid) * 0.1);
    lo = mid - half;
    hi = mid + half;
  }
  double m = 0.05 * (hi - lo);
  p->y0 = lo - m;
  p->y1 = hi + m;
  return CLI_EXIT_OK;
}

/* A round tick step giving about `target` ticks over `span`: 1, 2, 2.5 or 5 times 10^k. */
static double tick_step(double span, double target) {
  double raw = span / target, mag = pow(10.0, floor(log10(raw))), r = raw / mag;
  return mag * (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10);
}

/* A tick label: as many decimals as the step needs, %g for large or tiny magnitudes. */
static void tick_text(char *buf, size_t size, double v, double step) {
  if (fabs(v) < 1e-9 * step)
    v = 0;
  if (fabs(v) >= 1e6 || step < 1e-4) {
    snprintf(buf, size, "%g", v);
    return;
  }
  int d = 0; /* decimals: until step * 10^d is an integer (at most 6) */
  double s = step;
  while (d < 6 && fabs(s - round(s)) > 1e-6 * s) {
    s *= 10;
    d++;
  }
  snprintf(buf, size, "%.*f", d, v);
}

static void xml_text(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '&')
      fputs("&amp;", f);
    else if (*s == '<')
      fputs("&lt;", f);
    else if (*s == '>')
      fputs("&gt;", f);
    else if (*s == '"')
      fputs("&quot;", f);
    else
      fputc(*s, f);
  }
}

/* Whether the segment from point i to i + 1 of a finite curve is a jump (rules above). */
static int is_jump(const plot *p, const curve *c, size_t i) {
  double ya = c->y[i], yb = c->y[i + 1], d = fabs(yb - ya);
  if (c->slope) {
    double s = fmax(fabs((double)c->slope[i]), fabs((double)c->slope[i + 1]));
    if (!(s < INFINITY)) /* f' NaN or infinite: no bound on the change */
      return 0;
    double h = (double)p->x[i + 1] - (double)p->x[i];
    return d > 4 * s * h + 8 * FLT_EPSILON * fmax(fabs(ya), fabs(yb)) + FLT_MIN;
  }
  if (d * PLOT_H / (p->y1 - p->y0) <= 2)
    return 0;
  double nb = 0;
  int seen = 0;
  if (i >= 2 && isfinite(c->y[i - 2]) && isfinite(c->y[i - 1])) {
    nb = fmax(nb, fabs((double)c->y[i - 1] - c->y[i - 2]));
    seen = 1;
  }
  if (i + 3 < NPOINTS && isfinite(c->y[i + 2]) && isfinite(c->y[i + 3])) {
    nb = fmax(nb, fabs((double)c->y[i + 3] - c->y[i + 2]));
    seen = 1;
  }
  return seen && d > 16 * nb;
}

/* A run of connected points in pixels, written simplified: a point is dropped when every
 * point it stands for lies within 0.05 px of the straight line drawn instead. */
typedef struct run {
  double *px, *py;
  size_t n;
} run;

static void run_flush(FILE *f, run *r) {
  if (r->n >= 2) {
    size_t keep = 0;
    fprintf(f, "M%.2f,%.2f", r->px[0], r->py[0]);
    for (size_t k = 1; k < r->n; k++) {
      int need = k + 1 == r->n;
      if (!need) { /* may k go? then the line keep -> k+1 stands for keep+1 .. k */
        double dx = r->px[k + 1] - r->px[keep], dy = r->py[k + 1] - r->py[keep];
        double len = hypot(dx, dy);
        for (size_t j = keep + 1; j <= k && !need; j++) {
          double ex = r->px[j] - r->px[keep], ey = r->py[j] - r->py[keep];
          need = (len > 0 ? fabs(ex * dy - ey * dx) / len : hypot(ex, ey)) > 0.05;
        }
      }
      if (need) {
        fprintf(f, "L%.2f,%.2f", r->px[k], r->py[k]);
        keep = k;
      }
    }
  }
  r->n = 0;
}

static void run_add(run *r, double x, double y) {
  r->px[r->n] = x;
  r->py[r->n] = y;
  r->n++;
}

/* The path data of a curve: segments clipped to a band one plot height beyond the frame
 * (the clipPath trims the rest), broken at non-finite values and jumps. */
static void write_path(FILE *f, const plot *p, const curve *c, run *r) {
  double span = p->y1 - p->y0, lo = p->y0 - span, hi = p->y1 + span;
  int pen = 0; /* the run ends at point i, unclipped */
  for (size_t i = 0; i + 1 < NPOINTS; i++) {
    double xa = p->x[i], xb = p->x[i + 1], ya = c->y[i], yb = c->y[i + 1];
    if (!isfinite(ya) || !isfinite(yb) || is_jump(p, c, i)) {
      run_flush(f, r);
      pen = 0;
      continue;
    }
    double t0 = 0, t1 = 1;
    if (ya != yb) { /* clip y to [lo, hi] */
      double ta = (lo - ya) / (yb - ya), tb = (hi - ya) / (yb - ya);
      t0 = fmax(t0, fmin(ta, tb));
      t1 = fmin(t1, fmax(ta, tb));
    } else if (ya < lo || ya > hi) {
      t1 = -1;
    }
    if (t0 >= t1) {
      run_flush(f, r);
      pen = 0;
      continue;
    }
    if (!pen || t0 > 0) {
      run_flush(f, r);
      run_add(r, px_of(p, xa + t0 * (xb - xa)), py_of(p, t0 > 0 ? ya + t0 * (yb - ya) : ya));
    }
    run_add(r, px_of(p, t1 < 1 ? xa + t1 * (xb - xa) : xb),
            py_of(p, t1 < 1 ? ya + t1 * (yb - ya) : yb));
    pen = t1 >= 1;
  }
  run_flush(f, r);
}

static void write_svg(FILE *f, const plot *p, run *r) {
  double W = p->width, H = p->height, fx0 = MARGIN_L, fy0 = MARGIN_T, fx1 = MARGIN_L + PLOT_W,
         fy1 = MARGIN_T + PLOT_H;
  fprintf(f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
          "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, "
          "Arial, sans-serif\" font-size=\"12\">\n<title>",
          W, H, W, H);
  xml_text(f, p->title);
  fputs("</title>\n<desc>Made by clact plot: ", f);
  xml_text(f, p->subtitle[0]);
  fputs("; ", f);
  xml_text(f, p->subtitle[1]);
  fprintf(f,
          ".</desc>\n<defs><clipPath id=\"frame\"><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
          "height=\"%.0f\"/></clipPath></defs>\n"
          "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
          fx0, fy0, PLOT_W, PLOT_H, W, H);
  fputs("<text x=\"", f);
  fprintf(f, "%.0f\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">", fx0);
  xml_text(f, p->title);
  for (int l = 0; l < 2; l++) {
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"%d\" font-size=\"11\" fill=\"#666666\">", fx0,
            40 + 15 * l);
    xml_text(f, p->subtitle[l]);
  }
  fputs("</text>\n", f);

  /* ticks with grid lines and labels */
  double xs = tick_step(p->b - p->a, 8), ys = tick_step(p->y1 - p->y0, 7);
  char t[64];
  for (long k = (long)ceil(p->a / xs - 1e-9); (double)k * xs <= p->b + 1e-9 * xs; k++) {
    double v = (double)k * xs, X = px_of(p, v);
    tick_text(t, sizeof t, v, xs);
    fprintf(f,
            "<g class=\"xtick\"><line x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" "
            "stroke=\"#e8e8e8\"/><line x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" "
            "stroke=\"#444444\"/><text x=\"%.2f\" y=\"%.0f\" text-anchor=\"middle\" "
            "fill=\"#333333\">%s</text></g>\n",
            X, fy0, X, fy1, X, fy1, X, fy1 + 5, X, fy1 + 19, t);
  }
  for (long k = (long)ceil(p->y0 / ys - 1e-9); (double)k * ys <= p->y1 + 1e-9 * ys; k++) {
    double v = (double)k * ys, Y = py_of(p, v);
    tick_text(t, sizeof t, v, ys);
    fprintf(f,
            "<g class=\"ytick\"><line x1=\"%.0f\" y1=\"%.2f\" x2=\"%.0f\" y2=\"%.2f\" "
            "stroke=\"#e8e8e8\"/><line x1=\"%.0f\" y1=\"%.2f\" x2=\"%.0f\" y2=\"%.2f\" "
            "stroke=\"#444444\"/><text x=\"%.0f\" y=\"%.2f\" text-anchor=\"end\" "
            "fill=\"#333333\">%s</text></g>\n",
            fx0, Y, fx1, Y, fx0 - 5, Y, fx0, Y, fx0 - 8, Y + 4, t);
  }
  fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#333333\">x</text>\n",
          fx0 + PLOT_W / 2, fy1 + 38);
  /* the axes through zero */
  if (p->a < 0 && p->b > 0)
    fprintf(f,
            "<line class=\"axis\" x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" "
            "stroke=\"#999999\"/>\n",
            px_of(p, 0), fy0, px_of(p, 0), fy1);
  if (p->y0 < 0 && p->y1 > 0)
    fprintf(f,
            "<line class=\"axis\" x1=\"%.0f\" y1=\"%.2f\" x2=\"%.0f\" y2=\"%.2f\" "
            "stroke=\"#999999\"/>\n",
            fx0, py_of(p, 0), fx1, py_of(p, 0));

  /* the curves */
  fputs("<g clip-path=\"url(#frame)\" fill=\"none\" stroke-width=\"2\" "
        "stroke-linejoin=\"round\" stroke-linecap=\"round\">\n",
        f);
  for (size_t c = 0; c < p->ncurves; c++) {
    const curve *cv = &p->curves[c];
    fprintf(f, "<path class=\"curve\" stroke=\"%s\"", cv->colour);
    if (cv->dash)
      fprintf(f, " stroke-dasharray=\"%s\"", cv->dash);
    fputs(" d=\"", f);
    write_path(f, p, cv, r);
    fputs("\"><title>", f);
    xml_text(f, cv->label);
    fputs("</title></path>\n", f);
  }
  fputs("</g>\n", f);
  fprintf(f,
          "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
          "stroke=\"#444444\"/>\n",
          fx0, fy0, PLOT_W, PLOT_H);

  /* the legend, right of the frame */
  double lx = fx1 + LEGEND_GAP;
  for (size_t c = 0; c < p->ncurves; c++) {
    const curve *cv = &p->curves[c];
    double ly = fy0 + 12 + LEGEND_ROW * (double)c;
    fprintf(f,
            "<g class=\"legend\"><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
            "stroke=\"%s\" stroke-width=\"2\"",
            lx, ly, lx + 28, ly, cv->colour);
    if (cv->dash)
      fprintf(f, " stroke-dasharray=\"%s\"", cv->dash);
    fprintf(f, "/><text x=\"%.0f\" y=\"%.0f\" fill=\"#222222\">", lx + 36, ly + 4);
    xml_text(f, cv->label);
    fputs("</text></g>\n", f);
  }
  fputs("</svg>\n", f);
}

/* ---- output files ----------------------------------------------------------------------- */
typedef int (*emit_fn)(FILE *f, void *user);

/* Writes `path` through PATH.tmp.XXXXXX in the same folder, renamed into place only when
 * complete; on any error the temporary file is removed and an existing file kept. */
static int write_file(const char *path, emit_fn emit, void *user) {
  size_t n = strlen(path);
  char *tmp = malloc(n + sizeof ".tmp.XXXXXX");
  if (!tmp) {
    fprintf(stderr, "clact plot: out of host memory\n");
    return CLI_EXIT_DEVICE;
  }
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
  int fd = mkstemp(tmp);
  FILE *f = NULL;
  int ok = 0, e = 0;
  if (fd >= 0) {
    mode_t mask = umask(0); /* mkstemp makes the file 0600; give it what a new file gets */
    umask(mask);
    ok = fchmod(fd, 0666 & ~mask) == 0 && (f = fdopen(fd, "w")) != NULL;
    e = errno;
    if (!f)
      close(fd);
  } else {
    e = errno;
  }
  if (ok) {
    ok = emit(f, user) == 0 && fflush(f) == 0 && !ferror(f);
    e = errno;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) != 0) {
      e = errno;
      ok = 0;
    }
  }
  if (!ok) {
    if (fd >= 0)
      unlink(tmp);
    fprintf(stderr, "clact plot: cannot write %s: %s\n", path, strerror(e ? e : EIO));
  }
  free(tmp);
  return ok ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

typedef struct svg_job {
  const plot *p;
  run *r;
} svg_job;

static int emit_svg(FILE *f, void *user) {
  const svg_job *j = user;
  write_svg(f, j->p, j->r);
  return 0;
}

static int emit_dump(FILE *f, void *user) {
  const plot *p = user;
  fputs("# clact plot --dump: label<TAB>x<TAB>y, the device's float32 values\n", f);
  for (size_t c = 0; c < p->ncurves; c++)
    for (size_t i = 0; i < NPOINTS; i++)
      fprintf(f, "%s\t%.9g\t%.9g\n", p->curves[c].label, (double)p->x[i],
              (double)p->curves[c].y[i]);
  return 0;
}

/* ---- building plots ---------------------------------------------------------------------- */
/* The curves of some series: per activation and branch a colour; f solid, f' dashed. */
static size_t make_curves(const series *s, size_t ns, int derivative, curve *out) {
  size_t n = 0, k = 0;
  for (size_t i = 0; i < ns; i++)
    for (int b = 0; b < s[i].branches; b++, k++) {
      const char *name = clact_name(s[i].act);
      const char *branch = s[i].branches == 1 ? "" : b == 0 ? " (even i)" : " (odd i)";
      const char *colour = colours[k % NCOLOURS];
      int cycle = (int)(k / NCOLOURS) % 2;
      curve *c = &out[n++];
      snprintf(c->label, sizeof c->label, "%s%s", name, branch);
      c->y = s[i].f[b];
      c->slope = s[i].g[b];
      c->colour = colour;
      c->dash = cycle ? "10 3 2 3" : NULL;
      if (derivative) {
        c = &out[n++];
        snprintf(c->label, sizeof c->label, "%s'%s", name, branch);
        c->y = s[i].g[b];
        c->slope = NULL;
        c->colour = colour;
        c->dash = cycle ? "2 3" : "7 4";
      }
    }
  return n;
}

static void params_text(char *buf, size_t size, const clact_info *in) {
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; i < in->nparams && len < size; i++) {
    int k = snprintf(buf + len, size - len, "%s%s = %.10g", i ? ", " : "", in->params[i].name,
                     in->params[i].def);
    if (k < 0)
      break;
    len += (size_t)k;
  }
}

static int make_plot(plot *p, const float *x, double a, double b, const series *s, size_t ns,
                     int derivative, const char *device, curve *curves) {
  memset(p, 0, sizeof *p);
  p->x = x;
  p->a = a;
  p->b = b;
  p->curves = curves;
  p->ncurves = make_curves(s, ns, derivative, curves);
  size_t len = 0;
  for (size_t i = 0; i < ns && len < sizeof p->title; i++) {
    int k = snprintf(p->title + len, sizeof p->title - len, "%s%s", i ? ", " : "",
                     clact_name(s[i].act));
    len += k > 0 ? (size_t)k : 0;
  }
  if (derivative && len < sizeof p->title)
    snprintf(p->title + len, sizeof p->title - len, "%s",
             ns == 1 ? " and its derivative" : " and their derivatives");
  char params[200] = "";
  if (ns == 1)
    params_text(params, sizeof params, clact_get_info(s[0].act));
  int two = 0;
  for (size_t i = 0; i < ns; i++)
    two |= s[i].branches == 2;
  snprintf(p->subtitle[0], sizeof p->subtitle[0], "float32, %d points, computed on %s", NPOINTS,
           device);
  snprintf(p->subtitle[1], sizeof p->subtitle[1], "%s%s%s%s",
           params[0] ? "parameters: " : "default parameters", params,
           derivative ? "; f' (dashed): backward kernel with dy = 1" : "",
           two ? "; depends on the element index i: even and odd i drawn" : "");
  size_t maxlabel = 0;
  for (size_t c = 0; c < p->ncurves; c++)
    maxlabel = strlen(curves[c].label) > maxlabel ? strlen(curves[c].label) : maxlabel;
  /* at least 160 px of legend: the gallery's plots (labels up to 17 characters) share a size */
  p->width = ceil(MARGIN_L + PLOT_W + LEGEND_GAP + fmax(160, 36 + CHAR_W * (double)maxlabel) + 16);
  p->height = fmax(MARGIN_T + PLOT_H + MARGIN_B, MARGIN_T + 12 + LEGEND_ROW * (double)p->ncurves);
  return y_window(p);
}

/* ---- the gallery page ------------------------------------------------------------------- */
typedef struct gallery {
  const series *s;
  size_t ns;
  const char *device;
  double a, b;
} gallery;

static void html_entry(FILE *f, const clact_info *in) {
  fputs("<figure id=\"", f);
  xml_text(f, in->name);
  fputs("\"><img src=\"", f);
  xml_text(f, in->name);
  fputs(".svg\" alt=\"", f);
  xml_text(f, in->name);
  fputs(" and its derivative\" loading=\"lazy\"><figcaption><b>", f);
  xml_text(f, in->name);
  fputs("</b>", f);
  if (in->synonyms[0]) {
    fputs(" <span class=\"syn\">(", f);
    for (const char *q = in->synonyms; *q; q++) { /* "a,b" -> "a, b" */
      char one[2] = {*q, '\0'};
      xml_text(f, one);
      if (*q == ',' && q[1] != ' ')
        fputc(' ', f);
    }
    fputs(")</span>", f);
  }
  char params[200];
  params_text(params, sizeof params, in);
  if (params[0]) {
    fputs("<br>", f);
    xml_text(f, params);
  }
  fputs("<br><span class=\"props\">range ", f);
  xml_text(f, in->range);
  fputs(" · ", f);
  xml_text(f, in->continuity);
  fputs(" · monotonic ", f);
  xml_text(f, in->monotonic);
  fputs(" · f' monotonic ", f);
  xml_text(f, in->dmonotonic);
  fputs(" · identity near 0 ", f);
  xml_text(f, in->identity0);
  fputs("</span></figcaption></figure>\n", f);
}

static int emit_index(FILE *f, void *user) {
  const gallery *g = user;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>clact activation gallery</title>\n<style>\n"
        "body { font-family: \"DejaVu Sans\", Helvetica, Arial, sans-serif; margin: 2em; "
        "color: #222; }\n"
        ".grid { display: flex; flex-wrap: wrap; gap: 16px; }\n"
        "figure { margin: 0; width: 400px; border: 1px solid #ddd; padding: 8px; }\n"
        "figure img { width: 100%; height: auto; }\n"
        "figcaption { font-size: 13px; line-height: 1.5; }\n"
        ".syn, .props { color: #666; }\n</style>\n</head>\n<body>\n"
        "<h1>clact activation gallery</h1>\n<p>Each activation f (solid) and its derivative "
        "f' (dashed) with the default parameters, computed in float32 on ",
        f);
  xml_text(f, g->device);
  fprintf(f,
          " over [%g, %g] (%d points; f' by the backward kernel with dy = 1). Made by "
          "<code>clact plot --gallery</code>; grouped as the sections of CATALOGUE.md.</p>\n",
          g->a, g->b, NPOINTS);
  /* the sections in catalogue order, then whatever the registry has beyond them */
  unsigned char *done = calloc(g->ns ? g->ns : 1, 1);
  if (!done)
    return -1;
  for (size_t sec = 0; sec <= NSECTIONS; sec++) {
    int any = 0;
    const char *q = sec < NSECTIONS ? sections[sec].ids : "";
    for (size_t k = 0; sec < NSECTIONS ? *q != '\0' : k < g->ns; k++) {
      size_t i = k;
      if (sec < NSECTIONS) { /* the next id of the list, if plotted */
        size_t n = strcspn(q, " ");
        char id[64];
        snprintf(id, sizeof id, "%.*s", (int)n, q);
        q += n + (q[n] == ' ');
        clact_activation act;
        if (clact_lookup(id, &act) != CLACT_SUCCESS)
          continue;
        for (i = 0; i < g->ns && g->s[i].act != act; i++)
          ;
      }
      if (i >= g->ns || done[i])
        continue;
      done[i] = 1;
      if (!any)
        fprintf(f, "<h2>%s</h2>\n<div class=\"grid\">\n",
                sec < NSECTIONS ? sections[sec].title : "Other activations");
      any = 1;
      html_entry(f, clact_get_info(g->s[i].act));
    }
    if (any)
      fputs("</div>\n", f);
  }
  free(done);
  fputs("</body>\n</html>\n", f);
  return 0;
}

/* ---- the command ------------------------------------------------------------------------ */
enum { OPT_O, OPT_OUTPUT, OPT_RANGE, OPT_DERIVATIVE, OPT_GALLERY, OPT_DUMP, OPT_DEVICE, NOPTS };

static int parse_range(const char *text, double *a, double *b) {
  const char *colon = text ? strchr(text + (text[0] == '-' || text[0] == '+'), ':') : NULL;
  if (!text) {
    *a = DEFAULT_A;
    *b = DEFAULT_B;
    return CLI_EXIT_OK;
  }
  if (!colon) {
    fprintf(stderr, "clact plot: --range '%s' is not A:B (e.g. -6:6)\n", text);
    return CLI_EXIT_USAGE;
  }
  char left[64];
  snprintf(left, sizeof left, "%.*s", (int)(colon - text), text);
  int rc = cli_parse_double("plot", "--range", left, -1.000001e6, 1e6, a);
  if (rc == CLI_EXIT_OK)
    rc = cli_parse_double("plot", "--range", colon + 1, -1.000001e6, 1e6, b);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (*a < -1e6 || !(*a < *b)) {
    fprintf(stderr, "clact plot: --range %s: give A < B, both within [-1e6, 1e6]\n", text);
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}

int cli_cmd_plot(int argc, char **argv) {
  cli_opt opts[NOPTS] = {{"-o", "PATH", NULL},      {"--output", "PATH", NULL},
                         {"--range", "A:B", NULL},  {"--derivative", NULL, NULL},
                         {"--gallery", NULL, NULL}, {"--dump", "FILE", NULL},
                         {"--device", "P:D", NULL}};
  int npos;
  int rc = cli_parse_args("plot", usage, argc, argv, opts, NOPTS, &npos);
  if (rc != CLI_EXIT_OK)
    return rc;
  const char *out = opts[OPT_OUTPUT].value ? opts[OPT_OUTPUT].value : opts[OPT_O].value;
  int gal = opts[OPT_GALLERY].value != NULL;
  if (!out || !*out) {
    fprintf(stderr, "clact plot: give the output with -o %s (run 'clact plot --help')\n",
            gal ? "DIR" : "FILE.svg");
    return CLI_EXIT_USAGE;
  }
  if (gal && npos > 0) {
    fprintf(stderr, "clact plot: --gallery plots every activation: give no ids\n");
    return CLI_EXIT_USAGE;
  }
  if (!gal && npos == 0) {
    fprintf(stderr, "clact plot: give one or more activation ids, or --gallery (run 'clact "
                    "plot --help')\n");
    return CLI_EXIT_USAGE;
  }
  if (gal && opts[OPT_DUMP].value) {
    fprintf(stderr, "clact plot: --dump is for a single plot, not --gallery\n");
    return CLI_EXIT_USAGE;
  }
  double a, b;
  rc = parse_range(opts[OPT_RANGE].value, &a, &b);
  if (rc != CLI_EXIT_OK)
    return rc;
  clact_activation acts[CLACT_ACTIVATION_COUNT];
  size_t nacts;
  rc = cli_select_activations("plot", argv + 1, npos, acts, &nacts);
  if (rc != CLI_EXIT_OK)
    return rc;

  work *w = calloc(1, sizeof *w);
  series *s = calloc(nacts, sizeof *s);
  curve *curves = calloc(4 * nacts, sizeof *curves);
  run r = {malloc(NPOINTS * sizeof(double)), malloc(NPOINTS * sizeof(double)), 0};
  if (!w || !s || !curves || !r.px || !r.py) {
    fprintf(stderr, "clact plot: out of host memory\n");
    rc = CLI_EXIT_DEVICE;
    goto done;
  }
  for (size_t i = 0; i < NPOINTS; i++)
    w->x[i] = (float)(a + (b - a) * (double)i / (NPOINTS - 1));
  for (size_t i = 0; i + 1 < NPOINTS; i++)
    if (!(w->x[i] < w->x[i + 1])) {
      fprintf(stderr, "clact plot: --range %g:%g is too narrow for %d distinct float32 points\n", a,
              b, NPOINTS);
      rc = CLI_EXIT_USAGE;
      goto done;
    }
  if (gal && mkdir(out, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "clact plot: cannot create the folder %s: %s\n", out, strerror(errno));
    rc = CLI_EXIT_INPUT;
    goto done;
  }
  struct stat sb;
  if (gal && (stat(out, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
    fprintf(stderr, "clact plot: %s is not a folder\n", out);
    rc = CLI_EXIT_INPUT;
    goto done;
  }

  rc = cli_open_context("plot", opts[OPT_DEVICE].value, &w->ctx);
  if (rc != CLI_EXIT_OK)
    goto done;
  rc = work_init(w);
  for (size_t i = 0; i < nacts && rc == CLI_EXIT_OK; i++)
    rc = evaluate(w, acts[i], &s[i]);
  if (rc != CLI_EXIT_OK)
    goto done;
  char device[256];
  cli_device_string(clact_context_device(w->ctx), CL_DEVICE_NAME, device, sizeof device);

  plot p;
  if (!gal) {
    rc = make_plot(&p, w->x, a, b, s, nacts, opts[OPT_DERIVATIVE].value != NULL, device, curves);
    svg_job job = {&p, &r};
    if (rc == CLI_EXIT_OK && opts[OPT_DUMP].value)
      rc = write_file(opts[OPT_DUMP].value, emit_dump, &p);
    if (rc == CLI_EXIT_OK)
      rc = write_file(out, emit_svg, &job);
    goto done;
  }
  size_t len = strlen(out);
  char *path = malloc(len + 64);
  if (!path) {
    fprintf(stderr, "clact plot: out of host memory\n");
    rc = CLI_EXIT_DEVICE;
    goto done;
  }
  for (size_t i = 0; i < nacts && rc == CLI_EXIT_OK; i++) {
    rc = make_plot(&p, w->x, a, b, &s[i], 1, 1, device, curves);
    snprintf(path, len + 64, "%s/%s.svg", out, clact_name(acts[i]));
    svg_job job = {&p, &r};
    if (rc == CLI_EXIT_OK)
      rc = write_file(path, emit_svg, &job);
  }
  gallery g = {s, nacts, device, a, b};
  snprintf(path, len + 64, "%s/index.html", out);
  if (rc == CLI_EXIT_OK)
    rc = write_file(path, emit_index, &g);
  if (rc == CLI_EXIT_OK)
    printf("wrote %zu plots and %s\n", nacts, path);
  free(path);

done:
  if (s)
    for (size_t i = 0; i < nacts; i++)
      series_free(&s[i]);
  free(s);
  free(curves);
  free(r.px);
  free(r.py);
  if (w) {
    work_free(w);
    clact_context_destroy(w->ctx);
  }
  free(w);
  return rc;
}
