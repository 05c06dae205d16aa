-- Which worker process holds a DB-queue lease (its lock file under <data_dir>/workers/):
-- a lock that can be taken belongs to a dead worker, whose leases are reclaimed at once
-- instead of after they expire. Portable: a nullable VARCHAR.
ALTER TABLE jobs ADD COLUMN worker_id VARCHAR(36) NULL;
-- The stale sweep looks for waiting/converting videos nobody touched for a while.
CREATE INDEX videos_state_updated ON videos (state, updated_at);
