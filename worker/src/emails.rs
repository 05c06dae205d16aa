//! The participant's emails, rendered with askama (HTML part auto-escaped).
use askama::Template;
use shared::db::{Contest, NewEmail, Video};

#[derive(Template)]
#[template(path = "email/ready.txt")]
struct ReadyText<'a> {
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/ready.html")]
struct ReadyHtml<'a> {
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/failed.txt")]
struct FailedText<'a> {
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
    reason: &'a str,
}

#[derive(Template)]
#[template(path = "email/failed.html")]
struct FailedHtml<'a> {
    first_name: &'a str,
    title: &'a str,
    contest: &'a str,
    link: &'a str,
    reason: &'a str,
}

pub fn video_link(base_url: &str, contest: &Contest, video: &Video) -> String {
    format!("{}/c/{}/v/{}", base_url.trim_end_matches('/'), contest.slug, video.id)
}

pub fn ready(base_url: &str, contest: &Contest, video: &Video) -> Result<NewEmail, askama::Error> {
    let link = video_link(base_url, contest, video);
    let (first_name, title, contest_name) = (video.first_name.as_str(), video.title.as_str(), contest.name.as_str());
    Ok(NewEmail {
        video_id: Some(video.id.clone()),
        recipient: video.email.clone(),
        subject: format!("Your video is ready: {}", one_line(title)),
        body_text: ReadyText { first_name, title, contest: contest_name, link: &link }.render()?,
        body_html: ReadyHtml { first_name, title, contest: contest_name, link: &link }.render()?,
    })
}

pub fn failed(base_url: &str, contest: &Contest, video: &Video, reason: &str) -> Result<NewEmail, askama::Error> {
    let link = video_link(base_url, contest, video);
    let (first_name, title, contest_name) = (video.first_name.as_str(), video.title.as_str(), contest.name.as_str());
    Ok(NewEmail {
        video_id: Some(video.id.clone()),
        recipient: video.email.clone(),
        subject: format!("We could not convert your video: {}", one_line(title)),
        body_text: FailedText { first_name, title, contest: contest_name, link: &link, reason }.render()?,
        body_html: FailedHtml { first_name, title, contest: contest_name, link: &link, reason }.render()?,
    })
}

fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(120).collect()
}
