//! ffmpeg argv: one process decodes the source once and writes every HLS rung, the shared audio
//! rendition and the poster; a stream copy then turns the top rung into the progressive MP4.
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use super::plan::{AudioPlan, Plan};
use super::validate::ValidProbe;
use super::{input_arg, FORMAT_WHITELIST};
use crate::config::MediaSettings;
use crate::process;
use crate::storage::MediaSource;

/// The HLS rendition folder of the shared audio.
pub const AUDIO_DIR: &str = "audio";
pub const POSTER_FILE: &str = "poster.jpg";

/// Where to take the poster frame: a third of the way in, at most one second.
pub fn poster_at(duration_secs: f64) -> f64 {
    (duration_secs / 3.0).min(1.0)
}

/// The filter graph: split the chosen video stream once per encoded rung plus the poster.
fn filter_graph(p: &ValidProbe, plan: &Plan) -> String {
    let encoded: Vec<_> = plan.rungs.iter().filter(|r| !r.copy).collect();
    let top = plan.top();
    let mut g = format!("[0:v:{}]split={}", p.video().index, encoded.len() + 1);
    for i in 0..encoded.len() {
        g.push_str(&format!("[s{i}]"));
    }
    g.push_str("[sp]");
    for (i, r) in encoded.iter().enumerate() {
        g.push_str(&format!(
            ";[s{i}]scale={}:{},format=yuv420p[v{i}]",
            r.width, r.height
        ));
    }
    g.push_str(&format!(
        ";[sp]setpts=PTS-STARTPTS,select=gte(t\\,{:.3}),scale={}:{}[p]",
        poster_at(p.duration_secs),
        top.width,
        top.height
    ));
    g
}

/// The conversion argv (ffmpeg's own arguments, without the program name). `out` is an empty
/// folder that receives `{rung}p/index.m3u8`, `{rung}p/init_N.mp4`, `{rung}p/seg_00001.m4s`...,
/// `audio/...` and `poster.jpg`.
pub fn convert_args(
    s: &MediaSettings,
    src: &MediaSource,
    p: &ValidProbe,
    plan: &Plan,
    threads: usize,
    out: &Path,
) -> Vec<OsString> {
    let (input, protocols) = input_arg(src);
    let mut a = process::argv([
        "-nostdin".to_string(),
        "-hide_banner".into(),
        "-v".into(),
        "error".into(),
        "-threads".into(),
        threads.to_string(),
        "-protocol_whitelist".into(),
        protocols.into(),
        "-format_whitelist".into(),
        FORMAT_WHITELIST.into(),
        "-f".into(),
        p.demuxer.clone(),
        "-i".into(),
    ]);
    a.push(input);
    a.extend(process::argv([
        "-filter_complex_threads".to_string(),
        threads.to_string(),
        "-filter_complex".into(),
        filter_graph(p, plan),
    ]));
    // Output streams: the video rungs in ladder order, then the audio.
    let mut encoded = 0;
    for r in &plan.rungs {
        if r.copy {
            a.extend(process::argv([
                "-map".to_string(),
                format!("0:v:{}", p.video().index),
            ]));
        } else {
            a.extend(process::argv(["-map".to_string(), format!("[v{encoded}]")]));
            encoded += 1;
        }
    }
    if let (Some(audio), false) = (&p.audio, plan.audio == AudioPlan::None) {
        a.extend(process::argv([
            "-map".to_string(),
            format!("0:a:{}", audio.index),
        ]));
    }
    // Keyframes every 2 s; a copied top rung has the source's keyframes instead, and the encoded
    // rungs then have exactly those (no keyframe of their own: `-g` out of reach).
    let gop = if plan.is_remux() {
        "100000".to_string()
    } else {
        plan.gop.to_string()
    };
    for (k, r) in plan.rungs.iter().enumerate() {
        let o = |name: &str| format!("-{name}:v:{k}");
        if r.copy {
            a.extend(process::argv([o("c"), "copy".into()]));
            continue;
        }
        // The top rung is the one people watch on a screen and the one the MP4 is made of: it
        // gets the tuned preset. The lower rungs (phones, slow links) get a cheaper one; they
        // would otherwise cost ~0.7× the top rung again (bench/README.md, HLS ladder).
        let top = k == 0;
        let (preset, params) = if top {
            (&s.x264_preset, &s.x264_params)
        } else {
            (&s.hls_lower_preset, &s.hls_lower_params)
        };
        a.extend(process::argv([
            o("c"),
            "libx264".into(),
            o("preset"),
            preset.clone(),
            o("crf"),
            s.x264_crf.to_string(),
            o("profile"),
            "high".into(),
            o("maxrate"),
            format!("{}k", r.maxrate_kbps),
            o("bufsize"),
            format!("{}k", r.bufsize_kbps),
            o("threads"),
            threads.to_string(),
            o("g"),
            gop.clone(),
            o("keyint_min"),
            gop.clone(),
            o("sc_threshold"),
            "0".into(),
            o("force_key_frames"),
            // A copied top rung has the source's keyframes: the encoded rungs follow them.
            if plan.is_remux() {
                "source".into()
            } else {
                format!("expr:gte(t,n_forced*{})", super::plan::KEYFRAME_SECS)
            },
        ]));
        if !params.is_empty() {
            a.extend(process::argv([o("x264-params"), params.clone()]));
        }
    }
    match plan.audio {
        AudioPlan::None => {}
        AudioPlan::Copy => a.extend(process::argv(["-c:a", "copy"])),
        AudioPlan::Encode => a.extend(process::argv([
            "-c:a".to_string(),
            "aac".into(),
            "-b:a".into(),
            s.audio_bitrate.clone(),
            "-ac".into(),
            "2".into(),
        ])),
    }
    let mut streams: Vec<String> = plan
        .rungs
        .iter()
        .enumerate()
        .map(|(k, r)| format!("v:{k},name:{}", r.dir()))
        .collect();
    if plan.audio != AudioPlan::None {
        for st in &mut streams {
            st.push_str(",agroup:aud");
        }
        streams.push(format!("a:0,name:{AUDIO_DIR},agroup:aud"));
    }
    let dir = out.to_string_lossy();
    a.extend(process::argv([
        "-map_metadata".to_string(),
        "-1".into(),
        "-map_chapters".into(),
        "-1".into(),
        "-f".into(),
        "hls".into(),
        "-hls_time".into(),
        s.hls_segment_secs.to_string(),
        "-hls_segment_type".into(),
        "fmp4".into(),
        "-hls_playlist_type".into(),
        "vod".into(),
        "-hls_flags".into(),
        "independent_segments".into(),
        "-start_number".into(),
        "1".into(),
        "-hls_fmp4_init_filename".into(),
        "init.mp4".into(),
        "-hls_segment_filename".into(),
        format!("{dir}/%v/seg_%05d.m4s"),
        "-var_stream_map".into(),
        streams.join(" "),
        "-progress".into(),
        "pipe:1".into(),
        "-nostats".into(),
        "-y".into(),
        format!("{dir}/%v/index.m3u8"),
        // The poster: a second output of the same decode.
        "-map".into(),
        "[p]".into(),
        "-frames:v".into(),
        "1".into(),
        "-q:v".into(),
        "3".into(),
        "-f".into(),
        "image2".into(),
        "-update".into(),
        "1".into(),
        "-y".into(),
        format!("{dir}/{POSTER_FILE}"),
    ]));
    a
}

