/*
 * Users: staff who log in. A user belongs to one org unit, which is also their data scope,
 * and holds roles (role.h). Callers reach users in their own scope only, and create or
 * change a user only when every permission involved is one they hold themselves, so
 * admin.users cannot be used to climb above one's own rights. Passwords are kept as
 * argon2id hashes (auth.h). A resource of the layer (resource.h): /api/v1/users.
 */
#ifndef CRM_USER_H
#define CRM_USER_H

#include "domain/resource.h"

struct user {
	RES_HEAD; /* row.org_id: the user's unit */
	const char *login;
	const char *display_name;
	const char *status; /* active, disabled */
	const char *mobile; /* personal data: masked without pii.read */
	const char *email;
	struct json_array roles;       /* role ids */
	struct json_array permissions; /* those the roles grant (read only) */
	int64_t last_login_ms;
	int64_t locked_until_ms; /* 0 when not locked */

	/* input only: a new password (an administrator's reset, which also lifts a lockout)
	 * and "locked": false, which lifts a lockout alone */
	const char *password;
	bool locked;
	/* kept by the server */
	const char *password_hash;
	int64_t password_changed_ms, failed_logins;
	int64_t admins; /* the rules' count of role administrators before the change */
};

/* Create: login, displayName, orgId, roles and password required. Update: displayName,
 * orgId, roles, status, mobile, email, password, locked. Disabling a user or a new
 * password ends the user's sessions. CRM_ECONFLICT when a change would leave no active
 * user of the root unit holding admin.roles. Users are never deleted: they are disabled. */
extern const struct res_desc user_res;

#endif
