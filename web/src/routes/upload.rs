//! `POST /c/{slug}/videos`: the participant's upload, streamed to storage and checked by content.
use std::collections::HashMap;

use actix_multipart::{Field, Multipart};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures::{StreamExt, TryStreamExt};
use shared::db::{Contest, NewVideo};
use shared::domain::{new_id, BoundedText, EmailAddress, PersonName, VideoTitle};
use shared::error::DbError;
use shared::media::{self, probe, ProbeError};
use shared::metrics::METRICS;
use shared::storage::{keys, StorageError};
use shared::time::now_ms;

use super::videos::render_contest;
use super::{wants_json, AppState, State};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::security;
use crate::views::Form;

const TEXT_FIELDS: [&str; 6] = [
    "csrf_token",
    "title",
    "first_name",
    "last_name",
    "email",
    "description",
];
const MAX_TEXT_FIELD: usize = 16 * 1024;

/// A refusal with its status, the field it concerns and one sentence.
struct Refusal {
    status: StatusCode,
    field: &'static str,
    message: String,
    /// Seconds for a `Retry-After` header (a busy server).
    retry_after: Option<u64>,
}

impl Refusal {
    fn new(status: StatusCode, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            field,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Self {
            status: e.status,
            field: "form",
            message: e.localized(),
            retry_after: None,
        }
    }
}

/// Validated participant fields.
struct Entry {
    title: VideoTitle,
    first_name: PersonName,
    last_name: PersonName,
    email: EmailAddress,
    description: BoundedText,
}

fn parse_entry(values: &HashMap<String, String>) -> Result<Entry, Refusal> {
    let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let bad = |e: shared::domain::FieldError| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            e.field,
            Lang::current().field_error(&e),
        )
    };
    Ok(Entry {
        title: VideoTitle::parse(v("title")).map_err(bad)?,
        first_name: PersonName::parse("first_name", "First name", v("first_name")).map_err(bad)?,
        last_name: PersonName::parse("last_name", "Last name", v("last_name")).map_err(bad)?,
        email: EmailAddress::parse("email", v("email")).map_err(bad)?,
        description: BoundedText::parse(
            "description",
            "Description",
            v("description"),
            false,
            2000,
        )
        .map_err(bad)?,
    })
}

pub async fn upload(
    state: State,
    session: Session,
    req: HttpRequest,
    path: web::Path<String>,
    payload: Multipart,
) -> AppResult {
    let json = wants_json(&req);
    let contest = state
        .backends
        .db
        .contest_by_slug(&path)
        .await
        .map_err(|e| AppError::from(e).as_json(json))?;
    let Some(contest) = contest else {
        return Err(AppError::not_found().as_json(json));
    };
    let mut values = HashMap::new();
    let result = accept(&state, &session, &req, &contest, payload, &mut values).await;
    let (video_id, refusal) = match result {
        Ok(id) => (id, None),
        Err(r) => (String::new(), Some(r)),
    };
    let Some(r) = refusal else {
        METRICS.uploads.with_label_values(&["accepted"]).inc();
        let page_url = format!("/c/{}/v/{}", contest.slug, video_id);
        if json {
            return Ok(HttpResponse::Created()
                .insert_header(("Location", page_url.clone()))
                .json(serde_json::json!({
                    "id": video_id,
                    "status_url": format!("/api/videos/{video_id}"),
                    "page_url": page_url,
                })));
        }
        return Ok(super::see_other(&page_url));
    };
    METRICS
        .uploads
        .with_label_values(&[r.status.as_str()])
        .inc();
    tracing::info!(status = r.status.as_u16(), field = r.field, reason = %r.message, "upload refused");
    if json {
        let mut res = HttpResponse::build(r.status);
        if let Some(secs) = r.retry_after {
            res.insert_header(("Retry-After", secs.to_string()));
        }
        return Ok(res.json(serde_json::json!({ "error": r.message, "field": r.field })));
    }
    // A browser gets the contest page back with the message next to the field and its values kept.
    values.remove("csrf_token");
    let mut form = Form {
        values,
        ..Form::default()
    };
    form.set_error(r.field, r.message);
    let retry_after = r.retry_after;
    let mut res = render_contest(&state, &session, &contest, 1, None, form, r.status).await?;
    if let Some(secs) = retry_after {
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(secs),
        );
    }
    Ok(res)
}

