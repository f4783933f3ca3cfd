/* Customers: lifecycle, blacklist, churn, engaged party; every change audited with its
 * TMF629 event. */
#include "domain/customer.h"

#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/time.h"
#include "domain/change.h"
#include "core/banned.h"

#define CUSTOMER_API "customerManagement"

static const char *const statuses[CUSTOMER_STATUS_COUNT + 1] = {"prospective", "active",
								"suspended", "inactive", NULL};
static const char *const ranks[] = {"diamond", "platinum", "gold", "silver", "standard", NULL};
static const char *const referred_types[] = {"Individual", "Organization", NULL};

#define CP(member) offsetof(struct credit_profile, member)
static const struct json_desc credit_profile_desc = {
	"CreditProfile",
	sizeof(struct credit_profile),
	(const struct json_field[]){
		{"creditProfileDate", JSON_TIME, CP(date_ms), 0, NULL, 0, NULL},
		{"creditRiskRating", JSON_INT, CP(risk_rating), 0, NULL, 0, NULL},
		{"creditScore", JSON_INT, CP(score), 0, NULL, 0, NULL},
		{"validFor", JSON_OBJECT, CP(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CP

#define REF(member) offsetof(struct party_ref, member)
static const struct json_desc account_ref_desc = {
	"AccountRef",
	sizeof(struct party_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

static const struct json_desc engaged_party_desc = {
	"RelatedParty",
	sizeof(struct party_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{"role", JSON_STRING, REF(role), 0, NULL, 64, NULL},
		{"@referredType", JSON_STRING, REF(referred_type), 0, NULL, 0, referred_types},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef REF

#define CH(member) offsetof(struct churn_record, member)
const struct json_desc customer_churn_desc = {
	"ChurnRecord",
	sizeof(struct churn_record),
	(const struct json_field[]){
		{"churnDate", JSON_TIME, CH(date_ms), JSON_REQUIRED, NULL, 0, NULL},
		{"reason", JSON_STRING, CH(reason), 0, NULL, 200, NULL},
		{"portedToOperator", JSON_STRING, CH(ported_to), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CH

#define C(member) offsetof(struct customer, member)
const struct json_desc customer_desc = {
	"Customer",
	sizeof(struct customer),
	(const struct json_field[]){
		{"id", JSON_STRING, C(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, C(href), 0, NULL, 0, NULL},
		{"customerNo", JSON_STRING, C(customer_no), 0, NULL, 0, NULL},
		{"name", JSON_STRING, C(name), 0, NULL, 0, NULL},
		{"status", JSON_STRING, C(status), 0, NULL, 0, NULL},
		{"statusReason", JSON_STRING, C(status_reason), 0, NULL, 0, NULL},
		{"customerRank", JSON_STRING, C(rank), 0, NULL, 0, NULL},
		{"segment", JSON_STRING, C(segment), 0, NULL, 0, NULL},
		{"engagedParty", JSON_OBJECT, C(engaged_party), 0, &engaged_party_desc, 0, NULL},
		{"creditProfile", JSON_OBJECT_ARRAY, C(credit_profile), 0, &credit_profile_desc, 10,
		 NULL},
		{"account", JSON_OBJECT_ARRAY, C(account), 0, &account_ref_desc, 20, NULL},
		{"contactMedium", JSON_OBJECT_ARRAY, C(contact_medium), 0, &contact_medium_desc, 20,
		 NULL},
		{"characteristic", JSON_OBJECT_ARRAY, C(characteristic), 0, &characteristic_desc,
		 50, NULL},
		{"validFor", JSON_OBJECT, C(valid_for), 0, &time_period_desc, 0, NULL},
		{"relatedParty", JSON_OBJECT_ARRAY, C(related_party), 0, &party_ref_desc, 20, NULL},
		{"blacklisted", JSON_BOOL, C(blacklisted), 0, NULL, 0, NULL},
		{"blacklistReason", JSON_STRING, C(blacklist_reason), 0, NULL, 0, NULL},
		{"blacklistedBy", JSON_STRING, C(blacklisted_by), 0, NULL, 0, NULL},
		{"blacklistedDate", JSON_TIME, C(blacklisted_ms), 0, NULL, 0, NULL},
		{"bigCustomerPotential", JSON_BOOL, C(big_customer_potential), 0, NULL, 0, NULL},
		{"churn", JSON_OBJECT, C(churn), 0, &customer_churn_desc, 0, NULL},
		{"orgId", JSON_STRING, C(org_id), 0, NULL, 0, NULL},
		{"version", JSON_INT, C(version), 0, NULL, 0, NULL},
		{"createdDate", JSON_TIME, C(created_ms), 0, NULL, 0, NULL},
		{"lastUpdate", JSON_TIME, C(updated_ms), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc customer_input_desc = {
	"Customer",
	sizeof(struct customer),
	(const struct json_field[]){
		{"customerNo", JSON_STRING, C(customer_no), 0, NULL, 32, NULL},
		{"name", JSON_STRING, C(name), 0, NULL, 200, NULL},
		{"status", JSON_STRING, C(status), 0, NULL, 0, statuses},
		{"statusReason", JSON_STRING, C(status_reason), JSON_NULLABLE, NULL, 200, NULL},
		{"customerRank", JSON_STRING, C(rank), JSON_NULLABLE, NULL, 0, ranks},
		{"segment", JSON_STRING, C(segment), JSON_NULLABLE, NULL, 64, NULL},
		{"engagedParty", JSON_OBJECT, C(engaged_party), JSON_REQUIRED, &engaged_party_desc,
		 0, NULL},
		{"creditProfile", JSON_OBJECT_ARRAY, C(credit_profile), JSON_NULLABLE,
		 &credit_profile_desc, 10, NULL},
		{"account", JSON_OBJECT_ARRAY, C(account), JSON_NULLABLE, &account_ref_desc, 20,
		 NULL},
		{"contactMedium", JSON_OBJECT_ARRAY, C(contact_medium), JSON_NULLABLE,
		 &contact_medium_desc, 20, NULL},
		{"characteristic", JSON_OBJECT_ARRAY, C(characteristic), JSON_NULLABLE,
		 &characteristic_desc, 50, NULL},
		{"validFor", JSON_OBJECT, C(valid_for), JSON_NULLABLE, &time_period_desc, 0, NULL},
		{"relatedParty", JSON_OBJECT_ARRAY, C(related_party), JSON_NULLABLE,
		 &party_ref_desc, 20, NULL},
		{"blacklisted", JSON_BOOL, C(blacklisted), 0, NULL, 0, NULL},
		{"blacklistReason", JSON_STRING, C(blacklist_reason), JSON_NULLABLE, NULL, 200,
		 NULL},
		{"bigCustomerPotential", JSON_BOOL, C(big_customer_potential), 0, NULL, 0, NULL},
		{"churn", JSON_OBJECT, C(churn), JSON_NULLABLE, &customer_churn_desc, 0, NULL},
		{"orgId", JSON_STRING, C(org_id), 0, NULL, 32, NULL},
		{0},
	},
	C(present),
};

/* What doc holds: everything that is not a column. */
static const struct json_desc customer_doc_desc = {
	NULL,
	sizeof(struct customer),
	(const struct json_field[]){
		{"engagedParty", JSON_OBJECT, C(engaged_party), 0, &engaged_party_desc, 0, NULL},
		{"creditProfile", JSON_OBJECT_ARRAY, C(credit_profile), 0, &credit_profile_desc, 10,
		 NULL},
		{"account", JSON_OBJECT_ARRAY, C(account), 0, &account_ref_desc, 20, NULL},
		{"contactMedium", JSON_OBJECT_ARRAY, C(contact_medium), 0, &contact_medium_desc, 20,
		 NULL},
		{"characteristic", JSON_OBJECT_ARRAY, C(characteristic), 0, &characteristic_desc,
		 50, NULL},
		{"validFor", JSON_OBJECT, C(valid_for), 0, &time_period_desc, 0, NULL},
		{"relatedParty", JSON_OBJECT_ARRAY, C(related_party), 0, &party_ref_desc, 20, NULL},
		{0},
	},
	C(present),
};
#undef C

const char *const customer_filterable[] = {
	"id",	 "name", "status", "segment", "customerNo", "customerRank", "engagedParty.id",
	"orgId", NULL};

bool customer_transition_ok(const char *from, const char *to)
{
	static const char *const allowed[][2] = {
		{"prospective", "active"}, {"active", "suspended"},   {"suspended", "active"},
		{"active", "inactive"},	   {"suspended", "inactive"}, {"prospective", "inactive"},
	};

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(allowed[i][0], from) == 0 && strcmp(allowed[i][1], to) == 0)
			return true;
	return false;
}

size_t customer_status_next(const char *from, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; statuses[i]; i++)
		if (customer_transition_ok(from, statuses[i]))
			out[n++] = statuses[i];
	return n;
}

static void from_row(struct crm_ctx *ctx, const struct db_customer *r, struct customer *c)
{
	memset(c, 0, sizeof(*c));
	party__doc_load(ctx, &customer_doc_desc, r->doc, c, sizeof(*c));
	c->present = 0;
	c->id = r->id;
	c->href = arena_printf(ctx->arena, CUSTOMER_HREF "%s", r->id);
	c->customer_no = r->customer_no;
	c->name = r->name;
	c->status = r->status;
	c->status_reason = r->status_reason;
	c->rank = r->rank;
	c->segment = r->segment;
	c->engaged_party.id = r->party_id;
	if (r->party_kind)
		party__ref_fill(ctx, r->party_kind, r->party_id, &c->engaged_party);
	c->blacklisted = r->blacklist;
	c->blacklist_reason = r->blacklist_reason;
	c->blacklisted_by = r->blacklist_by;
	c->blacklisted_ms = r->blacklist_at_ms;
	c->big_customer_potential = r->big_customer_potential;
	c->churn.date_ms = r->churn_ms;
	c->churn.reason = r->churn_reason;
	c->churn.ported_to = r->churn_to_operator;
	c->org_id = r->org_id;
	c->version = r->version;
	c->created_ms = r->created_ms;
	c->updated_ms = r->updated_ms;
}

/* The engaged party must exist in the caller's scope; fills its href, type and name. */
static int engaged_party_check(struct crm_ctx *ctx, struct db_tx *tx, struct party_ref *ref,
			       struct db_party *out)
{
	const char *kind = NULL;
	int rc;

	if (!ref->id || !*ref->id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "engagedParty.id",
				   "'engagedParty.id' is required");
	if (ref->referred_type)
		kind = strcmp(ref->referred_type, "Individual") == 0 ? "individual"
								     : "organization";
	rc = db_party_get(ctx->db, tx, db_scope_of(ctx), kind, ref->id, ctx->arena, out, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "engagedParty.id",
				   "engaged party '%s' not found", ref->id);
	}
	if (rc)
		return rc;
	party__ref_fill(ctx, out->kind, out->id, ref);
	if (!ref->name)
		ref->name = party__name_of(out);
	return 0;
}

static int check_customer_no(struct crm_ctx *ctx, const char *no)
{
	size_t n = strlen(no);

	if (n == 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
				   "'customerNo' must not be empty");
	for (size_t i = 0; i < n; i++)
		if (!((no[i] >= 'A' && no[i] <= 'Z') || (no[i] >= '0' && no[i] <= '9') ||
		      no[i] == '-'))
			return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
					   "customer number '%s' may hold only A-Z, 0-9 and '-'",
					   no);
	return 0;
}

/* "C" and 12 digits from the random part of a new id. */
static const char *customer_no_new(struct crm_ctx *ctx)
{
	const char *id = id_new_in(ctx->arena);
	uint64_t v = 0;

	for (const char *p = id + strlen(id) - 12; *p; p++)
		v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
	return arena_printf(ctx->arena, "C%012llu", (unsigned long long)(v % 1000000000000ULL));
}

/* Checks the merged state c (current: the stored state, NULL on create) and fills the
 * row's columns but id, customer number, org, version and times. */
static int to_row(struct crm_ctx *ctx, struct customer *c, const struct customer *current,
		  struct db_customer *r)
{
	int rc;

	if (c->name && !*c->name)
		return crm_err_set(&ctx->err, CRM_EINVAL, "name", "'name' must not be empty");
	if ((rc = party__contacts_check(ctx, "contactMedium", &c->contact_medium,
					current ? &current->contact_medium : NULL)) ||
	    (rc = party__characteristics_check(ctx, "characteristic", &c->characteristic)) ||
	    (rc = party__refs_check(ctx, "relatedParty", &c->related_party)) ||
	    (rc = party__refs_check(ctx, "account", &c->account)))
		return rc;
	if (c->blacklisted && (!c->blacklist_reason || !*c->blacklist_reason))
		return crm_err_set(&ctx->err, CRM_EINVAL, "blacklistReason",
				   "a blacklisted customer needs a 'blacklistReason'");
	if (!c->blacklisted && c->blacklist_reason && (!current || !current->blacklisted))
		return crm_err_set(&ctx->err, CRM_EINVAL, "blacklistReason",
				   "'blacklistReason' is given only with 'blacklisted': true");
	if (c->blacklisted && (!current || !current->blacklisted)) {
		c->blacklisted_by = ctx->who.login;
		c->blacklisted_ms = time_now_ms();
	} else if (!c->blacklisted) {
		c->blacklist_reason = NULL;
		c->blacklisted_by = NULL;
		c->blacklisted_ms = 0;
	}
	if ((c->churn.reason || c->churn.ported_to) && !c->churn.date_ms)
		return crm_err_set(&ctx->err, CRM_EINVAL, "churn.churnDate",
				   "'churn.churnDate' is required");
	r->name = c->name;
	r->status = c->status;
	r->status_reason = c->status_reason;
	r->rank = c->rank;
	r->segment = c->segment;
	r->party_id = c->engaged_party.id;
	r->blacklist = c->blacklisted;
	r->blacklist_reason = c->blacklist_reason;
	r->blacklist_by = c->blacklisted_by;
	r->blacklist_at_ms = c->blacklisted_ms;
	r->big_customer_potential = c->big_customer_potential;
	r->churn_ms = c->churn.date_ms;
	r->churn_reason = c->churn.reason;
	r->churn_to_operator = c->churn.ported_to;
	r->doc = party__doc_text(ctx, &customer_doc_desc, c);
	r->phones = party__phones_of(ctx, &c->contact_medium);
	return 0;
}

static cJSON *to_json(struct crm_ctx *ctx, const struct customer *c)
{
	return json_adopt(ctx->arena, json_encode(&customer_desc, c));
}

int customer_get(struct crm_ctx *ctx, const char *id, struct customer *out)
{
	struct db_customer r;
	int rc;

	if ((rc = db_customer_get(ctx->db, NULL, db_scope_of(ctx), id, ctx->arena, &r, &ctx->err)))
		return rc;
	from_row(ctx, &r, out);
	return 0;
}

int customer_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct customer **out,
		  size_t *out_n, int64_t *out_total)
{
	struct db_customer *rows;
	struct customer *items;
	size_t n;
	int rc;

	if ((rc = db_customer_list(ctx->db, db_scope_of(ctx), opts, ctx->arena, &rows, &n,
				   out_total, &ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		from_row(ctx, &rows[i], &items[i]);
	*out = items;
	*out_n = n;
	return 0;
}

/* The row of a new customer from c (decoded as for a create) with create's checks, its
 * engaged party looked up in scope, or party when the caller has just made it. A new
 * customer is prospective or active; an imported one may be in any state. */
static int new_row(struct crm_ctx *ctx, struct db_tx *tx, struct customer *c, bool any_status,
		   const struct db_party *party, struct db_customer *row)
{
	struct db_org_unit org;
	struct db_party found;
	const char *want;
	int rc;

	memset(row, 0, sizeof(*row));
	if (!c->status)
		c->status = "prospective";
	if (!any_status && strcmp(c->status, "prospective") != 0 &&
	    strcmp(c->status, "active") != 0)
		return crm_err_set(&ctx->err, CRM_EINVAL, "status",
				   "a new customer is 'prospective' or 'active', not '%s'",
				   c->status);
	if (c->customer_no && (rc = check_customer_no(ctx, c->customer_no)))
		return rc;
	if (party) {
		c->engaged_party = (struct party_ref){.name = party__name_of(party)};
		party__ref_fill(ctx, party->kind, party->id, &c->engaged_party);
	} else if ((rc = engaged_party_check(ctx, tx, &c->engaged_party, &found))) {
		return rc;
	} else {
		party = &found;
	}
	want = c->org_id ? c->org_id : ctx->who.org_id;
	if (want && strcmp(want, party->org_id) == 0)
		/* the party's own unit, found in scope with it: no second lookup (a bulk load
		 * would pay it for every record) */
		org = (struct db_org_unit){.id = party->org_id, .path = party->org_path};
	else if ((rc = party__org_check(ctx, tx, c->org_id, &org)))
		return rc;
	if (!c->name)
		c->name = c->engaged_party.name;
	if ((rc = to_row(ctx, c, NULL, row)))
		return rc;
	row->id = id_new_in(ctx->arena);
	row->customer_no = c->customer_no ? c->customer_no : customer_no_new(ctx);
	row->party_kind = party->kind;
	row->org_id = org.id;
	row->org_path = org.path;
	row->version = 1;
	row->created_ms = row->updated_ms = time_now_ms();
	return 0;
}

int customer_create(struct crm_ctx *ctx, const struct customer *in, struct customer *out)
{
	struct db_customer row;
	struct db_tx *tx = NULL;
	struct customer c = *in;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = new_row(ctx, tx, &c, false, NULL, &row)))
		goto out;
	rc = db_customer_insert(tx, &row, &ctx->err);
	/* a generated number may, rarely, be taken (48 random bits into 12 digits): draw
	 * again; the failed INSERT left the transaction as it was */
	for (int tries = 0; rc == CRM_ECONFLICT && !c.customer_no && tries < 3; tries++) {
		crm_err_clear(&ctx->err);
		row.customer_no = customer_no_new(ctx);
		rc = db_customer_insert(tx, &row, &ctx->err);
	}
	if (rc)
		goto out;
	from_row(ctx, &row, &c);
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "create",
				   .resource = "customer",
				   .resource_id = c.id,
				   .org_path = row.org_path,
				   .after = to_json(ctx, &c),
				   .api = CUSTOMER_API,
				   .event_type = "CustomerCreateEvent",
				   .event_field = "customer",
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		*out = c;
out:
	change_abort(ctx, tx);
	return rc;
}

int customer_import_prepare(struct crm_ctx *ctx, const char *kind, const struct party *party_in,
			    const struct customer *in, struct customer_import_rows *rows)
{
	struct party p = *party_in;
	struct customer c = *in;
	int rc;

	memset(rows, 0, sizeof(*rows));
	if (!c.customer_no || !*c.customer_no)
		return crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
				   "an imported customer needs its 'customerNo', which makes the "
				   "import safe to repeat");
	if ((rc = check_customer_no(ctx, c.customer_no)))
		return rc;
	rows->customer_no = c.customer_no;
	/* no transaction: units are read through this thread's own connection */
	if ((rc = party__new_row(ctx, NULL, kind, &p, &rows->party)) ||
	    (rc = new_row(ctx, NULL, &c, true, &rows->party, &rows->customer)))
		return rc;
	return 0;
}

int customer_import_exists(struct crm_ctx *ctx, const char *customer_no, bool *out)
{
	if (!ctx->batch)
		CRM_BUG("customer_import_exists outside a batch");
	return db_customer_no_exists(ctx->batch, customer_no, out, &ctx->err);
}

/* The refusal of a taken identification number (in ctx->err) stays; out->holder gets the
 * party that has it, unless another error comes up looking. */
static int holder_find(struct crm_ctx *ctx, const struct customer_import_rows *rows,
		       struct customer_import_result *out)
{
	struct db_party *h = arena_alloc(ctx->arena, sizeof(*h));
	struct crm_err err = {0};
	int rc;

	rc = db_party_find_identified(ctx->batch, rows->party.id_number, rows->party.uscc,
				      ctx->arena, h, &err);
	if (rc == 0)
		out->holder = h;
	else if (rc != CRM_ENOTFOUND) {
		ctx->err = err;
		return rc;
	}
	return CRM_ECONFLICT;
}

/* Writes the customer row of rows (row: its own or one pointing at another party). */
static int customer_insert(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			   const struct db_customer *row, struct customer_import_result *out)
{
	int rc;

	if ((rc = db_customer_insert(ctx->batch, row, &ctx->err))) {
		/* not a refusal any more: its number was free and its party is written (or
		 * is another's); the job rolls the batch back */
		if (rc == CRM_EINVAL || rc == CRM_ECONFLICT) {
			crm_err_clear(&ctx->err);
			rc = crm_err_set(&ctx->err, CRM_EINTERNAL, NULL,
					 "customer '%s' failed after its checks passed",
					 rows->customer_no);
		}
		return rc;
	}
	out->created = true;
	out->customer_id = row->id;
	out->party_id = row->party_id;
	return 0;
}

int customer_import_write(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			  struct customer_import_result *out)
{
	bool exists;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = customer_import_exists(ctx, rows->customer_no, &exists)))
		return rc;
	if (exists)
		return 0; /* imported before: left as it is */
	/* the party's INSERT may refuse a taken identification number and write nothing; the
	 * customer's cannot refuse once its number was looked up */
	if ((rc = db_party_insert(ctx->batch, &rows->party, &ctx->err)))
		return rc == CRM_ECONFLICT ? holder_find(ctx, rows, out) : rc;
	return customer_insert(ctx, rows, &rows->customer, out);
}

int customer_import_attach(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			   const struct db_party *holder, struct customer_import_result *out)
{
	struct db_customer row = rows->customer;
	struct customer c = {0};

	if (strcmp(holder->kind, rows->party.kind) != 0)
		CRM_BUG("customer '%s' attached to a party of another kind", rows->customer_no);
	memset(out, 0, sizeof(*out));
	/* the engaged party in the doc as new_row makes it, now pointing at the holder */
	party__doc_load(ctx, &customer_doc_desc, row.doc, &c, sizeof(c));
	c.engaged_party = (struct party_ref){.name = party__name_of(holder)};
	party__ref_fill(ctx, holder->kind, holder->id, &c.engaged_party);
	row.doc = party__doc_text(ctx, &customer_doc_desc, &c);
	row.party_id = holder->id;
	row.party_kind = holder->kind;
	return customer_insert(ctx, rows, &row, out);
}

static int load(struct crm_ctx *ctx, struct db_tx *tx, const char *id, int64_t if_match,
		struct db_customer *row)
{
	int rc = db_customer_get(ctx->db, tx, db_scope_of(ctx), id, ctx->arena, row, &ctx->err);

	if (rc)
		return rc;
	if (if_match >= 0 && if_match != row->version)
		return crm_err_set(&ctx->err, CRM_ESTALE, "If-Match",
				   "customer '%s' is at version %lld, not %lld", id,
				   (long long)row->version, (long long)if_match);
	return 0;
}

int customer_update(struct crm_ctx *ctx, const char *id, int64_t if_match,
		    const struct customer *in, struct customer *out)
{
	const struct json_desc *d = &customer_input_desc;
	struct db_customer row, next = {0};
	struct db_org_unit org;
	struct db_party party;
	struct db_tx *tx = NULL;
	struct customer before, after;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = load(ctx, tx, id, if_match, &row)))
		goto out;
	from_row(ctx, &row, &before);
	after = before;
	json_merge(d, &after, in);
	if (json_present(d, in, "customerNo") &&
	    (!in->customer_no || strcmp(in->customer_no, row.customer_no) != 0)) {
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "customerNo",
				 "the customer number cannot change");
		goto out;
	}
	if (strcmp(before.status, after.status) != 0 &&
	    !customer_transition_ok(before.status, after.status)) {
		rc = crm_err_set(&ctx->err, CRM_ECONFLICT, "status",
				 "customer status cannot change from '%s' to '%s'", before.status,
				 after.status);
		goto out;
	}
	if (strcmp(before.status, after.status) != 0 && !json_present(d, in, "statusReason"))
		after.status_reason = NULL; /* a reason belongs to the change that gave it */
	if (json_present(d, in, "engagedParty") &&
	    (rc = engaged_party_check(ctx, tx, &after.engaged_party, &party)))
		goto out;
	if (!after.name || !*after.name) {
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "name", "'name' must not be empty");
		goto out;
	}
	if ((rc = party__org_check(ctx, tx, after.org_id, &org)) ||
	    (rc = to_row(ctx, &after, &before, &next)))
		goto out;
	next.id = row.id;
	next.customer_no = row.customer_no;
	next.party_kind = json_present(d, in, "engagedParty") ? party.kind : row.party_kind;
	next.org_id = org.id;
	next.org_path = org.path;
	next.version = row.version;
	next.created_ms = row.created_ms;
	next.updated_ms = time_now_ms();
	if ((rc = db_customer_update(tx, &next, &ctx->err)))
		goto out;
	next.version++;
	from_row(ctx, &next, &after);
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "update",
				   .resource = "customer",
				   .resource_id = id,
				   .org_path = org.path,
				   .before = to_json(ctx, &before),
				   .after = to_json(ctx, &after),
				   .api = CUSTOMER_API,
				   .event_type = strcmp(before.status, after.status) != 0
							 ? "CustomerStateChangeEvent"
							 : "CustomerAttributeValueChangeEvent",
				   .event_field = "customer",
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		*out = after;
out:
	change_abort(ctx, tx);
	return rc;
}

int customer_delete(struct crm_ctx *ctx, const char *id, int64_t if_match)
{
	struct db_customer row;
	struct db_tx *tx = NULL;
	struct customer before;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = load(ctx, tx, id, if_match, &row)))
		goto out;
	from_row(ctx, &row, &before);
	row.updated_ms = row.deleted_ms = time_now_ms();
	if ((rc = db_customer_update(tx, &row, &ctx->err)))
		goto out;
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "delete",
				   .resource = "customer",
				   .resource_id = id,
				   .org_path = row.org_path,
				   .before = to_json(ctx, &before),
				   .api = CUSTOMER_API,
				   .event_type = "CustomerDeleteEvent",
				   .event_field = "customer",
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
out:
	change_abort(ctx, tx);
	return rc;
}

struct each {
	struct crm_ctx *ctx;
	int (*fn)(void *arg, const struct customer *c, const struct party *p);
	void *arg;
};

static int each_row(void *arg, const struct db_customer *r, const struct db_party *pr)
{
	struct each *e = arg;
	struct customer c;
	struct party p;

	from_row(e->ctx, r, &c);
	party__from_row(e->ctx, pr, &p);
	return e->fn(e->arg, &c, &p);
}

int customer_each(struct crm_ctx *ctx,
		  int (*fn)(void *arg, const struct customer *c, const struct party *p), void *arg)
{
	struct each e = {ctx, fn, arg};

	return db_customer_each(ctx->db, db_scope_of(ctx), ctx->arena, each_row, &e, &ctx->err);
}
