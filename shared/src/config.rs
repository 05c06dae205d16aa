//! Settings: every knob of `web` and `worker`, loaded once, validated once.
//!
//! Layers, later wins: built-in defaults → `<config dir>/base.toml` → `<config dir>/<mode>.toml`
//! → in AWS mode the Secrets Manager secret named by `aws.secret_id` → `APP_*` env vars
//! (`APP_DATABASE__URL`, `APP_UPLOAD__MAX_BYTES`, ...: `__` between section and key).
//! The config dir is the one bootstrap knob that is an env var only: `APP_CONFIG_DIR`
//! (default `./configuration`; the files are optional). `configuration/base.toml` documents
//! every setting with its default; `docs/aws.md` the secret's keys.
//!
//! The input format is flat (the env var and secret key names operators already use:
//! `APP_AWS__S3_BUCKET`, `mail.smtp_host`, `db_host`, ...). [`Settings::load`] turns it into one
//! typed enum per backend — [`Database`], [`StorageSettings`], [`QueueSettings`],
//! [`MailTransport`] — or fails with one line naming the key to fix. Each enum has the one
//! function that builds its backend (in [`crate::backends`]); nothing else looks at the input.
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

mod secret;

pub use secret::{parse_secret, SecretValues};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Local,
    Aws,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line (log shippers).
    Json,
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
    /// `text` or `json` log lines (`APP_LOG_FORMAT`); `RUST_LOG` filters.
    #[serde(default)]
    pub log_format: LogFormat,
    /// Serve `/static/` from this folder instead of the files embedded in the `web` binary
    /// (development: edit CSS/JS without rebuilding). Unset in production.
    #[serde(default)]
    pub static_dir: Option<PathBuf>,
    pub upload: UploadSettings,
    pub media: MediaSettings,
    pub worker: WorkerSettings,

    // The flat input sections, resolved by `load` into the typed fields below.
    #[serde(rename = "database")]
    database_input: DatabaseInput,
    #[serde(rename = "mail")]
    mail_input: MailInput,
    #[serde(rename = "aws", default)]
    aws_input: AwsInput,

    /// Which database, and the pool.
    #[serde(skip)]
    pub database: DatabaseSettings,
    /// Where media objects live.
    #[serde(skip)]
    pub storage: StorageSettings,
    /// How jobs are delivered.
    #[serde(skip)]
    pub queue: QueueSettings,
    /// Sender and transport of outgoing mail.
    #[serde(skip)]
    pub mail: MailSettings,
    /// How AWS clients connect (only read when a backend is an AWS one).
    #[serde(skip)]
    pub aws: AwsSettings,
    /// Abuse limits (see `limits.rs` and the README's Security section).
    #[serde(default)]
    pub limits: crate::limits::LimitsSettings,
    #[serde(default)]
    pub sessions: crate::limits::SessionSettings,
    #[serde(default)]
    pub sweeper: crate::limits::SweeperSettings,
    #[serde(default)]
    pub digest: crate::limits::DigestSettings,
}

// ---------------------------------------------------------------------------------------------
// The typed settings
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct DatabaseSettings {
    pub backend: Database,
    pub max_connections: u32,
    pub acquire_timeout_secs: u64,
}

#[derive(Debug, Clone)]
pub enum Database {
    /// `sqlite://<file>?mode=rwc` (local default: `<data_dir>/clipcontest.db`).
    Sqlite { url: String },
    /// MySQL / MariaDB / RDS.
    Mysql {
        /// `mysql://user:pass@host:port/db` (may carry its own `ssl-mode`, which then wins).
        url: SecretString,
        tls: MysqlTls,
    },
}

impl Default for Database {
    fn default() -> Self {
        Database::Sqlite { url: String::new() }
    }
}

/// TLS of the MySQL connection, applied as `ssl-mode` / `ssl-ca` unless the URL sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MysqlTls {
    pub mode: Option<MysqlSslMode>,
    /// PEM bundle for `verify_ca` / `verify_identity` (the RDS global bundle).
    pub ca: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MysqlSslMode {
    Disabled,
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

impl MysqlSslMode {
    fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "disabled" => Self::Disabled,
            "preferred" => Self::Preferred,
            "required" => Self::Required,
            "verify_ca" => Self::VerifyCa,
            "verify_identity" => Self::VerifyIdentity,
            _ => return None,
        })
    }

    /// The value of sqlx's `ssl-mode` URL parameter.
    pub fn as_param(self) -> &'static str {
        match self {
            Self::Disabled => "disabled",
            Self::Preferred => "preferred",
            Self::Required => "required",
            Self::VerifyCa => "verify_ca",
            Self::VerifyIdentity => "verify_identity",
        }
    }
}

