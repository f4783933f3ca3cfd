-- Identity: roles, users, sessions and API tokens.

-- A role is a named set of permissions (names as in src/auth/perm.c, space-separated).
-- Built-in roles may be edited but not deleted.
CREATE TABLE role (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	permissions TEXT NOT NULL DEFAULT '',
	builtin INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);

-- Staff who log in. password_hash is an argon2id string (libsodium crypto_pwhash_str);
-- failed_logins counts consecutive failures, locked_until_ms ends a lockout.
CREATE TABLE app_user (
	id TEXT PRIMARY KEY,
	login TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	org_id TEXT NOT NULL REFERENCES org_unit (id),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
	mobile TEXT,
	email TEXT,
	password_hash TEXT NOT NULL,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until_ms INTEGER NOT NULL DEFAULT 0,
	last_login_ms INTEGER NOT NULL DEFAULT 0,
	password_changed_ms INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX app_user_org ON app_user (org_id);

CREATE TABLE user_role (
	user_id TEXT NOT NULL REFERENCES app_user (id),
	role_id TEXT NOT NULL REFERENCES role (id),
	PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_role_role ON user_role (role_id);

-- Browser sessions. Only the SHA-256 of the session id is stored.
CREATE TABLE auth_session (
	id_hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES app_user (id),
	csrf TEXT NOT NULL,
	created_ms INTEGER NOT NULL,
	last_seen_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL
);
CREATE INDEX auth_session_user ON auth_session (user_id);

-- API tokens for other systems. Only the SHA-256 of the secret is stored; scope, when
-- not NULL, narrows the owner's permissions (space-separated names).
CREATE TABLE api_token (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES app_user (id),
	name TEXT NOT NULL,
	secret_hash TEXT NOT NULL UNIQUE,
	scope TEXT,
	created_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL DEFAULT 0,
	last_used_ms INTEGER NOT NULL DEFAULT 0,
	revoked_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_token_user ON api_token (user_id);

INSERT INTO role (id, name, description, permissions, builtin, created_ms, updated_ms) VALUES
('clerk', 'Counter clerk', 'Serves customers at a business hall: looks up and registers customers, takes orders and complaints. Personal data is shown masked.',
 'customer.read customer.write order.create ticket.handle', 1, 0, 0),
('agent', 'Call-centre agent', 'Answers customers on the phone: looks customers up, takes orders, opens and handles tickets.',
 'customer.read order.create ticket.handle', 1, 0, 0),
('account_manager', 'Account manager', 'Looks after enterprise and high-value customers.',
 'customer.read customer.write pii.read order.create ticket.handle analytics.read', 1, 0, 0),
('service', 'Service staff', 'Handles complaints and faults through their workflow.',
 'customer.read ticket.handle workflow.admin', 1, 0, 0),
('marketing', 'Marketing', 'Builds segments and runs campaigns.',
 'customer.read analytics.read campaign.manage', 1, 0, 0),
('sales', 'Sales', 'Registers prospects and takes orders.',
 'customer.read customer.write order.create', 1, 0, 0),
('analyst', 'Analyst', 'Studies usage, churn and fraud.',
 'customer.read analytics.read', 1, 0, 0),
('manager', 'Manager', 'Reads KPIs and the audit trail of their organisation.',
 'customer.read analytics.read audit.read', 1, 0, 0),
('admin', 'Administrator', 'Manages users, roles, the org tree and integrations.',
 'customer.read customer.write pii.read order.create workflow.admin ticket.handle analytics.read campaign.manage admin.users admin.roles admin.org audit.read hub.manage metrics.read', 1, 0, 0);
