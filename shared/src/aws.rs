//! AWS mode plumbing shared by the S3, SQS and SES backends: the SDK client configuration and
//! the [`SecretsManager`] fetcher that [`Settings::load`] reads the settings secret with (the
//! secret's keys are mapped in `config/secret.rs`).
//!
//! [`Settings::load`]: crate::Settings::load
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::config::{AwsSettings, ConfigError, SecretFetcher};

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

/// Reads the settings secret from Secrets Manager (region and credentials from the standard
/// chain, or `aws.endpoint_url` / `aws.region`).
pub struct SecretsManager;

#[async_trait::async_trait]
impl SecretFetcher for SecretsManager {
    async fn fetch(&self, aws: &AwsSettings, secret_id: &str) -> Result<String, ConfigError> {
        fetch_secret(aws, secret_id).await
    }
}
