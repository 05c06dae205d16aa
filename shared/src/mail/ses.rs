//! SES v2: the same MIME message the local backends write, sent as raw content.
use aws_sdk_sesv2::error::{DisplayErrorContext, SdkError};
use aws_sdk_sesv2::operation::send_email::SendEmailError;
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{Destination, EmailContent, RawMessage};
use aws_sdk_sesv2::Client;

use super::{build_message, MailError, Mailer};
use crate::db::Email;

pub struct SesMailer {
    client: Client,
    from: String,
    configuration_set: Option<String>,
}

impl SesMailer {
    pub fn new(client: Client, from: &str, configuration_set: Option<&str>) -> Self {
        Self {
            client,
            from: from.to_string(),
            configuration_set: configuration_set
                .filter(|c| !c.is_empty())
                .map(str::to_string),
        }
    }
}

/// Rejections that will fail the same way next time vs. everything else (throttling, 5xx,
/// timeouts, a paused account) which a later attempt may get through.
fn classify(e: SdkError<SendEmailError, aws_sdk_sesv2::config::http::HttpResponse>) -> MailError {
    let permanent = match e.as_service_error() {
        Some(s) => {
            s.is_message_rejected()
                || s.is_mail_from_domain_not_verified_exception()
                || s.is_bad_request_exception()
                || s.is_not_found_exception()
        }
        None => false,
    };
    let msg = format!("SES SendEmail failed: {}", DisplayErrorContext(&e));
    if permanent {
        MailError::Permanent(explain_rejection(&msg))
    } else {
        MailError::Transient(msg)
    }
}

/// A rejection as the organizer reads it (the mail list of a contest shows it). While the SES
/// account is in the sandbox, SES refuses every recipient that is not a verified identity:
/// that is said plainly, with what to do, instead of the raw error alone.
pub fn explain_rejection(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("not verified") || lower.contains("failed the check") {
        format!(
            "refused by SES: the recipient is not a verified address and the SES account is in the \
             sandbox (only verified addresses receive mail until AWS grants production access). {raw}"
        )
    } else if lower.contains("suppression list") {
        format!("refused by SES: the address is on the account's suppression list. {raw}")
    } else {
        raw.to_string()
    }
}

#[async_trait::async_trait]
impl Mailer for SesMailer {
    #[tracing::instrument(skip_all, fields(email_id = %email.id))]
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let raw = build_message(&self.from, email)?.formatted();
        let raw = RawMessage::builder()
            .data(Blob::new(raw))
            .build()
            .map_err(|e| MailError::Permanent(e.to_string()))?;
        self.client
            .send_email()
            .from_email_address(&self.from)
            // The envelope recipient; the headers inside the raw message are what the reader sees.
            .destination(
                Destination::builder()
                    .to_addresses(&email.recipient)
                    .build(),
            )
            .content(EmailContent::builder().raw(raw).build())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::explain_rejection;

    #[test]
    fn sandbox_rejections_are_explained() {
        let raw = "SES SendEmail failed: MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: ana@example.org";
        let e = explain_rejection(raw);
        assert!(e.starts_with("refused by SES: the recipient is not a verified address and the SES account is in the sandbox"), "{e}");
        assert!(e.ends_with(raw));
        let e = explain_rejection(
            "SES SendEmail failed: MessageRejected: Address is on the suppression list",
        );
        assert!(e.contains("suppression list"), "{e}");
        assert_eq!(
            explain_rejection("SES SendEmail failed: BadRequest"),
            "SES SendEmail failed: BadRequest"
        );
    }
}
