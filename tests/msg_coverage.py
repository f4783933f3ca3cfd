#!/usr/bin/env python3
"""Every error message has its catalogue entry (src/core/msg.c).

An error is raised with crm_err_set(err, code, field, "format", values...) or a function or
macro that hands its format on to it. The API says a message in the caller's language by
looking its English format up in the catalogue; a format the catalogue lacks stays English
with the generic code of its kind. This check reads every such call in src/ and fails when
its format is not in the catalogue.

  - A format is the string literal at the call, adjacent literals joined ("a " "b") and
    string macros (#define FW_OPEN "...") expanded; `cond ? "a" : "b"` gives both.
  - Wrappers are found, not listed: a function whose parameter reaches crm_err_set (or
    another wrapper) as the format, and a function-like macro that passes
    a parameter (or __VA_ARGS__) into that place, are checked at their own call sites.
  - A format that is not a literal (a variable) must be listed in NON_LITERAL below, with
    the formats it can hold (each then checked) or the reason it needs none.
  - A message built at run time and raised as "%s" is listed in RUNTIME with its reason;
    the catalogue cannot translate it.

Also checked: that each catalogue entry is raised somewhere, the catalogue's codes, that
no English format is there twice, that the Chinese names each value the format keeps and
no other, and that a format fits struct crm_err's format[] (a longer one would be cut and
never found).

Usage: msg_coverage.py [--root DIR] [--list] [--self-test]   (exit 1 when something is
missing)
"""

import argparse
import os
import re
import sys

SINKS = {"crm_err_set": 3}  # function -> index of its format argument (0-based)
FORMAT_MAX = 256  # CRM_ERR_MESSAGE_MAX: struct crm_err's format[] holds one less
ARGS_MAX = 6  # CRM_ERR_ARGS: the values a message keeps for its translation
CODE_RE = re.compile(r"[a-z][a-zA-Z]*(\.[a-zA-Z]+)+\Z")



class Member:
    """The formats of a struct member: every designated initializer `.name = "..."` in
    src/ (each must be a literal)."""

    def __init__(self, name):
        self.name = name


# Formats that are not literals at their call: (file, the argument's text) ->
# (the formats it can be: a list or a Member, each then checked, or None when it is no
# message a person reads; and why).
NON_LITERAL = {
    ("src/domain/resource.c", "f->taken"): (
        Member("taken"),
        "a unique column's conflict message, from its RES_FIELD(..., .taken = \"...\")",
    ),
}

# Messages raised as "%s": (file, the value's text) -> why it is built at run time (the
# catalogue cannot translate these; they keep English and their kind's code).
RUNTIME = {
    ("src/cli/import.c", "it->refusal"): (
        "a reader thread's refusal, kept as its message, raised again by the writer when "
        "fatal; the command line prints English"
    ),
    ("src/core/expr_parse.c", "strbuf_cstr(&sb)"): (
        "the rule language's first error with its place and hint (expr_error_format); "
        "rules_validate answers with the list of errors, not this message"
    ),
    ("src/http/server.c", "http__reason_of(http_status_of(code))"): (
        "the HTTP reason phrase, for an error returned without a message (a bug); its "
        "code is its kind's"
    ),
}

# ---- reading C ----------------------------------------------------------------------------

SIMPLE_ESC = {
    "n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11,
    "\\": 92, "'": 39, '"': 34, "?": 63,
}


def strip_comments(text):
    """text with comments blanked (newlines kept), literals untouched."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = skip_literal(text, i)
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def skip_literal(text, i):
    """The index after the string or character literal starting at text[i]."""
    q = text[i]
    j = i + 1
    while j < len(text) and text[j] != q:
        if text[j] == "\\":
            j += 1
        elif text[j] == "\n":
            break
        j += 1
    return j + 1


def decode_literal(body):
    """The text of a C string literal's body (between the quotes), escapes applied."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        i += 1
        e = body[i]
        if e in SIMPLE_ESC:
            out.append(SIMPLE_ESC[e])
            i += 1
        elif e == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 1:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 1 + len(m.group(0))
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += len(m.group(0))
        else:
            raise ValueError("unknown escape \\" + e)
    return out.decode("utf-8", errors="surrogateescape")


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def matching(text, i):
    """Index of the bracket closing the one at text[i]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[text[i]]]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c in "\"'":
            j = skip_literal(text, j)
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if c != stack.pop():
                raise ValueError("unbalanced %r at %d" % (c, j))
            if not stack:
                return j
        j += 1
    raise ValueError("unclosed bracket at %d" % i)


def top_level(text):
    """(index, character) of text's characters outside literals and brackets."""
    depth, j = 0, 0
    while j < len(text):
        c = text[j]
        if c in "\"'":
            j = skip_literal(text, j)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            yield j, c
        j += 1


