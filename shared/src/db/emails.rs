use sqlx::AnyConnection;

use super::jobs::{insert_job, truncate};
use super::Db;
use crate::domain::{EmailId, EmailState, VideoId};
use crate::error::DbError;
use crate::jobs::Job;
use crate::time::now_ms;

/// A rendered message waiting in the mail outbox.
#[derive(Debug, Clone)]
pub struct NewEmail {
    pub video_id: Option<VideoId>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Email {
    pub id: EmailId,
    pub video_id: Option<VideoId>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub state: EmailState,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// The longest bodies the outbox keeps (bytes; the columns' sizes): a longer body is cut, so a
/// mail whose length depends on its content fits itself under these first.
pub const BODY_TEXT_MAX: usize = 4000;
pub const BODY_HTML_MAX: usize = 8000;

/// Writes the email and its SendEmail job in the caller's transaction.
pub(crate) async fn insert_email(
    conn: &mut AnyConnection,
    e: &NewEmail,
) -> Result<EmailId, DbError> {
    let id = EmailId::new();
    sqlx::query(
        "INSERT INTO emails (id, video_id, recipient, subject, body_text, body_html, state, attempts, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
    )
    .bind(id)
    .bind(e.video_id)
    .bind(&e.recipient)
    .bind(truncate(&e.subject, 300))
    .bind(truncate(&e.body_text, BODY_TEXT_MAX))
    .bind(truncate(&e.body_html, BODY_HTML_MAX))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    insert_job(conn, &Job::SendEmail { email_id: id }).await?;
    Ok(id)
}

const COLS: &str =
    "id, video_id, recipient, subject, body_text, body_html, state, attempts, last_error";

impl Db {
    /// Queues a mail on its own (with its SendEmail job, in one transaction): the worker sends
    /// it under the same per-recipient cap as every other mail.
    pub async fn queue_email(&self, e: &NewEmail) -> Result<EmailId, DbError> {
        let mut tx = self.pool.begin().await?;
        let id = insert_email(&mut tx, e).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn email_by_id(&self, id: &EmailId) -> Result<Option<Email>, DbError> {
        Ok(
            sqlx::query_as::<_, Email>(&format!("SELECT {COLS} FROM emails WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn emails_for_video(&self, video_id: &VideoId) -> Result<Vec<Email>, DbError> {
        Ok(sqlx::query_as::<_, Email>(&format!(
            "SELECT {COLS} FROM emails WHERE video_id = ? ORDER BY created_at"
        ))
        .bind(video_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records one delivery attempt: `Sent`, `Failed` (permanent), `Skipped` or still
    /// `Pending` with the error.
    pub async fn record_email_attempt(
        &self,
        id: &EmailId,
        state: EmailState,
        error: Option<&str>,
    ) -> Result<(), DbError> {
        let sent_at = (state == EmailState::Sent).then(now_ms);
        sqlx::query("UPDATE emails SET state = ?, attempts = attempts + 1, last_error = ?, sent_at = ? WHERE id = ? AND state = 'pending'")
            .bind(state)
            .bind(error.map(|e| truncate(e, 1000)))
            .bind(sent_at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
