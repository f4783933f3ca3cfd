/*
 * Customer search (GET /api/v1/search?q=): what a counter clerk or call-centre agent types
 * — a line's mobile number (its customer first), a contact's or its last 4 or 6 digits, a
 * fixed-line number, an identification number or credit code, a customer number, a name or part of
 * it (Chinese included) — to the customers it may mean, best match first, in the caller's scope,
 * masked per the caller's rights by the renderer.
 */
#ifndef CRM_SEARCH_H
#define CRM_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ctx.h"
#include "core/json.h"
#include "domain/party.h"

#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX     100
#define SEARCH_QUERY_MAX     100 /* bytes */

struct search_hit {
	const char *id, *href, *customer_no, *name, *status, *rank, *segment, *org_id;
	struct party_ref engaged_party;
	bool blacklisted;
	const char *matched_by;	  /* line, customerNo, identification, phoneNumber, name */
	bool exact;		  /* the whole value matched, not a part of it */
	const char *phone_number; /* the number matched (matched by phoneNumber) */
	const char *id_number;	  /* the number matched (matched by identification) */
	const char *matched_name; /* the organisation's registered name matched, when it is
				     not the customer's own name */
	/* to tell namesakes apart */
	const char *org_name; /* the name of the customer's org unit */
	const char *phone;    /* the number matched, else the customer's (or its party's)
				 mobile, preferred first, else a fixed line; masked */
	const char *line_id;  /* matched by line: the line (product) whose number it is */
};

extern const struct json_desc search_hit_desc;

/* The customers q may mean, at most limit (1 to SEARCH_LIMIT_MAX), each with what tells
 * namesakes apart (its unit's name, its party's kind, a phone number), allocated in ctx
 * arena. CRM_EINVAL for an empty q, one longer than SEARCH_QUERY_MAX or not UTF-8; a q
 * that can mean nothing (two digits) finds nothing. */
int search_customers(struct crm_ctx *ctx, const char *q, size_t limit, struct search_hit **out,
		     size_t *out_n);

#endif
