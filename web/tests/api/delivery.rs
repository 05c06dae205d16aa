//! HLS delivery through the site's URLs, on both backends: the master playlist opens in
//! ffprobe, every rung decodes, content types and Range are right, only known names are served,
//! and a hidden or deleted video's playlists and segments are refused.
use std::path::Path;

use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, spawn_app_with, Entry, TestApp};

/// A converted video with the worker's HLS ladder: an 854x480 AVI (MPEG-4 Part 2 + MP3, so the
/// worker transcodes) of `secs` seconds at 25 fps gets the rungs 480p and 360p.
async fn converted_with_hls(app: &TestApp, slug: &str, title: &str, secs: u32) -> String {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("src.avi");
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size=854x480:rate=25:duration={secs}"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=frequency=440:duration={secs}"))
        .args([
            "-c:v",
            "mpeg4",
            "-q:v",
            "4",
            "-c:a",
            "libmp3lame",
            "-shortest",
        ])
        .arg(&src)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    let id = app.upload_json(slug, &Entry::titled(title), &src).await;
    app.drain().await;
    let status = app.video_status(&id).await;
    assert_eq!(status["state"], "converted", "{status}");
    assert!(
        app.stored(&format!("media/{id}/hls/master.m3u8"))
            .await
            .is_some(),
        "the worker wrote the ladder"
    );
    id
}

async fn setup(app: &TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    assert_eq!(
        app.open_contest("Stream Cup", slug).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// Runs ffmpeg/ffprobe on a URL of the site, allowing only what HLS over HTTP needs, on a
/// blocking thread: the test's runtime must keep running meanwhile, because the app's S3 and
/// database connections have their I/O tasks on it (blocking it froze the site on AWS).
async fn tool(name: &str, args: &[&str]) -> std::process::Output {
    let name = name.to_string();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tool_blocking(&name, &args)
    })
    .await
    .unwrap()
}

