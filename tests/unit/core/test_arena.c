/* Unit tests: arena allocation, alignment, large blocks, cleanups, reset; string builder
 * and views. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"

static int cleaned;

static void count_cleanup(void *data)
{
	cleaned += *(int *)data;
}

static void test_alloc_alignment(void **state)
{
	struct arena *a = arena_new(256);

	(void)state;
	for (size_t n = 1; n < 200; n += 7) {
		void *p = arena_alloc(a, n);

		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xab, n);
	}
	arena_free(a);
}

static void test_large_and_many(void **state)
{
	struct arena *a = arena_new(1024);
	char *big = arena_alloc(a, 100000);
	char *small = arena_alloc(a, 10);

	(void)state;
	memset(big, 1, 100000);
	memset(small, 2, 10);
	assert_int_equal(big[99999], 1);
	for (int i = 0; i < 10000; i++)
		memset(arena_alloc(a, 48), 3, 48);
	assert_true(arena_used(a) >= 100000 + 10000 * 48);
	arena_free(a);
}

static void test_cleanups_run_newest_first_on_reset_and_free(void **state)
{
	struct arena *a = arena_new(0);
	int one = 1, ten = 10;

	(void)state;
	cleaned = 0;
	arena_cleanup_add(a, count_cleanup, &one);
	arena_cleanup_add(a, count_cleanup, &ten);
	arena_reset(a);
	assert_int_equal(cleaned, 11);
	assert_int_equal(arena_used(a), 0);
	arena_cleanup_add(a, count_cleanup, &one);
	arena_free(a);
	assert_int_equal(cleaned, 12);
	arena_free(NULL);
}

static void test_calloc_and_printf(void **state)
{
	struct arena *a = arena_new(0);
	int *z = arena_calloc(a, 100, sizeof(int));
	char *s = arena_printf(a, "%s-%d", "GD", 42);

	(void)state;
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	assert_string_equal(s, "GD-42");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}

static void test_strbuf_heap_and_arena(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct arena *a = arena_new(0);
	struct strbuf ab;
	size_t len;
	char *out;

	(void)state;
	assert_string_equal(strbuf_cstr(&sb), "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	strbuf_addch(&sb, '!');
	assert_int_equal(sb.buf[2000], '!');
	out = strbuf_detach(&sb, &len);
	assert_int_equal(len, 2001);
	free(out);
	assert_null(sb.buf);

	strbuf_init_arena(&ab, a, 4);
	strbuf_addstr(&ab, "hello, ");
	strbuf_addf(&ab, "%s %05d", "world", 7);
	assert_string_equal(strbuf_cstr(&ab), "hello, world 00007");
	strbuf_reset(&ab);
	assert_string_equal(strbuf_cstr(&ab), "");
	arena_free(a);
}

static void test_str_views(void **state)
{
	struct str rest, s = str_from("a=1&b=2");
	struct str head = str_split(s, '&', &rest);
	int64_t v;

	(void)state;
	assert_true(str_eq_cstr(head, "a=1"));
	assert_true(str_eq_cstr(rest, "b=2"));
	head = str_split(rest, '&', &rest);
	assert_true(str_eq_cstr(head, "b=2"));
	assert_null(rest.p);
	assert_true(str_eq_cstr(str_trim(str_from("  x y \t")), "x y"));
	assert_true(str_eq_nocase(STR_LIT("Content-Type"), STR_LIT("content-type")));
	assert_true(str_starts_with(STR_LIT("/api/v1/x"), STR_LIT("/api/")));
	assert_true(str_to_i64(STR_LIT("-42"), -100, 100, &v));
	assert_int_equal(v, -42);
	assert_false(str_to_i64(STR_LIT("4x"), 0, 100, &v));
	assert_false(str_to_i64(STR_LIT(""), 0, 100, &v));
	assert_false(str_to_i64(STR_LIT("101"), 0, 100, &v));
	assert_false(str_to_i64(STR_LIT("99999999999999999999"), 0, INT64_MAX, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_alignment),
		cmocka_unit_test(test_large_and_many),
		cmocka_unit_test(test_cleanups_run_newest_first_on_reset_and_free),
		cmocka_unit_test(test_calloc_and_printf),
		cmocka_unit_test(test_strbuf_heap_and_arena),
		cmocka_unit_test(test_str_views),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
