-- Accounts v2: recovery, two-factor, a learner's own data, the audit log.
-- An account an admin disabled cannot sign in; a deleted one is kept as an
-- anonymous tombstone ("deleted learner") so cohort statistics still add up.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
-- TOTP (RFC 6238): the base32 secret once enrolment is confirmed (NULL: off),
-- a secret being enrolled, and the last time step accepted (a code is
-- accepted once: no replay).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- One-time recovery codes (SHA-256 of the code; the code is shown once).
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Password reset links: only the SHA-256 of the token is kept; valid 24 h,
-- used once. `requested_by` is the admin who made it (NULL: self-service).
CREATE TABLE password_resets (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Where and when each session was last used, for "your sessions".
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;

-- Who did what to which account, when, from where (admins read it at
-- /admin/audit). Names are copied, so the log outlives the accounts.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target_id INTEGER,
    target    TEXT    NOT NULL DEFAULT '',
    ip        TEXT    NOT NULL DEFAULT '',
    detail    TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
