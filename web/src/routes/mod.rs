//! Handlers by area; `configure` wires the URL contract.
pub mod assets;
mod auth;
mod contests;
mod export;
mod home;
mod judging;
mod jury;
mod lang;
mod media;
mod ops;
mod results;
mod review;
mod upload;
mod videos;
mod voting;

use actix_governor::{Governor, GovernorConfigBuilder};
use actix_session::Session;
use actix_web::{guard, web, HttpRequest};
use shared::backends::Backends;
use shared::db::{Contest, User};
use shared::Settings;

use crate::error::AppError;
use crate::security;
use crate::views::Layout;

pub struct AppState {
    pub settings: std::sync::Arc<Settings>,
    pub backends: Backends,
    /// Upload probe + decode checks running at once (CPU work on the web tier).
    pub media_checks: std::sync::Arc<tokio::sync::Semaphore>,
    /// argon2 work, capped (`limits.password_hash_concurrency`).
    pub hasher: security::PasswordHasherPool,
    /// Uploads being received now, in total and per address.
    pub uploads: crate::limits::UploadGate,
    pub client_ip: ClientIp,
}

impl AppState {
    pub fn new(settings: std::sync::Arc<Settings>, backends: Backends) -> Self {
        let l = &settings.limits;
        Self {
            hasher: security::PasswordHasherPool::new(
                l.password_hash_concurrency,
                std::time::Duration::from_millis(l.password_hash_wait_ms),
                backends.metrics.clone(),
            ),
            uploads: crate::limits::UploadGate::new(
                l.concurrent_uploads,
                l.concurrent_uploads_per_address,
            ),
            client_ip: ClientIp {
                trust_forwarded_for: settings.trust_forwarded_for,
            },
            media_checks: std::sync::Arc::new(tokio::sync::Semaphore::new(
                settings.media.check_concurrency.max(1),
            )),
            settings,
            backends,
        }
    }
}

pub type State = web::Data<AppState>;

pub use contests::contest_form_config;

pub type Limiter =
    actix_governor::GovernorConfig<ClientIp, actix_governor::governor::middleware::NoOpMiddleware>;

/// The login/registration rate limit (per client IP). Built once: its state must be shared by
/// every server thread.
pub fn login_limiter(settings: &Settings) -> Limiter {
    let per_minute = settings.login_per_minute.max(1);
    GovernorConfigBuilder::default()
        .seconds_per_request((60 / u64::from(per_minute)).max(1))
        .burst_size(per_minute)
        .key_extractor(ClientIp {
            trust_forwarded_for: settings.trust_forwarded_for,
        })
        .finish()
        .expect("valid rate limit")
}

/// The client's IP: the TCP peer, or, behind a load balancer (`trust_forwarded_for`), the
/// right-most `X-Forwarded-For` entry: the one the balancer appended (it runs with
/// `xff_header_processing_mode = append`). Entries to its left come from the client and can say
/// anything; `Forwarded` is ignored for the same reason.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp {
    pub trust_forwarded_for: bool,
}

impl ClientIp {
    pub fn of(
        &self,
        headers: &actix_web::http::header::HeaderMap,
        peer: Option<std::net::SocketAddr>,
    ) -> Option<std::net::IpAddr> {
        let forwarded = self
            .trust_forwarded_for
            .then(|| {
                headers
                    .get_all("x-forwarded-for")
                    .last()
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .and_then(|v| parse_ip(v.trim()))
            })
            .flatten();
        forwarded.or_else(|| peer.map(|a| a.ip()))
    }

    pub fn of_request(&self, req: &HttpRequest) -> Option<std::net::IpAddr> {
        self.of(req.headers(), req.peer_addr())
    }
}

impl actix_governor::KeyExtractor for ClientIp {
    type Key = std::net::IpAddr;
    type KeyExtractionError = actix_governor::SimpleKeyExtractionError<&'static str>;

    fn extract(
        &self,
        req: &actix_web::dev::ServiceRequest,
    ) -> Result<Self::Key, Self::KeyExtractionError> {
        self.of(req.headers(), req.peer_addr()).ok_or_else(|| {
            actix_governor::SimpleKeyExtractionError::new("Could not tell who is asking.")
        })
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &actix_governor::governor::NotUntil<
            actix_governor::governor::clock::QuantaInstant,
        >,
        _response: actix_web::HttpResponseBuilder,
    ) -> actix_web::HttpResponse {
        use actix_governor::governor::clock::{Clock, DefaultClock};
        use actix_web::ResponseError;
        let wait = negative
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1);
        AppError::too_many(wait, "limit.address").error_response()
    }
}

