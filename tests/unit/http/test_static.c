/*
 * The web app's files: loading a directory tree (dot-files, symbolic links and other
 * non-files skipped; the limits), content types, ETags, the gzip copy, path resolution
 * (deep links, reserved prefixes, traversal attempts, random paths) and the response
 * headers.
 */
#include "cmocka_all.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/arena.h"
#include "http/http_int.h"
#include "core/banned.h"

struct fixture {
	char dir[512];
	struct http_static *st;
	struct arena *a;
};

static void make_dir(const char *dir, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_true(mkdir(path, 0700) == 0 || errno == EEXIST);
}

static void write_file(const char *dir, const char *rel, const char *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_str(const char *dir, const char *rel, const char *s)
{
	write_file(dir, rel, s, strlen(s));
}

static void remove_tree(const char *dir)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void temp_dir(char *buf, size_t n)
{
	const char *base = getenv("TELCRM_TEST_TMP");

	if (!base || !*base)
		base = "/tmp";
	if (mkdir(base, 0700) && errno != EEXIST)
		base = "/tmp";
	snprintf(buf, n, "%s/static-XXXXXX", base);
	assert_non_null(mkdtemp(buf));
}

static char big_js[20000];

static int setup(void **state)
{
	static struct fixture f;
	struct crm_err err = {0};
	char path[1024];

	temp_dir(f.dir, sizeof(f.dir));
	for (size_t i = 0; i + 1 < sizeof(big_js); i++)
		big_js[i] = "function app(){return 42;}\n"[i % 27];
	write_str(f.dir, "index.html",
		  "<!doctype html><html><body><div id=app></div></body></html>");
	make_dir(f.dir, "assets");
	write_str(f.dir, "assets/app-abc123.js", big_js);
	write_str(f.dir, "assets/app-abc123.css", "body{margin:0}");
	write_str(f.dir, "favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
	make_dir(f.dir, "img");
	write_file(f.dir, "img/logo.png", "\x89PNG\r\n\x1a\n\0\0\0\0", 12);
	write_str(f.dir, "robots.txt", "a");
	write_str(f.dir, "data.bin", "\x01\x02");
	write_str(f.dir, ".hidden", "secret");
	make_dir(f.dir, ".git");
	write_str(f.dir, ".git/config", "secret");
	make_dir(f.dir, "fonts");
	make_dir(f.dir, "fonts/deep");
	write_str(f.dir, "fonts/deep/x.woff2", "wOF2");
	/* a symbolic link to a file outside the tree, and one to a folder: both skipped */
	snprintf(path, sizeof(path), "%s/passwd.txt", f.dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof(path), "%s/etc", f.dir);
	assert_int_equal(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/pipe", f.dir);
	assert_int_equal(mkfifo(path, 0600), 0);

	assert_int_equal(http__static_load(f.dir, &f.st, &err), 0);
	f.a = arena_new(0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	http__static_free(f->st);
	arena_free(f->a);
	remove_tree(f->dir);
	return 0;
}

static void test_load_tree(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
		"/assets/app-abc123.css", "/assets/app-abc123.js", "/data.bin",	  "/favicon.svg",
		"/fonts/deep/x.woff2",	  "/img/logo.png",	   "/index.html", "/robots.txt",
	};

	assert_int_equal(http__static_count(f->st), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct http_static_file *file = http__static_file(f->st, i);

		assert_string_equal(file->path, want[i]); /* sorted */
		assert_ptr_equal(http__static_find(f->st, want[i]), file);
	}
	assert_null(http__static_file(f->st, 99));
	assert_null(http__static_find(f->st, "/.hidden"));
	assert_null(http__static_find(f->st, "/.git/config"));
	assert_null(http__static_find(f->st, "/passwd.txt"));
	assert_null(http__static_find(f->st, "/etc/passwd"));
	assert_null(http__static_find(f->st, "/pipe"));
	assert_null(http__static_find(f->st, "/assets"));
	assert_null(http__static_find(NULL, "/index.html"));
}

static void test_file_properties(void **state)
{
	struct fixture *f = *state;
	const struct http_static_file *js = http__static_find(f->st, "/assets/app-abc123.js");
	const struct http_static_file *html = http__static_find(f->st, "/index.html");
	const struct http_static_file *png = http__static_find(f->st, "/img/logo.png");
	const struct http_static_file *bin = http__static_find(f->st, "/data.bin");

	assert_int_equal(js->len, strlen(big_js));
	assert_memory_equal(js->data, big_js, js->len);
	assert_string_equal(js->content_type, "text/javascript; charset=utf-8");
	assert_true(js->compressible && js->immutable && !js->html);
	assert_string_equal(html->content_type, "text/html; charset=utf-8");
	assert_true(html->compressible && !html->immutable && html->html);
	assert_string_equal(png->content_type, "image/png");
	assert_int_equal(png->len, 12);
	assert_false(png->compressible);
	assert_string_equal(bin->content_type, "application/octet-stream");
	/* strong ETags: quoted hex, different for different bytes */
	assert_int_equal(strlen(js->etag), 34);
	assert_true(js->etag[0] == '"' && js->etag[33] == '"');
	assert_string_not_equal(js->etag, html->etag);
}

static void test_gzip_copy(void **state)
{
	struct fixture *f = *state;
	const struct http_static_file *js = http__static_find(f->st, "/assets/app-abc123.js");
	const struct http_static_file *png = http__static_find(f->st, "/img/logo.png");
	const struct http_static_file *txt = http__static_find(f->st, "/robots.txt");
	size_t bytes, gz_bytes;
	unsigned char *out = malloc(js->len + 1);
	z_stream zs;

	assert_non_null(js->gz);
	assert_true(js->gz_len < js->len / 10);
	assert_string_not_equal(js->etag_gz, js->etag);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)js->gz;
	zs.avail_in = (uInt)js->gz_len;
	zs.next_out = out;
	zs.avail_out = (uInt)js->len + 1;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, js->len);
	assert_memory_equal(out, js->data, js->len);
	inflateEnd(&zs);
	free(out);
	/* not for compressed formats, nor when the copy would be larger */
	assert_null(png->gz);
	assert_null(txt->gz);
	http__static_sizes(f->st, &bytes, &gz_bytes);
	assert_true(bytes > js->len && gz_bytes >= js->gz_len);
}

static void test_content_types(void **state)
{
	static const struct {
		const char *name, *type;
		bool compressible;
	} cases[] = {
		{"a.html", "text/html; charset=utf-8", true},
		{"A.HTML", "text/html; charset=utf-8", true},
		{"x/y.mjs", "text/javascript; charset=utf-8", true},
		{"s.css", "text/css; charset=utf-8", true},
		{"m.json", "application/json", true},
		{"m.js.map", "application/json", true},
		{"i.svg", "image/svg+xml", true},
		{"r.txt", "text/plain; charset=utf-8", true},
		{"p.png", "image/png", false},
		{"p.jpg", "image/jpeg", false},
		{"p.webp", "image/webp", false},
		{"f.ico", "image/x-icon", true},
		{"f.woff2", "font/woff2", false},
		{"f.woff", "font/woff", false},
		{"noext", "application/octet-stream", false},
		{"dir.js/noext", "application/octet-stream", false},
		{".js", "application/octet-stream", false},
		{"a.", "application/octet-stream", false},
	};
	bool c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(http__static_content_type(cases[i].name, &c), cases[i].type);
		assert_int_equal(c, cases[i].compressible);
	}
}

