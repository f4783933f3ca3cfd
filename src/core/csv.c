/*
 * The CSV reader and writer of csv.h. The reader keeps each record contiguous in its input
 * buffer, so that the raw bytes need no copy, and copies the fields once, undoubled and
 * NUL-terminated, into a second buffer of the same size. A record that runs past the
 * buffered input is parsed again from its start after a refill: that happens about once
 * per block, so it costs little, and it keeps the parser free of saved state.
 */
#include "core/csv.h"
#include "core/csv_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/banned.h"

#define BLOCK ((size_t)128 * 1024)

#define BOM "\xef\xbb\xbf"

enum { NEED_MORE = 2 };

enum problem { P_QUOTE, P_AFTER_QUOTE, P_CR, P_NUL, P_OPEN, P_LONG };

struct csv_reader {
	FILE *f;
	size_t record_max;
	/* A record of the maximum length with its CRLF: seeing this much without the record's
	 * end means the record is too long. */
	size_t window;
	/* The input buffer never grows past this: a window fits once the bytes before the
	 * record are moved out. */
	size_t in_max;
	char *in; /* in[pos, len) is read but not yet parsed */
	size_t in_cap, pos, len;
	int64_t line; /* line of in[pos] */
	bool started, eof, failed;
	bool skip; /* the rest of the current line belongs to a rejected record */
	char *rec; /* the fields' bytes; in_cap + 1 long, the most a window can produce */
	char **fields;
	size_t fields_cap;
	int64_t rec_line;
	const char *raw;
	size_t raw_len;
};

/* Bytes that end a run of plain bytes outside quotes (U) and inside them (Q). */
#define U 1
#define Q 2
static const unsigned char special[256] = {
	[0] = U | Q, ['\n'] = U | Q, ['"'] = U | Q, [','] = U, ['\r'] = U,
};

struct csv_reader *csv__reader_new_limits(FILE *f, size_t block, size_t record_max)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	if (block < 4 || record_max < 1 || record_max > CSV_RECORD_MAX)
		CRM_BUG("csv limits %zu, %zu", block, record_max);
	r->f = f;
	r->record_max = record_max;
	r->window = record_max + 2;
	r->in_max = r->window + block;
	r->in_cap = block;
	r->in = xmalloc(r->in_cap);
	r->rec = xmalloc(r->in_cap + 1);
	r->fields_cap = 16;
	r->fields = xmalloc(r->fields_cap * sizeof(*r->fields));
	r->line = 1;
	r->raw = "";
	return r;
}

struct csv_reader *csv_reader_new(FILE *f)
{
	return csv__reader_new_limits(f, BLOCK, CSV_RECORD_MAX);
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->in);
	free(r->rec);
	free(r->fields);
	free(r);
}

int64_t csv_reader_line(const struct csv_reader *r)
{
	return r->rec_line;
}

const char *csv_reader_raw(const struct csv_reader *r, size_t *len)
{
	*len = r->raw_len;
	return r->raw;
}

static int read_failed(struct csv_reader *r, int errnum, struct crm_err *err)
{
	r->failed = true;
	crm_err_set(err, CRM_EIO, NULL, "line %lld: reading the input failed", (long long)r->line);
	if (errnum)
		crm_err_detail(err, "%s", strerror(errnum));
	return CRM_EIO;
}

/* Moves the unparsed bytes to the front, grows the buffer when they fill it, and reads
 * what fits; sets eof when nothing more comes. */
