//! Results: winners picked with the ranking as a suggestion, published to the contest page and
//! the stable results URL (404 before), one email per winner, owner only.
use reqwest::StatusCode;

use crate::exports::{cell, entries_csv};
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::kit::{contest_with, entry_id};

async fn save(app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.csrf(&format!("/c/{slug}/winners")).await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    app.post_form(&format!("/c/{slug}/winners"), &all).await
}

#[tokio::test]
async fn published_winners_appear_on_top_of_the_contest_page_and_are_mailed_once() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    let a = entry_id(&app, "sea", "Alpha", "a@example.org").await;
    let b = entry_id(&app, "sea", "Beta", "b@example.org").await;
    let c = entry_id(&app, "sea", "Gamma", "c@example.org").await;
    app.drain().await;
    let mails_before = app.outbox().await.len();

    // Nothing public before publishing.
    assert_eq!(
        app.get("/c/sea/results").await.status(),
        StatusCode::NOT_FOUND
    );
    let form = app.get_html("/c/sea/winners").await;
    assert!(form.contains(&format!("<option value=\"{a}\"")), "{form}");

    // A draft: saved, still not public, nobody mailed.
    let r = save(&app, "sea", &[("place_1", &b), ("publish", "0")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/c/sea/winners");
    assert_eq!(
        app.get("/c/sea/results").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(!app.get_html("/c/sea").await.contains("id=\"winners-h\""));
    assert!(app
        .get_html("/c/sea/winners")
        .await
        .contains(&format!("<option value=\"{b}\" selected")));

    // Bad choices.
    let r = save(
        &app,
        "sea",
        &[("place_1", &a), ("place_2", &a), ("publish", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("can win only once"));
    let r = save(
        &app,
        "sea",
        &[("place_1", "not-an-entry"), ("publish", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = save(&app, "sea", &[("publish", "1")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Publish: first Beta, second Alpha, a mention for Gamma.
    let r = save(
        &app,
        "sea",
        &[
            ("place_1", &b),
            ("place_2", &a),
            ("mention", &c),
            ("publish", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/c/sea/results");
    app.drain().await;
    app.logout().await;

    let results = app.get_html("/c/sea/results").await;
    let pos = |s: &str| results.find(s).unwrap_or_else(|| panic!("{s}: {results}"));
    assert!(pos("First place") < pos("Beta"));
    assert!(pos("Beta") < pos("Second place") && pos("Second place") < pos("Alpha"));
    assert!(pos("Honorable mention") < pos("Gamma"));
    assert!(!results.contains("Points"), "no scores on the public page");
    let page = app.get_html("/c/sea").await;
    let winners = page.find("id=\"winners-h\"").expect("a Winners section");
    assert!(
        winners < page.find("id=\"videos-h\"").unwrap(),
        "at the top"
    );
    assert!(page.contains("href=\"/c/sea/results\""));
    // Spanish.
    let es = app
        .get_as("/c/sea/results", "es")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        es.contains("Primer premio") && es.contains("Mención de honor"),
        "{es}"
    );

    // One mail per winner, with their award.
    let mails = app.outbox().await;
    assert_eq!(mails.len(), mails_before + 3, "{mails:?}");
    let to = |addr: &str| {
        mails[mails_before..]
            .iter()
            .find(|m| m.contains(addr))
            .unwrap_or_else(|| panic!("no mail to {addr}"))
            .clone()
    };
    assert!(to("b@example.org").contains("won first place"));
    assert!(to("a@example.org").contains("won second place"));
    assert!(to("c@example.org").contains("honorable mention"));
    assert!(to("b@example.org").contains("/c/sea/results"));

    // Unpublish, republish with one more winner: only the new one is mailed.
    app.login("org@example.org", "a long enough password").await;
    // The entries export says who won what.
    let rows = entries_csv(&app, "sea").await;
    let place_of = |id: &str| {
        (
            cell(&rows, id, "place"),
            cell(&rows, id, "votes"),
            cell(&rows, id, "jury_score"),
        )
    };
    assert_eq!(
        place_of(&b),
        ("1".to_string(), "0".to_string(), String::new())
    );
    assert_eq!(place_of(&a).0, "2");
    assert_eq!(place_of(&c).0, "mention");
    let csrf = app.csrf("/c/sea/winners").await;
    let r = app
        .post_form("/c/sea/winners/unpublish", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/c/sea/results").await.status(),
        StatusCode::NOT_FOUND
    );
    let d = entry_id(&app, "sea", "Delta", "d@example.org").await;
    app.drain().await;
    let before = app.outbox().await.len();
    let r = save(
        &app,
        "sea",
        &[
            ("place_1", &b),
            ("place_2", &a),
            ("place_3", &d),
            ("mention", &c),
            ("publish", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain().await;
    let mails = app.outbox().await;
    assert_eq!(mails.len(), before + 1);
    assert!(mails.last().unwrap().contains("d@example.org"));
    assert!(mails.last().unwrap().contains("won third place"));
}

#[tokio::test]
async fn only_the_owner_picks_winners_and_mentions_are_capped() {
    let app = spawn_app_with(vec![("limits.honorable_mentions_max", "1".into())]).await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    let a = entry_id(&app, "sea", "Alpha", "a@example.org").await;
    let b = entry_id(&app, "sea", "Beta", "b@example.org").await;
    app.drain().await;
    let r = save(
        &app,
        "sea",
        &[("mention", &a), ("mention", &b), ("publish", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("At most 1 honorable mentions"));
    app.logout().await;
    assert_eq!(
        app.get("/c/sea/winners").await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.organizer("other@example.org").await;
    assert_eq!(
        app.get("/c/sea/winners").await.status(),
        StatusCode::FORBIDDEN
    );
    let csrf = app.csrf("/dashboard").await;
    let r = app
        .post_form(
            "/c/sea/winners",
            &[
                ("csrf_token", csrf.as_str()),
                ("place_1", a.as_str()),
                ("publish", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            "/c/sea/winners",
            &[("place_1", a.as_str()), ("publish", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(
        app.get("/c/sea/results").await.status(),
        StatusCode::NOT_FOUND
    );
}
