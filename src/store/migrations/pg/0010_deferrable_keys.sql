-- Bulk loads send their rows a table at a time (COPY), in whichever order the tables were
-- first written: every foreign key becomes DEFERRABLE (still checked at each statement,
-- INITIALLY IMMEDIATE), so that a bulk load can check them at its commit instead. A
-- foreign key added by a later migration is declared DEFERRABLE INITIALLY IMMEDIATE.
DO $$
DECLARE
	k record;
BEGIN
	FOR k IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
		 WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
	LOOP
		EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE',
			       k.tbl, k.conname);
	END LOOP;
END
$$;
