use std::time::{Duration, Instant};

use reqwest::StatusCode;
use worker::{Outcome, Step};

use crate::helpers::{box_offset, ffprobe, media, spawn_app, spawn_app_with, Entry, TestApp};

async fn contest(app: &TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    assert_eq!(
        app.open_contest("Sea Shorts", slug).await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
}

#[tokio::test]
async fn avi_upload_is_converted_listed_and_mailed() {
    let app = spawn_app().await;
    contest(&app, "sea").await;

    // A browser form post lands on the video page.
    let r = app
        .upload("sea", &Entry::titled("Waves"), &media("avi"))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/c/sea/v/"), "{location}");
    let id = location.rsplit('/').next().unwrap().to_string();
    let page = app.get_html(&location).await;
    assert!(page.contains("Received, converting"), "{page}");
    assert_eq!(app.video_status(&id).await["state"], "queued");

    app.drain().await;

    let status = app.video_status(&id).await;
    assert_eq!(status["state"], "converted", "{status}");
    assert_eq!(status["progress"], 100);
    let mp4_url = status["mp4_url"].as_str().unwrap().to_string();
    assert!(
        mp4_url.contains(&format!("media/{id}/video.mp4")),
        "{mp4_url}"
    );
    if !app.is_aws() {
        assert_eq!(mp4_url, format!("/files/media/{id}/video.mp4"));
    }

    // H.264/AAC, faststart (moov before mdat), even dimensions.
    let mp4 = app.stored(&format!("media/{id}/video.mp4")).await.unwrap();
    let probe = ffprobe(&mp4);
    let streams = probe["streams"].as_array().unwrap();
    let v = streams.iter().find(|s| s["codec_type"] == "video").unwrap();
    assert_eq!(v["codec_name"], "h264");
    assert_eq!(v["pix_fmt"], "yuv420p");
    assert_eq!(
        streams.iter().find(|s| s["codec_type"] == "audio").unwrap()["codec_name"],
        "aac"
    );
    let bytes = std::fs::read(&mp4).unwrap();
    assert!(box_offset(&bytes, b"moov").unwrap() < box_offset(&bytes, b"mdat").unwrap());
    assert!(app
        .stored(&format!("media/{id}/poster.jpg"))
        .await
        .is_some());

    // The email: one message, to the participant, with the absolute link.
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: ana@example.org"));
    assert!(mails[0].contains("Your video is ready"));
    assert!(mails[0].contains(&format!("{}/c/sea/v/{id}", app.base_url)));
    assert!(mails[0].contains("multipart/alternative"));

    // The public page lists it and plays it on ?v=.
    let page = app.get_html("/c/sea").await;
    assert!(page.contains("Waves"));
    let page = app.get_html(&format!("/c/sea?v={id}")).await;
    assert!(page.contains(&format!("media/{id}/video.mp4")), "{page}");
    assert!(page.contains(&format!("media/{id}/poster.jpg")));
    // The video page shows the player now.
    assert!(app.get_html(&location).await.contains("<video"));
}

#[tokio::test]
async fn flv_wmv_mkv_and_silent_files_convert() {
    let app = spawn_app().await;
    contest(&app, "formats").await;
    let mut ids = Vec::new();
    for (kind, title) in [
        ("flv", "Flash"),
        ("wmv", "Windows"),
        ("mkv", "Matroska"),
        ("noaudio", "Silent"),
        ("odd", "Odd size"),
    ] {
        ids.push((
            kind,
            app.upload_json("formats", &Entry::titled(title), &media(kind))
                .await,
        ));
    }
    app.drain().await;
    for (kind, id) in ids {
        let s = app.video_status(&id).await;
        assert_eq!(s["state"], "converted", "{kind}: {s}");
        let probe = ffprobe(&app.stored(&format!("media/{id}/video.mp4")).await.unwrap());
        let streams = probe["streams"].as_array().unwrap();
        let v = streams.iter().find(|s| s["codec_type"] == "video").unwrap();
        assert_eq!(v["codec_name"], "h264", "{kind}");
        assert_eq!(v["width"].as_i64().unwrap() % 2, 0, "{kind} width even");
        assert_eq!(v["height"].as_i64().unwrap() % 2, 0, "{kind} height even");
        let audio = streams.iter().find(|s| s["codec_type"] == "audio");
        match kind {
            "noaudio" | "mkv" | "odd" => {
                assert!(audio.is_none(), "{kind}: no audio in, no audio out")
            }
            _ => assert_eq!(audio.unwrap()["codec_name"], "aac", "{kind}"),
        }
    }
}

#[tokio::test]
async fn h264_aac_mp4_is_remuxed_not_reencoded() {
    let app = spawn_app().await;
    contest(&app, "remux").await;
    let src = media("mp4");
    let id = app
        .upload_json("remux", &Entry::titled("Ready"), &src)
        .await;
    app.drain().await;
    assert_eq!(app.video_status(&id).await["state"], "converted");
    // Stream copy keeps every video packet byte for byte.
    let packets = |p: &std::path::Path| -> Vec<String> {
        let out = std::process::Command::new("ffprobe")
            .args([
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "packet=size",
                "-of",
                "csv=p=0",
            ])
            .arg(p)
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let out = app.stored(&format!("media/{id}/video.mp4")).await.unwrap();
    assert_eq!(packets(&src), packets(&out));
    let bytes = std::fs::read(&out).unwrap();
    assert!(box_offset(&bytes, b"moov").unwrap() < box_offset(&bytes, b"mdat").unwrap());
}

#[tokio::test]
async fn pagination_shows_ten_per_page() {
    let app = spawn_app().await;
    contest(&app, "many").await;
    for i in 0..12 {
        app.upload_json(
            "many",
            &Entry::titled(&format!("Clip number {i:02}")),
            &media("tiny"),
        )
        .await;
    }
    app.drain().await;
    let count = |html: &str| html.matches("class=\"card video-card\"").count();
    let p1 = app.get_html("/c/many").await;
    let p2 = app.get_html("/c/many?page=2").await;
    assert_eq!(count(&p1), 10);
    assert_eq!(count(&p2), 2);
    assert!(p1.contains("rel=\"next\""));
    assert!(p2.contains("rel=\"prev\""));
    // Newest first: the last upload is on page 1, the first on page 2.
    assert!(p1.contains("Clip number 11"));
    assert!(p2.contains("Clip number 00"));
    assert_eq!(
        app.get("/c/many?page=0").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/c/many?page=abc").await.status(),
        StatusCode::BAD_REQUEST
    );
}

/// An ffmpeg that fails the conversion while `flag` exists, and is the real one otherwise.
fn flaky_ffmpeg(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let flag = dir.join("fail-now");
    let script = dir.join("ffmpeg-flaky");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncase \"$*\" in *-progress*) if [ -e '{}' ]; then echo 'Conversion failed on purpose' >&2; exit 1; fi;; esac\nexec ffmpeg \"$@\"\n", flag.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, flag)
}

#[tokio::test]
async fn failed_conversion_is_reported_and_organizer_can_retry() {
    let tools = tempfile::tempdir().unwrap();
    let (script, flag) = flaky_ffmpeg(tools.path());
    let app = spawn_app_with(vec![("media.ffmpeg", script.to_string_lossy().to_string())]).await;
    app.organizer("org@example.org").await;
    app.open_contest("Retry Cup", "retry").await;
    std::fs::write(&flag, "").unwrap();
    let id = app
        .upload_json("retry", &Entry::titled("Fragile"), &media("avi"))
        .await;

    let steps = app.drain().await;
    // max_attempts = 2: an unknown ffmpeg error may be the machine, so one retry, then failed
    // for good, then the failure email.
    assert!(
        steps.contains(&Step::Handled(Outcome::Retry("media.internal".into()))),
        "{steps:?}"
    );
    let s = app.video_status(&id).await;
    assert_eq!(s["state"], "failed");
    assert_eq!(s["error_code"], "media.internal");
    assert_eq!(
        s["error"],
        "The video could not be converted because of a problem on our side."
    );
    // ffmpeg's own words stay out of the public API and the participant's email.
    assert!(!s.to_string().contains("on purpose"), "{s}");
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("We could not convert your video"));
    assert!(mails[0].contains("problem on our side"));
    assert!(!mails[0].contains("on purpose"));
    assert!(!app
        .get_html(&format!("/c/retry/v/{id}"))
        .await
        .contains("on purpose"));

    // The organizer sees the error and a retry button.
    let page = app.get_html("/c/retry").await;
    assert!(page.contains("Conversion failed on purpose"));
    assert!(page.contains(&format!("/c/retry/v/{id}/retry")));

    std::fs::remove_file(&flag).unwrap();
    let csrf = app.csrf("/c/retry").await;
    let r = app
        .post_form(&format!("/c/retry/v/{id}/retry"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain().await;
    assert_eq!(app.video_status(&id).await["state"], "converted");
    assert_eq!(app.outbox().await.len(), 2);
    // Retrying a converted video is refused.
    let r = app
        .post_form(&format!("/c/retry/v/{id}/retry"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn embedded_worker_starts_a_job_right_after_upload() {
    let app = spawn_app_with(vec![("embedded_worker", "true".into())]).await;
    contest(&app, "live").await;
    let id = app
        .upload_json("live", &Entry::titled("Quick"), &media("avi"))
        .await;
    let t0 = Instant::now();
    let mut started = None;
    loop {
        let s = app.video_status(&id).await;
        if started.is_none() && s["state"] != "queued" {
            started = Some(t0.elapsed());
        }
        if s["state"] == "converted" {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(60), "not converted: {s}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Woken on enqueue, not by a slow poll.
    assert!(
        started.unwrap() < Duration::from_millis(1000),
        "job started after {:?}",
        started
    );
    // The email goes out without anyone draining.
    let t1 = Instant::now();
    while app.outbox().await.is_empty() {
        assert!(t1.elapsed() < Duration::from_secs(10), "no email");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn hidden_videos_leave_the_public_page_and_media() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("Hide Cup", "hide").await;
    let id = app
        .upload_json("hide", &Entry::titled("Secret"), &media("tiny"))
        .await;
    app.drain().await;
    let csrf = app.csrf("/c/hide").await;
    assert_eq!(
        app.post_form(&format!("/c/hide/v/{id}/hide"), &[("csrf_token", &csrf)])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // The organizer still sees it (with an unhide button).
    assert!(app
        .get_html("/c/hide")
        .await
        .contains(&format!("/c/hide/v/{id}/unhide")));
    app.logout().await;
    assert!(!app.get_html("/c/hide").await.contains("Secret"));
    if !app.is_aws() {
        // Locally the app serves media itself and checks visibility; on AWS media are presigned
        // S3/CDN URLs that expire (1 h) rather than being revoked.
        assert_eq!(
            app.get(&format!("/files/media/{id}/video.mp4"))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.get(&format!("/api/videos/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/c/hide/v/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn organizer_deletes_a_video_and_its_files() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("Delete Cup", "del").await;
    let id = app
        .upload_json("del", &Entry::titled("Gone"), &media("tiny"))
        .await;
    app.drain().await;
    let csrf = app.csrf("/c/del").await;
    assert_eq!(
        app.post_form(&format!("/c/del/v/{id}/delete"), &[("csrf_token", &csrf)])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&format!("/api/videos/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(app.stored(&format!("media/{id}/video.mp4")).await.is_none());
    assert_eq!(app.stored_originals().await, 0);
}

#[tokio::test]
async fn media_supports_range_requests() {
    let app = spawn_app().await;
    contest(&app, "range").await;
    let id = app
        .upload_json("range", &Entry::titled("Seek"), &media("avi"))
        .await;
    app.drain().await;
    let mp4_url = app.video_status(&id).await["mp4_url"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .fetch(&mp4_url)
        .await
        .header("Range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert!(r.headers()["content-range"]
        .to_str()
        .unwrap()
        .starts_with("bytes 100-199/"));
    assert_eq!(r.bytes().await.unwrap().len(), 100);
    // Originals are never served.
    assert_eq!(
        app.get(&format!("/files/originals/{id}/original"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/files/media/{id}/original"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_job_whose_worker_died_comes_back_after_its_lease_and_converts_once() {
    // A 2 s lease (DB lease locally, SQS visibility timeout on AWS).
    let app = spawn_app_with(vec![("worker.lease_secs", "2".into())]).await;
    contest(&app, "crash").await;
    let id = app
        .upload_json("crash", &Entry::titled("Phoenix"), &media("tiny"))
        .await;
    // A worker takes the job and dies: no ack, no release, no heartbeat.
    let t0 = Instant::now();
    let taken = loop {
        if let Some(d) = app
            .backends
            .queue
            .receive(Duration::from_millis(500))
            .await
            .unwrap()
        {
            break d;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "job never delivered"
        );
    };
    assert_eq!(taken.attempt, 1);
    drop(taken);
    // Invisible while the lease lasts...
    assert!(app
        .backends
        .queue
        .receive(Duration::from_millis(200))
        .await
        .unwrap()
        .is_none());
    // ...then delivered again once it expires (drain waits while a job is pending: no fixed
    // sleep), converted once, mailed once.
    app.drain().await;
    let s = app.video_status(&id).await;
    assert_eq!(s["state"], "converted", "{s}");
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1, "exactly one email");
    let video = app.video_row(&id).await;
    assert_eq!(video.attempts, 2, "the lost delivery counted as an attempt");
}

#[tokio::test]
async fn a_job_whose_worker_dies_on_every_attempt_ends_failed_with_a_mail_and_a_retry_button() {
    // Lease 1 s, two attempts (the test default), stale after 2 s untouched.
    let app = spawn_app_with(vec![
        ("worker.lease_secs", "1".into()),
        ("worker.stale_after_secs", "2".into()),
    ])
    .await;
    app.organizer("org-doomed@example.org").await;
    app.open_contest("Doomed Cup", "doomed").await;
    let id = app
        .upload_json("doomed", &Entry::titled("Doomed"), &media("tiny"))
        .await;
    let sweep = || async { app.worker.pipeline().sweep_stale().await.unwrap() };
    // Each delivery is taken by a worker that starts converting and dies: no ack, no release,
    // no heartbeat (on SQS the redrive policy would then move the message to the DLQ itself).
    for attempt in 1..=2_u32 {
        let t0 = Instant::now();
        let d = loop {
            if let Some(d) = app
                .backends
                .queue
                .receive(Duration::from_millis(500))
                .await
                .unwrap()
            {
                break d;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(15),
                "attempt {attempt} never delivered"
            );
        };
        assert_eq!(d.attempt, attempt);
        assert!(app
            .backends
            .db
            .start_processing(&id.parse().unwrap(), i64::from(d.attempt))
            .await
            .unwrap());
        drop(d);
        tokio::time::sleep(Duration::from_millis(2100)).await;
        if attempt == 1 {
            // Stale, but an attempt is left: the job comes back by itself.
            assert_eq!(sweep().await, 0);
            assert_eq!(app.video_status(&id).await["state"], "processing");
        }
    }
    // Out of attempts and nobody touches it: the sweep ends it, once.
    assert_eq!(sweep().await, 1);
    assert_eq!(
        sweep().await,
        0,
        "a second sweep (another worker) changes nothing"
    );
    let s = app.video_status(&id).await;
    assert_eq!(s["state"], "failed", "{s}");
    assert_eq!(s["error_code"], "media.interrupted", "{s}");
    assert!(
        s["error"]
            .as_str()
            .unwrap()
            .contains("interrupted on every attempt"),
        "{s}"
    );
    // The failure mail goes out (a late redelivery of the dead job does nothing).
    app.drain().await;
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1, "exactly one email");
    assert!(mails[0].contains("We could not convert your video"));

    // The organizer's retry button converts it.
    let page = app.get_html("/c/doomed").await;
    assert!(page.contains(&format!("/c/doomed/v/{id}/retry")), "{page}");
    let csrf = app.csrf("/c/doomed").await;
    let r = app
        .post_form(&format!("/c/doomed/v/{id}/retry"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain().await;
    assert_eq!(app.video_status(&id).await["state"], "converted");
    assert_eq!(app.outbox().await.len(), 2);
}

#[tokio::test]
async fn a_running_conversion_is_never_swept() {
    // A worker that is alive keeps its video fresh with the heartbeat, however long it takes.
    let tools = tempfile::tempdir().unwrap();
    let slow = tools.path().join("ffmpeg-slow");
    std::fs::write(
        &slow,
        "#!/bin/sh\ncase \"$*\" in *-progress*) sleep 4;; esac\nexec ffmpeg \"$@\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&slow, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let app = spawn_app_with(vec![
        ("worker.lease_secs", "1".into()),
        ("worker.heartbeat_secs", "1".into()),
        ("worker.stale_after_secs", "2".into()),
        ("worker.max_attempts", "1".into()),
        ("media.ffmpeg", slow.to_string_lossy().to_string()),
    ])
    .await;
    contest(&app, "slowpoke").await;
    let id = app
        .upload_json("slowpoke", &Entry::titled("Slow"), &media("tiny"))
        .await;
    let work = app.worker.run_next(Duration::from_secs(10));
    let watch = async {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(4) {
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert_eq!(app.worker.pipeline().sweep_stale().await.unwrap(), 0);
        }
    };
    let (step, ()) = tokio::join!(work, watch);
    assert_eq!(step.unwrap(), Step::Handled(Outcome::Done));
    assert_eq!(app.video_status(&id).await["state"], "converted");
}
