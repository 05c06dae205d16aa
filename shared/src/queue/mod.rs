//! Job delivery: the DB `jobs` table locally, SQS on AWS. At-least-once; handlers are idempotent.
mod db;
mod sqs;

use std::time::Duration;

pub use db::{DbQueue, WorkerLock};
pub use sqs::SqsQueue;

use crate::jobs::Job;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("queue database error: {0}")]
    Db(#[from] crate::error::DbError),
    #[error("queue backend error: {0}")]
    Backend(String),
}

/// One received job and what proves we hold it (a lease token or an SQS receipt handle).
#[derive(Debug, Clone)]
pub struct Delivery {
    pub job: Job,
    /// 1 on first delivery; counts crashes too.
    pub attempt: u32,
    pub id: String,
    pub handle: String,
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
