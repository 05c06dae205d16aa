//! Recipients that must not be mailed again (permanent bounces, complaints, addresses the mail
//! service refused), and the organizer's view of mails that did not go out.
use super::Db;
use crate::domain::{ContestId, EmailState, VideoId};
use crate::error::DbError;
use crate::time::now_ms;

/// Why an address is suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionReason {
    /// A permanent (hard) bounce.
    Bounce,
    /// The recipient marked a mail as spam.
    Complaint,
}

impl SuppressionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::Bounce => "bounce",
            SuppressionReason::Complaint => "complaint",
        }
    }
}

/// A mail of a contest's entries that ended without being delivered.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UndeliveredEmail {
    pub video_id: Option<VideoId>,
    pub video_title: Option<String>,
    pub recipient: String,
    pub subject: String,
    /// `Failed` or `Skipped`.
    pub state: EmailState,
    pub last_error: Option<String>,
    pub created_at: i64,
}

fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Db {
    /// Records (or refreshes) a suppression; idempotent, so a redelivered event is harmless.
    pub async fn suppress_recipient(
        &self,
        email: &str,
        reason: SuppressionReason,
        detail: Option<&str>,
    ) -> Result<(), DbError> {
        let email = normalise(email);
        if email.is_empty() || email.len() > 320 {
            return Ok(());
        }
        let detail = detail.map(|d| super::jobs::truncate(d, 500));
        let now = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO suppressed_recipients (email, reason, detail, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(&email)
        .bind(reason.as_str())
        .bind(&detail)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(|e| DbError::from_unique(e, "suppressed_recipients.email"));
        match inserted {
            Ok(_) => Ok(()),
            Err(DbError::Duplicate(_)) => {
                sqlx::query(
                    "UPDATE suppressed_recipients SET reason = ?, detail = ?, created_at = ? WHERE email = ?",
                )
                .bind(reason.as_str())
                .bind(&detail)
                .bind(now)
                .bind(&email)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// The reason an address is suppressed, if it is.
    pub async fn suppression_of(&self, email: &str) -> Result<Option<String>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT reason FROM suppressed_recipients WHERE email = ?")
                .bind(normalise(email))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Mails about a contest's entries that were not delivered (`failed` or `skipped`), newest
    /// first, at most `limit`.
    pub async fn undelivered_emails(
        &self,
        contest_id: &ContestId,
        limit: i64,
    ) -> Result<Vec<UndeliveredEmail>, DbError> {
        Ok(sqlx::query_as::<_, UndeliveredEmail>(
            "SELECT e.video_id, v.title AS video_title, e.recipient, e.subject, e.state, e.last_error, e.created_at \
             FROM emails e JOIN videos v ON v.id = e.video_id \
             WHERE v.contest_id = ? AND e.state IN ('failed', 'skipped') \
             ORDER BY e.created_at DESC LIMIT ?",
        )
        .bind(contest_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
