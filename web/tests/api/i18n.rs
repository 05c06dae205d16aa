//! Page language: `Accept-Language` picks it, the `lang` cookie (set by the switcher) wins.
use reqwest::StatusCode;

use crate::helpers::{media, spawn_app, Entry};

#[tokio::test]
async fn accept_language_es_gives_spanish_chrome() {
    let app = spawn_app().await;

    let r = app.get_as("/", "es-ES,es;q=0.9,en;q=0.5").await;
    assert_eq!(r.headers()["content-language"], "es");
    assert!(r.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Language"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(html.contains("Concursos de vídeo"));
    assert!(html.contains("Abiertos ahora"));
    assert!(html.contains("Iniciar sesión"));
    assert!(!html.contains("Open now"));

    let login = app.get_as("/login", "es").await.text().await.unwrap();
    assert!(
        login.contains("<label for=\"password\">Contraseña</label>"),
        "{login}"
    );
}

#[tokio::test]
async fn english_is_the_default_and_unknown_languages_fall_back_to_it() {
    let app = spawn_app().await;
    let html = app.get_html("/").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Open now"));
    let html = app
        .get_as("/", "de-DE,fr;q=0.8")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn the_switcher_cookie_overrides_accept_language() {
    let app = spawn_app().await;
    // The page offers the other language, coming back to the same page.
    let html = app.get_as("/login", "es").await.text().await.unwrap();
    assert!(html.contains("href=\"/lang/en?next=/login\""), "{html}");

    let r = app.get_as("/lang/en?next=%2Flogin", "es").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"));

    let html = app.get_as("/login", "es").await.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"en\">"),
        "cookie wins over the header"
    );
    assert!(html.contains(">Log in</button>"));

    // And back to Spanish even with an English browser.
    app.get_as("/lang/es", "en").await;
    let html = app.get_as("/", "en-US").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"));
}

#[tokio::test]
async fn the_switcher_only_redirects_within_the_site() {
    let app = spawn_app().await;
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/%5Cevil.example",
    ] {
        let r = app
            .get(&format!(
                "/lang/es?next={}",
                next.replace('/', "%2F").replace(':', "%3A")
            ))
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/", "{next}");
    }
    assert_eq!(app.get("/lang/xx").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn contest_video_and_error_pages_are_translated() {
    let app = spawn_app().await;
    app.organizer("org-es@example.org").await;
    assert_eq!(
        app.open_contest("Cortos del mar", "mar").await.status(),
        StatusCode::SEE_OTHER
    );
    let dash = app.get_as("/dashboard", "es").await.text().await.unwrap();
    assert!(
        dash.contains("Tus concursos") && dash.contains("Nuevo concurso"),
        "{dash}"
    );
    app.logout().await;

    let page = app.get_as("/c/mar", "es").await.text().await.unwrap();
    for label in [
        "Participa en el concurso",
        "Título del vídeo",
        "Apellidos",
        "Subir vídeo",
        "Abierto",
        "Premio: A camera",
    ] {
        assert!(page.contains(label), "{label} missing: {page}");
    }
    assert!(page.contains("id=\"upload-form\""));

    let id = app
        .upload_json("mar", &Entry::titled("Olas"), &media("tiny"))
        .await;
    let page = app
        .get_as(&format!("/c/mar/v/{id}"), "es")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Recibido, se convertirá en breve"), "{page}");
    assert!(page.contains("data-msg-converting=\"Convirtiendo…\""));

    let r = app.get_as("/c/nope", "es").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"es\">") && html.contains("No encontrado"),
        "{html}"
    );
}

