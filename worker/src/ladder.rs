//! One conversion run: a single ffmpeg process makes every HLS rung, the shared audio rendition
//! and the poster; the app then writes the master playlist and stream-copies the top rung into
//! the progressive MP4.
use std::path::{Path, PathBuf};

use shared::config::MediaSettings;
use shared::media::hls::{self, Variant};
use shared::media::plan::AudioPlan;
use shared::media::{argv, classify, Failure, FailureCode, Plan, ValidProbe};
use shared::storage::{keys, MediaSource, Storage, StorageError};
use tokio::sync::mpsc;

use crate::ffmpeg;

/// What a run left in its work folder.
pub struct Encoded {
    /// `master.m3u8`, the rendition folders and `poster.jpg`.
    pub out: PathBuf,
    pub variants: Vec<Variant>,
}

impl Encoded {
    pub fn poster(&self) -> PathBuf {
        self.out.join(argv::POSTER_FILE)
    }
}

fn internal(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::new(FailureCode::Internal, format!("{what}: {e}"), false)
}

/// Runs the ladder encode into `work/out`.
pub async fn encode(
    s: &MediaSettings,
    threads: usize,
    src: &MediaSource,
    p: &ValidProbe,
    plan: &Plan,
    work: &Path,
    progress: mpsc::Sender<i64>,
) -> Result<Encoded, Failure> {
    let out = work.join("out");
    tokio::fs::create_dir_all(&out)
        .await
        .map_err(|e| internal("cannot create the output folder", e))?;
    let args = argv::convert_args(s, src, p, plan, threads, &out);
    ffmpeg::run_with_progress(s, &args, p.duration_secs, progress)
        .await
        .map_err(|e| classify(&e))?;
    let has_audio = plan.audio != AudioPlan::None;
    let (dir, plan2) = (out.clone(), plan.clone());
    let variants = tokio::task::spawn_blocking(move || hls::finish(&dir, &plan2, has_audio))
        .await
        .map_err(|e| internal("playlist task failed", e))?
        .map_err(|e| internal("cannot write the playlists", e))?;
    Ok(Encoded { out, variants })
}

/// The progressive MP4 (faststart) from the top rung and the audio rendition, by stream copy.
pub async fn progressive_mp4(
    s: &MediaSettings,
    plan: &Plan,
    enc: &Encoded,
    work: &Path,
) -> Result<PathBuf, Failure> {
    let top = enc.out.join(plan.top().dir());
    let audio_dir = enc.out.join(argv::AUDIO_DIR);
    let has_audio = plan.audio != AudioPlan::None;
    let (video_frag, audio_frag) = (work.join("top.mp4"), work.join("audio.mp4"));
    let (v, a) = (video_frag.clone(), audio_frag.clone());
    tokio::task::spawn_blocking(move || {
        hls::join_fragments(&top, &v)?;
        if has_audio {
            hls::join_fragments(&audio_dir, &a)?;
        }
        Ok::<_, std::io::Error>(())
    })
    .await
    .map_err(|e| internal("join task failed", e))?
    .map_err(|e| internal("cannot join the fragments", e))?;
    let mp4 = work.join("video.mp4");
    let args = argv::mp4_args(&video_frag, has_audio.then_some(audio_frag.as_path()), &mp4);
    shared::process::run(
        &s.ffmpeg,
        &args,
        std::time::Duration::from_secs(s.probe_timeout_secs.max(60)),
        None,
    )
    .await
    .map_err(|e| classify(&e))?;
    let poster = enc.poster();
    if !tokio::fs::try_exists(&poster).await.unwrap_or(false) {
        // A clip shorter than the poster time: its first frame.
        shared::process::run(
            &s.ffmpeg,
            &argv::poster_fallback_args(&mp4, &poster),
            std::time::Duration::from_secs(s.probe_timeout_secs.max(30)),
            None,
        )
        .await
        .map_err(|e| classify(&e))?;
    }
    Ok(mp4)
}

/// Stores every HLS file (rendition folders first, the master playlist last: a reader that sees
/// the master finds every rung).
pub async fn store_hls(
    storage: &dyn Storage,
    video_id: &shared::domain::VideoId,
    enc: &Encoded,
) -> Result<(), StorageError> {
    let dir = enc.out.clone();
    let files = tokio::task::spawn_blocking(move || hls::files(&dir))
        .await
        .map_err(|e| StorageError::Backend(e.to_string()))??;
    let (master, rest): (Vec<_>, Vec<_>) = files
        .into_iter()
        .filter(|(rel, _)| rel != argv::POSTER_FILE)
        .partition(|(rel, _)| rel == "master.m3u8");
    for (rel, path) in rest.into_iter().chain(master) {
        storage
            .put_file(&keys::hls(video_id, &rel), hls::content_type(&rel), &path)
            .await?;
    }
    Ok(())
}
