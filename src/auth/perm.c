/* Permission names and their bits: the one catalogue roles, tokens and routes share. */
#include "auth/auth.h"

#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/banned.h"

static const struct {
	const char *name;
	const char *description;
} perms[PERM_COUNT] = {
	{"customer.read", "look customers and parties up"},
	{"customer.write", "register and change customers and parties"},
	{"pii.read", "see personal data (phone, ID number, e-mail, address) unmasked"},
	{"order.create", "take orders"},
	{"workflow.admin", "define and change workflows"},
	{"ticket.handle", "open and work on tickets"},
	{"analytics.read", "read analytics, segments and KPIs"},
	{"campaign.manage", "build segments and run campaigns"},
	{"admin.users", "manage users and their API tokens"},
	{"admin.roles", "manage roles and their permissions"},
	{"admin.org", "manage the organisation tree"},
	{"audit.read", "read the audit trail"},
	{"hub.manage", "register event listeners (TMF hub)"},
	{"metrics.read", "read the server's metrics"},
	{"catalog.manage", "design, launch and retire products, offerings and their prices"},
	{"number.manage",
	 "stock the number pool, price premium numbers, release numbers from quarantine"},
};

const char *auth_perm_name(int i)
{
	return i >= 0 && i < PERM_COUNT ? perms[i].name : NULL;
}

const char *auth_perm_description(int i)
{
	return i >= 0 && i < PERM_COUNT ? perms[i].description : NULL;
}

static int lookup(struct str name)
{
	for (int i = 0; i < PERM_COUNT; i++)
		if (str_eq_cstr(name, perms[i].name))
			return i;
	return -1;
}

static const char *const depth_names[] = {
	[CRM_DEPTH_DEFAULT] = "unitAndBelow",
	[CRM_DEPTH_OWN] = "own",
	[CRM_DEPTH_UNIT] = "unit",
	[CRM_DEPTH_BELOW] = "unitAndBelow",
	[CRM_DEPTH_PROVINCE] = "province",
	[CRM_DEPTH_ALL] = "all",
};

const char *const auth_depth_names[] = {"own", "unit", "unitAndBelow", "province", "all", NULL};

const char *auth_depth_name(enum crm_depth d)
{
	return (size_t)d < sizeof(depth_names) / sizeof(depth_names[0]) ? depth_names[d]
									: depth_names[0];
}

enum crm_depth auth_depth_parse(const char *name)
{
	for (size_t i = CRM_DEPTH_OWN; i < sizeof(depth_names) / sizeof(depth_names[0]); i++)
		if (name && strcmp(name, depth_names[i]) == 0)
			return (enum crm_depth)i;
	return CRM_DEPTH_DEFAULT;
}

/* Parses a space- or comma-separated list of names, each with an optional ":depth"
 * (stored text), into bits and, when depth is given, the farthest depth of each. An
 * unknown name is an error when err is given, and skipped otherwise. */
static int each_name(const char *names, uint64_t *out, uint8_t *depth, struct crm_err *err)
{
	const char *p = names ? names : "";
	uint64_t bits = 0;

	while (*p) {
		size_t n, len;
		const char *colon;
		int i;

		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (n == 0)
			break;
		colon = memchr(p, ':', n);
		len = colon ? (size_t)(colon - p) : n;
		i = lookup((struct str){p, len});
		if (i >= 0) {
			bits |= 1ULL << i;
			if (depth) {
				char d[16] = "";
				enum crm_depth v;

				if (colon && n - len - 1 < sizeof(d))
					memcpy(d, colon + 1, n - len - 1);
				v = auth_depth_parse(d);
				if (v == CRM_DEPTH_DEFAULT)
					v = CRM_DEPTH_BELOW;
				if (v > depth[i])
					depth[i] = (uint8_t)v;
			}
		} else if (err) {
			return crm_err_set(err, CRM_EINVAL, "permissions",
					   "unknown permission '%.*s'", (int)(n > 64 ? 64 : n), p);
		}
		p += n;
	}
	*out = bits;
	return 0;
}

uint64_t auth_perm_depths(const char *text, uint8_t depth[CRM_DEPTH_BITS])
{
	uint64_t bits = 0;

	memset(depth, 0, CRM_DEPTH_BITS);
	each_name(text, &bits, depth, NULL);
	return bits;
}

char *auth_perm_format_depths(struct arena *a, uint64_t bits, const uint8_t depth[CRM_DEPTH_BITS])
{
	struct strbuf sb;

	strbuf_init_arena(&sb, a, 256);
	for (int i = 0; i < PERM_COUNT; i++) {
		if (!(bits & (1ULL << i)))
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, perms[i].name);
		if (depth && depth[i] != CRM_DEPTH_DEFAULT && depth[i] != CRM_DEPTH_BELOW)
			strbuf_addf(&sb, ":%s", auth_depth_name((enum crm_depth)depth[i]));
	}
	return arena_strdup(a, strbuf_cstr(&sb));
}

int auth_perm_parse(const char *names, uint64_t *out, struct crm_err *err)
{
	return each_name(names, out, NULL, err);
}

uint64_t auth_perm_bits(const char *names)
{
	uint64_t bits = 0;

	each_name(names, &bits, NULL, NULL);
	return bits;
}

char *auth_perm_format(struct arena *a, uint64_t bits)
{
	return auth_perm_format_depths(a, bits, NULL);
}

struct json_array auth_perm_array(struct arena *a, uint64_t bits)
{
	const char **items = arena_calloc(a, PERM_COUNT, sizeof(*items));
	size_t n = 0;

	for (int i = 0; i < PERM_COUNT; i++)
		if (bits & (1ULL << i))
			items[n++] = perms[i].name;
	return (struct json_array){items, n};
}

#define OUT(member) offsetof(struct auth_perm_info, member)
const struct json_desc auth_perm_info_desc = {
	"Permission",
	sizeof(struct auth_perm_info),
	(const struct json_field[]){
		{"name", JSON_STRING, OUT(name), 0, NULL, 0, NULL},
		{"description", JSON_STRING, OUT(description), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};
#undef OUT