/// The progressive MP4: the top rung's fragments (and the audio rendition's) stream-copied into
/// one faststart file. Inputs are our own outputs.
pub fn mp4_args(video: &Path, audio: Option<&Path>, output: &Path) -> Vec<OsString> {
    let mut a = process::argv([
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-f",
        "mp4",
        "-i",
    ]);
    a.push(file_arg(video));
    if let Some(audio) = audio {
        a.extend(process::argv(["-f", "mp4", "-i"]));
        a.push(file_arg(audio));
    }
    a.extend(process::argv(["-map", "0:v:0"]));
    if audio.is_some() {
        a.extend(process::argv(["-map", "1:a:0"]));
    }
    a.extend(process::argv([
        "-c",
        "copy",
        "-map_metadata",
        "-1",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        "-y",
    ]));
    a.push(file_arg(output));
    a
}

/// A JPEG poster from the converted MP4's first frame: only for a clip too short to have a frame
/// at the poster time (the poster normally comes out of the conversion itself).
pub fn poster_fallback_args(mp4: &Path, output: &Path) -> Vec<OsString> {
    let mut a = process::argv([
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
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

pub fn file_arg(p: &Path) -> OsString {
    let mut s = OsString::from("file:");
    s.push(p.as_os_str());
    s
}

/// Timeout proportional to the duration (`timeout_factor` is a measured worst-case encode speed
/// with headroom), never below the floor nor above the cap.
pub fn timeout_for(s: &MediaSettings, duration_secs: f64) -> Duration {
    let secs = (duration_secs * s.timeout_factor)
        .max(s.min_timeout_secs as f64)
        .min(s.max_timeout_secs.max(s.min_timeout_secs) as f64);
    Duration::from_secs_f64(secs)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::plan::plan;
    use crate::media::plan::tests::{probe, settings};

    fn joined(a: Vec<OsString>) -> String {
        a.into_iter()
            .map(|x| x.into_string().unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn one_process_every_rung_aligned_keyframes_and_the_poster() {
        let s = settings();
        let p = probe("mpeg4", 1280, 720, Some("mp3"));
        let a = joined(convert_args(
            &s,
            &MediaSource::Path("/tmp/in".into()),
            &p,
            &plan(&p, &s),
            2,
            Path::new("/tmp/out"),
        ));
        assert!(a.starts_with("-nostdin"));
        assert!(a.contains("-protocol_whitelist file,pipe"));
        assert!(a.contains("-f mov -i file:/tmp/in"));
        assert!(a.contains("[0:v:0]split=4[s0][s1][s2][sp];[s0]scale=1280:720"));
        assert!(a.contains("-c:v:2 libx264"));
        // The top rung gets the tuned preset and params, the lower rungs the cheaper preset.
        assert!(a.contains("-preset:v:0 superfast"), "{a}");
        assert!(
            a.contains("-x264-params:v:0 mbtree=1:rc-lookahead=10"),
            "{a}"
        );
        assert!(a.contains(
            "-x264-params:v:1 mbtree=1:rc-lookahead=10:subme=0:partitions=none:weightp=0"
        ));
        assert!(a.contains("-x264-params:v:2 mbtree=1:rc-lookahead=10:subme=0:partitions=none"));
        assert!(a.contains("-maxrate:v:0 2765k -bufsize:v:0 5530k"));
        assert!(a.contains("-g:v:1 60 -keyint_min:v:1 60 -sc_threshold:v:1 0"));
        assert!(a.contains("-force_key_frames:v:0 expr:gte(t,n_forced*2)"));
        assert_eq!(a.matches("-c:a aac").count(), 1);
        assert!(a.contains(
            "-var_stream_map v:0,name:720p,agroup:aud v:1,name:480p,agroup:aud v:2,name:360p,agroup:aud a:0,name:audio,agroup:aud"
        ));
        assert!(a.contains("-hls_segment_type fmp4 -hls_playlist_type vod"));
        assert!(a.contains("-map_metadata -1"));
        assert!(
            a.ends_with("-map [p] -frames:v 1 -q:v 3 -f image2 -update 1 -y /tmp/out/poster.jpg")
        );
    }

    #[test]
    fn remux_copies_the_top_rung_and_follows_its_keyframes() {
        let s = settings();
        let p = probe("h264", 1280, 720, None);
        let a = joined(convert_args(
            &s,
            &MediaSource::Path("/tmp/in".into()),
            &p,
            &plan(&p, &s),
            1,
            Path::new("/tmp/out"),
        ));
        assert!(a.contains("split=3[s0][s1][sp]"));
        assert!(a.contains("-map 0:v:0 -map [v0] -map [v1]"));
        assert!(a.contains("-c:v:0 copy"));
        assert!(a.contains("-g:v:1 100000"));
        assert!(a.contains("-force_key_frames:v:1 source"));
        assert!(!a.contains("-c:a"));
        assert!(a.contains("-var_stream_map v:0,name:720p v:1,name:480p v:2,name:360p -"));
    }

    #[test]
    fn mp4_is_a_stream_copy() {
        let a = joined(mp4_args(
            Path::new("/t/v.mp4"),
            Some(Path::new("/t/a.mp4")),
            Path::new("/t/out.mp4"),
        ));
        assert!(a.contains("-c copy"));
        assert!(a.contains("-movflags +faststart"));
        assert!(a.ends_with("file:/t/out.mp4"));
    }

    #[test]
    fn progress_lines() {
        assert_eq!(progress_from_line("out_time_us=5000000", 10.0), Some(50));
        assert_eq!(progress_from_line("out_time_us=20000000", 10.0), Some(99));
        assert_eq!(progress_from_line("frame=10", 10.0), None);
        assert_eq!(progress_from_line("out_time_us=N/A", 10.0), None);
    }

    #[test]
    fn timeout_scales_with_duration_and_is_capped() {
        let s = settings();
        assert_eq!(
            timeout_for(&s, 1.0),
            Duration::from_secs(s.min_timeout_secs)
        );
        assert_eq!(
            timeout_for(&s, 600.0),
            Duration::from_secs_f64(600.0 * s.timeout_factor)
        );
        // A file claiming an hour no longer gets ten.
        assert_eq!(
            timeout_for(&s, 3600.0 * 10.0),
            Duration::from_secs(s.max_timeout_secs)
        );
    }
}
