/* Unit tests: the CSV reader on simple and quoted records, line breaks, the byte order
 * mark, empty lines, every malformed case with its message and the recovery after it,
 * records at and over the limit, input spanning many blocks and read errors; the writer's
 * quoting, and writer output read back on random bytes and Chinese text; formulas
 * neutralised and restored. */
#include "cmocka_all.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

/* xorshift64: the same sequence on every run. */
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static uint32_t rand_below(uint32_t n)
{
	return next_rand() % n;
}

/* A stream over a copy of n bytes of s (fmemopen wants a writable buffer, and an empty
 * one is not portable, so that is a temporary file). */
static FILE *open_bytes(const char *s, size_t n, char **copy)
{
	FILE *f;

	*copy = NULL;
	if (n == 0) {
		f = tmpfile();
	} else {
		*copy = xmalloc(n);
		memcpy(*copy, s, n);
		f = fmemopen(*copy, n, "r");
	}
	assert_non_null(f);
	return f;
}

static void add_escaped(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			strbuf_addstr(sb, "\\n");
		else if (s[i] == '\r')
			strbuf_addstr(sb, "\\r");
		else if (s[i] == '\0')
			strbuf_addstr(sb, "\\0");
		else
			strbuf_addch(sb, s[i]);
	}
}

/*
 * Reads all of s (n bytes) and describes what came out, one line per call:
 *   "LINE:field|field"          a record (line breaks in fields as \n, \r)
 *   "LINE!message{raw}"         a malformed record (raw shown when short, else its length)
 * The result is a heap string the caller frees.
 */
static char *trace_n(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	char *copy, **fields, **before;
	size_t nf, nf_before, raw_len;
	const char *raw;
	int rc, calls = 0;
	FILE *f = open_bytes(s, n, &copy);

	r = csv_reader_new(f);
	for (;;) {
		struct crm_err err;

		memset(&err, 0, sizeof(err));
		fields = before = (char **)&calls;
		nf = nf_before = 12345;
		rc = csv_reader_next(r, &fields, &nf, &err);
		assert_true(++calls < 100000);
		if (rc == 0) {
			assert_ptr_equal(fields, before);
			assert_int_equal(nf, nf_before);
			assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 0);
			break;
		}
		raw = csv_reader_raw(r, &raw_len);
		strbuf_addf(&sb, "%lld", (long long)csv_reader_line(r));
		if (rc == 1) {
			assert_int_equal(err.code, 0);
			assert_true(nf >= 1);
			strbuf_addch(&sb, ':');
			for (size_t i = 0; i < nf; i++) {
				if (i)
					strbuf_addch(&sb, '|');
				add_escaped(&sb, fields[i], strlen(fields[i]));
			}
		} else {
			assert_int_equal(rc, CRM_EINVAL);
			assert_int_equal(err.code, CRM_EINVAL);
			assert_ptr_equal(fields, before);
			assert_int_equal(nf, nf_before);
			assert_true(raw_len <= CSV_RECORD_MAX);
			strbuf_addf(&sb, "!%s{", err.message);
			if (raw_len <= 40)
				add_escaped(&sb, raw, raw_len);
			else
				strbuf_addf(&sb, "%zu bytes", raw_len);
			strbuf_addch(&sb, '}');
		}
		strbuf_addch(&sb, '\n');
	}
	csv_reader_free(r);
	fclose(f);
	free(copy);
	return strbuf_detach(&sb, NULL);
}

static void expect_n(const char *s, size_t n, const char *want)
{
	char *got = trace_n(s, n);

	assert_string_equal(got, want);
	free(got);
}

static void expect(const char *s, const char *want)
{
	expect_n(s, strlen(s), want);
}

