//! The organizer's digest of new entries (optional per contest): one mail per batch, through
//! the outbox, never twice for the same entries even when passes run at once. The tests drive
//! passes themselves (`EntryDigest::run_once`); the periodic task is off (`interval_secs = 0`)
//! and entries count at once (`settle_secs = 0`) unless a test says otherwise. Both backends.
use reqwest::StatusCode;
use shared::db::SuppressionReason;
use shared::digest::EntryDigest;
use shared::domain::{EmailId, EmailState};

use crate::helpers::{media, spawn_app_with, Entry, TestApp};
use crate::kit::{contest_fields, contest_with, post_contest};

const ORGANIZER: &str = "org-digest@example.org";

async fn app_with(extra: Vec<(&'static str, String)>) -> TestApp {
    let mut settings = vec![
        ("digest.interval_secs", "0".to_string()),
        ("digest.settle_secs", "0".to_string()),
    ];
    settings.extend(extra);
    let app = spawn_app_with(settings).await;
    app.organizer(ORGANIZER).await;
    app
}

async fn pass(app: &TestApp) -> Vec<EmailId> {
    EntryDigest::new(app.backends.clone(), app.settings.clone())
        .run_once()
        .await
        .expect("a digest pass")
}

async fn enter(app: &TestApp, slug: &str, title: &str, first: &str, last: &str) -> String {
    let e = Entry {
        first_name: first,
        last_name: last,
        ..Entry::titled(title)
    };
    app.upload_json(slug, &e, &media("tiny")).await
}

/// The queued digest mail (subject, text, HTML) by id.
async fn queued(app: &TestApp, id: &EmailId) -> shared::db::Email {
    app.backends
        .db
        .email_by_id(id)
        .await
        .unwrap()
        .expect("the digest is in the outbox")
}

/// Mails delivered to the organizer.
async fn organizer_mail(app: &TestApp) -> Vec<String> {
    app.outbox()
        .await
        .into_iter()
        .filter(|m| m.contains(&format!("To: {ORGANIZER}")))
        .collect()
}

#[tokio::test]
async fn the_organizer_gets_one_digest_of_new_entries_then_only_the_next_ones() {
    let app = app_with(vec![]).await;
    contest_with(&app, "digest", &[("notify_entries", "1")]).await;
    // Created on, but nothing new yet.
    assert!(pass(&app).await.is_empty());
    enter(&app, "digest", "Wave <one>", "Ana", "Diaz").await;
    enter(&app, "digest", "Tide two", "Ben", "Okafor").await;

    let ids = pass(&app).await;
    assert_eq!(ids.len(), 1, "one mail for the batch");
    let mail = queued(&app, &ids[0]).await;
    assert_eq!(mail.recipient, ORGANIZER);
    assert_eq!(mail.subject, "2 new entries in Sea Films");
    assert!(
        mail.body_text
            .contains("2 new entries arrived in Sea Films"),
        "{}",
        mail.body_text
    );
    assert!(
        mail.body_text
            .contains("- \"Wave <one>\" by Ana Diaz (queued)"),
        "{}",
        mail.body_text
    );
    assert!(mail
        .body_text
        .contains("- \"Tide two\" by Ben Okafor (queued)"));
    assert!(!mail.body_text.contains("more"), "{}", mail.body_text);
    // The HTML part escapes what participants typed.
    assert!(
        mail.body_html.contains("Wave &#60;one&#62;"),
        "{}",
        mail.body_html
    );
    assert!(!mail.body_html.contains("<one>"));
    // A link to the organizer's entries table and one to turn the mails off.
    let table = format!("{}/c/digest#organizer", app.base_url);
    assert!(mail.body_text.contains(&table), "{}", mail.body_text);
    assert!(mail.body_html.contains(&format!("href=\"{table}\"")));
    assert!(mail
        .body_text
        .contains(&format!("{}/c/digest/edit", app.base_url)));

    // Nothing new: no second mail.
    assert!(pass(&app).await.is_empty());

    // The outbox delivers it like every mail (files locally, SES on AWS).
    app.drain().await;
    let sent = organizer_mail(&app).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert!(
        sent[0].contains("2 new entries in Sea Films"),
        "{}",
        sent[0]
    );
    assert_eq!(queued(&app, &ids[0]).await.state, EmailState::Sent);

    // Another entry: a second mail with only it.
    enter(&app, "digest", "Third swell", "Cai", "Lun").await;
    let ids = pass(&app).await;
    assert_eq!(ids.len(), 1);
    let mail = queued(&app, &ids[0]).await;
    assert_eq!(mail.subject, "A new entry in Sea Films");
    assert!(mail.body_text.contains("\"Third swell\" by Cai Lun"));
    assert!(!mail.body_text.contains("Wave"), "{}", mail.body_text);
    assert!(!mail.body_text.contains("Tide two"), "{}", mail.body_text);
    app.drain().await;
    assert_eq!(organizer_mail(&app).await.len(), 2);
    assert!(pass(&app).await.is_empty());
}

#[tokio::test]
async fn a_contest_with_the_digest_off_gets_none_and_turning_it_on_skips_the_backlog() {
    let app = app_with(vec![]).await;
    // Without the field (unticked, or a client that does not send it): off.
    contest_with(&app, "quiet", &[]).await;
    let c = app
        .backends
        .db
        .contest_by_slug("quiet")
        .await
        .unwrap()
        .unwrap();
    assert!(!c.digests_entries());
    enter(&app, "quiet", "Backlog one", "Ana", "Diaz").await;
    enter(&app, "quiet", "Backlog two", "Ana", "Diaz").await;
    assert!(pass(&app).await.is_empty(), "off: no mail");

    // Turned on: what came before is not mailed.
    let r = post_contest(
        &app,
        "/c/quiet/edit",
        contest_fields("Sea Films", "quiet", &[("notify_entries", "1")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edit = app.get_html("/c/quiet/edit").await;
    assert!(
        edit.contains(
            "name=\"notify_entries\" value=\"1\" aria-describedby=\"notify_entries-hint\" checked"
        ),
        "{edit}"
    );
    assert!(pass(&app).await.is_empty(), "the backlog is not mailed");
    enter(&app, "quiet", "After", "Ben", "Okafor").await;
    let ids = pass(&app).await;
    assert_eq!(ids.len(), 1);
    let mail = queued(&app, &ids[0]).await;
    assert_eq!(mail.subject, "A new entry in Sea Films");
    assert!(!mail.body_text.contains("Backlog"), "{}", mail.body_text);

    // Off again: new entries mail nobody, and saving the form on again starts afresh.
    let r = post_contest(
        &app,
        "/c/quiet/edit",
        contest_fields("Sea Films", "quiet", &[]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    enter(&app, "quiet", "While off", "Cai", "Lun").await;
    assert!(pass(&app).await.is_empty());
    post_contest(
        &app,
        "/c/quiet/edit",
        contest_fields("Sea Films", "quiet", &[("notify_entries", "1")]),
    )
    .await;
    assert!(
        pass(&app).await.is_empty(),
        "entries sent while off stay unmailed"
    );
}

#[tokio::test]
async fn two_passes_at_once_queue_one_digest() {
    let app = app_with(vec![]).await;
    contest_with(&app, "race", &[("notify_entries", "1")]).await;
    enter(&app, "race", "Raced", "Ana", "Diaz").await;
    // Two web instances (one pool each) passing at the same moment.
    let a = EntryDigest::new(app.backends.clone(), app.settings.clone());
    let b = EntryDigest::new(app.backends.clone(), app.settings.clone());
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    let total = ra.unwrap().len() + rb.unwrap().len();
    assert_eq!(total, 1, "one digest for the batch");

    // The compare-and-set itself: a pass that read the old watermark cannot queue it again.
    let db = &app.backends.db;
    let contest = db.contest_by_slug("race").await.unwrap().unwrap();
    let stale = shared::db::NewEmail {
        video_id: None,
        recipient: ORGANIZER.into(),
        subject: "stale".into(),
        body_text: "stale".into(),
        body_html: "stale".into(),
    };
    let now = shared::time::now_ms();
    assert_eq!(
        db.queue_digest(&contest.id, contest.created_at, now, now, &stale)
            .await
            .unwrap(),
        None
    );
    app.drain().await;
    let sent = organizer_mail(&app).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert!(!sent[0].contains("stale"));
}

#[tokio::test]
async fn deleted_entries_are_left_out_and_a_long_batch_is_counted() {
    let app = app_with(vec![("digest.max_listed", "2".into())]).await;
    contest_with(&app, "many", &[("notify_entries", "1")]).await;
    let gone = enter(&app, "many", "Deleted early", "Ana", "Diaz").await;
    for t in ["First kept", "Second kept", "Third kept"] {
        enter(&app, "many", t, "Ben", "Okafor").await;
    }
    let csrf = app.csrf("/c/many").await;
    let r = app
        .post_form(
            &format!("/c/many/v/{gone}/delete"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let ids = pass(&app).await;
    assert_eq!(ids.len(), 1);
    let mail = queued(&app, &ids[0]).await;
    assert_eq!(mail.subject, "3 new entries in Sea Films");
    assert!(
        !mail.body_text.contains("Deleted early"),
        "{}",
        mail.body_text
    );
    assert!(mail.body_text.contains("\"First kept\""));
    assert!(mail.body_text.contains("\"Second kept\""));
    assert!(
        !mail.body_text.contains("\"Third kept\""),
        "{}",
        mail.body_text
    );
    assert!(
        mail.body_text.contains("- and one more"),
        "{}",
        mail.body_text
    );
    assert!(mail.body_html.contains("and one more"));

    // Only a deleted entry since the last digest: no mail.
    let gone = enter(&app, "many", "Deleted too", "Ana", "Diaz").await;
    let csrf = app.csrf("/c/many").await;
    app.post_form(
        &format!("/c/many/v/{gone}/delete"),
        &[("csrf_token", &csrf)],
    )
    .await;
    assert!(pass(&app).await.is_empty());
}

#[tokio::test]
async fn the_digest_is_written_in_the_organizers_language() {
    let app = app_with(vec![]).await;
    // The organizer uses the site in Spanish when saving the contest.
    app.get("/lang/es?next=/").await;
    contest_with(&app, "olas", &[("notify_entries", "1")]).await;
    let form = app.get_html("/c/olas/edit").await;
    assert!(form.contains("Enviarme un correo cuando lleguen participaciones nuevas"));
    enter(&app, "olas", "Ola", "Ana", "Diaz").await;
    enter(&app, "olas", "Marea", "Ben", "Okafor").await;
    let ids = pass(&app).await;
    let mail = queued(&app, &ids[0]).await;
    assert_eq!(mail.subject, "2 participaciones nuevas en Sea Films");
    assert!(
        mail.body_text.contains("«Ola», de Ana Diaz (en cola)"),
        "{}",
        mail.body_text
    );
    assert!(mail.body_html.contains("lang=\"es\""));
}

#[tokio::test]
async fn a_suppressed_organizer_address_is_skipped_by_the_outbox() {
    let app = app_with(vec![]).await;
    contest_with(&app, "bounce", &[("notify_entries", "1")]).await;
    app.backends
        .db
        .suppress_recipient(ORGANIZER, SuppressionReason::Bounce, None)
        .await
        .unwrap();
    enter(&app, "bounce", "Unheard", "Ana", "Diaz").await;
    let ids = pass(&app).await;
    assert_eq!(ids.len(), 1);
    app.drain().await;
    let mail = queued(&app, &ids[0]).await;
    assert_eq!(mail.state, EmailState::Skipped);
    assert!(mail
        .last_error
        .as_deref()
        .unwrap()
        .contains("suppressed after a bounce"));
    assert!(organizer_mail(&app).await.is_empty());
}

#[tokio::test]
async fn a_contest_gets_at_most_one_digest_per_interval() {
    // A long interval: the periodic task sleeps through the test; passes are ours.
    let app = app_with(vec![("digest.interval_secs", "3600".into())]).await;
    let new = app.get_html("/contests/new").await;
    // New contests have it ticked, and the form says how often it mails.
    assert!(
        new.contains(
            "name=\"notify_entries\" value=\"1\" aria-describedby=\"notify_entries-hint\" checked"
        ),
        "{new}"
    );
    assert!(new.contains("At most one email every 60 minutes"), "{new}");
    contest_with(&app, "slow", &[("notify_entries", "1")]).await;
    enter(&app, "slow", "Early", "Ana", "Diaz").await;
    assert_eq!(pass(&app).await.len(), 1, "the first digest goes at once");
    enter(&app, "slow", "Later", "Ben", "Okafor").await;
    assert!(
        pass(&app).await.is_empty(),
        "the next waits for the interval"
    );
}

#[tokio::test]
async fn entries_younger_than_the_settle_time_wait_for_a_later_pass() {
    let app = app_with(vec![("digest.settle_secs", "3600".into())]).await;
    contest_with(&app, "settle", &[("notify_entries", "1")]).await;
    enter(&app, "settle", "Fresh", "Ana", "Diaz").await;
    assert!(pass(&app).await.is_empty());
}
