//! Jury: rubric, invitations (one-time, expiring), scoring 1–5 per criterion, secrecy until
//! judging closes, averages, completion, the combined ranking, scores.csv, and the database
//! keys that make double scores and orphan scores impossible.
use reqwest::StatusCode;

use crate::exports::{cell, column, entries_csv, parse};
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::kit::{contest_with, entry_id};

const PASSWORD: &str = "a long enough password";

/// The invitation link mailed to `email` (the latest), as a site path.
async fn invite_path(app: &TestApp, email: &str) -> String {
    let mails = app.outbox().await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.contains(email) && m.contains("/jury/invite/"))
        .unwrap_or_else(|| panic!("no invitation to {email} in {mails:?}"));
    let i = mail.find("/jury/invite/").unwrap();
    let token: String = mail[i + "/jury/invite/".len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{mail}");
    format!("/jury/invite/{token}")
}

async fn set_rubric(app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.csrf("/dashboard").await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    app.post_form(&format!("/c/{slug}/judging/rubric"), &all)
        .await
}

async fn invite(app: &TestApp, slug: &str, email: &str) -> reqwest::Response {
    let csrf = app.csrf("/dashboard").await;
    app.post_form(
        &format!("/c/{slug}/judging/judges"),
        &[("csrf_token", csrf.as_str()), ("email", email)],
    )
    .await
}

async fn accept(app: &TestApp, path: &str, password: &str) -> reqwest::Response {
    // Any page's token is the session's (the invite page has none once the link is gone).
    let csrf = app.csrf("/login").await;
    app.post_form(
        path,
        &[("csrf_token", csrf.as_str()), ("password", password)],
    )
    .await
}

/// Scores an entry: (criterion id, score) pairs and a comment.
async fn score(
    app: &TestApp,
    slug: &str,
    video: &str,
    scores: &[(&str, &str)],
    comment: &str,
) -> reqwest::Response {
    let path = format!("/c/{slug}/jury/v/{video}");
    let csrf = app.csrf(&path).await;
    let names: Vec<(String, String)> = scores
        .iter()
        .map(|(c, s)| (format!("score_{c}"), s.to_string()))
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("comment", comment)];
    for (k, v) in &names {
        fields.push((k, v));
    }
    app.post_form(&path, &fields).await
}

async fn criteria_ids(app: &TestApp, slug: &str) -> Vec<String> {
    let c = app
        .backends
        .db
        .contest_by_slug(slug)
        .await
        .unwrap()
        .unwrap();
    app.backends
        .db
        .criteria(&c.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// The `<tr>` of the ranking for a video.
fn ranking_row<'a>(html: &'a str, id: &str) -> &'a str {
    let table = &html[html.find("class=\"ranking\"").expect("a ranking")..];
    let start = table
        .find(&format!("<tr data-video=\"{id}\">"))
        .unwrap_or_else(|| panic!("{id} not ranked"));
    let row = &table[start..];
    &row[..row.find("</tr>").unwrap()]
}