static void test_simple(void **state)
{
	(void)state;
	expect("", "");
	expect("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	expect("a\n", "1:a\n");
	expect(",\n,,x\nx,,\n", "1:|\n2:||x\n3:x||\n");
	expect("  spaced , out \n", "1:  spaced | out \n");
	expect("中文,客户\n", "1:中文|客户\n");
}

static void test_quoted(void **state)
{
	(void)state;
	expect("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:a,b|say \"hi\"|\n");
	expect("\"\"\"\"\n", "1:\"\n");
	expect("\"\"\n", "1:\n");
	/* line breaks inside quotes, and the line numbers of the records after them */
	expect("\"two\nlines\",x\nnext\n\"a\n\nb\n\"\nlast\n",
	       "1:two\\nlines|x\n3:next\n4:a\\n\\nb\\n\n8:last\n");
	expect("x,\"a\nb\",\"c\nd\"\ny\n", "1:x|a\\nb|c\\nd\n4:y\n");
	/* CR inside quotes is kept, alone or before LF */
	expect("\"a\rb\",\"c\r\nd\"\r\ne\r\n", "1:a\\rb|c\\r\\nd\n3:e\n");
}

static void test_crlf(void **state)
{
	(void)state;
	expect("a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n");
	expect("a,b\r\nc,d", "1:a|b\n2:c|d\n");
	expect("\"a\"\r\n\"b\"\r\n", "1:a\n2:b\n");
	expect("a,\r\n", "1:a|\n");
	expect("a\nb\r\nc\n", "1:a\n2:b\n3:c\n");
}

static void test_bom(void **state)
{
	(void)state;
	expect("\xef\xbb\xbfid,name\n1,x\n", "1:id|name\n2:1|x\n");
	expect("\xef\xbb\xbf", "");
	expect("\xef\xbb\xbf\n\na\n", "3:a\n");
	expect("\xef\xbb\xbf\"q\"\n", "1:q\n");
	/* only at the very start */
	expect("a\n\xef\xbb\xbf"
	       "b\n",
	       "1:a\n2:\xef\xbb\xbf"
	       "b\n");
	expect("\xef\xbb", "1:\xef\xbb\n");
}

static void test_empty_lines(void **state)
{
	(void)state;
	expect("\n", "");
	expect("\r\n\r\n", "");
	expect("\n\na\n\r\n\nb\n\n", "3:a\n6:b\n");
	expect("a\n\n", "1:a\n");
	/* a line of one comma is a record of two empty fields, and "" one empty field */
	expect(",\n\"\"\n", "1:|\n2:\n");
}

static void test_no_final_newline(void **state)
{
	(void)state;
	expect("a,b", "1:a|b\n");
	expect("\"a\"", "1:a\n");
	expect("a,", "1:a|\n");
	expect("x\n\"a\nb\"", "1:x\n2:a\\nb\n");
	expect("\"\"", "1:\n");
}

static void test_malformed(void **state)
{
	(void)state;
	expect("a,b\"c,d\nok\n", "1!line 1: a quote inside an unquoted field{a,b\"c,d}\n2:ok\n");
	expect(" \"a\"\nok\n", "1!line 1: a quote inside an unquoted field{ \"a\"}\n2:ok\n");
	expect("\"a\"b,c\nok\n",
	       "1!line 1: a closing quote not followed by a comma or line end{\"a\"b,c}\n2:ok\n");
	expect("\"a\" ,c\r\nok\n",
	       "1!line 1: a closing quote not followed by a comma or line end{\"a\" ,c}\n2:ok\n");
	expect("\"a\"\rb\nok\n", "1!line 1: a closing quote not followed by a comma or line "
				 "end{\"a\"\\rb}\n2:ok\n");
	expect("\"a\"\r",
	       "1!line 1: a closing quote not followed by a comma or line end{\"a\"\\r}\n");
	expect("a\rb\nok\n",
	       "1!line 1: a carriage return not followed by a line feed{a\\rb}\n2:ok\n");
	expect("a\r", "1!line 1: a carriage return not followed by a line feed{a\\r}\n");
	expect("a\r\r\nok\n",
	       "1!line 1: a carriage return not followed by a line feed{a\\r}\n2:ok\n");
	expect_n("a,b\0c\nok\n", 9, "1!line 1: a NUL byte{a,b\\0c}\n2:ok\n");
	expect_n("\"a\0\"\nok\n", 8, "1!line 1: a NUL byte{\"a\\0\"}\n2:ok\n");
	expect_n("\0", 1, "1!line 1: a NUL byte{\\0}\n");
	/* the message names the line of the problem; csv_reader_line the record's first */
	expect("ok\n\"a\nb\"x,y\nok\n",
	       "1:ok\n2!line 3: a closing quote not followed by a comma or line "
	       "end{\"a\\nb\"x,y}\n4:ok\n");
	expect("\"a\nb\nc\"d\ne\n", "1!line 3: a closing quote not followed by a comma or line "
				    "end{\"a\\nb\\nc\"d}\n4:e\n");
	/* a quoted field left open: the lines after its opening line are read again */
	expect("x\n\"abc\nd,e\nf", "1:x\n2!line 2: unterminated quoted field{\"abc}\n3:d|e\n4:f\n");
	expect("a,\"b", "1!line 1: unterminated quoted field{a,\"b}\n");
	expect("a,\"b\r\nc\n", "1!line 1: unterminated quoted field{a,\"b}\n2:c\n");
	expect("\"", "1!line 1: unterminated quoted field{\"}\n");
	/* two in a row, and a good record between bad ones */
	expect("a\"\nb\"\nc\nd\"\n",
	       "1!line 1: a quote inside an unquoted field{a\"}\n2!line 2: a quote inside an "
	       "unquoted field{b\"}\n3:c\n4!line 4: a quote inside an unquoted field{d\"}\n");
}

/* A string of n bytes c, heap allocated. */
static char *repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_record_limit(void **state)
{
	struct strbuf in = STRBUF_INIT;
	char *x = repeat('x', 3 * CSV_RECORD_MAX), *got;
	char want[512];

	(void)state;
	/* exactly at the limit, with LF, CRLF and at the end */
	strbuf_addstr(&in, "a\n");
	strbuf_add(&in, x, CSV_RECORD_MAX);
	strbuf_addstr(&in, "\r\nb\n");
	strbuf_add(&in, x, CSV_RECORD_MAX - 2);
	strbuf_addstr(&in, ",y\n");
	strbuf_add(&in, x, CSV_RECORD_MAX);
	got = trace_n(in.buf, in.len);
	assert_int_equal(strlen(got), 3 * CSV_RECORD_MAX + 17);
	assert_memory_equal(got, "1:a\n2:xxx", 9);
	free(got);

	/* one byte over, then far over (read past in skip mode), then a quoted field */
	strbuf_reset(&in);
	strbuf_addstr(&in, "a\n");
	strbuf_add(&in, x, CSV_RECORD_MAX + 1);
	strbuf_addstr(&in, "\nb\n");
	strbuf_add(&in, x, 3 * CSV_RECORD_MAX);
	strbuf_addstr(&in, "\r\nc\n\"");
	strbuf_add(&in, x, CSV_RECORD_MAX / 2);
	strbuf_addstr(&in, "\"\"");
	strbuf_add(&in, x, CSV_RECORD_MAX / 2);
	strbuf_addstr(&in, "\"\nd\n");
	snprintf(want, sizeof(want),
		 "1:a\n"
		 "2!line 2: record longer than 1048576 bytes{%d bytes}\n"
		 "3:b\n"
		 "4!line 4: record longer than 1048576 bytes{%d bytes}\n"
		 "5:c\n"
		 "6!line 6: record longer than 1048576 bytes{%d bytes}\n"
		 "7:d\n",
		 CSV_RECORD_MAX, CSV_RECORD_MAX, CSV_RECORD_MAX);
	expect_n(in.buf, in.len, want);

	/* a quote that never closes: the lines after it come back once the limit is hit */
	strbuf_reset(&in);
	strbuf_addstr(&in, "1,\"open\n");
	for (int i = 2; i <= 60000; i++)
		strbuf_addf(&in, "%d,some customer\n", i);
	{
		struct csv_reader *r;
		struct crm_err err;
		char *copy, **f;
		size_t nf;
		int64_t rows = 0;
		FILE *fp = open_bytes(in.buf, in.len, &copy);

		memset(&err, 0, sizeof(err));
		r = csv_reader_new(fp);
		assert_int_equal(csv_reader_next(r, &f, &nf, &err), CRM_EINVAL);
		assert_string_equal(err.message, "line 1: record longer than 1048576 bytes");
		assert_string_equal(err.detail, "the quoted field opened on line 1 is still open");
		while (csv_reader_next(r, &f, &nf, NULL) == 1) {
			rows++;
			assert_int_equal(csv_reader_line(r), rows + 1);
			assert_int_equal(nf, 2);
		}
		assert_int_equal(rows, 59999);
		csv_reader_free(r);
		fclose(fp);
		free(copy);
	}
	strbuf_release(&in);
	free(x);
}

/* Field j of record i of the large input: plain, quoted, multi-line, empty, or long. */
static void make_field(struct strbuf *sb, uint32_t i, uint32_t j)
{
	strbuf_reset(sb);
	switch ((i * 7 + j) % 9) {
	case 0:
		strbuf_addf(sb, "%u", i);
		break;
	case 1:
		strbuf_addf(sb, "name %u, \"nick\" %u", i, j);
		break;
	case 2:
		strbuf_addf(sb, "line one\nline two %u\r\n", i);
		break;
	case 3:
		break;
	case 4:
		for (uint32_t k = 0; k < (i % 300); k++)
			strbuf_addch(sb, (char)('a' + (k + i) % 26));
		break;
	case 5:
		strbuf_addstr(sb, "广东省广州市天河区");
		break;
	default:
		strbuf_addf(sb, "1%010u", i);
		break;
	}
}

static void test_large_input(void **state)
{
	enum { RECORDS = 60000, FIELDS = 7 };
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT, fv[FIELDS];
	const char *vals[FIELDS];
	struct csv_reader *r;
	char **fields;
	size_t nf;
	int64_t line = 1;
	long size;
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	for (int j = 0; j < FIELDS; j++)
		fv[j] = (struct strbuf)STRBUF_INIT;
	for (uint32_t i = 0; i < RECORDS; i++) {
		for (uint32_t j = 0; j < FIELDS; j++) {
			make_field(&fv[j], i, j);
			vals[j] = strbuf_cstr(&fv[j]);
		}
		csv_record_add(&out, vals, FIELDS);
		if (i % 1000 == 0)
			strbuf_addstr(&out, "\n"); /* an empty line now and then */
		if (out.len > 1 << 16) {
			assert_int_equal(fwrite(out.buf, 1, out.len, f), out.len);
			strbuf_reset(&out);
		}
	}
	assert_int_equal(fwrite(out.buf, 1, out.len, f), out.len);
	size = ftell(f);
	assert_true(size > 8 * CSV_RECORD_MAX);
	rewind(f);

	r = csv_reader_new(f);
	for (uint32_t i = 0; i < RECORDS; i++) {
		int64_t breaks = 0;

		assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 1);
		assert_int_equal(nf, FIELDS);
		assert_int_equal(csv_reader_line(r), line);
		for (uint32_t j = 0; j < FIELDS; j++) {
			make_field(&want, i, j);
			assert_string_equal(fields[j], strbuf_cstr(&want));
			for (const char *p = fields[j]; (p = strchr(p, '\n')); p++)
				breaks++;
		}
		line += 1 + breaks + (i % 1000 == 0);
	}
	assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 0);
	csv_reader_free(r);
	fclose(f);
	for (int j = 0; j < FIELDS; j++)
		strbuf_release(&fv[j]);
	strbuf_release(&out);
	strbuf_release(&want);
}

