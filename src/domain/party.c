/* Parties on the resource layer: individuals and organizations, with validated
 * identifications and contacts. */
#include "domain/party.h"

#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/ident.h"
#include "core/mask.h"
#include "core/time.h"
#include "auth/auth.h"
#include "domain/change.h"
#include "core/banned.h"

static const char *const medium_types[] = {"mobile", "phone",	      "email",
					   "fax",    "postalAddress", NULL};
static const char *const genders[] = {"male", "female", "other", NULL};
static const char *const individual_statuses[] = {"initialized", "validated", "deceased", NULL};
static const char *const organization_statuses[] = {"initialized", "validated", "closed", NULL};
static const char *const marital_statuses[] = {"single",  "married", "divorced",
					       "widowed", "other",   NULL};
/* a party is validated once its documents are checked; the dead and the closed stay so */
static const char *const individual_moves[][2] = {
	{"initialized", "validated"},
	{"validated", "initialized"},
	{"initialized", "deceased"},
	{"validated", "deceased"},
	{NULL, NULL},
};
static const char *const organization_moves[][2] = {
	{"initialized", "validated"},
	{"validated", "initialized"},
	{"initialized", "closed"},
	{"validated", "closed"},
	{NULL, NULL},
};
/* core/ident's document table checks each (ident_document_check) */
static const char *const individual_id_types[] = {"residentId",
						  "nationalId",
						  "temporaryResidentId",
						  "householdRegister",
						  "residencePermitHkMoTw",
						  "foreignPermanentResidentId",
						  "passport",
						  "mainlandTravelPermitHkMo",
						  "mainlandTravelPermitTw",
						  "militaryId",
						  "armedPoliceId",
						  "other",
						  NULL};
static const char *const organization_id_types[] = {"unifiedSocialCreditCode", "other", NULL};

/* ---- shared records ---- */

