//! The contest's results: the organizer's winners and their publication. Saving replaces the
//! whole list in one transaction; publishing also writes each not yet mailed winner's email.
use super::emails::{insert_email, NewEmail};
use super::Db;
use crate::domain::{ContestId, VideoId};
use crate::error::DbError;
use crate::time::now_ms;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Winner {
    pub video_id: VideoId,
    /// 1, 2 or 3; `None`: an honorable mention.
    pub place: Option<i64>,
    pub notified_at: Option<i64>,
}

impl Db {
    /// The winners, podium first (1, 2, 3), then mentions.
    pub async fn winners(&self, contest_id: &ContestId) -> Result<Vec<Winner>, DbError> {
        Ok(sqlx::query_as::<_, Winner>(
            "SELECT video_id, place, notified_at FROM winners WHERE contest_id = ? \
             ORDER BY CASE WHEN place IS NULL THEN 9 ELSE place END, video_id",
        )
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces the winners; with `publish`, the results become public (now, unless they
    /// already were) and the given mails (to winners not mailed before, by video id) are
    /// written in the same transaction.
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id, n = winners.len()))]
    pub async fn save_winners(
        &self,
        contest_id: &ContestId,
        winners: &[(VideoId, Option<i64>)],
        publish: Option<&[(VideoId, NewEmail)]>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let before: Vec<(VideoId, Option<i64>)> =
            sqlx::query_as("SELECT video_id, notified_at FROM winners WHERE contest_id = ?")
                .bind(contest_id)
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM winners WHERE contest_id = ?")
            .bind(contest_id)
            .execute(&mut *tx)
            .await?;
        let mails = publish.unwrap_or(&[]);
        for (video_id, place) in winners {
            let earlier = before
                .iter()
                .find(|(v, _)| v == video_id)
                .and_then(|(_, n)| *n);
            let mailed_now = mails.iter().any(|(v, _)| v == video_id);
            sqlx::query(
                "INSERT INTO winners (contest_id, video_id, place, notified_at) VALUES (?, ?, ?, ?)",
            )
            .bind(contest_id)
            .bind(video_id)
            .bind(*place)
            .bind(if mailed_now { Some(now) } else { earlier })
            .execute(&mut *tx)
            .await
            .map_err(|e| DbError::from_unique(e, "place"))?;
        }
        if publish.is_some() {
            sqlx::query(
                "UPDATE contests SET results_published_at = ? WHERE id = ? AND results_published_at IS NULL",
            )
            .bind(now)
            .bind(contest_id)
            .execute(&mut *tx)
            .await?;
            for (_, mail) in mails {
                insert_email(&mut tx, mail).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes the results off the public pages (the winners stay as a draft).
    pub async fn unpublish_results(&self, contest_id: &ContestId) -> Result<(), DbError> {
        sqlx::query("UPDATE contests SET results_published_at = NULL WHERE id = ?")
            .bind(contest_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