/// With a read timeout, killed after 120 s and tried up to 3 times: a stuck tool fails the test
/// with its stderr instead of hanging CI.
fn tool_blocking(name: &str, args: &[&str]) -> std::process::Output {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut last = None;
    for _ in 0..3 {
        let mut child = Command::new(name)
            .args([
                "-v",
                "error",
                "-protocol_whitelist",
                "http,https,tcp,tls,crypto,file",
            ])
            .args(["-rw_timeout", "20000000", "-http_persistent", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let out_t = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = out.read_to_end(&mut b);
            b
        });
        let err_t = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err.read_to_end(&mut b);
            b
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let status = loop {
            if let Some(st) = child.try_wait().unwrap() {
                break Some(st);
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        let stdout = out_t.join().unwrap();
        let stderr = err_t.join().unwrap();
        match status {
            Some(status) => {
                return std::process::Output {
                    status,
                    stdout,
                    stderr,
                }
            }
            None => last = Some(String::from_utf8_lossy(&stderr).into_owned()),
        }
    }
    panic!("{name} {args:?} hung three times: {last:?}");
}

async fn decoded_frames(url: &str) -> (u64, String) {
    let out = tool(
        "ffmpeg",
        &[
            "-nostdin",
            "-i",
            url,
            "-map",
            "0:v:0",
            "-f",
            "null",
            "-progress",
            "pipe:1",
            "-",
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let frames = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("frame="))
        .filter_map(|n| n.trim().parse().ok())
        .next_back()
        .unwrap_or(0);
    assert!(
        out.status.success(),
        "{url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (frames, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn hls_ladder_plays_through_the_site_urls() {
    let app = spawn_app().await;
    setup(&app, "hls").await;
    let id = converted_with_hls(&app, "hls", "Ladder", 6).await;

    let status = app.video_status(&id).await;
    let hls_url = status["hls_url"].as_str().expect("hls_url").to_string();
    assert_eq!(hls_url, format!("/files/media/{id}/hls/master.m3u8"));
    let master_url = app.url(&hls_url);

    // The master playlist is served by the site with the HLS type, never cached by others.
    let r = app.get(&hls_url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/vnd.apple.mpegurl");
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let master = r.text().await.unwrap();
    let rungs: Vec<&str> = master
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert!(rungs.len() >= 2, "{master}");

    // ffprobe opens the master through the site and sees every rung as a program.
    let out = tool(
        "ffprobe",
        &["-print_format", "json", "-show_programs", &master_url],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let probe: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        probe["programs"].as_array().unwrap().len(),
        rungs.len(),
        "{probe}"
    );

    for rung in &rungs {
        let rung_url = app.url(&format!("/files/media/{id}/hls/{rung}"));
        // Each rung decodes from start to end through the URLs the playlist hands out.
        let (frames, _) = decoded_frames(&rung_url).await;
        assert!(frames >= 150, "{rung}: {frames} frames");

        let r = app.client.get(&rung_url).send().await.unwrap();
        assert_eq!(r.headers()["content-type"], "application/vnd.apple.mpegurl");
        let playlist = r.text().await.unwrap();
        let uris: Vec<String> = playlist
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect();
        let init = playlist
            .split("URI=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("EXT-X-MAP URI")
            .to_string();
        assert!(
            init.contains(&format!(
                "media/{id}/hls/{}",
                rung.replace("index.m3u8", "init.mp4")
            )),
            "{init}"
        );
        if app.is_aws() {
            // Presigned S3 URLs: absolute, signed, short-lived.
            assert!(
                uris[0].starts_with("http") && uris[0].contains("X-Amz-Signature="),
                "{}",
                uris[0]
            );
            assert!(uris[0].contains("X-Amz-Expires=600"), "{}", uris[0]);
        } else {
            assert!(
                uris[0].starts_with(&format!("/files/media/{id}/hls/")),
                "{}",
                uris[0]
            );
            // Segments and init files: video/mp4, Range honoured.
            for u in [&init, &uris[0]] {
                let r = app.fetch(u).await.send().await.unwrap();
                assert_eq!(r.status(), StatusCode::OK, "{u}");
                assert_eq!(r.headers()["content-type"], "video/mp4", "{u}");
            }
            let r = app
                .fetch(&uris[0])
                .await
                .header("Range", "bytes=10-109")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
            assert!(r.headers()["content-range"]
                .to_str()
                .unwrap()
                .starts_with("bytes 10-109/"));
            assert_eq!(r.bytes().await.unwrap().len(), 100);
        }
    }

    // The pages carry the playlist for the player, the MP4 stays as the <video> source.
    let page = app.get_html(&format!("/c/hls/v/{id}")).await;
    assert!(page.contains(&format!("data-hls=\"{hls_url}\"")), "{page}");
    assert!(
        page.contains("/static/player."),
        "the player script is linked"
    );
    assert!(page.contains("data-quality-for=\"player\""));
    let contest = app.get_html(&format!("/c/hls?v={id}")).await;
    assert!(contest.contains(&format!("data-hls=\"{hls_url}\"")));
}

#[tokio::test]
async fn only_known_hls_names_are_served() {
    let app = spawn_app().await;
    setup(&app, "names").await;
    let id = converted_with_hls(&app, "names", "Names", 2).await;
    // A stray file in the folder is still not reachable.
    let stray = app.data.path().join("stray.txt");
    std::fs::write(&stray, "secret").unwrap();
    app.backends
        .storage
        .put_file(
            &format!("media/{id}/hls/360p/notes.txt"),
            "text/plain",
            Path::new(&stray),
        )
        .await
        .unwrap();
    for path in [
        "hls/360p/notes.txt",
        "hls/../original",
        "hls/..%2F..%2Foriginals%2Fx",
        "hls/360p/..%2F..%2F..%2Foriginal",
        "hls/%2e%2e/%2e%2e/video.mp4",
        "hls/360p/seg_1.m4s",
        "hls/360p/seg_00001.m4s.bak",
        "hls/360p/index.m3u8/x",
        "hls/master.m3u8x",
        "hls/36p/index.m3u8",
        "hls/360p",
        "hls/",
    ] {
        let r = app.get(&format!("/files/media/{id}/{path}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let body = r.text().await.unwrap();
        assert!(!body.contains("secret"), "{path}");
    }
    // A video converted before HLS existed (no `hls_rungs`, no files) has no hls_url: the page
    // plays its MP4 alone, and the playlist URL finds nothing.
    let plain = app
        .upload_json("names", &Entry::titled("Plain"), &media("tiny"))
        .await;
    app.drain().await;
    sqlx::query("UPDATE videos SET hls_rungs = NULL WHERE id = ?")
        .bind(&plain)
        .execute(app.backends.db.pool())
        .await
        .unwrap();
    for file in app
        .backends
        .storage
        .list(&format!("media/{plain}/hls"))
        .await
        .unwrap()
    {
        app.backends.storage.delete(&file).await.unwrap();
    }
    let s = app.video_status(&plain).await;
    assert_eq!(s["state"], "converted");
    assert!(s["hls_url"].is_null(), "{s}");
    assert!(s["mp4_url"].is_string());
    let page = app.get_html(&format!("/c/names/v/{plain}")).await;
    assert!(!page.contains("data-hls="), "{page}");
    assert_eq!(
        app.get(&format!("/files/media/{plain}/hls/master.m3u8"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // A not-yet-converted video has no hls_url either.
    let queued = app
        .upload_json("names", &Entry::titled("Waiting"), &media("tiny"))
        .await;
    let s = app.video_status(&queued).await;
    assert!(s["hls_url"].is_null(), "{s}");
    assert_eq!(
        app.get(&format!("/files/media/{queued}/hls/master.m3u8"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn hidden_or_deleted_videos_stop_streaming() {
    // A short URL lifetime so the test sees presigned URLs expire on AWS.
    let app = spawn_app_with(vec![("aws.media_url_ttl_secs", "2".into())]).await;
    setup(&app, "priv").await;
    let id = converted_with_hls(&app, "priv", "Private", 2).await;
    let master = format!("/files/media/{id}/hls/master.m3u8");
    let rung = format!("/files/media/{id}/hls/360p/index.m3u8");
    let playlist = app.get(&rung).await.text().await.unwrap();
    let segment = playlist
        .lines()
        .find(|l| !l.starts_with('#') && !l.is_empty())
        .unwrap()
        .to_string();
    assert_eq!(
        app.fetch(&segment).await.send().await.unwrap().status(),
        StatusCode::OK
    );

    let csrf = app.csrf("/c/priv").await;
    let r = app
        .post_form(&format!("/c/priv/v/{id}/hide"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The organizer still streams it.
    assert_eq!(app.get(&master).await.status(), StatusCode::OK);
    app.logout().await;
    // Everyone else: playlists refused at once.
    for path in [&master, &rung] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    if app.is_aws() {
        // Segment URLs handed out before carry the short lifetime (S3 enforces it; the
        // emulator does not, so the lifetime is what is checked here).
        assert!(segment.contains("X-Amz-Expires=2&"), "{segment}");
    } else {
        let r = app.fetch(&segment).await.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{segment}");
    }
    for file in ["360p/init.mp4", "360p/seg_00001.m4s"] {
        assert_eq!(
            app.get(&format!("/files/media/{id}/hls/{file}"))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }

    // Deleting removes the whole folder.
    app.login("org-priv@example.org", "a long enough password")
        .await;
    let csrf = app.csrf("/c/priv").await;
    let r = app
        .post_form(&format!("/c/priv/v/{id}/delete"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&master).await.status(), StatusCode::NOT_FOUND);
    assert!(app
        .backends
        .storage
        .list(&format!("media/{id}"))
        .await
        .unwrap()
        .is_empty());
    // Even a still-valid URL handed out earlier finds nothing now.
    let r = app.fetch(&segment).await.send().await.unwrap();
    assert!(r.status().is_client_error(), "{segment}: {}", r.status());
}
