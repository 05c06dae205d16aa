//! What each job does. Handlers are idempotent: a conditional state update decides who wins,
//! so a second delivery of a finished job does nothing.
use std::sync::Arc;
use std::time::{Duration, Instant};

use shared::backends::Backends;
use shared::config::QueueSettings;
use shared::db::Video;
use shared::domain::{EmailId, EmailState, VideoId};
use shared::jobs::Job;
use shared::mail::{compose as emails, MailError};
use shared::media::{self, probe, Failure, FailureCode, ProbeError, ValidProbe};
use shared::storage::{keys, MediaSource, StorageError};
use shared::Settings;
use tokio::sync::{mpsc, Semaphore};

use crate::ladder;
use crate::scratch::ScratchDir;

/// How a handler ended; the runner turns it into ack / retry / dead letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Might work next time (I/O, a failed or timed-out encode).
    Retry(String),
    /// Will not work however often we try (a file that is not a usable video).
    Fatal(String),
}

pub struct Pipeline {
    pub backends: Backends,
    pub settings: Arc<Settings>,
    encodes: Semaphore,
}

impl Pipeline {
    pub fn new(backends: Backends, settings: Arc<Settings>) -> Self {
        let permits = settings.encode_concurrency();
        Self {
            backends,
            settings,
            encodes: Semaphore::new(permits),
        }
    }

    pub async fn handle(&self, job: &Job, attempt: u32) -> Outcome {
        match job {
            Job::Transcode { video_id } => self.transcode(video_id, attempt).await,
            Job::SendEmail { email_id } => self.send_email(email_id).await,
        }
    }

    /// Called when a job is out of attempts or fatal: the video ends `failed` with its reason
    /// and the participant hears about it, once.
    pub async fn give_up(&self, job: &Job, reason: &str) {
        match job {
            Job::Transcode { video_id } => {
                if let Err(e) = self.fail_video(video_id, reason).await {
                    tracing::error!(video_id = %video_id, error = %e, "could not mark video failed");
                }
            }
            Job::SendEmail { email_id } => {
                if let Err(e) = self
                    .backends
                    .db
                    .record_email_attempt(email_id, EmailState::Failed, Some(reason))
                    .await
                {
                    tracing::error!(email_id = %email_id, error = %e, "could not record email failure");
                }
            }
        }
    }

    /// A transcode will run again later: show it as waiting rather than stuck mid-conversion.
    pub async fn note_retry(&self, job: &Job) {
        if let Job::Transcode { video_id } = job {
            if let Err(e) = self.backends.db.requeue_processing(video_id).await {
                tracing::warn!(video_id = %video_id, error = %e, "could not reset video state");
            }
        }
    }

    /// Ends the video `failed` with its email; `false` if it already ended (or is gone).
    async fn fail_video(&self, video_id: &VideoId, reason: &str) -> anyhow::Result<bool> {
        let db = &self.backends.db;
        let Some(video) = db.video_by_id(video_id).await? else {
            return Ok(false);
        };
        let Some(contest) = db.contest_by_id(&video.contest_id).await? else {
            return Ok(false);
        };
        // The stored reason is always one of the fixed codes; anything else (a database or
        // queue error) is the generic one, its text kept for the organizer only.
        let code = match FailureCode::parse(reason) {
            Some(code) => code,
            None => {
                db.set_error_detail(video_id, &media::failure::sanitize(reason))
                    .await?;
                FailureCode::Internal
            }
        };
        let sentence = code.sentence(&video.lang);
        let email = emails::failed(self.settings.base_url(), &contest, &video, &sentence)?;
        let won = db.mark_failed(video_id, code.as_str(), &email).await?;
        if won {
            self.backends.queue.wake();
        }
        Ok(won)
    }

