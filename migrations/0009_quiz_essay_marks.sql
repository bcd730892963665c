-- An instructor's mark on an essay answer of a stored quiz attempt.
-- `question` is the question's position in the attempt (its `n`); `mark`
-- is a percent. The attempt's automatic score is not changed: the mark is
-- shown beside it (see app/src/quiz/grade.rs, `totals`).
CREATE TABLE quiz_essay_marks (
    attempt_id  INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question    INTEGER NOT NULL,
    mark        INTEGER NOT NULL CHECK (mark BETWEEN 0 AND 100),
    comment     TEXT    NOT NULL DEFAULT '',
    grader_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    marked_at   INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (attempt_id, question)
) STRICT;
