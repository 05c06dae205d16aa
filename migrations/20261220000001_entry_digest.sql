-- The organizer's digest of new entries (issue 14). Portable (SQLite and MySQL 8 / MariaDB):
-- VARCHAR/INT/BIGINT, times in epoch milliseconds, one statement per line.
-- entry_digest: 0/1, off for every contest that exists before this release (new contests get
-- it from the form, checked by default). digest_lang: the organizer's page language when they
-- last saved the contest form (the mail's language). digest_watermark: entries created up to
-- this time were already in a digest (NULL: never enabled); enabling sets it to "now", so the
-- backlog is not mailed, and a pass advances it with a compare-and-set UPDATE, so two web
-- instances never queue the same batch. digest_sent_at: when the last digest was queued (at
-- most one per `digest.interval_secs` per contest, however many instances run passes).
ALTER TABLE contests ADD COLUMN entry_digest INT NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN digest_lang VARCHAR(8) NOT NULL DEFAULT 'en';
ALTER TABLE contests ADD COLUMN digest_watermark BIGINT NULL;
ALTER TABLE contests ADD COLUMN digest_sent_at BIGINT NULL;
-- A pass asks for a contest's entries created within (watermark, until].
CREATE INDEX videos_contest_created ON videos (contest_id, created_at);
