//! The web around the site: HEAD like GET, icons at their fixed paths, robots.txt, noindex on
//! private pages, and the metadata a shared link shows (Open Graph, canonical URL, description).
use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, Entry};

#[tokio::test]
async fn head_answers_like_get_on_every_page() {
    let app = spawn_app().await;
    app.organizer("org-head@example.org").await;
    assert_eq!(
        app.open_contest("Head Cup", "headcup").await.status(),
        StatusCode::SEE_OTHER
    );
    let id = app
        .upload_json("headcup", &Entry::titled("Head clip"), &media("tiny"))
        .await;
    app.drain().await;
    for path in [
        "/".to_string(),
        "/login".into(),
        "/dashboard".into(),
        "/c/headcup".into(),
        format!("/c/headcup/v/{id}"),
        format!("/api/videos/{id}"),
        "/robots.txt".into(),
        "/favicon.ico".into(),
        "/static/app.css".into(),
    ]
    .into_iter()
    // Local storage serves media through the site (on AWS it comes from S3).
    .chain((!app.is_aws()).then(|| format!("/files/media/{id}/poster.jpg")))
    {
        let get = app.get(&path).await;
        let get_status = get.status();
        let get_type = get.headers().get("content-type").cloned();
        let get_len = get.bytes().await.unwrap().len();
        let head = app.client.head(app.url(&path)).send().await.unwrap();
        assert_eq!(head.status(), get_status, "HEAD {path}");
        assert_eq!(get_status, StatusCode::OK, "GET {path}");
        assert_eq!(
            head.headers().get("content-type").cloned(),
            get_type,
            "HEAD {path}"
        );
        if let Some(len) = head.headers().get("content-length") {
            let len: usize = len.to_str().unwrap().parse().unwrap();
            // Pages carry a fresh CSRF token, so their length may differ by a few bytes.
            assert!(
                len.abs_diff(get_len) < 64,
                "HEAD {path}: {len} vs {get_len}"
            );
        }
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path} has no body"
        );
    }
    // What is not a page stays what it is.
    let r = app.client.head(app.url("/nope")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .client
        .head(app.url("/c/headcup/videos"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}

#[tokio::test]
async fn icons_robots_and_noindex() {
    let app = spawn_app().await;
    let r = app.get("/favicon.ico").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/x-icon");
    let ico = r.bytes().await.unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO header");
    let r = app.get("/apple-touch-icon.png").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(&r.bytes().await.unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    let home = app.get_html("/").await;
    assert!(home.contains(r#"<link rel="apple-touch-icon" href="/apple-touch-icon.png">"#));

    let r = app.get("/robots.txt").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let robots = r.text().await.unwrap();
    assert!(robots.starts_with("User-agent: *\n"), "{robots}");
    for p in ["/dashboard", "/contests/", "/login", "/register", "/api/"] {
        assert!(robots.contains(&format!("Disallow: {p}\n")), "{p}");
    }
    assert!(
        !robots.contains("Disallow: /c/"),
        "contest pages are indexable"
    );

    // Organizer and account pages: noindex; public pages: not.
    app.organizer("org-robots@example.org").await;
    for path in ["/dashboard", "/contests/new", "/login", "/register"] {
        let r = app.get(path).await;
        assert_eq!(r.headers()["x-robots-tag"], "noindex, nofollow", "{path}");
    }
    assert_eq!(
        app.open_contest("Robots Cup", "robots").await.status(),
        StatusCode::SEE_OTHER
    );
    for path in ["/", "/c/robots"] {
        assert!(
            app.get(path).await.headers().get("x-robots-tag").is_none(),
            "{path}"
        );
    }
}

fn meta<'a>(html: &'a str, attr: &str, name: &str) -> Option<&'a str> {
    let needle = format!("<meta {attr}=\"{name}\" content=\"");
    let start = html.find(&needle)? + needle.len();
    html[start..].split('"').next()
}

#[tokio::test]
async fn shared_links_show_a_preview_with_absolute_urls() {
    let app = spawn_app().await;
    let base = app.base_url.trim_end_matches('/').to_string();
    app.organizer("org-og@example.org").await;
    assert_eq!(
        app.open_contest("Olas & Mar", "olas").await.status(),
        StatusCode::SEE_OTHER
    );
    // No entry yet: no image, a summary card.
    let page = app.get_html("/c/olas").await;
    assert_eq!(meta(&page, "property", "og:title"), Some("Olas &#38; Mar"));
    assert_eq!(
        meta(&page, "property", "og:url"),
        Some(format!("{base}/c/olas").as_str())
    );
    assert!(page.contains(&format!(r#"<link rel="canonical" href="{base}/c/olas">"#)));
    assert_eq!(
        meta(&page, "name", "description"),
        Some("Short films about the sea. Any format.")
    );
    assert_eq!(meta(&page, "name", "twitter:card"), Some("summary"));
    assert!(meta(&page, "property", "og:image").is_none());
    assert_eq!(
        app.get("/c/olas/image").await.status(),
        StatusCode::NOT_FOUND
    );

    let id = app
        .upload_json(
            "olas",
            &Entry {
                description: "Waves at dawn.\n\nShot on a phone.",
                ..Entry::titled("Dawn")
            },
            &media("tiny"),
        )
        .await;
    // Before conversion the video page is reachable by its link but not indexable, no image.
    let page = app.get_html(&format!("/c/olas/v/{id}")).await;
    assert_eq!(meta(&page, "name", "robots"), Some("noindex"));
    assert!(meta(&page, "property", "og:image").is_none());
    app.drain().await;

    let page = app.get_html(&format!("/c/olas/v/{id}")).await;
    let url = format!("{base}/c/olas/v/{id}");
    assert_eq!(meta(&page, "property", "og:type"), Some("video.other"));
    assert_eq!(
        meta(&page, "property", "og:title"),
        Some("Dawn · Olas &#38; Mar")
    );
    assert_eq!(meta(&page, "property", "og:url"), Some(url.as_str()));
    assert_eq!(
        meta(&page, "name", "description"),
        Some("Waves at dawn. Shot on a phone.")
    );
    let image = meta(&page, "property", "og:image")
        .expect("og:image")
        .to_string();
    assert_eq!(image, format!("{url}/poster.jpg"));
    assert_eq!(
        meta(&page, "name", "twitter:card"),
        Some("summary_large_image")
    );
    assert!(meta(&page, "name", "robots").is_none());
    // The stable image URL redirects to the poster, which is a JPEG (the test client does not
    // follow redirects, and reaches the site at its address, not at base_url).
    let image_path = image.strip_prefix(&base).unwrap().to_string();
    let r = app.get(&image_path).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let poster = app.fetch(&to).await.send().await.unwrap();
    assert_eq!(poster.status(), StatusCode::OK);
    assert_eq!(poster.headers()["content-type"], "image/jpeg");
    // The contest's image falls back to its newest poster.
    let r = app.get("/c/olas/image").await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let page = app.get_html("/c/olas").await;
    assert_eq!(
        meta(&page, "property", "og:image"),
        Some(format!("{base}/c/olas/image").as_str())
    );

    // Hidden: noindex for the organizer's view, and nothing for anyone else.
    let csrf = app.csrf("/c/olas").await;
    let r = app
        .post_form(&format!("/c/olas/v/{id}/hide"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get_html(&format!("/c/olas/v/{id}")).await;
    assert_eq!(meta(&page, "name", "robots"), Some("noindex"));
    assert_eq!(app.get(&image_path).await.status(), StatusCode::NOT_FOUND);
}
