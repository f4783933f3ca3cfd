/*
 * Identifiers a Chinese operator's CRM takes in: resident identity card numbers
 * (GB 11643-1999), unified social credit codes (GB 32100-2015), mainland mobile numbers
 * (by the MIIT segment allocation), fixed-line numbers, e-mail addresses, and the other
 * documents of real-name registration (residence permits, permanent resident ID cards,
 * passports, travel permits, military IDs), with a table from identificationType to the
 * check of each. Each validator checks one value, reports the first problem precisely and
 * gives the canonical form to store; generators make valid values for demo data.
 *
 * Everything here is a pure function of its arguments: no locale (ASCII, and UTF-8 read
 * byte-wise), no allocation, no global state, so every function is thread-safe. Results go
 * into caller-owned fixed-size records; pointers taken are borrowed for the call only.
 */
#ifndef CRM_IDENT_H
#define CRM_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct crm_err;

/*
 * Conventions shared by every validator, ident_<kind>_check(s, ..., field, out, err):
 *
 * - s is a NUL-terminated string, borrowed for the call; NULL is treated as "".
 * - Returns 0 when s is valid, CRM_EINVAL otherwise; nothing else.
 * - On failure err (if not NULL) is filled by crm_err_set() with field as its field name,
 *   or the default named at each function when field is NULL, and a message saying what
 *   is wrong. Messages quote the offending part only, never the whole value: id numbers
 *   and phone numbers are personal data and messages end up in logs.
 * - On success out (if not NULL) is filled; on failure it is left untouched.
 * - The canonical form in out validates again, to the same canonical form.
 */

/*
 * Today's date for the birth-date checks, as days since 1970-01-01, in China Standard
 * Time (UTC+8, no daylight saving): a person born on the day the clock is read in Beijing
 * is valid, wherever the server runs. now_ms is milliseconds since the epoch, e.g.
 * time_now_ms(). Example: ident_today(0) == 0; ident_today(16 * 3600000) == 1.
 */
int64_t ident_today(int64_t now_ms);

/* ---------------------------------------------------------------------------------------
 * Resident identity card numbers, 居民身份证号码 (GB 11643-1999)
 *
 *   1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X
 *   \_region__/ \_birth date_/ \seq/ check
 *
 * - 18 characters: 17 digits and a check character, '0'-'9' or 'X', computed by ISO 7064
 *   MOD 11-2 (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; sum mod 11 = 0..10 gives
 *   1 0 X 9 8 7 6 5 4 3 2). A lower-case 'x' is accepted; the canonical form has 'X'.
 * - Region: six digits whose first two are a province-level code (table in ident.c:
 *   11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71 Taiwan, 81 Hong Kong and 82 Macao (their
 *   residents' residence permits), 83 (Taiwan residents' residence permits), 91 (kept by
 *   common validators for numbers issued abroad; not in GB/T 2260)). The other four digits
 *   are not checked: codes of abolished counties stay valid in numbers already issued.
 * - Birth date YYYYMMDD: a real Gregorian date from 1900-01-01 to today_days inclusive.
 * - Sequence: three digits, the last of them (the 17th character) odd for men, even for
 *   women.
 * - The 15-character form of first-generation cards (6 region digits, YYMMDD meaning 19YY,
 *   3 sequence digits, no check character; sex from the last digit) is valid but legacy;
 *   its 18-character form inserts "19" and appends the check character.
 *
 * Surrounding spaces are not stripped. The checks run in this order and the first failure
 * is reported, with these messages (field "idNumber" by default):
 *   an ID number has 18 characters, not 17
 *   character 7 of the ID number is not a digit
 *   the last character of the ID number is not a digit or 'X'
 *   region code 99 in the ID number is not a province
 *   birth date 19900230 in the ID number is not a date
 *   birth date 18800101 in the ID number is before 1900
 *   birth date 20990101 in the ID number is in the future
 *   ID number check character should be 'X', not '3'
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_RESIDENT_ID_LEN	     18
#define IDENT_RESIDENT_ID_LEGACY_LEN 15

/* Codes of GB/T 2261.1. */
enum ident_sex { IDENT_SEX_MALE = 1, IDENT_SEX_FEMALE = 2 };

/* What a valid resident id number says. */
struct ident_person {
	char canonical[IDENT_RESIDENT_ID_LEN + 1]; /* as given, 18 (with 'X') or 15 characters */
	char id18[IDENT_RESIDENT_ID_LEN + 1];	   /* the 18-character form: the conversion of a
						      15-character number, else canonical */
	char region[7];				   /* "110105" */
	int birth_year, birth_month, birth_day;	   /* 1949, 12, 31 */
	int64_t birth_days;			   /* the birth date, days since 1970-01-01 */
	enum ident_sex sex;
	bool legacy; /* given in the 15-character form */
};

