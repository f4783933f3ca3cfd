/* The registry: every resource on the layer (resource.h). A new resource adds its
 * descriptor here. */
#include "domain/org.h"
#include "core/banned.h"

const struct res_desc *const res_registry[] = {
	&org_unit_res,
	NULL,
};
