/* telcrm version: the program and schema versions. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/migrations.h"
#include "core/banned.h"

int cmd_version(int argc, char **argv)
{
	static const struct config_opt opts[] = {{0}};
	struct config cfg;
	int done, rc;

	if (argc > 0 && (rc = cli_parse(&cfg, opts, "usage: telcrm version",
					"Prints the version of telcrm and of its database schema.",
					argc, argv, &done)))
		return rc;
	if (argc > 0 && done)
		return 0;
	if (argc > 0 && cfg.npositional)
		return fprintf(stderr, "telcrm: version takes no arguments\n"), EXIT_USAGE;
	printf("telcrm %s (schema %d)\n", TELCRM_VERSION,
	       migrations_count ? migrations[migrations_count - 1].version : 0);
	return 0;
}