static const struct http_static_file *resolve(struct fixture *f, const char *path)
{
	return http__static_resolve(f->st, f->a, path);
}

static void test_resolve(void **state)
{
	struct fixture *f = *state;
	const struct http_static_file *index = http__static_find(f->st, "/index.html");
	static const char *const app[] = {
		"/",	       "/customers/123", "/admin/users",   "/customers/",  "/apix",
		"/healthzz",   "/API/x",	 "/.hidden",	   "/.git/config", "/passwd.txt",
		"/etc/passwd", "/favicon.ico",	 "/%61ssetsx/a.js"};
	static const char *const none[] = {"/api/v1/nope",
					   "/api",
					   "/api/",
					   "/tmf-api/x",
					   "/healthz",
					   "/healthz/x",
					   "/metrics",
					   "/%61pi/v1/x",
					   "/assets/missing.js",
					   "/assets/",
					   "/assets",
					   "/%61ssets/missing.js",
					   "/../etc/passwd",
					   "/%2e%2e/etc/passwd",
					   "/%2E%2E/%2e%2e/etc/passwd",
					   "/assets/../index.html",
					   "/assets/%2e%2e/index.html",
					   "/a/..",
					   "/./index.html",
					   "/.",
					   "//etc/passwd",
					   "/assets//app-abc123.js",
					   "/%2f%2fetc",
					   "/a\\b",
					   "/%5c..%5c",
					   "/a%00b",
					   "/%zz",
					   "/%",
					   "/%2",
					   "/a%0ab",
					   "/a%7f",
					   "",
					   "index.html",
					   "relative/x"};

	for (size_t i = 0; i < sizeof(app) / sizeof(app[0]); i++) {
		if (resolve(f, app[i]) != index)
			fail_msg("'%s' should give index.html", app[i]);
	}
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		if (resolve(f, none[i]))
			fail_msg("'%s' should give nothing", none[i]);
	}
	assert_ptr_equal(resolve(f, "/assets/app-abc123.js"),
			 http__static_find(f->st, "/assets/app-abc123.js"));
	assert_ptr_equal(resolve(f, "/assets/app%2Dabc123.js"),
			 http__static_find(f->st, "/assets/app-abc123.js"));
	assert_ptr_equal(resolve(f, "/favicon.svg"), http__static_find(f->st, "/favicon.svg"));
	assert_ptr_equal(resolve(f, "/fonts/deep/x.woff2"),
			 http__static_find(f->st, "/fonts/deep/x.woff2"));
	assert_ptr_equal(resolve(f, "/index.html"), index);
	assert_null(http__static_resolve(NULL, f->a, "/"));
	assert_null(resolve(f, NULL));
	arena_reset(f->a);
}

