/*
 * The audit log (table audit_log): one row per change and per security-relevant event,
 * written in the transaction of the change. Append-only: triggers in the migration refuse
 * UPDATE and DELETE. Lists are newest first and cut to the caller's data scope.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "core/banned.h"

#define AUDIT_COLUMNS                                                                              \
	"seq, at_ms, actor, action, resource, resource_id, org_path, before_json, after_json,"     \
	" request_id"

/* The latest instant time_format_iso writes with a four-digit year (9999-12-31). */
#define MAX_MS 253402300799999LL

static const struct db_field_map audit_fields[] = {
	{"actor", "actor", DB_COL_TEXT},       {"action", "action", DB_COL_TEXT},
	{"resource", "resource", DB_COL_TEXT}, {"resourceId", "resource_id", DB_COL_TEXT},
	{"at", "at_ms", DB_COL_TIME},	       {NULL, NULL, DB_COL_TEXT},
};

int db_audit_insert(struct db_tx *tx, const struct db_audit_row *row, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(db__tx_conn(tx),
			      "INSERT INTO audit_log (at_ms, actor, action, resource, resource_id,"
			      " org_path, before_json, after_json, request_id, dkey)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &s, err)))
		return rc;
	db__bind_int(s, 1, row->at_ms);
	db__bind_text(s, 2, row->actor);
	db__bind_text(s, 3, row->action);
	db__bind_text(s, 4, row->resource);
	db__bind_text(s, 5, row->resource_id);
	db__bind_text(s, 6, row->org_path ? row->org_path : "/");
	db__bind_text(s, 7, row->before);
	db__bind_text(s, 8, row->after);
	db__bind_text(s, 9, row->request_id);
	db__bind_text(s, 10,
		      row->dkey		 ? row->dkey
		      : row->resource_id ? row->resource_id
					 : row->actor);
	return db__run(s, err);
}

/* A copy of opts whose "at" values given as ms since the epoch are rewritten as ISO-8601,
 * the one form the filter code parses for a time column. */
static struct db_list_opts time_filters_as_iso(const struct db_list_opts *opts, struct arena *a)
{
	struct db_list_opts o = *opts;
	struct db_filter *fs;

	if (!opts->nfilters)
		return o;
	fs = arena_calloc(a, opts->nfilters, sizeof(*fs));
	for (size_t i = 0; i < opts->nfilters; i++) {
		const char **vs;

		fs[i] = opts->filters[i];
		if (strcmp(fs[i].field, "at") != 0 || !fs[i].nvalues)
			continue;
		vs = arena_calloc(a, fs[i].nvalues, sizeof(*vs));
		for (size_t k = 0; k < fs[i].nvalues; k++) {
			int64_t ms;

			vs[k] = fs[i].values[k];
			if (vs[k] && str_to_i64(str_from(vs[k]), 0, MAX_MS, &ms)) {
				char *iso = arena_alloc(a, TIME_ISO_MAX);

				time_format_iso(ms, iso);
				vs[k] = iso;
			}
		}
		fs[i].values = vs;
	}
	o.filters = fs;
	return o;
}

static void read_row(struct db_stmt *s, struct arena *a, struct db_audit_row *r)
{
	r->seq = db__col_int(s, 0);
	r->at_ms = db__col_int(s, 1);
	r->actor = db__col_dup(s, 2, a);
	r->action = db__col_dup(s, 3, a);
	r->resource = db__col_dup(s, 4, a);
	r->resource_id = db__col_dup(s, 5, a);
	r->org_path = db__col_dup(s, 6, a);
	r->before = db__col_dup(s, 7, a);
	r->after = db__col_dup(s, 8, a);
	r->request_id = db__col_dup(s, 9, a);
}

int db_audit_list(struct db *db, struct db_scope scope, const struct db_list_opts *opts,
		  struct arena *a, struct db_audit_row **out, size_t *out_n, int64_t *out_total,
		  struct crm_err *err)
{
	struct db_conn *c = db__reader(db, err);
	struct db_list_opts o;
	struct strbuf where = STRBUF_INIT;
	struct db_stmt *s = NULL;
	struct db_audit_row *items = NULL;
	size_t n = 0, cap = 0;
	int64_t total = 0;
	int rc, i;

	if (!c)
		return err ? err->code : CRM_EIO;
	o = time_filters_as_iso(opts, a);
	strbuf_init_arena(&where, a, 128);
	strbuf_addstr(&where, " WHERE org_path >= ? AND org_path < ?");
	if ((rc = db__where_filters(&where, audit_fields, &o, err)))
		goto out;

	if ((rc = db__prepare(
		     c, arena_printf(a, "SELECT count(*) FROM audit_log%s", strbuf_cstr(&where)),
		     &s, err)))
		goto out;
	db__bind_scope(s, 1, scope, a);
	db__bind_filters(s, 3, audit_fields, &o);
	rc = db__step(s, err);
	if (rc == 1)
		total = db__col_int(s, 0);
	db__release(s);
	s = NULL;
	if (rc < 0)
		goto out;

	if ((rc = db__prepare(c,
			      arena_printf(a,
					   "SELECT " AUDIT_COLUMNS " FROM audit_log%s"
					   " ORDER BY seq DESC LIMIT ? OFFSET ?",
					   strbuf_cstr(&where)),
			      &s, err)))
		goto out;
	db__bind_scope(s, 1, scope, a);
	i = db__bind_filters(s, 3, audit_fields, &o);
	db__bind_int(s, i, o.limit >= 0 ? o.limit : INT64_MAX);
	db__bind_int(s, i + 1, o.offset > 0 ? o.offset : 0);
	while ((rc = db__step(s, err)) == 1) {
		if (n == cap) {
			struct db_audit_row *bigger;

			cap = cap ? cap * 2 : 16;
			bigger = arena_calloc(a, cap, sizeof(*bigger));
			if (n)
				memcpy(bigger, items, n * sizeof(*items));
			items = bigger;
		}
		read_row(s, a, &items[n++]);
	}
	db__release(s);
	s = NULL;
	if (rc < 0)
		goto out;
	rc = 0;
	*out = items ? items : arena_calloc(a, 1, sizeof(*items));
	*out_n = n;
	*out_total = total;
out:
	db__release(s);
	return rc;
}
