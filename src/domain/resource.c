/*
 * The resource layer (resource.h): from each resource's field table, the JSON shapes, the
 * table's description and the list vocabulary are generated once; get, list, create,
 * merge patch and delete are written here once, with the version check, the lifecycle,
 * the checks every field declares, the org unit of unit-scoped records, the audit row
 * and the events. A merge patch is applied to the record's JSON (RFC 7396) and the result
 * decoded and checked as a whole, so nested objects merge member by member.
 */
#include "domain/resource.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/change.h"
#include "core/banned.h"

#define RES_MAX_FIELDS 64 /* the presence bits of a decoded input */
#define ORDER_MAX      4  /* sort keys */

struct res__built {
	struct json_desc json, doc;
	struct db_table table;
	const struct res_field **all; /* the head's list entries, then the resource's */
	size_t nall;
	const char **filterable;
	const char *events[5]; /* NULL-terminated */
	const char *ev_create, *ev_change, *ev_state, *ev_delete;
	bool has_doc;
};

#define H(member) offsetof(struct res_head, member)
/* The head's members as list vocabulary (filters, sort, cursor keys). */
static const struct res_field head_fields[] = {
	{.name = "id",
	 .type = JSON_STRING,
	 .offset = H(row.id),
	 .flags = RES_FILTER | RES_SORT,
	 .column = "id"},
	{.name = "createdDate",
	 .type = JSON_TIME,
	 .offset = H(row.created_ms),
	 .flags = RES_FILTER | RES_SORT,
	 .column = "created_ms"},
	{.name = "lastUpdate",
	 .type = JSON_TIME,
	 .offset = H(row.updated_ms),
	 .flags = RES_FILTER | RES_SORT,
	 .column = "updated_ms"},
};

#define TP(member) offsetof(struct time_period, member)
const struct json_desc time_period_desc = {
	"TimePeriod",
	sizeof(struct time_period),
	(const struct json_field[]){
		{"startDateTime", JSON_TIME, TP(start_ms), 0, NULL, 0, NULL},
		{"endDateTime", JSON_TIME, TP(end_ms), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef TP

/* ---- the registry and the generated shapes ---- */

const struct res_desc *res_find(const char *name)
{
	for (size_t i = 0; res_registry[i]; i++)
		if (strcmp(res_registry[i]->name, name) == 0)
			return res_registry[i];
	return NULL;
}

const struct res_desc *res_find_type(const char *type_name)
{
	for (size_t i = 0; res_registry[i]; i++)
		if (res_registry[i]->type_name &&
		    strcmp(res_registry[i]->type_name, type_name) == 0)
			return res_registry[i];
	return NULL;
}

static bool head_column(const char *c)
{
	static const char *const names[] = {"id",	"version",    "created_ms", "updated_ms",
					    "doc",	"deleted_ms", "org_id",	    "path",
					    "owner_id", NULL};

	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], c) == 0)
			return true;
	return false;
}

/* Whether two fields share a column (an individual's name and fullName): listed once. */
static bool column_listed(const struct db_column *cols, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i].name, name) == 0)
			return true;
	return false;
}

static enum db_ctype ctype_of(const struct res_desc *d, const struct res_field *f)
{
	switch (f->type) {
	case JSON_STRING:
		return DB_TEXT;
	case JSON_INT:
	case JSON_TIME:
		return DB_INT;
	case JSON_NUMBER:
		return DB_REAL;
	case JSON_BOOL:
		return DB_BOOL;
	default:
		CRM_BUG("field '%s' of '%s' has a column but no scalar type", f->name, d->name);
	}
}

static struct json_field json_of(const struct res_field *f, unsigned flags)
{
	return (struct json_field){f->name, f->type,	f->offset, flags,
				   f->sub,  f->max_len, f->values};
}

static const char *event_name(const char *type, const char *what)
{
	size_t n = strlen(type) + strlen(what) + sizeof("Event");
	char *e = xmalloc(n);

	snprintf(e, n, "%s%sEvent", type, what);
	return e;
}

static void build(const struct res_desc *d, struct res__built *b)
{
	size_t n = 0, nf = 0, k;
	struct json_field *jf, *df;
	struct db_column *cols;
	const char **filt;
	const char *t = d->type_name;

	for (n = 0; d->fields[n].name; n++)
		;
	jf = xcalloc(n + 8, sizeof(*jf));
	df = xcalloc(n + 3, sizeof(*df));
	cols = xcalloc(n + 1, sizeof(*cols));
	b->all = xcalloc(n + 3, sizeof(*b->all));
	filt = xcalloc(n + 4, sizeof(*filt));

	/* the record: id and href first, the fields, the TMF meta members, the head's times */
	jf[nf++] = (struct json_field){
		"id", JSON_STRING, H(row.id), d->client_id ? JSON_REQUIRED : JSON_READONLY,
		NULL, 32,	   NULL};
	jf[nf++] = (struct json_field){"href", JSON_STRING, H(href), JSON_READONLY, NULL, 0, NULL};
	for (size_t i = 0, nc = 0, nd = 0; i < n; i++) {
		const struct res_field *f = &d->fields[i];
		unsigned jflags = f->flags & 0xff;

		if (f->flags & RES_BOUND)
			jflags |= JSON_READONLY;
		if (!(f->flags & RES_HIDDEN))
			jf[nf++] = json_of(f, jflags);
		if (f->column && !head_column(f->column) && !column_listed(cols, nc, f->column))
			cols[nc++] = (struct db_column){
				f->column, ctype_of(d, f), f->offset,
				f->flags & RES_EMPTY_IS_NULL ? DB_COL_EMPTY_IS_NULL : 0};
		else if (!f->column &&
			 !(f->flags & (RES_HIDDEN | RES_COLUMNS | RES_SIDE | JSON_WRITEONLY)))
			df[nd++] = json_of(f, 0);
	}
	k = 0;
	while (df[k].name)
		k++;
	df[k++] = (struct json_field){"@baseType", JSON_STRING, H(base_type), 0, NULL, 256, NULL};
	df[k++] = (struct json_field){
		"@schemaLocation", JSON_STRING, H(schema_location), 0, NULL, 1024, NULL};
	b->has_doc = true;
	jf[nf++] = (struct json_field){"@baseType", JSON_STRING, H(base_type), 0, NULL, 256, NULL};
	jf[nf++] = (struct json_field){
		"@schemaLocation", JSON_STRING, H(schema_location), 0, NULL, 1024, NULL};
	jf[nf++] = (struct json_field){"version", JSON_INT, H(row.version), JSON_READONLY, NULL,
				       0,	  NULL};
	jf[nf++] = (struct json_field){
		"createdDate", JSON_TIME, H(row.created_ms), JSON_READONLY, NULL, 0, NULL};
	jf[nf++] = (struct json_field){
		"lastUpdate", JSON_TIME, H(row.updated_ms), JSON_READONLY, NULL, 0, NULL};
	if (nf > RES_MAX_FIELDS)
		CRM_BUG("resource '%s' has more than %d fields", d->name, RES_MAX_FIELDS);
	b->json = (struct json_desc){t, d->size, jf, H(present)};
	b->doc = (struct json_desc){NULL, d->size, df, H(present)};

	b->table = (struct db_table){
		.name = d->table,
		.what = d->what ? d->what : d->name,
		.columns = cols,
		.scope = d->scope,
		.soft_delete = d->soft_delete,
		.doc = b->has_doc,
		.owned = d->owned,
		.kind_column = d->kind_column,
		.kind_value = d->kind_value,
	};
	db_table_init(&b->table);

	/* the list vocabulary: the head's entries, then the resource's */
	k = 0;
	for (size_t i = 0; i < sizeof(head_fields) / sizeof(head_fields[0]); i++)
		b->all[b->nall++] = &head_fields[i];
	for (size_t i = 0; i < n; i++)
		b->all[b->nall++] = &d->fields[i];
	for (size_t i = 0; i < b->nall; i++)
		if ((b->all[i]->flags & RES_FILTER) && b->all[i]->column)
			filt[k++] = b->all[i]->name;
	b->filterable = filt;

	if (d->event_api) {
		b->ev_create = event_name(t, "Create");
		b->ev_change = event_name(t, "AttributeValueChange");
		b->ev_state = d->lifecycle ? event_name(t, "StateChange") : NULL;
		b->ev_delete = d->no_delete ? NULL : event_name(t, "Delete");
	}
	k = 0;
	for (const char *const *e = &b->ev_create; e <= &b->ev_delete; e++)
		if (*e)
			b->events[k++] = *e;
}