fn parse_ip(s: &str) -> Option<std::net::IpAddr> {
    s.parse()
        .ok()
        .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

pub fn configure(cfg: &mut web::ServiceConfig, limiter: &Limiter) {
    cfg.route("/", web::get().to(home::index))
        .service(
            web::resource("/register")
                .guard(guard::Post())
                .wrap(Governor::new(limiter))
                .to(auth::register_post),
        )
        .route("/register", web::get().to(auth::register_get))
        .service(
            web::resource("/login")
                .guard(guard::Post())
                .wrap(Governor::new(limiter))
                .to(auth::login_post),
        )
        .route("/login", web::get().to(auth::login_get))
        .route("/logout", web::post().to(auth::logout))
        .route("/dashboard", web::get().to(contests::dashboard))
        .route("/contests/new", web::get().to(contests::new_form))
        .route("/contests", web::post().to(contests::create))
        .route("/c/{slug}", web::get().to(contests::show))
        .route("/c/{slug}/edit", web::get().to(contests::edit_form))
        .route("/c/{slug}/edit", web::post().to(contests::update))
        .route("/c/{slug}/delete", web::post().to(contests::delete))
        .route("/c/{slug}/videos", web::post().to(upload::upload))
        .route("/c/{slug}/v/{id}", web::get().to(videos::show))
        .route("/c/{slug}/v/{id}/retry", web::post().to(videos::retry))
        .route("/c/{slug}/v/{id}/hide", web::post().to(videos::hide))
        .route("/c/{slug}/v/{id}/unhide", web::post().to(videos::unhide))
        .route("/c/{slug}/v/{id}/delete", web::post().to(videos::delete))
        .route("/c/{slug}/v/{id}/approve", web::post().to(review::approve))
        .route("/c/{slug}/v/{id}/reject", web::post().to(review::reject))
        .route("/dashboard/approve", web::post().to(review::bulk_approve))
        .route("/c/{slug}/judging", web::get().to(jury::manage))
        .route(
            "/c/{slug}/judging/rubric",
            web::post().to(jury::save_rubric),
        )
        .route("/c/{slug}/judging/judges", web::post().to(jury::invite))
        .route(
            "/c/{slug}/judging/judges/{judge}/remove",
            web::post().to(jury::remove_judge),
        )
        .route("/c/{slug}/judging/close", web::post().to(jury::close))
        .route("/c/{slug}/judging/reopen", web::post().to(jury::reopen))
        .route("/c/{slug}/results", web::get().to(results::public))
        .route("/c/{slug}/winners", web::get().to(results::form))
        .route("/c/{slug}/winners", web::post().to(results::save))
        .route(
            "/c/{slug}/winners/unpublish",
            web::post().to(results::unpublish),
        )
        .route("/jury", web::get().to(judging::my_juries))
        .route("/jury/invite/{token}", web::get().to(judging::invite_get))
        .route("/jury/invite/{token}", web::post().to(judging::invite_post))
        .route("/c/{slug}/jury", web::get().to(judging::home))
        .route("/c/{slug}/jury/v/{id}", web::get().to(judging::score_form))
        .route("/c/{slug}/jury/v/{id}", web::post().to(judging::score_save))
        .route(
            "/c/{slug}/export/entries.csv",
            web::get().to(export::entries),
        )
        .route("/c/{slug}/export/scores.csv", web::get().to(export::scores))
        .route("/c/{slug}/v/{id}/vote", web::post().to(voting::vote))
        .route("/c/{slug}/v/{id}/unvote", web::post().to(voting::unvote))
        .route("/c/{slug}/voters", web::post().to(voting::request_link))
        .route(
            "/c/{slug}/voters/confirm",
            web::get().to(voting::confirm_page),
        )
        .route("/c/{slug}/voters/confirm", web::post().to(voting::confirm))
        .route("/c/{slug}/export/votes.csv", web::get().to(voting::export))
        .route("/c/{slug}/voting", web::get().to(voting::settings_get))
        .route("/c/{slug}/voting", web::post().to(voting::settings_post))
        .route("/api/videos/{id}", web::get().to(videos::api))
        .route(
            "/c/{slug}/v/{id}/poster.jpg",
            web::get().to(videos::poster_link),
        )
        .route("/c/{slug}/image", web::get().to(videos::contest_image))
        .route("/files/media/{id}/{file}", web::get().to(media::video_file))
        .route(
            "/files/media/{id}/hls/master.m3u8",
            web::get().to(media::hls_master),
        )
        .route(
            "/files/media/{id}/hls/{rung}/{file}",
            web::get().to(media::hls_rung),
        )
        .route(
            "/files/banners/{contest}/{file}",
            web::get().to(media::banner),
        )
        .route("/lang/{code}", web::get().to(lang::switch))
        .route("/healthz", web::get().to(ops::healthz))
        .route("/livez", web::get().to(ops::livez))
        .route("/metrics", web::get().to(ops::metrics));
}

/// The frame data for a page, creating the session's CSRF token if needed.
pub async fn layout(session: &Session, state: &AppState) -> Result<Layout, AppError> {
    let csrf = security::csrf_token(session)?;
    let user_email = match current_user(session, state).await? {
        Some(u) => Some(u.email),
        None => None,
    };
    Ok(Layout::new(csrf, user_email))
}

pub async fn current_user(session: &Session, state: &AppState) -> Result<Option<User>, AppError> {
    match security::user_id(session)? {
        Some(id) => Ok(state.backends.db.user_by_id(&id).await?),
        None => Ok(None),
    }
}

/// The logged-in organizer, or a redirect-worthy 401 page.
pub async fn require_user(session: &Session, state: &AppState) -> Result<User, AppError> {
    current_user(session, state)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The contest, if the logged-in user owns it: 404 when it does not exist, 403 when it is someone else's.
pub async fn owned_contest(
    session: &Session,
    state: &AppState,
    slug: &str,
) -> Result<(User, Contest), AppError> {
    let user = require_user(session, state).await?;
    let contest = state
        .backends
        .db
        .contest_by_slug(slug)
        .await?
        .ok_or_else(AppError::not_found)?;
    if contest.owner_id != user.id {
        return Err(AppError::forbidden_key("error.msg_not_owner"));
    }
    Ok((user, contest))
}

/// Whether this request is answered in JSON (decided once per request; see `error.rs`).
pub fn wants_json() -> bool {
    crate::error::wants_json()
}

pub fn see_other(location: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// Form-encoded body with the CSRF field, used by the simple organizer actions.
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    pub csrf_token: Option<String>,
}
