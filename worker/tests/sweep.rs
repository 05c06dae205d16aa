//! The standalone `worker` binary sweeps its own machine's leftovers (job temp folders a crash
//! left behind); on a worker-only host nothing else would.
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant, SystemTime};

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sets a folder's modification time (after its content is written: writing inside changes it).
fn age(dir: &Path, by: Duration) {
    let f = std::fs::File::open(dir).unwrap();
    f.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn the_standalone_worker_removes_stale_job_temp_folders() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A crashed job's folder, two hours old; a running job's folder, fresh.
    let stale = data.join("tmp/job-crashed");
    let fresh = data.join("tmp/job-running");
    for d in [&stale, &fresh] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("out.mp4"), b"half a video").unwrap();
    }
    age(&stale, Duration::from_secs(2 * 3600));
    // An unfinished upload just as old: the web tier's to sweep, not the worker's.
    let partial = data.join("storage/.partial/crashed");
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(&partial, b"x").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&partial)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(2 * 3600))
        .unwrap();

    let mut worker = Kill(
        Command::new(env!("CARGO_BIN_EXE_worker"))
            .env("APP_DATA_DIR", &data)
            .env("APP_BASE_URL", "http://contests.test")
            .env("APP_SWEEPER__INTERVAL_SECS", "1")
            .env("APP_SWEEPER__ORPHAN_AGE_SECS", "3600")
            .env("RUST_LOG", "warn")
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while stale.exists() {
        if let Some(status) = worker.0.try_wait().unwrap() {
            panic!("the worker exited ({status}) before sweeping");
        }
        assert!(
            Instant::now() < deadline,
            "the stale temp folder is still there after 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // One more pass: what is young or not this host's stays.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        fresh.join("out.mp4").exists(),
        "a fresh temp folder was removed"
    );
    assert!(partial.exists(), "the worker swept the shared storage");
    assert!(
        worker.0.try_wait().unwrap().is_none(),
        "the worker keeps running"
    );
}
