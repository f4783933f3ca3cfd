/* The demo operator's accounts, lines and number pool (demo_lines.c), for telcrm demo. */
#ifndef CRM_DEMO_LINES_H
#define CRM_DEMO_LINES_H

#include <stdint.h>

#include "core/ctx.h"

struct demo_lines_counts {
	int64_t accounts, products, free_numbers;
};

/* Gives every customer in service a billing account and its lines (their numbers in use
 * in the pool), and every city free numbers, premium ones among them; written as a bulk
 * load (no audit row or event per record), PAGE customers to a transaction. Needs the
 * demo catalogue. Deterministic for seed. */
int demo_lines_fill(struct crm_ctx *ctx, uint64_t seed, struct demo_lines_counts *counts);

#endif
