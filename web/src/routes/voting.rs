//! Public voting. A visitor gives an email address (`POST /c/{slug}/voters`) and gets a
//! one-time link by mail; opening it shows a confirm button (a mail scanner that follows links
//! confirms nothing), whose POST marks the voter confirmed and remembers it in the session. A
//! confirmed voter votes (`POST /c/{slug}/v/{id}/vote`) for up to the contest's votes per voter,
//! once per entry, never for an entry sent with the same address, and takes votes back
//! (`/unvote`) while voting is open. The organizer sets the window at `/c/{slug}/voting`.
//!
//! Limits: links per client address and per contest + address (`limits.voter_links_*`), the
//! mail cap per recipient (the worker's), and the database's unique keys for the votes.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use shared::db::{Contest, VoteOutcome, Voter, Voting};
use shared::domain::{ContestId, EmailAddress, VideoId};
use shared::time::now_ms;

use super::{layout, owned_contest, see_other, wants_json, AppState, State};
use crate::error::{html, AppError, AppResult};
use crate::i18n::{safe_back_to, Lang};
use crate::security;
use crate::views::{Form, VoterConfirmPage, VotingPanel, VotingSettingsPage};

/// The session key holding this contest's confirmed voter.
fn voter_key(contest_id: &ContestId) -> String {
    format!("voter:{contest_id}")
}

