//! What participants and organizers tripped over: the organizer's entries table (every entry,
//! published ones included, with the participant's email), the video page telling the uploader
//! where the mail goes and their place in line (and nobody else), the "Enter the contest" button
//! and the no-JS refusal landing at the form, and the form saying what is public.
use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, Entry};

async fn contest(app: &crate::helpers::TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    assert_eq!(
        app.open_contest("UX Cup", slug).await.status(),
        StatusCode::SEE_OTHER
    );
}

fn row<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<tr data-video=\"{id}\""))
        .unwrap_or_else(|| panic!("no row for {id}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[tokio::test]
async fn the_organizer_sees_every_entry_with_its_email_date_duration_and_actions() {
    let app = spawn_app().await;
    contest(&app, "entries").await;
    let published = app
        .upload_json("entries", &Entry::titled("Published one"), &media("avi"))
        .await;
    let hidden = app
        .upload_json(
            "entries",
            &Entry {
                email: "bea@example.org",
                first_name: "Bea",
                ..Entry::titled("Hidden one")
            },
            &media("avi"),
        )
        .await;
    app.drain().await;
    let waiting = app
        .upload_json("entries", &Entry::titled("Waiting one"), &media("tiny"))
        .await;
    let csrf = app.csrf("/c/entries").await;
    let r = app
        .post_form(
            &format!("/c/entries/v/{hidden}/hide"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let page = app.get_html("/c/entries").await;
    assert!(page.contains("Organizer: all entries"), "{page}");
    // Newest first.
    let (w, h, p) = (
        page.find(&waiting).unwrap(),
        page.find(&format!("data-video=\"{hidden}\"")).unwrap(),
        page.find(&format!("data-video=\"{published}\"")).unwrap(),
    );
    assert!(w < h && h < p);

    let r = row(&page, &published);
    assert!(r.contains("class=\"published\""), "{r}");
    assert!(
        r.contains("ana@example.org"),
        "the email of a published entry: {r}"
    );
    assert!(r.contains("0:02"), "the duration of the 2 s clip: {r}");
    assert!(r.contains("<time datetime=\"20"), "{r}");
    assert!(r.contains("· public"), "{r}");
    assert!(r.contains(&format!("/c/entries/v/{published}/hide")), "{r}");
    assert!(!r.contains("/unhide"), "{r}");

    let r = row(&page, &hidden);
    assert!(
        r.contains("bea@example.org") && r.contains("· hidden"),
        "{r}"
    );
    assert!(r.contains(&format!("/c/entries/v/{hidden}/unhide")), "{r}");
    assert!(!r.contains("/hide\""), "{r}");

    let r = row(&page, &waiting);
    assert!(r.contains("data-state=\"queued\""), "{r}");
    assert!(!r.contains("/hide\"") && !r.contains("/unhide"), "{r}");

    // Spanish headings for the same table.
    let es = app.get_as("/c/entries", "es").await.text().await.unwrap();
    assert!(es.contains("Organizador: todas las participaciones"));
    assert!(es.contains(">Duración<"));

    // Visitors never see the table nor any email.
    app.logout().await;
    let public = app.get_html("/c/entries").await;
    assert!(!public.contains("id=\"organizer\""));
    assert!(!public.contains("@example.org"));
}

#[tokio::test]
async fn the_uploader_sees_where_the_mail_goes_and_the_place_in_line_and_nobody_else_does() {
    let app = spawn_app().await;
    contest(&app, "line").await;
    app.logout().await;
    // Two videos from someone else are waiting already.
    for t in ["Earlier 1", "Earlier 2"] {
        app.upload_json("line", &Entry::titled(t), &media("tiny"))
            .await;
    }
    // This participant uploads through the HTML form, as a browser does.
    let r = app
        .upload(
            "line",
            &Entry {
                email: "carla.typo@exmaple.org",
                ..Entry::titled("Mine")
            },
            &media("tiny"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page_url = r.headers()["location"].to_str().unwrap().to_string();
    let page = app.get_html(&page_url).await;
    assert!(
        page.contains("We will email carla.typo@exmaple.org when it is ready."),
        "{page}"
    );
    assert!(page.contains("Once converted, it appears on the contest page for everyone."));
    assert!(page.contains("2 videos are ahead of yours."), "{page}");

    // Anyone else with the link: the status, never the address.
    let other = reqwest::Client::new()
        .get(app.url(&page_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!other.contains("exmaple.org"), "{other}");
    assert!(other.contains("We will email you a link when it is ready"));
    assert!(other.contains("2 videos are ahead of yours."));

    // Once converted, no place in line is shown.
    app.drain().await;
    let page = app.get_html(&page_url).await;
    assert!(!page.contains("ahead of yours"));
}

#[tokio::test]
async fn the_form_is_one_tap_away_says_what_is_public_and_refusals_land_on_it() {
    let app = spawn_app().await;
    contest(&app, "cta").await;
    let page = app.get_html("/c/cta").await;
    assert!(
        page.contains(
            r##"<a class="button primary enter-cta" href="#enter">Enter the contest</a>"##
        ),
        "{page}"
    );
    assert!(page.contains(r#"action="/c/cta/videos#enter""#));
    assert!(page.contains("Never shown: your email"));
    // A closed contest has no button (and no form).
    let r = app
        .create_contest(
            "Old Cup",
            "old-cup",
            "2020-01-01T00:00",
            "2020-02-01T00:00",
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let old = app.get_html("/c/old-cup").await;
    assert!(!old.contains("enter-cta"));
    // A no-JS refusal re-renders the page with the form (the browser keeps the action's
    // #enter, checked above, and lands there; the fragment never reaches the server).
    let r = app
        .upload(
            "cta",
            &Entry {
                email: "not-an-email",
                ..Entry::titled("Bad")
            },
            &media("tiny"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"enter\""));
    assert!(html.contains("aria-invalid=\"true\""));
}
