/*
 * Customer search (GET /api/v1/search): one statement with an indexed part per way a
 * customer is found — customer number, identification number, phone number (whole or its
 * last digits), name (substring; for an organisation's customer also the organisation's
 * registered name) — whose rows are merged, ranked and cut to the page in C.
 *
 * The indexes (migration 0004) are kept by the store in the transaction of each write:
 * phone_key rows follow the phone numbers of each party and customer write through
 * db_phone_keys_put, and the name index (FTS5 trigram) follows
 * customer.name through db_name_index_put. On PostgreSQL the name index is a pg_trgm index
 * on lower(customer.name), kept by the server, and the name part is a LIKE over it.
 */
#include "store/db_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/banned.h"

size_t db__phone_key(const char *number, char *out, size_t cap)
{
	size_t n = 0, dashes = 0;
	const char *end;

	if (!number || cap == 0)
		return 0;
	/* an extension (after the second dash of "010-62345678-123") is not dialled */
	for (end = number; *end; end++)
		if (*end == '-' && ++dashes == 2)
			break;
	while (end > number && n + 1 < cap) {
		char ch = *--end;

		if (ch >= '0' && ch <= '9')
			out[n++] = ch;
	}
	out[n] = '\0';
	return n;
}

/* The distinct phone keys of phones (NULL-ended, or NULL), in keys[*n] of KEY_CAP bytes
 * each, at most max. */
enum { KEY_CAP = 64 };

static size_t phone_keys_of(const char *const *phones, char (*keys)[KEY_CAP], size_t max)
{
	size_t n = 0;

	for (const char *const *p = phones; p && *p && n < max; p++) {
		bool again = false;

		if (!db__phone_key(*p, keys[n], KEY_CAP))
			continue;
		for (size_t i = 0; i < n && !again; i++)
			again = strcmp(keys[i], keys[n]) == 0;
		n += !again;
	}
	return n;
}

static bool key_among(const char *key, char (*keys)[KEY_CAP], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/* One phone key row, written (put) or removed, by its whole key: tail, the key's first
 * four characters, leads the key as the column a sharded database distributes it by. */
static int phone_key_row(struct db_conn *c, const char *owner_id, const char *key, bool put,
			 struct crm_err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db__prepare(
		     c,
		     put ? "INSERT INTO phone_key (tail, rev, owner_id) VALUES (?, ?, ?)"
			 : "DELETE FROM phone_key WHERE tail = ? AND rev = ? AND owner_id = ?",
		     &s, err)))
		return rc;
	db__bind_textn(s, 1, key, strnlen(key, 4));
	db__bind_text(s, 2, key);
	db__bind_text(s, 3, owner_id);
	return db__run(s, err);
}

/*
 * Only the keys that changed are written: a write that leaves the numbers alone touches
 * no key. One single-row INSERT per number, not an INSERT … SELECT over the doc's JSON: a
 * statement that may write several rows opens a statement journal, and with it a
 * savepoint on each virtual table written earlier in the transaction — the FTS5 name
 * index, which flushes its pending terms at every savepoint. In a bulk load that made
 * each customer an index segment of its own. A new owner's INSERTs are plain ones, which
 * a bulk load sends by COPY (db_tx_bulk_inserts).
 */
int db_phone_keys_put(struct db_tx *tx, const char *owner_id, const char *const *before,
		      const char *const *after, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	size_t nb = 0, na = 0, max = 0;
	char(*old)[KEY_CAP], (*now)[KEY_CAP];
	int rc = 0;

	for (const char *const *p = before; p && *p; p++)
		max++;
	for (const char *const *p = after; p && *p; p++)
		max++;
	if (!max)
		return 0;
	old = xcalloc(max, KEY_CAP);
	now = xcalloc(max, KEY_CAP);
	nb = phone_keys_of(before, old, max);
	na = phone_keys_of(after, now, max);
	for (size_t i = 0; !rc && i < nb; i++)
		if (!key_among(old[i], now, na))
			rc = phone_key_row(c, owner_id, old[i], false, err);
	for (size_t i = 0; !rc && i < na; i++)
		if (!key_among(now[i], old, nb))
			rc = phone_key_row(c, owner_id, now[i], true, err);
	free(old);
	free(now);
	return rc;
}

