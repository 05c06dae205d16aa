use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn register_login_logout() {
    let app = spawn_app().await;
    let r = app
        .register("Org@Example.org", "a long enough password")
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/dashboard");
    assert!(app.get_html("/dashboard").await.contains("Your contests"));
    app.logout().await;
    assert_eq!(app.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
    // Email is case-insensitive.
    let r = app.login("org@example.ORG", "a long enough password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.get_html("/dashboard").await.contains("Your contests"));
}

#[tokio::test]
async fn registration_errors_are_clear() {
    let app = spawn_app().await;
    let r = app.register("nope", "a long enough password").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("valid email address"));
    let r = app.register("ana@example.org", "short").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("at least 10 characters"));
    assert!(
        html.contains("value=\"ana@example.org\""),
        "keeps what was typed"
    );
    assert_eq!(
        app.register("ana@example.org", "a long enough password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
    let r = app
        .register("ANA@example.org", "another long password")
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("already exists"));
}

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part() {
    let app = spawn_app().await;
    app.organizer("org@example.org").await;
    app.logout().await;
    for (email, pw) in [
        ("org@example.org", "wrong password!"),
        ("nobody@example.org", "a long enough password"),
    ] {
        let r = app.login(email, pw).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("do not match an account"));
    }
}

#[tokio::test]
async fn login_is_rate_limited() {
    let app = crate::helpers::spawn_app_with(vec![("login_per_minute", "3".into())]).await;
    let csrf = app.csrf("/login").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = app
            .post_form(
                "/login",
                &[
                    ("csrf_token", &csrf),
                    ("email", "x@example.org"),
                    ("password", "whatever pass"),
                ],
            )
            .await;
        statuses.push(r.status());
    }
    assert_eq!(
        &statuses[..3],
        &[StatusCode::UNAUTHORIZED; 3],
        "{statuses:?}"
    );
    assert_eq!(
        &statuses[3..],
        &[StatusCode::TOO_MANY_REQUESTS; 2],
        "{statuses:?}"
    );
    let r = app
        .post_form(
            "/login",
            &[
                ("csrf_token", &csrf),
                ("email", "x@example.org"),
                ("password", "whatever pass"),
            ],
        )
        .await;
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Too many attempts"));
    // The login page itself stays available.
    assert_eq!(app.get("/login").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn behind_a_load_balancer_each_client_has_its_own_limit() {
    let app = crate::helpers::spawn_app_with(vec![
        ("login_per_minute", "2".into()),
        ("trust_forwarded_for", "true".into()),
    ])
    .await;
    let csrf = app.csrf("/login").await;
    let attempt = |ip: &'static str| {
        let req = app
            .client
            .post(app.url("/login"))
            .header("X-Forwarded-For", ip)
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", "x@example.org"),
                ("password", "whatever pass"),
            ]);
        async move { req.send().await.unwrap().status() }
    };
    for _ in 0..2 {
        assert_eq!(attempt("203.0.113.7").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("203.0.113.7").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        attempt("198.51.100.9").await,
        StatusCode::UNAUTHORIZED,
        "another client is not blocked"
    );
}
