//! Public voting: voter confirmation by a one-time link, votes up to the contest's limit, taking
//! a vote back, no vote for one's own entry, hidden tallies, limits on link requests, and the
//! database keeping the limit when votes arrive at once.
use reqwest::{Client, Response, StatusCode};

use crate::helpers::{extract_csrf, media, spawn_app, spawn_app_with, Entry, TestApp};

/// A browser of its own (its own cookies: its own session).
struct Visitor<'a> {
    app: &'a TestApp,
    client: Client,
}

impl<'a> Visitor<'a> {
    fn new(app: &'a TestApp) -> Self {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { app, client }
    }

    async fn get(&self, path: &str) -> Response {
        self.client.get(self.app.url(path)).send().await.unwrap()
    }

    async fn html(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    async fn csrf(&self, slug: &str) -> String {
        extract_csrf(&self.html(&format!("/c/{slug}")).await).expect("csrf on the contest page")
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.app.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    async fn post_json(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.app.url(path))
            .header("Accept", "application/json")
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    async fn ask_link(&self, slug: &str, email: &str) -> Response {
        let csrf = self.csrf(slug).await;
        self.post(
            &format!("/c/{slug}/voters"),
            &[("csrf_token", &csrf), ("email", email)],
        )
        .await
    }

    /// Asks for a link, takes it from the outbox, opens it and confirms.
    async fn confirm_as(&self, slug: &str, email: &str) {
        let r = self.ask_link(slug, email).await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap()
        );
        let link = latest_link(self.app, email).await;
        let page = self.get(&link).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let csrf = extract_csrf(&html).unwrap();
        let r = self
            .post(
                &format!("/c/{slug}/voters/confirm"),
                &[("csrf_token", &csrf), ("token", token)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()["location"].to_str().unwrap(),
            format!("/c/{slug}#vote")
        );
    }

    async fn vote(&self, slug: &str, id: &str, action: &str) -> Response {
        let csrf = self.csrf(slug).await;
        self.post_json(
            &format!("/c/{slug}/v/{id}/{action}"),
            &[("csrf_token", &csrf)],
        )
        .await
    }
}

/// The path of the newest voting link mailed to `email` (after running the mail jobs). The
/// token is read past a quoted-printable `=3D`, whatever encoding the mail part got.
async fn latest_link(app: &TestApp, email: &str) -> String {
    app.drain().await;
    let mails = app.outbox().await;
    let marker = "/voters/confirm?token=";
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.contains(&format!("To: {}", email.to_lowercase())) && m.contains(marker))
        .unwrap_or_else(|| panic!("no voting link for {email} in {} mails", mails.len()));
    let at = mail.find(marker).unwrap();
    let path_start = mail[..at].rfind("/c/").unwrap();
    let rest = &mail[at + marker.len()..];
    let rest = rest.strip_prefix("3D").unwrap_or(rest);
    let token: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(token.len(), 64, "{mail}");
    format!("{}{marker}{token}", &mail[path_start..at])
}

fn input(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Sets the contest's vote (as its organizer, logged in on `app.client`).
async fn set_voting(app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> Response {
    // The organizer's form carries the session's token; anyone else takes it from a page.
    let html = app.get_html(&format!("/c/{slug}/voting")).await;
    let csrf = match extract_csrf(&html) {
        Some(t) => t,
        None => app.csrf("/login").await,
    };
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    app.post_form(&format!("/c/{slug}/voting"), &all).await
}

async fn open_voting(app: &TestApp, slug: &str, per_voter: &str, live: bool) {
    let now = chrono::Utc::now();
    let starts = input(now - chrono::Duration::hours(1));
    let ends = input(now + chrono::Duration::days(3));
    let mut fields = vec![
        ("enabled", "on"),
        ("voting_starts_at", starts.as_str()),
        ("voting_ends_at", ends.as_str()),
        ("votes_per_voter", per_voter),
    ];
    if live {
        fields.push(("tallies_live", "on"));
    }
    let r = set_voting(app, slug, &fields).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
}

/// An organizer, an open contest with a vote, and `n` converted entries by ana@example.org.
async fn contest_with_entries(app: &TestApp, slug: &str, n: usize, per_voter: &str) -> Vec<String> {
    app.organizer("org@example.org").await;
    assert_eq!(
        app.open_contest("Sea films", slug).await.status(),
        StatusCode::SEE_OTHER
    );
    open_voting(app, slug, per_voter, false).await;
    let mut ids = Vec::new();
    for i in 0..n {
        let title = format!("Entry {i}");
        ids.push(
            app.upload_json(slug, &Entry::titled(&title), &media("tiny"))
                .await,
        );
    }
    app.drain().await;
    for id in &ids {
        assert_eq!(app.video_status(id).await["state"], "converted");
    }
    ids
}

async fn count(app: &TestApp, id: &str) -> i64 {
    app.backends
        .db
        .vote_count(&id.parse().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_confirmed_voter_votes_up_to_the_limit_and_takes_votes_back() {
    let app = spawn_app().await;
    let ids = contest_with_entries(&app, "vote", 3, "2").await;
    let bob = Visitor::new(&app);

    // Before confirming: the page asks for an email, a vote is refused.
    let html = bob.html("/c/vote").await;
    assert!(html.contains("action=\"/c/vote/voters\""), "{html}");
    let r = bob.vote("vote", &ids[0], "vote").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Confirm your email"));

    bob.confirm_as("vote", "Bob@Example.org").await;
    let html = bob.html("/c/vote").await;
    assert!(html.contains("You are voting as bob@example.org"), "{html}");
    assert!(html.contains("Votes left: 2 of 2"), "{html}");

    let r = bob.vote("vote", &ids[0], "vote").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["voted"], true);
    assert_eq!(body["votes_left"], 1);
    // The same vote again changes nothing.
    let r = bob.vote("vote", &ids[0], "vote").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(count(&app, &ids[0]).await, 1);
    assert_eq!(
        bob.vote("vote", &ids[1], "vote").await.status(),
        StatusCode::OK
    );
    // The third is one too many.
    let r = bob.vote("vote", &ids[2], "vote").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("all 2 of your votes"));
    // Taking one back frees it.
    let r = bob.vote("vote", &ids[0], "unvote").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        bob.vote("vote", &ids[2], "vote").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        (
            count(&app, &ids[0]).await,
            count(&app, &ids[1]).await,
            count(&app, &ids[2]).await
        ),
        (0, 1, 1)
    );

    // A browser form gets a redirect back to where it was.
    let csrf = bob.csrf("vote").await;
    let back = format!("/c/vote#v-{}", ids[2]);
    let r = bob
        .post(
            &format!("/c/vote/v/{}/unvote", ids[2]),
            &[("csrf_token", &csrf), ("back", &back)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"].to_str().unwrap(), back);
    // ...and never off the site.
    let r = bob
        .post(
            &format!("/c/vote/v/{}/vote", ids[2]),
            &[("csrf_token", &csrf), ("back", "//evil.example/x")],
        )
        .await;
    assert_eq!(r.headers()["location"].to_str().unwrap(), "/c/vote#vote");

    // Tallies are hidden while voting runs (the organizer's default)...
    let status = app.video_status(&ids[1]).await;
    assert!(status.get("votes").is_none(), "{status}");
    assert!(!bob.html("/c/vote").await.contains("data-votes="));
    // ...and shown live once the organizer says so, sortable by votes.
    open_voting(&app, "vote", "2", true).await;
    assert_eq!(app.video_status(&ids[1]).await["votes"], 1);
    assert_eq!(app.video_status(&ids[0]).await["votes"], 0);
    let html = bob.html("/c/vote?sort=votes").await;
    assert!(html.contains("data-votes=\"1\""), "{html}");
    let first = html.find(&format!("id=\"v-{}\"", ids[1])).unwrap();
    let last = html.find(&format!("id=\"v-{}\"", ids[0])).unwrap();
    assert!(first < last, "the voted entry comes first");

    // The organizer's exports: per entry (every entry, most votes first), per voter, and the
    // entries export's votes column; nobody else gets them.
    let csv = app.get_html("/c/vote/export/votes.csv").await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "entry_id,title,votes");
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].ends_with(",1") && lines[2].ends_with(",1") && lines[3].ends_with(",0"),
        "{csv}"
    );
    let by_voter = app.get_html("/c/vote/export/votes.csv?detail=voters").await;
    assert_eq!(by_voter.lines().count(), 3, "{by_voter}");
    assert!(
        by_voter
            .lines()
            .skip(1)
            .all(|l| l.starts_with("bob@example.org,")),
        "{by_voter}"
    );
    let entries = app.get_html("/c/vote/export/entries.csv").await;
    let header: Vec<&str> = entries.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "votes").unwrap();
    let row = entries.lines().find(|l| l.starts_with(&ids[1])).unwrap();
    assert_eq!(row.split(',').nth(col), Some("1"), "{entries}");
    assert_eq!(
        bob.get("/c/vote/export/votes.csv").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_participant_cannot_vote_for_their_own_entry() {
    let app = spawn_app().await;
    let ids = contest_with_entries(&app, "own", 1, "3").await;
    let ana = Visitor::new(&app);
    ana.confirm_as("own", "ANA@example.org").await;
    let html = ana.html("/c/own").await;
    assert!(html.contains("This is your entry"), "{html}");
    let r = ana.vote("own", &ids[0], "vote").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("your own entry"));
    assert_eq!(count(&app, &ids[0]).await, 0);
}

#[tokio::test]
async fn a_voting_link_works_once_and_not_after_it_expires() {
    let app = spawn_app().await;
    contest_with_entries(&app, "once", 0, "3").await;
    let v = Visitor::new(&app);
    v.confirm_as("once", "carla@example.org").await;
    let link = latest_link(&app, "carla@example.org").await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    let other = Visitor::new(&app);
    let html = other.html(&link).await;
    let csrf = extract_csrf(&html).unwrap();
    let r = other
        .post(
            "/c/once/voters/confirm",
            &[("csrf_token", &csrf), ("token", &token)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("already used"));
    // A forged token is refused the same way, and a malformed link says so at once.
    let forged = "ab".repeat(32);
    let r = other
        .post(
            "/c/once/voters/confirm",
            &[("csrf_token", &csrf), ("token", &forged)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = other.get("/c/once/voters/confirm?token=%3Cscript%3E").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(!r.text().await.unwrap().contains("<script>"));

    // With a lifetime of zero seconds every link has expired when it is opened.
    let app = spawn_app_with(vec![("limits.voter_link_ttl_secs", "0".into())]).await;
    contest_with_entries(&app, "expired", 0, "3").await;
    let v = Visitor::new(&app);
    assert_eq!(
        v.ask_link("expired", "dan@example.org").await.status(),
        StatusCode::SEE_OTHER
    );
    let link = latest_link(&app, "dan@example.org").await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    let csrf = extract_csrf(&v.html(&link).await).unwrap();
    let r = v
        .post(
            "/c/expired/voters/confirm",
            &[("csrf_token", &csrf), ("token", &token)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn votes_need_csrf_an_open_window_and_a_public_entry_of_the_contest() {
    let app = spawn_app().await;
    let ids = contest_with_entries(&app, "rules", 2, "3").await;
    let v = Visitor::new(&app);
    v.confirm_as("rules", "eve@example.org").await;

    // No CSRF token, or someone else's.
    let r = v
        .post_json(
            &format!("/c/rules/v/{}/vote", ids[0]),
            &[("csrf_token", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Unknown entry, malformed id, an entry of another contest.
    assert_eq!(
        v.vote("rules", &"0".repeat(36), "vote").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        v.vote("rules", "../x", "vote").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.open_contest("Other", "other").await.status(),
        StatusCode::SEE_OTHER
    );
    let elsewhere = app
        .upload_json("other", &Entry::titled("Elsewhere"), &media("tiny"))
        .await;
    app.drain().await;
    assert_eq!(
        v.vote("rules", &elsewhere, "vote").await.status(),
        StatusCode::NOT_FOUND
    );
    // A hidden entry takes no votes.
    let csrf = app.csrf("/c/rules").await;
    let r = app
        .post_form(
            &format!("/c/rules/v/{}/hide", ids[1]),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = v.vote("rules", &ids[1], "vote").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Voting closed: no vote, no taking back, no new links.
    assert_eq!(
        v.vote("rules", &ids[0], "vote").await.status(),
        StatusCode::OK
    );
    let now = chrono::Utc::now();
    let (s, e) = (
        input(now - chrono::Duration::days(3)),
        input(now - chrono::Duration::days(1)),
    );
    let r = set_voting(
        &app,
        "rules",
        &[
            ("enabled", "on"),
            ("voting_starts_at", &s),
            ("voting_ends_at", &e),
            ("votes_per_voter", "3"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = v.vote("rules", &ids[0], "unvote").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not open"));
    assert_eq!(count(&app, &ids[0]).await, 1);
    let r = v.ask_link("rules", "frank@example.org").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Once voting has ended the counts are public.
    let html = v.html("/c/rules").await;
    assert!(html.contains("Voting has ended"), "{html}");
    assert!(html.contains("data-votes=\"1\""), "{html}");
    assert_eq!(app.video_status(&ids[0]).await["votes"], 1);
    // And a contest without a vote has no vote at all.
    let r = set_voting(&app, "rules", &[("votes_per_voter", "3")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!v.html("/c/rules").await.contains("id=\"vote\""));
    assert!(app.video_status(&ids[0]).await.get("votes").is_none());
}

#[tokio::test]
async fn voting_link_requests_are_limited_per_email_and_per_client_address() {
    let app = spawn_app_with(vec![
        ("limits.voter_links_per_email", "2".into()),
        ("limits.voter_links_per_address", "3".into()),
    ])
    .await;
    contest_with_entries(&app, "flood", 0, "3").await;
    let v = Visitor::new(&app);
    for _ in 0..2 {
        assert_eq!(
            v.ask_link("flood", "gus@example.org").await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let r = v.ask_link("flood", "GUS@example.org").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    // Another address from the same client: one more, then the client's limit.
    assert_eq!(
        v.ask_link("flood", "hana@example.org").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = v.ask_link("flood", "ivan@example.org").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // A bad address is a field error, not a mail.
    let csrf = v.csrf("flood").await;
    let r = v
        .post_json(
            "/c/flood/voters",
            &[("csrf_token", &csrf), ("email", "not an email")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["field"], "email");
    app.drain().await;
    let links = app
        .outbox()
        .await
        .iter()
        .filter(|m| m.contains("/voters/confirm?token="))
        .count();
    assert_eq!(links, 3);
}

#[tokio::test]
async fn votes_sent_at_once_never_exceed_the_limit() {
    let app = spawn_app().await;
    let ids = contest_with_entries(&app, "race", 4, "1").await;
    let v = Visitor::new(&app);
    v.confirm_as("race", "jo@example.org").await;
    let csrf = v.csrf("race").await;
    let v = &v;
    let sends = ids.iter().map(|id| {
        let (path, csrf) = (format!("/c/race/v/{id}/vote"), csrf.clone());
        async move { v.post_json(&path, &[("csrf_token", &csrf)]).await }
    });
    let answers = futures::future::join_all(sends).await;
    let ok = answers
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    let refused = answers
        .iter()
        .filter(|r| r.status() == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((ok, refused), (1, 3));
    let mut total = 0;
    for id in &ids {
        total += count(&app, id).await;
    }
    assert_eq!(total, 1);
}

#[tokio::test]
async fn voting_settings_are_validated_and_only_for_the_owner() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    assert_eq!(
        app.open_contest("Sea films", "cfg").await.status(),
        StatusCode::SEE_OTHER
    );
    let html = app.get_html("/c/cfg/voting").await;
    assert!(html.contains("name=\"votes_per_voter\""), "{html}");
    let now = chrono::Utc::now();
    let (s, e) = (input(now), input(now - chrono::Duration::hours(1)));
    let r = set_voting(
        &app,
        "cfg",
        &[
            ("enabled", "on"),
            ("voting_starts_at", &s),
            ("voting_ends_at", &e),
            ("votes_per_voter", "3"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("the closing one after the opening one"));
    // A JSON client gets one field, the first wrong one in form order.
    let csrf = app.csrf("/c/cfg/voting").await;
    let r = app
        .client
        .post(app.url("/c/cfg/voting"))
        .header("Accept", "application/json")
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("enabled", "on"),
            ("voting_starts_at", s.as_str()),
            ("voting_ends_at", e.as_str()),
            ("votes_per_voter", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["field"], "voting_ends_at", "{body}");
    for bad in ["0", "51", "two", ""] {
        let r = set_voting(&app, "cfg", &[("votes_per_voter", bad)]).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let contest = app
        .backends
        .db
        .contest_by_slug("cfg")
        .await
        .unwrap()
        .unwrap();
    assert!(contest.voting().is_none());

    // Another organizer, and a visitor, are refused.
    let other = Visitor::new(&app);
    assert_eq!(
        other.get("/c/cfg/voting").await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.logout().await;
    app.organizer("other@example.org").await;
    assert_eq!(
        app.get("/c/cfg/voting").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = set_voting(&app, "cfg", &[("votes_per_voter", "3")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_voting_link_mail_is_in_the_page_language() {
    let app = spawn_app().await;
    contest_with_entries(&app, "espanol", 0, "3").await;
    let v = Visitor::new(&app);
    let csrf = v.csrf("espanol").await;
    let r = v
        .client
        .post(app.url("/c/espanol/voters"))
        .header("Accept-Language", "es")
        .form(&[("csrf_token", csrf.as_str()), ("email", "lu@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain().await;
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.contains("To: lu@example.org"))
        .expect("the voting mail");
    assert!(mail.contains("Confirma tu voto en Sea films"), "{mail}");
}

#[tokio::test]
async fn toggling_a_vote_is_limited_per_voter() {
    let app = spawn_app_with(vec![("limits.vote_changes_per_voter", "4".into())]).await;
    let ids = contest_with_entries(&app, "toggle", 1, "3").await;
    let v = Visitor::new(&app);
    v.confirm_as("toggle", "kim@example.org").await;
    let csrf = v.csrf("toggle").await;
    let (vote, unvote) = (
        format!("/c/toggle/v/{}/vote", ids[0]),
        format!("/c/toggle/v/{}/unvote", ids[0]),
    );
    // Four changes (vote, back, vote, back) are a person making up their mind.
    for path in [&vote, &unvote, &vote, &unvote] {
        let r = v.post_json(path, &[("csrf_token", &csrf)]).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    // The fifth is a script: refused with the wait, and nothing changes.
    let r = v.post_json(&vote, &[("csrf_token", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 3500 && wait <= 3600, "Retry-After {wait}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("changed your votes many times"),
        "{body}"
    );
    assert_eq!(count(&app, &ids[0]).await, 0);
    // Another voter is not held up by it.
    let w = Visitor::new(&app);
    w.confirm_as("toggle", "lee@example.org").await;
    let csrf = w.csrf("toggle").await;
    let r = w.post_json(&vote, &[("csrf_token", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(count(&app, &ids[0]).await, 1);
}
