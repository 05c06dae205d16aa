-- Public voting (issue 12). Portable (SQLite and MySQL 8 / MariaDB): VARCHAR/BIGINT, epoch ms.
-- A contest's voting window (both NULL = no public vote), votes per voter, and whether counts
-- show while voting runs (0 = only once it has ended).
ALTER TABLE contests ADD COLUMN voting_starts_at BIGINT NULL;
ALTER TABLE contests ADD COLUMN voting_ends_at BIGINT NULL;
ALTER TABLE contests ADD COLUMN votes_per_voter BIGINT NOT NULL DEFAULT 3;
ALTER TABLE contests ADD COLUMN tallies_live BIGINT NOT NULL DEFAULT 0;

-- One voter per contest and address (stored lower-cased); confirmed_at is set by the link.
CREATE TABLE voters (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    contest_id VARCHAR(36) NOT NULL,
    email VARCHAR(254) NOT NULL,
    confirmed_at BIGINT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (contest_id) REFERENCES contests (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX voters_contest_email ON voters (contest_id, email);

-- Confirmation links: only the SHA-256 of the token is stored; one use, then used_at is set.
CREATE TABLE voter_tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    voter_id VARCHAR(36) NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (voter_id) REFERENCES voters (id) ON DELETE CASCADE
);
CREATE INDEX voter_tokens_voter ON voter_tokens (voter_id);

-- A vote: once per voter and entry (primary key), and at most votes_per_voter per voter: each
-- vote takes a numbered slot (1..votes_per_voter) and (voter_id, slot) is unique, so two votes
-- sent at once cannot both take the last one.
CREATE TABLE votes (
    voter_id VARCHAR(36) NOT NULL,
    video_id VARCHAR(36) NOT NULL,
    contest_id VARCHAR(36) NOT NULL,
    slot INT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (voter_id, video_id),
    FOREIGN KEY (voter_id) REFERENCES voters (id) ON DELETE CASCADE,
    FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE,
    FOREIGN KEY (contest_id) REFERENCES contests (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX votes_voter_slot ON votes (voter_id, slot);
CREATE INDEX votes_video ON votes (video_id);
CREATE INDEX votes_contest ON votes (contest_id);
