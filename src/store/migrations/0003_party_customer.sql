-- Parties (TMF632: individuals and organizations) and customers (TMF629).
--
-- Both belong to an org unit (org_id) and are reached only through scoped store
-- functions. Searchable attributes are columns; the rest of the resource (contact
-- media, characteristics, identifications, references) is JSON in doc. A DELETE sets
-- deleted_ms: the row stays for the audit trail and every read filters deleted_ms = 0.

CREATE TABLE party (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('individual', 'organization')),
	org_id TEXT NOT NULL REFERENCES org_unit (id),
	status TEXT NOT NULL,
	full_name TEXT NOT NULL DEFAULT '',	-- individual: fullName; organization: name
	given_name TEXT,
	family_name TEXT,
	trading_name TEXT,
	id_number TEXT,				-- resident id (canonical) or passport number
	uscc TEXT,				-- unified social credit code (canonical)
	gender TEXT,
	birth_ms INTEGER NOT NULL DEFAULT 0,
	nationality TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX party_org ON party (org_id);
CREATE INDEX party_kind_name ON party (kind, full_name);
CREATE INDEX party_trading_name ON party (trading_name);
CREATE UNIQUE INDEX party_id_number ON party (id_number) WHERE id_number IS NOT NULL AND deleted_ms = 0;
CREATE UNIQUE INDEX party_uscc ON party (uscc) WHERE uscc IS NOT NULL AND deleted_ms = 0;

CREATE TABLE customer (
	id TEXT PRIMARY KEY,
	customer_no TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	party_id TEXT NOT NULL REFERENCES party (id),
	org_id TEXT NOT NULL REFERENCES org_unit (id),
	status TEXT NOT NULL DEFAULT 'prospective'
		CHECK (status IN ('prospective', 'active', 'suspended', 'inactive')),
	status_reason TEXT,
	customer_rank TEXT,
	segment TEXT,
	blacklist INTEGER NOT NULL DEFAULT 0,
	blacklist_reason TEXT,
	blacklist_by TEXT,
	blacklist_at_ms INTEGER NOT NULL DEFAULT 0,
	big_customer_potential INTEGER NOT NULL DEFAULT 0,
	churn_ms INTEGER NOT NULL DEFAULT 0,
	churn_reason TEXT,
	churn_to_operator TEXT,
	doc TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	deleted_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_org ON customer (org_id);
CREATE INDEX customer_party ON customer (party_id);
CREATE INDEX customer_status ON customer (status);
CREATE INDEX customer_segment ON customer (segment);
CREATE INDEX customer_name ON customer (name);
