-- Portable schema: runs unchanged on SQLite and MySQL 8 / MariaDB 10.11 through sqlx's Any driver.
-- Only VARCHAR / BIGINT / INT columns (no TEXT, BOOLEAN, DATETIME): times are UTC epoch milliseconds.
CREATE TABLE users (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    email VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE contests (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    owner_id VARCHAR(36) NOT NULL,
    slug VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    description VARCHAR(5000) NOT NULL,
    prize VARCHAR(500) NOT NULL,
    banner_key VARCHAR(255) NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX contests_slug ON contests (slug);
CREATE INDEX contests_owner ON contests (owner_id);

CREATE TABLE videos (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    contest_id VARCHAR(36) NOT NULL,
    title VARCHAR(200) NOT NULL,
    title_key VARCHAR(200) NOT NULL,
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    email VARCHAR(254) NOT NULL,
    description VARCHAR(2000) NOT NULL,
    state VARCHAR(16) NOT NULL,
    hidden INT NOT NULL DEFAULT 0,
    progress INT NOT NULL DEFAULT 0,
    error VARCHAR(1000) NULL,
    original_key VARCHAR(255) NOT NULL,
    mp4_key VARCHAR(255) NULL,
    poster_key VARCHAR(255) NULL,
    size_bytes BIGINT NOT NULL DEFAULT 0,
    container VARCHAR(64) NULL,
    duration_ms BIGINT NULL,
    width INT NULL,
    height INT NULL,
    video_codec VARCHAR(32) NULL,
    audio_codec VARCHAR(32) NULL,
    attempts INT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    converted_at BIGINT NULL,
    FOREIGN KEY (contest_id) REFERENCES contests (id) ON DELETE CASCADE
);
-- title_key is the trimmed, lower-cased title: one rule on both engines (MySQL collations ignore case, SQLite does not).
CREATE UNIQUE INDEX videos_contest_title ON videos (contest_id, title_key);
CREATE INDEX videos_contest_state ON videos (contest_id, state, created_at);

-- The outbox and, in local mode, the queue itself.
CREATE TABLE jobs (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    kind VARCHAR(32) NOT NULL,
    payload VARCHAR(1000) NOT NULL,
    state VARCHAR(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    run_after BIGINT NOT NULL,
    locked_until BIGINT NULL,
    claim_token VARCHAR(36) NULL,
    last_error VARCHAR(1000) NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Matches the claim's WHERE and ORDER BY so MySQL's SKIP LOCKED skips per row.
CREATE INDEX jobs_claim ON jobs (state, run_after);
CREATE INDEX jobs_claim_token ON jobs (claim_token);

CREATE TABLE emails (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    video_id VARCHAR(36) NULL,
    recipient VARCHAR(254) NOT NULL,
    subject VARCHAR(300) NOT NULL,
    body_text VARCHAR(4000) NOT NULL,
    body_html VARCHAR(8000) NOT NULL,
    state VARCHAR(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    last_error VARCHAR(1000) NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT NULL
);
