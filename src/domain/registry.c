/* The registry: every resource on the layer (resource.h). A new resource adds its
 * descriptor here. */
#include "domain/catalog.h"
#include "domain/customer.h"
#include "domain/events.h"
#include "domain/inventory.h"
#include "domain/org.h"
#include "domain/role.h"
#include "domain/user.h"
#include "core/banned.h"

const struct res_desc *const res_registry[] = {
	&org_unit_res,
	&individual_res,
	&organization_res,
	&customer_res,
	&hub_listener_res,
	&user_res,
	&role_res,
	&product_catalog_res,
	&category_res,
	&product_specification_res,
	&product_offering_price_res,
	&product_offering_res,
	&billing_account_res,
	&party_account_res,
	&product_res,
	&pool_number_res,
	NULL,
};
