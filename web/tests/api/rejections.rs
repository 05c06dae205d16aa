use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, spawn_app_with, Entry, TestApp};

async fn open(app: &TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    app.open_contest("Rules", slug).await;
    app.logout().await;
}

async fn upload_json(
    app: &TestApp,
    slug: &str,
    e: &Entry<'_>,
    kind: &str,
) -> (StatusCode, serde_json::Value) {
    let form = app.upload_form(slug, e, &media(kind)).await;
    let r = app
        .client
        .post(app.url(&format!("/c/{slug}/videos")))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn garbage_and_disguised_files_are_refused_by_content_and_removed() {
    let app = spawn_app().await;
    open(&app, "content").await;
    for kind in ["garbage", "playlist", "png"] {
        let (status, body) = upload_json(&app, "content", &Entry::titled(kind), kind).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{kind}: {body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("not a supported video"),
            "{kind}: {body}"
        );
        assert_eq!(body["field"], "video");
    }
    assert_eq!(app.stored_originals().await, 0, "refused files are removed");
    assert!(app
        .backends
        .db
        .jobs_for_payload("Transcode")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn too_large_upload_gets_413_and_nothing_is_kept() {
    let app = spawn_app_with(vec![("upload.max_bytes", (20 * 1024).to_string())]).await;
    open(&app, "big").await;
    let (status, body) = upload_json(&app, "big", &Entry::titled("Huge"), "avi").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("larger than the limit"));
    assert_eq!(app.stored_originals().await, 0);
    app.assert_no_partial_uploads().await;
}

#[tokio::test]
async fn duplicate_title_gets_409_ignoring_case() {
    let app = spawn_app().await;
    open(&app, "dup").await;
    app.upload_json("dup", &Entry::titled("Same Title"), &media("tiny"))
        .await;
    let (status, body) = upload_json(&app, "dup", &Entry::titled("  same   title "), "tiny").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["field"], "title");
    assert_eq!(app.stored_originals().await, 1);
    // A browser gets the page back with the message next to the field and its input kept.
    let r = app
        .upload("dup", &Entry::titled("Same Title"), &media("tiny"))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"title-error\""), "{html}");
    assert!(html.contains("A video with this title is already in the contest"));
    assert!(html.contains("value=\"ana@example.org\""));
}

#[tokio::test]
async fn uploads_outside_the_contest_window_get_422() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    assert_eq!(
        app.create_contest(
            "Later",
            "later",
            "2099-01-01T00:00",
            "2099-02-01T00:00",
            None
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.create_contest(
            "Before",
            "before",
            "2001-01-01T00:00",
            "2001-02-01T00:00",
            None
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
    for slug in ["later", "before"] {
        let page = app.get_html(&format!("/c/{slug}")).await;
        assert!(
            !page.contains("id=\"upload-form\""),
            "no form on a closed contest"
        );
        let (status, body) = upload_json(&app, slug, &Entry::titled("Too late"), "tiny").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]
            .as_str()
            .unwrap()
            .contains("not accepting entries"));
    }
    assert!(app.get_html("/c/later").await.contains("opens for entries"));
    assert!(app
        .get_html("/c/before")
        .await
        .contains("no longer accepts entries"));
    assert_eq!(app.stored_originals().await, 0);
}

