-- Hands-on exercises (app/src/labs). Progress per learner and exercise, and
-- the recent runs a page shows. Exercises are keyed by the lesson's stable
-- id and the exercise's id within it, as quiz attempts are.
CREATE TABLE exercise_progress (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    TEXT    NOT NULL,
    exercise_id  TEXT    NOT NULL,
    tries        INTEGER NOT NULL DEFAULT 0,
    hints_shown  INTEGER NOT NULL DEFAULT 0,
    solved_at    INTEGER,
    PRIMARY KEY (user_id, lesson_id, exercise_id)
) STRICT;

CREATE TABLE exercise_runs (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    TEXT    NOT NULL,
    exercise_id  TEXT    NOT NULL,
    answer       TEXT    NOT NULL,
    passed       INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,  -- JSON: the RunView the page shows
    created_at   INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
CREATE INDEX exercise_runs_latest ON exercise_runs (user_id, lesson_id, exercise_id, id);
