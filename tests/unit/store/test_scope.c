/*
 * store/scope.c: how far a permission reaches by its depth (own records, the unit alone,
 * the unit and below, the province, everything) and whether a row lies in a scope.
 */
#include "cmocka_all.h"

#include <string.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "store/db.h"

#define READ  (1ULL << 0)
#define WRITE (1ULL << 1)
#define OTHER (1ULL << 5)

static void test_depths(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_ctx ctx;
	struct db_scope s;

	(void)state;
	ctx_init_system(&ctx, a, NULL);
	ctx.who.org_path = "/HQ/GD/GD-GZ/GD-GZ-H01/";
	ctx.who.depth[0] = CRM_DEPTH_PROVINCE;
	ctx.who.depth[1] = CRM_DEPTH_UNIT;
	ctx.who.depth[5] = CRM_DEPTH_ALL;

	s = db_scope_for(&ctx, READ);
	assert_string_equal(s.org_path, "/HQ/GD/");
	assert_false(s.exact);
	assert_true(db_scope_holds(s, "/HQ/GD/GD-SZ/GD-SZ-H07/", false, NULL));
	assert_true(db_scope_holds(s, "/HQ/GD/", false, NULL));
	assert_false(db_scope_holds(s, "/HQ/GX/", false, NULL));
	assert_false(db_scope_holds(s, "/HQ/", false, NULL));

	s = db_scope_for(&ctx, WRITE);
	assert_string_equal(s.org_path, "/HQ/GD/GD-GZ/GD-GZ-H01/");
	assert_true(s.exact);
	assert_true(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/", false, NULL));
	assert_false(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/T1/", false, NULL));

	s = db_scope_for(&ctx, OTHER);
	assert_string_equal(s.org_path, "/");
	assert_true(db_scope_holds(s, "/HQ/BJ/", false, NULL));

	/* no depth given, or no permission: the unit and below */
	s = db_scope_for(&ctx, 1ULL << 3);
	assert_string_equal(s.org_path, "/HQ/GD/GD-GZ/GD-GZ-H01/");
	assert_false(s.exact);
	assert_true(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/T1/", false, NULL));
	assert_false(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H02/", false, NULL));
	assert_string_equal(db_scope_for(&ctx, 0).org_path, "/HQ/GD/GD-GZ/GD-GZ-H01/");

	/* own records: an owned row by its owner wherever it lies; any other row as the
	 * unit alone */
	ctx.who.user_id = "U1";
	ctx.who.depth[3] = CRM_DEPTH_OWN;
	s = db_scope_for(&ctx, 1ULL << 3);
	assert_true(s.own);
	assert_string_equal(s.owner_id, "U1");
	assert_true(db_scope_holds(s, "/HQ/BJ/", true, "U1"));
	assert_false(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/", true, "U2"));
	assert_false(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/", true, NULL));
	assert_true(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/", false, NULL));
	assert_false(db_scope_holds(s, "/HQ/GD/GD-GZ/GD-GZ-H01/T1/", false, NULL));
	assert_false(db_scope_for(&ctx, READ).own);

	/* the province of a province is itself, of headquarters headquarters */
	ctx.who.org_path = "/HQ/GD/";
	assert_string_equal(db_scope_for(&ctx, READ).org_path, "/HQ/GD/");
	ctx.who.org_path = "/HQ/";
	assert_string_equal(db_scope_for(&ctx, READ).org_path, "/HQ/");
	ctx.who.org_path = "/";
	assert_string_equal(db_scope_for(&ctx, READ).org_path, "/");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