/* Random paths from an alphabet rich in separators, dots and escapes: the answer is always
 * nothing, index.html, or the file whose path is the decoded request path. */
static void test_resolve_random_paths(void **state)
{
	struct fixture *f = *state;
	static const char *const pieces[] = {
		"/",	      ".",    "..",	"%2e",	   "%2E",
		"%2f",	      "%5c",  "\\",	"%00",	   "%",
		"a",	      "api",  "assets", "%",	   "app-abc123.js",
		"index.html", "%0",   "%41",	"~",	   "?",
		"#",	      "\x01", "\xff",	"tmf-api", "healthz",
		"metrics",    "etc",  "passwd"};
	const struct http_static_file *index = http__static_find(f->st, "/index.html");
	unsigned seed = 12345;
	char path[256];

	for (int iter = 0; iter < 200000; iter++) {
		size_t len = 0, n;
		const struct http_static_file *got;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 12;
		if ((seed >> 8) % 8)
			path[len++] = '/';
		for (size_t k = 0; k < n; k++) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			if (len + strlen(p) + 1 >= sizeof(path))
				break;
			memcpy(path + len, p, strlen(p));
			len += strlen(p);
		}
		path[len] = '\0';
		got = resolve(f, path);
		if (got && got != index) {
			char *decoded = NULL;

			assert_int_equal(http__pct_decode(f->a, path, len, false, &decoded, NULL),
					 0);
			assert_string_equal(decoded, got->path);
		}
		if (got)
			assert_true(got >= http__static_file(f->st, 0) &&
				    got <= http__static_file(f->st, http__static_count(f->st) - 1));
		if (iter % 1000 == 0)
			arena_reset(f->a);
	}
	arena_reset(f->a);
}

