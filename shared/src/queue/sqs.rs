//! SQS as the queue. The DB `jobs` table stays the transactional outbox: a relay task moves
//! committed rows to SQS, so an SQS outage delays jobs but never loses one.
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sqs::error::{DisplayErrorContext, SdkError};
use aws_sdk_sqs::types::{MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName};
use aws_sdk_sqs::Client;
use tokio::sync::Notify;
use tokio_util::sync::{CancellationToken, DropGuard};

use super::{Delivery, Queue, QueueError};
use crate::db::{Db, JobEnd};
use crate::jobs::Job;

/// How long a relay holds an outbox row while sending it; a crashed relay's rows come back after this.
const RELAY_LEASE_MS: i64 = 30_000;
/// Longest back-off between relay attempts of one row while SQS fails.
const RELAY_MAX_BACKOFF_MS: u64 = 60_000;
/// SQS caps long polling at 20 s.
const MAX_WAIT_SECS: u64 = 20;
/// SQS message attributes are limited; a reason is for humans, the start of it is enough.
const MAX_REASON_CHARS: usize = 1000;

fn backend<E: std::error::Error + Send + Sync + 'static, R: std::fmt::Debug>(
    what: &str,
    e: SdkError<E, R>,
) -> QueueError {
    QueueError::Backend(format!("SQS {what} failed: {}", DisplayErrorContext(e)))
}

/// DeleteMessage: a message that was handled (or parked elsewhere) must not come back. `what`
/// names the call in the error (`DeleteMessage (DLQ)`).
pub(crate) async fn delete_message(
    client: &Client,
    queue_url: &str,
    handle: &str,
    what: &str,
) -> Result<(), QueueError> {
    client
        .delete_message()
        .queue_url(queue_url)
        .receipt_handle(handle)
        .send()
        .await
        .map_err(|e| backend(what, e))?;
    Ok(())
}

fn secs(d: Duration) -> i32 {
    i32::try_from(d.as_secs()).unwrap_or(i32::MAX)
}

fn text_attr(value: &str) -> Result<MessageAttributeValue, QueueError> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .map_err(|e| QueueError::Backend(e.to_string()))
}

struct Inner {
    client: Client,
    db: Db,
    queue_url: String,
    dlq_url: String,
    /// Visibility timeout set on receive; the worker's heartbeat extends it.
    lease: Duration,
    relay_poll: Duration,
    relay_wake: Notify,
}

pub struct SqsQueue {
    inner: Arc<Inner>,
    /// Stops the relay task when the last handle to this queue goes away.
    _relay: Option<DropGuard>,
}

impl SqsQueue {
    pub fn new(
        client: Client,
        db: Db,
        queue_url: &str,
        dlq_url: &str,
        lease: Duration,
        relay_poll: Duration,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                db,
                queue_url: queue_url.to_string(),
                dlq_url: dlq_url.to_string(),
                lease,
                relay_poll,
                relay_wake: Notify::new(),
            }),
            _relay: None,
        }
    }

    /// Starts the outbox relay on the current runtime. Every process that writes jobs (web and
    /// worker) runs one; the DB claim makes concurrent relays safe. It stops when `cancel`
    /// fires or this queue is dropped.
    pub fn with_relay(mut self, cancel: CancellationToken) -> Self {
        let own = CancellationToken::new();
        let inner = self.inner.clone();
        let stop = own.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = inner.relay_loop() => {}
                _ = stop.cancelled() => {}
                _ = cancel.cancelled() => {}
            }
            tracing::debug!("outbox relay stopped");
        });
        self._relay = Some(own.drop_guard());
        self
    }

    /// Relays due outbox rows until none is left or SQS fails; returns how many were sent
    /// (tests call this instead of waiting for the task).
    pub async fn relay_once(&self) -> Result<u64, QueueError> {
        self.inner.relay_batch().await
    }

    /// Moves every message in the DLQ back to the main queue (after a fix was deployed);
    /// returns how many were moved. A crash between send and delete duplicates, never loses.
    pub async fn redrive_dlq(&self) -> Result<u64, QueueError> {
        let i = &self.inner;
        let mut moved = 0;
        loop {
            let out = i
                .client
                .receive_message()
                .queue_url(&i.dlq_url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .visibility_timeout(60)
                .message_attribute_names("All")
                .send()
                .await
                .map_err(|e| backend("ReceiveMessage (DLQ)", e))?;
            let messages = out.messages.unwrap_or_default();
            if messages.is_empty() {
                return Ok(moved);
            }
            for m in messages {
                let mut send = i
                    .client
                    .send_message()
                    .queue_url(&i.queue_url)
                    .message_body(m.body.unwrap_or_default());
                // Keep the job id; the reason belonged to the failure that is now being retried.
                if let Some(job_id) = m.message_attributes.as_ref().and_then(|a| a.get("job_id")) {
                    send = send.message_attributes("job_id", job_id.clone());
                }
                send.send().await.map_err(|e| backend("SendMessage", e))?;
                if let Some(handle) = m.receipt_handle {
                    delete_message(&i.client, &i.dlq_url, &handle, "DeleteMessage (DLQ)").await?;
                }
                moved += 1;
            }
        }
    }
}

