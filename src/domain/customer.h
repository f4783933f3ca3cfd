/*
 * Customers (TMF629 Customer Management): a party (individual or organization) in its
 * role as the operator's customer. Each customer belongs to an org unit and is seen only
 * in that unit's subtree. The status follows a lifecycle,
 *
 *   prospective → active ⇄ suspended,  prospective | active | suspended → inactive
 *
 * and any other change is a conflict. telcrm extensions: customerNo (C + 12 digits,
 * generated when not given), customerRank, blacklist (with reason, who and when, set by
 * the server), bigCustomerPotential, churn (date, reason, operator ported to), orgId.
 */
#ifndef CRM_CUSTOMER_H
#define CRM_CUSTOMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "domain/party.h"
#include "store/db.h"

#define CUSTOMER_HREF "/tmf-api/customerManagement/v4/customer/" /* + id */

struct credit_profile {
	int64_t date_ms;
	int64_t risk_rating;
	int64_t score;
	struct time_period valid_for;
};

struct churn_record {
	int64_t date_ms;
	const char *reason;
	const char *ported_to; /* the operator the customer's numbers moved to */
};

struct customer {
	uint64_t present;
	const char *id;
	const char *href;
	const char *customer_no;
	const char *name;
	const char *status;
	const char *status_reason;
	const char *rank;
	const char *segment;
	struct party_ref engaged_party;
	struct json_array credit_profile; /* struct credit_profile */
	struct json_array account;	  /* struct party_ref */
	struct json_array contact_medium; /* struct contact_medium */
	struct json_array characteristic; /* struct characteristic */
	struct time_period valid_for;
	struct json_array related_party; /* struct party_ref */
	bool blacklisted;
	const char *blacklist_reason;
	const char *blacklisted_by;
	int64_t blacklisted_ms;
	bool big_customer_potential;
	struct churn_record churn;
	const char *org_id;
	int64_t version, created_ms, updated_ms;
};

extern const struct json_desc customer_desc;	   /* rendering */
extern const struct json_desc customer_churn_desc; /* its churn record */
extern const struct json_desc customer_input_desc; /* POST (JSON_CREATE) and PATCH */
extern const char *const customer_filterable[];

/* True when the lifecycle allows from → to (the same state is not a transition). */
bool customer_transition_ok(const char *from, const char *to);
/* The statuses the lifecycle allows next from `from`, in lifecycle order, into out (room
 * for CUSTOMER_STATUS_COUNT; the strings are static); returns how many. Thread-safe. */
#define CUSTOMER_STATUS_COUNT 4
size_t customer_status_next(const char *from, const char **out);

/* All functions: results allocated in ctx->arena; errors in ctx->err; reads and writes
 * limited to the caller's scope (CRM_ENOTFOUND outside it or once deleted). */
int customer_get(struct crm_ctx *ctx, const char *id, struct customer *out);
int customer_list(struct crm_ctx *ctx, const struct db_list_opts *opts, struct customer **out,
		  size_t *out_n, int64_t *out_total);
/* CRM_EINVAL for invalid values, an engaged party not found in scope, a status other than
 * prospective or active, a blacklist without reason; CRM_ECONFLICT for a taken
 * customerNo. */
int customer_create(struct crm_ctx *ctx, const struct customer *in, struct customer *out);
/*
 * Bulk import of one customer and its engaged party (`telcrm import`, the demo), in two
 * steps that a bulk job (bulk.h) runs on two threads. customer_import_prepare checks the
 * record as a create would (any status allowed) and builds its rows, writing nothing;
 * kind is "individual" or "organization", party_in and in are decoded as for a create (in
 * without engagedParty), and in->customer_no is required: it makes the import safe to
 * repeat. CRM_EINVAL refuses the record; rows->customer_no is set once the number itself
 * is valid, so that a refused record already imported can still count as present.
 * customer_import_write writes the rows in the job's batch transaction (ctx->batch, see
 * change.h), with no audit row or event of its own — the job writes one per batch. A
 * customer that has the number already is left as it is (out->created false). A refused
 * record (CRM_ECONFLICT: identification number taken) has written nothing and the batch
 * goes on; out->holder is then the live party that has the number (one indexed read, on
 * this path only), which customer_import_attach may give the customer instead of its own
 * party once the caller has made sure it is the same person or organization. After any
 * other error the job must roll the batch back.
 */
struct customer_import_rows {
	const char *customer_no; /* valid, to look up; NULL until checked */
	struct db_party party;
	struct db_customer customer;
};
struct customer_import_result {
	bool created;
	const char *customer_id, *party_id;
	const struct db_party *holder; /* see above; ctx arena */
};
int customer_import_prepare(struct crm_ctx *ctx, const char *kind, const struct party *party_in,
			    const struct customer *in, struct customer_import_rows *rows);
/* Whether a customer has the number: a record already imported is not written again. */
int customer_import_exists(struct crm_ctx *ctx, const char *customer_no, bool *out);
int customer_import_write(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			  struct customer_import_result *out);
/* After customer_import_write refused rows for a taken identification: writes the
 * customer alone, with holder (its out->holder, of the same kind) as engaged party; the
 * prepared party is not written. Errors as customer_import_write's. */
int customer_import_attach(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			   const struct db_party *holder, struct customer_import_result *out);

/* Calls fn with each live customer in scope and its engaged party, oldest first, from one
 * snapshot (exports); fn may reset ctx->arena; its nonzero return stops the walk. */
int customer_each(struct crm_ctx *ctx,
		  int (*fn)(void *arg, const struct customer *c, const struct party *p), void *arg);

/* A merge patch. CRM_ECONFLICT for a status change the lifecycle does not allow;
 * CRM_ESTALE when if_match (>= 0) is not the current version. */
int customer_update(struct crm_ctx *ctx, const char *id, int64_t if_match,
		    const struct customer *in, struct customer *out);
int customer_delete(struct crm_ctx *ctx, const char *id, int64_t if_match);

#endif
