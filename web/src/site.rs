//! What the web around the site expects: `HEAD` answered like `GET` on every page, the icons
//! browsers and phones ask for at fixed paths, `robots.txt`, and `X-Robots-Tag: noindex` on the
//! pages that must not be indexed (organizer and account pages). Page-level metadata (Open
//! Graph, canonical URL, description) is rendered by the pages themselves (`templates/meta.html`).
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

/// `HEAD` runs the `GET` handler: routes are declared for `GET` only, so without this every page
/// answers `HEAD` with 404. The HTTP layer remembers that the request was `HEAD` and sends the
/// headers (with the `Content-Length` of the body) but no body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// Paths of pages that only make sense to their user: never indexed.
const PRIVATE_PREFIXES: &[&str] = &[
    "/dashboard",
    "/contests",
    "/login",
    "/register",
    "/logout",
    "/api/",
    "/jury",
];

/// Organizer and jury pages under a contest: `/c/{slug}/judging…`, `/c/{slug}/jury…`,
/// `/c/{slug}/export/…`.
const PRIVATE_UNDER_CONTEST: &[&str] = &["judging", "jury", "export"];

pub fn is_private_path(path: &str) -> bool {
    if PRIVATE_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return true;
    }
    let mut parts = path.trim_start_matches('/').split('/');
    parts.next() == Some("c")
        && parts.next().is_some()
        && parts
            .next()
            .is_some_and(|p| PRIVATE_UNDER_CONTEST.contains(&p))
}

pub const NOINDEX: HeaderValue = HeaderValue::from_static("noindex, nofollow");

const ROBOTS: &str = "User-agent: *\n\
Disallow: /dashboard\n\
Disallow: /contests/\n\
Disallow: /login\n\
Disallow: /register\n\
Disallow: /api/\n\
Disallow: /jury\n\
Disallow: /files/banners/\n";

async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(ROBOTS)
}

/// An embedded static file at a fixed root path (`/favicon.ico`), cached for a day (the name
/// cannot carry a content hash).
fn root_file(name: &'static str) -> impl Fn() -> std::future::Ready<HttpResponse> + Clone {
    move || {
        std::future::ready(match crate::assets::file(name) {
            Some((bytes, content_type)) => HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, content_type))
                .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
                .body(bytes),
            None => HttpResponse::NotFound().finish(),
        })
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/robots.txt", web::get().to(robots))
        .route("/favicon.ico", web::get().to(root_file("favicon.ico")))
        .route(
            "/apple-touch-icon.png",
            web::get().to(root_file("apple-touch-icon.png")),
        )
        .route(
            "/apple-touch-icon-precomposed.png",
            web::get().to(root_file("apple-touch-icon.png")),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_paths_are_recognised() {
        for p in ["/dashboard", "/contests/new", "/login", "/api/videos/x"] {
            assert!(is_private_path(p), "{p}");
        }
        for p in ["/", "/c/olas", "/c/olas/v/1", "/robots.txt"] {
            assert!(!is_private_path(p), "{p}");
        }
    }
}
