use actix_multipart::form::text::Text;
use actix_multipart::form::{FieldReader, Limits, MultipartForm, MultipartFormConfig};
use actix_multipart::{Field, MultipartError};
use actix_session::Session;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use futures::future::LocalBoxFuture;
use futures::{StreamExt, TryStreamExt};
use shared::db::{Contest, ContestSettings, NewContest};
use shared::domain::{new_id, BoundedText, ContestId, ContestSlug};
use shared::error::DbError;
use shared::storage::keys;
use shared::time::{now_ms, ContestZone, LocalTimeError};

use super::{layout, owned_contest, require_user, see_other, AppState, State};
use crate::error::{html, AppError, AppResult};
use crate::i18n::Lang;
use crate::security;
use crate::views::{ContestFormPage, DashboardPage, DashboardRow, Form, ReviewRow};

pub use super::videos::show_contest as show;

pub async fn dashboard(state: State, session: Session) -> AppResult {
    let user = match require_user(&session, &state).await {
        Ok(u) => u,
        Err(_) => return Ok(see_other("/login")),
    };
    let db = &state.backends.db;
    let contests = db.contests_of(&user.id).await?;
    let mut counts = db.video_counts(&user.id).await?;
    let awaiting: std::collections::HashMap<ContestId, i64> = db
        .awaiting_review_counts(&user.id)
        .await?
        .into_iter()
        .collect();
    let rows = contests
        .iter()
        .map(|c| {
            let n = counts.remove(&c.id).unwrap_or_default();
            DashboardRow {
                slug: c.slug.clone(),
                name: c.name.clone(),
                dates: format!(
                    "{} – {}",
                    c.zone().display(c.starts_at),
                    c.zone().display(c.ends_at)
                ),
                awaiting_review: awaiting.get(&c.id).copied().unwrap_or(0),
                queued: n.queued,
                processing: n.processing,
                converted: n.converted,
                failed: n.failed,
                hidden: n.hidden,
            }
        })
        .collect();
    let limit = i64::try_from(state.settings.limits.review_batch_max).unwrap_or(100);
    let queue = db
        .review_queue(&user.id, limit)
        .await?
        .into_iter()
        .map(|q| {
            let zone = ContestZone::from_stored(&q.time_zone);
            ReviewRow {
                author: format!("{} {}", q.first_name, q.last_name),
                converted: q.converted_at.map(|t| zone.display(t)).unwrap_or_default(),
                id: q.id,
                title: q.title,
                email: q.email,
                contest_slug: q.contest_slug,
                contest_name: q.contest_name,
            }
        })
        .collect();
    html(
        StatusCode::OK,
        &DashboardPage {
            layout: layout(&session, &state).await?,
            rows,
            queue,
            judging: db
                .contests_judged_by(&user.id)
                .await?
                .into_iter()
                .map(|c| (c.slug, c.name))
                .collect(),
        },
    )
}

async fn form_page(
    state: &AppState,
    session: &Session,
    editing: Option<String>,
    form: Form,
    banner_url: Option<String>,
    status: StatusCode,
) -> AppResult {
    html(
        status,
        &ContestFormPage {
            layout: layout(session, state).await?,
            editing,
            form,
            banner_url,
            max_banner_mb: state.settings.upload.max_banner_bytes / (1024 * 1024),
            zones: ContestZone::all_names().collect(),
            digest_minutes: state.settings.digest.interval_secs.div_ceil(60),
        },
    )
}

pub async fn new_form(state: State, session: Session) -> AppResult {
    if require_user(&session, &state).await.is_err() {
        return Ok(see_other("/login"));
    }
    let mut form = Form::default();
    let now = now_ms();
    let utc = ContestZone::default();
    form.values
        .insert("starts_at".into(), utc.to_input(now - now % 3_600_000));
    form.values.insert(
        "ends_at".into(),
        utc.to_input(now - now % 3_600_000 + 30 * 86_400_000),
    );
    form.values.insert("time_zone".into(), utc.name().into());
    form.values.insert(
        "entries_per_email".into(),
        state.settings.limits.default_entries_per_email.to_string(),
    );
    // New contests mail their organizer about new entries unless they untick it: batched, it
    // is a few mails a day at most, and without it entries wait unseen until someone looks.
    form.values.insert("notify_entries".into(), "1".into());
    form_page(&state, &session, None, form, None, StatusCode::OK).await
}

