//! After ffmpeg: tidy each rendition folder (`init.mp4`, `seg_00001.m4s`, `index.m3u8`), measure
//! the bitrates over the segments and write the master playlist (the app writes it, not ffmpeg,
//! so BANDWIDTH is the measured peak and CODECS the profile/level actually produced).
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::plan::{Plan, Rung};

/// One rendition's media playlist, as measured on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendition {
    /// `(duration in seconds, file name, size in bytes)` per segment.
    pub segments: Vec<(f64, String, u64)>,
}

impl Rendition {
    /// Highest bitrate of any one segment, bits per second.
    pub fn peak_bps(&self) -> u64 {
        self.segments
            .iter()
            .filter(|(d, _, _)| *d > 0.0)
            .map(|(d, _, size)| (*size as f64 * 8.0 / d).ceil() as u64)
            .max()
            .unwrap_or(0)
    }

    /// Bits per second over the whole rendition.
    pub fn average_bps(&self) -> u64 {
        let secs: f64 = self.segments.iter().map(|(d, _, _)| d).sum();
        let bytes: u64 = self.segments.iter().map(|(_, _, s)| s).sum();
        if secs <= 0.0 {
            return 0;
        }
        (bytes as f64 * 8.0 / secs).ceil() as u64
    }
}

/// `(duration, uri)` for each segment of a media playlist.
pub fn parse_media_playlist(text: &str) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let mut pending: Option<f64> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#EXTINF:") {
            pending = rest.split(',').next().and_then(|d| d.trim().parse().ok());
        } else if !line.is_empty() && !line.starts_with('#') {
            if let Some(d) = pending.take() {
                out.push((d, line.to_string()));
            }
        }
    }
    out
}

/// ffmpeg names the init segment of the N-th variant `init_N.mp4`; we store it as `init.mp4`.
/// Rewrites the playlist accordingly and measures the segments.
pub fn tidy_rendition(dir: &Path) -> std::io::Result<Rendition> {
    let playlist = dir.join("index.m3u8");
    let mut text = std::fs::read_to_string(&playlist)?;
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.starts_with("init") && name.ends_with(".mp4") && name != "init.mp4" {
            std::fs::rename(dir.join(&name), dir.join("init.mp4"))?;
            text = text.replace(&format!("URI=\"{name}\""), "URI=\"init.mp4\"");
            std::fs::write(&playlist, &text)?;
        }
    }
    let mut segments = Vec::new();
    for (d, uri) in parse_media_playlist(&text) {
        let size = std::fs::metadata(dir.join(&uri))?.len();
        segments.push((d, uri, size));
    }
    Ok(Rendition { segments })
}

/// `avc1.PPCCLL` from the `avcC` box of an init segment (profile, constraints, level as produced).
pub fn avc1_codec(init: &[u8]) -> Option<String> {
    let at = init.windows(4).position(|w| w == b"avcC")?;
    let b = init.get(at + 5..at + 8)?;
    Some(format!("avc1.{:02x}{:02x}{:02x}", b[0], b[1], b[2]))
}

/// What the master playlist says about one rung.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub rung: Rung,
    pub codecs: String,
    pub bandwidth: u64,
    pub average_bandwidth: u64,
}

/// The master playlist text. `audio` is the shared audio rendition's folder, if there is audio.
pub fn master_playlist(variants: &[Variant], fps: f64, audio: Option<&str>) -> String {
    let mut m = String::from("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    if let Some(dir) = audio {
        let _ = writeln!(
            m,
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"{dir}/index.m3u8\""
        );
    }
    for v in variants {
        let _ = write!(
            m,
            "#EXT-X-STREAM-INF:BANDWIDTH={},AVERAGE-BANDWIDTH={},RESOLUTION={}x{},FRAME-RATE={:.3},CODECS=\"{}\"",
            v.bandwidth, v.average_bandwidth, v.rung.width, v.rung.height, fps, v.codecs
        );
        if audio.is_some() {
            m.push_str(",AUDIO=\"aud\"");
        }
        let _ = writeln!(m, "\n{}/index.m3u8", v.rung.dir());
    }
    m
}

/// Tidies every rendition folder under `out`, writes `out/master.m3u8` and returns the variants.
pub fn finish(out: &Path, plan: &Plan, has_audio: bool) -> std::io::Result<Vec<Variant>> {
    let audio = if has_audio {
        Some(tidy_rendition(&out.join(super::argv::AUDIO_DIR))?)
    } else {
        None
    };
    let (audio_peak, audio_avg) = audio
        .as_ref()
        .map_or((0, 0), |a| (a.peak_bps(), a.average_bps()));
    let mut variants = Vec::new();
    for r in &plan.rungs {
        let dir = out.join(r.dir());
        let video = tidy_rendition(&dir)?;
        let init = std::fs::read(dir.join("init.mp4"))?;
        let mut codecs = avc1_codec(&init).unwrap_or_else(|| "avc1.640028".into());
        if has_audio {
            codecs.push_str(",mp4a.40.2");
        }
        variants.push(Variant {
            rung: r.clone(),
            codecs,
            bandwidth: video.peak_bps() + audio_peak,
            average_bandwidth: video.average_bps() + audio_avg,
        });
    }
    std::fs::write(
        out.join("master.m3u8"),
        master_playlist(
            &variants,
            plan.fps,
            has_audio.then_some(super::argv::AUDIO_DIR),
        ),
    )?;
    Ok(variants)
}

