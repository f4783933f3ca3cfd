/* Descriptor-driven JSON decoding and encoding over cJSON; see json.h. */
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mask.h"
#include "core/str.h"
#include "core/time.h"
#include "core/banned.h"

#define PATH_MAX_LEN	  64
#define DEFAULT_STR_MAX	  1024
#define DEFAULT_ARRAY_MAX 100

static void tree_free(void *p)
{
	cJSON_Delete(p);
}

cJSON *json_adopt(struct arena *a, cJSON *tree)
{
	if (tree)
		arena_cleanup_add(a, tree_free, tree);
	return tree;
}

/* Bytes of JSON whitespace from p, not past end (the text need not be NUL-terminated). */
static size_t ws_span(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
		q++;
	return (size_t)(q - p);
}

/* The first NUL in text, raw or escaped as \u0000, or NULL. cJSON keeps strings as C
 * strings, so a NUL would silently cut one short: "pass\u0000word" would be read as
 * "pass". A backslash outside a string makes the text malformed anyway. */
static const char *nul_in(const char *text, const char *limit)
{
	for (const char *p = text; p < limit; p++) {
		if (*p == '\0')
			return p;
		if (*p != '\\')
			continue;
		if (limit - p >= 6 && memcmp(p + 1, "u0000", 5) == 0)
			return p;
		p++; /* the escaped character, which may itself be a backslash */
	}
	return NULL;
}

/* The first byte of text that does not belong to well-formed UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF), or NULL. Text stored and shown to others must
 * be valid, or a single bad login name could break every client reading the audit trail. */
static const char *utf8_bad(const char *text, const char *limit)
{
	const unsigned char *p = (const unsigned char *)text, *e = (const unsigned char *)limit;

	for (size_t n; p < e; p += n)
		if (!(n = str_utf8_seq(p, (size_t)(e - p), NULL)))
			return (const char *)p;
	return NULL;
}

/* The first raw control character (below U+0020) that RFC 8259 forbids, or NULL: any in
 * a string, any but tab, line feed and carriage return between tokens. cJSON takes them
 * all: raw in strings, and as whitespace elsewhere. *in_string tells which it was. The
 * string boundaries are followed as JSON defines them, so they are exact for any text
 * cJSON would accept. */
static const char *control_in(const char *text, const char *limit, bool *in_string)
{
	bool in = false;

	for (const char *p = text; p < limit; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 && (in || (c != '\t' && c != '\n' && c != '\r'))) {
			*in_string = in;
			return p;
		}
		if (c == '"')
			in = !in;
		else if (c == '\\' && in && p + 1 < limit && (unsigned char)p[1] >= 0x20)
			p++; /* the escaped character; a control one is caught above */
	}
	return NULL;
}

/* The first member name given twice in one object of tree, at any depth; NULL if none.
 * cJSON keeps both and a lookup finds one of them: such a text means two things. */
static const char *twice_named(const cJSON *tree)
{
	for (const cJSON *c = tree ? tree->child : NULL; c; c = c->next) {
		const char *inner;

		if (cJSON_IsObject(tree))
			for (const cJSON *d = tree->child; d != c; d = d->next)
				if (strcmp(d->string, c->string) == 0)
					return c->string;
		if ((inner = twice_named(c)))
			return inner;
	}
	return NULL;
}

