/*
 * The command line: main.c holds the command table (git's commands[]); each subcommand
 * lives in its own file as cmd_<name>(argc, argv) returning the process exit status:
 * 0 success, 1 failure, 2 usage error.
 */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include <stdio.h>

#include "core/config.h"

#define EXIT_USAGE 2

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_role(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Parses a subcommand's options; on --help prints usage + options and returns 0 with
 * *done set; on error prints it and returns EXIT_USAGE. */
int cli_parse(struct config *cfg, const struct config_opt *opts, const char *usage,
	      const char *summary, int argc, char **argv, int *done);

/* Opens the database named by --db, printing errors; NULL on failure. Flags:
 * CLI_DB_MIGRATE brings its schema up to date; CLI_DB_BULK gives the writer the page cache
 * of a bulk load (CLI_BULK_CACHE_MB), enough for a batch of 100,000 customers; CLI_DB_WATCH
 * follows other processes' commits (db_open_opts.watch). */
#define CLI_DB_MIGRATE	  1
#define CLI_DB_BULK	  2
#define CLI_DB_WATCH	  4
#define CLI_BULK_CACHE_MB 256
struct db;
struct db *cli_db_open(const char *url, int flags);

/* Redraws the progress bar of what on stderr (a terminal): fraction done (0 to 1) and a
 * detail such as "1200/10000"; last ends the line. */
void cli_progress(const char *what, double fraction, const char *detail, int last);

/* Opens path to write a file of personal data (an export, a reject file) in, with mode
 * 0600: a new file is created so, and an existing regular file is made so before it is
 * emptied (a pipe or a device is written as it is). NULL on failure, which is printed as
 * "telcrm: what: cannot write 'path': reason". Caller closes with fclose(). */
FILE *cli_file_create_private(const char *what, const char *path);

/* The --db option every data command takes. */
#define CLI_OPT_DB                                                                                 \
	{                                                                                          \
		"db", CONFIG_STRING, "./telcrm.db", "PATH|URL",                                    \
			"database: a SQLite file path, or postgresql://user@host/db", 0, 0         \
	}

#endif
