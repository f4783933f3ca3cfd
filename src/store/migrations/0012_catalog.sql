-- The product catalogue (TMF620, docs/catalog.md): catalogues, categories, product
-- specifications, offerings and their prices. Reference data of the whole operator (no
-- org unit); searchable attributes are columns, the rest of each record is JSON in doc.

-- The catalogues: what a channel or a market sells, by category.
CREATE TABLE product_catalog (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	lifecycle_status TEXT NOT NULL,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);

-- Categories of offerings, a tree (parent_id: NULL at a root).
CREATE TABLE category (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	lifecycle_status TEXT NOT NULL,
	parent_id TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);

-- What a product is technically, with its characteristics (data volume, minutes, speed).
CREATE TABLE product_specification (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	lifecycle_status TEXT NOT NULL,
	brand TEXT,
	product_number TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);

-- Prices: a recurring fee, a one-off charge, a usage rate (with tiers), or an alteration
-- of another price (a discount).
CREATE TABLE product_offering_price (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	lifecycle_status TEXT NOT NULL,
	price_type TEXT NOT NULL,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);

-- What is sold: a specification at its prices, alone or as a bundle of offerings.
CREATE TABLE product_offering (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	lifecycle_status TEXT NOT NULL,
	is_bundle INTEGER NOT NULL DEFAULT 0,
	is_sellable INTEGER NOT NULL DEFAULT 1,
	spec_id TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);

-- The records each catalogue record names (store/catalog.c), so that one still named is
-- not deleted: to_id first, for that check.
CREATE TABLE catalog_link (
	to_id TEXT NOT NULL,
	from_id TEXT NOT NULL,
	PRIMARY KEY (to_id, from_id)
) WITHOUT ROWID;
CREATE INDEX catalog_link_from ON catalog_link (from_id);

-- Product managers design, launch and retire the catalogue; the administrator, who has
-- every permission, gets the new one unless the role was edited.
INSERT INTO role (id, name, description, permissions, builtin, created_ms, updated_ms) VALUES
	('product_manager', 'Product manager',
	 'Designs the catalogue: products, offerings, their prices and who may buy them; launches and retires them.',
	 'customer.read analytics.read catalog.manage', 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
UPDATE role SET permissions = permissions || ' catalog.manage'
	WHERE id = 'admin' AND builtin = 1 AND permissions = 'customer.read customer.write pii.read order.create workflow.admin ticket.handle analytics.read campaign.manage admin.users admin.roles admin.org audit.read hub.manage metrics.read';
