//! Job delivery: the DB `jobs` table locally, SQS on AWS. At-least-once; handlers are idempotent.
mod db;
mod sqs;

use std::time::Duration;

pub use db::{DbQueue, WorkerLock};
pub(crate) use sqs::delete_message;
pub use sqs::SqsQueue;

use crate::db::JobLease;
use crate::jobs::Job;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("queue database error: {0}")]
    Db(#[from] crate::error::DbError),
    #[error("queue backend error: {0}")]
    Backend(String),
}

/// One received job and what proves we hold it (a DB lease or an SQS receipt handle).
#[derive(Debug, Clone)]
pub struct Delivery {
    pub job: Job,
    /// 1 on first delivery; counts crashes too.
    pub attempt: u32,
    /// For logs: the job id (DB queue) or the SQS message id.
    pub id: String,
    receipt: Receipt,
}

/// What the queue that delivered a job needs to extend or end it.
#[derive(Debug, Clone)]
enum Receipt {
    Lease(JobLease),
    Sqs { handle: String },
}

impl Delivery {
    fn leased(job: Job, attempt: u32, lease: JobLease) -> Self {
        Self {
            job,
            attempt,
            id: lease.id().to_string(),
            receipt: Receipt::Lease(lease),
        }
    }

    fn from_sqs(job: Job, attempt: u32, message_id: String, handle: String) -> Self {
        Self {
            job,
            attempt,
            id: message_id,
            receipt: Receipt::Sqs { handle },
        }
    }

    /// The DB lease, for the DB queue.
    fn lease(&self) -> Result<&JobLease, QueueError> {
        match &self.receipt {
            Receipt::Lease(l) => Ok(l),
            Receipt::Sqs { .. } => Err(QueueError::Backend(
                "an SQS delivery was handed to the DB queue".into(),
            )),
        }
    }

    /// The receipt handle, for SQS.
    fn sqs_handle(&self) -> Result<&str, QueueError> {
        match &self.receipt {
            Receipt::Sqs { handle } => Ok(handle),
            Receipt::Lease(_) => Err(QueueError::Backend(
                "a DB-queue delivery was handed to SQS".into(),
            )),
        }
    }
}

#[async_trait::async_trait]
pub trait Queue: Send + Sync {
    /// A job was just committed to the outbox: wake waiting consumers (or the relay) now.
    fn wake(&self);

    /// Waits up to `wait` for the next job. Malformed messages are dead-lettered, not returned.
    async fn receive(&self, wait: Duration) -> Result<Option<Delivery>, QueueError>;

    /// Heartbeat: keep the job invisible to others for another `lease`. `false` if the lease was lost.
    async fn extend(&self, d: &Delivery, lease: Duration) -> Result<bool, QueueError>;

    /// Done: never deliver again.
    async fn ack(&self, d: &Delivery) -> Result<(), QueueError>;

    /// Failed this time: deliver again after `delay`.
    async fn retry_later(
        &self,
        d: &Delivery,
        delay: Duration,
        reason: &str,
    ) -> Result<(), QueueError>;

    /// Shutdown: make it visible again at once, without counting this attempt where possible.
    async fn release(&self, d: &Delivery) -> Result<(), QueueError>;

    /// Out of attempts or malformed: park it in the dead-letter place with the reason.
    async fn dead_letter(&self, d: &Delivery, reason: &str) -> Result<(), QueueError>;

    /// Jobs waiting or running (metrics, autoscaling).
    async fn depth(&self) -> Result<u64, QueueError>;

    /// Takes back the jobs of workers known to be dead (on one machine: their lock file is
    /// free) so they run again now instead of when their lease expires; returns how many.
    /// Workers call it at start and periodically. Queues that cannot tell do nothing.
    async fn recover(&self) -> Result<u64, QueueError> {
        Ok(0)
    }

    /// Moves dead-lettered jobs back for another try (the operator's `worker dlq-redrive`);
    /// returns how many. Only a queue with a separate dead-letter place supports it.
    async fn redrive_dead_letters(&self) -> Result<u64, QueueError> {
        Err(QueueError::Backend(
            "this queue has no dead-letter queue to redrive (AWS mode only)".into(),
        ))
    }
}
