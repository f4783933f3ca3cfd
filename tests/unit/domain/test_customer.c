/*
 * domain/customer.c and party.c: the status lifecycle, the merge step of a PATCH, and on
 * a real database parties and customers with their rules (identifier checks, blacklist,
 * transitions, delete, scope) and the two steps of a bulk import.
 */
#include "cmocka_all.h"

#include <string.h>

#include "../store/store_test.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "domain/customer_load.h"
#include "domain/party.h"
#include "domain/resource.h"

static void test_transitions(void **state)
{
	static const char *const states[] = {"prospective", "active", "suspended", "inactive"};
	static const char *const allowed[] = {
		"prospective>active", "active>suspended",   "suspended>active",
		"active>inactive",    "suspended>inactive", "prospective>inactive",
	};

	(void)state;
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++) {
			char key[64];
			bool want = false;

			snprintf(key, sizeof(key), "%s>%s", states[i], states[j]);
			for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
				want = want || strcmp(allowed[k], key) == 0;
			assert_int_equal(customer_transition_ok(states[i], states[j]), want);
		}
	assert_false(customer_transition_ok("inactive", "active"));
	assert_false(customer_transition_ok("active", "deleted"));
}

/* RFC 7396 as the layer applies it to a record's JSON: objects merge member by member,
 * null removes, arrays are replaced whole. */
static void test_merge_patch(void **state)
{
	struct arena *a = arena_new(0);
	struct crm_err err = {0};
	const char *cur = "{\"name\":\"old\",\"segment\":\"vip\",\"churn\":{\"churnDate\":\"x\","
			  "\"reason\":\"price\"},\"tags\":[1,2]}";
	const char *patch =
		"{\"name\":\"new\",\"segment\":null,\"churn\":{\"reason\":null,"
		"\"portedToOperator\":\"CU\"},\"tags\":[3],\"validFor\":{\"a\":null,\"b\":1}}";
	cJSON *t, *pt;

	(void)state;
	assert_int_equal(json_parse(a, cur, strlen(cur), &t, &err), 0);
	assert_int_equal(json_parse(a, patch, strlen(patch), &pt, &err), 0);
	json_merge_patch(t, pt);
	assert_string_equal(json_print(a, t, NULL),
			    "{\"name\":\"new\",\"churn\":{\"churnDate\":\"x\",\"portedToOperator\":"
			    "\"CU\"},\"tags\":[3],\"validFor\":{\"b\":1}}");
	arena_free(a);
}

/* A merge patch as a client sends it (JSON text), through the layer. */
static int patch(struct crm_ctx *ctx, const struct res_desc *d, const char *id, int64_t version,
		 const char *text, void *out)
{
	cJSON *body;

	assert_int_equal(json_parse(ctx->arena, text, strlen(text), &body, &ctx->err), 0);
	return res_update(ctx, d, id, version, body, out);
}

/* the database fixture (store_test.h), the caller at HQ */
static int setup(void **state)
{
	test_env_setup(state);
	((struct test_env *)*state)->ctx.who.org_id = "HQ";
	return 0;
}