impl Inner {
    async fn relay_loop(&self) {
        loop {
            let woken = self.relay_wake.notified();
            tokio::pin!(woken);
            // Register before draining so a wake during the drain is not missed.
            woken.as_mut().enable();
            match self.relay_batch().await {
                Ok(n) if n > 0 => tracing::debug!(sent = n, "outbox relayed to SQS"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "outbox relay failed; rows stay queued and are retried")
                }
            }
            let _ = tokio::time::timeout(self.relay_poll, woken).await;
        }
    }

    async fn relay_batch(&self) -> Result<u64, QueueError> {
        let mut sent = 0;
        while let Some(job) = self.db.claim_job(RELAY_LEASE_MS).await? {
            let result = self
                .client
                .send_message()
                .queue_url(&self.queue_url)
                .message_body(&job.payload)
                .message_attributes("job_id", text_attr(&job.lease.id().to_string())?)
                .send()
                .await;
            match result {
                Ok(_) => {
                    self.db.finish_job(&job.lease, JobEnd::Sent).await?;
                    sent += 1;
                }
                Err(e) => {
                    let err = backend("SendMessage", e);
                    // Exponential back-off per row (attempts counts relay tries in AWS mode).
                    let shift = u32::try_from(job.attempts.clamp(1, 16) - 1).unwrap_or(0);
                    let delay = (1000_u64 << shift).min(RELAY_MAX_BACKOFF_MS);
                    let error = err.to_string();
                    let end = JobEnd::Retry {
                        after: Duration::from_millis(delay),
                        error: &error,
                    };
                    self.db.finish_job(&job.lease, end).await?;
                    // SQS is probably down: stop this round instead of failing every row now.
                    return Err(err);
                }
            }
        }
        Ok(sent)
    }

    async fn set_visibility(
        &self,
        handle: &str,
        timeout: Duration,
    ) -> Result<
        (),
        SdkError<
            aws_sdk_sqs::operation::change_message_visibility::ChangeMessageVisibilityError,
            aws_sdk_sqs::config::http::HttpResponse,
        >,
    > {
        self.client
            .change_message_visibility()
            .queue_url(&self.queue_url)
            .receipt_handle(handle)
            .visibility_timeout(secs(timeout))
            .send()
            .await
            .map(|_| ())
    }

    async fn dead_letter(
        &self,
        body: &str,
        d_id: &str,
        handle: &str,
        reason: &str,
    ) -> Result<(), QueueError> {
        let reason: String = reason.chars().take(MAX_REASON_CHARS).collect();
        self.client
            .send_message()
            .queue_url(&self.dlq_url)
            .message_body(body)
            .message_attributes(
                "reason",
                text_attr(if reason.is_empty() {
                    "unknown"
                } else {
                    &reason
                })?,
            )
            .message_attributes("message_id", text_attr(d_id)?)
            .send()
            .await
            .map_err(|e| backend("SendMessage (DLQ)", e))?;
        // Sent first, deleted second: a crash in between duplicates into the DLQ, never loses.
        delete_message(&self.client, &self.queue_url, handle, "DeleteMessage").await
    }
}

