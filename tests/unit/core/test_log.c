/* Unit tests: log lines. log_quote escapes what is not printable UTF-8 and masks personal
 * data before it cuts; log_write masks every line, quoted values or not. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

#define assert_quote(in, want)                                                                     \
	do {                                                                                       \
		char buf_[600];                                                                    \
		assert_string_equal(log_quote(in, buf_, sizeof(buf_)), want);                      \
	} while (0)

static void test_quote_escapes(void **state)
{
	char small[8];

	(void)state;
	assert_quote("plain", "\"plain\"");
	assert_quote("say \"hi\" \\ there", "\"say \\\"hi\\\" \\\\ there\"");
	assert_quote("a\tb\x1b\x7f", "\"a\\x09b\\x1b\\x7f\"");
	assert_quote(NULL, "\"\"");
	/* UTF-8 is kept, bytes that are not UTF-8 are escaped: the line stays UTF-8 */
	assert_quote("张伟 \xff\xfe \xe5\xbc \xc0\xaf",
		     "\"张伟 \\xff\\xfe \\xe5\\xbc \\xc0\\xaf\"");
	/* a buffer too small for anything */
	assert_string_equal(log_quote("abc", small, 4), "");
	assert_string_equal(log_quote("abcdefghij", small, sizeof(small)), "\"ab...\"");
}

static void test_quote_masks(void **state)
{
	(void)state;
	assert_quote("/api/v1/search?q=13912345678", "\"/api/v1/search?q=139****5678\"");
	assert_quote("identificationId=440106199003071231",
		     "\"identificationId=4401**********1231\"");
	assert_quote("customer 'zhang.wei@example.com' not found",
		     "\"customer 'z***@example.com' not found\"");
}

static void test_quote_cuts_after_masking(void **state)
{
	char buf[24];
	char *big = malloc(6000);

	(void)state;
	/* the mask is made on the whole value, then cut */
	assert_string_equal(log_quote("xxxxxxx 13912345678 yyyyyyyy", buf, sizeof(buf)),
			    "\"xxxxxxx 139****567...\"");
	/* a character is never cut in two */
	assert_string_equal(log_quote("aaaaaaaaaaaaaaaa张伟", buf, sizeof(buf)),
			    "\"aaaaaaaaaaaaaaaa...\"");
	/* beyond what is looked at (4 KiB), a number is not shown in part */
	for (size_t i = 0; i < 6000; i += 5)
		memcpy(big + i, "word ", 5);
	memcpy(big + 4088, "13912345678", 11);
	big[5999] = '\0';
	{
		char *out = malloc(8000);

		log_quote(big, out, 8000);
		assert_null(strstr(out, "1391234"));
		assert_non_null(strstr(out, "word word ..."));
		free(out);
	}
	free(big);
}

/* What log_write writes to stderr, captured through a temporary file. */
static char *capture(void (*fn)(void))
{
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	char *text = calloc(1, 16384);
	size_t n;

	assert_non_null(f);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	fn();
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(f);
	n = fread(text, 1, 16383, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void write_lines(void)
{
	char q[300];

	log_request_id_set("01923456-7890-7123-8123-456789012345");
	/* a value quoted by hand, as some callers do, and one through log_quote */
	log_warn("test.raw", "error=\"UNIQUE failed: 440106199003071231\" phone=%s", "13912345678");
	log_info("test.quoted", "path=%s status=%d bytes=%d",
		 log_quote("/api/v1/search?q=a.b@example.com", q, sizeof(q)), 200, 1048576);
	log_request_id_set(NULL);
}

static void test_write_masks_every_value(void **state)
{
	char *out;

	(void)state;
	out = capture(write_lines);
	assert_null(strstr(out, "440106199003071231"));
	assert_null(strstr(out, "13912345678"));
	assert_null(strstr(out, "a.b@example.com"));
	assert_non_null(strstr(out,
			       " event=test.raw req=01923456-7890-7123-8123-456789012345 "
			       "error=\"UNIQUE failed: 4401**********1231\" phone=139****5678\n"));
	assert_non_null(strstr(out, " event=test.quoted req=01923456-7890-7123-8123-456789012345 "
				    "path=\"/api/v1/search?q=a***@example.com\" status=200 "
				    "bytes=1048576\n"));
	free(out);
}

/* A line cut at 4 KiB, right in a number: e-mail addresses before it are masked shorter,
 * so that the cut would be within what is shown. */
static void write_long(void)
{
	char *v = malloc(5000);
	size_t o = 0;

	for (int i = 0; i < 140; i++, o += 29)
		memcpy(v + o, "abcdefghijklmnop@example.com ", 29);
	memset(v + o, '.', 26);
	memcpy(v + o + 26, "13912345678", 11); /* "v=" and this: bytes 4088 to 4098 */
	v[o + 37] = '\0';
	log_info("test.long", "v=%s", v);
	free(v);
}

static void test_write_cuts_long_lines(void **state)
{
	char *out;

	(void)state;
	out = capture(write_long);
	assert_true(strlen(out) <= 4096);
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1); /* one line */
	assert_non_null(strstr(out, "v=a***@example.com a***@example.com "));
	assert_null(strstr(out, "abcdefghijklmnop"));
	assert_null(strstr(out, "1391234"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_escapes),
		cmocka_unit_test(test_quote_masks),
		cmocka_unit_test(test_quote_cuts_after_masking),
		cmocka_unit_test(test_write_masks_every_value),
		cmocka_unit_test(test_write_cuts_long_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
