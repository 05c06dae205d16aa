//! The AWS-mode run of this suite: with `CLIPCONTEST_TEST_BACKEND=aws` every `spawn_app()` gets
//! a fresh MariaDB database, S3 bucket, SQS queue + DLQ and SES identity on the emulators named
//! by `CLIPCONTEST_TEST_MOTO_URL`, `CLIPCONTEST_TEST_MOTO_MAIL_URL` and `CLIPCONTEST_TEST_MYSQL_URL`
//! (`eval "$(bash .ci/aws-peers.sh start)"` sets them).
use std::sync::Once;

use aws_sdk_sqs::types::QueueAttributeName;

use crate::helpers::Overrides;

pub fn enabled() -> bool {
    std::env::var("CLIPCONTEST_TEST_BACKEND").is_ok_and(|v| v == "aws")
}

fn var(name: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("CLIPCONTEST_TEST_BACKEND=aws needs {name}; run: eval \"$(bash .ci/aws-peers.sh start)\""))
}

pub struct AwsEnv {
    s3: aws_sdk_s3::Client,
    bucket: String,
    mail_url: String,
    mysql: String,
    db_name: String,
}

async fn sdk(endpoint: &str) -> aws_config::SdkConfig {
    static CREDS: Once = Once::new();
    CREDS.call_once(|| {
        // The emulator accepts any credentials; set them before the first client reads the chain.
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    });
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .load()
        .await
}

fn unique(what: &str) -> String {
    format!(
        "cc-{what}-p{}-{}",
        std::process::id(),
        &shared::domain::new_id().simple().to_string()[16..]
    )
}

impl AwsEnv {
    pub async fn create() -> (AwsEnv, Overrides) {
        let moto = var("CLIPCONTEST_TEST_MOTO_URL");
        let mail_url = var("CLIPCONTEST_TEST_MOTO_MAIL_URL");
        let mysql = var("CLIPCONTEST_TEST_MYSQL_URL");
        let conf = sdk(&moto).await;

        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&conf)
                .force_path_style(true)
                .build(),
        );
        let bucket = unique("media");
        s3.create_bucket()
            .bucket(&bucket)
            .send()
            .await
            .expect("create bucket");

        let sqs = aws_sdk_sqs::Client::new(&conf);
        let dlq = sqs
            .create_queue()
            .queue_name(unique("dlq"))
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        let dlq_arn = sqs
            .get_queue_attributes()
            .queue_url(&dlq)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap()[&QueueAttributeName::QueueArn]
            .clone();
        let queue = sqs
            .create_queue()
            .queue_name(unique("jobs"))
            .attributes(QueueAttributeName::VisibilityTimeout, "60")
            .attributes(
                QueueAttributeName::RedrivePolicy,
                format!(r#"{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"10"}}"#),
            )
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();

        let ses = aws_sdk_sesv2::Client::new(&sdk(&mail_url).await);
        let _ = ses
            .create_email_identity()
            .email_identity("example.org")
            .send()
            .await;

        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&format!("{mysql}/mysql"))
            .await
            .expect("connect to MariaDB");
        let db_name = unique("web").replace('-', "_");
        sqlx::query(&format!("CREATE DATABASE {db_name}"))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;

        let bucket_name = bucket.clone();
        let overrides: Overrides = vec![
            ("mode", "aws".into()),
            ("database.url", format!("{mysql}/{db_name}")),
            ("database.max_connections", "5".into()),
            ("aws.endpoint_url", moto),
            ("aws.ses_endpoint_url", mail_url.clone()),
            ("aws.region", "us-east-1".into()),
            ("aws.s3_bucket", bucket.clone()),
            ("aws.sqs_queue_url", queue),
            ("aws.sqs_dlq_url", dlq),
            ("aws.relay_poll_ms", "100".into()),
            ("mail.from", "Clipcontest <no-reply@example.org>".into()),
            ("session_key", "s".repeat(64)),
        ];
        (
            AwsEnv {
                s3,
                bucket: bucket_name,
                mail_url,
                mysql,
                db_name,
            },
            overrides,
        )
    }

    pub async fn open_multipart_uploads(&self) -> usize {
        let out = self
            .s3
            .list_multipart_uploads()
            .bucket(&self.bucket)
            .send()
            .await
            .unwrap();
        out.uploads.unwrap_or_default().len()
    }

    /// Starts a multipart upload and leaves it open (what a crashed upload leaves).
    pub async fn start_multipart(&self, key: &str) {
        self.s3
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .unwrap();
    }

    /// Empties and deletes the bucket.
    pub async fn delete_bucket(&self) {
        let listed = self
            .s3
            .list_objects_v2()
            .bucket(&self.bucket)
            .send()
            .await
            .unwrap();
        for o in listed.contents.unwrap_or_default() {
            self.s3
                .delete_object()
                .bucket(&self.bucket)
                .key(o.key.unwrap())
                .send()
                .await
                .unwrap();
        }
        self.s3
            .delete_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .unwrap();
    }

    /// Raw messages the emulator's SES accepted whose text mentions `marker` (the app's base URL).
    pub async fn sent_mail(&self, marker: &str) -> Vec<String> {
        let body = reqwest::get(format!("{}/moto-api/data.json", self.mail_url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let data: serde_json::Value = serde_json::from_str(&body).unwrap();
        data["ses"]["RawMessage"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|m| m["raw_data"].as_str())
            // Quoted-printable soft breaks would split the link.
            .map(|raw| raw.replace("=\r\n", "").replace("=\n", ""))
            .filter(|raw| raw.contains(marker))
            .collect()
    }

    /// Drops the test database on a detached thread: Drop cannot wait for it, because the app's
    /// own connections live on the test's runtime, which waiting would block (a `DROP DATABASE`
    /// behind their metadata locks would then wait forever). Leftovers of a process that exits
    /// first are dropped by `.ci/aws-peers.sh stop`.
    pub fn cleanup(self) {
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(admin) = sqlx::AnyPool::connect(&format!("{}/mysql", self.mysql)).await {
                    let _ = sqlx::query("SET SESSION lock_wait_timeout = 10")
                        .execute(&admin)
                        .await;
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {}", self.db_name))
                        .execute(&admin)
                        .await;
                    admin.close().await;
                }
            });
        });
    }
}
