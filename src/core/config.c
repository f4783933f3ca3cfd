/* Option parsing: flags > TELCRM_* environment > defaults. */
#include "core/config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/banned.h"

static int opt_index(const struct config_opt *opts, const char *name, size_t len)
{
	for (int i = 0; opts[i].name; i++)
		if (strlen(opts[i].name) == len && memcmp(opts[i].name, name, len) == 0)
			return i;
	return -1;
}

static void env_name(const char *name, char *buf, size_t n)
{
	size_t o = (size_t)snprintf(buf, n, "TELCRM_");

	for (; *name && o + 1 < n; name++)
		buf[o++] = *name == '-' ? '_' : (char)toupper((unsigned char)*name);
	buf[o] = '\0';
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return (*out = true), true;
		if (strcasecmp(v, no[i]) == 0)
			return (*out = false), true;
	}
	return false;
}

static int check_value(const struct config_opt *o, const char *v, const char *origin,
		       struct crm_err *err)
{
	int64_t n;
	bool b;

	if (o->kind == CONFIG_INT) {
		if (!str_to_i64(str_from(v), o->min, o->max, &n))
			return crm_err_set(err, CRM_EINVAL, o->name,
					   "%s '%s' must be a whole number from %lld to %lld",
					   origin, v, (long long)o->min, (long long)o->max);
	} else if (o->kind == CONFIG_BOOL && !parse_bool(v, &b)) {
		return crm_err_set(err, CRM_EINVAL, o->name, "%s '%s' must be true or false",
				   origin, v);
	}
	return 0;
}

int config_parse(struct config *cfg, const struct config_opt *opts, int argc,
		 const char *const *argv, struct crm_err *err)
{
	char env[96];
	bool from_flag[CONFIG_MAX_OPTS] = {false};
	int rc, i, n;

	memset(cfg, 0, sizeof(*cfg));
	cfg->opts = opts;
	for (n = 0; opts[n].name; n++)
		if (n + 1 >= CONFIG_MAX_OPTS)
			CRM_BUG("too many options");

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *v;
		int k;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cfg->help = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (a[0] == '-' && a[1] != '\0' && strcmp(a, "--") != 0)
				return crm_err_set(err, CRM_EINVAL, a, "unknown option '%s'", a);
			if (cfg->npositional == CONFIG_MAX_POSITIONAL)
				return crm_err_set(err, CRM_EINVAL, NULL,
						   "too many arguments at '%s'", a);
			if (strcmp(a, "--") != 0)
				cfg->positional[cfg->npositional++] = a;
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		k = opt_index(opts, a, eq ? (size_t)(eq - a) : strlen(a));
		if (k < 0)
			return crm_err_set(err, CRM_EINVAL, argv[i], "unknown option '%s'",
					   argv[i]);
		if (opts[k].kind == CONFIG_BOOL && !eq) {
			v = "true";
		} else if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return crm_err_set(err, CRM_EINVAL, opts[k].name,
					   "option '--%s' needs a value", opts[k].name);
		}
		if ((rc = check_value(&opts[k], v, "option", err)))
			return rc;
		cfg->values[k] = v;
		from_flag[k] = true;
	}

	for (i = 0; i < n; i++) {
		const char *v;

		if (from_flag[i])
			continue;
		env_name(opts[i].name, env, sizeof(env));
		v = getenv(env);
		if (v && *v) {
			if ((rc = check_value(&opts[i], v, env, err)))
				return rc;
			cfg->values[i] = v;
		} else {
			cfg->values[i] = opts[i].def;
		}
	}
	return 0;
}

static int must_find(const struct config *cfg, const char *name)
{
	int k = opt_index(cfg->opts, name, strlen(name));

	if (k < 0)
		CRM_BUG("no option '%s'", name);
	return k;
}

const char *config_get(const struct config *cfg, const char *name)
{
	return cfg->values[must_find(cfg, name)];
}

int64_t config_get_int(const struct config *cfg, const char *name)
{
	const char *v = config_get(cfg, name);
	int64_t n = 0;

	if (v && !str_to_i64(str_from(v), INT64_MIN / 10, INT64_MAX / 10, &n))
		CRM_BUG("option '%s' default '%s' is not an integer", name, v);
	return n;
}

bool config_get_bool(const struct config *cfg, const char *name)
{
	const char *v = config_get(cfg, name);
	bool b = false;

	return v && parse_bool(v, &b) && b;
}

void config_print_help(FILE *f, const struct config_opt *opts)
{
	char env[96], flag[64];

	fprintf(f, "Options (flag, or environment variable):\n");
	for (int i = 0; opts[i].name; i++) {
		env_name(opts[i].name, env, sizeof(env));
		snprintf(flag, sizeof(flag), "--%s%s%s", opts[i].name, opts[i].metavar ? " " : "",
			 opts[i].metavar ? opts[i].metavar : "");
		fprintf(f, "  %-24s %s\n  %-24s [%s%s%s]\n", flag, opts[i].help, "", env,
			opts[i].def ? ", default " : "", opts[i].def ? opts[i].def : "");
	}
	fprintf(f, "  %-24s %s\n", "-h, --help", "show this help");
}
