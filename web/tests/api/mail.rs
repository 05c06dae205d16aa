//! Mail that does not go out is visible to the organizer: addresses suppressed after a bounce or
//! a complaint are skipped (never retried), and the contest page lists them for its organizer
//! only. Runs on both backends.
use reqwest::StatusCode;
use shared::db::SuppressionReason;
use shared::domain::EmailState;

use crate::helpers::{media, spawn_app, spawn_app_with, Entry};

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
    let emails = app
        .backends
        .db
        .emails_for_video(&id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].state, EmailState::Skipped);
    assert_eq!(emails[0].attempts, 1, "recorded once, never retried");
    assert!(emails[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("suppressed after a bounce"));
    let sent = app
        .backends
        .db
        .emails_for_video(&ok.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(sent[0].state, EmailState::Sent);
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

#[tokio::test]
async fn the_participant_gets_a_receipt_at_upload_then_the_ready_mail() {
    let app = spawn_app_with(vec![("upload.receipt_email", "true".into())]).await;
    app.organizer("org-receipt@example.org").await;
    assert_eq!(
        app.open_contest("Receipt Cup", "receipts").await.status(),
        StatusCode::SEE_OTHER
    );
    let entry = Entry {
        email: "rita@example.org",
        first_name: "Rita",
        ..Entry::titled("Harbour <lights>")
    };
    let id = app.upload_json("receipts", &entry, &media("tiny")).await;
    // The receipt is queued with the entry, in the same transaction, before any conversion.
    let queued = app
        .backends
        .db
        .emails_for_video(&id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0].subject,
        "We received your video: Harbour <lights>"
    );
    app.drain().await;
    let mails: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.contains("To: rita@example.org"))
        .collect();
    assert_eq!(mails.len(), 2, "receipt and ready");
    let receipt = mails
        .iter()
        .find(|m| m.contains("We received your video"))
        .expect("the receipt");
    assert!(receipt.contains("Hello Rita,"), "{receipt}");
    assert!(
        receipt.contains(&format!("/c/receipts/v/{id}")),
        "{receipt}"
    );
    assert!(
        receipt.contains("We will email you again when it is ready"),
        "{receipt}"
    );
    // The title is escaped in the HTML part.
    let html = &receipt[receipt.find("<!doctype html>").expect("an HTML part")..];
    assert!(html.contains("Harbour &#60;lights&#62;"), "{html}");
    assert!(!html.contains("<lights>"), "{html}");
    // The ready mail: a button to the video, its poster (a stable site URL), a line to share.
    let ready = mails
        .iter()
        .find(|m| m.contains("Your video is ready"))
        .expect("the ready mail");
    assert!(ready.contains("Watch your video"), "{ready}");
    assert!(
        ready.contains(&format!("/c/receipts/v/{id}/poster.jpg")),
        "{ready}"
    );
    assert!(ready.contains("Share the link with friends"), "{ready}");
    let poster = app
        .get(&format!("/c/receipts/v/{id}/poster.jpg"))
        .await
        .status();
    assert!(poster.is_redirection() || poster.is_success(), "{poster}");
}

#[tokio::test]
async fn the_receipt_counts_toward_the_mail_cap() {
    let app = spawn_app_with(vec![
        ("upload.receipt_email", "true".into()),
        ("limits.mails_per_recipient_per_day", "1".into()),
    ])
    .await;
    app.organizer("org-cap@example.org").await;
    assert_eq!(
        app.open_contest("Cap Cup", "capcup").await.status(),
        StatusCode::SEE_OTHER
    );
    let id = app
        .upload_json("capcup", &Entry::titled("Capped"), &media("tiny"))
        .await;
    app.drain().await;
    let emails = app
        .backends
        .db
        .emails_for_video(&id.parse().unwrap())
        .await
        .unwrap();
    let states: Vec<(&str, &str)> = emails
        .iter()
        .map(|e| (e.subject.as_str(), e.state.as_str()))
        .collect();
    assert!(
        states.contains(&("We received your video: Capped", "sent")),
        "{states:?}"
    );
    assert!(
        states.contains(&("Your video is ready: Capped", "skipped")),
        "{states:?}"
    );
}
