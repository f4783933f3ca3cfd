/*
 * What parties (TMF632) and customers (TMF629) need beside the generic row statements
 * (row.c, from the resource layer's tables): the count that keeps a party with customers
 * from being deleted, and the lookup that makes an import safe to repeat.
 */
#include "store/db_int.h"

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
