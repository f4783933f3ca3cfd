/* telcrm backup FILE: an online, consistent copy of the database, safe while serving. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/db.h"
#include "core/banned.h"

int cmd_backup(int argc, char **argv)
{
	static const struct config_opt opts[] = {CLI_OPT_DB, {0}};
	static const char use[] = "usage: telcrm backup [--db PATH] FILE";
	struct crm_err err = {0};
	struct config cfg;
	struct db *db;
	int done, rc;

	if ((rc = cli_parse(&cfg, opts, use,
			    "Writes a consistent copy of the database to FILE (which must not "
			    "exist) while the server keeps running.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional != 1)
		return fprintf(stderr, "telcrm: backup needs one FILE\n%s\n", use), EXIT_USAGE;
	if (!(db = cli_db_open(config_get(&cfg, "db"), 0)))
		return 1;
	rc = db_backup(db, cfg.positional[0], &err);
	if (rc)
		fprintf(stderr, "telcrm: %s\n", err.message);
	else
		printf("backed up %s to %s\n", config_get(&cfg, "db"), cfg.positional[0]);
	db_close(db);
	return rc ? 1 : 0;
}
