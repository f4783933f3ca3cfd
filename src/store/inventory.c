/*
 * What customers' accounts, products and the number pool need beside their generic row
 * statements (docs/inventory.md): the real-name rule's count of an identification's mobile
 * lines, the account hierarchy's check, a number taken into use or into quarantine by the
 * line that holds it, and a customer's records following it to another unit.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/banned.h"

int db_party_lines_count(struct db_tx *tx, const char *party_id, const char *product_type,
			 const char *except_id, int64_t *n, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*n = 0;
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT count(*) FROM product WHERE party_id = ? AND product_type = ?"
			      " AND status <> 'terminated' AND id <> ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, party_id);
	db__bind_text(s, 2, product_type);
	db__bind_text(s, 3, except_id ? except_id : "");
	if ((rc = db__step(s, err)) == 1)
		*n = db__col_int(s, 0);
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_account_lines_count(struct db_tx *tx, const char *account_id, int64_t *n,
			   struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*n = 0;
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT count(*) FROM product WHERE account_id = ?"
			      " AND status <> 'terminated'",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, account_id);
	if ((rc = db__step(s, err)) == 1)
		*n = db__col_int(s, 0);
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_product_children_count(struct db_tx *tx, const char *parent_id, int64_t *n,
			      struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*n = 0;
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT count(*) FROM product WHERE parent_id = ?"
			      " AND status <> 'terminated'",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, parent_id);
	if ((rc = db__step(s, err)) == 1)
		*n = db__col_int(s, 0);
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_account_pays_for(struct db_tx *tx, const char *parent_id, const char *customer_id, bool *out,
			struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = false;
	if ((rc = db__prepare(
		     db__tx_conn(tx),
		     "SELECT 1 FROM account WHERE parent_id = ? AND customer_id = ? LIMIT 1", &s,
		     err)))
		return rc;
	db__bind_text(s, 1, parent_id);
	db__bind_text(s, 2, customer_id);
	if ((rc = db__step(s, err)) == 1)
		*out = true;
	db__release(s);
	return rc < 0 ? rc : 0;
}

int db_number_hold(struct db_tx *tx, const char *number, const char *status,
		   const char *customer_id, const char *product_id, int64_t quarantine_until_ms,
		   int64_t now_ms, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "UPDATE msisdn SET status = ?, customer_id = ?, product_id = ?,"
			      " quarantine_until_ms = ?, reserved_until_ms = NULL,"
			      " version = version + 1, updated_ms = ? WHERE id = ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, status);
	if (customer_id)
		db__bind_text(s, 2, customer_id);
	else
		db__bind_null(s, 2);
	if (product_id)
		db__bind_text(s, 3, product_id);
	else
		db__bind_null(s, 3);
	if (quarantine_until_ms)
		db__bind_int(s, 4, quarantine_until_ms);
	else
		db__bind_null(s, 4);
	db__bind_int(s, 5, now_ms);
	db__bind_text(s, 6, number);
	return db__run(s, err);
}

int db_customer_records_move(struct db_tx *tx, const char *customer_id, const char *org_id,
			     int64_t now_ms, struct crm_err *err)
{
	static const char *const sql[] = {
		"UPDATE account SET org_id = ?, version = version + 1, updated_ms = ?"
		" WHERE customer_id = ? AND org_id <> ?",
		"UPDATE product SET org_id = ?, version = version + 1, updated_ms = ?"
		" WHERE customer_id = ? AND org_id <> ?",
	};
	int rc;

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		struct db_stmt *s = NULL;

		if ((rc = db__prepare(db__tx_conn(tx), sql[i], &s, err)))
			return rc;
		db__bind_text(s, 1, org_id);
		db__bind_int(s, 2, now_ms);
		db__bind_text(s, 3, customer_id);
		db__bind_text(s, 4, org_id);
		if ((rc = db__run(s, err)))
			return rc;
	}
	return 0;
}
