/*
 * libFuzzer target: arbitrary input into every validator of ident.h and every type of its
 * document table, and checks what it promises: a failure is CRM_EINVAL with the field, a
 * printable ASCII message and out left untouched; whatever is accepted validates again
 * from its canonical form to the same canonical form and facts. The input bytes also drive
 * the generators, whose results must validate to the parts they were made from, and build
 * residence permit and permanent resident ID numbers with their check characters.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/ident.h"
#include "core/time.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define FILL 0xa5

/* Reads the input cyclically, so that any input drives the generators. */
struct bytes {
	const uint8_t *p;
	size_t n, at;
};

static unsigned take(struct bytes *b)
{
	return b->n ? b->p[b->at++ % b->n] : 0;
}

static unsigned take16(struct bytes *b)
{
	unsigned hi = take(b);

	return hi << 8 | take(b);
}

static bool is_filled(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i] != FILL)
			return false;
	return true;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The failure contract: code, field, a message of printable ASCII only (no raw input). */
static void check_failure(int rc, const struct crm_err *err, const char *field)
{
	CHECK(rc == CRM_EINVAL);
	CHECK(err->code == CRM_EINVAL);
	CHECK(strcmp(err->field, field) == 0);
	CHECK(err->message[0] != '\0');
	for (const char *m = err->message; *m; m++)
		CHECK(*m >= ' ' && *m < 0x7f);
}

static void check_person(const char *s, int64_t today)
{
	struct ident_person p, q;
	struct crm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&p, FILL, sizeof(p));
	rc = ident_resident_id_check(s, today, NULL, &p, &err);
	if (rc) {
		check_failure(rc, &err, "idNumber");
		CHECK(is_filled(&p, sizeof(p)));
		return;
	}
	CHECK(err.code == 0);
	CHECK(strlen(p.canonical) == (p.legacy ? 15u : 18u));
	CHECK(strlen(p.id18) == 18 && strncmp(p.region, p.canonical, 6) == 0);
	CHECK(p.birth_days <= today && p.birth_days >= time_days_from_civil(1900, 1, 1));
	CHECK(p.birth_days ==
	      time_days_from_civil(p.birth_year, (unsigned)p.birth_month, (unsigned)p.birth_day));
	CHECK(p.sex == ((p.id18[16] - '0') % 2 ? IDENT_SEX_MALE : IDENT_SEX_FEMALE));
	CHECK(p.legacy || strcmp(p.id18, p.canonical) == 0);
	CHECK(strchr(p.canonical, 'x') == NULL);
	CHECK(ident_resident_id_check(p.canonical, today, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, p.canonical) == 0 && strcmp(q.id18, p.id18) == 0);
	CHECK(q.birth_days == p.birth_days && q.sex == p.sex && q.legacy == p.legacy);
	/* the 18-character form says the same */
	CHECK(ident_resident_id_check(p.id18, today, NULL, &q, NULL) == 0);
	CHECK(!q.legacy && strcmp(q.canonical, p.id18) == 0);
	CHECK(q.birth_days == p.birth_days && q.sex == p.sex && strcmp(q.region, p.region) == 0);
}

static void check_org(const char *s)
{
	struct ident_org o, q;
	struct crm_err err;
	char again[IDENT_USCC_LEN + 1];
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&o, FILL, sizeof(o));
	rc = ident_uscc_check(s, NULL, &o, &err);
	if (rc) {
		check_failure(rc, &err, "creditCode");
		CHECK(is_filled(&o, sizeof(o)));
		return;
	}
	CHECK(strlen(o.canonical) == IDENT_USCC_LEN);
	CHECK(ident_uscc_check(o.canonical, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, o.canonical) == 0);
	/* made again from its parts, the same code */
	{
		char org8[9];

		memcpy(org8, o.org_code, 8);
		org8[8] = '\0';
		CHECK(ident_uscc_make(again, o.authority, o.type, o.region, org8) == 0);
		CHECK(strcmp(again, o.canonical) == 0);
	}
}

static void check_mobile(const char *s)
{
	struct ident_mobile m, q;
	struct crm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&m, FILL, sizeof(m));
	rc = ident_mobile_check(s, NULL, &m, &err);
	if (rc) {
		check_failure(rc, &err, "mobile");
		CHECK(is_filled(&m, sizeof(m)));
		return;
	}
	CHECK(strlen(m.canonical) == IDENT_MOBILE_LEN && all_digits(m.canonical));
	CHECK(m.op != IDENT_OP_NONE && m.op == m.segment->op && m.network == m.segment->network);
	CHECK(strncmp(m.canonical, m.segment->prefix, strlen(m.segment->prefix)) == 0);
	CHECK(ident_mobile_check(m.canonical, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, m.canonical) == 0 && q.segment == m.segment);
}

