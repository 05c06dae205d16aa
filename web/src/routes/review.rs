//! Review before publishing: the organizer approves entries (one, or many from the dashboard's
//! queue) or rejects one with an optional message mailed to the participant. CSRF first, then
//! ownership (403), then the entry must belong to the contest (404).
use actix_session::Session;
use actix_web::web;
use serde::Deserialize;
use shared::db::Video;
use shared::domain::{ContestId, VideoId};

use super::{owned_contest, require_user, see_other, AppState, State};
use crate::error::{AppError, AppResult};
use crate::security;

/// The longest rejection message (characters; the column holds 1000).
pub const MAX_MESSAGE_CHARS: usize = 1000;

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf_token: Option<String>,
    /// `dashboard` sends the organizer back to the review queue; anything else to the contest.
    back: Option<String>,
    message: Option<String>,
}

fn back(form_back: Option<&str>, slug: &str) -> actix_web::HttpResponse {
    match form_back {
        Some("dashboard") => see_other("/dashboard#review"),
        _ => see_other(&format!("/c/{slug}#organizer")),
    }
}

async fn entry(state: &AppState, contest_id: &ContestId, id: &VideoId) -> Result<Video, AppError> {
    state
        .backends
        .db
        .video_by_id(id)
        .await?
        .filter(|v| v.contest_id == *contest_id)
        .ok_or_else(AppError::not_found)
}

/// `POST /c/{slug}/v/{id}/approve`.
pub async fn approve(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    form: web::Form<ReviewForm>,
) -> AppResult {
    security::check_csrf(&session, form.csrf_token.as_deref())?;
    let (slug, id) = path.into_inner();
    let (_, contest) = owned_contest(&session, &state, &slug).await?;
    let video = entry(&state, &contest.id, &id).await?;
    state
        .backends
        .db
        .approve_entries(&contest.id, &[video.id])
        .await?;
    Ok(back(form.back.as_deref(), &contest.slug))
}

/// `POST /c/{slug}/v/{id}/reject` (`message` optional): the participant is mailed once, in
/// the language they entered in, through the mail outbox (and its per-recipient cap).
pub async fn reject(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    form: web::Form<ReviewForm>,
) -> AppResult {
    security::check_csrf(&session, form.csrf_token.as_deref())?;
    let (slug, id) = path.into_inner();
    let (_, contest) = owned_contest(&session, &state, &slug).await?;
    let video = entry(&state, &contest.id, &id).await?;
    let message = shared::domain::BoundedText::parse(
        "message",
        "review.message",
        form.message.as_deref().unwrap_or(""),
        false,
        MAX_MESSAGE_CHARS,
    )
    .map_err(|e| AppError::Validation {
        field: "message",
        message: crate::i18n::Lang::current().field_error(&e),
    })?
    .into_string();
    let message = (!message.is_empty()).then_some(message);
    let email = shared::mail::compose::rejected(
        state.settings.base_url(),
        &contest,
        &video,
        message.as_deref(),
    )
    .map_err(AppError::unexpected)?;
    let db = &state.backends.db;
    if db
        .reject_entry(&contest.id, &video.id, message.as_deref(), &email)
        .await?
    {
        state.backends.queue.wake();
        tracing::info!(video_id = %video.id, "entry rejected");
    }
    Ok(back(form.back.as_deref(), &contest.slug))
}

/// `POST /dashboard/approve`: the queue's checked entries (`video`, repeated), possibly of
/// several contests, all of this organizer's or none (403), at most `limits.review_batch_max`.
pub async fn bulk_approve(
    state: State,
    session: Session,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult {
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    security::check_csrf(&session, field("csrf_token"))?;
    let user = require_user(&session, &state).await?;
    let ids: Vec<&str> = form
        .iter()
        .filter(|(n, _)| n == "video")
        .map(|(_, v)| v.as_str())
        .collect();
    // A value that is not a video id names no entry: 404 like an unknown id.
    let ids = ids
        .into_iter()
        .map(|id| id.parse::<VideoId>().map_err(|_| AppError::not_found()))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(AppError::invalid("video", "review.err_none_selected"));
    }
    let max = state.settings.limits.review_batch_max;
    if ids.len() > max {
        return Err(AppError::Validation {
            field: "video",
            message: crate::i18n::Lang::current().tf("review.err_too_many", "max", max),
        });
    }
    let db = &state.backends.db;
    // Grouped per contest, every ownership checked before anything changes.
    let mut by_contest: Vec<(ContestId, Vec<VideoId>)> = Vec::new();
    for id in ids {
        let video = db.video_by_id(&id).await?.ok_or_else(AppError::not_found)?;
        let contest = db
            .contest_by_id(&video.contest_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        if contest.owner_id != user.id {
            return Err(AppError::forbidden_key("error.msg_not_owner"));
        }
        match by_contest.iter_mut().find(|(c, _)| *c == contest.id) {
            Some((_, list)) => list.push(video.id),
            None => by_contest.push((contest.id, vec![video.id])),
        }
    }
    for (contest_id, list) in by_contest {
        db.approve_entries(&contest_id, &list).await?;
    }
    Ok(see_other("/dashboard#review"))
}
