//! The one place that chooses each backend from the settings; everything else sees traits.
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;

use crate::config::{MailTransportKind, Mode, Settings};
use crate::db::{sqlite_url, Db};
use crate::mail::{FileMailer, Mailer, SmtpMailer};
use crate::queue::{DbQueue, Queue};
use crate::storage::{LocalStorage, Storage};

#[derive(Clone)]
pub struct Backends {
    pub db: Db,
    pub storage: Arc<dyn Storage>,
    pub queue: Arc<dyn Queue>,
    pub mailer: Arc<dyn Mailer>,
}

/// URL prefix under which the web app serves public objects of the local storage.
pub const LOCAL_FILES_PREFIX: &str = "/files";

impl Backends {
    /// Connects and migrates the DB, and builds storage, queue and mailer. Errors are one line
    /// saying what is wrong and how to fix it.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        if settings.mode == Mode::Aws {
            anyhow::bail!("APP_MODE=aws is not available in this build yet; use APP_MODE=local");
        }
        let data_dir = settings.data_dir.as_path();
        std::fs::create_dir_all(data_dir)
            .map_err(|e| anyhow::anyhow!("cannot create data folder {}: {e}; set APP_DATA_DIR to a writable folder", data_dir.display()))?;
        let url = match &settings.database.url {
            Some(u) => u.expose_secret().to_string(),
            None => sqlite_url(data_dir),
        };
        let db = Db::connect(&url, settings.database.max_connections, Duration::from_secs(settings.database.acquire_timeout_secs))
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}; check APP_DATABASE__URL"))?;
        db.migrate().await.map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
        let storage: Arc<dyn Storage> = Arc::new(
            LocalStorage::new(data_dir.join("storage"), LOCAL_FILES_PREFIX)
                .map_err(|e| anyhow::anyhow!("cannot create storage folder under {}: {e}", data_dir.display()))?,
        );
        let queue: Arc<dyn Queue> = Arc::new(DbQueue::new(
            db.clone(),
            Duration::from_secs(settings.worker.lease_secs),
            Duration::from_millis(settings.worker.poll_interval_ms),
        ));
        let mailer = local_mailer(settings, data_dir)?;
        Ok(Self { db, storage, queue, mailer })
    }
}

fn local_mailer(settings: &Settings, data_dir: &Path) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match settings.mail.transport {
        MailTransportKind::File => Arc::new(
            FileMailer::new(&settings.mail.from, data_dir.join("outbox"))
                .map_err(|e| anyhow::anyhow!("cannot create mail outbox folder: {e}"))?,
        ),
        MailTransportKind::Smtp => Arc::new(SmtpMailer::new(&settings.mail).map_err(|e| anyhow::anyhow!("bad SMTP settings: {e}"))?),
    })
}

/// Fails fast when ffmpeg/ffprobe are missing, with the fix.
pub async fn check_media_tools(settings: &Settings) -> anyhow::Result<()> {
    for tool in [&settings.media.ffmpeg, &settings.media.ffprobe] {
        crate::process::run(tool, &crate::process::argv(["-version"]), Duration::from_secs(10), None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}