int json_parse(struct arena *a, const char *text, size_t len, cJSON **out, struct crm_err *err)
{
	const char *end = NULL, *limit = text + len, *at, *nul = nul_in(text, text + len);
	const char *bad = nul ? NULL : utf8_bad(text, limit), *ctl = NULL;
	bool ctl_in_string = false;
	char why[96] = "";
	cJSON *tree = NULL;
	size_t line = 1, col = 1;

	if (!nul && !bad)
		ctl = control_in(text, limit, &ctl_in_string);
	if (!nul && !bad && !ctl)
		tree = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (tree && end && end + ws_span(end, limit) == limit) {
		const char *name = twice_named(tree);

		if (name) {
			crm_err_set(err, CRM_EINVAL, NULL,
				    "malformed JSON: '%.64s' is given twice in one object", name);
			cJSON_Delete(tree);
			return CRM_EINVAL;
		}
		*out = json_adopt(a, tree);
		return 0;
	}
	/* point at the fault: the NUL, the bad byte, the control character, cJSON's error
	 * position, or the first byte of trailing garbage */
	at = nul    ? nul
	     : bad  ? bad
	     : ctl  ? ctl
	     : tree ? end + ws_span(end, limit)
		    : cJSON_GetErrorPtr();
	cJSON_Delete(tree);
	if (!at || at < text || at > limit)
		at = limit;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (nul)
		snprintf(why, sizeof(why), ": a string must not hold the character U+0000");
	else if (bad)
		snprintf(why, sizeof(why), ": the text is not valid UTF-8");
	else if (ctl && ctl_in_string)
		snprintf(why, sizeof(why),
			 ": a string must not hold the raw control character U+%04X; escape it",
			 (unsigned)(unsigned char)*ctl);
	else if (ctl)
		snprintf(why, sizeof(why), ": the control character U+%04X stands between tokens",
			 (unsigned)(unsigned char)*ctl);
	return crm_err_set(err, CRM_EINVAL, NULL, "malformed JSON at line %zu column %zu%s", line,
			   col, why);
}

static void set_present(const struct json_desc *desc, void *out, size_t i)
{
	if (desc->present_offset != JSON_NO_PRESENT)
		*(uint64_t *)((char *)out + desc->present_offset) |= (uint64_t)1 << i;
}

/* The presence bit of field name in desc (a bug if desc has no such field). */
static uint64_t present_bit(const struct json_desc *desc, const char *name)
{
	if (desc->present_offset == JSON_NO_PRESENT)
		CRM_BUG("descriptor '%s' records no presence", desc->type_name);
	for (size_t i = 0; desc->fields[i].name; i++)
		if (strcmp(desc->fields[i].name, name) == 0)
			return (uint64_t)1 << i;
	CRM_BUG("no field '%s' in '%s'", name, desc->type_name);
}

bool json_present(const struct json_desc *desc, const void *in, const char *name)
{
	return *(const uint64_t *)((const char *)in + desc->present_offset) &
	       present_bit(desc, name);
}

void json_mark_present(const struct json_desc *desc, void *in, const char *name)
{
	uint64_t bit = present_bit(desc, name);

	*(uint64_t *)((char *)in + desc->present_offset) |= bit;
}

static const char *join(char *buf, const char *path, const char *name)
{
	snprintf(buf, PATH_MAX_LEN, "%s%s%s", path, *path ? "." : "", name);
	return buf;
}

/* Whether obj has a member other than "@type". */
static bool has_member(const cJSON *obj)
{
	for (const cJSON *m = obj->child; m; m = m->next)
		if (strcmp(m->string, "@type") != 0)
			return true;
	return false;
}

static int decode_object(struct arena *a, const cJSON *obj, const struct json_desc *desc, void *out,
			 enum json_mode mode, const char *path, struct crm_err *err);

/* max: the bytes allowed (the field's own limit, or JSON_ITEM_MAX for an array item). */
static int decode_string(struct arena *a, const cJSON *v, const struct json_field *f, size_t max,
			 enum json_mode mode, const char *path, const char **out,
			 struct crm_err *err)
{
	size_t len;

	if (!cJSON_IsString(v))
		return crm_err_set(err, CRM_EINVAL, path, "'%s' must be a string", path);
	len = strlen(v->valuestring);
	if (mode == JSON_STORED) {
		*out = arena_strndup(a, v->valuestring, len);
		return 0;
	}
	if (len > max)
		return crm_err_set(err, CRM_EINVAL, path, "'%s' is longer than %zu bytes", path,
				   max);
	if (f->values) {
		size_t i;

		for (i = 0; f->values[i]; i++)
			if (strcmp(f->values[i], v->valuestring) == 0)
				break;
		if (!f->values[i])
			return crm_err_set(err, CRM_EINVAL, path,
					   "'%s' must be one of the allowed values, not '%s'", path,
					   v->valuestring);
	}
	*out = arena_strndup(a, v->valuestring, len);
	return 0;
}

