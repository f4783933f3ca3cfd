-- The keys Citus distributes the tables by (docs/scale-out.md, section 2), with the
-- primary keys that hold them: a unique key on a distributed table must include its
-- distribution column. On one PostgreSQL they are also where the operator-wide checks
-- look. Kept by the store in the transaction of each write (store/party.c). No foreign
-- keys: on Citus these tables lie on other shards than the rows they name.

-- The live customers of each party (distributed by party_id, with party).
CREATE TABLE party_customer (
	party_id TEXT NOT NULL,
	customer_id TEXT NOT NULL,
	PRIMARY KEY (party_id, customer_id)
);
INSERT INTO party_customer SELECT party_id, id FROM customer WHERE deleted_ms = 0;

-- Every customer number ever given (distributed by customer_no): never reused.
CREATE TABLE customer_no_key (
	customer_no TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL
);
INSERT INTO customer_no_key SELECT customer_no, id FROM customer;

-- Identification numbers and social credit codes of live parties (distributed by number):
-- their uniqueness, which the partial unique indexes on party kept.
CREATE TABLE party_ident (
	number TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('id_number', 'uscc')),
	party_id TEXT NOT NULL,
	PRIMARY KEY (number, kind)
);
INSERT INTO party_ident SELECT id_number, 'id_number', id FROM party
	WHERE id_number IS NOT NULL AND deleted_ms = 0;
INSERT INTO party_ident SELECT uscc, 'uscc', id FROM party
	WHERE uscc IS NOT NULL AND deleted_ms = 0;
DROP INDEX party_id_number;
DROP INDEX party_uscc;

-- Phone keys by their first four characters (distributed by tail): a plain column the
-- store fills, as Citus refuses a generated distribution column.
ALTER TABLE phone_key ADD COLUMN tail TEXT COLLATE "C";
UPDATE phone_key SET tail = substr(rev, 1, 4);
ALTER TABLE phone_key ALTER COLUMN tail SET NOT NULL;
ALTER TABLE phone_key DROP CONSTRAINT phone_key_pkey, ADD PRIMARY KEY (tail, rev, owner_id);
DROP INDEX phone_key_owner;

-- Audit rows carry their record's distribution key (distributed by dkey, with customer),
-- which leads their primary key; seq keeps an index of its own for the lists.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
ALTER TABLE audit_log ADD COLUMN dkey TEXT;
UPDATE audit_log SET dkey = coalesce(resource_id, actor);
ALTER TABLE audit_log ALTER COLUMN dkey SET NOT NULL;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey, ADD PRIMARY KEY (dkey, seq);
CREATE INDEX audit_log_seq ON audit_log (seq);
