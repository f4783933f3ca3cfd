/* Customers in bulk: the import of customers with their parties (customer_load.h) and the
 * walk exports read. */
#include "domain/customer_load.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/banned.h"

int customer_import_prepare(struct crm_ctx *ctx, const char *kind, const struct party *party,
			    const struct customer *c, struct customer_import_rows *rows)
{
	int rc;

	memset(rows, 0, sizeof(*rows));
	rows->party = *party;
	rows->customer = *c;
	if (!c->customer_no || !*c->customer_no)
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
				   "an imported customer needs its 'customerNo', which makes the "
				   "import safe to repeat");
	if ((rc = customer_no_check(ctx, c->customer_no)))
		return rc;
	rows->customer_no = c->customer_no;
	/* no transaction: units are read through this thread's own connection */
	if ((rc = res_prepare(ctx, party_res(kind), NULL, &rows->party, NULL)))
		return rc;
	/* the party is made with it: no lookup, its unit and name taken over */
	party__ref_fill(kind, rows->party.row.id, &rows->customer.engaged_party);
	rows->customer.engaged_party.name = party__name_of(&rows->party);
	if (!rows->customer.row.org_id ||
	    strcmp(rows->customer.row.org_id, rows->party.row.org_id) == 0) {
		rows->customer.row.org_id = rows->party.row.org_id;
		rows->customer.row.org_path = rows->party.row.org_path;
	}
	return res_prepare(ctx, &customer_res, NULL, &rows->customer, &rows->party);
}

int customer_import_exists(struct crm_ctx *ctx, const char *customer_no, bool *out)
{
	if (!ctx->batch)
		CRM_BUG("customer_import_exists outside a batch");
	return db_customer_no_exists(ctx->batch, customer_no, out, &ctx->err);
}

/* The identification rows' party would be refused for (its number or credit code). */
static const char *ident_of(const struct customer_import_rows *rows)
{
	return rows->party.id_number ? rows->party.id_number : rows->party.uscc;
}

