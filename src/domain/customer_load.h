/*
 * Customers in bulk: `telcrm import` and the demo load customers with their parties by the
 * hundred thousand through a bulk job (bulk.h); exports walk them from one snapshot.
 */
#ifndef CRM_CUSTOMER_LOAD_H
#define CRM_CUSTOMER_LOAD_H

#include "domain/customer.h"

/*
 * Bulk import of one customer and its engaged party (`telcrm import`, the demo), in two
 * steps that a bulk job (bulk.h) runs on two threads. customer_import_prepare checks the
 * record as a create would (any status allowed) and builds its rows, writing nothing;
 * kind is "individual" or "organization", party and c are decoded as for a create (c
 * without engagedParty), and c->customer_no is required: it makes the import safe to
 * repeat. CRM_EINVAL refuses the record; rows->customer_no is set once the number itself
 * is valid, so that a refused record already imported can still count as present.
 * customer_import_look_up looks the keys of the next records up in the job's batch
 * transaction (ctx->batch, see change.h), two statements for them all, and turns on its
 * bulk inserts (db_tx_bulk_inserts): every record is looked up in its transaction before
 * it is written. customer_import_write then writes the rows with no read of its own and
 * no audit row or event — the job writes one per batch. A customer that has the number
 * already is left as it is (out->created false). A refused record (CRM_ECONFLICT:
 * identification number taken, by a live party or by an earlier record of the job) has
 * written nothing and the batch goes on; out->holder is then the live party that has the
 * number (one indexed read, on this path only), which customer_import_attach may give the
 * customer instead of its own party once the caller has made sure it is the same person
 * or organization. After any other error the job must roll the batch back.
 */
struct customer_import_rows {
	const char *customer_no; /* valid, to look up; NULL until checked */
	struct party party;
	struct customer customer;
	/* customer_import_look_up's findings */
	bool looked_up, no_taken, ident_held;
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
/* rows: n records to be written in this order in ctx->batch (NULL entries skipped). */
int customer_import_look_up(struct crm_ctx *ctx, struct customer_import_rows *const *rows,
			    size_t n);
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
