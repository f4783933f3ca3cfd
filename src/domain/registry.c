/* The registry: every resource on the layer (resource.h). A new resource adds its
 * descriptor here. */
#include "domain/customer.h"
#include "domain/events.h"
#include "domain/org.h"
#include "domain/role.h"
#include "domain/user.h"
#include "core/banned.h"

const struct res_desc *const res_registry[] = {
	&org_unit_res,	   &individual_res, &organization_res, &customer_res,
	&hub_listener_res, &user_res,	    &role_res,	       NULL,
};
