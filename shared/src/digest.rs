//! The organizer's digest of new entries: for each contest with it on, ONE mail listing the
//! entries that arrived since the last one, at most once per `digest.interval_secs`. The web
//! tier runs a pass every interval, next to the sweeper.
//!
//! Exactly once with several web instances: each contest keeps a watermark (entries created up
//! to it were mailed). A pass reads the watermark, composes the mail for the entries within
//! `(watermark, now - settle]`, then moves the watermark with a compare-and-set UPDATE in the
//! transaction that queues the mail (`Db::queue_digest`): of two instances that read the same
//! watermark, one queues the batch and the other's UPDATE matches no row. The mail goes through
//! the outbox, so suppression and the per-recipient cap apply like to every mail.
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::backends::Backends;
use crate::domain::EmailId;
use crate::time::now_ms;
use crate::Settings;

pub struct EntryDigest {
    backends: Backends,
    settings: Arc<Settings>,
}

fn ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4)
}

impl EntryDigest {
    pub fn new(backends: Backends, settings: Arc<Settings>) -> Self {
        Self { backends, settings }
    }

    /// Runs a pass every `digest.interval_secs` in a task until `cancel`, unless it is 0.
    pub fn spawn(
        backends: Backends,
        settings: Arc<Settings>,
        cancel: CancellationToken,
    ) -> Option<tokio::task::JoinHandle<()>> {
        (settings.digest.interval_secs > 0).then(|| {
            let d = Self::new(backends, settings);
            tokio::spawn(d.run_until_stopped(cancel))
        })
    }

    pub async fn run_until_stopped(self, cancel: CancellationToken) {
        let every = Duration::from_secs(self.settings.digest.interval_secs.max(1));
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
            match self.run_once().await {
                Ok(ids) if !ids.is_empty() => {
                    tracing::info!(digests = ids.len(), "queued new-entry digests")
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        "digest pass failed; will try again"
                    )
                }
            }
        }
    }

    /// One pass: queues a digest for every contest that is due one and returns their mail ids.
    /// A contest that fails is logged and left for the next pass (its watermark did not move);
    /// the others still get theirs, and the first error is returned.
    pub async fn run_once(&self) -> anyhow::Result<Vec<EmailId>> {
        let d = &self.settings.digest;
        let db = &self.backends.db;
        let now = now_ms();
        let until = now - ms(d.settle_secs);
        let due = db.digests_due(until, now - ms(d.interval_secs)).await?;
        let mut queued = Vec::new();
        let mut first_error: Option<anyhow::Error> = None;
        for contest in due {
            match self.one(&contest, until, now).await {
                Ok(Some(id)) => queued.push(id),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(
                        contest_id = %contest.contest_id,
                        error = format!("{e:#}"),
                        "digest failed; the next pass tries again"
                    );
                    first_error.get_or_insert(e);
                }
            }
        }
        if !queued.is_empty() {
            self.backends.queue.wake();
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(queued),
        }
    }

    async fn one(
        &self,
        contest: &crate::db::DigestDue,
        until: i64,
        now: i64,
    ) -> anyhow::Result<Option<EmailId>> {
        let db = &self.backends.db;
        // At the per-recipient cap the outbox would skip the mail for good and the batch would
        // be lost: leave the watermark, and the next pass after the cap frees mails it all.
        let cap = i64::from(self.settings.limits.mails_per_recipient_per_day);
        if db
            .mails_sent_to_since(&contest.organizer_email, now - 86_400_000)
            .await?
            >= cap
        {
            tracing::info!(contest_id = %contest.contest_id, "digest waits: organizer at the mail cap");
            return Ok(None);
        }
        let listed = i64::from(self.settings.digest.max_listed);
        let (count, entries) = db
            .digest_entries(&contest.contest_id, contest.watermark, until, listed)
            .await?;
        if count == 0 {
            // Everything new was deleted in the meantime: nothing to say.
            return Ok(None);
        }
        let mail =
            crate::mail::compose::entry_digest(&self.settings.base_url, contest, count, &entries)?;
        Ok(db
            .queue_digest(&contest.contest_id, contest.watermark, until, now, &mail)
            .await?)
    }
}
