-- Several servers, one database: each running server notes here every few seconds that
-- it is alive (its sender's holder id), so that every server knows how many share the
-- database — and allows each caller its share of the request rate limit.
CREATE TABLE server_presence (
	holder TEXT PRIMARY KEY,
	seen_ms INTEGER NOT NULL
);
