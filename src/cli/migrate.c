/* telcrm migrate: apply pending schema migrations and report the version. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/db.h"
#include "core/banned.h"

int cmd_migrate(int argc, char **argv)
{
	static const struct config_opt opts[] = {CLI_OPT_DB, {0}};
	struct crm_err err = {0};
	struct config cfg;
	struct db *db;
	int done, rc, v_db = 0, v_bin = 0;

	if ((rc = cli_parse(
		     &cfg, opts, "usage: telcrm migrate [--db PATH]",
		     "Brings the database schema up to this telcrm's version ('serve' "
		     "does this at start too). A database newer than this telcrm is refused.",
		     argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional)
		return fprintf(stderr, "telcrm: unexpected argument '%s'\n", cfg.positional[0]),
		       EXIT_USAGE;
	if (!(db = cli_db_open(config_get(&cfg, "db"), CLI_DB_MIGRATE)))
		return 1;
	rc = db_schema_version(db, &v_db, &v_bin, &err);
	if (rc)
		fprintf(stderr, "telcrm: %s\n", err.message);
	else
		printf("%s: schema version %d (up to date)\n", config_get(&cfg, "db"), v_db);
	db_close(db);
	return rc ? 1 : 0;
}