/* A stream that gives one record and then fails. */
static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
	int *calls = cookie;

	if ((*calls)++ == 0 && size >= 4) {
		memcpy(buf, "a,b\n", 4);
		return 4;
	}
	errno = EIO;
	return -1;
}

static void test_read_error(void **state)
{
	cookie_io_functions_t io = {.read = failing_read};
	struct csv_reader *r;
	struct crm_err err;
	char **fields;
	size_t nf;
	int calls = 0;
	FILE *f = fopencookie(&calls, "r", io);

	(void)state;
	assert_non_null(f);
	r = csv_reader_new(f);
	assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 1);
	assert_int_equal(nf, 2);
	memset(&err, 0, sizeof(err));
	assert_int_equal(csv_reader_next(r, &fields, &nf, &err), CRM_EIO);
	assert_string_equal(err.message, "line 2: reading the input failed");
	assert_string_equal(err.detail, strerror(EIO));
	memset(&err, 0, sizeof(err));
	assert_int_equal(csv_reader_next(r, &fields, &nf, &err), CRM_EIO);
	assert_int_equal(err.code, CRM_EIO);
	csv_reader_free(r);
	fclose(f);
}

static char *record_text(const char *const *fields, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	csv_record_add(&sb, fields, n);
	return strbuf_detach(&sb, NULL);
}

