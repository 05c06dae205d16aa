-- Media facts the worker trusts instead of probing again, the HLS rungs made for a video, and the
-- organizer-only detail of a failure (videos.error now holds a public code such as media.damaged).
-- Portable (SQLite and MySQL 8 / MariaDB): nullable VARCHAR columns, one per statement.
ALTER TABLE videos ADD COLUMN probe_json VARCHAR(2000) NULL;
-- Comma-separated rung names, highest first ("720,480,360"); NULL = no HLS yet (see `worker backfill-hls`).
ALTER TABLE videos ADD COLUMN hls_rungs VARCHAR(64) NULL;
ALTER TABLE videos ADD COLUMN error_detail VARCHAR(1000) NULL;
