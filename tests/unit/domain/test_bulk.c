/*
 * domain/bulk.c on a real database: records written in the order given, in transactions
 * of `batch` records each closed by batch_end, with the memory they point to intact; a
 * writer's error stops the job, keeps the batches committed before it and returns its
 * message; a job ended without commit writes nothing of its open batch.
 */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "../store/store_test.h"
#include "core/ctx.h"
#include "domain/bulk.h"
#include "domain/change.h"

struct item {
	int64_t n;
	const char *label; /* in the record's arena */
};

struct job {
	int64_t next;	 /* the record the writer expects */
	int64_t fail_at; /* 0: none */
	int batches, commits;
	int wrong; /* records out of order, with a wrong label or outside a transaction */
};

static int write_item(void *job, struct crm_ctx *ctx, void *item)
{
	struct job *j = job;
	struct item *it = item;
	char want[32];

	/* the writer's thread: checked here, asserted by the test */
	snprintf(want, sizeof(want), "thing-%lld", (long long)it->n);
	if (it->n != j->next++ || strcmp(it->label, want) != 0 || !ctx->batch)
		j->wrong++;
	if (it->n == j->fail_at)
		return crm_err_set(&ctx->err, CRM_EINTERNAL, NULL, "record %lld failed",
				   (long long)it->n);
	return change_record(ctx, ctx->batch,
			     &(struct change){.action = "bulk-item",
					      .resource = "thing",
					      .resource_id = it->label});
}

static int batch_end(void *job, struct crm_ctx *ctx)
{
	struct job *j = job;

	j->batches++;
	return change_record(ctx, ctx->batch,
			     &(struct change){.action = "bulk-batch", .resource = "thing"});
}

static void committed(void *job)
{
	((struct job *)job)->commits++;
}

static int64_t count_rows(struct db *db, const char *action)
{
	struct crm_err err = {0};
	struct db_stmt *s = NULL;
	struct db_conn *c = db__reader(db, &err);
	int64_t n = -1;

	assert_non_null(c);
	assert_int_equal(
		db__prepare(c, "SELECT count(*) FROM audit_log WHERE action = ?", &s, &err), 0);
	db__bind_text(s, 1, action);
	if (db__step(s, &err) == 1)
		n = db__col_int(s, 0);
	db__release(s);
	return n;
}

/* Runs a job of total records, batch to a transaction; returns bulk_end's code. */
static int run(struct crm_ctx *ctx, struct job *j, int64_t total, int64_t batch, bool commit)
{
	const struct bulk_job job = {
		.item_size = sizeof(struct item),
		.batch = batch,
		.write = write_item,
		.batch_end = batch_end,
		.committed = committed,
		.job = j,
	};
	struct arena *outer = ctx->arena;
	struct bulk *b;
	int rc;

	assert_int_equal(bulk_start(ctx, &job, &b), 0);
	for (int64_t n = 1; n <= total; n++) {
		struct item *it = bulk_next(b);

		assert_int_equal(it->n, 0); /* zeroed */
		assert_ptr_not_equal(ctx->arena, outer);
		it->n = n;
		it->label = arena_printf(ctx->arena, "thing-%lld", (long long)n);
		if (bulk_push(b))
			break;
	}
	rc = bulk_end(b, commit);
	assert_int_equal(j->wrong, 0);
	return rc;
}

static void test_all_written(void **state)
{
	struct test_env *f = *state;
	struct job j = {.next = 1};

	assert_int_equal(run(&f->ctx, &j, 1000, 300, true), 0);
	assert_ptr_equal(f->ctx.arena, f->a); /* given back */
	assert_int_equal(j.next, 1001);
	assert_int_equal(j.batches, 4); /* 300, 300, 300, 100 */
	assert_int_equal(j.commits, 4);
	assert_int_equal(count_rows(f->db, "bulk-item"), 1000);
	assert_int_equal(count_rows(f->db, "bulk-batch"), 4);
}

static void test_exact_batches(void **state)
{
	struct test_env *f = *state;
	struct job j = {.next = 1};

	/* the last record closes a batch: no empty transaction after it */
	assert_int_equal(run(&f->ctx, &j, 256, 128, true), 0);
	assert_int_equal(j.batches, 2);
	assert_int_equal(count_rows(f->db, "bulk-item"), 256);
}

static void test_writer_fails(void **state)
{
	struct test_env *f = *state;
	struct job j = {.next = 1, .fail_at = 650};

	assert_int_equal(run(&f->ctx, &j, 5000, 300, true), CRM_EINTERNAL);
	assert_string_equal(f->ctx.err.message, "record 650 failed");
	assert_ptr_equal(f->ctx.arena, f->a);
	assert_int_equal(j.next, 651); /* nothing after it was written */
	assert_int_equal(j.commits, 2);
	assert_int_equal(count_rows(f->db, "bulk-item"), 600); /* the third batch rolled back */
	assert_int_equal(count_rows(f->db, "bulk-batch"), 2);
}

static void test_no_commit(void **state)
{
	struct test_env *f = *state;
	struct job j = {.next = 1};

	assert_int_equal(run(&f->ctx, &j, 400, 300, false), 0);
	assert_true(j.next <= 401);
	assert_int_equal(count_rows(f->db, "bulk-item"), j.commits ? 300 : 0);
	assert_int_equal(count_rows(f->db, "bulk-batch"), j.commits);
}

static void test_empty(void **state)
{
	struct test_env *f = *state;
	struct job j = {.next = 1};

	assert_int_equal(run(&f->ctx, &j, 0, 300, true), 0);
	assert_int_equal(j.batches, 0);
	assert_int_equal(count_rows(f->db, "bulk-batch"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_written, test_env_setup,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(test_exact_batches, test_env_setup,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(test_writer_fails, test_env_setup,
						test_env_teardown),
		cmocka_unit_test_setup_teardown(test_no_commit, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_empty, test_env_setup, test_env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
