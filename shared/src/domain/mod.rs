//! Domain values: parsed once at the edge, valid by construction afterwards.
mod email;
mod review;
mod slug;
mod text;
mod video_state;

pub use email::EmailAddress;
pub use review::ReviewState;
pub use slug::ContestSlug;
pub use text::{BoundedText, PersonName, VideoTitle};
pub use video_state::VideoState;

use crate::i18n::Args;

/// A user-facing validation failure: which field, a stable code and the code's named arguments;
/// no sentence. The code (e.g. `field.required`, `slug.length`) is a key of the message
/// catalogue ([`crate::i18n`]) and the JSON `code`; [`FieldError::message`] says it in a
/// language. `label` is the catalogue key of the field's name, which a sentence shows as
/// `{ $label }` (translated too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {}", self.message("en"))]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub label: Option<&'static str>,
    pub args: Args,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self {
            field,
            code,
            label: None,
            args: Args::new(),
        }
    }

    /// The field's name as a catalogue key (`cform.name`), for `{ $label }`.
    pub fn with_label(mut self, label: &'static str) -> Self {
        self.label = Some(label);
        self
    }

    pub fn with_arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.args = self.args.with(name, value);
        self
    }

    /// The sentence in `lang` (a language code: `en`, `es`).
    pub fn message(&self, lang: &str) -> String {
        let args = match self.label {
            Some(label) => self
                .args
                .clone()
                .with("label", crate::i18n::text(lang, label)),
            None => self.args.clone(),
        };
        crate::i18n::text_with(lang, self.code, &args)
    }
}

/// New app-generated IDs (UUIDv7: time-ordered, identical on SQLite and MySQL).
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