/*
 * Validates the resident id number s as of today_days (see ident_today()); field defaults
 * to "idNumber". Examples, with today in 2026:
 *   "11010519491231002X" (the sample of GB 11643) → 0: canonical "11010519491231002X",
 *       region "110105", born 1949-12-31, female (17th character '2'), not legacy
 *   "11010519491231002x" → 0, canonical "11010519491231002X"
 *   "110105491231002" → 0, legacy, canonical "110105491231002",
 *       id18 "11010519491231002X", born 1949-12-31, female (last digit '2')
 *   "110105194912310023" → CRM_EINVAL, "ID number check character should be 'X', not '3'"
 *   "11010519000229002X" → CRM_EINVAL, "birth date 19000229 in the ID number is not a
 *       date" (1900 is not a leap year; 2000 is)
 */
int ident_resident_id_check(const char *s, int64_t today_days, const char *field,
			    struct ident_person *out, struct crm_err *err);

/*
 * Makes the 18-character number of a person from region6 (six digits, the first two a
 * province code accepted above; borrowed), the birth date y-m-d (a real date, year 1900 to
 * 9999) and seq3 (0 to 999), computing the check character. Deterministic. Returns 0, or
 * CRM_EINVAL (out untouched, no message: a caller's bug) for arguments outside those
 * ranges. The result validates whenever the birth date is not after today. Example:
 *   ident_resident_id_make(out, "110105", 1949, 12, 31, 2) → 0, out "11010519491231002X"
 */
int ident_resident_id_make(char out[IDENT_RESIDENT_ID_LEN + 1], const char *region6, int y, int m,
			   int d, int seq3);

/* ---------------------------------------------------------------------------------------
 * Unified social credit codes, 统一社会信用代码 (GB 32100-2015)
 *
 *   9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 3
 *   | | \_region__/ \_organisation_/ check
 *   | type            code (GB 11714)
 *   registration authority
 *
 * - 18 characters from the 31-character alphabet 0-9 A-H J-N P-R T U W-Y (no I, O, S, V,
 *   Z). Lower-case letters are accepted; the canonical form is upper-case.
 * - Position 1, registration authority, and 2, organisation type. The standard's text
 *   gives only examples; these are the codes assigned in practice, as published with the
 *   credit code system (authorities 1-9, A, N, Y since 2016; earlier lists differ):
 *     1 机构编制 establishment offices   1 organs, 2 public institutions, 3 mass bodies
 *                                         under the central establishment office, 9 other
 *     2 外交 foreign affairs             1 foreign press offices, 9 other
 *     3 司法行政 justice                 1 law firms, 2 notaries, 3 grassroots legal
 *                                         services, 4 forensic institutions,
 *                                         5 arbitration commissions, 9 other
 *     4 文化 culture                     1 foreign cultural centres, 9 other
 *     5 民政 civil affairs               1 social organisations, 2 private non-enterprise
 *                                         units, 3 foundations, 9 other
 *     6 旅游 tourism                     1 foreign tourism offices, 2 Hong Kong, Macao and
 *                                         Taiwan tourism offices, 9 other
 *     7 宗教 religious affairs           1 places of worship, 2 religious schools, 9 other
 *     8 工会 trade unions                1 grassroots unions, 9 other
 *     9 工商 market regulation           1 enterprises, 2 individual businesses,
 *                                         3 farmers' cooperatives
 *     A 中央军委改革和编制办公室 military 1 military public institutions, 9 other
 *     N 农业 agriculture                 1 group-, 2 village-, 3 township-level rural
 *                                         collective economic organisations, 9 other
 *     Y 其他 other                       1 only
 * - Positions 3-8, region of the registration authority: six digits, the first two a
 *   province code of GB/T 2260 (as for id numbers, without 83 and 91) or 10 for national
 *   authorities (100000).
 * - Positions 9-17, organisation code (GB 11714-1997): eight characters and a check
 *   character over them, weights 3 7 9 10 5 8 4 2 with A=10 ... Z=35 (the Latin alphabet,
 *   not the code's), 11 - sum mod 11, 10 written 'X' and 11 written '0'.
 * - Position 18, the check character (GB/T 17710 MOD 31-3): each of the 17 characters'
 *   index in the alphabet times 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (3^i mod 31),
 *   31 - sum mod 31, 31 meaning 0, as the character at that index.
 *
 * NEEDSWORK: some codes issued in Xiamen before 2016 do not satisfy the final check
 * (e.g. 91350203M0001QKT19, reported valid on public registries) and are refused here.
 *
 * Messages (field "creditCode" by default), first failure in this order:
 *   a social credit code has 18 characters, not 17
 *   character 9 of the social credit code is 'I', which the code does not use
 *   character 9 of the social credit code is not a digit or a letter
 *   registration authority 'B' in the social credit code is not one of 1-9, A, N, Y
 *   organisation type '4' in the social credit code does not exist under registration
 *       authority '9'
 *   character 3 of the social credit code is not a digit (in the region code)
 *   region code 99 in the social credit code is not a province
 *   organisation code check character should be '4', not '5'
 *   social credit code check character should be '3', not '4'
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_USCC_LEN 18

/* What a valid social credit code says. */
struct ident_org {
	char canonical[IDENT_USCC_LEN + 1]; /* "91350100M000100Y43" */
	char authority;			    /* '9' */
	char type;			    /* '1' */
	char region[7];			    /* "350100" */
	char org_code[10];		    /* "M000100Y4", with its check character */
};

