use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, Entry};

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

#[tokio::test]
async fn static_assets_are_served_with_validators() {
    let app = spawn_app().await;
    let r = app.get("/static/app.css").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("etag"));
}
