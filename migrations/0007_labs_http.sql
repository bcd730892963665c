-- The practice HTTP API of the labs (app/src/labs/http). Every learner gets
-- one token per HTTP exercise; everything else hangs off the token and goes
-- with it (ON DELETE CASCADE): when the learner resets the lab, when the
-- token has gone unused for 24 hours (hourly purge), or with the account.
CREATE TABLE lab_tokens (
    token        TEXT    PRIMARY KEY,
    -- NULL for the scratch labs that check reference solutions
    -- (`academy check-content`, the editor preview).
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    TEXT    NOT NULL,
    exercise_id  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL DEFAULT (unixepoch()),
    last_used_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- Item ids count from 1 per lab and are never reused (until a reset).
    next_item_id INTEGER NOT NULL DEFAULT 1,
    -- The rate limit: requests counted in the minute that began at
    -- window_start (fixed windows, so a reset cannot refill the bucket).
    window_start INTEGER NOT NULL DEFAULT 0,
    window_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, lesson_id, exercise_id)
) STRICT;
CREATE INDEX lab_tokens_last_used ON lab_tokens (last_used_at);

CREATE TABLE lab_items (
    token    TEXT    NOT NULL REFERENCES lab_tokens (token) ON DELETE CASCADE,
    id       INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    quantity INTEGER NOT NULL,
    -- Opaque, drawn afresh whenever the item's content changes.
    etag     TEXT    NOT NULL,
    PRIMARY KEY (token, id)
) STRICT, WITHOUT ROWID;

-- The first successful answer to a POST with an Idempotency-Key, replayed
-- for a repeat with the same body. `fingerprint` is the SHA-256 of the body.
CREATE TABLE lab_idempotency (
    id          INTEGER PRIMARY KEY,
    token       TEXT    NOT NULL REFERENCES lab_tokens (token) ON DELETE CASCADE,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT    NOT NULL,  -- JSON: [[name, value], ...]
    body        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (token, key)
) STRICT;
CREATE INDEX lab_idempotency_created ON lab_idempotency (created_at);

-- Every request a lab answered (refused ones too), newest 200 per token:
-- what HTTP exercises are graded on.
CREATE TABLE lab_requests (
    id               INTEGER PRIMARY KEY,
    token            TEXT    NOT NULL REFERENCES lab_tokens (token) ON DELETE CASCADE,
    at               INTEGER NOT NULL DEFAULT (unixepoch()),
    method           TEXT    NOT NULL,
    path             TEXT    NOT NULL,
    query            TEXT,
    request_headers  TEXT    NOT NULL,  -- JSON: [[name, value or null], ...]
    status           INTEGER NOT NULL,
    response_headers TEXT    NOT NULL   -- JSON: [name, ...]
) STRICT;
CREATE INDEX lab_requests_token ON lab_requests (token, id);
