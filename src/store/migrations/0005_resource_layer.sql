-- The resource layer (domain/resource.h): every resource table has the head columns
-- (id, version, created_ms, updated_ms) and a doc column for what is not a column of its
-- own (@baseType, @schemaLocation and the resource's document members).
ALTER TABLE org_unit ADD COLUMN doc TEXT NOT NULL DEFAULT '{}';

-- Hub listeners on the layer, each belonging to the user who registered it: its events
-- are delivered as that user may see them (scope, permissions, masking). Listeners made
-- before they had owners keep no owner, and receive nothing until registered again.
CREATE TABLE hub_listener_owned (
	id TEXT PRIMARY KEY,
	api TEXT NOT NULL,
	callback TEXT NOT NULL,
	query TEXT,
	owner_id TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	delivered_seq INTEGER NOT NULL DEFAULT 0,
	next_attempt_ms INTEGER NOT NULL DEFAULT 0,
	failures INTEGER NOT NULL DEFAULT 0,
	last_error TEXT
);
INSERT INTO hub_listener_owned (id, api, callback, query, created_ms, updated_ms,
		delivered_seq, next_attempt_ms, failures, last_error)
	SELECT id, api, callback, query, created_ms, created_ms, delivered_seq,
		next_attempt_ms, failures, last_error FROM hub_listener;
DROP TABLE hub_listener;
ALTER TABLE hub_listener_owned RENAME TO hub_listener;
CREATE INDEX hub_listener_owner ON hub_listener (owner_id, created_ms);

-- The outbox keeps what each event is about, so that a delivery is cut to what the
-- listener's owner may see.
ALTER TABLE event_outbox ADD COLUMN resource TEXT;
ALTER TABLE event_outbox ADD COLUMN org_path TEXT;

-- Users and roles on the layer.
ALTER TABLE app_user ADD COLUMN doc TEXT NOT NULL DEFAULT '{}';
ALTER TABLE role ADD COLUMN doc TEXT NOT NULL DEFAULT '{}';

-- Data scope by depth: a permission of a role may reach farther than the holder's unit
-- and those below it ("customer.read:province"). Counter clerks and call-centre agents
-- serve customers of the whole province, while changes stay with the customer's unit.
-- Roles an operator has edited are left as they are.
UPDATE role SET permissions = 'customer.read:province customer.write order.create ticket.handle',
	description = 'Serves customers at a business hall: finds customers of the whole province, registers and changes those of the hall, takes orders and complaints. Personal data is shown masked.'
	WHERE id = 'clerk' AND permissions = 'customer.read customer.write order.create ticket.handle';
UPDATE role SET permissions = 'customer.read:province order.create ticket.handle'
	WHERE id = 'agent' AND permissions = 'customer.read order.create ticket.handle';

-- The rows the first migrations made (the root unit, the built-in roles) were dated 0,
-- and so showed no createdDate or lastUpdate: they are dated now.
UPDATE org_unit SET created_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000,
	updated_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE created_ms = 0;
UPDATE role SET created_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000,
	updated_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE created_ms = 0;
