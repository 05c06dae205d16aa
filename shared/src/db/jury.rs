//! The jury: rubric, judges (invites with one-time tokens), scores and comments. The unique
//! keys of the schema make a double score impossible; saving a judge's scores for an entry
//! replaces them in one transaction.
use super::emails::{insert_email, NewEmail};
use super::jobs::truncate;
use super::{Contest, Db};
use crate::domain::{new_id, ContestId, UserId, VideoId};
use crate::error::DbError;
use crate::jury::ScoreRow;
use crate::time::now_ms;

/// The most criteria a rubric has.
pub const MAX_CRITERIA: usize = 6;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Criterion {
    pub id: String,
    pub contest_id: ContestId,
    pub position: i64,
    pub name: String,
    pub description: String,
    pub weight: i64,
}

/// A criterion as the organizer enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCriterion {
    pub name: String,
    pub description: String,
    pub weight: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Judge {
    pub id: String,
    pub contest_id: ContestId,
    pub email: String,
    pub user_id: Option<UserId>,
    pub token_expires_at: Option<i64>,
    /// The organizer's page language when inviting: the invite mail's language.
    pub lang: String,
    pub invited_at: i64,
    pub accepted_at: Option<i64>,
}

/// What happened to an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invited {
    /// A new judge row, or a fresh link for someone who had not accepted yet.
    Sent(Judge),
    /// That address already judges this contest.
    AlreadyJudge,
}

const JUDGE_COLS: &str =
    "id, contest_id, email, user_id, token_expires_at, lang, invited_at, accepted_at";

