/*
 * The customer file: one customer and its engaged party per record, flat, in the columns
 * `telcrm import customers` reads and `telcrm export customers --format csv` writes (so
 * an export imports back). The columns are documented in docs/customers.md; a file names
 * the columns it has in its header, in any order. A record is turned into the TMF
 * resources' JSON and decoded with the API's own descriptors, so it is checked exactly as
 * a POST would be.
 */
#ifndef CRM_CUSTOMER_FILE_H
#define CRM_CUSTOMER_FILE_H

#include <stddef.h>

#include "core/ctx.h"
#include "domain/customer_load.h"
#include "domain/party.h"
#include "store/db.h"

/* The columns, in the order export writes them. */
extern const char *const customer_file_columns[];
extern const size_t customer_file_ncolumns;

/* The column a reject file adds for the reason (docs/cli/import.md); an import ignores it,
 * so that a reject file, once corrected, imports as it is. */
#define CUSTOMER_FILE_REJECT_REASON "rejectReason"

/* Where each column is in the records of one file: field index, or -1. */
struct customer_file_map {
	int at[40];
	int reject_reason; /* the field of CUSTOMER_FILE_REJECT_REASON, or -1 */
};

/* Reads the header record: every name a known column (or CUSTOMER_FILE_REJECT_REASON),
 * none twice, customerNo present (CRM_EINVAL naming the column). */
int customer_file_header(struct crm_ctx *ctx, char **fields, size_t n,
			 struct customer_file_map *out);

/* One record into the engaged party (of *kind, "individual" or "organization") and the
 * customer (without engagedParty), decoded as a POST's bodies; CRM_EINVAL with the column
 * or member at fault. Empty fields are absent values. A field must be UTF-8 without
 * control characters but tab, CR and LF (the text the API stores and serves as JSON).
 * Allocated in ctx arena. */
int customer_file_decode(struct crm_ctx *ctx, const struct customer_file_map *m, char **fields,
			 size_t n, const char **kind, struct party *party, struct customer *c);

/* The record's customerNo field; NULL when it is empty or the record has not the header's
 * n fields (so that the field may not be its customerNo). Borrowed from fields. */
const char *customer_file_customer_no(const struct customer_file_map *m, char **fields, size_t n);

/* Whether the party an import prepared from this record (mine) is holder, the live party
 * that has its identification number already: 0 when it is of the same kind and every
 * party column the record fills agrees with holder (the identification aside; a contact
 * column agrees with any of holder's media of its type); else CRM_ECONFLICT naming
 * idNumber and the first column that differs, with both values. */
int customer_file_party_match(struct crm_ctx *ctx, const struct customer_file_map *m, char **fields,
			      const struct party *holder, const struct party *mine);

/* The column a decode or import error's member (ctx->err.field, such as
 * "contactMedium[0].characteristic.phoneNumber") stands for in this record ("mobile"),
 * so that a reject file speaks of the file's columns; other members as they are. */
const char *customer_file_column(const struct customer_file_map *m, char **fields,
				 const char *field);

/* The fields of one customer and its party, customer_file_ncolumns of them in column order
 * (NULL for empty), into fields. */
void customer_file_encode(struct crm_ctx *ctx, const struct customer *c, const struct party *p,
			  const char **fields);

#endif
