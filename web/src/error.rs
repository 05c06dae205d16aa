//! One error type for handlers; the status mapping lives here. Users see one sentence,
//! logs get the cause chain; never a stack trace or SQL.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::views::{ErrorPage, Layout};

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub message: String,
    pub json: bool,
}

impl AppError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), json: false }
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn forbidden(m: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, m)
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "We could not find that page.")
    }
    /// Logs the cause and shows a generic sentence.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again in a moment.")
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
            return HttpResponse::build(self.status).json(serde_json::json!({ "error": self.message }));
        }
        let page = ErrorPage { layout: Layout::anonymous(), status: self.status.as_u16(), message: &self.message };
        match page.render() {
            Ok(html) => HttpResponse::build(self.status).content_type("text/html; charset=utf-8").body(html),
            Err(_) => HttpResponse::build(self.status).content_type("text/plain; charset=utf-8").body(self.message.clone()),
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
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(t.render()?))
}

pub type AppResult = Result<HttpResponse, AppError>;
