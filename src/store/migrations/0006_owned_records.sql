-- Records owned by a user, reached by the own-records depth ("customer.read:own"): a
-- customer has an owner, the staff member who looks after it (its creator unless one is
-- named). Customers made before have none, and are reached by unit alone.
ALTER TABLE customer ADD COLUMN owner_id TEXT;
CREATE INDEX customer_owner ON customer (owner_id, created_ms);

-- The outbox keeps the owner too, so that a delivery to a listener whose owner reaches
-- own records carries only those.
ALTER TABLE event_outbox ADD COLUMN owner_id TEXT;

-- Key account managers look after the enterprise customers assigned to them: they see
-- and change those alone, with their personal data in full.
INSERT INTO role (id, name, description, permissions, builtin, created_ms, updated_ms) VALUES
('key_account', 'Key account manager', 'Looks after the enterprise customers assigned to them: sees and changes those alone, with their personal data in full.',
 'customer.read:own customer.write:own pii.read order.create ticket.handle analytics.read', 1,
 CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
