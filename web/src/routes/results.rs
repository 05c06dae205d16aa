//! Results: the organizer picks the winners (places 1–3 and honorable mentions) with the jury's
//! ranking as a suggestion (`GET/POST /c/{slug}/winners`, owner only) and publishes them: the
//! public results page `/c/{slug}/results` (404 until then), a Winners section on top of the
//! contest page, and one email per winner (once, through the mail outbox).
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use shared::db::{Contest, NewEmail, Video, Winner};
use shared::domain::VideoId;

use super::jury::{eligible_entries, standing};
use super::{layout, owned_contest, see_other, AppState, CsrfForm, State};
use crate::error::{html, AppError, AppResult};
use crate::i18n::Lang;
use crate::security;
use crate::views::{Form, ResultsPage, WinnerCard, WinnersPage};

/// The public view of published winners (podium first), with their posters.
pub async fn winner_cards(
    state: &AppState,
    contest: &Contest,
) -> Result<Vec<WinnerCard>, AppError> {
    if contest.results_published_at.is_none() {
        return Ok(Vec::new());
    }
    let db = &state.backends.db;
    let mut out = Vec::new();
    for w in db.winners(&contest.id).await? {
        // An entry hidden or withdrawn after publication is not shown.
        let Some(v) = db.video_by_id(&w.video_id).await?.filter(Video::is_public) else {
            continue;
        };
        let poster_url = match &v.poster_key {
            Some(k) => Some(state.backends.storage.public_url(k).await?),
            None => None,
        };
        out.push(WinnerCard {
            place: w.place,
            id: v.id,
            title: v.title.clone(),
            author: format!("{} {}", v.first_name, v.last_name),
            poster_url,
        });
    }
    Ok(out)
}

/// `GET /c/{slug}/results`: 404 until the organizer publishes.
pub async fn public(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let contest = state
        .backends
        .db
        .contest_by_slug(&path)
        .await?
        .ok_or_else(AppError::not_found)?;
    if contest.results_published_at.is_none() {
        return Err(AppError::not_found());
    }
    let winners = winner_cards(&state, &contest).await?;
    let base = state.settings.base_url();
    html(
        StatusCode::OK,
        &ResultsPage {
            layout: layout(&session, &state).await?,
            slug: contest.slug.clone(),
            name: contest.name.clone(),
            prize: contest.prize.clone(),
            winners,
            meta: crate::views::PageMeta {
                title: format!("{} · {}", Lang::current().t("results.title"), contest.name),
                description: crate::views::PageMeta::describe(&contest.description, &contest.name),
                url: format!("{base}/c/{}/results", contest.slug),
                image: Some(format!("{base}/c/{}/image", contest.slug)),
                kind: "website",
                noindex: false,
            },
        },
    )
}

async fn page(
    state: &AppState,
    session: &Session,
    contest: &Contest,
    form: Form,
    status: StatusCode,
) -> AppResult {
    html(
        status,
        &WinnersPage {
            layout: layout(session, state).await?,
            slug: contest.slug.clone(),
            name: contest.name.clone(),
            published: contest.results_published_at.is_some(),
            standing: standing(state, contest).await?,
            form,
        },
    )
}

fn form_of(winners: &[Winner]) -> Form {
    let mut f = Form::default();
    for w in winners {
        match w.place {
            Some(p) => {
                f.values
                    .insert(format!("place_{p}"), w.video_id.to_string());
            }
            None => {
                f.values
                    .insert(format!("mention_{}", w.video_id), "1".into());
            }
        }
    }
    f
}

/// `GET /c/{slug}/winners`.
pub async fn form(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let winners = state.backends.db.winners(&contest.id).await?;
    page(
        &state,
        &session,
        &contest,
        form_of(&winners),
        StatusCode::OK,
    )
    .await
}

/// `POST /c/{slug}/winners`: `place_1`, `place_2`, `place_3` (an entry id or empty), `mention`
/// (repeated entry ids), and `publish=1` to publish (else saved as a draft). Only published
/// entries of the contest can win; an entry wins at most once.
pub async fn save(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> AppResult {
    let field = |k: &str| body.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    security::check_csrf(&session, field("csrf_token"))?;
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let lang = Lang::current();
    let entries = eligible_entries(&state, &contest).await?;
    let mut form = Form::default();
    // An id of no published entry of this contest (or no id at all) is not an entry.
    let entry = |id: &str| {
        id.parse::<VideoId>()
            .ok()
            .filter(|id| entries.iter().any(|v| v.id == *id))
    };
    let mut chosen: Vec<(VideoId, Option<i64>)> = Vec::new();
    for p in 1..=3i64 {
        let key = format!("place_{p}");
        let text = field(&key).unwrap_or("").trim().to_string();
        form.values.insert(key.clone(), text.clone());
        if text.is_empty() {
            continue;
        }
        match entry(&text) {
            None => form.set_error(&key, lang.t("results.err_not_entry")),
            Some(id) if chosen.iter().any(|(v, _)| *v == id) => {
                form.set_error(&key, lang.t("results.err_twice"))
            }
            Some(id) => chosen.push((id, Some(p))),
        }
    }
    let max_mentions = state.settings.limits.honorable_mentions_max;
    let mut mentions = 0;
    for (_, text) in body.iter().filter(|(n, _)| n == "mention") {
        form.values.insert(format!("mention_{text}"), "1".into());
        match entry(text) {
            None => form.set_error("mention", lang.t("results.err_not_entry")),
            Some(id) if chosen.iter().any(|(v, _)| *v == id) => {
                form.set_error("mention", lang.t("results.err_twice"))
            }
            Some(id) => {
                mentions += 1;
                chosen.push((id, None));
            }
        }
    }
    if mentions > max_mentions {
        form.set_error(
            "mention",
            lang.tf("results.err_too_many_mentions", "max", max_mentions),
        );
    }
    let publish = field("publish") == Some("1");
    if publish && chosen.is_empty() {
        form.set_error("form", lang.t("results.err_nothing"));
    }
    if !form.errors.is_empty() {
        return page(&state, &session, &contest, form, StatusCode::BAD_REQUEST).await;
    }
    let db = &state.backends.db;
    let mails = if publish {
        let before = db.winners(&contest.id).await?;
        let results_url = format!(
            "{}/c/{}/results",
            state.settings.base_url().trim_end_matches('/'),
            contest.slug
        );
        let mut mails: Vec<(VideoId, NewEmail)> = Vec::new();
        for (id, place) in &chosen {
            let mailed = before
                .iter()
                .any(|w| w.video_id == *id && w.notified_at.is_some());
            if mailed {
                continue;
            }
            let Some(video) = entries.iter().find(|v| v.id == *id) else {
                continue;
            };
            let mail = shared::mail::compose::winner(
                state.settings.base_url(),
                &contest,
                video,
                *place,
                &results_url,
            )
            .map_err(AppError::unexpected)?;
            mails.push((*id, mail));
        }
        Some(mails)
    } else {
        None
    };
    db.save_winners(&contest.id, &chosen, mails.as_deref())
        .await?;
    if publish {
        state.backends.queue.wake();
        tracing::info!(contest_id = %contest.id, winners = chosen.len(), "results published");
        Ok(see_other(&format!("/c/{}/results", contest.slug)))
    } else {
        Ok(see_other(&format!("/c/{}/winners", contest.slug)))
    }
}

/// `POST /c/{slug}/winners/unpublish`: the results leave the public pages (a later publish
/// mails only winners not mailed before).
pub async fn unpublish(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    state.backends.db.unpublish_results(&contest.id).await?;
    Ok(see_other(&format!("/c/{}/winners", contest.slug)))
}