#[tokio::test]
async fn judges_join_by_invitation_score_in_secret_and_the_organizer_sees_the_ranking() {
    let app = spawn_app().await;
    // The second judge already has an account here.
    app.organizer("judge2@example.org").await;
    app.logout().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    contest_with(&app, "other", &[]).await;
    let a = entry_id(&app, "sea", "Alpha", "a@example.org").await;
    let b = entry_id(&app, "sea", "Beta", "b@example.org").await;
    app.drain().await;

    // The rubric: story (weight 3), image (weight 1); jury 70 %, public 30 %.
    let r = set_rubric(
        &app,
        "sea",
        &[
            ("name_1", "Story"),
            ("description_1", "Does it hold you?"),
            ("weight_1", "3"),
            ("name_2", "Image"),
            ("weight_2", "1"),
            ("jury_weight", "70"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let crit = criteria_ids(&app, "sea").await;
    assert_eq!(crit.len(), 2);
    let (story, image) = (crit[0].as_str(), crit[1].as_str());

    for judge in ["judge1@example.org", "Judge2@Example.org"] {
        let r = invite(&app, "sea", judge).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{judge}");
    }
    // Inviting an address again resends a fresh link (the old one stops working).
    let first_link = {
        app.drain().await;
        invite_path(&app, "judge1@example.org").await
    };
    assert_eq!(
        invite(&app, "sea", "judge1@example.org").await.status(),
        StatusCode::SEE_OTHER
    );
    app.drain().await;
    let link1 = invite_path(&app, "judge1@example.org").await;
    assert_ne!(first_link, link1);
    let manage = app.get_html("/c/sea/judging").await;
    assert!(
        manage.contains("data-judge=\"judge2@example.org\""),
        "{manage}"
    );
    app.logout().await;
    assert_eq!(app.get(&first_link).await.status(), StatusCode::NOT_FOUND);

    // Judge 1 has no account: sets a password (rules apply), lands on the jury page.
    let page = app.get_html(&link1).await;
    assert!(
        page.contains("Choose a password for judge1@example.org"),
        "{page}"
    );
    let r = accept(&app, &link1, "short").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = accept(&app, &link1, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/c/sea/jury");
    // The link worked once.
    let r = app.get(&link1).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("already used or has expired"));

    // The judge sees only the contests they judge.
    assert!(app.get_html("/jury").await.contains("href=\"/c/sea/jury\""));
    assert!(!app.get_html("/jury").await.contains("/c/other/jury"));
    assert_eq!(
        app.get("/c/other/jury").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/c/sea/judging").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/c/sea/export/scores.csv").await.status(),
        StatusCode::FORBIDDEN
    );

    // Scores must cover every criterion with 1..5.
    let r = score(&app, "sea", &a, &[(story, "5")], "").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Please choose a score from 1 to 5 for"));
    let r = score(&app, "sea", &a, &[(story, "6"), (image, "3")], "").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = score(&app, "sea", &a, &[(story, "4"), (image, "3")], "first try").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Saving again replaces the scores (never a second row).
    let r = score(
        &app,
        "sea",
        &a,
        &[(story, "5"), (image, "3")],
        "=cmd|' /C calc'!A0",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let form = app.get_html(&format!("/c/sea/jury/v/{a}")).await;
    assert!(
        form.contains(&format!(
            "name=\"score_{story}\" value=\"5\" required checked"
        )),
        "{form}"
    );
    let r = score(&app, "sea", &b, &[(story, "2"), (image, "2")], "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let home = app.get_html("/c/sea/jury").await;
    assert!(home.contains("Entries you scored: 2"), "{home}");
    assert!(
        !home.contains("class=\"ranking\""),
        "no ranking before judging closes"
    );
    app.logout().await;

    // Judge 2 has an account: logs in with its password to join (a wrong one is refused).
    let link2 = invite_path(&app, "judge2@example.org").await;
    assert!(app
        .get_html(&link2)
        .await
        .contains("judge2@example.org already has an account"));
    let r = accept(&app, &link2, "not the password").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = accept(&app, &link2, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Judge 2 does not see judge 1's scores of the entry.
    let form = app.get_html(&format!("/c/sea/jury/v/{a}")).await;
    assert!(!form.contains("checked"), "{form}");
    assert!(!form.contains("=cmd"));
    let r = score(&app, "sea", &a, &[(story, "3"), (image, "5")], "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.logout().await;

    // The organizer: averages, completion, the combined ranking.
    app.login("org@example.org", PASSWORD).await;
    let manage = app.get_html("/c/sea/judging").await;
    // Alpha: story (5 + 3) / 2 = 4.0, image (3 + 5) / 2 = 4.0 → 4.0; 70 % × 3/4 = 52.5 points.
    let row = ranking_row(&manage, &a);
    assert!(
        row.contains("<td class=\"num\">4.0</td><td class=\"num\">4.0</td>"),
        "{row}"
    );
    assert!(row.contains("<td class=\"num jury-score\">4.0</td>"));
    assert!(row.contains("<td class=\"num points\">52.5</td>"), "{row}");
    assert!(row.starts_with(&format!("<tr data-video=\"{a}\"><td class=\"num\">1</td>")));
    // Beta: 2.0 → 70 % × 1/4 = 17.5 points, second.
    let row = ranking_row(&manage, &b);
    assert!(row.contains("<td class=\"num points\">17.5</td>"), "{row}");
    assert!(row.contains("<td class=\"num\">2</td>"));
    // The judges' comments, for the organizer.
    let comments = &manage[manage.find("class=\"jury-comments\"").expect("comments")..];
    assert!(comments.contains("judge1@example.org"), "{comments}");
    assert!(
        comments.contains("=cmd|&#39; /C calc&#39;!A0")
            || comments.contains("=cmd|&#x27; /C calc&#x27;!A0"),
        "{comments}"
    );
    // Completion per judge.
    let judge_row = |email: &str| {
        let s = &manage[manage.find(&format!("data-judge=\"{email}\"")).unwrap()..];
        s[..s.find("</tr>").unwrap()].to_string()
    };
    assert!(judge_row("judge1@example.org").contains("2 / 2"));
    assert!(judge_row("judge2@example.org").contains("1 / 2"));

    // scores.csv: per judge, per criterion, with the comment defused.
    let csv = app.get("/c/sea/export/scores.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let rows = parse(&csv.text().await.unwrap());
    assert_eq!(rows.len(), 1 + 6, "{rows:?}");
    let j1a: Vec<&Vec<String>> = rows[1..]
        .iter()
        .filter(|r| {
            r[column(&rows, "judge_email")] == "judge1@example.org"
                && r[column(&rows, "entry_id")] == a
        })
        .collect();
    assert_eq!(j1a.len(), 2);
    assert_eq!(j1a[0][column(&rows, "criterion")], "Story");
    assert_eq!(j1a[0][column(&rows, "weight")], "3");
    assert_eq!(j1a[0][column(&rows, "score")], "5");
    assert_eq!(j1a[0][column(&rows, "title")], "Alpha");
    assert_eq!(j1a[0][column(&rows, "comment")], "'=cmd|' /C calc'!A0");

    // entries.csv carries the jury score.
    let rows = entries_csv(&app, "sea").await;
    let jury_of = |id: &str| cell(&rows, id, "jury_score");
    assert_eq!(jury_of(&a), "4.00");
    assert_eq!(jury_of(&b), "2.00");

    // Closing judging: judges see the ranking and can no longer score.
    let csrf = app.csrf("/c/sea/judging").await;
    let r = app
        .post_form("/c/sea/judging/close", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.logout().await;
    app.login("judge1@example.org", PASSWORD).await;
    let home = app.get_html("/c/sea/jury").await;
    assert!(ranking_row(&home, &a).contains("52.5"), "{home}");
    assert!(
        home.contains("class=\"jury-comments\""),
        "comments once judging is closed"
    );
    let r = score(&app, "sea", &b, &[(story, "5"), (image, "5")], "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_rubric_is_validated_and_limited_to_six_criteria() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    let r = set_rubric(
        &app,
        "sea",
        &[
            ("name_1", "Story"),
            ("weight_1", "11"),
            ("description_2", "A description without a name"),
            ("jury_weight", "101"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("whole number from 1 to 10"), "{html}");
    assert!(html.contains("Please name this criterion"));
    assert!(html.contains("whole number from 0 to 100"));
    assert!(
        html.contains("value=\"A description without a name\""),
        "keeps input"
    );
    // A seventh criterion is not a field of the form: ignored.
    let mut fields = vec![("jury_weight", "50")];
    let names: Vec<(String, String)> = (1..=7)
        .map(|n| (format!("name_{n}"), format!("C{n}")))
        .collect();
    for (k, v) in &names {
        fields.push((k, v));
    }
    let r = set_rubric(&app, "sea", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(criteria_ids(&app, "sea").await.len(), 6);
    // Emptying rows removes criteria.
    let r = set_rubric(&app, "sea", &[("name_1", "Only"), ("jury_weight", "100")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(criteria_ids(&app, "sea").await.len(), 1);
    // Someone else's contest: 403, and CSRF is checked first.
    app.logout().await;
    app.organizer("other@example.org").await;
    let r = set_rubric(&app, "sea", &[("name_1", "Mine"), ("jury_weight", "1")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form("/c/sea/judging/judges", &[("email", "x@example.org")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn invitations_expire_and_judges_per_contest_are_capped() {
    let app = spawn_app_with(vec![
        ("limits.judge_invite_ttl_secs", "1".into()),
        ("limits.judges_per_contest", "1".into()),
    ])
    .await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    assert_eq!(
        invite(&app, "sea", "one@example.org").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = invite(&app, "sea", "two@example.org").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("at most 1 judges"));
    let r = invite(&app, "sea", "not an email").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    app.drain().await;
    let link = invite_path(&app, "one@example.org").await;
    app.logout().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(app.get(&link).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        accept(&app, &link, PASSWORD).await.status(),
        StatusCode::NOT_FOUND
    );
    app.login("org@example.org", PASSWORD).await;
    assert!(app
        .get_html("/c/sea/judging")
        .await
        .contains("invitation expired"));
}

#[tokio::test]
async fn the_database_refuses_double_scores_and_keeps_no_orphans() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    let a = entry_id(&app, "sea", "Alpha", "a@example.org").await;
    app.drain().await;
    assert_eq!(
        set_rubric(&app, "sea", &[("name_1", "Story"), ("jury_weight", "70")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    invite(&app, "sea", "judge@example.org").await;
    app.drain().await;
    let link = invite_path(&app, "judge@example.org").await;
    app.logout().await;
    accept(&app, &link, PASSWORD).await;
    let crit = criteria_ids(&app, "sea").await;
    assert_eq!(
        score(&app, "sea", &a, &[(crit[0].as_str(), "4")], "")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let pool = app.backends.db.pool();
    let (judge_id,): (String,) = sqlx::query_as("SELECT judge_id FROM scores")
        .fetch_one(pool)
        .await
        .unwrap();
    // A second score of the same judge, entry and criterion.
    let dup = sqlx::query(
        "INSERT INTO scores (judge_id, video_id, criterion_id, score, updated_at) VALUES (?, ?, ?, 3, 0)",
    )
    .bind(&judge_id)
    .bind(&a)
    .bind(&crit[0])
    .execute(pool)
    .await;
    assert!(dup.is_err(), "a double score must be refused");
    // A score for an entry that does not exist.
    let orphan = sqlx::query(
        "INSERT INTO scores (judge_id, video_id, criterion_id, score, updated_at) VALUES (?, 'no-such-video', ?, 3, 0)",
    )
    .bind(&judge_id)
    .bind(&crit[0])
    .execute(pool)
    .await;
    assert!(orphan.is_err(), "an orphan score must be refused");
    // Out of range.
    let big = sqlx::query("UPDATE scores SET score = 9")
        .execute(pool)
        .await;
    assert!(big.is_err(), "a score above 5 must be refused");
    // Deleting the entry takes its scores along.
    app.logout().await;
    app.login("org@example.org", PASSWORD).await;
    let csrf = app.csrf("/c/sea").await;
    let r = app
        .post_form(&format!("/c/sea/v/{a}/delete"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM scores")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

/// A confirmed voter of the contest casts votes for `videos` (through the voting store: the
/// voting flow itself is tested in `voting.rs`).
async fn votes_from(app: &TestApp, slug: &str, email: &str, videos: &[&str]) {
    let db = &app.backends.db;
    let contest = db.contest_by_slug(slug).await.unwrap().unwrap();
    let hash = format!(
        "{:0>64}",
        email.len().to_string() + &email.replace(['@', '.'], "")
    );
    db.voter_link(&contest.id, email, &hash, shared::time::now_ms() + 60_000)
        .await
        .unwrap();
    let voter = db.confirm_voter(&hash).await.unwrap().expect("confirmed");
    for v in videos {
        db.cast_vote(&voter, &v.parse().unwrap(), 3).await.unwrap();
    }
}

#[tokio::test]
async fn the_combined_ranking_mixes_jury_and_public_votes_at_the_organizers_ratio() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    let a = entry_id(&app, "sea", "Alpha", "a@example.org").await;
    let b = entry_id(&app, "sea", "Beta", "b@example.org").await;
    app.drain().await;
    set_rubric(&app, "sea", &[("name_1", "Story"), ("jury_weight", "70")]).await;
    invite(&app, "sea", "judge@example.org").await;
    app.drain().await;
    let link = invite_path(&app, "judge@example.org").await;
    app.logout().await;
    accept(&app, &link, PASSWORD).await;
    let story = criteria_ids(&app, "sea").await.remove(0);
    score(&app, "sea", &a, &[(story.as_str(), "5")], "").await;
    score(&app, "sea", &b, &[(story.as_str(), "3")], "").await;
    // Alpha: one vote; Beta: two (the most).
    votes_from(&app, "sea", "v1@example.org", &[&a, &b]).await;
    votes_from(&app, "sea", "v2@example.org", &[&b]).await;
    // The judge sees neither the votes nor the ranking while judging is open.
    let home = app.get_html("/c/sea/jury").await;
    assert!(!home.contains("class=\"ranking\"") && !home.contains("Votes"));
    app.logout().await;

    app.login("org@example.org", PASSWORD).await;
    let manage = app.get_html("/c/sea/judging").await;
    // Alpha: 70 × 1 + 30 × 1/2 = 85; Beta: 70 × 1/2 + 30 × 1 = 65.
    let row = ranking_row(&manage, &a);
    assert!(
        row.contains("<td class=\"num votes\">1</td><td class=\"num points\">85.0</td>"),
        "{row}"
    );
    let row = ranking_row(&manage, &b);
    assert!(
        row.contains("<td class=\"num votes\">2</td><td class=\"num points\">65.0</td>"),
        "{row}"
    );
    assert!(
        manage.find(&format!("data-video=\"{a}\"")) < manage.find(&format!("data-video=\"{b}\""))
    );
    // Public vote only: Beta leads.
    set_rubric(&app, "sea", &[("name_1", "Story"), ("jury_weight", "0")]).await;
    let manage = app.get_html("/c/sea/judging").await;
    assert!(ranking_row(&manage, &b).contains("<td class=\"num points\">100.0</td>"));
    assert!(ranking_row(&manage, &a).contains("<td class=\"num points\">50.0</td>"));
    assert!(
        manage.find(&format!("data-video=\"{b}\"")) < manage.find(&format!("data-video=\"{a}\""))
    );
    // The winners form offers the entries in that order.
    let form = app.get_html("/c/sea/winners").await;
    assert!(
        form.find(&format!("<option value=\"{b}\"")) < form.find(&format!("<option value=\"{a}\""))
    );
    // entries.csv carries the votes.
    let rows = entries_csv(&app, "sea").await;
    let votes_of = |id: &str| cell(&rows, id, "votes");
    assert_eq!(
        (votes_of(&a), votes_of(&b)),
        ("1".to_string(), "2".to_string())
    );
}