async fn accept(
    state: &AppState,
    session: &Session,
    req: &HttpRequest,
    contest: &Contest,
    mut payload: Multipart,
    values: &mut HashMap<String, String>,
) -> Result<String, Refusal> {
    let max = state.settings.upload.max_bytes;
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "video",
            Lang::current().tf("err.too_large", max / (1024 * 1024)),
        )
    };
    // Refuse what we can before reading the body.
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max.saturating_add(1024 * 1024)) {
        return Err(too_large());
    }
    if !contest.is_open_at(now_ms()) {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form",
            Lang::current().t("err.not_accepting"),
        ));
    }
    let unreadable = || {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "form",
            Lang::current().t("err.unreadable"),
        )
    };
    while let Some(field) = payload.next().await {
        let field = field.map_err(|_| unreadable())?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "video" {
            let has_file = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .is_some_and(|f| !f.is_empty());
            if !has_file {
                continue;
            }
            // Every other field comes first (the form puts the file last): check them before
            // taking a single byte of video.
            security::check_csrf(session, values.get("csrf_token").map(String::as_str))?;
            let entry = parse_entry(values)?;
            let db = &state.backends.db;
            if db
                .title_taken(&contest.id, &entry.title.key())
                .await
                .map_err(AppError::from)?
            {
                return Err(duplicate());
            }
            return store(state, contest, entry, field, max).await;
        }
        if TEXT_FIELDS.contains(&name.as_str()) {
            values.insert(name, read_text(field).await?);
        } else {
            // Unknown fields are drained and ignored.
            field
                .try_for_each(|_| async { Ok(()) })
                .await
                .map_err(|_| unreadable())?;
        }
    }
    security::check_csrf(session, values.get("csrf_token").map(String::as_str))?;
    parse_entry(values)?;
    Err(Refusal::new(
        StatusCode::BAD_REQUEST,
        "video",
        Lang::current().t("err.no_file"),
    ))
}

fn duplicate() -> Refusal {
    Refusal::new(
        StatusCode::CONFLICT,
        "title",
        Lang::current().t("err.duplicate_title"),
    )
}

async fn read_text(mut field: Field) -> Result<String, Refusal> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "form",
                Lang::current().t("err.unreadable"),
            )
        })?;
        if buf.len() + chunk.len() > MAX_TEXT_FIELD {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "form",
                "A text field is too long.",
            ));
        }
        buf.extend_from_slice(&chunk);
    }
    String::from_utf8(buf).map_err(|_| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "form",
            "The form must be sent as UTF-8 text.",
        )
    })
}

/// Streams the file into storage, checks it by content, then writes the video and its job.
async fn store(
    state: &AppState,
    contest: &Contest,
    entry: Entry,
    field: Field,
    max: u64,
) -> Result<String, Refusal> {
    let b = &state.backends;
    let id = new_id().to_string();
    let key = keys::original(&id);
    // actix's payload is not `Send`; storage backends take a `Send` stream. A small bounded channel
    // bridges the two inside this handler's future (at most a few chunks in memory).
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, StorageError>>(4);
    let pump = async move {
        let mut field = field;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| StorageError::Client(e.to_string()));
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
        Err(StorageError::TooLarge { .. }) => {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "video",
                Lang::current().tf("err.too_large", max / (1024 * 1024)),
            ))
        }
        Err(StorageError::Client(_)) => {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "video",
                Lang::current().t("err.interrupted"),
            ))
        }
        Err(e) => return Err(AppError::internal(e).into()),
    };
    // From here on the file exists: every refusal removes it.
    let remove = || async {
        if let Err(e) = b.storage.delete(&key).await {
            tracing::warn!(error = %e, key, "could not remove refused upload");
        }
    };
    if size == 0 {
        remove().await;
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "video",
            Lang::current().t("err.empty"),
        ));
    }
    let media = &state.settings.media;
    // ffprobe and the decode check are CPU work on the web tier: a few at a time; an upload that
    // cannot get a slot soon is told to come back (its file is removed).
    let wait = std::time::Duration::from_millis(media.check_wait_ms);
    let Ok(Ok(slot)) = tokio::time::timeout(wait, state.media_checks.acquire()).await else {
        remove().await;
        let mut busy = Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "video",
            Lang::current().t("err.busy"),
        );
        busy.retry_after = Some(10);
        return Err(busy);
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
            remove().await;
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "video",
                Lang::current().rejection(&r),
            ));
        }
        Err(ProbeError::Process(e)) => {
            remove().await;
            return Err(AppError::internal(e).into());
        }
    };
    let new = NewVideo {
        id: id.clone(),
        contest_id: contest.id.clone(),
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
    match b.db.create_video_with_job(&new).await {
        Ok(()) => {
            b.queue.wake();
            tracing::info!(video_id = %id, size, "upload accepted");
            Ok(id)
        }
        Err(DbError::Duplicate(_)) => {
            remove().await;
            Err(duplicate())
        }
        Err(e) => {
            remove().await;
            Err(AppError::internal(e).into())
        }
    }
}
