use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::{MailError, Mailer};
use crate::config::MailSettings;
use crate::db::Email;

/// Builds the RFC 5322 message: plain text and HTML alternatives.
pub fn build_message(from: &str, email: &Email) -> Result<Message, MailError> {
    let from: Mailbox = from.parse().map_err(|e| MailError::Permanent(format!("bad sender address {from:?}: {e}")))?;
    let to: Mailbox = email
        .recipient
        .parse()
        .map_err(|e| MailError::Permanent(format!("bad recipient address {:?}: {e}", email.recipient)))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{}@clipcontest>", email.id)))
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.body_text.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.body_html.clone())),
        )
        .map_err(|e| MailError::Permanent(format!("cannot build message: {e}")))
}

/// Writes each message as `<data_dir>/outbox/<id>.eml`.
pub struct FileMailer {
    from: String,
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl FileMailer {
    pub fn new(from: &str, dir: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self { from: from.to_string(), transport: AsyncFileTransport::new(dir) })
    }
}

#[async_trait::async_trait]
impl Mailer for FileMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let msg = build_message(&self.from, email)?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| MailError::Transient(e.to_string()))
    }
}

pub struct SmtpMailer {
    from: String,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(s: &MailSettings) -> Result<Self, String> {
        let host = s.smtp_host.as_deref().ok_or("mail.smtp_host is not set")?;
        let mut b = match s.smtp_tls.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?,
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| e.to_string())?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            other => return Err(format!("mail.smtp_tls must be tls, starttls or none (got {other:?})")),
        };
        if let Some(port) = s.smtp_port {
            b = b.port(port);
        }
        if let (Some(user), Some(pass)) = (&s.smtp_username, &s.smtp_password) {
            b = b.credentials(Credentials::new(user.clone(), pass.expose_secret().to_string()));
        }
        Ok(Self { from: s.from.clone(), transport: b.build() })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let msg = build_message(&self.from, email)?;
        match self.transport.send(msg).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(to: &str) -> Email {
        Email {
            id: "e1".into(),
            video_id: None,
            recipient: to.into(),
            subject: "Your video is ready".into(),
            body_text: "Hello".into(),
            body_html: "<p>Hello &lt;b&gt;</p>".into(),
            state: "pending".into(),
            attempts: 0,
            last_error: None,
        }
    }

    #[test]
    fn builds_multipart_alternative() {
        let m = build_message("Clipcontest <no-reply@example.org>", &email("ana@example.org")).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain"));
        assert!(raw.contains("text/html"));
        assert!(raw.contains("To: ana@example.org"));
    }

    #[test]
    fn bad_recipient_is_permanent() {
        assert!(matches!(build_message("a@example.org", &email("not an address")), Err(MailError::Permanent(_))));
    }

    #[tokio::test]
    async fn file_mailer_writes_eml() {
        let dir = tempfile::tempdir().unwrap();
        let m = FileMailer::new("a@example.org", dir.path().to_path_buf()).unwrap();
        m.send(&email("ana@example.org")).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().unwrap(), "eml");
    }
}
