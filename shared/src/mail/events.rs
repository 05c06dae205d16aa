//! SES bounce and complaint events: SES publishes them (configuration set → SNS topic) to an SQS
//! queue (`ses_events_queue_url`); the worker reads that queue and records each permanently
//! bounced or complaining address in `suppressed_recipients`, so it is never mailed again
//! (the `SendEmail` job skips it with the reason, which the organizer sees).
//!
//! Message bodies are accepted in the shapes SES and SNS produce: the SES event itself (SNS raw
//! message delivery, what the Terraform sets up), or an SNS envelope whose `Message` holds it;
//! event publishing (`eventType`) and identity notifications (`notificationType`) alike.
//! Transient bounces (mailbox full, out of office) and other events (Send, Delivery, Open) are
//! read and dropped. A body that is not one of these is logged and deleted: it would fail the
//! same way on every delivery.
use std::time::Duration;

use aws_sdk_sqs::error::DisplayErrorContext;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::db::{Db, SuppressionReason};

/// One address to suppress, read from an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub email: String,
    pub reason: SuppressionReason,
    /// e.g. `Permanent/General: 550 5.1.1 user unknown`
    pub detail: String,
}

/// The addresses an event asks to suppress (empty for events that do not), or `None` when the
/// body is not an SES event at all.
pub fn parse_event(body: &str) -> Option<Vec<Suppression>> {
    let v: Value = serde_json::from_str(body).ok()?;
    // SNS envelope (raw delivery off): the event is a JSON string in `Message`.
    if v.get("Type").and_then(Value::as_str) == Some("Notification") {
        return parse_event(v.get("Message")?.as_str()?);
    }
    let kind = v
        .get("eventType")
        .or_else(|| v.get("notificationType"))?
        .as_str()?;
    let list = |obj: &Value, field: &str| -> Vec<String> {
        obj.get(field)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.get("emailAddress").and_then(Value::as_str))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let out = match kind {
        "Bounce" => {
            let b = v.get("bounce")?;
            let bounce_type = b.get("bounceType").and_then(Value::as_str).unwrap_or("");
            if bounce_type != "Permanent" {
                return Some(Vec::new());
            }
            let sub = b.get("bounceSubType").and_then(Value::as_str).unwrap_or("");
            let recipients = b.get("bouncedRecipients").and_then(Value::as_array);
            list(b, "bouncedRecipients")
                .into_iter()
                .map(|email| {
                    let diag = recipients
                        .and_then(|a| {
                            a.iter().find(|r| {
                                r.get("emailAddress").and_then(Value::as_str).map(str::trim)
                                    == Some(email.as_str())
                            })
                        })
                        .and_then(|r| r.get("diagnosticCode").and_then(Value::as_str))
                        .unwrap_or("");
                    Suppression {
                        detail: format!("Permanent/{sub}: {diag}")
                            .trim_end_matches(": ")
                            .into(),
                        email,
                        reason: SuppressionReason::Bounce,
                    }
                })
                .collect()
        }
        "Complaint" => {
            let c = v.get("complaint")?;
            let feedback = c
                .get("complaintFeedbackType")
                .and_then(Value::as_str)
                .unwrap_or("complaint");
            list(c, "complainedRecipients")
                .into_iter()
                .map(|email| Suppression {
                    email,
                    reason: SuppressionReason::Complaint,
                    detail: feedback.to_string(),
                })
                .collect()
        }
        _ => Vec::new(),
    };
    Some(out)
}

/// Reads the SES events queue.
pub struct SesEvents {
    client: aws_sdk_sqs::Client,
    queue_url: String,
}

impl SesEvents {
    pub fn new(client: aws_sdk_sqs::Client, queue_url: &str) -> Self {
        Self {
            client,
            queue_url: queue_url.to_string(),
        }
    }

