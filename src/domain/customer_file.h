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
#include "domain/customer.h"
#include "domain/party.h"

/* The columns, in the order export writes them. */
extern const char *const customer_file_columns[];
extern const size_t customer_file_ncolumns;

/* Where each column is in the records of one file: field index, or -1. */
struct customer_file_map {
	int at[40];
};

/* Reads the header record: every name a known column, none twice, customerNo present
 * (CRM_EINVAL naming the column). */
int customer_file_header(struct crm_ctx *ctx, char **fields, size_t n,
			 struct customer_file_map *out);

/* One record into the engaged party (of *kind, "individual" or "organization") and the
 * customer (without engagedParty), decoded as a POST's bodies; CRM_EINVAL with the column
 * or member at fault. Empty fields are absent values. Allocated in ctx arena. */
int customer_file_decode(struct crm_ctx *ctx, const struct customer_file_map *m, char **fields,
			 size_t n, const char **kind, struct party *party, struct customer *c);

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
