//! Public voting: voters (one per contest and address, confirmed by a one-time link), their
//! confirmation tokens (stored as SHA-256 hashes) and votes.
//!
//! The database makes double votes impossible: `votes` has the primary key (voter, entry), and
//! each vote takes a numbered slot with (voter, slot) unique, so the per-voter limit holds even
//! when two votes of one voter arrive at the same moment (one insert loses on the slot and is
//! told that no vote is left).
use super::Db;
use crate::domain::{new_id, ContestId, VideoId};
use crate::error::DbError;
use crate::time::now_ms;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Voter {
    pub id: String,
    pub contest_id: ContestId,
    /// Lower-cased.
    pub email: String,
    pub confirmed_at: Option<i64>,
}

/// What became of a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteOutcome {
    Counted,
    /// This voter already voted for this entry (a second vote changes nothing).
    AlreadyVoted,
    /// Every vote of this voter is taken; taking one back frees it.
    NoVotesLeft,
}

/// One vote, for the organizer's audit export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VoteRecord {
    pub voter_email: String,
    pub video_id: VideoId,
    pub title: String,
    pub created_at: i64,
}

const VOTER_COLS: &str = "id, contest_id, email, confirmed_at";

impl Db {
    /// The voter of `email` in this contest (created unconfirmed if new) and a new confirmation
    /// token for it, valid until `expires_at`. `email` must be lower-cased already.
    #[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
    pub async fn voter_link(
        &self,
        contest_id: &ContestId,
        email: &str,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<Voter, DbError> {
        let now = now_ms();
        let voter = match self.voter_by_email(contest_id, email).await? {
            Some(v) => v,
            None => {
                let id = new_id().to_string();
                let inserted = sqlx::query(
                    "INSERT INTO voters (id, contest_id, email, confirmed_at, created_at) VALUES (?, ?, ?, NULL, ?)",
                )
                .bind(&id)
                .bind(contest_id)
                .bind(email)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(|e| DbError::from_unique(e, "voter"));
                match inserted {
                    Ok(_) => {}
                    // The same address asked twice at once: the other request created it.
                    Err(DbError::Duplicate(_)) => {}
                    Err(e) => return Err(e),
                }
                self.voter_by_email(contest_id, email)
                    .await?
                    .ok_or(DbError::NotFound)?
            }
        };
        sqlx::query(
            "INSERT INTO voter_tokens (token_hash, voter_id, expires_at, used_at, created_at) VALUES (?, ?, ?, NULL, ?)",
        )
        .bind(token_hash)
        .bind(&voter.id)
        .bind(expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(voter)
    }

    async fn voter_by_email(
        &self,
        contest_id: &ContestId,
        email: &str,
    ) -> Result<Option<Voter>, DbError> {
        Ok(sqlx::query_as::<_, Voter>(&format!(
            "SELECT {VOTER_COLS} FROM voters WHERE contest_id = ? AND email = ?"
        ))
        .bind(contest_id)
        .bind(email)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn voter_by_id(&self, id: &str) -> Result<Option<Voter>, DbError> {
        Ok(
            sqlx::query_as::<_, Voter>(&format!("SELECT {VOTER_COLS} FROM voters WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Uses a confirmation token: once, before it expires. Returns the now confirmed voter, or
    /// `None` for an unknown, used or expired token.
    #[tracing::instrument(skip_all)]
    pub async fn confirm_voter(&self, token_hash: &str) -> Result<Option<Voter>, DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let used = sqlx::query(
            "UPDATE voter_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(now)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if used != 1 {
            return Ok(None);
        }
        let voter_id: String =
            sqlx::query_scalar("SELECT voter_id FROM voter_tokens WHERE token_hash = ?")
                .bind(token_hash)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE voters SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL")
            .bind(now)
            .bind(&voter_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.voter_by_id(&voter_id).await
    }

    /// The entries this voter voted for.
    pub async fn votes_of_voter(&self, voter_id: &str) -> Result<Vec<VideoId>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT video_id FROM votes WHERE voter_id = ? ORDER BY slot")
                .bind(voter_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Casts a vote of a confirmed voter (the caller checked the window, the entry and the
    /// voter's own entries). `limit` is the contest's votes per voter.
    #[tracing::instrument(skip_all, fields(video_id = %video_id))]
    pub async fn cast_vote(
        &self,
        voter: &Voter,
        video_id: &VideoId,
        limit: i64,
    ) -> Result<VoteOutcome, DbError> {
        // A lost race on a slot is answered by looking again: the other vote took it.
        for _ in 0..3 {
            let rows: Vec<(VideoId, i64)> =
                sqlx::query_as("SELECT video_id, slot FROM votes WHERE voter_id = ?")
                    .bind(&voter.id)
                    .fetch_all(&self.pool)
                    .await?;
            if rows.iter().any(|(v, _)| v == video_id) {
                return Ok(VoteOutcome::AlreadyVoted);
            }
            if rows.len() as i64 >= limit {
                return Ok(VoteOutcome::NoVotesLeft);
            }
            let slot = (1..)
                .find(|s| !rows.iter().any(|(_, taken)| taken == s))
                .unwrap_or(1);
            let inserted = sqlx::query(
                "INSERT INTO votes (voter_id, video_id, contest_id, slot, created_at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&voter.id)
            .bind(video_id)
            .bind(voter.contest_id)
            .bind(slot)
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(|e| DbError::from_unique(e, "vote"));
            match inserted {
                Ok(_) => return Ok(VoteOutcome::Counted),
                Err(DbError::Duplicate(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(VoteOutcome::NoVotesLeft)
    }

    /// Takes a vote back; `false` when there was none.
    pub async fn take_back_vote(
        &self,
        voter_id: &str,
        video_id: &VideoId,
    ) -> Result<bool, DbError> {
        Ok(
            sqlx::query("DELETE FROM votes WHERE voter_id = ? AND video_id = ?")
                .bind(voter_id)
                .bind(video_id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// Votes per entry of a contest (entries without votes are absent): the public counts, the
    /// combined ranking and the exports.
    pub async fn vote_counts(
        &self,
        contest_id: &ContestId,
    ) -> Result<std::collections::HashMap<VideoId, i64>, DbError> {
        let rows: Vec<(VideoId, i64)> = sqlx::query_as(
            "SELECT video_id, COUNT(*) FROM votes WHERE contest_id = ? GROUP BY video_id",
        )
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn vote_count(&self, video_id: &VideoId) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM votes WHERE video_id = ?")
                .bind(video_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Every vote of a contest with the voter's address, oldest first (the audit export).
    pub async fn votes_of_contest(
        &self,
        contest_id: &ContestId,
    ) -> Result<Vec<VoteRecord>, DbError> {
        Ok(sqlx::query_as::<_, VoteRecord>(
            "SELECT r.email AS voter_email, v.video_id, e.title, v.created_at FROM votes v \
             JOIN voters r ON r.id = v.voter_id JOIN videos e ON e.id = v.video_id \
             WHERE v.contest_id = ? ORDER BY v.created_at, r.email",
        )
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
