//! The settings secret: a JSON document in Secrets Manager mapped onto settings keys.
//!
//! Secret key → settings key (the env var that overrides it):
//! `database_url` or `db_host`+`db_port`+`db_user`+`db_password`+`db_name` → `database.url`
//! (`APP_DATABASE__URL`); `db_ssl_mode`, `db_ssl_ca`, `s3_bucket`, `s3_prefix`, `sqs_queue_url`,
//! `sqs_dlq_url`, `ses_configuration_set`, `ses_events_queue_url`, `cdn_base_url`, `cdn_signed_urls`, `cdn_key_pair_id`,
//! `cdn_private_key` → `aws.<same>` (`APP_AWS__<SAME>`); `ses_from` → `mail.from`
//! (`APP_MAIL__FROM`); `base_url` (`APP_BASE_URL`); `session_key` (`APP_SESSION_KEY`).
use serde_json::Value;

use super::ConfigError;

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
    ("db_ssl_mode", "aws.db_ssl_mode"),
    ("db_ssl_ca", "aws.db_ssl_ca"),
    ("s3_bucket", "aws.s3_bucket"),
    ("s3_prefix", "aws.s3_prefix"),
    ("sqs_queue_url", "aws.sqs_queue_url"),
    ("sqs_dlq_url", "aws.sqs_dlq_url"),
    ("ses_from", "mail.from"),
    ("ses_configuration_set", "aws.ses_configuration_set"),
    ("ses_events_queue_url", "aws.ses_events_queue_url"),
    ("base_url", "base_url"),
    ("cdn_base_url", "aws.cdn_base_url"),
    ("cdn_signed_urls", "aws.cdn_signed_urls"),
    ("cdn_key_pair_id", "aws.cdn_key_pair_id"),
    ("cdn_private_key", "aws.cdn_private_key"),
    ("media_url_ttl_secs", "aws.media_url_ttl_secs"),
    ("session_key", "session_key"),
];

const DB_KEYS: [&str; 5] = ["db_host", "db_port", "db_user", "db_password", "db_name"];

/// Parses the secret document. Which keys are *required* is checked after env overrides are
/// merged (`Settings::check_aws`), so an env var may stand in for a key; here only the shape is checked.
pub fn parse_secret(secret_id: &str, doc: &str) -> Result<SecretValues, ConfigError> {
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
            // Terraform's jsonencode writes numbers and booleans as such (db_port, cdn_signed_urls).
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
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
            mysql_url(&parts[0], port, &parts[2], &parts[3], &parts[4]),
        ));
    }
    Ok(SecretValues { pairs })
}