/* ---- the name index ---- */

int db_name_index_put(struct db_tx *tx, const char *customer_id, const char *old_name,
		      const char *new_name, struct crm_err *err)
{
	struct db_conn *c = db__tx_conn(tx);
	struct db_stmt *s = NULL;
	int rc;

	/* PostgreSQL's name index is a trigram index on the column itself: nothing to keep */
	if ((old_name && new_name && strcmp(old_name, new_name) == 0) ||
	    db__dialect(c) == DB_DIALECT_PG)
		return 0;
	/* a contentless index forgets a row given the text it was indexed with; one row of
	 * VALUES, not INSERT … SELECT: a statement that may write several rows journals what
	 * it changes, which here would cost more than the index entry */
	if (old_name) {
		if ((rc = db__prepare(
			     c,
			     "INSERT INTO customer_name_fts (customer_name_fts, rowid, name)"
			     " VALUES ('delete', (SELECT rowid FROM customer WHERE id = ?),"
			     " char(2) || ? || char(3))",
			     &s, err)))
			return rc;
		db__bind_text(s, 1, customer_id);
		db__bind_text(s, 2, old_name);
		if ((rc = db__run(s, err)))
			return rc;
	}
	if (!new_name)
		return 0;
	if ((rc = db__prepare(c,
			      "INSERT INTO customer_name_fts (rowid, name) VALUES ("
			      "(SELECT rowid FROM customer WHERE id = ?), char(2) || ? || char(3))",
			      &s, err)))
		return rc;
	db__bind_text(s, 1, customer_id);
	db__bind_text(s, 2, new_name);
	return db__run(s, err);
}

/* ---- the search ---- */

/*
 * One statement: a SELECT per way of matching that applies, each with its own order and
 * limit, joined by UNION ALL — one read transaction and one statement for the whole
 * search. Parameters: ?1 ?2 the scope's paths, ?10 ?11 its owner (the own-records depth),
 * ?3 the limit, then each part's own (below; ?12 on PostgreSQL only).
 */
#define HIT_COLUMNS                                                                                \
	"c.id, c.customer_no, c.name, c.party_id, p.kind, c.org_id, o.path, c.status,"             \
	" c.customer_rank, c.segment, c.blacklist, o.name"
#define HIT_FROM " JOIN org_unit o ON o.id = c.org_id JOIN party p ON p.id = c.party_id"
#define HIT_WHERE                                                                                  \
	" WHERE o.path >= ?1 AND o.path < ?2 AND (?10 = 0 OR c.owner_id = ?11)"                    \
	" AND c.deleted_ms = 0 AND p.deleted_ms = 0"
/* Column layout after HIT_COLUMNS: rank, matched value. */
enum { HIT_RANK = 12, HIT_MATCHED = 13 };

