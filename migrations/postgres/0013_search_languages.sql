-- The SQLite migration 0013 rebuilds `lessons_fts` with a `langs` column. On
-- PostgreSQL the search index is a per-instance SQLite file (see
-- `db::search_index`), so there is nothing to change here; the file keeps
-- the two engines' migration versions equal.
SELECT 1;
