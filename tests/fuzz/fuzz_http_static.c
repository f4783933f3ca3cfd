/*
 * Fuzzes the web app's path resolution: the input is a request path, resolved against a
 * small bundle loaded once. The answer is nothing, index.html, or the file whose path is
 * exactly the decoded input, which never has a "." or ".." segment, "//" or a backslash.
 * Then the response for it is built with the input as Accept-Encoding and If-None-Match.
 */
/* the invariants are the point: keep assert() in release builds */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {"index.html", "assets/app-abc123.js", "assets/app.css",
				    "favicon.svg", "img/logo.png"};

/* Writes the bundle to a temporary folder, loads it and removes the folder again: the
 * files live in memory from then on. */
static struct http_static *bundle(void)
{
	char dir[64] = "/tmp/fuzz-static-XXXXXX", path[128];
	struct http_static *st = NULL;
	struct crm_err err = {0};

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/assets", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/img", dir);
	mkdir(path, 0700);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (!(f = fopen(path, "w")))
			abort();
		for (int k = 0; k < 50; k++)
			fputs(files[i], f);
		fclose(f);
	}
	if (http__static_load(dir, &st, &err))
		abort();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/assets", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/img", dir);
	rmdir(path);
	rmdir(dir);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_static *st;
	const struct http_static_file *f, *index;
	struct http_res res;
	struct arena *a;
	char *path;

	if (!st)
		st = bundle();
	index = http__static_find(st, "/index.html");
	a = arena_new(0);
	path = arena_strndup(a, (const char *)data, size);
	if ((f = http__static_resolve(st, a, path)) && f != index) {
		char *decoded = NULL;

		assert(http__pct_decode(a, path, strlen(path), false, &decoded, NULL) == 0);
		assert(strcmp(decoded, f->path) == 0);
		assert(!strstr(decoded, "/./") && !strstr(decoded, "/../") &&
		       !strstr(decoded, "//") && !strchr(decoded, '\\'));
	}
	if (f) {
		memset(&res, 0, sizeof(res));
		http__static_respond(f, path, path, &res);
		assert(res.status == 200 || res.status == 304);
		assert(res.nheaders <= HTTP_MAX_HEADERS);
		assert(res.status == 304 ? res.body_len == 0
					 : res.body_len == f->len || res.body_len == f->gz_len);
	}
	arena_free(a);
	return 0;
}
