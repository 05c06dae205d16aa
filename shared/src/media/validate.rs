//! The pure limits check: a [`Probe`] becomes a [`ValidProbe`] or a [`Rejection`]. Only a
//! `ValidProbe` can be planned or converted, so a conversion never starts from an unchecked file.
use std::ops::Deref;

use super::probe::{Probe, VideoStream};
use crate::config::MediaSettings;
use crate::i18n::Args;

/// Demuxers whose files we convert (first alias of ffprobe's `format_name`).
const ACCEPTED_DEMUXERS: [&str; 5] = ["avi", "flv", "asf", "mov", "matroska"];

/// Why a file is not accepted: a catalogue code (`probe.too_long`) and its named arguments.
/// [`Rejection::message`] says it in a language; `Display` is the English sentence (logs, the
/// stored failure detail).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.message("en"))]
pub struct Rejection {
    pub code: &'static str,
    pub args: Args,
}

impl Rejection {
    pub fn new(code: &'static str) -> Self {
        Self {
            code,
            args: Args::new(),
        }
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.args = self.args.with(name, value);
        self
    }

    /// The sentence in `lang` (a language code: `en`, `es`).
    pub fn message(&self, lang: &str) -> String {
        crate::i18n::text_with(lang, self.code, &self.args)
    }

    pub(crate) fn unreadable() -> Self {
        Self::new("probe.unreadable")
    }

    pub(crate) fn unsupported() -> Self {
        Self::new("probe.unsupported")
    }
}

/// A probe that passed [`validate`]: it has a video stream with a size, a duration and a frame
/// rate, all within the limits. Serialized onto the video row at upload time so the worker does
/// not probe again.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProbe {
    probe: Probe,
    video: VideoStream,
}

impl ValidProbe {
    /// The video stream that will be converted.
    pub fn video(&self) -> &VideoStream {
        &self.video
    }

    /// The probe as stored at upload time, checked again against today's limits (pure, cheap).
    pub fn from_stored(json: &str, limits: &MediaSettings) -> Option<Result<Self, Rejection>> {
        let p: Probe = serde_json::from_str(json).ok()?;
        Some(validate(p, limits))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.probe).unwrap_or_default()
    }
}

impl Deref for ValidProbe {
    type Target = Probe;
    fn deref(&self) -> &Probe {
        &self.probe
    }
}

