//! Domain values: parsed once at the edge, valid by construction afterwards.
mod email;
mod slug;
mod text;
mod video_state;

pub use email::EmailAddress;
pub use slug::ContestSlug;
pub use text::{BoundedText, PersonName, VideoTitle};
pub use video_state::VideoState;

/// A user-facing validation failure: which field, and one sentence about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

/// New app-generated IDs (UUIDv7: time-ordered, identical on SQLite and MySQL).
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