static int decode_value(struct arena *a, const cJSON *v, const struct json_field *f, void *slot,
			enum json_mode mode, const char *path, struct crm_err *err)
{
	size_t max = f->max_len ? f->max_len : DEFAULT_ARRAY_MAX;
	int rc;

	switch (f->type) {
	case JSON_STRING:
		return decode_string(a, v, f, f->max_len ? f->max_len : DEFAULT_STR_MAX, mode, path,
				     slot, err);
	case JSON_INT:
		if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
		    fabs(v->valuedouble) > 9007199254740992.0)
			return crm_err_set(err, CRM_EINVAL, path, "'%s' must be a whole number",
					   path);
		*(int64_t *)slot = (int64_t)v->valuedouble;
		return 0;
	case JSON_NUMBER:
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			return crm_err_set(err, CRM_EINVAL, path, "'%s' must be a number", path);
		*(double *)slot = v->valuedouble;
		return 0;
	case JSON_BOOL:
		if (!cJSON_IsBool(v))
			return crm_err_set(err, CRM_EINVAL, path, "'%s' must be true or false",
					   path);
		*(bool *)slot = cJSON_IsTrue(v);
		return 0;
	case JSON_TIME:
		if (!cJSON_IsString(v) ||
		    !time_parse_iso(str_from(v->valuestring), (int64_t *)slot))
			return crm_err_set(err, CRM_EINVAL, path,
					   "'%s' must be an ISO-8601 date-time such as "
					   "'2026-01-31T08:00:00Z'",
					   path);
		return 0;
	case JSON_OBJECT:
		if ((rc = decode_object(a, v, f->sub, slot, mode, path, err)))
			return rc;
		/* a required object needs a member: an empty one encodes as absent */
		if (mode == JSON_CREATE && (f->flags & JSON_REQUIRED) && !has_member(v))
			return crm_err_set(err, CRM_EINVAL, path, "'%s' is required", path);
		return 0;
	case JSON_ANY:
		*(const cJSON **)slot = v;
		return 0;
	case JSON_OBJECT_ARRAY:
	case JSON_STRING_ARRAY: {
		struct json_array *arr = slot;
		size_t n = (size_t)cJSON_GetArraySize(v), i = 0, esize;
		const cJSON *e;
		char ipath[PATH_MAX_LEN];

		if (!cJSON_IsArray(v))
			return crm_err_set(err, CRM_EINVAL, path, "'%s' must be an array", path);
		if (n > max && mode != JSON_STORED)
			return crm_err_set(err, CRM_EINVAL, path, "'%s' has more than %zu items",
					   path, max);
		esize = f->type == JSON_OBJECT_ARRAY ? f->sub->size : sizeof(const char *);
		arr->items = arena_calloc(a, n ? n : 1, esize);
		arr->count = n;
		cJSON_ArrayForEach(e, v)
		{
			void *item = (char *)arr->items + i * esize;

			if (snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i) >=
			    (int)sizeof(ipath))
				ipath[sizeof(ipath) - 1] = '\0'; /* a long path is cut, not lost */
			rc = f->type == JSON_OBJECT_ARRAY
				     ? decode_object(a, e, f->sub, item, mode, ipath, err)
				     : decode_string(a, e, f, JSON_ITEM_MAX, mode, ipath, item,
						     err);
			if (rc)
				return rc;
			i++;
		}
		return 0;
	}
	}
	CRM_BUG("field type %d", (int)f->type);
}

static bool is_tmf_meta(const char *name)
{
	return strcmp(name, "@baseType") == 0 || strcmp(name, "@schemaLocation") == 0 ||
	       strcmp(name, "@referredType") == 0;
}

static int decode_object(struct arena *a, const cJSON *obj, const struct json_desc *desc, void *out,
			 enum json_mode mode, const char *path, struct crm_err *err)
{
	char fpath[PATH_MAX_LEN];
	const cJSON *v;
	size_t i;
	int rc;

