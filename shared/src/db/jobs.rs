//! The `jobs` table: the transactional outbox, and in local mode the queue itself.
//! States ([`JobState`]): `queued` → `running` (leased until `locked_until`) → `done` | `failed`;
//! `sent` once relayed to SQS. A claim hands out a [`JobLease`]; only its holder can extend the
//! lease or end the job, and how it ends is a [`JobEnd`].
use std::time::Duration;

use sqlx::AnyConnection;

use super::{Db, Dialect};
use crate::domain::{new_id, JobId, JobState, VideoId};
use crate::error::DbError;
use crate::jobs::Job;
use crate::time::now_ms;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: JobId,
    pub kind: String,
    pub payload: String,
    pub state: JobState,
    pub attempts: i64,
    pub run_after: i64,
    pub last_error: Option<String>,
}

/// Proof that this process holds a job's lease, from [`Db::claim_job`] / [`Db::claim_job_as`]:
/// the claim's token is checked by every later change, so a holder whose lease expired and was
/// taken by someone else can no longer extend or end the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLease {
    id: JobId,
    token: String,
}

impl JobLease {
    pub fn id(&self) -> JobId {
        self.id
    }
}

/// A job this process holds a lease on.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub lease: JobLease,
    pub payload: String,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// How a leased job ends ([`Db::finish_job`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEnd<'a> {
    /// Finished: never runs again.
    Done,
    /// Handed to the external queue by the outbox relay.
    Sent,
    /// Failed this time: runs again after `after`; the attempt counts.
    Retry { after: Duration, error: &'a str },
    /// Given back unfinished (shutdown): runs again at once, and the attempt does not count.
    Release,
    /// Failed for good (out of attempts, or malformed): the DB queue's dead letter.
    Failed { error: &'a str },
}

impl JobEnd<'_> {
    /// The row's new state, delay before it may run again, error to record, and attempts given
    /// back.
    fn columns(self) -> (JobState, i64, Option<String>, i64) {
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        match self {
            JobEnd::Done => (JobState::Done, 0, None, 0),
            JobEnd::Sent => (JobState::Sent, 0, None, 0),
            JobEnd::Retry { after, error } => {
                (JobState::Queued, ms(after), Some(truncate(error, 1000)), 0)
            }
            JobEnd::Release => (JobState::Queued, 0, None, 1),
            JobEnd::Failed { error } => (JobState::Failed, 0, Some(truncate(error, 1000)), 0),
        }
    }
}

/// Inserts a job in the caller's transaction, so it commits or rolls back with the change that caused it.
pub(crate) async fn insert_job(conn: &mut AnyConnection, job: &Job) -> Result<JobId, DbError> {
    let id = JobId::new();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, state, attempts, run_after, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)",
    )
    .bind(id)
    .bind(job.kind())
    .bind(job.to_json())
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

impl Db {
    /// Enqueues a job on its own (outside any other change).
    pub async fn enqueue_job(&self, job: &Job) -> Result<JobId, DbError> {
        let mut conn = self.pool.acquire().await?;
        insert_job(&mut conn, job).await
    }

    /// Claims the next due job for `lease_ms` (the outbox relay). Expired leases (a crashed
    /// relay) are requeued first.
    #[tracing::instrument(skip_all)]
    pub async fn claim_job(&self, lease_ms: i64) -> Result<Option<ClaimedJob>, DbError> {
        self.claim(lease_ms, None).await
    }

    /// Claims the next due job for a worker of the DB queue, stamping the lease with the
    /// worker's id (see [`Db::reclaim_worker_jobs`]). Expired leases whose job already used
    /// `max_attempts` end `failed` (the DB queue's dead letter: a job that kills its worker every
    /// time must not loop forever); other expired leases are requeued.
    #[tracing::instrument(skip_all)]
    pub async fn claim_job_as(
        &self,
        lease_ms: i64,
        worker_id: &str,
        max_attempts: i64,
    ) -> Result<Option<ClaimedJob>, DbError> {
        self.claim(lease_ms, Some((worker_id, max_attempts))).await
    }