def split_args(text):
    """The top-level comma-separated pieces of text (an argument list's inside)."""
    args, start = [], 0
    for j, c in top_level(text):
        if c == ",":
            args.append(text[start:j])
            start = j + 1
    args.append(text[start:])
    return [a.strip() for a in args]


TOKEN_RE = re.compile(r'\s*(?:(u8|L|u|U)?"((?:[^"\\\n]|\\.)*)"|([A-Za-z_]\w*)|(\S))', re.S)


def literal_values(expr, macros):
    """The strings expr can be if it is made of literals: "a" "b", MACRO, c ? x : y,
    (x). None when it is anything else."""
    expr = expr.strip()
    # c ? x : y at the top level
    q = None
    for j, c in top_level(expr):
        if c == "?" and q is None:
            q = j
        elif c == ":" and q is not None:
            a = literal_values(expr[q + 1:j], macros)
            b = literal_values(expr[j + 1:], macros)
            return None if a is None or b is None else a + b
    if expr.startswith("(") and matching(expr, 0) == len(expr) - 1:
        return literal_values(expr[1:-1], macros)
    parts, pos = [""], 0
    while pos < len(expr):
        m = TOKEN_RE.match(expr, pos)
        if not m:
            break
        pos = m.end()
        if m.group(2) is not None:
            s = decode_literal(m.group(2))
            parts = [p + s for p in parts]
        elif m.group(3) and m.group(3) in macros:
            parts = [p + s for p in parts for s in macros[m.group(3)]]
        elif m.group(0).strip():
            return None
    return parts if expr else None


# ---- the sources --------------------------------------------------------------------------


class Source:
    def __init__(self, root, path):
        self.path = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            self.raw = f.read()
        text = strip_comments(self.raw)
        # preprocessor lines (with their continuations) apart from the code
        self.directives = []  # (line, text joined)
        code = []
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            if lines[i].lstrip().startswith("#"):
                start, joined = i, lines[i]
                while joined.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    joined = joined[:-1] + " " + lines[i]
                self.directives.append((start + 1, joined.strip()))
                code.extend([""] * (i - start + 1))
            else:
                code.append(lines[i])
            i += 1
        self.code = "\n".join(code)
        self.functions = self.find_functions()

    def find_functions(self):
        """(name, params, body start, body end) of each function defined at file level."""
        out, depth, j, code = [], 0, 0, self.code
        while j < len(code):
            c = code[j]
            if c in "\"'":
                j = skip_literal(code, j)
                continue
            if c == "{":
                if depth == 0:
                    head = code[max(0, j - 2000):j]
                    m = re.search(r"(\w+)\s*\(([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*)\)"
                                  r"(?:\s*__attribute__\s*\(\(.*?\)\))?\s*$", head, re.S)
                    if m and m.group(1) not in ("if", "for", "while", "switch", "sizeof"):
                        end = matching(code, j)
                        out.append((m.group(1), param_names(m.group(2)), j, end))
                        j = end + 1
                        continue
                depth += 1
            elif c == "}":
                depth -= 1
            j += 1
        return out

    def function_at(self, pos):
        for f in self.functions:
            if f[2] <= pos <= f[3]:
                return f
        return None


def param_names(params):
    names = []
    for p in split_args(params):
        if p == "...":
            names.append("...")
            continue
        m = re.search(r"(\w+)\s*(\[[^\]]*\])*$", p)
        names.append(m.group(1) if m else "")
    return names


def string_macros(sources):
    """NAME -> [its text] for every #define whose body is string literals alone."""
    defs = {}
    for s in sources:
        for _, d in s.directives:
            m = re.match(r"#\s*define\s+([A-Za-z_]\w*)\s+(\S.*)$", d)
            if m and '"' in m.group(2):
                defs[m.group(1)] = m.group(2)
    macros = {}
    for _ in range(4):  # macros naming macros
        for name, body in defs.items():
            v = literal_values(body, macros)
            if v is not None:
                macros[name] = v
    return macros


