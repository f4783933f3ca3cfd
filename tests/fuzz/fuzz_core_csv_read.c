/*
 * libFuzzer target: reads arbitrary input as CSV record by record and checks what csv.h
 * promises: records come in order of their lines, a failure is CRM_EINVAL naming a line,
 * the raw bytes are a piece of the input, no longer than the limit and, for a record read,
 * read alone to the same fields; and the fields written back with the writer read back the
 * same. The first byte picks the reader's block size and record limit, small enough to
 * reach block boundaries, buffer growth and over-long records; the rest is the CSV.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/csv_int.h"
#include "core/err.h"
#include "core/str.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* Reads bytes that must hold exactly one record with these fields. */
static void check_reads_as(const char *text, size_t len, char **want, size_t n)
{
	char *copy = malloc(len), **fields;
	size_t nf;
	FILE *f;
	struct csv_reader *r;

	CHECK(copy && len > 0);
	memcpy(copy, text, len);
	f = fmemopen(copy, len, "r");
	CHECK(f);
	r = csv__reader_new_limits(f, 4 + len % 13, CSV_RECORD_MAX);
	CHECK(csv_reader_next(r, &fields, &nf, NULL) == 1);
	CHECK(nf == n);
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(fields[i], want[i]) == 0);
	CHECK(csv_reader_next(r, &fields, &nf, NULL) == 0);
	csv_reader_free(r);
	fclose(f);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	int64_t last_line = 0, breaks = 0;
	size_t cursor = 0, block, record_max;
	char *copy;
	FILE *f;

	if (size < 2)
		return 0;
	block = 4 + (size_t)(data[0] & 15) * 4;
	record_max = (data[0] >> 4) == 15 ? CSV_RECORD_MAX : 1 + (size_t)(data[0] >> 4) * 16;
	data++;
	size--;
	for (size_t i = 0; i < size; i++)
		breaks += data[i] == '\n';
	copy = malloc(size);
	CHECK(copy);
	memcpy(copy, data, size);
	f = fmemopen(copy, size, "r");
	CHECK(f);
	r = csv__reader_new_limits(f, block, record_max);
	for (;;) {
		struct crm_err err;
		char **fields;
		size_t nf, raw_len, total = 0;
		const char *raw, *at;
		int rc;

		memset(&err, 0, sizeof(err));
		rc = csv_reader_next(r, &fields, &nf, &err);
		if (rc == 0 || rc == CRM_EIO)
			break;
		CHECK(rc == 1 || (rc == CRM_EINVAL && err.code == CRM_EINVAL));
		CHECK(csv_reader_line(r) > last_line && csv_reader_line(r) <= breaks + 1);
		last_line = csv_reader_line(r);
		raw = csv_reader_raw(r, &raw_len);
		CHECK(raw_len >= 1 && raw_len <= record_max);
		at = memmem(copy + cursor, size - cursor, raw, raw_len);
		CHECK(at);
		cursor = (size_t)(at - copy) + raw_len;
		if (rc != 1) {
			CHECK(strncmp(err.message, "line ", 5) == 0);
			continue;
		}
		CHECK(nf >= 1);
		for (size_t i = 0; i < nf; i++)
			total += strlen(fields[i]);
		CHECK(total <= raw_len);

		/* the raw bytes alone, after an empty line so that a leading BOM stays */
		strbuf_reset(&sb);
		strbuf_addch(&sb, '\n');
		strbuf_add(&sb, raw, raw_len);
		strbuf_addch(&sb, '\n');
		check_reads_as(sb.buf, sb.len, fields, nf);

		/* written back and read again */
		strbuf_reset(&sb);
		csv_record_add(&sb, (const char *const *)fields, nf);
		check_reads_as(sb.buf, sb.len, fields, nf);
	}
	csv_reader_free(r);
	fclose(f);
	free(copy);
	strbuf_release(&sb);
	return 0;
}
