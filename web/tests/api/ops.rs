use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, spawn_app_with, Entry};

#[tokio::test]
async fn healthz_reports_db_and_storage() {
    let app = spawn_app().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["storage"], "ok");
    // Storage gone: 503, and a reason.
    app.break_storage().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["storage"],
        "unreachable"
    );
}

#[tokio::test]
async fn metrics_expose_requests_uploads_jobs_and_queue() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("Metrics", "metrics").await;
    app.upload_json("metrics", &Entry::titled("M"), &media("tiny"))
        .await;
    let text = app.get_html("/metrics").await;
    assert!(
        text.contains(
            "clipcontest_http_requests_total{method=\"GET\",route=\"/c/{slug}\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(text.contains("clipcontest_uploads_total{result=\"accepted\"}"));
    if app.is_aws() {
        // The relay may already have moved the job from the outbox to SQS.
        assert!(text.contains("clipcontest_jobs{state="), "{text}");
    } else {
        assert!(text.contains("clipcontest_jobs{state=\"queued\"} 1"));
        assert!(text.contains("clipcontest_queue_depth 1"));
    }
    app.drain().await;
    let text = app.get_html("/metrics").await;
    assert!(text.contains("clipcontest_queue_depth 0"));
    // This test's own conversion was observed (the registry is per process, so at least one).
    let count: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("clipcontest_transcode_seconds_count "))
        .and_then(|v| v.trim().parse().ok())
        .expect("transcode histogram exported");
    assert!(count >= 1, "{text}");
}

/// `href="..."` and `src="..."` values of a page that point under `/static/`.
fn static_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap_or("");
            if url.starts_with("/static/") {
                out.push(url.to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn pages_link_content_hashed_assets_served_immutable() {
    let app = spawn_app().await;
    let html = app.get_html("/").await;
    let links = static_links(&html);
    let css = links
        .iter()
        .find(|u| u.ends_with(".css"))
        .unwrap_or_else(|| panic!("no stylesheet link in {html}"));
    // `/static/app.<8 hex digits>.css`
    let hash = css
        .strip_prefix("/static/app.")
        .and_then(|r| r.strip_suffix(".css"))
        .unwrap_or_else(|| panic!("{css}"));
    assert!(
        hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{css}"
    );
    for url in &links {
        let r = app.get(url).await;
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{url}"
        );
        assert!(!r.bytes().await.unwrap().is_empty(), "{url}");
    }
    let r = app.get(css).await;
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");

    // The upload page's script, with a JavaScript type.
    app.organizer("org-assets@example.org").await;
    app.open_contest("Assets", "assets").await;
    let html = app.get_html("/c/assets").await;
    let js = static_links(&html)
        .into_iter()
        .find(|u| u.starts_with("/static/upload.") && u.ends_with(".js"))
        .unwrap_or_else(|| panic!("no upload script in {html}"));
    let r = app.get(&js).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript"),
        "{:?}",
        r.headers()["content-type"]
    );

    // Another release's hash (a rolling update) or the plain name: today's file, not cached.
    for url in ["/static/app.00000000.css", "/static/app.css"] {
        let r = app.get(url).await;
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{url}");
        assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    }
    // Unknown names are 404, never cached.
    for url in [
        "/static/missing.js",
        "/static/missing.00000000.js",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
    ] {
        let r = app.get(url).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{url}");
        assert_ne!(
            r.headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("public, max-age=31536000, immutable"),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_static_dir_serves_the_folder_uncached_for_development() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.css"), "body { color: red }").unwrap();
    let app = spawn_app_with(vec![(
        "static_dir",
        dir.path().to_string_lossy().to_string(),
    )])
    .await;
    let html = app.get_html("/").await;
    let css = static_links(&html)
        .into_iter()
        .find(|u| u.ends_with(".css"))
        .unwrap();
    let r = app.get(&css).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert_eq!(r.text().await.unwrap(), "body { color: red }");
    // An edit shows on the next request.
    std::fs::write(dir.path().join("app.css"), "body { color: blue }").unwrap();
    assert_eq!(
        app.get(&css).await.text().await.unwrap(),
        "body { color: blue }"
    );
    assert_eq!(
        app.get("/static/app.css").await.text().await.unwrap(),
        "body { color: blue }"
    );
    assert_eq!(
        app.get("/static/missing.js").await.status(),
        StatusCode::NOT_FOUND
    );
}
