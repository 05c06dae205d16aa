//! Outgoing mail: `.eml` files or SMTP locally, SES v2 on AWS. Rows in `emails` are the outbox;
//! a `SendEmail` job delivers each one with retries. [`compose`] renders the participants',
//! judges' and winners' mails (web and worker both write them into the outbox).
pub mod compose;
pub mod events;
mod local;
mod ses;

pub use local::{build_message, FileMailer, SmtpMailer};
pub use ses::{explain_rejection, SesMailer};

use crate::db::Email;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth retrying (network, throttling, 4xx SMTP).
    #[error("temporary mail failure: {0}")]
    Transient(String),
    /// Will never work (bad address, rejected content): recorded on the email row.
    #[error("permanent mail failure: {0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: &Email) -> Result<(), MailError>;
}