    /// Fails the videos whose conversion can no longer finish, so none stays "processing"
    /// forever: waiting or converting, untouched for `worker.stale_after_secs` (a running
    /// conversion's heartbeat touches its row), and
    /// - DB queue: no job of it can run any more (dead-lettered, or its worker died during the
    ///   last attempt);
    /// - SQS: its last delivery was attempt `max_attempts`; the queue's redrive policy
    ///   (`maxReceiveCount` = `max_attempts`) moves the message to the DLQ by itself.
    ///
    /// Every worker runs it; the conditional state change lets one of them win, so the
    /// participant gets one mail and the organizer the retry button. Returns how many it failed.
    pub async fn sweep_stale(&self) -> anyhow::Result<u64> {
        let w = &self.settings.worker;
        let max = i64::from(w.max_attempts);
        let stale_ms = i64::try_from(w.stale_after_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        let db = &self.backends.db;
        let mut failed = 0;
        for (id, attempts) in db.stale_videos(shared::time::now_ms() - stale_ms).await? {
            let dead = match self.settings.queue {
                QueueSettings::Db => !db.video_job_alive(&id, max).await?,
                QueueSettings::Sqs { .. } => attempts >= max,
            };
            if dead
                && self
                    .fail_video(&id, FailureCode::Interrupted.as_str())
                    .await?
            {
                tracing::warn!(video_id = %id, attempts, "conversion could not finish; video failed");
                failed += 1;
            }
        }
        Ok(failed)
    }

    #[tracing::instrument(skip_all, fields(video_id = %video_id, attempt))]
    async fn transcode(&self, video_id: &VideoId, attempt: u32) -> Outcome {
        let db = &self.backends.db;
        let video = match db.video_by_id(video_id).await {
            Ok(Some(v)) => v,
            Ok(None) => return Outcome::Done, // deleted meanwhile
            Err(e) => return Outcome::Retry(format!("database unavailable: {e}")),
        };
        if video.state.is_terminal() {
            return Outcome::Done;
        }
        let _permit = self
            .encodes
            .acquire()
            .await
            .expect("semaphore never closed");
        match db.start_processing(video_id, i64::from(attempt)).await {
            Ok(true) => {}
            Ok(false) => return Outcome::Done,
            Err(e) => return Outcome::Retry(format!("database unavailable: {e}")),
        }
        let started = Instant::now();
        let outcome = match self.convert(&video).await {
            Ok(()) => Outcome::Done,
            Err(o) => o,
        };
        if outcome == Outcome::Done {
            self.backends
                .metrics
                .transcode_seconds
                .observe(started.elapsed().as_secs_f64());
        }
        outcome
    }

    async fn convert(&self, video: &Video) -> Result<(), Outcome> {
        let b = &self.backends;
        match self.try_convert(video).await {
            Ok(()) => Ok(()),
            Err(f) => {
                tracing::warn!(code = f.code.as_str(), permanent = f.permanent, detail = %f.detail, "conversion failed");
                if let Err(e) = b.db.set_error_detail(&video.id, &f.detail).await {
                    tracing::warn!(error = %e, "could not record the failure detail");
                }
                let code = f.code.as_str().to_string();
                Err(if f.permanent {
                    Outcome::Fatal(code)
                } else {
                    Outcome::Retry(code)
                })
            }
        }
    }

    /// The encoder threads of one job: the setting, or this machine's share per concurrent job.
    fn threads(&self) -> usize {
        media::threads(
            self.settings.media.threads,
            self.settings.encode_concurrency(),
        )
    }

    /// The video's validated probe: the one stored at upload time (checked again against today's
    /// limits, no ffprobe run), or a fresh probe for rows from before probes were stored.
    async fn valid_probe(&self, video: &Video, src: &MediaSource) -> Result<ValidProbe, Failure> {
        let limits = &self.settings.media;
        let rejected = |r: media::Rejection| {
            let code = match r.code {
                "probe.too_long" => FailureCode::TooLong,
                "probe.unsupported" | "probe.no_video" => FailureCode::Unsupported,
                "probe.unreadable" | "probe.no_duration" => FailureCode::Damaged,
                _ => FailureCode::Rejected,
            };
            Failure::new(code, r.to_string(), true)
        };
        if let Some(stored) = video
            .probe_json
            .as_deref()
            .and_then(|j| ValidProbe::from_stored(j, limits))
        {
            return stored.map_err(rejected);
        }
        let p = match probe::probe(limits, src).await {
            Ok(p) => p,
            Err(ProbeError::Rejected(r)) => return Err(rejected(r)),
            Err(ProbeError::Process(e)) => return Err(media::classify(&e)),
        };
        media::validate(p, limits).map_err(rejected)
    }

    async fn try_convert(&self, video: &Video) -> Result<(), Failure> {
        let s = &self.settings;
        let b = &self.backends;
        let internal = |what: &str, e: &dyn std::fmt::Display| {
            Failure::new(FailureCode::Internal, format!("{what}: {e}"), false)
        };
        // Removed when dropped (off the async threads), whatever happens below.
        let tmp = ScratchDir::create(&s.data_dir.join("tmp"), "job-")
            .await
            .map_err(|e| internal("cannot create temp folder", &e))?;
        let t_start = Instant::now();
        // A local original is read in place; from S3 it is downloaded first.
        let src = match b.storage.local_path(&video.original_key) {
            Some(path) => {
                if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    return Err(Failure::new(
                        FailureCode::Missing,
                        "the original is missing from storage",
                        true,
                    ));
                }
                MediaSource::Path(path)
            }
            None => {
                let input = tmp.path().join("input");
                match b.storage.fetch_to_file(&video.original_key, &input).await {
                    Ok(()) => MediaSource::Path(input),
                    Err(StorageError::NotFound(_)) => {
                        return Err(Failure::new(
                            FailureCode::Missing,
                            "the original is missing from storage",
                            true,
                        ))
                    }
                    Err(e) => return Err(internal("cannot fetch the original", &e)),
                }
            }
        };
        let t_fetched = Instant::now();
        let p = self.valid_probe(video, &src).await?;
        let plan = media::plan(&p, &s.media);
        tracing::info!(plan = %plan.describe(), duration = p.duration_secs, "converting");
        let (tx, mut rx) = mpsc::channel::<i64>(16);
        let db = b.db.clone();
        let id = video.id;
        let reporter = tokio::spawn(async move {
            let mut last_write = Instant::now() - Duration::from_secs(1);
            let mut pending = None;
            loop {
                let next = tokio::time::timeout(Duration::from_millis(300), rx.recv()).await;
                match next {
                    Ok(Some(p)) => pending = Some(p),
                    Ok(None) => break,
                    Err(_) => {}
                }
                // At most ~3 writes a second, however chatty ffmpeg is.
                if let Some(p) = pending {
                    if last_write.elapsed() >= Duration::from_millis(300) {
                        let _ = db.set_progress(&id, p).await;
                        last_write = Instant::now();
                        pending = None;
                    }
                }
            }
        });
        let t_encode = Instant::now();
        let encoded =
            ladder::encode(&s.media, self.threads(), &src, &p, &plan, tmp.path(), tx).await;
        let _ = reporter.await;
        let encoded = encoded?;
        let encode_ms = t_encode.elapsed().as_millis();
        let t_mp4 = Instant::now();
        let mp4 = ladder::progressive_mp4(&s.media, &plan, &encoded, tmp.path()).await?;
        let mp4_ms = t_mp4.elapsed().as_millis();

        let t_store = Instant::now();
        let (mp4_key, poster_key) = (keys::mp4(&video.id), keys::poster(&video.id));
        ladder::store_hls(b.storage.as_ref(), &video.id, &encoded)
            .await
            .map_err(|e| internal("cannot store the HLS files", &e))?;
        b.storage
            .put_file(&mp4_key, "video/mp4", &mp4)
            .await
            .map_err(|e| internal("cannot store the MP4", &e))?;
        b.storage
            .put_file(&poster_key, "image/jpeg", &encoded.poster())
            .await
            .map_err(|e| internal("cannot store the poster", &e))?;

        let contest = match b.db.contest_by_id(&video.contest_id).await {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(()), // contest deleted meanwhile
            Err(e) => return Err(internal("database unavailable", &e)),
        };
        let email = emails::ready(s.base_url(), &contest, video).map_err(|e| {
            Failure::new(
                FailureCode::Internal,
                format!("cannot render email: {e}"),
                true,
            )
        })?;
        let rungs = plan.rung_list();
        match b
            .db
            .mark_converted(&video.id, &mp4_key, &poster_key, Some(&rungs), &email)
            .await
        {
            Ok(true) => {
                b.queue.wake();
                tracing::info!(
                    fetch_ms = (t_fetched - t_start).as_millis(),
                    probe_ms = (t_encode - t_fetched).as_millis(),
                    encode_ms,
                    mp4_ms,
                    store_ms = t_store.elapsed().as_millis(),
                    rungs,
                    "converted"
                );
                Ok(())
            }
            Ok(false) => Ok(()), // someone else finished it first; their outputs are the same keys
            Err(e) => Err(internal("database unavailable", &e)),
        }
    }

