//! `POST /c/{slug}/videos`: the participant's upload, streamed to storage and checked by content.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix_multipart::{Field, Multipart};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures::StreamExt;
use shared::db::{Contest, EntryOptions, NewVideo};
use shared::domain::{BoundedText, EmailAddress, PersonName, VideoId, VideoTitle};
use shared::error::DbError;
use shared::media::{self, captions, probe, ProbeError};
use shared::storage::{keys, Storage, StorageError};
use shared::time::now_ms;

use super::videos::{render_contest, Grid};
use super::{wants_json, AppState, State};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::security;
use crate::views::Form;

const TEXT_FIELDS: [&str; 8] = [
    "csrf_token",
    "captions_lang",
    "title",
    "first_name",
    "last_name",
    "email",
    "description",
    "accept_terms",
];
const MAX_TEXT_FIELD: usize = 16 * 1024;

/// Validated participant fields.
struct Entry {
    title: VideoTitle,
    first_name: PersonName,
    last_name: PersonName,
    email: EmailAddress,
    description: BoundedText,
}

/// When the contest has terms, the participant must have ticked the box: the acceptance time.
fn accepted_terms(
    contest: &Contest,
    values: &HashMap<String, String>,
) -> Result<Option<i64>, AppError> {
    if contest.terms.trim().is_empty() {
        return Ok(None);
    }
    match values.get("accept_terms").map(String::as_str) {
        Some("1") => Ok(Some(now_ms())),
        _ => Err(AppError::invalid("accept_terms", "err.accept_terms")),
    }
}

fn parse_entry(values: &HashMap<String, String>) -> Result<Entry, AppError> {
    let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let bad = |e: shared::domain::FieldError| AppError::Validation {
        field: e.field,
        message: Lang::current().field_error(&e),
    };
    Ok(Entry {
        title: VideoTitle::parse(v("title")).map_err(bad)?,
        first_name: PersonName::parse("first_name", "enter.first_name", v("first_name"))
            .map_err(bad)?,
        last_name: PersonName::parse("last_name", "enter.last_name", v("last_name"))
            .map_err(bad)?,
        email: EmailAddress::parse("email", v("email")).map_err(bad)?,
        description: BoundedText::parse(
            "description",
            "cform.description",
            v("description"),
            false,
            2000,
        )
        .map_err(bad)?,
    })
}

/// The session remembers the videos it uploaded (the last 20), so their pages can show the
/// participant's own email to them and to nobody else.
pub const UPLOADED_KEY: &str = "uploaded";

fn remember_upload(session: &Session, id: &VideoId) {
    let id = id.to_string();
    let mut mine: Vec<String> = session.get(UPLOADED_KEY).ok().flatten().unwrap_or_default();
    mine.retain(|x| *x != id);
    mine.push(id);
    if mine.len() > 20 {
        mine.remove(0);
    }
    if let Err(e) = session.insert(UPLOADED_KEY, &mine) {
        tracing::warn!(error = %e, "could not remember the upload in the session");
    }
}

/// Whether this browser session uploaded the video.
pub fn uploaded_here(session: &Session, id: &VideoId) -> bool {
    session
        .get::<Vec<String>>(UPLOADED_KEY)
        .ok()
        .flatten()
        .is_some_and(|l| l.iter().any(|x| *id == **x))
}

/// The upload. Limits, in the order they are checked (settings under `limits.*`): the declared
/// size, the contest window, accepted uploads per client address per window (429), uploads
/// received at once per address (429) and in total (503), no bytes for
/// `upload_idle_timeout_secs` (408), a subtitles file's size and content (413 / 400 on
/// `captions`, `upload.captions_*`; it comes before the video, as the form sends it), the
/// streamed size (413), entries per participant email in this contest (400 on `email`). Whatever way the request ends, nothing it stored stays behind
/// unless the video row was written (see [`OriginalGuard`] and the storage backends' guards).
pub async fn upload(
    state: State,
    session: Session,
    req: HttpRequest,
    path: web::Path<String>,
    payload: Multipart,
) -> AppResult {
    let Some(contest) = state.backends.db.contest_by_slug(&path).await? else {
        return Err(AppError::NotFound);
    };
    let mut values = HashMap::new();
    let result = accept(&state, &session, &req, &contest, payload, &mut values).await;
    let metrics = &state.backends.metrics;
    let e = match result {
        Ok(video_id) => {
            metrics.uploads.with_label_values(&["accepted"]).inc();
            remember_upload(&session, &video_id);
            let page_url = format!("/c/{}/v/{}", contest.slug, video_id);
            if wants_json() {
                return Ok(HttpResponse::Created()
                    .insert_header(("Location", page_url.clone()))
                    .json(serde_json::json!({
                        "id": video_id,
                        "status_url": format!("/api/videos/{video_id}"),
                        "page_url": page_url,
                    })));
            }
            return Ok(super::see_other(&page_url));
        }
        Err(e) => e,
    };
    metrics
        .uploads
        .with_label_values(&[e.status().as_str()])
        .inc();
    tracing::info!(status = e.status().as_u16(), field = e.field(), reason = %e, "upload refused");
    if wants_json() || e.status() == StatusCode::NOT_FOUND {
        return Err(e);
    }
    // A browser gets the contest page back with the message next to the field and its values kept.
    values.remove("csrf_token");
    let mut form = Form {
        values,
        ..Form::default()
    };
    form.set_error(e.field().unwrap_or("form"), e.message());
    let mut res = render_contest(
        &state,
        &session,
        &contest,
        Grid::first(),
        None,
        form,
        e.status(),
    )
    .await?;
    if let Some(s) = e.retry_after() {
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(s),
        );
    }
    Ok(res)
}

