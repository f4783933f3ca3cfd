/* The demo operator's product catalogue (demo_catalog.c), for telcrm demo. */
#ifndef CRM_DEMO_CATALOG_H
#define CRM_DEMO_CATALOG_H

#include "core/ctx.h"

struct demo_catalog_counts {
	int catalogs, categories, specifications, prices, offerings;
};

/* Writes the catalogue through the resource layer (each record audited, with its event);
 * counts what it made. */
int demo_catalog_fill(struct crm_ctx *ctx, struct demo_catalog_counts *counts);

#endif