	if (!cJSON_IsObject(obj))
		return crm_err_set(err, CRM_EINVAL, path, "'%s' must be an object",
				   *path ? path : "body");
	memset(out, 0, desc->size);
	cJSON_ArrayForEach(v, obj)
	{
		const struct json_field *f = NULL;

		for (i = 0; desc->fields[i].name; i++)
			if (strcmp(desc->fields[i].name, v->string) == 0) {
				f = &desc->fields[i];
				break;
			}
		join(fpath, path, v->string);
		if (!f && mode == JSON_STORED)
			continue; /* a member no longer in use */
		if (!f) {
			if (strcmp(v->string, "@type") == 0) {
				if (!cJSON_IsString(v) || !desc->type_name ||
				    strcmp(v->valuestring, desc->type_name) != 0)
					return crm_err_set(
						err, CRM_EINVAL, fpath, "'@type' must be '%s'",
						desc->type_name ? desc->type_name : "absent");
				continue;
			}
			if (is_tmf_meta(v->string))
				continue;
			return crm_err_set(err, CRM_EINVAL, fpath, "unknown field '%s'", fpath);
		}
		if ((f->flags & JSON_READONLY) && mode != JSON_STORED)
			return crm_err_set(err, CRM_EINVAL, fpath, "'%s' is set by the server",
					   fpath);
		set_present(desc, out, i);
		if (cJSON_IsNull(v)) {
			if ((mode == JSON_PATCH && (f->flags & JSON_NULLABLE)) ||
			    mode == JSON_STORED)
				continue;
			return crm_err_set(err, CRM_EINVAL, fpath, "'%s' must not be null", fpath);
		}
		if ((rc = decode_value(a, v, f, (char *)out + f->offset, mode, fpath, err)))
			return rc;
	}
	if (mode == JSON_CREATE)
		for (i = 0; desc->fields[i].name; i++)
			if ((desc->fields[i].flags & JSON_REQUIRED) &&
			    !cJSON_HasObjectItem(obj, desc->fields[i].name))
				return crm_err_set(err, CRM_EINVAL,
						   join(fpath, path, desc->fields[i].name),
						   "'%s' is required", fpath);
	return 0;
}

int json_decode(struct arena *a, const cJSON *obj, const struct json_desc *desc, void *out,
		enum json_mode mode, struct crm_err *err)
{
	return decode_object(a, obj, desc, out, mode, "", err);
}

static cJSON *encode(const struct json_desc *desc, const void *in, struct arena *mask);

/* The mask kind of a field's flags (MASK_NONE when it holds no personal data). */
static enum mask_kind mask_of(unsigned flags)
{
	switch (flags & JSON_MASK_ANY) {
	case JSON_MASK_PHONE:
		return MASK_PHONE;
	case JSON_MASK_ID_NUMBER:
		return MASK_ID_NUMBER;
	case JSON_MASK_EMAIL:
		return MASK_EMAIL;
	case JSON_MASK_ADDRESS:
		return MASK_ADDRESS;
	case JSON_MASK_NAME:
		return MASK_NAME;
	default:
		return MASK_NONE;
	}
}

