-- What customers have: accounts (TMF666), products on their lines (TMF637) and the number
-- pool the lines' MSISDNs come from (docs/inventory.md). Accounts and products belong to
-- their customer (customer_id, the distribution key) and sit in its unit (org_id); numbers
-- belong to the city that sells them.

-- Billing accounts (what the bills go to) and party accounts, one table told apart by kind.
-- parent_id: the enterprise's account that pays for this one (the account hierarchy).
CREATE TABLE account (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('billing', 'party')),
	customer_id TEXT NOT NULL,
	org_id TEXT NOT NULL REFERENCES org_unit (id),
	name TEXT NOT NULL,
	state TEXT NOT NULL,
	parent_id TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX account_customer ON account (customer_id);
CREATE INDEX account_parent ON account (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX account_org ON account (org_id);

-- Products: a line (mobile, fixed, broadband, IPTV) or what sits on one (parent_id: a
-- value-added service, a data pack). party_id is the customer's engaged party, whose
-- mobile lines the real-name rule counts.
CREATE TABLE product (
	id TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL,
	party_id TEXT NOT NULL,
	org_id TEXT NOT NULL REFERENCES org_unit (id),
	name TEXT NOT NULL,
	product_type TEXT NOT NULL,
	status TEXT NOT NULL,
	msisdn TEXT,
	iccid TEXT,
	offering_id TEXT,
	account_id TEXT,
	parent_id TEXT,
	start_ms INTEGER,
	termination_ms INTEGER,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX product_customer ON product (customer_id);
CREATE INDEX product_msisdn ON product (msisdn) WHERE msisdn IS NOT NULL;
CREATE INDEX product_iccid ON product (iccid) WHERE iccid IS NOT NULL;
CREATE INDEX product_party ON product (party_id, product_type, status);
CREATE INDEX product_parent ON product (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX product_account ON product (account_id);
CREATE INDEX product_org ON product (org_id);
CREATE INDEX product_offering_id ON product (offering_id);

-- The number pool: an MSISDN (its own id) of a city, free, reserved, in use or in
-- quarantine; ending: its last four digits, for "numbers ending 8888".
CREATE TABLE msisdn (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES org_unit (id),
	status TEXT NOT NULL,
	ending TEXT NOT NULL,
	premium_level INTEGER NOT NULL DEFAULT 0,
	reserved_until_ms INTEGER,
	quarantine_until_ms INTEGER,
	customer_id TEXT,
	product_id TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX msisdn_org_status ON msisdn (org_id, status, premium_level);
CREATE INDEX msisdn_ending ON msisdn (ending);
CREATE INDEX msisdn_customer ON msisdn (customer_id) WHERE customer_id IS NOT NULL;

-- Stocking the number pool is its own permission; the administrator gets it unless the
-- role was edited, as does the product manager.
UPDATE role SET permissions = permissions || ' number.manage'
	WHERE id = 'admin' AND builtin = 1 AND permissions = 'customer.read customer.write pii.read order.create workflow.admin ticket.handle analytics.read campaign.manage admin.users admin.roles admin.org audit.read hub.manage metrics.read catalog.manage';
UPDATE role SET permissions = permissions || ' number.manage'
	WHERE id = 'product_manager' AND builtin = 1 AND permissions = 'customer.read analytics.read catalog.manage';
