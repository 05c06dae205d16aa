//! What the organizer's entry digest asks the database (`crate::digest`): which contests have
//! entries past their watermark, those entries, and the compare-and-set that advances the
//! watermark and queues the mail in one transaction.
use super::emails::{insert_email, NewEmail};
use super::Db;
use crate::domain::{ContestId, EmailId, VideoState};
use crate::error::DbError;

/// A contest whose organizer is due a digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestDue {
    pub contest_id: ContestId,
    pub slug: String,
    pub name: String,
    /// Entries created after this were not in a digest yet.
    pub watermark: i64,
    pub lang: String,
    pub organizer_email: String,
}

/// One new entry as the digest lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestEntry {
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub state: VideoState,
}

/// Contests handled per pass; the next pass takes the rest.
const DUE_PER_PASS: i64 = 1000;

impl Db {
    /// Contests with the digest on, entries created within `(watermark, until]`, and no digest
    /// queued after `sent_before` (at most one per interval, whichever instance runs the pass).
    #[tracing::instrument(skip_all)]
    pub async fn digests_due(
        &self,
        until: i64,
        sent_before: i64,
    ) -> Result<Vec<DigestDue>, DbError> {
        Ok(sqlx::query_as::<_, DigestDue>(
            "SELECT c.id AS contest_id, c.slug, c.name, c.digest_watermark AS watermark, \
             c.digest_lang AS lang, u.email AS organizer_email \
             FROM contests c JOIN users u ON u.id = c.owner_id \
             WHERE c.entry_digest = 1 AND c.digest_watermark IS NOT NULL AND c.digest_watermark < ? \
             AND (c.digest_sent_at IS NULL OR c.digest_sent_at <= ?) \
             AND EXISTS (SELECT 1 FROM videos v WHERE v.contest_id = c.id \
                 AND v.created_at > c.digest_watermark AND v.created_at <= ?) \
             ORDER BY c.digest_watermark, c.id LIMIT ?",
        )
        .bind(until)
        .bind(sent_before)
        .bind(until)
        .bind(DUE_PER_PASS)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many entries of the contest were created within `(after, until]` (those still
    /// there: a deleted entry is not counted), and the first `limit` of them, oldest first.
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
    pub async fn digest_entries(
        &self,
        contest_id: &ContestId,
        after: i64,
        until: i64,
        limit: i64,
    ) -> Result<(i64, Vec<DigestEntry>), DbError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM videos WHERE contest_id = ? AND created_at > ? AND created_at <= ?",
        )
        .bind(contest_id)
        .bind(after)
        .bind(until)
        .fetch_one(&self.pool)
        .await?;
        let entries = sqlx::query_as::<_, DigestEntry>(
            "SELECT title, first_name, last_name, state FROM videos \
             WHERE contest_id = ? AND created_at > ? AND created_at <= ? \
             ORDER BY created_at, id LIMIT ?",
        )
        .bind(contest_id)
        .bind(after)
        .bind(until)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok((count, entries))
    }

    /// Moves the contest's watermark from `from` to `to` and queues `mail`, in one transaction,
    /// only if the watermark is still `from` and the digest still on: of two passes that read
    /// the same watermark, one queues the batch and the other gets `None` (the UPDATE is the
    /// compare-and-set; SQLite serialises the writers, MySQL re-reads the row under its lock).
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
    pub async fn queue_digest(
        &self,
        contest_id: &ContestId,
        from: i64,
        to: i64,
        sent_at: i64,
        mail: &NewEmail,
    ) -> Result<Option<EmailId>, DbError> {
        let mut tx = self.pool.begin().await?;
        let won = sqlx::query(
            "UPDATE contests SET digest_watermark = ?, digest_sent_at = ? \
             WHERE id = ? AND entry_digest = 1 AND digest_watermark = ?",
        )
        .bind(to)
        .bind(sent_at)
        .bind(contest_id)
        .bind(from)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !won {
            tx.rollback().await?;
            return Ok(None);
        }
        let id = insert_email(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(Some(id))
    }
}
