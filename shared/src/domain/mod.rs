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
///
/// `message` is the English sentence (logs, JSON API); `code` is a stable key (e.g.
/// `field.required`, `slug.length`) that the web layer looks up in its message catalogue to
/// render the sentence in the page's language, filling in `label` (the field's English label,
/// when the sentence names it) and `arg` (e.g. a maximum length).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
    pub code: &'static str,
    pub label: Option<String>,
    pub arg: Option<String>,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
            code,
            label: None,
            arg: None,
        }
    }

    pub fn with_label(mut self, label: &str) -> Self {
        self.label = Some(label.to_string());
        self
    }

    pub fn with_arg(mut self, arg: impl std::fmt::Display) -> Self {
        self.arg = Some(arg.to_string());
        self
    }
}

/// New app-generated IDs (UUIDv7: time-ordered, identical on SQLite and MySQL).
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
