/*
 * Synthetic people and companies for `telcrm demo`: Chinese names (with a share of foreign
 * ones), resident ID numbers with valid check characters and birth dates that match the
 * age, mobile numbers in real operator segments, addresses in the districts of the demo
 * org tree's cities, companies with valid social credit codes. Deterministic: the same
 * seed gives the same people, on any machine. Private to src/cli.
 */
#ifndef CRM_DEMO_PEOPLE_H
#define CRM_DEMO_PEOPLE_H

#include <stdbool.h>
#include <stdint.h>

/* splitmix64: small, fast, good enough for demo data, and the same everywhere. */
struct demo_rng {
	uint64_t s;
};
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n). */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);

/* A city of the demo org tree with its districts (region codes as on ID cards). */
struct demo_district {
	const char *code; /* "440106" */
	const char *name; /* "天河区" */
};
struct demo_city {
	const char *org_code;  /* "GD-GZ" */
	const char *province;  /* "广东省" */
	const char *city;      /* "广州市" */
	const char *area_code; /* fixed-line area code: "020" */
	struct demo_district districts[4];
};
extern const struct demo_city demo_cities[];
extern const int demo_city_count;

struct demo_person {
	char family_name[32];
	char given_name[32];
	char full_name[64]; /* 王芳; "John Smith" for foreigners */
	bool foreign;
	char nationality[3]; /* ISO 3166 alpha-2: CN, US, ... */
	int sex;	     /* 1 male, 2 female (GB/T 2261.1) */
	int birth_year, birth_month, birth_day;
	char id_type[16];   /* "residentId" or "passport" */
	char id_number[24]; /* valid check character for resident IDs */
	char mobile[12];
	char email[64]; /* empty for about half of the people */
	const struct demo_city *city;
	const struct demo_district *district;
	char street[64]; /* "体育西路103号2栋1204室" */
};

/* Keeps every identifier the generator hands out unique, as real ones are: resident ID
 * sequence numbers per district and birth date, passport numbers. */
struct demo_ids;
struct demo_ids *demo_ids_new(int today_y);
void demo_ids_free(struct demo_ids *ids);

/* A person living in city, aged 18 to 85 in today_y, with identifiers unique among those
 * drawn from ids. */
void demo_person_make(struct demo_rng *r, struct demo_ids *ids, const struct demo_city *city,
		      int today_y, struct demo_person *out);

struct demo_company {
	char name[96]; /* "广州市恒信科技有限公司" */
	char trading_name[48];
	char credit_code[19]; /* unified social credit code, valid */
	const struct demo_city *city;
	const struct demo_district *district;
	char street[64];
	char phone[24]; /* a fixed line: "020-87654321" */
};

void demo_company_make(struct demo_rng *r, const struct demo_city *city, struct demo_company *out);

#endif
