-- Search indexes for GET /api/v1/search (store/search.c).
--
-- phone_key: every phone number in the contact media of a live party or customer, as its
-- digits reversed (13812345678 → 87654321831; a fixed line's extension left out), so that
-- the last digits of a number are a prefix and one index serves "the whole number" and
-- "its last 4 or 6 digits". Rewritten by the store with each write of its owner, through
-- the SQL function crm_phone_key the store registers on its connections.
CREATE TABLE phone_key (
	rev TEXT NOT NULL,
	owner_id TEXT NOT NULL,		-- a party or a customer id
	PRIMARY KEY (rev, owner_id)
) WITHOUT ROWID;
CREATE INDEX phone_key_owner ON phone_key (owner_id);

INSERT OR IGNORE INTO phone_key (rev, owner_id)
	SELECT k, id FROM (
		SELECT crm_phone_key(json_extract(m.value, '$.characteristic.phoneNumber')) AS k, p.id
		FROM party p, json_each(p.doc, '$.contactMedium') m WHERE p.deleted_ms = 0
		UNION ALL
		SELECT crm_phone_key(json_extract(m.value, '$.characteristic.phoneNumber')), c.id
		FROM customer c, json_each(c.doc, '$.contactMedium') m WHERE c.deleted_ms = 0)
	WHERE k IS NOT NULL;

-- customer_name_fts: customer names for substring search, Chinese included (the trigram
-- tokenizer). Each name is indexed between the markers U+0002 and U+0003, so names and
-- queries shorter than a trigram still match at a name's start or end. Contentless: the
-- rowid is the customer's. Kept by the store with each customer write (db__name_index_*),
-- not by triggers: a trigger would make every customer INSERT journal its pages for a
-- statement rollback, which costs more than the index itself.
CREATE VIRTUAL TABLE customer_name_fts USING fts5 (
	name, tokenize = 'trigram', content = '', columnsize = 0);

INSERT INTO customer_name_fts (rowid, name)
	SELECT rowid, char(2) || name || char(3) FROM customer WHERE deleted_ms = 0;
