-- Contest settings: the time zone dates are entered and shown in (an IANA name; times stay UTC
-- epoch milliseconds), review before publishing (0/1), the terms text participants accept, and
-- when an entry's participant accepted them.
-- Portable (SQLite and MySQL 8 / MariaDB): VARCHAR/INT/BIGINT with defaults, one per statement.
ALTER TABLE contests ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC';
ALTER TABLE contests ADD COLUMN review_required INT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN terms VARCHAR(4000) NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN terms_accepted_at BIGINT NULL;
