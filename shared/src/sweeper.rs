//! The sweeper: removes what a crash or an abandoned request can still leave behind, in both
//! modes, every `sweeper.interval_secs`:
//! - unfinished uploads (local partial files, S3 multipart uploads) older than `orphan_age_secs`;
//! - originals in storage without a video row, older than `orphan_age_secs` (an upload in flight
//!   writes its row within seconds of storing the file);
//! - job temp folders under `<data_dir>/tmp` untouched for `orphan_age_secs`;
//! - jobs and mail rows in a final state, expired sessions and rate-limit events older than
//!   `retention_secs`.
//!
//! Every step is idempotent, so several instances sweeping at once only repeat work. The web
//! tier sweeps everything ([`Scope::All`]); a standalone worker sweeps what only its own
//! machine holds, the job temp folders ([`Scope::ThisHost`]).
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::backends::Backends;
use crate::domain::VideoId;
use crate::time::now_ms;
use crate::Settings;

/// What one pass removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub partial_uploads: usize,
    pub orphan_originals: usize,
    pub temp_dirs: usize,
    pub jobs: u64,
    pub emails: u64,
    pub sessions: u64,
    pub rate_events: u64,
}

/// Which leftovers an instance sweeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Storage, database and this machine's temp folders (the web tier, embedded or not).
    All,
    /// Only this machine's job temp folders (a standalone worker: the shared storage and
    /// database are swept by the web tier).
    ThisHost,
}

pub struct Sweeper {
    backends: Backends,
    settings: Arc<Settings>,
    scope: Scope,
}

fn ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4)
}

impl Sweeper {
    pub fn new(backends: Backends, settings: Arc<Settings>) -> Self {
        Self::with_scope(backends, settings, Scope::All)
    }

    pub fn with_scope(backends: Backends, settings: Arc<Settings>, scope: Scope) -> Self {
        Self {
            backends,
            settings,
            scope,
        }
    }

    /// Runs the periodic sweep in a task until `cancel`, unless `sweeper.interval_secs` is 0.
    /// The one way both binaries start it.
    pub fn spawn(
        backends: Backends,
        settings: Arc<Settings>,
        scope: Scope,
        cancel: CancellationToken,
    ) -> Option<tokio::task::JoinHandle<()>> {
        (settings.sweeper.interval_secs > 0).then(|| {
            let s = Self::with_scope(backends, settings, scope);
            tokio::spawn(s.run_until_stopped(cancel))
        })
    }

    pub async fn run_until_stopped(self, cancel: CancellationToken) {
        let every = Duration::from_secs(self.settings.sweeper.interval_secs.max(1));
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
            match self.run_once().await {
                Ok(r) if r != SweepReport::default() => {
                    tracing::info!(report = ?r, "swept leftovers")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = format!("{e:#}"), "sweep failed; will try again"),
            }
        }
    }

    /// One pass; each step runs even if an earlier one failed (the first error is returned).
    pub async fn run_once(&self) -> anyhow::Result<SweepReport> {
        let s = &self.settings.sweeper;
        let b = &self.backends;
        let now = now_ms();
        let orphan_before = now - ms(s.orphan_age_secs);
        let mut report = SweepReport::default();
        let mut first_error: Option<anyhow::Error> = None;
        let mut note = |e: anyhow::Error| {
            tracing::warn!(error = format!("{e:#}"), "sweep step failed");
            first_error.get_or_insert(e);
        };

        let tmp = self.settings.data_dir.join("tmp");
        match tokio::task::spawn_blocking(move || remove_old_dirs(&tmp, orphan_before)).await {
            Ok(Ok(n)) => report.temp_dirs = n,
            Ok(Err(e)) => note(e.into()),
            Err(e) => note(e.into()),
        }
        if self.scope == Scope::ThisHost {
            return match first_error {
                Some(e) => Err(e),
                None => Ok(report),
            };
        }
        match b.storage.sweep_partials(orphan_before).await {
            Ok(n) => report.partial_uploads = n,
            Err(e) => note(e.into()),
        }
        match self.orphan_originals(orphan_before).await {
            Ok(n) => report.orphan_originals = n,
            Err(e) => note(e),
        }
        match b.db.delete_finished_before(ms(s.retention_secs)).await {
            Ok((jobs, emails)) => {
                report.jobs = jobs;
                report.emails = emails;
            }
            Err(e) => note(e.into()),
        }
        match b
            .db
            .prune_sessions(ms(self.settings.sessions.absolute_lifetime_secs))
            .await
        {
            Ok(n) => report.sessions = n,
            Err(e) => note(e.into()),
        }
        // Rate events only matter within their windows; keep a day at least.
        let l = &self.settings.limits;
        let window = l
            .login_failure_window_secs
            .max(l.upload_window_secs)
            .max(86_400);
        match b.db.rate_prune(ms(window)).await {
            Ok(n) => report.rate_events = n,
            Err(e) => note(e.into()),
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Originals (`originals/{id}/...`) older than the cutoff whose video row does not exist.
    async fn orphan_originals(&self, before_ms: i64) -> anyhow::Result<usize> {
        let b = &self.backends;
        // An original whose folder name is not a video id belongs to no video either.
        let old: Vec<(String, Option<VideoId>)> = b
            .storage
            .list_modified("originals")
            .await?
            .into_iter()
            .filter(|(_, at)| *at < before_ms)
            .filter_map(|(key, _)| {
                let id = key.strip_prefix("originals/")?.split('/').next()?;
                let id = id.parse().ok();
                Some((key, id))
            })
            .collect();
        if old.is_empty() {
            return Ok(0);
        }
        let ids: Vec<VideoId> = old.iter().filter_map(|(_, id)| *id).collect();
        let existing = b.db.existing_video_ids(&ids).await?;
        let mut n = 0;
        for (key, id) in old {
            if !id.is_some_and(|id| existing.contains(&id)) {
                b.storage.delete(&key).await?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Removes the folders directly under `dir` last modified before `before_ms`.
fn remove_old_dirs(dir: &Path, before_ms: i64) -> std::io::Result<usize> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut n = 0;
    for e in rd {
        let e = e?;
        let meta = e.metadata()?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        if meta.is_dir() && modified < before_ms {
            match std::fs::remove_dir_all(e.path()) {
                Ok(()) => n += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(n)
}
