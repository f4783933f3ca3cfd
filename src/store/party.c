/*
 * What parties (TMF632) and customers (TMF629) need beside the generic row statements
 * (row.c, from the resource layer's tables): the count that keeps a party with customers
 * from being deleted, and the lookup that makes an import safe to repeat.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/str.h"
#include "core/banned.h"

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
		    "SELECT customer_no FROM customer WHERE customer_no IN"
		    " (SELECT value FROM %s)",
		    db__values(db__tx_conn(tx)));
	rc = mark_found(tx, strbuf_cstr(&sql), nos, n, taken, err);
	strbuf_release(&sql);
	return rc;
}

int db_party_idents_held(struct db_tx *tx, const char *const *id_numbers, const char *const *usccs,
			 size_t n, bool *held, struct crm_err *err)
{
	static const char *const column[] = {"id_number", "uscc"};
	const char *const *lists[] = {id_numbers, usccs};
	int rc = 0;

	memset(held, 0, n * sizeof(*held));
	for (int k = 0; !rc && k < 2; k++) {
		struct strbuf sql = STRBUF_INIT;
		/* the partial unique index's own condition, so that it serves the lookup */
		strbuf_addf(&sql,
			    "SELECT %s FROM party WHERE %s IN (SELECT value FROM %s)"
			    " AND %s IS NOT NULL AND deleted_ms = 0",
			    column[k], column[k], db__values(db__tx_conn(tx)), column[k]);
		rc = mark_found(tx, strbuf_cstr(&sql), lists[k], n, held, err);
		strbuf_release(&sql);
	}
	return rc;
}
