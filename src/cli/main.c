/*
 * telcrm: the server and its tools in one program. The command table below dispatches
 * to cmd_<name>; every command has --help.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"
#include "store/db.h"
#include "core/banned.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"serve", cmd_serve, "run the HTTP server"},
	{"migrate", cmd_migrate, "bring the database schema up to date"},
	{"demo", cmd_demo, "fill a database with a demo operator"},
	{"user", cmd_user, "add users, set passwords, disable users"},
	{"token", cmd_token, "create API tokens for other systems"},
	{"role", cmd_role, "list roles, grant and revoke their permissions"},
	{"import", cmd_import, "load customers from a CSV file"},
	{"export", cmd_export, "write all customers as CSV or JSON lines"},
	{"backup", cmd_backup, "write an online, consistent copy of the database"},
	{"copy", cmd_copy, "copy a SQLite database into an empty PostgreSQL one"},
	{"version", cmd_version, "print the version"},
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: telcrm <command> [options]\n\n"
		   "telcrm is a customer relationship management system for telecom "
		   "operators.\n\nCommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'telcrm <command> --help' for a command's options.\n");
}

int cli_parse(struct config *cfg, const struct config_opt *opts, const char *use,
	      const char *summary, int argc, char **argv, int *done)
{
	struct crm_err err = {0};

	*done = 0;
	if (config_parse(cfg, opts, argc, (const char *const *)argv, &err)) {
		fprintf(stderr, "telcrm: %s\n%s\n", err.message, use);
		return EXIT_USAGE;
	}
	if (cfg->help) {
		printf("%s\n\n%s\n\n", use, summary);
		config_print_help(stdout, opts);
		*done = 1;
	}
	return 0;
}

struct db *cli_db_open(const char *url, int flags)
{
	struct db_open_opts o = {
		.migrate = (flags & CLI_DB_MIGRATE) != 0,
		.writer_cache_mb = flags & CLI_DB_BULK ? CLI_BULK_CACHE_MB : 0,
		.watch = (flags & CLI_DB_WATCH) != 0,
	};
	struct crm_err err = {0};
	struct db *db = NULL;

	if (db_open(url, &o, &db, &err)) {
		fprintf(stderr, "telcrm: %s\n", err.message);
		if (err.detail[0])
			fprintf(stderr, "  %s\n", err.detail);
		return NULL;
	}
	return db;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, argv);
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = c->fn(argc - 2, argv + 2);
		curl_global_cleanup();
		return rc;
	}
	fprintf(stderr, "telcrm: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
