//! Contest settings: time zone (entered and shown in it, stored in UTC, relative times),
//! review on/off and terms (defaults and validation), terms on the entry form.
use reqwest::StatusCode;

use crate::helpers::{created_id, media, spawn_app, Entry};
use crate::kit::{contest_fields, contest_with, post_contest, upload_form_with, upload_json_with};

#[tokio::test]
async fn dates_are_entered_and_shown_in_the_contest_time_zone_and_stored_in_utc() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    let fields = contest_fields(
        "Madrid Shorts",
        "madrid",
        &[
            ("time_zone", "Europe/Madrid"),
            ("starts_at", "2026-01-10T10:00"),
            ("ends_at", "2099-07-01T12:30"),
        ],
    );
    let r = post_contest(&app, "/contests", fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Stored in UTC: 10:00 in Madrid in January is 09:00 UTC; 12:30 in July is 10:30 UTC.
    let c = app
        .backends
        .db
        .contest_by_slug("madrid")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.time_zone, "Europe/Madrid");
    assert_eq!(shared::time::display(c.starts_at), "2026-01-10 09:00 UTC");
    assert_eq!(shared::time::display(c.ends_at), "2099-07-01 10:30 UTC");

    // Shown in the zone, with a machine-readable UTC instant.
    let page = app.get_html("/c/madrid").await;
    assert!(
        page.contains(
            "<time datetime=\"2026-01-10T09:00:00Z\">2026-01-10 10:00 Europe/Madrid</time>"
        ),
        "{page}"
    );
    assert!(page.contains("datetime=\"2099-07-01T10:30:00Z\""));
    // The home page too.
    assert!(app
        .get_html("/")
        .await
        .contains("2026-01-10 10:00 Europe/Madrid"));
    // The edit form gives the dates back as entered.
    let edit = app.get_html("/c/madrid/edit").await;
    assert!(edit.contains("value=\"2026-01-10T10:00\""), "{edit}");
    assert!(edit.contains("value=\"Europe/Madrid\""));
    assert!(edit.contains("<option value=\"America/Bogota\">"));
}

