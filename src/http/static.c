/*
 * The web app: every file of the built bundle (serve --web DIR) read into memory once at
 * start, each with its content type, a strong ETag and, for text, a gzip copy made once;
 * the resolution of a request path to a file (deep links get index.html, reserved API
 * prefixes and /assets/ never do) and the response headers (caching, security).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/arena.h"
#include "core/mem.h"
#include "http/http_int.h"
#include "core/banned.h"

#define MAX_DEPTH    32	  /* directory levels below DIR (the router's segment limit) */
#define MAX_URL_PATH 2048 /* longer request paths are never a file */

struct http_static {
	struct http_static_file *files; /* sorted by path */
	size_t nfiles;
	size_t cap;
	size_t bytes;	 /* of the files as read */
	size_t gz_bytes; /* of the gzip copies */
	const struct http_static_file *index;
};

/* Content types by extension (case-insensitive). Compressible types get a gzip copy when
 * it is smaller; the others are compressed formats already. */
static const struct {
	const char *ext;
	const char *type;
	bool compressible;
} types[] = {
	{"html", "text/html; charset=utf-8", true},
	{"htm", "text/html; charset=utf-8", true},
	{"js", "text/javascript; charset=utf-8", true},
	{"mjs", "text/javascript; charset=utf-8", true},
	{"css", "text/css; charset=utf-8", true},
	{"json", "application/json", true},
	{"map", "application/json", true},
	{"webmanifest", "application/manifest+json", true},
	{"svg", "image/svg+xml", true},
	{"txt", "text/plain; charset=utf-8", true},
	{"ico", "image/x-icon", true},
	{"png", "image/png", false},
	{"jpg", "image/jpeg", false},
	{"jpeg", "image/jpeg", false},
	{"webp", "image/webp", false},
	{"woff2", "font/woff2", false},
	{"woff", "font/woff", false},
};

/* Top-level path segments the web app never answers for: the API's and the server's. */
static const char *const reserved[] = {"api", "tmf-api", "healthz", "metrics"};

static const char csp[] = "default-src 'self'; img-src 'self' data:; style-src 'self' "
			  "'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; "
			  "form-action 'self'";

const char *http__static_content_type(const char *name, bool *out_compressible)
{
	const char *slash = strrchr(name, '/'), *dot;

	if (slash)
		name = slash + 1;
	dot = strrchr(name, '.');
	*out_compressible = false;
	if (dot && dot != name)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0) {
				*out_compressible = types[i].compressible;
				return types[i].type;
			}
	return "application/octet-stream";
}

/* A strong validator: BLAKE2b-128 of the bytes, as "\"<32 hex digits>\"". */
static void etag_of(const void *data, size_t len, char out[HTTP_STATIC_ETAG_SIZE])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), data, len, NULL, 0);
	out[0] = '"';
	sodium_bin2hex(out + 1, HTTP_STATIC_ETAG_SIZE - 1, h, sizeof(h));
	out[1 + 2 * sizeof(h)] = '"';
	out[2 + 2 * sizeof(h)] = '\0';
}

/* The gzip copy of f, kept only when smaller. Made once, at the best compression level:
 * the cost is paid at start, never per request. */
static void gzip_copy(struct http_static_file *f)
{
	z_stream zs;
	unsigned char *buf;
	uLong bound;

	if (!f->compressible || !f->len)
		return;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16 /* gzip wrapper */, 9,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	bound = deflateBound(&zs, (uLong)f->len);
	buf = xmalloc(bound);
	zs.next_in = (Bytef *)f->data;
	zs.avail_in = (uInt)f->len; /* at most HTTP_STATIC_MAX_BYTES */
	zs.next_out = buf;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out < f->len) {
		f->gz_len = zs.total_out;
		f->gz = xrealloc(buf, f->gz_len);
		buf = NULL;
		etag_of(f->gz, f->gz_len, f->etag_gz);
	}
	deflateEnd(&zs);
	free(buf);
}

