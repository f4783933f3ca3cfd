/*
 * What the product catalogue (TMF620) needs beside its generic row statements: the links
 * between its records (catalog_link: an offering to its specification, prices, bundled
 * offerings and categories; a category to its parent; a discount to the prices it alters),
 * kept with each write, so that a record others still name is not deleted.
 */
#include "store/db_int.h"

#include <string.h>

#include "core/banned.h"

int db_catalog_links_put(struct db_tx *tx, const char *from_id, const char *const *to_ids,
			 struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(c, "DELETE FROM catalog_link WHERE from_id = ?", &s, err)))
		return rc;
	db__bind_text(s, 1, from_id);
	if ((rc = db__run(s, err)))
		return rc;
	for (const char *const *to = to_ids; to && *to; to++) {
		bool again = false;

		for (const char *const *p = to_ids; p < to && !again; p++)
			again = strcmp(*p, *to) == 0;
		if (again)
			continue;
		if ((rc = db__prepare(c, "INSERT INTO catalog_link (to_id, from_id) VALUES (?, ?)",
				      &s, err)))
			return rc;
		db__bind_text(s, 1, *to);
		db__bind_text(s, 2, from_id);
		if ((rc = db__run(s, err)))
			return rc;
	}
	return 0;
}

int db_catalog_linked_from(struct db_tx *tx, const char *to_id, struct arena *a,
			   const char **from_id, int64_t *n, struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	*from_id = NULL;
	*n = 0;
	if ((rc = db__prepare(db__tx_conn(tx),
			      "SELECT min(from_id), count(*) FROM catalog_link WHERE to_id = ?", &s,
			      err)))
		return rc;
	db__bind_text(s, 1, to_id);
	if ((rc = db__step(s, err)) == 1) {
		*from_id = db__col_dup(s, 0, a);
		*n = db__col_int(s, 1);
	}
	db__release(s);
	return rc < 0 ? rc : 0;
}
