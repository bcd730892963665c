-- PostgreSQL twin of migrations/0006_login_failure_time.sql (keep the two in step).
-- When the last failed sign-in happened, so old rows can be purged (hourly,
-- after a day without failures and once any lock has ended).
ALTER TABLE login_failures ADD COLUMN last_failed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX login_failures_last ON login_failures (last_failed_at);