static void check_fixed(const char *s)
{
	struct ident_fixed_line f, q;
	struct crm_err err;
	size_t na, nl, ne;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&f, FILL, sizeof(f));
	rc = ident_fixed_line_check(s, NULL, &f, &err);
	if (rc) {
		check_failure(rc, &err, "phone");
		CHECK(is_filled(&f, sizeof(f)));
		return;
	}
	na = strlen(f.area);
	nl = strlen(f.local);
	ne = strlen(f.ext);
	CHECK(strlen(f.canonical) <= IDENT_FIXED_LINE_MAX);
	CHECK((na == 3 && nl == 8) || (na == 4 && (nl == 7 || nl == 8)));
	CHECK(ne <= 6 && f.area[0] == '0' && all_digits(f.area) && all_digits(f.local));
	CHECK(f.local[0] >= '2' && (ne == 0 || all_digits(f.ext)));
	CHECK(strncmp(f.canonical, f.area, na) == 0 && f.canonical[na] == '-');
	CHECK(strncmp(f.canonical + na + 1, f.local, nl) == 0);
	CHECK(ne ? f.canonical[na + 1 + nl] == '-' && strcmp(f.canonical + na + 2 + nl, f.ext) == 0
		 : f.canonical[na + 1 + nl] == '\0');
	CHECK(ident_fixed_line_check(f.canonical, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, f.canonical) == 0);
	CHECK(strcmp(q.area, f.area) == 0 && strcmp(q.local, f.local) == 0);
	CHECK(strcmp(q.ext, f.ext) == 0);
}

static void check_email(const char *s)
{
	struct ident_email e, q;
	struct crm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&e, FILL, sizeof(e));
	rc = ident_email_check(s, NULL, &e, &err);
	if (rc) {
		check_failure(rc, &err, "email");
		CHECK(is_filled(&e, sizeof(e)));
		return;
	}
	/* the same address, only the domain lower-cased */
	CHECK(strlen(e.canonical) == strlen(s) && strlen(s) <= IDENT_EMAIL_MAX);
	CHECK(e.canonical[e.at] == '@' && memcmp(e.canonical, s, e.at + 1) == 0);
	for (size_t i = e.at + 1; s[i]; i++)
		CHECK(e.canonical[i] == (s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]));
	CHECK(ident_email_check(e.canonical, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, e.canonical) == 0 && q.at == e.at);
}

static bool is_upper_alnum(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static void check_residence_permit(const char *s, int64_t today)
{
	struct ident_person p, q;
	struct crm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&p, FILL, sizeof(p));
	rc = ident_residence_permit_check(s, today, NULL, &p, &err);
	if (rc) {
		check_failure(rc, &err, "idNumber");
		CHECK(is_filled(&p, sizeof(p)));
		return;
	}
	CHECK(!p.legacy && strlen(p.canonical) == 18 && strcmp(p.canonical, p.id18) == 0);
	CHECK(strcmp(p.region, "810000") == 0 || strcmp(p.region, "820000") == 0 ||
	      strcmp(p.region, "830000") == 0);
	CHECK(p.birth_days <= today && p.birth_days >= time_days_from_civil(1900, 1, 1));
	/* a residence permit number is also a valid resident id number, the same */
	CHECK(ident_resident_id_check(p.canonical, today, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, p.canonical) == 0 && q.birth_days == p.birth_days);
	CHECK(ident_residence_permit_check(p.canonical, today, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, p.canonical) == 0 && q.sex == p.sex);
}

