//! One error type for handlers; the status mapping lives here. Users see one sentence,
//! logs get the cause chain; never a stack trace or SQL.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::i18n::Lang;
use crate::views::{ErrorPage, Layout};

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// English (logs, JSON API responses).
    pub message: String,
    pub json: bool,
    /// The catalogue key of `message`, so an HTML page can show it in the request's language.
    pub key: Option<&'static str>,
}

impl AppError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            json: false,
            key: None,
        }
    }
    /// An error whose sentence comes from the i18n catalogue (English in `message`).
    pub fn keyed(status: StatusCode, key: &'static str) -> Self {
        Self {
            key: Some(key),
            ..Self::new(status, Lang::En.t(key))
        }
    }
    /// The sentence in the current request's language (English outside a request or unkeyed).
    pub fn localized(&self) -> String {
        match self.key {
            Some(k) => Lang::current().t(k).to_string(),
            None => self.message.clone(),
        }
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn forbidden(m: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, m)
    }
    pub fn not_found() -> Self {
        Self::keyed(StatusCode::NOT_FOUND, "error.msg_not_found")
    }
    /// Logs the cause and shows a generic sentence.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::keyed(StatusCode::INTERNAL_SERVER_ERROR, "error.msg_internal")
    }
    pub fn as_json(mut self, json: bool) -> Self {
        self.json = json;
        self
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.json {
            return HttpResponse::build(self.status)
                .json(serde_json::json!({ "error": self.message }));
        }
        let message = self.localized();
        let page = ErrorPage {
            layout: Layout::anonymous(),
            status: self.status.as_u16(),
            message: &message,
        };
        match page.render() {
            Ok(html) => HttpResponse::build(self.status)
                .content_type("text/html; charset=utf-8")
                .body(html),
            Err(_) => HttpResponse::build(self.status)
                .content_type("text/plain; charset=utf-8")
                .body(message),
        }
    }
}

impl From<shared::error::DbError> for AppError {
    fn from(e: shared::error::DbError) -> Self {
        match e {
            shared::error::DbError::NotFound => Self::not_found(),
            other => Self::internal(other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::internal(e)
    }
}

impl From<shared::storage::StorageError> for AppError {
    fn from(e: shared::storage::StorageError) -> Self {
        Self::internal(e)
    }
}

impl From<actix_session::SessionGetError> for AppError {
    fn from(e: actix_session::SessionGetError) -> Self {
        Self::internal(e)
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(e: actix_session::SessionInsertError) -> Self {
        Self::internal(e)
    }
}

/// Renders a template into a 200 (or given status) HTML response.
pub fn html(status: StatusCode, t: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(t.render()?))
}

pub type AppResult = Result<HttpResponse, AppError>;
