//! ffprobe JSON → [`Probe`], and the pure checks deciding whether a file is an acceptable video.
use std::ffi::OsString;
use std::time::Duration;

use serde::Deserialize;
use shared::config::MediaSettings;
use shared::db::ProbeFacts;
use shared::process::{self, ProcessError};
use shared::storage::MediaSource;

/// Demuxers we accept (ffprobe's `format_name` lists aliases; the first one is the demuxer).
/// AVI, FLV, WMV/ASF, MP4/MOV/3GP, MKV/WebM. Never playlists, concat, image sequences.
pub const FORMAT_WHITELIST: &str = "avi,flv,asf,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";
const ACCEPTED_DEMUXERS: [&str; 5] = ["avi", "flv", "asf", "mov", "matroska"];

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(default)]
    streams: Vec<RawStream>,
    format: Option<RawFormat>,
}

#[derive(Debug, Deserialize)]
struct RawStream {
    codec_type: Option<String>,
    codec_name: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    pix_fmt: Option<String>,
    channels: Option<u32>,
    duration: Option<String>,
    #[serde(default)]
    disposition: std::collections::HashMap<String, i64>,
}

#[derive(Debug, Deserialize)]
struct RawFormat {
    format_name: Option<String>,
    duration: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VideoStream {
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub pix_fmt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AudioStream {
    pub codec: String,
    pub channels: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The demuxer to pin for ffmpeg (`mov`, `matroska`, `avi`, ...).
    pub demuxer: String,
    pub format_name: String,
    pub duration_secs: f64,
    pub video: Option<VideoStream>,
    pub audio: Option<AudioStream>,
}

impl Probe {
    pub fn facts(&self) -> ProbeFacts {
        ProbeFacts {
            container: Some(self.format_name.clone()),
            duration_ms: Some((self.duration_secs * 1000.0).round() as i64),
            width: self.video.as_ref().map(|v| i64::from(v.width)),
            height: self.video.as_ref().map(|v| i64::from(v.height)),
            video_codec: self.video.as_ref().map(|v| v.codec.clone()),
            audio_codec: self.audio.as_ref().map(|a| a.codec.clone()),
        }
    }
}

/// Why a file is not accepted, in words for the participant: `message` in English (logs, the
/// stored failure reason, JSON), `code` and `args` for the web layer to say it in the page's
/// language.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Rejection {
    pub message: String,
    pub code: &'static str,
    pub args: Vec<String>,
}

impl Rejection {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
            args: Vec::new(),
        }
    }

    fn with_args(mut self, args: &[String]) -> Self {
        self.args = args.to_vec();
        self
    }

    fn unreadable() -> Self {
        Self::new("probe.unreadable", "The file could not be read as a video.")
    }

    fn unsupported() -> Self {
        Self::new("probe.unsupported", "This file is not a supported video. Please upload AVI, FLV, WMV, MP4, MOV, MKV or WebM.")
    }
}

pub fn parse(json: &[u8]) -> Result<Probe, Rejection> {
    let raw: Raw = serde_json::from_slice(json).map_err(|_| Rejection::unreadable())?;
    let format = raw.format.ok_or_else(Rejection::unreadable)?;
    let format_name = format.format_name.unwrap_or_default();
    let demuxer = format_name
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string();
    let secs = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| d.parse::<f64>().ok())
            .filter(|d| d.is_finite() && *d > 0.0)
    };
    let video_raw = raw.streams.iter().find(|s| {
        s.codec_type.as_deref() == Some("video")
            && s.disposition.get("attached_pic").copied().unwrap_or(0) == 0
    });
    // FLV has no per-stream duration: fall back to the container's.
    let duration_secs = secs(&format.duration)
        .or_else(|| video_raw.and_then(|v| secs(&v.duration)))
        .unwrap_or(0.0);
    let video = video_raw.and_then(|s| {
        Some(VideoStream {
            codec: s.codec_name.clone()?,
            width: s.width.filter(|w| *w > 0)?,
            height: s.height.filter(|h| *h > 0)?,
            pix_fmt: s.pix_fmt.clone().unwrap_or_default(),
        })
    });
    let audio = raw
        .streams
        .iter()
        .find(|s| s.codec_type.as_deref() == Some("audio"))
        .and_then(|s| {
            Some(AudioStream {
                codec: s.codec_name.clone()?,
                channels: s.channels.unwrap_or(2),
            })
        });
    Ok(Probe {
        demuxer,
        format_name,
        duration_secs,
        video,
        audio,
    })
}

