//! The one place that builds each backend from its settings enum; everything else sees traits.
//! To add a backend: a variant in the settings enum (`config.rs`, resolved from the input keys
//! in `Settings::resolve`), an implementation of the trait, and an arm in the enum's `build` here.
use std::sync::Arc;
use std::time::Duration;

use aws_config::SdkConfig;
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;

use crate::config::{
    Database, DatabaseSettings, MailSettings, MailTransport, QueueSettings, Settings,
    StorageSettings,
};
use crate::db::Db;
use crate::mail::{FileMailer, Mailer, SesMailer, SmtpMailer};
use crate::queue::{DbQueue, Queue, SqsQueue, WorkerLock};
use crate::storage::{LocalStorage, S3Storage, Storage};

#[derive(Clone)]
pub struct Backends {
    pub db: Db,
    pub storage: Arc<dyn Storage>,
    pub queue: Arc<dyn Queue>,
    pub mailer: Arc<dyn Mailer>,
    /// This instance's metrics registry (shared by its web handlers and in-process worker).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The SES bounce/complaint events queue, when configured (AWS mode); the worker reads it.
    pub mail_events: Option<Arc<crate::mail::events::SesEvents>>,
}

/// URL prefix under which the web app serves public objects of the local storage.
pub const LOCAL_FILES_PREFIX: &str = "/files";

impl Backends {
    /// Connects and migrates the DB, and builds storage, queue and mailer. Errors are one line
    /// saying what is wrong and how to fix it.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        // Local data (SQLite, media, outbox) or, in AWS mode, the worker's temp files.
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data folder {}: {e}; set APP_DATA_DIR to a writable folder",
                settings.data_dir.display()
            )
        })?;
        let sdk = match settings.uses_aws() {
            true => {
                let sdk = crate::aws::sdk_config(&settings.aws).await;
                if sdk.region().is_none() {
                    anyhow::bail!("no AWS region configured; set AWS_REGION (or APP_AWS__REGION)");
                }
                Some(sdk)
            }
            false => None,
        };
        let db = settings.database.connect().await?;
        let storage = settings.storage.build(sdk.as_ref(), &settings.aws)?;
        let queue = settings.queue.build(&db, settings, sdk.as_ref())?;
        let mailer = settings.mail.build(sdk.as_ref())?;
        let mail_events = match &settings.mail.transport {
            MailTransport::Ses {
                events_queue_url: Some(url),
                ..
            } => Some(Arc::new(crate::mail::events::SesEvents::new(
                aws_sdk_sqs::Client::new(need_sdk(sdk.as_ref())?),
                url,
            ))),
            _ => None,
        };
        Ok(Self {
            db,
            storage,
            queue,
            mailer,
            metrics: Arc::new(crate::metrics::Metrics::new()),
            mail_events,
        })
    }
}

fn need_sdk(sdk: Option<&SdkConfig>) -> anyhow::Result<&SdkConfig> {
    sdk.ok_or_else(|| anyhow::anyhow!("an AWS backend was chosen without an AWS configuration"))
}

impl DatabaseSettings {
    /// Connects (creating a SQLite file) and applies the migrations.
    pub async fn connect(&self) -> anyhow::Result<Db> {
        let hint = match self.backend {
            Database::Sqlite { .. } => "check APP_DATA_DIR or APP_DATABASE__URL",
            Database::Mysql { .. } => "check the secret's db_* keys or APP_DATABASE__URL",
        };
        let db = Db::connect(
            &self.backend.connect_url(),
            self.max_connections,
            Duration::from_secs(self.acquire_timeout_secs),
        )
        .await
        // sqlx's message names host and port, never the password.
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}; {hint}"))?;
        db.migrate()
            .await
            .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
        Ok(db)
    }
}

