/*
 * Parties (TMF632 Party Management): individuals and organizations that customers,
 * contacts and account managers are. Each party belongs to an org unit (the caller's own
 * unless the body names another in the caller's scope with the telcrm extension `orgId`)
 * and is seen only by staff of that unit and above. Resident id numbers and social credit
 * codes are validated with their check characters and stored in canonical form; phone
 * numbers and e-mails in contact media likewise. A delete hides the party and keeps its
 * row for the audit trail.
 *
 * This header also holds the records shared with customers (contact media,
 * characteristics, related parties, time periods) and their descriptors.
 */
#ifndef CRM_PARTY_H
#define CRM_PARTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "domain/resource.h"
#include "store/db.h"

/* A reference to another party or resource (TMF RelatedParty / EntityRef). */
struct party_ref {
	const char *id;
	const char *href;
	const char *name;
	const char *role;
	const char *referred_type; /* "@referredType" */
};

/* TMF MediumCharacteristic with the telcrm extension `district` (区/县). */
struct medium_characteristic {
	const char *contact_type;
	const char *phone_number;
	const char *email_address;
	const char *fax_number;
	const char *street1, *street2;
	const char *district, *city, *state_or_province;
	const char *post_code, *country;
};

struct contact_medium {
	const char *medium_type; /* mobile, phone, email, fax, postalAddress */
	bool preferred;
	struct medium_characteristic characteristic;
	struct time_period valid_for;
};

struct characteristic {
	const char *name;
	const char *value_type;
	const cJSON *value;
};

/* An identification document: resident id, passport, ... or a social credit code. */
struct identification {
	const char *type; /* identificationType */
	const char *number;
	const char *issuing_authority;
	int64_t issuing_ms;
	struct time_period valid_for;
};

struct org_relationship {
	const char *relationship_type;
	struct party_ref organization;
};

/* One party as the API shows it; individual and organization attributes side by side
 * (each kind's descriptor names its own). */
struct party {
	uint64_t present;
	const char *id;
	const char *href;
	const char *kind; /* individual, organization (not rendered: the @type tells) */
	const char *org_id;
	const char *status;
	/* individual */
	const char *given_name, *family_name, *full_name, *gender, *nationality;
	int64_t birth_ms;
	/* organization */
	const char *name, *trading_name, *organization_type;
	struct org_relationship parent;
	/* both */
	struct json_array identification; /* struct identification */
	struct json_array contact_medium; /* struct contact_medium */
	struct json_array characteristic; /* struct characteristic */
	struct json_array related_party;  /* struct party_ref */
	int64_t version, created_ms, updated_ms;
};

extern const struct json_desc party_ref_desc;
extern const struct json_desc contact_medium_desc;
extern const struct json_desc characteristic_desc;

extern const struct json_desc individual_desc;	       /* rendering */
extern const struct json_desc individual_input_desc;   /* POST (JSON_CREATE) and PATCH */
extern const struct json_desc organization_desc;       /* rendering */
extern const struct json_desc organization_input_desc; /* POST and PATCH */
extern const char *const individual_filterable[];
extern const char *const organization_filterable[];

/* All functions: kind is "individual" or "organization"; results allocated in
 * ctx->arena; errors in ctx->err. Reads and writes are limited to the caller's scope: a
 * party outside it, or deleted, is CRM_ENOTFOUND. */
int party_get(struct crm_ctx *ctx, const char *kind, const char *id, struct party *out);
int party_list(struct crm_ctx *ctx, const char *kind, const struct db_list_opts *opts,
	       struct party **out, size_t *out_n, int64_t *out_total);
/* in: decoded with the kind's input descriptor in JSON_CREATE mode. CRM_EINVAL for an
 * invalid value (id number, credit code, phone, e-mail, unknown org unit); CRM_ECONFLICT
 * when a live party has the same id number or credit code. */
int party_create(struct crm_ctx *ctx, const char *kind, const struct party *in, struct party *out);
/* A merge patch (in decoded in JSON_PATCH mode). if_match: expected version or -1
 * (CRM_ESTALE on mismatch). Masked values sent back unchanged keep the stored ones. */
int party_update(struct crm_ctx *ctx, const char *kind, const char *id, int64_t if_match,
		 const struct party *in, struct party *out);
/* Hides the party; CRM_ECONFLICT while live customers have it as engaged party. */
int party_delete(struct crm_ctx *ctx, const char *kind, const char *id, int64_t if_match);

/* ---- shared with customers (party.c) ---- */

/* The row of a new party of kind from p (decoded as for a create), with create's checks
 * (numbers canonicalised in p) and its org unit checked within tx; id, version and times
 * set. For party_create and bulk imports. */
int party__new_row(struct crm_ctx *ctx, struct db_tx *tx, const char *kind, struct party *p,
		   struct db_party *row);
/* Points ref (id, href, @referredType) at the party of kind with id. */
void party__ref_fill(struct crm_ctx *ctx, const char *kind, const char *id, struct party_ref *ref);
/* The name a party goes by: an individual's full name, an organization's trading name
 * (else its legal name). */
const char *party__name_of(const struct db_party *r);
/* The party as the API shows it, from its row. */
void party__from_row(struct crm_ctx *ctx, const struct db_party *r, struct party *p);

/* The org unit a new or moved record belongs to: org_id (NULL: the caller's own unit),
 * which must lie in the caller's scope (CRM_EINVAL "org unit 'X' not found"). */
int party__org_check(struct crm_ctx *ctx, struct db_tx *tx, const char *org_id,
		     struct db_org_unit *out);
/* Validates contact media (at field), canonicalising phone numbers and e-mails in place;
 * current (may be NULL) is the stored array, whose masked values sent back unchanged are
 * taken over. */
int party__contacts_check(struct crm_ctx *ctx, const char *field, struct json_array *media,
			  const struct json_array *current);
/* Validates characteristics (name required, at field). */
int party__characteristics_check(struct crm_ctx *ctx, const char *field, struct json_array *chars);
/* Related-party references: id required. */
int party__refs_check(struct crm_ctx *ctx, const char *field, const struct json_array *refs);
/* The JSON text of the doc fields of obj per desc, allocated in ctx arena. */
const char *party__doc_text(struct crm_ctx *ctx, const struct json_desc *doc_desc, const void *obj);
/* The phone numbers among contact media (struct contact_medium), NULL-ended, in ctx arena:
 * what the store's phone index holds for the row. */
const char *const *party__phones_of(struct crm_ctx *ctx, const struct json_array *media);
/* Fills the doc fields of obj from text (stored by party__doc_text). */
void party__doc_load(struct crm_ctx *ctx, const struct json_desc *doc_desc, const char *text,
		     void *obj, size_t obj_size);

#endif
