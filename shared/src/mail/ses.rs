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
        MailError::Permanent(msg)
    } else {
        MailError::Transient(msg)
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