pub async fn edit_form(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let (_, c) = owned_contest(&session, &state, &path).await?;
    let mut form = Form::default();
    for (k, v) in [
        ("name", c.name.clone()),
        ("slug", c.slug.clone()),
        ("description", c.description.clone()),
        ("prize", c.prize.clone()),
        ("starts_at", c.zone().to_input(c.starts_at)),
        ("ends_at", c.zone().to_input(c.ends_at)),
        ("entries_per_email", c.entries_per_email.to_string()),
        ("time_zone", c.zone().name().to_string()),
        ("terms", c.terms.clone()),
    ] {
        form.values.insert(k.into(), v);
    }
    if c.reviews_entries() {
        form.values.insert("review_required".into(), "1".into());
    }
    if c.digests_entries() {
        form.values.insert("notify_entries".into(), "1".into());
    }
    let banner = banner_url(&state, &c).await?;
    form_page(&state, &session, Some(c.slug), form, banner, StatusCode::OK).await
}

async fn banner_url(state: &AppState, c: &Contest) -> Result<Option<String>, AppError> {
    Ok(match &c.banner_key {
        Some(k) => Some(state.backends.storage.public_url(k).await?),
        None => None,
    })
}

/// A banner image read from the form: checked to be an image by its content, size-capped.
struct Banner {
    bytes: Vec<u8>,
    ext: &'static str,
}

/// The contest form, read with actix-multipart's `MultipartForm`: only these fields, each at most
/// once (anything else is refused at its first byte), each text field with its own cap, and the
/// whole body bounded by [`contest_form_config`]. Nothing beyond those bounds is read.
#[derive(MultipartForm)]
#[multipart(deny_unknown_fields, duplicate_field = "deny")]
pub struct ContestForm {
    #[multipart(limit = "1KiB")]
    csrf_token: Option<Text<String>>,
    #[multipart(limit = "4KiB")]
    name: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    slug: Option<Text<String>>,
    #[multipart(limit = "32KiB")]
    description: Option<Text<String>>,
    #[multipart(limit = "4KiB")]
    prize: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    starts_at: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    ends_at: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    entries_per_email: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    remove_banner: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    time_zone: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    review_required: Option<Text<String>>,
    #[multipart(limit = "1KiB")]
    notify_entries: Option<Text<String>>,
    #[multipart(limit = "32KiB")]
    terms: Option<Text<String>>,
    banner: Option<BannerUpload>,
}

/// The banner part: kept in memory up to `upload.max_banner_bytes`; a larger one is drained
/// (still within the form's total limit) and reported as a field error, so the organizer gets
/// the form back with what they typed.
pub struct BannerUpload {
    bytes: Vec<u8>,
    oversized: bool,
}

impl<'t> FieldReader<'t> for BannerUpload {
    type Future = LocalBoxFuture<'t, Result<Self, MultipartError>>;

