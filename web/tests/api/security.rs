//! Attacks on the public site (issue 10): forged forwarding headers, password guessing, copied
//! cookies, upload floods, stalled and cut-off bodies, oversized forms, header and metrics checks.
//! Each test sets the limit it attacks small, then shows the app holds it.
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{extract_csrf, media, spawn_app, spawn_app_with, Entry, TestApp};

const PASSWORD: &str = "a long enough password";

/// `name=value` of the session cookie a response sets, if any.
fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("clipcontest="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// An organizer logged in through a client without a cookie jar: (Cookie header, CSRF token).
async fn manual_login(app: &TestApp, email: &str) -> (String, String) {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c.get(app.url("/register")).send().await.unwrap();
    let cookie = session_cookie(&r).expect("session cookie");
    let csrf = extract_csrf(&r.text().await.unwrap()).unwrap();
    let r = c
        .post(app.url("/register"))
        .header("Cookie", &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = session_cookie(&r).expect("a new session at login");
    let html = c
        .get(app.url("/contests/new"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (cookie, extract_csrf(&html).unwrap())
}

async fn open_contest(app: &TestApp, slug: &str) {
    app.organizer(&format!("org-{slug}@example.org")).await;
    assert_eq!(
        app.open_contest("Limits", slug).await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
}

async fn upload_json(
    app: &TestApp,
    slug: &str,
    e: &Entry<'_>,
    xff: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, serde_json::Value) {
    let form = app.upload_form(slug, e, &media("tiny")).await;
    let mut req = app
        .client
        .post(app.url(&format!("/c/{slug}/videos")))
        .header("Accept", "application/json")
        .multipart(form);
    if let Some(x) = xff {
        req = req.header("X-Forwarded-For", x);
    }
    let r = req.send().await.unwrap();
    let (status, headers) = (r.status(), r.headers().clone());
    (status, headers, r.json().await.unwrap())
}

/// Reads an HTTP response head from a raw socket (up to `wait`); returns its status code.
async fn read_status(sock: &mut TcpStream, wait: Duration) -> Option<u16> {
    let mut buf = Vec::new();
    let deadline = Instant::now() + wait;
    let mut chunk = [0u8; 4096];
    while Instant::now() < deadline {
        let left = deadline - Instant::now();
        match tokio::time::timeout(left, sock.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf);
    head.split_whitespace().nth(1)?.parse().ok()
}

/// A session for raw-socket requests: its cookie and the CSRF token that goes with it.
struct RawSession {
    cookie: String,
    csrf: String,
}

async fn raw_session(app: &TestApp, slug: &str) -> RawSession {
    let r = reqwest::Client::new()
        .get(app.url(&format!("/c/{slug}")))
        .send()
        .await
        .unwrap();
    let cookie = session_cookie(&r).expect("session cookie");
    let csrf = extract_csrf(&r.text().await.unwrap()).unwrap();
    RawSession { cookie, csrf }
}

/// Starts an upload on a raw socket: the head (announcing `content_length`) and the text
/// fields; the caller sends the video bytes (or does not).
async fn raw_upload_start(
    app: &TestApp,
    s: &RawSession,
    slug: &str,
    title: &str,
    content_length: usize,
    xff: Option<&str>,
) -> TcpStream {
    let b = "XbOuNdArYx";
    let mut body = String::new();
    for (k, v) in [
        ("csrf_token", s.csrf.as_str()),
        ("title", title),
        ("first_name", "Ana"),
        ("last_name", "Raw"),
        ("email", "raw@example.org"),
    ] {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.avi\"\r\nContent-Type: video/x-msvideo\r\n\r\n"
    ));
    let xff = xff
        .map(|x| format!("X-Forwarded-For: {x}\r\n"))
        .unwrap_or_default();
    let mut sock = TcpStream::connect(app.socket_addr()).await.unwrap();
    let head = format!(
        "POST /c/{slug}/videos HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nCookie: {}\r\n{xff}\
         Content-Type: multipart/form-data; boundary={b}\r\nContent-Length: {}\r\n\r\n",
        app.socket_addr(),
        s.cookie,
        content_length.max(body.len()),
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    sock.write_all(body.as_bytes()).await.unwrap();
    sock
}

// ---------------------------------------------------------------------------------------------
// Forwarded addresses and logins
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn forged_x_forwarded_for_entries_do_not_get_fresh_buckets() {
    let app = spawn_app_with(vec![
        ("login_per_minute", "2".into()),
        ("trust_forwarded_for", "true".into()),
    ])
    .await;
    let csrf = app.csrf("/login").await;
    let attempt = |xff: String, forwarded: Option<&'static str>| {
        let mut req = app
            .client
            .post(app.url("/login"))
            .header("X-Forwarded-For", xff)
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", "x@example.org"),
                ("password", "whatever pass"),
            ]);
        if let Some(f) = forwarded {
            req = req.header("Forwarded", f);
        }
        async move { req.send().await.unwrap().status() }
    };
    let mut statuses = Vec::new();
    for i in 0..4 {
        // The client writes whatever it likes on the left; the balancer appends the real address.
        statuses.push(attempt(format!("10.9.{i}.{i}, 203.0.113.7"), None).await);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // A `Forwarded` header changes nothing either.
    assert_eq!(
        attempt("203.0.113.7".into(), Some("for=198.51.100.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another real client is its own bucket.
    assert_eq!(
        attempt("203.0.113.7, 198.51.100.9".into(), None).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn failed_logins_lock_the_account_whatever_the_address() {
    let app = spawn_app_with(vec![
        ("login_per_minute", "100".into()),
        ("trust_forwarded_for", "true".into()),
        ("limits.login_failures_per_account", "3".into()),
    ])
    .await;
    app.organizer("victim@example.org").await;
    app.organizer("bystander@example.org").await;
    app.logout().await;
    let csrf = app.csrf("/login").await;
    let login = |email: &'static str, pw: &'static str, ip: String| {
        let req = app
            .client
            .post(app.url("/login"))
            .header("X-Forwarded-For", ip)
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", email),
                ("password", pw),
            ]);
        async move { req.send().await.unwrap() }
    };
    for i in 0..3 {
        let r = login(
            "victim@example.org",
            "wrong password!",
            format!("198.51.100.{i}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // From a new address, even with the right password (and with the email's case changed).
    let r = login("Victim@Example.org", PASSWORD, "192.0.2.200".into()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(r.text().await.unwrap().contains("Too many failed logins"));
    // Other accounts are not affected.
    let r = login("bystander@example.org", PASSWORD, "192.0.2.200".into()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_successful_login_clears_the_failures() {
    let app = spawn_app_with(vec![("limits.login_failures_per_account", "2".into())]).await;
    app.organizer("ana@example.org").await;
    app.logout().await;
    assert_eq!(
        app.login("ana@example.org", "wrong password!")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("ana@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
    assert_eq!(
        app.login("ana@example.org", "wrong password!")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("ana@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// One sample's value in the app's `/metrics` text (unlabelled metrics only).
async fn metric(app: &TestApp, name: &str) -> i64 {
    let text = app.get_html("/metrics").await;
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("clipcontest_{name} ")))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .trim()
        .parse::<f64>()
        .unwrap() as i64
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A flood of logins at once against a cap of one argon2 computation, a third of them from
/// clients that give up after 50 ms (their hash still runs: its turn must not be handed on early).
/// The flood is sized from one measured hash so that its hashes take several times the wait on
/// any machine (a fast CI machine once got every one of 30 through a 1 s wait).
/// The cap holds (the peak gauge), the excess is told to come back (503 + Retry-After, never a
/// hang), and pages that need no hashing answer at once meanwhile.
#[tokio::test]
async fn a_login_flood_runs_one_hash_at_a_time_and_the_rest_are_told_to_come_back() {
    let app = spawn_app_with(vec![
        ("login_per_minute", "100000".into()),
        ("limits.login_failures_per_account", "100000".into()),
        ("limits.password_hash_concurrency", "1".into()),
        ("limits.password_hash_wait_ms", "200".into()),
    ])
    .await;
    let wait = Duration::from_millis(200);
    // One hash, measured alone (the fastest of three, after a first one that warms up).
    let mut one_hash = Duration::MAX;
    for i in 0..4 {
        let t = Instant::now();
        let r = app
            .login(&format!("warm{i}@example.org"), "a guessed password")
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        if i > 0 {
            one_hash = one_hash.min(t.elapsed());
        }
    }
    // Enough that the queue is at least four waits long: most of the flood cannot get a turn.
    let n = ((4 * wait.as_micros()) / one_hash.as_micros().max(1) + 1).clamp(30, 400) as usize;
    let csrf = app.csrf("/login").await;
    let login = |i: usize| {
        let mut req = app.client.post(app.url("/login")).form(&[
            ("csrf_token", csrf.clone()),
            ("email", format!("guess{i}@example.org")),
            ("password", "a guessed password".into()),
        ]);
        let impatient = i.is_multiple_of(3);
        if impatient {
            req = req.timeout(Duration::from_millis(50));
        }
        async move {
            let t = Instant::now();
            match req.send().await {
                Ok(r) => {
                    let status = r.status();
                    let retry = r
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_string());
                    let body = r.text().await.unwrap();
                    Some((status, retry, body, t.elapsed()))
                }
                Err(e) if impatient && e.is_timeout() => None,
                Err(e) => panic!("login {i}: {e}"),
            }
        }
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let flood = async {
        let r = futures::future::join_all((0..n).map(login)).await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        r
    };
    // Meanwhile: the cheap pages, and the gauge of hashes running now.
    let watch = async {
        let (mut livez, mut home, mut running) = (Duration::ZERO, Duration::ZERO, 0);
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let t = Instant::now();
            assert_eq!(app.get("/livez").await.status(), StatusCode::OK);
            livez = livez.max(t.elapsed());
            let t = Instant::now();
            assert_eq!(app.get("/").await.status(), StatusCode::OK);
            home = home.max(t.elapsed());
            running = running.max(metric(&app, "password_hashes_running").await);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        (livez, home, running)
    };
    let (results, (livez, home, running)) = tokio::join!(flood, watch);
    let answered: Vec<_> = results.into_iter().flatten().collect();
    let (mut refused, mut checked) = (0, 0);
    for (status, retry, body, took) in &answered {
        match *status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                refused += 1;
                assert_eq!(
                    retry.as_deref(),
                    Some("1"),
                    "Retry-After = the wait, rounded up"
                );
                assert!(body.contains("The site is busy"), "{body}");
            }
            other => panic!("unexpected {other}: {body}"),
        }
        // A turn or a refusal within the wait, never a hang (one hash takes well under 3 s).
        assert!(*took < Duration::from_secs(4), "answered after {took:?}");
    }
    println!(
        "flood of {n} (one hash {one_hash:?}): {} answered ({checked} checked, {refused} refused \
         503), slowest /livez {livez:?}, slowest / {home:?}, most running seen {running}",
        answered.len()
    );
    let patient = (0..n).filter(|i| !i.is_multiple_of(3)).count();
    assert!(
        answered.len() >= patient,
        "the patient clients all got an answer"
    );
    assert!(
        checked >= 1 && refused >= 1,
        "{checked} checked, {refused} refused"
    );
    assert!(running <= 1, "{running} hashes ran at once");
    assert_eq!(metric(&app, "password_hashes_peak").await, 1);
    assert!(metric(&app, "password_hash_busy_total").await >= refused);
    // Generous for a loaded 2-core machine; hashing on the request threads would blow it.
    assert!(livez < Duration::from_secs(1), "/livez took {livez:?}");
    assert!(home < Duration::from_secs(2), "/ took {home:?}");
    // The turns all come back (the refused requests' hashes finish on their own): a later
    // login is checked normally.
    let deadline = Instant::now() + Duration::from_secs(10);
    while metric(&app, "password_hashes_running").await != 0 {
        assert!(Instant::now() < deadline, "hashes still running after 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        app.login("late@example.org", "a guessed password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Known and unknown emails with a wrong password cost the same: one argon2 verification at
/// the production parameters (the app has no cheaper test setting). Interleaved, medians of 15
/// each; a dummy hash computed *and* verified (about twice the work) or no verification at all
/// (a fraction) both fall outside the band.
#[tokio::test]
async fn a_wrong_password_costs_the_same_for_known_and_unknown_emails() {
    let app = spawn_app_with(vec![
        ("login_per_minute", "100000".into()),
        ("limits.login_failures_per_account", "100000".into()),
    ])
    .await;
    app.organizer("known@example.org").await;
    app.logout().await;
    let csrf = app.csrf("/login").await;
    let attempt = |email: String| {
        let req = app.client.post(app.url("/login")).form(&[
            ("csrf_token", csrf.clone()),
            ("email", email),
            ("password", "not the password".into()),
        ]);
        async move {
            let t = Instant::now();
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
            r.bytes().await.unwrap();
            t.elapsed()
        }
    };
    // The same request without hashing (a refused CSRF token): the part both pay anyway.
    let bare = || {
        let req = app.client.post(app.url("/login")).form(&[
            ("csrf_token", "forged"),
            ("email", "known@example.org"),
            ("password", "not the password"),
        ]);
        async move {
            let t = Instant::now();
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
            r.bytes().await.unwrap();
            t.elapsed()
        }
    };
    for i in 0..2 {
        attempt("known@example.org".into()).await;
        attempt(format!("warmup{i}@example.org")).await;
    }
    let (mut known, mut unknown, mut base) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..15 {
        // Alternate who goes first, so a drift in machine load hits both alike.
        if i % 2 == 0 {
            known.push(attempt("known@example.org".into()).await);
            unknown.push(attempt(format!("nobody{i}@example.org")).await);
        } else {
            unknown.push(attempt(format!("nobody{i}@example.org")).await);
            known.push(attempt("known@example.org".into()).await);
        }
        base.push(bare().await);
    }
    let (k, u, b) = (median(known), median(unknown), median(base));
    let ratio = u.as_secs_f64() / k.as_secs_f64();
    println!("median known {k:?}, unknown {u:?}, no hashing {b:?}; unknown/known = {ratio:.2}");
    // The verification must dominate, or a doubled one could hide in the noise: with the hash
    // at least twice the rest, doing it twice gives a ratio of 1.67 or more.
    assert!(
        k.saturating_sub(b) >= b * 2,
        "argon2 ({:?}) is too cheap next to the rest ({b:?}) for this test to see a difference",
        k.saturating_sub(b)
    );
    assert!(
        (0.6..=1.6).contains(&ratio),
        "unknown {u:?} vs known {k:?} (ratio {ratio:.2})"
    );
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_copied_cookie_opens_nothing_after_logout() {
    let app = spawn_app().await;
    let (cookie, csrf) = manual_login(&app, "org@example.org").await;
    let other = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let dashboard = || {
        other
            .get(app.url("/dashboard"))
            .header("Cookie", &cookie)
            .send()
    };
    // The copy works while the session lives...
    let r = dashboard().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Your contests"));
    // ...and not after the owner logs out.
    let r = other
        .post(app.url("/logout"))
        .header("Cookie", &cookie)
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = dashboard().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    assert_eq!(app.backends.db.session_count().await.unwrap(), 0);
}

#[tokio::test]
async fn sessions_end_when_idle_and_when_too_old() {
    let app = spawn_app_with(vec![("sessions.idle_timeout_secs", "2".into())]).await;
    app.organizer("idle@example.org").await;
    assert_eq!(app.get("/dashboard").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(app.get("/dashboard").await.status(), StatusCode::SEE_OTHER);

    let app = spawn_app_with(vec![("sessions.absolute_lifetime_secs", "2".into())]).await;
    app.organizer("old@example.org").await;
    // In use all the time, but older than its lifetime.
    for _ in 0..3 {
        assert_eq!(app.get("/dashboard").await.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(app.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
    // The sweeper deletes such rows.
    let report = shared::sweeper::Sweeper::new(app.backends.clone(), app.settings.clone())
        .run_once()
        .await
        .unwrap();
    assert!(report.sessions >= 1, "{report:?}");
}

#[tokio::test]
async fn secure_cookies_get_the_host_prefix_and_hsts() {
    let app = spawn_app_with(vec![("secure_cookies", "true".into())]).await;
    let r = app.get("/login").await;
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.contains("clipcontest="))
        .unwrap();
    assert!(cookie.starts_with("__Host-clipcontest="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    // Without secure cookies: no HSTS (plain-HTTP development).
    let app = spawn_app().await;
    assert!(!app
        .get("/login")
        .await
        .headers()
        .contains_key("strict-transport-security"));
}

#[tokio::test]
async fn the_session_key_file_is_private() {
    let app = spawn_app().await;
    let path = app.data.path().join("session.key");
    if app.is_aws() {
        // AWS mode takes the key from the secret; nothing is written.
        assert!(!path.exists());
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert_eq!(std::fs::read(&path).unwrap().len(), 64);
}

// ---------------------------------------------------------------------------------------------
// The upload form
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn uploads_per_address_are_limited() {
    let app = spawn_app_with(vec![
        ("limits.uploads_per_address", "2".into()),
        ("limits.default_entries_per_email", "10".into()),
        ("trust_forwarded_for", "true".into()),
    ])
    .await;
    open_contest(&app, "flood").await;
    let me = Some("10.0.0.1, 203.0.113.50");
    for t in ["One", "Two"] {
        let (status, _, body) = upload_json(&app, "flood", &Entry::titled(t), me).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, headers, body) = upload_json(&app, "flood", &Entry::titled("Three"), me).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(body["retry_after"], wait);
    assert_eq!(body["code"], "too_many_requests");
    assert!(body["error"].as_str().unwrap().contains("many videos"));
    // A browser gets the contest page back with the message.
    let form = app
        .upload_form("flood", &Entry::titled("Four"), &media("tiny"))
        .await;
    let r = app
        .client
        .post(app.url("/c/flood/videos"))
        .header("X-Forwarded-For", "203.0.113.50")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"upload-form\""), "{html}");
    assert!(html.contains("many videos in a short time"));
    // Another address is not blocked.
    let (status, _, _) =
        upload_json(&app, "flood", &Entry::titled("Five"), Some("198.51.100.3")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(app.stored_originals().await, 3);
}

#[tokio::test]
async fn entries_per_participant_email_are_limited_per_contest() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    // The organizer sets the limit on the contest form.
    let csrf = app.csrf("/contests/new").await;
    let now = chrono::Utc::now();
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
    let form = |entries: &str| {
        reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("name", "Once")
            .text("slug", "once")
            .text("starts_at", fmt(now - chrono::Duration::hours(1)))
            .text("ends_at", fmt(now + chrono::Duration::days(1)))
            .text("entries_per_email", entries.to_string())
    };
    let r = app
        .client
        .post(app.url("/contests"))
        .multipart(form("0"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("whole number from 1 to 100"));
    let r = app
        .client
        .post(app.url("/contests"))
        .multipart(form("1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_html("/c/once/edit")
        .await
        .contains("name=\"entries_per_email\" type=\"number\" min=\"1\" max=\"100\" step=\"1\" required value=\"1\""));
    app.logout().await;
    let (status, _, body) = upload_json(&app, "once", &Entry::titled("First"), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let e = Entry {
        email: "ANA@example.org",
        ..Entry::titled("Second")
    };
    let (status, _, body) = upload_json(&app, "once", &e, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "email");
    assert!(body["error"].as_str().unwrap().contains("most entries"));
    let e = Entry {
        email: "someone.else@example.org",
        ..Entry::titled("Third")
    };
    assert_eq!(
        upload_json(&app, "once", &e, None).await.0,
        StatusCode::CREATED
    );
    assert_eq!(app.stored_originals().await, 2);
}

#[tokio::test]
async fn mails_to_one_recipient_are_capped_per_day() {
    let app = spawn_app_with(vec![
        ("limits.mails_per_recipient_per_day", "2".into()),
        ("limits.default_entries_per_email", "10".into()),
    ])
    .await;
    open_contest(&app, "cannon").await;
    let mut ids = Vec::new();
    for t in ["A", "B", "C"] {
        ids.push(
            app.upload_json("cannon", &Entry::titled(t), &media("tiny"))
                .await,
        );
    }
    app.drain().await;
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 2, "only two mails went out");
    let mut skipped = 0;
    for id in &ids {
        for e in app
            .backends
            .db
            .emails_for_video(&id.parse().unwrap())
            .await
            .unwrap()
        {
            if e.state == shared::domain::EmailState::Skipped {
                skipped += 1;
                assert_eq!(e.attempts, 1, "recorded once, never retried");
                assert!(e.last_error.unwrap().contains("last 24 hours"));
            }
        }
    }
    assert_eq!(skipped, 1);
    // Nothing is left to retry.
    assert_eq!(app.backends.db.queued_jobs().await.unwrap(), 0);
}

#[tokio::test]
async fn concurrent_uploads_are_capped_per_address_and_in_total() {
    let app = spawn_app_with(vec![
        ("limits.concurrent_uploads", "2".into()),
        ("limits.concurrent_uploads_per_address", "1".into()),
        ("limits.upload_idle_timeout_secs", "30".into()),
        ("limits.default_entries_per_email", "10".into()),
        ("trust_forwarded_for", "true".into()),
    ])
    .await;
    open_contest(&app, "busy").await;
    let raw = raw_session(&app, "busy").await;
    // Two slow uploads in progress: one from the peer address (127.0.0.1, no header), one that
    // the balancer says comes from another client.
    let mut slow1 = raw_upload_start(&app, &raw, "busy", "Slow one", 1 << 20, None).await;
    slow1.write_all(&[0u8; 1024]).await.unwrap();
    let mut slow2 = raw_upload_start(
        &app,
        &raw,
        "busy",
        "Slow two",
        1 << 20,
        Some("198.51.100.77"),
    )
    .await;
    slow2.write_all(&[0u8; 1024]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Same address as the first: 429.
    let (status, headers, body) = upload_json(&app, "busy", &Entry::titled("Same"), None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers.contains_key("retry-after"));
    // A third address while two uploads run: 503.
    let (status, headers, body) =
        upload_json(&app, "busy", &Entry::titled("Third"), Some("192.0.2.9")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(headers.contains_key("retry-after"));
    // When they end, uploads are accepted again.
    drop(slow1);
    drop(slow2);
    let mut ok = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (status, _, _) =
            upload_json(&app, "busy", &Entry::titled("After"), Some("192.0.2.9")).await;
        if status == StatusCode::CREATED {
            ok = true;
            break;
        }
    }
    assert!(ok, "places are given back when uploads end");
}

/// One check slot, held by an upload whose ffprobe waits at a gate (a wrapper script): the next
/// uploads wait `check_wait_ms`, then get 503 with Retry-After (JSON with a code, or the form
/// page with the message), and their files are removed; the first one completes when the gate
/// opens.
#[tokio::test]
async fn an_upload_without_a_check_slot_is_told_to_come_back_and_leaves_no_file() {
    use std::os::unix::fs::PermissionsExt;
    let gates = tempfile::tempdir().unwrap();
    let (probing, open) = (gates.path().join("probing"), gates.path().join("open"));
    let ffprobe = gates.path().join("ffprobe-gated");
    std::fs::write(
        &ffprobe,
        format!(
            "#!/bin/sh\ncase \"$1\" in -version) exec ffprobe \"$@\";; esac\n\
             touch '{}'\nn=0\nwhile [ ! -e '{}' ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done\n\
             exec ffprobe \"$@\"\n",
            probing.display(),
            open.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&ffprobe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let app = spawn_app_with(vec![
        ("media.check_concurrency", "1".into()),
        ("media.check_wait_ms", "300".into()),
        ("media.ffprobe", ffprobe.to_string_lossy().to_string()),
    ])
    .await;
    open_contest(&app, "checks").await;

    let first_entry = Entry::titled("First");
    let first = upload_json(&app, "checks", &first_entry, None);
    let rest = async {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !probing.exists() {
            assert!(
                Instant::now() < deadline,
                "the first upload never reached its check"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // A JSON client.
        let t = Instant::now();
        let (status, headers, body) =
            upload_json(&app, "checks", &Entry::titled("Second"), None).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(wait >= 1);
        assert_eq!(body["retry_after"], wait);
        assert_eq!(body["code"], "unavailable");
        assert!(body["error"].as_str().unwrap().contains("busy"), "{body}");
        // A browser gets the form back with the message.
        let form = app
            .upload_form("checks", &Entry::titled("Third"), &media("tiny"))
            .await;
        let r = app
            .client
            .post(app.url("/c/checks/videos"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.headers().contains_key("retry-after"));
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"upload-form\""), "{html}");
        assert!(html.contains("busy checking other uploads"), "{html}");
        // Only the first upload's file is stored; nothing half-written either.
        assert_eq!(app.stored_originals().await, 1);
        assert_eq!(app.partial_uploads().await, 0);
        std::fs::write(&open, b"").unwrap();
    };
    let ((status, _, body), ()) = tokio::join!(first, rest);
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(app.stored_originals().await, 1);
    assert_eq!(app.partial_uploads().await, 0);
    let id = body["id"].as_str().unwrap();
    assert_eq!(app.video_status(id).await["state"], "queued");
}

#[tokio::test]
async fn a_stalled_upload_is_ended_and_its_file_removed() {
    let app = spawn_app_with(vec![("limits.upload_idle_timeout_secs", "1".into())]).await;
    open_contest(&app, "stall").await;
    let raw = raw_session(&app, "stall").await;
    let mut sock = raw_upload_start(&app, &raw, "stall", "Stalled", 4 << 20, None).await;
    sock.write_all(&vec![7u8; 256 * 1024]).await.unwrap();
    // Then nothing: the server gives up after a second of silence.
    let started = Instant::now();
    let status = read_status(&mut sock, Duration::from_secs(10)).await;
    assert_eq!(status, Some(408));
    assert!(started.elapsed() < Duration::from_secs(5));
    for _ in 0..50 {
        if app.partial_uploads().await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.partial_uploads().await, 0);
    assert_eq!(app.stored_originals().await, 0);
}

#[tokio::test]
async fn a_connection_reset_mid_upload_leaves_nothing_behind() {
    let app = spawn_app().await;
    open_contest(&app, "reset").await;
    let raw = raw_session(&app, "reset").await;
    let mut sock = raw_upload_start(&app, &raw, "reset", "Cut off", 64 << 20, None).await;
    // More than one S3 part, so a multipart upload is open on AWS.
    let chunk = vec![3u8; 1 << 20];
    for _ in 0..12 {
        sock.write_all(&chunk).await.unwrap();
    }
    let mut started = false;
    for _ in 0..100 {
        if app.partial_uploads().await > 0 {
            started = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        started,
        "the upload was being stored when the connection broke"
    );
    sock.set_zero_linger().unwrap();
    drop(sock); // RST
    let mut left = usize::MAX;
    for _ in 0..100 {
        left = app.partial_uploads().await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "partial upload removed");
    assert_eq!(app.stored_originals().await, 0);
}

// ---------------------------------------------------------------------------------------------
// The contest form
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_contest_form_refuses_extra_and_oversized_fields_without_reading_them() {
    let app = spawn_app().await;
    let (cookie, csrf) = manual_login(&app, "org@example.org").await;
    let b = "XbOuNdArYx";
    let start = |name: &str| {
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
        )
    };
    // 30 MB announced: many small extra fields are refused at the first one, and a known text
    // field once it passes its own small cap; the answer comes long before 30 MB could be sent.
    for (field, expected) in [("extra0", 400), ("description", 413)] {
        let mut sock = TcpStream::connect(app.socket_addr()).await.unwrap();
        let head = format!(
            "POST /contests HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\
             Content-Type: multipart/form-data; boundary={b}\r\nContent-Length: 31457280\r\n\r\n"
        );
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(start(field).as_bytes()).await.unwrap();
        // One more piece (another extra field of 60 KiB, or more of the description), then
        // wait: the answer must come now, without the other 29.9 MB being sent.
        let filler = if field == "description" {
            vec![b'a'; 64 * 1024]
        } else {
            let mut f = vec![b'a'; 60 * 1024];
            f.extend_from_slice(
                format!("\r\n--{b}\r\nContent-Disposition: form-data; name=\"extra1\"\r\n\r\n")
                    .as_bytes(),
            );
            f
        };
        sock.write_all(&filler).await.unwrap();
        let status = read_status(&mut sock, Duration::from_secs(5)).await;
        assert_eq!(status, Some(expected), "{field}");
    }
    // Repeated fields are refused too.
    let c = reqwest::Client::new();
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.clone())
        .text("name", "A")
        .text("name", "B");
    let r = c
        .post(app.url("/contests"))
        .header("Cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("field twice"));
}

// ---------------------------------------------------------------------------------------------
// Headers, metrics, errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn pages_carry_a_strict_policy_and_organizer_pages_are_not_stored() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.open_contest("Headers", "headers").await;
    let id = app
        .upload_json("headers", &Entry::titled("Clip"), &media("tiny"))
        .await;
    app.drain().await;
    for path in [
        "/".to_string(),
        "/login".into(),
        "/register".into(),
        "/dashboard".into(),
        "/contests/new".into(),
        "/c/headers".into(),
        "/c/headers/edit".into(),
        format!("/c/headers/v/{id}"),
        "/no/such/page".into(),
    ] {
        let r = app.get(&path).await;
        let h = r.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        for part in [
            "default-src 'self'",
            "script-src 'self';",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["cache-control"], "no-store", "{path}");
        // Nothing inline for the policy to block.
        let html = r.text().await.unwrap();
        assert!(!html.contains(" style="), "{path}");
        assert!(
            !html.contains(" onclick=") && !html.contains(" onsubmit="),
            "{path}"
        );
        for tag in html.split("<script").skip(1) {
            assert!(
                tag.split('>').next().unwrap().contains(" src="),
                "{path}: inline script"
            );
        }
        // Media shown on the page are allowed by the policy (presigned S3 or CDN on AWS).
        for url in html
            .split("src=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if let Some(rest) = url.strip_prefix("http") {
                let origin: String = format!(
                    "http{}",
                    rest.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
                );
                assert!(csp.contains(&origin), "{path}: {origin} not in {csp}");
            }
        }
    }
    // Static files stay cacheable (the content-hashed URL the pages link to).
    let home = app.get("/").await.text().await.unwrap();
    let css = home
        .split('"')
        .find(|s| s.starts_with("/static/app.") && s.ends_with(".css"))
        .expect("the page links its stylesheet")
        .to_string();
    let r = app.get(&css).await;
    assert_eq!(r.status(), 200, "{css}");
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
}

#[tokio::test]
async fn metrics_labels_come_from_a_fixed_set() {
    let app = spawn_app().await;
    for method in ["FOOBAR", "BREW", "GET"] {
        app.client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url("/"),
            )
            .send()
            .await
            .unwrap();
    }
    for i in 0..3 {
        app.get(&format!("/random/path/{i}")).await;
    }
    let text = app.get_html("/metrics").await;
    assert!(!text.contains("FOOBAR") && !text.contains("BREW"), "{text}");
    assert!(text.contains("method=\"other\""), "{text}");
    assert!(!text.contains("/random/path"), "{text}");
    assert!(
        text.contains("method=\"GET\",route=\"unmatched\",status=\"404\"} 3"),
        "{text}"
    );
    // This app's registry is its own: nothing uploaded here, so no upload counted.
    assert!(
        !text.contains("clipcontest_uploads_total{result=\"accepted\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn livez_answers_without_the_database_or_storage() {
    let app = spawn_app().await;
    app.break_storage().await;
    assert_eq!(
        app.get("/healthz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let r = app.get("/livez").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn json_errors_share_one_shape() {
    let app = spawn_app().await;
    // `/api/` answers JSON whatever the Accept header.
    let r = app.get("/api/videos/nope").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    assert!(body["error"].is_string());
    // A JSON client gets JSON for a page's error too.
    let r = app
        .client
        .get(app.url("/c/missing"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "not_found"
    );
    // A browser gets a page.
    let r = app.get("/c/missing").await;
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // The upload's refusals use the same shape (field + code).
    open_contest(&app, "shape").await;
    let e = Entry {
        email: "nope",
        ..Entry::titled("Shape")
    };
    let (status, _, body) = upload_json(&app, "shape", &e, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["field"], "email");
    assert_eq!(body["code"], "validation");
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn a_foreign_key_violation_is_not_a_duplicate() {
    let app = spawn_app().await;
    let c = shared::db::NewContest {
        slug: "orphan".into(),
        name: "Orphan".into(),
        description: String::new(),
        prize: String::new(),
        starts_at: 0,
        ends_at: 1,
        entries_per_email: 3,
    };
    let e = app
        .backends
        .db
        .create_contest(
            &shared::domain::ContestId::new(),
            &shared::domain::UserId::new(),
            &c,
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, shared::error::DbError::Sqlx(_)),
        "a missing owner is not a duplicate slug: {e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The sweeper
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_sweeper_removes_each_kind_of_leftover_and_nothing_else() {
    let app = spawn_app().await;
    open_contest(&app, "sweep").await;
    let id = app
        .upload_json("sweep", &Entry::titled("Keep me"), &media("tiny"))
        .await;
    app.drain().await;
    // What a crash leaves behind.
    app.plant_partial_upload().await;
    let orphan = format!("originals/{}/original", shared::domain::new_id());
    app.backends
        .storage
        .put_stream(
            &orphan,
            "application/octet-stream",
            Box::pin(futures::stream::once(async {
                Ok(bytes::Bytes::from_static(b"half a video"))
            })),
            1024,
        )
        .await
        .unwrap();
    let tmp = app.data.path().join("tmp/job-crashed");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("out.mp4"), b"x").unwrap();
    assert_eq!(app.stored_originals().await, 2);

    // Not yet old enough: nothing goes.
    let sweeper = shared::sweeper::Sweeper::new(app.backends.clone(), app.settings.clone());
    let r = sweeper.run_once().await.unwrap();
    let mut expected = shared::sweeper::SweepReport::default();
    if app.on_aws() {
        // moto answers ListMultipartUploads with a fixed `Initiated` of 2010-11-10 for every
        // upload (moto/s3/responses.py), so on the emulator an unfinished multipart upload always
        // looks old; its age rule is proven on the local backend.
        expected.partial_uploads = r.partial_uploads;
    }
    assert_eq!(r, expected);
    if r.partial_uploads > 0 {
        app.plant_partial_upload().await;
    }

    let mut s = (*app.settings).clone();
    s.sweeper.orphan_age_secs = 0;
    s.sweeper.retention_secs = 0;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = shared::sweeper::Sweeper::new(app.backends.clone(), std::sync::Arc::new(s))
        .run_once()
        .await
        .unwrap();
    assert_eq!(r.partial_uploads, 1, "{r:?}");
    assert_eq!(r.orphan_originals, 1, "{r:?}");
    assert_eq!(r.temp_dirs, 1, "{r:?}");
    assert!(r.jobs >= 2, "the transcode and mail jobs: {r:?}");
    assert_eq!(r.emails, 1, "{r:?}");
    assert_eq!(app.partial_uploads().await, 0);
    assert!(!tmp.exists());
    // The video's own files and row stay.
    assert_eq!(app.stored_originals().await, 1);
    assert_eq!(app.video_status(&id).await["state"], "converted");
}

#[tokio::test]
async fn the_sweeper_runs_on_its_own() {
    let app = spawn_app_with(vec![
        ("sweeper.interval_secs", "1".into()),
        ("sweeper.orphan_age_secs", "0".into()),
    ])
    .await;
    app.plant_partial_upload().await;
    let tmp = app.data.path().join("tmp/job-crashed");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut gone = false;
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if app.partial_uploads().await == 0 && !tmp.exists() {
            gone = true;
            break;
        }
    }
    assert!(gone, "the periodic sweep removed the leftovers");
}