fn too_large(max: u64) -> AppError {
    AppError::TooLarge {
        field: "video",
        message: Lang::current().tf("err.too_large", "max", max / (1024 * 1024)),
    }
}

fn unreadable() -> AppError {
    AppError::invalid("form", "err.unreadable")
}

fn stalled() -> AppError {
    AppError::TimedOut {
        message: Lang::current().t("err.stalled"),
    }
}

/// The next item of a body stream, or 408 when the client sends nothing for `idle`.
async fn next_within<S: futures::Stream + Unpin>(
    s: &mut S,
    idle: Duration,
) -> Result<Option<S::Item>, AppError> {
    tokio::time::timeout(idle, s.next())
        .await
        .map_err(|_| stalled())
}

async fn accept(
    state: &AppState,
    session: &Session,
    req: &HttpRequest,
    contest: &Contest,
    mut payload: Multipart,
    values: &mut HashMap<String, String>,
) -> Result<VideoId, AppError> {
    let max = state.settings.upload.max_bytes;
    let limits = &state.settings.limits;
    let idle = Duration::from_secs(limits.upload_idle_timeout_secs.max(1));
    // Refuse what we can before reading the body.
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max.saturating_add(1024 * 1024)) {
        return Err(too_large(max));
    }
    if !contest.is_open_at(now_ms()) {
        return Err(AppError::Unprocessable {
            message: Lang::current().t("err.not_accepting"),
        });
    }
    let ip = state
        .client_ip
        .of_request(req)
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let db = &state.backends.db;
    let bucket = crate::limits::upload_bucket(ip);
    crate::limits::check_bucket(
        db,
        &bucket,
        limits.uploads_per_address,
        limits.upload_window_secs,
        "limit.uploads",
    )
    .await?;
    // Held until this function returns (or its future is dropped).
    let _permit = state.uploads.enter(ip)?;
    let mut captions: Option<String> = None;
    while let Some(field) = next_within(&mut payload, idle).await? {
        let field = field.map_err(|_| unreadable())?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "video" {
            if !has_file(&field) {
                continue;
            }
            // Every other field comes first (the form puts the file last): check them before
            // taking a single byte of video.
            security::check_csrf(session, values.get("csrf_token").map(String::as_str))?;
            let entry = parse_entry(values)?;
            let terms_accepted_at = accepted_terms(contest, values)?;
            if db.title_taken(&contest.id, &entry.title.key()).await? {
                return Err(duplicate());
            }
            let entries = db
                .entries_by_email(&contest.id, entry.email.as_str())
                .await?;
            if entries >= contest.entries_per_email {
                return Err(AppError::Validation {
                    field: "email",
                    message: Lang::current().tf(
                        "err.entries_per_email",
                        "max",
                        contest.entries_per_email,
                    ),
                });
            }
            let captions = match captions.take() {
                Some(vtt) => Some((vtt, captions_lang(values)?)),
                None => None,
            };
            let options = EntryOptions {
                terms_accepted_at,
                awaiting_review: contest.reviews_entries(),
                receipt: None,
                captions_lang: captions.as_ref().map(|(_, l)| l.clone()),
            };
            let id = store(state, contest, entry, options, captions, field, max, idle).await?;
            if let Err(e) = db.rate_record(&bucket).await {
                tracing::warn!(error = %e, "could not count the upload for its address");
            }
            return Ok(id);
        }
        if name == "captions" && has_file(&field) {
            if captions.is_some() {
                return Err(unreadable());
            }
            // The form sends the token first: nobody gets a file checked without it.
            security::check_csrf(session, values.get("csrf_token").map(String::as_str))?;
            captions = Some(read_captions(state, field, idle).await?);
            continue;
        }
        if TEXT_FIELDS.contains(&name.as_str()) {
            values.insert(name, read_text(field, idle).await?);
        } else {
            // Unknown fields are drained and ignored (within the size cap and idle timeout).
            let mut field = field;
            let mut seen: u64 = 0;
            while let Some(chunk) = next_within(&mut field, idle).await? {
                seen += chunk.map_err(|_| unreadable())?.len() as u64;
                if seen > MAX_TEXT_FIELD as u64 {
                    return Err(AppError::invalid("form", "error.msg_form_too_large"));
                }
            }
        }
    }
    security::check_csrf(session, values.get("csrf_token").map(String::as_str))?;
    parse_entry(values)?;
    accepted_terms(contest, values)?;
    Err(AppError::invalid("video", "err.no_file"))
}