#[tokio::test]
async fn the_participant_gets_emails_in_the_language_of_the_upload_page() {
    let app = spawn_app().await;
    app.organizer("org-mail@example.org").await;
    assert_eq!(
        app.open_contest("Cortos", "cortos").await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;

    // Spanish reader.
    let form = app
        .upload_form("cortos", &Entry::titled("Olas"), &media("tiny"))
        .await;
    let r = app
        .client
        .post(app.url("/c/cortos/videos"))
        .header("Accept-Language", "es")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain().await;
    // English reader (no header).
    app.upload_json("cortos", &Entry::titled("Waves"), &media("tiny"))
        .await;
    app.drain().await;

    let mails = app.outbox().await;
    assert_eq!(mails.len(), 2);
    let es = mails
        .iter()
        .find(|m| m.contains("Hola Ana"))
        .expect("a Spanish email");
    assert!(
        es.contains("lang=3D\"es\"") || es.contains("lang=\"es\""),
        "{es}"
    );
    assert!(!es.contains("Your video is ready"));
    let en = mails
        .iter()
        .find(|m| m.contains("Hello Ana"))
        .expect("an English email");
    assert!(en.contains("Your video is ready: Waves"), "{en}");
}

#[tokio::test]
async fn upload_refusals_follow_the_page_language() {
    let app = spawn_app().await;
    app.organizer("org-dup@example.org").await;
    assert_eq!(
        app.open_contest("Cortos", "dup").await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;
    app.upload_json("dup", &Entry::titled("Olas"), &media("tiny"))
        .await;

    let form = app
        .upload_form("dup", &Entry::titled("OLAS"), &media("tiny"))
        .await;
    let r = app
        .client
        .post(app.url("/c/dup/videos"))
        .header("Accept-Language", "es")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("Ya hay un vídeo con este título"), "{html}");
    assert!(html.contains("id=\"title-error\""));
}

#[tokio::test]
async fn field_errors_follow_the_page_language() {
    let app = spawn_app().await;
    // Spanish via the switcher cookie (the client keeps it for every request below).
    app.get_as("/lang/es", "es").await;

    let r = app.register("not-an-email", "short").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Introduce una dirección de correo válida"),
        "{html}"
    );
    assert!(
        html.contains("La contraseña debe tener al menos 10 caracteres."),
        "{html}"
    );
    assert!(!html.contains("Please enter a valid email address"));

    app.organizer("org-campos@example.org").await;
    let now = chrono::Utc::now();
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
    let (starts, ends) = (fmt(now), fmt(now + chrono::Duration::days(7)));
    let r = app
        .create_contest("Cortos", "Con Espacios", &starts, &ends, None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("El nombre en la URL solo puede usar letras minúsculas"),
        "{html}"
    );
    let r = app
        .create_contest("Cortos", "new", &starts, &ends, None)
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Ese nombre en la URL está reservado"));
    let r = app
        .create_contest("", "cortos", &starts, "nope", None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("El campo «Nombre» es obligatorio."), "{html}");
    assert!(html.contains("Introduce una fecha y hora de fin"), "{html}");
}

#[tokio::test]
async fn error_page_sentences_follow_the_page_language() {
    let app = spawn_app().await;
    let r = app.get_as("/c/nope", "es").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.unwrap();
    assert!(html.contains("No hemos encontrado esa página."), "{html}");
    assert!(!html.contains("We could not find that page."));

    // English stays the default.
    let html = app.get_html("/c/nope").await;
    assert!(html.contains("We could not find that page."), "{html}");

    // A form without its CSRF token.
    let r = app
        .client
        .post(app.url("/register"))
        .header("Accept-Language", "es")
        .form(&[("email", "a@b.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Tu sesión ha caducado"));
}

#[tokio::test]
async fn english_field_errors_are_unchanged() {
    let app = spawn_app().await;
    let r = app.register("not-an-email", "short").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Please enter a valid email address, like name@example.org."),
        "{html}"
    );
    assert!(
        html.contains("The password must be at least 10 characters long."),
        "{html}"
    );
}

#[tokio::test]
async fn content_refusals_follow_the_page_language() {
    let app = spawn_app().await;
    app.organizer("org-probe@example.org").await;
    assert_eq!(
        app.open_contest("Cortos", "probe").await.status(),
        StatusCode::SEE_OTHER
    );
    app.logout().await;

    let form = app
        .upload_form("probe", &Entry::titled("Basura"), &media("garbage"))
        .await;
    let r = app
        .client
        .post(app.url("/c/probe/videos"))
        .header("Accept-Language", "es")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Este archivo no es un vídeo admitido"),
        "{html}"
    );
    assert!(html.contains("id=\"video-error\""), "{html}");
}
