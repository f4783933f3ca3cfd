/* Customer search: reads what was typed as each kind of value it can be and lets the
 * store look for all of them at once (store/search.c), then adds to each hit what tells
 * namesakes apart: its unit's name and a phone number. */
#include "domain/search.h"

#include <stddef.h>
#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/str.h"
#include "domain/customer.h"
#include "domain/inventory.h"
#include "domain/org.h"
#include "domain/party.h"
#include "core/banned.h"

#define H(member) offsetof(struct search_hit, member)
const struct json_desc search_hit_desc = {
	"CustomerSearchHit",
	sizeof(struct search_hit),
	(const struct json_field[]){
		{"id", JSON_STRING, H(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, H(href), 0, NULL, 0, NULL},
		{"customerNo", JSON_STRING, H(customer_no), 0, NULL, 0, NULL},
		{"name", JSON_STRING, H(name), 0, NULL, 0, NULL},
		{"status", JSON_STRING, H(status), 0, NULL, 0, NULL},
		{"customerRank", JSON_STRING, H(rank), 0, NULL, 0, NULL},
		{"segment", JSON_STRING, H(segment), 0, NULL, 0, NULL},
		{"engagedParty", JSON_OBJECT, H(engaged_party), 0, &party_ref_desc, 0, NULL},
		{"blacklisted", JSON_BOOL, H(blacklisted), 0, NULL, 0, NULL},
		{"orgId", JSON_STRING, H(org_id), 0, NULL, 0, NULL},
		{"matchedBy", JSON_STRING, H(matched_by), 0, NULL, 0, NULL},
		{"exactMatch", JSON_BOOL, H(exact), 0, NULL, 0, NULL},
		{"phoneNumber", JSON_STRING, H(phone_number), JSON_MASK_PHONE, NULL, 0, NULL},
		{"idNumber", JSON_STRING, H(id_number), JSON_MASK_ID_NUMBER, NULL, 0, NULL},
		{"matchedName", JSON_STRING, H(matched_name), 0, NULL, 0, NULL},
		{"orgName", JSON_STRING, H(org_name), 0, NULL, 0, NULL},
		{"phone", JSON_STRING, H(phone), JSON_MASK_PHONE, NULL, 0, NULL},
		{"lineId", JSON_STRING, H(line_id), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef H

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z');
}

/* q as a phone number: its digits, when q is digits with the separators people type
 * ("138 1234 5678", "(010) 6234-5678", "+86 138…", "0086…"), 4 to 20 of them. */
static const char *as_phone(struct crm_ctx *ctx, const char *q)
{
	char *d = arena_alloc(ctx->arena, strlen(q) + 1);
	size_t n = 0;

	if (strncmp(q, "+86", 3) == 0)
		q += 3;
	for (; *q; q++) {
		if (is_digit(*q))
			d[n++] = *q;
		else if (!strchr(" -()", *q))
			return NULL;
	}
	d[n] = '\0';
	if (n >= 11 + 4 && strncmp(d, "0086", 4) == 0)
		d += 4, n -= 4;
	return n >= 4 && n <= 20 ? d : NULL;
}

/* q upper-cased without spaces, when it is letters, digits and dashes (customer numbers)
 * or letters and digits (identification numbers, credit codes, passports). */
static const char *as_code(struct crm_ctx *ctx, const char *q, bool dashes)
{
	char *u = arena_alloc(ctx->arena, strlen(q) + 1);
	size_t n = 0;

	for (; *q; q++) {
		char c = *q >= 'a' && *q <= 'z' ? (char)(*q - 'a' + 'A') : *q;

		if (c == ' ')
			continue;
		if (!is_upper_alnum(c) && !(dashes && c == '-'))
			return NULL;
		u[n++] = c;
	}
	u[n] = '\0';
	return n ? u : NULL;
}

/* The query, trimmed; CRM_EINVAL unless it is 1 to SEARCH_QUERY_MAX bytes of UTF-8 text
 * without control characters. */
static int query_check(struct crm_ctx *ctx, const char *q, const char **out)
{
	struct str t = str_trim(str_from(q ? q : ""));
	const unsigned char *p = (const unsigned char *)t.p;

	if (t.len == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "q", "'%s' is required", "q");
	if (t.len > SEARCH_QUERY_MAX)
		return crm_err_set(&ctx->err, CRM_EINVAL, "q", "'q' has at most %d bytes, not %zu",
				   SEARCH_QUERY_MAX, t.len);
	for (size_t i = 0, k; i < t.len; i += k) {
		uint32_t cp;

		if (!(k = str_utf8_seq(p + i, t.len - i, &cp)))
			return crm_err_set(&ctx->err, CRM_EINVAL, "q", "'q' is not UTF-8 text");
		if (cp < 0x20 || cp == 0x7f)
			return crm_err_set(&ctx->err, CRM_EINVAL, "q",
					   "'q' has a control character");
	}
	*out = str_dup(ctx->arena, t);
	return 0;
}

static const char *const match_names[DB_MATCH_COUNT] = {
	[DB_MATCH_CUSTOMER_NO] = "customerNo",
	[DB_MATCH_ID_NUMBER] = "identification",
	[DB_MATCH_PHONE] = "phoneNumber",
	[DB_MATCH_NAME] = "name",
};

static void hit_from(struct crm_ctx *ctx, const struct db_search_hit *h, struct search_hit *out)
{
	memset(out, 0, sizeof(*out));
	out->id = h->id;
	out->href = res_href(ctx, &customer_res, h->id);
	out->customer_no = h->customer_no;
	out->name = h->name;
	out->status = h->status;
	out->rank = h->rank_tier;
	out->segment = h->segment;
	out->org_id = h->org_id;
	out->blacklisted = h->blacklist;
	party__ref_fill(h->party_kind, h->party_id, &out->engaged_party);
	out->engaged_party.href = res_href(ctx, party_res(h->party_kind), h->party_id);
	out->matched_by = match_names[h->how];
	out->exact = h->rank == 0 || h->rank == 1 || h->rank == 2 || h->rank == 4;
	if (h->how == DB_MATCH_PHONE)
		out->phone_number = out->phone = h->matched;
	else if (h->how == DB_MATCH_ID_NUMBER)
		out->id_number = h->matched;
	else if (h->how == DB_MATCH_NAME && strcmp(h->matched, h->name) != 0)
		out->matched_name = h->matched; /* an organisation's registered name */
}

/* ---- what tells namesakes apart ---- */

/* What a number scores as the one a customer is told by: 1, and these. */
enum { PHONE_OWN = 2, PHONE_MOBILE = 4, PHONE_OWN_MOBILE = 1 + PHONE_MOBILE + PHONE_OWN };

/* The number a customer is told by, from the contact media of the customer (own) or of
 * its party: a mobile before a fixed line, the customer's own before its party's, a
 * preferred one first; *score is the best so far. */
static void phone_pick(const struct json_array *media, bool own, const char **best, int *score)
{
	const struct contact_medium *m = media->items;

	for (size_t i = 0; i < media->count; i++) {
		int s;

		if (!m[i].characteristic.phone_number || (strcmp(m[i].medium_type, "mobile") != 0 &&
							  strcmp(m[i].medium_type, "phone") != 0))
			continue;
		s = 1 + (strcmp(m[i].medium_type, "mobile") == 0) * PHONE_MOBILE + own * PHONE_OWN +
		    m[i].preferred;
		if (s > *score) {
			*best = m[i].characteristic.phone_number;
			*score = s;
		}
	}
}

/* The records of d whose ids are ids[0..n), in scope, in one indexed query (id IN …). */
static int list_by_id(struct crm_ctx *ctx, const struct res_desc *d, const char **ids, size_t n,
		      struct res_page *out)
{
	const struct db_filter filter = {"id", DB_EQ, ids, n};
	const struct db_list_opts opts = {
		.limit = (int64_t)n, .filters = &filter, .nfilters = 1, .uncounted = true};

	memset(out, 0, sizeof(*out));
	return n ? res_list(ctx, d, &opts, out) : 0;
}

/* Adds each hit's phone number where the match did not give it: one query for those
 * customers, and one per party for the customers without a mobile of their own. Parties
 * are read one by one: a list of parties by id would walk the index of their kind rather
 * than look each up (the planner reckons "kind =" the narrower). A search by phone number
 * (the agent's usual one) reads nothing more. */
static int hits_describe(struct crm_ctx *ctx, const struct db_search_hit *hits,
			 struct search_hit *items, size_t n)
{
	const char **cids = arena_calloc(ctx->arena, n ? n : 1, sizeof(*cids));
	struct res_page customers = {0};
	size_t nc = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		items[i].org_name = hits[i].org_name;
		if (!items[i].phone)
			cids[nc++] = hits[i].id;
	}
	if (!nc || (rc = list_by_id(ctx, &customer_res, cids, nc, &customers)))
		return nc ? rc : 0;
	for (size_t i = 0; i < n; i++) {
		const struct customer *c = customers.items;
		const char *phone = NULL;
		struct party p;
		int score = 0;

		if (items[i].phone)
			continue; /* the number matched */
		for (size_t j = 0; j < customers.n; j++)
			if (strcmp(c[j].row.id, hits[i].id) == 0)
				phone_pick(&c[j].contact_medium, true, &phone, &score);
		if (score < PHONE_OWN_MOBILE) {
			/* a party outside the caller's scope is not read, nor its numbers */
			rc = res_get(ctx, party_res(hits[i].party_kind), hits[i].party_id, &p);
			if (rc == CRM_ENOTFOUND)
				crm_err_clear(&ctx->err);
			else if (rc)
				return rc;
			else
				phone_pick(&p.contact_medium, false, &phone, &score);
		}
		items[i].phone = phone;
	}
	return 0;
}

/* The customer whose live line has this mobile number (at most one: a number serves one
 * line at a time), as a hit ranked first; *found false when there is none in scope. */
static int line_hit(struct crm_ctx *ctx, const char *msisdn, struct db_search_hit *hit,
		    const char **line_id, bool *found)
{
	static const char *const live[] = {"created", "pendingActive", "active", "suspended",
					   "pendingTerminate"};
	const struct db_filter filters[] = {
		{"msisdn", DB_EQ, &msisdn, 1},
		{"status", DB_EQ, live, sizeof(live) / sizeof(live[0])},
	};
	const struct db_list_opts opts = {
		.limit = 1, .filters = filters, .nfilters = 2, .uncounted = true};
	struct res_page page;
	struct customer c;
	struct db_org_unit u;
	int rc;

	*found = false;
	if ((rc = res_list(ctx, &product_res, &opts, &page)) || !page.n)
		return rc;
	if ((rc = res_get(ctx, &customer_res, ((const struct product *)page.items)->customer_id,
			  &c)) == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err); /* a line seen, its customer not: nothing to show */
		return 0;
	}
	if (rc)
		return rc;
	*hit = (struct db_search_hit){
		.id = c.row.id,
		.customer_no = c.customer_no,
		.name = c.name,
		.status = c.status,
		.rank_tier = c.rank,
		.segment = c.segment,
		.party_id = c.engaged_party.id,
		.party_kind = c.engaged_party.referred_type && strcmp(c.engaged_party.referred_type,
								      "Organization") == 0
				      ? "organization"
				      : "individual",
		.org_id = c.row.org_id,
		.blacklist = c.blacklisted,
		.how = DB_MATCH_PHONE,
		.rank = 2,
		.matched = msisdn,
	};
	if (!db_org_get(ctx->db, NULL, db_scope_all(), c.row.org_id, ctx->arena, &u, &ctx->err))
		hit->org_name = u.name;
	crm_err_clear(&ctx->err);
	*line_id = ((const struct product *)page.items)->row.id;
	*found = true;
	return 0;
}

int search_customers(struct crm_ctx *ctx, const char *q, size_t limit, struct search_hit **out,
		     size_t *out_n)
{
	struct db_search_query sq = {0};
	struct db_search_hit *hits, line;
	const char *line_id = NULL;
	bool lined = false;
	struct search_hit *items;
	const char *text = NULL, *code;
	size_t n;
	int rc;

	if ((rc = query_check(ctx, q, &text)))
		return rc;
	if (limit < 1 || limit > SEARCH_LIMIT_MAX)
		return crm_err_set(&ctx->err, CRM_EINVAL, "limit", "'limit' is 1 to %d, not %zu",
				   SEARCH_LIMIT_MAX, limit);
	sq.phone_digits = as_phone(ctx, text);
	/* 1 and ten more digits is a mobile number: no fixed line ends that way (a local
	 * number starts with 2-9, so the last 11 digits of one never start with 1) */
	sq.phone_whole =
		sq.phone_digits && strlen(sq.phone_digits) == 11 && sq.phone_digits[0] == '1';
	if (sq.phone_digits && strlen(sq.phone_digits) == 12)
		/* the digits of a generated customer number, typed without its C */
		sq.customer_no = arena_printf(ctx->arena, "C%s", sq.phone_digits);
	else if ((code = as_code(ctx, text, true)) && strlen(code) <= 32)
		sq.customer_no = code;
	/* identification numbers are 6 or more letters and digits, with a digit; a mobile
	 * number is none (resident IDs and credit codes have 15 or 18 characters, passports
	 * are shorter or start with a letter) */
	if (!sq.phone_whole && (code = as_code(ctx, text, false)) && strlen(code) >= 6 &&
	    strlen(code) <= 20 && strpbrk(code, "0123456789"))
		sq.id_number = code;
	if (text[strspn(text, "0123456789 -()+")] != '\0')
		sq.name = text; /* not a number: may be (part of) a name */
	/* a whole mobile number is first a line's: its customer comes first */
	if (sq.phone_whole && (rc = line_hit(ctx, sq.phone_digits, &line, &line_id, &lined)))
		return rc;
	if ((rc = db_search_customers(ctx->db, db_scope_for(ctx, PERM_CUSTOMER_READ), &sq, limit,
				      ctx->arena, &hits, &n, &ctx->err)))
		return rc;
	if (lined) {
		struct db_search_hit *all = arena_calloc(ctx->arena, n + 1, sizeof(*all));
		size_t k = 1;

		all[0] = line;
		for (size_t i = 0; i < n && k < limit; i++)
			if (strcmp(hits[i].id, line.id) != 0)
				all[k++] = hits[i];
		hits = all;
		n = k;
	}
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		hit_from(ctx, &hits[i], &items[i]);
	if (lined) {
		items[0].matched_by = "line";
		items[0].line_id = line_id;
	}
	if ((rc = hits_describe(ctx, hits, items, n)))
		return rc;
	*out = items;
	*out_n = n;
	return 0;
}
