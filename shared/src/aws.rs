//! AWS mode plumbing shared by the S3, SQS and SES backends: the SDK client configuration and
//! the application secret (a JSON document in Secrets Manager, mapped onto [`Settings`] keys).
//!
//! Secret key → settings key (the env var that overrides it):
//! `database_url` or `db_host`+`db_port`+`db_user`+`db_password`+`db_name` → `database.url`
//! (`APP_DATABASE__URL`); `s3_bucket`, `s3_prefix`, `sqs_queue_url`, `sqs_dlq_url`,
//! `ses_configuration_set`, `cdn_base_url` → `aws.<same>` (`APP_AWS__<SAME>`); `ses_from` →
//! `mail.from` (`APP_MAIL__FROM`); `base_url` (`APP_BASE_URL`); `session_key` (`APP_SESSION_KEY`).
//!
//! [`Settings`]: crate::Settings
use aws_config::{BehaviorVersion, Region, SdkConfig};
use serde_json::Value;

use crate::config::{AwsSettings, ConfigError};

/// Loads region and credentials from the standard chain, pointed at `aws.endpoint_url` if set.
pub async fn sdk_config(aws: &AwsSettings) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(url) = aws.endpoint_url.as_deref().filter(|u| !u.is_empty()) {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = aws.region.as_deref().filter(|r| !r.is_empty()) {
        loader = loader.region(Region::new(region.to_string()));
    }
    loader.load().await
}

/// An S3 client; path-style addressing against an emulator (no wildcard DNS for bucket hosts).
pub fn s3_client(sdk: &SdkConfig, aws: &AwsSettings) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(sdk)
        .force_path_style(aws.endpoint_url.is_some())
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// Reads the secret's string value. Errors are one line without the value.
pub async fn fetch_secret(aws: &AwsSettings, secret_id: &str) -> Result<String, ConfigError> {
    let sdk = sdk_config(aws).await;
    let client = aws_sdk_secretsmanager::Client::new(&sdk);
    let out = client.get_secret_value().secret_id(secret_id).send().await.map_err(|e| {
        ConfigError(format!(
            "cannot read AWS secret {secret_id}: {}; check APP_AWS__SECRET_ID, the region and the instance role",
            aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
        ))
    })?;
    out.secret_string.ok_or_else(|| {
        ConfigError(format!(
            "AWS secret {secret_id} has no string value (a binary secret?); store a JSON object"
        ))
    })
}

/// [`fetch_secret`] for the synchronous settings loader: runs on its own thread and runtime, so
/// it works from inside or outside a Tokio runtime (it runs once, at start-up).
pub fn fetch_secret_blocking(aws: &AwsSettings, secret_id: &str) -> Result<String, ConfigError> {
    let aws = aws.clone();
    let id = secret_id.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                ConfigError(format!(
                    "cannot start a runtime to read the AWS secret: {e}"
                ))
            })?;
        rt.block_on(fetch_secret(&aws, &id))
    })
    .join()
    .map_err(|_| ConfigError("reading the AWS secret panicked".into()))?
}

/// The secret's values as settings keys. Debug never prints values (they include passwords).
pub struct SecretValues {
    pairs: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.pairs.iter().map(|(k, _)| k))
            .finish()
    }
}

impl SecretValues {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn into_source(self) -> SecretSource {
        let origin = "AWS secret".to_string();
        SecretSource(
            self.pairs
                .into_iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        config::Value::new(Some(&origin), config::ValueKind::String(v)),
                    )
                })
                .collect(),
        )
    }
}

/// A `config` source layered between configuration files and env vars.
#[derive(Clone)]
pub(crate) struct SecretSource(config::Map<String, config::Value>);

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

impl config::Source for SecretSource {
    fn clone_into_box(&self) -> Box<dyn config::Source + Send + Sync> {
        Box::new(self.clone())
    }

    fn collect(&self) -> Result<config::Map<String, config::Value>, config::ConfigError> {
        Ok(self.0.clone())
    }
}

/// Secret key → settings key, for plain string values.
const STRING_KEYS: &[(&str, &str)] = &[
    ("database_url", "database.url"),
    ("s3_bucket", "aws.s3_bucket"),
    ("s3_prefix", "aws.s3_prefix"),
    ("sqs_queue_url", "aws.sqs_queue_url"),
    ("sqs_dlq_url", "aws.sqs_dlq_url"),
    ("ses_from", "mail.from"),
    ("ses_configuration_set", "aws.ses_configuration_set"),
    ("base_url", "base_url"),
    ("cdn_base_url", "aws.cdn_base_url"),
    ("session_key", "session_key"),
];

const DB_KEYS: [&str; 5] = ["db_host", "db_port", "db_user", "db_password", "db_name"];

