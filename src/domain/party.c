/* Parties: individuals and organizations, with validated identifications and contacts. */
#include "domain/party.h"

#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/id.h"
#include "core/ident.h"
#include "core/mask.h"
#include "core/time.h"
#include "domain/change.h"
#include "core/banned.h"

#define PARTY_API "party"

static const char *const medium_types[] = {"mobile", "phone",	      "email",
					   "fax",    "postalAddress", NULL};
static const char *const genders[] = {"male", "female", "other", NULL};
static const char *const individual_statuses[] = {"initialized", "validated", "deceased", NULL};
static const char *const organization_statuses[] = {"initialized", "validated", "closed", NULL};
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

#define P(member) offsetof(struct party, member)
#define COMMON_OUT                                                                                   \
	{                                                                                            \
		"contactMedium",                                                                     \
		JSON_OBJECT_ARRAY,                                                                   \
		P(contact_medium),                                                                   \
		0,                                                                                   \
		&contact_medium_desc,                                                                \
		20,                                                                                  \
		NULL},                                                                               \
		{"partyCharacteristic",                                                              \
		 JSON_OBJECT_ARRAY,                                                                  \
		 P(characteristic),                                                                  \
		 0,                                                                                  \
		 &characteristic_desc,                                                               \
		 50,                                                                                 \
		 NULL},                                                                              \
		{"relatedParty", JSON_OBJECT_ARRAY, P(related_party), 0, &party_ref_desc, 20, NULL}, \
		{"orgId", JSON_STRING, P(org_id), 0, NULL, 32, NULL},                                \
		{"version", JSON_INT, P(version), 0, NULL, 0, NULL},                                 \
		{"createdDate", JSON_TIME, P(created_ms), 0, NULL, 0, NULL},                         \
	{                                                                                            \
		"lastUpdate", JSON_TIME, P(updated_ms), 0, NULL, 0, NULL                             \
	}
#define COMMON_IN                                                                                  \
	{"contactMedium",                                                                          \
	 JSON_OBJECT_ARRAY,                                                                        \
	 P(contact_medium),                                                                        \
	 JSON_NULLABLE,                                                                            \
	 &contact_medium_desc,                                                                     \
	 20,                                                                                       \
	 NULL},                                                                                    \
		{"partyCharacteristic",                                                            \
		 JSON_OBJECT_ARRAY,                                                                \
		 P(characteristic),                                                                \
		 JSON_NULLABLE,                                                                    \
		 &characteristic_desc,                                                             \
		 50,                                                                               \
		 NULL},                                                                            \
		{"relatedParty",                                                                   \
		 JSON_OBJECT_ARRAY,                                                                \
		 P(related_party),                                                                 \
		 JSON_NULLABLE,                                                                    \
		 &party_ref_desc,                                                                  \
		 20,                                                                               \
		 NULL},                                                                            \
	{                                                                                          \
		"orgId", JSON_STRING, P(org_id), 0, NULL, 32, NULL                                 \
	}

