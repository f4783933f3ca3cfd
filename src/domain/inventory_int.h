/* Shared by the inventory's files (account.c, product.c, number_pool.c); not an
 * interface of the module. */
#ifndef CRM_INVENTORY_INT_H
#define CRM_INVENTORY_INT_H

#include "domain/customer.h"
#include "domain/inventory.h"

/* Accounts nest at most this deep (an enterprise, its branches, their departments). */
#define INVENTORY_ACCOUNT_DEPTH_MAX 4

/* The customer an account or product names in relatedParty (the one entry with role
 * "customer" or @referredType "Customer"), loaded in the caller's scope into out; the
 * entry gets its name and @referredType. CRM_EINVAL when there is none, several, or no
 * such customer; the other entries need their id. */
int inventory__customer_of(struct crm_ctx *ctx, struct db_tx *tx, struct json_array *related,
			   struct customer *out);

/* Takes number for a new line of customer_id whose plan costs monthly_fee a month: the
 * number is in the pool within the caller's scope and free (or reserved for this customer,
 * or its reservation or quarantine has run out), and a premium number's minimum spend is
 * met; CRM_EINVAL or CRM_ECONFLICT naming msisdn otherwise. The line's side hook marks it
 * in use. */
int inventory__number_take(struct crm_ctx *ctx, struct db_tx *tx, const char *number,
			   const char *customer_id, double monthly_fee);

#endif
