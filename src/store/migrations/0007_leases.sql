-- Several servers on one database: a hub listener's events are sent by one server at a
-- time, the holder of its lease (an id per server process) until lease_until_ms. A
-- server that stops or dies lets its leases run out and another takes the listener up
-- at its cursor, so each event is delivered at least once and in order.
ALTER TABLE hub_listener ADD COLUMN lease_owner TEXT;
ALTER TABLE hub_listener ADD COLUMN lease_until_ms INTEGER NOT NULL DEFAULT 0;
