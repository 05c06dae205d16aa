//! `worker inspect FILE`: the worker's view of a file, for operators and the benchmark.
use std::path::Path;

use serde::Serialize;
use shared::config::MediaSettings;
use shared::media::{self, argv, probe, ProbeError};
use shared::storage::MediaSource;

#[derive(Debug, Serialize)]
pub struct Report {
    pub accepted: bool,
    pub reason: Option<String>,
    pub demuxer: Option<String>,
    pub duration_secs: Option<f64>,
    pub plan: Option<String>,
    /// The HLS rungs that would be made (`"720,480,360"`).
    pub rungs: Option<String>,
    /// ffmpeg's arguments for the conversion, writing the HLS folders and the poster into
    /// `output/` in the current folder.
    pub ffmpeg_args: Vec<String>,
}

pub async fn inspect(s: &MediaSettings, threads: usize, file: &Path) -> anyhow::Result<Report> {
    let file = std::fs::canonicalize(file)?;
    let src = MediaSource::Path(file);
    let rejected = |reason: String| Report {
        accepted: false,
        reason: Some(reason),
        demuxer: None,
        duration_secs: None,
        plan: None,
        rungs: None,
        ffmpeg_args: vec![],
    };
    let p = match probe::probe(s, &src).await {
        Ok(p) => p,
        Err(ProbeError::Rejected(r)) => return Ok(rejected(r.to_string())),
        Err(ProbeError::Process(e)) => return Err(e.into()),
    };
    let p = match media::validate(p, s) {
        Ok(p) => p,
        Err(r) => return Ok(rejected(r.to_string())),
    };
    let plan = media::plan(&p, s);
    let args = argv::convert_args(s, &src, &p, &plan, threads, Path::new("output"));
    Ok(Report {
        accepted: true,
        reason: None,
        demuxer: Some(p.demuxer.clone()),
        duration_secs: Some(p.duration_secs),
        plan: Some(plan.describe()),
        rungs: Some(plan.rung_list()),
        ffmpeg_args: args
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
    })
}
