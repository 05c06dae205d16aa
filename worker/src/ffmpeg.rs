//! ffmpeg argv for the conversion and the poster, and a run that reports progress.
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use shared::config::MediaSettings;
use shared::process::{self, ProcessError};
use shared::storage::MediaSource;
use tokio::sync::mpsc;

use crate::probe::{input_arg, Probe, FORMAT_WHITELIST};

/// Largest output frame: 1920x1080 landscape, 1080x1920 portrait.
const LONG_SIDE: u32 = 1920;
const SHORT_SIDE: u32 = 1080;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Already H.264 (yuv420p, within size) with AAC or no audio: copy the streams (seconds, not minutes).
    Remux,
    /// Re-encode to H.264/AAC at this output size (even, aspect kept, never upscaled).
    Transcode { width: u32, height: u32 },
}

pub fn plan(p: &Probe) -> Plan {
    let v = p.video.as_ref().expect("validated probe has video");
    let (width, height) = fit(v.width, v.height);
    let audio_ok = p
        .audio
        .as_ref()
        .map_or(true, |a| a.codec == "aac" && a.channels <= 2);
    if v.codec == "h264"
        && v.pix_fmt == "yuv420p"
        && (width, height) == (v.width, v.height)
        && audio_ok
    {
        Plan::Remux
    } else {
        Plan::Transcode { width, height }
    }
}

/// Scales (w, h) down into the 1080p box for its orientation, rounding to even numbers.
pub fn fit(w: u32, h: u32) -> (u32, u32) {
    let (bw, bh) = if w >= h {
        (LONG_SIDE, SHORT_SIDE)
    } else {
        (SHORT_SIDE, LONG_SIDE)
    };
    let factor = (f64::from(bw) / f64::from(w))
        .min(f64::from(bh) / f64::from(h))
        .min(1.0);
    let even = |x: f64| ((x / 2.0).round() as u32 * 2).max(2);
    (even(f64::from(w) * factor), even(f64::from(h) * factor))
}

/// The conversion argv (ffmpeg's own arguments, without the program name).
pub fn convert_args(
    s: &MediaSettings,
    src: &MediaSource,
    p: &Probe,
    plan: &Plan,
    output: &Path,
) -> Vec<OsString> {
    let (input, protocols) = input_arg(src);
    let mut a = process::argv([
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-protocol_whitelist",
        protocols,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-f",
        &p.demuxer,
        "-i",
    ]);
    a.push(input);
    a.extend(process::argv([
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-sn",
        "-dn",
    ]));
    match plan {
        Plan::Remux => a.extend(process::argv(["-c", "copy"])),
        Plan::Transcode { width, height } => {
            a.extend(process::argv([
                "-vf".to_string(),
                format!("scale={width}:{height},format=yuv420p"),
                "-c:v".into(),
                "libx264".into(),
                "-preset".into(),
                s.x264_preset.clone(),
                "-crf".into(),
                s.x264_crf.to_string(),
                "-profile:v".into(),
                "high".into(),
            ]));
            if !s.x264_params.is_empty() {
                a.extend(process::argv(["-x264-params", s.x264_params.as_str()]));
            }
            a.extend(process::argv([
                "-c:a".into(),
                "aac".into(),
                "-b:a".into(),
                s.audio_bitrate.clone(),
                "-ac".into(),
                "2".into(),
            ]));
        }
    }
    a.extend(process::argv([
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        "-progress",
        "pipe:1",
        "-nostats",
        "-y",
    ]));
    a.push(file_arg(output));
    a
}

/// A JPEG poster from a frame near the start of the converted MP4.
pub fn poster_args(mp4: &Path, duration_secs: f64, output: &Path) -> Vec<OsString> {
    let at = (duration_secs / 3.0).min(1.0);
    let mut a = process::argv([
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-ss",
        &format!("{at:.3}"),
        "-f",
        "mp4",
        "-i",
    ]);
    a.push(file_arg(mp4));
    a.extend(process::argv([
        "-frames:v",
        "1",
        "-q:v",
        "3",
        "-f",
        "image2",
        "-update",
        "1",
        "-y",
    ]));
    a.push(file_arg(output));
    a
}

fn file_arg(p: &Path) -> OsString {
    let mut s = OsString::from("file:");
    s.push(p.as_os_str());
    s
}

