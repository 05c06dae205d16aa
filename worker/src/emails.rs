//! The participant's emails, rendered with askama (HTML part auto-escaped), in the language the
//! participant used on the upload page (`videos.lang`: `en` or `es`; anything else is English).
//! Each template holds both languages side by side (`{% if es %}`), so a translator sees the
//! two versions of a sentence together and the structs stay one per email part.
use askama::Template;
use shared::db::{Contest, NewEmail, Video};

#[derive(Template)]
#[template(path = "email/ready.txt")]
struct ReadyText<'a> {
    es: bool,
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/ready.html")]
struct ReadyHtml<'a> {
    es: bool,
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/failed.txt")]
struct FailedText<'a> {
    es: bool,
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
    reason: &'a str,
}

#[derive(Template)]
#[template(path = "email/failed.html")]
struct FailedHtml<'a> {
    es: bool,
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
    reason: &'a str,
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
    let link = video_link(base_url, contest, video);
    let (first_name, title, contest_name) = (
        video.first_name.as_str(),
        video.title.as_str(),
        contest.name.as_str(),
    );
    let es = is_spanish(video);
    let subject = if es {
        "Tu vídeo está listo"
    } else {
        "Your video is ready"
    };
    Ok(NewEmail {
        video_id: Some(video.id.clone()),
        recipient: video.email.clone(),
        subject: format!("{subject}: {}", one_line(title)),
        body_text: ReadyText {
            es,
            first_name,
            title,
            contest: contest_name,
            link: &link,
        }
        .render()?,
        body_html: ReadyHtml {
            es,
            first_name,
            title,
            contest: contest_name,
            link: &link,
        }
        .render()?,
    })
}

pub fn failed(
    base_url: &str,
    contest: &Contest,
    video: &Video,
    reason: &str,
) -> Result<NewEmail, askama::Error> {
    let link = video_link(base_url, contest, video);
    let (first_name, title, contest_name) = (
        video.first_name.as_str(),
        video.title.as_str(),
        contest.name.as_str(),
    );
    let es = is_spanish(video);
    let subject = if es {
        "No hemos podido convertir tu vídeo"
    } else {
        "We could not convert your video"
    };
    Ok(NewEmail {
        video_id: Some(video.id.clone()),
        recipient: video.email.clone(),
        subject: format!("{subject}: {}", one_line(title)),
        body_text: FailedText {
            es,
            first_name,
            title,
            contest: contest_name,
            link: &link,
            reason,
        }
        .render()?,
        body_html: FailedHtml {
            es,
            first_name,
            title,
            contest: contest_name,
            link: &link,
            reason,
        }
        .render()?,
    })
}

fn is_spanish(video: &Video) -> bool {
    video.lang.eq_ignore_ascii_case("es")
}

fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(120).collect()
}