#define REF(member) offsetof(struct party_ref, member)
const struct json_desc party_ref_desc = {
	"RelatedParty",
	sizeof(struct party_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{"role", JSON_STRING, REF(role), 0, NULL, 64, NULL},
		{"@referredType", JSON_STRING, REF(referred_type), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

static const struct json_desc org_ref_desc = {
	"OrganizationRef",
	sizeof(struct party_ref),
	(const struct json_field[]){
		{"id", JSON_STRING, REF(id), JSON_REQUIRED, NULL, 64, NULL},
		{"href", JSON_STRING, REF(href), 0, NULL, 256, NULL},
		{"name", JSON_STRING, REF(name), 0, NULL, 200, NULL},
		{"@referredType", JSON_STRING, REF(referred_type), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef REF

#define MC(member) offsetof(struct medium_characteristic, member)
static const struct json_desc medium_characteristic_desc = {
	"MediumCharacteristic",
	sizeof(struct medium_characteristic),
	(const struct json_field[]){
		{"contactType", JSON_STRING, MC(contact_type), 0, NULL, 64, NULL},
		{"phoneNumber", JSON_STRING, MC(phone_number), JSON_MASK_PHONE, NULL, 32, NULL},
		{"emailAddress", JSON_STRING, MC(email_address), JSON_MASK_EMAIL, NULL, 254, NULL},
		{"faxNumber", JSON_STRING, MC(fax_number), JSON_MASK_PHONE, NULL, 32, NULL},
		{"street1", JSON_STRING, MC(street1), JSON_MASK_ADDRESS, NULL, 200, NULL},
		{"street2", JSON_STRING, MC(street2), JSON_MASK_ADDRESS, NULL, 200, NULL},
		{"district", JSON_STRING, MC(district), 0, NULL, 64, NULL},
		{"city", JSON_STRING, MC(city), 0, NULL, 64, NULL},
		{"stateOrProvince", JSON_STRING, MC(state_or_province), 0, NULL, 64, NULL},
		{"postCode", JSON_STRING, MC(post_code), 0, NULL, 16, NULL},
		{"country", JSON_STRING, MC(country), 0, NULL, 64, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef MC

#define CM(member) offsetof(struct contact_medium, member)
const struct json_desc contact_medium_desc = {
	"ContactMedium",
	sizeof(struct contact_medium),
	(const struct json_field[]){
		{"mediumType", JSON_STRING, CM(medium_type), JSON_REQUIRED, NULL, 0, medium_types},
		{"preferred", JSON_BOOL, CM(preferred), 0, NULL, 0, NULL},
		{"characteristic", JSON_OBJECT, CM(characteristic), JSON_REQUIRED,
		 &medium_characteristic_desc, 0, NULL},
		{"validFor", JSON_OBJECT, CM(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CM

#define CH(member) offsetof(struct characteristic, member)
const struct json_desc characteristic_desc = {
	"Characteristic",
	sizeof(struct characteristic),
	(const struct json_field[]){
		{"name", JSON_STRING, CH(name), JSON_REQUIRED, NULL, 100, NULL},
		{"valueType", JSON_STRING, CH(value_type), 0, NULL, 64, NULL},
		{"value", JSON_ANY, CH(value), JSON_REQUIRED, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef CH

#define ID(member) offsetof(struct identification, member)
static const struct json_desc individual_identification_desc = {
	"IndividualIdentification",
	sizeof(struct identification),
	(const struct json_field[]){
		{"identificationType", JSON_STRING, ID(type), JSON_REQUIRED, NULL, 0,
		 individual_id_types},
		{"identificationId", JSON_STRING, ID(number), JSON_REQUIRED | JSON_MASK_ID_NUMBER,
		 NULL, IDENT_DOCUMENT_MAX, NULL},
		{"issuingAuthority", JSON_STRING, ID(issuing_authority), 0, NULL, 100, NULL},
		{"issuingDate", JSON_TIME, ID(issuing_ms), 0, NULL, 0, NULL},
		{"validFor", JSON_OBJECT, ID(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

static const struct json_desc organization_identification_desc = {
	"OrganizationIdentification",
	sizeof(struct identification),
	(const struct json_field[]){
		{"identificationType", JSON_STRING, ID(type), JSON_REQUIRED, NULL, 0,
		 organization_id_types},
		{"identificationId", JSON_STRING, ID(number), JSON_REQUIRED, NULL, 32, NULL},
		{"issuingAuthority", JSON_STRING, ID(issuing_authority), 0, NULL, 100, NULL},
		{"issuingDate", JSON_TIME, ID(issuing_ms), 0, NULL, 0, NULL},
		{"validFor", JSON_OBJECT, ID(valid_for), 0, &time_period_desc, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef ID

#define OR(member) offsetof(struct org_relationship, member)
static const struct json_desc org_relationship_desc = {
	"OrganizationParentRelationship",
	sizeof(struct org_relationship),
	(const struct json_field[]){
		{"relationshipType", JSON_STRING, OR(relationship_type), 0, NULL, 64, NULL},
		{"organization", JSON_OBJECT, OR(organization), JSON_REQUIRED, &org_ref_desc, 0,
		 NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OR

/* ---- individuals and organizations ---- */

#define RES_T struct party
/* The members both kinds have, after their own. */
#define COMMON_FIELDS                                                                              \
	RES_FIELD("contactMedium", JSON_OBJECT_ARRAY, contact_medium, .flags = JSON_NULLABLE,      \
		  .sub = &contact_medium_desc, .max_len = 20),                                     \
		RES_FIELD("partyCharacteristic", JSON_OBJECT_ARRAY, characteristic,                \
			  .flags = JSON_NULLABLE, .sub = &characteristic_desc, .max_len = 50),     \
		RES_FIELD("relatedParty", JSON_OBJECT_ARRAY, related_party,                        \
			  .flags = JSON_NULLABLE, .sub = &party_ref_desc, .max_len = 20),          \
		RES_FIELD("creditRating", JSON_ANY, credit_rating, .flags = JSON_NULLABLE),        \
		RES_FIELD("externalReference", JSON_ANY, external_reference,                       \
			  .flags = JSON_NULLABLE),                                                 \
		RES_FIELD("otherName", JSON_ANY, other_name, .flags = JSON_NULLABLE),              \
		RES_FIELD("taxExemptionCertificate", JSON_ANY, tax_exemption,                      \
			  .flags = JSON_NULLABLE),                                                 \
		RES_FIELD("orgId", JSON_STRING, row.org_id, .flags = RES_FILTER,                   \
			  .column = "org_id", .max_len = 32)

static const struct res_field individual_fields[] = {
	RES_FIELD("givenName", JSON_STRING, given_name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "given_name", .max_len = 100),
	RES_FIELD("familyName", JSON_STRING, family_name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "family_name", .max_len = 100),
	RES_FIELD("fullName", JSON_STRING, full_name,
		  .flags = JSON_NULLABLE | RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "full_name", .max_len = 200),
	RES_FIELD("name", JSON_STRING, full_name, .flags = RES_HIDDEN | RES_FILTER | RES_SORT,
		  .column = "full_name"),
	RES_FIELD("gender", JSON_STRING, gender, .flags = JSON_NULLABLE | RES_FILTER,
		  .column = "gender", .values = genders),
	RES_FIELD("birthDate", JSON_TIME, birth_ms, .flags = JSON_NULLABLE | RES_FILTER | RES_SORT,
		  .column = "birth_ms"),
	RES_FIELD("nationality", JSON_STRING, nationality, .flags = JSON_NULLABLE,
		  .column = "nationality", .max_len = 64),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER, .column = "status",
		  .values = individual_statuses),
	RES_FIELD("individualIdentification", JSON_OBJECT_ARRAY, identification,
		  .flags = JSON_NULLABLE, .sub = &individual_identification_desc, .max_len = 10),
	RES_FIELD("individualIdentification", JSON_STRING, id_number, .flags = RES_HIDDEN,
		  .column = "id_number",
		  .taken = "an individual with this identification number already exists"),
	RES_FIELD("title", JSON_STRING, title, .flags = JSON_NULLABLE, .max_len = 64),
	RES_FIELD("middleName", JSON_STRING, middle_name, .flags = JSON_NULLABLE, .max_len = 100),
	RES_FIELD("maritalStatus", JSON_STRING, marital_status, .flags = JSON_NULLABLE,
		  .values = marital_statuses),
	RES_FIELD("aristocraticTitle", JSON_STRING, aristocratic_title, .flags = JSON_NULLABLE,
		  .max_len = 64),
	RES_FIELD("generation", JSON_STRING, generation, .flags = JSON_NULLABLE, .max_len = 32),
	RES_FIELD("formattedName", JSON_STRING, formatted_name, .flags = JSON_NULLABLE,
		  .max_len = 200),
	RES_FIELD("legalName", JSON_STRING, legal_name, .flags = JSON_NULLABLE, .max_len = 200),
	RES_FIELD("preferredGivenName", JSON_STRING, preferred_given_name, .flags = JSON_NULLABLE,
		  .max_len = 100),
	RES_FIELD("familyNamePrefix", JSON_STRING, family_name_prefix, .flags = JSON_NULLABLE,
		  .max_len = 64),
	RES_FIELD("countryOfBirth", JSON_STRING, country_of_birth, .flags = JSON_NULLABLE,
		  .max_len = 64),
	RES_FIELD("deathDate", JSON_TIME, death_ms, .flags = JSON_NULLABLE),
	RES_FIELD("placeOfBirth", JSON_ANY, place_of_birth, .flags = JSON_NULLABLE),
	RES_FIELD("location", JSON_ANY, location, .flags = JSON_NULLABLE),
	RES_FIELD("disability", JSON_ANY, disability, .flags = JSON_NULLABLE),
	RES_FIELD("languageAbility", JSON_ANY, language_ability, .flags = JSON_NULLABLE),
	RES_FIELD("skill", JSON_ANY, skill, .flags = JSON_NULLABLE),
	COMMON_FIELDS,
	{0},
};

static const struct res_field organization_fields[] = {
	RES_FIELD("name", JSON_STRING, name,
		  .flags =
			  JSON_NULLABLE | RES_NOT_BLANK | RES_FILTER | RES_SORT | RES_EMPTY_IS_NULL,
		  .column = "full_name", .max_len = 200),
	RES_FIELD("tradingName", JSON_STRING, trading_name,
		  .flags = JSON_REQUIRED | RES_NOT_BLANK | RES_FILTER | RES_SORT,
		  .column = "trading_name", .max_len = 200),
	RES_FIELD("organizationType", JSON_STRING, organization_type, .flags = JSON_NULLABLE,
		  .max_len = 64),
	RES_FIELD("nameType", JSON_STRING, name_type, .flags = JSON_NULLABLE, .max_len = 64),
	RES_FIELD("isLegalEntity", JSON_BOOL, is_legal_entity),
	RES_FIELD("isHeadOffice", JSON_BOOL, is_head_office),
	RES_FIELD("status", JSON_STRING, status, .flags = RES_FILTER, .column = "status",
		  .values = organization_statuses),
	RES_FIELD("organizationIdentification", JSON_OBJECT_ARRAY, identification,
		  .flags = JSON_NULLABLE, .sub = &organization_identification_desc, .max_len = 10),
	RES_FIELD("organizationIdentification", JSON_STRING, uscc, .flags = RES_HIDDEN,
		  .column = "uscc",
		  .taken = "an organization with this social credit code already exists"),
	RES_FIELD("organizationParentRelationship", JSON_OBJECT, parent, .flags = JSON_NULLABLE,
		  .sub = &org_relationship_desc),
	RES_FIELD("organizationChildRelationship", JSON_ANY, child_relationship,
		  .flags = JSON_NULLABLE),
	RES_FIELD("existsDuring", JSON_OBJECT, exists_during, .flags = JSON_NULLABLE,
		  .sub = &time_period_desc),
	COMMON_FIELDS,
	{0},
};
#undef RES_T

/* ---- per kind ---- */

void party__ref_fill(const char *kind, const char *id, struct party_ref *ref)
{
	ref->id = id;
	ref->href = NULL; /* from the @referredType, when rendered */
	ref->referred_type = party_res(kind)->type_name;
}

const char *party__name_of(const struct party *p)
{
	if (strcmp(p->kind, "individual") == 0)
		return p->full_name;
	return p->trading_name ? p->trading_name : p->name;
}

/* ---- identifiers ----
 * Each check validates *value at field (core/ident, whose messages name the part at
 * fault) and replaces it with its canonical form, allocated in ctx arena. */

static int check_mobile(struct crm_ctx *ctx, const char *field, const char **value)
{
	struct ident_mobile m;
	int rc;

	if ((rc = ident_mobile_check(*value, field, &m, &ctx->err)))
		return rc;
	*value = arena_strdup(ctx->arena, m.canonical);
	return 0;
}

/* A phone medium holds a fixed line or a mobile number: a value that starts with 1 (after
 * an optional +86) is checked as a mobile number, any other as a fixed line. */
static int check_phone(struct crm_ctx *ctx, const char *field, const char **value)
{
	const char *v = *value ? *value : "";
	struct ident_fixed_line f;
	int rc;

	while (*v == ' ')
		v++;
	if (strncmp(v, "+86", 3) == 0 || strncmp(v, "0086", 4) == 0) {
		v += v[0] == '+' ? 3 : 4;
		while (*v == ' ' || *v == '-')
			v++;
	}
	if (*v == '1' && strlen(v) >= 11)
		return check_mobile(ctx, field, value);
	if ((rc = ident_fixed_line_check(*value, field, &f, &ctx->err)))
		return rc;
	*value = arena_strdup(ctx->arena, f.canonical);
	return 0;
}

static int check_email(struct crm_ctx *ctx, const char *field, const char **value)
{
	struct ident_email e;
	int rc;

	if ((rc = ident_email_check(*value, field, &e, &ctx->err)))
		return rc;
	*value = arena_strdup(ctx->arena, e.canonical);
	return 0;
}

/* ---- shared helpers ---- */

const char *const *party__phones_of(struct crm_ctx *ctx, const struct json_array *media)
{
	const struct contact_medium *m = media->items;
	const char **out = arena_calloc(ctx->arena, media->count + 1, sizeof(*out));
	size_t n = 0;

	for (size_t i = 0; i < media->count; i++)
		if (m[i].characteristic.phone_number)
			out[n++] = m[i].characteristic.phone_number;
	return out;
}

/* The stored value of which value is the mask, among the same field of every current
 * item (items are matched by content: a PATCH replaces the whole array). */
static int echo_any(struct crm_ctx *ctx, enum mask_kind kind, const char *field,
		    const struct json_array *current, size_t esize, size_t offset,
		    const char **value)
{
	if (!*value || !strchr(*value, '*'))
		return 0;
	for (size_t i = 0; current && i < current->count; i++) {
		const char *cur =
			*(const char *const *)((const char *)current->items + i * esize + offset);

		if (cur && mask_check_echo(kind, cur, *value) == MASK_ECHO_SAME) {
			*value = cur;
			return 0;
		}
	}
	return res_unmask(ctx, kind, field, NULL, value);
}

#define MEDIUM_OFF(m)                                                                              \
	(offsetof(struct contact_medium, characteristic) +                                         \
	 offsetof(struct medium_characteristic, m))

int party__contacts_check(struct crm_ctx *ctx, const char *field, struct json_array *media,
			  const struct json_array *current)
{
	struct contact_medium *m = media->items;
	const size_t es = sizeof(struct contact_medium);
	int rc;

	for (size_t i = 0; i < media->count; i++) {
		struct medium_characteristic *c = &m[i].characteristic;
		const char *f = arena_printf(ctx->arena, "%s[%zu].characteristic", field, i);

		if (!m[i].medium_type)
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "'%s[%zu].mediumType' is required", field, i);
		if ((rc = echo_any(ctx, MASK_PHONE, f, current, es, MEDIUM_OFF(phone_number),
				   &c->phone_number)) ||
		    (rc = echo_any(ctx, MASK_PHONE, f, current, es, MEDIUM_OFF(fax_number),
				   &c->fax_number)) ||
		    (rc = echo_any(ctx, MASK_EMAIL, f, current, es, MEDIUM_OFF(email_address),
				   &c->email_address)) ||
		    (rc = echo_any(ctx, MASK_ADDRESS, f, current, es, MEDIUM_OFF(street1),
				   &c->street1)) ||
		    (rc = echo_any(ctx, MASK_ADDRESS, f, current, es, MEDIUM_OFF(street2),
				   &c->street2)))
			return rc;
		if (strcmp(m[i].medium_type, "mobile") == 0) {
			rc = check_mobile(ctx, arena_printf(ctx->arena, "%s.phoneNumber", f),
					  &c->phone_number);
		} else if (strcmp(m[i].medium_type, "phone") == 0 ||
			   strcmp(m[i].medium_type, "fax") == 0) {
			const char **num = strcmp(m[i].medium_type, "fax") == 0 && c->fax_number
						   ? &c->fax_number
						   : &c->phone_number;

			rc = check_phone(
				ctx,
				arena_printf(ctx->arena, "%s.%s", f,
					     num == &c->fax_number ? "faxNumber" : "phoneNumber"),
				num);
		} else if (strcmp(m[i].medium_type, "email") == 0) {
			rc = check_email(ctx, arena_printf(ctx->arena, "%s.emailAddress", f),
					 &c->email_address);
		} else if (!c->street1 && !c->city && !c->state_or_province && !c->district) {
			rc = crm_err_set(&ctx->err, CRM_EINVAL, f,
					 "a postal address needs 'street1', 'district', 'city' or "
					 "'stateOrProvince'");
		}
		if (rc)
			return rc;
	}
	return 0;
}

int party__characteristics_check(struct crm_ctx *ctx, const char *field, struct json_array *chars)
{
	const struct characteristic *c = chars->items;

	for (size_t i = 0; i < chars->count; i++)
		if (!c[i].name || !*c[i].name || !c[i].value)
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "'%s[%zu]' needs 'name' and 'value'", field, i);
	return 0;
}

int party__refs_check(struct crm_ctx *ctx, const char *field, const struct json_array *refs)
{
	const struct party_ref *r = refs->items;

	for (size_t i = 0; i < refs->count; i++)
		if (!r[i].id || !*r[i].id)
			return crm_err_set(&ctx->err, CRM_EINVAL, field, "'%s[%zu].id' is required",
					   field, i);
	return 0;
}

/* ---- the business rules ---- */

static bool individual(const struct party *p)
{
	return strcmp(p->kind, "individual") == 0;
}

/* Checks and canonicalises the identifications (masked values sent back keep the stored
 * ones) and derives the numbers the unique indexes hold. */
static int identifications_check(struct crm_ctx *ctx, struct party *p, const struct party *before)
{
	const char *field =
		individual(p) ? "individualIdentification" : "organizationIdentification";
	struct identification *ids = p->identification.items;
	const struct json_array *cur_ids = before ? &before->identification : NULL;
	int64_t today = ident_today(time_now_ms());
	enum ident_key id_key = IDENT_KEY_NONE; /* of p->id_number */
	const char *citizen = NULL;		/* the resident id number, once seen */
	int have_resident = 0, rc;

	p->id_number = p->uscc = NULL;
	for (size_t i = 0; i < p->identification.count; i++) {
		const char *f = arena_printf(ctx->arena, "%s[%zu].identificationId", field, i);
		struct ident_document doc;

		if (!ids[i].type || !ids[i].number)
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "'%s[%zu]' needs 'identificationType' and "
					   "'identificationId'",
					   field, i);
		if ((rc = echo_any(ctx, individual(p) ? MASK_ID_NUMBER : MASK_NONE, f, cur_ids,
				   sizeof(struct identification),
				   offsetof(struct identification, number), &ids[i].number)))
			return rc;
		if ((rc = ident_document_check(ids[i].type, ids[i].number, today, f, &doc,
					       &ctx->err)))
			return rc;
		ids[i].type = doc.type->stored_as; /* nationalId is kept as residentId */
		ids[i].number = arena_strdup(ctx->arena, doc.canonical);
		if (doc.type->key == IDENT_KEY_ORGANIZATION) {
			if (p->uscc)
				return crm_err_set(&ctx->err, CRM_EINVAL, field,
						   "an organization has one social credit code");
			p->uscc = ids[i].number;
			continue;
		}
		/* the documents that show a resident id number show the same one */
		if ((strcmp(ids[i].type, "residentId") == 0 && have_resident++) ||
		    (doc.type->key == IDENT_KEY_CITIZEN && citizen &&
		     strcmp(citizen, ids[i].number) != 0))
			return crm_err_set(&ctx->err, CRM_EINVAL, field,
					   "an individual has one resident ID number");
		if (doc.type->key == IDENT_KEY_CITIZEN)
			citizen = ids[i].number;
		/* the unique index holds the number that identifies the person best: the
		 * resident id, else a residence permit's, a permanent resident ID's, the first
		 * passport's */
		if (doc.type->key != IDENT_KEY_NONE && (!p->id_number || doc.type->key < id_key)) {
			p->id_number = ids[i].number;
			id_key = doc.type->key;
		}
	}
	return 0;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Registering someone already registered: the caller is led to the party that has the
 * number when they may read it, and told no more than where it is not when they may not
 * (its unit is beyond their reach: another province, or another unit of theirs). */
static int holder_check(struct crm_ctx *ctx, struct db_tx *tx, const struct party *p,
			const struct party *before)
{
	const struct res_desc *d = party_res(p->kind);
	const char *kind = p->id_number ? "id_number" : "uscc", *holder = NULL;
	const char *value = p->id_number ? p->id_number : p->uscc;
	const char *field =
		individual(p) ? "individualIdentification" : "organizationIdentification";
	const char *what = individual(p) ? "this identification number" : "this social credit code";
	struct party *h = arena_calloc(ctx->arena, 1, sizeof(*h));
	struct db_scope reach = db_scope_for(ctx, d->perm_read);
	int rc;

	if (!value || (before && same(value, p->id_number ? before->id_number : before->uscc)))
		return 0;
	if ((rc = db_party_ident_holder(tx, kind, value, ctx->arena, &holder, &ctx->err)) ||
	    !holder || (before && same(holder, before->row.id)))
		return rc;
	if ((rc = res_get_by(ctx, d, tx, db_scope_all(), "id", holder, h)))
		return rc;
	if (db_scope_holds(reach, h->row.org_path, false, NULL)) {
		crm_err_set(&ctx->err, CRM_ECONFLICT, field,
			    "%s is registered already, to '%s'; open that record instead", what,
			    ctx->who.pii_masked
				    ? mask_apply(ctx->arena, MASK_NAME, party__name_of(h))
				    : party__name_of(h));
		crm_err_conflicts_with(&ctx->err, res_href(ctx, d, h->row.id));
		return CRM_ECONFLICT;
	}
	if (db_scope_holds(db_scope_at(ctx, CRM_DEPTH_PROVINCE), h->row.org_path, false, NULL))
		return crm_err_set(&ctx->err, CRM_ECONFLICT, field,
				   "%s is registered at another unit", what);
	return crm_err_set(&ctx->err, CRM_ECONFLICT, field, "%s is registered in another province",
			   what);
}

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	const struct party *before = ch->before;
	struct party *p = obj;
	int rc;

	if (!p->status)
		p->status = "initialized";
	if ((rc = identifications_check(ctx, p, before)) ||
	    (!ch->bulk && (rc = holder_check(ctx, tx, p, before))) ||
	    (rc = party__contacts_check(ctx, "contactMedium", &p->contact_medium,
					before ? &before->contact_medium : NULL)) ||
	    (rc = party__characteristics_check(ctx, "partyCharacteristic", &p->characteristic)) ||
	    (rc = party__refs_check(ctx, "relatedParty", &p->related_party)))
		return rc;
	if (!individual(p)) {
		if (p->parent.organization.id && !*p->parent.organization.id)
			return crm_err_set(&ctx->err, CRM_EINVAL,
					   "organizationParentRelationship.organization.id",
					   "'organizationParentRelationship.organization.id' must "
					   "not be empty");
		return 0;
	}
	/* fullName follows the names unless given; Chinese order: family name first, no space
	 * (张 + 伟 = 张伟) */
	if (before && !json_present(res_json(party_res(p->kind)), ch->in, "fullName") &&
	    (json_present(res_json(party_res(p->kind)), ch->in, "givenName") ||
	     json_present(res_json(party_res(p->kind)), ch->in, "familyName")))
		p->full_name = NULL;
	if (!p->full_name)
		p->full_name = arena_printf(ctx->arena, "%s%s", p->family_name, p->given_name);
	return 0;
}

static int removing(struct crm_ctx *ctx, struct db_tx *tx, const void *obj)
{
	const struct party *p = obj;
	int64_t n = 0;
	int rc;

	if ((rc = db_party_count_customers(tx, p->row.id, &n, &ctx->err)))
		return rc;
	if (n > 0)
		return crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				   "%s '%s' is the engaged party of %lld customers", p->kind,
				   p->row.id, (long long)n);
	return 0;
}

/* The phone keys search finds the party by, and its identification's operator-wide key. */
static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct party *b = before, *a = after;
	const char *id = (a ? a : b)->row.id;
	int rc;

	if ((rc = db_party_ident_put(tx, id, "id_number", b ? b->id_number : NULL,
				     a ? a->id_number : NULL, &ctx->err)) ||
	    (rc = db_party_ident_put(tx, id, "uscc", b ? b->uscc : NULL, a ? a->uscc : NULL,
				     &ctx->err)))
		return rc;
	return db_phone_keys_put(tx, id, b ? party__phones_of(ctx, &b->contact_medium) : NULL,
				 a ? party__phones_of(ctx, &a->contact_medium) : NULL, &ctx->err);
}

static void individual_loaded(struct crm_ctx *ctx, void *obj)
{
	(void)ctx;
	((struct party *)obj)->kind = "individual";
}

static void organization_loaded(struct crm_ctx *ctx, void *obj)
{
	(void)ctx;
	((struct party *)obj)->kind = "organization";
}

static int individual_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	individual_loaded(ctx, obj);
	return check(ctx, tx, obj, ch);
}

static int organization_check(struct crm_ctx *ctx, struct db_tx *tx, void *obj,
			      struct res_change *ch)
{
	organization_loaded(ctx, obj);
	return check(ctx, tx, obj, ch);
}

static const struct res_lifecycle individual_lifecycle = {
	"status", individual_statuses, individual_statuses, individual_moves, NULL};
static const struct res_lifecycle organization_lifecycle = {
	"status", organization_statuses, organization_statuses, organization_moves, NULL};

RES_STORAGE(individual);
RES_STORAGE(organization);

const struct res_desc individual_res = {
	.name = "individual",
	.type_name = "Individual",
	.path = "/tmf-api/party/v4/individual",
	.event_api = "party",
	.event_field = "individual",
	.table = "party",
	.kind_column = "kind",
	.kind_value = "individual",
	.scope = DB_SCOPE_UNIT,
	.soft_delete = true,
	.size = sizeof(struct party),
	.perm_read = PERM_CUSTOMER_READ,
	.perm_write = PERM_CUSTOMER_WRITE,
	.fields = individual_fields,
	.lifecycle = &individual_lifecycle,
	.check = individual_check,
	.removing = removing,
	.side = side,
	.loaded = individual_loaded,
	.built = &individual__built,
};

const struct res_desc organization_res = {
	.name = "organization",
	.type_name = "Organization",
	.path = "/tmf-api/party/v4/organization",
	.event_api = "party",
	.event_field = "organization",
	.table = "party",
	.kind_column = "kind",
	.kind_value = "organization",
	.scope = DB_SCOPE_UNIT,
	.soft_delete = true,
	.size = sizeof(struct party),
	.perm_read = PERM_CUSTOMER_READ,
	.perm_write = PERM_CUSTOMER_WRITE,
	.fields = organization_fields,
	.lifecycle = &organization_lifecycle,
	.check = organization_check,
	.removing = removing,
	.side = side,
	.loaded = organization_loaded,
	.built = &organization__built,
};

const struct res_desc *party_res(const char *kind)
{
	return strcmp(kind, "individual") == 0 ? &individual_res : &organization_res;
}
