/*
 * telcrm user add|passwd|disable|roles|list and telcrm token create: bootstrapping accounts and
 * wiring up other systems from the shell. They act as the system, through the same resource
 * layer (validation, audit) as the API. Passwords are read from standard input, never
 * from the command line, where other users of the machine could see them.
 */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "domain/token.h"
#include "domain/user.h"
#include "store/db.h"
#include "core/banned.h"

/* Reads one line (the password) from standard input, without its line end. */
static const char *read_password(struct arena *a)
{
	char buf[AUTH_PASSWORD_MAX * 4 + 2];
	size_t n;

	if (!fgets(buf, sizeof(buf), stdin))
		return NULL;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return arena_strdup(a, buf);
}

/* Splits "a,b" into a JSON string array. */
static struct json_array list_of(struct arena *a, const char *text)
{
	size_t n = 0, cap = 1;
	const char **items;

	for (const char *p = text; *p; p++)
		cap += *p == ',';
	items = arena_calloc(a, cap, sizeof(*items));
	while (*text) {
		size_t len = strcspn(text, ",");

		if (len)
			items[n++] = arena_strndup(a, text, len);
		text += len + (text[len] == ',');
	}
	return (struct json_array){items, n};
}

struct session {
	struct config cfg;
	struct crm_ctx ctx;
	struct arena *arena;
	struct db *db;
};

static int open_session(struct session *s)
{
	if (!(s->db = cli_db_open(config_get(&s->cfg, "db"), 0)))
		return 1;
	s->arena = arena_new(0);
	ctx_init_system(&s->ctx, s->arena, s->db);
	s->ctx.who.login = "cli";
	return 0;
}

static int close_session(struct session *s, int rc)
{
	if (rc)
		fprintf(stderr, "telcrm: %s\n", s->ctx.err.message);
	arena_free(s->arena);
	db_close(s->db);
	return rc ? 1 : 0;
}

static int parse(struct session *s, const struct config_opt *opts, const char *use,
		 const char *summary, int argc, char **argv, int *done)
{
	int rc = cli_parse(&s->cfg, opts, use, summary, argc, argv, done);

	if (rc || *done)
		return rc;
	if (s->cfg.npositional) {
		fprintf(stderr, "telcrm: unexpected argument '%s'\n%s\n", s->cfg.positional[0],
			use);
		return EXIT_USAGE;
	}
	return 0;
}

static int need(struct session *s, const char *name, const char *use)
{
	if (config_get(&s->cfg, name))
		return 0;
	fprintf(stderr, "telcrm: --%s is required\n%s\n", name, use);
	return EXIT_USAGE;
}

static int user_add(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"login", CONFIG_STRING, NULL, "NAME", "the login (a-z, 0-9, . _ -)", 0, 0},
		{"name", CONFIG_STRING, NULL, "TEXT", "display name (default: the login)", 0, 0},
		{"role", CONFIG_STRING, NULL, "ROLE[,ROLE]", "roles, e.g. admin or clerk,agent", 0,
		 0},
		{"org", CONFIG_STRING, "HQ", "CODE", "org unit code, e.g. GD-GZ", 0, 0},
		{"password-stdin", CONFIG_BOOL, "false", NULL,
		 "read the password from the first line of standard input", 0, 0},
		{0},
	};
	static const char use[] = "usage: telcrm user add --login NAME --role ROLE[,ROLE] "
				  "[--org CODE] [--name TEXT] --password-stdin [--db PATH]";
	struct user in = {0}, u;
	struct session s;
	int done, rc;

	if ((rc = parse(&s, opts, use,
			"Creates a user. The password (at least 10 characters, letters and "
			"digits) is read from standard input.",
			argc, argv, &done)) ||
	    done || (rc = need(&s, "login", use)) || (rc = need(&s, "role", use)))
		return rc;
	if (!config_get_bool(&s.cfg, "password-stdin")) {
		fprintf(stderr,
			"telcrm: --password-stdin is required: passwords are never "
			"taken from the command line\n%s\n",
			use);
		return EXIT_USAGE;
	}
	if ((rc = open_session(&s)))
		return rc;
	in.login = config_get(&s.cfg, "login");
	in.display_name = config_get(&s.cfg, "name") ? config_get(&s.cfg, "name") : in.login;
	in.row.org_id = config_get(&s.cfg, "org");
	in.roles = list_of(s.arena, config_get(&s.cfg, "role"));
	if (!(in.password = read_password(s.arena)))
		in.password = "";
	rc = res_create_obj(&s.ctx, &user_res, &in, &u);
	if (!rc)
		printf("user '%s' created (id %s) in %s with roles %s\n", u.login, u.row.id,
		       u.row.org_id, config_get(&s.cfg, "role"));
	return close_session(&s, rc);
}

