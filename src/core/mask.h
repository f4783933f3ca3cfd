/*
 * Masking of personal data for staff without the pii.read permission, after the usual
 * conventions of Chinese operators: 138****5678, 110105********1234, z***@example.com,
 * 广东省广州市天河区****, 张*. Masks are pure byte functions of the value: no locale, no
 * failure, valid UTF-8 out for any input, and masking a mask gives the same mask. Also
 * the masking of personal data found in free text, for the log (mask_text).
 */
#ifndef CRM_MASK_H
#define CRM_MASK_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum mask_kind { MASK_NONE, MASK_PHONE, MASK_ID_NUMBER, MASK_EMAIL, MASK_ADDRESS, MASK_NAME };

/*
 * The rules. A "unit" is one UTF-8 code point, or one byte that is not part of a valid
 * sequence; a unit that is shown is copied, except that an invalid byte is shown as '*'.
 * The empty string masks to the empty string under every kind.
 *
 * MASK_NONE       the value unchanged.
 * MASK_PHONE      Values made only of digits, ' ', '-', '(', ')', '.', '*' and a leading
 *                 '+' are phone-shaped; digits and '*' are its digit slots. Anything else,
 *                 and phone-shaped values with fewer than 7 slots, become one '*' per unit.
 *                 Otherwise separators stay in place and only slots are starred:
 *                 - "+86" or "0086" followed by at least 7 slots: the prefix is kept and
 *                   the rest masked by the last rule: +8613812345678 → +86138****5678;
 *                 - a fixed line, area code 0dd or 0ddd (optionally in parentheses) then
 *                   ')', ' ' or '-', then at least 7 slots: the area code is kept and of
 *                   the number only the last 4: 010-12345678 → 010-****5678;
 *                 - anything else: first 3 and last 4 slots kept, 13812345678 →
 *                   138****5678.
 *                 At least 4 slots are always starred, so short numbers keep fewer:
 *                 7 slots ****567, 8 ****5678, 9 1****6789, 10 12****7890.
 * MASK_ID_NUMBER  15 units or more (resident ids, 18 or 15 long): first 6 and last 4
 *                 kept, 110105199001011234 → 110105********1234; 6 to 14 units
 *                 (passports, permits): first 1 and last 2 kept, E12345678 → E******78;
 *                 fewer: all '*'.
 * MASK_EMAIL      Split at the last '@'; when both sides are non-empty, the first unit of
 *                 the local part, "***", '@' and the domain: z***@example.com. Otherwise
 *                 the generic rule: first 1 and last 2 units kept when there are at
 *                 least 6, else all '*' (zhangwei → z*****ei).
 * MASK_ADDRESS    Kept up to and including the first district-level unit — 区, 县 or 旗,
 *                 where a 区 ending 自治区, 行政区 or 地区 (province, SAR and prefecture
 *                 level) does not count, and 市辖区 does — if that unit is among the first
 *                 24 code points; otherwise the first 6 code points. Then "****":
 *                 广东省广州市天河区体育西路103号 → 广东省广州市天河区****. Only the
 *                 leading part that is valid UTF-8 without '*' is searched and kept.
 * MASK_NAME       The first unit kept and every other unit starred: 张伟 → 张*,
 *                 欧阳娜娜 → 欧***; a one-unit name becomes "*".
 *
 * Every mask of a non-empty value under a kind other than MASK_NONE contains a '*'.
 */

/*
 * Personal data in free text, such as a log line or a request target: what looks like
 * one is masked where it stands and everything else is copied. Rules, in this order at
 * each place:
 * - An e-mail address: a local part of letters, digits and "._%+-" right before '@',
 *   and a domain of two or more labels of letters, digits and '-': the local part
 *   becomes its first character and "***", zhang.wei@example.com → z***@example.com.
 *   The domain is text like any other.
 * - A UUID (8-4-4-4-12 hex digits, not inside a longer word) is copied: ids, not data.
 * - A number: digits, possibly in groups joined by one ' ', '-' or '+' ("139 1234 5678",
 *   "+86-139-1234-5678"). Only digits are starred; separators and the rest stay:
 *   - a mobile number, 11 digits starting 13 to 19, grouped or not, optionally after
 *     86 or 0086: first 3 and last 4 of its 11 kept, 139****5678, +86 139 **** 5678;
 *   - a fixed line in two groups, area code 0 and 2 or 3 digits, then 7 or 8 digits:
 *     area code and last 4 kept, 010-****5678;
 *   - a resident id number, 18 digits or 17 and 'X' in one run: first 4 and last 4
 *     kept, 1101**********1234, 1101**********123X;
 *   - any other run of 9 digits or more (bank cards, IMSIs, 15-digit id numbers,
 *     customer numbers): first 2 and last 2 kept, or last 4 from 12 digits on,
 *     62************0123;
 *   shorter numbers (dates, counts, ports, statuses) are copied.
 * Groups are joined greedily, the longest match from the first digit on, so a number
 * next to another may be read as part of it: "1394-5678 020-87654321" is one mobile
 * number and the rest (139*-***8 020-87654321). Only ASCII is looked at; other bytes are
 * copied as they are. Masking a masked text again changes nothing, but for such neighbours
 * of a mask, whose digits it may then star (the same length, never fewer stars). Writes
 * the result to out (cap bytes, NUL-terminated when cap is not 0, cut at cap - 1 bytes)
 * and returns its length; it is at most n plus 3 per '@'. Thread-safe.
 */
size_t mask_text(char *out, size_t cap, const char *s, size_t n);

/* The masked form of value, allocated in the arena; NULL gives NULL. Thread-safe. */
const char *mask_apply(struct arena *a, enum mask_kind k, const char *value);

/* The structured address: the non-NULL parts of province, city and district in that
 * order, then "****" when street is non-empty (invalid UTF-8 bytes shown as '*').
 * Allocated in the arena. Thread-safe. */
const char *mask_address_parts(struct arena *a, const char *province, const char *city,
			       const char *district, const char *street);

/* What a written value is, for a field that is shown masked. */
enum mask_echo {
	MASK_ECHO_NONE, /* a clear value: write it */
	MASK_ECHO_SAME, /* the mask of the current value sent back: leave the field as is */
	MASK_ECHO_BAD,	/* contains a '*' but is not the current mask: refuse it (CRM_EINVAL,
			   "masked value cannot be written") */
};

/*
 * Classifies incoming, a value written to a field of kind k whose stored value is current
 * (either may be NULL: a NULL incoming is MASK_ECHO_NONE, a NULL current has no mask).
 * SAME when incoming equals mask_apply(k, current), so that a masked value read and sent
 * back unchanged by a PATCH does not overwrite the clear one; BAD for any other value
 * containing '*': every mask has one, real phones, id numbers and names never do (nor, in
 * practice, e-mails and addresses), and a mask that no longer matches (the value changed
 * meanwhile) must not be stored; NONE otherwise. MASK_NONE is never masked: always NONE.
 * Thread-safe.
 */
enum mask_echo mask_check_echo(enum mask_kind k, const char *current, const char *incoming);

#endif
