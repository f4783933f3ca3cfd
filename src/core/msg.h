/*
 * Messages in the caller's language. Every error keeps the English format it was made from
 * and its values (core/err.h); this catalogue gives each known format a stable code (the
 * TMF error's "code": "field.required", "party.identification.taken") and its Chinese, so
 * that an error is said in the language the request asked for (Accept-Language). A format
 * the catalogue lacks keeps its English text and the code of its kind of error.
 *
 * The Chinese of a message names its values by place: {1} is the first value as the
 * English format put it, {1n} the same value as a noun of the product ("customer" → 客户),
 * translated when the noun table has it.
 */
#ifndef CRM_MSG_H
#define CRM_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum crm_lang { CRM_LANG_EN, CRM_LANG_ZH };

/* The language an Accept-Language header asks for: Chinese when a zh tag comes before
 * (or weighs more than) any en tag, English otherwise (and when header is NULL). */
enum crm_lang msg_lang_of(const char *accept_language);

/* The stable code of err: its format's, or its kind's ("request.invalid",
 * "resource.notFound", ...). */
const char *msg_code(const struct crm_err *err);

/* err's message in lang into out (size n, always terminated); returns out. */
const char *msg_text(const struct crm_err *err, enum crm_lang lang, char *out, size_t n);

/* For tests: the catalogue's size and entry i (code, English format, Chinese). */
size_t msg_count(void);
void msg_entry(size_t i, const char **code, const char **en, const char **zh);

#endif