impl StorageSettings {
    pub fn build(
        &self,
        sdk: Option<&SdkConfig>,
        aws: &crate::config::AwsSettings,
    ) -> anyhow::Result<Arc<dyn Storage>> {
        Ok(match self {
            StorageSettings::Local { root } => Arc::new(
                LocalStorage::new(root.clone(), LOCAL_FILES_PREFIX).map_err(|e| {
                    anyhow::anyhow!("cannot create storage folder {}: {e}", root.display())
                })?,
            ),
            StorageSettings::S3 {
                bucket,
                prefix,
                cdn,
                media_url_ttl,
            } => {
                tracing::info!(bucket = %bucket, "S3 storage");
                let signer = match cdn.as_ref().and_then(|c| c.signing.as_ref()) {
                    Some(sig) => Some(
                        crate::storage::CdnSigner::new(
                            &sig.key_pair_id,
                            sig.private_key.expose_secret(),
                            *media_url_ttl,
                        )
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                    ),
                    None => None,
                };
                Arc::new(
                    S3Storage::new(
                        crate::aws::s3_client(need_sdk(sdk)?, aws),
                        bucket,
                        prefix.as_deref(),
                        cdn.as_ref().map(|c| c.base_url.as_str()),
                    )
                    .with_signer(signer)
                    .with_media_url_ttl(*media_url_ttl),
                )
            }
        })
    }
}

impl QueueSettings {
    pub fn build(
        &self,
        db: &Db,
        settings: &Settings,
        sdk: Option<&SdkConfig>,
    ) -> anyhow::Result<Arc<dyn Queue>> {
        let lease = Duration::from_secs(settings.worker.lease_secs);
        Ok(match self {
            QueueSettings::Db => {
                let dir = settings.data_dir.join("workers");
                let lock = WorkerLock::acquire(&dir).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create a worker lock file in {}: {e}; check that APP_DATA_DIR is writable",
                        dir.display()
                    )
                })?;
                Arc::new(DbQueue::new(
                    db.clone(),
                    lease,
                    Duration::from_millis(settings.worker.poll_interval_ms),
                    settings.worker.max_attempts,
                    lock,
                ))
            }
            QueueSettings::Sqs {
                queue_url,
                dlq_url,
                relay_poll_ms,
            } => {
                tracing::info!(queue = %queue_url, "SQS queue");
                Arc::new(
                    SqsQueue::new(
                        aws_sdk_sqs::Client::new(need_sdk(sdk)?),
                        db.clone(),
                        queue_url,
                        dlq_url,
                        lease,
                        Duration::from_millis(*relay_poll_ms),
                    )
                    // Both web and worker write outbox rows (uploads; emails after a
                    // conversion), so both relay.
                    .with_relay(CancellationToken::new()),
                )
            }
        })
    }
}

impl MailSettings {
    pub fn build(&self, sdk: Option<&SdkConfig>) -> anyhow::Result<Arc<dyn Mailer>> {
        Ok(match &self.transport {
            MailTransport::File { dir } => Arc::new(
                FileMailer::new(&self.from, dir.clone())
                    .map_err(|e| anyhow::anyhow!("cannot create mail outbox folder: {e}"))?,
            ),
            MailTransport::Smtp {
                host,
                port,
                credentials,
                tls,
            } => Arc::new(
                SmtpMailer::new(&self.from, host, *port, credentials.as_ref(), *tls)
                    .map_err(|e| anyhow::anyhow!("bad SMTP settings: {e}"))?,
            ),
            MailTransport::Ses {
                configuration_set,
                endpoint_url,
                ..
            } => {
                let sdk = need_sdk(sdk)?;
                let ses_sdk = match endpoint_url {
                    Some(url) => sdk.to_builder().endpoint_url(url).build(),
                    None => sdk.clone(),
                };
                Arc::new(SesMailer::new(
                    aws_sdk_sesv2::Client::new(&ses_sdk),
                    &self.from,
                    configuration_set.as_deref(),
                ))
            }
        })
    }
}

/// Fails fast when ffmpeg/ffprobe are missing, with the fix.
pub async fn check_media_tools(settings: &Settings) -> anyhow::Result<()> {
    for tool in [&settings.media.ffmpeg, &settings.media.ffprobe] {
        crate::process::run(
            tool,
            &crate::process::argv(["-version"]),
            Duration::from_secs(10),
            None,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}
