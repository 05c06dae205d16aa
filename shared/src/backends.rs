//! The one place that chooses each backend from the settings; everything else sees traits.
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;

use crate::config::{MailTransportKind, Mode, Settings};
use crate::db::{sqlite_url, Db};
use crate::mail::{FileMailer, Mailer, SesMailer, SmtpMailer};
use crate::queue::{DbQueue, Queue, SqsQueue};
use crate::storage::{LocalStorage, S3Storage, Storage};
use tokio_util::sync::CancellationToken;

#[derive(Clone)]
pub struct Backends {
    pub db: Db,
    pub storage: Arc<dyn Storage>,
    pub queue: Arc<dyn Queue>,
    pub mailer: Arc<dyn Mailer>,
    /// This instance's metrics registry (shared by its web handlers and in-process worker).
    pub metrics: Arc<crate::metrics::Metrics>,
}

/// URL prefix under which the web app serves public objects of the local storage.
pub const LOCAL_FILES_PREFIX: &str = "/files";

impl Backends {
    /// Connects and migrates the DB, and builds storage, queue and mailer. Errors are one line
    /// saying what is wrong and how to fix it.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        if settings.mode == Mode::Aws {
            return Self::build_aws(settings).await;
        }
        let data_dir = settings.data_dir.as_path();
        std::fs::create_dir_all(data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data folder {}: {e}; set APP_DATA_DIR to a writable folder",
                data_dir.display()
            )
        })?;
        let url = match &settings.database.url {
            Some(u) => u.expose_secret().to_string(),
            None => sqlite_url(data_dir),
        };
        let db = Db::connect(
            &url,
            settings.database.max_connections,
            Duration::from_secs(settings.database.acquire_timeout_secs),
        )
        .await
        .map_err(|e| {
            anyhow::anyhow!("cannot connect to the database: {e}; check APP_DATABASE__URL")
        })?;
        db.migrate()
            .await
            .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
        let storage: Arc<dyn Storage> = Arc::new(
            LocalStorage::new(data_dir.join("storage"), LOCAL_FILES_PREFIX).map_err(|e| {
                anyhow::anyhow!(
                    "cannot create storage folder under {}: {e}",
                    data_dir.display()
                )
            })?,
        );
        let queue: Arc<dyn Queue> = Arc::new(DbQueue::new(
            db.clone(),
            Duration::from_secs(settings.worker.lease_secs),
            Duration::from_millis(settings.worker.poll_interval_ms),
        ));
        let mailer = local_mailer(settings, data_dir)?;
        Ok(Self {
            db,
            storage,
            queue,
            mailer,
            metrics: Arc::new(crate::metrics::Metrics::new()),
        })
    }
}

impl Backends {
    /// AWS mode: MySQL/RDS, S3, SQS (+ the outbox relay) and SES. `Settings::load` has already
    /// merged the secret and checked that every required key is present.
    async fn build_aws(settings: &Settings) -> anyhow::Result<Self> {
        let aws = &settings.aws;
        let need = |v: &Option<String>, key: &str| {
            v.clone()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| anyhow::anyhow!("AWS mode needs {key}; see docs/aws.md"))
        };
        let bucket = need(&aws.s3_bucket, "s3_bucket")?;
        let queue_url = need(&aws.sqs_queue_url, "sqs_queue_url")?;
        let dlq_url = need(&aws.sqs_dlq_url, "sqs_dlq_url")?;
        let url = settings
            .database
            .url
            .as_ref()
            .map(|u| u.expose_secret().to_string())
            .ok_or_else(|| {
                anyhow::anyhow!("AWS mode needs database_url or db_* keys; see docs/aws.md")
            })?;
        if !url.starts_with("mysql:") {
            anyhow::bail!("AWS mode needs a mysql:// database URL (database_url or db_* keys in the secret, or APP_DATABASE__URL)");
        }
        // The worker still needs a local folder for its temp files.
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data folder {}: {e}; set APP_DATA_DIR to a writable folder",
                settings.data_dir.display()
            )
        })?;
        let db = Db::connect(&url, settings.database.max_connections, Duration::from_secs(settings.database.acquire_timeout_secs))
            .await
            // sqlx's message names host and port, never the password.
            .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}; check the secret's db_* keys or APP_DATABASE__URL"))?;
        db.migrate()
            .await
            .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;

        let sdk = crate::aws::sdk_config(aws).await;
        if sdk.region().is_none() {
            anyhow::bail!("no AWS region configured; set AWS_REGION (or APP_AWS__REGION)");
        }
        let storage: Arc<dyn Storage> = Arc::new(S3Storage::new(
            crate::aws::s3_client(&sdk, aws),
            &bucket,
            aws.s3_prefix.as_deref(),
            aws.cdn_base_url.as_deref(),
        ));
        let queue = SqsQueue::new(
            aws_sdk_sqs::Client::new(&sdk),
            db.clone(),
            &queue_url,
            &dlq_url,
            Duration::from_secs(settings.worker.lease_secs),
            Duration::from_millis(aws.relay_poll_ms.unwrap_or(2000).max(100)),
        )
        // Both web and worker write outbox rows (uploads; emails after a conversion), so both relay.
        .with_relay(CancellationToken::new());
        let ses_sdk = match aws.ses_endpoint_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => sdk.to_builder().endpoint_url(url).build(),
            None => sdk.clone(),
        };
        let mailer: Arc<dyn Mailer> = Arc::new(SesMailer::new(
            aws_sdk_sesv2::Client::new(&ses_sdk),
            &settings.mail.from,
            aws.ses_configuration_set.as_deref(),
        ));
        tracing::info!(bucket = %bucket, queue = %queue_url, "AWS backends ready");
        Ok(Self {
            db,
            storage,
            queue: Arc::new(queue),
            mailer,
            metrics: Arc::new(crate::metrics::Metrics::new()),
        })
    }
}

fn local_mailer(settings: &Settings, data_dir: &Path) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match settings.mail.transport {
        MailTransportKind::File => Arc::new(
            FileMailer::new(&settings.mail.from, data_dir.join("outbox"))
                .map_err(|e| anyhow::anyhow!("cannot create mail outbox folder: {e}"))?,
        ),
        MailTransportKind::Smtp => Arc::new(
            SmtpMailer::new(&settings.mail)
                .map_err(|e| anyhow::anyhow!("bad SMTP settings: {e}"))?,
        ),
    })
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
