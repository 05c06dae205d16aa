use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::{Delivery, Queue, QueueError};
use crate::db::Db;
use crate::jobs::Job;

/// The `jobs` table as a queue: leases in `locked_until`, woken in-process by [`Queue::wake`]
/// and polling every `poll` otherwise (a standalone worker shares only the DB).
pub struct DbQueue {
    db: Db,
    notify: Arc<Notify>,
    lease: Duration,
    poll: Duration,
}

impl DbQueue {
    pub fn new(db: Db, lease: Duration, poll: Duration) -> Self {
        Self {
            db,
            notify: Arc::new(Notify::new()),
            lease,
            poll,
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[async_trait::async_trait]
impl Queue for DbQueue {
    fn wake(&self) {
        // Consumers register their `Notified` before trying to claim, so none can miss this.
        self.notify.notify_waiters();
    }

    async fn receive(&self, wait: Duration) -> Result<Option<Delivery>, QueueError> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notified = self.notify.notified();
            if let Some(c) = self.db.claim_job(ms(self.lease)).await? {
                match Job::from_json(&c.payload) {
                    Ok(job) => {
                        return Ok(Some(Delivery {
                            job,
                            attempt: u32::try_from(c.attempts).unwrap_or(u32::MAX),
                            id: c.id,
                            handle: c.token,
                        }))
                    }
                    Err(e) => {
                        tracing::error!(job_id = %c.id, error = %e, "malformed job payload, dead-lettering");
                        self.db
                            .finish_job(
                                &c.id,
                                &c.token,
                                "failed",
                                0,
                                Some(&format!("malformed payload: {e}")),
                                false,
                            )
                            .await?;
                        continue;
                    }
                }
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            let nap = self.poll.min(deadline - now);
            let _ = tokio::time::timeout(nap, notified).await;
        }
    }

    async fn extend(&self, d: &Delivery, lease: Duration) -> Result<bool, QueueError> {
        Ok(self.db.extend_job(&d.id, &d.handle, ms(lease)).await?)
    }

    async fn ack(&self, d: &Delivery) -> Result<(), QueueError> {
        self.db
            .finish_job(&d.id, &d.handle, "done", 0, None, false)
            .await?;
        Ok(())
    }

    async fn retry_later(
        &self,
        d: &Delivery,
        delay: Duration,
        reason: &str,
    ) -> Result<(), QueueError> {
        self.db
            .finish_job(&d.id, &d.handle, "queued", ms(delay), Some(reason), false)
            .await?;
        Ok(())
    }

    async fn release(&self, d: &Delivery) -> Result<(), QueueError> {
        self.db
            .finish_job(&d.id, &d.handle, "queued", 0, None, true)
            .await?;
        self.wake();
        Ok(())
    }

    async fn dead_letter(&self, d: &Delivery, reason: &str) -> Result<(), QueueError> {
        self.db
            .finish_job(&d.id, &d.handle, "failed", 0, Some(reason), false)
            .await?;
        Ok(())
    }

    async fn depth(&self) -> Result<u64, QueueError> {
        Ok(u64::try_from(self.db.queued_jobs().await?).unwrap_or(0))
    }
}