static int add_file(struct http_static *st, const char *root, int dfd, const char *name,
		    const char *url, struct crm_err *err)
{
	struct http_static_file *f;
	struct stat sb;
	char *data = NULL;
	size_t got = 0;
	int fd, rc = 0;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fstat(fd, &sb)) {
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot read web file '%s%s': %s", root, url,
				 strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode))
		goto out; /* replaced since it was listed: skip, as other non-files */
	if (st->nfiles == HTTP_STATIC_MAX_FILES) {
		rc = crm_err_set(err, CRM_ETOOBIG, NULL,
				 "web directory '%s' holds more than %d files", root,
				 HTTP_STATIC_MAX_FILES);
		goto out;
	}
	if ((uint64_t)sb.st_size > HTTP_STATIC_MAX_BYTES - st->bytes) {
		rc = crm_err_set(err, CRM_ETOOBIG, NULL,
				 "web directory '%s' holds more than %d MiB", root,
				 HTTP_STATIC_MAX_BYTES >> 20);
		goto out;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, data + got, (size_t)sb.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = crm_err_set(err, CRM_EIO, NULL, "cannot read web file '%s%s': %s",
					 root, url, n ? strerror(errno) : "it shrank while read");
			goto out;
		}
		got += (size_t)n;
	}
	data[got] = '\0';
	if (st->nfiles == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->files = xrealloc(st->files, st->cap * sizeof(*st->files));
	}
	f = &st->files[st->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(url);
	f->data = data;
	f->len = got;
	data = NULL;
	f->content_type = http__static_content_type(url, &f->compressible);
	f->html = strncmp(f->content_type, "text/html", 9) == 0;
	f->immutable = strncmp(url, "/assets/", 8) == 0;
	etag_of(f->data, f->len, f->etag);
	gzip_copy(f);
	st->bytes += f->len;
	st->gz_bytes += f->gz_len;
out:
	free(data);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Loads the directory open as fd (taken: closed here), whose URL path is url ("" for DIR
 * itself). Dot-files and symbolic links are skipped, as is anything not a file or folder. */
static int add_dir(struct http_static *st, const char *root, int fd, const char *url, int depth,
		   struct crm_err *err)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot read web directory '%s%s': %s", root,
				 url, strerror(errno));
		close(fd);
		return rc;
	}
	if (depth > MAX_DEPTH) {
		rc = crm_err_set(err, CRM_EINVAL, NULL,
				 "web directory '%s' is nested deeper than %d levels", root,
				 MAX_DEPTH);
		goto out;
	}
	while ((errno = 0, de = readdir(d))) {
		struct stat sb;
		char *sub;

		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW)) {
			rc = crm_err_set(err, CRM_EIO, NULL, "cannot read web file '%s%s/%s': %s",
					 root, url, de->d_name, strerror(errno));
			goto out;
		}
		sub = xmalloc(strlen(url) + strlen(de->d_name) + 2);
		memcpy(sub, url, strlen(url));
		sub[strlen(url)] = '/';
		memcpy(sub + strlen(url) + 1, de->d_name, strlen(de->d_name) + 1);
		if (S_ISREG(sb.st_mode)) {
			rc = add_file(st, root, dirfd(d), de->d_name, sub, err);
		} else if (S_ISDIR(sb.st_mode)) {
			int sfd = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sfd < 0)
				rc = crm_err_set(err, CRM_EIO, NULL,
						 "cannot read web directory '%s%s': %s", root, sub,
						 strerror(errno));
			else
				rc = add_dir(st, root, sfd, sub, depth + 1, err);
		}
		free(sub);
		if (rc)
			goto out;
	}
	if (errno)
		rc = crm_err_set(err, CRM_EIO, NULL, "cannot read web directory '%s%s': %s", root,
				 url, strerror(errno));
out:
	closedir(d);
	return rc;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct http_static_file *)a)->path,
		      ((const struct http_static_file *)b)->path);
}

int http__static_load(const char *dir, struct http_static **out, struct crm_err *err)
{
	struct http_static *st = NULL;
	struct stat sb;
	int fd, rc = 0;

	if (sodium_init() < 0)
		return crm_err_set(err, CRM_EIO, NULL, "cannot initialise libsodium");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		int e = errno;

		if (e == ENOENT || (e == ENOTDIR && stat(dir, &sb)))
			return crm_err_set(err, CRM_ENOTFOUND, NULL,
					   "web directory '%s' does not exist", dir);
		if (e == ENOTDIR)
			return crm_err_set(err, CRM_EINVAL, NULL,
					   "web directory '%s' is not a directory", dir);
		return crm_err_set(err, CRM_EIO, NULL, "cannot read web directory '%s': %s", dir,
				   strerror(e));
	}
	st = xcalloc(1, sizeof(*st));
	if ((rc = add_dir(st, dir, fd, "", 0, err)))
		goto out;
	if (st->nfiles)
		qsort(st->files, st->nfiles, sizeof(*st->files), file_cmp);
	st->index = http__static_find(st, "/index.html");
	*out = st;
	st = NULL;
out:
	http__static_free(st);
	return rc;
}

void http__static_free(struct http_static *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nfiles; i++) {
		free(st->files[i].path);
		free(st->files[i].data);
		free(st->files[i].gz);
	}
	free(st->files);
	free(st);
}

size_t http__static_count(const struct http_static *st)
{
	return st->nfiles;
}

const struct http_static_file *http__static_file(const struct http_static *st, size_t i)
{
	return i < st->nfiles ? &st->files[i] : NULL;
}