static void check_foreigner(const char *s, int64_t today)
{
	struct ident_foreigner f, q;
	struct crm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&f, FILL, sizeof(f));
	rc = ident_permanent_residence_check(s, today, NULL, &f, &err);
	if (rc) {
		check_failure(rc, &err, "idNumber");
		CHECK(is_filled(&f, sizeof(f)));
		return;
	}
	CHECK(strlen(f.canonical) == (f.legacy ? 15u : 18u) && is_upper_alnum(f.canonical));
	CHECK(f.legacy ? strncmp(f.canonical, f.nationality, 3) == 0
		       : f.canonical[0] == '9' && strncmp(f.canonical + 3, f.nationality, 3) == 0);
	CHECK(strlen(f.province) == 2 && f.province[0] >= '1' && f.province[0] <= '6');
	CHECK(f.birth_days <= today && f.birth_days >= time_days_from_civil(1900, 1, 1));
	CHECK(f.birth_days ==
	      time_days_from_civil(f.birth_year, (unsigned)f.birth_month, (unsigned)f.birth_day));
	CHECK(f.legacy ? f.sex == 0 : f.sex == IDENT_SEX_MALE || f.sex == IDENT_SEX_FEMALE);
	CHECK(ident_permanent_residence_check(f.canonical, today, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, f.canonical) == 0 && q.birth_days == f.birth_days);
	CHECK(q.legacy == f.legacy && strcmp(q.province, f.province) == 0);
}

static void check_passport(const char *s)
{
	struct ident_passport pp, q;
	struct crm_err err;
	size_t n;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&pp, FILL, sizeof(pp));
	rc = ident_passport_check(s, NULL, &pp, &err);
	if (rc) {
		check_failure(rc, &err, "passport");
		CHECK(is_filled(&pp, sizeof(pp)));
		return;
	}
	n = strlen(pp.canonical);
	CHECK(n >= IDENT_PASSPORT_MIN && n <= IDENT_PASSPORT_MAX && n == strlen(s));
	CHECK(is_upper_alnum(pp.canonical) && strpbrk(pp.canonical, "0123456789"));
	for (size_t i = 0; i < n; i++)
		CHECK(pp.canonical[i] == (s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]));
	if (pp.chinese)
		CHECK(n == 9 && (pp.canonical[0] == 'E' || pp.canonical[0] == 'G'));
	CHECK(ident_passport_check(pp.canonical, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, pp.canonical) == 0 && q.chinese == pp.chinese);
}

static void check_permit(const char *s, bool tw)
{
	struct ident_travel_permit t, q;
	struct crm_err err;
	size_t n;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&t, FILL, sizeof(t));
	rc = tw ? ident_travel_permit_tw_check(s, NULL, &t, &err)
		: ident_travel_permit_hkmo_check(s, NULL, &t, &err);
	if (rc) {
		check_failure(rc, &err, "permitNumber");
		CHECK(is_filled(&t, sizeof(t)));
		return;
	}
	n = strlen(t.canonical);
	CHECK(strncmp(t.canonical, t.lifelong, strlen(t.lifelong)) == 0);
	if (tw) {
		CHECK(strlen(t.lifelong) == 8 && all_digits(t.lifelong));
		CHECK(t.office ? n == 13 && t.canonical[10] == '(' && t.canonical[11] == t.office &&
					 t.canonical[12] == ')'
			       : n == 8 || n == 10);
	} else {
		CHECK(strlen(t.lifelong) == 9 && (t.lifelong[0] == 'H' || t.lifelong[0] == 'M'));
		CHECK((n == 9 || n == 11) && all_digits(t.canonical + 1) && !t.office);
	}
	CHECK(t.issue >= -1 && t.issue <= 99 && (t.issue >= 0) == (n > 9));
	CHECK(tw ? ident_travel_permit_tw_check(t.canonical, NULL, &q, NULL) == 0
		 : ident_travel_permit_hkmo_check(t.canonical, NULL, &q, NULL) == 0);
	CHECK(strcmp(q.canonical, t.canonical) == 0 && q.issue == t.issue && q.office == t.office);
}

