use reqwest::StatusCode;

use crate::helpers::{dashboard_cell, media, spawn_app, Entry};

#[tokio::test]
async fn organizer_creates_edits_and_deletes_a_contest_with_a_banner() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    let png = std::fs::read(media("png")).unwrap();
    let r = app
        .create_contest(
            "Fête du Film",
            "",
            "2026-01-01T10:00",
            "2099-01-01T10:00",
            Some((png, "banner.png")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The slug was suggested from the name.
    assert_eq!(r.headers()["location"], "/c/fete-du-film?created=1");
    let page = app.get_html("/c/fete-du-film").await;
    assert!(page.contains("Fête du Film"));
    assert!(page.contains("A camera"));
    let banner = page.split("class=\"banner\"").next().unwrap();
    let src = banner
        .rsplit("src=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    assert!(src.contains("banners/"), "{src}");
    let r = app.fetch(&src).await.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    if !app.is_aws() {
        assert!(src.starts_with("/files/banners/"), "{src}");
        assert!(r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"));
    }

    // Home lists it as open; dashboard counts its videos per state.
    assert!(app.get_html("/").await.contains("/c/fete-du-film"));
    app.upload_json("fete-du-film", &Entry::titled("One"), &media("tiny"))
        .await;
    let dash = app.get_html("/dashboard").await;
    assert_eq!(
        dashboard_cell(&dash, "queued").as_deref(),
        Some("1"),
        "{dash}"
    );
    app.drain().await;
    let dash = app.get_html("/dashboard").await;
    assert_eq!(
        dashboard_cell(&dash, "converted").as_deref(),
        Some("1"),
        "{dash}"
    );

    // Edit: rename the slug.
    let csrf = app.csrf("/c/fete-du-film/edit").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.clone())
        .text("name", "Fête 2026")
        .text("slug", "fete-2026")
        .text("description", "New text")
        .text("prize", "Two cameras")
        .text("starts_at", "2026-01-01T10:00")
        .text("ends_at", "2099-01-01T10:00");
    let r = app
        .client
        .post(app.url("/c/fete-du-film/edit"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.get_html("/c/fete-2026").await.contains("Two cameras"));
    assert_eq!(
        app.get("/c/fete-du-film").await.status(),
        StatusCode::NOT_FOUND
    );

    // Delete: the contest, its videos and files go.
    let r = app
        .post_form("/c/fete-2026/delete", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/c/fete-2026").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.stored_originals().await, 0);
    assert_eq!(
        app.fetch(&src).await.send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn contest_form_errors_are_shown_next_to_fields() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    let r = app
        .create_contest(
            "",
            "Bad Slug!",
            "2026-01-01T10:00",
            "2025-01-01T10:00",
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("Name is required"));
    assert!(html.contains("lowercase letters"));
    assert!(html.contains("must end after it starts"));
    let r = app
        .create_contest("Dates", "dates", "tomorrow", "2099-01-01T10:00", None)
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Please enter a start date"));
    // A banner that is not an image.
    let r = app
        .create_contest(
            "Banner",
            "banner",
            "2026-01-01T10:00",
            "2099-01-01T10:00",
            Some((b"GIF? no, text".to_vec(), "x.png")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("must be a PNG, JPEG, GIF or WebP"));
    // Duplicate slug.
    assert_eq!(
        app.create_contest(
            "First",
            "taken",
            "2026-01-01T10:00",
            "2099-01-01T10:00",
            None
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let r = app
        .create_contest(
            "Second",
            "taken",
            "2026-01-01T10:00",
            "2099-01-01T10:00",
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("already taken"));
    assert!(html.contains("value=\"Second\""), "keeps input");
}

#[tokio::test]
async fn oversized_banner_is_refused() {
    let app = crate::helpers::spawn_app_with(vec![("upload.max_banner_bytes", "100".into())]).await;
    app.organizer("org@example.org").await;
    let png = std::fs::read(media("avi")).unwrap();
    let r = app
        .create_contest(
            "Big banner",
            "bigb",
            "2026-01-01T10:00",
            "2099-01-01T10:00",
            Some((png, "b.png")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("banner image must be at most"));
}

#[tokio::test]
async fn home_splits_open_upcoming_and_past() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("Now Open", "now-open").await;
    app.create_contest(
        "Future Fest",
        "future",
        "2099-01-01T00:00",
        "2099-02-01T00:00",
        None,
    )
    .await;
    app.create_contest(
        "Old Times",
        "old",
        "2001-01-01T00:00",
        "2001-02-01T00:00",
        None,
    )
    .await;
    let html = app.get_html("/").await;
    let open = html.find("Open now").unwrap();
    let upcoming = html.find("Upcoming").unwrap();
    let past = html.find("Past</h2>").unwrap();
    let pos = |s: &str| html.find(s).unwrap();
    assert!(open < pos("Now Open") && pos("Now Open") < upcoming);
    assert!(upcoming < pos("Future Fest") && pos("Future Fest") < past);
    assert!(past < pos("Old Times"));
}

#[tokio::test]
async fn the_contest_form_lists_its_errors_on_top_and_does_not_blame_the_url_name_for_a_missing_name(
) {
    let app = spawn_app().await;
    app.organizer("org-form@example.org").await;
    let png = std::fs::read(media("png")).unwrap();
    let r = app
        .create_contest(
            "",
            "",
            "2026-01-01T10:00",
            "nope",
            Some((png, "banner.png")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    // Two problems (name, end), listed in page order on top, each a link to its field.
    let summary = &html[html
        .find("class=\"error-summary\"")
        .expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(
        summary.contains("Please correct these 2 problems"),
        "{summary}"
    );
    let (name, ends) = (
        summary.find("href=\"#name\"").expect("the name"),
        summary.find("href=\"#ends_at\"").expect("the end"),
    );
    assert!(name < ends);
    // The URL name derived from the empty name is not reported as a second mistake.
    assert!(!html.contains("id=\"slug-error\""), "{html}");
    // The banner is not kept across the error page, and the form says so.
    assert!(html.contains("id=\"banner-again\""), "{html}");
    // Optional fields say so.
    assert!(html.contains("<label for=\"prize\">Prize <span class=\"optional\">(optional)</span>"));

    // Created: the organizer sees the public link to copy; nobody else does.
    let r = app.open_contest("Harbour Films", "harbour").await;
    assert_eq!(r.headers()["location"], "/c/harbour?created=1");
    let page = app.get_html("/c/harbour?created=1").await;
    assert!(
        page.contains(&format!("value=\"{}/c/harbour\"", app.base_url)),
        "{page}"
    );
    assert!(page.contains("Copy link"));
    app.logout().await;
    assert!(!app
        .get_html("/c/harbour?created=1")
        .await
        .contains("Copy link"));
}