static int fill(struct csv_reader *r, struct crm_err *err)
{
	size_t n;

	if (r->pos) {
		memmove(r->in, r->in + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len == r->in_cap) {
		if (r->in_cap >= r->in_max)
			CRM_BUG("csv input buffer full at %zu bytes", r->in_cap);
		r->in_cap = r->in_cap * 2 < r->in_max ? r->in_cap * 2 : r->in_max;
		r->in = xrealloc(r->in, r->in_cap);
		r->rec = xrealloc(r->rec, r->in_cap + 1);
	}
	errno = 0;
	n = fread(r->in + r->len, 1, r->in_cap - r->len, r->f);
	r->len += n;
	if (n == 0) {
		if (ferror(r->f))
			return read_failed(r, errno, err);
		r->eof = true;
	}
	return 0;
}

static int problem_report(const struct csv_reader *r, enum problem what, int64_t line,
			  int64_t rec_line, int64_t qline, bool in_quote, struct crm_err *err)
{
	switch (what) {
	case P_QUOTE:
		return crm_err_set(err, CRM_EINVAL, NULL,
				   "line %lld: a quote inside an unquoted field", (long long)line);
	case P_AFTER_QUOTE:
		return crm_err_set(err, CRM_EINVAL, NULL,
				   "line %lld: a closing quote not followed by a comma or line end",
				   (long long)line);
	case P_CR:
		return crm_err_set(err, CRM_EINVAL, NULL,
				   "line %lld: a carriage return not followed by a line feed",
				   (long long)line);
	case P_NUL:
		return crm_err_set(err, CRM_EINVAL, NULL, "line %lld: a NUL byte", (long long)line);
	case P_OPEN:
		return crm_err_set(err, CRM_EINVAL, NULL, "line %lld: unterminated quoted field",
				   (long long)qline);
	case P_LONG:
		crm_err_set(err, CRM_EINVAL, NULL, "line %lld: record longer than %zu bytes",
			    (long long)rec_line, r->record_max);
		if (in_quote)
			crm_err_detail(err, "the quoted field opened on line %lld is still open",
				       (long long)qline);
		return CRM_EINVAL;
	}
	CRM_BUG("csv problem %d", (int)what);
}

/*
 * Parses one record from in[pos, len): 1 with the fields, 0 at the end of input, NEED_MORE
 * when the buffered bytes end before the record does (nothing is consumed but empty lines),
 * or CRM_EINVAL with the malformed record consumed up to the end of the problem's line.
 */
static int parse(struct csv_reader *r, char ***out_fields, size_t *out_n, struct crm_err *err)
{
	const unsigned char *in = (const unsigned char *)r->in;
	size_t p = r->pos, len = r->len, start, lim, q, end, next, nf = 0, qpos = 0, errpos;
	int64_t line = r->line, rec_line, qline = 0, errline;
	bool full, in_quote = false, quoted;
	enum problem what;
	const unsigned char *lf;
	char *o;

	while (p < len) {
		if (in[p] == '\n') {
			p++;
			line++;
		} else if (in[p] == '\r' && p + 1 < len && in[p + 1] == '\n') {
			p += 2;
			line++;
		} else {
			break;
		}
	}
	r->pos = p;
	r->line = line;
	if (p == len)
		return r->eof ? 0 : NEED_MORE;

	start = p;
	rec_line = line;
	full = len - start >= r->window;
	lim = full ? start + r->window : len;
	o = r->rec;

/* At the end of the window: too long when it is full, else more input is needed, unless
 * the input is at its end, which the code after this decides. */
#define AT_LIMIT()                                                                                 \
	do {                                                                                       \
		if (full) {                                                                        \
			what = P_LONG;                                                             \
			goto bad;                                                                  \
		}                                                                                  \
		if (!r->eof)                                                                       \
			return NEED_MORE;                                                          \
	} while (0)

field:
	if (nf == r->fields_cap) {
		r->fields_cap *= 2;
		r->fields = xrealloc(r->fields, r->fields_cap * sizeof(*r->fields));
	}
	r->fields[nf++] = o;
	quoted = p < lim && in[p] == '"';
	if (quoted)
		goto quoted;
	for (q = p; q < lim && !(special[in[q]] & U); q++)
		;
	memcpy(o, in + p, q - p);
	o += q - p;
	p = q;
	goto sep;

quoted:
	in_quote = true;
	qpos = p++;
	qline = line;
	for (;;) {
		for (q = p; q < lim && !(special[in[q]] & Q); q++)
			;
		memcpy(o, in + p, q - p);
		o += q - p;
		p = q;
		if (p == lim) {
			AT_LIMIT();
			what = P_OPEN;
			goto bad;
		}
		if (in[p] == '\n') {
			*o++ = '\n';
			p++;
			line++;
		} else if (in[p] == '\0') {
			what = P_NUL;
			goto bad;
		} else if (p + 1 == lim) {
			AT_LIMIT();
			p++; /* the closing quote ends the input */
			break;
		} else if (in[p + 1] == '"') {
			*o++ = '"';
			p += 2;
		} else {
			p++;
			break;
		}
	}
	in_quote = false;

sep: /* after a field: a comma, the line's end or the input's; anything else is a problem */
	if (p == lim) {
		AT_LIMIT();
		end = next = len;
		goto done;
	}
	switch (in[p]) {
	case ',':
		*o++ = '\0';
		p++;
		goto field;
	case '\n':
		end = p;
		next = p + 1;
		goto done;
	case '\r':
		if (p + 1 == lim)
			AT_LIMIT();
		else if (in[p + 1] == '\n') {
			end = p;
			next = p + 2;
			goto done;
		}
		break;
	default:
		break;
	}
	/* an unquoted field stops only at a special byte: a lone CR, a quote or a NUL */
	what = quoted ? P_AFTER_QUOTE : in[p] == '\r' ? P_CR : in[p] == '"' ? P_QUOTE : P_NUL;
	goto bad;
#undef AT_LIMIT

done:
	*o = '\0';
	if (end - start > r->record_max) {
		what = P_LONG;
		p = end;
		goto bad;
	}
	r->raw = r->in + start;
	r->raw_len = end - start;
	r->pos = next;
	r->line = next > end ? line + 1 : line;
	r->rec_line = rec_line;
	*out_fields = r->fields;
	*out_n = nf;
	return 1;

bad:
	/* Go on after the line of the problem; for a quoted field left open, the problem is
	 * its opening quote, and the lines after it are read again as records. */
	errpos = in_quote && (what == P_OPEN || what == P_LONG) ? qpos : p;
	errline = in_quote && (what == P_OPEN || what == P_LONG) ? qline : line;
	lf = memchr(in + errpos, '\n', len - errpos);
	if (lf) {
		next = (size_t)(lf - in) + 1;
		end = next - 1;
		if (end > start && in[end - 1] == '\r')
			end--;
		r->line = errline + 1;
	} else if (!full && !r->eof) {
		return NEED_MORE;
	} else {
		/* the rest of the input, or of an over-long line that is still being read */
		end = next = len;
		r->skip = !r->eof;
		r->line = errline;
	}
	if (end - start > r->record_max)
		end = start + r->record_max;
	r->raw = r->in + start;
	r->raw_len = end - start;
	r->pos = next;
	r->rec_line = rec_line;
	return problem_report(r, what, line, rec_line, qline, in_quote, err);
}

int csv_reader_next(struct csv_reader *r, char ***out_fields, size_t *out_n, struct crm_err *err)
{
	const char *lf;
	int rc;

	if (r->failed)
		return read_failed(r, 0, err);
	if (!r->started) {
		while (r->len < 3 && !r->eof)
			if ((rc = fill(r, err)))
				return rc;
		if (r->len >= 3 && memcmp(r->in, BOM, 3) == 0)
			r->pos = 3;
		r->started = true;
	}
	for (;;) {
		if (r->skip) {
			lf = memchr(r->in + r->pos, '\n', r->len - r->pos);
			if (lf) {
				r->pos = (size_t)(lf - r->in) + 1;
				r->line++;
				r->skip = false;
			} else {
				r->pos = r->len;
				if (r->eof)
					r->skip = false;
				else if ((rc = fill(r, err)))
					return rc;
				continue;
			}
		}
		rc = parse(r, out_fields, out_n, err);
		if (rc != NEED_MORE)
			return rc;
		if ((rc = fill(r, err)))
			return rc;
	}
}

static bool needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return false;
	return s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n") ||
	       (n >= 3 && memcmp(s, BOM, 3) == 0);
}