static const char *const search_sql[DB_MATCH_COUNT] = {
	/* ?4: the customer number */
	[DB_MATCH_CUSTOMER_NO] =
		"SELECT " HIT_COLUMNS ", 0 AS r, c.customer_no FROM customer c" HIT_FROM HIT_WHERE
		" AND c.customer_no = ?4 LIMIT ?3",
	/* ?5: an individual's identification or an organization's credit code: its holder
	 * in party_ident, written so that the planner starts from it */
	[DB_MATCH_ID_NUMBER] =
		"SELECT " HIT_COLUMNS ", 1 AS r, coalesce(p.id_number, p.uscc)"
		" FROM party p JOIN customer c ON c.party_id = p.id"
		" JOIN org_unit o ON o.id = c.org_id" HIT_WHERE
		" AND p.id IN (SELECT party_id FROM party_ident WHERE number = ?5) LIMIT ?3",
	/* ?6 ?7: the range of phone keys (?13: their first four characters, the same for
	 * all, as a search has four digits or more). The customer's own numbers and its engaged
	 * party's: reversed digits, so the last digits typed are a prefix; a key as long as
	 * the query is the whole number */
	[DB_MATCH_PHONE] =
		"SELECT " HIT_COLUMNS ", CASE WHEN length(k.rev) = length(?6)"
		" THEN 2 ELSE 3 END AS r, k.rev FROM phone_key k"
		" JOIN customer c ON c.id = k.owner_id OR c.party_id = k.owner_id" HIT_FROM
			HIT_WHERE
		" AND k.tail = ?13 AND k.rev >= ?6 AND k.rev < ?7 ORDER BY r, c.name, c.customer_no"
		" LIMIT ?3",
	/* ?8: the FTS5 query; ?9: the name as typed (Latin letters in any case, as the
	 * trigram index folds them) */
	[DB_MATCH_NAME] =
		"SELECT " HIT_COLUMNS ", CASE WHEN lower(c.name) = lower(?9) THEN 4"
		" WHEN lower(substr(c.name, 1, length(?9))) = lower(?9) THEN 5 ELSE 6 END AS r,"
		" c.name FROM customer_name_fts f JOIN customer c ON c.rowid = f.rowid" HIT_FROM
			HIT_WHERE
		" AND customer_name_fts MATCH ?8 ORDER BY r, c.name, c.customer_no"
		" LIMIT ?3",
};

/* The name part on PostgreSQL: the same matches (see name_match()) as LIKE patterns ?8
 * and ?12 over lower(c.name), which its trigram index (migrations/pg) serves. */
static const char *const name_pg_sql =
	"SELECT " HIT_COLUMNS ", CASE WHEN lower(c.name) = lower(?9) THEN 4"
	" WHEN lower(substr(c.name, 1, length(?9))) = lower(?9) THEN 5 ELSE 6 END AS r,"
	" c.name FROM customer c" HIT_FROM HIT_WHERE
	" AND (lower(c.name) LIKE lower(?8) ESCAPE '\\' OR lower(c.name) LIKE lower(?12) ESCAPE "
	"'\\')"
	" ORDER BY r, c.name, c.customer_no LIMIT ?3";

/* ?9: an organization's registered (legal) name holding the name as typed, for its
 * customers. The name index holds the customer's own name only, which for an
 * organisation is its trading name unless given, so that its registered name ("广州市某某
 * 科技有限公司") would find nothing. A walk of the organizations' names in index
 * party_kind_name (kind, full_name), rows read only for the names that match:
 * organisations are a few in a hundred parties (2,000 of 200,000 in the demo: a
 * millisecond). NEEDSWORK: index these names as customer names are (kept with each party
 * write) should an operator have organisations by the hundred thousand. */
static const char *const org_name_sql =
	"SELECT " HIT_COLUMNS ", CASE WHEN lower(p.full_name) = lower(?9) THEN 4"
	" WHEN lower(substr(p.full_name, 1, length(?9))) = lower(?9) THEN 5 ELSE 6 END AS r,"
	" p.full_name FROM party p JOIN customer c ON c.party_id = p.id"
	" JOIN org_unit o ON o.id = c.org_id" HIT_WHERE " AND p.kind = 'organization'"
	" AND instr(lower(p.full_name), lower(?9)) > 0 ORDER BY r, c.name, c.customer_no"
	" LIMIT ?3";

/* ?6: a whole mobile number's key, by equality: every hit of rank 2, in any order (the
 * merge sorts them), without the sort a range of keys needs */
static const char *const phone_whole_sql =
	"SELECT " HIT_COLUMNS ", 2 AS r, k.rev FROM phone_key k"
	" JOIN customer c ON c.id = k.owner_id OR c.party_id = k.owner_id" HIT_FROM HIT_WHERE
	" AND k.tail = ?13 AND k.rev = ?6 LIMIT ?3";

