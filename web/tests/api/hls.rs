//! HLS ladder, media limits and failure classification, black-box: upload through the site, run
//! the worker, inspect what landed in storage with ffprobe/ffmpeg.
use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use worker::{Outcome, Step};

use crate::helpers::{ffprobe, spawn_app, spawn_app_with, Entry, TestApp};

async fn contest(app: &TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    assert_eq!(
        app.open_contest("Ladder Cup", slug).await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
}

fn ffmpeg(args: &[&str]) {
    let st = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(args)
        .status()
        .unwrap();
    assert!(st.success(), "ffmpeg {args:?}");
}

/// Copies the video's whole HLS folder out of storage (any backend) into `dest`.
async fn hls_from_storage(app: &TestApp, id: &str, dest: &Path) -> Vec<String> {
    let prefix = shared::storage::keys::hls_prefix(&id.parse().unwrap());
    let keys = app.backends.storage.list(&prefix).await.unwrap();
    let mut rels = Vec::new();
    for key in keys {
        let rel = key[key.find(&prefix).unwrap() + prefix.len()..].to_string();
        let local = app.stored(&key).await.unwrap();
        let target = dest.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(local, target).unwrap();
        rels.push(rel);
    }
    rels.sort();
    rels
}

fn keyframes(playlist: &Path) -> Vec<String> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-skip_frame",
            "nokey",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "csv=p=0",
        ])
        .arg(playlist)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.trim_matches(',').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// SSIM of a rung against the source scaled to the rung's size.
fn ssim(source: &Path, rung: &Path, w: u32, h: u32) -> f64 {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "info", "-i"])
        .arg(rung)
        .arg("-i")
        .arg(source)
        .args([
            "-lavfi",
            &format!("[0:v]setpts=PTS-STARTPTS,format=yuv420p[d];[1:v]setpts=PTS-STARTPTS,scale={w}:{h}:flags=bicubic,format=yuv420p[r];[d][r]ssim"),
            "-f",
            "null",
            "-",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let all = err
        .rsplit("All:")
        .next()
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no SSIM in {err}"));
    all.parse().unwrap()
}

#[tokio::test]
async fn a_converted_video_has_an_aligned_hls_ladder_from_one_encode() {
    // A generous timeout: this machine may be busy with other builds while the test runs.
    let app = spawn_app_with(vec![("media.min_timeout_secs", "900".into())]).await;
    contest(&app, "ladder").await;
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("src.avi");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=854x480:rate=30:duration=9",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=9",
        "-c:v",
        "mpeg4",
        "-q:v",
        "2",
        "-c:a",
        "libmp3lame",
        "-shortest",
        src.to_str().unwrap(),
    ]);
    let id = app
        .upload_json("ladder", &Entry::titled("Ladder"), &src)
        .await;
    app.drain().await;
    let status = app.video_status(&id).await;
    assert_eq!(status["state"], "converted", "{status}");
    let video = app.video_row(&id).await;
    assert_eq!(video.hls_rungs.as_deref(), Some("480,360"));

    let hls = work.path().join("hls");
    let files = hls_from_storage(&app, &id, &hls).await;
    for f in [
        "master.m3u8",
        "480p/index.m3u8",
        "480p/init.mp4",
        "480p/seg_00001.m4s",
        "360p/init.mp4",
        "360p/index.m3u8",
        "audio/index.m3u8",
        "audio/init.mp4",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    // The master playlist: written by the app, one line per rung with measured numbers.
    let master = std::fs::read_to_string(hls.join("master.m3u8")).unwrap();
    let lines: Vec<&str> = master
        .lines()
        .filter(|l| l.starts_with("#EXT-X-STREAM-INF"))
        .collect();
    assert_eq!(lines.len(), 2, "{master}");
    for (line, res) in lines.iter().zip(["854x480", "640x360"]) {
        assert!(line.contains(&format!("RESOLUTION={res}")), "{line}");
        assert!(line.contains("FRAME-RATE=30.000"), "{line}");
        assert!(line.contains("CODECS=\"avc1.64"), "{line}");
        assert!(line.contains("mp4a.40.2"), "{line}");
        assert!(line.contains("AUDIO=\"aud\""), "{line}");
    }
    let bandwidth = |l: &str| -> u64 {
        l.split("BANDWIDTH=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(bandwidth(lines[0]) > bandwidth(lines[1]), "{master}");
    // ffprobe opens the master from the stored files: both video variants and the audio.
    let probe = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_type,width,height",
            "-of",
            "csv=p=0",
        ])
        .arg(hls.join("master.m3u8"))
        .output()
        .unwrap();
    assert!(probe.status.success());
    let streams = String::from_utf8(probe.stdout).unwrap();
    for size in ["854,480", "640,360"] {
        assert!(streams.contains(&format!("video,{size}")), "{streams}");
    }
    assert!(streams.contains("audio"), "{streams}");

    let mut all_keys = Vec::new();
    for (rung, (w, h)) in ["480p", "360p"].into_iter().zip([(854, 480), (640, 360)]) {
        let playlist = hls.join(rung).join("index.m3u8");
        // Every rung decodes.
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-xerror", "-i"])
            .arg(&playlist)
            .args(["-f", "null", "-"])
            .status()
            .unwrap();
        assert!(st.success(), "{rung} does not decode");
        // Segments of about 4 s (the last one may be shorter).
        let text = std::fs::read_to_string(&playlist).unwrap();
        let durations: Vec<f64> = shared::media::hls::parse_media_playlist(&text)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert!(durations.len() >= 2, "{text}");
        for d in &durations[..durations.len() - 1] {
            assert!(
                (3.5..=4.5).contains(d),
                "{rung}: segment of {d} s in {text}"
            );
        }
        // Keyframes every 2 s.
        let k = keyframes(&playlist);
        assert!(k.len() >= 4, "{rung}: {k:?}");
        all_keys.push(k);
        // Quality against the source scaled to this rung.
        let s = ssim(&src, &playlist, w, h);
        assert!(s >= 0.98, "{rung}: SSIM {s}");
    }
    assert_eq!(all_keys[0], all_keys[1], "keyframes aligned 480p/360p");

    // The progressive MP4 is the top rung: same size, same number of frames.
    let mp4 = app.stored(&format!("media/{id}/video.mp4")).await.unwrap();
    let p = ffprobe(&mp4);
    let v = p["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["codec_type"] == "video")
        .unwrap();
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(854), Some(480))
    );
    assert!(app
        .stored(&format!("media/{id}/poster.jpg"))
        .await
        .is_some());
}