    async fn claim(
        &self,
        lease_ms: i64,
        worker: Option<(&str, i64)>,
    ) -> Result<Option<ClaimedJob>, DbError> {
        let now = now_ms();
        if let Some((_, max_attempts)) = worker {
            sqlx::query(
                "UPDATE jobs SET state = 'failed', last_error = ?, claim_token = NULL, locked_until = NULL, worker_id = NULL, updated_at = ? \
                 WHERE state = 'running' AND locked_until < ? AND attempts >= ?",
            )
            .bind(DIED_EVERY_ATTEMPT)
            .bind(now)
            .bind(now)
            .bind(max_attempts)
            .execute(&self.pool)
            .await?;
        }
        sqlx::query("UPDATE jobs SET state = 'queued', claim_token = NULL, worker_id = NULL, updated_at = ? WHERE state = 'running' AND locked_until < ?")
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await?;
        let token = new_id().to_string();
        let worker_id = worker.map(|(w, _)| w);
        let claimed = match self.dialect {
            Dialect::Sqlite => {
                sqlx::query(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?, claim_token = ?, worker_id = ?, updated_at = ? \
                     WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= ? ORDER BY run_after LIMIT 1) AND state = 'queued'",
                )
                .bind(now + lease_ms)
                .bind(&token)
                .bind(worker_id)
                .bind(now)
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected()
            }
            Dialect::MySql => {
                let mut tx = self.pool.begin().await?;
                let id: Option<JobId> = sqlx::query_scalar(
                    "SELECT id FROM jobs WHERE state = 'queued' AND run_after <= ? ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED",
                )
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let n = match id {
                    Some(id) => sqlx::query(
                        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?, claim_token = ?, worker_id = ?, updated_at = ? WHERE id = ?",
                    )
                    .bind(now + lease_ms)
                    .bind(&token)
                    .bind(worker_id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
                    None => 0,
                };
                tx.commit().await?;
                n
            }
        };
        if claimed == 0 {
            return Ok(None);
        }
        let row: Option<(JobId, String, i64)> =
            sqlx::query_as("SELECT id, payload, attempts FROM jobs WHERE claim_token = ?")
                .bind(&token)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, payload, attempts)| ClaimedJob {
            lease: JobLease { id, token },
            payload,
            attempts,
        }))
    }

    /// The leases of a worker known to be dead (its lock file could be taken): requeued at
    /// once, or `failed` when the job has used `max_attempts`. Returns how many were touched.
    pub async fn reclaim_worker_jobs(
        &self,
        worker_id: &str,
        max_attempts: i64,
    ) -> Result<u64, DbError> {
        let now = now_ms();
        let failed = sqlx::query(
            "UPDATE jobs SET state = 'failed', last_error = ?, claim_token = NULL, locked_until = NULL, worker_id = NULL, updated_at = ? \
             WHERE state = 'running' AND worker_id = ? AND attempts >= ?",
        )
        .bind(DIED_EVERY_ATTEMPT)
        .bind(now)
        .bind(worker_id)
        .bind(max_attempts)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let requeued = sqlx::query(
            "UPDATE jobs SET state = 'queued', run_after = ?, claim_token = NULL, locked_until = NULL, worker_id = NULL, updated_at = ? \
             WHERE state = 'running' AND worker_id = ?",
        )
        .bind(now)
        .bind(now)
        .bind(worker_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(failed + requeued)
    }

    /// Can a transcode job of the DB queue still run for this video? Waiting, or leased and
    /// either alive or with attempts left (an expired lease is requeued); not when it ended,
    /// was dead-lettered, or its holder died during the last attempt.
    pub async fn video_job_alive(
        &self,
        video_id: &VideoId,
        max_attempts: i64,
    ) -> Result<bool, DbError> {
        let payload = Job::Transcode {
            video_id: *video_id,
        }
        .to_json();
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE payload = ? AND (state = 'queued' OR (state = 'running' AND (locked_until >= ? OR attempts < ?)))",
        )
        .bind(payload)
        .bind(now_ms())
        .bind(max_attempts)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Renews a lease; `false` means the lease was lost (expired and taken by someone else).
    pub async fn extend_job(&self, lease: &JobLease, lease_ms: i64) -> Result<bool, DbError> {
        let now = now_ms();
        let n = sqlx::query("UPDATE jobs SET locked_until = ?, updated_at = ? WHERE id = ? AND claim_token = ? AND state = 'running'")
            .bind(now + lease_ms)
            .bind(now)
            .bind(lease.id)
            .bind(&lease.token)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// Ends a leased job as `end` says; `false` when the lease was lost meanwhile (nothing
    /// changes then).
    pub async fn finish_job(&self, lease: &JobLease, end: JobEnd<'_>) -> Result<bool, DbError> {
        let now = now_ms();
        let (state, delay_ms, error, uncount) = end.columns();
        let n = sqlx::query(
            "UPDATE jobs SET state = ?, run_after = ?, last_error = COALESCE(?, last_error), claim_token = NULL, locked_until = NULL, \
             worker_id = NULL, attempts = attempts - ?, updated_at = ? WHERE id = ? AND claim_token = ?",
        )
        .bind(state)
        .bind(now.saturating_add(delay_ms))
        .bind(error)
        .bind(uncount)
        .bind(now)
        .bind(lease.id)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Jobs per state, for metrics and the operator.
    pub async fn job_counts(&self) -> Result<Vec<(JobState, i64)>, DbError> {
        Ok(
            sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn queued_jobs(&self) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn jobs_for_payload(&self, payload_fragment: &str) -> Result<Vec<JobRow>, DbError> {
        Ok(sqlx::query_as::<_, JobRow>(
            "SELECT id, kind, payload, state, attempts, run_after, last_error FROM jobs WHERE payload LIKE ? ORDER BY created_at",
        )
        .bind(format!("%{}%", payload_fragment.replace(['%', '_'], "")))
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Why the DB queue dead-lettered a job whose worker ended during its last attempt.
pub const DIED_EVERY_ATTEMPT: &str = "the worker ended unexpectedly during every attempt";

pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}
