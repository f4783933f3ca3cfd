/*
 * telcrm import customers FILE: loads a customer file (domain/customer_file.h) as it
 * streams by, in constant memory. Each record is checked as the API checks a POST; a
 * refused record goes to the reject file with its line number and the reason, and the
 * others are kept. Records are committed in batches, each with one audit row naming the
 * customers it made; a customer number already in the database is skipped, so an import
 * that stopped half-way (or ran twice) can simply be run again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/change.h"
#include "domain/customer_file.h"
#include "domain/org.h"
#include "store/db.h"
#include "core/banned.h"

#define EXIT_REJECTS 3 /* finished, with refused records in the reject file */

struct import {
	struct crm_ctx *ctx;
	const char *path, *rejects_path;
	FILE *in, *rejects;
	struct csv_reader *csv;
	struct customer_file_map map;
	char **header;
	size_t nheader;
	int64_t size; /* of the file, for progress; 0 when unknown */
	int64_t created, present, rejected, records;
	struct strbuf line; /* a record of the reject file (malloc'd) */
	cJSON *batch_ids;   /* the batch's new customer ids (owned until its audit row) */
	int64_t batch_first, batch_last; /* line numbers */
	int64_t batch_created;
	bool tty;
};

/* Writes a refused record: its line, the reason and its fields (or, when it could not be
 * read as CSV, its text as one field). The reject file is made at the first one. */
static int reject(struct import *im, int64_t line, const char *reason, char **fields, size_t n)
{
	size_t raw_len;
	const char *raw;

	if (!im->rejects) {
		if (!(im->rejects = fopen(im->rejects_path, "w"))) {
			fprintf(stderr, "telcrm: import: cannot write '%s': %s\n", im->rejects_path,
				strerror(errno));
			return -1;
		}
		strbuf_reset(&im->line);
		csv_field_add(&im->line, "line");
		strbuf_addch(&im->line, ',');
		csv_field_add(&im->line, "reason");
		for (size_t i = 0; i < im->nheader; i++) {
			strbuf_addch(&im->line, ',');
			csv_field_add(&im->line, im->header[i]);
		}
		strbuf_addch(&im->line, '\n');
		fputs(strbuf_cstr(&im->line), im->rejects);
	}
	strbuf_reset(&im->line);
	strbuf_addf(&im->line, "%lld,", (long long)line);
	csv_field_add(&im->line, reason);
	if (fields) {
		for (size_t i = 0; i < n; i++) {
			strbuf_addch(&im->line, ',');
			csv_field_add(&im->line, fields[i]);
		}
	} else {
		raw = csv_reader_raw(im->csv, &raw_len);
		strbuf_addch(&im->line, ',');
		csv_field_add(&im->line, arena_strndup(im->ctx->arena, raw, raw_len));
	}
	strbuf_addch(&im->line, '\n');
	fputs(strbuf_cstr(&im->line), im->rejects);
	im->rejected++;
	return 0;
}

/* The reason a record was refused: the message, after the column at fault when the
 * message does not name it. */
static const char *reason_of(struct import *im, char **fields)
{
	const struct crm_err *e = &im->ctx->err;
	const char *col = customer_file_column(&im->map, fields, e->field);

	if (col && !strstr(e->message, col))
		return arena_printf(im->ctx->arena, "%s: %s", col, e->message);
	return arena_strdup(im->ctx->arena, e->message);
}

/* One record: 0 (made, present or refused) or a fatal CRM_E* code. */
static int import_record(struct import *im, char **fields, size_t n)
{
	struct crm_ctx *ctx = im->ctx;
	struct customer_import_result res;
	struct customer c;
	struct party p;
	const char *kind;
	int rc;

	rc = customer_file_decode(ctx, &im->map, fields, n, &kind, &p, &c);
	if (!rc)
		rc = customer_import(ctx, kind, &p, &c, &res);
	if (rc == CRM_EINVAL || rc == CRM_ECONFLICT) {
		int64_t line = csv_reader_line(im->csv);

		rc = reject(im, line, reason_of(im, fields), fields, n) ? CRM_EIO : 0;
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
	return 0;
}

/* The batch's audit row: which lines of which file made which customers. */
static int audit_batch(struct import *im, struct db_tx *tx)
{
	struct crm_ctx *ctx = im->ctx;
	cJSON *detail;

	if (!im->batch_created)
		return 0;
	detail = json_adopt(ctx->arena, cJSON_CreateObject());
	cJSON_AddItemToObject(detail, "customerIds", im->batch_ids);
	im->batch_ids = NULL; /* the detail's now */
	cJSON_AddStringToObject(detail, "file", im->path);
	cJSON_AddNumberToObject(detail, "firstLine", (double)im->batch_first);
	cJSON_AddNumberToObject(detail, "lastLine", (double)im->batch_last);
	cJSON_AddNumberToObject(detail, "created", (double)im->batch_created);
	return change_record(ctx, tx,
			     &(struct change){
				     .action = "import",
				     .resource = "customer",
				     .after = detail,
			     });
}

static void show_progress(struct import *im, bool last)
{
	double f = last ? 1 : im->size > 0 ? (double)ftell(im->in) / (double)im->size : 0;
	char detail[64];

	snprintf(detail, sizeof(detail), "%lld records", (long long)im->records);
	cli_progress("customers", f, detail, last);
}

/* Reads and imports up to batch records in one transaction; *more is false at the end
 * of the file. */
static int import_batch(struct import *im, int64_t batch, bool *more)
{
	struct crm_ctx *ctx = im->ctx;
	struct arena *row = arena_new(0), *outer = ctx->arena;
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = db_tx_begin(ctx->db, &tx, &ctx->err)))
		goto out;
	ctx->batch = tx;
	im->batch_ids = cJSON_CreateArray();
	im->batch_created = 0;
	im->batch_first = 0;
	*more = false;
	ctx->arena = row;
	for (int64_t i = 0; i < batch; i++) {
		char **fields;
		size_t n;

		arena_reset(row);
		rc = csv_reader_next(im->csv, &fields, &n, &ctx->err);
		if (rc == 0)
			break;
		if (!im->batch_first)
			im->batch_first = csv_reader_line(im->csv);
		im->batch_last = csv_reader_line(im->csv);
		im->records++;
		if (rc == CRM_EINVAL) {
			rc = reject(im, csv_reader_line(im->csv), ctx->err.message, NULL, 0)
				     ? CRM_EIO
				     : 0;
			crm_err_clear(&ctx->err);
		} else if (rc == 1) {
			rc = import_record(im, fields, n);
		}
		if (rc)
			goto out;
		*more = i + 1 == batch;
	}
	if ((rc = audit_batch(im, tx)))
		goto out;
	ctx->batch = NULL;
	rc = db_tx_commit(tx, &ctx->err);
	tx = NULL;