async fn contest(state: &AppState, slug: &str) -> Result<Contest, AppError> {
    state
        .backends
        .db
        .contest_by_slug(slug)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The confirmed voter this session holds for the contest.
pub async fn session_voter(
    session: &Session,
    state: &AppState,
    contest: &Contest,
) -> Result<Option<Voter>, AppError> {
    let Some(id) = session.get::<String>(&voter_key(&contest.id))? else {
        return Ok(None);
    };
    Ok(state
        .backends
        .db
        .voter_by_id(&id)
        .await?
        .filter(|v| v.contest_id == contest.id && v.confirmed_at.is_some()))
}

fn looks_like_token(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

fn unprocessable(key: &str) -> AppError {
    AppError::Unprocessable {
        message: Lang::current().t(key),
    }
}

/// The contest's vote, open now; the reason otherwise.
fn open_voting(contest: &Contest) -> Result<Voting, AppError> {
    let voting = contest
        .voting()
        .ok_or_else(|| unprocessable("vote.err_no_vote"))?;
    if !voting.is_open_at(now_ms()) {
        return Err(unprocessable("vote.err_not_open"));
    }
    Ok(voting)
}

#[derive(Deserialize)]
pub struct VoterForm {
    csrf_token: Option<String>,
    email: Option<String>,
}

/// `POST /c/{slug}/voters`: sends a voting link. The answer is the same whether the address is
/// new, known or already confirmed (it tells nobody who votes).
pub async fn request_link(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
    form: web::Form<VoterForm>,
) -> AppResult {
    let contest = contest(&state, &path).await?;
    security::check_csrf(&session, form.csrf_token.as_deref())?;
    open_voting(&contest)?;
    let lang = Lang::current();
    let email = EmailAddress::parse("email", form.email.as_deref().unwrap_or("")).map_err(|e| {
        AppError::Validation {
            field: "email",
            message: lang.field_error(&e),
        }
    })?;
    let limits = &state.settings.limits;
    let db = &state.backends.db;
    let ip = state
        .client_ip
        .of_request(&req)
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let by_address = format!("voterlink:{ip}");
    let by_email = format!("voterlink:{}:{}", contest.id, email.as_str());
    for (bucket, max) in [
        (&by_address, limits.voter_links_per_address),
        (&by_email, limits.voter_links_per_email),
    ] {
        crate::limits::check_bucket(
            db,
            bucket,
            max,
            limits.voter_link_window_secs,
            "limit.voter_links",
        )
        .await?;
    }
    let token = security::random_token();
    let ttl_ms =
        i64::try_from(limits.voter_link_ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4);
    db.voter_link(
        &contest.id,
        email.as_str(),
        &security::token_hash(&token),
        now_ms() + ttl_ms,
    )
    .await?;
    for bucket in [&by_address, &by_email] {
        db.rate_record(bucket).await?;
    }
    let mail = crate::mail::voter_link(
        state.settings.base_url(),
        &contest,
        email.as_str(),
        &token,
        limits.voter_link_ttl_secs.div_ceil(3600),
        lang,
    )
    .map_err(AppError::unexpected)?;
    db.queue_email(&mail).await?;
    if wants_json() {
        return Ok(HttpResponse::Accepted().json(serde_json::json!({ "status": "sent" })));
    }
    Ok(see_other(&format!("/c/{}?vote=sent#vote", contest.slug)))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `GET /c/{slug}/voters/confirm?token=…`: the page the mailed link opens (a button, not an
/// action: following a link changes nothing).
pub async fn confirm_page(
    state: State,
    session: Session,
    path: web::Path<String>,
    q: web::Query<TokenQuery>,
) -> AppResult {
    let contest = contest(&state, &path).await?;
    let token = q.token.clone().unwrap_or_default();
    let valid = looks_like_token(&token);
    let page = VoterConfirmPage {
        layout: layout(&session, &state).await?,
        slug: contest.slug.clone(),
        contest_name: contest.name.clone(),
        token: if valid { token } else { String::new() },
    };
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    html(status, &page)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    csrf_token: Option<String>,
    token: Option<String>,
}

/// `POST /c/{slug}/voters/confirm`: uses the token (once, before it expires) and remembers the
/// voter in this session.
pub async fn confirm(
    state: State,
    session: Session,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> AppResult {
    let contest = contest(&state, &path).await?;
    security::check_csrf(&session, form.csrf_token.as_deref())?;
    let token = form.token.as_deref().unwrap_or("");
    let invalid = || unprocessable("vote.link_invalid");
    if !looks_like_token(token) {
        return Err(invalid());
    }
    let voter = state
        .backends
        .db
        .confirm_voter(&security::token_hash(token))
        .await?
        .filter(|v| v.contest_id == contest.id)
        .ok_or_else(invalid)?;
    session.insert(voter_key(&contest.id), &voter.id)?;
    if wants_json() {
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "email": voter.email })));
    }
    Ok(see_other(&format!("/c/{}#vote", contest.slug)))
}

#[derive(Deserialize)]
pub struct VoteForm {
    csrf_token: Option<String>,
    /// Where a browser goes back to (a path of this site; the contest page otherwise).
    back: Option<String>,
}

/// The checks a vote and its taking back share: CSRF, voting open, a confirmed voter, an entry
/// of this contest that is public.
async fn vote_context(
    state: &AppState,
    session: &Session,
    slug: &str,
    video_id: &VideoId,
    csrf: Option<&str>,
) -> Result<(Contest, Voting, Voter), AppError> {
    let contest = contest(state, slug).await?;
    security::check_csrf(session, csrf)?;
    let voting = open_voting(&contest)?;
    let voter = session_voter(session, state, &contest)
        .await?
        .ok_or_else(|| AppError::forbidden_key("vote.err_confirm_first"))?;
    match state.backends.db.video_by_id(video_id).await? {
        Some(v) if v.contest_id == contest.id && v.is_public() => {
            if v.email.eq_ignore_ascii_case(&voter.email) {
                return Err(AppError::forbidden_key("vote.err_own_entry"));
            }
        }
        Some(v) if v.contest_id == contest.id => return Err(unprocessable("vote.err_entry")),
        _ => return Err(AppError::not_found()),
    }
    // Every vote and take-back counts, changed or not: toggling is a write per request.
    let limits = &state.settings.limits;
    let bucket = format!("votechange:{}", voter.id);
    crate::limits::check_bucket(
        &state.backends.db,
        &bucket,
        limits.vote_changes_per_voter,
        limits.vote_change_window_secs,
        "limit.vote_changes",
    )
    .await?;
    state.backends.db.rate_record(&bucket).await?;
    Ok((contest, voting, voter))
}

async fn vote_answer(
    state: &AppState,
    contest: &Contest,
    voting: &Voting,
    voter: &Voter,
    video_id: &VideoId,
    back: Option<&str>,
) -> AppResult {
    if wants_json() {
        let mine = state.backends.db.votes_of_voter(&voter.id).await?;
        return Ok(HttpResponse::Ok().json(serde_json::json!({
            "voted": mine.contains(video_id),
            "votes_left": (voting.votes_per_voter - mine.len() as i64).max(0),
        })));
    }
    let fallback = format!("/c/{}#vote", contest.slug);
    let to = match back.map(|b| safe_back_to(Some(b))) {
        Some(b) if b != "/" => b.to_string(),
        _ => fallback,
    };
    Ok(see_other(&to))
}

/// `POST /c/{slug}/v/{id}/vote`.
pub async fn vote(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    form: web::Form<VoteForm>,
) -> AppResult {
    change_vote(&state, &session, path.into_inner(), &form, true).await
}

/// `POST /c/{slug}/v/{id}/unvote`: takes a vote back while voting is open (nothing to take
/// back is not an error: the vote is gone either way).
pub async fn unvote(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    form: web::Form<VoteForm>,
) -> AppResult {
    change_vote(&state, &session, path.into_inner(), &form, false).await
}

/// Casts (`cast`) or takes back the session voter's vote for an entry, then answers.
async fn change_vote(
    state: &AppState,
    session: &Session,
    (slug, video_id): (String, VideoId),
    form: &VoteForm,
    cast: bool,
) -> AppResult {
    let (contest, voting, voter) =
        vote_context(state, session, &slug, &video_id, form.csrf_token.as_deref()).await?;
    let db = &state.backends.db;
    if cast {
        match db
            .cast_vote(&voter, &video_id, voting.votes_per_voter)
            .await?
        {
            VoteOutcome::Counted | VoteOutcome::AlreadyVoted => {}
            VoteOutcome::NoVotesLeft => {
                return Err(AppError::Unprocessable {
                    message: Lang::current().tf(
                        "vote.err_no_votes_left",
                        "max",
                        voting.votes_per_voter,
                    ),
                })
            }
        }
    } else {
        db.take_back_vote(&voter.id, &video_id).await?;
    }
    vote_answer(
        state,
        &contest,
        &voting,
        &voter,
        &video_id,
        form.back.as_deref(),
    )
    .await
}

/// The vote panel of a contest page (`None`: the contest has no public vote).
pub async fn panel(
    state: &AppState,
    session: &Session,
    contest: &Contest,
    entries: &[shared::db::Video],
    link_sent: bool,
) -> Result<Option<VotingPanel>, AppError> {
    let Some(voting) = contest.voting() else {
        return Ok(None);
    };
    let now = now_ms();
    let phase = if now < voting.starts_at {
        "upcoming"
    } else if voting.is_open_at(now) {
        "open"
    } else {
        "ended"
    };
    let db = &state.backends.db;
    let voter = session_voter(session, state, contest).await?;
    let mine = match &voter {
        Some(v) => db.votes_of_voter(&v.id).await?,
        None => Vec::new(),
    };
    let own = match &voter {
        Some(v) => entries
            .iter()
            .filter(|e| e.email.eq_ignore_ascii_case(&v.email))
            .map(|e| e.id)
            .collect(),
        None => Vec::new(),
    };
    let counts = if voting.tallies_public_at(now) {
        Some(db.vote_counts(&contest.id).await?.into_iter().collect())
    } else {
        None
    };
    let zone = contest.zone();
    Ok(Some(VotingPanel {
        phase,
        starts: zone.display(voting.starts_at),
        ends: zone.display(voting.ends_at),
        per_voter: voting.votes_per_voter,
        voter_email: voter.map(|v| v.email),
        mine,
        counts,
        link_sent,
        own,
    }))
}

/// Whether the contest's counts are public now (the API's `votes`, sorting by votes).
pub fn tallies_public(contest: &Contest) -> bool {
    contest
        .voting()
        .is_some_and(|v| v.tallies_public_at(now_ms()))
}

#[derive(Deserialize)]
pub struct VotesExportQuery {
    /// `voters`: one row per vote with the voter's address (for audits).
    detail: Option<String>,
}

/// `GET /c/{slug}/export/votes.csv` (owner): votes per entry, every entry of the contest (most
/// votes first); `?detail=voters`: one row per vote with the voter's address and time.
pub async fn export(
    state: State,
    session: Session,
    path: web::Path<String>,
    q: web::Query<VotesExportQuery>,
) -> AppResult {
    use super::export::{csv_response, to_csv};
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let db = &state.backends.db;
    if q.detail.as_deref() == Some("voters") {
        let rows: Vec<Vec<String>> = db
            .votes_of_contest(&contest.id)
            .await?
            .into_iter()
            .map(|v| {
                vec![
                    v.voter_email,
                    v.video_id.to_string(),
                    v.title,
                    shared::time::iso(v.created_at),
                ]
            })
            .collect();
        let body = to_csv(&["voter_email", "entry_id", "title", "voted_at"], &rows)?;
        return Ok(csv_response(&contest, "votes-by-voter.csv", body));
    }
    let counts = db.vote_counts(&contest.id).await?;
    let mut rows: Vec<(i64, Vec<String>)> = db
        .all_entries(&contest.id)
        .await?
        .into_iter()
        .map(|v| {
            let n = counts.get(&v.id).copied().unwrap_or(0);
            (n, vec![v.id.to_string(), v.title, n.to_string()])
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
    let body = to_csv(&["entry_id", "title", "votes"], &rows)?;
    Ok(csv_response(&contest, "votes.csv", body))
}

// ---- Organizer: the voting settings -------------------------------------------------------

fn settings_form(contest: &Contest) -> Form {
    let mut form = Form::default();
    let v = contest.voting();
    let set = |form: &mut Form, k: &str, val: String| {
        form.values.insert(k.to_string(), val);
    };
    if v.is_some() {
        set(&mut form, "enabled", "on".into());
    }
    // Default window when none is set: the submission window. Dates are in the contest's zone.
    let zone = contest.zone();
    set(
        &mut form,
        "voting_starts_at",
        zone.to_input(v.map_or(contest.starts_at, |v| v.starts_at)),
    );
    set(
        &mut form,
        "voting_ends_at",
        zone.to_input(v.map_or(contest.ends_at, |v| v.ends_at)),
    );
    set(
        &mut form,
        "votes_per_voter",
        contest.votes_per_voter.to_string(),
    );
    if v.is_some_and(|v| v.tallies_live) {
        set(&mut form, "tallies_live", "on".into());
    }
    form
}

async fn settings_page(
    state: &AppState,
    session: &Session,
    contest: &Contest,
    form: Form,
    saved: bool,
    status: StatusCode,
) -> AppResult {
    let page = VotingSettingsPage {
        layout: layout(session, state).await?,
        slug: contest.slug.clone(),
        contest_name: contest.name.clone(),
        zone: contest.zone().name(),
        form,
        saved,
        max_per_voter: state.settings.limits.max_votes_per_voter,
    };
    html(status, &page)
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /c/{slug}/voting` (owner).
pub async fn settings_get(
    state: State,
    session: Session,
    path: web::Path<String>,
    q: web::Query<SavedQuery>,
) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let form = settings_form(&contest);
    settings_page(
        &state,
        &session,
        &contest,
        form,
        q.saved.is_some(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    csrf_token: Option<String>,
    enabled: Option<String>,
    voting_starts_at: Option<String>,
    voting_ends_at: Option<String>,
    votes_per_voter: Option<String>,
    tallies_live: Option<String>,
}

/// `POST /c/{slug}/voting` (owner): validates and saves; errors re-show the form (400).
pub async fn settings_post(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<SettingsForm>,
) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let lang = Lang::current();
    let max = state.settings.limits.max_votes_per_voter;
    let mut form = Form::default();
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
    form.values
        .insert("voting_starts_at".into(), text(&body.voting_starts_at));
    form.values
        .insert("voting_ends_at".into(), text(&body.voting_ends_at));
    form.values
        .insert("votes_per_voter".into(), text(&body.votes_per_voter));
    let enabled = body.enabled.is_some();
    let live = body.tallies_live.is_some();
    if enabled {
        form.values.insert("enabled".into(), "on".into());
    }
    if live {
        form.values.insert("tallies_live".into(), "on".into());
    }
    let per_voter = form
        .value("votes_per_voter")
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=i64::from(max)).contains(n));
    if per_voter.is_none() {
        form.set_error("votes_per_voter", lang.tf("vote.err_per_voter", "max", max));
    }
    let zone = contest.zone();
    let window = match (
        zone.parse_local(form.value("voting_starts_at")),
        zone.parse_local(form.value("voting_ends_at")),
    ) {
        (Ok(s), Ok(e)) if s < e => Some((s, e)),
        _ => None,
    };
    if enabled && window.is_none() {
        form.set_error("voting_ends_at", lang.t("vote.err_dates"));
    }
    if !form.errors.is_empty() {
        if wants_json() {
            // One field per JSON error, the same one every time: the first in form order.
            let field = if form.has_error("voting_ends_at") {
                "voting_ends_at"
            } else {
                "votes_per_voter"
            };
            let message = form.error(field).to_string();
            return Err(AppError::Validation { field, message });
        }
        return settings_page(
            &state,
            &session,
            &contest,
            form,
            false,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let per_voter = per_voter.unwrap_or(contest.votes_per_voter);
    let voting = match (enabled, window) {
        (true, Some((starts_at, ends_at))) => Some(Voting {
            starts_at,
            ends_at,
            votes_per_voter: per_voter,
            tallies_live: live,
        }),
        _ => None,
    };
    state
        .backends
        .db
        .set_voting(&contest.id, voting, per_voter)
        .await?;
    if wants_json() {
        return Ok(HttpResponse::NoContent().finish());
    }
    Ok(see_other(&format!("/c/{}/voting?saved=1", contest.slug)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_hashed() {
        let (a, b) = (security::random_token(), security::random_token());
        assert_ne!(a, b);
        assert!(looks_like_token(&a));
        assert!(!looks_like_token("zz"));
        assert!(!looks_like_token(&format!("{}g", &a[..63])));
        assert_ne!(security::token_hash(&a), a);
        assert_eq!(security::token_hash(&a), security::token_hash(&a));
        assert_eq!(security::token_hash(&a).len(), 64);
    }
}
