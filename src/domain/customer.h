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
	RES_HEAD; /* row.org_id: the owning unit */
	const char *customer_no;
	const char *name;
	const char *status;
	const char *status_reason;
	const char *rank;
	const char *segment;
	struct party_ref engaged_party;
	struct json_array credit_profile; /* struct credit_profile */
	struct json_array account;	  /* struct party_ref */
	struct json_array agreement;	  /* struct party_ref */
	struct json_array payment_method; /* struct party_ref */
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
};

/* The customer, a resource of the layer (resource.h) at
 * /tmf-api/customerManagement/v4/customer. Create: engagedParty (a party in the caller's
 * scope, whose name the customer takes unless given), customerNo (generated when absent),
 * status prospective or active; CRM_EINVAL for invalid values or a blacklist without
 * reason, CRM_ECONFLICT for a taken customer number. */
extern const struct res_desc customer_res;
extern const struct json_desc customer_churn_desc; /* its churn record */

/* True when the lifecycle allows from → to (the same state is not a move). */
bool customer_transition_ok(const char *from, const char *to);
/* The statuses the lifecycle allows next from `from`, in lifecycle order, into out (room
 * for CUSTOMER_STATUS_COUNT; the strings are static); returns how many. Thread-safe. */
#define CUSTOMER_STATUS_COUNT 4
size_t customer_status_next(const char *from, const char **out);

/*
 * Bulk import of one customer and its engaged party (`telcrm import`, the demo), in two
 * steps that a bulk job (bulk.h) runs on two threads. customer_import_prepare checks the
 * record as a create would (any status allowed) and builds its rows, writing nothing;
 * kind is "individual" or "organization", party and c are decoded as for a create (c
 * without engagedParty), and c->customer_no is required: it makes the import safe to
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
	struct party party;
	struct customer customer;
};
struct customer_import_result {
	bool created;
	const char *customer_id, *party_id;
	const struct party *holder; /* see above; ctx arena */
};
int customer_import_prepare(struct crm_ctx *ctx, const char *kind, const struct party *party,
			    const struct customer *c, struct customer_import_rows *rows);
/* Whether a customer has the number: a record already imported is not written again. */
int customer_import_exists(struct crm_ctx *ctx, const char *customer_no, bool *out);
int customer_import_write(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			  struct customer_import_result *out);
/* After customer_import_write refused rows for a taken identification: writes the
 * customer alone, with holder (its out->holder, of the same kind) as engaged party; the
 * prepared party is not written. Errors as customer_import_write's. */
int customer_import_attach(struct crm_ctx *ctx, const struct customer_import_rows *rows,
			   const struct party *holder, struct customer_import_result *out);

/* Calls fn with each live customer in scope and its engaged party, oldest first, from one
 * snapshot (exports); fn may reset ctx->arena; its nonzero return stops the walk. */
int customer_each(struct crm_ctx *ctx,
		  int (*fn)(void *arg, const struct customer *c, const struct party *p), void *arg);

#endif