static void hit_read(struct db_stmt *s, struct arena *a, struct db_search_hit *h)
{
	h->id = db__col_dup(s, 0, a);
	h->customer_no = db__col_dup(s, 1, a);
	h->name = db__col_dup(s, 2, a);
	h->party_id = db__col_dup(s, 3, a);
	h->party_kind = db__col_dup(s, 4, a);
	h->org_id = db__col_dup(s, 5, a);
	h->org_path = db__col_dup(s, 6, a);
	h->status = db__col_dup(s, 7, a);
	h->rank_tier = db__col_dup(s, 8, a);
	h->segment = db__col_dup(s, 9, a);
	h->blacklist = db__col_int(s, 10) != 0;
	h->org_name = db__col_dup(s, 11, a);
	h->rank = (int)db__col_int(s, HIT_RANK);
	h->matched = db__col_dup(s, HIT_MATCHED, a);
}

/* name with esc put before each byte of special, in the arena; *chars gets its length
 * in characters (the matches below depend on it). */
static const char *name_escaped(const char *name, const char *special, char esc, struct arena *a,
				size_t *chars)
{
	struct strbuf b;

	*chars = 0;
	strbuf_init_arena(&b, a, 32);
	for (const char *p = name; *p; p++) {
		*chars += ((unsigned char)*p & 0xC0) != 0x80;
		if (strchr(special, *p))
			strbuf_addch(&b, esc);
		strbuf_addch(&b, *p);
	}
	return strbuf_cstr(&b);
}

/* The FTS5 query for a name: a phrase of its trigrams. Names shorter than a trigram are
 * found by the markers the index wraps each name in (migration 0004): two characters as
 * the start or the end of a name, one character as a whole name. */
static const char *name_match(const char *name, struct arena *a)
{
	size_t chars;
	/* a quote inside a phrase is doubled */
	const char *q = name_escaped(name, "\"", '"', a, &chars);

	if (chars >= 3)
		return arena_printf(a, "\"%s\"", q);
	if (chars == 2)
		return arena_printf(a, "\"\x02%s\" OR \"%s\x03\"", q, q);
	return arena_printf(a, "\"\x02%s\x03\"", q);
}

/* The LIKE patterns for name_pg_sql, matching as name_match() does: a substring from
 * three characters, the start or the end of the name for two, the whole name for one. */
static void name_like(const char *name, struct arena *a, const char **p1, const char **p2)
{
	size_t chars;
	const char *q = name_escaped(name, "%_\\", '\\', a, &chars);

	*p1 = chars >= 3   ? arena_printf(a, "%%%s%%", q)
	      : chars == 2 ? arena_printf(a, "%s%%", q)
			   : q;
	*p2 = chars == 2 ? arena_printf(a, "%%%s", q) : NULL;
}

static int hit_cmp(const void *pa, const void *pb)
{
	const struct db_search_hit *x = pa, *y = pb;
	int d;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((d = strcmp(x->name, y->name)))
		return d;
	if ((d = strcmp(x->customer_no, y->customer_no)))
		return d;
	if ((d = strcmp(x->id, y->id)))
		return d;
	/* the same customer by its own name and by its organisation's: its own first */
	return (strcmp(y->matched, y->name) == 0) - (strcmp(x->matched, x->name) == 0);
}

static enum db_match how_of(int rank)
{
	return rank == 0   ? DB_MATCH_CUSTOMER_NO
	       : rank == 1 ? DB_MATCH_ID_NUMBER
	       : rank <= 3 ? DB_MATCH_PHONE
			   : DB_MATCH_NAME;
}

int db_search_customers(struct db *db, struct db_scope scope, const struct db_search_query *q,
			size_t limit, struct arena *a, struct db_search_hit **out, size_t *out_n,
			struct crm_err *err)
{
	const char *values[DB_MATCH_COUNT] = {
		[DB_MATCH_CUSTOMER_NO] = q->customer_no,
		[DB_MATCH_ID_NUMBER] = q->id_number,
		[DB_MATCH_NAME] = q->name,
	};
	char rev[64];
	size_t n = 0, cap = 16, kept = 0;
	struct db_search_hit *hits;
	struct db_conn *c = db__reader(db, err);
	struct db_stmt *s = NULL;
	struct strbuf sql;
	bool pg;
	int rc;

