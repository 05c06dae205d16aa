//! The organizer's review of entries: approve (one or many), reject with a mailed message, and
//! the dashboard's queue. Every change is conditional on the current review state, so a double
//! click or two organizer tabs change a row (and mail the participant) once.
use super::emails::{insert_email, NewEmail};
use super::jobs::truncate;
use super::Db;
use crate::domain::{ContestId, UserId, VideoId};
use crate::error::DbError;
use crate::time::now_ms;

/// A converted entry waiting for its organizer, with its contest (the dashboard's queue).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewItem {
    pub id: VideoId,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub converted_at: Option<i64>,
    pub contest_slug: String,
    pub contest_name: String,
    pub time_zone: String,
}

impl Db {
    /// Approves the entries (pending or rejected ones) of one contest, in one transaction;
    /// how many changed.
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id, n = ids.len()))]
    pub async fn approve_entries(
        &self,
        contest_id: &ContestId,
        ids: &[VideoId],
    ) -> Result<u64, DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let mut changed = 0;
        for id in ids {
            changed += sqlx::query(
                "UPDATE videos SET review = 'approved', review_message = NULL, reviewed_at = ?, updated_at = ? \
                 WHERE id = ? AND contest_id = ? AND review IN ('pending', 'rejected')",
            )
            .bind(now)
            .bind(now)
            .bind(id)
            .bind(contest_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Every pending entry of the contest becomes approved (review was switched off).
    pub async fn approve_all_pending(&self, contest_id: &ContestId) -> Result<u64, DbError> {
        let now = now_ms();
        Ok(sqlx::query(
            "UPDATE videos SET review = 'approved', reviewed_at = ?, updated_at = ? WHERE contest_id = ? AND review = 'pending'",
        )
        .bind(now)
        .bind(now)
        .bind(contest_id)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Rejects a pending or approved entry with the organizer's message and queues the
    /// participant's email in the same transaction; `false` if it was already rejected.
    #[tracing::instrument(skip_all, fields(video_id = %id))]
    pub async fn reject_entry(
        &self,
        contest_id: &ContestId,
        id: &VideoId,
        message: Option<&str>,
        email: &NewEmail,
    ) -> Result<bool, DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let won = sqlx::query(
            "UPDATE videos SET review = 'rejected', review_message = ?, reviewed_at = ?, updated_at = ? \
             WHERE id = ? AND contest_id = ? AND review IN ('pending', 'approved')",
        )
        .bind(message.map(|m| truncate(m, 1000)))
        .bind(now)
        .bind(now)
        .bind(id)
        .bind(contest_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if won {
            insert_email(&mut tx, email).await?;
        }
        tx.commit().await?;
        Ok(won)
    }

    /// Converted entries awaiting review per contest of this organizer.
    pub async fn awaiting_review_counts(
        &self,
        owner_id: &UserId,
    ) -> Result<Vec<(ContestId, i64)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT v.contest_id, COUNT(*) FROM videos v JOIN contests c ON c.id = v.contest_id \
             WHERE c.owner_id = ? AND v.state = 'converted' AND v.review = 'pending' GROUP BY v.contest_id",
        )
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The organizer's review queue: converted entries awaiting review, the longest waiting
    /// first.
    pub async fn review_queue(
        &self,
        owner_id: &UserId,
        limit: i64,
    ) -> Result<Vec<ReviewItem>, DbError> {
        Ok(sqlx::query_as::<_, ReviewItem>(
            "SELECT v.id, v.title, v.first_name, v.last_name, v.email, v.converted_at, \
             c.slug AS contest_slug, c.name AS contest_name, c.time_zone \
             FROM videos v JOIN contests c ON c.id = v.contest_id \
             WHERE c.owner_id = ? AND v.state = 'converted' AND v.review = 'pending' \
             ORDER BY v.converted_at, v.id LIMIT ?",
        )
        .bind(owner_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
