-- Jury: the contest's rubric (up to 6 criteria, each with a weight), the mix of jury and public
-- vote in the final ranking (jury_weight %, the rest is the public vote), when the organizer
-- closed judging, the judges (invited by email with a one-time token stored as its SHA-256 and
-- an expiry; linked to a user account once they set their password), their scores (1-5 per
-- criterion per entry) and their comment per entry.
-- The primary keys make a second score for the same judge, entry and criterion (or a second
-- comment) impossible, and the foreign keys (ON DELETE CASCADE) leave no orphan score when an
-- entry, a criterion, a judge or the contest goes.
-- Portable (SQLite and MySQL 8 / MariaDB): VARCHAR/INT/BIGINT, times in epoch milliseconds.
ALTER TABLE contests ADD COLUMN jury_weight INT NOT NULL DEFAULT 70;
ALTER TABLE contests ADD COLUMN judging_closed_at BIGINT NULL;

CREATE TABLE jury_criteria (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    contest_id VARCHAR(36) NOT NULL,
    position INT NOT NULL,
    name VARCHAR(100) NOT NULL,
    description VARCHAR(500) NOT NULL,
    weight INT NOT NULL,
    FOREIGN KEY (contest_id) REFERENCES contests (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX jury_criteria_position ON jury_criteria (contest_id, position);

CREATE TABLE judges (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    contest_id VARCHAR(36) NOT NULL,
    email VARCHAR(254) NOT NULL,
    user_id VARCHAR(36) NULL,
    token_hash VARCHAR(64) NULL,
    token_expires_at BIGINT NULL,
    lang VARCHAR(8) NOT NULL,
    invited_at BIGINT NOT NULL,
    accepted_at BIGINT NULL,
    FOREIGN KEY (contest_id) REFERENCES contests (id) ON DELETE CASCADE,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX judges_contest_email ON judges (contest_id, email);
CREATE UNIQUE INDEX judges_token ON judges (token_hash);
CREATE INDEX judges_user ON judges (user_id);

CREATE TABLE scores (
    judge_id VARCHAR(36) NOT NULL,
    video_id VARCHAR(36) NOT NULL,
    criterion_id VARCHAR(36) NOT NULL,
    score INT NOT NULL CHECK (score BETWEEN 1 AND 5),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (judge_id, video_id, criterion_id),
    FOREIGN KEY (judge_id) REFERENCES judges (id) ON DELETE CASCADE,
    FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE,
    FOREIGN KEY (criterion_id) REFERENCES jury_criteria (id) ON DELETE CASCADE
);
CREATE INDEX scores_video ON scores (video_id);
CREATE INDEX scores_criterion ON scores (criterion_id);

CREATE TABLE jury_comments (
    judge_id VARCHAR(36) NOT NULL,
    video_id VARCHAR(36) NOT NULL,
    comment VARCHAR(1000) NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (judge_id, video_id),
    FOREIGN KEY (judge_id) REFERENCES judges (id) ON DELETE CASCADE,
    FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE
);
CREATE INDEX jury_comments_video ON jury_comments (video_id);