#[tokio::test]
async fn a_portrait_video_scales_by_width() {
    let app = spawn_app().await;
    contest(&app, "portrait").await;
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("tall.avi");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=480x854:rate=25:duration=2",
        "-c:v",
        "mpeg4",
        src.to_str().unwrap(),
    ]);
    let id = app
        .upload_json("portrait", &Entry::titled("Tall"), &src)
        .await;
    app.drain().await;
    let video = app.video_row(&id).await;
    assert_eq!(video.hls_rungs.as_deref(), Some("480,360"));
    let hls = work.path().join("hls");
    hls_from_storage(&app, &id, &hls).await;
    let master = std::fs::read_to_string(hls.join("master.m3u8")).unwrap();
    assert!(master.contains("RESOLUTION=480x854"), "{master}");
    assert!(master.contains("RESOLUTION=360x640"), "{master}");
    assert!(
        !master.contains("EXT-X-MEDIA"),
        "no audio in, no audio rendition"
    );
}

#[tokio::test]
async fn a_file_over_the_frame_rate_limit_is_refused_at_upload() {
    let app = spawn_app_with(vec![("media.max_fps", "60".into())]).await;
    contest(&app, "fps").await;
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("fast.avi");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x120:rate=100:duration=1",
        "-c:v",
        "mpeg4",
        src.to_str().unwrap(),
    ]);
    let form = app.upload_form("fps", &Entry::titled("Fast"), &src).await;
    let r = app
        .client
        .post(app.url("/c/fps/videos"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body["error"],
        "The video has 100 frames per second; the limit is 60."
    );
    assert_eq!(app.stored_originals().await, 0);
}

/// An AVI whose first frames are fine (the upload's decode check passes) and whose later frames
/// are zeroed: most frames fail to decode, and ffmpeg says so every time.
fn damaged_avi(path: &Path) {
    let good = path.with_extension("good.avi");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25:duration=4",
        "-c:v",
        "mpeg4",
        good.to_str().unwrap(),
    ]);
    let mut d = std::fs::read(&good).unwrap();
    let movi = d.windows(4).position(|w| w == b"movi").unwrap();
    let (mut at, mut n) = (movi + 4, 0);
    while let Some(off) = d[at..].windows(4).position(|w| w == b"00dc") {
        let j = at + off;
        let size = u32::from_le_bytes(d[j + 4..j + 8].try_into().unwrap()) as usize;
        if j + 8 + size > d.len() {
            break;
        }
        if n >= 10 {
            d[j + 8..j + 8 + size].fill(0);
        }
        n += 1;
        at = j + 8 + size;
    }
    assert!(n > 50, "{n} frames");
    std::fs::write(path, d).unwrap();
}