/*
 * Validates the social credit code s; field defaults to "creditCode". Examples:
 *   "91350100M000100Y43" → 0: authority '9' (market regulation), type '1' (enterprise),
 *       region "350100", organisation code "M000100Y4"
 *   "91350100m000100y43" → 0, canonical "91350100M000100Y43"
 *   "91350100M000100Y44" → CRM_EINVAL, "social credit code check character should be '3',
 *       not '4'"
 */
int ident_uscc_check(const char *s, const char *field, struct ident_org *out, struct crm_err *err);

/*
 * Makes a social credit code from its parts, computing both check characters: authority
 * and type from the table above, region6 six digits as above, org8 the eight characters of
 * the organisation code before its check character, from the code's alphabet (upper case).
 * Deterministic. Returns 0, or CRM_EINVAL (out untouched, no message) for parts that are
 * not valid. Example:
 *   ident_uscc_make(out, '9', '1', "350100", "M000100Y") → 0, out "91350100M000100Y43"
 */
int ident_uscc_make(char out[IDENT_USCC_LEN + 1], char authority, char type, const char *region6,
		    const char *org8);

/* ---------------------------------------------------------------------------------------
 * Mainland mobile numbers
 *
 * Eleven digits starting with 1; the leading digits (the segment, 号段) must be allocated
 * for public mobile networks by MIIT (我国公众移动通信网网号及H0分配情况, as of March 2023;
 * the table is ident_mobile_segments below). Segments for satellite phones (1349x, 174x,
 * 1619) are refused. Segment data says the operator the number was issued by; a number
 * ported to another operator (携号转网) keeps its segment, so this is not necessarily the
 * current operator.
 *
 * Accepted input: the digits with any spaces and dashes, optionally after "+86", "0086"
 * or "86" (the last two only when 13 or 15 digits remain with them). Canonical: the 11
 * digits.
 *
 * Messages (field "mobile" by default):
 *   a mobile number has only digits, spaces and dashes, not 'a'
 *   a mobile number has only digits, spaces and dashes            (non-printable byte)
 *   only Chinese mobile numbers (+86) are accepted
 *   a mobile number has 11 digits, not 10
 *   a mobile number starts with 1, not 2
 *   mobile number segment 154 is not allocated to an operator
 *   mobile number segment 17400 is for satellite phones
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_MOBILE_LEN 11

enum ident_operator {
	IDENT_OP_NONE = 0,
	IDENT_OP_MOBILE,   /* 中国移动 China Mobile */
	IDENT_OP_UNICOM,   /* 中国联通 China Unicom */
	IDENT_OP_TELECOM,  /* 中国电信 China Telecom */
	IDENT_OP_BROADNET, /* 中国广电 China Broadnet */
	IDENT_OP_MVNO,	   /* a mobile virtual network operator (移动转售) */
};

/* "China Mobile", "China Unicom", "China Telecom", "China Broadnet", "MVNO"; "" for
 * IDENT_OP_NONE and values out of range. Static strings. */
const char *ident_operator_name(enum ident_operator op);

/* One row of the segment table: numbers starting with prefix. */
struct ident_mobile_segment {
	const char *prefix;	     /* 3 to 5 digits; no prefix is a prefix of another */
	enum ident_operator op;	     /* IDENT_OP_NONE: a satellite segment, refused */
	enum ident_operator network; /* the operator holding the segment: op, or for an MVNO
					segment the host network; NONE when satellite and
					held by none of the four */
};

/* The segment table, in prefix order. */
extern const struct ident_mobile_segment ident_mobile_segments[];
extern const size_t ident_mobile_segment_count;

/* What a valid mobile number says. */
struct ident_mobile {
	char canonical[IDENT_MOBILE_LEN + 1];	    /* "13812345678" */
	const struct ident_mobile_segment *segment; /* its row in ident_mobile_segments */
	enum ident_operator op;			    /* segment->op */
	enum ident_operator network;		    /* segment->network */
};