static cJSON *encode_value(const struct json_field *f, const void *slot, struct arena *mask)
{
	char ts[TIME_ISO_MAX];

	switch (f->type) {
	case JSON_STRING: {
		const char *v = *(const char *const *)slot;

		if (v && mask && (f->flags & JSON_MASK_ANY))
			v = mask_apply(mask, mask_of(f->flags), v);
		return v ? cJSON_CreateString(v) : NULL;
	}
	case JSON_INT:
		if ((f->flags & JSON_ZERO_ABSENT) && !*(const int64_t *)slot)
			return NULL;
		return cJSON_CreateNumber((double)*(const int64_t *)slot);
	case JSON_NUMBER:
		if ((f->flags & JSON_ZERO_ABSENT) && *(const double *)slot == 0)
			return NULL;
		return cJSON_CreateNumber(*(const double *)slot);
	case JSON_BOOL:
		return cJSON_CreateBool(*(const bool *)slot);
	case JSON_TIME:
		if (!*(const int64_t *)slot)
			return NULL;
		time_format_iso(*(const int64_t *)slot, ts);
		return cJSON_CreateString(ts);
	case JSON_OBJECT: {
		cJSON *o, *m;
		size_t k = 0;

		/* all zero: never set (a price not given), even where zero is a value */
		while (k < f->sub->size && !((const unsigned char *)slot)[k])
			k++;
		if (k == f->sub->size)
			return NULL;
		o = encode(f->sub, slot, mask);

		for (m = o->child; m; m = m->next)
			if (strcmp(m->string, "@type") != 0)
				return o;
		cJSON_Delete(o); /* nothing set: the optional object is absent */
		return NULL;
	}
	case JSON_ANY:
		return *(const cJSON *const *)slot
			       ? cJSON_Duplicate(*(const cJSON *const *)slot, true)
			       : NULL;
	case JSON_OBJECT_ARRAY:
	case JSON_STRING_ARRAY: {
		const struct json_array *arr = slot;
		size_t esize = f->type == JSON_OBJECT_ARRAY ? f->sub->size : sizeof(const char *);
		cJSON *list;

		if (!arr->count)
			return NULL;
		list = cJSON_CreateArray();
		for (size_t i = 0; i < arr->count; i++) {
			const void *item = (const char *)arr->items + i * esize;

			cJSON_AddItemToArray(
				list, f->type == JSON_OBJECT_ARRAY
					      ? encode(f->sub, item, mask)
					      : cJSON_CreateString(*(const char *const *)item));
		}
		return list;
	}
	}
	CRM_BUG("field type %d", (int)f->type);
}

static size_t slot_size(const struct json_field *f)
{
	switch (f->type) {
	case JSON_STRING:
		return sizeof(const char *);
	case JSON_INT:
	case JSON_TIME:
		return sizeof(int64_t);
	case JSON_NUMBER:
		return sizeof(double);
	case JSON_BOOL:
		return sizeof(bool);
	case JSON_OBJECT:
		return f->sub->size;
	case JSON_OBJECT_ARRAY:
	case JSON_STRING_ARRAY:
		return sizeof(struct json_array);
	case JSON_ANY:
		return sizeof(const cJSON *);
	}
	CRM_BUG("field type %d", (int)f->type);
}

void json_merge(const struct json_desc *desc, void *dst, const void *src)
{
	uint64_t present;

	if (desc->present_offset == JSON_NO_PRESENT)
		CRM_BUG("json_merge on '%s', which records no presence",
			desc->type_name ? desc->type_name : "a record");
	present = *(const uint64_t *)((const char *)src + desc->present_offset);
	for (size_t i = 0; desc->fields[i].name; i++) {
		const struct json_field *f = &desc->fields[i];

		if (present & ((uint64_t)1 << i))
			memcpy((char *)dst + f->offset, (const char *)src + f->offset,
			       slot_size(f));
	}
}

cJSON *json_encode(const struct json_desc *desc, const void *in)
{
	return encode(desc, in, NULL);
}

cJSON *json_encode_masked(const struct json_desc *desc, const void *in, struct arena *a)
{
	return encode(desc, in, a);
}

static cJSON *encode(const struct json_desc *desc, const void *in, struct arena *mask)
{
	cJSON *obj = cJSON_CreateObject();

	for (size_t i = 0; desc->fields[i].name; i++) {
		const struct json_field *f = &desc->fields[i];
		cJSON *v;

		if (f->flags & JSON_WRITEONLY)
			continue;
		v = encode_value(f, (const char *)in + f->offset, mask);
		if (v)
			cJSON_AddItemToObject(obj, f->name, v);
	}
	if (desc->type_name)
		cJSON_AddStringToObject(obj, "@type", desc->type_name);
	return obj;
}