/// Accept by content: an accepted container, a real video stream, within the configured limits.
pub fn validate(p: &Probe, limits: &MediaSettings) -> Result<(), Rejection> {
    if !ACCEPTED_DEMUXERS.contains(&p.demuxer.as_str()) {
        return Err(Rejection::unsupported());
    }
    let Some(v) = &p.video else {
        return Err(Rejection::new(
            "probe.no_video",
            "This file has no video stream.",
        ));
    };
    if p.duration_secs <= 0.0 {
        return Err(Rejection::new(
            "probe.no_duration",
            "The video's duration could not be determined; the file may be damaged.",
        ));
    }
    if p.duration_secs > limits.max_duration_secs {
        let (secs, max) = (
            format!("{:.0}", p.duration_secs),
            format!("{:.0}", limits.max_duration_secs),
        );
        return Err(Rejection::new(
            "probe.too_long",
            format!("The video is {secs} seconds long; the limit is {max} seconds."),
        )
        .with_args(&[secs, max]));
    }
    if v.width > limits.max_width || v.height > limits.max_height {
        let (size, max) = (
            format!("{}x{}", v.width, v.height),
            format!("{}x{}", limits.max_width, limits.max_height),
        );
        return Err(Rejection::new(
            "probe.too_big",
            format!("The video is {size}; the largest accepted size is {max}."),
        )
        .with_args(&[size, max]));
    }
    Ok(())
}

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

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error(transparent)]
    Process(ProcessError),
}

/// Runs ffprobe on the source and parses the result. A file ffprobe cannot open is a rejection.
pub async fn probe(settings: &MediaSettings, src: &MediaSource) -> Result<Probe, ProbeError> {
    let (input, protocols) = input_arg(src);
    let args: Vec<OsString> = process::argv([
        "-v",
        "error",
        "-hide_banner",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        "-protocol_whitelist",
        protocols,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-i",
    ])
    .into_iter()
    .chain([input])
    .collect();
    match process::run(
        &settings.ffprobe,
        &args,
        Duration::from_secs(settings.probe_timeout_secs),
        None,
    )
    .await
    {
        Ok(out) => Ok(parse(&out.stdout)?),
        Err(ProcessError::Failed { .. }) => Err(Rejection::unsupported().into()),
        Err(e) => Err(ProbeError::Process(e)),
    }
}

/// Decodes the first video frame: a stream that merely claims to be video is not enough.
pub async fn check_decodes(
    settings: &MediaSettings,
    src: &MediaSource,
    p: &Probe,
) -> Result<(), ProbeError> {
    let (input, protocols) = input_arg(src);
    let mut args = process::argv([
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-xerror",
        "-protocol_whitelist",
        protocols,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-f",
        &p.demuxer,
        "-i",
    ]);
    args.push(input);
    args.extend(process::argv([
        "-map",
        "0:v:0",
        "-frames:v",
        "1",
        "-f",
        "null",
        "-",
    ]));
    match process::run(
        &settings.ffmpeg,
        &args,
        Duration::from_secs(settings.probe_timeout_secs),
        None,
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(ProcessError::Failed { .. }) => Err(Rejection::new(
            "probe.undecodable",
            "The video stream in this file could not be decoded; the file may be damaged.",
        )
        .into()),
        Err(e) => Err(ProbeError::Process(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> MediaSettings {
        shared::Settings::load_with(|b| b).unwrap().media
    }

    const FLV: &str = r#"{"streams":[{"codec_type":"audio","codec_name":"mp3","channels":2},
        {"codec_type":"video","codec_name":"flv1","width":320,"height":240,"pix_fmt":"yuv420p"}],
        "format":{"format_name":"flv","duration":"3.000000"}}"#;

    #[test]
    fn flv_uses_format_duration_and_finds_video_after_audio() {
        let p = parse(FLV.as_bytes()).unwrap();
        assert_eq!(p.demuxer, "flv");
        assert_eq!(p.duration_secs, 3.0);
        assert_eq!(p.video.as_ref().unwrap().codec, "flv1");
        assert_eq!(p.audio.as_ref().unwrap().codec, "mp3");
        assert!(validate(&p, &limits()).is_ok());
    }

    #[test]
    fn mp4_aliases_pin_mov_demuxer() {
        let j = r#"{"streams":[{"codec_type":"video","codec_name":"h264","width":640,"height":360,"pix_fmt":"yuv420p","duration":"2.0"}],
            "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"2.0"}}"#;
        let p = parse(j.as_bytes()).unwrap();
        assert_eq!(p.demuxer, "mov");
        assert!(p.audio.is_none());
        assert!(validate(&p, &limits()).is_ok());
    }

    #[test]
    fn audio_only_with_cover_art_is_not_a_video() {
        let j = r#"{"streams":[{"codec_type":"audio","codec_name":"mp3"},
            {"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}}],
            "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"60.0"}}"#;
        let p = parse(j.as_bytes()).unwrap();
        assert_eq!(
            validate(&p, &limits()).unwrap_err().message,
            "This file has no video stream."
        );
    }

    #[test]
    fn limits_and_formats_are_enforced() {
        let mut p = parse(FLV.as_bytes()).unwrap();
        p.duration_secs = 99999.0;
        assert!(validate(&p, &limits())
            .unwrap_err()
            .message
            .contains("limit"));
        let mut p = parse(FLV.as_bytes()).unwrap();
        p.demuxer = "image2".into();
        assert!(validate(&p, &limits())
            .unwrap_err()
            .message
            .contains("not a supported video"));
        assert!(parse(b"not json").is_err());
    }
}
