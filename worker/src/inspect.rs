//! `worker inspect FILE`: the worker's view of a file, for operators and the benchmark.
use std::path::Path;

use serde::Serialize;
use shared::config::MediaSettings;
use shared::storage::MediaSource;

use crate::ffmpeg::{self, Plan};
use crate::probe::{self, ProbeError};

#[derive(Debug, Serialize)]
pub struct Report {
    pub accepted: bool,
    pub reason: Option<String>,
    pub demuxer: Option<String>,
    pub duration_secs: Option<f64>,
    pub plan: Option<String>,
    /// ffmpeg's arguments for the conversion, writing to `output.mp4` in the current folder.
    pub ffmpeg_args: Vec<String>,
}

pub async fn inspect(s: &MediaSettings, file: &Path) -> anyhow::Result<Report> {
    let file = std::fs::canonicalize(file)?;
    let src = MediaSource::Path(file);
    let rejected = |reason: String| Report {
        accepted: false,
        reason: Some(reason),
        demuxer: None,
        duration_secs: None,
        plan: None,
        ffmpeg_args: vec![],
    };
    let p = match probe::probe(s, &src).await {
        Ok(p) => p,
        Err(ProbeError::Rejected(r)) => return Ok(rejected(r.message)),
        Err(ProbeError::Process(e)) => return Err(e.into()),
    };
    if let Err(r) = probe::validate(&p, s) {
        return Ok(rejected(r.message));
    }
    let plan = ffmpeg::plan(&p);
    let args = ffmpeg::convert_args(s, &src, &p, &plan, Path::new("output.mp4"));
    Ok(Report {
        accepted: true,
        reason: None,
        demuxer: Some(p.demuxer.clone()),
        duration_secs: Some(p.duration_secs),
        plan: Some(match plan {
            Plan::Remux => "remux".into(),
            Plan::Transcode { width, height } => format!("transcode {width}x{height}"),
        }),
        ffmpeg_args: args
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
    })
}