static const char *header(const struct http_res *res, const char *name)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (strcmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

static void test_respond_headers(void **state)
{
	struct fixture *f = *state;
	const struct http_static_file *js = http__static_find(f->st, "/assets/app-abc123.js");
	const struct http_static_file *html = http__static_find(f->st, "/index.html");
	const struct http_static_file *png = http__static_find(f->st, "/img/logo.png");
	struct http_res res;

	memset(&res, 0, sizeof(res));
	http__static_respond(js, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_ptr_equal(res.body, js->data);
	assert_int_equal(res.body_len, js->len);
	assert_string_equal(res.content_type, "text/javascript; charset=utf-8");
	assert_string_equal(header(&res, "Cache-Control"), "public, max-age=31536000, immutable");
	assert_string_equal(header(&res, "ETag"), js->etag);
	assert_string_equal(header(&res, "Vary"), "Accept-Encoding");
	assert_string_equal(header(&res, "X-Content-Type-Options"), "nosniff");
	assert_null(header(&res, "Content-Encoding"));
	assert_null(header(&res, "Content-Security-Policy"));

	memset(&res, 0, sizeof(res));
	http__static_respond(html, "br", NULL, &res);
	assert_string_equal(header(&res, "Cache-Control"), "no-cache");
	assert_non_null(strstr(header(&res, "Content-Security-Policy"), "frame-ancestors 'none'"));
	assert_string_equal(header(&res, "X-Frame-Options"), "DENY");
	assert_string_equal(header(&res, "Referrer-Policy"), "same-origin");
	assert_string_equal(header(&res, "X-Content-Type-Options"), "nosniff");

	memset(&res, 0, sizeof(res));
	http__static_respond(png, "gzip", NULL, &res);
	assert_null(header(&res, "Vary"));
	assert_null(header(&res, "Content-Encoding"));
	assert_string_equal(header(&res, "Cache-Control"), "no-cache");
}

static void test_respond_gzip_negotiation(void **state)
{
	struct fixture *f = *state;
	const struct http_static_file *js = http__static_find(f->st, "/assets/app-abc123.js");
	static const char *const yes[] = {
		"gzip",	       "GZIP", "deflate, gzip, br", "gzip;q=0.5", "br;q=1, gzip ; q=1.0",
		"gzip;q=0.001"};
	static const char *const no[] = {
		"",	     "br",    "deflate",  "gzip;q=0", "gzip; q=0.000",
		"x-gzipped", "gzipx", "identity", "*;q=0"};
	struct http_res res;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		memset(&res, 0, sizeof(res));
		http__static_respond(js, yes[i], NULL, &res);
		if (!header(&res, "Content-Encoding"))
			fail_msg("'%s' should get gzip", yes[i]);
		assert_ptr_equal(res.body, js->gz);
		assert_int_equal(res.body_len, js->gz_len);
		assert_string_equal(header(&res, "ETag"), js->etag_gz);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		memset(&res, 0, sizeof(res));
		http__static_respond(js, no[i], NULL, &res);
		if (header(&res, "Content-Encoding"))
			fail_msg("'%s' should not get gzip", no[i]);
		assert_ptr_equal(res.body, js->data);
	}
}

static void test_respond_not_modified(void **state)
{
	struct fixture *f = *state;
	const struct http_static_file *js = http__static_find(f->st, "/assets/app-abc123.js");
	char list[200], weak[60];
	struct http_res res;

	snprintf(list, sizeof(list), "\"nope\", %s", js->etag);
	snprintf(weak, sizeof(weak), "W/%s", js->etag);
	for (int i = 0; i < 4; i++) {
		const char *inm = i == 0 ? js->etag : i == 1 ? list : i == 2 ? weak : "*";

		memset(&res, 0, sizeof(res));
		http__static_respond(js, NULL, inm, &res);
		assert_int_equal(res.status, 304);
		assert_null(res.body);
		assert_int_equal(res.body_len, 0);
		assert_string_equal(header(&res, "ETag"), js->etag);
		assert_non_null(header(&res, "Cache-Control"));
	}
	/* the identity ETag does not validate the gzip copy */
	memset(&res, 0, sizeof(res));
	http__static_respond(js, "gzip", js->etag, &res);
	assert_int_equal(res.status, 200);
	memset(&res, 0, sizeof(res));
	http__static_respond(js, "gzip", js->etag_gz, &res);
	assert_int_equal(res.status, 304);
	memset(&res, 0, sizeof(res));
	http__static_respond(js, NULL, "\"other\"", &res);
	assert_int_equal(res.status, 200);
}

static void test_missing_and_not_a_directory(void **state)
{
	struct fixture *f = *state;
	struct http_static *st = NULL;
	struct crm_err err = {0};
	char path[1024];

	snprintf(path, sizeof(path), "%s/no-such-dir", f->dir);
	assert_int_equal(http__static_load(path, &st, &err), CRM_ENOTFOUND);
	assert_null(st);
	crm_err_clear(&err);
	snprintf(path, sizeof(path), "%s/robots.txt/x", f->dir);
	assert_int_equal(http__static_load(path, &st, &err), CRM_ENOTFOUND);
	crm_err_clear(&err);
	snprintf(path, sizeof(path), "%s/robots.txt", f->dir);
	assert_int_equal(http__static_load(path, &st, &err), CRM_EINVAL);
	assert_non_null(strstr(err.message, "is not a directory"));
	assert_null(st);
}

static void test_limits(void **state)
{
	struct fixture *f = *state;
	struct http_static *st = NULL;
	struct crm_err err = {0};
	char dir[512], path[1024];
	int fd;

	/* more bytes than allowed: a sparse file is refused before it is read */
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/huge.js", dir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, (off_t)HTTP_STATIC_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(http__static_load(dir, &st, &err), CRM_ETOOBIG);
	assert_non_null(strstr(err.message, "more than 64 MiB"));
	assert_null(st);
	remove_tree(dir);

	/* more files than allowed */
	crm_err_clear(&err);
	temp_dir(dir, sizeof(dir));
	for (int i = 0; i <= HTTP_STATIC_MAX_FILES; i++) {
		snprintf(path, sizeof(path), "%s/f%d.txt", dir, i);
		assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0);
		close(fd);
	}
	assert_int_equal(http__static_load(dir, &st, &err), CRM_ETOOBIG);
	assert_non_null(strstr(err.message, "more than 10000 files"));
	assert_null(st);
	remove_tree(dir);

	/* an empty directory is fine: nothing to serve */
	crm_err_clear(&err);
	temp_dir(dir, sizeof(dir));
	assert_int_equal(http__static_load(dir, &st, &err), 0);
	assert_int_equal(http__static_count(st), 0);
	assert_null(http__static_find(st, "/index.html"));
	assert_null(http__static_resolve(st, f->a, "/"));
	assert_null(http__static_resolve(st, f->a, "/customers/1"));
	arena_reset(f->a);
	http__static_free(st);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_tree),
		cmocka_unit_test(test_file_properties),
		cmocka_unit_test(test_gzip_copy),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_random_paths),
		cmocka_unit_test(test_respond_headers),
		cmocka_unit_test(test_respond_gzip_negotiation),
		cmocka_unit_test(test_respond_not_modified),
		cmocka_unit_test(test_missing_and_not_a_directory),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
