-- PostgreSQL twin of migrations/0002_search.sql (keep the two in step).
-- The SQLite migration creates `lessons_fts`, an FTS5 virtual table. It has
-- no PostgreSQL counterpart here: lesson search stays an SQLite FTS5 index
-- that each app instance keeps for itself (rebuilt from the content store),
-- so this migration creates nothing. It exists so the version numbers of
-- both migration sets stay the same.
SELECT 1;
