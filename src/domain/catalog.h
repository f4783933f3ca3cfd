/*
 * The product catalogue (TMF620, /tmf-api/productCatalogManagement/v4/): catalogues,
 * categories, product specifications, product offerings and their prices, resources of
 * the layer (resource.h). Reference data of the whole operator: every signed-in user reads
 * it, catalog.manage changes it. Each record moves inDesign → active → retired (or is
 * abandoned, inDesign → retired); a retired record no longer changes, and only a record
 * in design is deleted, once nothing names it. References are checked when written: the
 * record named exists, is not retired, and is of the kind its member says; the server
 * fills their names, @referredType and href.
 */
#ifndef CRM_CATALOG_H
#define CRM_CATALOG_H

#include "domain/resource.h"

/* A reference to another catalogue record (TMF …Ref). */
struct catalog_ref {
	const char *id;
	const char *href;
	const char *name;
	const char *referred_type; /* "@referredType" */
};

/* TMF Money: an amount in a currency. */
struct money {
	const char *unit;
	double value;
};

extern const struct json_desc catalog_ref_desc; /* struct catalog_ref */
extern const struct json_desc money_desc;	/* struct money */

/* The first members of every catalogue record. */
#define CATALOG_HEAD                                                                               \
	RES_HEAD;                                                                                  \
	const char *name, *description;                                                            \
	const char *lifecycle_status; /* "inDesign", "active", "retired" */                        \
	struct time_period valid_for

struct catalog_record {
	CATALOG_HEAD;
};

struct product_catalog {
	CATALOG_HEAD;
	const char *catalog_type;
	struct json_array category; /* struct catalog_ref */
};

struct category {
	CATALOG_HEAD;
	const char *parent_id; /* NULL: a root */
	bool is_root;	       /* read only: no parent */
};

/* A value a characteristic may take (TMF CharacteristicValueSpecification). */
struct spec_char_value {
	const char *value_type;
	const cJSON *value;
	const char *unit_of_measure;
	bool is_default;
	struct time_period valid_for;
};

/* A characteristic of a specification: data volume, voice minutes, speed, … */
struct spec_char {
	const char *name, *description;
	const char *value_type;	  /* "string", "number", "integer", "boolean" */
	bool configurable;	  /* chosen when ordering */
	struct json_array values; /* struct spec_char_value */
};

struct product_specification {
	CATALOG_HEAD;
	const char *brand, *product_number;
	bool is_bundle;
	struct json_array characteristic; /* struct spec_char */
};

/* A step of a usage rate (telcrm): from its quantity (inclusive) to the next (exclusive;
 * 0: no end), at its price per unit. */
struct price_tier {
	double from, to;
	struct money price;
};

/* TMF Quantity: how much of what a usage price is for (1 minute, 1 MB). */
struct quantity {
	double amount;
	const char *units;
};

struct product_offering_price {
	CATALOG_HEAD;
	const char *price_type;	 /* "recurring", "oneTime", "usage", "discount" */
	const char *period_type; /* recurringChargePeriodType: "day", "week", "month", "year" */
	int64_t period_length;	 /* recurringChargePeriodLength (default 1) */
	struct money price;
	double percentage; /* a discount's share off, (0, 100] */
	struct quantity unit_of_measure;
	struct json_array tier;		    /* struct price_tier */
	struct json_array pop_relationship; /* struct catalog_ref: the prices a discount alters */
};

struct product_offering {
	CATALOG_HEAD;
	bool is_bundle, is_sellable;
	struct catalog_ref spec;    /* productSpecification */
	const char *spec_id;	    /* its column */
	struct json_array price;    /* productOfferingPrice: struct catalog_ref */
	struct json_array bundled;  /* bundledProductOffering: struct catalog_ref */
	struct json_array category; /* struct catalog_ref */
	struct json_array channel;  /* struct catalog_ref: where it is sold */
};

extern const struct res_desc product_catalog_res, category_res, product_specification_res,
	product_offering_price_res, product_offering_res;

/* The channels an offering is sold through, NULL-terminated. */
extern const char *const catalog_channels[];

#endif
