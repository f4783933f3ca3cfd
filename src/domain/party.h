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
 * (each kind's field table names its own). */
struct party {
	RES_HEAD;	  /* row.org_id: the owning unit */
	const char *kind; /* individual, organization (from the descriptor, not stored) */
	const char *status;
	/* individual */
	const char *given_name, *family_name, *full_name, *gender, *nationality;
	int64_t birth_ms, death_ms;
	const char *title, *middle_name, *marital_status, *aristocratic_title, *generation;
	const char *formatted_name, *legal_name, *preferred_given_name, *family_name_prefix;
	const char *country_of_birth;
	const cJSON *place_of_birth, *location, *disability, *language_ability, *skill;
	/* organization */
	const char *name, *trading_name, *organization_type, *name_type;
	bool is_legal_entity, is_head_office;
	struct org_relationship parent;
	struct time_period exists_during;
	const cJSON *child_relationship;
	/* both */
	struct json_array identification; /* struct identification */
	struct json_array contact_medium; /* struct contact_medium */
	struct json_array characteristic; /* struct characteristic */
	struct json_array related_party;  /* struct party_ref */
	const cJSON *credit_rating, *external_reference, *other_name, *tax_exemption;
	/* derived: what the unique indexes hold */
	const char *id_number; /* the identification number that identifies the person */
	const char *uscc;      /* the unified social credit code */
};

extern const struct json_desc party_ref_desc;
extern const struct json_desc contact_medium_desc;
extern const struct json_desc characteristic_desc;

/* The two kinds of party, resources of the layer (resource.h) at
 * /tmf-api/party/v4/individual and /organization. Reads and writes are limited to the
 * caller's scope; identification numbers are validated and canonicalised, and a live
 * party with the same one is CRM_ECONFLICT; masked values sent back unchanged keep the
 * stored ones; a delete hides the party (CRM_ECONFLICT while a live customer has it as
 * its engaged party). */
extern const struct res_desc individual_res;
extern const struct res_desc organization_res;

/* The descriptor of a party of kind ("individual" or "organization"). */
const struct res_desc *party_res(const char *kind);

/* ---- shared with customers (party.c) ---- */

/* Points ref (id, @referredType) at the party of kind with id. */
void party__ref_fill(const char *kind, const char *id, struct party_ref *ref);
/* The name a party goes by: an individual's full name, an organization's trading name
 * (else its legal name). */
const char *party__name_of(const struct party *p);
/* Validates contact media (at field), canonicalising phone numbers and e-mails in place;
 * current (may be NULL) is the stored array, whose masked values sent back unchanged are
 * taken over. */
int party__contacts_check(struct crm_ctx *ctx, const char *field, struct json_array *media,
			  const struct json_array *current);
/* Validates characteristics (name required, at field). */
int party__characteristics_check(struct crm_ctx *ctx, const char *field, struct json_array *chars);
/* Related-party references: id required. */
int party__refs_check(struct crm_ctx *ctx, const char *field, const struct json_array *refs);
/* The phone numbers among contact media (struct contact_medium), NULL-ended, in ctx arena:
 * what the store's phone index holds for the row. */
const char *const *party__phones_of(struct crm_ctx *ctx, const struct json_array *media);

#endif
