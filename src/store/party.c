/*
 * Parties (TMF632 individuals and organizations) and customers (TMF629), scoped by the
 * path of their owning org unit. A deleted row keeps its data for the audit trail and is
 * invisible to every function here (deleted_ms = 0 in every read).
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

/* ---- parties ---- */

/* The party's columns in party_read_at's order, its unit's path from the org_unit alias
 * unit. */
#define PARTY_COLUMNS_OF(unit)                                                                     \
	"p.id, p.kind, p.org_id, " unit ".path, p.status, p.full_name, p.given_name,"              \
	" p.family_name, p.trading_name, p.id_number, p.uscc, p.gender, p.birth_ms,"               \
	" p.nationality, p.doc, p.version, p.created_ms, p.updated_ms, p.deleted_ms"
#define PARTY_COLUMNS PARTY_COLUMNS_OF("o")
#define PARTY_FROM    " FROM party p JOIN org_unit o ON o.id = p.org_id"
#define PARTY_WHERE   " WHERE o.path >= ? AND o.path < ? AND p.deleted_ms = 0"

static const struct db_field_map party_fields[] = {
	{"id", "p.id", DB_COL_TEXT},
	{"name", "p.full_name", DB_COL_TEXT},
	{"fullName", "p.full_name", DB_COL_TEXT},
	{"givenName", "p.given_name", DB_COL_TEXT},
	{"familyName", "p.family_name", DB_COL_TEXT},
	{"tradingName", "p.trading_name", DB_COL_TEXT},
	{"status", "p.status", DB_COL_TEXT},
	{"orgId", "p.org_id", DB_COL_TEXT},
	{NULL, NULL, DB_COL_TEXT},
};

/* Reads PARTY_COLUMNS starting at column i. */
static void party_read_at(struct db_stmt *s, int i, struct arena *a, struct db_party *p)
{
	p->id = db__col_dup(s, i + 0, a);
	p->kind = db__col_dup(s, i + 1, a);
	p->org_id = db__col_dup(s, i + 2, a);
	p->org_path = db__col_dup(s, i + 3, a);
	p->status = db__col_dup(s, i + 4, a);
	p->full_name = db__col_dup(s, i + 5, a);
	p->given_name = db__col_dup(s, i + 6, a);
	p->family_name = db__col_dup(s, i + 7, a);
	p->trading_name = db__col_dup(s, i + 8, a);
	p->id_number = db__col_dup(s, i + 9, a);
	p->uscc = db__col_dup(s, i + 10, a);
	p->gender = db__col_dup(s, i + 11, a);
	p->birth_ms = db__col_int(s, i + 12);
	p->nationality = db__col_dup(s, i + 13, a);
	p->doc = db__col_dup(s, i + 14, a);
	p->version = db__col_int(s, i + 15);
	p->created_ms = db__col_int(s, i + 16);
	p->updated_ms = db__col_int(s, i + 17);
	p->deleted_ms = db__col_int(s, i + 18);
}

static void party_read(struct db_stmt *s, struct arena *a, void *item)
{
	party_read_at(s, 0, a, item);
}

int db_party_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *kind,
		 const char *id, struct arena *a, struct db_party *out, struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(c,
			      "SELECT " PARTY_COLUMNS PARTY_FROM PARTY_WHERE
			      " AND p.id = ? AND (? IS NULL OR p.kind = ?)",
			      &s, err)))
		return rc;
	db__bind_scope(s, 1, scope, a);
	db__bind_text(s, 3, id);
	db__bind_text(s, 4, kind);
	db__bind_text(s, 5, kind);
	return db__get_one(s, a, out, party_read, kind ? kind : "party", id, err);
}

int db_party_list(struct db *db, struct db_scope scope, const char *kind,
		  const struct db_list_opts *opts, struct arena *a, struct db_party **out,
		  size_t *out_n, int64_t *out_total, struct crm_err *err)
{
	const struct db__list q = {
		.count_sql = "SELECT count(*)" PARTY_FROM PARTY_WHERE " AND p.kind = ?%s",
		.page_sql = "SELECT " PARTY_COLUMNS PARTY_FROM PARTY_WHERE
			    " AND p.kind = ?%s ORDER BY p.id DESC LIMIT ? OFFSET ?",
		.scoped = true,
		.scope = scope,
		.args = {kind},
		.nargs = 1,
		.map = party_fields,
		.item_size = sizeof(struct db_party),
		.read_row = party_read,
	};

	return db__list_run(db, &q, opts, a, (void **)out, out_n, out_total, err);
}

