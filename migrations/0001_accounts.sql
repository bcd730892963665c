-- Accounts and their sessions. Progress, quizzes and revisions come in later migrations.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'learner'
                  CHECK (role IN ('learner', 'instructor', 'admin')),
    created_at    INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    data        BLOB    NOT NULL,
    expiry_date INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expiry ON sessions (expiry_date);