#[tokio::test]
async fn a_damaged_file_fails_once_without_retries_with_a_fixed_reason() {
    let app = spawn_app_with(vec![("worker.max_attempts", "3".into())]).await;
    contest(&app, "damaged").await;
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("broken.avi");
    damaged_avi(&src);
    let id = app
        .upload_json("damaged", &Entry::titled("Broken"), &src)
        .await;
    let steps = app.drain().await;
    let conversions: Vec<&Step> = steps
        .iter()
        .filter(|s| matches!(s, Step::Handled(Outcome::Fatal(_) | Outcome::Retry(_))))
        .collect();
    assert_eq!(
        conversions,
        vec![&Step::Handled(Outcome::Fatal("media.damaged".into()))],
        "{steps:?}"
    );
    let s = app.video_status(&id).await;
    assert_eq!(s["state"], "failed");
    assert_eq!(s["error_code"], "media.damaged");
    assert_eq!(
        s["error"],
        "The file is damaged: its video could not be decoded."
    );
    let video = app.video_row(&id).await;
    assert_eq!(video.attempts, 1);
    let detail = video.error_detail.unwrap();
    assert!(detail.contains("Invalid data"), "{detail}");
    assert!(
        !detail.contains(&app.data.path().to_string_lossy().to_string()),
        "{detail}"
    );
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("The file is damaged"));
    assert!(!mails[0].contains("Invalid data"));
}

#[tokio::test]
async fn a_file_with_cover_art_converts_its_real_video() {
    let app = spawn_app().await;
    contest(&app, "cover").await;
    let work = tempfile::tempdir().unwrap();
    let cover = work.path().join("cover.png");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=red:size=64x64",
        "-frames:v",
        "1",
        cover.to_str().unwrap(),
    ]);
    let src = work.path().join("with-cover.mp4");
    ffmpeg(&[
        "-i",
        cover.to_str().unwrap(),
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25:duration=2",
        "-map",
        "0",
        "-map",
        "1",
        "-c:v:0",
        "mjpeg",
        "-c:v:1",
        "mpeg4",
        "-disposition:v:0",
        "attached_pic",
        src.to_str().unwrap(),
    ]);
    let id = app
        .upload_json("cover", &Entry::titled("Covered"), &src)
        .await;
    app.drain().await;
    assert_eq!(app.video_status(&id).await["state"], "converted");
    let mp4 = app.stored(&format!("media/{id}/video.mp4")).await.unwrap();
    let p = ffprobe(&mp4);
    let videos: Vec<_> = p["streams"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["codec_type"] == "video")
        .collect();
    assert_eq!(videos.len(), 1, "the cover is not carried over");
    assert_eq!(videos[0]["width"], 320);
}

#[tokio::test]
async fn backfill_adds_hls_to_old_videos_once_and_resumes() {
    let app = spawn_app().await;
    contest(&app, "backfill").await;
    let ids = [
        app.upload_json(
            "backfill",
            &Entry::titled("Old one"),
            &crate::helpers::media("avi"),
        )
        .await,
        app.upload_json(
            "backfill",
            &Entry::titled("Old two"),
            &crate::helpers::media("mp4"),
        )
        .await,
    ];
    app.drain().await;
    // Make them look converted before HLS existed: no rungs recorded, no HLS files.
    for id in &ids {
        app.backends
            .storage
            .delete_prefix(&shared::storage::keys::hls_prefix(&id.parse().unwrap()))
            .await
            .unwrap();
    }
    set_no_hls(&app, &ids).await;
    let settings = shared::Settings::load_with(|b| {
        b.set_override("data_dir", app.data.path().to_string_lossy().to_string())
            .unwrap()
    })
    .unwrap();
    let mut out = Vec::new();
    let summary = worker::backfill::run(&app.backends, &settings, &mut out)
        .await
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        (summary.total, summary.done, summary.failed),
        (2, 2, 0),
        "{out}"
    );
    assert!(out.contains("backfill-hls: 1/2"), "{out}");
    assert!(out.contains("backfill-hls: 2/2"), "{out}");
    for id in &ids {
        let v = app.video_row(id).await;
        assert_eq!(v.hls_rungs.as_deref(), Some("240"), "{id}");
        let keys = app
            .backends
            .storage
            .list(&shared::storage::keys::hls_prefix(&id.parse().unwrap()))
            .await
            .unwrap();
        assert!(
            keys.iter().any(|k| k.ends_with("hls/master.m3u8")),
            "{keys:?}"
        );
        assert!(
            keys.iter().any(|k| k.ends_with("hls/240p/init.mp4")),
            "{keys:?}"
        );
    }
    // Idempotent: a second run finds nothing to do.
    let mut out = Vec::new();
    let again = worker::backfill::run(&app.backends, &settings, &mut out)
        .await
        .unwrap();
    assert_eq!((again.total, again.done), (0, 0));
    // Resumable: a video whose run died before recording its rungs is redone, alone.
    set_no_hls(&app, &ids[1..]).await;
    let mut out = Vec::new();
    let resumed = worker::backfill::run(&app.backends, &settings, &mut out)
        .await
        .unwrap();
    assert_eq!((resumed.total, resumed.done), (1, 1));
    assert!(String::from_utf8(out).unwrap().contains(&ids[1]));
}

async fn set_no_hls(app: &TestApp, ids: &[String]) {
    for id in ids {
        sqlx::query("UPDATE videos SET hls_rungs = NULL WHERE id = ?")
            .bind(id)
            .execute(app.backends.db.pool())
            .await
            .unwrap();
    }
}