static void test_party_identifiers(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct identification id = {.type = "residentId", .number = "11010519491231002x"};
	struct party in = {.given_name = "伟", .family_name = "张"}, p;

	in.identification = (struct json_array){&id, 1};
	assert_int_equal(res_create_obj(ctx, &individual_res, &in, &p), 0);
	assert_string_equal(p.full_name, "张伟");
	assert_string_equal(((struct identification *)p.identification.items)[0].number,
			    "11010519491231002X");
	/* the same number again, in either case, is taken */
	id.number = "11010519491231002X";
	assert_int_equal(res_create_obj(ctx, &individual_res, &in, &p), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	id.number = "110105194912310023";
	assert_int_equal(res_create_obj(ctx, &individual_res, &in, &p), CRM_EINVAL);
	assert_string_equal(ctx->err.message, "ID number check character should be 'X', not '3'");
	crm_err_clear(&ctx->err);
}

static void test_customer_rules(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct party pin = {.given_name = "娜", .family_name = "李"}, p;
	struct customer in = {0}, c, out;

	assert_int_equal(res_create_obj(ctx, &individual_res, &pin, &p), 0);
	in.engaged_party.id = p.row.id;
	assert_int_equal(res_create_obj(ctx, &customer_res, &in, &c), 0);
	assert_string_equal(c.status, "prospective");
	assert_string_equal(c.name, "李娜");
	assert_int_equal(strlen(c.customer_no), 13);

	/* prospective → suspended is not a transition */
	assert_int_equal(
		patch(ctx, &customer_res, c.row.id, -1, "{\"status\":\"suspended\"}", &out),
		CRM_ECONFLICT);
	assert_string_equal(ctx->err.message,
			    "customer status cannot change from 'prospective' to 'suspended'");
	crm_err_clear(&ctx->err);

	/* blacklisting needs a reason, and records who */
	assert_int_equal(patch(ctx, &customer_res, c.row.id, -1, "{\"blacklisted\":true}", &out),
			 CRM_EINVAL);
	crm_err_clear(&ctx->err);
	assert_int_equal(patch(ctx, &customer_res, c.row.id, 1,
			       "{\"blacklisted\":true,\"blacklistReason\":\"fraud\"}", &out),
			 0);
	assert_string_equal(out.blacklisted_by, "system");
	assert_true(out.blacklisted_ms > 0);
	assert_int_equal(out.row.version, 2);
	assert_int_equal(patch(ctx, &customer_res, c.row.id, 1, "{\"segment\":\"x\"}", &out),
			 CRM_ESTALE);
	crm_err_clear(&ctx->err);
	/* the same values again change nothing: no new version */
	assert_int_equal(patch(ctx, &customer_res, c.row.id, 2, "{\"blacklisted\":true}", &out), 0);
	assert_int_equal(out.row.version, 2);
	/* churn merges member by member */
	assert_int_equal(
		patch(ctx, &customer_res, c.row.id, -1,
		      "{\"churn\":{\"churnDate\":\"2026-11-20T00:00:00Z\",\"reason\":\"price\"}}",
		      &out),
		0);
	assert_int_equal(patch(ctx, &customer_res, c.row.id, -1,
			       "{\"churn\":{\"portedToOperator\":\"CU\"}}", &out),
			 0);
	assert_string_equal(out.churn.reason, "price");
	assert_string_equal(out.churn.ported_to, "CU");
	assert_true(out.churn.date_ms > 0);

	/* the party stays while a customer holds it */
	assert_int_equal(res_delete(ctx, &individual_res, p.row.id, -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);

	/* another province does not see it */
	ctx->who.org_path = "/HQ/GD/";
	assert_int_equal(res_get(ctx, &customer_res, c.row.id, &out), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	ctx->who.org_path = "/";

	assert_int_equal(res_delete(ctx, &customer_res, c.row.id, -1), 0);
	assert_int_equal(res_get(ctx, &customer_res, c.row.id, &out), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	assert_int_equal(res_delete(ctx, &individual_res, p.row.id, -1), 0);
	assert_int_equal(res_get(ctx, &individual_res, p.row.id, &p), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
}

/* A count over one of the operator-wide key tables (migration 0011). */
static int64_t keys(struct test_env *f, const char *sql, const char *v)
{
	struct crm_err err = {0};
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(db_tx_begin(f->db, &tx, &err), 0);
	assert_int_equal(db__prepare(db__tx_conn(tx), sql, &s, &err), 0);
	db__bind_text(s, 1, v);
	if (db__step(s, &err) == 1)
		n = db__col_int(s, 0);
	db__release(s);
	db_tx_rollback(tx);
	return n;
}

/* The keys follow each write: a customer moved to another party leaves the first free to
 * delete; a deleted party's identification number may be registered again; a deleted
 * customer's number stays taken. */
static void test_operator_keys(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct identification id = {.type = "residentId", .number = "11010519491231002X"};
	struct party pin = {.given_name = "伟", .family_name = "张"}, p1, p2, again;
	struct customer in = {0}, c, out;
	const char *body;

	pin.identification = (struct json_array){&id, 1};
	assert_int_equal(res_create_obj(ctx, &individual_res, &pin, &p1), 0);
	pin.identification = (struct json_array){0};
	assert_int_equal(res_create_obj(ctx, &individual_res, &pin, &p2), 0);
	assert_int_equal(keys(f, "SELECT count(*) FROM party_ident WHERE party_id = ?", p1.row.id),
			 1);
	in.engaged_party.id = p1.row.id;
	assert_int_equal(res_create_obj(ctx, &customer_res, &in, &c), 0);
	assert_int_equal(keys(f, "SELECT count(*) FROM customer_no_key WHERE customer_no = ?",
			      c.customer_no),
			 1);
	assert_int_equal(res_delete(ctx, &individual_res, p1.row.id, -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);

	body = arena_printf(ctx->arena, "{\"engagedParty\":{\"id\":\"%s\"}}", p2.row.id);
	assert_int_equal(patch(ctx, &customer_res, c.row.id, -1, body, &out), 0);
	assert_string_equal(out.engaged_party.id, p2.row.id);
	assert_int_equal(res_delete(ctx, &individual_res, p2.row.id, -1), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	assert_int_equal(res_delete(ctx, &individual_res, p1.row.id, -1), 0);
	assert_int_equal(keys(f, "SELECT count(*) FROM party_ident WHERE party_id = ?", p1.row.id),
			 0);
	pin.identification = (struct json_array){&id, 1};
	assert_int_equal(res_create_obj(ctx, &individual_res, &pin, &again), 0);

	assert_int_equal(res_delete(ctx, &customer_res, c.row.id, -1), 0);
	assert_int_equal(
		keys(f, "SELECT count(*) FROM party_customer WHERE customer_id = ?", c.row.id), 0);
	assert_int_equal(res_delete(ctx, &individual_res, p2.row.id, -1), 0);
	assert_int_equal(keys(f, "SELECT count(*) FROM customer_no_key WHERE customer_no = ?",
			      c.customer_no),
			 1);
}

/* A bulk writer's look-up of one record, then its write. */
static int write_looked_up(struct crm_ctx *ctx, struct customer_import_rows *rows,
			   struct customer_import_result *res)
{
	int rc = customer_import_look_up(ctx, &rows, 1);

	return rc ? rc : customer_import_write(ctx, rows, res);
}

/* The bulk path's steps: prepare checks and builds rows without writing; the look-up
 * finds the keys taken; write skips a number already in, and a taken identification
 * number refuses the record without writing anything, naming the party that has it,
 * which attach then gives the customer. */
static void test_import_steps(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct identification id = {.type = "residentId", .number = "11010519491231002X"};
	struct party in = {.given_name = "伟", .family_name = "王"}, p;
	struct customer c = {.customer_no = "c 9"};
	struct customer_import_rows rows, again, third;
	struct customer_import_result res;
	bool exists;
	struct db_tx *tx = NULL;

	in.identification = (struct json_array){&id, 1};
	/* a customer number that is no customer number: refused before the number is kept */
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &rows), CRM_EINVAL);
	assert_null(rows.customer_no);
	crm_err_clear(&ctx->err);
	c.customer_no = "C000000000777";
	c.status = "suspended"; /* any status: an import brings customers as they are */
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &rows), 0);
	assert_string_equal(rows.customer_no, "C000000000777");
	assert_string_equal(rows.customer.engaged_party.id, rows.party.row.id);
	assert_string_equal(rows.party.id_number, "11010519491231002X");
	/* prepared is not written */
	assert_int_equal(res_get(ctx, &individual_res, rows.party.row.id, &p), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);

	assert_int_equal(db_tx_begin(f->db, &tx, &ctx->err), 0);
	ctx->batch = tx;
	assert_int_equal(write_looked_up(ctx, &rows, &res), 0);
	assert_true(res.created);
	assert_string_equal(res.customer_id, rows.customer.row.id);
	assert_int_equal(write_looked_up(ctx, &rows, &res), 0);
	assert_false(res.created); /* the number is in: left as it is */
	/* the same person under another number: the party's INSERT refuses it */
	c.customer_no = "C000000000778";
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &again), 0);
	assert_int_equal(write_looked_up(ctx, &again, &res), CRM_ECONFLICT);
	assert_string_equal(ctx->err.field, "individualIdentification");
	crm_err_clear(&ctx->err);
	assert_false(res.created);
	assert_non_null(res.holder);
	assert_string_equal(res.holder->row.id, rows.party.row.id);
	assert_string_equal(res.holder->full_name, "王伟");
	/* a third under yet another number joins the party that has the number */
	c.customer_no = "C000000000779";
	c.name = NULL;
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &third), 0);
	assert_int_equal(write_looked_up(ctx, &third, &res), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	assert_int_equal(customer_import_attach(ctx, &third, res.holder, &res), 0);
	assert_true(res.created);
	assert_string_equal(res.party_id, rows.party.row.id);
	assert_int_equal(customer_import_exists(ctx, "C000000000779", &exists), 0);
	assert_true(exists);
	ctx->batch = NULL;
	assert_int_equal(db_tx_commit(tx, &ctx->err), 0);

	assert_int_equal(res_get(ctx, &individual_res, rows.party.row.id, &p), 0);
	assert_int_equal(res_get(ctx, &individual_res, again.party.row.id, &p), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	assert_int_equal(res_get(ctx, &customer_res, rows.customer.row.id, &c), 0);
	assert_string_equal(c.status, "suspended");
	assert_int_equal(res_get(ctx, &customer_res, again.customer.row.id, &c), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	assert_int_equal(res_get(ctx, &customer_res, res.customer_id, &c), 0);
	assert_string_equal(c.engaged_party.id, rows.party.row.id);
	assert_string_equal(c.engaged_party.name, "王伟");
	assert_string_equal(c.name, "王伟");
	assert_int_equal(res_get(ctx, &individual_res, third.party.row.id, &p), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
}

/* Records looked up together: the second of one identification number finds it held by
 * the first (whose party is not written yet when it is looked up); a record of another
 * number is not held, and its customer number, the first's, is found taken only when it
 * is looked up again after the first was written. */
static void test_import_look_up_together(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct identification id = {.type = "residentId", .number = "11010519491231002X"};
	struct party in = {.given_name = "伟", .family_name = "王"};
	struct customer c = {.customer_no = "C000000000801"};
	struct customer_import_rows first, second, third;
	struct customer_import_rows *all[] = {&first, NULL, &second, &third};
	struct customer_import_result res;
	struct db_tx *tx = NULL;

	in.identification = (struct json_array){&id, 1};
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &first), 0);
	c.customer_no = "C000000000802";
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &second), 0);
	c.customer_no = "C000000000801"; /* the first's number again */
	id.number = "440106199003071231";
	assert_int_equal(customer_import_prepare(ctx, "individual", &in, &c, &third), 0);
	assert_int_equal(db_tx_begin(f->db, &tx, &ctx->err), 0);
	ctx->batch = tx;
	assert_int_equal(customer_import_look_up(ctx, all, 4), 0);
	assert_false(first.ident_held || first.no_taken);
	assert_true(second.ident_held);
	assert_false(second.no_taken);
	assert_false(third.ident_held || third.no_taken); /* its number is not in yet */
	assert_int_equal(customer_import_write(ctx, &first, &res), 0);
	assert_true(res.created);
	assert_int_equal(customer_import_write(ctx, &second, &res), CRM_ECONFLICT);
	crm_err_clear(&ctx->err);
	assert_non_null(res.holder);
	assert_string_equal(res.holder->row.id, first.party.row.id);
	/* looked up again, the first's number is taken */
	assert_int_equal(customer_import_look_up(ctx, all + 3, 1), 0);
	assert_true(third.no_taken);
	ctx->batch = NULL;
	db_tx_rollback(tx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_merge_patch),
		cmocka_unit_test_setup_teardown(test_party_identifiers, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_customer_rules, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_operator_keys, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_import_steps, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_import_look_up_together, setup,
						test_env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
