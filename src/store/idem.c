/*
 * Idempotency keys (table idempotency_key): a POST's key is claimed in the transaction of
 * its change, so key and change commit together, and the first response is stored
 * afterwards for retries to replay. Keys are per principal.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/time.h"
#include "core/banned.h"

int db_idem_get(struct db *db, const char *principal, const char *key, struct arena *a,
		struct db_idem *out, struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	int rc;

	if (!c)
		return err ? err->code : CRM_EIO;
	if ((rc = db__prepare(
		     c,
		     "SELECT key, principal, request_hash, status, location, body, created_ms"
		     " FROM idempotency_key WHERE principal = ? AND key = ?",
		     &s, err)))
		return rc;
	db__bind_text(s, 1, principal);
	db__bind_text(s, 2, key);
	rc = db__step(s, err);
	if (rc == 1) {
		out->key = db__col_dup(s, 0, a);
		out->principal = db__col_dup(s, 1, a);
		out->request_hash = db__col_dup(s, 2, a);
		out->status = (int)db__col_int(s, 3);
		out->location = db__col_dup(s, 4, a);
		out->body = db__col_dup(s, 5, a);
		out->created_ms = db__col_int(s, 6);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, "Idempotency-Key",
				 "idempotency key '%s' not found", key);
	}
	db__release(s);
	return rc;
}

int db_idem_claim(struct db_tx *tx, const char *principal, const char *key,
		  const char *request_hash, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO idempotency_key (principal, key, request_hash, status,"
			      " created_ms) VALUES (?, ?, ?, 0, ?)",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, principal);
	db__bind_text(s, 2, key);
	db__bind_text(s, 3, request_hash ? request_hash : "");
	db__bind_int(s, 4, time_now_ms());
	rc = db__run(s, err);
	if (rc == CRM_ECONFLICT) {
		crm_err_clear(err);
		rc = crm_err_set(err, CRM_ECONFLICT, "Idempotency-Key",
				 "idempotency key '%s' is already in use", key);
	}
	return rc;
}

int db_idem_complete(struct db *db, const char *principal, const char *key,
		     const char *request_hash, int status, const char *location, const char *body,
		     struct crm_err *err)
{
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;
	struct db_conn *c;
	int rc;

	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	c = db__tx_conn(tx);
	if ((rc = db__prepare(c,
			      "UPDATE idempotency_key SET status = ?, location = ?, body = ?"
			      " WHERE principal = ? AND key = ?",
			      &s, err)))
		goto out;
	db__bind_int(s, 1, status);
	db__bind_text(s, 2, location);
	db__bind_text(s, 3, body);
	db__bind_text(s, 4, principal);
	db__bind_text(s, 5, key);
	if ((rc = db__run(s, err)))
		goto out;
	if (db__changes(c) == 0) {
		/* never claimed: the request succeeded without writing through change_begin */
		if ((rc = db__prepare(
			     c,
			     "INSERT INTO idempotency_key (principal, key, request_hash,"
			     " status, location, body, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     &s, err)))
			goto out;
		db__bind_text(s, 1, principal);
		db__bind_text(s, 2, key);
		db__bind_text(s, 3, request_hash ? request_hash : "");
		db__bind_int(s, 4, status);
		db__bind_text(s, 5, location);
		db__bind_text(s, 6, body);
		db__bind_int(s, 7, time_now_ms());
		if ((rc = db__run(s, err)))
			goto out;
	}
	rc = db_tx_commit(tx, err);
	tx = NULL;
out:
	db_tx_rollback(tx);
	return rc;
}

int db_idem_expire(struct db *db, int64_t before_ms, int64_t *out_n, struct crm_err *err)
{
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;
	int64_t n = 0;
	int rc;

	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	if ((rc = db__prepare(db__tx_conn(tx), "DELETE FROM idempotency_key WHERE created_ms < ?",
			      &s, err)))
		goto out;
	db__bind_int(s, 1, before_ms);
	if ((rc = db__run(s, err)))
		goto out;
	n = db__changes(db__tx_conn(tx));
	rc = db_tx_commit(tx, err);
	tx = NULL;
	if (!rc && out_n)
		*out_n = n;
out:
	db_tx_rollback(tx);
	return rc;
}