/// A rendition's fragments joined into one fragmented MP4 (init + segments, byte for byte).
pub fn join_fragments(dir: &Path, dest: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let text = std::fs::read_to_string(dir.join("index.m3u8"))?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(dest)?);
    f.write_all(&std::fs::read(dir.join("init.mp4"))?)?;
    for (_, uri) in parse_media_playlist(&text) {
        let mut seg = std::fs::File::open(dir.join(uri))?;
        std::io::copy(&mut seg, &mut f)?;
    }
    f.flush()
}

/// Every file below `out` with its path relative to `out` (`720p/seg_00001.m4s`), for upload.
pub fn files(out: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(out) {
                found.push((rel.to_string_lossy().replace('\\', "/"), path.clone()));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Content type of an HLS file by its name.
pub fn content_type(name: &str) -> &'static str {
    if name.ends_with(".m3u8") {
        "application/vnd.apple.mpegurl"
    } else if name.ends_with(".jpg") {
        "image/jpeg"
    } else {
        "video/mp4"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rung(name: u32, width: u32, height: u32) -> Rung {
        Rung {
            name,
            width,
            height,
            maxrate_kbps: 1000,
            bufsize_kbps: 2000,
            copy: false,
        }
    }

    #[test]
    fn master_playlist_text() {
        let v = vec![
            Variant {
                rung: rung(720, 1280, 720),
                codecs: "avc1.64001f,mp4a.40.2".into(),
                bandwidth: 2_500_000,
                average_bandwidth: 1_800_000,
            },
            Variant {
                rung: rung(360, 640, 360),
                codecs: "avc1.64001e,mp4a.40.2".into(),
                bandwidth: 900_000,
                average_bandwidth: 600_000,
            },
        ];
        assert_eq!(
            master_playlist(&v, 30.0, Some("audio")),
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n\
             #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/index.m3u8\"\n\
             #EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=1800000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"aud\"\n\
             720p/index.m3u8\n\
             #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=600000,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS=\"avc1.64001e,mp4a.40.2\",AUDIO=\"aud\"\n\
             360p/index.m3u8\n"
        );
        let silent = master_playlist(&v[1..], 29.97, None);
        assert!(!silent.contains("EXT-X-MEDIA"));
        assert!(silent.contains("FRAME-RATE=29.970,CODECS=\"avc1.64001e,mp4a.40.2\"\n360p"));
    }

    #[test]
    fn media_playlist_parsing_and_rates() {
        let text = "#EXTM3U\n#EXT-X-MAP:URI=\"init_0.mp4\"\n#EXTINF:4.000000,\nseg_00001.m4s\n#EXTINF:2.0,\nseg_00002.m4s\n#EXT-X-ENDLIST\n";
        let p = parse_media_playlist(text);
        assert_eq!(
            p,
            vec![(4.0, "seg_00001.m4s".into()), (2.0, "seg_00002.m4s".into())]
        );
        let r = Rendition {
            segments: vec![(4.0, "a".into(), 500_000), (2.0, "b".into(), 400_000)],
        };
        assert_eq!(r.peak_bps(), 1_600_000);
        assert_eq!(r.average_bps(), 1_200_000);
    }

    #[test]
    fn codecs_from_the_avcc_box() {
        let mut init = b"....ftypisom....avcC".to_vec();
        init.extend_from_slice(&[1, 0x64, 0x00, 0x1f, 0xff]);
        assert_eq!(avc1_codec(&init).as_deref(), Some("avc1.64001f"));
        assert_eq!(avc1_codec(b"no box here"), None);
    }

    #[test]
    fn tidy_renames_the_init_segment() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("init_2.mp4"), b"init").unwrap();
        std::fs::write(d.path().join("seg_00001.m4s"), vec![0u8; 1000]).unwrap();
        std::fs::write(
            d.path().join("index.m3u8"),
            "#EXTM3U\n#EXT-X-MAP:URI=\"init_2.mp4\"\n#EXTINF:4.0,\nseg_00001.m4s\n",
        )
        .unwrap();
        let r = tidy_rendition(d.path()).unwrap();
        assert_eq!(r.peak_bps(), 2000);
        assert!(d.path().join("init.mp4").exists());
        let text = std::fs::read_to_string(d.path().join("index.m3u8")).unwrap();
        assert!(text.contains("URI=\"init.mp4\""));
    }
}
