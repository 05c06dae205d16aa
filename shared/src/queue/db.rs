use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::{Delivery, Queue, QueueError};
use crate::db::{Db, JobEnd};
use crate::domain::new_id;
use crate::jobs::Job;

/// The `jobs` table as a queue: leases in `locked_until`, woken in-process by [`Queue::wake`]
/// and polling every `poll` otherwise (a standalone worker shares only the DB).
///
/// Every lease is stamped with this process's [`WorkerLock`] id. A process killed with
/// `kill -9` leaves its leases behind; the next process on the same data folder sees that the
/// dead one's lock can be taken and requeues those jobs at once ([`Queue::recover`]) instead
/// of waiting for the lease to expire.
pub struct DbQueue {
    db: Db,
    notify: Arc<Notify>,
    lease: Duration,
    poll: Duration,
    max_attempts: i64,
    lock: WorkerLock,
}

impl DbQueue {
    pub fn new(
        db: Db,
        lease: Duration,
        poll: Duration,
        max_attempts: u32,
        lock: WorkerLock,
    ) -> Self {
        Self {
            db,
            notify: Arc::new(Notify::new()),
            lease,
            poll,
            max_attempts: i64::from(max_attempts),
            lock,
        }
    }

    /// This process's worker id (what its leases are stamped with).
    pub fn worker_id(&self) -> &str {
        &self.lock.id
    }
}

/// An exclusive `flock` on `<dir>/<id>.lock`, held for the life of the process. The kernel drops
/// it when the process dies however it dies, so a lock file whose lock can be taken belongs to
/// a dead worker. Removed on a clean drop.
pub struct WorkerLock {
    id: String,
    dir: PathBuf,
    path: PathBuf,
    _file: File,
}

impl std::fmt::Debug for WorkerLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerLock")
            .field("path", &self.path)
            .finish()
    }
}

impl WorkerLock {
    /// Creates and locks a fresh lock file in `dir` (created if missing).
    pub fn acquire(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let id = new_id().to_string();
        // Locked under a temporary name first: a scanner never sees an unlocked `.lock` file.
        let tmp = dir.join(format!("{id}.new"));
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::Error(e) => e,
            std::fs::TryLockError::WouldBlock => std::io::Error::other("lock file busy"),
        })?;
        // For a human looking at the folder.
        let _ = writeln!(file, "pid {}", std::process::id());
        let path = dir.join(format!("{id}.lock"));
        std::fs::rename(&tmp, &path)?;
        Ok(Self {
            id,
            dir: dir.to_path_buf(),
            path,
            _file: file,
        })
    }
}

impl Drop for WorkerLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Lock files of dead workers in `dir` (all but `own`), each returned locked (by us) with its
/// worker id: the caller reclaims the leases, then [`DeadWorker::forget`]s the file. Blocking
/// file work (a readdir and a non-blocking flock per file): run it off the async threads.
fn dead_workers(dir: &Path, own: &str) -> Vec<DeadWorker> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dead = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(id) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".lock"))
            .map(str::to_string)
        else {
            continue;
        };
        if id == own {
            continue;
        }
        let Ok(file) = File::open(&path) else {
            continue; // removed meanwhile
        };
        if file.try_lock().is_ok() {
            dead.push(DeadWorker { id, path, file });
        }
    }
    dead
}

struct DeadWorker {
    id: String,
    path: PathBuf,
    file: File,
}

impl DeadWorker {
    /// Removes the lock file while still holding its lock, so no one reclaims twice.
    fn forget(self) {
        let _ = std::fs::remove_file(&self.path);
        drop(self.file);
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
            if let Some(c) = self
                .db
                .claim_job_as(ms(self.lease), &self.lock.id, self.max_attempts)
                .await?
            {
                match Job::from_json(&c.payload) {
                    Ok(job) => {
                        let attempt = u32::try_from(c.attempts).unwrap_or(u32::MAX);
                        return Ok(Some(Delivery::leased(job, attempt, c.lease)));
                    }
                    Err(e) => {
                        tracing::error!(job_id = %c.lease.id(), error = %e, "malformed job payload, dead-lettering");
                        let error = format!("malformed payload: {e}");
                        self.db
                            .finish_job(&c.lease, JobEnd::Failed { error: &error })
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
        Ok(self.db.extend_job(d.lease()?, ms(lease)).await?)
    }

    async fn ack(&self, d: &Delivery) -> Result<(), QueueError> {
        self.db.finish_job(d.lease()?, JobEnd::Done).await?;
        Ok(())
    }

    async fn retry_later(
        &self,
        d: &Delivery,
        delay: Duration,
        reason: &str,
    ) -> Result<(), QueueError> {
        let end = JobEnd::Retry {
            after: delay,
            error: reason,
        };
        self.db.finish_job(d.lease()?, end).await?;
        Ok(())
    }

    async fn release(&self, d: &Delivery) -> Result<(), QueueError> {
        self.db.finish_job(d.lease()?, JobEnd::Release).await?;
        self.wake();
        Ok(())
    }

    async fn dead_letter(&self, d: &Delivery, reason: &str) -> Result<(), QueueError> {
        let end = JobEnd::Failed { error: reason };
        self.db.finish_job(d.lease()?, end).await?;
        Ok(())
    }

    async fn depth(&self) -> Result<u64, QueueError> {
        Ok(u64::try_from(self.db.queued_jobs().await?).unwrap_or(0))
    }

    async fn recover(&self) -> Result<u64, QueueError> {
        let (dir, own) = (self.lock.dir.clone(), self.lock.id.clone());
        let dead = tokio::task::spawn_blocking(move || dead_workers(&dir, &own))
            .await
            .map_err(|e| QueueError::Backend(format!("scanning worker locks: {e}")))?;
        let mut reclaimed = 0;
        for w in dead {
            let n = self
                .db
                .reclaim_worker_jobs(&w.id, self.max_attempts)
                .await?;
            if n > 0 {
                tracing::warn!(worker_id = %w.id, jobs = n, "reclaimed the jobs of a dead worker");
            }
            reclaimed += n;
            let _ = tokio::task::spawn_blocking(move || w.forget()).await;
        }
        if reclaimed > 0 {
            self.wake();
        }
        Ok(reclaimed)
    }
}