#[tokio::test]
async fn bad_fields_get_400_with_the_field_named() {
    let app = spawn_app().await;
    open(&app, "fields").await;
    let cases: [(Entry, &str); 4] = [
        (
            Entry {
                email: "not-an-email",
                ..Entry::titled("A")
            },
            "email",
        ),
        (Entry::titled("   "), "title"),
        (
            Entry {
                first_name: "",
                ..Entry::titled("B")
            },
            "first_name",
        ),
        (
            Entry {
                last_name: "",
                ..Entry::titled("C")
            },
            "last_name",
        ),
    ];
    for (entry, field) in cases {
        let (status, body) = upload_json(&app, "fields", &entry, "tiny").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert_eq!(body["field"], field);
    }
    // No file chosen.
    let csrf = app.csrf("/c/fields").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .text("title", "No file")
        .text("first_name", "A")
        .text("last_name", "B")
        .text("email", "a@example.org");
    let r = app
        .client
        .post(app.url("/c/fields/videos"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["field"],
        "video"
    );
    // Not multipart at all.
    let r = app
        .client
        .post(app.url("/c/fields/videos"))
        .form(&[("title", "x")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(app.stored_originals().await, 0);
}

#[tokio::test]
async fn unknown_contest_and_video_are_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/c/nope").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/videos/nope").await.status(),
        StatusCode::NOT_FOUND
    );
    let body: serde_json::Value = app.get("/api/videos/nope").await.json().await.unwrap();
    assert!(body["error"].is_string());
    assert_eq!(
        app.get("/no/such/page").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn size_cap_is_enforced_while_streaming_without_a_content_length() {
    let app = spawn_app_with(vec![("upload.max_bytes", (64 * 1024).to_string())]).await;
    open(&app, "stream").await;
    let csrf = app.csrf("/c/stream").await;
    // A chunked body: the server cannot know the size up front.
    let chunks = futures_chunks(40, 8 * 1024);
    let part =
        reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(chunks)).file_name("big.avi");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .text("title", "Streamed")
        .text("first_name", "A")
        .text("last_name", "B")
        .text("email", "a@example.org")
        .part("video", part);
    let r = app
        .client
        .post(app.url("/c/stream/videos"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.stored_originals().await, 0);
    app.assert_no_partial_uploads().await;
}

fn futures_chunks(
    n: usize,
    size: usize,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures::stream::iter((0..n).map(move |i| Ok(vec![(i % 251) as u8; size])))
}

/// A video id in a path that is not an id in canonical form (not a UUID, upper case, without
/// hyphens, braced) is a 404 page or JSON on every route that takes one, never a 500, and
/// never a second URL for the same video.
#[tokio::test]
async fn ids_that_are_not_ids_are_404_everywhere() {
    let app = spawn_app().await;
    open(&app, "ids").await;
    let id = app
        .upload_json("ids", &Entry::titled("Real"), &media("tiny"))
        .await;
    app.drain().await;
    assert_eq!(
        app.get(&format!("/c/ids/v/{id}")).await.status(),
        StatusCode::OK
    );
    let variants = [
        "nope".to_string(),
        id.to_uppercase(),
        id.replace('-', ""),
        format!("{{{id}}}"),
        format!("urn:uuid:{id}"),
        "00000000-0000-0000-0000-00000000000".into(),
    ];
    for bad in &variants {
        let bad = bad.replace('{', "%7B").replace('}', "%7D");
        for path in [
            format!("/c/ids/v/{bad}"),
            format!("/c/ids/v/{bad}/poster.jpg"),
            format!("/api/videos/{bad}"),
            format!("/files/media/{bad}/video.mp4"),
            format!("/files/media/{bad}/hls/master.m3u8"),
        ] {
            let r = app.get(&path).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            let json = path.starts_with("/api/");
            let body = r.text().await.unwrap();
            if json {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["code"], "not_found", "{path}: {body}");
            } else {
                assert!(body.contains("<html"), "{path}: the app's own 404 page");
            }
        }
    }
    // The organizer's actions too: the path is parsed before anything else is looked at.
    let csrf = app.csrf("/c/ids").await;
    for action in ["hide", "unhide", "retry", "delete"] {
        let r = app
            .post_form(&format!("/c/ids/v/nope/{action}"), &[("csrf_token", &csrf)])
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}");
    }
    // `?v=` with something else plays nothing and the page still answers.
    assert_eq!(app.get("/c/ids?v=nope").await.status(), StatusCode::OK);
    // The real video is untouched.
    assert_eq!(app.video_status(&id).await["state"], "converted");
}

/// A state word this release does not know (a row written by a newer release, or by hand) is
/// an error, not a silent default: the API answers the generic 500 (the log has the column and
/// the word), never a wrong state and never the SQL.
#[tokio::test]
async fn an_unknown_state_in_a_row_is_an_error_not_a_default() {
    let app = spawn_app().await;
    open(&app, "states").await;
    let id = app
        .upload_json("states", &Entry::titled("Odd"), &media("tiny"))
        .await;
    sqlx::query("UPDATE videos SET state = 'paused' WHERE id = ?")
        .bind(&id)
        .execute(app.backends.db.pool())
        .await
        .unwrap();
    let r = app.get(&format!("/api/videos/{id}")).await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "unexpected", "{body}");
    let text = body.to_string();
    assert!(
        !text.contains("paused") && !text.contains("SELECT"),
        "{text}"
    );
    // Back to a known word, the row reads again.
    sqlx::query("UPDATE videos SET state = 'queued' WHERE id = ?")
        .bind(&id)
        .execute(app.backends.db.pool())
        .await
        .unwrap();
    assert_eq!(app.video_status(&id).await["state"], "queued");
}
