-- PostgreSQL twin of migrations/0009_quiz_essay_marks.sql (keep the two in step).
-- An instructor's mark on an essay answer of a stored quiz attempt.
-- `question` is the question's position in the attempt (its `n`); `mark`
-- is a percent. The attempt's automatic score is not changed: the mark is
-- shown beside it (see app/src/quiz/grade.rs, `totals`).
CREATE TABLE quiz_essay_marks (
    attempt_id  BIGINT  NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question    BIGINT  NOT NULL,
    mark        BIGINT  NOT NULL CHECK (mark BETWEEN 0 AND 100),
    comment     TEXT    NOT NULL DEFAULT '',
    grader_id   BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    marked_at   BIGINT  NOT NULL DEFAULT (EXTRACT(EPOCH FROM now())::BIGINT),
    PRIMARY KEY (attempt_id, question)
);
