-- Results: the organizer's winners (places 1-3, NULL = honorable mention), when each winner
-- was mailed, and when the results were published (NULL: not public; /c/{slug}/results is 404).
-- One row per entry and contest (primary key) and one entry per place (unique index; several
-- NULL mentions are allowed on both engines); no winner outlives its entry or contest.
-- Portable (SQLite and MySQL 8 / MariaDB).
ALTER TABLE contests ADD COLUMN results_published_at BIGINT NULL;

CREATE TABLE winners (
    contest_id VARCHAR(36) NOT NULL,
    video_id VARCHAR(36) NOT NULL,
    place INT NULL CHECK (place BETWEEN 1 AND 3),
    notified_at BIGINT NULL,
    PRIMARY KEY (contest_id, video_id),
    FOREIGN KEY (contest_id) REFERENCES contests (id) ON DELETE CASCADE,
    FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX winners_place ON winners (contest_id, place);
CREATE INDEX winners_video ON winners (video_id);
