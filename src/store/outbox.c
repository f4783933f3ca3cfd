/*
 * The event outbox (table event_outbox) and the TMF hub listeners that consume it (table
 * hub_listener). Events are written in the transaction of their change; each listener
 * keeps a cursor (delivered_seq) into the outbox, moved by the sender thread of the
 * server that holds the listener's lease (several servers may share the database).
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/banned.h"

#define EVENT_COLUMNS "seq, event_id, event_type, api, at_ms, payload, resource, org_path, owner_id"
#define LISTENER_COLUMNS                                                                           \
	"id, api, callback, query, created_ms, delivered_seq, next_attempt_ms, failures,"          \
	" last_error, owner_id, lease_owner, lease_until_ms"

/* Grows an arena array of n items of size sz to hold one more; returns the array. */
static void *grow(struct arena *a, void *items, size_t n, size_t *cap, size_t sz)
{
	void *bigger;

	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 16;
	bigger = arena_calloc(a, *cap, sz);
	if (n)
		memcpy(bigger, items, n * sz);
	return bigger;
}

/* ---- outbox ---- */

int db_outbox_insert(struct db_tx *tx, struct db_event *ev, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int64_t seq = 0;
	int rc;

	if ((rc = db__prepare(
		     db__tx_conn(tx),
		     "INSERT INTO event_outbox (event_id, event_type, api, at_ms, payload,"
		     " resource, org_path, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
		     &s, err)))
		return rc;
	db__bind_text(s, 1, ev->event_id);
	db__bind_text(s, 2, ev->event_type);
	db__bind_text(s, 3, ev->api);
	db__bind_int(s, 4, ev->at_ms);
	db__bind_text(s, 5, ev->payload);
	db__bind_text(s, 6, ev->resource);
	db__bind_text(s, 7, ev->org_path);
	db__bind_text(s, 8, ev->owner_id);
	while ((rc = db__step(s, err)) == 1)
		seq = db__col_int(s, 0);
	db__release(s);
	if (rc == CRM_ECONFLICT) {
		crm_err_clear(err);
		return crm_err_set(err, CRM_ECONFLICT, "eventId", "event '%s' already exists",
				   ev->event_id);
	}
	if (rc)
		return rc;
	ev->seq = seq;
	return 0;
}

