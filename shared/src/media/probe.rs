//! ffprobe JSON → [`Probe`], and the decode check of the stream that will be transcoded.
use std::ffi::OsString;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::validate::Rejection;
use super::{input_arg, FORMAT_WHITELIST};
use crate::config::MediaSettings;
use crate::db::ProbeFacts;
use crate::process::{self, ProcessError};
use crate::storage::MediaSource;

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
    avg_frame_rate: Option<String>,
    r_frame_rate: Option<String>,
    nb_frames: Option<String>,
    #[serde(default)]
    disposition: std::collections::HashMap<String, i64>,
}

#[derive(Debug, Deserialize)]
struct RawFormat {
    format_name: Option<String>,
    duration: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoStream {
    /// Position among the file's video streams: ffmpeg's `-map 0:v:<index>`.
    pub index: u32,
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub pix_fmt: String,
    /// Frames per second (average; the nominal rate when the container gives no average).
    pub fps: f64,
    /// Frame count the container states, if any.
    pub frames: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioStream {
    /// Position among the file's audio streams: ffmpeg's `-map 0:a:<index>`.
    pub index: u32,
    pub codec: String,
    pub channels: u32,
}

/// What ffprobe says about a file; not yet checked against the limits (see [`super::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// The demuxer to pin for ffmpeg (`mov`, `matroska`, `avi`, ...).
    pub demuxer: String,
    pub format_name: String,
    pub duration_secs: f64,
    /// The first video stream that is not a cover picture.
    pub video: Option<VideoStream>,
    pub audio: Option<AudioStream>,
    /// Every stream in the file (cover art, subtitles and data included).
    pub streams: u32,
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

/// `30000/1001` → 29.97; `0/0` and garbage → None.
fn rate(s: &Option<String>) -> Option<f64> {
    let s = s.as_deref()?;
    let (n, d) = s.split_once('/').unwrap_or((s, "1"));
    let (n, d): (f64, f64) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
    let r = n / d;
    (r.is_finite() && r > 0.0).then_some(r)
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
    let of_type = |t: &'static str| {
        raw.streams
            .iter()
            .filter(move |s| s.codec_type.as_deref() == Some(t))
            .enumerate()
    };
    // A cover picture (`attached_pic`) is a video stream of one frame: never the one we convert.
    let video_raw = of_type("video")
        .find(|(_, s)| s.disposition.get("attached_pic").copied().unwrap_or(0) == 0);
    // FLV has no per-stream duration: fall back to the container's.
    let duration_secs = secs(&format.duration)
        .or_else(|| video_raw.and_then(|(_, v)| secs(&v.duration)))
        .unwrap_or(0.0);
    let video = video_raw.and_then(|(i, s)| {
        Some(VideoStream {
            index: i as u32,
            codec: s.codec_name.clone()?,
            width: s.width.filter(|w| *w > 0)?,
            height: s.height.filter(|h| *h > 0)?,
            pix_fmt: s.pix_fmt.clone().unwrap_or_default(),
            fps: rate(&s.avg_frame_rate)
                .or_else(|| rate(&s.r_frame_rate))
                .unwrap_or(0.0),
            frames: s.nb_frames.as_deref().and_then(|n| n.parse().ok()),
        })
    });
    let audio = of_type("audio").next().and_then(|(i, s)| {
        Some(AudioStream {
            index: i as u32,
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
        streams: raw.streams.len() as u32,
    })
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

/// The decode check's argv: the first frame of the stream that will be transcoded
/// (`-map 0:v:<index>`), never a cover picture.
pub fn decode_check_args(src: &MediaSource, p: &super::ValidProbe) -> Vec<OsString> {
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
        "-map".to_string(),
        format!("0:v:{}", p.video().index),
        "-frames:v".into(),
        "1".into(),
        "-f".into(),
        "null".into(),
        "-".into(),
    ]));
    args
}

/// Decodes the first frame of the chosen video stream: a stream that merely claims to be video
/// is not enough.
pub async fn check_decodes(
    settings: &MediaSettings,
    src: &MediaSource,
    p: &super::ValidProbe,
) -> Result<(), ProbeError> {
    match process::run(
        &settings.ffmpeg,
        &decode_check_args(src, p),
        Duration::from_secs(settings.probe_timeout_secs),
        None,
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(ProcessError::Failed { .. }) => Err(Rejection::new("probe.undecodable").into()),
        Err(e) => Err(ProbeError::Process(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLV: &str = r#"{"streams":[{"codec_type":"audio","codec_name":"mp3","channels":2},
        {"codec_type":"video","codec_name":"flv1","width":320,"height":240,"pix_fmt":"yuv420p","avg_frame_rate":"25/1"}],
        "format":{"format_name":"flv","duration":"3.000000"}}"#;

    #[test]
    fn flv_uses_format_duration_and_finds_video_after_audio() {
        let p = parse(FLV.as_bytes()).unwrap();
        assert_eq!(p.demuxer, "flv");
        assert_eq!(p.duration_secs, 3.0);
        let v = p.video.as_ref().unwrap();
        assert_eq!((v.codec.as_str(), v.index, v.fps), ("flv1", 0, 25.0));
        assert_eq!(p.audio.as_ref().unwrap().codec, "mp3");
        assert_eq!(p.streams, 2);
    }

    #[test]
    fn mp4_aliases_pin_mov_demuxer() {
        let j = r#"{"streams":[{"codec_type":"video","codec_name":"h264","width":640,"height":360,"pix_fmt":"yuv420p","duration":"2.0","avg_frame_rate":"30000/1001","nb_frames":"60"}],
            "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"2.0"}}"#;
        let p = parse(j.as_bytes()).unwrap();
        assert_eq!(p.demuxer, "mov");
        assert!(p.audio.is_none());
        let v = p.video.unwrap();
        assert!((v.fps - 29.97).abs() < 0.01);
        assert_eq!(v.frames, Some(60));
    }

    #[test]
    fn cover_picture_is_skipped_for_the_real_stream() {
        let j = r#"{"streams":[{"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}},
            {"codec_type":"audio","codec_name":"aac"},
            {"codec_type":"video","codec_name":"h264","width":640,"height":360,"avg_frame_rate":"0/0","r_frame_rate":"24/1"}],
            "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"5.0"}}"#;
        let p = parse(j.as_bytes()).unwrap();
        let v = p.video.unwrap();
        assert_eq!((v.index, v.codec.as_str(), v.fps), (1, "h264", 24.0));
        assert_eq!(p.streams, 3);
    }

    #[test]
    fn the_decode_check_maps_the_stream_that_will_be_converted() {
        let j = r#"{"streams":[{"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}},
            {"codec_type":"video","codec_name":"mpeg4","width":640,"height":360,"avg_frame_rate":"25/1"}],
            "format":{"format_name":"matroska,webm","duration":"5.0"}}"#;
        let limits = crate::Settings::load_with(|b| b).unwrap().media;
        let p = crate::media::validate(parse(j.as_bytes()).unwrap(), &limits).unwrap();
        let a: Vec<String> = decode_check_args(&MediaSource::Path("/tmp/x".into()), &p)
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect();
        let a = a.join(" ");
        assert!(
            a.contains("-f matroska -i file:/tmp/x -map 0:v:1 -frames:v 1"),
            "{a}"
        );
    }

    #[test]
    fn garbage_is_unreadable() {
        assert!(parse(b"not json").is_err());
        assert!(parse(b"{}").is_err());
    }
}
