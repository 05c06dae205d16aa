use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use futures::StreamExt;
use shared::db::{Contest, NewContest};
use shared::domain::{new_id, BoundedText, ContestSlug};
use shared::error::DbError;
use shared::storage::keys;
use shared::time::{display, now_ms, parse_input, to_input};

use super::{layout, owned_contest, require_user, see_other, AppState, State};
use crate::error::{html, AppError, AppResult};
use crate::i18n::Lang;
use crate::security;
use crate::views::{ContestFormPage, DashboardPage, DashboardRow, Form};

pub use super::videos::show_contest as show;

pub async fn dashboard(state: State, session: Session) -> AppResult {
    let user = match require_user(&session, &state).await {
        Ok(u) => u,
        Err(_) => return Ok(see_other("/login")),
    };
    let db = &state.backends.db;
    let mut counts: HashMap<String, DashboardRow> = HashMap::new();
    let contests = db.contests_of(&user.id).await?;
    for c in &contests {
        counts.insert(
            c.id.clone(),
            DashboardRow {
                slug: c.slug.clone(),
                name: c.name.clone(),
                dates: format!("{} – {}", display(c.starts_at), display(c.ends_at)),
                queued: 0,
                processing: 0,
                converted: 0,
                failed: 0,
                hidden: 0,
            },
        );
    }
    for (contest_id, st, hidden, n) in db.video_counts(&user.id).await? {
        if let Some(row) = counts.get_mut(&contest_id) {
            if hidden != 0 {
                row.hidden += n;
            }
            match st.as_str() {
                "queued" => row.queued += n,
                "processing" => row.processing += n,
                "converted" => row.converted += n,
                _ => row.failed += n,
            }
        }
    }
    let rows = contests
        .iter()
        .filter_map(|c| counts.remove(&c.id))
        .collect();
    html(
        StatusCode::OK,
        &DashboardPage {
            layout: layout(&session, &state).await?,
            rows,
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
        },
    )
}

pub async fn new_form(state: State, session: Session) -> AppResult {
    if require_user(&session, &state).await.is_err() {
        return Ok(see_other("/login"));
    }
    let mut form = Form::default();
    let now = now_ms();
    form.values
        .insert("starts_at".into(), to_input(now - now % 3_600_000));
    form.values.insert(
        "ends_at".into(),
        to_input(now - now % 3_600_000 + 30 * 86_400_000),
    );
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
        ("starts_at", to_input(c.starts_at)),
        ("ends_at", to_input(c.ends_at)),
    ] {
        form.values.insert(k.into(), v);
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

/// Reads the contest form (multipart: text fields and an optional `banner`).
async fn read_form(
    mut payload: Multipart,
    max_banner: u64,
) -> Result<(Form, Option<Banner>), AppError> {
    let mut form = Form::default();
    let mut banner = None;
    while let Some(field) = payload.next().await {
        let mut field = field
            .map_err(|_| AppError::keyed(StatusCode::BAD_REQUEST, "error.msg_unreadable_form"))?;
        let name = field.name().unwrap_or_default().to_string();
        let is_banner = name == "banner";
        let cap = if is_banner { max_banner } else { 64 * 1024 };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| {
                AppError::keyed(StatusCode::BAD_REQUEST, "error.msg_unreadable_form")
            })?;
            if (buf.len() + chunk.len()) as u64 > cap {
                if is_banner {
                    form.set_error(
                        "banner",
                        Lang::current().tf("cform.err_banner_size", max_banner / (1024 * 1024)),
                    );
                    buf.clear();
                    // Skip the rest of this field.
                    while let Some(c) = field.next().await {
                        c.map_err(|_| {
                            AppError::keyed(StatusCode::BAD_REQUEST, "error.msg_unreadable_form")
                        })?;
                    }
                    break;
                }
                return Err(AppError::bad_request(format!(
                    "The field {name} is too long."
                )));
            }
            buf.extend_from_slice(&chunk);
        }
        if is_banner {
            if buf.is_empty() {
                continue;
            }
            let ext = match imagesize::image_type(&buf) {
                Ok(imagesize::ImageType::Png) => Some("png"),
                Ok(imagesize::ImageType::Jpeg) => Some("jpg"),
                Ok(imagesize::ImageType::Gif) => Some("gif"),
                Ok(imagesize::ImageType::Webp) => Some("webp"),
                _ => None,
            };
            match ext {
                None => form.set_error("banner", Lang::current().t("cform.err_banner_type")),
                Some(_) if imagesize::blob_size(&buf).is_err() => {
                    form.set_error("banner", Lang::current().t("cform.err_banner_damaged"))
                }
                Some(ext) => banner = Some(Banner { bytes: buf, ext }),
            }
        } else {
            form.values
                .insert(name, String::from_utf8_lossy(&buf).into_owned());
        }
    }
    Ok((form, banner))
}

