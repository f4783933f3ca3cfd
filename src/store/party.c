/*
 * What parties (TMF632) and customers (TMF629) need beside the generic row statements
 * (row.c, from the resource layer's tables): their operator-wide keys (migration 0011)
 * and the checks that read them — the count that keeps a party with customers from being
 * deleted, the holder of an identification number, and the lookups that make an import
 * safe to repeat. The keys are tables of their own, not columns of party and customer,
 * because a sharded database keeps a unique key only with the key it distributes by
 * (docs/scale-out.md): each lies on the shard of the key itself.
 */
#include "store/db_int.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/banned.h"

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Runs sql with the text parameters v[0..n), as a write of the transaction. */
static int run(struct db_tx *tx, const char *sql, const char *const *v, int n, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx), sql, &s, err)))
		return rc;
	for (int i = 0; i < n; i++)
		db__bind_text(s, i + 1, v[i]);
	return db__run(s, err);
}

int db_party_ident_put(struct db_tx *tx, const char *party_id, const char *kind, const char *before,
		       const char *after, struct crm_err *err)
{
	int rc;

	if (same(before, after))
		return 0;
	if (before &&
	    (rc = run(tx, "DELETE FROM party_ident WHERE number = ? AND kind = ? AND party_id = ?",
		      (const char *[]){before, kind, party_id}, 3, err)))
		return rc;
	if (!after)
		return 0;
	rc = run(tx, "INSERT INTO party_ident (number, kind, party_id) VALUES (?, ?, ?)",
		 (const char *[]){after, kind, party_id}, 3, err);
	/* taken: the key is the party's column of that name (its field in the API) */
	if (rc == CRM_ECONFLICT)
		snprintf(err->field, sizeof(err->field), "%s", kind);
	return rc;
}

int db_customer_keys_put(struct db_tx *tx, const char *customer_id, const char *customer_no,
			 const char *before_party, const char *after_party, struct crm_err *err)
{
	int rc;

	if (customer_no &&
	    (rc = run(tx, "INSERT INTO customer_no_key (customer_no, customer_id) VALUES (?, ?)",
		      (const char *[]){customer_no, customer_id}, 2, err)))
		return rc;
	if (same(before_party, after_party))
		return 0;
	if (before_party &&
	    (rc = run(tx, "DELETE FROM party_customer WHERE party_id = ? AND customer_id = ?",
		      (const char *[]){before_party, customer_id}, 2, err)))
		return rc;
	return after_party
		       ? run(tx, "INSERT INTO party_customer (party_id, customer_id) VALUES (?, ?)",
			     (const char *[]){after_party, customer_id}, 2, err)
		       : 0;
}

int db_party_ident_holder(struct db_tx *tx, const char *kind, const char *number, struct arena *a,
			  const char **out, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = NULL;
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT party_id FROM party_ident WHERE number = ? AND kind = ?", &s,
			      err)))
		return rc;
	db__bind_text(s, 1, number);
	db__bind_text(s, 2, kind);
	if ((rc = db__step(s, err)) == 1)
		*out = db__col_dup(s, 0, a);
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_party_count_customers(struct db_tx *tx, const char *party_id, int64_t *out,
			     struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT count(*) FROM party_customer WHERE party_id = ?", &s, err)))
		return rc;
	db__bind_text(s, 1, party_id);
	rc = db__step(s, err);
	if (rc == 1)
		*out = db__col_int(s, 0);
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_customer_no_exists(struct db_tx *tx, const char *customer_no, bool *out, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT 1 FROM customer_no_key WHERE customer_no = ?", &s, err)))
		return rc;
	db__bind_text(s, 1, customer_no);
	rc = db__step(s, err);
	db__release(s);
	if (rc < 0)
		return rc;
	*out = rc == 1;
	return 0;
}

/* Runs sql (whose one parameter is the JSON array of the strings v) and marks out[i] for
 * each v[i] among the rows' first column. */
static int mark_found(struct db_tx *tx, const char *sql, const char *const *v, size_t n, bool *out,
		      struct crm_err *err)
{
	struct strbuf list = STRBUF_INIT;
	struct db_stmt *s = NULL;
	int rc;

	db__json_strings(&list, v, n);
	if ((rc = db__prepare(db__tx_conn(tx), sql, &s, err)))
		goto out;
	db__bind_textn(s, 1, list.buf, list.len);
	while ((rc = db__step(s, err)) == 1) {
		const char *found = db__col_text(s, 0);

		for (size_t i = 0; found && i < n; i++)
			if (v[i] && strcmp(v[i], found) == 0)
				out[i] = true;
	}
	db__release(s);
out:
	strbuf_release(&list);
	return rc;
}

int db_customer_nos_taken(struct db_tx *tx, const char *const *nos, size_t n, bool *taken,
			  struct crm_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	int rc;

	memset(taken, 0, n * sizeof(*taken));
	strbuf_addf(&sql,
		    "SELECT customer_no FROM customer_no_key WHERE customer_no IN"
		    " (SELECT value FROM %s)",
		    db__values(db__tx_conn(tx)));
	rc = mark_found(tx, strbuf_cstr(&sql), nos, n, taken, err);
	strbuf_release(&sql);
	return rc;
}

int db_party_idents_held(struct db_tx *tx, const char *const *id_numbers, const char *const *usccs,
			 size_t n, bool *held, struct crm_err *err)
{
	static const char *const kind[] = {"id_number", "uscc"};
	const char *const *lists[] = {id_numbers, usccs};
	int rc = 0;

	memset(held, 0, n * sizeof(*held));
	for (int k = 0; !rc && k < 2; k++) {
		struct strbuf sql = STRBUF_INIT;

		strbuf_addf(&sql,
			    "SELECT number FROM party_ident WHERE kind = '%s'"
			    " AND number IN (SELECT value FROM %s)",
			    kind[k], db__values(db__tx_conn(tx)));
		rc = mark_found(tx, strbuf_cstr(&sql), lists[k], n, held, err);
		strbuf_release(&sql);
	}
	return rc;
}
