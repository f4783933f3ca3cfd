/* TMF attribute filters turned into SQL predicates over a resource's column map. */
#include "store/db_int.h"

#include <string.h>

#include "core/str.h"
#include "core/time.h"
#include "core/banned.h"

static const struct db_field_map *find(const struct db_field_map *map, const char *field)
{
	for (; map->field; map++)
		if (strcmp(map->field, field) == 0)
			return map;
	return NULL;
}

static bool value_ok(const struct db_field_map *m, const char *v, int64_t *out)
{
	if (m->kind == DB_COL_INT)
		return str_to_i64(str_from(v), INT64_MIN / 10, INT64_MAX / 10, out);
	if (m->kind == DB_COL_TIME)
		return time_parse_iso(str_from(v), out);
	return true;
}

int db__where_filters(struct strbuf *sql, const struct db_field_map *map,
		      const struct db_list_opts *opts, struct crm_err *err)
{
	static const char *const ops[] = {"=", ">", ">=", "<", "<="};

	for (size_t i = 0; i < opts->nfilters; i++) {
		const struct db_filter *f = &opts->filters[i];
		const struct db_field_map *m = find(map, f->field);
		int64_t n;

		if (!m)
			return crm_err_set(err, CRM_EINVAL, f->field,
					   "unknown filter attribute '%s'", f->field);
		if (f->nvalues == 0 || (f->op != DB_EQ && f->nvalues != 1))
			return crm_err_set(err, CRM_EINVAL, f->field,
					   "filter '%s' needs exactly one value", f->field);
		for (size_t k = 0; k < f->nvalues; k++)
			if (!value_ok(m, f->values[k], &n))
				return crm_err_set(err, CRM_EINVAL, f->field,
						   "filter '%s' value '%s' is not a valid %s",
						   f->field, f->values[k],
						   m->kind == DB_COL_INT ? "number" : "date-time");
		if (f->op == DB_EQ && f->nvalues > 1) {
			strbuf_addf(sql, " AND %s IN (?", m->column);
			for (size_t k = 1; k < f->nvalues; k++)
				strbuf_addstr(sql, ",?");
			strbuf_addch(sql, ')');
		} else {
			strbuf_addf(sql, " AND %s %s ?", m->column, ops[f->op]);
		}
	}
	return 0;
}

int db__bind_filters(struct db_stmt *s, int i, const struct db_field_map *map,
		     const struct db_list_opts *opts)
{
	for (size_t k = 0; k < opts->nfilters; k++) {
		const struct db_filter *f = &opts->filters[k];
		const struct db_field_map *m = find(map, f->field);

		for (size_t v = 0; v < f->nvalues; v++) {
			int64_t n = 0;

			if (m->kind == DB_COL_TEXT) {
				db__bind_text(s, i++, f->values[v]);
			} else {
				value_ok(m, f->values[v], &n);
				db__bind_int(s, i++, n);
			}
		}
	}
	return i;
}
