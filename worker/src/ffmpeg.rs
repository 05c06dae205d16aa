//! Runs the conversion argv built by `shared::media::argv`, reporting progress as it goes.
use std::ffi::OsString;

use shared::config::MediaSettings;
use shared::media::argv::{progress_from_line, timeout_for};
use shared::process::{self, ProcessError};
use tokio::sync::mpsc;

/// Runs ffmpeg, sending percent-done values to `progress` as they change.
pub async fn run_with_progress(
    s: &MediaSettings,
    args: &[OsString],
    duration_secs: f64,
    progress: mpsc::Sender<i64>,
) -> Result<(), ProcessError> {
    let (tx, mut rx) = mpsc::channel::<String>(64);
    let forward = tokio::spawn(async move {
        let mut last = -1;
        while let Some(line) = rx.recv().await {
            if let Some(p) = progress_from_line(&line, duration_secs) {
                if p != last {
                    last = p;
                    let _ = progress.try_send(p);
                }
            }
        }
    });
    let result = process::run(&s.ffmpeg, args, timeout_for(s, duration_secs), Some(tx)).await;
    let _ = forward.await;
    result.map(|_| ())
}
