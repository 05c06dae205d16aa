//! Mail that does not go out is visible to the organizer: addresses suppressed after a bounce or
//! a complaint are skipped (never retried), and the contest page lists them for its organizer
//! only. Runs on both backends.
use reqwest::StatusCode;
use shared::db::SuppressionReason;

use crate::helpers::{media, spawn_app, Entry};

#[tokio::test]
async fn suppressed_recipients_are_skipped_and_shown_to_the_organizer() {
    let app = spawn_app().await;
    app.organizer("org-mail@example.org").await;
    assert_eq!(
        app.open_contest("Mail Cup", "mailcup").await.status(),
        StatusCode::SEE_OTHER
    );
    // SES reported a permanent bounce for this address earlier (any case).
    app.backends
        .db
        .suppress_recipient(
            "Bounced@Example.org",
            SuppressionReason::Bounce,
            Some("Permanent/General: 550 5.1.1 user unknown"),
        )
        .await
        .unwrap();
    let bounced = Entry {
        email: "bounced@example.org",
        ..Entry::titled("Bounced entry")
    };
    let id = app.upload_json("mailcup", &bounced, &media("tiny")).await;
    let ok = app
        .upload_json("mailcup", &Entry::titled("Fine entry"), &media("tiny"))
        .await;
    app.drain().await;
    assert_eq!(app.video_status(&id).await["state"], "converted");

    // The suppressed address got nothing; the other participant got the mail.
    let mails = app.outbox().await;
    assert!(!mails.iter().any(|m| m.contains("bounced@example.org")));
    let emails = app.backends.db.emails_for_video(&id).await.unwrap();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].state, "skipped");
    assert_eq!(emails[0].attempts, 1, "recorded once, never retried");
    assert!(emails[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("suppressed after a bounce"));
    let sent = app.backends.db.emails_for_video(&ok).await.unwrap();
    assert_eq!(sent[0].state, "sent");
    assert_eq!(app.backends.db.queued_jobs().await.unwrap(), 0);

    // The organizer sees it on the contest page, in both languages.
    let page = app.get_html("/c/mailcup").await;
    assert!(page.contains("Emails not delivered"), "{page}");
    let row = page
        .split("data-mail-state=\"skipped\"")
        .nth(1)
        .expect("a row for the skipped mail");
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("Bounced entry"), "{row}");
    assert!(row.contains("bounced@example.org"), "{row}");
    assert!(row.contains("<td>not sent</td>"), "{row}");
    assert!(
        row.contains("not sent: the address is suppressed after a bounce"),
        "{row}"
    );
    assert!(
        !page.contains("Fine entry</th><td>"),
        "a delivered mail is not listed"
    );
    let es = app.get_as("/c/mailcup", "es").await.text().await.unwrap();
    assert!(es.contains("Correos no entregados"), "{es}");

    // Nobody else does.
    app.logout().await;
    let public = app.get_html("/c/mailcup").await;
    assert!(!public.contains("Emails not delivered"));
    assert!(!public.contains("bounced@example.org"));
}

#[tokio::test]
async fn suppression_is_idempotent_and_case_blind() {
    let app = spawn_app().await;
    let db = &app.backends.db;
    assert_eq!(db.suppression_of("x@example.org").await.unwrap(), None);
    db.suppress_recipient("X@Example.org ", SuppressionReason::Bounce, None)
        .await
        .unwrap();
    // A redelivered or later event for the same address updates the row.
    db.suppress_recipient("x@example.org", SuppressionReason::Complaint, Some("abuse"))
        .await
        .unwrap();
    assert_eq!(
        db.suppression_of("x@EXAMPLE.org").await.unwrap().as_deref(),
        Some("complaint")
    );
}
