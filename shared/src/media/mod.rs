//! Everything about media files in one place, used by the web tier (upload checks) and the
//! worker (conversion): ffprobe JSON → [`Probe`] ([`probe`]), the pure limits check that turns it
//! into a [`ValidProbe`] ([`validate`]), the conversion plan with its HLS ladder ([`plan`]), the
//! ffmpeg argv ([`argv`]), the app-written HLS master playlist ([`hls`]) and the fixed set of
//! failure reasons shown to participants ([`failure`]), and participants' subtitles files
//! ([`captions`]), checked as text and never given to ffmpeg.
pub mod argv;
pub mod captions;
pub mod failure;
pub mod hls;
pub mod plan;
pub mod probe;
pub mod validate;

pub use failure::{classify, Failure, FailureCode};
pub use plan::{plan, Plan, Rung};
pub use probe::{AudioStream, Probe, ProbeError, VideoStream};
pub use validate::{validate, Rejection, ValidProbe};

use std::ffi::OsString;

use crate::storage::MediaSource;

/// Demuxers we accept (ffprobe's `format_name` lists aliases; the first one is the demuxer).
/// AVI, FLV, WMV/ASF, MP4/MOV/3GP, MKV/WebM. Never playlists, concat, image sequences.
pub const FORMAT_WHITELIST: &str = "avi,flv,asf,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";

/// Protocols ffmpeg may open for a source: files and pipes; HTTPS only for presigned object URLs.
pub fn input_arg(src: &MediaSource) -> (OsString, &'static str) {
    match src {
        MediaSource::Path(p) => {
            let mut s = OsString::from("file:");
            s.push(p.as_os_str());
            (s, "file,pipe")
        }
        MediaSource::Url(u) => (OsString::from(u), "file,pipe,http,https,tls,tcp"),
    }
}

/// Encoder threads for one job: the setting, or this machine's cores shared by the concurrent jobs.
pub fn threads(setting: usize, concurrency: usize) -> usize {
    if setting > 0 {
        return setting;
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    (cores / concurrency.max(1)).max(1)
}