static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct res__built *built(const struct res_desc *d)
{
	struct res__built *b;

	if (!d->built)
		CRM_BUG("resource '%s' has no RES_STORAGE", d->name);
	if ((b = atomic_load_explicit(&d->built->p, memory_order_acquire)))
		return b;
	pthread_mutex_lock(&build_lock);
	if (!(b = atomic_load_explicit(&d->built->p, memory_order_relaxed))) {
		b = xcalloc(1, sizeof(*b));
		build(d, b);
		atomic_store_explicit(&d->built->p, b, memory_order_release);
	}
	pthread_mutex_unlock(&build_lock);
	return b;
}

const struct json_desc *res_json(const struct res_desc *d)
{
	return &built(d)->json;
}

const struct db_table *res_table(const struct res_desc *d)
{
	return &built(d)->table;
}

const char *const *res_filterable(const struct res_desc *d)
{
	return built(d)->filterable;
}

const char *const *res_event_types(const struct res_desc *d)
{
	return built(d)->events;
}

/* ---- values in a record ---- */

static void *slot(void *obj, size_t offset)
{
	return (char *)obj + offset;
}

static const void *cslot(const void *obj, size_t offset)
{
	return (const char *)obj + offset;
}

static size_t slot_size(const struct json_field *f)
{
	switch (f->type) {
	case JSON_STRING:
		return sizeof(const char *);
	case JSON_INT:
	case JSON_TIME:
		return sizeof(int64_t);
	case JSON_NUMBER:
		return sizeof(double);
	case JSON_BOOL:
		return sizeof(bool);
	case JSON_OBJECT:
		return f->sub->size;
	case JSON_OBJECT_ARRAY:
	case JSON_STRING_ARRAY:
		return sizeof(struct json_array);
	case JSON_ANY:
		return sizeof(const cJSON *);
	}
	CRM_BUG("field type %d", (int)f->type);
}

static const char *what_of(const struct res_desc *d)
{
	return d->what ? d->what : d->name;
}

/* ---- encoding ---- */

static void hrefs_fill(struct crm_ctx *ctx, cJSON *node)
{
	cJSON *m;

	if (cJSON_IsObject(node)) {
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(node, "@referredType");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "id");
		const struct res_desc *r;

		if (cJSON_IsString(type) && cJSON_IsString(id) &&
		    (r = res_find_type(type->valuestring)) && r->path) {
			const char *href =
				arena_printf(ctx->arena, "%s/%s", r->path, id->valuestring);
			cJSON *old = cJSON_GetObjectItemCaseSensitive(node, "href");

			if (old)
				cJSON_ReplaceItemViaPointer(node, old, cJSON_CreateString(href));
			else
				cJSON_AddStringToObject(node, "href", href);
		}
	}
	if (cJSON_IsObject(node) || cJSON_IsArray(node))
		cJSON_ArrayForEach(m, node) hrefs_fill(ctx, m);
}

const char *res_href(struct crm_ctx *ctx, const struct res_desc *d, const char *id)
{
	return arena_printf(ctx->arena, "%s/%s", d->path, id);
}

void res_hrefs_fill(struct crm_ctx *ctx, cJSON *tree)
{
	for (cJSON *m = tree ? tree->child : NULL; m; m = m->next)
		hrefs_fill(ctx, m); /* the record's own members, not the record itself */
}

cJSON *res_render(struct crm_ctx *ctx, const struct res_desc *d, const void *obj, bool masked)
{
	cJSON *tree = masked ? json_encode_masked(res_json(d), obj, ctx->arena)
			     : json_encode(res_json(d), obj);

	res_hrefs_fill(ctx, tree);
	return tree;
}

cJSON *res_encode(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	return json_adopt(ctx->arena, res_render(ctx, d, obj, false));
}

/* ---- reads ---- */

static void doc_load(struct crm_ctx *ctx, const struct res__built *b, void *obj)
{
	struct res_head *h = obj;
	void *tmp;
	cJSON *tree;

	if (!h->row.doc || !b->has_doc)
		return;
	tmp = arena_calloc(ctx->arena, 1, b->doc.size);
	if (json_parse(ctx->arena, h->row.doc, strlen(h->row.doc), &tree, NULL) != 0 ||
	    json_decode(ctx->arena, tree, &b->doc, tmp, JSON_STORED, NULL) != 0)
		return; /* stored by us: never happens; the record shows without them */
	json_merge(&b->doc, obj, tmp);
}

const struct res_field *res_bound_field(const struct res_desc *d)
{
	for (const struct res_field *f = d->fields; f->name; f++)
		if (f->flags & RES_BOUND)
			return f;
	return NULL;
}

