use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, Entry};

#[tokio::test]
async fn posts_without_a_valid_csrf_token_are_refused() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("Guarded", "guarded").await;
    // Login/registration forms.
    let r = app
        .post_form(
            "/login",
            &[
                ("email", "org@example.org"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.post_form("/logout", &[("csrf_token", "0000")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The anonymous upload form: a forged token, and a cookie-less client.
    let mut form = app
        .upload_form("guarded", &Entry::titled("Forged"), &media("tiny"))
        .await;
    form = form.text("ignored", "x");
    let stranger = reqwest::Client::new();
    let r = stranger
        .post(app.url("/c/guarded/videos"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("reload the page"));
    assert_eq!(app.stored_originals().await, 0);
}

#[tokio::test]
async fn other_organizers_cannot_touch_a_contest() {
    let app = spawn_app().await;
    app.organizer("owner@example.org").await;
    app.open_contest("Mine", "mine").await;
    let id = app
        .upload_json("mine", &Entry::titled("Entry"), &media("tiny"))
        .await;
    app.drain().await;
    app.logout().await;

    // Anonymous: must log in.
    assert_eq!(
        app.get("/c/mine/edit").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/dashboard").await.status(), StatusCode::SEE_OTHER);

    app.organizer("intruder@example.org").await;
    assert_eq!(
        app.get("/c/mine/edit").await.status(),
        StatusCode::FORBIDDEN
    );
    let csrf = app.csrf("/c/mine").await;
    for action in ["hide", "delete", "retry", "unhide"] {
        let r = app
            .post_form(
                &format!("/c/mine/v/{id}/{action}"),
                &[("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(
        app.post_form("/c/mine/delete", &[("csrf_token", &csrf)])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let page = app.get_html("/c/mine").await;
    assert!(!page.contains("/hide\""), "no organizer tools for others");
    assert_eq!(app.video_status(&id).await["state"], "converted");
    assert!(app.get_html("/c/mine").await.contains("Entry"));
}

#[tokio::test]
async fn user_content_is_escaped_everywhere() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("<b>Bold</b> contest", "xss").await;
    let evil = "<script>alert('x')</script>";
    let e = Entry {
        title: evil,
        first_name: "<img src=x onerror=alert(1)>",
        last_name: "\"quoted\"",
        email: "a@example.org",
        description: "<iframe>",
    };
    let id = app.upload_json("xss", &e, &media("tiny")).await;
    app.drain().await;
    for path in [
        format!("/c/xss/v/{id}"),
        format!("/c/xss?v={id}"),
        "/c/xss".to_string(),
        "/".to_string(),
    ] {
        let html = app.get_html(&path).await;
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(!html.contains("<iframe>"), "{path}");
        assert!(!html.contains("<b>Bold</b>"), "{path}");
    }
    let html = app.get_html(&format!("/c/xss/v/{id}")).await;
    assert!(html.contains("&#60;script&#62;alert"), "{html}");
    // The HTML part of the email escapes too.
    let mail = &app.outbox().await[0];
    assert!(!mail.contains("<img src=x"), "{mail}");
}
