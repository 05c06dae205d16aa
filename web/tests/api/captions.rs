//! Subtitles with an upload: a WebVTT or SRT file is checked as text (UTF-8, time lines,
//! limits), written again as clean WebVTT beside the outputs, offered as a `<track>` on every
//! player under the video's visibility rules, and removed with the video. A refused file says
//! what is wrong (the line, the limit) and nothing of the upload is kept.
use reqwest::multipart::Part;
use reqwest::{Response, StatusCode};

use crate::exports::{cell, entries_csv};
use crate::helpers::{created_id, media, spawn_app, spawn_app_with, Entry, TestApp};

async fn contest(app: &TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    assert_eq!(
        app.open_contest("Subtitled Cup", slug).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// The upload form as a browser sends it: the subtitles (and their language) before the video.
async fn upload_with(
    app: &TestApp,
    slug: &str,
    title: &str,
    captions: Option<(&[u8], &str)>,
    lang: Option<&str>,
    json: bool,
) -> Response {
    let mut extra = Vec::new();
    if let Some(l) = lang {
        extra.push(("captions_lang".to_string(), Part::text(l.to_string())));
    }
    if let Some((bytes, name)) = captions {
        let file = Part::bytes(bytes.to_vec()).file_name(name.to_string());
        extra.push(("captions".to_string(), file));
    }
    let form = app
        .upload_form_parts(slug, &Entry::titled(title), &media("tiny"), extra)
        .await;
    let mut req = app
        .client
        .post(app.url(&format!("/c/{slug}/videos")))
        .multipart(form);
    if json {
        req = req.header("Accept", "application/json");
    }
    req.send().await.expect("request")
}

const SRT: &str = "1\r\n00:00:00,200 --> 00:00:01,500\r\n<font color=\"#ff0\">¡Hola</font> & <i>bienvenidos</i>\r\n\r\n2\r\n00:00:01,600 --> 00:00:02,900\r\n<script>alert(1)</script>Adiós\r\n";
const CLEAN: &str = "WEBVTT\n\n00:00:00.200 --> 00:00:01.500\n¡Hola &amp; <i>bienvenidos</i>\n\n00:00:01.600 --> 00:00:02.900\nalert(1)Adiós\n";

#[tokio::test]
async fn subtitles_are_checked_written_as_webvtt_and_offered_as_a_track_where_the_video_is() {
    let app = spawn_app().await;
    contest(&app, "subs").await;
    // The form offers the field (before the video: the server reads it first) and the languages.
    let page = app.get_html("/c/subs").await;
    let (c, v) = (
        page.find("name=\"captions\"").expect("a subtitles field"),
        page.find("name=\"video\"").unwrap(),
    );
    assert!(c < v, "the subtitles field comes before the video");
    assert!(page.contains("accept=\".vtt,.srt,text/vtt\""), "{page}");
    assert!(
        page.contains("<option value=\"es\" lang=\"es\">Español</option>"),
        "{page}"
    );

    let r = upload_with(
        &app,
        "subs",
        "Con subtítulos",
        Some((SRT.as_bytes(), "subs.srt")),
        Some("es"),
        true,
    )
    .await;
    let id = created_id(r).await;
    let url = format!("/files/media/{id}/captions.vtt");
    assert_eq!(
        app.video_row(&id).await.captions_lang.as_deref(),
        Some("es")
    );
    // Stored beside the outputs; not served before the video is.
    assert!(app
        .stored(&format!("media/{id}/captions.vtt"))
        .await
        .is_some());
    assert_eq!(app.get(&url).await.status(), StatusCode::NOT_FOUND);
    app.drain().await;

    // Anyone: the clean WebVTT, with its type, and the track on both players and in the API.
    let visitor = reqwest::Client::new();
    let r = visitor.get(app.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/vtt; charset=utf-8");
    assert_eq!(r.headers()["cache-control"], "public, max-age=300");
    assert_eq!(r.text().await.unwrap(), CLEAN);
    let track = format!(
        "<track kind=\"subtitles\" src=\"{url}\" srclang=\"es\" label=\"Español\"></video>"
    );
    let page = app.get_html(&format!("/c/subs/v/{id}")).await;
    assert!(page.contains(&track), "{page}");
    let page = app.get_html(&format!("/c/subs?v={id}")).await;
    assert!(page.contains(&track), "{page}");
    let status = app.video_status(&id).await;
    assert_eq!(
        status["captions"],
        serde_json::json!({"url": url, "lang": "es", "label": "Español"})
    );

    // The organizer's entries table and export say which entries have subtitles, and in what.
    let page = app.get_html("/c/subs").await;
    assert!(
        page.contains("<span class=\"muted small captions-lang\">Subtitles: Español</span>"),
        "{page}"
    );
    let rows = entries_csv(&app, "subs").await;
    assert_eq!(rows[0][rows[0].len() - 2..], ["place", "subtitles"]);
    assert_eq!(cell(&rows, &id, "subtitles"), "es");

    // Hidden: the organizer's eyes only, never cached by others.
    let csrf = app.csrf("/c/subs").await;
    let hide = app
        .post_form(&format!("/c/subs/v/{id}/hide"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(hide.status(), StatusCode::SEE_OTHER);
    let r = visitor.get(app.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.get(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "private, no-store");

    // Deleted: the file goes with the video.
    let del = app
        .post_form(&format!("/c/subs/v/{id}/delete"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(del.status(), StatusCode::SEE_OTHER);
    assert!(app
        .stored(&format!("media/{id}/captions.vtt"))
        .await
        .is_none());
    assert_eq!(app.get(&url).await.status(), StatusCode::NOT_FOUND);

    // Without subtitles: no track, `captions: null`, and the file name is not served.
    let r = upload_with(&app, "subs", "Sin subtítulos", None, Some("fr"), true).await;
    let plain = created_id(r).await;
    app.drain().await;
    assert!(app.video_row(&plain).await.captions_lang.is_none());
    assert!(app.video_status(&plain).await["captions"].is_null());
    let page = app.get_html(&format!("/c/subs/v/{plain}")).await;
    assert!(!page.contains("<track"), "{page}");
    assert_eq!(
        app.get(&format!("/files/media/{plain}/captions.vtt"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_webvtt_file_keeps_its_cues_and_loses_styles_notes_and_markup() {
    let app = spawn_app().await;
    contest(&app, "vtt").await;
    let vtt = "\u{feff}WEBVTT\n\nSTYLE\n::cue { background: url(http://evil.example/x) }\n\nNOTE a note\n\none\n00:00.500 --> 00:01.500 align:start region:evil\n<v Ana>Hi <b>there</b></v>\n";
    // No language given: the page's language.
    let r = upload_with(
        &app,
        "vtt",
        "Styled",
        Some((vtt.as_bytes(), "a.vtt")),
        None,
        true,
    )
    .await;
    let id = created_id(r).await;
    app.drain().await;
    assert_eq!(
        app.video_row(&id).await.captions_lang.as_deref(),
        Some("en")
    );
    let body = app
        .get(&format!("/files/media/{id}/captions.vtt"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        body,
        "WEBVTT\n\n00:00:00.500 --> 00:00:01.500 align:start\nHi <b>there</b>\n"
    );
}

/// Each refusal: its status, the field, words of the message; and nothing kept.
async fn refused(
    app: &TestApp,
    slug: &str,
    file: &[u8],
    lang: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let before = app.stored_originals().await;
    let r = upload_with(app, slug, "Refused", Some((file, "bad.srt")), lang, true).await;
    let status = r.status();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(app.stored_originals().await, before, "nothing kept: {body}");
    (status, body)
}

#[tokio::test]
async fn refused_subtitles_say_what_is_wrong_and_nothing_is_kept() {
    let app = spawn_app_with(vec![
        ("upload.captions_max_bytes", "2048".into()),
        ("upload.captions_max_cues", "2".into()),
        ("upload.captions_max_cue_chars", "20".into()),
    ])
    .await;
    contest(&app, "bad").await;
    // The file, its language, then the status, field and words of the answer.
    type Case = (
        Vec<u8>,
        Option<&'static str>,
        StatusCode,
        &'static str,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        // A binary file named .srt (a PNG's first bytes).
        (
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            None,
            StatusCode::BAD_REQUEST,
            "captions",
            "not plain text",
        ),
        (
            "Just some words\nand more words\n".into(),
            None,
            StatusCode::BAD_REQUEST,
            "captions",
            "line 1",
        ),
        (
            "1\n00:00:01,000 --> 00:00:00,500\nbackwards\n".into(),
            None,
            StatusCode::BAD_REQUEST,
            "captions",
            "line 2",
        ),
        (
            "WEBVTT\n".into(),
            None,
            StatusCode::BAD_REQUEST,
            "captions",
            "no subtitles",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:02,000 --> 00:00:03,000\nb\n\n3\n00:00:03,000 --> 00:00:04,000\nc\n"
                .into(),
            None,
            StatusCode::BAD_REQUEST,
            "captions",
            "more than 2 subtitles",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nthis subtitle is far too long\n".into(),
            None,
            StatusCode::BAD_REQUEST,
            "captions",
            "longer than 20 characters",
        ),
        (
            format!("1\n00:00:01,000 --> 00:00:02,000\n{}\n", "a\n".repeat(1100)).into_bytes(),
            None,
            StatusCode::PAYLOAD_TOO_LARGE,
            "captions",
            "limit is 2 KB",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nfine\n".into(),
            Some("xx"),
            StatusCode::BAD_REQUEST,
            "captions_lang",
            "language",
        ),
    ];
    for (file, lang, status, field, words) in cases {
        let (got, body) = refused(&app, "bad", &file, lang).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(body["field"], field, "{body}");
        let message = body["error"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{words:?} in {body}");
    }
    assert!(app
        .backends
        .storage
        .list("media")
        .await
        .unwrap_or_default()
        .is_empty());

    // A browser gets the form back with the message at the field and its values kept.
    let r = upload_with(
        &app,
        "bad",
        "Kept title",
        Some((b"not subtitles at all", "x.vtt")),
        Some("es"),
        false,
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"captions-error\""), "{page}");
    assert!(page.contains("value=\"Kept title\""), "{page}");
    assert!(
        page.contains("<option value=\"es\" lang=\"es\" selected>Español</option>"),
        "{page}"
    );
}
