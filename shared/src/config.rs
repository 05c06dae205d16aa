//! Layered settings: defaults → optional `configuration/{base,<mode>}.toml` → in AWS mode the
//! Secrets Manager secret named by `APP_AWS__SECRET_ID` → `APP_*` env vars (`APP_DATABASE__URL`,
//! `APP_UPLOAD__MAX_BYTES`, ...). web and worker read the same struct. See `docs/aws.md`.
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Local,
    Aws,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub mode: Mode,
    /// `host:port` the web server binds (port 0 picks a free one).
    pub listen: String,
    /// Local data: SQLite DB, stored media, mail outbox, temp dirs.
    pub data_dir: PathBuf,
    /// Absolute base URL used in emails (`https://contests.example.org`).
    pub base_url: String,
    /// Run worker tasks inside the web process (the local default).
    pub embedded_worker: bool,
    /// Signing/encryption key for session cookies (at least 64 bytes). Generated and kept in
    /// `data_dir/session.key` when unset.
    pub session_key: Option<SecretString>,
    /// Set the `Secure` flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    pub login_per_minute: u32,
    /// Take the client IP from `X-Forwarded-For` (only behind a load balancer that sets it).
    pub trust_forwarded_for: bool,
    pub database: DatabaseSettings,
    pub upload: UploadSettings,
    pub media: MediaSettings,
    pub worker: WorkerSettings,
    pub mail: MailSettings,
    /// AWS mode only; every field is optional so local mode never needs this section.
    #[serde(default)]
    pub aws: AwsSettings,
    /// Abuse limits (see `limits.rs` and the README's Security section).
    #[serde(default)]
    pub limits: crate::limits::LimitsSettings,
    #[serde(default)]
    pub sessions: crate::limits::SessionSettings,
    #[serde(default)]
    pub sweeper: crate::limits::SweeperSettings,
}

