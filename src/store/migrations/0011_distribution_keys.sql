-- The keys a sharded PostgreSQL (Citus) distributes the tables by, carried by every
-- database: the store keeps them in one code path on both backends, and `telcrm copy`
-- carries them (docs/scale-out.md, section 2). On one machine they are also where the
-- operator-wide checks look: the customers of a party, the customer numbers taken, the
-- identification numbers held. Kept by the store in the transaction of each write
-- (store/party.c), as the search keys are.

-- The live customers of each party: the check that keeps a party with customers from
-- being deleted, on the party's shard.
CREATE TABLE party_customer (
	party_id TEXT NOT NULL,
	customer_id TEXT NOT NULL,
	PRIMARY KEY (party_id, customer_id)
) WITHOUT ROWID;
INSERT INTO party_customer SELECT party_id, id FROM customer WHERE deleted_ms = 0;

-- Every customer number ever given, deleted customers' too: numbers are never reused.
CREATE TABLE customer_no_key (
	customer_no TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO customer_no_key SELECT customer_no, id FROM customer;

-- The identification numbers (id_number) and social credit codes (uscc) of live parties,
-- unique across the operator (the partial unique indexes on party kept this before);
-- later also the five-lines rule's count of lines.
CREATE TABLE party_ident (
	number TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('id_number', 'uscc')),
	party_id TEXT NOT NULL,
	PRIMARY KEY (number, kind)
) WITHOUT ROWID;
INSERT INTO party_ident SELECT id_number, 'id_number', id FROM party
	WHERE id_number IS NOT NULL AND deleted_ms = 0;
INSERT INTO party_ident SELECT uscc, 'uscc', id FROM party
	WHERE uscc IS NOT NULL AND deleted_ms = 0;
DROP INDEX party_id_number;
DROP INDEX party_uscc;

-- A phone key's first four characters (the number's last four digits), by which a phone
-- search finds its shard. Keys are removed by their whole key now, not by owner.
ALTER TABLE phone_key ADD COLUMN tail TEXT NOT NULL DEFAULT '';
UPDATE phone_key SET tail = substr(rev, 1, 4);
DROP INDEX phone_key_owner;

-- Each audit row carries the distribution key of the record it is about: its own id, or
-- for a record a customer owns, the customer's; the actor's for logins and refusals.
DROP TRIGGER audit_log_no_update;
ALTER TABLE audit_log ADD COLUMN dkey TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET dkey = coalesce(resource_id, actor);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;
