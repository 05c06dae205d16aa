//! Page languages: English and Spanish (the seed system's users wrote in Spanish).
//!
//! The sentences live in the one Fluent catalogue of the `shared` crate
//! (`shared/locales/<lang>/*.ftl`, see [`shared::i18n`] for why Fluent and how it is embedded in
//! the binary); the worker's emails and failure reasons read the same files. This module only
//! decides which language a request gets and offers the lookups pages and handlers use:
//! [`Lang::t`] for a plain message, [`Lang::tf`] for one named argument
//! (`layout.tf("err.too_large", "max", max_upload_mb)`), [`Lang::tw`] for several.
//!
//! How the language reaches a page: the `negotiate` middleware picks it once per request (the
//! `lang` cookie wins over `Accept-Language`) and runs the rest of the request inside a task-local
//! scope. Handlers build their `Layout` from it, and so does `AppError::error_response`, which has
//! no access to the request; threading a `Lang` through every handler signature would reach
//! the same pages with more code.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use shared::i18n::{self, Args};

pub const COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// What a page needs to know about the request it answers: its language and, for GET pages,
/// the path to come back to after switching language.
#[derive(Debug, Clone, Default)]
pub struct RequestLang {
    pub lang: Lang,
    pub back_to: Option<String>,
}

tokio::task_local! {
    static CURRENT: RequestLang;
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// `es`, `es-MX`, `ES` → Spanish; unknown tags → `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The supported language with the highest `q` in an `Accept-Language` header (ties keep the
    /// header's order); English when none matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The language of the request being handled (English outside a request).
    pub fn current() -> Lang {
        CURRENT.try_with(|c| c.lang).unwrap_or_default()
    }

    /// The message for `key`; the key itself (and a warning in the log) if the catalogue lacks
    /// it (a test keeps that from happening for every key used in a template or handler).
    pub fn t(self, key: &str) -> String {
        i18n::text(self.code(), key)
    }

    /// A message with its one named argument: `tf("err.too_large", "max", 2048)` fills
    /// `{ $max }` (askama escapes the result).
    pub fn tf(self, key: &str, name: &'static str, value: impl std::fmt::Display) -> String {
        i18n::text_with(self.code(), key, &Args::new().with(name, value))
    }

    /// A message with several named arguments.
    pub fn tw(self, key: &str, args: &Args) -> String {
        i18n::text_with(self.code(), key, args)
    }

    /// A validation failure from `shared::domain` in this language.
    pub fn field_error(self, e: &shared::domain::FieldError) -> String {
        e.message(self.code())
    }

    /// An ffprobe refusal in this language.
    pub fn rejection(self, r: &shared::media::Rejection) -> String {
        r.message(self.code())
    }

    /// A conversion failure's public sentence from the stored code (`videos.error`): one of a
    /// fixed set, never raw ffmpeg output.
    pub fn failure(self, stored: &str) -> String {
        shared::media::failure::public_sentence(stored, self.code())
    }
}

/// The request's language, chosen once; the request then runs inside that scope.
pub async fn negotiate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let from_cookie = req.cookie(COOKIE).and_then(|c| Lang::parse(c.value()));
    let lang = from_cookie.unwrap_or_else(|| {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    });
    let back_to =
        (req.method() == actix_web::http::Method::GET).then(|| match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{}", req.path(), q),
        });
    let mut res = CURRENT
        .scope(RequestLang { lang, back_to }, next.call(req))
        .await?;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
        // Shared caches must not hand a Spanish page to an English reader.
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    Ok(res)
}

