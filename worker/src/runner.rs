//! The job loop: receive → handle with a heartbeat → ack, retry later, or dead-letter; and the
//! upkeep beside it: taking back the jobs of dead workers ([`shared::queue::Queue::recover`])
//! and failing videos whose job can no longer finish ([`Pipeline::sweep_stale`]).
use std::sync::Arc;
use std::time::Duration;

use shared::jobs::Job;
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
        // Jobs a killed predecessor on this machine left leased run again now, not when their
        // lease expires.
        match self.pipeline.backends.queue.recover().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "took back the jobs of a dead worker"),
            Err(e) => tracing::warn!(error = %e, "could not recover dead workers' jobs"),
        }
        tracing::info!(loops, "worker started");
        let mut set = tokio::task::JoinSet::new();
        set.spawn(upkeep(self.pipeline.clone(), cancel.clone()));
        if let Some(events) = self.pipeline.backends.mail_events.clone() {
            let db = self.pipeline.backends.db.clone();
            let cancel = cancel.clone();
            set.spawn(async move { events.run(db, cancel).await });
        }
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
        let heartbeat = heartbeat(
            self.pipeline.clone(),
            d.clone(),
            lease,
            heartbeat_every(settings),
        );
        // Boxed, so `drop(work)` below really drops the future (and kills its ffmpeg) before the
        // job is released; a stack-pinned future would live until this function returns.
        let mut work = Box::pin(self.pipeline.handle(&d.job, d.attempt));
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

/// How often a running job's lease is renewed: `worker.heartbeat_secs`, at most a third of the
/// lease (two beats may be lost before another worker may take the job).
fn heartbeat_every(settings: &shared::Settings) -> Duration {
    let lease = Duration::from_secs(settings.worker.lease_secs);
    Duration::from_secs(settings.worker.heartbeat_secs)
        .min(lease / 3)
        .max(Duration::from_millis(200))
}

/// Renews the lease while the job runs; a conversion's video row is touched too, so the stale
/// sweep can tell a running conversion from one whose worker died.
fn heartbeat(
    pipeline: Arc<Pipeline>,
    d: Delivery,
    lease: Duration,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let queue = pipeline.backends.queue.clone();
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
            if let Job::Transcode { video_id } = &d.job {
                if let Err(e) = pipeline.backends.db.touch_video(video_id).await {
                    tracing::warn!(%video_id, error = %e, "heartbeat could not touch the video");
                }
            }
        }
    })
}

/// Every `worker.recover_interval_ms`: take back the jobs of workers that died meanwhile;
/// every `worker.sweep_interval_secs`: fail the videos whose job can no longer finish.
async fn upkeep(pipeline: Arc<Pipeline>, cancel: CancellationToken) {
    let w = &pipeline.settings.worker;
    let mut recover = tokio::time::interval(Duration::from_millis(w.recover_interval_ms.max(100)));
    let mut sweep = tokio::time::interval(Duration::from_secs(w.sweep_interval_secs.max(1)));
    recover.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = recover.tick() => {
                if let Err(e) = pipeline.backends.queue.recover().await {
                    tracing::warn!(error = %e, "could not recover dead workers' jobs");
                }
            }
            _ = sweep.tick() => {
                match pipeline.sweep_stale().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(videos = n, "failed videos whose job can no longer finish"),
                    Err(e) => tracing::warn!(error = %e, "stale video sweep failed"),
                }
            }
        }
    }
}
