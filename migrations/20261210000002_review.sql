-- Review before publishing: an entry of a contest with review on starts 'pending' (shown as
-- "awaiting review" once converted) and is public only when 'approved'; 'rejected' keeps the
-- organizer's optional message, which is also mailed to the participant. Existing entries are
-- approved. Portable (SQLite and MySQL 8 / MariaDB): VARCHAR/BIGINT, one change per statement.
ALTER TABLE videos ADD COLUMN review VARCHAR(16) NOT NULL DEFAULT 'approved';
ALTER TABLE videos ADD COLUMN review_message VARCHAR(1000) NULL;
ALTER TABLE videos ADD COLUMN reviewed_at BIGINT NULL;
-- The review queue and the public listing filter on it.
CREATE INDEX videos_contest_review ON videos (contest_id, review, state);