    /// Receives one batch (waiting up to `wait`), records its suppressions and deletes what was
    /// handled. Returns the number of addresses suppressed. A message whose suppression could
    /// not be written (database down) is left on the queue to come back.
    pub async fn poll_once(&self, db: &Db, wait: Duration) -> anyhow::Result<usize> {
        let out = self
            .client
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(i32::try_from(wait.as_secs().min(20)).unwrap_or(20))
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "SQS ReceiveMessage (SES events): {}",
                    DisplayErrorContext(e)
                )
            })?;
        let mut suppressed = 0;
        for m in out.messages.unwrap_or_default() {
            let body = m.body.as_deref().unwrap_or("");
            let mut handled = true;
            match parse_event(body) {
                None => tracing::warn!(
                    message_id = m.message_id.as_deref().unwrap_or(""),
                    "SES events queue: not an SES event; deleted"
                ),
                Some(list) => {
                    for s in list {
                        match db
                            .suppress_recipient(&s.email, s.reason, Some(&s.detail))
                            .await
                        {
                            Ok(()) => {
                                suppressed += 1;
                                tracing::info!(reason = s.reason.as_str(), "recipient suppressed");
                            }
                            Err(e) => {
                                handled = false;
                                tracing::warn!(error = %e, "could not record a suppression; the event will come back");
                            }
                        }
                    }
                }
            }
            if handled {
                if let Some(receipt) = m.receipt_handle {
                    let what = "DeleteMessage (SES events)";
                    crate::queue::delete_message(&self.client, &self.queue_url, &receipt, what)
                        .await?;
                }
            }
        }
        Ok(suppressed)
    }

    /// Polls until `cancel` fires, backing off after errors.
    pub async fn run(&self, db: Db, cancel: CancellationToken) {
        tracing::info!("reading SES bounce/complaint events");
        while !cancel.is_cancelled() {
            let res = tokio::select! {
                _ = cancel.cancelled() => return,
                r = self.poll_once(&db, Duration::from_secs(20)) => r,
            };
            if let Err(e) = res {
                tracing::warn!(error = %e, "SES events queue unavailable; retrying in 10 s");
                tokio::select! {
                    _ = cancel.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(10)) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNCE: &str = r#"{"eventType":"Bounce","bounce":{"feedbackId":"x","bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"Gone@Example.org","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-11-26T10:00:00.000Z"},"mail":{"messageId":"m","destination":["Gone@Example.org"]}}"#;

    #[test]
    fn permanent_bounces_and_complaints_suppress_their_recipients() {
        let list = parse_event(BOUNCE).unwrap();
        assert_eq!(
            list,
            vec![Suppression {
                email: "Gone@Example.org".into(),
                reason: SuppressionReason::Bounce,
                detail: "Permanent/General: smtp; 550 5.1.1 user unknown".into(),
            }]
        );
        let complaint = r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"a@x.org"},{"emailAddress":"b@x.org"}],"complaintFeedbackType":"abuse"},"mail":{}}"#;
        let list = parse_event(complaint).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].email, "b@x.org");
        assert_eq!(list[1].reason, SuppressionReason::Complaint);
        assert_eq!(list[1].detail, "abuse");
        // The same event inside an SNS envelope (raw delivery off).
        let envelope =
            serde_json::json!({"Type": "Notification", "MessageId": "1", "Message": BOUNCE})
                .to_string();
        assert_eq!(parse_event(&envelope).unwrap().len(), 1);
    }

    #[test]
    fn transient_bounces_and_other_events_suppress_nobody_and_junk_is_recognised() {
        let soft = BOUNCE.replace("\"Permanent\"", "\"Transient\"");
        assert_eq!(parse_event(&soft), Some(Vec::new()));
        assert_eq!(
            parse_event(r#"{"eventType":"Delivery","delivery":{},"mail":{}}"#),
            Some(Vec::new())
        );
        for junk in ["", "not json", "{}", r#"{"eventType":"Bounce"}"#, "[1,2]"] {
            assert_eq!(parse_event(junk), None, "{junk}");
        }
    }
}
