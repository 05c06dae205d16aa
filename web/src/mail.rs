//! Mails the web tier writes itself (the worker writes the conversion mails): rendered with
//! askama (the HTML part auto-escaped), every sentence from the catalogue, in the language of
//! the page the visitor used. They go through the mail outbox like every other mail (the
//! worker sends them, under the per-recipient cap).
use askama::Template;
use shared::db::{Contest, NewEmail, NewVideo};
use shared::i18n::Args;

use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "email/voter_link.txt")]
struct VoterLinkText<'a> {
    body: &'a str,
    link: &'a str,
    ignore: &'a str,
    contest: &'a str,
}

#[derive(Template)]
#[template(path = "email/voter_link.html")]
struct VoterLinkHtml<'a> {
    lang: &'a str,
    body: &'a str,
    link: &'a str,
    button: &'a str,
    ignore: &'a str,
    contest: &'a str,
}

/// A contest name on one line for a subject (a crafted name cannot add header lines).
fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// The voting link of `email` for `contest`, valid for `hours`.
pub fn voter_link(
    base_url: &str,
    contest: &Contest,
    email: &str,
    token: &str,
    hours: u64,
    lang: Lang,
) -> Result<NewEmail, askama::Error> {
    let link = format!(
        "{}/c/{}/voters/confirm?token={token}",
        base_url.trim_end_matches('/'),
        contest.slug
    );
    let args = Args::new()
        .with("contest", &contest.name)
        .with("hours", hours);
    let body = lang.tw("mail.voter_body", &args);
    let ignore = lang.t("mail.voter_ignore");
    let button = lang.t("vote.confirm_button");
    let subject = lang.tw(
        "mail.voter_subject",
        &Args::new().with("contest", one_line(&contest.name)),
    );
    Ok(NewEmail {
        video_id: None,
        recipient: email.to_string(),
        subject,
        body_text: VoterLinkText {
            body: &body,
            link: &link,
            ignore: &ignore,
            contest: &contest.name,
        }
        .render()?,
        body_html: VoterLinkHtml {
            lang: lang.code(),
            body: &body,
            link: &link,
            button: &button,
            ignore: &ignore,
            contest: &contest.name,
        }
        .render()?,
    })
}

#[derive(Template)]
#[template(path = "email/receipt.txt")]
struct ReceiptText<'a> {
    hello: &'a str,
    body: &'a str,
    next: &'a str,
    link: &'a str,
    share: &'a str,
    contest: &'a str,
}

#[derive(Template)]
#[template(path = "email/receipt.html")]
struct ReceiptHtml<'a> {
    lang: &'a str,
    hello: &'a str,
    body: &'a str,
    next: &'a str,
    link: &'a str,
    button: &'a str,
    share: &'a str,
    contest: &'a str,
}

/// The participant's receipt for an accepted upload: where the status is, what happens next
/// (converted, then public, or reviewed first), in the language of the upload page.
pub fn receipt(
    base_url: &str,
    contest: &Contest,
    video: &NewVideo,
    reviewed: bool,
    lang: Lang,
) -> Result<NewEmail, askama::Error> {
    let link = format!(
        "{}/c/{}/v/{}",
        base_url.trim_end_matches('/'),
        contest.slug,
        video.id
    );
    let args = Args::new()
        .with("name", &video.first_name)
        .with("title", &video.title)
        .with("contest", &contest.name);
    let hello = lang.tw("mail.hello", &args);
    let body = lang.tw("mail.receipt_body", &args);
    let next = lang.t(if reviewed {
        "mail.receipt_next_review"
    } else {
        "mail.receipt_next"
    });
    let button = lang.t("mail.receipt_button");
    let share = lang.tw("mail.receipt_share", &args);
    let subject = lang.tw(
        "mail.receipt_subject",
        &Args::new().with("title", one_line(&video.title)),
    );
    Ok(NewEmail {
        video_id: Some(video.id),
        recipient: video.email.clone(),
        subject,
        body_text: ReceiptText {
            hello: &hello,
            body: &body,
            next: &next,
            link: &link,
            share: &share,
            contest: &contest.name,
        }
        .render()?,
        body_html: ReceiptHtml {
            lang: lang.code(),
            hello: &hello,
            body: &body,
            next: &next,
            link: &link,
            button: &button,
            share: &share,
            contest: &contest.name,
        }
        .render()?,
    })
}