/// The current request's language and switcher target.
pub fn request_lang() -> RequestLang {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// A local path to send the visitor back to: absolute path, no scheme-relative `//host` or
/// backslash tricks (no open redirect), otherwise the home page.
pub fn safe_back_to(next: Option<&str>) -> &str {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("es"), Lang::Es);
        assert_eq!(
            Lang::from_accept_language("es-ES,es;q=0.9,en;q=0.8"),
            Lang::Es
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7"),
            Lang::Es
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,es;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5, es;q=0.6"), Lang::Es);
        assert_eq!(Lang::from_accept_language("es;q=0"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }

    #[test]
    fn back_to_is_local_only() {
        assert_eq!(safe_back_to(Some("/c/sea?page=2")), "/c/sea?page=2");
        assert_eq!(safe_back_to(Some("//evil.example/")), "/");
        assert_eq!(safe_back_to(Some("https://evil.example/")), "/");
        assert_eq!(safe_back_to(Some("/\\evil.example")), "/");
        assert_eq!(safe_back_to(None), "/");
    }

    #[test]
    fn field_errors_follow_the_language() {
        let e = shared::domain::BoundedText::parse("name", "cform.name", "", true, 10).unwrap_err();
        assert_eq!(Lang::En.field_error(&e), "Name is required.");
        assert_eq!(
            Lang::Es.field_error(&e),
            "El campo «Nombre» es obligatorio."
        );
        let e =
            shared::domain::BoundedText::parse("prize", "cform.prize", "12345678901", false, 10)
                .unwrap_err();
        assert_eq!(
            Lang::Es.field_error(&e),
            "El campo «Premio» admite como máximo 10 caracteres."
        );
        for bad in ["ab", "Upper", "-lead", "new"] {
            let e = shared::domain::ContestSlug::parse(bad).unwrap_err();
            assert!(i18n::has(e.code), "{}", e.code);
            assert_eq!(Lang::En.field_error(&e), Lang::En.t(e.code));
            assert_ne!(Lang::Es.field_error(&e), Lang::En.field_error(&e));
        }
        let e = shared::domain::EmailAddress::parse("email", "nope").unwrap_err();
        assert_eq!(
            Lang::En.field_error(&e),
            "Please enter a valid email address, like name@example.org."
        );
        assert!(Lang::Es
            .field_error(&e)
            .starts_with("Introduce una dirección de correo válida"));
    }

    #[test]
    fn probe_rejections_follow_the_language() {
        let r = shared::media::Rejection {
            code: "probe.too_long",
            args: Args::new().with("secs", 700).with("max", 600),
        };
        assert_eq!(
            Lang::En.rejection(&r),
            "The video is 700 seconds long; the limit is 600 seconds."
        );
        assert_eq!(r.to_string(), Lang::En.rejection(&r));
        assert_eq!(
            Lang::Es.rejection(&r),
            "El vídeo dura 700 segundos; el límite es de 600 segundos."
        );
    }

    #[test]
    fn a_missing_key_shows_itself() {
        assert_eq!(Lang::Es.t("nope.missing"), "nope.missing");
        assert_eq!(
            Lang::En.tf("err.too_large", "max", 5),
            "The video is larger than the limit of 5 MB."
        );
    }

    /// Every catalogue key the web crate (and the worker) names exists, so no page or email shows
    /// a raw key: any string literal in `src/` and `templates/` (the scripts' message attributes included) shaped like
    /// `group.name` whose group is one of the catalogue's (`err`, `limit`, `cform`, …), and no
    /// template branches on the language.
    #[test]
    fn every_key_used_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut groups = std::collections::BTreeSet::new();
        for f in std::fs::read_dir(root.join("../shared/locales/en")).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" = ") {
                    if let Some((group, _)) = id.split_once('-') {
                        groups.insert(group.to_string());
                    }
                }
            }
        }
        assert!(
            groups.contains("err") && groups.contains("vstate"),
            "{groups:?}"
        );
        let is_key = |s: &str| {
            s.split_once('.').is_some_and(|(g, name)| {
                groups.contains(g)
                    && !name.is_empty()
                    // Template and asset file names (`error.html`) are not keys.
                    && !matches!(name, "html" | "txt" | "js" | "css" | "json" | "csv" | "vtt")
                    // The Open Graph type of a video page.
                    && s != "video.other"
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
        };
        // The worker's emails too: they read the same catalogue.
        let mut files = vec![
            root.join("templates"),
            root.join("src"),
            root.join("../shared/templates"),
            root.join("../worker/src"),
        ];
        let mut checked = 0;
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(
                !text.contains(&["{% if ", "es"].concat()),
                "{}: say it in the catalogue, not in a language branch",
                p.display()
            );
            for lit in text.split('"').skip(1).step_by(2) {
                if is_key(lit) && lit != "nope.missing" {
                    assert!(i18n::has(lit), "{}: unknown key {lit}", p.display());
                    checked += 1;
                }
            }
        }
        assert!(
            checked > 150,
            "found only {checked} keys: is the scan broken?"
        );
        for state in shared::domain::VideoState::ALL {
            assert!(i18n::has(&format!("vstate.{state}")));
        }
    }
}