void json_mask_tree(struct arena *a, const struct json_desc *desc, cJSON *tree)
{
	if (!cJSON_IsObject(tree))
		return;
	for (size_t i = 0; desc->fields[i].name; i++) {
		const struct json_field *f = &desc->fields[i];
		cJSON *v = cJSON_GetObjectItemCaseSensitive(tree, f->name), *item;

		if (!v)
			continue;
		if (f->type == JSON_STRING && (f->flags & JSON_MASK_ANY) && cJSON_IsString(v))
			cJSON_SetValuestring(v, mask_apply(a, mask_of(f->flags), v->valuestring));
		else if (f->type == JSON_OBJECT)
			json_mask_tree(a, f->sub, v);
		else if (f->type == JSON_OBJECT_ARRAY && cJSON_IsArray(v))
			cJSON_ArrayForEach(item, v) json_mask_tree(a, f->sub, item);
	}
}

char *json_print(struct arena *a, const cJSON *tree, size_t *len)
{
	char *s = cJSON_PrintUnformatted(tree);
	char *copy;
	size_t n;

	if (!s)
		CRM_BUG("cJSON_PrintUnformatted failed");
	n = strlen(s);
	copy = arena_strndup(a, s, n);
	cJSON_free(s);
	if (len)
		*len = n;
	return copy;
}

void json_merge_patch(cJSON *target, const cJSON *patch)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, patch)
	{
		cJSON *t = cJSON_GetObjectItemCaseSensitive(target, p->string);

		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
		} else if (cJSON_IsObject(p) && cJSON_IsObject(t)) {
			json_merge_patch(t, p);
		} else {
			cJSON *copy = cJSON_Duplicate(p, true);

			/* RFC 7396: an object patch onto a non-object starts from {} (and drops its
			 * nulls) */
			if (cJSON_IsObject(p)) {
				cJSON_Delete(copy);
				copy = cJSON_CreateObject();
				json_merge_patch(copy, p);
			}
			if (t)
				cJSON_ReplaceItemViaPointer(target, t, copy);
			else
				cJSON_AddItemToObject(target, p->string, copy);
		}
	}
}

static void diff_at(const cJSON *a, const cJSON *b, char *path, size_t len,
		    void (*fn)(void *arg, const char *path), void *arg)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, a)
	{
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, m->string);
		int n = snprintf(path + len, PATH_MAX_LEN - len, "%s%s", len ? "." : "", m->string);
		size_t at = n < 0 || (size_t)n >= PATH_MAX_LEN - len ? PATH_MAX_LEN - 1
								     : len + (size_t)n;

		if (o && cJSON_IsObject(m) && cJSON_IsObject(o))
			diff_at(m, o, path, at, fn, arg);
		else if (!o || !cJSON_Compare(m, o, true))
			fn(arg, path);
		path[len] = '\0';
	}
	cJSON_ArrayForEach(m, b)
	{
		int n;

		if (cJSON_GetObjectItemCaseSensitive(a, m->string))
			continue;
		n = snprintf(path + len, PATH_MAX_LEN - len, "%s%s", len ? "." : "", m->string);
		(void)n;
		fn(arg, path);
		path[len] = '\0';
	}
}

void json_diff(const cJSON *a, const cJSON *b, void (*fn)(void *arg, const char *path), void *arg)
{
	char path[PATH_MAX_LEN] = "";

	diff_at(a, b, path, 0, fn, arg);
}

struct json_array json_words(struct arena *a, const char *text)
{
	size_t n = 0, cap = 8;
	const char **items = arena_calloc(a, cap, sizeof(*items));
	const char *p = text ? text : "";

	while (*p) {
		size_t len;

		p += strspn(p, " ");
		if (!(len = strcspn(p, " ")))
			break;
		if (n == cap) {
			const char **more = arena_calloc(a, cap * 2, sizeof(*items));

			memcpy(more, items, n * sizeof(*items));
			items = more;
			cap *= 2;
		}
		items[n++] = arena_strndup(a, p, len);
		p += len;
	}
	return (struct json_array){items, n};
}

cJSON *json_string_array(const struct json_array *a)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < a->count; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(((const char *const *)a->items)[i]));
	return arr;
}