def calls(code, names):
    """(name, position, argument texts) of each call of a name in names."""
    if not names:
        return
    for m in re.finditer(r"\b(%s)\s*\(" % "|".join(map(re.escape, names)), code):
        if re.search(r"[\w*]\s*$", code[max(0, m.start() - 40):m.start()]) and \
                re.search(r"\b(?:int|void|char|static|const|struct\s+\w+)\s*\**\s*$",
                          code[max(0, m.start() - 40):m.start()]):
            continue  # a declaration or definition, not a call
        open_ = m.end() - 1
        close = matching(code, open_)
        yield m.group(1), m.start(), split_args(code[open_ + 1:close])


def find_wrappers(sources):
    """SINKS and every function or macro that passes its format on, to the index of its
    format argument."""
    sinks = dict(SINKS)
    macro_defs = []
    for s in sources:
        for line, d in s.directives:
            m = re.match(r"#\s*define\s+([A-Za-z_]\w*)\(([^)]*)\)\s*(.*)$", d)
            if m:
                macro_defs.append((s, line, m.group(1),
                                   [p.strip() for p in m.group(2).split(",")], m.group(3)))
    changed = True
    while changed:
        changed = False
        for s in sources:
            for name, pos, args in calls(s.code, list(sinks)):
                k = sinks[name]
                f = s.function_at(pos)
                if k >= len(args) or not f or f[0] in sinks:
                    continue
                if args[k] in f[1]:  # its own parameter: the callers give the format
                    sinks[f[0]] = f[1].index(args[k])
                    changed = True
        for s, line, mname, params, body in macro_defs:
            if mname in sinks:
                continue
            for name, pos, args in calls(body, list(sinks)):
                k = sinks[name]
                if k < len(args) and args[k] in params:
                    sinks[mname] = params.index(args[k])
                    changed = True
                elif "__VA_ARGS__" in args[:k + 1]:
                    v = args.index("__VA_ARGS__")
                    sinks[mname] = params.index("...") + (k - v)
                    changed = True
    return sinks, macro_defs


def member_values(sources, name, macros, problems):
    """The literals of every `.name = ...` initializer; problems gets any other."""
    out = []
    for s in sources:
        for m in re.finditer(r"\.%s\s*=\s*" % re.escape(name), s.code):
            j, depth = m.end(), 0
            while j < len(s.code):  # up to the ',' or closing bracket that ends it
                c = s.code[j]
                if c in "\"'":
                    j = skip_literal(s.code, j)
                    continue
                if c in "([{":
                    depth += 1
                elif c in ")]}" and depth == 0 or c == "," and depth == 0:
                    break
                elif c in ")]}":
                    depth -= 1
                j += 1
            v = literal_values(s.code[m.end():j], macros)
            if v is None:
                problems.append("%s:%d: .%s = %s is not a literal"
                                % (s.path, line_of(s.code, m.start()), name,
                                   s.code[m.end():j].strip()))
            else:
                out += v
    return out


def read_catalogue(root):
    path = os.path.join(root, "src", "core", "msg.c")
    with open(path, encoding="utf-8") as f:
        code = strip_comments(f.read())
    m = re.search(r"\bcatalogue\s*\[\s*\]\s*=\s*\{", code)
    body = code[m.end() - 1:matching(code, m.end() - 1) + 1]
    entries = []
    j = 1
    while True:
        k = body.find("{", j)
        if k < 0:
            break
        end = matching(body, k)
        parts = [literal_values(a, {}) for a in split_args(body[k + 1:end])]
        if len(parts) != 3 or any(p is None or len(p) != 1 for p in parts):
            raise SystemExit("msg.c:%d: a catalogue entry is not three literals"
                             % line_of(code, m.end() + k))
        entries.append((parts[0][0], parts[1][0], parts[2][0],
                        line_of(code, m.end() - 1 + k)))
        j = end + 1
    return entries


# ---- printf formats -----------------------------------------------------------------------

CONV_RE = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|j|z|t|L)?([diouxXcsfFeEgGaAp%n])")


def conversions(fmt):
    """The values a format keeps (one per conversion, '*' included in its value)."""
    n = 0
    for m in CONV_RE.finditer(fmt):
        if m.group(5) != "%":
            n += 1
    return n