int customer_import_look_up(struct crm_ctx *ctx, struct customer_import_rows *const *rows, size_t n)
{
	const char **nos = arena_calloc(ctx->arena, n + 1, sizeof(*nos));
	const char **id_numbers = arena_calloc(ctx->arena, n + 1, sizeof(*id_numbers));
	const char **usccs = arena_calloc(ctx->arena, n + 1, sizeof(*usccs));
	bool *taken = arena_calloc(ctx->arena, n + 1, sizeof(*taken));
	bool *held = arena_calloc(ctx->arena, n + 1, sizeof(*held));
	int rc;

	if (!ctx->batch)
		CRM_BUG("customer_import_look_up outside a batch");
	if ((rc = db_tx_bulk_inserts(ctx->batch, &ctx->err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i])
			continue;
		nos[i] = rows[i]->customer_no;
		id_numbers[i] = rows[i]->party.id_number;
		usccs[i] = id_numbers[i] ? NULL : rows[i]->party.uscc;
	}
	if ((rc = db_customer_nos_taken(ctx->batch, nos, n, taken, &ctx->err)) ||
	    (rc = db_party_idents_held(ctx->batch, id_numbers, usccs, n, held, &ctx->err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct customer_import_rows *r = rows[i];
		const char *ident;

		if (!r)
			continue;
		r->looked_up = true;
		r->no_taken = taken[i];
		r->ident_held = held[i];
		/* an earlier record that is written holds it by then (its own party, or the
		 * holder it joins) */
		ident = ident_of(r);
		for (size_t k = 0; ident && !r->ident_held && k < i; k++)
			r->ident_held = rows[k] && !rows[k]->no_taken && ident_of(rows[k]) &&
					strcmp(ident_of(rows[k]), ident) == 0 &&
					strcmp(rows[k]->party.kind, r->party.kind) == 0;
	}
	return 0;
}

/* The refusal of a taken identification number (into ctx->err); out->holder gets the
 * live party that has it (in any unit), unless another error comes up looking. */
static int holder_find(struct crm_ctx *ctx, const struct customer_import_rows *rows,
		       struct customer_import_result *out)
{
	const char *column = rows->party.id_number ? "id_number" : "uscc", *holder = NULL;
	struct party *h = arena_calloc(ctx->arena, 1, sizeof(*h));
	struct crm_err err;
	int rc;

	res_taken(ctx, party_res(rows->party.kind), &rows->party, column);
	err = ctx->err;
	if ((rc = db_party_ident_holder(ctx->batch, column, ident_of(rows), ctx->arena, &holder,
					&ctx->err)))
		return rc;
	rc = holder ? res_get_by(ctx, party_res(rows->party.kind), ctx->batch, db_scope_all(), "id",
				 holder, h)
		    : CRM_ENOTFOUND;
	if (rc && rc != CRM_ENOTFOUND)
		return rc;
	ctx->err = err;
	if (!rc)
		out->holder = h;
	return CRM_ECONFLICT;
}

/* An INSERT that fails after the record's checks and look-up passed is no refusal of the
 * record: the job rolls the batch back. */
static int failed_after_checks(struct crm_ctx *ctx, int rc, const char *customer_no)
{
	if (rc != CRM_EINVAL && rc != CRM_ECONFLICT)
		return rc;
	crm_err_clear(&ctx->err);
	return crm_err_set(&ctx->err, CRM_EINTERNAL, NULL,
			   "customer '%s' failed after its checks passed", customer_no);
}

/* Writes the customer of rows (c: its own, or one engaged with another party). */
static int customer_insert(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			   const struct customer *c, struct customer_import_result *out)
{
	int rc;

	if ((rc = res_insert(ctx, &customer_res, c)))
		return failed_after_checks(ctx, rc, rows->customer_no);
	out->created = true;
	out->customer_id = c->row.id;
	out->party_id = c->engaged_party.id;
	return 0;
}

int customer_import_write(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			  struct customer_import_result *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!rows->looked_up)
		CRM_BUG("customer '%s' written without customer_import_look_up", rows->customer_no);
	if (rows->no_taken)
		return 0; /* imported before: left as it is */
	if (rows->ident_held)
		return holder_find(ctx, rows, out);
	/* neither INSERT can be refused now: the keys were looked up under the write lock */
	if ((rc = res_insert(ctx, party_res(rows->party.kind), &rows->party)))
		return failed_after_checks(ctx, rc, rows->customer_no);
	return customer_insert(ctx, rows, &rows->customer, out);
}

int customer_import_attach(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			   const struct party *holder, struct customer_import_result *out)
{
	struct customer c = rows->customer;
	int rc;

	if (strcmp(holder->kind, rows->party.kind) != 0)
		CRM_BUG("customer '%s' attached to a party of another kind", rows->customer_no);
	memset(out, 0, sizeof(*out));
	/* prepared again, engaged with the holder (its unit stays the record's) */
	party__ref_fill(holder->kind, holder->row.id, &c.engaged_party);
	c.engaged_party.name = party__name_of(holder);
	if ((rc = res_prepare(ctx, &customer_res, NULL, &c, holder)))
		return rc;
	c.row.id = rows->customer.row.id; /* the id it was prepared with */
	return customer_insert(ctx, rows, &c, out);
}

/* ---- exports ---- */

/* Parties of both kinds as one join reads them: every party column, into the members of
 * the kind each row turns out to be (each_row). */
#define P(member) offsetof(struct party, member)
static const struct db_column any_party_columns[] = {
	{"kind", DB_TEXT, P(kind), 0},
	{"status", DB_TEXT, P(status), 0},
	{"full_name", DB_TEXT, P(full_name), DB_COL_EMPTY_IS_NULL},
	{"given_name", DB_TEXT, P(given_name), 0},
	{"family_name", DB_TEXT, P(family_name), 0},
	{"trading_name", DB_TEXT, P(trading_name), 0},
	{"id_number", DB_TEXT, P(id_number), 0},
	{"uscc", DB_TEXT, P(uscc), 0},
	{"gender", DB_TEXT, P(gender), 0},
	{"birth_ms", DB_INT, P(birth_ms), 0},
	{"nationality", DB_TEXT, P(nationality), 0},
	{NULL, DB_TEXT, 0, 0},
};
#undef P
static struct db_table any_party = {
	.name = "party",
	.what = "party",
	.columns = any_party_columns,
	.scope = DB_SCOPE_UNIT,
	.soft_delete = true,
	.doc = true,
};
static pthread_once_t any_party_once = PTHREAD_ONCE_INIT;

static void any_party_init(void)
{
	db_table_init(&any_party);
}

struct each {
	struct crm_ctx *ctx;
	int (*fn)(void *arg, const struct customer *c, const struct party *p);
	void *arg;
};

static int each_row(void *arg, void *row, void *joined)
{
	struct each *e = arg;
	struct party *p = joined;

	res_loaded(e->ctx, &customer_res, row);
	if (strcmp(p->kind, "organization") == 0) {
		p->name = p->full_name; /* an organization's legal name shares the column */
		p->full_name = NULL;
	}
	res_loaded(e->ctx, party_res(p->kind), p);
	return e->fn(e->arg, row, p);
}

int customer_each(struct crm_ctx *ctx,
		  int (*fn)(void *arg, const struct customer *c, const struct party *p), void *arg)
{
	struct each e = {ctx, fn, arg};

	pthread_once(&any_party_once, any_party_init);
	return db_row_each_joined(ctx->db, res_table(&customer_res), "party_id", &any_party,
				  db_scope_for(ctx, PERM_CUSTOMER_READ), ctx->arena,
				  sizeof(struct customer), sizeof(struct party), each_row, &e,
				  &ctx->err);
}
