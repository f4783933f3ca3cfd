/*
 * telcrm copy --from PATH.db --to postgresql://…: copies a whole operator from a SQLite
 * database into an empty PostgreSQL database, table by table, each verified by count and
 * checksum and recorded in the target, so that a copy that stopped goes on when run again
 * and one that finished changes nothing (store/copy.c does the work).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/time.h"
#include "store/db.h"
#include "core/banned.h"

static const char use[] =
	"usage: telcrm copy --from PATH --to postgresql://USER@HOST/DB [--batch N]";

static bool is_pg_url(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

struct show {
	bool tty;
	const char *phase;
};

static void progress(void *arg, const struct db_copy_table *t, enum db_copy_phase phase,
		     int64_t done)
{
	struct show *sh = arg;
	char detail[96];

	if (!sh->tty)
		return;
	sh->phase = phase == DB_COPY_LOADING ? "copied" : "verified";
	snprintf(detail, sizeof(detail), "%s %lld/%lld rows", sh->phase, (long long)done,
		 (long long)t->rows);
	cli_progress(t->name, t->rows ? (double)done / (double)t->rows : 1, detail, 0);
}

/* Prints what err says, with its detail, after what it is about. */
static void print_err(const char *about, const struct crm_err *err)
{
	fprintf(stderr, "telcrm: copy: %s%s%s\n", about ? about : "", about ? ": " : "",
		err->message);
	if (err->detail[0])
		fprintf(stderr, "  %s\n", err->detail);
}

static int open_source(const char *path, struct db **out)
{
	struct db_open_opts o = {.migrate = false};
	struct crm_err err = {0};
	char about[512];

	snprintf(about, sizeof(about), "the source '%s'", path);
	if (!db_open(path, &o, out, &err))
		return 0;
	print_err(about, &err);
	/* a copy never writes its source: bringing it up to date is for the user to do */
	if (err.code == CRM_ESCHEMA && strstr(err.format, "is older"))
		fprintf(stderr,
			"  run 'telcrm migrate --db %s' first, then the copy again (copy does "
			"not change its source)\n",
			path);
	return 1;
}

static int run(const char *from, struct db *src, struct db *dst, int64_t batch)
{
	struct crm_err err = {0};
	struct show sh = {.tty = isatty(STDERR_FILENO) != 0};
	const struct db_copy_table *tabs;
	struct db_copy *c = NULL;
	int64_t t0 = time_mono_ns(), rows = 0, copied = 0, ncopied = 0;
	size_t n = 0, before = 0;
	double secs;
	int rc;

	if ((rc = db_copy_open(src, dst, &c, &err))) {
		print_err(NULL, &err);
		return 1;
	}
	tabs = db_copy_tables(c, &n);
	for (size_t i = 0; i < n; i++) {
		rows += tabs[i].rows;
		before += tabs[i].before;
	}
	if (before == n) {
		printf("the copy of %s is complete already: %zu tables, %lld rows, the counts "
		       "checked again; nothing to do\n",
		       from, n, (long long)rows);
		db_copy_free(c);
		return 0;
	}
	if (before)
		printf("going on with the copy of %s: %zu of %zu tables were copied before\n", from,
		       before, n);
	for (size_t i = 0; i < n; i++) {
		int64_t t1 = time_mono_ns();

		if (tabs[i].before) {
			printf("  %-18s %10lld rows  checksum %s  copied before\n", tabs[i].name,
			       (long long)tabs[i].rows, tabs[i].checksum);
			continue;
		}
		rc = db_copy_table(c, i, batch, progress, &sh, &err);
		if (sh.tty && sh.phase)
			fputc('\n', stderr);
		sh.phase = NULL;
		if (rc) {
			char about[128];

			snprintf(about, sizeof(about), "table '%s'", tabs[i].name);
			print_err(about, &err);
			fprintf(stderr,
				"  the table was rolled back; %lld tables are copied. Run the copy "
				"again to go on with this one.\n",
				(long long)(before + (size_t)ncopied));
			db_copy_free(c);
			return 1;
		}
		if (tabs[i].before) { /* another run copied it meanwhile */
			printf("  %-18s %10lld rows  checksum %s  copied by another run\n",
			       tabs[i].name, (long long)tabs[i].rows, tabs[i].checksum);
			continue;
		}
		copied += tabs[i].rows;
		ncopied++;
		printf("  %-18s %10lld rows  checksum %s  ok (%.1f s)\n", tabs[i].name,
		       (long long)tabs[i].rows, tabs[i].checksum,
		       (double)(time_mono_ns() - t1) / 1e9);
		fflush(stdout);
	}
	secs = (double)(time_mono_ns() - t0) / 1e9;
	printf("copied %s: %lld rows in %lld tables, verified, in %.1f s (%.0f rows/s)\n", from,
	       (long long)copied, (long long)ncopied, secs, secs > 0 ? (double)copied / secs : 0.0);
	db_copy_free(c);
	return 0;
}

