//! The organizer's side of the jury (owner only, CSRF on every POST): the rubric and the
//! jury/public mix, inviting and removing judges, closing judging, and the standing: per-entry
//! averages, per-judge completion and the combined ranking (`GET /c/{slug}/judging`).
use std::collections::HashSet;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;
use shared::db::{Contest, Criterion, Invited, NewCriterion, MAX_CRITERIA};
use shared::domain::{BoundedText, EmailAddress};
use shared::error::DbError;
use shared::jury::{self, Weighted};
use shared::time::now_ms;

use super::{layout, owned_contest, see_other, AppState, CsrfForm, State};
use crate::error::{html, AppError, AppResult};
use crate::i18n::Lang;
use crate::security;
use crate::views::{Form, JudgeProgress, JuryComment, JuryManagePage, RankRow, Standing};

fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

/// Entries a judge scores and the ranking ranks: converted, approved, not hidden.
pub async fn eligible_entries(
    state: &AppState,
    contest: &Contest,
) -> Result<Vec<shared::db::Video>, AppError> {
    Ok(state
        .backends
        .db
        .all_entries(&contest.id)
        .await?
        .into_iter()
        .filter(|v| v.is_public())
        .collect())
}

/// Averages, completion and the combined ranking (best first) of a contest.
pub async fn standing(state: &AppState, contest: &Contest) -> Result<Standing, AppError> {
    let db = &state.backends.db;
    let criteria = db.criteria(&contest.id).await?;
    let weighted: Vec<Weighted> = criteria
        .iter()
        .map(|c| Weighted {
            id: c.id.clone(),
            weight: c.weight,
        })
        .collect();
    let entries = eligible_entries(state, contest).await?;
    let scores = db.contest_scores(&contest.id).await?;
    let tallies = jury::tally(&weighted, &scores);
    let votes = db.vote_counts(&contest.id).await?;
    let max_votes = entries
        .iter()
        .map(|v| votes.get(&v.id).copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    let mut rows: Vec<RankRow> = entries
        .iter()
        .map(|v| {
            // The scoring works on the ids as stored (text).
            let key = v.id.to_string();
            let t = tallies.get(&key);
            let jury_score = t.and_then(|t| t.jury_score);
            let n_votes = votes.get(&v.id).copied().unwrap_or(0);
            let points = jury::combined(jury_score, n_votes, max_votes, contest.jury_weight);
            RankRow {
                rank: 0,
                id: key,
                title: v.title.clone(),
                author: format!("{} {}", v.first_name, v.last_name),
                averages: criteria
                    .iter()
                    .map(|c| {
                        t.and_then(|t| t.averages.get(&c.id))
                            .map_or_else(|| "–".to_string(), |a| one_decimal(*a))
                    })
                    .collect(),
                jury_value: jury_score,
                jury: jury_score.map_or_else(|| "–".to_string(), one_decimal),
                judges_done: t.map_or(0, |t| t.complete_judges),
                votes: n_votes,
                points,
                points_text: one_decimal(points),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.points
            .total_cmp(&a.points)
            .then(
                b.jury_value
                    .unwrap_or(0.0)
                    .total_cmp(&a.jury_value.unwrap_or(0.0)),
            )
            .then_with(|| a.title.cmp(&b.title))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let ids: HashSet<String> = entries.iter().map(|v| v.id.to_string()).collect();
    let done = jury::completion(&weighted, &scores, &ids);
    let judges: Vec<JudgeProgress> = db
        .judges(&contest.id)
        .await?
        .into_iter()
        .map(|j| JudgeProgress {
            done: done.get(&j.id).copied().unwrap_or(0),
            accepted: j.accepted_at.is_some(),
            expired: j.accepted_at.is_none() && j.token_expires_at.is_some_and(|t| t <= now_ms()),
            id: j.id,
            email: j.email,
        })
        .collect();
    // The judges' comments, in ranking order, then by judge.
    let emails: std::collections::HashMap<&str, &str> = judges
        .iter()
        .map(|j| (j.id.as_str(), j.email.as_str()))
        .collect();
    let mut comments: Vec<JuryComment> = Vec::new();
    let raw = db.contest_comments(&contest.id).await?;
    for r in &rows {
        let mut of_entry: Vec<JuryComment> = raw
            .iter()
            .filter(|(_, video, _)| *video == r.id)
            .map(|(judge, _, comment)| JuryComment {
                title: r.title.clone(),
                judge: emails.get(judge.as_str()).unwrap_or(&"").to_string(),
                comment: comment.clone(),
            })
            .collect();
        of_entry.sort_by(|a, b| a.judge.cmp(&b.judge));
        comments.extend(of_entry);
    }
    Ok(Standing {
        criteria,
        rows,
        comments,
        judges,
        entries: ids.len(),
        jury_weight: contest.jury_weight,
        closed: contest.judging_closed_at.is_some(),
    })
}

async fn page(
    state: &AppState,
    session: &Session,
    contest: &Contest,
    rubric: Form,
    invite: Form,
    status: StatusCode,
) -> AppResult {
    html(
        status,
        &JuryManagePage {
            layout: layout(session, state).await?,
            slug: contest.slug.clone(),
            name: contest.name.clone(),
            standing: standing(state, contest).await?,
            rubric,
            invite,
            slots: (1..=MAX_CRITERIA).collect(),
            invite_days: state.settings.limits.judge_invite_ttl_secs / 86_400,
        },
    )
}

/// The rubric form's values from what is stored.
fn rubric_form(contest: &Contest, criteria: &[Criterion]) -> Form {
    let mut f = Form::default();
    for (i, c) in criteria.iter().enumerate() {
        let n = i + 1;
        f.values.insert(format!("name_{n}"), c.name.clone());
        f.values
            .insert(format!("description_{n}"), c.description.clone());
        f.values.insert(format!("weight_{n}"), c.weight.to_string());
    }
    f.values
        .insert("jury_weight".into(), contest.jury_weight.to_string());
    f
}

/// `GET /c/{slug}/judging`.
pub async fn manage(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let criteria = state.backends.db.criteria(&contest.id).await?;
    let rubric = rubric_form(&contest, &criteria);
    page(
        &state,
        &session,
        &contest,
        rubric,
        Form::default(),
        StatusCode::OK,
    )
    .await
}

/// Reads the rubric form: rows with a name are criteria (in order); a row with only a
/// description or a weight is an error on its name.
fn parse_rubric(form: &mut Form) -> Option<(Vec<NewCriterion>, i64)> {
    let lang = Lang::current();
    let mut out = Vec::new();
    for n in 1..=MAX_CRITERIA {
        let name_key = format!("name_{n}");
        let desc_key = format!("description_{n}");
        let weight_key = format!("weight_{n}");
        let name = form.value(&name_key).trim().to_string();
        let desc = form.value(&desc_key).trim().to_string();
        let weight_raw = form.value(&weight_key).trim().to_string();
        if name.is_empty() {
            if !desc.is_empty() {
                form.set_error(&name_key, lang.t("jury.err_name_missing"));
            }
            continue;
        }
        let name = BoundedText::parse("name", "jury.criterion_name", &name, true, 100);
        let desc = BoundedText::parse(
            "description",
            "jury.criterion_description",
            &desc,
            false,
            500,
        );
        let weight = match weight_raw.as_str() {
            "" => Some(1),
            w => w.parse::<i64>().ok().filter(|w| (1..=10).contains(w)),
        };
        match (&name, &desc, weight) {
            (Ok(name), Ok(desc), Some(weight)) => out.push(NewCriterion {
                name: name.as_str().to_string(),
                description: desc.as_str().to_string(),
                weight,
            }),
            _ => {
                if let Err(e) = &name {
                    form.set_error(&name_key, lang.field_error(e));
                }
                if let Err(e) = &desc {
                    form.set_error(&desc_key, lang.field_error(e));
                }
                if weight.is_none() {
                    form.set_error(&weight_key, lang.t("jury.err_weight"));
                }
            }
        }
    }
    let jury_weight = form
        .value("jury_weight")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|w| (0..=100).contains(w));
    if jury_weight.is_none() {
        form.set_error("jury_weight", lang.t("jury.err_jury_weight"));
    }
    if !form.errors.is_empty() {
        return None;
    }
    Some((out, jury_weight?))
}

/// `POST /c/{slug}/judging/rubric`: `name_N`, `description_N`, `weight_N` (N = 1..6) and
/// `jury_weight` (0–100). Criteria keep their scores by position; emptied rows go with theirs.
pub async fn save_rubric(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> AppResult {
    let field = |k: &str| body.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    security::check_csrf(&session, field("csrf_token"))?;
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let mut form = Form::default();
    for (k, v) in body.iter() {
        let known = k == "jury_weight"
            || ["name_", "description_", "weight_"].iter().any(|p| {
                k.strip_prefix(p)
                    .and_then(|n| n.parse::<usize>().ok())
                    .is_some_and(|n| (1..=MAX_CRITERIA).contains(&n))
            });
        if known {
            form.values.insert(k.clone(), v.clone());
        }
    }
    let Some((criteria, jury_weight)) = parse_rubric(&mut form) else {
        return page(
            &state,
            &session,
            &contest,
            form,
            Form::default(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    state
        .backends
        .db
        .set_rubric(&contest.id, &criteria, jury_weight)
        .await?;
    Ok(see_other(&format!("/c/{}/judging#rubric", contest.slug)))
}

#[derive(Deserialize)]
pub struct InviteForm {
    csrf_token: Option<String>,
    #[serde(default)]
    email: String,
}

/// `POST /c/{slug}/judging/judges` (`email`): invites a judge (a fresh link if they were
/// invited before and have not accepted). At most `limits.judges_per_contest` judges.
pub async fn invite(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<InviteForm>,
) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let lang = Lang::current();
    let mut form = Form::default();
    form.values.insert("email".into(), body.email.clone());
    let db = &state.backends.db;
    let criteria = db.criteria(&contest.id).await?;
    let refuse = |form: Form, status| {
        let rubric = rubric_form(&contest, &criteria);
        page(&state, &session, &contest, rubric, form, status)
    };
    let email = match EmailAddress::parse("email", &body.email) {
        Ok(e) => e,
        Err(e) => {
            form.set_error("email", lang.field_error(&e));
            return refuse(form, StatusCode::BAD_REQUEST).await;
        }
    };
    let judges = db.judges(&contest.id).await?;
    let max = state.settings.limits.judges_per_contest;
    let known = judges.iter().any(|j| j.email == email.as_str());
    if !known && judges.len() >= max {
        form.set_error("email", lang.tf("jury.err_too_many_judges", "max", max));
        return refuse(form, StatusCode::BAD_REQUEST).await;
    }
    // The judge's invite: only the token's SHA-256 is stored.
    let token = security::random_token();
    let hash = security::token_hash(&token);
    let ttl_ms = i64::try_from(state.settings.limits.judge_invite_ttl_secs)
        .unwrap_or(i64::MAX / 4_000)
        .saturating_mul(1000);
    let expires = now_ms().saturating_add(ttl_ms);
    let link = format!(
        "{}/jury/invite/{token}",
        state.settings.base_url().trim_end_matches('/')
    );
    let mail = shared::mail::compose::judge_invite(
        &contest,
        email.as_str(),
        lang.code(),
        link,
        &contest.zone().display(expires),
    )
    .map_err(AppError::unexpected)?;
    match db
        .invite_judge(
            &contest.id,
            email.as_str(),
            &hash,
            expires,
            lang.code(),
            &mail,
        )
        .await
    {
        Ok(Invited::Sent(_)) => {
            state.backends.queue.wake();
            Ok(see_other(&format!("/c/{}/judging#judges", contest.slug)))
        }
        Ok(Invited::AlreadyJudge) | Err(DbError::Duplicate(_)) => {
            form.set_error("email", lang.t("jury.err_already_judge"));
            refuse(form, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /c/{slug}/judging/judges/{judge_id}/remove`: the judge and their scores go.
pub async fn remove_judge(
    state: State,
    session: Session,
    path: web::Path<(String, String)>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let (slug, judge_id) = path.into_inner();
    let (_, contest) = owned_contest(&session, &state, &slug).await?;
    if !state
        .backends
        .db
        .remove_judge(&contest.id, &judge_id)
        .await?
    {
        return Err(AppError::not_found());
    }
    Ok(see_other(&format!("/c/{}/judging#judges", contest.slug)))
}

async fn set_closed(
    state: State,
    session: Session,
    slug: &str,
    csrf: Option<&str>,
    closed: bool,
) -> AppResult {
    security::check_csrf(&session, csrf)?;
    let (_, contest) = owned_contest(&session, &state, slug).await?;
    state
        .backends
        .db
        .set_judging_closed(&contest.id, closed)
        .await?;
    Ok(see_other(&format!("/c/{}/judging", contest.slug)))
}

/// `POST /c/{slug}/judging/close`: judges stop scoring and see each other's scores.
pub async fn close(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    set_closed(state, session, &path, body.csrf_token.as_deref(), true).await
}

/// `POST /c/{slug}/judging/reopen`.
pub async fn reopen(
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    set_closed(state, session, &path, body.csrf_token.as_deref(), false).await
}
