-- Foundation: audit log, event outbox and hub listeners, idempotency keys, org units.

-- Append-only record of every change and every security-relevant event.
CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	at_ms INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	resource TEXT NOT NULL,
	resource_id TEXT,
	org_path TEXT NOT NULL,
	before_json TEXT,
	after_json TEXT,
	request_id TEXT
);
CREATE INDEX audit_log_resource ON audit_log (resource, resource_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_org ON audit_log (org_path, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;

-- Events written in the transaction of their change; delivered by the hub thread.
CREATE TABLE event_outbox (
	seq INTEGER PRIMARY KEY,
	event_id TEXT NOT NULL UNIQUE,
	event_type TEXT NOT NULL,
	api TEXT NOT NULL,
	at_ms INTEGER NOT NULL,
	payload TEXT NOT NULL
);
CREATE INDEX event_outbox_api ON event_outbox (api, seq);

-- TMF hub registrations; delivered_seq is each listener's cursor into the outbox.
CREATE TABLE hub_listener (
	id TEXT PRIMARY KEY,
	api TEXT NOT NULL,
	callback TEXT NOT NULL,
	query TEXT,
	created_ms INTEGER NOT NULL,
	delivered_seq INTEGER NOT NULL,
	next_attempt_ms INTEGER NOT NULL DEFAULT 0,
	failures INTEGER NOT NULL DEFAULT 0,
	last_error TEXT
);

-- Idempotency-Key: the first response to a POST, replayed to its retries.
CREATE TABLE idempotency_key (
	principal TEXT NOT NULL,
	key TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	status INTEGER NOT NULL DEFAULT 0,
	location TEXT,
	body TEXT,
	created_ms INTEGER NOT NULL,
	PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_ms);

-- The organisation: HQ -> province -> city -> hall/team. The id is the unit's stable
-- code; path is the chain of codes from the root ('/HQ/GD/GD-GZ/'), so "this unit and
-- everything under it" is one range predicate on an index.
CREATE TABLE org_unit (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('hq', 'province', 'city', 'hall', 'team')),
	parent_id TEXT REFERENCES org_unit (id),
	path TEXT NOT NULL UNIQUE,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX org_unit_parent ON org_unit (parent_id);
INSERT INTO org_unit (id, name, kind, parent_id, path, created_ms, updated_ms)
VALUES ('HQ', 'Headquarters', 'hq', NULL, '/HQ/', 0, 0);
