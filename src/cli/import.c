/*
 * telcrm import customers FILE: loads a customer file (domain/customer_file.h) as it
 * streams by, in constant memory. Each record is checked as the API checks a POST; a
 * refused record goes to the reject file — an import file itself: the header, the record
 * as it was and the reason in a column imports ignore — and the others are kept. Records
 * are committed in batches, each with one audit row naming the customers it made; a
 * customer number already in the database is skipped, so an import that stopped half-way
 * (or ran twice) can simply be run again. A customer number twice in the file is refused
 * the second time, and records whose identification number belongs to a party already
 * (an export writes a party once for each of its customers) share that party when they
 * agree with it.
 *
 * A bulk job (domain/bulk.h): this thread reads, decodes and checks records and builds
 * their rows; the writer thread writes them, keeps the counts and the reject file.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/bulk.h"
#include "domain/change.h"
#include "domain/customer_file.h"
#include "domain/org.h"
#include "store/db.h"
#include "core/banned.h"

#define EXIT_REJECTS 3	   /* finished, with refused records in the reject file */
#define AUDIT_IDS    10000 /* customers one audit row names: a row stays under 400 KB */

/* The customer numbers read so far, each with its first line: an open-addressing table
 * over strings in an arena of its own (the reading thread's; about 50 bytes a record). */
struct seen_no {
	const char *no;
	int64_t line;
};
struct seen {
	struct arena *arena;
	struct seen_no *slots;
	size_t cap, n; /* cap a power of two, n at most half of it */
};

struct import {
	struct crm_ctx *ctx;
	const char *path, *rejects_path;
	FILE *in;
	struct csv_reader *csv;
	struct customer_file_map map;
	char **header;
	size_t nheader;
	int64_t size;		     /* of the file, for progress; 0 when unknown */
	_Atomic int64_t read_offset; /* how far the reading has come, for progress */
	bool tty;
	struct seen seen; /* the reading thread's */
	/* the writer thread's */
	FILE *rejects;
	int64_t created, present, rejected, records;
	int64_t committed;	/* customers created in committed batches */
	int64_t committed_line; /* the last line they hold (1: the header) */
	int64_t at_line;	/* of the record being written; 0 between batches */
	struct strbuf line;	/* a record of the reject file (malloc'd) */
	/* since the last audit row: the customers made (their ids owned until the row) and
	 * the lines read */
	cJSON *batch_ids;
	int64_t batch_created;
	int64_t batch_first, batch_last;
};

/* A record on its way to the writer: its rows, or why it was refused. */
struct import_item {
	int64_t line;
	struct customer_import_rows rows;
	int rc;			 /* of reading or checking it (a refusal or a failure) */
	const char *refusal;	 /* then the reason */
	const char *customer_no; /* its customerNo field, NULL when empty or unknown */
	int64_t duplicate_of;	 /* the line that had its customer number first, or 0 */
	char **fields;		 /* the record's fields, copied (NULL: raw holds it) */
	size_t n;
	const char *raw; /* a record that is no CSV, as read */
	size_t raw_len;
};

static size_t seen_hash(const char *no)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (const char *p = no; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return (size_t)h;
}

/* The slot of no in s->slots, or the empty one where it would go. */
static size_t seen_slot(const struct seen *s, const char *no)
{
	size_t i = seen_hash(no) & (s->cap - 1);

	while (s->slots[i].no && strcmp(s->slots[i].no, no) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* The first line of no in this file, or 0 when it is new (and now remembered at line). */
static int64_t seen_add(struct seen *s, const char *no, int64_t line)
{
	size_t i;

	if (s->n + 1 > s->cap / 2) {
		struct seen_no *old = s->slots;
		size_t old_cap = s->cap;

		s->cap = old_cap ? old_cap * 2 : 1024;
		s->slots = xcalloc(s->cap, sizeof(*s->slots));
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].no)
				s->slots[seen_slot(s, old[k].no)] = old[k];
		free(old);
	}
	i = seen_slot(s, no);
	if (s->slots[i].no)
		return s->slots[i].line;
	s->slots[i] = (struct seen_no){arena_strdup(s->arena, no), line};
	s->n++;
	return 0;
}

/* Appends a reject file's header: the file's own columns, and the reason's after them
 * unless the file has that column already (it is a reject file being imported again). */