/// Timeout proportional to the duration, never below the floor.
pub fn timeout_for(s: &MediaSettings, duration_secs: f64) -> Duration {
    Duration::from_secs_f64((duration_secs * s.timeout_factor).max(s.min_timeout_secs as f64))
}

/// Percent done from one `-progress` line, if it carries the output time.
pub fn progress_from_line(line: &str, duration_secs: f64) -> Option<i64> {
    let us: f64 = line
        .strip_prefix("out_time_us=")
        .or_else(|| line.strip_prefix("out_time_ms="))?
        .trim()
        .parse()
        .ok()?;
    if duration_secs <= 0.0 || us < 0.0 {
        return None;
    }
    Some(((us / 1_000_000.0 / duration_secs) * 100.0).clamp(0.0, 99.0) as i64)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{AudioStream, VideoStream};

    fn probe(codec: &str, w: u32, h: u32, audio: Option<&str>) -> Probe {
        Probe {
            demuxer: "mov".into(),
            format_name: "mov,mp4".into(),
            duration_secs: 10.0,
            video: Some(VideoStream {
                codec: codec.into(),
                width: w,
                height: h,
                pix_fmt: "yuv420p".into(),
            }),
            audio: audio.map(|c| AudioStream {
                codec: c.into(),
                channels: 2,
            }),
        }
    }

    #[test]
    fn fits_into_1080p_keeping_aspect_and_even() {
        assert_eq!(fit(3840, 2160), (1920, 1080));
        assert_eq!(fit(1080, 1920), (1080, 1920));
        assert_eq!(fit(2160, 3840), (1080, 1920));
        assert_eq!(fit(641, 361), (642, 362));
        assert_eq!(fit(320, 240), (320, 240));
        assert_eq!(fit(4000, 1000), (1920, 480));
    }

    #[test]
    fn remux_only_when_already_web_ready() {
        assert_eq!(plan(&probe("h264", 1280, 720, Some("aac"))), Plan::Remux);
        assert_eq!(plan(&probe("h264", 1280, 720, None)), Plan::Remux);
        assert!(matches!(
            plan(&probe("h264", 1280, 720, Some("mp3"))),
            Plan::Transcode { .. }
        ));
        assert!(matches!(
            plan(&probe("h264", 3840, 2160, Some("aac"))),
            Plan::Transcode {
                width: 1920,
                height: 1080
            }
        ));
        assert!(matches!(
            plan(&probe("mpeg4", 640, 360, Some("aac"))),
            Plan::Transcode { .. }
        ));
    }

    #[test]
    fn args_are_hardened() {
        let s = shared::Settings::load_with(|b| b).unwrap().media;
        let p = probe("mpeg4", 640, 360, Some("mp3"));
        let a: Vec<String> = convert_args(
            &s,
            &MediaSource::Path("/tmp/in".into()),
            &p,
            &plan(&p),
            Path::new("/tmp/out.mp4"),
        )
        .into_iter()
        .map(|x| x.into_string().unwrap())
        .collect();
        let joined = a.join(" ");
        assert!(joined.starts_with("-nostdin"));
        assert!(joined.contains("-protocol_whitelist file,pipe"));
        assert!(joined.contains("-f mov -i file:/tmp/in"));
        assert!(joined.contains("-c:v libx264"));
        assert!(joined.contains("-movflags +faststart"));
        assert!(joined.contains("-map_metadata -1"));
        assert_eq!(a.last().unwrap(), "file:/tmp/out.mp4");
    }

    #[test]
    fn progress_lines() {
        assert_eq!(progress_from_line("out_time_us=5000000", 10.0), Some(50));
        assert_eq!(progress_from_line("out_time_us=20000000", 10.0), Some(99));
        assert_eq!(progress_from_line("frame=10", 10.0), None);
        assert_eq!(progress_from_line("out_time_us=N/A", 10.0), None);
    }

    #[test]
    fn timeout_scales_with_duration() {
        let s = shared::Settings::load_with(|b| b).unwrap().media;
        assert_eq!(
            timeout_for(&s, 1.0),
            Duration::from_secs(s.min_timeout_secs)
        );
        assert_eq!(timeout_for(&s, 600.0), Duration::from_secs(6000));
    }
}
