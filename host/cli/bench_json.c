/* host/cli/bench_json.c: a small strict JSON reader for `clact bench --compare FILE`.
 *
 * It checks the whole text against the JSON grammar (RFC 8259) and keeps only what the
 * comparison needs: the flat result objects of the "results" array. Strings keep their escapes
 * undecoded except \" and \\ (the ids and names clact writes are plain ASCII); a value that does
 * not fit its field is an error, never silently truncated. */
#include "bench_json.h"

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_FILE ((size_t)64 << 20)

typedef struct parser {
  const char *s;
  size_t len, pos;
  char *err;
  size_t errsize;
  int failed;
} parser;

static int fail(parser *p, const char *what) {
  if (!p->failed)
    snprintf(p->err, p->errsize, "%s at byte %zu", what, p->pos);
  p->failed = 1;
  return -1;
}

static void skip_ws(parser *p) {
  while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
                             p->s[p->pos] == '\r'))
    p->pos++;
}

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at p->pos (the opening quote). With `out`, its content (escapes \" and \\ decoded,
 * others kept as written) is copied; a content longer than outsize - 1 is an error. */
static int parse_string(parser *p, char *out, size_t outsize) {
  size_t k = 0;
  p->pos++; /* the opening quote */
  while (p->pos < p->len) {
    unsigned char c = (unsigned char)p->s[p->pos];
    if (c == '"') {
      p->pos++;
      if (out)
        out[k] = '\0';
      return 0;
    }
    if (c < 0x20)
      return fail(p, "control character in a string");
    char keep = (char)c;
    if (c == '\\') {
      if (p->pos + 1 >= p->len)
        return fail(p, "unterminated string");
      char e = p->s[p->pos + 1];
      if (e == 'u') {
        for (int i = 2; i < 6; i++)
          if (p->pos + (size_t)i >= p->len || !is_hex(p->s[p->pos + (size_t)i]))
            return fail(p, "bad \\u escape");
      } else if (!strchr("\"\\/bfnrt", e)) {
        return fail(p, "bad escape");
      }
      if (e == '"' || e == '\\') {
        keep = e;
        p->pos++;
      }
    }
    if (out) {
      if (k + 1 >= outsize)
        return fail(p, "string too long for its field");
      out[k++] = keep;
    }
    p->pos++;
  }
  return fail(p, "unterminated string");
}

static int parse_number(parser *p, double *out) {
  size_t start = p->pos;
  const char *s = p->s;
  if (p->pos < p->len && s[p->pos] == '-')
    p->pos++;
  if (p->pos >= p->len || s[p->pos] < '0' || s[p->pos] > '9')
    return fail(p, "bad number");
  if (s[p->pos] == '0')
    p->pos++;
  else
    while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
      p->pos++;
  if (p->pos < p->len && s[p->pos] == '.') {
    p->pos++;
    if (p->pos >= p->len || s[p->pos] < '0' || s[p->pos] > '9')
      return fail(p, "bad number");
    while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
      p->pos++;
  }
  if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
    p->pos++;
    if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
      p->pos++;
    if (p->pos >= p->len || s[p->pos] < '0' || s[p->pos] > '9')
      return fail(p, "bad number");
    while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
      p->pos++;
  }
  if (out) {
    char buf[512];
    size_t n = p->pos - start;
    if (n >= sizeof buf)
      return fail(p, "number longer than 511 characters");
    memcpy(buf, s + start, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
  }
  return 0;
}

/* A key: kept when it fits `key`, else read as "" (keys longer than any this reader wants are
 * unknown ones, skipped). */
static int read_key(parser *p, char *key, size_t size) {
  size_t at = p->pos;
  if (parse_string(p, key, size) == 0)
    return 0;
  p->failed = 0;
  p->pos = at;
  key[0] = '\0';
  return parse_string(p, NULL, 0);
}

static int skip_value(parser *p, int depth);

static int expect(parser *p, char c, const char *what) {
  skip_ws(p);
  if (p->pos >= p->len || p->s[p->pos] != c)
    return fail(p, what);
  p->pos++;
  return 0;
}

