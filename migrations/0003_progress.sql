-- Learner progress (keyed on the lesson's stable front-matter id, not its
-- path, so renaming or moving a file keeps progress) and cohorts.
CREATE TABLE lesson_progress (
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id        TEXT    NOT NULL,
    first_visited_at INTEGER,
    last_visited_at  INTEGER,
    completed_at     INTEGER,
    PRIMARY KEY (user_id, lesson_id)
) STRICT, WITHOUT ROWID;

-- One row per learner per day with any activity (the dashboard heatmap).
CREATE TABLE activity_days (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     TEXT    NOT NULL,  -- YYYY-MM-DD, UTC
    PRIMARY KEY (user_id, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE cohorts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    invite_code TEXT    NOT NULL UNIQUE,
    owner_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE cohort_members (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (cohort_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX cohort_members_user ON cohort_members (user_id);
