use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use super::{MailError, Mailer};
use crate::config::SmtpTls;
use crate::db::Email;

/// Builds the RFC 5322 message: plain text and HTML alternatives.
pub fn build_message(from: &str, email: &Email) -> Result<Message, MailError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| MailError::Permanent(format!("bad sender address {from:?}: {e}")))?;
    let to: Mailbox = email.recipient.parse().map_err(|e| {
        MailError::Permanent(format!("bad recipient address {:?}: {e}", email.recipient))
    })?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{}@clipcontest>", email.id)))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(email.body_text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(email.body_html.clone()),
                ),
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
        Ok(Self {
            from: from.to_string(),
            transport: AsyncFileTransport::new(dir),
        })
    }
}

#[async_trait::async_trait]
impl Mailer for FileMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let msg = build_message(&self.from, email)?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Transient(e.to_string()))
    }
}

pub struct SmtpMailer {
    from: String,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(
        from: &str,
        host: &str,
        port: Option<u16>,
        credentials: Option<&(String, SecretString)>,
        tls: SmtpTls,
    ) -> Result<Self, String> {
        let mut b = match tls {
            SmtpTls::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?
            }
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| e.to_string())?,
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        if let Some(port) = port {
            b = b.port(port);
        }
        if let Some((user, pass)) = credentials {
            b = b.credentials(Credentials::new(
                user.clone(),
                pass.expose_secret().to_string(),
            ));
        }
        Ok(Self {
            from: from.to_string(),
            transport: b.build(),
        })
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
            id: crate::domain::EmailId::new(),
            video_id: None,
            recipient: to.into(),
            subject: "Your video is ready".into(),
            body_text: "Hello".into(),
            body_html: "<p>Hello &lt;b&gt;</p>".into(),
            state: crate::domain::EmailState::Pending,
            attempts: 0,
            last_error: None,
        }
    }

    #[test]
    fn builds_multipart_alternative() {
        let m = build_message(
            "Clipcontest <no-reply@example.org>",
            &email("ana@example.org"),
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain"));
        assert!(raw.contains("text/html"));
        assert!(raw.contains("To: ana@example.org"));
    }

    #[test]
    fn bad_recipient_is_permanent() {
        assert!(matches!(
            build_message("a@example.org", &email("not an address")),
            Err(MailError::Permanent(_))
        ));
    }

    #[tokio::test]
    async fn file_mailer_writes_eml() {
        let dir = tempfile::tempdir().unwrap();
        let m = FileMailer::new("a@example.org", dir.path().to_path_buf()).unwrap();
        m.send(&email("ana@example.org")).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().unwrap(), "eml");
    }

    /// A minimal SMTP server: accepts one message and hands back what it received.
    async fn fake_smtp(reply_to_rcpt: &'static str) -> (u16, tokio::task::JoinHandle<String>) {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let (sock, _) = listener.accept().await.unwrap();
            let (r, mut w) = sock.into_split();
            let mut lines = BufReader::new(r).lines();
            let mut got = String::new();
            w.write_all(b"220 fake ESMTP\r\n").await.unwrap();
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                got.push_str(&line);
                got.push('\n');
                if in_data {
                    if line == "." {
                        in_data = false;
                        w.write_all(b"250 queued\r\n").await.unwrap();
                    }
                    continue;
                }
                let reply: &[u8] =
                    match line.split(' ').next().unwrap_or("").to_uppercase().as_str() {
                        "EHLO" | "HELO" => b"250 fake\r\n",
                        "MAIL" => b"250 ok\r\n",
                        "RCPT" => reply_to_rcpt.as_bytes(),
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                w.write_all(reply).await.unwrap();
            }
            got
        });
        (port, task)
    }

    fn smtp(port: u16) -> SmtpMailer {
        SmtpMailer::new(
            "Clipcontest <no-reply@example.org>",
            "127.0.0.1",
            Some(port),
            None,
            SmtpTls::None,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn smtp_mailer_delivers_through_a_relay() {
        let (port, server) = fake_smtp("250 ok\r\n").await;
        let m = smtp(port);
        m.send(&email("ana@example.org")).await.unwrap();
        drop(m);
        let got = tokio::time::timeout(std::time::Duration::from_secs(5), server)
            .await
            .unwrap()
            .unwrap();
        assert!(got.contains("RCPT TO:<ana@example.org>"), "{got}");
        assert!(got.contains("Subject: Your video is ready"), "{got}");
    }

    #[tokio::test]
    async fn smtp_permanent_rejection_is_permanent() {
        let (port, _server) = fake_smtp("550 no such user\r\n").await;
        let m = smtp(port);
        assert!(matches!(
            m.send(&email("ghost@example.org")).await,
            Err(MailError::Permanent(_))
        ));
    }
}
