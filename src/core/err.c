/* Error values: filling struct crm_err and the names of the CRM_E* codes. */
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int crm_err_set(struct crm_err *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	err->detail[0] = '\0';
	return code;
}

void crm_err_detail(struct crm_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

void crm_err_conflicts_with(struct crm_err *err, const char *href)
{
	if (err && href)
		snprintf(err->conflicts_with, sizeof(err->conflicts_with), "%s", href);
}

void crm_err_clear(struct crm_err *err)
{
	memset(err, 0, sizeof(*err));
}

const char *crm_err_name(int code)
{
	static const char *const names[CRM_E_COUNT] = {
		"OK",	 "EINVAL",  "ENOTFOUND", "ECONFLICT", "ESTALE", "EAUTH",
		"EPERM", "ETOOBIG", "EMEDIA",	 "EMETHOD",   "ERATE",	"EUNPROC",
		"EBUSY", "EIO",	    "ESCHEMA",	 "EINTERNAL",
	};

	if (code > 0 || code <= -CRM_E_COUNT)
		return "EUNKNOWN";
	return names[-code];
}

_Noreturn void crm__bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
