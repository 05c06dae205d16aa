//! The one wiring place: settings → backends → HTTP server (+ the in-process worker).
use std::net::TcpListener;
use std::sync::Arc;

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::SessionMiddleware;
use actix_web::body::MessageBody;
use actix_web::cookie::SameSite;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpServer};
use shared::backends::{check_media_tools, Backends};
use shared::Settings;
use tokio_util::sync::CancellationToken;
use tracing_actix_web::TracingLogger;
use worker::{Pipeline, Worker};

use crate::routes::{self, AppState};

pub struct Application {
    port: u16,
    host: String,
    server: Server,
    backends: Backends,
    settings: Arc<Settings>,
    worker: Option<tokio::task::JoinHandle<()>>,
    sweeper: Option<tokio::task::JoinHandle<()>>,
    digest: Option<tokio::task::JoinHandle<()>>,
    cancel: CancellationToken,
}

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        check_media_tools(&settings).await?;
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data folder {}: {e}; set APP_DATA_DIR",
                settings.data_dir.display()
            )
        })?;
        settings.data_dir = settings.data_dir.canonicalize()?;
        let backends = Backends::build(&settings).await?;
        let key = crate::security::session_key(&settings)?;
        let listener = TcpListener::bind(&settings.listen).map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {}: {e}; set APP_LISTEN to a free address",
                settings.listen
            )
        })?;
        let addr = listener.local_addr()?;
        let settings = Arc::new(settings);
        let cancel = CancellationToken::new();
        let worker = settings.embedded_worker.then(|| {
            let w = Worker::new(Pipeline::new(backends.clone(), settings.clone()));
            let c = cancel.clone();
            tokio::spawn(async move { w.run_until_stopped(c).await })
        });
        let sweeper = shared::sweeper::Sweeper::spawn(
            backends.clone(),
            settings.clone(),
            shared::sweeper::Scope::All,
            cancel.clone(),
        );
        // The organizer's digest of new entries: every web instance runs passes; the
        // watermark's compare-and-set makes each batch go out once.
        let digest =
            shared::digest::EntryDigest::spawn(backends.clone(), settings.clone(), cancel.clone());
        let state = web::Data::new(AppState::new(settings.clone(), backends.clone()));
        let store = crate::sessions::DbSessionStore::new(backends.db.clone(), &settings.sessions);
        let headers = web::Data::new(crate::headers::SecurityHeaders::new(&settings));
        let secure = settings.secure_cookies;
        let form_config = crate::routes::contest_form_config(&settings);
        // `__Host-`: the browser only accepts it Secure, for this host alone, on every path.
        let cookie_name = if secure {
            "__Host-clipcontest"
        } else {
            "clipcontest"
        };
        let max_body = settings.upload.max_bytes;
        let limiter = routes::login_limiter(&settings);
        let static_files = routes::assets::StaticFiles::new(settings.static_dir.clone());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(
                    SessionMiddleware::builder(store.clone(), key.clone())
                        .cookie_name(cookie_name.into())
                        .cookie_secure(secure)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_path("/".into())
                        .cookie_content_security(CookieContentSecurity::Private)
                        // A browser-session cookie; the server ends the session when idle
                        // (every request pushes the deadline) or too old (`sessions.rs`).
                        .session_lifecycle(
                            BrowserSession::default()
                                .state_ttl(store.idle())
                                .state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
                        )
                        .build(),
                )
                .wrap(from_fn(crate::site::head_as_get))
                .wrap(from_fn(crate::headers::add))
                .wrap(from_fn(crate::error::negotiate_format))
                .wrap(from_fn(crate::i18n::negotiate))
                .wrap(from_fn(count_requests))
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .app_data(headers.clone())
                .app_data(web::PayloadConfig::new(
                    usize::try_from(max_body).unwrap_or(usize::MAX),
                ))
                .app_data(
                    web::FormConfig::default()
                        .limit(64 * 1024)
                        .error_handler(|_, _| crate::error::AppError::unreadable_form().into()),
                )
                .app_data(
                    web::PathConfig::default()
                        .error_handler(|_, _| crate::error::AppError::not_found().into()),
                )
                .app_data(web::QueryConfig::default().error_handler(|_, _| {
                    crate::error::AppError::invalid("query", "error.msg_bad_query").into()
                }))
                .app_data(form_config.clone())
                .configure(|cfg| static_files.clone().configure(cfg))
                .configure(crate::site::configure)
                .configure(|cfg| routes::configure(cfg, &limiter))
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(crate::error::AppError::not_found())
                }))
        })
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
        Ok(Self {
            port: addr.port(),
            host: addr.ip().to_string(),
            server,
            backends,
            settings,
            worker,
            sweeper,
            digest,
            cancel,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    pub fn backends(&self) -> &Backends {
        &self.backends
    }

    pub fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    /// Serves until SIGTERM/SIGINT (actix stops accepting and drains), then lets the worker
    /// finish or release its jobs within the grace period.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let result = self.server.await;
        self.cancel.cancel();
        if let Some(w) = self.worker {
            let _ = w.await;
        }
        for task in [self.sweeper, self.digest].into_iter().flatten() {
            let _ = task.await;
        }
        self.backends.db.close().await;
        Ok(result?)
    }
}

/// Counts requests by method, route pattern and status. Labels come from fixed sets: a method
/// outside `shared::metrics::METHODS` is `other`, a path no route matched is `unmatched`, so a
/// client cannot mint new time series.
async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let method = shared::metrics::method_label(req.method().as_str());
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.backends.metrics.clone());
    let res = next.call(req).await?;
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    if let Some(m) = metrics {
        m.http_requests
            .with_label_values(&[method, route.as_str(), res.status().as_str()])
            .inc();
    }
    Ok(res)
}
