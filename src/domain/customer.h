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

/* A customer number's form (C and 12 digits); CRM_EINVAL naming customerNo otherwise. */
int customer_no_check(struct crm_ctx *ctx, const char *no);

#endif