static void expect_field(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	csv_field_add(&sb, s);
	assert_string_equal(strbuf_cstr(&sb), want);
	strbuf_release(&sb);
}

static void test_writer(void **state)
{
	const char *two[] = {"a", NULL};
	const char *one_empty[] = {""};
	const char *one_null[] = {NULL};
	const char *mixed[] = {"x,y", "say \"hi\"", "", "a\nb", " lead", "plain"};
	char *s;

	(void)state;
	expect_field("plain", "plain");
	expect_field("", "");
	expect_field(NULL, "");
	expect_field("a,b", "\"a,b\"");
	expect_field("\"", "\"\"\"\"");
	expect_field("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_field("a\rb", "\"a\rb\"");
	expect_field("a\nb", "\"a\nb\"");
	expect_field(" a", "\" a\"");
	expect_field("a ", "\"a \"");
	expect_field(" ", "\" \"");
	expect_field("a b", "a b");
	expect_field("\xef\xbb\xbfx", "\"\xef\xbb\xbfx\"");
	expect_field("张三", "张三");

	s = record_text(two, 2);
	assert_string_equal(s, "a,\n");
	free(s);
	s = record_text(one_empty, 1);
	assert_string_equal(s, "\"\"\n");
	free(s);
	s = record_text(one_null, 1);
	assert_string_equal(s, "\"\"\n");
	free(s);
	s = record_text(NULL, 0);
	assert_string_equal(s, "\n");
	free(s);
	s = record_text(mixed, 6);
	assert_string_equal(s, "\"x,y\",\"say \"\"hi\"\"\",,\"a\nb\",\" lead\",plain\n");
	free(s);
}