/// Parses the secret document. Which keys are *required* is checked after env overrides are
/// merged (`Settings::check_aws`), so an env var may stand in for a key; here only the shape is checked.
pub fn parse_secret(
    secret_id: &str,
    doc: &str,
    aws: &AwsSettings,
) -> Result<SecretValues, ConfigError> {
    let err = |m: String| ConfigError(format!("AWS secret {secret_id} {m}"));
    // serde_json's message names a position, never the content.
    let json: Value =
        serde_json::from_str(doc).map_err(|e| err(format!("is not valid JSON: {e}")))?;
    let Value::Object(map) = json else {
        return Err(err("is not a JSON object".into()));
    };
    let text = |key: &str| -> Result<Option<String>, ConfigError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            // Terraform's jsonencode writes numbers for numeric attributes (db_port).
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(err(format!("key {key} must be a string"))),
        }
    };
    let mut pairs = Vec::new();
    for (secret_key, settings_key) in STRING_KEYS {
        if let Some(v) = text(secret_key)? {
            pairs.push((*settings_key, v));
        }
    }
    if pairs.iter().all(|(k, _)| *k != "database.url")
        && DB_KEYS.iter().any(|k| map.contains_key(*k))
    {
        let mut parts = Vec::with_capacity(DB_KEYS.len());
        for key in DB_KEYS {
            parts.push(text(key)?.ok_or_else(|| err(format!("is missing key {key}")))?);
        }
        let port: u16 = parts[1]
            .parse()
            .map_err(|_| err("key db_port must be a port number".into()))?;
        pairs.push((
            "database.url",
            mysql_url(&parts[0], port, &parts[2], &parts[3], &parts[4], aws),
        ));
    }
    Ok(SecretValues { pairs })
}

