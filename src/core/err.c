/* Error values: filling struct crm_err and the names of the CRM_E* codes. */
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Keeps each value of the message as its own conversion formats it, walking fmt as
 * printf does (flags, width, precision, length, conversion; '*' takes an int). */
static void args_keep(struct crm_err *err, const char *fmt, va_list ap)
{
	const char *p = fmt;

	err->nargs = 0;
	while ((p = strchr(p, '%')) && err->nargs < CRM_ERR_ARGS) {
		char spec[32];
		const char *start = p++;
		int star[2] = {0, 0}, nstar = 0;
		size_t n;
		char *out = err->args[err->nargs];
		enum { INT, LONG, LLONG, SIZE, DOUBLE, STRING, POINTER, NONE } kind = NONE;

		if (*p == '%') {
			p++;
			continue;
		}
		p += strspn(p, "-+ #0");
		if (*p == '*')
			star[nstar++] = va_arg(ap, int), p++;
		p += strspn(p, "0123456789");
		if (*p == '.') {
			p++;
			if (*p == '*')
				star[nstar++] = va_arg(ap, int), p++;
			p += strspn(p, "0123456789");
		}
		if (p[0] == 'l' && p[1] == 'l')
			kind = LLONG, p += 2;
		else if (*p == 'l' || *p == 'j' || *p == 't')
			kind = LONG, p++;
		else if (*p == 'z')
			kind = SIZE, p++;
		else if (*p == 'h')
			p += p[1] == 'h' ? 2 : 1;
		if (!*p)
			break;
		switch (*p++) {
		case 's':
			kind = STRING;
			break;
		case 'f':
		case 'g':
		case 'e':
			kind = DOUBLE;
			break;
		case 'p':
			kind = POINTER;
			break;
		default:
			if (kind == NONE)
				kind = INT;
		}
		n = (size_t)(p - start);
		if (n >= sizeof(spec))
			break;
		memcpy(spec, start, n);
		spec[n] = '\0';
		/* the value alone: a width or precision given by '*' is applied to it */
#define KEEP(v)                                                                                    \
	(nstar == 2   ? snprintf(out, CRM_ERR_ARG_MAX, spec, star[0], star[1], v)                  \
	 : nstar == 1 ? snprintf(out, CRM_ERR_ARG_MAX, spec, star[0], v)                           \
		      : snprintf(out, CRM_ERR_ARG_MAX, spec, v))
		switch (kind) {
		case STRING:
			KEEP(va_arg(ap, const char *));
			break;
		case LLONG:
			KEEP(va_arg(ap, long long));
			break;
		case LONG:
			KEEP(va_arg(ap, long));
			break;
		case SIZE:
			KEEP(va_arg(ap, size_t));
			break;
		case DOUBLE:
			KEEP(va_arg(ap, double));
			break;
		case POINTER:
			KEEP(va_arg(ap, void *));
			break;
		default:
			KEEP(va_arg(ap, int));
		}
#undef KEEP
		err->nargs++;
	}
}

int crm_err_set(struct crm_err *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap, again;

	if (!err || err->code)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	snprintf(err->format, sizeof(err->format), "%s", fmt);
	args_keep(err, fmt, again);
	va_end(again);
	err->detail[0] = '\0';
	err->at = 0;
	return code;
}

int crm_err_copy(struct crm_err *err, const struct crm_err *from, const char *field)
{
	if (err && !err->code) {
		*err = *from;
		if (field)
			snprintf(err->field, sizeof(err->field), "%s", field);
	}
	return from->code;
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
