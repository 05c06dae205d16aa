//! CSV exports: contents, quoting, formula-injection guard, owner only.
use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, Entry, TestApp};
use crate::kit::contest_with;

/// The CSV's rows (header first), parsed.
pub fn parse(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

pub fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]))
}

/// The contest's entries.csv as the signed-in organizer gets it, parsed.
pub async fn entries_csv(app: &TestApp, slug: &str) -> Vec<Vec<String>> {
    let r = app.get(&format!("/c/{slug}/export/entries.csv")).await;
    parse(&r.text().await.unwrap())
}

/// The value in column `name` of the entry `id` (the first column).
pub fn cell(rows: &[Vec<String>], id: &str, name: &str) -> String {
    let row = rows
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no row {id}"));
    row[column(rows, name)].clone()
}

#[tokio::test]
async fn the_entries_export_lists_every_entry_with_formulas_defused() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[("terms", "Be nice.")]).await;
    let mut e = Entry::titled("=HYPERLINK(\"http://evil\",\"x\")");
    e.first_name = "Ana, \"La\"";
    e.last_name = "-García";
    e.email = "ana@example.org";
    let form =
        crate::kit::upload_form_with(&app, "sea", &e, &media("tiny"), &[("accept_terms", "1")])
            .await;
    let r = app
        .client
        .post(app.url("/c/sea/videos"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    app.drain().await;
    let page = app.get_html("/c/sea").await;
    assert!(page.contains("href=\"/c/sea/export/entries.csv\""));

    let r = app.get("/c/sea/export/entries.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"sea-entries.csv\""
    );
    let rows = parse(&r.text().await.unwrap());
    assert_eq!(rows.len(), 2, "{rows:?}");
    let row = &rows[1];
    assert_eq!(
        row[column(&rows, "title")],
        "'=HYPERLINK(\"http://evil\",\"x\")"
    );
    assert_eq!(row[column(&rows, "first_name")], "Ana, \"La\"");
    assert_eq!(row[column(&rows, "last_name")], "'-García");
    assert_eq!(row[column(&rows, "email")], "ana@example.org");
    assert_eq!(row[column(&rows, "state")], "converted");
    assert_eq!(row[column(&rows, "review")], "approved");
    assert!(row[column(&rows, "terms_accepted_at")].ends_with('Z'));
}

#[tokio::test]
async fn exports_are_for_the_owner_only() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    contest_with(&app, "sea", &[]).await;
    app.logout().await;
    let r = app.get("/c/sea/export/entries.csv").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.organizer("other@example.org").await;
    let r = app.get("/c/sea/export/entries.csv").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/c/nope/export/entries.csv").await.status(),
        StatusCode::NOT_FOUND
    );
}