const struct json_desc individual_desc = {
	"Individual",
	sizeof(struct party),
	(const struct json_field[]){
		{"id", JSON_STRING, P(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, P(href), 0, NULL, 0, NULL},
		{"givenName", JSON_STRING, P(given_name), 0, NULL, 0, NULL},
		{"familyName", JSON_STRING, P(family_name), 0, NULL, 0, NULL},
		{"fullName", JSON_STRING, P(full_name), 0, NULL, 0, NULL},
		{"gender", JSON_STRING, P(gender), 0, NULL, 0, NULL},
		{"birthDate", JSON_TIME, P(birth_ms), 0, NULL, 0, NULL},
		{"nationality", JSON_STRING, P(nationality), 0, NULL, 0, NULL},
		{"status", JSON_STRING, P(status), 0, NULL, 0, NULL},
		{"individualIdentification", JSON_OBJECT_ARRAY, P(identification), 0,
		 &individual_identification_desc, 10, NULL},
		COMMON_OUT,
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc individual_input_desc = {
	"Individual",
	sizeof(struct party),
	(const struct json_field[]){
		{"givenName", JSON_STRING, P(given_name), JSON_REQUIRED, NULL, 100, NULL},
		{"familyName", JSON_STRING, P(family_name), JSON_REQUIRED, NULL, 100, NULL},
		{"fullName", JSON_STRING, P(full_name), JSON_NULLABLE, NULL, 200, NULL},
		{"gender", JSON_STRING, P(gender), JSON_NULLABLE, NULL, 0, genders},
		{"birthDate", JSON_TIME, P(birth_ms), JSON_NULLABLE, NULL, 0, NULL},
		{"nationality", JSON_STRING, P(nationality), JSON_NULLABLE, NULL, 64, NULL},
		{"status", JSON_STRING, P(status), 0, NULL, 0, individual_statuses},
		{"individualIdentification", JSON_OBJECT_ARRAY, P(identification), JSON_NULLABLE,
		 &individual_identification_desc, 10, NULL},
		COMMON_IN,
		{0},
	},
	P(present),
};

static const struct json_desc individual_doc_desc = {
	NULL,
	sizeof(struct party),
	(const struct json_field[]){
		{"individualIdentification", JSON_OBJECT_ARRAY, P(identification), 0,
		 &individual_identification_desc, 10, NULL},
		{"contactMedium", JSON_OBJECT_ARRAY, P(contact_medium), 0, &contact_medium_desc, 20,
		 NULL},
		{"partyCharacteristic", JSON_OBJECT_ARRAY, P(characteristic), 0,
		 &characteristic_desc, 50, NULL},
		{"relatedParty", JSON_OBJECT_ARRAY, P(related_party), 0, &party_ref_desc, 20, NULL},
		{0},
	},
	P(present),
};

const struct json_desc organization_desc = {
	"Organization",
	sizeof(struct party),
	(const struct json_field[]){
		{"id", JSON_STRING, P(id), 0, NULL, 0, NULL},
		{"href", JSON_STRING, P(href), 0, NULL, 0, NULL},
		{"name", JSON_STRING, P(name), 0, NULL, 0, NULL},
		{"tradingName", JSON_STRING, P(trading_name), 0, NULL, 0, NULL},
		{"organizationType", JSON_STRING, P(organization_type), 0, NULL, 0, NULL},
		{"status", JSON_STRING, P(status), 0, NULL, 0, NULL},
		{"organizationIdentification", JSON_OBJECT_ARRAY, P(identification), 0,
		 &organization_identification_desc, 10, NULL},
		{"organizationParentRelationship", JSON_OBJECT, P(parent), 0,
		 &org_relationship_desc, 0, NULL},
		COMMON_OUT,
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc organization_input_desc = {
	"Organization",
	sizeof(struct party),
	(const struct json_field[]){
		{"tradingName", JSON_STRING, P(trading_name), JSON_REQUIRED, NULL, 200, NULL},
		{"name", JSON_STRING, P(name), JSON_NULLABLE, NULL, 200, NULL},
		{"organizationType", JSON_STRING, P(organization_type), JSON_NULLABLE, NULL, 64,
		 NULL},
		{"status", JSON_STRING, P(status), 0, NULL, 0, organization_statuses},
		{"organizationIdentification", JSON_OBJECT_ARRAY, P(identification), JSON_NULLABLE,
		 &organization_identification_desc, 10, NULL},
		{"organizationParentRelationship", JSON_OBJECT, P(parent), JSON_NULLABLE,
		 &org_relationship_desc, 0, NULL},
		COMMON_IN,
		{0},
	},
	P(present),
};

static const struct json_desc organization_doc_desc = {
	NULL,
	sizeof(struct party),
	(const struct json_field[]){
		{"organizationType", JSON_STRING, P(organization_type), 0, NULL, 64, NULL},
		{"organizationIdentification", JSON_OBJECT_ARRAY, P(identification), 0,
		 &organization_identification_desc, 10, NULL},
		{"organizationParentRelationship", JSON_OBJECT, P(parent), 0,
		 &org_relationship_desc, 0, NULL},
		{"contactMedium", JSON_OBJECT_ARRAY, P(contact_medium), 0, &contact_medium_desc, 20,
		 NULL},
		{"partyCharacteristic", JSON_OBJECT_ARRAY, P(characteristic), 0,
		 &characteristic_desc, 50, NULL},
		{"relatedParty", JSON_OBJECT_ARRAY, P(related_party), 0, &party_ref_desc, 20, NULL},
		{0},
	},
	P(present),
};
#undef P

const char *const individual_filterable[] = {"id",	   "name",   "fullName", "givenName",
					     "familyName", "status", "orgId",	 NULL};
const char *const organization_filterable[] = {"id",	 "name",  "tradingName",
					       "status", "orgId", NULL};

/* ---- per kind ---- */

struct kind_info {
	const char *kind, *type, *path;
	const struct json_desc *out, *in, *doc;
	const char *id_field;
};

static const struct kind_info kinds[] = {
	{"individual", "Individual", "/tmf-api/party/v4/individual/", &individual_desc,
	 &individual_input_desc, &individual_doc_desc, "individualIdentification"},
	{"organization", "Organization", "/tmf-api/party/v4/organization/", &organization_desc,
	 &organization_input_desc, &organization_doc_desc, "organizationIdentification"},
};

static const struct kind_info *kind_of(const char *kind)
{
	return strcmp(kind, "individual") == 0 ? &kinds[0] : &kinds[1];
}

void party__ref_fill(struct crm_ctx *ctx, const char *kind, const char *id, struct party_ref *ref)
{
	const struct kind_info *k = kind_of(kind);

	ref->id = id;
	ref->href = arena_printf(ctx->arena, "%s%s", k->path, id);
	ref->referred_type = k->type;
}

const char *party__name_of(const struct db_party *r)
{
	return strcmp(r->kind, "individual") == 0 || !r->trading_name ? r->full_name
								      : r->trading_name;
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

int party__org_check(struct crm_ctx *ctx, struct db_tx *tx, const char *org_id,
		     struct db_org_unit *out)
{
	const char *id = org_id ? org_id : ctx->who.org_id;
	int rc;

	if (!id)
		return crm_err_set(&ctx->err, CRM_EINVAL, "orgId", "'orgId' is required");
	rc = db_org_get(ctx->db, tx, db_scope_of(ctx), id, ctx->arena, out, &ctx->err);
	if (rc == CRM_ENOTFOUND) {
		crm_err_clear(&ctx->err);
		return crm_err_set(&ctx->err, CRM_EINVAL, "orgId", "org unit '%s' not found", id);
	}
	return rc;
}

const char *party__doc_text(struct crm_ctx *ctx, const struct json_desc *doc_desc, const void *obj)
{
	return json_print(ctx->arena, json_adopt(ctx->arena, json_encode(doc_desc, obj)), NULL);
}

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

void party__doc_load(struct crm_ctx *ctx, const struct json_desc *doc_desc, const char *text,
		     void *obj, size_t obj_size)
{
	void *tmp = arena_calloc(ctx->arena, 1, obj_size);
	cJSON *tree;

	if (!text || json_parse(ctx->arena, text, strlen(text), &tree, NULL) != 0 ||
	    json_decode(ctx->arena, tree, doc_desc, tmp, JSON_PATCH, NULL) != 0)
		return; /* stored by us: never happens; the record shows without them */
	json_merge(doc_desc, obj, tmp);
}

/* Takes the stored value over when a masked caller sent its mask back; refuses other
 * masked-looking values. */
static int echo(struct crm_ctx *ctx, enum mask_kind kind, const char *field, const char *current,
		const char **value)
{
	if (!*value || !strchr(*value, '*'))
		return 0;
	switch (mask_check_echo(kind, current, *value)) {
	case MASK_ECHO_SAME:
		*value = current;
		return 0;
	case MASK_ECHO_BAD:
		return crm_err_set(&ctx->err, CRM_EINVAL, field,
				   "a masked value cannot be written; send the full value");
	default:
		return 0;
	}
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
	return echo(ctx, kind, field, NULL, value);
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

/* ---- rows ---- */

static void from_row(struct crm_ctx *ctx, const struct db_party *r, struct party *p)
{
	const struct kind_info *k = kind_of(r->kind);

	memset(p, 0, sizeof(*p));
	p->id = r->id;
	p->href = arena_printf(ctx->arena, "%s%s", k->path, r->id);
	p->kind = r->kind;
	p->org_id = r->org_id;
	p->status = r->status;
	if (strcmp(r->kind, "individual") == 0) {
		p->given_name = r->given_name;
		p->family_name = r->family_name;
		p->full_name = r->full_name;
		p->gender = r->gender;
		p->birth_ms = r->birth_ms;
		p->nationality = r->nationality;
	} else {
		p->name = r->full_name && *r->full_name ? r->full_name : NULL;
		p->trading_name = r->trading_name;
	}
	p->version = r->version;
	p->created_ms = r->created_ms;
	p->updated_ms = r->updated_ms;
	party__doc_load(ctx, k->doc, r->doc, p, sizeof(*p));
	p->present = 0;
}

void party__from_row(struct crm_ctx *ctx, const struct db_party *r, struct party *p)
{
	from_row(ctx, r, p);
}

/* Validates p (the merged state), canonicalises its numbers and fills the row's columns
 * but id, org, version and times. current: the stored state (NULL on create). */
static int to_row(struct crm_ctx *ctx, const struct kind_info *k, struct party *p,
		  const struct party *current, struct db_party *r)
{
	struct identification *ids = p->identification.items;
	const struct json_array *cur_ids = current ? &current->identification : NULL;
	int64_t today = ident_today(time_now_ms());
	enum ident_key id_key = IDENT_KEY_NONE; /* of r->id_number */
	const char *citizen = NULL;		/* the resident id number, once seen */
	int have_resident = 0, rc;

	r->kind = k->kind;
	r->status = p->status ? p->status : "initialized";
	for (size_t i = 0; i < p->identification.count; i++) {
		const char *f =
			arena_printf(ctx->arena, "%s[%zu].identificationId", k->id_field, i);
		struct ident_document doc;

		if (!ids[i].type || !ids[i].number)
			return crm_err_set(&ctx->err, CRM_EINVAL, k->id_field,
					   "'%s[%zu]' needs 'identificationType' and "
					   "'identificationId'",
					   k->id_field, i);
		if ((rc = echo_any(ctx,
				   strcmp(k->kind, "individual") == 0 ? MASK_ID_NUMBER : MASK_NONE,
				   f, cur_ids, sizeof(struct identification),
				   offsetof(struct identification, number), &ids[i].number)))
			return rc;
		if ((rc = ident_document_check(ids[i].type, ids[i].number, today, f, &doc,
					       &ctx->err)))
			return rc;
		ids[i].type = doc.type->stored_as; /* nationalId is kept as residentId */
		ids[i].number = arena_strdup(ctx->arena, doc.canonical);
		if (doc.type->key == IDENT_KEY_ORGANIZATION) {
			if (r->uscc)
				return crm_err_set(&ctx->err, CRM_EINVAL, k->id_field,
						   "an organization has one social credit code");
			r->uscc = ids[i].number;
			continue;
		}
		/* the documents that show a resident id number show the same one */
		if ((strcmp(ids[i].type, "residentId") == 0 && have_resident++) ||
		    (doc.type->key == IDENT_KEY_CITIZEN && citizen &&
		     strcmp(citizen, ids[i].number) != 0))
			return crm_err_set(&ctx->err, CRM_EINVAL, k->id_field,
					   "an individual has one resident ID number");
		if (doc.type->key == IDENT_KEY_CITIZEN)
			citizen = ids[i].number;
		/* the unique index holds the number that identifies the person best: the
		 * resident id, else a residence permit's, a permanent resident ID's, the first
		 * passport's */
		if (doc.type->key != IDENT_KEY_NONE && (!r->id_number || doc.type->key < id_key)) {
			r->id_number = ids[i].number;
			id_key = doc.type->key;
		}
	}
	if ((rc = party__contacts_check(ctx, "contactMedium", &p->contact_medium,
					current ? &current->contact_medium : NULL)) ||
	    (rc = party__characteristics_check(ctx, "partyCharacteristic", &p->characteristic)) ||
	    (rc = party__refs_check(ctx, "relatedParty", &p->related_party)))
		return rc;
	if (strcmp(k->kind, "individual") == 0) {
		if (!p->given_name || !*p->given_name)
			return crm_err_set(&ctx->err, CRM_EINVAL, "givenName",
					   "'givenName' must not be empty");
		if (!p->family_name || !*p->family_name)
			return crm_err_set(&ctx->err, CRM_EINVAL, "familyName",
					   "'familyName' must not be empty");
		/* Chinese order: family name first, no space (张 + 伟 = 张伟) */
		if (!p->full_name || !*p->full_name)
			p->full_name =
				arena_printf(ctx->arena, "%s%s", p->family_name, p->given_name);
		r->full_name = p->full_name;
		r->given_name = p->given_name;
		r->family_name = p->family_name;
		r->gender = p->gender;
		r->birth_ms = p->birth_ms;
		r->nationality = p->nationality;
	} else {
		if (!p->trading_name || !*p->trading_name)
			return crm_err_set(&ctx->err, CRM_EINVAL, "tradingName",
					   "'tradingName' must not be empty");
		if (p->parent.organization.id && !*p->parent.organization.id)
			return crm_err_set(&ctx->err, CRM_EINVAL,
					   "organizationParentRelationship.organization.id",
					   "'organizationParentRelationship.organization.id' must "
					   "not be empty");
		r->full_name = p->name ? p->name : "";
		r->trading_name = p->trading_name;
	}
	r->doc = party__doc_text(ctx, k->doc, p);
	r->phones = party__phones_of(ctx, &p->contact_medium);
	return 0;
}

static cJSON *to_json(struct crm_ctx *ctx, const struct kind_info *k, const struct party *p)
{
	return json_adopt(ctx->arena, json_encode(k->out, p));
}

static const char *event_name(struct crm_ctx *ctx, const struct kind_info *k, const char *what)
{
	return arena_printf(ctx->arena, "%s%sEvent", k->type, what);
}

/* ---- operations ---- */

int party_get(struct crm_ctx *ctx, const char *kind, const char *id, struct party *out)
{
	struct db_party r;
	int rc;

	if ((rc = db_party_get(ctx->db, NULL, db_scope_of(ctx), kind, id, ctx->arena, &r,
			       &ctx->err)))
		return rc;
	from_row(ctx, &r, out);
	return 0;
}

int party_list(struct crm_ctx *ctx, const char *kind, const struct db_list_opts *opts,
	       struct party **out, size_t *out_n, int64_t *out_total)
{
	struct db_party *rows;
	struct party *items;
	size_t n;
	int rc;

	if ((rc = db_party_list(ctx->db, db_scope_of(ctx), kind, opts, ctx->arena, &rows, &n,
				out_total, &ctx->err)))
		return rc;
	items = arena_calloc(ctx->arena, n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		from_row(ctx, &rows[i], &items[i]);
	*out = items;
	*out_n = n;
	return 0;
}

int party__new_row(struct crm_ctx *ctx, struct db_tx *tx, const char *kind, struct party *p,
		   struct db_party *row)
{
	struct db_org_unit org;
	int rc;

	memset(row, 0, sizeof(*row));
	if ((rc = to_row(ctx, kind_of(kind), p, NULL, row)) ||
	    (rc = party__org_check(ctx, tx, p->org_id, &org)))
		return rc;
	row->id = id_new_in(ctx->arena);
	row->org_id = org.id;
	row->org_path = org.path;
	row->version = 1;
	row->created_ms = row->updated_ms = time_now_ms();
	return 0;
}

int party_create(struct crm_ctx *ctx, const char *kind, const struct party *in, struct party *out)
{
	const struct kind_info *k = kind_of(kind);
	struct db_party row;
	struct db_tx *tx = NULL;
	struct party p = *in;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = party__new_row(ctx, tx, kind, &p, &row)) ||
	    (rc = db_party_insert(tx, &row, &ctx->err)))
		goto out;
	from_row(ctx, &row, &p);
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "create",
				   .resource = k->kind,
				   .resource_id = p.id,
				   .org_path = row.org_path,
				   .after = to_json(ctx, k, &p),
				   .api = PARTY_API,
				   .event_type = event_name(ctx, k, "Create"),
				   .event_field = k->kind,
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		*out = p;
out:
	change_abort(ctx, tx);
	return rc;
}

/* Reads the live row in scope within tx and checks If-Match. */
static int load(struct crm_ctx *ctx, struct db_tx *tx, const struct kind_info *k, const char *id,
		int64_t if_match, struct db_party *row)
{
	int rc = db_party_get(ctx->db, tx, db_scope_of(ctx), k->kind, id, ctx->arena, row,
			      &ctx->err);

	if (rc)
		return rc;
	if (if_match >= 0 && if_match != row->version)
		return crm_err_set(&ctx->err, CRM_ESTALE, "If-Match",
				   "%s '%s' is at version %lld, not %lld", k->kind, id,
				   (long long)row->version, (long long)if_match);
	return 0;
}

int party_update(struct crm_ctx *ctx, const char *kind, const char *id, int64_t if_match,
		 const struct party *in, struct party *out)
{
	const struct kind_info *k = kind_of(kind);
	struct db_party row, next = {0};
	struct db_org_unit org;
	struct db_tx *tx = NULL;
	struct party before, after;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = load(ctx, tx, k, id, if_match, &row)))
		goto out;
	from_row(ctx, &row, &before);
	after = before;
	json_merge(k->in, &after, in);
	/* fullName follows the names unless given */
	if (strcmp(kind, "individual") == 0 && !json_present(k->in, in, "fullName") &&
	    (json_present(k->in, in, "givenName") || json_present(k->in, in, "familyName")))
		after.full_name = NULL;
	if ((rc = to_row(ctx, k, &after, &before, &next)))
		goto out;
	if ((rc = party__org_check(ctx, tx, after.org_id, &org)))
		goto out;
	next.id = row.id;
	next.org_id = org.id;
	next.version = row.version;
	next.created_ms = row.created_ms;
	next.updated_ms = time_now_ms();
	if ((rc = db_party_update(tx, &next, &ctx->err)))
		goto out;
	next.version++;
	next.org_path = org.path;
	from_row(ctx, &next, &after);
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "update",
				   .resource = k->kind,
				   .resource_id = id,
				   .org_path = org.path,
				   .before = to_json(ctx, k, &before),
				   .after = to_json(ctx, k, &after),
				   .api = PARTY_API,
				   .event_type = event_name(ctx, k,
							    strcmp(before.status, after.status)
								    ? "StateChange"
								    : "AttributeValueChange"),
				   .event_field = k->kind,
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
	if (!rc)
		*out = after;
out:
	change_abort(ctx, tx);
	return rc;
}

int party_delete(struct crm_ctx *ctx, const char *kind, const char *id, int64_t if_match)
{
	const struct kind_info *k = kind_of(kind);
	struct db_party row;
	struct db_tx *tx = NULL;
	struct party before;
	int64_t n = 0;
	int rc;

	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = load(ctx, tx, k, id, if_match, &row)) ||
	    (rc = db_party_count_customers(tx, id, &n, &ctx->err)))
		goto out;
	if (n > 0) {
		rc = crm_err_set(&ctx->err, CRM_ECONFLICT, "id",
				 "%s '%s' is the engaged party of %lld customers", k->kind, id,
				 (long long)n);
		goto out;
	}
	from_row(ctx, &row, &before);
	row.updated_ms = row.deleted_ms = time_now_ms();
	if ((rc = db_party_update(tx, &row, &ctx->err)))
		goto out;
	rc = change_record(ctx, tx,
			   &(struct change){
				   .action = "delete",
				   .resource = k->kind,
				   .resource_id = id,
				   .org_path = row.org_path,
				   .before = to_json(ctx, k, &before),
				   .api = PARTY_API,
				   .event_type = event_name(ctx, k, "Delete"),
				   .event_field = k->kind,
			   });
	if (rc)
		goto out;
	rc = change_commit(ctx, tx);
	tx = NULL;
out:
	change_abort(ctx, tx);
	return rc;
}