const char *res_bound_value(const struct res_desc *d, const void *obj)
{
	const struct res_field *f = res_bound_field(d);

	return f ? *(const char *const *)cslot(obj, f->offset) : NULL;
}

/* The record's href: the descriptor's path, its {parameter} the bound field's value, and
 * the id. */
static const char *href_of(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	const struct res_head *h = obj;
	const char *open, *close;

	if (!d->path)
		return NULL;
	if (!(open = strchr(d->path, '{')) || !(close = strchr(open, '}')))
		return arena_printf(ctx->arena, "%s/%s", d->path, h->row.id);
	return arena_printf(ctx->arena, "%.*s%s%s/%s", (int)(open - d->path), d->path,
			    res_bound_value(d, obj) ? res_bound_value(d, obj) : "", close + 1,
			    h->row.id);
}

void res_loaded(struct crm_ctx *ctx, const struct res_desc *d, void *obj)
{
	struct res_head *h = obj;

	doc_load(ctx, built(d), obj);
	h->present = 0;
	h->href = href_of(ctx, d, obj);
	if (d->loaded)
		d->loaded(ctx, obj);
}

int res_get(struct crm_ctx *ctx, const struct res_desc *d, const char *id, void *out)
{
	int rc;

	memset(out, 0, d->size);
	if ((rc = db_row_get(ctx->db, NULL, res_table(d), db_scope_for(ctx, d->perm_read), id,
			     ctx->arena, out, &ctx->err)))
		return rc;
	res_loaded(ctx, d, out);
	return 0;
}

int res_get_by(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx,
	       struct db_scope scope, const char *column, const char *value, void *out)
{
	int rc;

	memset(out, 0, d->size);
	if ((rc = db_row_get_by(ctx->db, tx, res_table(d), scope, column, value, ctx->arena, out,
				&ctx->err)))
		return rc;
	res_loaded(ctx, d, out);
	return 0;
}

int res_load(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx, const char *id,
	     int64_t if_match, void *out)
{
	struct res_head *h = out;
	int rc;

	memset(out, 0, d->size);
	if ((rc = db_row_get(ctx->db, tx, res_table(d), db_scope_for(ctx, d->perm_read), id,
			     ctx->arena, out, &ctx->err)))
		return rc;
	if (if_match >= 0 && if_match != h->row.version)
		return crm_err_set(&ctx->err, CRM_ESTALE, "version",
				   "%s '%s' is at version %lld, not %lld", what_of(d), id,
				   (long long)h->row.version, (long long)if_match);
	res_loaded(ctx, d, out);
	return 0;
}

/* ---- lists: filters, sort, cursor ---- */

static const struct res_field *entry_of(const struct res__built *b, const char *name)
{
	for (size_t i = 0; i < b->nall; i++)
		if (strcmp(b->all[i]->name, name) == 0)
			return b->all[i];
	return NULL;
}

/* A filter's or cursor's text as the column's value. */
static bool value_parse(const struct res_desc *d, const struct res_field *f, const char *text,
			struct db_value *out)
{
	char *end;

	memset(out, 0, sizeof(*out));
	switch (ctype_of(d, f)) {
	case DB_TEXT:
		out->s = text;
		return true;
	case DB_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
			out->i = text[0] == 't';
			return true;
		}
		return false;
	case DB_REAL:
		out->d = strtod(text, &end);
		return *text && !*end && isfinite(out->d);
	case DB_INT:
		if (f->type == JSON_TIME)
			return time_parse_iso(str_from(text), &out->i);
		return str_to_i64(str_from(text), INT64_MIN, INT64_MAX, &out->i);
	}
	return false;
}

static const char *kind_name(const struct res_field *f)
{
	switch (f->type) {
	case JSON_TIME:
		return "an ISO-8601 date-time";
	case JSON_INT:
		return "a whole number";
	case JSON_NUMBER:
		return "a number";
	case JSON_BOOL:
		return "true or false";
	default:
		return "a text";
	}
}

static int conds_of(struct crm_ctx *ctx, const struct res_desc *d, const struct db_list_opts *o,
		    struct db_cond **out)
{
	const struct res__built *b = built(d);
	struct db_cond *conds =
		arena_calloc(ctx->arena, o->nfilters ? o->nfilters : 1, sizeof(*conds));

	for (size_t i = 0; i < o->nfilters; i++) {
		const struct db_filter *flt = &o->filters[i];
		const struct res_field *f = entry_of(b, flt->field);
		struct db_value *vals;

		if (!f || !(f->flags & RES_FILTER) || !f->column)
			return crm_err_set(&ctx->err, CRM_EINVAL, flt->field,
					   "unknown filter attribute '%s'", flt->field);
		if (flt->nvalues == 0 || (flt->op != DB_EQ && flt->nvalues != 1))
			return crm_err_set(&ctx->err, CRM_EINVAL, flt->field,
					   "filter '%s' needs exactly one value", flt->field);
		vals = arena_calloc(ctx->arena, flt->nvalues, sizeof(*vals));
		for (size_t k = 0; k < flt->nvalues; k++)
			if (!value_parse(d, f, flt->values[k], &vals[k]))
				return crm_err_set(&ctx->err, CRM_EINVAL, flt->field,
						   "filter '%s' value '%s' is not %s", flt->field,
						   flt->values[k], kind_name(f));
		conds[i] = (struct db_cond){f->column, ctype_of(d, f), flt->op, vals, flt->nvalues};
	}
	*out = conds;
	return 0;
}

/* sort=name,-lastUpdate: at most ORDER_MAX keys among the sortable fields. */
static int order_of(struct crm_ctx *ctx, const struct res_desc *d, const char *sort,
		    struct db_order *out, const struct res_field **fields, size_t *out_n)
{
	const struct res__built *b = built(d);
	struct str rest = str_from(sort);
	size_t n = 0;

	if (!sort || !*sort) {
		*out_n = 0;
		return 0;
	}
	do {
		struct str key = str_trim(str_split(rest, ',', &rest));
		bool desc = key.len && key.p[0] == '-';
		const char *name;
		const struct res_field *f;

		if (key.len && (key.p[0] == '-' || key.p[0] == '+')) {
			key.p++;
			key.len--;
		}
		name = str_dup(ctx->arena, key);
		f = entry_of(b, name);
		if (!key.len || !f || !(f->flags & RES_SORT) || !f->column)
			return crm_err_set(&ctx->err, CRM_EINVAL, "sort",
					   "cannot sort by '%s'; sortable: see the API's "
					   "documentation",
					   name);
		if (n == ORDER_MAX)
			return crm_err_set(&ctx->err, CRM_EINVAL, "sort", "at most %d sort keys",
					   ORDER_MAX);
		fields[n] = f;
		out[n++] = (struct db_order){f->column, ctype_of(d, f), desc};
	} while (rest.p);
	*out_n = n;
	return 0;
}

