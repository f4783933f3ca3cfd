/*
 * Fuzzes what the server makes of bytes a client sends, before they reach a handler: the
 * input's first line is a request target, the rest an error message. The TMF error body
 * with that message (and field) must pass the strict JSON parser; the target as the access
 * log shows it must keep every byte it does not decode, and its quoted form must be UTF-8.
 */
/* the invariants are the point: keep assert() in release builds */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "http/http_int.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool utf8_valid(const char *s)
{
	size_t n = strlen(s), len;

	for (size_t i = 0; i < n; i += len)
		if (!(len = str_utf8_seq((const unsigned char *)s + i, n - i, NULL)))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - text) : size;
	struct crm_err perr = {0};
	struct http_res res = {0};
	struct crm_ctx ctx;
	struct arena *a = arena_new(0);
	char quoted[600];
	const char *target, *shown;
	cJSON *tree = NULL;

	ctx_init_system(&ctx, a, NULL);
	target = arena_strndup(a, text, tlen); /* up to the first NUL */
	shown = http__target_for_log(a, target);
	/* byte for byte the same, but for escapes made one byte */
	for (size_t i = 0, o = 0, n = strlen(target); i <= n; i++, o++) {
		if (i < n && target[i] == '%' && shown[o] != '%') {
			assert(i + 2 < n && shown[o] != '\0');
			i += 2;
		} else {
			assert(shown[o] == target[i]);
		}
	}
	log_quote(shown, quoted, sizeof(quoted));
	assert(utf8_valid(quoted) && quoted[0] == '"' && quoted[strlen(quoted) - 1] == '"');

	if (nl) {
		const char *msg = arena_strndup(a, nl + 1, size - tlen - 1);

		crm_err_set(&ctx.err, CRM_ENOTFOUND, target, "%s", msg);
		http_render_error(&ctx, &res, CRM_ENOTFOUND, &ctx.err);
		assert(res.status == 404 && res.body_len == strlen(res.body));
		assert(json_parse(a, res.body, res.body_len, &tree, &perr) == 0);
		assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(tree, "message")));
		crm_err_clear(&ctx.err);
		crm_err_set(&ctx.err, CRM_EINVAL, NULL, "%s", msg);
		http__render_status(&ctx, &res, 431, &ctx.err);
		assert(res.status == 431);
		assert(json_parse(a, res.body, res.body_len, &tree, &perr) == 0);
	}
	arena_free(a);
	return 0;
}