int cmd_copy(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		{"from", CONFIG_STRING, NULL, "PATH", "the SQLite database to copy (never changed)",
		 0, 0},
		{"to", CONFIG_STRING, NULL, "URL",
		 "the PostgreSQL database to copy into (postgresql://…): new and empty, or holding "
		 "a copy of this source begun before",
		 0, 0},
		{"batch", CONFIG_INT, "10000", "N", "rows per bulk load (PostgreSQL's COPY)", 1,
		 10000000},
		{0},
	};
	struct config cfg;
	struct db *src = NULL, *dst = NULL;
	const char *from, *to;
	int done, rc;

	if ((rc = cli_parse(
		     &cfg, opts, use,
		     "Copies a whole operator from a SQLite database into a PostgreSQL "
		     "database. The target is migrated first to this telcrm's schema; the "
		     "source must have that version already (run 'telcrm migrate --db PATH' "
		     "first) and is read in one snapshot, never written: stop the server using it, "
		     "or copy a backup. The target must be empty but for the rows its migrations "
		     "seed (the root unit HQ and the built-in roles, which the source's replace). "
		     "Every table of the schema is copied in the order of its foreign keys "
		     "through PostgreSQL's COPY, N rows to a load, then read back and compared "
		     "with the source by row count and checksum, and recorded in the target's "
		     "table copy_progress, all in one transaction per table; the identity "
		     "sequences are set past the copied rows. A copy that stopped (killed, a "
		     "lost connection) goes on with the first table not recorded when run "
		     "again; one run again after it finished says so and changes nothing. Exit "
		     "status: 0 copied (or complete already), 1 failure (the message names the "
		     "table), 2 usage error.",
		     argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional)
		return fprintf(stderr, "telcrm: copy: unexpected argument '%s'\n%s\n",
			       cfg.positional[0], use),
		       EXIT_USAGE;
	from = config_get(&cfg, "from");
	to = config_get(&cfg, "to");
	if (!from || !*from || !to || !*to)
		return fprintf(stderr,
			       "telcrm: copy: needs --from (the SQLite database) and --to "
			       "(the PostgreSQL database)\n%s\n",
			       use),
		       EXIT_USAGE;
	if (is_pg_url(from))
		return fprintf(stderr, "telcrm: copy: --from is a PostgreSQL URL; the source of a "
				       "copy is a SQLite database file\n"),
		       EXIT_USAGE;
	if (!is_pg_url(to))
		return fprintf(stderr,
			       "telcrm: copy: --to '%s' is not a PostgreSQL URL (postgresql://…); "
			       "a copy goes into a PostgreSQL database ('telcrm backup' copies a "
			       "SQLite one)\n",
			       to),
		       EXIT_USAGE;
	if (open_source(from, &src))
		return 1;
	if (!(dst = cli_db_open(to, CLI_DB_MIGRATE))) {
		db_close(src);
		return 1;
	}
	rc = run(from, src, dst, config_get_int(&cfg, "batch"));
	db_close(dst);
	db_close(src);
	return rc;
}
