-- The resource layer (domain/resource.h): every resource table has the head columns
-- (id, version, created_ms, updated_ms) and a doc column for what is not a column of its
-- own (@baseType, @schemaLocation and the resource's document members).
ALTER TABLE org_unit ADD COLUMN doc TEXT NOT NULL DEFAULT '{}';