static void expect_safe(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	csv_field_add_safe(&sb, s);
	assert_string_equal(strbuf_cstr(&sb), want);
	strbuf_release(&sb);
}

/* Cells a spreadsheet would run as formulas get a '\'' in front, which the reader's
 * csv_field_restore takes off again; every other field is written as csv_field_add writes
 * it and read back as it is. */
static void test_formulas(void **state)
{
	static const char *const values[] = {
		"+8613912345678", "-",	"=SUM(A1)", "@cmd", "\tx", "\rx", "'=x",
		"''+1",		  "'",	"'x",	    "x=1",  "",	   "a,b", "=a,\"b\"",
		"张三",		  "-1", "''",	    "'\r",
	};
	const char *rec[] = {"=1", NULL, "x", "-"};
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	char *copy, **fields;
	size_t nf;
	FILE *f;

	(void)state;
	expect_safe("+8613912345678", "'+8613912345678");
	expect_safe("-", "'-");
	expect_safe("=SUM(A1)", "'=SUM(A1)");
	expect_safe("@cmd", "'@cmd");
	expect_safe("\tx", "'\tx");
	expect_safe("\rx", "\"'\rx\"");
	expect_safe("=a,\"b\"", "\"'=a,\"\"b\"\"\"");
	expect_safe("'=x", "''=x"); /* a quote already there: one more, so it comes back */
	expect_safe("'x", "'x");
	expect_safe("x=1", "x=1");
	expect_safe("", "");
	expect_safe(NULL, "");
	assert_string_equal(csv_field_restore("'+86"), "+86");
	assert_string_equal(csv_field_restore("''=x"), "'=x");
	assert_string_equal(csv_field_restore("'x"), "'x");
	assert_string_equal(csv_field_restore("'"), "'");
	assert_string_equal(csv_field_restore("+86"), "+86");
	assert_string_equal(csv_field_restore(""), "");

	csv_record_add_safe(&sb, rec, 4);
	assert_string_equal(strbuf_cstr(&sb), "'=1,,x,'-\n");
	strbuf_reset(&sb);
	/* every value back as it was */
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		csv_record_add_safe(&sb, &values[i], 1);
	}
	f = open_bytes(sb.buf, sb.len, &copy);
	r = csv_reader_new(f);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 1);
		assert_int_equal(nf, 1);
		assert_string_equal(csv_field_restore(fields[0]), values[i]);
	}
	assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 0);
	csv_reader_free(r);
	fclose(f);
	free(copy);
	strbuf_release(&sb);
}