/* A cursor is the sort text and the keys of the last row of a page, as JSON in base64url. */
static const char *cursor_make(struct crm_ctx *ctx, const struct res_desc *d, const char *sort,
			       const struct res_field *const *keys, size_t nkeys, const void *obj)
{
	cJSON *c = json_adopt(ctx->arena, cJSON_CreateObject()), *k;
	size_t len;
	char *text;

	cJSON_AddStringToObject(c, "s", sort ? sort : "");
	k = cJSON_AddArrayToObject(c, "k");
	for (size_t i = 0; i <= nkeys; i++) {
		const struct res_field *f = i < nkeys ? keys[i] : &head_fields[0];
		const void *p = cslot(obj, f->offset);

		switch (ctype_of(d, f)) {
		case DB_TEXT:
			/* a column keeping no value as '' (RES_EMPTY_IS_NULL) holds '', not NULL:
			 * the cursor must name what the column holds */
			if (*(const char *const *)p)
				cJSON_AddItemToArray(k,
						     cJSON_CreateString(*(const char *const *)p));
			else if (f->flags & RES_EMPTY_IS_NULL)
				cJSON_AddItemToArray(k, cJSON_CreateString(""));
			else
				cJSON_AddItemToArray(k, cJSON_CreateNull());
			break;
		case DB_BOOL:
			cJSON_AddItemToArray(k, cJSON_CreateBool(*(const bool *)p));
			break;
		case DB_REAL:
			cJSON_AddItemToArray(k, cJSON_CreateNumber(*(const double *)p));
			break;
		case DB_INT: /* as text: a double would round large values */
			cJSON_AddItemToArray(
				k, cJSON_CreateString(arena_printf(
					   ctx->arena, "%lld", (long long)*(const int64_t *)p)));
			break;
		}
	}
	text = json_print(ctx->arena, c, &len);
	return str_base64url_encode(ctx->arena, text, len);
}

static int cursor_read(struct crm_ctx *ctx, const struct res_desc *d, const char *cursor,
		       const char *sort, const struct db_order *order,
		       const struct res_field *const *keys, size_t nkeys, struct db_value **out)
{
	struct db_value *v = arena_calloc(ctx->arena, nkeys + 1, sizeof(*v));
	const cJSON *s, *k, *e;
	cJSON *tree;
	char *text;
	size_t len, i = 0;

	if (!str_base64url_decode(ctx->arena, str_from(cursor), &text, &len) ||
	    json_parse(ctx->arena, text, len, &tree, NULL) != 0 ||
	    !cJSON_IsString(s = cJSON_GetObjectItemCaseSensitive(tree, "s")) ||
	    !cJSON_IsArray(k = cJSON_GetObjectItemCaseSensitive(tree, "k")) ||
	    (size_t)cJSON_GetArraySize(k) != nkeys + 1)
		return crm_err_set(&ctx->err, CRM_EINVAL, "cursor",
				   "'cursor' is not one this list gave out");
	if (strcmp(s->valuestring, sort ? sort : "") != 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "cursor",
				   "'cursor' belongs to a list sorted by '%s'", s->valuestring);
	cJSON_ArrayForEach(e, k)
	{
		const struct res_field *f = i < nkeys ? keys[i] : &head_fields[0];
		bool ok;

		(void)order;
		if (cJSON_IsNull(e))
			ok = (v[i].null = true);
		else if (cJSON_IsBool(e))
			ok = ctype_of(d, f) == DB_BOOL && ((v[i].i = cJSON_IsTrue(e)), true);
		else if (cJSON_IsNumber(e))
			ok = ctype_of(d, f) == DB_REAL && ((v[i].d = e->valuedouble), true);
		else
			ok = cJSON_IsString(e) &&
			     (ctype_of(d, f) == DB_TEXT
				      ? ((v[i].s = e->valuestring), true)
				      : str_to_i64(str_from(e->valuestring), INT64_MIN, INT64_MAX,
						   &v[i].i));
		if (!ok)
			return crm_err_set(&ctx->err, CRM_EINVAL, "cursor",
					   "'cursor' is not one this list gave out");
		i++;
	}
	*out = v;
	return 0;
}

int res_list(struct crm_ctx *ctx, const struct res_desc *d, const struct db_list_opts *opts,
	     struct res_page *out)
{
	const struct res_field *keys[ORDER_MAX];
	struct db_order order[ORDER_MAX];
	struct db_query q = {
		.offset = opts->offset,
		.limit = opts->limit,
		.count = !opts->cursor && !opts->uncounted,
	};
	struct db_cond *conds = NULL;
	struct db_value *after = NULL;
	void *rows;
	const char *sort = opts->sort ? opts->sort : d->sort;
	size_t norder = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = conds_of(ctx, d, opts, &conds)) ||
	    (rc = order_of(ctx, d, sort, order, keys, &norder)))
		return rc;
	if (opts->cursor && opts->offset)
		return crm_err_set(&ctx->err, CRM_EINVAL, "cursor",
				   "'cursor' and 'offset' cannot be used together");
	if (opts->cursor &&
	    (rc = cursor_read(ctx, d, opts->cursor, sort, order, keys, norder, &after)))
		return rc;
	q.conds = conds;
	q.nconds = opts->nfilters;
	q.order = order;
	q.norder = norder;
	q.after = after;
	if ((rc = db_row_list(ctx->db, res_table(d), db_scope_for(ctx, d->perm_read), &q, d->size,
			      ctx->arena, &rows, &out->n, &out->total, &ctx->err)))
		return rc;
	for (size_t i = 0; i < out->n; i++)
		res_loaded(ctx, d, (char *)rows + i * d->size);
	out->items = rows;
	if (out->n && (int64_t)out->n == opts->limit)
		out->next_cursor = cursor_make(ctx, d, sort, keys, norder,
					       (char *)rows + (out->n - 1) * d->size);
	return 0;
}

/* ---- checks every field declares ---- */

/* Nothing but white space (ASCII, and U+3000, the ideographic space of Chinese input). */
static bool blank(const char *s)
{
	while (*s) {
		if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
			s++;
		else if ((unsigned char)s[0] == 0xe3 && (unsigned char)s[1] == 0x80 &&
			 (unsigned char)s[2] == 0x80)
			s += 3;
		else
			return false;
	}
	return true;
}

/* Where a nested field is, as a chain up to the record: its name, or for an element of an
 * array its index (name NULL); written out only for a message. */
