-- The login rate limit holds across servers: each client address and each login typed
-- has a token bucket here (its key a hash, since a login typed may be a password typed
-- into the wrong box), taken from in a write transaction of its own at every login. A
-- bucket unused long enough to be full again is deleted.
CREATE TABLE login_bucket (
	key TEXT PRIMARY KEY,
	tokens REAL NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX login_bucket_updated ON login_bucket (updated_ms);