static int party_conflict(int rc, const struct db_party *p, struct crm_err *err)
{
	if (rc != CRM_ECONFLICT)
		return rc;
	crm_err_clear(err);
	if (p->uscc)
		return crm_err_set(err, CRM_ECONFLICT, "organizationIdentification",
				   "an organization with this social credit code already exists");
	return crm_err_set(err, CRM_ECONFLICT, "individualIdentification",
			   "an individual with this identification number already exists");
}

int db_party_insert(struct db_tx *tx, const struct db_party *p, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO party (id, kind, org_id, status, full_name, given_name,"
			      " family_name, trading_name, id_number, uscc, gender, birth_ms,"
			      " nationality, doc, version, created_ms, updated_ms, deleted_ms)"
			      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, p->id);
	db__bind_text(s, 2, p->kind);
	db__bind_text(s, 3, p->org_id);
	db__bind_text(s, 4, p->status);
	db__bind_text(s, 5, p->full_name ? p->full_name : "");
	db__bind_text(s, 6, p->given_name);
	db__bind_text(s, 7, p->family_name);
	db__bind_text(s, 8, p->trading_name);
	db__bind_text(s, 9, p->id_number);
	db__bind_text(s, 10, p->uscc);
	db__bind_text(s, 11, p->gender);
	db__bind_int(s, 12, p->birth_ms);
	db__bind_text(s, 13, p->nationality);
	db__bind_text(s, 14, p->doc ? p->doc : "{}");
	db__bind_int(s, 15, p->version);
	db__bind_int(s, 16, p->created_ms);
	db__bind_int(s, 17, p->updated_ms);
	if ((rc = party_conflict(db__run(s, err), p, err)))
		return rc;
	return db__phone_keys_put(tx, p->id, p->phones, true, err);
}

int db_party_update(struct db_tx *tx, const struct db_party *p, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(c,
			      "UPDATE party SET org_id = ?, status = ?, full_name = ?,"
			      " given_name = ?, family_name = ?, trading_name = ?, id_number = ?,"
			      " uscc = ?, gender = ?, birth_ms = ?, nationality = ?, doc = ?,"
			      " updated_ms = ?, deleted_ms = ?, version = version + 1"
			      " WHERE id = ? AND version = ? AND deleted_ms = 0",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, p->org_id);
	db__bind_text(s, 2, p->status);
	db__bind_text(s, 3, p->full_name ? p->full_name : "");
	db__bind_text(s, 4, p->given_name);
	db__bind_text(s, 5, p->family_name);
	db__bind_text(s, 6, p->trading_name);
	db__bind_text(s, 7, p->id_number);
	db__bind_text(s, 8, p->uscc);
	db__bind_text(s, 9, p->gender);
	db__bind_int(s, 10, p->birth_ms);
	db__bind_text(s, 11, p->nationality);
	db__bind_text(s, 12, p->doc ? p->doc : "{}");
	db__bind_int(s, 13, p->updated_ms);
	db__bind_int(s, 14, p->deleted_ms);
	db__bind_text(s, 15, p->id);
	db__bind_int(s, 16, p->version);
	if ((rc = party_conflict(db__run_versioned(c, s, p->kind, p->id, err), p, err)))
		return rc;
	return db__phone_keys_put(tx, p->id, p->deleted_ms ? NULL : p->phones, false, err);
}