struct field_path {
	const char *name;
	size_t index;
	const struct field_path *up;
};

static void path_write(struct strbuf *sb, const struct field_path *p)
{
	if (!p)
		return;
	path_write(sb, p->up);
	if (!p->name)
		strbuf_addf(sb, "[%zu]", p->index);
	else
		strbuf_addf(sb, "%s%s", p->up ? "." : "", p->name);
}

static int check_period(struct crm_ctx *ctx, const struct field_path *at,
			const struct time_period *p)
{
	struct strbuf sb;
	const char *path;

	if (!p->start_ms || !p->end_ms || p->end_ms >= p->start_ms)
		return 0;
	strbuf_init_arena(&sb, ctx->arena, 64);
	path_write(&sb, at);
	path = strbuf_cstr(&sb);
	return crm_err_set(&ctx->err, CRM_EINVAL, path, "'%s' ends before it starts", path);
}

/* Periods (validFor, …) end no earlier than they start, at any depth. */
static int check_periods(struct crm_ctx *ctx, const struct json_desc *desc, const void *obj,
			 const struct field_path *up)
{
	int rc;

	for (size_t i = 0; desc->fields[i].name; i++) {
		const struct json_field *f = &desc->fields[i];
		struct field_path at = {.name = f->name, .up = up};

		if (f->type == JSON_OBJECT && f->sub == &time_period_desc) {
			if ((rc = check_period(ctx, &at, cslot(obj, f->offset))))
				return rc;
		} else if (f->type == JSON_OBJECT) {
			if ((rc = check_periods(ctx, f->sub, cslot(obj, f->offset), &at)))
				return rc;
		} else if (f->type == JSON_OBJECT_ARRAY) {
			const struct json_array *a = cslot(obj, f->offset);

			for (size_t k = 0; k < a->count; k++) {
				struct field_path item = {.index = k, .up = &at};

				if ((rc = check_periods(ctx, f->sub,
							(const char *)a->items + k * f->sub->size,
							&item)))
					return rc;
			}
		}
	}
	return 0;
}

static int check_fields(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	for (const struct res_field *f = d->fields; f->name; f++) {
		const char *v;

		if (f->type != JSON_STRING || !(f->flags & RES_NOT_BLANK))
			continue;
		v = *(const char *const *)cslot(obj, f->offset);
		if (v && blank(v))
			return crm_err_set(&ctx->err, CRM_EINVAL, f->name, "'%s' must not be blank",
					   f->name);
		if (!v && (f->flags & JSON_REQUIRED))
			return crm_err_set(&ctx->err, CRM_EINVAL, f->name, "'%s' is required",
					   f->name);
	}
	return check_periods(ctx, res_json(d), obj, NULL);
}

static const char *state_of(const struct res_desc *d, const void *obj)
{
	const struct res__built *b = built(d);
	const struct res_field *f = entry_of(b, d->lifecycle->field);

	return *(const char *const *)cslot(obj, f->offset);
}

static void state_set(const struct res_desc *d, void *obj, const char *state)
{
	*(const char **)slot(obj, entry_of(built(d), d->lifecycle->field)->offset) = state;
}

static bool among(const char *const *list, const char *v)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], v) == 0)
			return true;
	return false;
}

bool res_move_ok(const struct res_desc *d, const char *from, const char *to)
{
	const struct res_lifecycle *l = d->lifecycle;

	for (size_t i = 0; l && l->moves[i][0]; i++)
		if (strcmp(l->moves[i][0], from) == 0 && strcmp(l->moves[i][1], to) == 0)
			return true;
	return false;
}

size_t res_moves_from(const struct res_desc *d, const char *from, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; d->lifecycle && d->lifecycle->states[i]; i++)
		if (res_move_ok(d, from, d->lifecycle->states[i]))
			out[n++] = d->lifecycle->states[i];
	return n;
}

/* The unit a unit-scoped record belongs to: its orgId (the caller's unit when absent),
 * which must lie in the caller's scope. */
static int org_resolve(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx,
		       struct res_head *h)
{
	struct db_org_unit u;
	int rc;

	if (!h->row.org_id)
		h->row.org_id = ctx->who.org_id;
	if (!h->row.org_id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "orgId", "'%s' is required", "orgId");
	/* a record is placed only where the caller may change it */
	rc = db_org_get(ctx->db, tx, db_scope_for(ctx, d->perm_write), h->row.org_id, ctx->arena,
			&u, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "orgId", "org unit '%s' not found",
				   h->row.org_id);
	}
	if (rc)
		return rc;
	h->row.org_id = u.id;
	h->row.org_path = u.path;
	return 0;
}

/* The user owning an owned record, who must exist. */
static int owner_resolve(struct crm_ctx *ctx, struct db_tx *tx, const char *owner_id)
{
	const struct res_desc *users = res_find("user");
	void *u;
	int rc;

	if (!owner_id)
		return 0;
	if (!users)
		CRM_BUG("an owned resource, and no user resource registered");
	u = arena_alloc(ctx->arena, users->size);
	rc = res_get_by(ctx, users, tx, db_scope_all(), "id", owner_id, u);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "ownerId", "user '%s' not found",
				   owner_id);
	}
	return rc;
}

static const char *doc_text(struct crm_ctx *ctx, const struct res__built *b, const void *obj)
{
	if (!b->has_doc)
		return NULL;
	return json_print(ctx->arena, json_adopt(ctx->arena, json_encode(&b->doc, obj)), NULL);
}

/* A conflict the store reports on a unique column, in the words of the field's table. */
static int conflict(struct crm_ctx *ctx, const struct res_desc *d, const void *obj, int rc)
{
	const struct res__built *b = built(d);
	char column[CRM_ERR_FIELD_MAX];

	if (rc != CRM_ECONFLICT || !ctx->err.field[0])
		return rc;
	memcpy(column, ctx->err.field, sizeof(column));
	for (size_t i = 0; i < b->nall; i++) {
		const struct res_field *f = b->all[i];
		const char *v, *field;
		size_t n;

		if (!f->column || strcmp(f->column, column) != 0)
			continue;
		v = f->type == JSON_STRING ? *(const char *const *)cslot(obj, f->offset) : NULL;
		n = strcspn(f->name, ".");
		field = arena_strndup(ctx->arena, f->name, n);
		crm_err_clear(&ctx->err);
		if (f->taken)
			return crm_err_set(&ctx->err, CRM_ECONFLICT, field, f->taken, v ? v : "");
		return crm_err_set(&ctx->err, CRM_ECONFLICT, field,
				   "another %s has this '%s' already", what_of(d), field);
	}
	return rc;
}

/* ---- writes ---- */