/// `mysql://user:pass@host:port/db?ssl-mode=required`, escaping what a generated password may
/// contain. `db_ssl_mode` / `db_ssl_ca` replace the TLS parameters when the URL is used
/// ([`super::Database::connect_url`]).
fn mysql_url(host: &str, port: u16, user: &str, password: &str, db: &str) -> String {
    format!(
        "mysql://{}:{}@{host}:{port}/{}?ssl-mode=required",
        escape(user),
        escape(password),
        escape(db),
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `/` is escaped too).
pub(super) fn escape(s: &str) -> String {
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
    use crate::config::{Database, Mode, MysqlSslMode, QueueSettings, StorageSettings};
    use crate::Settings;
    use secrecy::ExposeSecret;

    struct Canned(&'static str);

    #[async_trait::async_trait]
    impl crate::config::SecretFetcher for Canned {
        async fn fetch(
            &self,
            _: &crate::config::AwsSettings,
            _: &str,
        ) -> Result<String, ConfigError> {
            Ok(self.0.to_string())
        }
    }

    struct Never;

    #[async_trait::async_trait]
    impl crate::config::SecretFetcher for Never {
        async fn fetch(
            &self,
            _: &crate::config::AwsSettings,
            _: &str,
        ) -> Result<String, ConfigError> {
            panic!("no secret to fetch")
        }
    }

    fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
        futures::executor::block_on(f)
    }

    const FULL: &str = r#"{
        "db_host": "db.internal", "db_port": 3306, "db_user": "app", "db_password": "p@ss/w:rd?&", "db_name": "clip",
        "s3_bucket": "media", "s3_prefix": "prod/", "sqs_queue_url": "https://sqs/q", "sqs_dlq_url": "https://sqs/dlq",
        "ses_from": "Clipcontest <no-reply@example.org>", "ses_configuration_set": "cs", "ses_events_queue_url": "https://sqs/ses-events",
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
        block_on(Settings::load_from(|b| b, Some(env(vars)), &Canned(doc)))
    }

    #[test]
    fn db_keys_assemble_an_escaped_tls_url() {
        let v = parse_secret("s", FULL).unwrap();
        assert_eq!(
            v.get("database.url").unwrap(),
            "mysql://app:p%40ss%2Fw%3Ard%3F%26@db.internal:3306/clip?ssl-mode=required"
        );
        let v = parse_secret("s", &FULL.replace("3306", "\"3307\"")).unwrap();
        assert!(v
            .get("database.url")
            .unwrap()
            .contains("@db.internal:3307/"));
        let v = parse_secret(
            "s",
            r#"{"database_url": "mysql://a@b/c", "db_host": "ignored"}"#,
        )
        .unwrap();
        assert_eq!(v.get("database.url").unwrap(), "mysql://a@b/c");
    }

    #[test]
    fn a_secret_fills_the_settings() {
        let s = load(FULL, &[]).unwrap();
        assert_eq!(s.mode, Mode::Aws);
        assert_eq!(s.base_url(), "https://contests.example.org");
        match &s.storage {
            StorageSettings::S3 {
                bucket,
                prefix,
                cdn,
                media_url_ttl,
            } => {
                assert_eq!(*media_url_ttl, std::time::Duration::from_secs(600));
                assert_eq!(bucket, "media");
                assert_eq!(prefix.as_deref(), Some("prod"));
                let cdn = cdn.as_ref().unwrap();
                assert_eq!(cdn.base_url, "https://cdn.example.org");
                assert!(cdn.signing.is_none());
            }
            other => panic!("{other:?}"),
        }
        match &s.queue {
            QueueSettings::Sqs {
                queue_url, dlq_url, ..
            } => {
                assert_eq!(queue_url, "https://sqs/q");
                assert_eq!(dlq_url, "https://sqs/dlq");
            }
            other => panic!("{other:?}"),
        }
        match &s.mail.transport {
            crate::config::MailTransport::Ses {
                configuration_set,
                events_queue_url,
                ..
            } => {
                assert_eq!(configuration_set.as_deref(), Some("cs"));
                assert_eq!(events_queue_url.as_deref(), Some("https://sqs/ses-events"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.mail.from, "Clipcontest <no-reply@example.org>");
        let Database::Mysql { url, tls } = &s.database.backend else {
            panic!("{:?}", s.database.backend)
        };
        assert!(url.expose_secret().starts_with("mysql://app:"));
        assert_eq!(tls.mode, None);
        assert!(s
            .database
            .backend
            .connect_url()
            .ends_with("/clip?ssl-mode=required"));
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
        assert!(matches!(&s.storage, StorageSettings::S3 { bucket, .. } if bucket == "other"));
        assert_eq!(s.database.backend.connect_url(), "mysql://x@y/z");
        assert!(
            matches!(&s.queue, QueueSettings::Sqs { queue_url, .. } if queue_url == "https://sqs/q"),
            "other keys still come from the secret"
        );
        // An env var can stand in for a key the secret lacks.
        let s = load(
            r#"{"database_url": "mysql://a@b/c", "sqs_queue_url": "q", "sqs_dlq_url": "d", "base_url": "https://x.org", "ses_from": "a@x.org"}"#,
            &[("APP_AWS__S3_BUCKET", "b"), ("APP_SESSION_KEY", &"k".repeat(64))],
        )
        .unwrap();
        assert!(matches!(&s.storage, StorageSettings::S3 { bucket, .. } if bucket == "b"));
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
        let e = block_on(Settings::load_from(|b| b, Some(vars.clone()), &Never))
            .unwrap_err()
            .to_string();
        assert!(e.contains("AWS mode needs sqs_dlq_url but APP_AWS__SECRET_ID is not set (or set APP_AWS__SQS_DLQ_URL)"), "{e}");
        vars.insert("APP_AWS__SQS_DLQ_URL".into(), "d".into());
        assert!(block_on(Settings::load_from(|b| b, Some(vars), &Never)).is_ok());
    }

    #[test]
    fn local_mode_never_reads_a_secret() {
        let mut vars = env(&[]);
        vars.insert("APP_MODE".into(), "local".into());
        let s = block_on(Settings::load_from(|b| b, Some(vars), &Never)).unwrap();
        assert_eq!(s.mode, Mode::Local);
    }

    const SIGNING: &str = r#"{
        "database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d",
        "base_url": "https://x.org", "ses_from": "a@x.org", "session_key": "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
        "cdn_base_url": "https://cdn.x.org/", "cdn_signed_urls": true, "cdn_key_pair_id": "K2JCJMDEHXQW5F",
        "cdn_private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCs0d2xJZumyXWE\nKz4tbWPuc4laPt4ZOb76CEvdUm7Ofs4sUZnK3oy3BqjghYIZGvBLX5mbuLmBVIyF\nxRp1ymHbS3IcFvAhkGssZVbZ5sSKGpSFZFEK/NYWkTJlBy6wlS6Put3SsSuDklXl\nRrs0neVNQrHrNQqJ+WokhV7ZWmvEJ2lc1su8KESA/PyOIOzcmNI76URaN0ujPxCS\nwlxC3VIddpVIXrhxi79BzReMi6XicN4T+AG7nmt59zree1rpkozzTya55DmgMBDi\nOCGNCWQSbpnoVZOoCH1+Physv9KHbc5vvkmQpjWmY3FwJ+rqfYUbKx2IhwVoLtZz\nz8i6gi/7AgMBAAECggEANewbiHjsCovkY3NcqK7vlcit7B8ejG9ko74v8aQVV8/g\nA5sIafCrpjXpPnjZwXySymnPU3O9Sdm4KMr5uRQHGXX+aj5L+aUGk6khAsdKvq6R\nddd5o/yEzjDKsRQfINDDYOxU5zcJlTl1HJ9HrSCxGby8J9/6ZFeSo0eL8zSP2HlS\nJcMtPhTv2SfnGWGMD2OAoKP5cgdXLg9P3gkjMuC8f8UGKg3xEjgqVNGJUJUR9wRW\n7a8pQ5nB4W7635DbHu/YnOrCEn8mY2aoJj37Ciyq6FVlm+3/am4Ic/lnzZV72Zsl\nj6/YaKUmU4gKaSGQQ0CXP7sgR70vy+gAnNFqHCVLXQKBgQDeKBd5Y85L+TJoxbCP\nR25yePWdv1Z6U1S+NMtADGvNAgCwauLys8Yec3EIhyxn8C+EmlJwgecXmpI7wAzi\nYqLkWAZMKQlB4ScTSPJESFbNB03FkwREWywbw9blDXhJWdaCo/mp5hNObGe0xJgB\nMEfWZH0xebH0CR5tmgSz3LYr3wKBgQDHJa7AmvBqZFPPZwGIh+G+T7knS/DSJVzK\n34B/9atsTN+tIOLF5VE+BFAgS8tWwiVuqE+nkBLcxkn1FyLdXBoZKFwDvqd9cep7\nBi67QgJ31Tw8G4idkk/kYqBO0HH6GcRM+yrJL8DBX0x0o3Mzj98UnCvia3gMobNK\nhm1emQk/ZQKBgEQ6y/rcTF/JCVJkZPWcWq+NtuHcAhNPxJcmX8YsCm/MTanhKhKg\nZBi2G+EiouDJQ87WFru3KeJ19rOjKFHfOWgoIMcDU3SIUhf6L24JSZ9uvtQPcyAL\nYGCmpTl0CZ19mgRFmEg2AXf0k2VRe93hli6iblDjr2Pj6RSAWTFkeA7BAoGAERlI\nLttexxPEKmuisxFPraJ0uE4J6FEy7WxRQStbw5m6HshTEEDHP/bo1k0LsXBL/HtR\nE4cIR5Jy6StKYA03ZG+VrvCguuGcC2IVgxiA078oQ9TtXvIgD/Dz6LB3CM1LkHyE\nSO/jsfa3vtAF5Sh2M/PQxMkLbrI3ja+LFnM3Ww0CgYEAptmVySQSLbGFQLEa1un1\nW54lIPVq2mQP7uDqcQPLw3CwWI5mkPGsX9oeDQGALkms5iT4mZrHBDda/QRciFEG\nfzqQCfuME4xPQu/Q3W1HmrHc+rrNlzAtaEMR4l4Xr+Aiptv0q1viBPsAWgxv5rKm\nNVA5rZMmFcQrBvgr6TpfWJQ=\n-----END PRIVATE KEY-----\n",
        "db_ssl_mode": "verify_identity", "db_ssl_ca": "/etc/hostname"
    }"#;

    #[test]
    fn cdn_signing_and_db_tls_keys_come_from_the_secret() {
        let s = load(SIGNING, &[]).unwrap();
        let StorageSettings::S3 { cdn: Some(cdn), .. } = &s.storage else {
            panic!("{:?}", s.storage)
        };
        assert_eq!(cdn.base_url, "https://cdn.x.org");
        let signing = cdn.signing.as_ref().unwrap();
        assert_eq!(signing.key_pair_id, "K2JCJMDEHXQW5F");
        assert!(signing
            .private_key
            .expose_secret()
            .starts_with("-----BEGIN PRIVATE KEY-----"));
        let Database::Mysql { tls, .. } = &s.database.backend else {
            panic!()
        };
        assert_eq!(tls.mode, Some(MysqlSslMode::VerifyIdentity));
        assert_eq!(
            s.database.backend.connect_url(),
            "mysql://a@b/c?ssl-mode=verify_identity&ssl-ca=%2Fetc%2Fhostname"
        );

        // Signed URLs switched on without a key is a start-up error naming the key.
        let e = load(
            r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d",
                "cdn_base_url": "https://cdn.x.org", "cdn_signed_urls": true, "cdn_key_pair_id": "K"}"#,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("is missing key cdn_private_key"), "{e}");
        let e = load(
            r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d",
                "cdn_base_url": "https://cdn.x.org", "cdn_signed_urls": true, "cdn_key_pair_id": "K", "cdn_private_key": "hunter2"}"#,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("must be a PEM private key") && !e.contains("hunter2"),
            "{e}"
        );
        // PEM armour around something that is not an RSA key is refused at load, not at first use.
        let e = load(
            r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d",
                "cdn_base_url": "https://cdn.x.org", "cdn_signed_urls": true, "cdn_key_pair_id": "K",
                "cdn_private_key": "-----BEGIN PRIVATE KEY-----\nhunter2\n-----END PRIVATE KEY-----\n"}"#,
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("not an RSA private key") && !e.contains("hunter2"),
            "{e}"
        );
        let e = load(SIGNING, &[("APP_AWS__MEDIA_URL_TTL_SECS", "0")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("media_url_ttl_secs"), "{e}");
        let s = load(SIGNING, &[("APP_AWS__MEDIA_URL_TTL_SECS", "120")]).unwrap();
        assert!(
            matches!(&s.storage, StorageSettings::S3 { media_url_ttl, .. } if media_url_ttl.as_secs() == 120)
        );
        // Off (or absent): the key pair is not needed.
        let s = load(
            r#"{"database_url": "mysql://a@b/c", "s3_bucket": "b", "sqs_queue_url": "q", "sqs_dlq_url": "d",
                "base_url": "https://x.org", "ses_from": "a@x.org", "session_key": "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
                "cdn_base_url": "https://cdn.x.org", "cdn_signed_urls": false}"#,
            &[],
        )
        .unwrap();
        assert!(
            matches!(&s.storage, StorageSettings::S3 { cdn: Some(c), .. } if c.signing.is_none())
        );
    }
}