int db_outbox_after(struct db *db, const char *api, int64_t after_seq, size_t limit,
		    struct arena *a, struct db_event **out, size_t *out_n, struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	struct db_event *items = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (!c)
		return err ? err->code : CRM_EIO;
	if ((rc = db__prepare(c,
			      "SELECT " EVENT_COLUMNS " FROM event_outbox"
			      " WHERE api = ? AND seq > ? ORDER BY seq LIMIT ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, api);
	db__bind_int(s, 2, after_seq);
	db__bind_int(s, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
	while ((rc = db__step(s, err)) == 1) {
		struct db_event *e;

		items = grow(a, items, n, &cap, sizeof(*items));
		e = &items[n++];
		e->seq = db__col_int(s, 0);
		e->event_id = db__col_dup(s, 1, a);
		e->event_type = db__col_dup(s, 2, a);
		e->api = db__col_dup(s, 3, a);
		e->at_ms = db__col_int(s, 4);
		e->payload = db__col_dup(s, 5, a);
		e->resource = db__col_dup(s, 6, a);
		e->org_path = db__col_dup(s, 7, a);
		e->owner_id = db__col_dup(s, 8, a);
	}
	db__release(s);
	if (rc < 0)
		return rc;
	*out = items ? items : arena_calloc(a, 1, sizeof(*items));
	*out_n = n;
	return 0;
}

int64_t db_outbox_last_seq(struct db *db)
{
	struct crm_err err = {0};
	struct db_conn *c = db__reader(db, &err);
	struct db_stmt *s = NULL;
	int64_t seq = 0;
	int rc = 0;

	if (!c)
		goto out;
	if ((rc = db__prepare(c, "SELECT coalesce(max(seq), 0) FROM event_outbox", &s, &err)))
		goto out;
	if ((rc = db__step(s, &err)) == 1)
		seq = db__col_int(s, 0);
	db__release(s);
out:
	/* no error channel in this signature: a failure reads as an empty outbox */
	if (err.code)
		log_error("db.outbox_last_seq", "error=\"%s\"", err.message);
	return seq;
}

/* ---- hub listeners ---- */

static void read_listener(struct db_stmt *s, struct arena *a, struct db_listener *l)
{
	l->id = db__col_dup(s, 0, a);
	l->api = db__col_dup(s, 1, a);
	l->callback = db__col_dup(s, 2, a);
	l->query = db__col_dup(s, 3, a);
	l->created_ms = db__col_int(s, 4);
	l->delivered_seq = db__col_int(s, 5);
	l->next_attempt_ms = db__col_int(s, 6);
	l->failures = db__col_int(s, 7);
	l->last_error = db__col_dup(s, 8, a);
	l->owner_id = db__col_dup(s, 9, a);
	l->lease_owner = db__col_dup(s, 10, a);
	l->lease_until_ms = db__col_int(s, 11);
}

int db_listener_start(struct db_tx *tx, const char *id, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	/* under the write lock no event can commit between the read and the write */
	if ((rc = db__prepare(db__tx_conn(tx),
			      "UPDATE hub_listener SET delivered_seq ="
			      " (SELECT coalesce(max(seq), 0) FROM event_outbox) WHERE id = ?",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, id);
	return db__run(s, err);
}

int db_listener_list_all(struct db *db, struct arena *a, struct db_listener **out, size_t *out_n,
			 struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	struct db_listener *items = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (!c)
		return err ? err->code : CRM_EIO;
	if ((rc = db__prepare(
		     c, "SELECT " LISTENER_COLUMNS " FROM hub_listener ORDER BY created_ms, id", &s,
		     err)))
		return rc;
	while ((rc = db__step(s, err)) == 1) {
		items = grow(a, items, n, &cap, sizeof(*items));
		read_listener(s, a, &items[n++]);
	}
	db__release(s);
	if (rc < 0)
		return rc;
	*out = items ? items : arena_calloc(a, 1, sizeof(*items));
	*out_n = n;
	return 0;
}

/* Runs one UPDATE of listeners in a transaction of its own, binding the text and integer
 * values given (NULL-terminated texts first, an empty one as NULL, then nints ints);
 * *changed gets the rows it changed. */
static int update_listeners(struct db *db, const char *sql, const char *const *texts,
			    const int64_t *ints, int nints, int64_t *changed, struct crm_err *err)
{
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;
	int rc, i = 1;

	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	if ((rc = db__prepare(db__tx_conn(tx), sql, &s, err)))
		goto out;
	for (; *texts; texts++)
		db__bind_text(s, i++, **texts ? *texts : NULL);
	for (int k = 0; k < nints; k++)
		db__bind_int(s, i++, ints[k]);
	if ((rc = db__run(s, err)))
		goto out;
	*changed = db__changes(db__tx_conn(tx));
	rc = db_tx_commit(tx, err);
	tx = NULL;
out:
	db_tx_rollback(tx);
	return rc;
}

/* As update_listeners, for one listener as its lease's holder: CRM_ENOTFOUND when no row
 * changed (the listener deleted while its events were being sent, or its lease taken). */
static int update_held(struct db *db, const char *sql, const char *const *texts,
		       const int64_t *ints, int nints, const char *id, struct crm_err *err)
{
	int64_t changed = 0;
	int rc = update_listeners(db, sql, texts, ints, nints, &changed, err);

	if (!rc && !changed)
		rc = crm_err_set(err, CRM_ENOTFOUND, "id", "listener '%s' not found", id);
	return rc;
}

int db_listener_claim(struct db *db, const char *id, const char *holder, int64_t now_ms,
		      int64_t until_ms, bool *held, struct crm_err *err)
{
	int64_t changed = 0;
	int rc = update_listeners(
		db,
		"UPDATE hub_listener SET lease_owner = ?1, lease_until_ms = ?3 WHERE id = ?2"
		" AND (lease_owner IS NULL OR lease_owner = ?1 OR lease_until_ms < ?4)",
		(const char *[]){holder, id, NULL}, (const int64_t[]){until_ms, now_ms}, 2,
		&changed, err);

	*held = !rc && changed == 1;
	return rc;
}

int db_presence_beat(struct db *db, const char *holder, int64_t now_ms, int64_t stale_before_ms,
		     int64_t *out_alive, struct crm_err *err)
{
	struct db_tx *tx = NULL;
	struct db_stmt *s = NULL;
	int rc;

	*out_alive = 1;
	if ((rc = db_tx_begin(db, &tx, err)))
		return rc;
	if ((rc = db__prepare(db__tx_conn(tx), "DELETE FROM server_presence WHERE seen_ms < ?", &s,
			      err)))
		goto out;
	db__bind_int(s, 1, stale_before_ms);
	if ((rc = db__run(s, err)) ||
	    (rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO server_presence (holder, seen_ms) VALUES (?, ?)"
			      " ON CONFLICT (holder) DO UPDATE SET seen_ms = excluded.seen_ms",
			      &s, err)))
		goto out;
	db__bind_text(s, 1, holder);
	db__bind_int(s, 2, now_ms);
	if ((rc = db__run(s, err)) ||
	    (rc = db__prepare(db__tx_conn(tx), "SELECT count(*) FROM server_presence", &s, err)))
		goto out;
	if ((rc = db__step(s, err)) == 1) {
		*out_alive = db__col_int(s, 0);
		rc = 0;
	}
	db__release(s);
	if (rc)
		goto out;
	rc = db_tx_commit(tx, err);
	tx = NULL;
out:
	db_tx_rollback(tx);
	return rc;
}

int db_presence_leave(struct db *db, const char *holder, struct crm_err *err)
{
	int64_t changed = 0;

	return update_listeners(db, "DELETE FROM server_presence WHERE holder = ?",
				(const char *[]){holder, NULL}, NULL, 0, &changed, err);
}

int db_listener_release(struct db *db, const char *holder, struct crm_err *err)
{
	int64_t changed = 0;

	return update_listeners(db,
				"UPDATE hub_listener SET lease_until_ms = 0 WHERE lease_owner = ?",
				(const char *[]){holder, NULL}, NULL, 0, &changed, err);
}

int db_listener_progress(struct db *db, const char *id, const char *holder, int64_t delivered_seq,
			 int64_t lease_until_ms, struct crm_err *err)
{
	return update_held(db,
			   "UPDATE hub_listener SET last_error = NULL, failures = 0,"
			   " next_attempt_ms = 0, delivered_seq = ?3, lease_until_ms = ?4"
			   " WHERE id = ?1 AND lease_owner = ?2",
			   (const char *[]){id, holder, NULL},
			   (const int64_t[]){delivered_seq, lease_until_ms}, 2, id, err);
}

int db_listener_failure(struct db *db, const char *id, const char *holder, int64_t next_attempt_ms,
			const char *error, struct crm_err *err)
{
	return update_held(db,
			   "UPDATE hub_listener SET last_error = ?3, failures = failures + 1,"
			   " next_attempt_ms = ?4 WHERE id = ?1 AND lease_owner = ?2",
			   (const char *[]){id, holder, error ? error : "", NULL},
			   (const int64_t[]){next_attempt_ms}, 1, id, err);
}
