/* Unit tests of the copy's parts that need no PostgreSQL: the row hash both sides make
 * (equal for the two databases' texts of one value, different for values that differ),
 * quoted identifiers, and the order of tables by their foreign keys. The copy itself is
 * tests/api/36_copy.py's, on a PostgreSQL cluster. */
#include "cmocka_all.h"

#include "store/copy.c"

static struct col test_cols[] = {
	{"name", COL_TEXT, false},
	{"n", COL_INT, false},
	{"ratio", COL_REAL, false},
	{"flag", COL_BOOL, false},
};

static uint64_t hash_of(const struct tab *t, const char *a, const char *b, const char *c,
			const char *d)
{
	const char *vals[4] = {a, b, c, d};
	size_t lens[4];

	for (int i = 0; i < 4; i++)
		lens[i] = vals[i] ? strlen(vals[i]) : 0;
	return hash_row(t, vals, lens);
}

static void test_row_hash(void **state)
{
	struct tab t = {.name = "t", .cols = test_cols, .ncols = 4};
	uint64_t sqlite_side, pg_side;

	(void)state;
	/* the source sends a double to 17 digits, PostgreSQL answers its shortest form, and
	 * a boolean as 1 against t */
	sqlite_side = hash_of(&t, "张伟", "12", "0.10000000000000001", "1");
	pg_side = hash_of(&t, "张伟", "12", "0.1", "t");
	assert_true(sqlite_side == pg_side);
	assert_true(hash_of(&t, "x", "0", "2.5", "0") == hash_of(&t, "x", "0", "2.5", "f"));
	/* NULL is not the empty text, and values do not run into each other */
	assert_true(hash_of(&t, NULL, "1", NULL, NULL) != hash_of(&t, "", "1", NULL, NULL));
	assert_true(hash_of(&t, "ab", "1", NULL, NULL) != hash_of(&t, "a", "b1", NULL, NULL));
	assert_true(hash_of(&t, "张伟", "12", "0.1", "t") != hash_of(&t, "张伟", "13", "0.1", "t"));
	/* a long text, past the 8-byte words, in its last byte */
	assert_true(hash_of(&t, "abcdefghijklmnopq", "1", NULL, NULL) !=
		    hash_of(&t, "abcdefghijklmnopr", "1", NULL, NULL));
}

static void test_ident(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	add_ident(&sb, "org_unit");
	strbuf_addch(&sb, ' ');
	add_ident(&sb, "a\"b");
	assert_string_equal(strbuf_cstr(&sb), "\"org_unit\" \"a\"\"b\"");
	strbuf_release(&sb);
}

static void test_order(void **state)
{
	static const char *customer_refs[] = {"party", "org_unit"};
	static const char *party_refs[] = {"org_unit"};
	static const char *user_role_refs[] = {"app_user", "role"};
	static const char *app_user_refs[] = {"org_unit"};
	struct tab tabs[] = {
		{.name = "user_role", .refs = user_role_refs, .nrefs = 2},
		{.name = "customer", .refs = customer_refs, .nrefs = 2},
		{.name = "role"},
		{.name = "party", .refs = party_refs, .nrefs = 1},
		{.name = "org_unit", .self_ref = true},
		{.name = "app_user", .refs = app_user_refs, .nrefs = 1},
		{.name = "audit_log"},
	};
	struct db_copy c = {.arena = arena_new(0), .tabs = tabs, .n = 7};
	const char *got[7];

	(void)state;
	order_tables(&c);
	for (size_t i = 0; i < c.n; i++)
		got[i] = c.tabs[i].name;
	/* parents first, by name among the ready */
	assert_string_equal(got[0], "audit_log");
	assert_string_equal(got[1], "org_unit");
	assert_string_equal(got[2], "app_user");
	assert_string_equal(got[3], "party");
	assert_string_equal(got[4], "customer");
	assert_string_equal(got[5], "role");
	assert_string_equal(got[6], "user_role");
	arena_free(c.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_hash),
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
