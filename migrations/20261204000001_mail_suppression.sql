-- Addresses that must not be mailed again: a permanent bounce or a complaint reported by SES
-- (SES events → SNS → SQS, consumed by the worker), or an address refused by the mail service.
-- Portable (SQLite and MySQL 8 / MariaDB): VARCHAR/BIGINT only, times in epoch milliseconds.
-- The address is stored lower-cased; one row per address (the latest reason wins).
CREATE TABLE suppressed_recipients (
    email VARCHAR(320) NOT NULL PRIMARY KEY,
    reason VARCHAR(40) NOT NULL,
    detail VARCHAR(500) NULL,
    created_at BIGINT NOT NULL
);