impl Database {
    /// The URL handed to sqlx: `db_ssl_mode` / `db_ssl_ca`, when set, replace the URL's own
    /// `ssl-mode` / `ssl-ca` (a URL assembled from `db_*` keys carries `ssl-mode=required`).
    pub fn connect_url(&self) -> String {
        match self {
            Database::Sqlite { url } => url.clone(),
            Database::Mysql { url, tls } => {
                let url = url.expose_secret();
                let (base, query) = url.split_once('?').unwrap_or((url, ""));
                let mut params: Vec<String> = query
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .filter(|p| {
                        let key = p.split('=').next().unwrap_or("");
                        !(key == "ssl-mode" && tls.mode.is_some()
                            || key == "ssl-ca" && tls.ca.is_some())
                    })
                    .map(str::to_string)
                    .collect();
                if let Some(mode) = tls.mode {
                    params.push(format!("ssl-mode={}", mode.as_param()));
                }
                if let Some(ca) = &tls.ca {
                    params.push(format!("ssl-ca={}", secret::escape(&ca.to_string_lossy())));
                }
                if params.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", params.join("&"))
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub enum StorageSettings {
    /// Files under `root`, served by the web app under `/files`.
    Local { root: PathBuf },
    S3 {
        bucket: String,
        /// Prepended to every key (`prod/` → `prod/media/...`); `None` for the bucket root.
        prefix: Option<String>,
        /// Public media through CloudFront; `None` means presigned S3 URLs.
        cdn: Option<CdnSettings>,
        /// Lifetime of media URLs handed to browsers (presigned or CDN-signed MP4, poster, HLS
        /// segments): a hidden or deleted video stops playing within it
        /// (`aws.media_url_ttl_secs`, default 600).
        media_url_ttl: std::time::Duration,
    },
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings::Local {
            root: PathBuf::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CdnSettings {
    /// `https://cdn.example.org` (no trailing slash).
    pub base_url: String,
    /// Set when `cdn_signed_urls` is on: the distribution only serves signed requests.
    pub signing: Option<CdnSigning>,
}

/// A CloudFront key pair from the secret (`cdn_key_pair_id`, `cdn_private_key`).
#[derive(Debug, Clone)]
pub struct CdnSigning {
    pub key_pair_id: String,
    /// PEM (RSA) private key.
    pub private_key: SecretString,
}

#[derive(Debug, Clone, Default)]
pub enum QueueSettings {
    /// The DB `jobs` table (leases in `locked_until`).
    #[default]
    Db,
    /// SQS, with the DB `jobs` table as the transactional outbox.
    Sqs {
        queue_url: String,
        dlq_url: String,
        /// How often the outbox relay looks for rows nobody woke it for.
        relay_poll_ms: u64,
    },
}

#[derive(Debug, Clone, Default)]
pub struct MailSettings {
    /// `Name <address>` of every message.
    pub from: String,
    pub transport: MailTransport,
}

#[derive(Debug, Clone)]
pub enum MailTransport {
    /// `.eml` files in `dir` (local default: `<data_dir>/outbox`).
    File { dir: PathBuf },
    Smtp {
        host: String,
        port: Option<u16>,
        credentials: Option<(String, SecretString)>,
        tls: SmtpTls,
    },
    /// SES v2 (AWS default).
    Ses {
        configuration_set: Option<String>,
        /// SES alone at another endpoint (tests read sent mail from a second emulator).
        endpoint_url: Option<String>,
        /// SQS queue of SES bounce/complaint events (`aws.ses_events_queue_url`), read by the
        /// worker ([`crate::mail::events`]).
        events_queue_url: Option<String>,
    },
}

impl Default for MailTransport {
    fn default() -> Self {
        MailTransport::File {
            dir: PathBuf::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host.
    None,
}

/// How AWS clients find their endpoint, region and the settings secret.
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    /// Secrets Manager secret id or ARN holding the JSON settings document.
    pub secret_id: Option<String>,
    /// Points every AWS client at an emulator (moto, LocalStack); S3 then uses path-style URLs.
    pub endpoint_url: Option<String>,
    /// Overrides the region from the standard chain (`AWS_REGION`, profile, instance metadata).
    pub region: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UploadSettings {
    /// Largest accepted video upload in bytes (enforced while streaming).
    pub max_bytes: u64,
    /// Largest accepted banner image in bytes.
    pub max_banner_bytes: u64,
    /// Mail the participant a short receipt when an upload is accepted (under the same
    /// per-recipient cap as every mail); the "ready" mail follows when it is converted.
    pub receipt_email: bool,
    /// Largest subtitles file (WebVTT or SRT) sent with an upload, in bytes.
    pub captions_max_bytes: u64,
    /// Most subtitles (cues) in one file.
    pub captions_max_cues: usize,
    /// Most characters in one subtitle.
    pub captions_max_cue_chars: usize,
}

impl UploadSettings {
    /// The limits a subtitles file is checked against.
    pub fn captions_limits(&self) -> crate::media::captions::CaptionLimits {
        crate::media::captions::CaptionLimits {
            max_bytes: self.captions_max_bytes,
            max_cues: self.captions_max_cues,
            max_cue_chars: self.captions_max_cue_chars,
        }
    }
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
    /// libx264 preset and extra params of the HLS rungs below the top one (the top rung, which
    /// the MP4 is made of, uses `x264_preset`/`x264_params`).
    pub hls_lower_preset: String,
    pub hls_lower_params: String,
    pub audio_bitrate: String,
    /// Encode timeout = max(min_timeout_secs, duration × timeout_factor).
    pub timeout_factor: f64,
    pub min_timeout_secs: u64,
    pub probe_timeout_secs: u64,
    /// Encode timeout cap, whatever the duration (a timed-out encode is retried).
    pub max_timeout_secs: u64,
    /// Highest accepted frame rate (frames per second).
    pub max_fps: f64,
    /// Most frames in one video (duration × frame rate when the container does not say).
    pub max_frames: u64,
    /// Most streams (video, audio, subtitles, data, cover art) in one file.
    pub max_streams: u32,
    /// HLS ladder: rung heights (the short side for portrait sources); only rungs at or below
    /// the source are made, at least one.
    pub hls_rungs: Vec<u32>,
    /// HLS segment length in seconds (keyframes every `hls_segment_secs / 2`).
    pub hls_segment_secs: u32,
    /// Encoder threads per job; 0 means the worker's share of the cores (cores / concurrency).
    pub threads: usize,
    /// Concurrent ffprobe + decode checks on the web tier (uploads beyond wait, then get 503).
    pub check_concurrency: usize,
    /// How long an upload waits for a check slot before the 503 (milliseconds).
    pub check_wait_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkerSettings {
    /// Concurrent encodes; 0 means one per two cores (at least one).
    pub concurrency: usize,
    pub max_attempts: u32,
    /// How long a claimed job stays invisible to others; renewed by a heartbeat while it runs.
    /// Also how long a job of a worker that died (on another machine, or without a lock file
    /// to tell) waits before another worker takes it.
    pub lease_secs: u64,
    /// How often a running job renews its lease (at most a third of `lease_secs`).
    pub heartbeat_secs: u64,
    /// A waiting or converting video untouched this long, whose job can no longer run (dead-
    /// lettered, or its worker died during the last attempt), is failed by the sweep.
    pub stale_after_secs: u64,
    /// How often each worker runs that sweep.
    pub sweep_interval_secs: u64,
    /// How often a worker looks for dead workers' lock files (DB queue, one machine).
    pub recover_interval_ms: u64,
    /// First retry delay; doubles per attempt.
    pub retry_base_secs: u64,
    /// Polling interval of the DB queue when no in-process wake-up arrives (standalone worker).
    pub poll_interval_ms: u64,
    /// On SIGTERM: how long the current job may run before it is released.
    pub shutdown_grace_secs: u64,
}

// ---------------------------------------------------------------------------------------------
// The flat input format
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
struct DatabaseInput {
    /// `sqlite://...` or `mysql://...`; local mode defaults to `sqlite://<data_dir>/clipcontest.db`.
    url: Option<SecretString>,
    max_connections: u32,
    acquire_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
struct MailInput {
    from: String,
    /// `file`, `smtp` or `ses`; unset: `file` locally, `ses` in AWS mode.
    transport: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_username: Option<String>,
    smtp_password: Option<SecretString>,
    smtp_tls: String,
}

/// `aws.*` keys (`APP_AWS__*`), filled from the secret in AWS mode.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct AwsInput {
    secret_id: Option<String>,
    endpoint_url: Option<String>,
    ses_endpoint_url: Option<String>,
    region: Option<String>,
    s3_bucket: Option<String>,
    s3_prefix: Option<String>,
    sqs_queue_url: Option<String>,
    sqs_dlq_url: Option<String>,
    ses_configuration_set: Option<String>,
    ses_events_queue_url: Option<String>,
    cdn_base_url: Option<String>,
    cdn_signed_urls: Option<bool>,
    cdn_key_pair_id: Option<String>,
    cdn_private_key: Option<SecretString>,
    media_url_ttl_secs: Option<u64>,
    db_ssl_mode: Option<String>,
    db_ssl_ca: Option<String>,
    relay_poll_ms: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

/// Reads the settings secret (Secrets Manager in production, a canned document in tests).
/// Injected into [`Settings::load`] so this module needs no AWS client.
#[async_trait::async_trait]
pub trait SecretFetcher: Send + Sync {
    /// The secret's string value. Errors are one line without the value.
    async fn fetch(&self, aws: &AwsSettings, secret_id: &str) -> Result<String, ConfigError>;
}

type Builder = config::ConfigBuilder<config::builder::DefaultState>;

impl Settings {
    /// Loads and validates the settings; `secrets` reads the AWS secret when one is named.
    pub async fn load(secrets: &dyn SecretFetcher) -> Result<Self, ConfigError> {
        Self::load_from(|b| b, None, secrets).await
    }

    /// Like [`Settings::load`] without a secret, with a hook to override keys (tests use it).
    pub fn load_with(f: impl FnOnce(Builder) -> Builder) -> Result<Self, ConfigError> {
        let first = FirstPass::new(f, None)?;
        if let Some(id) = first.secret_to_read() {
            return Err(ConfigError(format!(
                "aws.secret_id is {id} but Settings::load_with reads no secrets; use Settings::load_with_secrets"
            )));
        }
        first.finish(None)
    }

    /// [`Settings::load_with`] that also reads the secret named by the settings.
    pub async fn load_with_secrets(
        f: impl FnOnce(Builder) -> Builder,
        secrets: &dyn SecretFetcher,
    ) -> Result<Self, ConfigError> {
        Self::load_from(f, None, secrets).await
    }

    /// The layering itself. `env` replaces the process environment (unit tests).
    pub(crate) async fn load_from(
        f: impl FnOnce(Builder) -> Builder,
        env: Option<config::Map<String, String>>,
        secrets: &dyn SecretFetcher,
    ) -> Result<Self, ConfigError> {
        let first = FirstPass::new(f, env)?;
        let doc = match first.secret_to_read() {
            Some(id) => Some((secrets.fetch(&first.settings.aws, &id).await?, id)),
            None => None,
        };
        first.finish(doc)
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

    /// Does any backend talk to AWS (and so need an SDK configuration)?
    pub fn uses_aws(&self) -> bool {
        matches!(self.storage, StorageSettings::S3 { .. })
            || matches!(self.queue, QueueSettings::Sqs { .. })
            || matches!(self.mail.transport, MailTransport::Ses { .. })
    }
}

/// Defaults + files + env, before the secret: tells whether a secret must be read.
struct FirstPass {
    base: Builder,
    environment: config::Environment,
    settings: Settings,
}

impl FirstPass {
    fn new(
        f: impl FnOnce(Builder) -> Builder,
        env: Option<config::Map<String, String>>,
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
        let mut settings = build(base.clone().add_source(environment.clone()))?;
        settings.aws = AwsSettings {
            secret_id: nonempty(&settings.aws_input.secret_id),
            endpoint_url: nonempty(&settings.aws_input.endpoint_url),
            region: nonempty(&settings.aws_input.region),
        };
        Ok(Self {
            base,
            environment,
            settings,
        })
    }

    fn secret_to_read(&self) -> Option<String> {
        (self.settings.mode == Mode::Aws)
            .then(|| self.settings.aws.secret_id.clone())
            .flatten()
    }

    /// Merges the secret (between the files and the env vars: one env var can override one
    /// key) and resolves the typed settings.
    fn finish(self, secret: Option<(String, String)>) -> Result<Settings, ConfigError> {
        let mut s = match secret {
            Some((doc, id)) => {
                let values = parse_secret(&id, &doc)?;
                let mut s = build(
                    self.base
                        .add_source(values.into_source())
                        .add_source(self.environment),
                )?;
                s.aws = self.settings.aws;
                s
            }
            None => self.settings,
        };
        s.resolve()?;
        Ok(s)
    }
}

/// libx264's presets, fastest first.
const X264_PRESETS: [&str; 10] = [
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
    "placebo",
];

fn build(b: Builder) -> Result<Settings, ConfigError> {
    b.build()
        .and_then(|c| c.try_deserialize())
        .map_err(|e| ConfigError(e.to_string()))
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Settings {
    /// Checks every value once and fills the typed backend settings.
    fn resolve(&mut self) -> Result<(), ConfigError> {
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
        for (value, name) in [
            (self.upload.captions_max_bytes, "upload.captions_max_bytes"),
            (
                self.upload.captions_max_cues as u64,
                "upload.captions_max_cues",
            ),
            (
                self.upload.captions_max_cue_chars as u64,
                "upload.captions_max_cue_chars",
            ),
        ] {
            if value == 0 {
                return Err(ConfigError(format!(
                    "{name} must be greater than 0 (APP_{})",
                    name.to_uppercase().replace('.', "__")
                )));
            }
        }
        if self.worker.max_attempts == 0 {
            return Err(ConfigError(
                "worker.max_attempts must be at least 1 (APP_WORKER__MAX_ATTEMPTS)".into(),
            ));
        }
        if self.worker.lease_secs == 0 {
            return Err(ConfigError(
                "worker.lease_secs must be at least 1 (APP_WORKER__LEASE_SECS)".into(),
            ));
        }
        if self.worker.stale_after_secs <= self.worker.lease_secs {
            return Err(ConfigError(format!(
                "worker.stale_after_secs ({}) must be longer than worker.lease_secs ({}) (APP_WORKER__STALE_AFTER_SECS)",
                self.worker.stale_after_secs, self.worker.lease_secs
            )));
        }
        // A misspelt preset would fail every conversion at run time: refuse it at start.
        for (key, preset) in [
            ("media.x264_preset", &self.media.x264_preset),
            ("media.hls_lower_preset", &self.media.hls_lower_preset),
        ] {
            if !X264_PRESETS.contains(&preset.as_str()) {
                return Err(ConfigError(format!(
                    "{key} must be one of {} (got {preset:?})",
                    X264_PRESETS.join(", ")
                )));
            }
        }
        // Relative folders are taken from the working directory at start, once.
        self.data_dir = std::path::absolute(&self.data_dir).map_err(|e| {
            ConfigError(format!(
                "data_dir {} is not a usable path: {e}; set APP_DATA_DIR",
                self.data_dir.display()
            ))
        })?;
        let aws = self.mode == Mode::Aws;
        let a = self.aws_input.clone();
        let missing = |key: &str, env: &str| {
            let source = match &self.aws.secret_id {
                Some(id) => format!("AWS secret {id} is missing key {key}"),
                None => format!("AWS mode needs {key} but APP_AWS__SECRET_ID is not set"),
            };
            ConfigError(format!("{source} (or set {env})"))
        };

        self.database = DatabaseSettings {
            backend: self.resolve_database(&a, &missing)?,
            max_connections: self.database_input.max_connections.max(1),
            acquire_timeout_secs: self.database_input.acquire_timeout_secs,
        };
        if aws && !matches!(self.database.backend, Database::Mysql { .. }) {
            return Err(ConfigError("AWS mode needs a mysql:// database URL (database_url or db_* keys in the secret, or APP_DATABASE__URL)".into()));
        }

        self.storage = if aws {
            let bucket =
                nonempty(&a.s3_bucket).ok_or_else(|| missing("s3_bucket", "APP_AWS__S3_BUCKET"))?;
            let prefix = a
                .s3_prefix
                .as_deref()
                .map(|p| p.trim_matches('/'))
                .filter(|p| !p.is_empty())
                .map(str::to_string);
            let cdn = match nonempty(&a.cdn_base_url) {
                None if a.cdn_signed_urls == Some(true) => {
                    return Err(missing(
                        "cdn_base_url (cdn_signed_urls is on)",
                        "APP_AWS__CDN_BASE_URL",
                    ))
                }
                None => None,
                Some(url) => {
                    if !url.starts_with("https://") && !url.starts_with("http://") {
                        return Err(ConfigError(format!("cdn_base_url must start with https:// (got {url:?}); fix the secret key cdn_base_url or APP_AWS__CDN_BASE_URL")));
                    }
                    let signing = if a.cdn_signed_urls == Some(true) {
                        let key_pair_id = nonempty(&a.cdn_key_pair_id).ok_or_else(|| {
                            missing(
                                "cdn_key_pair_id (cdn_signed_urls is on)",
                                "APP_AWS__CDN_KEY_PAIR_ID",
                            )
                        })?;
                        let private_key = a
                            .cdn_private_key
                            .clone()
                            .filter(|k| !k.expose_secret().trim().is_empty())
                            .ok_or_else(|| {
                                missing(
                                    "cdn_private_key (cdn_signed_urls is on)",
                                    "APP_AWS__CDN_PRIVATE_KEY",
                                )
                            })?;
                        if !private_key
                            .expose_secret()
                            .trim_start()
                            .starts_with("-----BEGIN")
                        {
                            return Err(ConfigError("cdn_private_key must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)".into()));
                        }
                        // Parsed now, so a bad key stops the start with one line (never the key).
                        crate::storage::CdnSigner::new(
                            &key_pair_id,
                            private_key.expose_secret(),
                            std::time::Duration::from_secs(60),
                        )
                        .map_err(ConfigError)?;
                        Some(CdnSigning {
                            key_pair_id,
                            private_key,
                        })
                    } else {
                        None
                    };
                    Some(CdnSettings {
                        base_url: url.trim_end_matches('/').to_string(),
                        signing,
                    })
                }
            };
            let ttl = a.media_url_ttl_secs.unwrap_or(600);
            // S3 presigned URLs last at most 7 days.
            if !(1..=604_800).contains(&ttl) {
                return Err(ConfigError(format!(
                    "media_url_ttl_secs must be between 1 and 604800 (got {ttl}; APP_AWS__MEDIA_URL_TTL_SECS)"
                )));
            }
            StorageSettings::S3 {
                bucket,
                prefix,
                cdn,
                media_url_ttl: std::time::Duration::from_secs(ttl),
            }
        } else {
            StorageSettings::Local {
                root: self.data_dir.join("storage"),
            }
        };

        self.queue = if aws {
            QueueSettings::Sqs {
                queue_url: nonempty(&a.sqs_queue_url)
                    .ok_or_else(|| missing("sqs_queue_url", "APP_AWS__SQS_QUEUE_URL"))?,
                dlq_url: nonempty(&a.sqs_dlq_url)
                    .ok_or_else(|| missing("sqs_dlq_url", "APP_AWS__SQS_DLQ_URL"))?,
                relay_poll_ms: a.relay_poll_ms.unwrap_or(2000).max(100),
            }
        } else {
            QueueSettings::Db
        };

        let m = &self.mail_input;
        let transport = match m.transport.as_deref() {
            Some("file") => "file",
            Some("smtp") => "smtp",
            Some("ses") => "ses",
            None if aws => "ses",
            None => "file",
            Some(other) => {
                return Err(ConfigError(format!(
                    "mail.transport must be file, smtp or ses (got {other:?}; APP_MAIL__TRANSPORT)"
                )))
            }
        };
        let transport = match transport {
            "file" => MailTransport::File {
                dir: self.data_dir.join("outbox"),
            },
            "smtp" => MailTransport::Smtp {
                host: nonempty(&m.smtp_host).ok_or_else(|| {
                    ConfigError(
                        "mail.transport is smtp but mail.smtp_host is not set (APP_MAIL__SMTP_HOST)"
                            .into(),
                    )
                })?,
                port: m.smtp_port,
                credentials: match (nonempty(&m.smtp_username), &m.smtp_password) {
                    (Some(u), Some(p)) => Some((u, p.clone())),
                    (None, None) => None,
                    _ => return Err(ConfigError("mail.smtp_username and mail.smtp_password go together (APP_MAIL__SMTP_USERNAME, APP_MAIL__SMTP_PASSWORD)".into())),
                },
                tls: match m.smtp_tls.to_ascii_lowercase().as_str() {
                    "starttls" => SmtpTls::Starttls,
                    "tls" => SmtpTls::Tls,
                    "none" => SmtpTls::None,
                    other => {
                        return Err(ConfigError(format!(
                            "mail.smtp_tls must be tls, starttls or none (got {other:?}; APP_MAIL__SMTP_TLS)"
                        )))
                    }
                },
            },
            _ => MailTransport::Ses {
                configuration_set: nonempty(&a.ses_configuration_set),
                endpoint_url: nonempty(&a.ses_endpoint_url),
                events_queue_url: nonempty(&a.ses_events_queue_url),
            },
        };
        if m.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "mail.from is not a mail address (got {:?}); set APP_MAIL__FROM or the secret key ses_from",
                m.from
            )));
        }
        self.mail = MailSettings {
            from: m.from.clone(),
            transport,
        };

        if aws {
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
        }
        Ok(())
    }

    fn resolve_database(
        &self,
        a: &AwsInput,
        missing: &impl Fn(&str, &str) -> ConfigError,
    ) -> Result<Database, ConfigError> {
        let url = match &self.database_input.url {
            Some(u) if !u.expose_secret().trim().is_empty() => u.clone(),
            _ if self.mode == Mode::Aws => {
                return Err(missing(
                    "database_url (or db_host, db_port, db_user, db_password, db_name)",
                    "APP_DATABASE__URL",
                ))
            }
            _ => {
                return Ok(Database::Sqlite {
                    url: sqlite_url(&self.data_dir),
                })
            }
        };
        let text = url.expose_secret();
        if text.starts_with("sqlite:") {
            return Ok(Database::Sqlite {
                url: text.to_string(),
            });
        }
        if !(text.starts_with("mysql:") || text.starts_with("mariadb:")) {
            // Never echo the URL: it carries the password.
            return Err(ConfigError(
                "database.url must start with sqlite:// or mysql:// (APP_DATABASE__URL)".into(),
            ));
        }
        let mode = match nonempty(&a.db_ssl_mode) {
            None => None,
            Some(m) => Some(MysqlSslMode::parse(&m).ok_or_else(|| ConfigError(format!("db_ssl_mode must be disabled, preferred, required, verify_ca or verify_identity (got {m:?}; secret key db_ssl_mode or APP_AWS__DB_SSL_MODE)")))?),
        };
        let ca = nonempty(&a.db_ssl_ca).map(PathBuf::from);
        if let Some(ca) = &ca {
            if !ca.is_file() {
                return Err(ConfigError(format!(
                    "db_ssl_ca {} is not a readable file (the RDS CA bundle; APP_AWS__DB_SSL_CA)",
                    ca.display()
                )));
            }
        }
        if matches!(
            mode,
            Some(MysqlSslMode::VerifyCa | MysqlSslMode::VerifyIdentity)
        ) && ca.is_none()
        {
            return Err(ConfigError("db_ssl_mode verify_ca / verify_identity needs db_ssl_ca (the RDS CA bundle file; APP_AWS__DB_SSL_CA)".into()));
        }
        Ok(Database::Mysql {
            url,
            tls: MysqlTls { mode, ca },
        })
    }
}

/// SQLite URL for a data folder (created with the file on first start).
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}/clipcontest.db?mode=rwc", data_dir.display())
}

const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";
const DEFAULT_MAIL_FROM: &str = "Clipcontest <no-reply@clipcontest.local>";

/// Every default; `configuration/base.toml` repeats them with their documentation (a unit
/// test keeps the two in step).
fn defaults() -> Result<Builder, config::ConfigError> {
    config::Config::builder()
        .set_default("mode", "local")?
        .set_default("listen", "127.0.0.1:8080")?
        .set_default("data_dir", "./data")?
        .set_default("base_url", DEFAULT_BASE_URL)?
        .set_default("embedded_worker", true)?
        .set_default("secure_cookies", false)?
        .set_default("login_per_minute", 10)?
        .set_default("trust_forwarded_for", false)?
        .set_default("log_format", "text")?
        .set_default("database.max_connections", 10)?
        .set_default("database.acquire_timeout_secs", 10)?
        .set_default("upload.max_bytes", 2_u64 * 1024 * 1024 * 1024)?
        .set_default("upload.receipt_email", true)?
        .set_default("upload.captions_max_bytes", 512_u64 * 1024)?
        .set_default("upload.captions_max_cues", 5000_u64)?
        .set_default("upload.captions_max_cue_chars", 500_u64)?
        .set_default("upload.max_banner_bytes", 5_u64 * 1024 * 1024)?
        .set_default("media.ffmpeg", "ffmpeg")?
        .set_default("media.ffprobe", "ffprobe")?
        .set_default("media.max_duration_secs", 3600.0)?
        .set_default("media.max_width", 7680)?
        .set_default("media.max_height", 4320)?
        .set_default("media.x264_preset", "superfast")?
        .set_default("media.x264_crf", 23)?
        .set_default("media.x264_params", "mbtree=1:rc-lookahead=10")?
        .set_default("media.hls_lower_preset", "superfast")?
        .set_default(
            "media.hls_lower_params",
            "mbtree=1:rc-lookahead=10:subme=0:partitions=none:weightp=0",
        )?
        .set_default("media.audio_bitrate", "128k")?
        .set_default("media.timeout_factor", 4.0)?
        .set_default("media.max_timeout_secs", 7200)?
        .set_default("media.max_fps", 120.0)?
        .set_default("media.max_frames", 432_000)?
        .set_default("media.max_streams", 16)?
        .set_default("media.hls_rungs", vec![1080, 720, 480, 360])?
        .set_default("media.hls_segment_secs", 4)?
        .set_default("media.threads", 0)?
        .set_default("media.check_concurrency", 2)?
        .set_default("media.check_wait_ms", 3000)?
        .set_default("media.min_timeout_secs", 120)?
        .set_default("media.probe_timeout_secs", 30)?
        .set_default("worker.concurrency", 0)?
        .set_default("worker.max_attempts", 3)?
        .set_default("worker.lease_secs", 30)?
        .set_default("worker.heartbeat_secs", 10)?
        .set_default("worker.stale_after_secs", 120)?
        .set_default("worker.sweep_interval_secs", 30)?
        .set_default("worker.recover_interval_ms", 1000)?
        .set_default("worker.retry_base_secs", 10)?
        .set_default("worker.poll_interval_ms", 500)?
        .set_default("worker.shutdown_grace_secs", 120)?
        .set_default("mail.from", DEFAULT_MAIL_FROM)?
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
        assert!(matches!(s.database.backend, Database::Sqlite { .. }));
        assert!(
            matches!(&s.storage, StorageSettings::Local { root } if root.is_absolute() && root.ends_with("storage"))
        );
        assert!(matches!(s.queue, QueueSettings::Db));
        assert!(matches!(s.mail.transport, MailTransport::File { .. }));
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(!s.uses_aws());
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
        let e = Settings::load_with(|b| b.set_override("mail.transport", "pigeon").unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("file, smtp or ses"), "{e}");
        let e = Settings::load_with(|b| {
            b.set_override("database.url", "postgres://u:hunter2@h/d")
                .unwrap()
        })
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("sqlite:// or mysql://") && !e.contains("hunter2"),
            "{e}"
        );
        let e = Settings::load_with(|b| b.set_override("log_format", "xml").unwrap()).unwrap_err();
        assert!(e.to_string().contains("log_format"), "{e}");
        let e = Settings::load_with(|b| b.set_override("media.hls_lower_preset", "turbo").unwrap())
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("media.hls_lower_preset must be one of ultrafast"),
            "{e}"
        );
        let e =
            Settings::load_with(|b| b.set_override("media.x264_preset", "").unwrap()).unwrap_err();
        assert!(e.to_string().contains("media.x264_preset"), "{e}");
    }

    #[test]
    fn smtp_settings_become_a_typed_transport() {
        let s = Settings::load_with(|b| {
            b.set_override("mail.transport", "smtp")
                .unwrap()
                .set_override("mail.smtp_host", "relay.example.org")
                .unwrap()
                .set_override("mail.smtp_port", 2525)
                .unwrap()
                .set_override("mail.smtp_tls", "TLS")
                .unwrap()
        })
        .unwrap();
        match s.mail.transport {
            MailTransport::Smtp {
                host,
                port,
                credentials,
                tls,
            } => {
                assert_eq!(host, "relay.example.org");
                assert_eq!(port, Some(2525));
                assert!(credentials.is_none());
                assert_eq!(tls, SmtpTls::Tls);
            }
            other => panic!("{other:?}"),
        }
        let e = Settings::load_with(|b| {
            b.set_override("mail.transport", "smtp")
                .unwrap()
                .set_override("mail.smtp_host", "relay.example.org")
                .unwrap()
                .set_override("mail.smtp_tls", "maybe")
                .unwrap()
        })
        .unwrap_err();
        assert!(e.to_string().contains("smtp_tls"), "{e}");
        let e = Settings::load_with(|b| {
            b.set_override("mail.transport", "smtp")
                .unwrap()
                .set_override("mail.smtp_host", "relay.example.org")
                .unwrap()
                .set_override("mail.smtp_username", "only-user")
                .unwrap()
        })
        .unwrap_err();
        assert!(e.to_string().contains("go together"), "{e}");
    }

    #[test]
    fn mysql_tls_options_are_appended_unless_the_url_has_them() {
        let ca = tempfile::NamedTempFile::new().unwrap();
        let s = Settings::load_with(|b| {
            b.set_override("database.url", "mysql://u:p@db:3306/clip")
                .unwrap()
                .set_override("aws.db_ssl_mode", "VERIFY_IDENTITY")
                .unwrap()
                .set_override("aws.db_ssl_ca", ca.path().to_string_lossy().to_string())
                .unwrap()
        })
        .unwrap();
        let url = s.database.backend.connect_url();
        assert!(
            url.starts_with("mysql://u:p@db:3306/clip?ssl-mode=verify_identity&ssl-ca=%2F"),
            "{url}"
        );
        let url = |vars: &[(&str, &str)]| {
            Settings::load_with(|mut b| {
                for (k, v) in vars {
                    b = b.set_override(*k, *v).unwrap();
                }
                b
            })
            .unwrap()
            .database
            .backend
            .connect_url()
        };
        // The URL's own TLS options stand unless the settings name others.
        assert_eq!(
            url(&[(
                "database.url",
                "mysql://u:p@db/clip?ssl-mode=required&charset=utf8mb4"
            )]),
            "mysql://u:p@db/clip?ssl-mode=required&charset=utf8mb4"
        );
        assert_eq!(
            url(&[
                (
                    "database.url",
                    "mysql://u:p@db/clip?ssl-mode=required&charset=utf8mb4"
                ),
                ("aws.db_ssl_mode", "disabled"),
            ]),
            "mysql://u:p@db/clip?charset=utf8mb4&ssl-mode=disabled"
        );
        let e = Settings::load_with(|b| {
            b.set_override("database.url", "mysql://u:p@db/clip")
                .unwrap()
                .set_override("aws.db_ssl_mode", "verify_identity")
                .unwrap()
        })
        .unwrap_err();
        assert!(e.to_string().contains("needs db_ssl_ca"), "{e}");
        let e = Settings::load_with(|b| {
            b.set_override("database.url", "mysql://u:p@db/clip")
                .unwrap()
                .set_override("aws.db_ssl_ca", "/nonexistent/rds.pem")
                .unwrap()
        })
        .unwrap_err();
        assert!(e.to_string().contains("not a readable file"), "{e}");
    }

    /// `configuration/base.toml` documents every default; it must say what the code does.
    #[test]
    fn the_example_configuration_matches_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../configuration/base.toml");
        let example: config::Value = config::Config::builder()
            .add_source(config::File::from(path.as_path()))
            .build()
            .unwrap()
            .cache;
        let defaults: config::Value = defaults().unwrap().build().unwrap().cache;
        let flat = |v: config::Value| -> std::collections::BTreeMap<String, String> {
            fn walk(
                prefix: &str,
                v: config::Value,
                out: &mut std::collections::BTreeMap<String, String>,
            ) {
                match v.kind {
                    config::ValueKind::Table(t) => {
                        for (k, v) in t {
                            let key = if prefix.is_empty() {
                                k
                            } else {
                                format!("{prefix}.{k}")
                            };
                            walk(&key, v, out);
                        }
                    }
                    other => {
                        let text = config::Value::new(None, other).to_string();
                        out.insert(prefix.to_string(), text);
                    }
                }
            }
            let mut out = std::collections::BTreeMap::new();
            walk("", v, &mut out);
            out
        };
        let (example, defaults) = (flat(example), flat(defaults));
        for (k, v) in &defaults {
            let got = example.get(k).unwrap_or_else(|| {
                panic!("configuration/base.toml does not document the default {k} = {v}")
            });
            // TOML writes 3600.0 where the builder keeps 3600; compare as numbers when both are.
            let same = got == v
                || matches!((got.parse::<f64>(), v.parse::<f64>()), (Ok(a), Ok(b)) if a == b);
            assert!(
                same,
                "configuration/base.toml says {k} = {got}, the code's default is {v}"
            );
        }
    }
}
