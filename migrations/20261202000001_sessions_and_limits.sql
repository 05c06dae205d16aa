-- Server-side sessions (the cookie holds only the random key) and the per-contest entry limit.
-- Portable (SQLite and MySQL 8 / MariaDB): VARCHAR/BIGINT only, times in epoch milliseconds.
CREATE TABLE sessions (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    state VARCHAR(4000) NOT NULL,
    user_id VARCHAR(36) NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_created ON sessions (created_at);

-- How many entries one participant email may send to the contest (organizer setting).
ALTER TABLE contests ADD COLUMN entries_per_email INT NOT NULL DEFAULT 3;

-- The mail cap counts what went to one recipient lately.
CREATE INDEX emails_recipient ON emails (recipient, sent_at);
-- The sweeper looks for finished rows by age.
CREATE INDEX jobs_state_updated ON jobs (state, updated_at);
CREATE INDEX videos_contest_email ON videos (contest_id, email);

-- Rate-limit events shared by every web instance: failed logins per account
-- (`login:<email>`) and accepted uploads per client address (`upload:<ip>`).
CREATE TABLE rate_events (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    bucket VARCHAR(300) NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket ON rate_events (bucket, created_at);
CREATE INDEX rate_events_created ON rate_events (created_at);