	if (!c)
		return err->code;
	pg = db__dialect(c) == DB_DIALECT_PG;
	if (q->phone_digits && db__phone_key(q->phone_digits, rev, sizeof(rev)))
		values[DB_MATCH_PHONE] = rev;
	strbuf_init_arena(&sql, a, 4096);
	for (int how = 0; how < DB_MATCH_COUNT; how++) {
		const char *part = search_sql[how];

		if (!values[how])
			continue;
		if (how == DB_MATCH_PHONE && q->phone_whole)
			part = phone_whole_sql;
		else if (how == DB_MATCH_NAME && pg)
			part = name_pg_sql;
		strbuf_addf(&sql, "%sSELECT * FROM (%s) AS part%d", sql.len ? " UNION ALL " : "",
			    part, how);
	}
	if (values[DB_MATCH_NAME])
		strbuf_addf(&sql, " UNION ALL SELECT * FROM (%s) AS org_part", org_name_sql);
	*out = NULL;
	*out_n = 0;
	if (!sql.len)
		return 0;
	if ((rc = db__prepare(c, strbuf_cstr(&sql), &s, err)))
		return rc;
	db__bind_scope(s, 1, scope.own ? db_scope_all() : scope, a);
	db__bind_int(s, 10, scope.own);
	db__bind_text(s, 11, scope.owner_id);
	db__bind_int(s, 3, (int64_t)limit);
	if (values[DB_MATCH_CUSTOMER_NO])
		db__bind_text(s, 4, values[DB_MATCH_CUSTOMER_NO]);
	if (values[DB_MATCH_ID_NUMBER])
		db__bind_text(s, 5, values[DB_MATCH_ID_NUMBER]);
	if (values[DB_MATCH_PHONE]) {
		/* keys from the digits up to the digits followed by the byte after '9' */
		db__bind_text(s, 6, rev);
		db__bind_textn(s, 13, rev, strnlen(rev, 4)); /* a search has 4 digits or more */
		if (!q->phone_whole)
			db__bind_text(s, 7, arena_printf(a, "%s:", rev));
	}
	if (values[DB_MATCH_NAME] && pg) {
		const char *p1, *p2;

		name_like(values[DB_MATCH_NAME], a, &p1, &p2);
		db__bind_text(s, 8, p1);
		db__bind_text(s, 12, p2);
	} else if (values[DB_MATCH_NAME]) {
		db__bind_text(s, 8, name_match(values[DB_MATCH_NAME], a));
	}
	if (values[DB_MATCH_NAME])
		db__bind_text(s, 9, values[DB_MATCH_NAME]);
	hits = arena_calloc(a, cap, sizeof(*hits));
	while ((rc = db__step(s, err)) == 1) {
		if (n == cap) {
			struct db_search_hit *more = arena_calloc(a, cap * 2, sizeof(*more));

			memcpy(more, hits, n * sizeof(*more));
			hits = more;
			cap *= 2;
		}
		hit_read(s, a, &hits[n]);
		hits[n].how = how_of(hits[n].rank);
		n++;
	}
	db__release(s);
	if (rc < 0)
		return rc;
	/* best first; a customer found more than one way is shown once, at its best rank */
	qsort(hits, n, sizeof(*hits), hit_cmp);
	for (size_t i = 0; i < n && kept < limit; i++) {
		bool seen = false;

		for (size_t j = 0; j < kept && !seen; j++)
			seen = strcmp(hits[j].id, hits[i].id) == 0;
		if (!seen)
			hits[kept++] = hits[i];
	}
	for (size_t i = 0; i < kept; i++)
		if (hits[i].how == DB_MATCH_PHONE) {
			/* the number as stored: the key read backwards */
			size_t len = strlen(hits[i].matched);
			char *fwd = arena_alloc(a, len + 1);

			for (size_t k = 0; k < len; k++)
				fwd[k] = hits[i].matched[len - 1 - k];
			fwd[len] = '\0';
			hits[i].matched = fwd;
		}
	*out = hits;
	*out_n = kept;
	return 0;
}