/// The subtitles' language: one of the listed codes, the page's language when not given.
fn captions_lang(values: &HashMap<String, String>) -> Result<String, AppError> {
    let code = match values.get("captions_lang").map(|s| s.trim()) {
        Some(c) if !c.is_empty() => c.to_string(),
        _ => Lang::current().code().to_string(),
    };
    match captions::language_name(&code) {
        Some(_) => Ok(code),
        None => Err(AppError::invalid("captions_lang", "captions.bad_lang")),
    }
}

/// Reads a subtitles file (refused past `upload.captions_max_bytes`, 413) and checks it: the
/// clean WebVTT text, or 400 on `captions` saying what is wrong.
async fn read_captions(state: &AppState, field: Field, idle: Duration) -> Result<String, AppError> {
    let limits = state.settings.upload.captions_limits();
    let buf = read_field(field, idle, limits.max_bytes, || AppError::TooLarge {
        field: "captions",
        message: Lang::current().rejection(&captions::too_big(limits.max_bytes)),
    })
    .await?;
    captions::clean(&buf, &limits).map_err(|e| AppError::Validation {
        field: "captions",
        message: Lang::current().rejection(&e),
    })
}

fn duplicate() -> AppError {
    AppError::Conflict {
        field: "title",
        message: Lang::current().t("err.duplicate_title"),
    }
}

/// A file input with a file chosen (an empty input is sent with an empty file name).
fn has_file(field: &Field) -> bool {
    field
        .content_disposition()
        .and_then(|cd| cd.get_filename())
        .is_some_and(|f| !f.is_empty())
}

/// A small field's bytes, or `too_big()` as soon as more than `max` arrive.
async fn read_field(
    mut field: Field,
    idle: Duration,
    max: u64,
    too_big: impl FnOnce() -> AppError,
) -> Result<Vec<u8>, AppError> {
    let mut buf = Vec::new();
    while let Some(chunk) = next_within(&mut field, idle).await? {
        let chunk = chunk.map_err(|_| unreadable())?;
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(too_big());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

async fn read_text(field: Field, idle: Duration) -> Result<String, AppError> {
    let buf = read_field(field, idle, MAX_TEXT_FIELD as u64, || {
        AppError::invalid("form", "error.msg_form_too_large")
    })
    .await?;
    String::from_utf8(buf).map_err(|_| unreadable())
}

/// A stored original not yet owned by a video row. Dropped while armed (a refusal that forgot
/// it, or the request future dropped by a disconnect) it deletes the object in the background;
/// refusals call [`OriginalGuard::remove`] to delete it before answering.
struct OriginalGuard {
    storage: Arc<dyn Storage>,
    /// The original, then the subtitles once stored.
    keys: Vec<String>,
}

impl OriginalGuard {
    async fn remove(mut self) {
        for key in std::mem::take(&mut self.keys) {
            if let Err(e) = self.storage.delete(&key).await {
                tracing::warn!(error = %e, key, "could not remove refused upload");
            }
        }
    }

    /// The video row owns the objects now.
    fn keep(mut self) {
        self.keys.clear();
    }
}

impl Drop for OriginalGuard {
    fn drop(&mut self) {
        let keys = std::mem::take(&mut self.keys);
        if keys.is_empty() {
            return;
        }
        let storage = self.storage.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    for key in keys {
                        if let Err(e) = storage.delete(&key).await {
                            tracing::warn!(error = %e, key, "could not remove abandoned upload");
                        }
                    }
                });
            }
            Err(_) => tracing::warn!(?keys, "abandoned upload left for the sweeper"),
        }
    }
}

