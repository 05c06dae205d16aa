//! Rate-limit events in the database, so every web instance counts the same attempts.
use super::Db;
use crate::domain::new_id;
use crate::error::DbError;
use crate::time::now_ms;

impl Db {
    /// Records one event in `bucket` (e.g. `login:ana@example.org`, `upload:203.0.113.7`).
    pub async fn rate_record(&self, bucket: &str) -> Result<(), DbError> {
        sqlx::query("INSERT INTO rate_events (id, bucket, created_at) VALUES (?, ?, ?)")
            .bind(new_id().to_string())
            .bind(bucket)
            .bind(now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Events in `bucket` within the last `window_ms`, and the oldest one's time.
    pub async fn rate_count(
        &self,
        bucket: &str,
        window_ms: i64,
    ) -> Result<(i64, Option<i64>), DbError> {
        let (n, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at) FROM rate_events WHERE bucket = ? AND created_at > ?",
        )
        .bind(bucket)
        .bind(now_ms() - window_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok((n, oldest))
    }

    /// Forgets a bucket (a successful login clears its failures).
    pub async fn rate_clear(&self, bucket: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM rate_events WHERE bucket = ?")
            .bind(bucket)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes events older than `max_age_ms` (the sweeper).
    pub async fn rate_prune(&self, max_age_ms: i64) -> Result<u64, DbError> {
        Ok(sqlx::query("DELETE FROM rate_events WHERE created_at < ?")
            .bind(now_ms() - max_age_ms)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
