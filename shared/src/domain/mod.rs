//! Domain values: parsed once at the edge, valid by construction afterwards.

/// sqlx `Any` support for a value stored as its text form: `Display` writes the column,
/// `FromStr` reads it back (a value that does not parse is a decode error naming the column).
macro_rules! text_column {
    ($name:ty) => {
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, sqlx::Any>>::encode(self.to_string(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok(s.parse::<Self>()?)
            }
        }
    };
}

/// One in-memory SQLite connection on the Any driver (the column tests of ids and states).
#[cfg(test)]
async fn memory_db() -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap()
}

mod email;
mod id;
mod slug;
mod state;
mod text;

pub use email::EmailAddress;
pub use id::{new_id, BadId, ContestId, EmailId, JobId, UserId, VideoId};
pub use slug::ContestSlug;
pub use state::{EmailState, JobState, ReviewState, UnknownState, VideoState};
pub use text::{BoundedText, PersonName, VideoTitle};

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
