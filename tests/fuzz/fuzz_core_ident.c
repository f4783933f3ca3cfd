/*
 * libFuzzer target: arbitrary input into every validator of ident.h, and checks what it
 * promises: a failure is CRM_EINVAL with the field, a printable ASCII message and out left
 * untouched; whatever is accepted validates again from its canonical form to the same
 * canonical form and facts. The input bytes also drive the generators, whose results must
 * validate to the parts they were made from.
 */
#include <stdbool.h>
#include <stdint.h>
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
	check_generators(&b);
	free(s);
	return 0;
}
