/*
 * Validation and generation of identifiers (rules in ident.h). Everything is byte-wise
 * ASCII, so no locale is involved; results are written only once a value is known to be
 * valid, into the caller's fixed-size records.
 */
#include "core/ident.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/time.h"
#include "core/banned.h"

#define MS_PER_DAY    86400000
#define CST_OFFSET_MS (8 * 3600000) /* China Standard Time, UTC+8 */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_alpha(char c)
{
	return is_upper(c) || is_lower(c);
}

static char to_upper(char c)
{
	return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

static char to_lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* Printable ASCII other than the quote: safe to show between single quotes. */
static bool is_showable(char c)
{
	return c > ' ' && c < 0x7f && c != '\'';
}

/* Characters (UTF-8 code points, an invalid byte counting as one) in s, for messages. */
static size_t count_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/*
 * Character i + 1 of s, which has n bytes and chars characters, when it is one ASCII byte,
 * else '\0'. Until the first non-ASCII byte, byte i is character i + 1; continuation bytes
 * after the last ASCII byte belong to the last character, which is then not ASCII.
 */
static char ascii_at(const char *s, size_t n, size_t chars, size_t i)
{
	if (i >= n || (unsigned char)s[i] >= 0x80 || (i + 1 == chars && n > chars))
		return '\0';
	return s[i];
}

int64_t ident_today(int64_t now_ms)
{
	int64_t t = now_ms + CST_OFFSET_MS;

	return t >= 0 ? t / MS_PER_DAY : -((-t + MS_PER_DAY - 1) / MS_PER_DAY);
}

/* ---- province-level codes ----------------------------------------------------------- */

#define IN_ID	0x1 /* first two digits of a resident id number */
#define IN_USCC 0x2 /* first two digits of a social credit code's region */

/* GB/T 2260 province-level codes, and the few more that id numbers and credit codes use. */
static const struct province {
	char code[3];
	unsigned in;
} provinces[] = {
	{"10", IN_USCC},	 /* the whole country: national registration authorities */
	{"11", IN_ID | IN_USCC}, /* 北京 */
	{"12", IN_ID | IN_USCC}, /* 天津 */
	{"13", IN_ID | IN_USCC}, /* 河北 */
	{"14", IN_ID | IN_USCC}, /* 山西 */
	{"15", IN_ID | IN_USCC}, /* 内蒙古 */
	{"21", IN_ID | IN_USCC}, /* 辽宁 */
	{"22", IN_ID | IN_USCC}, /* 吉林 */
	{"23", IN_ID | IN_USCC}, /* 黑龙江 */
	{"31", IN_ID | IN_USCC}, /* 上海 */
	{"32", IN_ID | IN_USCC}, /* 江苏 */
	{"33", IN_ID | IN_USCC}, /* 浙江 */
	{"34", IN_ID | IN_USCC}, /* 安徽 */
	{"35", IN_ID | IN_USCC}, /* 福建 */
	{"36", IN_ID | IN_USCC}, /* 江西 */
	{"37", IN_ID | IN_USCC}, /* 山东 */
	{"41", IN_ID | IN_USCC}, /* 河南 */
	{"42", IN_ID | IN_USCC}, /* 湖北 */
	{"43", IN_ID | IN_USCC}, /* 湖南 */
	{"44", IN_ID | IN_USCC}, /* 广东 */
	{"45", IN_ID | IN_USCC}, /* 广西 */
	{"46", IN_ID | IN_USCC}, /* 海南 */
	{"50", IN_ID | IN_USCC}, /* 重庆 */
	{"51", IN_ID | IN_USCC}, /* 四川 */
	{"52", IN_ID | IN_USCC}, /* 贵州 */
	{"53", IN_ID | IN_USCC}, /* 云南 */
	{"54", IN_ID | IN_USCC}, /* 西藏 */
	{"61", IN_ID | IN_USCC}, /* 陕西 */
	{"62", IN_ID | IN_USCC}, /* 甘肃 */
	{"63", IN_ID | IN_USCC}, /* 青海 */
	{"64", IN_ID | IN_USCC}, /* 宁夏 */
	{"65", IN_ID | IN_USCC}, /* 新疆 */
	{"71", IN_ID | IN_USCC}, /* 台湾 */
	{"81", IN_ID | IN_USCC}, /* 香港: Hong Kong residents' residence permits */
	{"82", IN_ID | IN_USCC}, /* 澳门: Macao residents' residence permits */
	{"83", IN_ID},		 /* Taiwan residents' residence permits */
	{"91", IN_ID},		 /* abroad, as common validators keep it; not in GB/T 2260 */
};

static bool province_ok(const char *two, unsigned in)
{
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (provinces[i].code[0] == two[0] && provinces[i].code[1] == two[1])
			return (provinces[i].in & in) != 0;
	return false;
}

/* ---- resident id numbers ------------------------------------------------------------ */

/* ISO 7064 MOD 11-2: weight of position i (0-based) is 2^(17-i) mod 11. */
static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

/* The check character of 17 digits. */
static char id_check_char(const char *d17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * id_weights[i];
	return "10X98765432"[sum % 11];
}

static bool civil_date_ok(int y, int m, int d)
{
	return d >= 1 && d <= time_days_in_month(y, m);
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * What differs between the numbers of GB 11643's 18-character form (resident ids, the
 * residence permits of Hong Kong, Macao and Taiwan residents, foreigners' permanent
 * resident IDs of 2023): what messages call them, whether the 15-character form exists,
 * and the check of the first six characters (all digits when it runs).
 */
struct gb11643_form {
	const char *a_noun; /* "an ID number" */
	const char *noun;   /* "ID number" */
	bool legacy;	    /* the 15-character form is valid */
	int (*region)(const char *s, const char *field, const struct gb11643_form *form,
		      struct crm_err *err);
};

static int region_province(const char *s, const char *field, const struct gb11643_form *form,
			   struct crm_err *err)
{
	if (!province_ok(s, IN_ID))
		return crm_err_set(err, CRM_EINVAL, field,
				   "region code %.2s in the %s is not a province", s, form->noun);
	return 0;
}

static int gb11643_check(const char *s, int64_t today_days, const char *field,
			 const struct gb11643_form *form, struct ident_person *out,
			 struct crm_err *err)
{
	struct ident_person p;
	size_t n, chars;
	bool legacy;
	int y, m, d, rc;
	char last;

	n = strlen(s);
	chars = count_chars(s);
	if (chars != IDENT_RESIDENT_ID_LEN &&
	    !(form->legacy && chars == IDENT_RESIDENT_ID_LEGACY_LEN))
		return crm_err_set(err, CRM_EINVAL, field, "%s has 18 characters, not %zu",
				   form->a_noun, chars);
	legacy = chars == IDENT_RESIDENT_ID_LEGACY_LEN;
	for (size_t i = 0; i < chars; i++) {
		bool last_of_18 = !legacy && i == IDENT_RESIDENT_ID_LEN - 1;
		char c = ascii_at(s, n, chars, i);

		if (is_digit(c) || (last_of_18 && (c == 'X' || c == 'x')))
			continue;
		if (last_of_18)
			return crm_err_set(err, CRM_EINVAL, field,
					   "the last character of the %s is not a digit or 'X'",
					   form->noun);
		return crm_err_set(err, CRM_EINVAL, field, "character %zu of the %s is not a digit",
				   i + 1, form->noun);
	}

	memset(&p, 0, sizeof(p));
	memcpy(p.canonical, s, chars);
	if (legacy) {
		memcpy(p.id18, s, 6);
		memcpy(p.id18 + 6, "19", 2);
		memcpy(p.id18 + 8, s + 6, 9);
	} else {
		memcpy(p.id18, s, 17);
	}
	p.id18[17] = id_check_char(p.id18);
	if ((rc = form->region(s, field, form, err)))
		return rc;
	y = num(p.id18 + 6, 4);
	m = num(p.id18 + 10, 2);
	d = num(p.id18 + 12, 2);
	if (!civil_date_ok(y, m, d))
		return crm_err_set(err, CRM_EINVAL, field,
				   "birth date %.8s in the %s is not a date", p.id18 + 6,
				   form->noun);
	if (y < 1900)
		return crm_err_set(err, CRM_EINVAL, field,
				   "birth date %.8s in the %s is before 1900", p.id18 + 6,
				   form->noun);
	p.birth_days = time_days_from_civil(y, (unsigned)m, (unsigned)d);
	if (p.birth_days > today_days)
		return crm_err_set(err, CRM_EINVAL, field,
				   "birth date %.8s in the %s is in the future", p.id18 + 6,
				   form->noun);
	if (!legacy) {
		last = to_upper(s[17]);
		if (last != p.id18[17])
			return crm_err_set(err, CRM_EINVAL, field,
					   "%s check character should be '%c', not '%c'",
					   form->noun, p.id18[17], s[17]);
		p.canonical[17] = last;
	}
	memcpy(p.region, s, 6);
	p.birth_year = y;
	p.birth_month = m;
	p.birth_day = d;
	p.sex = (p.id18[16] - '0') % 2 ? IDENT_SEX_MALE : IDENT_SEX_FEMALE;
	p.legacy = legacy;
	if (out)
		*out = p;
	return 0;
}

static const struct gb11643_form resident_id_form = {"an ID number", "ID number", true,
						     region_province};

int ident_resident_id_check(const char *s, int64_t today_days, const char *field,
			    struct ident_person *out, struct crm_err *err)
{
	return gb11643_check(s ? s : "", today_days, field ? field : "idNumber", &resident_id_form,
			     out, err);
}

int ident_resident_id_make(char out[IDENT_RESIDENT_ID_LEN + 1], const char *region6, int y, int m,
			   int d, int seq3)
{
	char buf[IDENT_RESIDENT_ID_LEN + 1];

	if (!region6 || strlen(region6) != 6 || !all_digits(region6, 6) ||
	    !province_ok(region6, IN_ID) || y < 1900 || y > 9999 || !civil_date_ok(y, m, d) ||
	    seq3 < 0 || seq3 > 999)
		return CRM_EINVAL;
	memcpy(buf, region6, 6);
	for (int i = 0, v = y; i < 4; i++, v /= 10)
		buf[9 - i] = (char)('0' + v % 10);
	buf[10] = (char)('0' + m / 10);
	buf[11] = (char)('0' + m % 10);
	buf[12] = (char)('0' + d / 10);
	buf[13] = (char)('0' + d % 10);
	buf[14] = (char)('0' + seq3 / 100);
	buf[15] = (char)('0' + seq3 / 10 % 10);
	buf[16] = (char)('0' + seq3 % 10);
	buf[17] = id_check_char(buf);
	buf[18] = '\0';
	memcpy(out, buf, sizeof(buf));
	return 0;
}

/* ---- unified social credit codes ------------------------------------------------------ */

/* GB 32100: the 31 characters of the code, in the order of their values 0-30. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB/T 17710 MOD 31-3: weight of position i is 3^i mod 31. */
static const int uscc_weights[17] = {1,	 3,  9,	 27, 19, 26, 16, 17, 20,
				     29, 25, 13, 8,  24, 10, 30, 28};

/* GB 11714 organisation code weights. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Registration authorities and the organisation types each registers (see ident.h). */
static const struct uscc_authority {
	char code;
	const char *types;
} uscc_authorities[] = {
	{'1', "1239"},	 /* 机构编制 establishment offices */
	{'2', "19"},	 /* 外交 foreign affairs */
	{'3', "123459"}, /* 司法行政 justice */
	{'4', "19"},	 /* 文化 culture */
	{'5', "1239"},	 /* 民政 civil affairs */
	{'6', "129"},	 /* 旅游 tourism */
	{'7', "129"},	 /* 宗教 religious affairs */
	{'8', "19"},	 /* 工会 trade unions */
	{'9', "123"},	 /* 工商 market regulation */
	{'A', "19"},	 /* 中央军委改革和编制办公室 military establishment office */
	{'N', "1239"},	 /* 农业 agriculture */
	{'Y', "1"},	 /* 其他 other */
};

/* The value of c in the code's alphabet, or -1. */
static int uscc_value(char c)
{
	const char *p;

	if (!c)
		return -1;
	p = strchr(uscc_alphabet, c);
	return p ? (int)(p - uscc_alphabet) : -1;
}

static const struct uscc_authority *uscc_authority(char c)
{
	for (size_t i = 0; i < sizeof(uscc_authorities) / sizeof(uscc_authorities[0]); i++)
		if (uscc_authorities[i].code == c)
			return &uscc_authorities[i];
	return NULL;
}

static bool uscc_type_ok(const struct uscc_authority *a, char type)
{
	return a && type && strchr(a->types, type) != NULL;
}

/* The organisation code's check character over 8 upper-case characters of the alphabet;
 * letters count by their place in the Latin alphabet, A=10 ... Z=35. */
static char org_check_char(const char *c8)
{
	int sum = 0, r;

	for (int i = 0; i < 8; i++)
		sum += (is_digit(c8[i]) ? c8[i] - '0' : c8[i] - 'A' + 10) * org_weights[i];
	r = 11 - sum % 11;
	return r == 10 ? 'X' : r == 11 ? '0' : (char)('0' + r);
}

/* The final check character over 17 upper-case characters of the alphabet. */
static char uscc_check_char(const char *c17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += uscc_value(c17[i]) * uscc_weights[i];
	return uscc_alphabet[(31 - sum % 31) % 31];
}

int ident_uscc_check(const char *s, const char *field, struct ident_org *out, struct crm_err *err)
{
	struct ident_org o;
	const struct uscc_authority *a;
	char c[IDENT_USCC_LEN + 1], want;
	size_t n, chars;

	if (!s)
		s = "";
	if (!field)
		field = "creditCode";
	n = strlen(s);
	chars = count_chars(s);
	if (chars != IDENT_USCC_LEN)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a social credit code has 18 characters, not %zu", chars);
	for (size_t i = 0; i < IDENT_USCC_LEN; i++) {
		char ch = ascii_at(s, n, chars, i);

		c[i] = to_upper(ch);
		if (uscc_value(c[i]) >= 0)
			continue;
		if (is_showable(ch))
			return crm_err_set(err, CRM_EINVAL, field,
					   "character %zu of the social credit code is '%c', "
					   "which the code does not use",
					   i + 1, ch);
		return crm_err_set(err, CRM_EINVAL, field,
				   "character %zu of the social credit code is not a digit or a "
				   "letter",
				   i + 1);
	}
	c[IDENT_USCC_LEN] = '\0';
	if (!(a = uscc_authority(c[0])))
		return crm_err_set(err, CRM_EINVAL, field,
				   "registration authority '%c' in the social credit code is not "
				   "one of 1-9, A, N, Y",
				   c[0]);
	if (!uscc_type_ok(a, c[1]))
		return crm_err_set(
			err, CRM_EINVAL, field,
			"organisation type '%c' in the social credit code does not exist "
			"under registration authority '%c'",
			c[1], c[0]);
	for (size_t i = 2; i < 8; i++)
		if (!is_digit(c[i]))
			return crm_err_set(err, CRM_EINVAL, field,
					   "character %zu of the social credit code is not a "
					   "digit",
					   i + 1);
	if (!province_ok(c + 2, IN_USCC))
		return crm_err_set(err, CRM_EINVAL, field,
				   "region code %.2s in the social credit code is not a province",
				   c + 2);
	if ((want = org_check_char(c + 8)) != c[16])
		return crm_err_set(err, CRM_EINVAL, field,
				   "organisation code check character should be '%c', not '%c'",
				   want, c[16]);
	if ((want = uscc_check_char(c)) != c[17])
		return crm_err_set(err, CRM_EINVAL, field,
				   "social credit code check character should be '%c', not '%c'",
				   want, c[17]);
	memset(&o, 0, sizeof(o));
	memcpy(o.canonical, c, sizeof(c));
	o.authority = c[0];
	o.type = c[1];
	memcpy(o.region, c + 2, 6);
	memcpy(o.org_code, c + 8, 9);
	if (out)
		*out = o;
	return 0;
}

int ident_uscc_make(char out[IDENT_USCC_LEN + 1], char authority, char type, const char *region6,
		    const char *org8)
{
	char c[IDENT_USCC_LEN + 1];

	if (!uscc_type_ok(uscc_authority(authority), type) || !region6 || strlen(region6) != 6 ||
	    !all_digits(region6, 6) || !province_ok(region6, IN_USCC) || !org8 || strlen(org8) != 8)
		return CRM_EINVAL;
	for (int i = 0; i < 8; i++)
		if (uscc_value(org8[i]) < 0)
			return CRM_EINVAL;
	c[0] = authority;
	c[1] = type;
	memcpy(c + 2, region6, 6);
	memcpy(c + 8, org8, 8);
	c[16] = org_check_char(c + 8);
	c[17] = uscc_check_char(c);
	c[18] = '\0';
	memcpy(out, c, sizeof(c));
	return 0;
}

/* ---- mobile numbers ------------------------------------------------------------------ */

#define M IDENT_OP_MOBILE
#define U IDENT_OP_UNICOM
#define T IDENT_OP_TELECOM
#define B IDENT_OP_BROADNET
#define V IDENT_OP_MVNO
#define N IDENT_OP_NONE

/*
 * MIIT, 我国公众移动通信网网号及H0分配情况 (截至2023年3月底): the 11-digit segments and
 * who holds them. 162, 165, 167, 170 and 171 are for resale (MVNOs) on the network shown;
 * 1349x, 174x and 1619 are for satellite phones (China Telecom's Tiantong, China Satnet,
 * others). 146 and 148 are held by Unicom and Mobile for data and IoT cards, 145, 147 and
 * 149 are the data-card segments. Not here: 13-digit IoT numbers (140-144), and segments
 * not allocated (154, 160, 161 but 1619, 163, 164, 168, 169, 179, 194, 1349 but 2, 3, 9).
 * Keep in prefix order; no prefix may be a prefix of another (checked by the unit tests).
 */
const struct ident_mobile_segment ident_mobile_segments[] = {
	{"130", U, U},	 {"131", U, U},	  {"132", U, U},   {"133", T, T},   {"1340", M, M},
	{"1341", M, M},	 {"1342", M, M},  {"1343", M, M},  {"1344", M, M},  {"1345", M, M},
	{"1346", M, M},	 {"1347", M, M},  {"1348", M, M},  {"13492", N, T}, {"13493", N, T},
	{"13499", N, T}, {"135", M, M},	  {"136", M, M},   {"137", M, M},   {"138", M, M},
	{"139", M, M},	 {"145", U, U},	  {"146", U, U},   {"147", M, M},   {"148", M, M},
	{"149", T, T},	 {"150", M, M},	  {"151", M, M},   {"152", M, M},   {"153", T, T},
	{"155", U, U},	 {"156", U, U},	  {"157", M, M},   {"158", M, M},   {"159", M, M},
	{"1619", N, N},	 {"162", V, T},	  {"165", V, M},   {"166", U, U},   {"167", V, U},
	{"1700", V, T},	 {"1701", V, T},  {"1702", V, T},  {"1703", V, M},  {"1704", V, U},
	{"1705", V, M},	 {"1706", V, M},  {"1707", V, U},  {"1708", V, U},  {"1709", V, U},
	{"171", V, U},	 {"172", M, M},	  {"173", T, T},   {"17400", N, T}, {"17401", N, T},
	{"17402", N, T}, {"17403", N, T}, {"17404", N, T}, {"17405", N, T}, {"17406", N, N},
	{"17407", N, N}, {"17408", N, N}, {"17409", N, N}, {"17410", N, N}, {"17411", N, N},
	{"17412", N, N}, {"1749", N, N},  {"175", U, U},   {"176", U, U},   {"177", T, T},
	{"178", M, M},	 {"180", T, T},	  {"181", T, T},   {"182", M, M},   {"183", M, M},
	{"184", M, M},	 {"185", U, U},	  {"186", U, U},   {"187", M, M},   {"188", M, M},
	{"189", T, T},	 {"190", T, T},	  {"191", T, T},   {"192", B, B},   {"193", T, T},
	{"195", M, M},	 {"196", U, U},	  {"197", M, M},   {"198", M, M},   {"199", T, T},
};
const size_t ident_mobile_segment_count =
	sizeof(ident_mobile_segments) / sizeof(ident_mobile_segments[0]);

#undef M
#undef U
#undef T
#undef B
#undef V
#undef N

const char *ident_operator_name(enum ident_operator op)
{
	switch (op) {
	case IDENT_OP_MOBILE:
		return "China Mobile";
	case IDENT_OP_UNICOM:
		return "China Unicom";
	case IDENT_OP_TELECOM:
		return "China Telecom";
	case IDENT_OP_BROADNET:
		return "China Broadnet";
	case IDENT_OP_MVNO:
		return "MVNO";
	default:
		return "";
	}
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The row whose prefix starts the digits d, or NULL. */
static const struct ident_mobile_segment *segment_of(const char *d)
{
	for (size_t i = 0; i < ident_mobile_segment_count; i++)
		if (has_prefix(d, ident_mobile_segments[i].prefix))
			return &ident_mobile_segments[i];
	return NULL;
}

/* How many leading digits of d to name when no row matches: one more than the most any
 * row shares with it, at least 3 (154, 13490, 17413). */
static int unallocated_len(const char *d)
{
	size_t best = 0;

	for (size_t i = 0; i < ident_mobile_segment_count; i++) {
		const char *p = ident_mobile_segments[i].prefix;
		size_t k = 0;

		while (p[k] && p[k] == d[k])
			k++;
		if (k > best)
			best = k;
	}
	return best + 1 < 3 ? 3 : (int)best + 1;
}

int ident_mobile_check(const char *s, const char *field, struct ident_mobile *out,
		       struct crm_err *err)
{
	struct ident_mobile mo;
	const struct ident_mobile_segment *seg;
	char d[16];
	size_t nd = 0, skip = 0, i = 0;
	bool plus = false;

	if (!s)
		s = "";
	if (!field)
		field = "mobile";
	while (s[i] == ' ' || s[i] == '-')
		i++;
	if (s[i] == '+') {
		if (s[i + 1] == '8' && s[i + 2] == '6') {
			plus = true;
			i += 3;
		} else if (is_digit(s[i + 1])) {
			return crm_err_set(err, CRM_EINVAL, field,
					   "only Chinese mobile numbers (+86) are accepted");
		}
	}
	for (; s[i]; i++) {
		if (is_digit(s[i])) {
			if (nd < sizeof(d))
				d[nd] = s[i];
			nd++;
		} else if (s[i] != ' ' && s[i] != '-') {
			if (is_showable(s[i]))
				return crm_err_set(err, CRM_EINVAL, field,
						   "a mobile number has only digits, spaces and "
						   "dashes, not '%c'",
						   s[i]);
			return crm_err_set(err, CRM_EINVAL, field,
					   "a mobile number has only digits, spaces and dashes");
		}
	}
	if (!plus) {
		if (nd == IDENT_MOBILE_LEN + 4 && memcmp(d, "0086", 4) == 0)
			skip = 4;
		else if (nd == IDENT_MOBILE_LEN + 2 && memcmp(d, "86", 2) == 0)
			skip = 2;
	}
	nd -= skip;
	if (nd != IDENT_MOBILE_LEN)
		return crm_err_set(err, CRM_EINVAL, field, "a mobile number has 11 digits, not %zu",
				   nd);
	memset(&mo, 0, sizeof(mo));
	memcpy(mo.canonical, d + skip, IDENT_MOBILE_LEN);
	if (mo.canonical[0] != '1')
		return crm_err_set(err, CRM_EINVAL, field, "a mobile number starts with 1, not %c",
				   mo.canonical[0]);
	if (!(seg = segment_of(mo.canonical)))
		return crm_err_set(err, CRM_EINVAL, field,
				   "mobile number segment %.*s is not allocated to an operator",
				   unallocated_len(mo.canonical), mo.canonical);
	if (seg->op == IDENT_OP_NONE)
		return crm_err_set(err, CRM_EINVAL, field,
				   "mobile number segment %s is for satellite phones", seg->prefix);
	mo.segment = seg;
	mo.op = seg->op;
	mo.network = seg->network;
	if (out)
		*out = mo;
	return 0;
}

int ident_mobile_make(char out[IDENT_MOBILE_LEN + 1], const char *segment, uint32_t subscriber)
{
	const struct ident_mobile_segment *seg;
	char buf[IDENT_MOBILE_LEN + 1];
	size_t n;

	if (!segment || (n = strlen(segment)) < 3 || n > 10 || !all_digits(segment, n) ||
	    !(seg = segment_of(segment)) || seg->op == IDENT_OP_NONE)
		return CRM_EINVAL;
	memcpy(buf, segment, n);
	for (size_t i = IDENT_MOBILE_LEN; i > n; i--) {
		buf[i - 1] = (char)('0' + subscriber % 10);
		subscriber /= 10;
	}
	buf[IDENT_MOBILE_LEN] = '\0';
	memcpy(out, buf, sizeof(buf));
	return 0;
}

/* ---- fixed-line numbers ---------------------------------------------------------------- */

#define EXT_MAX 6

static bool is_sep(char c)
{
	return c == ' ' || c == '-';
}

/* Length of an extension marker at p (before end), 0 if none: "-", "#", ",", "x", "X",
 * "ext", "ext.", "EXT", "转". */
static size_t ext_marker(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n >= 1 && (*p == '-' || *p == '#' || *p == ',' ||
		       ((*p == 'x' || *p == 'X') && (n == 1 || !is_alpha(p[1])))))
		return 1;
	if (n >= 3 && (memcmp(p, "ext", 3) == 0 || memcmp(p, "EXT", 3) == 0))
		return n >= 4 && p[3] == '.' ? 4 : 3;
	if (n >= 3 && memcmp(p, "\xe8\xbd\xac", 3) == 0) /* 转 */
		return 3;
	return 0;
}

static int bad_char(struct crm_err *err, const char *field, char c)
{
	if (is_showable(c))
		return crm_err_set(err, CRM_EINVAL, field,
				   "a fixed-line number has '%c', which is not a digit", c);
	return crm_err_set(err, CRM_EINVAL, field,
			   "a fixed-line number has a character that is not a digit");
}

int ident_fixed_line_check(const char *s, const char *field, struct ident_fixed_line *out,
			   struct crm_err *err)
{
	struct ident_fixed_line f;
	const char *p, *end;
	size_t na = 0, nl = 0, ne = 0, need;
	bool intl = false, paren = false;

	if (!s)
		s = "";
	if (!field)
		field = "phone";
	p = s;
	end = s + strlen(s);
	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	memset(&f, 0, sizeof(f));

	/* [+86 | 0086] [(] area [)] */
	if (end - p >= 3 && memcmp(p, "+86", 3) == 0) {
		intl = true;
		p += 3;
	} else if (end - p >= 4 && memcmp(p, "0086", 4) == 0) {
		intl = true;
		p += 4;
	}
	if (intl)
		while (p < end && is_sep(*p))
			p++;
	if (p < end && *p == '(') {
		paren = true;
		p++;
	}
	if (p < end && *p == '0')
		p++;
	else if (!intl)
		goto no_area;
	f.area[na++] = '0';
	if (p >= end || *p < '1' || *p > '9')
		goto no_area;
	need = *p == '1' || *p == '2' ? 3 : 4;
	while (na < need) {
		if (p >= end || !is_digit(*p))
			goto no_area;
		f.area[na++] = *p++;
	}
	if (f.area[1] == '1' && strcmp(f.area, "010") != 0)
		return crm_err_set(err, CRM_EINVAL, field, "area code %s does not exist", f.area);
	if (paren) {
		if (p >= end || *p != ')')
			return crm_err_set(err, CRM_EINVAL, field,
					   "the area code has no closing parenthesis");
		p++;
	}
	while (p < end && is_sep(*p))
		p++;

	/* local: 8 digits, or 7 after a four-digit area code; single separators inside */
	need = na == 3 ? 8 : 7;
	for (;;) {
		if (p < end && is_digit(*p)) {
			if (nl < 8)
				f.local[nl] = *p;
			nl++;
			p++;
		} else if (p + 1 < end && is_sep(*p) && is_digit(p[1]) && nl < need) {
			p++;
		} else {
			break;
		}
		if (nl == 8 && !(p < end && is_digit(*p)))
			break;
	}
	if (nl < need && p < end && !is_sep(*p) && !ext_marker(p, end))
		return bad_char(err, field, *p);
	if (nl < need || nl > 8) {
		if (na == 3)
			return crm_err_set(err, CRM_EINVAL, field,
					   "the local number after area code %s has 8 digits, "
					   "not %zu",
					   f.area, nl);
		return crm_err_set(err, CRM_EINVAL, field,
				   "the local number after area code %s has 7 or 8 digits, not %zu",
				   f.area, nl);
	}
	f.local[nl] = '\0';
	if (f.local[0] < '2')
		return crm_err_set(err, CRM_EINVAL, field,
				   "the local number after area code %s starts with 2-9, not %c",
				   f.area, f.local[0]);

	/* [spaces] [marker] [spaces] digits, or a separator run then digits */
	if (p < end) {
		const char *q = p;
		size_t mark;

		while (q < end && *q == ' ')
			q++;
		if ((mark = ext_marker(q, end)))
			q += mark;
		else if (q == p)
			goto bad_ext;
		while (q < end && (*q == ' ' || (*q == '-' && !mark)))
			q++;
		for (; q < end && is_digit(*q); q++) {
			if (ne < EXT_MAX)
				f.ext[ne] = *q;
			ne++;
		}
		p = q;
		if (p < end)
			goto bad_ext;
		if (ne < 1 || ne > EXT_MAX)
			return crm_err_set(err, CRM_EINVAL, field,
					   "an extension has 1 to 6 digits, not %zu", ne);
		f.ext[ne] = '\0';
	}

	memcpy(f.canonical, f.area, na);
	f.canonical[na] = '-';
	memcpy(f.canonical + na + 1, f.local, nl);
	if (ne) {
		f.canonical[na + 1 + nl] = '-';
		memcpy(f.canonical + na + 2 + nl, f.ext, ne);
	}
	if (out)
		*out = f;
	return 0;

no_area:
	return crm_err_set(err, CRM_EINVAL, field,
			   "a fixed-line number starts with an area code, 0 and two or three "
			   "digits");
bad_ext:
	if (is_showable(*p))
		return crm_err_set(err, CRM_EINVAL, field,
				   "a fixed-line number has '%c' where its extension should be",
				   *p);
	return crm_err_set(err, CRM_EINVAL, field,
			   "a fixed-line number has a character that is not a digit where its "
			   "extension should be");
}

/* ---- e-mail addresses ------------------------------------------------------------------ */

#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63

/* RFC 5322 atext, and the dot. */
static bool is_local_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '.' ||
	       (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static bool is_domain_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.';
}

static int email_char(struct crm_err *err, const char *field, char c, const char *where)
{
	if (c == ' ')
		return crm_err_set(err, CRM_EINVAL, field, "an e-mail address has a space");
	if (is_showable(c))
		return crm_err_set(err, CRM_EINVAL, field,
				   "%s of an e-mail address has '%c', which is not allowed", where,
				   c);
	return crm_err_set(err, CRM_EINVAL, field,
			   "%s of an e-mail address has a character that is not allowed", where);
}

int ident_email_check(const char *s, const char *field, struct ident_email *out,
		      struct crm_err *err)
{
	struct ident_email e;
	const char *at, *dom, *label, *tld = NULL;
	size_t n, ats = 0, nlocal, ndom, labels = 0;

	if (!s)
		s = "";
	if (!field)
		field = "email";
	n = strlen(s);
	if (n > IDENT_EMAIL_MAX)
		return crm_err_set(err, CRM_EINVAL, field,
				   "an e-mail address has at most 254 characters, not %zu",
				   count_chars(s));
	for (size_t i = 0; i < n; i++)
		ats += s[i] == '@';
	if (ats != 1)
		return crm_err_set(err, CRM_EINVAL, field, "an e-mail address has one '@', not %zu",
				   ats);
	at = strchr(s, '@');
	nlocal = (size_t)(at - s);
	dom = at + 1;
	ndom = n - nlocal - 1;

	for (size_t i = 0; i < nlocal; i++)
		if (!is_local_char(s[i]))
			return email_char(err, field, s[i], "the part before the '@'");
	if (nlocal == 0)
		return crm_err_set(err, CRM_EINVAL, field,
				   "the part before the '@' of an e-mail address is empty");
	if (nlocal > EMAIL_LOCAL_MAX)
		return crm_err_set(err, CRM_EINVAL, field,
				   "the part before the '@' of an e-mail address has at most 64 "
				   "characters, not %zu",
				   nlocal);
	if (s[0] == '.' || s[nlocal - 1] == '.')
		return crm_err_set(err, CRM_EINVAL, field,
				   "the part before the '@' of an e-mail address starts or ends "
				   "with a dot");
	for (size_t i = 1; i < nlocal; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return crm_err_set(err, CRM_EINVAL, field,
					   "the part before the '@' of an e-mail address has two "
					   "dots in a row");

	for (size_t i = 0; i < ndom; i++)
		if (!is_domain_char(dom[i]))
			return email_char(err, field, dom[i], "the domain");
	if (ndom == 0)
		return crm_err_set(err, CRM_EINVAL, field,
				   "the domain of an e-mail address is empty");
	/* Only letters, digits, dots and dashes from here on: safe to quote. */
	for (label = dom;; label++) {
		const char *dot = memchr(label, '.', (size_t)(dom + ndom - label));
		size_t len = dot ? (size_t)(dot - label) : (size_t)(dom + ndom - label);

		if (len == 0)
			return crm_err_set(err, CRM_EINVAL, field,
					   "e-mail domain '%s' has an empty label", dom);
		if (len > EMAIL_LABEL_MAX)
			return crm_err_set(err, CRM_EINVAL, field,
					   "e-mail domain labels have at most 63 characters, not "
					   "%zu",
					   len);
		if (label[0] == '-' || label[len - 1] == '-')
			return crm_err_set(err, CRM_EINVAL, field,
					   "e-mail domain label '%.*s' starts or ends with a dash",
					   (int)len, label);
		labels++;
		tld = label;
		if (!dot)
			break;
		label = dot;
	}
	if (labels < 2)
		return crm_err_set(err, CRM_EINVAL, field,
				   "e-mail domain '%s' has no top-level domain", dom);
	{
		size_t len = (size_t)(dom + ndom - tld);
		bool letters = true;

		for (size_t i = 0; i < len; i++)
			letters = letters && is_alpha(tld[i]);
		if (!(letters ||
		      (len > 4 && (tld[0] == 'x' || tld[0] == 'X') &&
		       (tld[1] == 'n' || tld[1] == 'N') && tld[2] == '-' && tld[3] == '-')))
			return crm_err_set(err, CRM_EINVAL, field,
					   "e-mail top-level domain '%s' is not letters", tld);
		if (len < 2)
			return crm_err_set(err, CRM_EINVAL, field,
					   "e-mail top-level domain '%s' is one letter", tld);
	}

	memset(&e, 0, sizeof(e));
	memcpy(e.canonical, s, nlocal + 1);
	for (size_t i = 0; i < ndom; i++)
		e.canonical[nlocal + 1 + i] = to_lower(dom[i]);
	e.at = nlocal;
	if (out)
		*out = e;
	return 0;
}

/* ---- residence permits of Hong Kong, Macao and Taiwan residents ----------------------- */

static int region_hkmotw(const char *s, const char *field, const struct gb11643_form *form,
			 struct crm_err *err)
{
	if (memcmp(s, "810000", 6) != 0 && memcmp(s, "820000", 6) != 0 &&
	    memcmp(s, "830000", 6) != 0)
		return crm_err_set(err, CRM_EINVAL, field,
				   "region code %.6s in the %s is not 810000 (Hong Kong), 820000 "
				   "(Macao) or 830000 (Taiwan)",
				   s, form->noun);
	return 0;
}

static const struct gb11643_form residence_permit_form = {
	"a residence permit number", "residence permit number", false, region_hkmotw};

int ident_residence_permit_check(const char *s, int64_t today_days, const char *field,
				 struct ident_person *out, struct crm_err *err)
{
	return gb11643_check(s ? s : "", today_days, field ? field : "idNumber",
			     &residence_permit_form, out, err);
}

/* ---- foreigners' permanent resident IDs ------------------------------------------------- */

/* 11-65: the provinces of the mainland, where an application can be made. */
static bool mainland_province(const char *two)
{
	return province_ok(two, IN_ID) && two[0] <= '6';
}

static int region_foreigner(const char *s, const char *field, const struct gb11643_form *form,
			    struct crm_err *err)
{
	if (s[0] != '9')
		return crm_err_set(err, CRM_EINVAL, field,
				   "a %s of 18 characters starts with 9, not %c", form->noun, s[0]);
	if (!mainland_province(s + 1))
		return crm_err_set(err, CRM_EINVAL, field,
				   "region code %.2s in the %s is not a mainland province", s + 1,
				   form->noun);
	return 0;
}

static const struct gb11643_form foreigner_form = {
	"a permanent resident ID number", "permanent resident ID number", false, region_foreigner};

/* ICAO 9303 check digit of n digits and upper-case letters: weights 7 3 1, A=10 ... Z=35. */
static char icao_check_digit(const char *c, size_t n)
{
	static const int w[3] = {7, 3, 1};
	int sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (is_digit(c[i]) ? c[i] - '0' : c[i] - 'A' + 10) * w[i % 3];
	return (char)('0' + sum % 10);
}

/* The 15-character card of 2017: nationality AAA, place PPPP, YYMMDD, sequence, check. */
static int foreigner_2017(const char *s, int64_t today_days, const char *field,
			  struct ident_foreigner *out, struct crm_err *err)
{
	struct ident_foreigner f;
	char c[IDENT_PERMANENT_RESIDENCE_LEGACY_LEN + 1], want;
	size_t n = strlen(s);
	int y, m, d;

	for (size_t i = 0; i < IDENT_PERMANENT_RESIDENCE_LEGACY_LEN; i++) {
		char ch = ascii_at(s, n, IDENT_PERMANENT_RESIDENCE_LEGACY_LEN, i);

		if (i < 3 ? !is_alpha(ch) : !is_digit(ch))
			return crm_err_set(err, CRM_EINVAL, field,
					   "character %zu of the permanent resident ID number is "
					   "not a %s",
					   i + 1, i < 3 ? "letter" : "digit");
		c[i] = to_upper(ch);
	}
	c[IDENT_PERMANENT_RESIDENCE_LEGACY_LEN] = '\0';
	if (!mainland_province(c + 3))
		return crm_err_set(err, CRM_EINVAL, field,
				   "region code %.2s in the permanent resident ID number is not a "
				   "mainland province",
				   c + 3);
	/* a two-digit year: this century unless that is not a date or still to come */
	y = 2000 + num(c + 7, 2);
	m = num(c + 9, 2);
	d = num(c + 11, 2);
	if (!civil_date_ok(y, m, d) ||
	    time_days_from_civil(y, (unsigned)m, (unsigned)d) > today_days)
		y -= 100;
	if (!civil_date_ok(y, m, d))
		return crm_err_set(err, CRM_EINVAL, field,
				   "birth date %.6s in the permanent resident ID number is not a "
				   "date",
				   c + 7);
	memset(&f, 0, sizeof(f));
	f.birth_days = time_days_from_civil(y, (unsigned)m, (unsigned)d);
	if (f.birth_days > today_days)
		return crm_err_set(err, CRM_EINVAL, field,
				   "birth date %.6s in the permanent resident ID number is in the "
				   "future",
				   c + 7);
	if ((want = icao_check_digit(c, 14)) != c[14])
		return crm_err_set(err, CRM_EINVAL, field,
				   "permanent resident ID number check character should be '%c', "
				   "not '%c'",
				   want, c[14]);
	memcpy(f.canonical, c, sizeof(c));
	memcpy(f.nationality, c, 3);
	memcpy(f.province, c + 3, 2);
	f.birth_year = y;
	f.birth_month = m;
	f.birth_day = d;
	f.legacy = true;
	if (out)
		*out = f;
	return 0;
}

int ident_permanent_residence_check(const char *s, int64_t today_days, const char *field,
				    struct ident_foreigner *out, struct crm_err *err)
{
	struct ident_foreigner f;
	struct ident_person p;
	size_t chars;
	int rc;

	if (!s)
		s = "";
	if (!field)
		field = "idNumber";
	chars = count_chars(s);
	if (chars == IDENT_PERMANENT_RESIDENCE_LEGACY_LEN)
		return foreigner_2017(s, today_days, field, out, err);
	if (chars != IDENT_PERMANENT_RESIDENCE_LEN)
		return crm_err_set(
			err, CRM_EINVAL, field,
			"a permanent resident ID number has 15 or 18 characters, not %zu", chars);
	if ((rc = gb11643_check(s, today_days, field, &foreigner_form, &p, err)))
		return rc;
	memset(&f, 0, sizeof(f));
	memcpy(f.canonical, p.canonical, sizeof(f.canonical));
	memcpy(f.nationality, p.canonical + 3, 3);
	memcpy(f.province, p.canonical + 1, 2);
	f.birth_year = p.birth_year;
	f.birth_month = p.birth_month;
	f.birth_day = p.birth_day;
	f.birth_days = p.birth_days;
	f.sex = p.sex;
	if (out)
		*out = f;
	return 0;
}

/* ---- passports ------------------------------------------------------------------------ */

int ident_passport_check(const char *s, const char *field, struct ident_passport *out,
			 struct crm_err *err)
{
	struct ident_passport pp;
	size_t n, chars, digits = 0;

	if (!s)
		s = "";
	if (!field)
		field = "passport";
	n = strlen(s);
	chars = count_chars(s);
	if (chars < IDENT_PASSPORT_MIN || chars > IDENT_PASSPORT_MAX)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a passport number has 5 to 20 characters, not %zu", chars);
	memset(&pp, 0, sizeof(pp));
	for (size_t i = 0; i < chars; i++) {
		char c = ascii_at(s, n, chars, i);

		if (is_alpha(c) || is_digit(c)) {
			digits += is_digit(c);
			pp.canonical[i] = to_upper(c);
			continue;
		}
		if (c == ' ')
			return crm_err_set(err, CRM_EINVAL, field,
					   "a passport number has only letters and digits, not a "
					   "space");
		if (is_showable(c))
			return crm_err_set(
				err, CRM_EINVAL, field,
				"a passport number has only letters and digits, not '%c'", c);
		return crm_err_set(err, CRM_EINVAL, field,
				   "a passport number has only letters and digits");
	}
	if (!digits)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a passport number has at least one digit");
	/* the series of Chinese ordinary passports: E or G and 8 digits, E, a letter, 7 */
	if ((pp.canonical[0] == 'E' || pp.canonical[0] == 'G') &&
	    all_digits(pp.canonical + 1, chars - 1)) {
		if (chars - 1 != 8)
			return crm_err_set(err, CRM_EINVAL, field,
					   "a Chinese passport number starting with '%c' and a "
					   "digit has 8 digits, not %zu",
					   pp.canonical[0], chars - 1);
		pp.chinese = true;
	} else if (pp.canonical[0] == 'E' && is_upper(pp.canonical[1]) &&
		   all_digits(pp.canonical + 2, chars - 2)) {
		if (pp.canonical[1] == 'I' || pp.canonical[1] == 'O')
			return crm_err_set(err, CRM_EINVAL, field,
					   "Chinese passport numbers do not start with 'EI' or "
					   "'EO'");
		if (chars - 2 != 7)
			return crm_err_set(err, CRM_EINVAL, field,
					   "a Chinese passport number starting with 'E' and a "
					   "letter has 7 digits after them, not %zu",
					   chars - 2);
		pp.chinese = true;
	}
	if (out)
		*out = pp;
	return 0;
}

/* ---- travel permits ----------------------------------------------------------------------- */

int ident_travel_permit_hkmo_check(const char *s, const char *field,
				   struct ident_travel_permit *out, struct crm_err *err)
{
	struct ident_travel_permit t;
	size_t n, chars;

	if (!s)
		s = "";
	if (!field)
		field = "permitNumber";
	n = strlen(s);
	chars = count_chars(s);
	if (chars != 9 && chars != 11)
		return crm_err_set(err, CRM_EINVAL, field,
				   "a Hong Kong and Macao travel permit number has 9 or 11 "
				   "characters, not %zu",
				   chars);
	if (to_upper(s[0]) != 'H' && to_upper(s[0]) != 'M') {
		if (is_showable(s[0]))
			return crm_err_set(err, CRM_EINVAL, field,
					   "a Hong Kong and Macao travel permit number starts with "
					   "H or M, not '%c'",
					   s[0]);
		return crm_err_set(err, CRM_EINVAL, field,
				   "a Hong Kong and Macao travel permit number starts with H or M");
	}
	for (size_t i = 1; i < chars; i++)
		if (!is_digit(ascii_at(s, n, chars, i)))
			return crm_err_set(err, CRM_EINVAL, field,
					   "character %zu of the Hong Kong and Macao travel permit "
					   "number is not a digit",
					   i + 1);
	memset(&t, 0, sizeof(t));
	memcpy(t.canonical, s, chars);
	t.canonical[0] = to_upper(s[0]);
	memcpy(t.lifelong, t.canonical, 9);
	t.issue = chars == 11 ? num(s + 9, 2) : -1;
	if (out)
		*out = t;
	return 0;
}

#define FW_OPEN	 "\xef\xbc\x88" /* （ */
#define FW_CLOSE "\xef\xbc\x89" /* ） */

/* The issuing office code after the digits of an old Taiwan permit: "(B)", "（B）" or a
 * bare letter, the whole rest of the value. Its character, or '\0' if rest is not one. */
static char tw_office(const char *rest)
{
	const char *p = rest;

	if (is_alpha(p[0]) && !p[1])
		return to_upper(p[0]);
	if (*p == '(')
		p++;
	else if (strncmp(p, FW_OPEN, 3) == 0)
		p += 3;
	else
		return '\0';
	if (!is_alpha(*p) && !is_digit(*p))
		return '\0';
	if ((rest[0] == '(' && strcmp(p + 1, ")") == 0) ||
	    (rest[0] != '(' && strcmp(p + 1, FW_CLOSE) == 0))
		return to_upper(*p);
	return '\0';
}

int ident_travel_permit_tw_check(const char *s, const char *field, struct ident_travel_permit *out,
				 struct crm_err *err)
{
	struct ident_travel_permit t;
	size_t n = 0;
	char office = '\0';

	if (!s)
		s = "";
	if (!field)
		field = "permitNumber";
	while (is_digit(s[n]))
		n++;
	if (s[n]) {
		if (!(office = tw_office(s + n))) {
			if (s[n] == '(' || strncmp(s + n, FW_OPEN, 3) == 0)
				return crm_err_set(err, CRM_EINVAL, field,
						   "the issuing office code of a Taiwan travel "
						   "permit number is one letter or digit in "
						   "parentheses, as in (B)");
			if (is_showable(s[n]))
				return crm_err_set(err, CRM_EINVAL, field,
						   "a Taiwan travel permit number has '%c', which "
						   "is not a digit",
						   s[n]);
			return crm_err_set(err, CRM_EINVAL, field,
					   "a Taiwan travel permit number has a character that is "
					   "not a digit");
		}
		if (n != 10)
			return crm_err_set(err, CRM_EINVAL, field,
					   "an issuing office code follows the 10 digits of an old "
					   "Taiwan travel permit number, not %zu",
					   n);
	} else if (n != 8 && n != 10) {
		return crm_err_set(err, CRM_EINVAL, field,
				   "a Taiwan travel permit number has 8 or 10 digits, not %zu", n);
	}
	memset(&t, 0, sizeof(t));
	memcpy(t.canonical, s, n);
	if (office) {
		t.canonical[n] = '(';
		t.canonical[n + 1] = office;
		t.canonical[n + 2] = ')';
	}
	memcpy(t.lifelong, s, 8);
	t.issue = n == 10 ? num(s + 8, 2) : -1;
	t.office = office;
	if (out)
		*out = t;
	return 0;
}

/* ---- military and armed police IDs ------------------------------------------------------- */

/* The code point of the valid UTF-8 sequence at s, and its length; 0 if none starts there
 * (an invalid, overlong or truncated sequence, a surrogate, or the end). */
static size_t utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;
	uint32_t c;

	if (u[0] < 0x80) {
		*cp = u[0];
		return u[0] ? 1 : 0;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Chinese characters: CJK Unified Ideographs with extensions A to G, the compatibility
 * ideographs and their supplement, and 〇 (U+3007, the ideographic zero). */
static bool is_cjk(uint32_t c)
{
	return c == 0x3007 || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	       (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f) ||
	       (c >= 0x30000 && c <= 0x3134f);
}

static int service_id_check(const char *s, const char *field, const char *a_noun, const char *noun,
			    struct ident_service_id *out, struct crm_err *err)
{
	struct ident_service_id v;
	size_t chars, at = 0;

	if (!s)
		s = "";
	if (!field)
		field = "idNumber";
	chars = count_chars(s);
	if (chars < IDENT_SERVICE_ID_MIN || chars > IDENT_SERVICE_ID_MAX)
		return crm_err_set(err, CRM_EINVAL, field, "%s has 6 to 20 characters, not %zu",
				   a_noun, chars);
	for (size_t i = 0; i < chars; i++) {
		uint32_t c;
		size_t len = utf8_next(s + at, &c);

		if (len && (c < 0x80 ? is_alpha((char)c) || is_digit((char)c) : is_cjk(c))) {
			at += len;
			continue;
		}
		if (len == 1 && is_showable(s[at]))
			return crm_err_set(err, CRM_EINVAL, field,
					   "character %zu of the %s is '%c', not a letter, a digit "
					   "or a Chinese character",
					   i + 1, noun, s[at]);
		return crm_err_set(err, CRM_EINVAL, field,
				   "character %zu of the %s is not a letter, a digit or a Chinese "
				   "character",
				   i + 1, noun);
	}
	/* stray continuation bytes after the last character are not counted as characters */
	if (s[at])
		return crm_err_set(err, CRM_EINVAL, field,
				   "character %zu of the %s is not a letter, a digit or a Chinese "
				   "character",
				   chars, noun);
	/* valid UTF-8 throughout, so at most 4 bytes a character */
	memset(&v, 0, sizeof(v));
	memcpy(v.canonical, s, at);
	v.chars = chars;
	if (out)
		*out = v;
	return 0;
}

int ident_military_id_check(const char *s, const char *field, struct ident_service_id *out,
			    struct crm_err *err)
{
	return service_id_check(s, field, "a military ID number", "military ID number", out, err);
}

int ident_armed_police_id_check(const char *s, const char *field, struct ident_service_id *out,
				struct crm_err *err)
{
	return service_id_check(s, field, "an armed police ID number", "armed police ID number",
				out, err);
}

/* ---- documents by type ----------------------------------------------------------------------
 * Each row's check runs the validator above and keeps the number to store: for the
 * documents that show a resident id number, its 18-character form, so that the same
 * person's number is one string whichever document and form it came from. */

static void doc_set(struct ident_document *out, const char *canonical)
{
	size_t n = strlen(canonical);

	if (n > IDENT_DOCUMENT_MAX)
		CRM_BUG("canonical number of %zu bytes", n);
	memset(out->canonical, 0, sizeof(out->canonical));
	memcpy(out->canonical, canonical, n);
}

static int doc_resident_id(const char *s, int64_t today_days, const char *field,
			   struct ident_document *out, struct crm_err *err)
{
	struct ident_person p;
	int rc;

	if (!(rc = ident_resident_id_check(s, today_days, field, &p, err)))
		doc_set(out, p.id18);
	return rc;
}

static int doc_residence_permit(const char *s, int64_t today_days, const char *field,
				struct ident_document *out, struct crm_err *err)
{
	struct ident_person p;
	int rc;

	if (!(rc = ident_residence_permit_check(s, today_days, field, &p, err)))
		doc_set(out, p.canonical);
	return rc;
}

static int doc_permanent_residence(const char *s, int64_t today_days, const char *field,
				   struct ident_document *out, struct crm_err *err)
{
	struct ident_foreigner f;
	int rc;

	if (!(rc = ident_permanent_residence_check(s, today_days, field, &f, err)))
		doc_set(out, f.canonical);
	return rc;
}

static int doc_passport(const char *s, int64_t today_days, const char *field,
			struct ident_document *out, struct crm_err *err)
{
	struct ident_passport pp;
	int rc;

	(void)today_days;
	if (!(rc = ident_passport_check(s, field, &pp, err)))
		doc_set(out, pp.canonical);
	return rc;
}

static int doc_permit_hkmo(const char *s, int64_t today_days, const char *field,
			   struct ident_document *out, struct crm_err *err)
{
	struct ident_travel_permit t;
	int rc;

	(void)today_days;
	if (!(rc = ident_travel_permit_hkmo_check(s, field, &t, err)))
		doc_set(out, t.canonical);
	return rc;
}

static int doc_permit_tw(const char *s, int64_t today_days, const char *field,
			 struct ident_document *out, struct crm_err *err)
{
	struct ident_travel_permit t;
	int rc;

	(void)today_days;
	if (!(rc = ident_travel_permit_tw_check(s, field, &t, err)))
		doc_set(out, t.canonical);
	return rc;
}

static int doc_military(const char *s, int64_t today_days, const char *field,
			struct ident_document *out, struct crm_err *err)
{
	struct ident_service_id v;
	int rc;

	(void)today_days;
	if (!(rc = ident_military_id_check(s, field, &v, err)))
		doc_set(out, v.canonical);
	return rc;
}

static int doc_armed_police(const char *s, int64_t today_days, const char *field,
			    struct ident_document *out, struct crm_err *err)
{
	struct ident_service_id v;
	int rc;

	(void)today_days;
	if (!(rc = ident_armed_police_id_check(s, field, &v, err)))
		doc_set(out, v.canonical);
	return rc;
}

static int doc_uscc(const char *s, int64_t today_days, const char *field,
		    struct ident_document *out, struct crm_err *err)
{
	struct ident_org o;
	int rc;

	(void)today_days;
	if (!(rc = ident_uscc_check(s, field, &o, err)))
		doc_set(out, o.canonical);
	return rc;
}

static int doc_other(const char *s, int64_t today_days, const char *field,
		     struct ident_document *out, struct crm_err *err)
{
	size_t n = s ? strlen(s) : 0;

	(void)today_days;
	if (n == 0)
		return crm_err_set(err, CRM_EINVAL, field, "'%s' must not be empty", field);
	if (n > IDENT_DOCUMENT_MAX)
		return crm_err_set(err, CRM_EINVAL, field, "'%s' has at most %d bytes, not %zu",
				   field, IDENT_DOCUMENT_MAX, n);
	doc_set(out, s);
	return 0;
}

const struct ident_document_type ident_document_types[] = {
	{"residentId", "residentId", IDENT_KEY_CITIZEN, doc_resident_id},
	{"nationalId", "residentId", IDENT_KEY_CITIZEN, doc_resident_id},
	{"temporaryResidentId", "temporaryResidentId", IDENT_KEY_CITIZEN, doc_resident_id},
	{"householdRegister", "householdRegister", IDENT_KEY_CITIZEN, doc_resident_id},
	{"residencePermitHkMoTw", "residencePermitHkMoTw", IDENT_KEY_RESIDENCE_PERMIT,
	 doc_residence_permit},
	{"foreignPermanentResidentId", "foreignPermanentResidentId", IDENT_KEY_PERMANENT_RESIDENCE,
	 doc_permanent_residence},
	{"passport", "passport", IDENT_KEY_PASSPORT, doc_passport},
	{"mainlandTravelPermitHkMo", "mainlandTravelPermitHkMo", IDENT_KEY_NONE, doc_permit_hkmo},
	{"mainlandTravelPermitTw", "mainlandTravelPermitTw", IDENT_KEY_NONE, doc_permit_tw},
	{"militaryId", "militaryId", IDENT_KEY_NONE, doc_military},
	{"armedPoliceId", "armedPoliceId", IDENT_KEY_NONE, doc_armed_police},
	{"unifiedSocialCreditCode", "unifiedSocialCreditCode", IDENT_KEY_ORGANIZATION, doc_uscc},
	{"other", "other", IDENT_KEY_NONE, doc_other},
};
const size_t ident_document_type_count =
	sizeof(ident_document_types) / sizeof(ident_document_types[0]);

const struct ident_document_type *ident_document_type_find(const char *name)
{
	for (size_t i = 0; name && i < ident_document_type_count; i++)
		if (strcmp(ident_document_types[i].name, name) == 0)
			return &ident_document_types[i];
	return NULL;
}

int ident_document_check(const char *type, const char *s, int64_t today_days, const char *field,
			 struct ident_document *out, struct crm_err *err)
{
	const struct ident_document_type *t = ident_document_type_find(type);
	struct ident_document d;
	size_t n = type ? strlen(type) : 0;
	int rc;

	if (!field)
		field = "identificationId";
	if (!t) {
		for (size_t i = 0; i < n; i++)
			if (!is_alpha(type[i]) && !is_digit(type[i]))
				n = 0;
		if (n == 0 || n > 40)
			return crm_err_set(err, CRM_EINVAL, field,
					   "identification type is not known");
		return crm_err_set(err, CRM_EINVAL, field, "identification type '%s' is not known",
				   type);
	}
	if ((rc = t->check(s ? s : "", today_days, field, &d, err)))
		return rc;
	d.type = t;
	if (out)
		*out = d;
	return 0;
}