/* Applies a merge patch of one member, name: value (ownership passes), to the user with
 * --login. */
static int user_patch(struct session *s, const char *name, cJSON *value)
{
	cJSON *patch = json_adopt(s->arena, cJSON_CreateObject());
	struct user u;
	int rc;

	cJSON_AddItemToObject(patch, name, value);
	if ((rc = res_get_by(&s->ctx, &user_res, NULL, db_scope_of(&s->ctx), "login",
			     config_get(&s->cfg, "login"), &u)))
		return rc;
	return res_update(&s->ctx, &user_res, u.row.id, -1, patch, &u);
}

static int user_passwd(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"login", CONFIG_STRING, NULL, "NAME", "whose password to set", 0, 0},
		{"password-stdin", CONFIG_BOOL, "false", NULL,
		 "read the new password from the first line of standard input", 0, 0},
		{0},
	};
	static const char use[] =
		"usage: telcrm user passwd --login NAME --password-stdin [--db PATH]";
	const char *password;
	struct session s;
	int done, rc;

	if ((rc = parse(&s, opts, use,
			"Sets a user's password (an administrator's reset): lifts a lockout and "
			"ends the user's sessions.",
			argc, argv, &done)) ||
	    done || (rc = need(&s, "login", use)))
		return rc;
	if (!config_get_bool(&s.cfg, "password-stdin")) {
		fprintf(stderr, "telcrm: --password-stdin is required\n%s\n", use);
		return EXIT_USAGE;
	}
	if ((rc = open_session(&s)))
		return rc;
	if (!(password = read_password(s.arena)))
		password = "";
	rc = user_patch(&s, "password", cJSON_CreateString(password));
	if (!rc)
		printf("password of '%s' set\n", config_get(&s.cfg, "login"));
	return close_session(&s, rc);
}

static int user_disable(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"login", CONFIG_STRING, NULL, "NAME", "whom to disable", 0, 0},
		{0},
	};
	static const char use[] = "usage: telcrm user disable --login NAME [--db PATH]";
	struct session s;
	int done, rc;

	if ((rc = parse(&s, opts, use,
			"Disables a user: their sessions end and their API tokens stop working.",
			argc, argv, &done)) ||
	    done || (rc = need(&s, "login", use)) || (rc = open_session(&s)))
		return rc;
	rc = user_patch(&s, "status", cJSON_CreateString("disabled"));
	if (!rc)
		printf("user '%s' disabled\n", config_get(&s.cfg, "login"));
	return close_session(&s, rc);
}

static int user_roles(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"login", CONFIG_STRING, NULL, "NAME", "whose roles to set", 0, 0},
		{"role", CONFIG_STRING, NULL, "ROLE[,ROLE]", "the roles, e.g. admin or clerk,agent",
		 0, 0},
		{0},
	};
	static const char use[] =
		"usage: telcrm user roles --login NAME --role ROLE[,ROLE] [--db PATH]";
	struct json_array roles;
	struct session s;
	int done, rc;

	if ((rc = parse(&s, opts, use,
			"Sets a user's roles, replacing those they hold; e.g. gives 'admin' back "
			"to an administrator.",
			argc, argv, &done)) ||
	    done || (rc = need(&s, "login", use)) || (rc = need(&s, "role", use)) ||
	    (rc = open_session(&s)))
		return rc;
	roles = list_of(s.arena, config_get(&s.cfg, "role"));
	rc = user_patch(&s, "roles", json_string_array(&roles));
	if (!rc)
		printf("user '%s' holds roles %s\n", config_get(&s.cfg, "login"),
		       config_get(&s.cfg, "role"));
	return close_session(&s, rc);
}

