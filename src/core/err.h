/*
 * Errors: every function returns 0 or a negative CRM_E* code and, on failure, fills the
 * caller's struct crm_err once. http/errors.c maps the codes to HTTP statuses and the TMF
 * error body; nothing else spells a status.
 */
#ifndef CRM_ERR_H
#define CRM_ERR_H

#include <stdarg.h>
#include <stdint.h>

enum {
	CRM_OK = 0,
	CRM_EINVAL = -1,     /* malformed or invalid input (400) */
	CRM_ENOTFOUND = -2,  /* no such resource, or not in the caller's scope (404) */
	CRM_ECONFLICT = -3,  /* state conflict: invalid transition, duplicate key (409) */
	CRM_ESTALE = -4,     /* If-Match does not match the current version (412) */
	CRM_EAUTH = -5,	     /* not authenticated (401) */
	CRM_EPERM = -6,	     /* authenticated but not allowed (403) */
	CRM_ETOOBIG = -7,    /* body or field over its limit (413) */
	CRM_EMEDIA = -8,     /* unsupported content type (415) */
	CRM_EMETHOD = -9,    /* method not allowed on this path (405) */
	CRM_ERATE = -10,     /* rate limit exceeded (429) */
	CRM_EUNPROC = -11,   /* well-formed but semantically wrong, e.g. reused key (422) */
	CRM_EBUSY = -12,     /* storage busy or shutting down (503) */
	CRM_EIO = -13,	     /* storage or system failure (500) */
	CRM_ESCHEMA = -14,   /* database schema newer than this binary */
	CRM_EINTERNAL = -15, /* a bug; logged with detail (500) */
	CRM_E_COUNT = 16
};

#define CRM_ERR_FIELD_MAX   64
#define CRM_ERR_MESSAGE_MAX 256
#define CRM_ERR_DETAIL_MAX  256
#define CRM_ERR_REF_MAX	    256
#define CRM_ERR_ARGS	    6 /* the values of a message kept for its translation */
#define CRM_ERR_ARG_MAX	    96

/* What went wrong: code, the offending input field (may be empty), a message for people
 * (lower case, no trailing period, user values in single quotes) and optional detail. The
 * message's format and values are kept too, so that it can be said in another language
 * (core/msg.h). */
struct crm_err {
	int code;
	char field[CRM_ERR_FIELD_MAX];
	char message[CRM_ERR_MESSAGE_MAX];
	char format[CRM_ERR_MESSAGE_MAX];	  /* the English format it was made from */
	char args[CRM_ERR_ARGS][CRM_ERR_ARG_MAX]; /* its values, each as formatted */
	int nargs;
	char detail[CRM_ERR_DETAIL_MAX];
	char conflicts_with[CRM_ERR_REF_MAX]; /* a conflict: the href of the record in the way,
						 when the caller may read it (may be empty) */
	int64_t at; /* a bulk load's row at fault: the mark its writer gave it (a file's line,
		       say: db_tx_bulk_mark); 0: not known */
};

/* Fills err (if not NULL and not already set) and returns code, so that
 * `return crm_err_set(err, CRM_EINVAL, "limit", "'%s' is not a number", s);` reads well.
 * field may be NULL. The first error set wins: later calls keep the first message. */
int crm_err_set(struct crm_err *err, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Fills err (if not NULL and not already set) with the error in from, its format and values
 * kept so that it is still said in the caller's language; field, if not NULL, replaces
 * from's. Returns from's code. For an error made on a local struct crm_err and passed on. */
int crm_err_copy(struct crm_err *err, const struct crm_err *from, const char *field);

/* Sets err->detail (secondary facts); keeps code and message. */
void crm_err_detail(struct crm_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets err->conflicts_with (the href of the existing record a conflict is about). */
void crm_err_conflicts_with(struct crm_err *err, const char *href);

/* Clears err to "no error". */
void crm_err_clear(struct crm_err *err);

/* Short stable name of a code, e.g. "EINVAL"; "EUNKNOWN" for anything else. */
const char *crm_err_name(int code);

/* A broken invariant: logs where and aborts. Never for bad input. */
#define CRM_BUG(...) crm__bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void crm__bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