/* An object or array whose members are skipped (checked, not kept). */
static int skip_container(parser *p, int depth, char close) {
  if (depth >= MAX_DEPTH)
    return fail(p, "nesting too deep");
  p->pos++;
  skip_ws(p);
  if (p->pos < p->len && p->s[p->pos] == close) {
    p->pos++;
    return 0;
  }
  for (;;) {
    if (close == '}') {
      skip_ws(p);
      if (p->pos >= p->len || p->s[p->pos] != '"')
        return fail(p, "expected a key");
      if (parse_string(p, NULL, 0) || expect(p, ':', "expected ':'"))
        return -1;
    }
    if (skip_value(p, depth + 1))
      return -1;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    return expect(p, close, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static int skip_value(parser *p, int depth) {
  skip_ws(p);
  if (p->pos >= p->len)
    return fail(p, "expected a value");
  char c = p->s[p->pos];
  if (c == '{' || c == '[')
    return skip_container(p, depth, c == '{' ? '}' : ']');
  if (c == '"')
    return parse_string(p, NULL, 0);
  static const char *const words[] = {"true", "false", "null"};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(words[i]);
    if (p->len - p->pos >= n && memcmp(p->s + p->pos, words[i], n) == 0) {
      p->pos += n;
      return 0;
    }
  }
  return parse_number(p, NULL);
}

/* One result object: the keys kept, the others skipped. Missing keys are an error. */
static int parse_result(parser *p, bench_ref *r) {
  enum { ACT = 1, DIR = 2, DTYPE = 4, N = 8, GELEM = 16, RATIO = 32, ALL = 63 };
  int seen = 0;
  memset(r, 0, sizeof *r);
  skip_ws(p);
  if (p->pos >= p->len || p->s[p->pos] != '{')
    return fail(p, "a result is not an object");
  p->pos++;
  skip_ws(p);
  if (p->pos < p->len && p->s[p->pos] == '}')
    return fail(p, "empty result object");
  for (;;) {
    char key[32];
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"')
      return fail(p, "expected a key");
    if (read_key(p, key, sizeof key))
      return -1;
    if (expect(p, ':', "expected ':'"))
      return -1;
    skip_ws(p);
    int is_str = p->pos < p->len && p->s[p->pos] == '"';
    int is_num =
        p->pos < p->len && (p->s[p->pos] == '-' || (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'));
    int rc = 0;
    if (strcmp(key, "activation") == 0 && is_str) {
      rc = parse_string(p, r->activation, sizeof r->activation);
      seen |= ACT;
    } else if (strcmp(key, "direction") == 0 && is_str) {
      rc = parse_string(p, r->direction, sizeof r->direction);
      seen |= DIR;
    } else if (strcmp(key, "dtype") == 0 && is_str) {
      rc = parse_string(p, r->dtype, sizeof r->dtype);
      seen |= DTYPE;
    } else if (strcmp(key, "n") == 0 && is_num) {
      rc = parse_number(p, &r->n);
      seen |= N;
    } else if (strcmp(key, "gelem_per_s") == 0 && is_num) {
      rc = parse_number(p, &r->gelem_per_s);
      seen |= GELEM;
    } else if (strcmp(key, "ratio_to_copy") == 0 && is_num) {
      rc = parse_number(p, &r->ratio_to_copy);
      seen |= RATIO;
    } else {
      rc = skip_value(p, 2);
    }
    if (rc)
      return -1;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (expect(p, '}', "expected ',' or '}'"))
      return -1;
    if (seen != ALL)
      return fail(p, "a result lacks one of activation, direction, dtype, n, gelem_per_s, "
                     "ratio_to_copy");
    return 0;
  }
}

/* The "results" array: appends to *refs. */
static int parse_results(parser *p, bench_ref **refs, size_t *count) {
  size_t cap = 0;
  if (expect(p, '[', "\"results\" is not an array"))
    return -1;
  skip_ws(p);
  if (p->pos < p->len && p->s[p->pos] == ']') {
    p->pos++;
    return 0;
  }
  for (;;) {
    if (*count == cap) {
      size_t ncap = cap ? 2 * cap : 64;
      bench_ref *g = realloc(*refs, ncap * sizeof *g);
      if (!g)
        return fail(p, "out of host memory");
      *refs = g;
      cap = ncap;
    }
    if (parse_result(p, &(*refs)[*count]))
      return -1;
    (*count)++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    return expect(p, ']', "expected ',' or ']'");
  }
}

int bench_json_parse(const char *text, size_t len, bench_ref **refs, size_t *count, char *err,
                     size_t errsize) {
  parser p = {text, len, 0, err, errsize, 0};
  int found = 0;
  *refs = NULL;
  *count = 0;
  if (expect(&p, '{', "not a JSON object") == 0) {
    skip_ws(&p);
    if (p.pos < p.len && p.s[p.pos] == '}')
      p.pos++;
    else
      for (;;) {
        char key[32];
        skip_ws(&p);
        if (p.pos >= p.len || p.s[p.pos] != '"') {
          fail(&p, "expected a key");
          break;
        }
        if (read_key(&p, key, sizeof key) || expect(&p, ':', "expected ':'"))
          break;
        if (strcmp(key, "results") == 0 && !found) {
          found = 1;
          if (parse_results(&p, refs, count))
            break;
        } else if (skip_value(&p, 1)) {
          break;
        }
        skip_ws(&p);
        if (p.pos < p.len && p.s[p.pos] == ',') {
          p.pos++;
          continue;
        }
        expect(&p, '}', "expected ',' or '}'");
        break;
      }
  }
  if (!p.failed) {
    skip_ws(&p);
    if (p.pos != p.len)
      fail(&p, "text after the JSON object");
    else if (!found)
      fail(&p, "no \"results\" key (not the output of clact bench --json)");
  }
  if (p.failed) {
    free(*refs);
    *refs = NULL;
    *count = 0;
    return -1;
  }
  return 0;
}

int bench_json_load(const char *path, bench_ref **refs, size_t *count) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "clact bench: --compare %s: %s\n", path, strerror(errno));
    return CLI_EXIT_INPUT;
  }
  char *buf = malloc(MAX_FILE + 1);
  size_t len = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
  int read_error = ferror(f);
  fclose(f);
  char err[160];
  int rc = CLI_EXIT_OK;
  if (!buf) {
    fprintf(stderr, "clact bench: --compare %s: out of host memory\n", path);
    rc = CLI_EXIT_INPUT;
  } else if (read_error) {
    fprintf(stderr, "clact bench: --compare %s: read error\n", path);
    rc = CLI_EXIT_INPUT;
  } else if (len > MAX_FILE) {
    fprintf(stderr, "clact bench: --compare %s: larger than 64 MiB: not a bench result file\n",
            path);
    rc = CLI_EXIT_INPUT;
  } else if (bench_json_parse(buf, len, refs, count, err, sizeof err)) {
    fprintf(stderr, "clact bench: --compare %s: %s (give a file written by clact bench --json)\n",
            path, err);
    rc = CLI_EXIT_INPUT;
  }
  free(buf);
  return rc;
}
