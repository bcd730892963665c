-- Files the in-browser editor wrote (lessons, track.toml, images), so that
-- every instance of a several-instance install (PostgreSQL) writes them
-- into its own content folder (see app/src/editor/publish.rs). Kept on
-- SQLite too, so both schemas stay the same; one instance reads it there
-- only to know how far it has applied.
CREATE TABLE published_files (
    id         INTEGER PRIMARY KEY,
    path       TEXT    NOT NULL,  -- relative to the content folder
    body       BLOB    NOT NULL,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
