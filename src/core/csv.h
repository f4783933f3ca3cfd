/*
 * Streaming CSV after RFC 4180: a reader that goes through a file of any size record by
 * record in constant memory (customer import and its reject file), and a writer that
 * appends fields and records to a strbuf (export), optionally with the cells a spreadsheet
 * would run as formulas neutralised. Bytes are bytes: no encoding, no locale.
 */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct crm_err;
struct strbuf;

#define CSV_RECORD_MAX (1 << 20) /* bytes in one record, without its line break */

/*
 * The syntax read:
 * - fields are separated by ',' and records end at LF or CRLF; the last record may lack
 *   its line break;
 * - a field that starts with '"' is quoted: it ends at the next lone '"', holds ',', CR and
 *   line breaks as they are, and "" stands for one '"'; after the closing quote comes ',',
 *   the line break or the end of input;
 * - a UTF-8 byte order mark at the very start is skipped, and so is an empty line (it is
 *   not a record with one empty field);
 * - malformed: a '"' inside an unquoted field, anything else after a closing quote, a CR
 *   outside quotes that is not followed by LF, a NUL byte anywhere, a quoted field still
 *   open at the end of input, a record longer than CSV_RECORD_MAX bytes.
 *
 * A reader is used by one thread at a time.
 */
struct csv_reader;

/* A reader of f, which stays borrowed until csv_reader_free() and is read with fread() in
 * large blocks (so do not read f elsewhere meanwhile). Caller frees with csv_reader_free(). */
struct csv_reader *csv_reader_new(FILE *f);
/* Frees r (NULL is allowed); does not close its file. */
void csv_reader_free(struct csv_reader *r);

/*
 * Reads the next record. Returns 1 with *out_fields set to *out_n NUL-terminated fields
 * (unquoted, "" undoubled; at least one), which r owns and which stay valid, and may be
 * changed in place, until the next call. Returns 0 at the end of input (and again on later
 * calls). On failure the outputs are left as they were:
 * - CRM_EINVAL: a malformed record; err names the line where the problem is, as in
 *   "line 12: unterminated quoted field". The next call goes on after the line of the
 *   problem — for a quoted field left open, after the line where it opened — so a caller
 *   can reject the record and continue.
 * - CRM_EIO: reading f failed; later calls fail the same way.
 */
int csv_reader_next(struct csv_reader *r, char ***out_fields, size_t *out_n, struct crm_err *err);

/* The 1-based line where the last record (read or malformed) began; 0 before the first. */
int64_t csv_reader_line(const struct csv_reader *r);

/* The bytes of the last record as read, also for a malformed one, without its line break;
 * borrowed until the next csv_reader_next(). A record read, written after a line break and
 * followed by "\n", reads back the same (a reject file can keep rows so). For a malformed
 * record these are the lines skipped, at most CSV_RECORD_MAX bytes of them. Not
 * NUL-terminated; *len gets their number. */
const char *csv_reader_raw(const struct csv_reader *r, size_t *len);

/* Appends s to sb as one field: quoted when it holds ',', '"', CR or LF, starts or ends
 * with a space or starts with a byte order mark, with '"' doubled. NULL is an empty field. */
void csv_field_add(struct strbuf *sb, const char *s);

/* Appends the n fields joined by ',' and then "\n". One empty field is written as "" so
 * that the line is not empty; no fields give an empty line, which a reader skips. */
void csv_record_add(struct strbuf *sb, const char *const *fields, size_t n);

/*
 * Formula neutralisation (OWASP "CSV injection"): a spreadsheet runs a cell that starts
 * with '=', '+', '-', '@', a tab or a carriage return as a formula, so a file of personal
 * data opened in one could run what a customer typed. The _safe writers prefix such a
 * field with one '\'', which a spreadsheet shows as text, and csv_field_restore takes it
 * off again. So that every value comes back as it was, a field that starts with a run of
 * '\'' followed by one of those characters also gets one more '\'' in front:
 *
 *	value		written
 *	+8613912345678	'+8613912345678
 *	-		'-
 *	'=x		''=x
 *	'x		'x	(no formula: as it is)
 */
/* Whether s would be taken for a formula, or is such a field already prefixed. */
bool csv_field_is_formula(const char *s);
/* As csv_field_add and csv_record_add, with formulas neutralised. */
void csv_field_add_safe(struct strbuf *sb, const char *s);
void csv_record_add_safe(struct strbuf *sb, const char *const *fields, size_t n);
/* The value of a field as read, with the '\'' a _safe writer put in front taken off: s + 1
 * when s is a '\'' and then a field that csv_field_is_formula, else s. */
const char *csv_field_restore(const char *s);

#endif