static void check_service_id(const char *s)
{
	struct ident_service_id v, q;
	struct crm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&v, FILL, sizeof(v));
	rc = ident_military_id_check(s, NULL, &v, &err);
	CHECK((ident_armed_police_id_check(s, NULL, NULL, NULL) == 0) == (rc == 0));
	if (rc) {
		check_failure(rc, &err, "idNumber");
		CHECK(is_filled(&v, sizeof(v)));
		return;
	}
	/* the value as given, letters, digits and Chinese characters only */
	CHECK(strcmp(v.canonical, s) == 0 && v.chars >= 6 && v.chars <= 20);
	for (const char *p = s; *p; p++)
		CHECK((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'));
	CHECK(ident_military_id_check(v.canonical, NULL, &q, NULL) == 0 && q.chars == v.chars);
}

/* Every type of the table: its check accepts what the validator above accepts, and the
 * stored number is valid under the stored type and stays the same. */
static void check_documents(const char *s, int64_t today)
{
	for (size_t i = 0; i < ident_document_type_count; i++) {
		const struct ident_document_type *t = &ident_document_types[i];
		struct ident_document d, q;
		struct crm_err err;
		int rc;

		memset(&err, 0, sizeof(err));
		memset(&d, FILL, sizeof(d));
		rc = ident_document_check(t->name, s, today, "f", &d, &err);
		if (rc) {
			check_failure(rc, &err, "f");
			CHECK(is_filled(&d, sizeof(d)));
			continue;
		}
		CHECK(d.type == t && strlen(d.canonical) <= IDENT_DOCUMENT_MAX);
		CHECK(ident_document_check(t->stored_as, d.canonical, today, NULL, &q, NULL) == 0);
		CHECK(strcmp(q.canonical, d.canonical) == 0);
		if (t->key == IDENT_KEY_CITIZEN)
			CHECK(strlen(d.canonical) == 18);
	}
}

/* Whether the 8 digits at p (YYYYMMDD) are a real date. */
static bool civil_ok(const char *p)
{
	int y = 0, m, d, dim;

	for (int i = 0; i < 4; i++)
		y = y * 10 + (p[i] - '0');
	m = (p[4] - '0') * 10 + (p[5] - '0');
	d = (p[6] - '0') * 10 + (p[7] - '0');
	if (m < 1 || m > 12)
		return false;
	dim = time_days_in_month(y, m);
	return d >= 1 && d <= dim;
}

/* Province-level codes to build regions from; some not accepted, to reach the refusals. */
static const char *const two_digits[] = {"11", "35", "44", "65", "71", "81", "82",
					 "83", "91", "10", "16", "99", "00"};

static void make_region(struct bytes *b, char region[7])
{
	const char *two = two_digits[take(b) % (sizeof(two_digits) / sizeof(two_digits[0]))];

	region[0] = two[0];
	region[1] = two[1];
	for (int i = 2; i < 6; i++)
		region[i] = (char)('0' + take(b) % 10);
	region[6] = '\0';
}

static void check_generators(struct bytes *b)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char region[7], out[IDENT_RESIDENT_ID_LEN + 1];

	/* resident id numbers: valid as of the birth date itself */
	{
		int y = 1890 + (int)(take16(b) % 8200), m = (int)(take(b) % 14),
		    d = (int)(take(b) % 33), seq = (int)(take16(b) % 1100) - 50;
		struct ident_person p;

		make_region(b, region);
		if (ident_resident_id_make(out, region, y, m, d, seq) == 0) {
			int64_t born = time_days_from_civil(y, (unsigned)m, (unsigned)d);

			CHECK(ident_resident_id_check(out, born, NULL, &p, NULL) == 0);
			CHECK(strcmp(p.canonical, out) == 0 && strcmp(p.region, region) == 0);
			CHECK(p.birth_year == y && p.birth_month == m && p.birth_day == d);
			CHECK(p.sex == (seq % 2 ? IDENT_SEX_MALE : IDENT_SEX_FEMALE));
			CHECK(ident_resident_id_check(out, born - 1, NULL, NULL, NULL) ==
			      CRM_EINVAL);
		}
	}
	/* residence permits: resident id numbers of the three regions */
	{
		static const char *const rp[] = {"810000", "820000", "830000"};
		int y = 1900 + (int)(take16(b) % 126), m = 1 + (int)(take(b) % 12),
		    d = 1 + (int)(take(b) % 28), seq = (int)(take16(b) % 1000);
		struct ident_person p;

		CHECK(ident_resident_id_make(out, rp[take(b) % 3], y, m, d, seq) == 0);
		CHECK(ident_residence_permit_check(out, time_days_from_civil(2026, 6, 15), NULL, &p,
						   NULL) == 0);
		CHECK(strcmp(p.canonical, out) == 0 && p.birth_year == y);
	}
	/* permanent resident IDs, 2023: 9, a mainland province, a nationality, GB 11643 */
	{
		/* the first four are mainland provinces, the others not */
		static const char *const prov[] = {"11", "31", "44", "65", "71", "81", "10"};
		size_t k = take(b) % (sizeof(prov) / sizeof(prov[0]));
		const char *pv = prov[k];
		char id[IDENT_PERMANENT_RESIDENCE_LEN + 1];
		struct ident_foreigner f;
		int sum = 0, rc;

		id[0] = '9';
		memcpy(id + 1, pv, 2);
		for (int i = 3; i < 17; i++)
			id[i] = (char)('0' + take(b) % 10);
		memcpy(id + 6, "1988", 4); /* a year that is in range; month and day vary */
		for (int i = 0; i < 17; i++)
			sum += (id[i] - '0') * ((1 << (17 - i)) % 11);
		id[17] = "10X98765432"[sum % 11];
		id[18] = '\0';
		rc = ident_permanent_residence_check(id, time_days_from_civil(2026, 6, 15), NULL,
						     &f, NULL);
		if (k < 4 && civil_ok(id + 6))
			CHECK(rc == 0 && strcmp(f.canonical, id) == 0 && !f.legacy);
		else
			CHECK(rc == CRM_EINVAL);
	}
	/* permanent resident IDs, 2017: letters, place, YYMMDD, sequence, ICAO check digit */
	{
		char id[IDENT_PERMANENT_RESIDENCE_LEGACY_LEN + 1], yymmdd[9];
		static const int w[3] = {7, 3, 1};
		struct ident_foreigner f;
		int sum = 0;

		for (int i = 0; i < 3; i++)
			id[i] = (char)('A' + take(b) % 26);
		memcpy(id + 3, "4401", 4);
		snprintf(id + 7, 8, "%02u%02u%02u%u", take(b) % 100, 1 + take(b) % 12,
			 1 + take(b) % 28, take(b) % 10);
		for (int i = 0; i < 14; i++)
			sum += (id[i] <= '9' ? id[i] - '0' : id[i] - 'A' + 10) * w[i % 3];
		id[14] = (char)('0' + sum % 10);
		id[15] = '\0';
		CHECK(ident_permanent_residence_check(id, time_days_from_civil(2026, 6, 15), NULL,
						      &f, NULL) == 0);
		CHECK(f.legacy && strcmp(f.canonical, id) == 0);
		snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", f.birth_year % 100, f.birth_month,
			 f.birth_day);
		CHECK(memcmp(yymmdd, id + 7, 6) == 0);
	}
	/* social credit codes */
	{
		char authority = alphabet[take(b) % 31], type = alphabet[take(b) % 10], org8[9];
		struct ident_org o;

		make_region(b, region);
		for (int i = 0; i < 8; i++)
			org8[i] = alphabet[take(b) % 31];
		org8[8] = '\0';
		if (ident_uscc_make(out, authority, type, region, org8) == 0) {
			CHECK(ident_uscc_check(out, NULL, &o, NULL) == 0);
			CHECK(strcmp(o.canonical, out) == 0 && strcmp(o.region, region) == 0);
			CHECK(o.authority == authority && o.type == type);
			CHECK(memcmp(o.org_code, org8, 8) == 0);
		}
	}
	/* mobile numbers: every row that is not satellite makes valid numbers in that row */
	{
		const struct ident_mobile_segment *seg =
			&ident_mobile_segments[take16(b) % ident_mobile_segment_count];
		uint32_t sub = (uint32_t)take16(b) << 16 | take16(b);
		struct ident_mobile mo;
		int rc = ident_mobile_make(out, seg->prefix, sub);

		if (seg->op == IDENT_OP_NONE) {
			CHECK(rc == CRM_EINVAL);
		} else {
			CHECK(rc == 0);
			CHECK(ident_mobile_check(out, NULL, &mo, NULL) == 0);
			CHECK(strcmp(mo.canonical, out) == 0 && mo.segment == seg);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int64_t today, early;
	struct bytes b = {data, size, 0};
	char *s;

	if (!today) {
		today = time_days_from_civil(2026, 6, 15);
		early = time_days_from_civil(1950, 1, 1);
	}
	/* an exact-size copy, so that ASan sees any read past the end */
	s = malloc(size + 1);
	CHECK(s);
	memcpy(s, data, size);
	s[size] = '\0';

	check_person(s, today);
	check_person(s, early);
	check_org(s);
	check_mobile(s);
	check_fixed(s);
	check_email(s);
	check_residence_permit(s, today);
	check_foreigner(s, today);
	check_foreigner(s, early);
	check_passport(s);
	check_permit(s, false);
	check_permit(s, true);
	check_service_id(s);
	check_documents(s, today);
	check_generators(&b);
	free(s);
	return 0;
}
