-- PostgreSQL's foreign keys become deferrable here, for its bulk loads (COPY a table at a
-- time). SQLite's bulk loads insert row by row in order, and its foreign keys stay as
-- they are: nothing to change.
SELECT 1;
