/*
 * The customer 360° view: everything the system knows about one customer in one call,
 * assembled from named sections (profile, party, contacts, flags, churn, audit, and one
 * per later module). Each section is one indexed query; a section whose permission the
 * caller lacks is left out and named in `omitted`. How to add a section: view360.c.
 */
#ifndef CRM_VIEW360_H
#define CRM_VIEW360_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "domain/customer.h"
#include "domain/party.h"

/* What the sections are built from: the customer (loaded in the caller's scope) and its
 * engaged party, loaded once by the first section that asks (view360_party). */
struct view360_subject {
	struct customer customer;
	struct party party;
	int party_rc; /* 1: not loaded yet; 0: loaded; CRM_ENOTFOUND: outside the scope */
};

/* One section. build sets *out to the section's data (a tree allocated in ctx arena,
 * personal data already masked for callers without pii.read; a JSON null for "none") or
 * returns a CRM_E* code with ctx->err filled, which fails the whole view. */
struct view360_section {
	const char *name;
	uint64_t perm; /* PERM_* bits needed besides customer.read; 0: none */
	int (*build)(struct crm_ctx *ctx, struct view360_subject *s, cJSON **out);
};

/* The registry, in rendering order, ending with {NULL}. */
extern const struct view360_section view360_sections[];

/* One built section as rendered: {"name", "data"}. */
struct view360_part {
	const char *name;
	const cJSON *data;
};

struct view360 {
	const char *id;
	const char *href; /* the customer's */
	const char *customer_no;
	const char *name;
	struct json_array sections; /* struct view360_part */
	const cJSON *omitted;	    /* array of the names of sections the caller may not see; kept
				       when empty, so that clients need not tell absent from empty */
};

extern const struct json_desc view360_desc;

/* The 360° view of customer id, with the sections the caller's permissions allow.
 * Allocated in ctx arena; errors in ctx->err. CRM_ENOTFOUND when the customer does not
 * exist, is deleted or lies outside the caller's scope. */
int view360_get(struct crm_ctx *ctx, const char *id, struct view360 *out);

/* The engaged party of s, loaded on first use (one query for every section that needs
 * it). CRM_ENOTFOUND (ctx->err left clear) when the party lies outside the caller's scope,
 * which a customer in scope may have. */
int view360_party(struct crm_ctx *ctx, struct view360_subject *s, const struct party **out);

/* Encodes obj with desc as the caller may see it (masked without pii.read); the tree is
 * allocated in ctx arena. For section builders. */
cJSON *view360_encode(struct crm_ctx *ctx, const struct json_desc *desc, const void *obj);

#endif
