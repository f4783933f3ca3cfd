/*
 * telcrm role list|grant|revoke: roles from the shell, without the server: the way back
 * for an operator whom no user can manage roles for any more. They act as the system
 * through the same resource layer (checks, audit) as the API.
 */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/str.h"
#include "domain/role.h"
#include "store/db.h"
#include "core/banned.h"

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
	s->ctx.who.login = "cli"; /* the actor of the audit rows, as for telcrm user */
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

static int role_list(int argc, char **argv)
{
	static const struct config_opt opts[] = {CLI_OPT_DB, {0}};
	static const char use[] = "usage: telcrm role list [--db PATH]";
	struct db_list_opts lo = {.offset = 0, .limit = 1000};
	struct res_page page;
	struct session s;
	int done, rc;

	if ((rc = cli_parse(&s.cfg, opts, use,
			    "Lists roles: id, how many users hold it, built in or not, and the "
			    "permissions it grants, each with its depth when it reaches other than "
			    "the holder's unit and below (customer.read:province).",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (s.cfg.npositional) {
		fprintf(stderr, "telcrm: unexpected argument '%s'\n%s\n", s.cfg.positional[0], use);
		return EXIT_USAGE;
	}
	if ((rc = open_session(&s)))
		return rc;
	rc = res_list(&s.ctx, &role_res, &lo, &page);
	for (size_t i = 0; !rc && i < page.n; i++) {
		const struct role *items = page.items;
		const char *text = items[i].permission_text;

		/* each permission with its depth where it is not the unit and below */
		printf("%-20s %5lld %-8s%s%s\n", items[i].row.id, (long long)items[i].users,
		       items[i].builtin ? "built-in" : "custom", text && *text ? " " : "",
		       text ? text : "");
	}
	return close_session(&s, rc);
}

/* grant (add) or revoke (remove) the permissions named by the positional arguments. */
static int role_change(int argc, char **argv, bool grant)
{
	static const struct config_opt opts[] = {
		CLI_OPT_DB,
		{"role", CONFIG_STRING, NULL, "ID", "the role to change, e.g. admin", 0, 0},
		{0},
	};
	static const char grant_use[] =
		"usage: telcrm role grant --role ID PERMISSION... [--db PATH]";
	static const char revoke_use[] =
		"usage: telcrm role revoke --role ID PERMISSION... [--db PATH]";
	const char *use = grant ? grant_use : revoke_use;
	struct role r;
	struct strbuf names;
	struct json_array list;
	cJSON *patch;
	struct session s;
	uint64_t bits, now, held = 0;
	int done, rc;

	if ((rc = cli_parse(&s.cfg, opts, use,
			    grant ? "Adds permissions to a role (names separated by spaces or "
				    "commas; 'telcrm role list' and GET /api/v1/permissions show "
				    "them). Users holding the role gain them at once."
				  : "Takes permissions from a role (names separated by spaces or "
				    "commas). Refused if nobody at headquarters could change roles "
				    "any more.",
			    argc, argv, &done)) ||
	    done)
		return rc;
	if (!config_get(&s.cfg, "role") || !s.cfg.npositional) {
		fprintf(stderr, "telcrm: %s\n%s\n",
			!config_get(&s.cfg, "role") ? "--role is required"
						    : "name at least one permission",
			use);
		return EXIT_USAGE;
	}
	if ((rc = open_session(&s)))
		return rc;
	strbuf_init_arena(&names, s.arena, 128);
	for (int i = 0; i < s.cfg.npositional; i++) {
		strbuf_addstr(&names, s.cfg.positional[i]);
		strbuf_addch(&names, ' ');
	}
	if ((rc = auth_perm_parse(strbuf_cstr(&names), &bits, &s.ctx.err)) ||
	    (rc = res_get(&s.ctx, &role_res, config_get(&s.cfg, "role"), &r)))
		return close_session(&s, rc);
	for (size_t i = 0; i < r.permissions.count; i++)
		held |= auth_perm_bits(((const char *const *)r.permissions.items)[i]);
	now = grant ? held | bits : held & ~bits;
	if (now == held) {
		printf("role '%s' %s '%s'\n", r.row.id, grant ? "already grants" : "does not grant",
		       auth_perm_format(s.arena, bits));
		return close_session(&s, 0);
	}
	list = auth_perm_array(s.arena, now);
	patch = json_adopt(s.arena, cJSON_CreateObject());
	cJSON_AddItemToObject(patch, "permissions", json_string_array(&list));
	/* at the version read: a change made meanwhile is not overwritten unseen */
	if (!(rc = res_update(&s.ctx, &role_res, r.row.id, r.row.version, patch, &r)))
		printf("role '%s' grants %s\n", r.row.id,
		       now ? arena_printf(s.arena, "'%s'", auth_perm_format(s.arena, now))
			   : "nothing");
	return close_session(&s, rc);
}

static int role_grant(int argc, char **argv)
{
	return role_change(argc, argv, true);
}

static int role_revoke(int argc, char **argv)
{
	return role_change(argc, argv, false);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} role_commands[] = {
	{"list", role_list, "list roles with their users and permissions"},
	{"grant", role_grant, "add permissions to a role"},
	{"revoke", role_revoke, "take permissions from a role"},
};

int cmd_role(int argc, char **argv)
{
	bool help = argc > 0 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
	FILE *f = help ? stdout : stderr;

	for (size_t i = 0; argc > 0 && i < sizeof(role_commands) / sizeof(role_commands[0]); i++)
		if (strcmp(argv[0], role_commands[i].name) == 0)
			return role_commands[i].fn(argc - 1, argv + 1);
	if (argc > 0 && !help)
		fprintf(stderr, "telcrm: unknown role command '%s'\n", argv[0]);
	fprintf(f, "usage: telcrm role <command> [options]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(role_commands) / sizeof(role_commands[0]); i++)
		fprintf(f, "  %-8s %s\n", role_commands[i].name, role_commands[i].summary);
	fprintf(f, "\nWhen nobody can change roles any more:\n"
		   "  telcrm role grant --role admin admin.roles\n"
		   "  telcrm user roles --login NAME --role admin\n"
		   "\nRun 'telcrm role <command> --help' for its options.\n");
	return help ? 0 : EXIT_USAGE;
}
