//! CSV exports for the organizer (owner only): `entries.csv` and `scores.csv`. Written with the
//! `csv` crate (quoting, embedded newlines); every text cell that a spreadsheet would read as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
//! apostrophe, so a participant's title cannot run in the organizer's spreadsheet.
use std::borrow::Cow;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use shared::db::Contest;
use shared::jury::{self, Weighted};
use shared::time::iso;

use super::{owned_contest, State};
use crate::error::{AppError, AppResult};

/// A cell as a spreadsheet may safely read it (OWASP "CSV injection").
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Rows of text cells into CSV bytes (numbers are written as text cells too; a number never
/// starts with a formula character unless negative, which no exported number is).
pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(AppError::unexpected)?;
    for row in rows {
        w.write_record(row.iter().map(|c| safe_cell(c).into_owned()))
            .map_err(AppError::unexpected)?;
    }
    w.into_inner()
        .map_err(|e| AppError::unexpected(anyhow::anyhow!("{e}")))
}

pub fn csv_response(contest: &Contest, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            // The slug is [a-z0-9-] only: safe inside the quoted file name.
            format!("attachment; filename=\"{}-{name}\"", contest.slug),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

fn opt_time(t: Option<i64>) -> String {
    t.map(iso).unwrap_or_default()
}

/// `GET /c/{slug}/export/entries.csv`: every entry of the contest, oldest first, with its
/// public votes, jury score (weighted mean, 1–5), place (1–3, `mention`, or empty) and the
/// language code of its subtitles (empty: none).
pub async fn entries(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let db = &state.backends.db;
    let videos = db.all_entries(&contest.id).await?;
    let weighted: Vec<Weighted> = db
        .criteria(&contest.id)
        .await?
        .into_iter()
        .map(|c| Weighted {
            id: c.id,
            weight: c.weight,
        })
        .collect();
    let tallies = jury::tally(&weighted, &db.contest_scores(&contest.id).await?);
    let votes = db.vote_counts(&contest.id).await?;
    let winners = db.winners(&contest.id).await?;
    let rows: Vec<Vec<String>> = videos
        .iter()
        .map(|v| {
            let place = winners
                .iter()
                .find(|w| w.video_id == v.id)
                .map(|w| {
                    w.place
                        .map_or_else(|| "mention".to_string(), |p| p.to_string())
                })
                .unwrap_or_default();
            vec![
                v.id.to_string(),
                v.title.clone(),
                v.first_name.clone(),
                v.last_name.clone(),
                v.email.clone(),
                v.state.to_string(),
                v.review.to_string(),
                v.hidden.to_string(),
                iso(v.created_at),
                opt_time(v.converted_at),
                opt_time(v.terms_accepted_at),
                votes.get(&v.id).copied().unwrap_or(0).to_string(),
                tallies
                    .get(&v.id.to_string())
                    .and_then(|t| t.jury_score)
                    .map(|s| format!("{s:.2}"))
                    .unwrap_or_default(),
                place,
                v.captions_lang.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let body = to_csv(
        &[
            "id",
            "title",
            "first_name",
            "last_name",
            "email",
            "state",
            "review",
            "hidden",
            "submitted_at",
            "converted_at",
            "terms_accepted_at",
            "votes",
            "jury_score",
            "place",
            "subtitles",
        ],
        &rows,
    )?;
    Ok(csv_response(&contest, "entries.csv", body))
}

/// `GET /c/{slug}/export/scores.csv`: one row per judge, entry and criterion, with the
/// judge's comment on the entry.
pub async fn scores(state: State, session: Session, path: web::Path<String>) -> AppResult {
    let (_, contest) = owned_contest(&session, &state, &path).await?;
    let db = &state.backends.db;
    let criteria = db.criteria(&contest.id).await?;
    let judges = db.judges(&contest.id).await?;
    let titles: std::collections::HashMap<String, String> = db
        .all_entries(&contest.id)
        .await?
        .into_iter()
        .map(|v| (v.id.to_string(), v.title))
        .collect();
    let comments: std::collections::HashMap<(String, String), String> = db
        .contest_comments(&contest.id)
        .await?
        .into_iter()
        .map(|(j, v, c)| ((j, v), c))
        .collect();
    let mut scores = db.contest_scores(&contest.id).await?;
    let position = |id: &str| {
        criteria
            .iter()
            .position(|c| c.id == id)
            .unwrap_or(usize::MAX)
    };
    let judge_email = |id: &str| {
        judges
            .iter()
            .find(|j| j.id == id)
            .map(|j| j.email.clone())
            .unwrap_or_default()
    };
    scores.sort_by(|a, b| {
        judge_email(&a.judge_id)
            .cmp(&judge_email(&b.judge_id))
            .then_with(|| a.video_id.cmp(&b.video_id))
            .then_with(|| position(&a.criterion_id).cmp(&position(&b.criterion_id)))
    });
    let rows: Vec<Vec<String>> = scores
        .iter()
        .filter_map(|s| {
            let c = criteria.iter().find(|c| c.id == s.criterion_id)?;
            Some(vec![
                judge_email(&s.judge_id),
                s.video_id.clone(),
                titles.get(&s.video_id).cloned().unwrap_or_default(),
                c.name.clone(),
                c.weight.to_string(),
                s.score.to_string(),
                comments
                    .get(&(s.judge_id.clone(), s.video_id.clone()))
                    .cloned()
                    .unwrap_or_default(),
            ])
        })
        .collect();
    let body = to_csv(
        &[
            "judge_email",
            "entry_id",
            "title",
            "criterion",
            "weight",
            "score",
            "comment",
        ],
        &rows,
    )?;
    Ok(csv_response(&contest, "scores.csv", body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_an_apostrophe_and_others_stay() {
        for bad in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe_cell(bad), format!("'{bad}"));
        }
        for fine in ["Waves", "", "1+1", "a=b", "'quoted"] {
            assert_eq!(safe_cell(fine), fine);
        }
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        let out = to_csv(
            &["a", "b"],
            &[
                vec!["x, \"y\"".into(), "line1\nline2".into()],
                vec!["=cmd".into(), "ok".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\n\"x, \"\"y\"\"\",\"line1\nline2\"\n'=cmd,ok\n"
        );
    }
}