#[tokio::test]
async fn a_bad_time_zone_or_a_skipped_local_time_is_a_field_error() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    let r = post_contest(
        &app,
        "/contests",
        contest_fields("Zone", "zone", &[("time_zone", "Mars/Olympus_Mons")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("Please enter a time zone name"), "{html}");
    assert!(html.contains("value=\"Mars/Olympus_Mons\""), "keeps input");

    // 02:30 on 2027-03-28 does not exist in Madrid (the clocks jump from 02:00 to 03:00).
    let r = post_contest(
        &app,
        "/contests",
        contest_fields(
            "Zone",
            "zone",
            &[
                ("time_zone", "Europe/Madrid"),
                ("starts_at", "2027-03-28T02:30"),
                ("ends_at", "2027-04-28T02:30"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("This time does not exist in Europe/Madrid"));
    // Terms longer than the cap.
    let long = "x".repeat(4001);
    let r = post_contest(
        &app,
        "/contests",
        contest_fields("Zone", "zone", &[("terms", long.as_str())]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("4000"));
    assert!(app
        .backends
        .db
        .contest_by_slug("zone")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_new_contest_has_sensible_defaults_and_the_edit_form_changes_them() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    // The new form proposes UTC.
    let new = app.get_html("/contests/new").await;
    assert!(new.contains("name=\"time_zone\""));
    assert!(new.contains("value=\"UTC\""));
    assert!(!new.contains(
        "name=\"review_required\" value=\"1\" aria-describedby=\"review_required-hint\" checked"
    ));
    // Created without the settings fields (an older form): UTC, no review, no terms.
    app.open_contest("Plain", "plain").await;
    let c = app
        .backends
        .db
        .contest_by_slug("plain")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.time_zone.as_str(), c.review_required, c.terms.as_str()),
        ("UTC", 0, "")
    );
    // Edit: review on, terms, another zone.
    let fields = contest_fields(
        "Plain",
        "plain",
        &[
            ("time_zone", "America/Mexico_City"),
            ("review_required", "1"),
            ("terms", "You own the rights.\nNo ads."),
        ],
    );
    let r = post_contest(&app, "/c/plain/edit", fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = app
        .backends
        .db
        .contest_by_slug("plain")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.time_zone, "America/Mexico_City");
    assert_eq!(c.review_required, 1);
    assert_eq!(c.terms, "You own the rights.\nNo ads.");
    let edit = app.get_html("/c/plain/edit").await;
    assert!(edit.contains("value=\"1\" aria-describedby=\"review_required-hint\" checked"));
    assert!(edit.contains("You own the rights."));
    // Unticking the box turns review off again.
    let r = post_contest(&app, "/c/plain/edit", contest_fields("Plain", "plain", &[])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = app
        .backends
        .db
        .contest_by_slug("plain")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.review_required, c.time_zone.as_str()), (0, "UTC"));

    // Someone else cannot edit the settings.
    app.logout().await;
    app.organizer("other@example.org").await;
    let r = post_contest(
        &app,
        "/c/plain/edit",
        contest_fields("Plain", "plain", &[("review_required", "1")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn public_pages_say_how_long_until_the_contest_closes_in_the_visitors_language() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    let now = chrono::Utc::now();
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
    let ends = now + chrono::Duration::days(3) + chrono::Duration::hours(2);
    contest_with(&app, "soon", &[("ends_at", fmt(ends).as_str())]).await;
    let page = app.get_html("/c/soon").await;
    let iso = ends.format("%Y-%m-%dT%H:%M:00Z").to_string();
    assert!(
        page.contains(&format!("<time datetime=\"{iso}\">Closes in 3 days</time>")),
        "{page}"
    );
    let es = app.get_as("/c/soon", "es").await.text().await.unwrap();
    assert!(es.contains("Cierra en 3 días"), "{es}");
    // Upcoming: opens in hours; past: closed days ago.
    contest_with(
        &app,
        "later",
        &[
            (
                "starts_at",
                fmt(now + chrono::Duration::minutes(5 * 60 + 30)).as_str(),
            ),
            ("ends_at", fmt(now + chrono::Duration::days(9)).as_str()),
        ],
    )
    .await;
    assert!(app.get_html("/c/later").await.contains("Opens in 5 hours"));
    contest_with(
        &app,
        "over",
        &[
            ("starts_at", "2001-01-01T00:00"),
            (
                "ends_at",
                fmt(now - chrono::Duration::days(2) - chrono::Duration::hours(1)).as_str(),
            ),
        ],
    )
    .await;
    assert!(app.get_html("/c/over").await.contains("Closed 2 days ago"));
    assert!(app.get_html("/").await.contains("Closes in 3 days"));
}

#[tokio::test]
async fn with_terms_the_entry_needs_the_box_ticked_and_the_acceptance_time_is_kept() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(
        &app,
        "terms",
        &[("terms", "Entries must be <b>your own</b> work.")],
    )
    .await;
    app.logout().await;
    let page = app.get_html("/c/terms").await;
    // Shown escaped, with a required checkbox.
    assert!(
        page.contains("Entries must be &#60;b&#62;your own&#60;/b&#62; work."),
        "{page}"
    );
    assert!(page.contains("name=\"accept_terms\" value=\"1\" required"));

    // Not ticked: refused before any video byte is stored.
    let r = upload_json_with(&app, "terms", &Entry::titled("No box"), &media("tiny"), &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["field"], "accept_terms", "{body}");
    assert!(body["error"].as_str().unwrap().contains("accept the terms"));
    assert_eq!(app.stored_originals().await, 0);
    // A browser gets the form back with the message next to the box.
    let form = upload_form_with(&app, "terms", &Entry::titled("No box"), &media("tiny"), &[]).await;
    let r = app
        .client
        .post(app.url("/c/terms/videos"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"accept_terms-error\""), "{html}");

    // Ticked: accepted, the time stored with the entry.
    let before = shared::time::now_ms();
    let r = upload_json_with(
        &app,
        "terms",
        &Entry::titled("With box"),
        &media("tiny"),
        &[("accept_terms", "1")],
    )
    .await;
    let id = created_id(r).await;
    let v = app.video_row(&id).await;
    let at = v.terms_accepted_at.expect("acceptance stored");
    assert!(at >= before && at <= shared::time::now_ms());

    // Without terms nothing is asked or stored.
    app.login("org@example.org", "a long enough password").await;
    contest_with(&app, "free", &[]).await;
    assert!(!app.get_html("/c/free").await.contains("accept_terms"));
    let r = upload_json_with(&app, "free", &Entry::titled("Free"), &media("tiny"), &[]).await;
    let id = created_id(r).await;
    let v = app.video_row(&id).await;
    assert_eq!(v.terms_accepted_at, None);
    // The organizer sees when the terms were accepted.
    assert!(app.get_html("/c/terms").await.contains("Terms accepted"));
}
