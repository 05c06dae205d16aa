//! Helpers for the contest-running suites (settings, review, exports, jury, results): forms with
//! the settings fields and uploads with extra fields, built the way a browser sends them.
use std::path::Path;

use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};

use crate::helpers::{Entry, TestApp};

/// The contest form's base values (open from an hour ago for a week, UTC) with `extra`
/// fields added or replacing them.
pub fn contest_fields(name: &str, slug: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let now = chrono::Utc::now();
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("name".into(), name.into()),
        ("slug".into(), slug.into()),
        ("description".into(), "Films.".into()),
        ("prize".into(), "A camera".into()),
        ("starts_at".into(), fmt(now - chrono::Duration::hours(1))),
        ("ends_at".into(), fmt(now + chrono::Duration::days(7))),
    ];
    for (k, v) in extra {
        fields.retain(|(n, _)| n != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
}

/// POSTs the contest form (multipart) to `path` (`/contests` or `/c/{slug}/edit`).
pub async fn post_contest(app: &TestApp, path: &str, fields: Vec<(String, String)>) -> Response {
    let csrf = app.csrf("/contests/new").await;
    let mut form = Form::new().text("csrf_token", csrf);
    for (k, v) in fields {
        form = form.text(k, v);
    }
    app.client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// Creates an open contest with the given settings, asserting success.
pub async fn contest_with(app: &TestApp, slug: &str, extra: &[(&str, &str)]) {
    let r = post_contest(app, "/contests", contest_fields("Sea Films", slug, extra)).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
}

/// The upload form with `extra` text fields before the file.
pub async fn upload_form_with(
    app: &TestApp,
    slug: &str,
    e: &Entry<'_>,
    file: &Path,
    extra: &[(&str, &str)],
) -> Form {
    let parts = extra
        .iter()
        .map(|(k, v)| (k.to_string(), Part::text(v.to_string())))
        .collect();
    app.upload_form_parts(slug, e, file, parts).await
}

/// Uploads as a JSON client with extra fields; the response as is.
pub async fn upload_json_with(
    app: &TestApp,
    slug: &str,
    e: &Entry<'_>,
    file: &Path,
    extra: &[(&str, &str)],
) -> Response {
    let form = upload_form_with(app, slug, e, file, extra).await;
    app.client
        .post(app.url(&format!("/c/{slug}/videos")))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// Uploads as a JSON client and returns the new id (asserting 201).
pub async fn entry_id(app: &TestApp, slug: &str, title: &str, email: &str) -> String {
    let mut e = Entry::titled(title);
    e.email = email;
    app.upload_json(slug, &e, &crate::helpers::media("tiny"))
        .await
}
