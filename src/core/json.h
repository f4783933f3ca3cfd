/*
 * JSON over cJSON, driven by field descriptors (after lwan's json_obj_descr): a struct's
 * JSON shape is declared once as a table and decoded, validated and encoded from it, so no
 * handler string-builds JSON. Parsed trees and decoded strings live in the request arena.
 */
#ifndef CRM_JSON_H
#define CRM_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct arena;

enum json_ftype {
	JSON_STRING,	   /* const char * */
	JSON_INT,	   /* int64_t */
	JSON_NUMBER,	   /* double */
	JSON_BOOL,	   /* bool */
	JSON_TIME,	   /* int64_t ms since the epoch, ISO-8601 text in JSON; 0 = absent */
	JSON_OBJECT,	   /* an embedded struct described by sub */
	JSON_OBJECT_ARRAY, /* struct json_array of structs described by sub */
	JSON_STRING_ARRAY, /* struct json_array of const char * */
	JSON_ANY,	   /* const cJSON * kept as is (characteristic values and such) */
};

enum {
	JSON_REQUIRED = 1 << 0,	 /* must be present on create */
	JSON_READONLY = 1 << 1,	 /* set by the server: rejected on input, written on output */
	JSON_NULLABLE = 1 << 2,	 /* null accepted on patch: clears the value */
	JSON_WRITEONLY = 1 << 3, /* accepted on input, never rendered (a password) */
	/* personal data, masked on output for callers without pii.read (core/mask.h) */
	JSON_MASK_PHONE = 1 << 4,
	JSON_MASK_ID_NUMBER = 2 << 4,
	JSON_MASK_EMAIL = 3 << 4,
	JSON_MASK_ADDRESS = 4 << 4,
	JSON_MASK_NAME = 5 << 4,
	JSON_MASK_ANY = 7 << 4, /* the bits that hold the kind */
	/* a number whose zero stands for no value: left out when 0 (a discount's percentage) */
	JSON_ZERO_ABSENT = 1 << 7,
};

struct json_array {
	void *items;
	size_t count;
};

/* The words of a space-separated text (NULL: none) as a string array in the arena. */
struct json_array json_words(struct arena *a, const char *text);
/* A string array (of const char *) as a JSON array; the caller owns the tree. */
cJSON *json_string_array(const struct json_array *a);

struct json_desc;

struct json_field {
	const char *name;
	enum json_ftype type;
	size_t offset; /* of the value within the struct */
	unsigned flags;
	const struct json_desc *sub; /* JSON_OBJECT and JSON_OBJECT_ARRAY */
	size_t max_len;		     /* strings: bytes (0 = 1024); arrays: items (0 = 100) */
	const char *const *values;   /* strings and the items of a string array: the allowed
					values, NULL-terminated, or NULL */
};

/* The bytes each item of a JSON_STRING_ARRAY may hold: string arrays carry names and ids
 * (roles, permissions, statuses), not text, and their max_len counts items. */
#define JSON_ITEM_MAX 256

/* A struct's shape. present_offset, if not JSON_NO_PRESENT, is the offset of a uint64_t
 * bitmask in which decoding sets bit i when fields[i] appeared in the input (at most 64
 * fields); a merge patch tells "absent" from "null" (present, value zero) by it. */
struct json_desc {
	const char *type_name; /* the TMF @type, e.g. "Customer"; NULL for plain records */
	size_t size;
	const struct json_field *fields; /* terminated by {NULL} */
	size_t present_offset;
};

#define JSON_NO_PRESENT ((size_t)-1)
/* Field-descriptor shorthand: JSON_F(struct customer, name, JSON_STRING, JSON_REQUIRED) */
#define JSON_F(type, member, ftype, fl)                                                            \
	{                                                                                          \
#member, ftype, offsetof(type, member), fl, NULL, 0, NULL                          \
	}

enum json_mode {
	JSON_CREATE, /* required fields checked, read-only fields rejected */
	JSON_PATCH,  /* nothing required; presence recorded; null clears a nullable field */
	JSON_STORED, /* text the program stored itself: presence recorded, read-only fields and
			nulls accepted, no limits or allowed values (they may have changed since) */
};

/* Parses text (len bytes, need not be NUL-terminated) into a tree freed with the arena.
 * CRM_EINVAL with line and column on malformed JSON, which includes text that is not
 * UTF-8, U+0000 even escaped, and a raw control character (U+0001 to U+001F) in a string
 * or one other than tab, line feed and carriage return between tokens (RFC 8259). */
int json_parse(struct arena *a, const char *text, size_t len, cJSON **out, struct crm_err *err);

/* Decodes obj (must be an object) into out (a struct of desc->size bytes, zeroed first).
 * Strings are copied into the arena. Errors, CRM_EINVAL with the field's dotted path:
 * unknown field, wrong type, required field missing, read-only field given, string too
 * long or not one of the allowed values, bad ISO-8601 time; "@type" must match the
 * descriptor's type_name when given; "@baseType" and "@schemaLocation" are accepted. */
int json_decode(struct arena *a, const cJSON *obj, const struct json_desc *desc, void *out,
		enum json_mode mode, struct crm_err *err);

/* True if the JSON_PATCH decode saw field `name` (a field of desc). */
bool json_present(const struct json_desc *desc, const void *in, const char *name);
/* Marks field `name` present, for an input built in code rather than decoded. */
void json_mark_present(const struct json_desc *desc, void *in, const char *name);

/* Copies into dst each field of desc that src has present (json_present): the merge
 * step of a PATCH, src being its decoded input and dst the current state. A field sent as
 * null copies its zero value (clears it). Pointers are copied, not the data they point to.
 * desc must have a present bitmask. */
void json_merge(const struct json_desc *desc, void *dst, const void *src);

/* Encodes in as a new cJSON object (caller owns it: cJSON_Delete, or json_adopt). Unset
 * strings (NULL), zero times, empty arrays, embedded objects with no member set (or all
 * zero: a price never given, though zero is a price) and
 * write-only fields are left out; "@type"
 * is added from type_name. */
cJSON *json_encode(const struct json_desc *desc, const void *in);

/* As json_encode, with the personal-data fields (JSON_MASK_*) masked; masked strings are
 * built in the arena. */
cJSON *json_encode_masked(const struct json_desc *desc, const void *in, struct arena *a);

/* Masks, in place, the personal-data fields of tree (an object shaped by desc, e.g. a
 * stored copy of a resource); other members are left as they are. */
void json_mask_tree(struct arena *a, const struct json_desc *desc, cJSON *tree);

/* Applies patch to target as a JSON merge patch (RFC 7396): members of an object patch
 * replace target's, null removes them, objects merge member by member, anything else
 * (arrays included) replaces the value whole. target must be an object; patch's values
 * are copied. */
void json_merge_patch(cJSON *target, const cJSON *patch);

/* Calls fn with the dotted path of each member that differs between objects a and b
 * (present in one only, or with another value; objects compared member by member, other
 * values whole), in a's order and then b's. */
void json_diff(const cJSON *a, const cJSON *b, void (*fn)(void *arg, const char *path), void *arg);

/* Hands a tree to the arena, which deletes it when freed; returns it. */
cJSON *json_adopt(struct arena *a, cJSON *tree);

/* Prints a tree compactly into the arena; *len gets its length. */
char *json_print(struct arena *a, const cJSON *tree, size_t *len);

#endif