static void reject_header(struct import *im)
{
	for (size_t i = 0; i < im->nheader; i++) {
		if (i)
			strbuf_addch(&im->line, ',');
		csv_field_add_safe(&im->line, im->header[i]);
	}
	if (im->map.reject_reason < 0) {
		strbuf_addch(&im->line, ',');
		csv_field_add(&im->line, CUSTOMER_FILE_REJECT_REASON);
	}
	strbuf_addch(&im->line, '\n');
}

/*
 * Writes a refused record to the reject file (made at the first one) so that the file
 * imports once corrected: the record's fields as they were and the reason in the
 * rejectReason column (written as the export writes fields: formulas neutralised). A
 * record without the header's number of fields — or not even CSV, kept as its text in
 * one field — keeps its fields and gets the reason after them, so that it is refused again
 * until someone corrects it.
 */
static int reject(struct import *im, const struct import_item *it, const char *reason)
{
	int at = im->map.reject_reason;

	if (!im->rejects) {
		if (!(im->rejects = cli_file_create_private("import", im->rejects_path)))
			return -1;
		strbuf_reset(&im->line);
		reject_header(im);
		fwrite(im->line.buf, 1, im->line.len, im->rejects);
	}
	strbuf_reset(&im->line);
	if (it->fields) {
		for (size_t i = 0; i < it->n; i++) {
			if (i)
				strbuf_addch(&im->line, ',');
			csv_field_add_safe(&im->line, it->n == im->nheader && (int)i == at
							      ? reason
							      : it->fields[i]);
		}
	} else {
		csv_field_add_safe(&im->line, it->raw);
	}
	if (!it->fields || it->n != im->nheader || at < 0) {
		strbuf_addch(&im->line, ',');
		csv_field_add_safe(&im->line, reason);
	}
	strbuf_addch(&im->line, '\n');
	fwrite(im->line.buf, 1, im->line.len, im->rejects);
	im->rejected++;
	return 0;
}

/* The error's message; one its buffer cut short ends at a whole character, with "…". */
static const char *message_of(struct crm_ctx *ctx)
{
	const char *m = ctx->err.message;
	size_t n = strlen(m);

	if (n + 1 < sizeof(ctx->err.message))
		return arena_strdup(ctx->arena, m);
	while (n && ((unsigned char)m[n - 1] & 0xc0) == 0x80)
		n--;
	if (n && (unsigned char)m[n - 1] >= 0xc0)
		n--;
	return arena_printf(ctx->arena, "%.*s…", (int)n, m);
}

/* The reason a record was refused (ctx->err): the message, after the column at fault
 * unless the message names it ('mobile'). */
static const char *reason_of(struct import *im, struct crm_ctx *ctx, char **fields)
{
	const char *col = customer_file_column(&im->map, fields, ctx->err.field);
	const char *msg = message_of(ctx);

	if (col && !strstr(msg, arena_printf(ctx->arena, "'%s'", col)))
		return arena_printf(ctx->arena, "%s: %s", col, msg);
	return msg;
}

/* The reason as the reject file gives it: after the record's line, unless it starts with
 * a line already (a record that is no CSV: the line of the problem). */
static const char *reason_at_line(struct crm_ctx *ctx, const struct import_item *it,
				  const char *reason)
{
	if (strncmp(reason, "line ", 5) == 0)
		return reason;
	return arena_printf(ctx->arena, "line %lld: %s", (long long)it->line, reason);
}

static bool is_refusal(int rc)
{
	return rc == CRM_EINVAL || rc == CRM_ECONFLICT;
}

/* Reader thread: the record read into fields, checked and made into rows in it (in the
 * record's arena, ctx->arena), or refused. */