/*
 * Validates the mobile number s; field defaults to "mobile". Examples:
 *   "13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "8613812345678" → 0,
 *       canonical "13812345678", op and network IDENT_OP_MOBILE
 *   "17031234567" → 0, op IDENT_OP_MVNO, network IDENT_OP_MOBILE
 *   "19212345678" → 0, op IDENT_OP_BROADNET
 *   "15412345678" → CRM_EINVAL, "mobile number segment 154 is not allocated to an operator"
 */
int ident_mobile_check(const char *s, const char *field, struct ident_mobile *out,
		       struct crm_err *err);

/*
 * Makes the mobile number starting with segment (3 to 10 digits that begin with the
 * prefix of a row of the table whose op is not NONE: "138", "1703", "13800"; borrowed),
 * the other digits being subscriber modulo 10^(11 - length), zero-padded. Deterministic;
 * the result validates. Returns 0, or CRM_EINVAL (out untouched, no message) for any
 * other segment, including "134" and "170", whose rows are 4 digits long. Example:
 *   ident_mobile_make(out, "138", 12345678) → 0, out "13812345678"
 *   ident_mobile_make(out, "1703", 7) → 0, out "17030000007"
 */
int ident_mobile_make(char out[IDENT_MOBILE_LEN + 1], const char *segment, uint32_t subscriber);

/* ---------------------------------------------------------------------------------------
 * Fixed-line numbers
 *
 * An area code, 0 and two or three digits, the length told by its first digits: 010 and
 * 020-029 (the second digit 1 or 2) are three digits long, 0300-0999 four; other codes
 * starting 01 do not exist. Then the local number, 8 digits after a three-digit area code
 * and 7 or 8 after a four-digit one, starting with 2-9. Then optionally an extension of 1
 * to 6 digits. The area codes themselves are not checked against the allocation.
 *
 * Accepted input, surrounding spaces ignored:
 *   [+86 | 0086] [(] area [)] [sep...] local [ext]
 * - After "+86" or "0086" the area code may drop its 0: "+86 10 62345678".
 * - sep is ' ' or '-'. The local number may have single spaces or dashes inside; it ends
 *   when it has 8 digits, or at a separator once it has the 7 or 8 digits it needs (so
 *   "0755-2345678-8" is 2345678 extension 8).
 * - ext is a separator run, or one of "-", "#", ",", "x", "X", "ext", "ext.", "EXT",
 *   "转" (UTF-8) with spaces around, then the digits.
 * Service numbers without an area code (400/800 numbers, 95xxx, 10086) are not fixed-line
 * numbers here. Canonical: "010-62345678", "0755-2345678", with an extension
 * "010-62345678-123".
 *
 * Messages (field "phone" by default):
 *   a fixed-line number starts with an area code, 0 and two or three digits
 *   area code 011 does not exist
 *   the area code has no closing parenthesis
 *   the local number after area code 010 has 8 digits, not 7
 *   the local number after area code 0755 has 7 or 8 digits, not 6
 *   the local number after area code 010 starts with 2-9, not 1
 *   a fixed-line number has 'a', which is not a digit
 *   a fixed-line number has 'a' where its extension should be
 *   an extension has 1 to 6 digits, not 7
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_FIXED_LINE_MAX 20 /* "0755-23456789-123456" */

struct ident_fixed_line {
	char canonical[IDENT_FIXED_LINE_MAX + 1];
	char area[5];  /* "010", "0755" */
	char local[9]; /* "62345678" */
	char ext[7];   /* "" when none */
};

/*
 * Validates the fixed-line number s; field defaults to "phone". Examples:
 *   "010-62345678", "(010) 6234 5678", "+86 10 62345678", "01062345678" → 0,
 *       canonical "010-62345678", area "010", local "62345678"
 *   "0755 2345678 转 8001" → 0, canonical "0755-2345678-8001", ext "8001"
 *   "010-6234567" → CRM_EINVAL, "the local number after area code 010 has 8 digits, not 7"
 */
