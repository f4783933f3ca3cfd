/*
 * telcrm export customers: every live customer with its engaged party, oldest first,
 * from one snapshot, streamed in constant memory — as a customer file (CSV, the columns
 * `telcrm import customers` reads, with cells a spreadsheet would run as formulas
 * neutralised) or as JSON lines holding the TMF resources ({"customer": TMF629 Customer,
 * "party": TMF632 Individual or Organization}). A file it writes is readable by its owner
 * alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/str.h"
#include "domain/customer_file.h"
#include "store/db.h"
#include "core/banned.h"

struct export
{
	struct crm_ctx *ctx;
	FILE *out;
	bool jsonl, tty;
	struct strbuf line; /* malloc'd */
	const char **fields;
	int64_t rows;
};

static int write_line(struct export *ex)
{
	if (fwrite(ex->line.buf, 1, ex->line.len, ex->out) != ex->line.len)
		return crm_err_set(&ex->ctx->err, CRM_EIO, NULL, "cannot write: %s",
				   strerror(errno));
	return 0;
}

static int export_one(void *arg, const struct customer *c, const struct party *p)
{
	struct export *ex = arg;
	int rc;

	strbuf_reset(&ex->line);
	if (ex->jsonl) {
		cJSON *o = cJSON_CreateObject();
		char *text;

		cJSON_AddItemToObject(o, "customer", res_render(ex->ctx, &customer_res, c, false));
		cJSON_AddItemToObject(o, "party",
				      res_render(ex->ctx, party_res(p->kind), p, false));
		text = cJSON_PrintUnformatted(o);
		strbuf_addstr(&ex->line, text);
		strbuf_addch(&ex->line, '\n');
		free(text);
		cJSON_Delete(o);
	} else {
		customer_file_encode(ex->ctx, c, p, ex->fields);
		csv_record_add_safe(&ex->line, ex->fields, customer_file_ncolumns);
	}
	rc = write_line(ex);
	arena_reset(ex->ctx->arena);
	if (++ex->rows % 10000 == 0 && ex->tty) {
		char detail[64];

		snprintf(detail, sizeof(detail), "%lld customers", (long long)ex->rows);
		fprintf(stderr, "\r  %s", detail);
	}
	return rc;
}

int cmd_export(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"format", CONFIG_STRING, "csv", "csv|jsonl",
		 "csv: the customer file import reads; jsonl: one JSON object per line with the "
		 "TMF customer and party",
		 0, 0},
		{"out", CONFIG_STRING, "-", "PATH", "where to write ('-': standard output)", 0, 0},
		{0},
	};
	struct export ex = {0};
	struct crm_ctx ctx;
	struct config cfg;
	struct arena *a;
	struct db *db;
	const char *format, *out;
	int done, rc;

	if ((rc = cli_parse(&cfg, opts,
			    "usage: telcrm export customers [--format csv|jsonl] [--out PATH] "
			    "[--db PATH]",
			    "Writes every live customer with its engaged party, oldest first, from "
			    "one consistent snapshot, while the server keeps running. The CSV "
			    "imports back with `telcrm import customers`.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	format = config_get(&cfg, "format");
	out = config_get(&cfg, "out");
	if (cfg.npositional != 1 || strcmp(cfg.positional[0], "customers") != 0)
		return fprintf(stderr, "usage: telcrm export customers [--format csv|jsonl] "
				       "[--out PATH] [--db PATH]\n"),
		       EXIT_USAGE;
	if (strcmp(format, "csv") != 0 && strcmp(format, "jsonl") != 0)
		return fprintf(stderr, "telcrm: export: --format is csv or jsonl, not '%s'\n",
			       format),
		       EXIT_USAGE;
	ex.jsonl = strcmp(format, "jsonl") == 0;
	ex.out = strcmp(out, "-") == 0 ? stdout : cli_file_create_private("export", out);
	if (!ex.out)
		return 1;
	if (!(db = cli_db_open(config_get(&cfg, "db"), 0))) {
		if (ex.out != stdout)
			fclose(ex.out);
		return 1;
	}
	a = arena_new(0);
	ctx_init_system(&ctx, a, db);
	ctx.who.login = "export";
	ex.ctx = &ctx;
	ex.tty = isatty(STDERR_FILENO);
	ex.fields = calloc(customer_file_ncolumns, sizeof(*ex.fields));
	rc = 0;
	if (!ex.jsonl) {
		csv_record_add(&ex.line, customer_file_columns, customer_file_ncolumns);
		rc = write_line(&ex);
	}
	if (!rc)
		rc = customer_each(&ctx, export_one, &ex);
	if (fflush(ex.out) != 0 && !rc)
		rc = crm_err_set(&ctx.err, CRM_EIO, NULL, "cannot write: %s", strerror(errno));
	if (ex.tty && ex.rows >= 10000)
		fputc('\n', stderr);
	if (rc)
		fprintf(stderr, "telcrm: export: %s\n", ctx.err.message);
	else
		fprintf(stderr, "exported %lld customers\n", (long long)ex.rows);
	if (ex.out != stdout && fclose(ex.out) != 0 && !rc) {
		fprintf(stderr, "telcrm: export: cannot write '%s': %s\n", out, strerror(errno));
		rc = CRM_EIO;
	}
	free(ex.fields);
	strbuf_release(&ex.line);
	arena_free(a);
	db_close(db);
	return rc ? 1 : 0;
}