    fn read_field(req: &'t HttpRequest, mut field: Field, limits: &'t mut Limits) -> Self::Future {
        let max = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.upload.max_banner_bytes)
            .unwrap_or(0);
        Box::pin(async move {
            let mut bytes = Vec::new();
            let mut oversized = false;
            while let Some(chunk) = field.try_next().await? {
                limits.try_consume_limits(chunk.len(), !oversized)?;
                if oversized {
                    continue;
                }
                if (bytes.len() + chunk.len()) as u64 > max {
                    oversized = true;
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            Ok(Self { bytes, oversized })
        })
    }
}

/// Bounds of the contest form: the banner, as much again (at least 1 MiB) so a somewhat large
/// banner still gets a friendly field error, and the text allowance; beyond, a 413 page.
pub fn contest_form_config(settings: &shared::Settings) -> MultipartFormConfig {
    let banner = usize::try_from(settings.upload.max_banner_bytes).unwrap_or(usize::MAX / 4);
    let total = banner
        .saturating_add(banner.max(1024 * 1024))
        .saturating_add(settings.limits.contest_form_max_text_bytes);
    MultipartFormConfig::default()
        .total_limit(total)
        .memory_limit(total)
        .error_handler(|e, _| {
            let status = actix_web::ResponseError::status_code(&e);
            let err = match e {
                MultipartError::Payload(PayloadError::Overflow) => AppError::TooLarge {
                    field: "form",
                    message: Lang::current().t("error.msg_form_too_large"),
                },
                MultipartError::UnknownField(_) | MultipartError::DuplicateField(_) => {
                    AppError::invalid("form", "error.msg_form_fields")
                }
                _ if status == StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge {
                    field: "form",
                    message: Lang::current().t("error.msg_form_too_large"),
                },
                _ => AppError::unreadable_form(),
            };
            err.into()
        })
}

/// The submitted values as a re-showable form, and the banner if one was chosen and is valid.
fn read_form(f: ContestForm, max_banner: u64) -> (Form, Option<Banner>) {
    let mut form = Form::default();
    let texts = [
        ("csrf_token", f.csrf_token),
        ("name", f.name),
        ("slug", f.slug),
        ("description", f.description),
        ("prize", f.prize),
        ("starts_at", f.starts_at),
        ("ends_at", f.ends_at),
        ("entries_per_email", f.entries_per_email),
        ("remove_banner", f.remove_banner),
        ("time_zone", f.time_zone),
        ("review_required", f.review_required),
        ("notify_entries", f.notify_entries),
        ("terms", f.terms),
    ];
    for (k, v) in texts {
        if let Some(v) = v {
            form.values.insert(k.to_string(), v.into_inner());
        }
    }
    let mut banner = None;
    match f.banner {
        Some(b) if b.oversized => form.set_error(
            "banner",
            Lang::current().tf("cform.err_banner_size", "max", max_banner / (1024 * 1024)),
        ),
        Some(b) if !b.bytes.is_empty() => {
            let ext = match imagesize::image_type(&b.bytes) {
                Ok(imagesize::ImageType::Png) => Some("png"),
                Ok(imagesize::ImageType::Jpeg) => Some("jpg"),
                Ok(imagesize::ImageType::Gif) => Some("gif"),
                Ok(imagesize::ImageType::Webp) => Some("webp"),
                _ => None,
            };
            match ext {
                None => form.set_error("banner", Lang::current().t("cform.err_banner_type")),
                Some(_) if imagesize::blob_size(&b.bytes).is_err() => {
                    form.set_error("banner", Lang::current().t("cform.err_banner_damaged"))
                }
                Some(ext) => {
                    banner = Some(Banner {
                        bytes: b.bytes,
                        ext,
                    })
                }
            }
        }
        _ => {}
    }
    (form, banner)
}

/// The longest terms text (characters; the column holds 4000).
pub const MAX_TERMS_CHARS: usize = 4000;

/// Turns the form into contest values and settings, recording a message per bad field. Dates
/// are read in the time zone chosen on the same form (blank: UTC).
fn parse_contest(form: &mut Form, default_entries: u32) -> Option<(NewContest, ContestSettings)> {
    let lang = Lang::current();
    let zone_raw = form.value("time_zone").trim().to_string();
    let zone = if zone_raw.is_empty() {
        Some(ContestZone::default())
    } else {
        ContestZone::parse(&zone_raw)
    };
    if zone.is_none() {
        form.set_error("time_zone", lang.t("cform.err_time_zone"));
    }
    let terms = BoundedText::parse(
        "terms",
        "cform.terms",
        form.value("terms"),
        false,
        MAX_TERMS_CHARS,
    );
    let review_required = form.value("review_required") == "1";
    // A checkbox: absent means off (a client that does not send it gets no mail).
    let entry_digest = form.value("notify_entries") == "1";
    let entries = match form.value("entries_per_email").trim() {
        "" => Some(i64::from(default_entries)),
        v => v.parse::<i64>().ok().filter(|n| (1..=100).contains(n)),
    };
    if entries.is_none() {
        form.set_error("entries_per_email", lang.t("cform.err_entries"));
    }
    let name = BoundedText::parse("name", "cform.name", form.value("name"), true, 200);
    let slug_suggested = form.value("slug").trim().is_empty();
    let slug_raw = if slug_suggested {
        ContestSlug::suggest(form.value("name"))
    } else {
        form.value("slug").trim().to_string()
    };
    form.values.insert("slug".into(), slug_raw.clone());
    let slug = ContestSlug::parse(&slug_raw);
    let description = BoundedText::parse(
        "description",
        "cform.description",
        form.value("description"),
        false,
        5000,
    );
    let prize = BoundedText::parse("prize", "cform.prize", form.value("prize"), false, 500);
    // With an unknown zone the dates are still checked for their shape (in UTC).
    let read_zone = zone.unwrap_or_default();
    let starts = read_zone.parse_local(form.value("starts_at"));
    let ends = read_zone.parse_local(form.value("ends_at"));
    for e in [
        name.as_ref().err(),
        description.as_ref().err(),
        prize.as_ref().err(),
        terms.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        form.set_error(e.field, lang.field_error(e));
    }
    // A URL name derived from a missing or unusable name is not a second mistake: the name's
    // message says what to fix.
    if let Err(e) = &slug {
        if !(slug_suggested && name.is_err()) {
            form.set_error("slug", lang.field_error(e));
        }
    }
    for (field, parsed, unreadable) in [
        ("starts_at", &starts, "cform.err_starts"),
        ("ends_at", &ends, "cform.err_ends"),
    ] {
        match parsed {
            Err(LocalTimeError::Unreadable) => form.set_error(field, lang.t(unreadable)),
            Err(LocalTimeError::Skipped) => form.set_error(
                field,
                lang.tf("cform.err_skipped_time", "zone", read_zone.name()),
            ),
            Ok(_) => {}
        }
    }
    if let (Ok(s), Ok(e)) = (starts, ends) {
        if e <= s {
            form.set_error("ends_at", lang.t("cform.err_order"));
        }
    }
    if !form.errors.is_empty() {
        return None;
    }
    let values = NewContest {
        slug: slug.ok()?.as_str().to_string(),
        name: name.ok()?.into_string(),
        description: description.ok()?.into_string(),
        prize: prize.ok()?.into_string(),
        starts_at: starts.ok()?,
        ends_at: ends.ok()?,
        entries_per_email: entries?,
    };
    let settings = ContestSettings {
        time_zone: zone?,
        review_required,
        terms: terms.ok()?.into_string(),
        entry_digest,
        // The digest is written in the language the organizer uses the site in.
        digest_lang: lang.code().to_string(),
    };
    Some((values, settings))
}

async fn store_banner(
    state: &AppState,
    contest_id: &ContestId,
    b: Banner,
) -> Result<String, AppError> {
    let key = keys::banner(contest_id, &format!("{}.{}", new_id(), b.ext));
    let body = futures::stream::once(async move { Ok(bytes::Bytes::from(b.bytes)) }).boxed();
    state
        .backends
        .storage
        .put_stream(
            &key,
            "image/*",
            body,
            state.settings.upload.max_banner_bytes,
        )
        .await?;
    Ok(key)
}

pub async fn create(
    state: State,
    session: Session,
    payload: MultipartForm<ContestForm>,
) -> AppResult {
    let user = require_user(&session, &state).await?;
    let (mut form, banner) =
        read_form(payload.into_inner(), state.settings.upload.max_banner_bytes);
    security::check_csrf(&session, form.values.get("csrf_token").map(String::as_str))?;
    form.values.remove("csrf_token");
    let default_entries = state.settings.limits.default_entries_per_email;
    let Some((values, settings)) = parse_contest(&mut form, default_entries) else {
        // A chosen banner is not kept across the error page: the form says to choose it again.
        if banner.is_some() {
            form.values.insert("banner_dropped".into(), "1".into());
        }
        return form_page(&state, &session, None, form, None, StatusCode::BAD_REQUEST).await;
    };
    let id = ContestId::new();
    let banner_key = match banner {
        Some(b) => Some(store_banner(&state, &id, b).await?),
        None => None,
    };
    match state
        .backends
        .db
        .create_contest_with(&id, &user.id, &values, &settings, banner_key.as_deref())
        .await
    {
        // The contest page then says it is ready and offers its public link to copy.
        Ok(()) => Ok(see_other(&format!("/c/{}?created=1", values.slug))),
        Err(DbError::Duplicate(_)) => {
            if let Some(k) = banner_key {
                let _ = state.backends.storage.delete(&k).await;
            }
            form.set_error("slug", Lang::current().t("slug.taken"));
            form_page(&state, &session, None, form, None, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    state: State,
    session: Session,
    path: web::Path<String>,
    payload: MultipartForm<ContestForm>,
) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let (mut form, banner) =
        read_form(payload.into_inner(), state.settings.upload.max_banner_bytes);
    security::check_csrf(&session, form.values.get("csrf_token").map(String::as_str))?;
    form.values.remove("csrf_token");
    let current_banner = banner_url(&state, &contest).await?;
    let Some((values, settings)) = parse_contest(
        &mut form,
        u32::try_from(contest.entries_per_email).unwrap_or(3),
    ) else {
        if banner.is_some() {
            form.values.insert("banner_dropped".into(), "1".into());
        }
        return form_page(
            &state,
            &session,
            Some(contest.slug),
            form,
            current_banner,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let remove_banner = form.value("remove_banner") == "1";
    let new_banner = match banner {
        Some(b) => Some(store_banner(&state, &contest.id, b).await?),
        None => None,
    };
    let banner_key = match (&new_banner, remove_banner) {
        (Some(k), _) => Some(k.clone()),
        (None, true) => None,
        (None, false) => contest.banner_key.clone(),
    };
    match state
        .backends
        .db
        .update_contest(&contest.id, &values, &settings, banner_key.as_deref())
        .await
    {
        Ok(()) => {
            // Review switched off: what waited for it is published.
            if contest.reviews_entries() && !settings.review_required {
                let n = state.backends.db.approve_all_pending(&contest.id).await?;
                tracing::info!(contest_id = %contest.id, n, "review off: pending entries approved");
            }
            if let Some(old) = contest
                .banner_key
                .as_deref()
                .filter(|old| Some(*old) != banner_key.as_deref())
            {
                let _ = state.backends.storage.delete(old).await;
            }
            Ok(see_other(&format!("/c/{}", values.slug)))
        }
        Err(DbError::Duplicate(_)) => {
            if let Some(k) = new_banner {
                let _ = state.backends.storage.delete(&k).await;
            }
            form.set_error("slug", Lang::current().t("slug.taken"));
            form_page(
                &state,
                &session,
                Some(contest.slug),
                form,
                current_banner,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<super::CsrfForm>,
    _req: HttpRequest,
) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let b = &state.backends;
    let video_ids = b.db.video_ids_of_contest(&contest.id).await?;
    b.db.delete_contest(&contest.id).await?;
    // The rows are gone first (nothing links to the files any more); then the files.
    for id in video_ids {
        super::videos::delete_files(&state, &id).await;
    }
    if let Err(e) = b
        .storage
        .delete_prefix(&keys::banner_prefix(&contest.id))
        .await
    {
        tracing::warn!(error = %e, "could not delete banner files");
    }
    Ok(see_other("/dashboard"))
}