impl Db {
    pub async fn criteria(&self, contest_id: &ContestId) -> Result<Vec<Criterion>, DbError> {
        Ok(sqlx::query_as::<_, Criterion>(
            "SELECT id, contest_id, position, name, description, weight FROM jury_criteria \
             WHERE contest_id = ? ORDER BY position",
        )
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces the rubric (criteria keep their id, and their scores, by position; criteria
    /// beyond the new list go with their scores) and the jury's share of the ranking.
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id, n = criteria.len()))]
    pub async fn set_rubric(
        &self,
        contest_id: &ContestId,
        criteria: &[NewCriterion],
        jury_weight: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        for (i, c) in criteria.iter().enumerate() {
            let pos = i as i64;
            let updated = sqlx::query(
                "UPDATE jury_criteria SET name = ?, description = ?, weight = ? WHERE contest_id = ? AND position = ?",
            )
            .bind(&c.name)
            .bind(&c.description)
            .bind(c.weight)
            .bind(contest_id)
            .bind(pos)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                sqlx::query(
                    "INSERT INTO jury_criteria (id, contest_id, position, name, description, weight) VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(new_id().to_string())
                .bind(contest_id)
                .bind(pos)
                .bind(&c.name)
                .bind(&c.description)
                .bind(c.weight)
                .execute(&mut *tx)
                .await?;
            }
        }
        // Scores of removed criteria first (explicitly: the cascade needs SQLite's foreign
        // keys on, and this keeps both engines alike).
        sqlx::query(
            "DELETE FROM scores WHERE criterion_id IN \
             (SELECT id FROM jury_criteria WHERE contest_id = ? AND position >= ?)",
        )
        .bind(contest_id)
        .bind(criteria.len() as i64)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM jury_criteria WHERE contest_id = ? AND position >= ?")
            .bind(contest_id)
            .bind(criteria.len() as i64)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE contests SET jury_weight = ? WHERE id = ?")
            .bind(jury_weight)
            .bind(contest_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn judges(&self, contest_id: &ContestId) -> Result<Vec<Judge>, DbError> {
        Ok(sqlx::query_as::<_, Judge>(&format!(
            "SELECT {JUDGE_COLS} FROM judges WHERE contest_id = ? ORDER BY invited_at, id"
        ))
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Invites `email` to judge the contest: a new judge row, or a fresh token for one who has
    /// not accepted yet (the old link stops working); the invite mail is written in the same
    /// transaction.
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
    pub async fn invite_judge(
        &self,
        contest_id: &ContestId,
        email: &str,
        token_hash: &str,
        expires_at: i64,
        lang: &str,
        mail: &NewEmail,
    ) -> Result<Invited, DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let existing = sqlx::query_as::<_, Judge>(&format!(
            "SELECT {JUDGE_COLS} FROM judges WHERE contest_id = ? AND email = ?"
        ))
        .bind(contest_id)
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match existing {
            Some(j) if j.accepted_at.is_some() => return Ok(Invited::AlreadyJudge),
            Some(j) => {
                sqlx::query(
                    "UPDATE judges SET token_hash = ?, token_expires_at = ?, lang = ?, invited_at = ? WHERE id = ? AND accepted_at IS NULL",
                )
                .bind(token_hash)
                .bind(expires_at)
                .bind(lang)
                .bind(now)
                .bind(&j.id)
                .execute(&mut *tx)
                .await?;
                j.id
            }
            None => {
                let id = new_id().to_string();
                sqlx::query(
                    "INSERT INTO judges (id, contest_id, email, token_hash, token_expires_at, lang, invited_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&id)
                .bind(contest_id)
                .bind(email)
                .bind(token_hash)
                .bind(expires_at)
                .bind(lang)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| DbError::from_unique(e, "email"))?;
                id
            }
        };
        insert_email(&mut tx, mail).await?;
        let judge =
            sqlx::query_as::<_, Judge>(&format!("SELECT {JUDGE_COLS} FROM judges WHERE id = ?"))
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(Invited::Sent(judge))
    }

    /// The judge an invite token belongs to, if it is unused and has not expired.
    pub async fn judge_by_token(&self, token_hash: &str) -> Result<Option<Judge>, DbError> {
        Ok(sqlx::query_as::<_, Judge>(&format!(
            "SELECT {JUDGE_COLS} FROM judges WHERE token_hash = ? AND accepted_at IS NULL AND token_expires_at > ?"
        ))
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Uses the token: the judge row belongs to `user_id` from now on. `false` when the token
    /// was used (or expired) meanwhile: a link works once.
    pub async fn accept_invite(
        &self,
        judge_id: &str,
        token_hash: &str,
        user_id: &UserId,
    ) -> Result<bool, DbError> {
        let now = now_ms();
        let n = sqlx::query(
            "UPDATE judges SET user_id = ?, token_hash = NULL, token_expires_at = NULL, accepted_at = ? \
             WHERE id = ? AND token_hash = ? AND accepted_at IS NULL AND token_expires_at > ?",
        )
        .bind(user_id)
        .bind(now)
        .bind(judge_id)
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Removes a judge of the contest, with their scores and comments.
    pub async fn remove_judge(
        &self,
        contest_id: &ContestId,
        judge_id: &str,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        for table in ["scores", "jury_comments"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE judge_id IN (SELECT id FROM judges WHERE id = ? AND contest_id = ?)"
            ))
            .bind(judge_id)
            .bind(contest_id)
            .execute(&mut *tx)
            .await?;
        }
        let n = sqlx::query("DELETE FROM judges WHERE id = ? AND contest_id = ?")
            .bind(judge_id)
            .bind(contest_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The user's judge row for the contest, once they accepted the invitation.
    pub async fn judge_for(
        &self,
        contest_id: &ContestId,
        user_id: &UserId,
    ) -> Result<Option<Judge>, DbError> {
        Ok(sqlx::query_as::<_, Judge>(&format!(
            "SELECT {JUDGE_COLS} FROM judges WHERE contest_id = ? AND user_id = ? AND accepted_at IS NOT NULL"
        ))
        .bind(contest_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The contests this user judges, soonest-ending first.
    pub async fn contests_judged_by(&self, user_id: &UserId) -> Result<Vec<Contest>, DbError> {
        Ok(sqlx::query_as::<_, Contest>(&format!(
            "SELECT {} FROM contests c JOIN judges j ON j.contest_id = c.id \
             WHERE j.user_id = ? AND j.accepted_at IS NOT NULL ORDER BY c.ends_at, c.id",
            super::contests::cols_with("c.")
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every score of the contest's judges.
    pub async fn contest_scores(&self, contest_id: &ContestId) -> Result<Vec<ScoreRow>, DbError> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT s.judge_id, s.video_id, s.criterion_id, s.score FROM scores s \
             JOIN judges j ON j.id = s.judge_id WHERE j.contest_id = ?",
        )
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(judge_id, video_id, criterion_id, score)| ScoreRow {
                judge_id,
                video_id,
                criterion_id,
                score,
            })
            .collect())
    }

    /// Every comment of the contest's judges: (judge, video, comment).
    pub async fn contest_comments(
        &self,
        contest_id: &ContestId,
    ) -> Result<Vec<(String, String, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT c.judge_id, c.video_id, c.comment FROM jury_comments c \
             JOIN judges j ON j.id = c.judge_id WHERE j.contest_id = ?",
        )
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// One judge's scores of one entry (criterion id, score) and comment.
    pub async fn my_scores(
        &self,
        judge_id: &str,
        video_id: &VideoId,
    ) -> Result<(Vec<(String, i64)>, Option<String>), DbError> {
        let scores = sqlx::query_as(
            "SELECT criterion_id, score FROM scores WHERE judge_id = ? AND video_id = ?",
        )
        .bind(judge_id)
        .bind(video_id)
        .fetch_all(&self.pool)
        .await?;
        let comment = sqlx::query_scalar(
            "SELECT comment FROM jury_comments WHERE judge_id = ? AND video_id = ?",
        )
        .bind(judge_id)
        .bind(video_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok((scores, comment))
    }

    /// Replaces one judge's scores and comment of one entry, in one transaction.
    #[tracing::instrument(skip_all, fields(judge_id = %judge_id, video_id = %video_id))]
    pub async fn save_scores(
        &self,
        judge_id: &str,
        video_id: &VideoId,
        scores: &[(String, i64)],
        comment: Option<&str>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        for table in ["scores", "jury_comments"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE judge_id = ? AND video_id = ?"
            ))
            .bind(judge_id)
            .bind(video_id)
            .execute(&mut *tx)
            .await?;
        }
        for (criterion, score) in scores {
            sqlx::query(
                "INSERT INTO scores (judge_id, video_id, criterion_id, score, updated_at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(judge_id)
            .bind(video_id)
            .bind(criterion)
            .bind(score)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| DbError::from_unique(e, "score"))?;
        }
        if let Some(c) = comment {
            sqlx::query(
                "INSERT INTO jury_comments (judge_id, video_id, comment, updated_at) VALUES (?, ?, ?, ?)",
            )
            .bind(judge_id)
            .bind(video_id)
            .bind(truncate(c, 1000))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Closes (or reopens) judging: judges then see everyone's scores and can no longer score.
    pub async fn set_judging_closed(
        &self,
        contest_id: &ContestId,
        closed: bool,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE contests SET judging_closed_at = ? WHERE id = ?")
            .bind(closed.then(now_ms))
            .bind(contest_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
