//! The job loop: receive → handle with a heartbeat → ack, retry later, or dead-letter.
use std::sync::Arc;
use std::time::Duration;

use shared::queue::Delivery;
use tokio_util::sync::CancellationToken;

use crate::pipeline::{Outcome, Pipeline};

pub struct Worker {
    pipeline: Arc<Pipeline>,
}

/// What [`Worker::run_next`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Idle,
    Handled(Outcome),
    Released,
}

impl Worker {
    pub fn new(pipeline: Pipeline) -> Self {
        Self {
            pipeline: Arc::new(pipeline),
        }
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Runs `encodes + 1` loops (one spare, so mail goes out while every encode slot is busy)
    /// until `cancel` fires; then each loop finishes or releases its current job.
    pub async fn run_until_stopped(&self, cancel: CancellationToken) {
        let loops = self.pipeline.settings.encode_concurrency() + 1;
        tracing::info!(loops, "worker started");
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..loops {
            let me = Self {
                pipeline: self.pipeline.clone(),
            };
            let cancel = cancel.clone();
            set.spawn(async move {
                while !cancel.is_cancelled() {
                    if let Err(e) = me.run_next_with(Duration::from_secs(20), &cancel).await {
                        tracing::error!(error = %e, "queue error; backing off");
                        tokio::select! {
                            _ = cancel.cancelled() => {}
                            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                        }
                    }
                }
            });
        }
        while set.join_next().await.is_some() {}
        tracing::info!("worker stopped");
    }

    /// Handles at most one job, waiting up to `wait` for it (tests drain the queue with this).
    pub async fn run_next(&self, wait: Duration) -> anyhow::Result<Step> {
        self.run_next_with(wait, &CancellationToken::new()).await
    }

    async fn run_next_with(
        &self,
        wait: Duration,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Step> {
        let queue = self.pipeline.backends.queue.clone();
        let delivery = tokio::select! {
            d = queue.receive(wait) => d?,
            _ = cancel.cancelled() => return Ok(Step::Idle),
        };
        let Some(d) = delivery else {
            return Ok(Step::Idle);
        };
        let kind = d.job.kind();
        tracing::info!(job_id = %d.id, kind, attempt = d.attempt, "job started");

        let settings = &self.pipeline.settings;
        let lease = Duration::from_secs(settings.worker.lease_secs);
        let grace = Duration::from_secs(settings.worker.shutdown_grace_secs);
        let heartbeat = heartbeat(queue.clone(), d.clone(), lease);
        let work = self.pipeline.handle(&d.job, d.attempt);
        tokio::pin!(work);
        let outcome = tokio::select! {
            o = &mut work => Some(o),
            _ = async { cancel.cancelled().await; tokio::time::sleep(grace).await } => None,
        };
        heartbeat.abort();
        let Some(outcome) = outcome else {
            // Grace period over: dropping `work` kills ffmpeg; the job goes back for someone else.
            drop(work);
            tracing::warn!(job_id = %d.id, "shutdown: releasing unfinished job");
            queue.release(&d).await?;
            self.pipeline.note_retry(&d.job).await;
            return Ok(Step::Released);
        };
        self.settle(&d, &outcome).await?;
        self.pipeline
            .backends
            .metrics
            .jobs_processed
            .with_label_values(&[kind, outcome_label(&outcome)])
            .inc();
        Ok(Step::Handled(outcome))
    }

    async fn settle(&self, d: &Delivery, outcome: &Outcome) -> anyhow::Result<()> {
        let queue = &self.pipeline.backends.queue;
        let max = self.pipeline.settings.worker.max_attempts;
        match outcome {
            Outcome::Done => queue.ack(d).await?,
            Outcome::Retry(reason) if d.attempt < max => {
                let base = self.pipeline.settings.worker.retry_base_secs;
                let delay = Duration::from_secs(base.saturating_mul(1 << (d.attempt - 1).min(10)));
                tracing::warn!(job_id = %d.id, attempt = d.attempt, reason, ?delay, "job failed; will retry");
                self.pipeline.note_retry(&d.job).await;
                queue.retry_later(d, delay, reason).await?;
            }
            Outcome::Retry(reason) | Outcome::Fatal(reason) => {
                tracing::warn!(job_id = %d.id, attempt = d.attempt, reason, "job failed for good");
                self.pipeline.give_up(&d.job, reason).await;
                queue.dead_letter(d, reason).await?;
            }
        }
        Ok(())
    }
}

fn outcome_label(o: &Outcome) -> &'static str {
    match o {
        Outcome::Done => "done",
        Outcome::Retry(_) => "retry",
        Outcome::Fatal(_) => "fatal",
    }
}

/// Extends the lease every third of its length while the job runs.
fn heartbeat(
    queue: Arc<dyn shared::queue::Queue>,
    d: Delivery,
    lease: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = (lease / 3).max(Duration::from_millis(200));
        loop {
            tokio::time::sleep(every).await;
            match queue.extend(&d, lease).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(job_id = %d.id, "lease lost; another worker may take this job");
                    return;
                }
                Err(e) => tracing::warn!(job_id = %d.id, error = %e, "heartbeat failed"),
            }
        }
    })
}
