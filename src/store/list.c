/*
 * What the resource files share: the connection for a read (the transaction's, or the
 * thread's reader), one-row lookups, lists with a total, filters and paging, and the
 * optimistic-concurrency update of a versioned row.
 */
#include "store/db_int.h"

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

struct db_conn *db__conn_of(struct db *db, struct db_tx *tx, struct crm_err *err)
{
	return tx ? db__tx_conn(tx) : db__reader(db, err);
}

int db__get_one(struct db_stmt *s, struct arena *a, void *out,
		void (*read_row)(struct db_stmt *s, struct arena *a, void *item), const char *what,
		const char *key, struct crm_err *err)
{
	int rc = db__step(s, err);

	if (rc == 1) {
		read_row(s, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = crm_err_set(err, CRM_ENOTFOUND, "id", "%s '%s' not found", what, key);
	}
	db__release(s);
	return rc;
}

/* Binds what comes before the filters; returns the next parameter index. */
static int bind_head(struct db_stmt *s, const struct db__list *q, const struct db_list_opts *opts,
		     struct arena *a)
{
	int i = 1;

	if (q->scoped) {
		db__bind_scope(s, i, q->scope, a);
		i += 2;
	}
	for (int k = 0; k < q->nargs; k++)
		db__bind_text(s, i++, q->args[k]);
	return db__bind_filters(s, i, q->map, opts);
}

int db__list_run(struct db *db, const struct db__list *q, const struct db_list_opts *opts,
		 struct arena *a, void **out, size_t *out_n, int64_t *out_total,
		 struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct strbuf where = STRBUF_INIT;
	struct db_stmt *s = NULL;
	size_t n = 0, cap = (size_t)(opts->limit > 0 ? opts->limit : 1);
	char *items;
	int rc, i;

	if (!c)
		return err->code;
	strbuf_init_arena(&where, a, 128);
	if ((rc = db__where_filters(&where, q->map, opts, err)))
		return rc;
	if ((rc = db__prepare(c, arena_printf(a, q->count_sql, strbuf_cstr(&where)), &s, err)))
		return rc;
	bind_head(s, q, opts, a);
	rc = db__step(s, err);
	*out_total = rc == 1 ? db__col_int(s, 0) : 0;
	db__release(s);
	if (rc < 0)
		return rc;
	if ((rc = db__prepare(c, arena_printf(a, q->page_sql, strbuf_cstr(&where)), &s, err)))
		return rc;
	i = bind_head(s, q, opts, a);
	db__bind_int(s, i, opts->limit);
	db__bind_int(s, i + 1, opts->offset);
	items = arena_calloc(a, cap, q->item_size);
	while (n < cap && (rc = db__step(s, err)) == 1)
		q->read_row(s, a, items + n++ * q->item_size);
	db__release(s);
	if (rc < 0)
		return rc;
	*out = items;
	*out_n = n;
	return 0;
}

int db__run_versioned(struct db_conn *c, struct db_stmt *s, const char *what, const char *id,
		      struct crm_err *err)
{
	int rc = db__run(s, err);

	if (rc)
		return rc;
	if (db__changes(c) != 1)
		return crm_err_set(err, CRM_ESTALE, "version",
				   "%s '%s' was changed by someone else", what, id);
	return 0;
}