/// `mysql://user:pass@host:port/db?ssl-mode=...`, escaping what a generated password may contain.
fn mysql_url(
    host: &str,
    port: u16,
    user: &str,
    password: &str,
    db: &str,
    aws: &AwsSettings,
) -> String {
    let mode = aws.db_ssl_mode.as_deref().unwrap_or("required");
    let mut url = format!(
        "mysql://{}:{}@{host}:{port}/{}?ssl-mode={}",
        escape(user),
        escape(password),
        escape(db),
        escape(mode)
    );
    if let Some(ca) = aws.db_ssl_ca.as_deref().filter(|c| !c.is_empty()) {
        url.push_str("&ssl-ca=");
        url.push_str(&escape(ca));
    }
    url
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `/` is escaped too).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mode;
    use crate::Settings;
    use secrecy::ExposeSecret;

    const FULL: &str = r#"{
        "db_host": "db.internal", "db_port": 3306, "db_user": "app", "db_password": "p@ss/w:rd?&", "db_name": "clip",
        "s3_bucket": "media", "s3_prefix": "prod/", "sqs_queue_url": "https://sqs/q", "sqs_dlq_url": "https://sqs/dlq",
        "ses_from": "Clipcontest <no-reply@example.org>", "ses_configuration_set": "cs",
        "base_url": "https://contests.example.org", "cdn_base_url": "https://cdn.example.org",
        "session_key": "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    }"#;

    fn env(pairs: &[(&str, &str)]) -> config::Map<String, String> {
        let mut m: config::Map<String, String> = [
            ("APP_MODE", "aws"),
            ("APP_AWS__SECRET_ID", "clipcontest/prod"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        m.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        m
    }

    fn load(doc: &'static str, vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        Settings::load_from(|b| b, Some(env(vars)), move |_, _| Ok(doc.to_string()))
    }

    #[test]
    fn db_keys_assemble_an_escaped_tls_url() {
        let v = parse_secret("s", FULL, &AwsSettings::default()).unwrap();
        assert_eq!(
            v.get("database.url").unwrap(),
            "mysql://app:p%40ss%2Fw%3Ard%3F%26@db.internal:3306/clip?ssl-mode=required"
        );
        let v = parse_secret(
            "s",
            &FULL.replace("3306", "\"3307\""),
            &AwsSettings::default(),
        )
        .unwrap();
        assert!(v
            .get("database.url")
            .unwrap()
            .contains("@db.internal:3307/"));
        let v = parse_secret(
            "s",
            r#"{"database_url": "mysql://a@b/c", "db_host": "ignored"}"#,
            &AwsSettings::default(),
        )
        .unwrap();
        assert_eq!(v.get("database.url").unwrap(), "mysql://a@b/c");
    }

    #[test]
    fn a_secret_fills_the_settings() {
        let s = load(FULL, &[]).unwrap();
        assert_eq!(s.mode, Mode::Aws);
        assert_eq!(s.base_url(), "https://contests.example.org");
        assert_eq!(s.aws.s3_bucket.as_deref(), Some("media"));
        assert_eq!(s.aws.s3_prefix.as_deref(), Some("prod/"));
        assert_eq!(s.aws.sqs_dlq_url.as_deref(), Some("https://sqs/dlq"));
        assert_eq!(s.mail.from, "Clipcontest <no-reply@example.org>");
        assert!(s
            .database
            .url
            .unwrap()
            .expose_secret()
            .starts_with("mysql://app:"));
        assert_eq!(s.session_key.unwrap().expose_secret().len(), 72);
    }

    #[test]
    fn env_vars_override_single_keys() {
        let s = load(
            FULL,
            &[
                ("APP_BASE_URL", "https://other.example.org"),
                ("APP_AWS__S3_BUCKET", "other"),
                ("APP_DATABASE__URL", "mysql://x@y/z"),
            ],
        )
        .unwrap();
        assert_eq!(s.base_url(), "https://other.example.org");
        assert_eq!(s.aws.s3_bucket.as_deref(), Some("other"));
        assert_eq!(s.database.url.unwrap().expose_secret(), "mysql://x@y/z");
        assert_eq!(
            s.aws.sqs_queue_url.as_deref(),
            Some("https://sqs/q"),
            "other keys still come from the secret"
        );
        // An env var can stand in for a key the secret lacks.
        let s = load(
            r#"{"database_url": "mysql://a@b/c", "sqs_queue_url": "q", "sqs_dlq_url": "d", "base_url": "https://x.org", "ses_from": "a@x.org"}"#,
            &[("APP_AWS__S3_BUCKET", "b"), ("APP_SESSION_KEY", &"k".repeat(64))],
        )
        .unwrap();
        assert_eq!(s.aws.s3_bucket.as_deref(), Some("b"));
    }

    #[test]
    fn missing_keys_are_named_in_one_line() {
        let e = load(
            r#"{"database_url": "mysql://a@b/c", "sqs_queue_url": "q", "sqs_dlq_url": "d"}"#,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("AWS secret clipcontest/prod is missing key s3_bucket"),
            "{e}"
        );
        assert!(!e.contains('\n'));
        let e = load(
            r#"{"s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d"}"#,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("is missing key database_url"), "{e}");
        let e = load(
            r#"{"db_host": "h", "db_port": 1, "db_user": "u", "db_name": "n"}"#,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("is missing key db_password"), "{e}");
        let complete = r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d", "base_url": "https://x.org", "ses_from": "a@x.org", "session_key": "short"}"#;
        let e = load(complete, &[]).unwrap_err().to_string();
        assert!(
            e.contains("session_key must be at least 64 bytes") && !e.contains("short"),
            "{e}"
        );
        let e = load(r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d"}"#, &[]).unwrap_err().to_string();
        assert!(
            e.contains("is missing key base_url (or set APP_BASE_URL)"),
            "{e}"
        );
        let e = load(r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d", "base_url": "https://x.org"}"#, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is missing key ses_from (or set APP_MAIL__FROM)"),
            "{e}"
        );
        let e = load(r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d", "base_url": "https://x.org", "ses_from": "a@x.org"}"#, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is missing key session_key (or set APP_SESSION_KEY)"),
            "{e}"
        );
    }

    #[test]
    fn malformed_secrets_fail_without_echoing_the_value() {
        let e = load(r#"{"db_password": "hunter2""#, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("AWS secret clipcontest/prod is not valid JSON") && !e.contains("hunter2"),
            "{e}"
        );
        let e = load(r#"["hunter2"]"#, &[]).unwrap_err().to_string();
        assert!(e.contains("is not a JSON object"), "{e}");
        let e = load(r#"{"s3_bucket": {"name": "hunter2"}}"#, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("key s3_bucket must be a string") && !e.contains("hunter2"),
            "{e}"
        );
        let e = load(r#"{"db_host": "h", "db_port": "http", "db_user": "u", "db_password": "p", "db_name": "n"}"#, &[]).unwrap_err().to_string();
        assert!(e.contains("db_port must be a port number"), "{e}");
    }

    #[test]
    fn without_a_secret_every_key_comes_from_env() {
        let mut vars = env(&[
            ("APP_DATABASE__URL", "mysql://a@b/c"),
            ("APP_AWS__S3_BUCKET", "b"),
            ("APP_AWS__SQS_QUEUE_URL", "q"),
            ("APP_BASE_URL", "https://x.org"),
            ("APP_MAIL__FROM", "a@x.org"),
            (
                "APP_SESSION_KEY",
                "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
            ),
        ]);
        vars.remove("APP_AWS__SECRET_ID");
        let e = Settings::load_from(
            |b| b,
            Some(vars.clone()),
            |_, _| panic!("no secret to fetch"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("AWS mode needs sqs_dlq_url but APP_AWS__SECRET_ID is not set (or set APP_AWS__SQS_DLQ_URL)"), "{e}");
        vars.insert("APP_AWS__SQS_DLQ_URL".into(), "d".into());
        assert!(
            Settings::load_from(|b| b, Some(vars), |_, _| panic!("no secret to fetch")).is_ok()
        );
    }

    #[test]
    fn local_mode_never_reads_a_secret() {
        let mut vars = env(&[]);
        vars.insert("APP_MODE".into(), "local".into());
        let s = Settings::load_from(|b| b, Some(vars), |_, _| panic!("no secret in local mode"))
            .unwrap();
        assert_eq!(s.mode, Mode::Local);
    }
}
