//! The conversion plan: which HLS rungs to make, at what size and bitrate cap, and whether the
//! source's own H.264 stream can be the top rung (stream copy, no re-encode).
use super::validate::ValidProbe;
use crate::config::MediaSettings;

/// Largest output frame: 1920x1080 landscape, 1080x1920 portrait.
const LONG_SIDE: u32 = 1920;
const SHORT_SIDE: u32 = 1080;
/// Keyframe interval in seconds (half a segment: every segment starts on a keyframe, and rungs
/// switch cleanly because every rung has its keyframes at the same times).
pub const KEYFRAME_SECS: f64 = 2.0;

/// One rendition of the ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    /// Its name: the short side in pixels (`720` → folder `720p`).
    pub name: u32,
    pub width: u32,
    pub height: u32,
    /// VBV cap (`-maxrate`/`-bufsize`), from [`bits_per_pixel`].
    pub maxrate_kbps: u32,
    pub bufsize_kbps: u32,
    /// The source's own stream, copied (the remux path's top rung).
    pub copy: bool,
}

impl Rung {
    pub fn dir(&self) -> String {
        format!("{}p", self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioPlan {
    /// No audio in → no audio out.
    None,
    /// AAC stereo already: copied.
    Copy,
    /// Encoded once to AAC stereo, shared by every rung.
    Encode,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Highest first; never empty. The first rung also becomes the progressive MP4.
    pub rungs: Vec<Rung>,
    pub audio: AudioPlan,
    /// Frames per second of the output (the source's).
    pub fps: f64,
    /// Frames between keyframes.
    pub gop: u32,
}

impl Plan {
    pub fn top(&self) -> &Rung {
        &self.rungs[0]
    }

    /// True when the top rung is the source copied (remux path).
    pub fn is_remux(&self) -> bool {
        self.rungs[0].copy
    }

    /// `"720,480,360"`: stored on the video row so the web tier knows which rungs exist.
    pub fn rung_list(&self) -> String {
        self.rungs
            .iter()
            .map(|r| r.name.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Human-readable summary for logs and `worker inspect`.
    pub fn describe(&self) -> String {
        let rungs: Vec<String> = self
            .rungs
            .iter()
            .map(|r| {
                format!(
                    "{}x{}{}",
                    r.width,
                    r.height,
                    if r.copy { " (copy)" } else { "" }
                )
            })
            .collect();
        format!(
            "{} {}",
            if self.is_remux() {
                "remux"
            } else {
                "transcode"
            },
            rungs.join(" ")
        )
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
    (even(f64::from(w) * factor), even(f64::from(h) * factor))
}

fn even(x: f64) -> u32 {
    ((x / 2.0).round() as u32 * 2).max(2)
}

/// Bits per pixel per frame allowed at peak, by rung: smaller pictures need more bits per pixel
/// for the same look. At 30 fps: 1080p ≈ 5.0 Mbit/s, 720p ≈ 2.8, 480p ≈ 1.5, 360p ≈ 1.0.
pub fn bits_per_pixel(short_side: u32) -> f64 {
    match short_side {
        0..=360 => 0.15,
        361..=480 => 0.12,
        481..=720 => 0.10,
        _ => 0.08,
    }
}

/// The peak rate of a rung: pixels × frame rate (counted up to 60 fps) × bits per pixel.
pub fn maxrate_kbps(width: u32, height: u32, fps: f64) -> u32 {
    let fps = fps.clamp(1.0, 60.0);
    let bps = f64::from(width) * f64::from(height) * fps * bits_per_pixel(width.min(height));
    ((bps / 1000.0).round() as u32).max(64)
}

/// The ladder for a source of `w`×`h`: the configured rungs at or below the source's short side
/// (after fitting into 1080p), at least one (a tiny source gets one rung at its own size).
pub fn ladder(w: u32, h: u32, rungs: &[u32]) -> Vec<(u32, u32, u32)> {
    let (fw, fh) = fit(w, h);
    let short = fw.min(fh);
    let mut names: Vec<u32> = rungs.iter().copied().filter(|r| *r <= short).collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    names.dedup();
    if names.is_empty() {
        return vec![(short, fw, fh)];
    }
    names
        .into_iter()
        .map(|r| {
            if r == short {
                (r, fw, fh)
            } else if fw >= fh {
                (r, even(f64::from(fw) * f64::from(r) / f64::from(fh)), r)
            } else {
                (r, r, even(f64::from(fh) * f64::from(r) / f64::from(fw)))
            }
        })
        .collect()
}

pub fn plan(p: &ValidProbe, s: &MediaSettings) -> Plan {
    let v = p.video();
    let fps = if v.fps > 0.0 { v.fps } else { 30.0 };
    let audio_ok = p
        .audio
        .as_ref()
        .is_none_or(|a| a.codec == "aac" && a.channels <= 2);
    let web_ready = v.codec == "h264"
        && v.pix_fmt == "yuv420p"
        && fit(v.width, v.height) == (v.width, v.height);
    let rung = |(name, width, height): (u32, u32, u32), copy: bool| {
        let maxrate_kbps = maxrate_kbps(width, height, fps);
        Rung {
            name,
            width,
            height,
            maxrate_kbps,
            bufsize_kbps: maxrate_kbps * 2,
            copy,
        }
    };
    let rungs = if web_ready && audio_ok {
        // The source itself is the top rung; the configured rungs below it are encoded.
        let short = v.width.min(v.height);
        let mut rungs = vec![rung((short, v.width, v.height), true)];
        rungs.extend(
            ladder(v.width, v.height, &s.hls_rungs)
                .into_iter()
                .filter(|(name, _, _)| *name < short)
                .map(|r| rung(r, false)),
        );
        rungs
    } else {
        ladder(v.width, v.height, &s.hls_rungs)
            .into_iter()
            .map(|r| rung(r, false))
            .collect()
    };
    let audio = match &p.audio {
        None => AudioPlan::None,
        Some(_) if web_ready && audio_ok => AudioPlan::Copy,
        Some(_) => AudioPlan::Encode,
    };
    Plan {
        gop: ((fps * KEYFRAME_SECS).round() as u32).max(1),
        rungs,
        audio,
        fps,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::media::probe::{AudioStream, Probe, VideoStream};
    use crate::media::validate;

    pub(crate) fn settings() -> MediaSettings {
        crate::Settings::load_with(|b| b).unwrap().media
    }

    pub(crate) fn probe(codec: &str, w: u32, h: u32, audio: Option<&str>) -> ValidProbe {
        let p = Probe {
            demuxer: "mov".into(),
            format_name: "mov,mp4".into(),
            duration_secs: 10.0,
            video: Some(VideoStream {
                index: 0,
                codec: codec.into(),
                width: w,
                height: h,
                pix_fmt: "yuv420p".into(),
                fps: 30.0,
                frames: None,
            }),
            audio: audio.map(|c| AudioStream {
                index: 0,
                codec: c.into(),
                channels: 2,
            }),
            streams: 2,
        };
        validate(p, &settings()).unwrap()
    }

    const RUNGS: [u32; 4] = [1080, 720, 480, 360];

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
    fn ladder_for_landscape_sources() {
        assert_eq!(
            ladder(1280, 720, &RUNGS),
            vec![(720, 1280, 720), (480, 854, 480), (360, 640, 360)]
        );
        // Between rungs: only the rungs below, never upscaled.
        assert_eq!(
            ladder(1600, 900, &RUNGS),
            vec![(720, 1280, 720), (480, 854, 480), (360, 640, 360)]
        );
    }

    #[test]
    fn ladder_for_a_1080p_source_has_every_rung() {
        assert_eq!(
            ladder(1920, 1080, &RUNGS),
            vec![
                (1080, 1920, 1080),
                (720, 1280, 720),
                (480, 854, 480),
                (360, 640, 360)
            ]
        );
        // A 1080p source with a non-16:9 shape keeps its aspect on every rung (even sizes).
        assert_eq!(
            ladder(1440, 1080, &RUNGS),
            vec![
                (1080, 1440, 1080),
                (720, 960, 720),
                (480, 640, 480),
                (360, 480, 360)
            ]
        );
    }

    #[test]
    fn ladder_for_4k_is_capped_at_1080p() {
        let l = ladder(3840, 2160, &RUNGS);
        assert_eq!(l[0], (1080, 1920, 1080));
        assert_eq!(l.len(), 4);
    }

    #[test]
    fn ladder_for_portrait_compares_the_short_side() {
        assert_eq!(
            ladder(720, 1280, &RUNGS),
            vec![(720, 720, 1280), (480, 480, 854), (360, 360, 640)]
        );
        assert_eq!(ladder(1080, 1920, &RUNGS)[0], (1080, 1080, 1920));
    }

    #[test]
    fn tiny_source_gets_one_rung_at_its_own_size() {
        assert_eq!(ladder(320, 240, &RUNGS), vec![(240, 320, 240)]);
        assert_eq!(ladder(181, 101, &RUNGS), vec![(102, 182, 102)]);
        // The ladder is a setting.
        assert_eq!(ladder(1280, 720, &[540]), vec![(540, 960, 540)]);
    }

    #[test]
    fn bitrate_caps_follow_the_bits_per_pixel_table() {
        assert_eq!(maxrate_kbps(1280, 720, 30.0), 2765);
        assert_eq!(maxrate_kbps(1920, 1080, 30.0), 4977);
        assert_eq!(maxrate_kbps(640, 360, 30.0), 1037);
        // Counted up to 60 fps: a 120 fps source does not get a 4× budget.
        assert_eq!(maxrate_kbps(640, 360, 120.0), maxrate_kbps(640, 360, 60.0));
        let p = plan(&probe("mpeg4", 1280, 720, Some("mp3")), &settings());
        for r in &p.rungs {
            assert_eq!(r.bufsize_kbps, 2 * r.maxrate_kbps);
            assert_eq!(r.maxrate_kbps, maxrate_kbps(r.width, r.height, 30.0));
        }
        assert!(p
            .rungs
            .windows(2)
            .all(|w| w[0].maxrate_kbps > w[1].maxrate_kbps));
    }

    #[test]
    fn transcode_plan_encodes_every_rung_and_the_audio_once() {
        let p = plan(&probe("mpeg4", 1280, 720, Some("mp3")), &settings());
        assert!(!p.is_remux());
        assert_eq!(p.rung_list(), "720,480,360");
        assert_eq!(p.audio, AudioPlan::Encode);
        assert_eq!(p.gop, 60);
    }

    #[test]
    fn remux_only_when_already_web_ready() {
        let p = plan(&probe("h264", 1280, 720, Some("aac")), &settings());
        assert!(p.is_remux());
        assert_eq!(p.rung_list(), "720,480,360");
        assert!(p.top().copy && !p.rungs[1].copy);
        assert_eq!(p.audio, AudioPlan::Copy);
        let p = plan(&probe("h264", 1000, 562, None), &settings());
        assert_eq!(
            (p.rung_list().as_str(), p.audio),
            ("562,480,360", AudioPlan::None)
        );
        assert!(!plan(&probe("h264", 1280, 720, Some("mp3")), &settings()).is_remux());
        let p = plan(&probe("h264", 3840, 2160, Some("aac")), &settings());
        assert!(!p.is_remux());
        assert_eq!((p.top().width, p.top().height), (1920, 1080));
        assert!(!plan(&probe("mpeg4", 640, 360, Some("aac")), &settings()).is_remux());
    }
}
