/*
 * The one table from CRM_E* codes to HTTP statuses, and the TMF error body
 * {code, reason, message, status, @type} (TMF630 "Error" resource). Handlers never spell
 * a status: they return a code and this file decides what the client sees. Internal
 * failures are logged with their detail and answered with a generic message. Messages
 * echo client input, so bytes that are not valid UTF-8 and control characters are written
 * as \xNN text here: every error body is valid JSON, whoever built the message.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/msg.h"
#include "core/str.h"
#include "http/http_int.h"
#include "core/banned.h"

struct code_status {
	int status;
	bool internal; /* log the detail, show a generic message */
};

/* Indexed by -code. */
static const struct code_status table[CRM_E_COUNT] = {
	[0] = {200, false},
	[-CRM_EINVAL] = {400, false},
	[-CRM_ENOTFOUND] = {404, false},
	[-CRM_ECONFLICT] = {409, false},
	[-CRM_ESTALE] = {412, false},
	[-CRM_EAUTH] = {401, false},
	[-CRM_EPERM] = {403, false},
	[-CRM_ETOOBIG] = {413, false},
	[-CRM_EMEDIA] = {415, false},
	[-CRM_EMETHOD] = {405, false},
	[-CRM_ERATE] = {429, false},
	[-CRM_EUNPROC] = {422, false},
	[-CRM_EBUSY] = {503, false},
	[-CRM_EIO] = {500, true},
	[-CRM_ESCHEMA] = {500, true},
	[-CRM_EINTERNAL] = {500, true},
};

static const struct {
	int status;
	const char *reason;
} reasons[] = {
	{200, "OK"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{409, "Conflict"},
	{412, "Precondition Failed"},
	{413, "Content Too Large"},
	{414, "URI Too Long"},
	{415, "Unsupported Media Type"},
	{422, "Unprocessable Content"},
	{429, "Too Many Requests"},
	{431, "Request Header Fields Too Large"},
	{500, "Internal Server Error"},
	{503, "Service Unavailable"},
};

/* TMF630 Error, rendered through a descriptor like every other body. */
struct tmf_error {
	const char *code;
	const char *reason;
	const char *message;
	const char *status;
	const char *field;	    /* non-standard: the offending input, when known */
	const char *conflicts_with; /* non-standard: a conflict's existing record (href) */
};

static const struct json_field tmf_error_fields[] = {
	JSON_F(struct tmf_error, code, JSON_STRING, 0),
	JSON_F(struct tmf_error, reason, JSON_STRING, 0),
	JSON_F(struct tmf_error, message, JSON_STRING, 0),
	JSON_F(struct tmf_error, status, JSON_STRING, 0),
	JSON_F(struct tmf_error, field, JSON_STRING, 0),
	{"conflictsWith", JSON_STRING, offsetof(struct tmf_error, conflicts_with), 0, NULL, 0,
	 NULL},
	{0},
};

static const struct json_desc tmf_error_desc = {"Error", sizeof(struct tmf_error), tmf_error_fields,
						JSON_NO_PRESENT};

static const struct code_status *entry_of(int code)
{
	if (code > 0 || code <= -CRM_E_COUNT || table[-code].status == 0)
		return &table[-CRM_EINTERNAL];
	return &table[-code];
}

int http_status_of(int code)
{
	return entry_of(code)->status;
}

const char *http__reason_of(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return status >= 500 ? "Internal Server Error" : "Error";
}

/* Whether byte c is shown as \xNN: C0 controls and DEL. */
static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* s as JSON can carry it and a person can read it: valid UTF-8 is kept, and each byte
 * outside a valid sequence and each control character becomes the four characters \xNN.
 * s itself when nothing needs escaping (the usual case), else a copy in the arena. */
static const char *printable(struct arena *a, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	struct strbuf sb;

	for (; i < n; i += len)
		if (is_control(u[i]) || !(len = str_utf8_seq(u + i, n - i, NULL)))
			break;
	if (i == n)
		return s;
	strbuf_init_arena(&sb, a, n + 16);
	strbuf_add(&sb, s, i);
	while (i < n) {
		len = is_control(u[i]) ? 0 : str_utf8_seq(u + i, n - i, NULL);
		if (len) {
			strbuf_add(&sb, s + i, len);
			i += len;
		} else {
			strbuf_addf(&sb, "\\x%02x", u[i]);
			i++;
		}
	}
	return strbuf_cstr(&sb);
}

static void render(struct crm_ctx *ctx, struct http_res *res, int status, bool internal, int code,
		   const struct crm_err *err)
{
	struct tmf_error body = {0};
	const char *status_text = arena_printf(ctx->arena, "%d", status);
	cJSON *tree;

	body.code = err && err->code ? msg_code(err) : msg_code(&(struct crm_err){.code = code});
	body.status = status_text;
	body.reason = http__reason_of(status);
	if (internal) {
		char msg[512], detail[512];

		log_error("http.error", "code=%s message=%s detail=%s", crm_err_name(code),
			  log_quote(err ? err->message : "", msg, sizeof(msg)),
			  log_quote(err ? err->detail : "", detail, sizeof(detail)));
		body.message =
			arena_printf(ctx->arena,
				     ctx->lang == CRM_LANG_ZH
					     ? "服务器内部错误；服务器日志中有请求“%s”的详情"
					     : "internal error; the server log has the details of "
					       "request '%s'",
				     ctx->request_id);
	} else {
		char text[CRM_ERR_MESSAGE_MAX * 2];

		/* printable() may hand back its argument: the text goes to the arena first */
		body.message =
			err && err->message[0]
				? printable(ctx->arena,
					    arena_strdup(ctx->arena, msg_text(err, ctx->lang, text,
									      sizeof(text))))
				: body.reason;
		if (err && err->field[0])
			body.field = printable(ctx->arena, err->field);
		if (err && err->conflicts_with[0])
			body.conflicts_with = printable(ctx->arena, err->conflicts_with);
	}
	tree = json_adopt(ctx->arena, json_encode(&tmf_error_desc, &body));
	res->status = status;
	res->content_type = "application/json";
	res->body = json_print(ctx->arena, tree, &res->body_len);
}

void http_render_error(struct crm_ctx *ctx, struct http_res *res, int code,
		       const struct crm_err *err)
{
	const struct code_status *e = entry_of(code);

	render(ctx, res, e->status, e->internal, code, err);
}

void http__render_status(struct crm_ctx *ctx, struct http_res *res, int status,
			 const struct crm_err *err)
{
	render(ctx, res, status, false, CRM_EINVAL, err);
}