static void prepare(struct import *im, struct import_item *it, char **fields, size_t n)
{
	struct crm_ctx *ctx = im->ctx;
	struct customer c;
	struct party p;
	const char *kind;
	int rc;

	/* the reader reuses its buffers: the rows point into a copy, with the '\'' an export
	 * puts before a formula taken off */
	it->fields = arena_calloc(ctx->arena, n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		it->fields[i] = arena_strdup(ctx->arena, csv_field_restore(fields[i]));
	it->n = n;
	if ((it->customer_no = customer_file_customer_no(&im->map, it->fields, n)) &&
	    (it->duplicate_of = seen_add(&im->seen, it->customer_no, it->line))) {
		it->rc = CRM_ECONFLICT;
		it->refusal =
			arena_printf(ctx->arena, "customerNo: '%s' is a duplicate of line %lld",
				     it->customer_no, (long long)it->duplicate_of);
		return;
	}
	rc = customer_file_decode(ctx, &im->map, it->fields, n, &kind, &p, &c);
	if (!rc)
		rc = customer_import_prepare(ctx, kind, &p, &c, &it->rows);
	if (rc) {
		it->rc = rc;
		it->refusal = is_refusal(rc) ? reason_of(im, ctx, it->fields)
					     : arena_strdup(ctx->arena, ctx->err.message);
		crm_err_clear(&ctx->err);
	}
}

/* Writer thread, after every AUDIT_IDS customers made and as each batch's last statement:
 * the audit row of the records since the last one — which lines of which file made which
 * customers. */
static int audit_row(void *job, struct crm_ctx *ctx)
{
	struct import *im = job;
	cJSON *detail;
	int rc = 0;

	if (im->batch_created) {
		detail = json_adopt(ctx->arena, cJSON_CreateObject());
		cJSON_AddItemToObject(detail, "customerIds", im->batch_ids);
		im->batch_ids = NULL; /* the detail's now */
		cJSON_AddStringToObject(detail, "file", im->path);
		cJSON_AddNumberToObject(detail, "firstLine", (double)im->batch_first);
		cJSON_AddNumberToObject(detail, "lastLine", (double)im->batch_last);
		cJSON_AddNumberToObject(detail, "created", (double)im->batch_created);
		rc = change_record(ctx, ctx->batch,
				   &(struct change){
					   .action = "import",
					   .resource = "customer",
					   .after = detail,
				   });
	}
	cJSON_Delete(im->batch_ids);
	im->batch_ids = cJSON_CreateArray();
	im->batch_created = 0;
	im->batch_first = 0;
	return rc;
}

/* Writer thread: the keys of the next n records, looked up at once. */
static int look_ahead(void *job, struct crm_ctx *ctx, void *items, size_t n)
{
	struct import_item *it = items;
	struct customer_import_rows **rows = arena_calloc(ctx->arena, n, sizeof(*rows));

	(void)job;
	for (size_t i = 0; i < n; i++)
		rows[i] = it[i].rc ? NULL : &it[i].rows;
	return customer_import_look_up(ctx, rows, n);
}

/* Writer thread: one record made, present or refused (0), or a fatal CRM_E* code. */
static int write_record(void *job, struct crm_ctx *ctx, void *item)
{
	struct import *im = job;
	struct import_item *it = item;
	struct customer_import_result res;
	bool exists = false;
	int rc;

	im->at_line = it->line;
	db_tx_bulk_mark(ctx->batch, it->line); /* a row of it that fails later names it */
	if (!im->batch_first)
		im->batch_first = it->line;
	im->batch_last = it->line;
	im->records++;
	if (it->rc && !is_refusal(it->rc))
		return crm_err_set(&ctx->err, it->rc, NULL, "%s", it->refusal);
	if (it->rc) {
		/* a record imported before counts as present, whatever it would be now; the
		 * second of one number in the file is refused all the same */
		if (it->customer_no && !it->duplicate_of &&
		    (rc = customer_import_exists(ctx, it->customer_no, &exists)))
			return rc;
		if (exists) {
			im->present++;
			return 0;
		}
		return reject(im, it, reason_at_line(ctx, it, it->refusal)) ? CRM_EIO : 0;
	}
	rc = customer_import_write(ctx, &it->rows, &res);
	if (rc == CRM_ECONFLICT && res.holder) {
		/* its identification is a party's already (of an earlier record, or in the
		 * database): the customer joins that party if the record agrees with it */
		crm_err_clear(&ctx->err);
		rc = customer_file_party_match(ctx, &im->map, it->fields, res.holder,
					       &it->rows.party);
		if (!rc)
			rc = customer_import_attach(ctx, &it->rows, res.holder, &res);
	}
	if (is_refusal(rc)) {
		rc = reject(im, it, reason_at_line(ctx, it, reason_of(im, ctx, it->fields)))
			     ? CRM_EIO
			     : 0;
		crm_err_clear(&ctx->err);
		return rc;
	}
	if (rc)
		return rc;
	if (!res.created) {
		im->present++;
		return 0;
	}
	im->created++;
	im->batch_created++;
	cJSON_AddItemToArray(im->batch_ids, cJSON_CreateString(res.customer_id));
	return im->batch_created == AUDIT_IDS ? audit_row(im, ctx) : 0;
}

static void show_progress(struct import *im, bool last)
{
	double f = last		  ? 1
		   : im->size > 0 ? (double)atomic_load(&im->read_offset) / (double)im->size
				  : 0;
	char detail[64];

	snprintf(detail, sizeof(detail), "%lld records", (long long)im->records);
	cli_progress("customers", f, detail, last);
}

/* Writer thread, after each commit. */
static void batch_committed(void *job)
{
	struct import *im = job;

	im->committed = im->created;
	im->committed_line = im->batch_last;
	im->at_line = 0;
	if (im->tty)
		show_progress(im, false);
}

/* Reads every record and hands it to the writer; 0 or the first fatal CRM_E* code. */
static int import_all(struct import *im, int64_t batch)
{
	const struct bulk_job job = {
		.item_size = sizeof(struct import_item),
		.batch = batch,
		.write = write_record,
		.look_ahead = look_ahead,
		.batch_end = audit_row,
		.committed = batch_committed,
		.job = im,
	};
	struct crm_ctx *ctx = im->ctx;
	int64_t failed_at = 0;
	struct bulk *b;
	int rc, brc;

	im->batch_ids = cJSON_CreateArray();
	if ((rc = bulk_start(ctx, &job, &b)))
		return rc;
	for (;;) {
		struct import_item *it = bulk_next(b);
		char **fields;
		size_t n;

		rc = csv_reader_next(im->csv, &fields, &n, &ctx->err);
		if (rc == 0)
			break;
		it->line = csv_reader_line(im->csv);
		if (rc == CRM_EINVAL) {
			it->rc = rc;
			/* "line N: ...", the line of the problem */
			it->refusal = arena_strdup(ctx->arena, ctx->err.message);
			it->raw = csv_reader_raw(im->csv, &it->raw_len);
			it->raw = arena_strndup(ctx->arena, it->raw, it->raw_len);
			crm_err_clear(&ctx->err);
		} else if (rc < 0) {
			failed_at = it->line;
			break;
		} else {
			prepare(im, it, fields, n);
		}
		if (it->line % 1024 == 0)
			atomic_store(&im->read_offset, (int64_t)ftell(im->in));
		if ((rc = bulk_push(b)))
			break;
	}
	brc = bulk_end(b, rc == 0);
	cJSON_Delete(im->batch_ids);
	im->batch_ids = NULL;
	if (failed_at)
		im->at_line = failed_at;
	return rc < 0 ? rc : brc;
}

static int open_input(struct import *im)
{
	struct stat st;

	if (strcmp(im->path, "-") == 0) {
		im->in = stdin;
		im->path = "(standard input)";
	} else if (!(im->in = fopen(im->path, "rb"))) {
		fprintf(stderr, "telcrm: import: cannot open '%s': %s\n", im->path,
			strerror(errno));
		return -1;
	}
	if (fstat(fileno(im->in), &st) == 0 && S_ISREG(st.st_mode))
		im->size = st.st_size;
	im->csv = csv_reader_new(im->in);
	return 0;
}

static int read_header(struct import *im)
{
	struct crm_ctx *ctx = im->ctx;
	char **fields;
	size_t n;
	int rc = csv_reader_next(im->csv, &fields, &n, &ctx->err);

	if (rc == 0) {
		fprintf(stderr,
			"telcrm: import: '%s' is empty: it needs a header line naming "
			"its columns\n",
			im->path);
		return -1;
	}
	if (rc < 0 || customer_file_header(ctx, fields, n, &im->map)) {
		fprintf(stderr, "telcrm: import: %s: header: %s\n", im->path, ctx->err.message);
		return -1;
	}
	im->header = arena_calloc(ctx->arena, n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		im->header[i] = arena_strdup(ctx->arena, fields[i]);
	im->nheader = n;
	return 0;
}

static int run(struct import *im, int64_t batch)
{
	struct crm_ctx *ctx = im->ctx;
	int64_t start = time_mono_ns();
	double secs;
	int rc;

	if (open_input(im) || read_header(im))
		return 1;
	rc = import_all(im, batch);
	if (im->tty)
		show_progress(im, !rc);
	if (rc) {
		if (ctx->err.at) /* a row sent in bulk, after its record */
			im->at_line = ctx->err.at;
		if (im->tty)
			fputc('\n', stderr);
		fprintf(stderr,
			"telcrm: import: stopped %s line %lld: %s\n"
			"  the batch in progress was rolled back; the %lld customers before it are "
			"in. Run the import again to go on: customers already in are skipped.\n",
			im->at_line ? "at" : "after", /* failed before its batch's first record */
			(long long)(im->at_line ? im->at_line : im->committed_line),
			ctx->err.message, (long long)im->committed);
		return 1;
	}
	secs = (double)(time_mono_ns() - start) / 1e9;
	printf("imported %s: %lld customers created, %lld already present, %lld rejected, "
	       "in %.1f s (%.0f records/s)\n",
	       im->path, (long long)im->created, (long long)im->present, (long long)im->rejected,
	       secs, secs > 0 ? (double)im->records / secs : 0.0);
	if (im->rejected)
		printf("rejected records, with their line and reason: %s\n", im->rejects_path);
	return im->rejected ? EXIT_REJECTS : 0;
}

/* Whether the two paths name one file (both exist, same device and inode). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return strcmp(a, "-") != 0 && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cmd_import(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"rejects", CONFIG_STRING, NULL, "PATH",
		 "where refused records go, with their line and reason (default: FILE.rejects.csv)",
		 0, 0},
		{"batch", CONFIG_INT, "50000", "N", "records per transaction", 1, 1000000},
		{"org", CONFIG_STRING, "HQ", "UNIT",
		 "the org unit of records without an orgId (its staff and those above see them)", 0,
		 0},
		{0},
	};
	struct import im = {0};
	struct org_unit unit;
	struct crm_ctx ctx;
	struct config cfg;
	struct arena *a;
	struct db *db;
	int done, rc;

	if ((rc = cli_parse(
		     &cfg, opts,
		     "usage: telcrm import customers FILE [--rejects PATH] [--batch N] "
		     "[--org UNIT] [--db PATH]",
		     "Loads customers and their parties from a CSV file whose header names "
		     "its columns (docs/customers.md lists them; `telcrm export customers` "
		     "writes such a file). FILE '-' is standard input. Each record is "
		     "checked as the API checks a new customer; refused records go to the "
		     "reject file and the rest are kept; the reject file, corrected, imports "
		     "as it is. Customer numbers already in the database are skipped, so an "
		     "interrupted import is finished by running it again. Exit status: 0 all "
		     "records in, 3 some rejected, 1 failure.",
		     argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional != 2 || strcmp(cfg.positional[0], "customers") != 0)
		return fprintf(stderr, "usage: telcrm import customers FILE [--rejects PATH] "
				       "[--batch N] [--org UNIT] [--db PATH]\n"),
		       EXIT_USAGE;
	a = arena_new(0);
	im.path = cfg.positional[1];
	im.rejects_path = config_get(&cfg, "rejects");
	if (!im.rejects_path)
		im.rejects_path = strcmp(im.path, "-") == 0
					  ? "import.rejects.csv"
					  : arena_printf(a, "%s.rejects.csv", im.path);
	if (same_file(im.path, im.rejects_path)) {
		fprintf(stderr,
			"telcrm: import: the reject file '%s' is the file being imported; give "
			"another --rejects\n",
			im.rejects_path);
		arena_free(a);
		return EXIT_USAGE;
	}
	if (!(db = cli_db_open(config_get(&cfg, "db"), CLI_DB_MIGRATE | CLI_DB_BULK))) {
		arena_free(a);
		return 1;
	}
	ctx_init_system(&ctx, a, db);
	ctx.who.login = "import";
	ctx.who.org_id = config_get(&cfg, "org");
	if (res_get(&ctx, &org_unit_res, ctx.who.org_id, &unit)) {
		fprintf(stderr, "telcrm: import: --org: %s\n", ctx.err.message);
		arena_free(a);
		db_close(db);
		return EXIT_USAGE;
	}
	im.ctx = &ctx;
	im.tty = isatty(STDERR_FILENO);
	im.committed_line = 1; /* the header */
	im.seen.arena = arena_new(0);
	rc = run(&im, config_get_int(&cfg, "batch"));
	if (im.csv)
		csv_reader_free(im.csv);
	if (im.in && im.in != stdin)
		fclose(im.in);
	if (im.rejects && (ferror(im.rejects) | fclose(im.rejects)) != 0) {
		fprintf(stderr, "telcrm: import: cannot write '%s': %s\n", im.rejects_path,
			strerror(errno));
		rc = 1;
	}
	strbuf_release(&im.line);
	free(im.seen.slots);
	arena_free(im.seen.arena);
	arena_free(a);
	db_close(db);
	return rc;
}