int db_party_find_identified(struct db_tx *tx, const char *id_number, const char *uscc,
			     struct arena *a, struct db_party *out, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	/* one statement per number, each the shape of its partial unique index */
	if ((rc = db__prepare(db__tx_conn(tx),
			      id_number ? "SELECT " PARTY_COLUMNS PARTY_FROM
					  " WHERE p.id_number = ? AND p.deleted_ms = 0"
					: "SELECT " PARTY_COLUMNS PARTY_FROM
					  " WHERE p.uscc = ? AND p.deleted_ms = 0",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, id_number ? id_number : uscc);
	return db__get_one(s, a, out, party_read, "party with identification",
			   id_number ? id_number
			   : uscc    ? uscc
				     : "",
			   err);
}

int db_party_count_customers(struct db_tx *tx, const char *party_id, int64_t *out,
			     struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT count(*) FROM customer WHERE party_id = ? AND deleted_ms = 0",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, party_id);
	rc = db__step(s, err);
	if (rc == 1)
		*out = db__col_int(s, 0);
	db__release(s);
	return rc < 0 ? rc : 0;
}

/* ---- customers ---- */

#define CUSTOMER_COLUMNS                                                                           \
	"c.id, c.customer_no, c.name, c.party_id, p.kind, c.org_id, o.path, c.status,"             \
	" c.status_reason, c.customer_rank, c.segment, c.blacklist, c.blacklist_reason,"           \
	" c.blacklist_by, c.blacklist_at_ms, c.big_customer_potential, c.churn_ms,"                \
	" c.churn_reason, c.churn_to_operator, c.doc, c.version, c.created_ms, c.updated_ms,"      \
	" c.deleted_ms"
#define CUSTOMER_NCOLUMNS 24
#define CUSTOMER_FROM                                                                              \
	" FROM customer c JOIN org_unit o ON o.id = c.org_id JOIN party p ON p.id = c.party_id"
#define CUSTOMER_WHERE " WHERE o.path >= ? AND o.path < ? AND c.deleted_ms = 0"

static const struct db_field_map customer_fields[] = {
	{"id", "c.id", DB_COL_TEXT},
	{"name", "c.name", DB_COL_TEXT},
	{"status", "c.status", DB_COL_TEXT},
	{"segment", "c.segment", DB_COL_TEXT},
	{"customerNo", "c.customer_no", DB_COL_TEXT},
	{"customerRank", "c.customer_rank", DB_COL_TEXT},
	{"engagedParty.id", "c.party_id", DB_COL_TEXT},
	{"orgId", "c.org_id", DB_COL_TEXT},
	{NULL, NULL, DB_COL_TEXT},
};

static void customer_read(struct db_stmt *s, struct arena *a, void *item)
{
	struct db_customer *c = item;

	c->id = db__col_dup(s, 0, a);
	c->customer_no = db__col_dup(s, 1, a);
	c->name = db__col_dup(s, 2, a);
	c->party_id = db__col_dup(s, 3, a);
	c->party_kind = db__col_dup(s, 4, a);
	c->org_id = db__col_dup(s, 5, a);
	c->org_path = db__col_dup(s, 6, a);
	c->status = db__col_dup(s, 7, a);
	c->status_reason = db__col_dup(s, 8, a);
	c->rank = db__col_dup(s, 9, a);
	c->segment = db__col_dup(s, 10, a);
	c->blacklist = db__col_int(s, 11) != 0;
	c->blacklist_reason = db__col_dup(s, 12, a);
	c->blacklist_by = db__col_dup(s, 13, a);
	c->blacklist_at_ms = db__col_int(s, 14);
	c->big_customer_potential = db__col_int(s, 15) != 0;
	c->churn_ms = db__col_int(s, 16);
	c->churn_reason = db__col_dup(s, 17, a);
	c->churn_to_operator = db__col_dup(s, 18, a);
	c->doc = db__col_dup(s, 19, a);
	c->version = db__col_int(s, 20);
	c->created_ms = db__col_int(s, 21);
	c->updated_ms = db__col_int(s, 22);
	c->deleted_ms = db__col_int(s, 23);
}

int db_customer_get(struct db *db, struct db_tx *tx, struct db_scope scope, const char *id,
		    struct arena *a, struct db_customer *out, struct crm_err *err)
{
	struct db_conn *c = db__conn_of(db, tx, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err->code;
	if ((rc = db__prepare(
		     c, "SELECT " CUSTOMER_COLUMNS CUSTOMER_FROM CUSTOMER_WHERE " AND c.id = ?", &s,
		     err)))
		return rc;
	db__bind_scope(s, 1, scope, a);
	db__bind_text(s, 3, id);
	return db__get_one(s, a, out, customer_read, "customer", id, err);
}

int db_customer_list(struct db *db, struct db_scope scope, const struct db_list_opts *opts,
		     struct arena *a, struct db_customer **out, size_t *out_n, int64_t *out_total,
		     struct crm_err *err)
{
	const struct db__list q = {
		.count_sql = "SELECT count(*)" CUSTOMER_FROM CUSTOMER_WHERE "%s",
		.page_sql = "SELECT " CUSTOMER_COLUMNS CUSTOMER_FROM CUSTOMER_WHERE
			    "%s ORDER BY c.id DESC LIMIT ? OFFSET ?",
		.scoped = true,
		.scope = scope,
		.map = customer_fields,
		.item_size = sizeof(struct db_customer),
		.read_row = customer_read,
	};

	return db__list_run(db, &q, opts, a, (void **)out, out_n, out_total, err);
}

/* Binds the columns shared by insert and update, from parameter 1; returns the next. */
static int customer_bind(struct db_stmt *s, const struct db_customer *c)
{
	db__bind_text(s, 1, c->name);
	db__bind_text(s, 2, c->party_id);
	db__bind_text(s, 3, c->org_id);
	db__bind_text(s, 4, c->status);
	db__bind_text(s, 5, c->status_reason);
	db__bind_text(s, 6, c->rank);
	db__bind_text(s, 7, c->segment);
	db__bind_int(s, 8, c->blacklist);
	db__bind_text(s, 9, c->blacklist_reason);
	db__bind_text(s, 10, c->blacklist_by);
	db__bind_int(s, 11, c->blacklist_at_ms);
	db__bind_int(s, 12, c->big_customer_potential);
	db__bind_int(s, 13, c->churn_ms);
	db__bind_text(s, 14, c->churn_reason);
	db__bind_text(s, 15, c->churn_to_operator);
	db__bind_text(s, 16, c->doc ? c->doc : "{}");
	db__bind_int(s, 17, c->updated_ms);
	db__bind_int(s, 18, c->deleted_ms);
	return 19;
}

int db_customer_insert(struct db_tx *tx, const struct db_customer *c, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc, i;

	if ((rc = db__prepare(
		     db__tx_conn(tx),
		     "INSERT INTO customer (name, party_id, org_id, status, status_reason,"
		     " customer_rank, segment, blacklist, blacklist_reason, blacklist_by,"
		     " blacklist_at_ms, big_customer_potential, churn_ms, churn_reason,"
		     " churn_to_operator, doc, updated_ms, deleted_ms, id, customer_no,"
		     " version, created_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		     &s, err)))
		return rc;
	i = customer_bind(s, c);
	db__bind_text(s, i, c->id);
	db__bind_text(s, i + 1, c->customer_no);
	db__bind_int(s, i + 2, c->version);
	db__bind_int(s, i + 3, c->created_ms);
	if ((rc = db__run(s, err)) == CRM_ECONFLICT) {
		crm_err_clear(err);
		rc = crm_err_set(err, CRM_ECONFLICT, "customerNo", "customer number '%s' is taken",
				 c->customer_no);
	}
	if (rc || (rc = db__name_index_add(tx, c->id, c->name, err)))
		return rc;
	return db__phone_keys_put(tx, c->id, c->phones, true, err);
}

int db_customer_update(struct db_tx *tx, const struct db_customer *c, struct crm_err *err)
{
	struct db_conn *conn = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc, i;

	/* the name leaves the index before the row changes, and comes back if still live */
	if ((rc = db__name_index_remove(tx, c->id, err)))
		return rc;
	if ((rc = db__prepare(
		     conn,
		     "UPDATE customer SET name = ?, party_id = ?, org_id = ?, status = ?,"
		     " status_reason = ?, customer_rank = ?, segment = ?, blacklist = ?,"
		     " blacklist_reason = ?, blacklist_by = ?, blacklist_at_ms = ?,"
		     " big_customer_potential = ?, churn_ms = ?, churn_reason = ?,"
		     " churn_to_operator = ?, doc = ?, updated_ms = ?, deleted_ms = ?,"
		     " version = version + 1 WHERE id = ? AND version = ? AND deleted_ms = 0",
		     &s, err)))
		return rc;
	i = customer_bind(s, c);
	db__bind_text(s, i, c->id);
	db__bind_int(s, i + 1, c->version);
	if ((rc = db__run_versioned(conn, s, "customer", c->id, err)) ||
	    (!c->deleted_ms && (rc = db__name_index_add(tx, c->id, c->name, err))))
		return rc;
	return db__phone_keys_put(tx, c->id, c->deleted_ms ? NULL : c->phones, false, err);
}

int db_customer_no_exists(struct db_tx *tx, const char *customer_no, bool *out, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx), "SELECT 1 FROM customer WHERE customer_no = ?", &s,
			      err)))
		return rc;
	db__bind_text(s, 1, customer_no);
	rc = db__step(s, err);
	db__release(s);
	if (rc < 0)
		return rc;
	*out = rc == 1;
	return 0;
}

int db_customer_each(struct db *db, struct db_scope scope, struct arena *a,
		     int (*fn)(void *arg, const struct db_customer *c, const struct db_party *p),
		     void *arg, struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	int rc, stop = 0;

	if (!c)
		return err->code;
	/* the customer's unit is o, the party's po */
	if ((rc = db__prepare(c,
			      "SELECT " CUSTOMER_COLUMNS ", " PARTY_COLUMNS_OF("po") CUSTOMER_FROM
			      " JOIN org_unit po ON po.id = p.org_id" CUSTOMER_WHERE
			      " ORDER BY c.rowid",
			      &s, err)))
		return rc;
	db__bind_scope(s, 1, scope, a);
	while ((rc = db__step(s, err)) == 1) {
		struct db_customer row;
		struct db_party party;

		customer_read(s, a, &row);
		party_read_at(s, CUSTOMER_NCOLUMNS, a, &party);
		if ((stop = fn(arg, &row, &party)))
			break;
	}
	db__release(s);
	if (stop)
		return stop;
	return rc < 0 ? rc : 0;
}
