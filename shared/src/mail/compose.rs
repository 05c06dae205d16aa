//! The participant's emails (and the organizer's digest of new entries), rendered with askama (HTML part auto-escaped), in the language the
//! participant used on the upload page (`videos.lang`; an unknown code is English).
//!
//! Every sentence and subject comes from the message catalogue (`shared/locales/*/emails.ftl`,
//! keys `mail.*`): the templates hold only layout, so one template per email part serves every
//! language, and a new language is new `.ftl` files, not new templates.
use askama::Template;

use crate::db::{Contest, DigestDue, DigestEntry, NewEmail, Video, BODY_HTML_MAX, BODY_TEXT_MAX};
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

/// What the organizer's digest says, worded once in the organizer's language; the templates
/// only lay it out (askama escapes every line in the HTML part).
struct Digest<'a> {
    lang: &'static str,
    hello: String,
    body: String,
    lines: &'a [String],
    more: Option<String>,
    button: String,
    link: &'a str,
    why: String,
    settings: &'a str,
    contest: &'a str,
}

#[derive(Template)]
#[template(path = "email/entry_digest.txt")]
struct DigestText<'a> {
    m: &'a Digest<'a>,
}

#[derive(Template)]
#[template(path = "email/entry_digest.html")]
struct DigestHtml<'a> {
    m: &'a Digest<'a>,
}

/// At most `max` characters of `s` on one line, with "…" when cut.
fn clip(s: &str, max: usize) -> String {
    let line = one_line(s);
    if line.chars().count() <= max {
        return line;
    }
    let mut out: String = line.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The organizer's digest of `count` new entries of a contest, listing `entries` (the oldest of
/// them; the rest are counted). As many entries are listed as fit the outbox's body sizes, so
/// a mail is never cut in the middle of its markup.
pub fn entry_digest(
    base_url: &str,
    contest: &DigestDue,
    count: i64,
    entries: &[DigestEntry],
) -> Result<NewEmail, askama::Error> {
    let lang = i18n::normalize(&contest.lang);
    let base = base_url.trim_end_matches('/');
    let link = format!("{base}/c/{}#organizer", contest.slug);
    let settings = format!("{base}/c/{}/edit", contest.slug);
    let args = Args::new()
        .with("contest", one_line(&contest.name))
        .with("count", count);
    let t = |key: &str| i18n::text_with(lang, key, &args);
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            let author = format!("{} {}", e.first_name, e.last_name);
            let state = i18n::text(lang, &format!("vstate.{}", e.state));
            i18n::text_with(
                lang,
                "mail.digest_entry",
                &Args::new()
                    .with("title", clip(&e.title, 80))
                    .with("author", clip(author.trim(), 60))
                    .with("state", state),
            )
        })
        .collect();
    let mut listed = lines.len();
    loop {
        let more = count - i64::try_from(listed).unwrap_or(i64::MAX);
        let m = Digest {
            lang,
            hello: t("mail.digest_hello"),
            body: t("mail.digest_body"),
            lines: &lines[..listed],
            more: (more > 0).then(|| {
                i18n::text_with(lang, "mail.digest_more", &Args::new().with("more", more))
            }),
            button: t("mail.digest_button"),
            link: &link,
            why: t("mail.digest_why"),
            settings: &settings,
            contest: &contest.name,
        };
        let body_text = DigestText { m: &m }.render()?;
        let body_html = DigestHtml { m: &m }.render()?;
        let fits = body_text.len() <= BODY_TEXT_MAX && body_html.len() <= BODY_HTML_MAX;
        if fits || listed == 0 {
            return Ok(NewEmail {
                video_id: None,
                recipient: contest.organizer_email.clone(),
                subject: t("mail.digest_subject"),
                body_text,
                body_html,
            });
        }
        listed -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContestId, VideoState};

    fn due(name: &str, lang: &str) -> DigestDue {
        DigestDue {
            contest_id: ContestId::new(),
            slug: "sea".into(),
            name: name.into(),
            watermark: 0,
            lang: lang.into(),
            organizer_email: "org@example.org".into(),
        }
    }

    fn entry(title: &str) -> DigestEntry {
        DigestEntry {
            title: title.into(),
            first_name: "Ana".into(),
            last_name: "Diaz".into(),
            state: VideoState::Queued,
        }
    }

    /// Titles of the longest kind, all markup: the list shrinks until both parts fit the
    /// outbox's columns, whole (never cut inside the markup), and the rest is counted.
    #[test]
    fn a_digest_of_long_escaped_titles_fits_the_outbox_whole() {
        let title = "<&>".repeat(66);
        let entries: Vec<DigestEntry> = (0..20).map(|_| entry(&title)).collect();
        let m = entry_digest("https://x.test/", &due("Sea", "en"), 45, &entries).unwrap();
        assert!(m.body_text.len() <= BODY_TEXT_MAX, "{}", m.body_text.len());
        assert!(m.body_html.len() <= BODY_HTML_MAX, "{}", m.body_html.len());
        assert!(m.body_html.trim_end().ends_with("</html>"));
        let listed = m.body_html.matches("<li>").count();
        assert!((1..20).contains(&listed), "{listed}");
        assert!(
            m.body_text.contains(&format!("and {} more", 45 - listed)),
            "{}",
            m.body_text
        );
        assert!(!m.body_html.contains("<&>"));
        // Long titles are cut with an ellipsis.
        assert!(m.body_text.contains('…'));
    }

    #[test]
    fn the_subject_is_one_line_in_the_organizers_language() {
        let m = entry_digest(
            "https://x.test",
            &due("Sea\r\nBcc: someone@example.org", "es-MX"),
            1,
            &[entry("Ola")],
        )
        .unwrap();
        assert_eq!(
            m.subject,
            "Una participación nueva en SeaBcc: someone@example.org"
        );
        assert!(!m.subject.contains(['\r', '\n']));
        assert!(m.body_text.contains("https://x.test/c/sea#organizer"));
    }
}