int res_unmask(struct crm_ctx *ctx, enum mask_kind kind, const char *field, const char *current,
	       const char **value)
{
	if (!*value || !strchr(*value, '*'))
		return 0;
	switch (mask_check_echo(kind, current, *value)) {
	case MASK_ECHO_SAME:
		if (!ctx->who.pii_masked)
			break; /* the caller was shown the clear value, never this mask */
		*value = current;
		return 0;
	case MASK_ECHO_BAD:
		break;
	default:
		return 0;
	}
	return crm_err_set(&ctx->err, CRM_EINVAL, field,
			   "a masked value cannot be written; send the full value");
}

/* "'a', 'b' or 'c'" */
static const char *alternatives(struct crm_ctx *ctx, const char *const *list)
{
	struct strbuf sb;

	strbuf_init_arena(&sb, ctx->arena, 64);
	for (size_t i = 0; list[i]; i++)
		strbuf_addf(&sb, "%s'%s'", i == 0 ? "" : list[i + 1] ? ", " : " or ", list[i]);
	return strbuf_cstr(&sb);
}

/* Checks and completes a new record (decoded as for a create) into its row. */
static int prepare(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx, void *obj,
		   struct res_change *ch)
{
	struct res_head *h = obj;
	int64_t now = time_now_ms();
	int rc;

	if (d->lifecycle) {
		const char *s = state_of(d, obj);

		if (!s)
			state_set(d, obj, s = d->lifecycle->initial[0]);
		if (!among(ch->bulk ? d->lifecycle->states : d->lifecycle->initial, s))
			return crm_err_set(&ctx->err, CRM_EINVAL, d->lifecycle->field,
					   "a new %s is %s, not '%s'", what_of(d),
					   alternatives(ctx, d->lifecycle->initial), s);
	}
	if (!d->client_id)
		h->row.id = id_new_in(ctx->arena);
	/* an owner named is looked up; the creator, the default, is there */
	if (d->owned && h->row.owner_id && (rc = owner_resolve(ctx, tx, h->row.owner_id)))
		return rc;
	if (d->scope == DB_SCOPE_OWNER || (d->owned && !h->row.owner_id))
		h->row.owner_id = ctx->who.user_id;
	if (d->check && (rc = d->check(ctx, tx, obj, ch)))
		return rc;
	if ((rc = check_fields(ctx, d, obj)))
		return rc;
	if (d->scope == DB_SCOPE_UNIT && !h->row.org_path && (rc = org_resolve(ctx, d, tx, h)))
		return rc;
	h->row.version = 1;
	h->row.created_ms = h->row.updated_ms = now;
	h->row.deleted_ms = 0;
	h->row.doc = doc_text(ctx, built(d), obj);
	h->href = href_of(ctx, d, obj);
	return 0;
}

static int insert(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx, const void *obj)
{
	int rc;

	/* a side table's unique key (an identification number's) is the row's column's */
	if ((rc = conflict(ctx, d, obj, db_row_insert(tx, res_table(d), obj, &ctx->err))))
		return rc;
	return d->side ? conflict(ctx, d, obj, d->side(ctx, tx, NULL, obj)) : 0;
}

int res_prepare(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx, void *obj,
		const void *with)
{
	return prepare(ctx, d, tx, obj,
		       &(struct res_change){.in = obj, .bulk = true, .with = with});
}

int res_insert(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	if (!ctx->batch)
		CRM_BUG("res_insert outside a batch");
	return insert(ctx, d, ctx->batch, obj);
}

int res_taken(struct crm_ctx *ctx, const struct res_desc *d, const void *obj, const char *column)
{
	crm_err_set(&ctx->err, CRM_ECONFLICT, column, "%s violates a database constraint", d->name);
	return conflict(ctx, d, obj, CRM_ECONFLICT);
}

static int create(struct crm_ctx *ctx, const struct res_desc *d, void *obj, const cJSON *body,
		  void *out)
{
	const struct res_head *h = obj;
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = prepare(ctx, d, tx, obj, &(struct res_change){.in = obj, .body = body})) ||
	    (rc = insert(ctx, d, tx, obj)))
		goto out;
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "create",
				   .resource = d->name,
				   .resource_id = h->row.id,
				   .dkey = d->dkey ? d->dkey(obj) : NULL,
				   .org_path = h->row.org_path,
				   .owner_id = h->row.owner_id,
				   .after = res_encode(ctx, d, obj),
				   .api = d->event_api,
				   .event_type = built(d)->ev_create,
				   .event_field = d->event_field,
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		memcpy(out, obj, d->size);
out:
	change_abort(ctx, tx);
	return rc;
}

int res_create(struct crm_ctx *ctx, const struct res_desc *d, const cJSON *body, const char *bound,
	       void *out)
{
	const struct res_field *b = res_bound_field(d);
	void *obj = arena_calloc(ctx->arena, 1, d->size);
	int rc;

	if ((rc = json_decode(ctx->arena, body, res_json(d), obj, JSON_CREATE, &ctx->err)))
		return rc;
	if (b)
		*(const char **)slot(obj, b->offset) = bound;
	if (d->input && (rc = d->input(ctx, NULL, obj)))
		return rc;
	return create(ctx, d, obj, body, out);
}

int res_create_obj(struct crm_ctx *ctx, const struct res_desc *d, void *obj, void *out)
{
	void *in = arena_calloc(ctx->arena, 1, d->size);
	cJSON *body;
	int rc;

	/* through the JSON, so that a record made in code meets every limit a body meets */
	((struct res_head *)obj)->present = 0;
	body = json_adopt(ctx->arena, json_encode(res_json(d), obj));
	cJSON_DeleteItemFromObjectCaseSensitive(body, "@type");
	for (size_t i = 0; res_json(d)->fields[i].name; i++) {
		const struct json_field *f = &res_json(d)->fields[i];
		const char *v =
			f->type == JSON_STRING ? *(const char *const *)cslot(obj, f->offset) : NULL;

		if (f->flags & JSON_READONLY)
			cJSON_DeleteItemFromObjectCaseSensitive(body, f->name);
		else if ((f->flags & JSON_WRITEONLY) && v) /* never rendered, yet given */
			cJSON_AddStringToObject(body, f->name, v);
	}
	if ((rc = json_decode(ctx->arena, body, res_json(d), in, JSON_CREATE, &ctx->err)) ||
	    (d->input && (rc = d->input(ctx, NULL, in))))
		return rc;
	return create(ctx, d, in, body, out);
}

