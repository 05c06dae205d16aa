//! Review before publishing: awaiting review → approve (one, bulk) / reject with a mailed
//! message; ownership and CSRF on every action; the dashboard's queue.
use reqwest::StatusCode;

use crate::helpers::{dashboard_cell, media, spawn_app, spawn_app_with, Entry, TestApp};
use crate::kit::{contest_fields, contest_with, entry_id, post_contest};

const PASSWORD: &str = "a long enough password";

/// An organizer with a reviewed contest `slug`; logged out afterwards.
async fn reviewed_contest(app: &TestApp, owner: &str, slug: &str) {
    app.organizer(owner).await;
    contest_with(app, slug, &[("review_required", "1")]).await;
    app.logout().await;
}

async fn public_page_lists(app: &TestApp, slug: &str, title: &str) -> bool {
    let anon = reqwest::Client::new();
    let html = anon
        .get(app.url(&format!("/c/{slug}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    html.contains(&format!("<span class=\"title\">{title}</span>"))
}

#[tokio::test]
async fn a_reviewed_entry_waits_unpublished_until_the_organizer_approves_it() {
    let app = spawn_app().await;
    reviewed_contest(&app, "org@example.org", "sea").await;
    let id = entry_id(&app, "sea", "Waves", "ana@example.org").await;
    app.drain().await;

    // Converted, but not public: not listed, no media for visitors, the page says why.
    let status = app.video_status(&id).await;
    assert_eq!(status["state"], "converted");
    assert_eq!(status["review"], "pending");
    assert!(status["mp4_url"].is_null(), "{status}");
    assert!(!public_page_lists(&app, "sea", "Waves").await);
    let page = app.get_html(&format!("/c/sea/v/{id}")).await;
    assert!(page.contains("waiting for the organizer"), "{page}");
    assert!(!page.contains("<video"));
    if !app.on_aws() {
        let r = app.get(&format!("/files/media/{id}/video.mp4")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // The participant's mail says the organizer reviews entries first.
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains("reviews entries before they appear"),
        "{}",
        mails[0]
    );

    // The dashboard: the count first among the states, the entry in the queue.
    app.login("org@example.org", PASSWORD).await;
    let dash = app.get_html("/dashboard").await;
    assert_eq!(
        dashboard_cell(&dash, "awaiting_review").as_deref(),
        Some("1"),
        "{dash}"
    );
    assert!(
        dash.contains("<a href=\"#review\"><strong>1</strong>"),
        "{dash}"
    );
    assert!(dash.find("data-state=\"awaiting_review\"") < dash.find("data-state=\"queued\""));
    assert!(dash.contains(&format!("name=\"video\" value=\"{id}\"")));
    // The organizer can watch it before deciding.
    assert!(!app.video_status(&id).await["mp4_url"].is_null());

    let csrf = app.csrf("/dashboard").await;
    let r = app
        .post_form(
            &format!("/c/sea/v/{id}/approve"),
            &[("csrf_token", csrf.as_str()), ("back", "dashboard")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/dashboard#review");
    assert!(public_page_lists(&app, "sea", "Waves").await);
    assert!(app
        .get_html("/dashboard")
        .await
        .contains("Nothing is waiting for your review."));
    app.logout().await;
    let status = app.video_status(&id).await;
    assert_eq!(status["review"], "approved");
    assert!(!status["mp4_url"].is_null());
}

#[tokio::test]
async fn a_rejection_mails_the_participant_once_in_their_language_with_the_message() {
    let app = spawn_app().await;
    reviewed_contest(&app, "org@example.org", "sea").await;
    // The participant enters from a Spanish page.
    app.get("/lang/es").await;
    let id = entry_id(&app, "sea", "Olas <b>", "ana@example.org").await;
    app.get("/lang/en").await;
    app.drain().await;
    app.login("org@example.org", PASSWORD).await;
    let csrf = app.csrf("/c/sea").await;
    let message = "Too long & off-topic <sorry>";
    for _ in 0..2 {
        let r = app
            .post_form(
                &format!("/c/sea/v/{id}/reject"),
                &[("csrf_token", csrf.as_str()), ("message", message)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/c/sea#organizer");
    }
    app.drain().await;
    let mails = app.outbox().await;
    let rejections: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("Gracias por participar"))
        .collect();
    assert_eq!(
        rejections.len(),
        1,
        "one mail for a double click: {mails:?}"
    );
    let mail = rejections[0];
    assert!(mail.contains("ana@example.org"));
    assert!(
        mail.contains("Too long &amp; off-topic &lt;sorry&gt;")
            || mail.contains("Too long &#38; off-topic &#60;sorry&#62;"),
        "{mail}"
    );
    assert!(
        mail.contains("Too long & off-topic <sorry>"),
        "text part as typed: {mail}"
    );
    assert!(mail.contains("Su mensaje"));

    // The organizer sees the state and their message; visitors get a notice, no player.
    let page = app.get_html("/c/sea").await;
    assert!(page.contains("rejected"));
    assert!(
        page.contains("Your message: Too long &#38; off-topic &#60;sorry&#62;"),
        "{page}"
    );
    app.logout().await;
    let page = app.get_html(&format!("/c/sea/v/{id}")).await;
    assert!(page.contains("did not accept this video"));
    assert!(!public_page_lists(&app, "sea", "Olas &#60;b&#62;").await);

    // Approving later publishes it after all; a message that is too long is refused.
    app.login("org@example.org", PASSWORD).await;
    let csrf = app.csrf("/c/sea").await;
    let long = "x".repeat(1001);
    let r = app
        .post_form(
            &format!("/c/sea/v/{id}/reject"),
            &[("csrf_token", csrf.as_str()), ("message", long.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .post_form(&format!("/c/sea/v/{id}/approve"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(public_page_lists(&app, "sea", "Olas &#60;b&#62;").await);
}

#[tokio::test]
async fn review_actions_check_csrf_and_ownership() {
    let app = spawn_app().await;
    reviewed_contest(&app, "org@example.org", "sea").await;
    let id = entry_id(&app, "sea", "Waves", "ana@example.org").await;
    app.drain().await;
    // Anonymous: no session token → 403; with a token but not logged in → 401.
    let csrf = app.csrf("/c/sea").await;
    for action in ["approve", "reject"] {
        let r = app
            .post_form(
                &format!("/c/sea/v/{id}/{action}"),
                &[("csrf_token", "forged")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{action}");
        let r = app
            .post_form(&format!("/c/sea/v/{id}/{action}"), &[("csrf_token", &csrf)])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{action}");
    }
    // Another organizer: 403 on each action, and on the bulk approval.
    app.organizer("other@example.org").await;
    let csrf = app.csrf("/dashboard").await;
    for action in ["approve", "reject"] {
        let r = app
            .post_form(&format!("/c/sea/v/{id}/{action}"), &[("csrf_token", &csrf)])
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{action}");
    }
    let r = app
        .post_form(
            "/dashboard/approve",
            &[("csrf_token", csrf.as_str()), ("video", id.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Their own contest's entry mixed with someone else's: nothing is approved.
    contest_with(&app, "mine", &[("review_required", "1")]).await;
    let mine = entry_id(&app, "mine", "Mine", "bo@example.org").await;
    app.drain().await;
    let r = app
        .post_form(
            "/dashboard/approve",
            &[
                ("csrf_token", csrf.as_str()),
                ("video", mine.as_str()),
                ("video", id.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v = app.video_row(&mine).await;
    assert_eq!(v.review, shared::domain::ReviewState::Pending);
    // An entry of another contest under this contest's URL: 404.
    let r = app
        .post_form(&format!("/c/mine/v/{id}/approve"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The owner's entry is still waiting; the rejection mail was never written.
    let v = app.video_row(&id).await;
    assert_eq!(v.review, shared::domain::ReviewState::Pending);
    assert_eq!(
        app.backends
            .db
            .emails_for_video(&id.parse().unwrap())
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn bulk_approval_takes_the_checked_entries_of_several_contests_within_its_limit() {
    let app = spawn_app_with(vec![("limits.review_batch_max", "2".into())]).await;
    app.organizer("org@example.org").await;
    contest_with(&app, "one", &[("review_required", "1")]).await;
    contest_with(&app, "two", &[("review_required", "1")]).await;
    let a = entry_id(&app, "one", "A", "a@example.org").await;
    let b = entry_id(&app, "two", "B", "b@example.org").await;
    let c = entry_id(&app, "two", "C", "c@example.org").await;
    app.drain().await;
    let dash = app.get_html("/dashboard").await;
    // The queue lists the longest waiting first, within the limit.
    let (pa, pb) = (dash.find(&a).unwrap(), dash.find(&b).unwrap());
    assert!(pa < pb);
    assert!(
        !dash.contains(&format!("value=\"{c}\"")),
        "beyond the limit"
    );
    let csrf = app.csrf("/dashboard").await;
    // Nothing selected; too many.
    let r = app
        .post_form("/dashboard/approve", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .post_form(
            "/dashboard/approve",
            &[
                ("csrf_token", csrf.as_str()),
                ("video", a.as_str()),
                ("video", b.as_str()),
                ("video", c.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("at most 2"));
    let r = app
        .post_form(
            "/dashboard/approve",
            &[
                ("csrf_token", csrf.as_str()),
                ("video", a.as_str()),
                ("video", b.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(public_page_lists(&app, "one", "A").await);
    assert!(public_page_lists(&app, "two", "B").await);
    assert!(!public_page_lists(&app, "two", "C").await);
    // Switching review off publishes what was waiting.
    let r = post_contest(&app, "/c/two/edit", contest_fields("Two", "two", &[])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(public_page_lists(&app, "two", "C").await);
}

#[tokio::test]
async fn without_review_entries_are_public_as_soon_as_converted() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "open", &[]).await;
    let id = app
        .upload_json("open", &Entry::titled("Direct"), &media("tiny"))
        .await;
    app.drain().await;
    assert_eq!(app.video_status(&id).await["review"], "approved");
    assert!(public_page_lists(&app, "open", "Direct").await);
    assert!(!app.outbox().await[0].contains("reviews entries"));
}
