//! One error model for every handler: [`AppError`]. The status mapping lives in
//! [`AppError::status`]; HTML or JSON is decided once per request by [`negotiate_format`]
//! (`Accept: application/json` or an `/api/` path → JSON). Users see one sentence; unexpected
//! errors log their whole cause chain and show a generic sentence, never a stack trace or SQL.
//!
//! JSON clients get `{"error": "<sentence>", "code": "<kind>"}`, plus `"field"` when one form
//! field is at fault and `"retry_after"` (seconds, also in the `Retry-After` header) for 429/503.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::i18n::Lang;
use crate::views::{ErrorPage, Layout};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: a field (or the whole form, `field = "form"`) is not acceptable.
    #[error("invalid {field}: {message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    /// 413: the body or a file is larger than allowed.
    #[error("too large ({field}): {message}")]
    TooLarge {
        field: &'static str,
        message: String,
    },
    /// 415: a file is not of a supported kind.
    #[error("unsupported ({field}): {message}")]
    Unsupported {
        field: &'static str,
        message: String,
    },
    /// 422: well-formed but not possible now (a closed contest).
    #[error("not possible: {message}")]
    Unprocessable { message: String },
    /// 409: clashes with what exists (a duplicate title or slug).
    #[error("conflict on {field}: {message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
    /// 404.
    #[error("not found")]
    NotFound,
    /// 401: log in first.
    #[error("not logged in")]
    Unauthorized,
    /// 403: CSRF, or someone else's contest.
    #[error("forbidden: {message}")]
    Forbidden { message: String },
    /// 408: the client stopped sending the body.
    #[error("timed out: {message}")]
    TimedOut { message: String },
    /// 429 with `Retry-After`.
    #[error("too many requests (retry after {retry_after}s): {message}")]
    TooManyRequests { retry_after: u64, message: String },
    /// 503 with `Retry-After`.
    #[error("unavailable (retry after {retry_after}s): {message}")]
    ServiceUnavailable { retry_after: u64, message: String },
    /// 500: logged with its cause chain when created; the user sees a generic sentence.
    #[error("unexpected: {0:#}")]
    Unexpected(anyhow::Error),
}

impl AppError {
    /// The one status mapping.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation { .. } => StatusCode::BAD_REQUEST,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unsupported { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::TimedOut { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::ServiceUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short machine-readable name of the kind (JSON `code`, metrics).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation",
            Self::TooLarge { .. } => "too_large",
            Self::Unsupported { .. } => "unsupported",
            Self::Unprocessable { .. } => "unprocessable",
            Self::Conflict { .. } => "conflict",
            Self::NotFound => "not_found",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::TimedOut { .. } => "timed_out",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::ServiceUnavailable { .. } => "unavailable",
            Self::Unexpected(_) => "unexpected",
        }
    }

    /// The form field at fault, if one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Validation { field, .. }
            | Self::TooLarge { field, .. }
            | Self::Unsupported { field, .. }
            | Self::Conflict { field, .. } => Some(field),
            Self::Unprocessable { .. } => Some("form"),
            _ => None,
        }
    }

    /// Seconds to wait, for 429 and 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after, .. }
            | Self::ServiceUnavailable { retry_after, .. } => Some((*retry_after).max(1)),
            _ => None,
        }
    }

    /// The sentence for the user, in the request's language.
    pub fn message(&self) -> String {
        let lang = Lang::current();
        match self {
            Self::Validation { message, .. }
            | Self::TooLarge { message, .. }
            | Self::Unsupported { message, .. }
            | Self::Unprocessable { message }
            | Self::Conflict { message, .. }
            | Self::Forbidden { message }
            | Self::TimedOut { message }
            | Self::TooManyRequests { message, .. }
            | Self::ServiceUnavailable { message, .. } => message.clone(),
            Self::NotFound => lang.t("error.msg_not_found"),
            Self::Unauthorized => lang.t("error.msg_log_in"),
            Self::Unexpected(_) => lang.t("error.msg_internal"),
        }
    }

    /// A field error with a catalogue sentence.
    pub fn invalid(field: &'static str, key: &str) -> Self {
        Self::Validation {
            field,
            message: Lang::current().t(key),
        }
    }

    /// The whole form is unreadable (malformed multipart, not UTF-8, cut off).
    pub fn unreadable_form() -> Self {
        Self::invalid("form", "error.msg_unreadable_form")
    }

    pub fn not_found() -> Self {
        Self::NotFound
    }

    pub fn forbidden_key(key: &str) -> Self {
        Self::Forbidden {
            message: Lang::current().t(key),
        }
    }

    pub fn too_many(retry_after: u64, key: &str) -> Self {
        Self::TooManyRequests {
            retry_after,
            message: Lang::current().tf(key, "secs", retry_after.max(1)),
        }
    }

    pub fn unavailable(retry_after: u64, key: &str) -> Self {
        Self::ServiceUnavailable {
            retry_after,
            message: Lang::current().tf(key, "secs", retry_after.max(1)),
        }
    }

    /// Logs the whole cause chain now and shows a generic sentence.
    pub fn unexpected(e: impl Into<anyhow::Error>) -> Self {
        let e = e.into();
        tracing::error!(error = format!("{e:#}"), "unexpected error");
        Self::Unexpected(e)
    }

    /// For `map_err` on errors that only implement `Display` (e.g. a join error's payload).
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::unexpected(anyhow::anyhow!("{e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status();
        let message = self.message();
        let mut res = HttpResponse::build(status);
        if let Some(s) = self.retry_after() {
            res.insert_header(("Retry-After", s.to_string()));
        }
        if wants_json() {
            let mut body = serde_json::json!({ "error": message, "code": self.code() });
            if let Some(f) = self.field() {
                body["field"] = f.into();
            }
            if let Some(s) = self.retry_after() {
                body["retry_after"] = s.into();
            }
            return res.json(body);
        }
        let page = ErrorPage {
            layout: Layout::anonymous(),
            status: status.as_u16(),
            message: &message,
        };
        match page.render() {
            Ok(html) => res.content_type("text/html; charset=utf-8").body(html),
            Err(_) => res.content_type("text/plain; charset=utf-8").body(message),
        }
    }
}

impl From<shared::error::DbError> for AppError {
    fn from(e: shared::error::DbError) -> Self {
        match e {
            shared::error::DbError::NotFound => Self::NotFound,
            other => Self::unexpected(other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::unexpected(e)
    }
}

impl From<shared::storage::StorageError> for AppError {
    fn from(e: shared::storage::StorageError) -> Self {
        Self::unexpected(e)
    }
}

impl From<actix_session::SessionGetError> for AppError {
    fn from(e: actix_session::SessionGetError) -> Self {
        Self::unexpected(anyhow::anyhow!("{e}"))
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(e: actix_session::SessionInsertError) -> Self {
        Self::unexpected(anyhow::anyhow!("{e}"))
    }
}

tokio::task_local! {
    static JSON: bool;
}

/// Whether the request being handled wants JSON (false outside a request).
pub fn wants_json() -> bool {
    JSON.try_with(|j| *j).unwrap_or(false)
}

/// Decides once per request whether errors (and the upload's answer) are JSON or HTML.
pub async fn negotiate_format(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let json = req.path().starts_with("/api/")
        || req
            .headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
    JSON.scope(json, next.call(req)).await
}

/// Renders a template into an HTML response with the given status.
pub fn html(status: StatusCode, t: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(t.render()?))
}

pub type AppResult = Result<HttpResponse, AppError>;