void http__static_sizes(const struct http_static *st, size_t *out_bytes, size_t *out_gz_bytes)
{
	*out_bytes = st->bytes;
	*out_gz_bytes = st->gz_bytes;
}

static int find_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct http_static_file *)elem)->path);
}

const struct http_static_file *http__static_find(const struct http_static *st, const char *path)
{
	if (!st || !path || !st->nfiles)
		return NULL;
	return bsearch(path, st->files, st->nfiles, sizeof(*st->files), find_cmp);
}

/* A decoded path we are willing to look up: absolute, no empty, "." or ".." segment, no
 * backslash, no control character. */
static bool path_safe(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *s = p; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c < 0x20 || c == 0x7f)
			return false;
		if (c != '/')
			continue;
		if (s[1] == '/')
			return false;
		if (s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
			return false;
		if (s[1] == '.' && s[2] == '.' && (s[3] == '/' || s[3] == '\0'))
			return false;
	}
	return true;
}

/* Whether the first segment of p is seg. */
static bool first_segment_is(const char *p, const char *seg)
{
	size_t n = strlen(seg);

	return strncmp(p + 1, seg, n) == 0 && (p[1 + n] == '/' || p[1 + n] == '\0');
}

const struct http_static_file *http__static_resolve(const struct http_static *st, struct arena *a,
						    const char *raw_path)
{
	const struct http_static_file *f;
	size_t len;
	char *p;

	if (!st || !raw_path || raw_path[0] != '/' || (len = strlen(raw_path)) > MAX_URL_PATH)
		return NULL;
	if (http__pct_decode(a, raw_path, len, false, &p, NULL) || !path_safe(p))
		return NULL;
	if (strcmp(p, "/") == 0)
		return st->index;
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (first_segment_is(p, reserved[i]))
			return NULL;
	if ((f = http__static_find(st, p)))
		return f;
	/* a missing script or stylesheet is a 404, never the app's HTML */
	if (first_segment_is(p, "assets"))
		return NULL;
	return st->index;
}

/* Whether Accept-Encoding lists gzip with a non-zero q (RFC 9110 §12.5.3). */
static bool accepts_gzip(const char *ae)
{
	while (ae && *ae) {
		size_t n;
		const char *end, *semi;

		ae += strspn(ae, " \t,");
		end = ae + strcspn(ae, ",");
		n = strcspn(ae, " \t;,");
		if (n == 4 && strncasecmp(ae, "gzip", 4) == 0) {
			bool q_zero = false;

			for (semi = memchr(ae, ';', (size_t)(end - ae)); semi && semi < end;
			     semi = memchr(semi + 1, ';', (size_t)(end - semi - 1))) {
				const char *v = semi + 1 + strspn(semi + 1, " \t");

				if ((v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
					q_zero = true;
					for (v += 2; v < end && (*v == '0' || *v == '.'); v++)
						;
					if (v < end && *v >= '1' && *v <= '9')
						q_zero = false;
				}
			}
			return !q_zero;
		}
		ae = end;
	}
	return false;
}

/* Whether If-None-Match names etag (weak comparison: W/ is ignored) or is "*". */
static bool etag_listed(const char *inm, const char *etag)
{
	size_t n = strlen(etag);

	while (inm && *inm) {
		size_t len;

		inm += strspn(inm, " \t,");
		if (*inm == '*')
			return true;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		len = strcspn(inm, " \t,");
		if (len == n && memcmp(inm, etag, n) == 0)
			return true;
		inm += len;
	}
	return false;
}

void http__static_respond(const struct http_static_file *f, const char *accept_encoding,
			  const char *if_none_match, struct http_res *res)
{
	bool gz = f->gz && accepts_gzip(accept_encoding);
	const char *etag = gz ? f->etag_gz : f->etag;

	http_res_header(res, "ETag", etag);
	http_res_header(res, "Cache-Control",
			f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
	if (f->compressible)
		http_res_header(res, "Vary", "Accept-Encoding");
	if (etag_listed(if_none_match, etag)) {
		res->status = 304;
		res->content_type = NULL;
		res->body = NULL;
		res->body_len = 0;
		return;
	}
	res->status = 200;
	res->content_type = f->content_type;
	res->body = gz ? f->gz : f->data;
	res->body_len = gz ? f->gz_len : f->len;
	if (gz)
		http_res_header(res, "Content-Encoding", "gzip");
	http_res_header(res, "X-Content-Type-Options", "nosniff");
	if (f->html) {
		http_res_header(res, "Content-Security-Policy", csp);
		http_res_header(res, "Referrer-Policy", "same-origin");
		http_res_header(res, "X-Frame-Options", "DENY");
	}
}