/* Appends s as one field, after a '\'' when tick (which changes nothing about quoting: the
 * fields that get one start with neither a space nor a byte order mark). */
static void field_add(struct strbuf *sb, const char *s, bool tick)
{
	const char *p, *q, *e;
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	if (!needs_quotes(s, n)) {
		if (tick)
			strbuf_addch(sb, '\'');
		strbuf_add(sb, s, n);
		return;
	}
	e = s + n;
	strbuf_grow(sb, n + 3);
	strbuf_addch(sb, '"');
	if (tick)
		strbuf_addch(sb, '\'');
	for (p = s; (q = memchr(p, '"', (size_t)(e - p))); p = q + 1) {
		strbuf_add(sb, p, (size_t)(q - p) + 1);
		strbuf_addch(sb, '"');
	}
	strbuf_add(sb, p, (size_t)(e - p));
	strbuf_addch(sb, '"');
}

void csv_field_add(struct strbuf *sb, const char *s)
{
	field_add(sb, s, false);
}

static void record_add(struct strbuf *sb, const char *const *fields, size_t n, bool safe)
{
	if (n == 1 && (!fields[0] || !fields[0][0])) {
		strbuf_add(sb, "\"\"\n", 3);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(sb, ',');
		field_add(sb, fields[i], safe && csv_field_is_formula(fields[i]));
	}
	strbuf_addch(sb, '\n');
}

void csv_record_add(struct strbuf *sb, const char *const *fields, size_t n)
{
	record_add(sb, fields, n, false);
}

bool csv_field_is_formula(const char *s)
{
	if (!s)
		return false;
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s);
}

void csv_field_add_safe(struct strbuf *sb, const char *s)
{
	field_add(sb, s, csv_field_is_formula(s));
}

void csv_record_add_safe(struct strbuf *sb, const char *const *fields, size_t n)
{
	record_add(sb, fields, n, true);
}

const char *csv_field_restore(const char *s)
{
	return s[0] == '\'' && csv_field_is_formula(s + 1) ? s + 1 : s;
}