# ---- the check ----------------------------------------------------------------------------


SELF_TEST = {
    "src/core/msg.c": r'''
static const struct msg catalogue[] = {
	{"a.known", "known '%s'", "已知“{1}”"},
	{"a.split", "split over " "two lines", "分两行"},
	{"a.macro", "open \xef\xbc\x88 here", "这里"},
	{"a.either", "first", "一"},
};
''',
    "src/core/x.h": r'''
#define OPEN "\xef\xbc\x88"
#define FAIL(e, fmt, ...) crm_err_set(e, CRM_EINVAL, NULL, fmt, __VA_ARGS__)
#define FAIL2(e, ...) crm_err_set(e, CRM_EINVAL, NULL, __VA_ARGS__)
''',
    "src/core/x.c": r'''
/* crm_err_set(err, 0, NULL, "in a comment"); */
static int bad(struct crm_err *err, const char *fmt, ...)
{
	va_list ap;
	return crm_err_set(err, CRM_EINVAL, NULL, fmt, "x");
}
int f(struct crm_err *err, int c)
{
	crm_err_set(err, CRM_EINVAL, "f", "known '%s'", "v");
	crm_err_set(err, CRM_EINVAL, "f",
		    "split over "
		    "two lines");
	crm_err_set(err, CRM_EINVAL, NULL, "open " OPEN " here");
	crm_err_set(err, CRM_EINVAL, NULL, c ? "first" : "second");
	bad(err, "through a wrapper");
	FAIL(err, "through a macro %d", 1);
	FAIL2(err, "through a variadic macro");
	return crm_err_set(err, CRM_EINVAL, NULL, fmt_of(c));
}
static int plain(struct crm_err *err, const char *what)
{
	return crm_err_set(err, CRM_EINVAL, NULL, what);
}
int g(struct crm_err *err)
{
	return plain(err, "through a plain function");
}
''',
}