/* Random records written and read back: bytes 1..255, Chinese text, and the characters
 * that need quoting, often at the ends of fields. */
static void test_round_trip(void **state)
{
	static const char *const pieces[] = {
		"张三", "广州市", "客户", ",", "\"", "\r", "\n", "\r\n", " ", "\xef\xbb\xbf", "a",
	};
	enum { RECORDS = 3000, MAXF = 9, MAXLEN = 40 };
	struct strbuf out = STRBUF_INIT;
	static char vals[RECORDS][MAXF][MAXLEN * 3 + 1];
	size_t counts[RECORDS];
	struct csv_reader *r;
	char *copy, **fields;
	size_t nf;
	FILE *f;

	(void)state;
	for (int i = 0; i < RECORDS; i++) {
		counts[i] = rand_below(MAXF) + (i == 0 ? 1 : 0);
		for (size_t j = 0; j < counts[i]; j++) {
			size_t len = 0, target = rand_below(MAXLEN);
			char *v = vals[i][j];

			while (len < target) {
				if (rand_below(3) == 0) {
					const char *p = pieces[rand_below(sizeof(pieces) /
									  sizeof(pieces[0]))];

					memcpy(v + len, p, strlen(p));
					len += strlen(p);
				} else {
					v[len++] = (char)(rand_below(255) + 1);
				}
			}
			v[len] = '\0';
		}
		{
			const char *ptrs[MAXF];

			for (size_t j = 0; j < counts[i]; j++)
				ptrs[j] = vals[i][j];
			csv_record_add(&out, ptrs, counts[i]);
		}
	}
	f = open_bytes(out.buf, out.len, &copy);
	r = csv_reader_new(f);
	for (int i = 0; i < RECORDS; i++) {
		if (counts[i] == 0)
			continue; /* an empty line */
		assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 1);
		assert_int_equal(nf, counts[i]);
		for (size_t j = 0; j < nf; j++)
			assert_string_equal(fields[j], vals[i][j]);
	}
	assert_int_equal(csv_reader_next(r, &fields, &nf, NULL), 0);
	csv_reader_free(r);
	fclose(f);
	free(copy);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),	    cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_crlf),	    cmocka_unit_test(test_bom),
		cmocka_unit_test(test_empty_lines), cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_malformed),   cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_large_input), cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_writer),	    cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_formulas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
