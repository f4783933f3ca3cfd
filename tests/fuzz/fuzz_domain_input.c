/*
 * Fuzzes what every resource of the layer does with a body: the input's first byte picks
 * a resource of the registry, the rest is JSON, decoded as a create and as a merge patch
 * with the resource's generated shape. A decoded record encodes and decodes again to the
 * same JSON; a patch merged into it (RFC 7396) decodes or is refused, never crashes; the
 * diff of the two walks both trees.
 */
/* the invariants are the point: keep assert() in release builds */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "domain/resource.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_path(void *arg, const char *path)
{
	assert(path && *path);
	++*(size_t *)arg;
}

/* The record's JSON as an input: without what the server sets. */
static cJSON *as_input(struct arena *a, const struct json_desc *j, const void *obj)
{
	cJSON *tree = json_adopt(a, json_encode(j, obj));

	for (size_t i = 0; j->fields[i].name; i++)
		if (j->fields[i].flags & JSON_READONLY)
			cJSON_DeleteItemFromObjectCaseSensitive(tree, j->fields[i].name);
	cJSON_DeleteItemFromObjectCaseSensitive(tree, "@type");
	return tree;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0, paths = 0;
	const struct res_desc *d;
	const struct json_desc *j;
	struct crm_err err = {0};
	struct arena *a;
	cJSON *body, *tree;
	void *obj, *again, *patch, *merged;
	char *text;

	while (res_registry[n])
		n++;
	if (size < 1 || !n)
		return 0;
	d = res_registry[data[0] % n];
	j = res_json(d);
	a = arena_new(0);
	obj = arena_calloc(a, 1, d->size);
	again = arena_calloc(a, 1, d->size);
	patch = arena_calloc(a, 1, d->size);
	merged = arena_calloc(a, 1, d->size);
	if (json_parse(a, (const char *)data + 1, size - 1, &body, &err) != 0) {
		assert(err.code == CRM_EINVAL);
		goto out;
	}
	if (json_decode(a, body, j, obj, JSON_CREATE, &err) == 0) {
		/* what was accepted renders, and reads back as the same record */
		tree = as_input(a, j, obj);
		text = json_print(a, tree, NULL);
		assert(text);
		assert(json_decode(a, tree, j, again, JSON_CREATE, &err) == 0);
		assert(strcmp(json_print(a, as_input(a, j, again), NULL), text) == 0);
	} else {
		assert(err.code == CRM_EINVAL);
	}
	crm_err_clear(&err);
	if (json_decode(a, body, j, patch, JSON_PATCH, &err) == 0) {
		/* a patch merged into the record (an empty one when the body was no record) */
		tree = as_input(a, j, obj);
		json_merge_patch(tree, body);
		if (json_decode(a, tree, j, merged, JSON_CREATE, &err) == 0)
			json_diff(json_adopt(a, json_encode(j, obj)),
				  json_adopt(a, json_encode(j, merged)), count_path, &paths);
		else
			assert(err.code == CRM_EINVAL);
	} else {
		assert(err.code == CRM_EINVAL);
	}
out:
	arena_free(a);
	return 0;
}