/// Accept by content: an accepted container, a real video stream, within the configured limits
/// (duration, size, frame rate, frame count, stream count).
pub fn validate(p: Probe, limits: &MediaSettings) -> Result<ValidProbe, Rejection> {
    if !ACCEPTED_DEMUXERS.contains(&p.demuxer.as_str()) {
        return Err(Rejection::unsupported());
    }
    let Some(v) = &p.video else {
        return Err(Rejection::new("probe.no_video"));
    };
    if p.duration_secs <= 0.0 {
        return Err(Rejection::new("probe.no_duration"));
    }
    if p.streams > limits.max_streams {
        return Err(Rejection::new("probe.too_many_streams")
            .with("streams", p.streams)
            .with("max", limits.max_streams));
    }
    if p.duration_secs > limits.max_duration_secs {
        return Err(Rejection::new("probe.too_long")
            .with("secs", format!("{:.0}", p.duration_secs))
            .with("max", format!("{:.0}", limits.max_duration_secs)));
    }
    if v.width > limits.max_width || v.height > limits.max_height {
        return Err(Rejection::new("probe.too_big")
            .with("size", format!("{}x{}", v.width, v.height))
            .with("max", format!("{}x{}", limits.max_width, limits.max_height)));
    }
    if v.fps > limits.max_fps {
        return Err(Rejection::new("probe.too_many_fps")
            .with("fps", format!("{:.0}", v.fps))
            .with("max", format!("{:.0}", limits.max_fps)));
    }
    // The container's count when it states one, else what the duration and rate imply.
    let frames = v
        .frames
        .unwrap_or((p.duration_secs * v.fps.max(1.0)).ceil() as u64);
    if frames > limits.max_frames {
        return Err(Rejection::new("probe.too_many_frames")
            .with("frames", frames)
            .with("max", limits.max_frames));
    }
    let video = v.clone();
    Ok(ValidProbe { probe: p, video })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::probe::parse;

    fn limits() -> MediaSettings {
        crate::Settings::load_with(|b| b).unwrap().media
    }

    const FLV: &str = r#"{"streams":[{"codec_type":"audio","codec_name":"mp3","channels":2},
        {"codec_type":"video","codec_name":"flv1","width":320,"height":240,"pix_fmt":"yuv420p","avg_frame_rate":"25/1"}],
        "format":{"format_name":"flv","duration":"3.000000"}}"#;

    fn flv() -> Probe {
        parse(FLV.as_bytes()).unwrap()
    }

    #[test]
    fn a_plain_file_passes() {
        let v = validate(flv(), &limits()).unwrap();
        assert_eq!(v.video().width, 320);
        let back = ValidProbe::from_stored(&v.to_json(), &limits())
            .unwrap()
            .unwrap();
        assert_eq!(back, v);
        assert!(ValidProbe::from_stored("{}", &limits()).is_none());
    }

    #[test]
    fn audio_only_with_cover_art_is_not_a_video() {
        let j = r#"{"streams":[{"codec_type":"audio","codec_name":"mp3"},
            {"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}}],
            "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"60.0"}}"#;
        let p = parse(j.as_bytes()).unwrap();
        assert_eq!(validate(p, &limits()).unwrap_err().code, "probe.no_video");
    }

    #[test]
    fn duration_size_and_format_limits() {
        let mut p = flv();
        p.duration_secs = 99999.0;
        assert_eq!(validate(p, &limits()).unwrap_err().code, "probe.too_long");
        let mut p = flv();
        p.demuxer = "image2".into();
        assert_eq!(
            validate(p, &limits()).unwrap_err().code,
            "probe.unsupported"
        );
        let mut p = flv();
        p.video.as_mut().unwrap().width = 8000;
        let r = validate(p, &limits()).unwrap_err();
        assert_eq!(
            (r.code, r.args.get("size")),
            ("probe.too_big", Some("8000x240"))
        );
        assert_eq!(
            r.to_string(),
            "The video is 8000x240; the largest accepted size is 7680x4320."
        );
        let mut p = flv();
        p.duration_secs = 0.0;
        assert_eq!(
            validate(p, &limits()).unwrap_err().code,
            "probe.no_duration"
        );
    }

    #[test]
    fn frame_rate_limit_is_a_setting() {
        let mut p = flv();
        p.video.as_mut().unwrap().fps = 240.0;
        let r = validate(p.clone(), &limits()).unwrap_err();
        assert_eq!(r.code, "probe.too_many_fps");
        assert_eq!(
            (r.args.get("fps"), r.args.get("max")),
            (Some("240"), Some("120"))
        );
        assert_eq!(
            r.message("es"),
            "El vídeo tiene 240 fotogramas por segundo; el límite es 120."
        );
        let mut l = limits();
        l.max_fps = 300.0;
        assert!(validate(p, &l).is_ok());
    }

    #[test]
    fn frame_count_from_the_container_or_from_duration_times_rate() {
        let mut l = limits();
        l.max_frames = 100;
        // 3 s × 25 fps = 75 frames: fine; the container saying 500 is not.
        assert!(validate(flv(), &l).is_ok());
        let mut p = flv();
        p.video.as_mut().unwrap().frames = Some(500);
        assert_eq!(validate(p, &l).unwrap_err().code, "probe.too_many_frames");
        let mut p = flv();
        p.duration_secs = 5.0; // 125 frames
        assert_eq!(validate(p, &l).unwrap_err().code, "probe.too_many_frames");
    }

    #[test]
    fn stream_count_limit() {
        let mut p = flv();
        p.streams = 17;
        assert_eq!(
            validate(p.clone(), &limits()).unwrap_err().code,
            "probe.too_many_streams"
        );
        p.streams = 16;
        assert!(validate(p, &limits()).is_ok());
    }
}