out:
	cJSON_Delete(im->batch_ids);
	im->batch_ids = NULL;
	ctx->arena = outer;
	ctx->batch = NULL;
	db_tx_rollback(tx);
	arena_free(row);
	return rc;
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
	bool more = true;
	double secs;
	int rc = 0;

	if (open_input(im) || read_header(im))
		return 1;
	while (more && !(rc = import_batch(im, batch, &more)))
		if (im->tty)
			show_progress(im, !more);
	if (rc) {
		if (im->tty)
			fputc('\n', stderr);
		fprintf(stderr,
			"telcrm: import: stopped at line %lld: %s\n"
			"  the batch in progress was rolled back; the %lld customers before it are "
			"in. Run the import again to go on: customers already in are skipped.\n",
			(long long)csv_reader_line(im->csv), ctx->err.message,
			(long long)im->created);
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

int cmd_import(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"rejects", CONFIG_STRING, NULL, "PATH",
		 "where refused records go, with their line and reason (default: FILE.rejects.csv)",
		 0, 0},
		{"batch", CONFIG_INT, "10000", "N", "records per transaction", 1, 1000000},
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

	if ((rc = cli_parse(&cfg, opts,
			    "usage: telcrm import customers FILE [--rejects PATH] [--batch N] "
			    "[--org UNIT] [--db PATH]",
			    "Loads customers and their parties from a CSV file whose header names "
			    "its columns (docs/customers.md lists them; `telcrm export customers` "
			    "writes such a file). FILE '-' is standard input. Each record is "
			    "checked as the API checks a new customer; refused records go to the "
			    "reject file and the rest are kept. Customer numbers already in the "
			    "database are skipped, so an interrupted import is finished by running "
			    "it again. Exit status: 0 all records in, 3 some rejected, 1 failure.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional != 2 || strcmp(cfg.positional[0], "customers") != 0)
		return fprintf(stderr, "usage: telcrm import customers FILE [--rejects PATH] "
				       "[--batch N] [--org UNIT] [--db PATH]\n"),
		       EXIT_USAGE;
	if (!(db = cli_db_open(config_get(&cfg, "db"), 1)))
		return 1;
	a = arena_new(0);
	ctx_init_system(&ctx, a, db);
	ctx.who.login = "import";
	ctx.who.org_id = config_get(&cfg, "org");
	if (org_unit_get(&ctx, ctx.who.org_id, &unit)) {
		fprintf(stderr, "telcrm: import: --org: %s\n", ctx.err.message);
		arena_free(a);
		db_close(db);
		return EXIT_USAGE;
	}
	im.ctx = &ctx;
	im.path = cfg.positional[1];
	im.rejects_path = config_get(&cfg, "rejects");
	if (!im.rejects_path)
		im.rejects_path = strcmp(im.path, "-") == 0
					  ? "import.rejects.csv"
					  : arena_printf(a, "%s.rejects.csv", im.path);
	im.tty = isatty(STDERR_FILENO);
	rc = run(&im, config_get_int(&cfg, "batch"));
	if (im.csv)
		csv_reader_free(im.csv);
	if (im.in && im.in != stdin)
		fclose(im.in);
	if (im.rejects && fclose(im.rejects) != 0) {
		fprintf(stderr, "telcrm: import: cannot write '%s': %s\n", im.rejects_path,
			strerror(errno));
		rc = 1;
	}
	strbuf_release(&im.line);
	arena_free(a);
	db_close(db);
	return rc;
}
