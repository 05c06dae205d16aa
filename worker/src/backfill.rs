//! `worker backfill-hls`: adds the HLS ladder to videos converted before HLS existed.
//!
//! The source is the video's converted MP4 (H.264/AAC, so its own stream is the top rung, copied,
//! and only the lower rungs are encoded); the MP4 and poster stay as they are. Idempotent and
//! resumable: a video counts as done only once `hls_rungs` is set, after all its files are stored,
//! so a crash mid-way redoes just that video on the next run; videos that have HLS are skipped.
use std::io::Write;

use shared::backends::Backends;
use shared::domain::VideoId;
use shared::media::{self, probe, Failure, FailureCode, ProbeError};
use shared::storage::{keys, MediaSource, StorageError};
use shared::Settings;
use tokio::sync::mpsc;

use crate::ladder;
use crate::scratch::ScratchDir;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub total: u64,
    pub done: u64,
    pub failed: u64,
}

/// Backfills every converted video without HLS, writing one progress line per video to `out`.
pub async fn run(
    backends: &Backends,
    settings: &Settings,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<Summary> {
    let total = backends.db.count_converted_without_hls().await?.max(0) as u64;
    let mut summary = Summary {
        total,
        ..Summary::default()
    };
    let mut cursor: Option<VideoId> = None;
    let mut n = 0;
    loop {
        let batch = backends
            .db
            .converted_without_hls(cursor.as_ref(), 20)
            .await?;
        let Some(last) = batch.last() else { break };
        cursor = Some(last.id);
        for video in batch {
            n += 1;
            let started = std::time::Instant::now();
            match one(backends, settings, &video.id).await {
                Ok(rungs) => {
                    summary.done += 1;
                    writeln!(
                        out,
                        "backfill-hls: {n}/{total} {} rungs {rungs} in {:.1}s",
                        video.id,
                        started.elapsed().as_secs_f64()
                    )?;
                }
                Err(f) => {
                    summary.failed += 1;
                    tracing::warn!(video_id = %video.id, code = f.code.as_str(), detail = %f.detail, "backfill failed");
                    writeln!(
                        out,
                        "backfill-hls: {n}/{total} {} FAILED ({}: {})",
                        video.id,
                        f.code.as_str(),
                        f.detail
                    )?;
                }
            }
            out.flush()?;
        }
    }
    writeln!(
        out,
        "backfill-hls: finished, {} added, {} failed, {} total",
        summary.done, summary.failed, summary.total
    )?;
    Ok(summary)
}

async fn one(
    backends: &Backends,
    settings: &Settings,
    video_id: &VideoId,
) -> Result<String, Failure> {
    let s = &settings.media;
    let internal = |what: &str, e: &dyn std::fmt::Display| {
        Failure::new(FailureCode::Internal, format!("{what}: {e}"), false)
    };
    let tmp = ScratchDir::create(&settings.data_dir.join("tmp"), "backfill-")
        .await
        .map_err(|e| internal("cannot create temp folder", &e))?;
    let key = keys::mp4(video_id);
    let src = match backends.storage.local_path(&key) {
        Some(path) => MediaSource::Path(path),
        None => {
            let input = tmp.path().join("input.mp4");
            match backends.storage.fetch_to_file(&key, &input).await {
                Ok(()) => MediaSource::Path(input),
                Err(StorageError::NotFound(_)) => {
                    return Err(Failure::new(FailureCode::Missing, "no converted MP4", true))
                }
                Err(e) => return Err(internal("cannot fetch the MP4", &e)),
            }
        }
    };
    let p = match probe::probe(s, &src).await {
        Ok(p) => p,
        Err(ProbeError::Rejected(r)) => {
            return Err(Failure::new(FailureCode::Rejected, r.to_string(), true))
        }
        Err(ProbeError::Process(e)) => return Err(media::classify(&e)),
    };
    let p = media::validate(p, s)
        .map_err(|r| Failure::new(FailureCode::Rejected, r.to_string(), true))?;
    let plan = media::plan(&p, s);
    let threads = media::threads(s.threads, settings.encode_concurrency());
    let (tx, _rx) = mpsc::channel(1);
    let encoded = ladder::encode(s, threads, &src, &p, &plan, tmp.path(), tx).await?;
    ladder::store_hls(backends.storage.as_ref(), video_id, &encoded)
        .await
        .map_err(|e| internal("cannot store the HLS files", &e))?;
    let rungs = plan.rung_list();
    backends
        .db
        .set_hls_rungs(video_id, &rungs)
        .await
        .map_err(|e| internal("database unavailable", &e))?;
    Ok(rungs)
}
