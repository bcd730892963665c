-- Every save from the in-browser editor keeps the whole file, so any
-- version can be compared and restored.
CREATE TABLE lesson_revisions (
    id         INTEGER PRIMARY KEY,
    track      TEXT    NOT NULL,
    slug       TEXT    NOT NULL,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    hash       TEXT    NOT NULL,
    body       TEXT    NOT NULL
) STRICT;
CREATE INDEX lesson_revisions_file ON lesson_revisions (track, slug, id);