int ident_fixed_line_check(const char *s, const char *field, struct ident_fixed_line *out,
			   struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * E-mail addresses
 *
 * A pragmatic check of the addresses people type, not all of RFC 5322: local@domain with
 * - one '@', at most 254 characters in all (RFC 5321's path limit), no spaces;
 * - a local part of 1 to 64 characters from A-Z a-z 0-9 and !#$%&'*+/=?^_`{|}~.- with no
 *   dot first, last or next to another (no quoted local parts);
 * - a domain of at least two labels separated by dots, each 1 to 63 letters, digits and
 *   dashes, not starting or ending with a dash, the last (the top-level domain) letters
 *   only or a punycode "xn--" label (no address literals like [10.0.0.1]).
 * Non-ASCII addresses are refused; an internationalised domain is accepted in its
 * punycode form. NEEDSWORK: addresses with a non-ASCII local part (RFC 6531) are refused.
 * Canonical: the domain lower-cased, the local part kept as given (only its host may
 * treat case as insignificant).
 *
 * Messages (field "email" by default):
 *   an e-mail address has at most 254 characters, not 300
 *   an e-mail address has one '@', not 0
 *   an e-mail address has a space
 *   the part before the '@' of an e-mail address has ';', which is not allowed
 *       (or "has a character that is not allowed" for a byte that is not printable ASCII)
 *   the part before the '@' of an e-mail address is empty
 *   the part before the '@' of an e-mail address has at most 64 characters, not 65
 *   the part before the '@' of an e-mail address starts or ends with a dot
 *   the part before the '@' of an e-mail address has two dots in a row
 *   the domain of an e-mail address has '_', which is not allowed (or as above)
 *   the domain of an e-mail address is empty
 *   e-mail domain 'a..com' has an empty label
 *   e-mail domain labels have at most 63 characters, not 64
 *   e-mail domain label 'a-' starts or ends with a dash
 *   e-mail domain 'example' has no top-level domain
 *   e-mail top-level domain 'c0m' is not letters
 *   e-mail top-level domain 'c' is one letter
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_EMAIL_MAX 254

struct ident_email {
	char canonical[IDENT_EMAIL_MAX + 1]; /* "Zhang.Wei@example.com" */
	size_t at;			     /* index of the '@' in canonical */
};

/*
 * Validates the e-mail address s; field defaults to "email". Examples:
 *   "Zhang.Wei@Example.COM" → 0, canonical "Zhang.Wei@example.com", at 9
 *   "zhang wei@example.com" → CRM_EINVAL, "an e-mail address has a space"
 */
int ident_email_check(const char *s, const char *field, struct ident_email *out,
		      struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * Residence permits of Hong Kong, Macao and Taiwan residents, 港澳台居民居住证 (2018)
 *
 * The number has the form of a resident id number of 18 characters (GB 11643, above),
 * with the region 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan), a birth date from
 * 1900-01-01 to today, a sequence whose third digit is odd for men, and the check character.
 * There is no 15-character form. A lower-case 'x' is accepted; the canonical form has 'X'.
 *
 * Messages (field "idNumber" by default), first failure in this order:
 *   a residence permit number has 18 characters, not 17
 *   character 7 of the residence permit number is not a digit
 *   the last character of the residence permit number is not a digit or 'X'
 *   region code 110105 in the residence permit number is not 810000 (Hong Kong), 820000
 *       (Macao) or 830000 (Taiwan)
 *   birth date 19900230 in the residence permit number is not a date
 *   birth date 18800101 in the residence permit number is before 1900
 *   birth date 20990101 in the residence permit number is in the future
 *   residence permit number check character should be '2', not '3'
 * ---------------------------------------------------------------------------------------
 */

/*
 * Validates the residence permit number s as of today_days; field defaults to "idNumber".
 * out is filled as for a resident id number (region "810000", ..., legacy false).
 * Examples, with today in 2026:
 *   "810000199408230021" → 0: region "810000", born 1994-08-23, female
 *   "830000199201300022" → 0: region "830000" (Taiwan)
 *   "11010519491231002X" → CRM_EINVAL, "region code 110105 in the residence permit number
 *       is not 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)"
 */
int ident_residence_permit_check(const char *s, int64_t today_days, const char *field,
				 struct ident_person *out, struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * Foreigners' permanent resident ID cards, 外国人永久居留身份证
 *
 * Two forms are in use, the card of 2023 (issued since 2023-12-01) and the card of 2017,
 * valid until it expires:
 *
 *   2023: 9 1 1 3 9 8 1 9 9 0 1 2 3 1 0 0 2 1        2017: K A Z 1 1 0 0 9 0 1 2 3 1 0 5
 *         | \_/ \___/ \_birth date_/ \seq/ check          \___/ \_____/ \_birth_/ | check
 *         |  province  country                            nationality place  YYMMDD seq
 *         foreigner
 *
 * - 2023, 18 characters, GB 11643's form (National Immigration Administration, 新版外国人
 *   永久居留身份证适配性改造要点): '9' (a foreigner: citizens' numbers start with 1-8), two
 *   digits of the province where the application was made (a mainland province code,
 *   11-65 of the table for resident ids), three digits of the nationality (ISO 3166-1
 *   numeric, not checked against the list), the birth date YYYYMMDD (1900-01-01 to
 *   today), three sequence digits, the last odd for men, and the check character of
 *   ISO 7064 MOD 11-2 as for resident ids ('X' for 10; 'x' accepted).
 * - 2017, 15 characters: three letters of the nationality (ISO 3166-1 alpha-3, not checked
 *   against the list; lower case accepted, canonical upper case), four digits of the place
 *   where the application was made, the first two a mainland province code, the birth
 *   date YYMMDD (read as 20YY when that is a date not after today, else as 19YY), one
 *   sequence digit and a check digit: the ICAO 9303 check digit over the 14 characters
 *   before it (weights 7 3 1 repeated, letters A=10 ... Z=35, sum mod 10).
 *   NEEDSWORK: the 2017 layout and check digit are as implemented by public validators
 *   and borne out by the published sample KAZ110090123105; no official text of them has
 *   been found. If real cards are refused at "check character", this is why.
 *
 * Messages (field "idNumber" by default):
 *   a permanent resident ID number has 15 or 18 characters, not 17
 *   18 characters: as for resident ids above, with "permanent resident ID number" for
 *       "ID number", except for the region:
 *   a permanent resident ID number of 18 characters starts with 9, not 1
 *   region code 71 in the permanent resident ID number is not a mainland province
 *   15 characters:
 *   character 2 of the permanent resident ID number is not a letter
 *   character 4 of the permanent resident ID number is not a digit
 *   region code 99 in the permanent resident ID number is not a mainland province
 *   birth date 900230 in the permanent resident ID number is not a date
 *   birth date 900101 in the permanent resident ID number is in the future
 *   permanent resident ID number check character should be '5', not '7'
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_PERMANENT_RESIDENCE_LEN	     18
#define IDENT_PERMANENT_RESIDENCE_LEGACY_LEN 15

/* What a valid permanent resident ID number says. */
struct ident_foreigner {
	char canonical[IDENT_PERMANENT_RESIDENCE_LEN + 1]; /* "911398199012310021" */
	char nationality[4];			/* "398" (2023, numeric) or "KAZ" (2017, letters) */
	char province[3];			/* "11": where the application was made */
	int birth_year, birth_month, birth_day; /* 1990, 12, 31 */
	int64_t birth_days;			/* days since 1970-01-01 */
	enum ident_sex sex;			/* 0 for the 2017 form, which does not say */
	bool legacy;				/* the 15-character form of 2017 */
};

/*
 * Validates the permanent resident ID number s as of today_days; field defaults to
 * "idNumber". Examples, with today in 2026:
 *   "911398199012310021" → 0: nationality "398" (Kazakhstan), province "11", born
 *       1990-12-31, female, not legacy
 *   "KAZ110090123105", "kaz110090123105" → 0, canonical "KAZ110090123105", nationality
 *       "KAZ", province "11", born 1990-12-31, legacy
 *   "911398199012310022" → CRM_EINVAL, "permanent resident ID number check character should
 *       be '1', not '2'"
 */
int ident_permanent_residence_check(const char *s, int64_t today_days, const char *field,
				    struct ident_foreigner *out, struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * Passport numbers, 护照
 *
 * Any country's: 5 to 20 ASCII letters and digits with at least one digit; no spaces,
 * punctuation or other characters. Lower-case letters are accepted; the canonical form is
 * upper-case. A number in the series of Chinese ordinary passports must also have its
 * length:
 * - 'E' or 'G' then digits only: 'E' (electronic, 2012 to April 2017) or 'G' (before the
 *   electronic passport) and 8 digits, E12345678;
 * - 'E', a letter, then digits only: the series since 5 April 2017, 'E', a letter other
 *   than 'I' and 'O', and 7 digits, EA1234567.
 * Other Chinese passports (DE/SE/PE and 7 digits for diplomatic, service and public
 * affairs passports, K and 8 digits for Hong Kong's, MA and 7 digits for Macao's) and
 * foreign ones pass the general rule. Old service passports written with a dot (P.1234567,
 * S.1234567, all expired) are refused. A foreign number that happens to look like one of
 * the Chinese series with another length is refused too; "other" takes it.
 *
 * Messages (field "passport" by default), first failure in this order:
 *   a passport number has 5 to 20 characters, not 4
 *   a passport number has only letters and digits, not '-'   (also "not a space", or no
 *       quote for a byte that is not printable ASCII)
 *   a passport number has at least one digit
 *   a Chinese passport number starting with 'E' and a digit has 8 digits, not 7
 *   Chinese passport numbers do not start with 'EI' or 'EO'
 *   a Chinese passport number starting with 'E' and a letter has 7 digits after them, not 8
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_PASSPORT_MIN 5
#define IDENT_PASSPORT_MAX 20

struct ident_passport {
	char canonical[IDENT_PASSPORT_MAX + 1]; /* "E12345678" */
	bool chinese; /* in a series of Chinese ordinary passports (E or G, checked above) */
};

/*
 * Validates the passport number s; field defaults to "passport". Examples:
 *   "E12345678", "e12345678" → 0, canonical "E12345678", chinese
 *   "EF1260892" → 0, chinese
 *   "123456789", "C01X00T47", "K12345678" → 0, not chinese
 *   "E1234567" → CRM_EINVAL, "a Chinese passport number starting with 'E' and a digit has
 *       8 digits, not 7"
 */
int ident_passport_check(const char *s, const char *field, struct ident_passport *out,
			 struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * Travel permits to the mainland
 *
 * 港澳居民来往内地通行证 (回乡证), for Hong Kong and Macao residents: 'H' (Hong Kong) or 'M'
 * (Macao) and 8 digits, the holder's number for life; the permits of 1999 to 2012 add two
 * digits, the number of times the permit was issued (00 the first), H1234567800 (Ministry
 * of Public Security, 港澳居民来往内地通行证号码规则, 2010). 'h' and 'm' are accepted; the
 * canonical form is upper-case.
 *
 * 台湾居民来往大陆通行证 (台胞证), for Taiwan residents: the holder's 8-digit number for life
 * (the only form since 25 September 2008, and on the card of 2015); before that, those
 * 8 digits and two of the times issued, and from 1992 until 2006 (until 2008 from the
 * offices in Hong Kong and Macao) after them the issuing office's code in parentheses, a
 * letter or digit: 0561682001(D). Accepted: 8 digits, 10 digits, or 10 digits and the
 * code in ASCII or full-width parentheses, or a bare letter: 0561682001D. Canonical: the
 * digits, then the code upper-case in ASCII parentheses, "0561682001(D)".
 *
 * Messages (field "permitNumber" by default):
 *   a Hong Kong and Macao travel permit number has 9 or 11 characters, not 8
 *   a Hong Kong and Macao travel permit number starts with H or M, not 'C'
 *   character 5 of the Hong Kong and Macao travel permit number is not a digit
 *   a Taiwan travel permit number has 8 or 10 digits, not 9
 *   a Taiwan travel permit number has '-', which is not a digit (or no quote, as above)
 *   the issuing office code of a Taiwan travel permit number is one letter or digit in
 *       parentheses, as in (B)
 *   an issuing office code follows the 10 digits of an old Taiwan travel permit number,
 *       not 8
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_TRAVEL_PERMIT_MAX 13 /* "0561682001(D)" */

struct ident_travel_permit {
	char canonical[IDENT_TRAVEL_PERMIT_MAX + 1]; /* "H1234567800", "0561682001(D)" */
	char lifelong[10]; /* the number for life: "H12345678", "05616820" */
	int issue;	   /* the times issued in the number, -1 when it has none */
	char office;	   /* the issuing office code of an old Taiwan permit, or '\0' */
};

/*
 * Validates the Hong Kong and Macao residents' permit number s; field defaults to
 * "permitNumber". Examples:
 *   "H12345678" → 0, lifelong "H12345678", issue -1
 *   "m1234567801" → 0, canonical "M1234567801", lifelong "M12345678", issue 1
 *   "H1234567" → CRM_EINVAL, "a Hong Kong and Macao travel permit number has 9 or 11
 *       characters, not 8"
 */
int ident_travel_permit_hkmo_check(const char *s, const char *field,
				   struct ident_travel_permit *out, struct crm_err *err);

/*
 * Validates the Taiwan residents' permit number s; field defaults to "permitNumber".
 * Examples:
 *   "12345678" → 0, lifelong "12345678", issue -1, office '\0'
 *   "0561682001(D)", "0561682001（d）", "0561682001D" → 0, canonical "0561682001(D)",
 *       lifelong "05616820", issue 1, office 'D'
 *   "1234567890" → 0, issue 90
 *   "123456789" → CRM_EINVAL, "a Taiwan travel permit number has 8 or 10 digits, not 9"
 */
int ident_travel_permit_tw_check(const char *s, const char *field, struct ident_travel_permit *out,
				 struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * Military and armed police identity cards, 军官证 / 士兵证 / 武警证
 *
 * Their numbers follow no published scheme (南字第123456号, 军字第2001988号, 武字第00001号):
 * 6 to 20 characters, each an ASCII letter or digit or a Chinese character (CJK Unified
 * Ideographs and their extensions A to G, the compatibility ideographs, and 〇), in valid
 * UTF-8. The canonical form is the value as given.
 *
 * Messages (field "idNumber" by default; "an armed police ID number" for the second):
 *   a military ID number has 6 to 20 characters, not 5
 *   character 3 of the military ID number is '-', not a letter, a digit or a Chinese
 *       character (no quote for anything but printable ASCII)
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_SERVICE_ID_MIN   6
#define IDENT_SERVICE_ID_MAX   20			  /* characters */
#define IDENT_SERVICE_ID_BYTES (IDENT_SERVICE_ID_MAX * 4) /* in UTF-8 */

struct ident_service_id {
	char canonical[IDENT_SERVICE_ID_BYTES + 1]; /* "南字第123456号" */
	size_t chars;				    /* 11 */
};

/* Validates the military ID number s; field defaults to "idNumber". Examples:
 *   "南字第123456号", "JZ2001988" → 0
 *   "南字第1号" → CRM_EINVAL, "a military ID number has 6 to 20 characters, not 5" */
int ident_military_id_check(const char *s, const char *field, struct ident_service_id *out,
			    struct crm_err *err);

/* The same for an armed police ID number: "武字第00001号" → 0. */
int ident_armed_police_id_check(const char *s, const char *field, struct ident_service_id *out,
				struct crm_err *err);

/* ---------------------------------------------------------------------------------------
 * Identification documents by type
 *
 * The documents real-name registration (实名制) accepts for a subscriber, and the social
 * credit code of an organization, each under its TMF identificationType, with its check
 * and the number to store (the canonical form of that check; for the documents that show a
 * resident id number, its 18-character form):
 *
 *   residentId                  居民身份证         resident id (above)
 *   nationalId                  the TMF name of a resident id: checked and stored as one
 *   temporaryResidentId         临时居民身份证     resident id
 *   householdRegister           户口簿             the holder's resident id number
 *   residencePermitHkMoTw       港澳台居民居住证   residence permit (above)
 *   foreignPermanentResidentId  外国人永久居留身份证 permanent resident ID (above)
 *   passport                    护照               passport (above)
 *   mainlandTravelPermitHkMo    港澳居民来往内地通行证 travel permit (above)
 *   mainlandTravelPermitTw      台湾居民来往大陆通行证 travel permit (above)
 *   militaryId                  军官证, 士兵证     military ID (above)
 *   armedPoliceId               武警证             armed police ID (above)
 *   unifiedSocialCreditCode     统一社会信用代码   social credit code (above)
 *   other                       anything not empty, at most IDENT_DOCUMENT_MAX bytes,
 *                               "'<field>' must not be empty"
 *
 * Each type also says how its number identifies the holder (enum ident_key), so that a
 * caller can keep one number per person for uniqueness: the resident id number first, then
 * a residence permit's, then a permanent resident ID's, then a passport's.
 * ---------------------------------------------------------------------------------------
 */

#define IDENT_DOCUMENT_MAX 80 /* bytes of a canonical number */

/* How a document's number identifies its holder, strongest first. */
enum ident_key {
	IDENT_KEY_NONE = 0,	    /* not nationally: travel permits, military ids, other */
	IDENT_KEY_CITIZEN,	    /* the resident id number (公民身份号码), for life; every
				       document of the person that shows it shows the same */
	IDENT_KEY_RESIDENCE_PERMIT, /* Hong Kong, Macao, Taiwan residents' number, for life */
	IDENT_KEY_PERMANENT_RESIDENCE, /* a foreigner's, until the card is replaced */
	IDENT_KEY_PASSPORT,	       /* a passport's: per passport, and per issuing country */
	IDENT_KEY_ORGANIZATION,	       /* an organization's social credit code */
};

struct ident_document;

/* One row of the table. */
struct ident_document_type {
	const char *name;      /* "nationalId", as in identificationType */
	const char *stored_as; /* the name to store: "residentId" for "nationalId", else name */
	enum ident_key key;
	/* The check: ident_document_check's contract with a non-NULL field. */
	int (*check)(const char *s, int64_t today_days, const char *field,
		     struct ident_document *out, struct crm_err *err);
};

/* The table, in the order above. */
extern const struct ident_document_type ident_document_types[];
extern const size_t ident_document_type_count;

/* The row named name (case-sensitive), or NULL. */
const struct ident_document_type *ident_document_type_find(const char *name);

/* What a valid document number is. */
struct ident_document {
	char canonical[IDENT_DOCUMENT_MAX + 1]; /* the number to store and index */
	const struct ident_document_type *type; /* its row */
};

/*
 * Validates s as the number of a document of type (a name of the table) as of
 * today_days, by that type's check; field defaults to "identificationId". Messages are
 * those of the check; an unknown type is CRM_EINVAL, "identification type 'x' is not
 * known" (the name quoted only when it is ASCII letters and digits). Examples:
 *   ("nationalId", "11010519491231002x") → 0, canonical "11010519491231002X", type the
 *       row of nationalId (stored_as "residentId", key IDENT_KEY_CITIZEN)
 *   ("householdRegister", "110105491231002") → 0, canonical "11010519491231002X"
 *   ("passport", "e12345678") → 0, canonical "E12345678", key IDENT_KEY_PASSPORT
 *   ("other", "") → CRM_EINVAL, "'identificationId' must not be empty"
 */
int ident_document_check(const char *type, const char *s, int64_t today_days, const char *field,
			 struct ident_document *out, struct crm_err *err);

#endif
