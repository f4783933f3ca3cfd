/*
 * Configuration from a declared option table: each option may be given as a flag
 * (--name VALUE or --name=VALUE), as the environment variable TELCRM_NAME (dashes become
 * underscores), or left at its default — in that order of precedence. Bare words are
 * positional arguments.
 */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

enum config_kind {
	CONFIG_STRING,
	CONFIG_INT,
	CONFIG_BOOL, /* a flag without a value; TELCRM_X=1/0/true/false/yes/no */
};

struct config_opt {
	const char *name; /* "db" → --db and TELCRM_DB */
	enum config_kind kind;
	const char *def;     /* default as text; NULL for none */
	const char *metavar; /* shown in help: "PATH" */
	const char *help;
	int64_t min, max; /* CONFIG_INT bounds */
};

#define CONFIG_MAX_OPTS	      32
#define CONFIG_MAX_POSITIONAL 8

struct config {
	const struct config_opt *opts; /* borrowed, terminated by a {NULL} entry */
	const char *values[CONFIG_MAX_OPTS];
	const char *positional[CONFIG_MAX_POSITIONAL];
	int npositional;
	bool help; /* --help or -h was given */
};

/* Parses argv (without the program and command names) against opts; fills cfg. Values
 * are borrowed from argv and the environment. Errors (CRM_EINVAL): unknown flag, missing
 * value, bad integer or boolean, out of range, too many positional arguments. */
int config_parse(struct config *cfg, const struct config_opt *opts, int argc,
		 const char *const *argv, struct crm_err *err);

/* The value of an option by name (NULL if unset and no default). Unknown names are a bug. */
const char *config_get(const struct config *cfg, const char *name);
int64_t config_get_int(const struct config *cfg, const char *name);
bool config_get_bool(const struct config *cfg, const char *name);

/* Prints the options with their environment variables and defaults. */
void config_print_help(FILE *f, const struct config_opt *opts);

#endif
