-- Quiz attempts. `submission` is the token of the quiz form a learner
-- submitted: a double submit of the same form records one attempt.
CREATE TABLE quiz_attempts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id   TEXT    NOT NULL,
    submission  TEXT    NOT NULL,
    answers     TEXT    NOT NULL,  -- JSON: what was answered, per question
    points      REAL    NOT NULL,
    max_points  REAL    NOT NULL,
    percent     INTEGER NOT NULL,
    passed      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (user_id, submission)
) STRICT;
CREATE INDEX quiz_attempts_user_lesson ON quiz_attempts (user_id, lesson_id);

-- Server-side secrets, created once with the database. `quiz` keys the
-- per-attempt choice tokens (see app/src/quiz/grade.rs).
CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
INSERT INTO app_secrets (name, value) VALUES ('quiz', randomblob(32));
