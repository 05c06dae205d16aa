//! What the sweeper asks the database: finished rows past retention, and whether an original
//! in storage still belongs to a video.
use std::collections::HashSet;

use super::Db;
use crate::domain::{ContestId, VideoId};
use crate::error::DbError;
use crate::time::now_ms;

impl Db {
    /// Deletes jobs and mail rows in a final state last changed before `now - retention_ms`.
    /// Returns (jobs, emails) deleted.
    pub async fn delete_finished_before(&self, retention_ms: i64) -> Result<(u64, u64), DbError> {
        let cutoff = now_ms() - retention_ms;
        let jobs = sqlx::query(
            "DELETE FROM jobs WHERE state IN ('done', 'failed', 'sent') AND updated_at < ?",
        )
        .bind(cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected();
        // Mail rows have no updated_at: a sent one is final at `sent_at`, a failed or skipped one
        // is judged by when it was written.
        let emails = sqlx::query(
            "DELETE FROM emails WHERE (state = 'sent' AND sent_at < ?) \
             OR (state IN ('failed', 'skipped') AND created_at < ?)",
        )
        .bind(cutoff)
        .bind(cutoff)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((jobs, emails))
    }

    /// The ids among `ids` that have a video row.
    pub async fn existing_video_ids(&self, ids: &[VideoId]) -> Result<HashSet<VideoId>, DbError> {
        let mut out = HashSet::new();
        for chunk in ids.chunks(200) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!("SELECT id FROM videos WHERE id IN ({marks})");
            let mut q = sqlx::query_scalar::<_, VideoId>(&sql);
            for id in chunk {
                q = q.bind(id);
            }
            out.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    /// Mails to `recipient` delivered since `since_ms` (the per-recipient daily cap).
    pub async fn mails_sent_to_since(
        &self,
        recipient: &str,
        since_ms: i64,
    ) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM emails WHERE recipient = ? AND state = 'sent' AND sent_at >= ?",
        )
        .bind(recipient)
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Entries a participant email already has in a contest (the per-contest limit).
    pub async fn entries_by_email(
        &self,
        contest_id: &ContestId,
        email: &str,
    ) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM videos WHERE contest_id = ? AND email = ?")
                .bind(contest_id)
                .bind(email)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