/// Turns the form into contest values, recording a message per bad field.
fn parse_contest(form: &mut Form) -> Option<NewContest> {
    let lang = Lang::current();
    let name = BoundedText::parse("name", "Name", form.value("name"), true, 200);
    let slug_raw = if form.value("slug").trim().is_empty() {
        ContestSlug::suggest(form.value("name"))
    } else {
        form.value("slug").trim().to_string()
    };
    form.values.insert("slug".into(), slug_raw.clone());
    let slug = ContestSlug::parse(&slug_raw);
    let description = BoundedText::parse(
        "description",
        "Description",
        form.value("description"),
        false,
        5000,
    );
    let prize = BoundedText::parse("prize", "Prize", form.value("prize"), false, 500);
    let starts = parse_input(form.value("starts_at"));
    let ends = parse_input(form.value("ends_at"));
    for e in [
        name.as_ref().err(),
        description.as_ref().err(),
        prize.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        form.set_error(e.field, lang.field_error(e));
    }
    if let Err(e) = &slug {
        form.set_error("slug", lang.field_error(e));
    }
    if starts.is_none() {
        form.set_error("starts_at", lang.t("cform.err_starts"));
    }
    if ends.is_none() {
        form.set_error("ends_at", lang.t("cform.err_ends"));
    }
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            form.set_error("ends_at", lang.t("cform.err_order"));
        }
    }
    if !form.errors.is_empty() {
        return None;
    }
    Some(NewContest {
        slug: slug.ok()?.as_str().to_string(),
        name: name.ok()?.into_string(),
        description: description.ok()?.into_string(),
        prize: prize.ok()?.into_string(),
        starts_at: starts?,
        ends_at: ends?,
    })
}

async fn store_banner(state: &AppState, contest_id: &str, b: Banner) -> Result<String, AppError> {
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

pub async fn create(state: State, session: Session, payload: Multipart) -> AppResult {
    let user = require_user(&session, &state).await?;
    let (mut form, banner) = read_form(payload, state.settings.upload.max_banner_bytes).await?;
    security::check_csrf(&session, form.values.get("csrf_token").map(String::as_str))?;
    let Some(values) = parse_contest(&mut form) else {
        return form_page(&state, &session, None, form, None, StatusCode::BAD_REQUEST).await;
    };
    let id = new_id().to_string();
    let banner_key = match banner {
        Some(b) => Some(store_banner(&state, &id, b).await?),
        None => None,
    };
    match state
        .backends
        .db
        .create_contest(&id, &user.id, &values, banner_key.as_deref())
        .await
    {
        Ok(()) => Ok(see_other(&format!("/c/{}", values.slug))),
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
    payload: Multipart,
) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let (mut form, banner) = read_form(payload, state.settings.upload.max_banner_bytes).await?;
    security::check_csrf(&session, form.values.get("csrf_token").map(String::as_str))?;
    let current_banner = banner_url(&state, &contest).await?;
    let Some(values) = parse_contest(&mut form) else {
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
        .update_contest(&contest.id, &values, banner_key.as_deref())
        .await
    {
        Ok(()) => {
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
    let video_ids = b.db.video_keys_of_contest(&contest.id).await?;
    b.db.delete_contest(&contest.id).await?;
    // The rows are gone first (nothing links to the files any more); then the files.
    for id in video_ids {
        super::videos::delete_files(&state, &id).await;
    }
    if let Err(e) = b
        .storage
        .delete_prefix(&format!("banners/{}", contest.id))
        .await
    {
        tracing::warn!(error = %e, "could not delete banner files");
    }
    Ok(see_other("/dashboard"))
}