/// AWS mode: where the secret is, and the resources it (or `APP_AWS__*` env vars) names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AwsSettings {
    /// Secrets Manager secret id or ARN holding the JSON settings document (`APP_AWS__SECRET_ID`).
    pub secret_id: Option<String>,
    /// Points every AWS client at an emulator (moto, LocalStack); S3 then uses path-style URLs.
    pub endpoint_url: Option<String>,
    /// SES alone at another endpoint (tests read sent mail from a second emulator).
    pub ses_endpoint_url: Option<String>,
    /// Overrides the region from the standard chain (`AWS_REGION`, profile, instance metadata).
    pub region: Option<String>,
    pub s3_bucket: Option<String>,
    /// Prepended to every object key (`prod/` → `prod/media/...`), for sharing a bucket.
    pub s3_prefix: Option<String>,
    pub sqs_queue_url: Option<String>,
    pub sqs_dlq_url: Option<String>,
    pub ses_configuration_set: Option<String>,
    /// Public media are served from here (CloudFront); unset means presigned S3 URLs.
    pub cdn_base_url: Option<String>,
    /// `ssl-mode` for a database URL assembled from `db_*` keys (`required`, `verify_ca`,
    /// `verify_identity`); RDS refuses clear-text connections anyway, this refuses them first.
    pub db_ssl_mode: Option<String>,
    /// CA bundle file for `verify_ca` / `verify_identity` (the RDS global bundle).
    pub db_ssl_ca: Option<String>,
    /// How often the outbox relay looks for jobs nobody woke it for (ms; default 2000).
    pub relay_poll_ms: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://...` or `mysql://...`; local mode defaults to `sqlite://<data_dir>/clipcontest.db`.
    pub url: Option<SecretString>,
    pub max_connections: u32,
    pub acquire_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UploadSettings {
    /// Largest accepted video upload in bytes (enforced while streaming).
    pub max_bytes: u64,
    /// Largest accepted banner image in bytes.
    pub max_banner_bytes: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MediaSettings {
    pub ffmpeg: String,
    pub ffprobe: String,
    pub max_duration_secs: f64,
    pub max_width: u32,
    pub max_height: u32,
    /// libx264 preset and CRF (chosen by measurement in `bench/`).
    pub x264_preset: String,
    pub x264_crf: u32,
    /// Extra `-x264-params` (empty for none).
    pub x264_params: String,
    pub audio_bitrate: String,
    /// Encode timeout = max(min_timeout_secs, duration × timeout_factor).
    pub timeout_factor: f64,
    pub min_timeout_secs: u64,
    pub probe_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkerSettings {
    /// Concurrent encodes; 0 means one per two cores (at least one).
    pub concurrency: usize,
    pub max_attempts: u32,
    /// How long a claimed job stays invisible to others; renewed by a heartbeat while it runs.
    pub lease_secs: u64,
    /// First retry delay; doubles per attempt.
    pub retry_base_secs: u64,
    /// Polling interval of the DB queue when no in-process wake-up arrives (standalone worker).
    pub poll_interval_ms: u64,
    /// On SIGTERM: how long the current job may run before it is released.
    pub shutdown_grace_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub from: String,
    /// `file` writes `.eml` files to `<data_dir>/outbox`; `smtp` sends through `smtp_*`.
    pub transport: MailTransportKind,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<SecretString>,
    /// `starttls` (default), `tls` or `none` (only for a local relay).
    pub smtp_tls: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    File,
    Smtp,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

impl Settings {
    /// Loads settings from defaults, config files under `APP_CONFIG_DIR` (default `./configuration`)
    /// and `APP_*` environment variables.
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_with(|b| b)
    }

    /// Like [`Settings::load`], with a hook to override keys (tests use it).
    pub fn load_with(
        f: impl FnOnce(
            config::ConfigBuilder<config::builder::DefaultState>,
        ) -> config::ConfigBuilder<config::builder::DefaultState>,
    ) -> Result<Self, ConfigError> {
        Self::load_from(f, None, crate::aws::fetch_secret_blocking)
    }

    /// The layering itself. `env` replaces the process environment (unit tests); `fetch` reads
    /// the secret (Secrets Manager, or a canned document in tests).
    pub(crate) fn load_from(
        f: impl FnOnce(
            config::ConfigBuilder<config::builder::DefaultState>,
        ) -> config::ConfigBuilder<config::builder::DefaultState>,
        env: Option<config::Map<String, String>>,
        fetch: impl FnOnce(&AwsSettings, &str) -> Result<String, ConfigError>,
    ) -> Result<Self, ConfigError> {
        let dir = std::env::var("APP_CONFIG_DIR").unwrap_or_else(|_| "configuration".into());
        let mode = match &env {
            Some(m) => m.get("APP_MODE").cloned(),
            None => std::env::var("APP_MODE").ok(),
        }
        .unwrap_or_else(|| "local".into());
        // Overrides set by `f` win over every source whatever the order, so `f` runs once here
        // and the builder is cloned for the second pass in AWS mode.
        let base = f(defaults().map_err(|e| ConfigError(e.to_string()))?)
            .add_source(config::File::with_name(&format!("{dir}/base")).required(false))
            .add_source(config::File::with_name(&format!("{dir}/{mode}")).required(false));
        let environment = config::Environment::with_prefix("APP")
            .prefix_separator("_")
            .separator("__")
            .try_parsing(true)
            .source(env);
        let build = |b: config::ConfigBuilder<config::builder::DefaultState>| -> Result<Settings, ConfigError> {
            b.build().and_then(|c| c.try_deserialize()).map_err(|e| ConfigError(e.to_string()))
        };
        let mut s: Settings = build(base.clone().add_source(environment.clone()))?;
        if s.mode == Mode::Aws {
            if let Some(id) = s.aws.secret_id.clone() {
                let doc = fetch(&s.aws, &id)?;
                let secret = crate::aws::parse_secret(&id, &doc, &s.aws)?;
                // Secret between the files and the env vars: one env var can override one key.
                s = build(
                    base.add_source(secret.into_source())
                        .add_source(environment),
                )?;
            }
            s.check_aws()?;
        }
        s.check()?;
        Ok(s)
    }

    fn check(&self) -> Result<(), ConfigError> {
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(ConfigError(format!(
                "base_url must start with http:// or https:// (got {:?}); set APP_BASE_URL",
                self.base_url
            )));
        }
        if self.upload.max_bytes == 0 {
            return Err(ConfigError(
                "upload.max_bytes must be greater than 0 (APP_UPLOAD__MAX_BYTES)".into(),
            ));
        }
        if self.worker.max_attempts == 0 {
            return Err(ConfigError(
                "worker.max_attempts must be at least 1 (APP_WORKER__MAX_ATTEMPTS)".into(),
            ));
        }
        if self.mail.transport == MailTransportKind::Smtp && self.mail.smtp_host.is_none() {
            return Err(ConfigError(
                "mail.transport is smtp but mail.smtp_host is not set (APP_MAIL__SMTP_HOST)".into(),
            ));
        }
        Ok(())
    }

    /// Every resource AWS mode needs, named the way the secret spells it.
    fn check_aws(&self) -> Result<(), ConfigError> {
        let missing = |key: &str, env: &str| {
            let source = match &self.aws.secret_id {
                Some(id) => format!("AWS secret {id} is missing key {key}"),
                None => format!("AWS mode needs {key} but APP_AWS__SECRET_ID is not set"),
            };
            ConfigError(format!("{source} (or set {env})"))
        };
        if self.database.url.is_none() {
            return Err(missing(
                "database_url (or db_host, db_port, db_user, db_password, db_name)",
                "APP_DATABASE__URL",
            ));
        }
        let required = [
            (&self.aws.s3_bucket, "s3_bucket", "APP_AWS__S3_BUCKET"),
            (
                &self.aws.sqs_queue_url,
                "sqs_queue_url",
                "APP_AWS__SQS_QUEUE_URL",
            ),
            (&self.aws.sqs_dlq_url, "sqs_dlq_url", "APP_AWS__SQS_DLQ_URL"),
        ];
        for (value, key, env) in required {
            if value.as_deref().is_none_or(str::is_empty) {
                return Err(missing(key, env));
            }
        }
        // The local defaults would put links to 127.0.0.1 and an unsendable sender into real mail.
        if self.base_url == DEFAULT_BASE_URL {
            return Err(missing("base_url", "APP_BASE_URL"));
        }
        if self.mail.from == DEFAULT_MAIL_FROM {
            return Err(missing("ses_from", "APP_MAIL__FROM"));
        }
        // Every web instance must sign and read the same cookies (sessions, CSRF tokens).
        match &self.session_key {
            None => return Err(missing("session_key", "APP_SESSION_KEY")),
            Some(k) if k.expose_secret().len() < 64 => {
                return Err(ConfigError("session_key must be at least 64 bytes (secret key session_key or APP_SESSION_KEY)".into()));
            }
            Some(_) => {}
        }
        Ok(())
    }

    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    pub fn encode_concurrency(&self) -> usize {
        if self.worker.concurrency > 0 {
            return self.worker.concurrency;
        }
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        (cores / 2).max(1)
    }
}

const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";
const DEFAULT_MAIL_FROM: &str = "Clipcontest <no-reply@clipcontest.local>";

fn defaults() -> Result<config::ConfigBuilder<config::builder::DefaultState>, config::ConfigError> {
    config::Config::builder()
        .set_default("mode", "local")?
        .set_default("listen", "127.0.0.1:8080")?
        .set_default("data_dir", "./data")?
        .set_default("base_url", DEFAULT_BASE_URL)?
        .set_default("embedded_worker", true)?
        .set_default("secure_cookies", false)?
        .set_default("login_per_minute", 10)?
        .set_default("trust_forwarded_for", false)?
        .set_default("database.max_connections", 10)?
        .set_default("database.acquire_timeout_secs", 10)?
        .set_default("upload.max_bytes", 2_u64 * 1024 * 1024 * 1024)?
        .set_default("upload.max_banner_bytes", 5_u64 * 1024 * 1024)?
        .set_default("media.ffmpeg", "ffmpeg")?
        .set_default("media.ffprobe", "ffprobe")?
        .set_default("media.max_duration_secs", 3600.0)?
        .set_default("media.max_width", 7680)?
        .set_default("media.max_height", 4320)?
        .set_default("media.x264_preset", "superfast")?
        .set_default("media.x264_crf", 23)?
        .set_default("media.x264_params", "mbtree=1:rc-lookahead=10")?
        .set_default("media.audio_bitrate", "128k")?
        .set_default("media.timeout_factor", 10.0)?
        .set_default("media.min_timeout_secs", 120)?
        .set_default("media.probe_timeout_secs", 30)?
        .set_default("worker.concurrency", 0)?
        .set_default("worker.max_attempts", 3)?
        .set_default("worker.lease_secs", 60)?
        .set_default("worker.retry_base_secs", 10)?
        .set_default("worker.poll_interval_ms", 500)?
        .set_default("worker.shutdown_grace_secs", 120)?
        .set_default("mail.from", DEFAULT_MAIL_FROM)?
        .set_default("mail.transport", "file")?
        .set_default("mail.smtp_tls", "starttls")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load() {
        let s = Settings::load_with(|b| b).unwrap();
        assert_eq!(s.mode, Mode::Local);
        assert_eq!(s.upload.max_bytes, 2 * 1024 * 1024 * 1024);
        assert!(s.encode_concurrency() >= 1);
    }

    #[test]
    fn overrides_apply_and_bad_values_are_named() {
        let s = Settings::load_with(|b| b.set_override("upload.max_bytes", 5).unwrap()).unwrap();
        assert_eq!(s.upload.max_bytes, 5);
        let e = Settings::load_with(|b| b.set_override("base_url", "example.org").unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("base_url"), "{e}");
        let e =
            Settings::load_with(|b| b.set_override("mail.transport", "smtp").unwrap()).unwrap_err();
        assert!(e.to_string().contains("smtp_host"), "{e}");
    }
}