#[async_trait::async_trait]
impl Queue for SqsQueue {
    fn wake(&self) {
        // notify_one keeps a permit if the relay is busy draining, so the new row is not missed.
        self.inner.relay_wake.notify_one();
    }

    async fn receive(&self, wait: Duration) -> Result<Option<Delivery>, QueueError> {
        let i = &self.inner;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let out = i
                .client
                .receive_message()
                .queue_url(&i.queue_url)
                .max_number_of_messages(1)
                .wait_time_seconds(secs(left.min(Duration::from_secs(MAX_WAIT_SECS))))
                .visibility_timeout(secs(i.lease).max(1))
                .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
                .message_attribute_names("All")
                .send()
                .await
                .map_err(|e| backend("ReceiveMessage", e))?;
            let Some(m) = out.messages.unwrap_or_default().into_iter().next() else {
                if tokio::time::Instant::now() + Duration::from_millis(500) >= deadline {
                    return Ok(None);
                }
                continue;
            };
            let id = m.message_id.unwrap_or_default();
            let handle = m.receipt_handle.unwrap_or_default();
            let body = m.body.unwrap_or_default();
            let attempt = m
                .attributes
                .as_ref()
                .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(1);
            match Job::from_json(&body) {
                Ok(job) => return Ok(Some(Delivery::from_sqs(job, attempt, id, handle))),
                Err(e) => {
                    tracing::error!(message_id = %id, error = %e, "malformed SQS message, dead-lettering");
                    i.dead_letter(&body, &id, &handle, &format!("malformed message: {e}"))
                        .await?;
                }
            }
        }
    }

    async fn extend(&self, d: &Delivery, lease: Duration) -> Result<bool, QueueError> {
        match self.inner.set_visibility(d.sqs_handle()?, lease).await {
            Ok(()) => Ok(true),
            // The handle expired or the message was deleted by another consumer: the lease is lost.
            Err(e)
                if e.as_service_error().is_some_and(|s| {
                    s.is_receipt_handle_is_invalid() || s.is_message_not_inflight()
                }) =>
            {
                Ok(false)
            }
            Err(e) => Err(backend("ChangeMessageVisibility", e)),
        }
    }

    async fn ack(&self, d: &Delivery) -> Result<(), QueueError> {
        let i = &self.inner;
        delete_message(&i.client, &i.queue_url, d.sqs_handle()?, "DeleteMessage").await
    }

    async fn retry_later(
        &self,
        d: &Delivery,
        delay: Duration,
        reason: &str,
    ) -> Result<(), QueueError> {
        tracing::info!(message_id = %d.id, delay_secs = delay.as_secs(), reason, "job will be retried");
        // SQS caps visibility at 12 h; the redrive policy's maxReceiveCount is the backstop.
        let delay = delay.min(Duration::from_secs(12 * 3600));
        self.inner
            .set_visibility(d.sqs_handle()?, delay)
            .await
            .map_err(|e| backend("ChangeMessageVisibility", e))
    }

    async fn release(&self, d: &Delivery) -> Result<(), QueueError> {
        self.inner
            .set_visibility(d.sqs_handle()?, Duration::ZERO)
            .await
            .map_err(|e| backend("ChangeMessageVisibility", e))
    }

    async fn dead_letter(&self, d: &Delivery, reason: &str) -> Result<(), QueueError> {
        self.inner
            .dead_letter(&d.job.to_json(), &d.id, d.sqs_handle()?, reason)
            .await
    }

    async fn depth(&self) -> Result<u64, QueueError> {
        let out = self
            .inner
            .client
            .get_queue_attributes()
            .queue_url(&self.inner.queue_url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await
            .map_err(|e| backend("GetQueueAttributes", e))?;
        let attrs = out.attributes.unwrap_or_default();
        let n = |a: QueueAttributeName| {
            attrs
                .get(&a)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok(n(QueueAttributeName::ApproximateNumberOfMessages)
            + n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible))
    }

    async fn redrive_dead_letters(&self) -> Result<u64, QueueError> {
        self.redrive_dlq().await
    }
}