static int user_list(int argc, char **argv)
{
	static const struct config_opt opts[] = {CLI_OPT_DB, {0}};
	static const char use[] = "usage: telcrm user list [--db PATH]";
	struct db_list_opts lo = {.offset = 0, .limit = 1000};
	struct res_page page;
	struct session s;
	int done, rc;

	if ((rc = parse(&s, opts, use, "Lists users: login, org unit, status and roles.", argc,
			argv, &done)) ||
	    done || (rc = open_session(&s)))
		return rc;
	rc = res_list(&s.ctx, &user_res, &lo, &page);
	for (size_t i = 0; !rc && i < page.n; i++) {
		const struct user *items = page.items;
		const char *const *roles = items[i].roles.items;

		printf("%-20s %-12s %-9s", items[i].login, items[i].row.org_id, items[i].status);
		for (size_t j = 0; j < items[i].roles.count; j++)
			printf("%s%s", j ? "," : " ", roles[j]);
		printf("\n");
	}
	return close_session(&s, rc);
}

static int token_add(int argc, char **argv)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"user", CONFIG_STRING, NULL, "LOGIN", "the user the token acts as", 0, 0},
		{"name", CONFIG_STRING, "cli", "TEXT", "what the token is for, e.g. 'billing'", 0,
		 0},
		{"expires", CONFIG_STRING, "90d", "DURATION", "lifetime: 30d, 12h, 90m", 0, 0},
		{"scope", CONFIG_STRING, NULL, "PERM[,PERM]",
		 "narrow the token to these permissions (default: all of the user's)", 0, 0},
		{0},
	};
	static const char use[] = "usage: telcrm token create --user LOGIN [--name TEXT] "
				  "[--expires 30d] [--scope PERM,...] [--db PATH]";
	struct token_input in = {0};
	struct user u;
	struct token t;
	struct session s;
	int done, rc;

	if ((rc = parse(&s, opts, use,
			"Creates an API token for another system and prints it once; store it "
			"safely, it cannot be shown again. Use it as 'Authorization: Bearer "
			"TOKEN'.",
			argc, argv, &done)) ||
	    done || (rc = need(&s, "user", use)) || (rc = open_session(&s)))
		return rc;
	if (!(rc = res_get_by(&s.ctx, &user_res, NULL, db_scope_of(&s.ctx), "login",
			      config_get(&s.cfg, "user"), &u))) {
		in.user_id = u.row.id;
		in.name = config_get(&s.cfg, "name");
		in.expires_in = config_get(&s.cfg, "expires");
		if (config_get(&s.cfg, "scope"))
			in.scope = list_of(s.arena, config_get(&s.cfg, "scope"));
		rc = token_create(&s.ctx, &in, &t);
	}
	if (!rc)
		printf("%s\n", t.token);
	return close_session(&s, rc);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} user_commands[] = {
	{"add", user_add, "create a user"},
	{"passwd", user_passwd, "set a user's password (reads standard input)"},
	{"disable", user_disable, "disable a user"},
	{"roles", user_roles, "set a user's roles"},
	{"list", user_list, "list users"},
};

static bool is_help(int argc, char **argv)
{
	return argc > 0 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
}

int cmd_user(int argc, char **argv)
{
	bool help = is_help(argc, argv);
	FILE *f = help ? stdout : stderr;

	for (size_t i = 0; argc > 0 && i < sizeof(user_commands) / sizeof(user_commands[0]); i++)
		if (strcmp(argv[0], user_commands[i].name) == 0)
			return user_commands[i].fn(argc - 1, argv + 1);
	if (argc > 0 && !help)
		fprintf(stderr, "telcrm: unknown user command '%s'\n", argv[0]);
	fprintf(f, "usage: telcrm user <command> [options]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(user_commands) / sizeof(user_commands[0]); i++)
		fprintf(f, "  %-8s %s\n", user_commands[i].name, user_commands[i].summary);
	fprintf(f, "\nRun 'telcrm user <command> --help' for its options.\n");
	return help ? 0 : EXIT_USAGE;
}

int cmd_token(int argc, char **argv)
{
	bool help = is_help(argc, argv);

	if (argc > 0 && strcmp(argv[0], "create") == 0)
		return token_add(argc - 1, argv + 1);
	if (argc > 0 && !help)
		fprintf(stderr, "telcrm: unknown token command '%s'\n", argv[0]);
	fprintf(help ? stdout : stderr,
		"usage: telcrm token create [options]\n\nCreates an API token; run 'telcrm "
		"token create --help' for its options.\n");
	return help ? 0 : EXIT_USAGE;
}