/* The record's JSON as an input: without what the server sets. */
static cJSON *input_tree(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	const struct json_desc *j = res_json(d);
	cJSON *tree = json_adopt(ctx->arena, json_encode(j, obj));

	for (size_t i = 0; j->fields[i].name; i++)
		if (j->fields[i].flags & JSON_READONLY)
			cJSON_DeleteItemFromObjectCaseSensitive(tree, j->fields[i].name);
	cJSON_DeleteItemFromObjectCaseSensitive(tree, "@type");
	return tree;
}

struct paths {
	struct crm_ctx *ctx;
	struct strbuf text;
	const char **list;
	size_t n, cap;
	const char *state_field;
	bool state, other;
};

static void path_add(void *arg, const char *path)
{
	struct paths *p = arg;
	size_t top = strcspn(path, ".");

	if (strcmp(path, "version") == 0 || strcmp(path, "lastUpdate") == 0)
		return;
	if (p->state_field && strlen(p->state_field) == top &&
	    strncmp(path, p->state_field, top) == 0) {
		p->state = true;
	} else {
		p->other = true;
		strbuf_addf(&p->text, "%s%s", p->text.len ? "," : "", path);
	}
	if (p->n + 1 >= p->cap) {
		const char **l = arena_calloc(p->ctx->arena, p->cap * 2 + 8, sizeof(*l));

		if (p->n)
			memcpy(l, p->list, p->n * sizeof(*l));
		p->list = l;
		p->cap = p->cap * 2 + 8;
	}
	p->list[p->n++] = arena_strdup(p->ctx->arena, path);
}

static const struct json_field *field_of(const struct json_desc *desc, const char *name)
{
	for (size_t i = 0; name && desc->fields[i].name; i++)
		if (strcmp(desc->fields[i].name, name) == 0)
			return &desc->fields[i];
	return NULL;
}

/* Takes out of obj (desc's) the null members that name one of desc's fields, and so in the
 * objects within it (not in arrays, which a merge patch replaces whole; unknown members stay,
 * for the decode to refuse). */
static void nulls_drop(cJSON *obj, const struct json_desc *desc)
{
	cJSON *m = obj->child;

	while (m) {
		cJSON *next = m->next;
		const struct json_field *f = field_of(desc, m->string);

		if (f && cJSON_IsNull(m))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, m));
		else if (f && f->type == JSON_OBJECT && cJSON_IsObject(m))
			nulls_drop(m, f->sub);
		m = next;
	}
}

/* A merge patch without the nulls inside its members' objects, for the decode of what was
 * sent (types, presence): there a null is no value but RFC 7396's "remove this member",
 * which the merge applies and the decode of the merged record checks (a required member
 * removed is refused then). A top-level null stays: it clears a nullable field only. */
static cJSON *patch_sent(struct crm_ctx *ctx, const struct res_desc *d, const cJSON *body)
{
	cJSON *copy = json_adopt(ctx->arena, cJSON_Duplicate(body, true)), *m;
	const struct json_field *f;

	if (!cJSON_IsObject(copy))
		return copy;
	cJSON_ArrayForEach(m, copy)
	{
		if ((f = field_of(res_json(d), m->string)) && f->type == JSON_OBJECT &&
		    cJSON_IsObject(m))
			nulls_drop(m, f->sub);
	}
	return copy;
}

/* Immutable fields keep their value. */
static int check_immutable(struct crm_ctx *ctx, const struct res_desc *d, const void *in,
			   const void *before)
{
	const struct json_desc *j = res_json(d);

	for (const struct res_field *f = d->fields; f->name; f++) {
		const void *a = cslot(in, f->offset), *b = cslot(before, f->offset);
		bool same;

		if (!(f->flags & RES_IMMUTABLE) || (f->flags & RES_HIDDEN) ||
		    !json_present(j, in, f->name))
			continue;
		if (f->type == JSON_STRING)
			same = *(const char *const *)a && *(const char *const *)b &&
			       strcmp(*(const char *const *)a, *(const char *const *)b) == 0;
		else
			same = memcmp(a, b,
				      slot_size(&(struct json_field){.type = f->type,
								     .sub = f->sub})) == 0;
		if (!same)
			return crm_err_set(&ctx->err, CRM_EINVAL, f->name, "'%s' cannot change",
					   f->name);
	}
	if (d->client_id && json_present(j, in, "id") &&
	    strcmp(((const struct res_head *)in)->row.id,
		   ((const struct res_head *)before)->row.id) != 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "id", "'id' cannot change");
	return 0;
}

/* A record the caller may read is changed only by those whose write permission reaches
 * its unit: a clerk serves a customer of any hall of the province, and the customer's
 * own hall changes it. */
static int write_check(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	const struct res_head *h = obj;

	struct db_scope reach = db_scope_for(ctx, d->perm_write);

	if ((d->scope != DB_SCOPE_UNIT && d->scope != DB_SCOPE_PATH) ||
	    db_scope_holds(reach, h->row.org_path, d->owned, h->row.owner_id))
		return 0;
	if (reach.own && d->owned)
		return crm_err_set(&ctx->err, CRM_EPERM, NULL,
				   "%s '%s' is not yours: you may see it but change only the "
				   "records you own",
				   what_of(d), h->row.id);
	return crm_err_set(&ctx->err, CRM_EPERM, NULL,
			   "%s '%s' belongs to unit '%s', whose records you may see but not change",
			   what_of(d), h->row.id,
			   d->scope == DB_SCOPE_UNIT ? h->row.org_id : h->row.id);
}

/* A record in a final state of its lifecycle no longer changes. */
static int final_check(struct crm_ctx *ctx, const struct res_desc *d, const void *obj)
{
	const char *state;

	if (!d->lifecycle || !d->lifecycle->final)
		return 0;
	state = state_of(d, obj);
	if (!among(d->lifecycle->final, state))
		return 0;
	return crm_err_set(&ctx->err, CRM_ECONFLICT, d->lifecycle->field,
			   "%s '%s' is %s and no longer changes", what_of(d),
			   ((const struct res_head *)obj)->row.id, state);
}

/* A stored value the JSON does not show changed (a password's hash): still a change. */
static bool hidden_changed(const struct res_desc *d, const void *before, const void *after)
{
	for (const struct res_field *f = d->fields; f->name; f++) {
		const void *a = cslot(before, f->offset), *b = cslot(after, f->offset);

		if (!(f->flags & RES_HIDDEN) || !f->column)
			continue;
		if (f->type == JSON_STRING) {
			const char *x = *(const char *const *)a, *y = *(const char *const *)b;

			if ((!x) != (!y) || (x && strcmp(x, y) != 0))
				return true;
		} else if (memcmp(a, b, slot_size(&(struct json_field){.type = f->type})) != 0) {
			return true;
		}
	}
	return false;
}