/// Streams the file into storage, checks it by content, stores the checked subtitles beside
/// the outputs, then writes the video and its job.
#[allow(clippy::too_many_arguments)]
async fn store(
    state: &AppState,
    contest: &Contest,
    entry: Entry,
    mut options: EntryOptions,
    captions: Option<(String, String)>,
    field: Field,
    max: u64,
    idle: Duration,
) -> Result<VideoId, AppError> {
    let b = &state.backends;
    let id = VideoId::new();
    let key = keys::original(&id);
    // actix's payload is not `Send`; storage backends take a `Send` stream. A small bounded channel
    // bridges the two inside this handler's future (at most a few chunks in memory).
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, StorageError>>(4);
    let timed_out = std::cell::Cell::new(false);
    let flag = &timed_out;
    let pump = async move {
        let mut field = field;
        loop {
            let chunk = match tokio::time::timeout(idle, field.next()).await {
                Ok(Some(c)) => c.map_err(|e| StorageError::Client(e.to_string())),
                Ok(None) => break,
                Err(_) => {
                    flag.set(true);
                    Err(StorageError::Client(
                        "no data within the idle timeout".into(),
                    ))
                }
            };
            let failed = chunk.is_err();
            if tx.send(chunk).await.is_err() || failed {
                break;
            }
        }
    };
    let body =
        futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) })
            .boxed();
    let (_, stored) = futures::join!(
        pump,
        b.storage
            .put_stream(&key, "application/octet-stream", body, max)
    );
    let size = match stored {
        Ok(n) => n,
        Err(StorageError::TooLarge { .. }) => return Err(too_large(max)),
        Err(StorageError::Client(_)) if timed_out.get() => return Err(stalled()),
        Err(StorageError::Client(_)) => return Err(AppError::invalid("video", "err.interrupted")),
        Err(e) => return Err(AppError::unexpected(e)),
    };
    // From here on the file exists: every refusal removes it, and so does a dropped future.
    let mut guard = OriginalGuard {
        storage: b.storage.clone(),
        keys: vec![key.clone()],
    };
    if size == 0 {
        guard.remove().await;
        return Err(AppError::invalid("video", "err.empty"));
    }
    let media = &state.settings.media;
    // ffprobe and the decode check are CPU work on the web tier: a few at a time; an upload that
    // cannot get a slot soon is told to come back (its file is removed).
    let wait = std::time::Duration::from_millis(media.check_wait_ms);
    let Ok(Ok(slot)) = tokio::time::timeout(wait, state.media_checks.acquire()).await else {
        guard.remove().await;
        return Err(AppError::unavailable(10, "err.busy"));
    };
    let checked = async {
        let src = b.storage.media_source(&key).await.map_err(|e| {
            ProbeError::Process(shared::process::ProcessError::Io {
                program: "storage".into(),
                source: std::io::Error::other(e.to_string()),
            })
        })?;
        let p = probe::probe(media, &src).await?;
        let p = media::validate(p, media)?;
        probe::check_decodes(media, &src, &p).await?;
        Ok::<_, ProbeError>(p)
    }
    .await;
    drop(slot);
    let p = match checked {
        Ok(p) => p,
        Err(ProbeError::Rejected(r)) => {
            guard.remove().await;
            return Err(AppError::Unsupported {
                field: "video",
                message: Lang::current().rejection(&r),
            });
        }
        Err(ProbeError::Process(e)) => {
            guard.remove().await;
            return Err(AppError::unexpected(e));
        }
    };
    if let Some((vtt, _)) = captions {
        let vtt_key = keys::captions(&id);
        guard.keys.push(vtt_key.clone());
        let len = vtt.len() as u64;
        let body = futures::stream::once(async move { Ok(bytes::Bytes::from(vtt)) }).boxed();
        if let Err(e) = b
            .storage
            .put_stream(&vtt_key, "text/vtt; charset=utf-8", body, len)
            .await
        {
            guard.remove().await;
            return Err(AppError::unexpected(e));
        }
    }
    let new = NewVideo {
        id,
        contest_id: contest.id,
        title: entry.title.as_str().to_string(),
        title_key: entry.title.key(),
        first_name: entry.first_name.as_str().to_string(),
        last_name: entry.last_name.as_str().to_string(),
        email: entry.email.as_str().to_string(),
        description: entry.description.into_string(),
        original_key: key.clone(),
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        probe: p.facts(),
        probe_json: Some(p.to_json()),
        // The emails follow the language the participant was reading the form in.
        lang: crate::i18n::Lang::current().code().to_string(),
    };
    if state.settings.upload.receipt_email {
        options.receipt = Some(
            crate::mail::receipt(
                state.settings.base_url(),
                contest,
                &new,
                options.awaiting_review,
                Lang::current(),
            )
            .map_err(AppError::unexpected)?,
        );
    }
    match b.db.create_entry(&new, &options).await {
        Ok(()) => {
            guard.keep();
            b.queue.wake();
            tracing::info!(video_id = %id, size, "upload accepted");
            Ok(id)
        }
        Err(DbError::Duplicate(_)) => {
            guard.remove().await;
            Err(duplicate())
        }
        Err(e) => {
            guard.remove().await;
            Err(AppError::unexpected(e))
        }
    }
}
