//! Crash and shutdown behaviour of the standalone `worker` binary against a shared data folder.
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shared::backends::Backends;
use shared::db::{NewContest, NewVideo};
use shared::domain::{ContestId, EmailAddress, EmailState, JobState, VideoId, VideoState};
use shared::jobs::Job;
use shared::storage::keys;
use shared::Settings;
use worker::{Pipeline, Step, Worker};

struct Fixture {
    dir: tempfile::TempDir,
    slow_ffmpeg: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // Conversions (the run with -progress) hang; everything else is the real ffmpeg.
        let slow_ffmpeg = dir.path().join("ffmpeg-slow");
        std::fs::write(
            &slow_ffmpeg,
            "#!/bin/sh\ncase \"$*\" in *-progress*) sleep 60;; esac\nexec ffmpeg \"$@\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&slow_ffmpeg, std::fs::Permissions::from_mode(0o755)).unwrap();
        Self { dir, slow_ffmpeg }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn settings(&self, ffmpeg: &Path) -> Settings {
        let data = self.data();
        let ffmpeg = ffmpeg.to_string_lossy().to_string();
        Settings::load_with(move |b| {
            b.set_override("data_dir", data.to_string_lossy().to_string())
                .unwrap()
                .set_override("base_url", "http://contests.test")
                .unwrap()
                .set_override("worker.lease_secs", 2)
                .unwrap()
                .set_override("worker.retry_base_secs", 0)
                .unwrap()
                .set_override("media.ffmpeg", ffmpeg)
                .unwrap()
        })
        .unwrap()
    }

    /// A contest with one uploaded AVI and its transcode job, as the web tier leaves them.
    async fn seed(&self, b: &Backends) -> VideoId {
        let user =
            b.db.create_user(
                &EmailAddress::parse("email", "org@example.org").unwrap(),
                "x",
            )
            .await
            .unwrap();
        let contest_id = ContestId::new();
        let c = NewContest {
            slug: "crash".into(),
            name: "Crash".into(),
            description: String::new(),
            prize: String::new(),
            starts_at: 0,
            ends_at: i64::MAX / 2,
            entries_per_email: 3,
        };
        b.db.create_contest(&contest_id, &user.id, &c, None)
            .await
            .unwrap();
        let src = self.dir.path().join("in.avi");
        let ok = Command::new("ffmpeg")
            .args([
                "-nostdin",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-c:v",
                "mpeg4",
            ])
            .arg(&src)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let id = VideoId::new();
        b.storage
            .put_file(&keys::original(&id), "video/x-msvideo", &src)
            .await
            .unwrap();
        let v = NewVideo {
            id,
            contest_id,
            title: "Crash test".into(),
            title_key: "crash test".into(),
            first_name: "Ana".into(),
            last_name: "G".into(),
            email: "ana@example.org".into(),
            description: String::new(),
            original_key: keys::original(&id),
            size_bytes: 1,
            probe: Default::default(),
            probe_json: None,
            lang: "en".into(),
        };
        b.db.create_video_with_job(&v).await.unwrap();
        id
    }

    fn spawn_worker_binary(&self, grace_secs: u64) -> Child {
        self.spawn_worker(grace_secs, 2, &self.slow_ffmpeg)
    }

    fn spawn_worker(&self, grace_secs: u64, lease_secs: u64, ffmpeg: &Path) -> Child {
        Command::new(env!("CARGO_BIN_EXE_worker"))
            .env("APP_DATA_DIR", self.data())
            .env("APP_BASE_URL", "http://contests.test")
            .env("APP_WORKER__LEASE_SECS", lease_secs.to_string())
            .env(
                "APP_WORKER__STALE_AFTER_SECS",
                (lease_secs + 120).to_string(),
            )
            .env("APP_WORKER__SHUTDOWN_GRACE_SECS", grace_secs.to_string())
            .env("APP_MEDIA__FFMPEG", ffmpeg)
            .env("RUST_LOG", "warn")
            .spawn()
            .unwrap()
    }
}

async fn wait_for_state(b: &Backends, id: &VideoId, state: VideoState) {
    let t0 = Instant::now();
    loop {
        let v = b.db.video_by_id(id).await.unwrap().unwrap();
        if v.state == state {
            return;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "video stuck in {}",
            v.state
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn drain(w: &Worker) {
    while w.run_next(Duration::from_millis(100)).await.unwrap() != Step::Idle {}
}

#[tokio::test]
async fn a_killed_worker_job_is_picked_up_after_its_lease_and_completes_once() {
    let fx = Fixture::new();
    let settings = Arc::new(fx.settings(Path::new("ffmpeg")));
    let b = Backends::build(&settings).await.unwrap();
    let id = fx.seed(&b).await;

    let mut child = fx.spawn_worker_binary(120);
    wait_for_state(&b, &id, VideoState::Processing).await;
    child.kill().unwrap(); // SIGKILL: no cleanup, the lease stays
    child.wait().unwrap();
    let jobs = b.db.jobs_for_payload(&id.to_string()).await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].state, JobState::Running);

    // Another worker (real ffmpeg) gets it once the 2 s lease has expired.
    let w = Worker::new(Pipeline::new(b.clone(), settings.clone()));
    let t0 = Instant::now();
    loop {
        if let Step::Handled(o) = w.run_next(Duration::from_millis(200)).await.unwrap() {
            assert_eq!(o, worker::Outcome::Done);
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "job never came back"
        );
    }
    drain(&w).await;
    let v = b.db.video_by_id(&id).await.unwrap().unwrap();
    assert_eq!(v.state, VideoState::Converted);
    assert_eq!(v.attempts, 2, "the crash counted as an attempt");

    // A duplicate delivery of the same job does nothing.
    b.db.enqueue_job(&Job::Transcode { video_id: id })
        .await
        .unwrap();
    drain(&w).await;
    assert_eq!(
        b.db.emails_for_video(&id).await.unwrap().len(),
        1,
        "exactly one email"
    );
    let emls = std::fs::read_dir(fx.data().join("outbox")).unwrap().count();
    assert_eq!(emls, 1);
    // No temp dirs left behind by the finished job.
    let leftovers: Vec<_> = std::fs::read_dir(fx.data().join("tmp")).unwrap().collect();
    assert!(leftovers.len() <= 1, "{leftovers:?}"); // only the killed worker's may remain
}

#[tokio::test]
async fn sigterm_releases_the_running_job_after_the_grace_period() {
    let fx = Fixture::new();
    let settings = Arc::new(fx.settings(Path::new("ffmpeg")));
    let b = Backends::build(&settings).await.unwrap();
    let id = fx.seed(&b).await;

    let mut child = fx.spawn_worker_binary(1);
    wait_for_state(&b, &id, VideoState::Processing).await;
    let t0 = Instant::now();
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(
        t0.elapsed() < Duration::from_secs(10),
        "stopped after {:?}",
        t0.elapsed()
    );
    let jobs = b.db.jobs_for_payload(&id.to_string()).await.unwrap();
    assert_eq!(jobs[0].state, JobState::Queued, "released for someone else");
    assert_eq!(jobs[0].attempts, 0, "a shutdown is not a failed attempt");
    assert_eq!(
        b.db.video_by_id(&id).await.unwrap().unwrap().state,
        VideoState::Queued,
        "shown as waiting again"
    );

    // And it completes normally afterwards.
    let w = Worker::new(Pipeline::new(b.clone(), settings.clone()));
    drain(&w).await;
    assert_eq!(
        b.db.video_by_id(&id).await.unwrap().unwrap().state,
        VideoState::Converted
    );
}

/// `kill -9` of the one-machine site: the restarted worker sees that the dead one's lock file
/// is free and takes its job back at once, long before the 60 s lease would expire.
#[tokio::test]
async fn after_kill_9_a_restart_finishes_the_job_within_5_s_exactly_once() {
    let fx = Fixture::new();
    let settings = Arc::new(fx.settings(Path::new("ffmpeg")));
    let b = Backends::build(&settings).await.unwrap();
    let id = fx.seed(&b).await;

    let mut child = fx.spawn_worker(120, 60, &fx.slow_ffmpeg);
    wait_for_state(&b, &id, VideoState::Processing).await;
    child.kill().unwrap(); // SIGKILL: no cleanup, a 60 s lease stays behind
    child.wait().unwrap();
    let jobs = b.db.jobs_for_payload(&id.to_string()).await.unwrap();
    assert_eq!(jobs[0].state, JobState::Running);
    let locks = std::fs::read_dir(fx.data().join("workers"))
        .unwrap()
        .count();
    assert_eq!(locks, 2, "the dead worker's lock file and this test's");

    let t0 = Instant::now();
    let mut restarted = fx.spawn_worker(120, 60, Path::new("ffmpeg"));
    wait_for_state(&b, &id, VideoState::Converted).await;
    let took = t0.elapsed();
    // The participant's mail goes out once.
    while b
        .db
        .emails_for_video(&id)
        .await
        .unwrap()
        .iter()
        .all(|e| e.state != EmailState::Sent)
    {
        assert!(t0.elapsed() < Duration::from_secs(30), "mail never sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ok = Command::new("kill")
        .args(["-TERM", &restarted.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    restarted.wait().unwrap();
    assert!(
        took < Duration::from_secs(5),
        "converted {took:?} after the restart"
    );
    let v = b.db.video_by_id(&id).await.unwrap().unwrap();
    assert_eq!(v.attempts, 2, "the killed run counted as an attempt");
    assert_eq!(b.db.emails_for_video(&id).await.unwrap().len(), 1);
    let emls = std::fs::read_dir(fx.data().join("outbox")).unwrap().count();
    assert_eq!(emls, 1, "exactly one email");
    let jobs = b.db.jobs_for_payload(&id.to_string()).await.unwrap();
    assert!(jobs.iter().all(|j| j.state == JobState::Done), "{jobs:?}");
    // The dead worker's lock file is gone; the restarted one removed its own on exit.
    let locks = std::fs::read_dir(fx.data().join("workers"))
        .unwrap()
        .count();
    assert_eq!(locks, 1, "only this test's lock file is left");
}

/// A live worker's leases are never taken: its lock is held.
#[tokio::test]
async fn a_live_workers_lease_is_not_reclaimed() {
    let fx = Fixture::new();
    let settings = Arc::new(fx.settings(Path::new("ffmpeg")));
    let b = Backends::build(&settings).await.unwrap();
    let id = fx.seed(&b).await;
    let mut child = fx.spawn_worker(120, 60, &fx.slow_ffmpeg);
    wait_for_state(&b, &id, VideoState::Processing).await;
    assert_eq!(b.queue.recover().await.unwrap(), 0);
    assert!(b
        .queue
        .receive(Duration::from_millis(300))
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        b.db.jobs_for_payload(&id.to_string()).await.unwrap()[0].state,
        JobState::Running
    );
    child.kill().unwrap();
    child.wait().unwrap();
    // Once it is dead, the same call takes the job back.
    assert_eq!(b.queue.recover().await.unwrap(), 1);
    assert_eq!(
        b.db.jobs_for_payload(&id.to_string()).await.unwrap()[0].state,
        JobState::Queued
    );
}