int res_update(struct crm_ctx *ctx, const struct res_desc *d, const char *id, int64_t if_match,
	       const cJSON *body, void *out)
{
	const struct json_desc *j = res_json(d);
	void *in = arena_calloc(ctx->arena, 1, d->size);
	void *before = arena_calloc(ctx->arena, 1, d->size);
	void *after = arena_calloc(ctx->arena, 1, d->size);
	struct res_head *ha = after, *hb = before;
	struct res_change ch = {.in = in, .body = body, .before = before};
	struct paths paths = {.ctx = ctx};
	struct db_tx *tx = NULL;
	const char *org_id, *owner_id;
	cJSON *tree;
	int rc;

	if (d->no_update)
		return crm_err_set(&ctx->err, CRM_EMETHOD, NULL,
				   "a %s is never changed; delete it "
				   "and make a new one",
				   what_of(d));
	if ((rc = json_decode(ctx->arena, patch_sent(ctx, d, body), j, in, JSON_PATCH,
			      &ctx->err)) ||
	    (d->input && (rc = d->input(ctx, id, in))))
		return rc;
	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = res_load(ctx, d, tx, id, if_match, before)) ||
	    (rc = write_check(ctx, d, before)) || (rc = final_check(ctx, d, before)) ||
	    (rc = check_immutable(ctx, d, in, before)))
		goto out;
	/* RFC 7396 on the record's JSON, then the merged record decoded and checked whole */
	tree = input_tree(ctx, d, before);
	json_merge_patch(tree, body);
	if ((rc = json_decode(ctx->arena, tree, j, after, JSON_CREATE, &ctx->err)))
		goto out;
	for (size_t i = 0; j->fields[i].name; i++)
		if (j->fields[i].flags & JSON_READONLY)
			memcpy(slot(after, j->fields[i].offset), cslot(before, j->fields[i].offset),
			       slot_size(&j->fields[i]));
	for (const struct res_field *f = d->fields; f->name; f++)
		if ((f->flags & RES_BOUND) ||
		    (f->flags & (RES_HIDDEN | JSON_READONLY)) == (RES_HIDDEN | JSON_READONLY))
			memcpy(slot(after, f->offset), cslot(before, f->offset),
			       slot_size(&(struct json_field){.type = f->type, .sub = f->sub}));
	org_id = ha->row.org_id;
	owner_id = ha->row.owner_id;
	ha->row = hb->row;
	if (d->scope == DB_SCOPE_UNIT && org_id)
		ha->row.org_id = org_id;
	if (d->owned)
		ha->row.owner_id = owner_id;
	ha->present = ((struct res_head *)in)->present;
	if (d->lifecycle) {
		const char *from = state_of(d, before), *to = state_of(d, after);

		if (strcmp(from, to) != 0 && !res_move_ok(d, from, to)) {
			rc = crm_err_set(&ctx->err, CRM_ECONFLICT, d->lifecycle->field,
					 "%s %s cannot change from '%s' to '%s'", what_of(d),
					 d->lifecycle->field, from, to);
			goto out;
		}
	}
	if (d->check && (rc = d->check(ctx, tx, after, &ch)))
		goto out;
	if ((rc = check_fields(ctx, d, after)))
		goto out;
	if (d->scope == DB_SCOPE_UNIT && strcmp(ha->row.org_id, hb->row.org_id) != 0 &&
	    (rc = org_resolve(ctx, d, tx, ha)))
		goto out;
	if (d->owned && owner_id && (!hb->row.owner_id || strcmp(owner_id, hb->row.owner_id)) &&
	    (rc = owner_resolve(ctx, tx, owner_id)))
		goto out;
	ha->row.doc = doc_text(ctx, built(d), after);

	/* what changed: nothing is no change at all */
	strbuf_init_arena(&paths.text, ctx->arena, 64);
	paths.state_field = d->lifecycle ? d->lifecycle->field : NULL;
	json_diff(res_encode(ctx, d, before), res_encode(ctx, d, after), path_add, &paths);
	if (!paths.n && !hidden_changed(d, before, after)) {
		memcpy(out, before, d->size);
		goto out; /* rc 0: the transaction is rolled back, nothing was written */
	}
	ha->row.updated_ms = time_now_ms();
	if ((rc = conflict(ctx, d, after, db_row_update(tx, res_table(d), after, &ctx->err))) ||
	    (d->side && (rc = conflict(ctx, d, after, d->side(ctx, tx, before, after)))))
		goto out;
	ha->row.version++;
	rc = change_record(
		ctx, tx,
		&(struct change){
			.action = ch.action ? ch.action : "update",
			.resource = d->name,
			.resource_id = id,
			.dkey = d->dkey ? d->dkey(after) : NULL,
			.org_path = ha->row.org_path,
			.owner_id = ha->row.owner_id,
			.before = res_encode(ctx, d, before),
			.after = res_encode(ctx, d, after),
			.api = paths.n ? d->event_api : NULL,
			.event_type = paths.state ? built(d)->ev_state : built(d)->ev_change,
			.event_type2 = paths.state && paths.other ? built(d)->ev_change : NULL,
			.field_path = paths.other ? strbuf_cstr(&paths.text) : NULL,
			.event_field = d->event_field,
		});
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		memcpy(out, after, d->size);
out:
	change_abort(ctx, tx);
	return rc;
}

int res_delete(struct crm_ctx *ctx, const struct res_desc *d, const char *id, int64_t if_match)
{
	void *before = arena_calloc(ctx->arena, 1, d->size);
	struct res_head *h = before;
	struct db_tx *tx = NULL;
	int rc;

	if (d->no_delete)
		return crm_err_set(&ctx->err, CRM_EMETHOD, NULL, "a %s is never deleted",
				   what_of(d));
	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = res_load(ctx, d, tx, id, if_match, before)) ||
	    (rc = write_check(ctx, d, before)) ||
	    (d->removing && (rc = d->removing(ctx, tx, before))))
		goto out;
	h->row.updated_ms = h->row.deleted_ms = time_now_ms();
	if ((rc = db_row_delete(tx, res_table(d), before, &ctx->err)) ||
	    (d->side && (rc = d->side(ctx, tx, before, NULL))))
		goto out;
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "delete",
				   .resource = d->name,
				   .resource_id = id,
				   .dkey = d->dkey ? d->dkey(before) : NULL,
				   .org_path = h->row.org_path,
				   .owner_id = h->row.owner_id,
				   .before = res_encode(ctx, d, before),
				   .api = d->event_api,
				   .event_type = built(d)->ev_delete,
				   .event_field = d->event_field,
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
out:
	change_abort(ctx, tx);
	return rc;
}
