-- Accounts, their sessions and sign-in throttling.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'learner'
                  CHECK (role IN ('learner', 'instructor', 'admin')),
    created_at    INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- tower-sessions records (see app/src/auth/session_store.rs). `user_id` is
-- copied out of the data so "sign out everywhere" is one DELETE.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    data        TEXT    NOT NULL,
    expiry_date INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX sessions_expiry ON sessions (expiry_date);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per email (known or not, so it reveals nothing).
CREATE TABLE login_failures (
    email        TEXT    PRIMARY KEY COLLATE NOCASE,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;