    #[tracing::instrument(skip_all, fields(email_id = %email_id))]
    async fn send_email(&self, email_id: &EmailId) -> Outcome {
        let db = &self.backends.db;
        let email = match db.email_by_id(email_id).await {
            Ok(Some(e)) if e.state == EmailState::Pending => e,
            Ok(_) => return Outcome::Done,
            Err(e) => return Outcome::Retry(format!("database unavailable: {e}")),
        };
        // An address that bounced for good or complained is never mailed again (SES events).
        match db.suppression_of(&email.recipient).await {
            Ok(Some(why)) => {
                let reason = format!("not sent: the address is suppressed after a {why}");
                tracing::info!(email_id = %email_id, "{reason}");
                let _ = db
                    .record_email_attempt(email_id, EmailState::Skipped, Some(&reason))
                    .await;
                return Outcome::Done;
            }
            Ok(None) => {}
            Err(e) => return Outcome::Retry(format!("database unavailable: {e}")),
        }
        // A cap per recipient per day: an upload form must not become a way to mail someone
        // without end. Over the cap the row is final (`skipped`, with the reason), never retried.
        let cap = self.settings.limits.mails_per_recipient_per_day;
        let since = shared::time::now_ms() - 86_400_000;
        match db.mails_sent_to_since(&email.recipient, since).await {
            Ok(n) if n >= i64::from(cap) => {
                let reason =
                    format!("not sent: {cap} mails to this recipient in the last 24 hours");
                tracing::warn!(email_id = %email_id, "{reason}");
                let _ = db
                    .record_email_attempt(email_id, EmailState::Skipped, Some(&reason))
                    .await;
                return Outcome::Done;
            }
            Ok(_) => {}
            Err(e) => return Outcome::Retry(format!("database unavailable: {e}")),
        }
        match self.backends.mailer.send(&email).await {
            Ok(()) => {
                let _ = db
                    .record_email_attempt(email_id, EmailState::Sent, None)
                    .await;
                Outcome::Done
            }
            Err(MailError::Transient(e)) => {
                let _ = db
                    .record_email_attempt(email_id, EmailState::Pending, Some(&e))
                    .await;
                Outcome::Retry(e)
            }
            Err(MailError::Permanent(e)) => {
                // Recorded on the email row; the video itself stays converted.
                let _ = db
                    .record_email_attempt(email_id, EmailState::Failed, Some(&e))
                    .await;
                Outcome::Done
            }
        }
    }
}
