//! The judge's side: accepting an invitation (`/jury/invite/{token}`: set a password, or log in
//! with an existing account), the contests they judge (`/jury`), a contest's entries
//! (`/c/{slug}/jury`) and scoring one (`/c/{slug}/jury/v/{id}`). A judge sees only their own
//! scores until the organizer closes judging; then everyone's, and scoring stops (422).
use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;
use shared::db::{Contest, Judge, User};
use shared::domain::{BoundedText, EmailAddress, VideoId};
use shared::error::DbError;

use super::jury::{eligible_entries, standing};
use super::{layout, require_user, see_other, AppState, State};
use crate::error::{html, AppError, AppResult};
use crate::i18n::Lang;
use crate::security::{self, MIN_PASSWORD};
use crate::views::{
    Form, InvitePage, JudgeEntry, JudgePage, JuryListPage, ScoreCriterion, ScorePage,
};

/// The logged-in user's judge row for the contest: 401 when logged out, 403 when not a judge
/// of it, 404 when there is no such contest.
async fn judge_of(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<(User, Contest, Judge), AppError> {
    let user = require_user(session, state).await?;
    let db = &state.backends.db;
    let contest = db
        .contest_by_slug(slug)
        .await?
        .ok_or_else(AppError::not_found)?;
    let judge = db
        .judge_for(&contest.id, &user.id)
        .await?
        .ok_or_else(|| AppError::forbidden_key("jury.err_not_judge"))?;
    Ok((user, contest, judge))
}

/// `GET /jury`: the contests this user judges.
pub async fn my_juries(state: State, session: Session) -> AppResult {
    let user = match require_user(&session, &state).await {
        Ok(u) => u,
        Err(_) => return Ok(see_other("/login")),
    };
    let contests = state.backends.db.contests_judged_by(&user.id).await?;
    html(
        StatusCode::OK,
        &JuryListPage {
            layout: layout(&session, &state).await?,
            contests: contests
                .into_iter()
                .map(|c| (c.slug, c.name, c.judging_closed_at.is_some()))
                .collect(),
        },
    )
}

/// `GET /c/{slug}/jury`: the entries to score, with this judge's progress; once judging is
/// closed, the whole jury's standing.
pub async fn home(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let (_, contest, judge) = judge_of(&state, &session, &path).await?;
    let db = &state.backends.db;
    let criteria = db.criteria(&contest.id).await?;
    let scores = db.contest_scores(&contest.id).await?;
    let mut mine: HashMap<&str, usize> = HashMap::new();
    for s in scores.iter().filter(|s| s.judge_id == judge.id) {
        *mine.entry(s.video_id.as_str()).or_default() += 1;
    }
    let entries: Vec<JudgeEntry> = eligible_entries(&state, &contest)
        .await?
        .into_iter()
        .map(|v| JudgeEntry {
            done: !criteria.is_empty()
                && mine.get(v.id.to_string().as_str()) == Some(&criteria.len()),
            id: v.id,
            title: v.title,
            author: format!("{} {}", v.first_name, v.last_name),
        })
        .collect();
    let closed = contest.judging_closed_at.is_some();
    let standing = if closed {
        Some(standing(&state, &contest).await?)
    } else {
        None
    };
    html(
        StatusCode::OK,
        &JudgePage {
            layout: layout(&session, &state).await?,
            slug: contest.slug.clone(),
            name: contest.name.clone(),
            done: entries.iter().filter(|e| e.done).count(),
            entries,
            has_rubric: !criteria.is_empty(),
            closed,
            standing,
        },
    )
}

async fn score_page(
    state: &AppState,
    session: &Session,
    contest: &Contest,
    judge: &Judge,
    video: &shared::db::Video,
    form: Option<Form>,
    status: StatusCode,
) -> AppResult {
    let db = &state.backends.db;
    let criteria = db.criteria(&contest.id).await?;
    let form = match form {
        Some(f) => f,
        None => {
            let (scores, comment) = db.my_scores(&judge.id, &video.id).await?;
            let mut f = Form::default();
            for (c, s) in scores {
                f.values.insert(format!("score_{c}"), s.to_string());
            }
            f.values
                .insert("comment".into(), comment.unwrap_or_default());
            f
        }
    };
    let urls = super::videos::public_media(state, video).await?;
    html(
        status,
        &ScorePage {
            layout: layout(session, state).await?,
            slug: contest.slug.clone(),
            contest_name: contest.name.clone(),
            id: video.id,
            title: video.title.clone(),
            author: format!("{} {}", video.first_name, video.last_name),
            description: video.description.clone(),
            mp4_url: urls.as_ref().map(|u| u.mp4.clone()),
            poster_url: urls.as_ref().map(|u| u.poster.clone()),
            criteria: criteria
                .into_iter()
                .map(|c| ScoreCriterion {
                    field: format!("score_{}", c.id),
                    id: c.id,
                    name: c.name,
                    description: c.description,
                })
                .collect(),
            closed: contest.judging_closed_at.is_some(),
            form,
        },
    )
}

async fn entry_of(
    state: &AppState,
    contest: &Contest,
    id: &VideoId,
) -> Result<shared::db::Video, AppError> {
    state
        .backends
        .db
        .video_by_id(id)
        .await?
        .filter(|v| v.contest_id == contest.id && v.is_public())
        .ok_or_else(AppError::not_found)
}

/// `GET /c/{slug}/jury/v/{id}`: the entry with the scoring form (this judge's scores).
pub async fn score_form(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
) -> AppResult {
    let (slug, id) = path.into_inner();
    let (_, contest, judge) = judge_of(&state, &session, &slug).await?;
    let video = entry_of(&state, &contest, &id).await?;
    score_page(
        &state,
        &session,
        &contest,
        &judge,
        &video,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /c/{slug}/jury/v/{id}`: `score_{criterion_id}` = 1..5 for every criterion, optional
/// `comment` (≤ 1000 characters). Replaces this judge's earlier scores of the entry.
pub async fn score_save(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    body: web::Form<Vec<(String, String)>>,
) -> AppResult {
    let field = |k: &str| body.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    security::check_csrf(&session, field("csrf_token"))?;
    let (slug, id) = path.into_inner();
    let (_, contest, judge) = judge_of(&state, &session, &slug).await?;
    let video = entry_of(&state, &contest, &id).await?;
    if contest.judging_closed_at.is_some() {
        return Err(AppError::Unprocessable {
            message: Lang::current().t("jury.err_closed"),
        });
    }
    let lang = Lang::current();
    let criteria = state.backends.db.criteria(&contest.id).await?;
    if criteria.is_empty() {
        return Err(AppError::Unprocessable {
            message: lang.t("jury.err_no_rubric"),
        });
    }
    let mut form = Form::default();
    let mut scores = Vec::with_capacity(criteria.len());
    for c in &criteria {
        let key = format!("score_{}", c.id);
        let raw = field(&key).unwrap_or("").trim().to_string();
        match raw.parse::<i64>().ok().filter(|s| (1..=5).contains(s)) {
            Some(s) => scores.push((c.id.clone(), s)),
            None => form.set_error(&key, lang.tf("jury.err_score", "criterion", &c.name)),
        }
        form.values.insert(key, raw);
    }
    let comment_raw = field("comment").unwrap_or("");
    form.values
        .insert("comment".into(), comment_raw.to_string());
    let comment = match BoundedText::parse("comment", "jury.comment", comment_raw, false, 1000) {
        Ok(c) => c.into_string(),
        Err(e) => {
            form.set_error("comment", lang.field_error(&e));
            String::new()
        }
    };
    if !form.errors.is_empty() {
        return score_page(
            &state,
            &session,
            &contest,
            &judge,
            &video,
            Some(form),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    state
        .backends
        .db
        .save_scores(
            &judge.id,
            &video.id,
            &scores,
            (!comment.is_empty()).then_some(comment.as_str()),
        )
        .await?;
    Ok(see_other(&format!(
        "/c/{}/jury#v-{}",
        contest.slug, video.id
    )))
}

/// The unused, unexpired invitation behind a token.
async fn invitation(state: &AppState, token: &str) -> Result<Option<(Judge, Contest)>, AppError> {
    let db = &state.backends.db;
    let Some(judge) = db.judge_by_token(&security::token_hash(token)).await? else {
        return Ok(None);
    };
    Ok(db
        .contest_by_id(&judge.contest_id)
        .await?
        .map(|c| (judge, c)))
}

/// The page for a link that was used, expired or never existed (404).
async fn invite_gone(state: &AppState, session: &Session) -> AppResult {
    html(
        StatusCode::NOT_FOUND,
        &InvitePage {
            layout: layout(session, state).await?,
            gone: true,
            contest_name: String::new(),
            email: String::new(),
            has_account: false,
            form: Form::default(),
            min_password: MIN_PASSWORD,
        },
    )
}

async fn invite_page(
    state: &AppState,
    session: &Session,
    judge: &Judge,
    contest: &Contest,
    form: Form,
    status: StatusCode,
) -> AppResult {
    let email = invited_address(judge)?;
    let has_account = state.backends.db.user_by_email(&email).await?.is_some();
    html(
        status,
        &InvitePage {
            layout: layout(session, state).await?,
            gone: false,
            contest_name: contest.name.clone(),
            email: judge.email.clone(),
            has_account,
            form,
            min_password: MIN_PASSWORD,
        },
    )
}

/// The judge's address (valid: it was parsed when the organizer invited it).
fn invited_address(judge: &Judge) -> Result<EmailAddress, AppError> {
    EmailAddress::parse("email", &judge.email).map_err(AppError::internal)
}

/// `GET /jury/invite/{token}`.
pub async fn invite_get(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let Some((judge, contest)) = invitation(&state, &path).await? else {
        return invite_gone(&state, &session).await;
    };
    invite_page(
        &state,
        &session,
        &judge,
        &contest,
        Form::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct AcceptForm {
    csrf_token: Option<String>,
    #[serde(default)]
    password: String,
}

/// `POST /jury/invite/{token}` (`password`): a new account for the invited address with this
/// password, or, when the address has an account, that account's password (counted like a
/// login). Then the token is used up, the judge is logged in and lands on the contest's jury
/// page.
pub async fn invite_post(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<AcceptForm>,
) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let token = path.into_inner();
    let Some((judge, contest)) = invitation(&state, &token).await? else {
        return invite_gone(&state, &session).await;
    };
    let db = &state.backends.db;
    let lang = Lang::current();
    let email = invited_address(&judge)?;
    let mut form = Form::default();
    let user = match db.user_by_email(&email).await? {
        Some(existing) => {
            let limits = &state.settings.limits;
            let bucket = crate::limits::login_bucket(email.as_str());
            crate::limits::check_bucket(
                db,
                &bucket,
                limits.login_failures_per_account,
                limits.login_failure_window_secs,
                "limit.account",
            )
            .await?;
            let ok = state
                .hasher
                .verify(body.password.clone(), Some(existing.password_hash.clone()))
                .await?;
            if !ok {
                db.rate_record(&bucket).await?;
                form.set_error("password", lang.t("auth.mismatch"));
                return invite_page(
                    &state,
                    &session,
                    &judge,
                    &contest,
                    form,
                    StatusCode::UNAUTHORIZED,
                )
                .await;
            }
            existing
        }
        None => {
            if let Err(m) = security::check_password_rules(&body.password) {
                form.set_error("password", m);
                return invite_page(
                    &state,
                    &session,
                    &judge,
                    &contest,
                    form,
                    StatusCode::BAD_REQUEST,
                )
                .await;
            }
            let hash = state.hasher.hash(body.password.clone()).await?;
            match db.create_user(&email, &hash).await {
                Ok(u) => u,
                // Someone registered the address meanwhile: they log in with it instead.
                Err(DbError::Duplicate(_)) => {
                    return invite_page(
                        &state,
                        &session,
                        &judge,
                        &contest,
                        form,
                        StatusCode::CONFLICT,
                    )
                    .await
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    if !db
        .accept_invite(&judge.id, &security::token_hash(&token), &user.id)
        .await?
    {
        return invite_gone(&state, &session).await;
    }
    security::log_in(&session, &user.id)?;
    tracing::info!(judge_id = %judge.id, contest_id = %contest.id, "judge accepted the invitation");
    Ok(see_other(&format!("/c/{}/jury", contest.slug)))
}
