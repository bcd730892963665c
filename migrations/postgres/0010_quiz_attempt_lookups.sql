-- PostgreSQL twin of migrations/0010_quiz_attempt_lookups.sql (keep the two in step).
-- Two per-request questions about a learner's attempts on one lesson,
-- answered from the index alone instead of reading every stored attempt row
-- (JSON included) of that learner and lesson: "has any attempt passed?"
-- (the reveal policy, after every submission) and "how many attempts are
-- stored?" (the next attempt's token, the attempt cap).
CREATE INDEX quiz_attempts_lookup ON quiz_attempts (user_id, lesson_id, passed, submission);
