//! The participant's emails, rendered with askama (HTML part auto-escaped), in the language the
//! participant used on the upload page (`videos.lang`; an unknown code is English).
//!
//! Every sentence and subject comes from the message catalogue (`shared/locales/*/emails.ftl`,
//! keys `mail.*`): the templates hold only layout, so one template per email part serves every
//! language, and a new language is new `.ftl` files, not new templates.
use askama::Template;

use crate::db::{Contest, NewEmail, Video};
use crate::i18n::{self, Args};

/// What an email's sentences are about: every `mail.*` message gets these named arguments
/// (`$name`, `$title`, `$contest`, `$reason`), each using the ones it needs.
struct Mail<'a> {
    lang: &'static str,
    args: Args,
    contest: &'a str,
    link: String,
}

impl<'a> Mail<'a> {
    fn new(base_url: &str, contest: &'a Contest, video: &Video, reason: Option<&str>) -> Self {
        let mut args = Args::new()
            .with("name", &video.first_name)
            .with("title", &video.title)
            .with("contest", &contest.name);
        if let Some(reason) = reason {
            args = args.with("reason", reason);
        }
        Self {
            lang: i18n::normalize(&video.lang),
            args,
            contest: &contest.name,
            link: video_link(base_url, contest, video),
        }
    }

    /// A catalogue sentence in the email's language (askama escapes it in the HTML part).
    fn t(&self, key: &str) -> String {
        i18n::text_with(self.lang, key, &self.args)
    }

    /// The subject: the title on one line, so a crafted title cannot add header lines.
    fn subject(&self, key: &str, video: &Video) -> String {
        let args = self.args.clone().with("title", one_line(&video.title));
        i18n::text_with(self.lang, key, &args)
    }
}

#[derive(Template)]
#[template(path = "email/ready.txt")]
struct ReadyText<'a> {
    m: &'a Mail<'a>,
    /// The entry waits for the organizer's review before it is public.
    review: bool,
}

#[derive(Template)]
#[template(path = "email/ready.html")]
struct ReadyHtml<'a> {
    m: &'a Mail<'a>,
    review: bool,
}

#[derive(Template)]
#[template(path = "email/rejected.txt")]
struct RejectedText<'a> {
    m: &'a Mail<'a>,
    message: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "email/rejected.html")]
struct RejectedHtml<'a> {
    m: &'a Mail<'a>,
    message: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "email/failed.txt")]
struct FailedText<'a> {
    m: &'a Mail<'a>,
}

#[derive(Template)]
#[template(path = "email/failed.html")]
struct FailedHtml<'a> {
    m: &'a Mail<'a>,
}

pub fn video_link(base_url: &str, contest: &Contest, video: &Video) -> String {
    format!(
        "{}/c/{}/v/{}",
        base_url.trim_end_matches('/'),
        contest.slug,
        video.id
    )
}

pub fn ready(base_url: &str, contest: &Contest, video: &Video) -> Result<NewEmail, askama::Error> {
    let m = Mail::new(base_url, contest, video, None);
    let review = video.review == crate::domain::ReviewState::Pending;
    Ok(NewEmail {
        video_id: Some(video.id),
        recipient: video.email.clone(),
        subject: m.subject("mail.ready_subject", video),
        body_text: ReadyText { m: &m, review }.render()?,
        body_html: ReadyHtml { m: &m, review }.render()?,
    })
}

/// The organizer did not accept the entry; `message` is theirs, as typed (escaped in HTML).
pub fn rejected(
    base_url: &str,
    contest: &Contest,
    video: &Video,
    message: Option<&str>,
) -> Result<NewEmail, askama::Error> {
    let m = Mail::new(base_url, contest, video, None);
    Ok(NewEmail {
        video_id: Some(video.id),
        recipient: video.email.clone(),
        subject: m.subject("mail.rejected_subject", video),
        body_text: RejectedText { m: &m, message }.render()?,
        body_html: RejectedHtml { m: &m, message }.render()?,
    })
}

/// `reason` is the failure's public sentence, already in the video's language.
pub fn failed(
    base_url: &str,
    contest: &Contest,
    video: &Video,
    reason: &str,
) -> Result<NewEmail, askama::Error> {
    let m = Mail::new(base_url, contest, video, Some(reason));
    Ok(NewEmail {
        video_id: Some(video.id),
        recipient: video.email.clone(),
        subject: m.subject("mail.failed_subject", video),
        body_text: FailedText { m: &m }.render()?,
        body_html: FailedHtml { m: &m }.render()?,
    })
}

fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// A mail that is not about one video (a judge's invitation, a winner's news): sentences from
/// the catalogue with the given arguments, in `lang`.
pub struct Letter<'a> {
    lang: &'static str,
    args: Args,
    contest: &'a str,
    link: String,
}

impl Letter<'_> {
    fn t(&self, key: &str) -> String {
        i18n::text_with(self.lang, key, &self.args)
    }
}

#[derive(Template)]
#[template(path = "email/judge_invite.txt")]
struct InviteText<'a> {
    m: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/judge_invite.html")]
struct InviteHtml<'a> {
    m: &'a Letter<'a>,
}

/// The invitation to judge `contest`: a one-time link valid until `expires` (already shown in
/// the contest's time zone).
pub fn judge_invite(
    contest: &Contest,
    recipient: &str,
    lang: &str,
    link: String,
    expires: &str,
) -> Result<NewEmail, askama::Error> {
    let m = Letter {
        lang: i18n::normalize(lang),
        args: Args::new()
            .with("contest", one_line(&contest.name))
            .with("expires", expires),
        contest: &contest.name,
        link,
    };
    Ok(NewEmail {
        video_id: None,
        recipient: recipient.to_string(),
        subject: m.t("mail.invite_subject"),
        body_text: InviteText { m: &m }.render()?,
        body_html: InviteHtml { m: &m }.render()?,
    })
}

#[derive(Template)]
#[template(path = "email/winner.txt")]
struct WinnerText<'a> {
    m: &'a Mail<'a>,
    results: &'a str,
}

#[derive(Template)]
#[template(path = "email/winner.html")]
struct WinnerHtml<'a> {
    m: &'a Mail<'a>,
    results: &'a str,
}

/// The entry won `place` (1–3) or, with `None`, an honorable mention; `results` is the absolute
/// URL of the published results.
pub fn winner(
    base_url: &str,
    contest: &Contest,
    video: &Video,
    place: Option<i64>,
    results: &str,
) -> Result<NewEmail, askama::Error> {
    let mut m = Mail::new(base_url, contest, video, None);
    // 0 selects the mention in the catalogue's `$place` selector.
    m.args = m.args.clone().with("place", place.unwrap_or(0));
    Ok(NewEmail {
        video_id: Some(video.id),
        recipient: video.email.clone(),
        subject: m.subject("mail.winner_subject", video),
        body_text: WinnerText { m: &m, results }.render()?,
        body_html: WinnerHtml { m: &m, results }.render()?,
    })
}
