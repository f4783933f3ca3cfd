/*
 * telcrm serve: opens (and migrates) the database, starts the event sender and the HTTP
 * server, and waits for SIGTERM or SIGINT; then finishes the requests in flight, flushes
 * pending events for a few seconds and closes the database.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/log.h"
#include "domain/events.h"
#include "domain/inventory.h"
#include "http/http.h"
#include "store/db.h"
#include "core/banned.h"

static const struct config_opt opts[] = {
	CLI_OPT_DB,
	{"listen", CONFIG_STRING, "127.0.0.1:8080", "ADDR:PORT", "address to listen on", 0, 0},
	{"threads", CONFIG_INT, "0", "N", "worker threads (0: 8 per CPU, at least 32)", 0, 256},
	{"max-body", CONFIG_INT, "1048576", "BYTES", "largest request body accepted", 1024,
	 1 << 30},
	{"request-timeout", CONFIG_INT, "30", "SECONDS", "idle connection timeout", 1, 3600},
	{"web", CONFIG_STRING, "web/dist", "DIR",
	 "the web app's built bundle, served at / (read at start; empty: none)", 0, 0},
	{"access-log", CONFIG_BOOL, "true", NULL, "log one line per request", 0, 0},
	{"log-level", CONFIG_STRING, "info", "LEVEL", "debug, info, warn or error", 0, 0},
	{"event-poll-ms", CONFIG_INT, "200", "MS", "how often the event sender looks for work", 10,
	 60000},
	{"event-lease-ms", CONFIG_INT, "15000", "MS",
	 "how long another server waits to take up the listeners of a server that died", 1000,
	 600000},
	{"session-idle", CONFIG_INT, "1800", "SECONDS", "a session unused this long ends", 1,
	 86400 * 30},
	{"session-max", CONFIG_INT, "43200", "SECONDS", "any session ends this long after login", 1,
	 86400 * 90},
	{"lockout-attempts", CONFIG_INT, "5", "N", "failed logins in a row that lock an account", 1,
	 1000},
	{"lockout-seconds", CONFIG_INT, "900", "SECONDS", "how long a locked account stays locked",
	 1, 86400 * 30},
	{"rate-limit", CONFIG_INT, "200", "N",
	 "requests per second per user or token, bursts of twice that (0: no limit)", 0, 10000000},
	{"quarantine-days", CONFIG_INT, "90", "DAYS",
	 "how long a number rests after its line ends before it is sold again", 0, 3650},
	{"login-rate", CONFIG_INT, "20", "N",
	 "login attempts per minute per client address (0: no "
	 "limit)",
	 0, 1000000},
	{0},
};

int cmd_serve(int argc, char **argv)
{
	struct crm_err err = {0};
	struct events_sender *sender = NULL;
	struct http_server *srv = NULL;
	struct config cfg;
	enum log_level level;
	struct db *db;
	sigset_t sigs;
	int done, rc, sig = 0;

	if ((rc = cli_parse(&cfg, opts,
			    "usage: telcrm serve [--db PATH] [--listen ADDR:PORT] [--threads N] "
			    "[--web DIR]",
			    "Serves the API, the web UI, /healthz and /metrics until SIGTERM or "
			    "SIGINT. The database is created and migrated as needed.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (cfg.npositional)
		return fprintf(stderr, "telcrm: unexpected argument '%s'\n", cfg.positional[0]),
		       EXIT_USAGE;
	if (!log_level_parse(config_get(&cfg, "log-level"), &level))
		return fprintf(stderr,
			       "telcrm: log level '%s' must be debug, info, warn or error\n",
			       config_get(&cfg, "log-level")),
		       EXIT_USAGE;
	log_level_set(level);

	/* signals are taken by sigwait below: block them before any thread starts */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!(db = cli_db_open(config_get(&cfg, "db"), CLI_DB_MIGRATE | CLI_DB_WATCH)))
		return 1;
	rc = auth_start(
		&(struct auth_settings){
			.session_idle_ms = config_get_int(&cfg, "session-idle") * 1000,
			.session_max_ms = config_get_int(&cfg, "session-max") * 1000,
			.lockout_attempts = (int)config_get_int(&cfg, "lockout-attempts"),
			.lockout_ms = config_get_int(&cfg, "lockout-seconds") * 1000,
			.rate_per_s = (double)config_get_int(&cfg, "rate-limit"),
			.rate_burst = 2.0 * (double)config_get_int(&cfg, "rate-limit"),
			.login_per_min = (double)config_get_int(&cfg, "login-rate"),
		},
		&err);
	inventory_quarantine_days_set((int)config_get_int(&cfg, "quarantine-days"));
	if (!rc)
		rc = events_sender_start(
			db,
			&(struct events_sender_opts){
				.poll_ms = (int)config_get_int(&cfg, "event-poll-ms"),
				.lease_ms = (int)config_get_int(&cfg, "event-lease-ms")},
			&sender, &err);
	if (!rc)
		rc = http_server_start(
			&(struct http_server_opts){
				.listen = config_get(&cfg, "listen"),
				.threads = (int)config_get_int(&cfg, "threads"),
				.max_body = (size_t)config_get_int(&cfg, "max-body"),
				.max_header = 16384,
				.request_timeout_s = (int)config_get_int(&cfg, "request-timeout"),
				.access_log = config_get_bool(&cfg, "access-log"),
				.web_dir = config_get(&cfg, "web"),
				.tables = api_routes(),
				.authenticate = api_authenticate,
			},
			db, &srv, &err);
	if (rc) {
		fprintf(stderr, "telcrm: %s\n", err.message);
		events_sender_stop(sender, 0);
		auth_stop();
		db_close(db);
		return 1;
	}
	log_info("serve.start", "listen=%s port=%d db=%s", config_get(&cfg, "listen"),
		 http_server_port(srv), config_get(&cfg, "db"));
	printf("telcrm serving on http://%s (port %d)\n", config_get(&cfg, "listen"),
	       http_server_port(srv));
	fflush(stdout);

	sigwait(&sigs, &sig);
	log_info("serve.stop", "signal=%s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_server_stop(srv);
	events_sender_stop(sender, 5000);
	auth_stop();
	db_close(db);
	log_info("serve.stopped", "db=%s", config_get(&cfg, "db"));
	return 0;
}
