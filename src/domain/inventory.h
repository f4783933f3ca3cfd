/*
 * What a customer has (docs/inventory.md), resources of the layer (resource.h):
 *
 *   billing and party accounts (TMF666, /tmf-api/accountManagement/v4/): a customer's,
 *     named in its relatedParty; a billing account of an enterprise pays for its members'
 *     accounts (accountRelationship "parent");
 *   products (TMF637, /tmf-api/productInventory/v4/product): a line — mobile (MSISDN,
 *     ICCID, IMSI), fixed line, broadband, IPTV — or what sits on one (a value-added
 *     service, a data pack: parentId), with the offering and the prices it was bought at;
 *     created → pendingActive → active ⇄ suspended → pendingTerminate → terminated;
 *   the number pool (/api/v1/numbers): MSISDNs of a city, free, reserved for a customer
 *     until a time, in use by a line, or in quarantine after one ended; premium numbers
 *     (靓号) with a level and a minimum monthly spend.
 *
 * Accounts and products sit in their customer's unit and follow it; numbers in their
 * city's. A mobile line takes its number from the pool and gives it back to quarantine
 * when terminated; an identification number holds at most five mobile lines (一证五号),
 * checked on every new line and every transfer.
 */
#ifndef CRM_INVENTORY_H
#define CRM_INVENTORY_H

#include "domain/catalog.h"
#include "domain/party.h"

/* At most this many live mobile lines per identification number (一证五号). */
#define INVENTORY_LINES_PER_ID 5
/* The days a number rests after its line ends, unless configured. */
#define INVENTORY_QUARANTINE_DAYS 90

/* TMF AccountBalance: what billing reports. */
struct account_balance {
	const char *balance_type; /* "receivable", "deposit", "credit", … */
	struct money amount;
	struct time_period valid_for;
};

/* TMF BillingCycleSpecification, the members telcrm keeps. */
struct bill_cycle {
	const char *name;
	const char *frequency;	    /* "monthly" */
	int64_t billing_date_shift; /* the bill day of the month, 1 to 28 */
	int64_t payment_due_offset; /* paymentDueDateOffset: days from the bill to its due date */
};

struct bill_structure {
	struct bill_cycle cycle; /* cycleSpecification */
};

/* TMF AccountRelationship: "parent" names the account that pays for this one. */
struct account_relationship {
	const char *relationship_type;
	struct catalog_ref account; /* AccountRef (id, href, name, @referredType) */
	struct time_period valid_for;
};

struct account {
	RES_HEAD; /* row.org_id: the customer's unit */
	const char *name, *description;
	const char *account_type;   /* free text: "individual", "enterprise", … */
	const char *state;	    /* "active", "suspended", "closed" */
	const char *payment_status; /* as billing reports it */
	const char *rating_type;    /* "prepaid", "postpaid" */
	const char *payment_method; /* paymentMethodType: how the bills are paid */
	struct money credit_limit;
	struct json_array balance; /* accountBalance: struct account_balance */
	struct bill_structure bill_structure;
	struct json_array relationship;	 /* accountRelationship: struct account_relationship */
	struct json_array related_party; /* struct party_ref: the customer among them */
	const char *customer_id;	 /* derived: the customer's id (its column) */
	const char *parent_id;		 /* derived: the "parent" relationship's account */
};

/* TMF Characteristic of a product: a name and its value. */
struct product_char {
	const char *name, *value_type;
	const cJSON *value;
};

/* TMF ProductPrice: a price the product was bought at. */
struct product_price {
	const char *name, *description;
	const char *price_type;		   /* "recurring", "oneTime", "usage" */
	const char *period;		   /* recurringChargePeriod: "month", … */
	const char *unit_of_measure;	   /* a usage price's unit */
	struct money price;		   /* price.taxIncludedAmount */
	struct catalog_ref offering_price; /* productOfferingPrice */
};

/* TMF RelatedPlaceRefOrValue: a broadband line's installation address, say. */
struct product_place {
	const char *id, *name, *role;
};

/* A reference to an offering with the version bought. */
struct offering_ref {
	const char *id, *href, *name, *referred_type;
	int64_t version;
};

struct product {
	RES_HEAD; /* row.org_id: the customer's unit */
	const char *name, *description;
	const char *status;
	const char *product_type; /* "mobile", "fixedLine", "broadband", "iptv", "valueAdded",
				     "dataPack" */
	bool is_bundle;
	const char *serial_number; /* productSerialNumber: a broadband account's name, a fixed
				      line's number */
	const char *msisdn, *iccid, *imsi;
	int64_t order_ms, start_ms, termination_ms;
	struct offering_ref offering;	  /* productOffering */
	const char *offering_id;	  /* its column */
	struct catalog_ref account;	  /* billingAccount */
	const char *account_id;		  /* its column */
	const char *parent_id;		  /* the line a value-added service or data pack is on */
	struct json_array price;	  /* productPrice: struct product_price */
	struct json_array characteristic; /* productCharacteristic: struct product_char */
	struct json_array place;	  /* struct product_place */
	struct json_array related_party;  /* struct party_ref: the customer among them */
	const char *customer_id;	  /* derived: the customer's id (its column) */
	const char *party_id;		  /* derived: the customer's engaged party */
};

struct pool_number {
	RES_HEAD;		  /* row.id: the MSISDN; row.org_id: its city */
	const char *status;	  /* "free", "reserved", "inUse", "quarantined" */
	const char *ending;	  /* derived: its last four digits */
	int64_t premium_level;	  /* 0: an ordinary number; 1 to 5: premium, 5 the rarest */
	struct money min_spend;	  /* minMonthlySpend: what a premium number's plan must cost */
	const char *reserved_for; /* reservedFor: the customer's id */
	int64_t reserved_until_ms;
	const char *product_id; /* the line using it */
	int64_t quarantine_until_ms;
	const char *note;
};

extern const struct res_desc billing_account_res, party_account_res, product_res, pool_number_res;

/* The monthly fee of a product's prices: its recurring prices per month, summed. */
double inventory_monthly_fee(const struct product *p);

/* The days a number rests in quarantine after its line ends (serve's --quarantine-days;
 * INVENTORY_QUARANTINE_DAYS unless set). Thread-safe. */
int inventory_quarantine_days(void);
void inventory_quarantine_days_set(int days);

#endif