def self_test():
    """Runs the check on SELF_TEST's little tree: what it must find."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for path, text in SELF_TEST.items():
            os.makedirs(os.path.dirname(os.path.join(d, path)), exist_ok=True)
            with open(os.path.join(d, path), "w", encoding="utf-8") as f:
                f.write(text)
        r = subprocess.run([sys.executable, __file__, "--root", d], capture_output=True,
                           text=True, check=False)
    want = [
        "src/core/x.c:15: not in the catalogue: \"second\"",
        "src/core/x.c:16: not in the catalogue: \"through a wrapper\"",
        "src/core/x.c:17: not in the catalogue: \"through a macro %d\"",
        "src/core/x.c:18: not in the catalogue: \"through a variadic macro\"",
        "src/core/x.c:19: crm_err_set() with format 'fmt_of(c)', not a literal",
        "src/core/x.c:27: not in the catalogue: \"through a plain function\"",
        "wrappers: FAIL, FAIL2, bad, plain",
    ]
    got = r.stdout
    lines = [w for w in want if w not in got]
    if r.returncode != 1 or lines or got.count("not in the catalogue:") != 5:
        print(got + r.stderr)
        print("msg_coverage --self-test: missed %s" % lines)
        return 1
    print("msg_coverage --self-test: ok")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--list", action="store_true", help="print every format and its code")
    ap.add_argument("--self-test", action="store_true", help="check the checker on a sample")
    opt = ap.parse_args()
    if opt.self_test:
        return self_test()
    root = os.path.abspath(opt.root)

    paths = []
    for d, _, files in os.walk(os.path.join(root, "src")):
        paths += [os.path.join(d, f) for f in files if f.endswith((".c", ".h"))]
    sources = [Source(root, p) for p in sorted(paths)]
    macros = string_macros(sources)
    sinks, macro_defs = find_wrappers(sources)
    catalogue = read_catalogue(root)
    by_en = {}
    problems = []

    for code, en, zh, line in catalogue:
        where = "src/core/msg.c:%d" % line
        if not CODE_RE.match(code):
            problems.append("%s: code '%s' is not camelCase segments joined by dots"
                            % (where, code))
        if en in by_en:
            problems.append("%s: '%s' is in the catalogue twice" % (where, en))
        by_en.setdefault(en, code)
        n = conversions(en)
        if n > ARGS_MAX:
            problems.append("%s: '%s' has %d values; a message keeps %d"
                            % (where, en, n, ARGS_MAX))
        named = set()
        for ph in re.finditer(r"\{(\d+)n?\}", zh):
            named.add(int(ph.group(1)))
            if not 1 <= int(ph.group(1)) <= n:
                problems.append("%s: %s's Chinese names {%s}; the format has %d values"
                                % (where, code, ph.group(1), n))
        for k in sorted(set(range(1, n + 1)) - named):
            problems.append("%s: %s's Chinese leaves out value {%d} of '%s'"
                            % (where, code, k, en))

    raised = []  # (where, format)
    missing, seen_non_literal, seen_runtime = [], set(), set()
    unaccounted = []
    wrapper_defs = {f[0] for s in sources for f in s.functions if f[0] in sinks}
    macro_names = {m[2] for m in macro_defs if m[2] in sinks}
    for s in sources:
        for name, pos, args in calls(s.code, list(sinks)):
            k = sinks[name]
            where = "%s:%d" % (s.path, line_of(s.code, pos))
            f = s.function_at(pos)
            if k >= len(args):
                unaccounted.append("%s: %s() with no format argument" % (where, name))
                continue
            if f and f[0] in wrapper_defs and args[k] in f[1]:
                continue  # a wrapper passing its own format on; checked at its calls
            values = literal_values(args[k], macros)
            if values is None:
                key = (s.path, args[k])
                if key not in NON_LITERAL:
                    unaccounted.append("%s: %s() with format '%s', not a literal: list it "
                                       "in NON_LITERAL" % (where, name, args[k]))
                    continue
                seen_non_literal.add(key)
                values = NON_LITERAL[key][0] or []
                if isinstance(values, Member):
                    values = member_values(sources, values.name, macros, unaccounted)
            for fmt in values:
                if fmt == "%s":
                    key = (s.path, args[k + 1] if k + 1 < len(args) else "")
                    if key in RUNTIME:
                        seen_runtime.add(key)
                    else:
                        unaccounted.append("%s: %s() raises a message built at run time "
                                           "('%%s' of %s): list it in RUNTIME"
                                           % (where, name, key[1]))
                    continue
                raised.append((where, fmt))
                if len(fmt.encode("utf-8", errors="surrogateescape")) >= FORMAT_MAX:
                    problems.append("%s: format is %d bytes; struct crm_err keeps %d, so it "
                                    "is never found: '%s'"
                                    % (where, len(fmt.encode()), FORMAT_MAX - 1, fmt))
                if fmt not in by_en:
                    missing.append((where, fmt))
    formats = {f for _, f in raised}
    for code, en, zh, line in catalogue:
        if en not in formats:
            problems.append("src/core/msg.c:%d: %s '%s' is raised nowhere; remove it (or "
                            "the English at its call changed)" % (line, code, en))
    for key in NON_LITERAL:
        if key not in seen_non_literal:
            problems.append("NON_LITERAL lists %s: %s, which no call has now" % key)
    for key in RUNTIME:
        if key not in seen_runtime:
            problems.append("RUNTIME lists %s: %s, which no call has now" % key)

    if opt.list:
        for where, fmt in raised:
            print("%-40s %-36s %s" % (where, by_en.get(fmt, "-"), fmt))
        for key, (vals, why) in sorted(NON_LITERAL.items()):
            print("non-literal %s: %s (%s)" % (key[0], key[1], why))
        for key, why in sorted(RUNTIME.items()):
            print("run time    %s: %s (%s)" % (key[0], key[1], why))
    print("msg_coverage: %d formats at %d calls (wrappers: %s), %d catalogue entries, "
          "%d not literal, %d built at run time"
          % (len({f for _, f in raised}), len(raised),
             ", ".join(sorted(set(sinks) - set(SINKS))) or "none", len(catalogue),
             len(seen_non_literal), len(seen_runtime)))
    for where, fmt in missing:
        print("%s: not in the catalogue: \"%s\"" % (where, fmt))
    for p in unaccounted + problems:
        print(p)
    if missing:
        print("msg_coverage: %d calls (%d formats) not in the catalogue (src/core/msg.c)"
              % (len(missing), len({f for _, f in missing})))
    return 1 if missing or unaccounted or problems else 0


if __name__ == "__main__":
    sys.exit(main())
