//! AWS-mode backends against real protocol peers: moto (S3, SQS, SES, Secrets Manager) and
//! MariaDB. Skipped unless `CLIPCONTEST_TEST_MOTO_URL` and `CLIPCONTEST_TEST_MYSQL_URL` are set
//! (`eval "$(bash .ci/aws-peers.sh start)"` sets them). `CLIPCONTEST_TEST_MOTO_MAIL_URL` may name
//! a second moto for the SES test: moto's `/moto-api/data.json` fails once S3 multipart ran.
use std::sync::Once;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use shared::config::AwsSettings;
use shared::db::{Db, JobEnd, NewContest, NewEmail, NewVideo, ProbeFacts};
use shared::domain::{
    new_id, ContestId, EmailAddress, EmailId, EmailState, JobId, JobState, VideoId,
};
use shared::jobs::Job;
use shared::mail::{Mailer, SesMailer};
use shared::queue::{Queue, SqsQueue};
use shared::storage::{MediaSource, S3Storage, Storage, StorageError};

struct Peers {
    moto: String,
    mysql: String,
}

/// `None` (and a note) when the peers are not configured, so `cargo test` stays green offline;
/// with `CLIPCONTEST_REQUIRE_PEERS=1` (set by `.ci/test-all`) a missing peer fails the test
/// instead, so CI can never pass by skipping.
fn peers(test: &str) -> Option<Peers> {
    let moto = std::env::var("CLIPCONTEST_TEST_MOTO_URL")
        .ok()
        .filter(|s| !s.is_empty());
    let mysql = std::env::var("CLIPCONTEST_TEST_MYSQL_URL")
        .ok()
        .filter(|s| !s.is_empty());
    match (moto, mysql) {
        (Some(moto), Some(mysql)) => {
            static ENV: Once = Once::new();
            // Set once, before any client reads them; the values only mean something to moto.
            ENV.call_once(|| {
                std::env::set_var("AWS_ACCESS_KEY_ID", "test");
                std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
                std::env::set_var("AWS_REGION", "us-east-1");
                std::env::remove_var("AWS_PROFILE");
            });
            Some(Peers {
                moto: moto.trim_end_matches('/').to_string(),
                mysql: mysql.trim_end_matches('/').to_string(),
            })
        }
        _ => {
            if std::env::var("CLIPCONTEST_REQUIRE_PEERS").is_ok_and(|v| v == "1") {
                panic!("{test}: CLIPCONTEST_REQUIRE_PEERS=1 but CLIPCONTEST_TEST_MOTO_URL / CLIPCONTEST_TEST_MYSQL_URL are not set (bash .ci/aws-peers.sh start)");
            }
            eprintln!("SKIPPED {test}: set CLIPCONTEST_TEST_MOTO_URL and CLIPCONTEST_TEST_MYSQL_URL (bash .ci/aws-peers.sh start)");
            None
        }
    }
}

fn unique(what: &str) -> String {
    format!(
        "cc-{what}-p{}-{}",
        std::process::id(),
        &new_id().simple().to_string()[20..]
    )
}

fn aws_settings(endpoint: &str) -> AwsSettings {
    AwsSettings {
        endpoint_url: Some(endpoint.to_string()),
        region: Some("us-east-1".into()),
        ..Default::default()
    }
}

async fn sdk(endpoint: &str) -> aws_config::SdkConfig {
    shared::aws::sdk_config(&aws_settings(endpoint)).await
}

/// A fresh MariaDB database, migrated; dropped by [`TestDb::drop_db`].
struct TestDb {
    db: Db,
    admin: sqlx::AnyPool,
    name: String,
    url: String,
}

impl TestDb {
    async fn new(mysql: &str) -> TestDb {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&format!("{mysql}/mysql"))
            .await
            .expect("connect to MariaDB");
        let name = unique("db").replace('-', "_");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let url = format!("{mysql}/{name}");
        let db = Db::connect(&url, 5, Duration::from_secs(5)).await.unwrap();
        db.migrate().await.expect("migrations run on MariaDB");
        TestDb {
            db,
            admin,
            name,
            url,
        }
    }

    async fn drop_db(self) {
        self.db.close().await;
        sqlx::query(&format!("DROP DATABASE {}", self.name))
            .execute(&self.admin)
            .await
            .unwrap();
    }
}

async fn new_queues(sqs: &aws_sdk_sqs::Client, visibility_secs: u32) -> (String, String) {
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
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
        .clone();
    let q = sqs
        .create_queue()
        .queue_name(unique("jobs"))
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            visibility_secs.to_string(),
        )
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy,
            format!(r#"{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"10"}}"#),
        )
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    (q, dlq)
}

async fn count_messages(sqs: &aws_sdk_sqs::Client, url: &str) -> u64 {
    let out = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .unwrap();
    out.attributes.unwrap()[&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages]
        .parse()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// MariaDB: the portable schema and the queries the app runs
// ---------------------------------------------------------------------------------------------

/// Web and worker start together on a fresh database: both migrate, neither fails (sqlx's own
/// lock does not wait on MariaDB, and the second process used to stop with "partially applied").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_migrating_a_fresh_database_at_once_both_start() {
    let Some(p) = peers("two_processes_migrating_a_fresh_database_at_once_both_start") else {
        return;
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&format!("{}/mysql", p.mysql))
        .await
        .unwrap();
    for _ in 0..3 {
        let name = unique("db").replace('-', "_");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let url = format!("{}/{name}", p.mysql);
        let a = Db::connect(&url, 2, Duration::from_secs(5)).await.unwrap();
        let b = Db::connect(&url, 2, Duration::from_secs(5)).await.unwrap();
        let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
        a.close().await;
        b.close().await;
        let applied: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {name}._sqlx_migrations WHERE success = 1"
        ))
        .fetch_one(&admin)
        .await
        .unwrap_or(0);
        sqlx::query(&format!("DROP DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        ra.expect("first process migrates");
        rb.expect("second process migrates");
        assert!(applied >= 6, "{applied}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mariadb_runs_the_schema_and_the_app_queries() {
    let Some(p) = peers("mariadb_runs_the_schema_and_the_app_queries") else {
        return;
    };
    let t = TestDb::new(&p.mysql).await;
    let db = &t.db;

    let user = db
        .create_user(
            &EmailAddress::parse("email", "org@example.org").unwrap(),
            "hash",
        )
        .await
        .unwrap();
    let contest_id = ContestId::new();
    let now = shared::time::now_ms();
    let c = NewContest {
        slug: unique("slug"),
        name: "Contest".into(),
        description: "d".repeat(3000),
        prize: "p".into(),
        starts_at: now - 1000,
        ends_at: now + 3_600_000,
        entries_per_email: 3,
    };
    db.create_contest(&contest_id, &user.id, &c, None)
        .await
        .unwrap();
    let mut videos = Vec::new();
    for title in ["One", "Two"] {
        let id = VideoId::new();
        let v = NewVideo {
            id,
            contest_id,
            title: title.into(),
            title_key: title.to_lowercase(),
            first_name: "Ana".into(),
            last_name: "Lee".into(),
            email: "ana@example.org".into(),
            description: String::new(),
            original_key: format!("originals/{id}/original"),
            size_bytes: 5_000_000_000,
            probe: ProbeFacts {
                container: Some("mp4".into()),
                duration_ms: Some(12_345),
                width: Some(1280),
                height: Some(720),
                ..Default::default()
            },
            probe_json: None,
            lang: "en".into(),
        };
        db.create_video_with_job(&v).await.unwrap();
        videos.push(v);
    }
    let dup = NewVideo {
        id: VideoId::new(),
        ..videos[0].clone()
    };
    assert!(matches!(
        db.create_video_with_job(&dup).await,
        Err(shared::error::DbError::Duplicate("title"))
    ));

    // INT and BIGINT columns decode as i64 under the Any driver (the 0/1 INT as a bool).
    let v = db.video_by_id(&videos[0].id).await.unwrap().unwrap();
    assert_eq!(
        (
            v.width,
            v.height,
            v.size_bytes,
            v.hidden,
            v.progress,
            v.attempts
        ),
        (Some(1280), Some(720), 5_000_000_000, false, 0, 0)
    );

    // SKIP LOCKED skips per row: a transaction holding one job does not block a claim of the other.
    let mut tx = db.begin().await.unwrap();
    let held: JobId = sqlx::query_scalar("SELECT id FROM jobs WHERE state = 'queued' AND run_after <= ? ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED")
        .bind(shared::time::now_ms())
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let other = tokio::time::timeout(Duration::from_secs(5), db.claim_job(60_000))
        .await
        .expect("claim did not block")
        .unwrap()
        .unwrap();
    assert_ne!(other.lease.id(), held);
    tx.rollback().await.unwrap();
    db.finish_job(&other.lease, JobEnd::Release).await.unwrap();

    // Two concurrent claims get two different jobs.
    let (a, b) = tokio::join!(db.claim_job(60_000), db.claim_job(60_000));
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_ne!(a.lease.id(), b.lease.id());
    assert_eq!(a.attempts, 1);
    assert!(db.claim_job(60_000).await.unwrap().is_none());
    assert!(db.extend_job(&a.lease, 60_000).await.unwrap());
    assert!(db.finish_job(&a.lease, JobEnd::Done).await.unwrap());
    assert!(
        !db.finish_job(&a.lease, JobEnd::Done).await.unwrap(),
        "a stale token cannot finish twice"
    );
    assert!(db.finish_job(&b.lease, JobEnd::Sent).await.unwrap());
    let counts = db.job_counts().await.unwrap();
    assert!(
        counts.contains(&(JobState::Done, 1)) && counts.contains(&(JobState::Sent, 1)),
        "{counts:?}"
    );
    assert_eq!(db.queued_jobs().await.unwrap(), 0);

    assert!(db.start_processing(&videos[0].id, 1).await.unwrap());
    db.set_progress(&videos[0].id, 42).await.unwrap();
    let email = NewEmail {
        video_id: Some(videos[0].id),
        recipient: "ana@example.org".into(),
        subject: "Ready".into(),
        body_text: "t".repeat(3000),
        body_html: "h".repeat(7000),
    };
    assert!(db
        .mark_converted(
            &videos[0].id,
            "media/x/video.mp4",
            "media/x/poster.jpg",
            Some("720,480,360"),
            &email
        )
        .await
        .unwrap());
    assert!(
        !db.mark_converted(&videos[0].id, "m", "p", None, &email)
            .await
            .unwrap(),
        "a duplicate delivery does nothing"
    );
    assert_eq!(db.emails_for_video(&videos[0].id).await.unwrap().len(), 1);
    db.set_hidden(&videos[1].id, true).await.unwrap();
    let counts = db.video_counts(&user.id).await.unwrap();
    assert_eq!(counts.len(), 1);
    let c = &counts[&contest_id];
    assert_eq!(
        (c.queued, c.processing, c.converted, c.failed, c.hidden),
        (1, 0, 1, 0, 1)
    );
    let (public, total) = db.public_videos(&contest_id, 0, 10, false).await.unwrap();
    assert_eq!((public.len(), total), (1, 1));
    assert!(db.mark_failed(&videos[1].id, "bad", &email).await.unwrap());
    assert!(db.requeue_failed(&videos[1].id).await.unwrap());

    t.drop_db().await;
}

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

/// Deterministic pseudo-random bytes (incompressible enough, reproducible for the comparison).
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn chunked(
    bytes: &[u8],
    chunk: usize,
) -> futures::stream::BoxStream<'static, Result<Bytes, StorageError>> {
    let chunks: Vec<Result<Bytes, StorageError>> = bytes
        .chunks(chunk)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    futures::stream::iter(chunks).boxed()
}

async fn new_bucket(endpoint: &str) -> (aws_sdk_s3::Client, String) {
    let conf = sdk(endpoint).await;
    let s3 = shared::aws::s3_client(&conf, &aws_settings(endpoint));
    let bucket = unique("bucket");
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    (s3, bucket)
}

async fn open_uploads(s3: &aws_sdk_s3::Client, bucket: &str) -> usize {
    s3.list_multipart_uploads()
        .bucket(bucket)
        .send()
        .await
        .unwrap()
        .uploads
        .unwrap_or_default()
        .len()
}

#[tokio::test]
async fn s3_streams_a_large_upload_in_parts_and_serves_it_back() {
    let Some(p) = peers("s3_streams_a_large_upload_in_parts_and_serves_it_back") else {
        return;
    };
    let (s3, bucket) = new_bucket(&p.moto).await;
    let storage = S3Storage::new(s3.clone(), &bucket, Some("prod"), None);
    storage.check().await.unwrap();

    let body = data(21 * 1024 * 1024 + 12_345, 7);
    let n = storage
        .put_stream(
            "originals/v1/original",
            "video/mp4",
            chunked(&body, 64 * 1024 + 3),
            100 * 1024 * 1024,
        )
        .await
        .unwrap();
    assert_eq!(n, body.len() as u64);
    let head = s3
        .head_object()
        .bucket(&bucket)
        .key("prod/originals/v1/original")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, Some(body.len() as i64));
    assert!(
        head.e_tag.unwrap().ends_with("-3\""),
        "3 parts of 8 MiB: 8 + 8 + 5 MiB"
    );
    assert_eq!(open_uploads(&s3, &bucket).await, 0);

    // The worker's download, streamed to disk.
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("original");
    storage
        .fetch_to_file("originals/v1/original", &dest)
        .await
        .unwrap();
    assert!(
        std::fs::read(&dest).unwrap() == body,
        "downloaded content differs"
    );
    assert!(matches!(
        storage.fetch_to_file("originals/nope", &dest).await,
        Err(StorageError::NotFound(_))
    ));

    // What ffprobe opens: a presigned GET any HTTP client can read.
    let MediaSource::Url(url) = storage.media_source("originals/v1/original").await.unwrap() else {
        panic!("expected a URL")
    };
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.bytes().await.unwrap().as_ref() == body.as_slice(),
        "presigned content differs"
    );

    // A small body is one PutObject; public URLs are presigned without a CDN.
    let small = storage
        .put_stream(
            "media/v1/poster.jpg",
            "image/jpeg",
            chunked(b"jpeg", 2),
            100,
        )
        .await
        .unwrap();
    assert_eq!(small, 4);
    let public = storage.public_url("media/v1/poster.jpg").await.unwrap();
    assert_eq!(
        reqwest::get(&public)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"jpeg"
    );
    let file = dir.path().join("video.mp4");
    std::fs::write(&file, b"mp4 bytes").unwrap();
    storage
        .put_file("media/v1/video.mp4", "video/mp4", &file)
        .await
        .unwrap();
    let with_cdn = S3Storage::new(
        s3.clone(),
        &bucket,
        Some("prod"),
        Some("https://cdn.example.org"),
    );
    assert_eq!(
        with_cdn.public_url("media/v1/video.mp4").await.unwrap(),
        "https://cdn.example.org/prod/media/v1/video.mp4"
    );

    // delete_prefix removes a folder and nothing that merely shares the name's start.
    storage
        .put_stream(
            "media/v10/poster.jpg",
            "image/jpeg",
            chunked(b"other", 5),
            100,
        )
        .await
        .unwrap();
    storage.delete_prefix("media/v1").await.unwrap();
    let keys: Vec<String> = s3
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .unwrap()
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(
        keys,
        vec![
            "prod/media/v10/poster.jpg".to_string(),
            "prod/originals/v1/original".to_string()
        ]
    );
    storage.delete("originals/v1/original").await.unwrap();
    storage.delete("originals/v1/original").await.unwrap();
}

#[tokio::test]
async fn s3_too_large_or_dropped_uploads_leave_no_multipart_behind() {
    let Some(p) = peers("s3_too_large_or_dropped_uploads_leave_no_multipart_behind") else {
        return;
    };
    let (s3, bucket) = new_bucket(&p.moto).await;
    let storage = S3Storage::new(s3.clone(), &bucket, None, None);

    let body = data(20 * 1024 * 1024, 3);
    let e = storage
        .put_stream(
            "originals/big/original",
            "video/mp4",
            chunked(&body, 1024 * 1024),
            12 * 1024 * 1024,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, StorageError::TooLarge { limit } if limit == 12 * 1024 * 1024),
        "{e}"
    );
    assert_eq!(
        open_uploads(&s3, &bucket).await,
        0,
        "TooLarge aborted the multipart upload"
    );
    assert!(s3
        .head_object()
        .bucket(&bucket)
        .key("originals/big/original")
        .send()
        .await
        .is_err());

    // A client error mid-stream aborts too.
    let failing = futures::stream::iter(vec![
        Ok(Bytes::from(vec![0u8; 9 * 1024 * 1024])),
        Err(StorageError::Client("reset".into())),
    ])
    .boxed();
    assert!(matches!(
        storage
            .put_stream("originals/c/original", "video/mp4", failing, u64::MAX)
            .await,
        Err(StorageError::Client(_))
    ));
    assert_eq!(
        open_uploads(&s3, &bucket).await,
        0,
        "a client error aborted the multipart upload"
    );

    // The request future dropped (client disconnect): the guard aborts in the background.
    let stalled = futures::stream::iter(vec![Ok(Bytes::from(vec![0u8; 9 * 1024 * 1024]))])
        .chain(futures::stream::pending())
        .boxed();
    let r = tokio::time::timeout(
        Duration::from_secs(3),
        storage.put_stream("originals/d/original", "video/mp4", stalled, u64::MAX),
    )
    .await;
    assert!(r.is_err(), "the stalled upload was cut off by the timeout");
    let mut left = usize::MAX;
    for _ in 0..50 {
        left = open_uploads(&s3, &bucket).await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "the dropped upload was aborted");
}

// ---------------------------------------------------------------------------------------------
// SQS
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_outbox_rows_are_relayed_received_and_acked() {
    let Some(p) = peers("sqs_outbox_rows_are_relayed_received_and_acked") else {
        return;
    };
    let t = TestDb::new(&p.mysql).await;
    let conf = sdk(&p.moto).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let (q, dlq) = new_queues(&sqs, 30).await;
    let queue = SqsQueue::new(
        sqs.clone(),
        t.db.clone(),
        &q,
        &dlq,
        Duration::from_secs(30),
        Duration::from_secs(60),
    );

    let video_id = VideoId::new();
    let job = Job::Transcode { video_id };
    t.db.enqueue_job(&job).await.unwrap();
    assert_eq!(queue.relay_once().await.unwrap(), 1);
    assert_eq!(
        t.db.jobs_for_payload(&video_id.to_string()).await.unwrap()[0].state,
        JobState::Sent
    );
    assert_eq!(
        queue.relay_once().await.unwrap(),
        0,
        "a sent row is not sent again"
    );

    let d = queue
        .receive(Duration::from_secs(2))
        .await
        .unwrap()
        .expect("relayed job arrives");
    assert_eq!(d.job, job);
    assert_eq!(d.attempt, 1);
    assert!(queue.extend(&d, Duration::from_secs(30)).await.unwrap());
    assert_eq!(queue.depth().await.unwrap(), 1, "in flight counts");
    queue.ack(&d).await.unwrap();
    assert_eq!(queue.depth().await.unwrap(), 0);
    assert!(queue
        .receive(Duration::from_secs(1))
        .await
        .unwrap()
        .is_none());

    // The relay task: wake() sends a new row at once (the poll interval is a minute here).
    let cancel = tokio_util::sync::CancellationToken::new();
    let queue = queue.with_relay(cancel.clone());
    let job2 = Job::SendEmail {
        email_id: EmailId::new(),
    };
    t.db.enqueue_job(&job2).await.unwrap();
    queue.wake();
    let d = queue
        .receive(Duration::from_secs(5))
        .await
        .unwrap()
        .expect("woken relay sent the job");
    assert_eq!(d.job, job2);
    queue.ack(&d).await.unwrap();
    cancel.cancel();

    t.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_an_unacked_job_comes_back_after_its_visibility_timeout() {
    let Some(p) = peers("sqs_an_unacked_job_comes_back_after_its_visibility_timeout") else {
        return;
    };
    let t = TestDb::new(&p.mysql).await;
    let conf = sdk(&p.moto).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let (q, dlq) = new_queues(&sqs, 30).await;
    let queue = SqsQueue::new(
        sqs.clone(),
        t.db.clone(),
        &q,
        &dlq,
        Duration::from_secs(1),
        Duration::from_secs(60),
    );
    t.db.enqueue_job(&Job::Transcode {
        video_id: VideoId::new(),
    })
    .await
    .unwrap();
    queue.relay_once().await.unwrap();

    let first = queue
        .receive(Duration::from_secs(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.attempt, 1);
    // The worker "crashes": no ack, no heartbeat.
    assert!(
        queue
            .receive(Duration::from_millis(200))
            .await
            .unwrap()
            .is_none(),
        "invisible while leased"
    );
    // Long polling returns it as soon as the lease expires (no fixed sleep).
    let again = queue
        .receive(Duration::from_secs(6))
        .await
        .unwrap()
        .expect("redelivered after the lease");
    assert_eq!(again.id, first.id);
    assert_eq!(again.attempt, 2);
    // Released at shutdown: visible again at once.
    queue.release(&again).await.unwrap();
    let third = queue
        .receive(Duration::from_secs(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(third.attempt, 3);
    queue.ack(&third).await.unwrap();
    // The old receipt handle is dead: the lease is reported lost, not an error.
    assert!(!queue.extend(&first, Duration::from_secs(5)).await.unwrap());

    t.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_failed_jobs_go_to_the_dlq_and_redrive_brings_them_back() {
    let Some(p) = peers("sqs_failed_jobs_go_to_the_dlq_and_redrive_brings_them_back") else {
        return;
    };
    let t = TestDb::new(&p.mysql).await;
    let conf = sdk(&p.moto).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let (q, dlq) = new_queues(&sqs, 30).await;
    let queue = SqsQueue::new(
        sqs.clone(),
        t.db.clone(),
        &q,
        &dlq,
        Duration::from_secs(30),
        Duration::from_secs(60),
    );
    let job = Job::Transcode {
        video_id: VideoId::new(),
    };
    t.db.enqueue_job(&job).await.unwrap();
    queue.relay_once().await.unwrap();

    const MAX_ATTEMPTS: u32 = 3;
    loop {
        let d = queue
            .receive(Duration::from_secs(3))
            .await
            .unwrap()
            .expect("retried job comes back");
        if d.attempt < MAX_ATTEMPTS {
            queue
                .retry_later(&d, Duration::ZERO, "ffmpeg crashed")
                .await
                .unwrap();
        } else {
            queue
                .dead_letter(&d, "ffmpeg crashed 3 times")
                .await
                .unwrap();
            break;
        }
    }
    assert_eq!(queue.depth().await.unwrap(), 0);
    let parked = sqs
        .receive_message()
        .queue_url(&dlq)
        .message_attribute_names("All")
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap()
        .messages
        .unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(
        Job::from_json(parked[0].body.as_deref().unwrap()).unwrap(),
        job
    );
    assert_eq!(
        parked[0].message_attributes.as_ref().unwrap()["reason"]
            .string_value
            .as_deref(),
        Some("ffmpeg crashed 3 times")
    );
    sqs.change_message_visibility()
        .queue_url(&dlq)
        .receipt_handle(parked[0].receipt_handle.as_deref().unwrap())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();

    // A malformed body never reaches a handler: it is parked with the reason.
    sqs.send_message()
        .queue_url(&q)
        .message_body("not json")
        .send()
        .await
        .unwrap();
    assert!(queue
        .receive(Duration::from_secs(1))
        .await
        .unwrap()
        .is_none());
    assert_eq!(count_messages(&sqs, &dlq).await, 2);

    assert_eq!(queue.redrive_dlq().await.unwrap(), 2);
    assert_eq!(count_messages(&sqs, &dlq).await, 0);
    let d = queue
        .receive(Duration::from_secs(3))
        .await
        .unwrap()
        .expect("redriven job is back");
    assert_eq!(d.job, job);
    assert_eq!(d.attempt, 1, "a redriven message starts counting again");
    queue.ack(&d).await.unwrap();

    t.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqs_outage_keeps_outbox_rows_until_the_relay_catches_up() {
    let Some(p) = peers("sqs_outage_keeps_outbox_rows_until_the_relay_catches_up") else {
        return;
    };
    let t = TestDb::new(&p.mysql).await;
    let good = aws_sdk_sqs::Client::new(&sdk(&p.moto).await);
    let (q, dlq) = new_queues(&good, 30).await;
    // Nothing listens on port 9: every SQS call fails to connect.
    let down = aws_sdk_sqs::Client::new(&sdk("http://127.0.0.1:9").await);
    let broken = SqsQueue::new(
        down,
        t.db.clone(),
        &q,
        &dlq,
        Duration::from_secs(30),
        Duration::from_secs(60),
    );

    let video_id = VideoId::new();
    let job = Job::Transcode { video_id };
    t.db.enqueue_job(&job).await.unwrap();
    assert!(broken.relay_once().await.is_err());
    let row = &t.db.jobs_for_payload(&video_id.to_string()).await.unwrap()[0];
    assert_eq!(row.state, JobState::Queued, "the row stays in the outbox");
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("SendMessage"),
        "{:?}",
        row.last_error
    );
    assert!(
        row.run_after > shared::time::now_ms(),
        "retried after a back-off"
    );

    let queue = SqsQueue::new(
        good,
        t.db.clone(),
        &q,
        &dlq,
        Duration::from_secs(30),
        Duration::from_secs(60),
    );
    assert_eq!(
        queue.relay_once().await.unwrap(),
        0,
        "not before the back-off"
    );
    // Sent as soon as the back-off allows: poll with a deadline, not a fixed sleep.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while queue.relay_once().await.unwrap() == 0 {
        assert!(std::time::Instant::now() < deadline, "never relayed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let d = queue
        .receive(Duration::from_secs(2))
        .await
        .unwrap()
        .expect("delivered after the outage");
    assert_eq!(d.job, job);
    queue.ack(&d).await.unwrap();

    t.drop_db().await;
}

// ---------------------------------------------------------------------------------------------
// SES
// ---------------------------------------------------------------------------------------------

/// The SES events queue as Terraform wires it (SNS raw delivery: the body is the SES event): a
/// permanent bounce and a complaint suppress their addresses in MariaDB, a transient bounce and
/// junk suppress nobody, and every message is deleted once handled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ses_events_from_sqs_suppress_bounced_and_complaining_addresses() {
    let Some(p) = peers("ses_events_from_sqs_suppress_bounced_and_complaining_addresses") else {
        return;
    };
    let t = TestDb::new(&p.mysql).await;
    let conf = sdk(&p.moto).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let q = sqs
        .create_queue()
        .queue_name(unique("ses-events"))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let bounce = |kind: &str, to: &str| {
        serde_json::json!({
            "eventType": "Bounce",
            "bounce": {"bounceType": kind, "bounceSubType": "General",
                       "bouncedRecipients": [{"emailAddress": to, "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]},
            "mail": {"messageId": "m1", "destination": [to]}
        })
        .to_string()
    };
    let complaint = serde_json::json!({
        "notificationType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": "Angry@Example.org"}], "complaintFeedbackType": "abuse"},
        "mail": {}
    })
    .to_string();
    // Raw delivery off: the same event inside an SNS envelope.
    let enveloped =
        serde_json::json!({"Type": "Notification", "MessageId": "n1", "Message": complaint})
            .to_string();
    for body in [
        bounce("Permanent", "gone@example.org"),
        bounce("Transient", "full@example.org"),
        enveloped,
        "not an event".to_string(),
    ] {
        sqs.send_message()
            .queue_url(&q)
            .message_body(body)
            .send()
            .await
            .unwrap();
    }
    let events = shared::mail::events::SesEvents::new(sqs.clone(), &q);
    let mut suppressed = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while count_messages(&sqs, &q).await > 0 {
        assert!(std::time::Instant::now() < deadline, "queue not drained");
        suppressed += events
            .poll_once(&t.db, Duration::from_secs(1))
            .await
            .unwrap();
    }
    assert_eq!(suppressed, 2);
    assert_eq!(
        t.db.suppression_of("gone@example.org")
            .await
            .unwrap()
            .as_deref(),
        Some("bounce")
    );
    assert_eq!(
        t.db.suppression_of("angry@example.org")
            .await
            .unwrap()
            .as_deref(),
        Some("complaint")
    );
    assert_eq!(t.db.suppression_of("full@example.org").await.unwrap(), None);
    t.drop_db().await;
}

#[tokio::test]
async fn ses_sends_the_mime_message_through_sesv2() {
    let Some(p) = peers("ses_sends_the_mime_message_through_sesv2") else {
        return;
    };
    let moto = std::env::var("CLIPCONTEST_TEST_MOTO_MAIL_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or(p.moto.clone());
    let ses = aws_sdk_sesv2::Client::new(&sdk(&moto).await);
    let domain = format!("{}.example.org", unique("mail"));
    ses.create_email_identity()
        .email_identity(&domain)
        .send()
        .await
        .unwrap();
    let mailer = SesMailer::new(
        ses.clone(),
        &format!("Clipcontest <no-reply@{domain}>"),
        None,
    );
    let recipient = format!("{}@example.net", unique("ana"));
    let link = format!("https://contests.example.org/c/spring/v/{}", new_id());
    let email = shared::db::Email {
        id: EmailId::new(),
        video_id: None,
        recipient: recipient.clone(),
        subject: "Your video is ready".into(),
        body_text: format!("Watch it: {link}"),
        body_html: format!("<p><a href=\"{link}\">Watch it</a></p>"),
        state: EmailState::Pending,
        attempts: 0,
        last_error: None,
    };
    mailer.send(&email).await.unwrap();

    let resp = reqwest::get(format!("{moto}/moto-api/data.json"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "moto data.json fails after S3 multipart on the same server: set CLIPCONTEST_TEST_MOTO_MAIL_URL to a second moto");
    let data: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    let sent = data["ses"]["RawMessage"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mine = sent
        .iter()
        .find(|m| {
            m["destinations"]
                .as_array()
                .is_some_and(|d| d.iter().any(|a| a == recipient.as_str()))
        })
        .expect("the message is in moto's sent mail");
    let raw = mine["raw_data"].as_str().unwrap();
    assert!(
        raw.contains(&format!("To: {recipient}")) && raw.contains("Subject: Your video is ready"),
        "{raw}"
    );
    // Bodies are quoted-printable: undo the soft line breaks before looking for the link.
    let body = raw.replace("=\r\n", "").replace("=\n", "");
    assert!(
        body.contains(&format!("Watch it: {link}")),
        "the link is in the text body: {raw}"
    );
    assert!(mine["source"].as_str().unwrap().contains(&domain));

    // An unverified sender is rejected for good, not retried forever.
    let bad = SesMailer::new(ses, "no-reply@unverified.example.com", None);
    let e = bad.send(&email).await.unwrap_err();
    assert!(matches!(e, shared::mail::MailError::Permanent(_)), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager → Settings → Backends::build
// ---------------------------------------------------------------------------------------------

async fn load_aws_settings(
    moto: &str,
    secret_id: &str,
) -> Result<shared::Settings, shared::config::ConfigError> {
    shared::Settings::load_with_secrets(
        |b| {
            b.set_override("mode", "aws")
                .unwrap()
                .set_override("aws.secret_id", secret_id)
                .unwrap()
                .set_override("aws.endpoint_url", moto)
                .unwrap()
                .set_override("aws.region", "us-east-1")
                .unwrap()
        },
        &shared::aws::SecretsManager,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_configures_every_backend_and_bad_ones_name_the_key() {
    let Some(p) = peers("a_secret_configures_every_backend_and_bad_ones_name_the_key") else {
        return;
    };
    let conf = sdk(&p.moto).await;
    let sm = aws_sdk_secretsmanager::Client::new(&conf);

    let missing = format!("clipcontest/{}", unique("missing"));
    sm.create_secret()
        .name(&missing)
        .secret_string(
            r#"{"database_url": "mysql://a@b/c", "sqs_queue_url": "q", "sqs_dlq_url": "d"}"#,
        )
        .send()
        .await
        .unwrap();
    let e = load_aws_settings(&p.moto, &missing)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("AWS secret {missing} is missing key s3_bucket")),
        "{e}"
    );

    let malformed = format!("clipcontest/{}", unique("malformed"));
    sm.create_secret()
        .name(&malformed)
        .secret_string(r#"{"db_password": "hunter2""#)
        .send()
        .await
        .unwrap();
    let e = load_aws_settings(&p.moto, &malformed)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("is not valid JSON") && !e.contains("hunter2"),
        "{e}"
    );

    let e = load_aws_settings(&p.moto, "clipcontest/does-not-exist")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cannot read AWS secret clipcontest/does-not-exist"),
        "{e}"
    );

    // A complete secret: Backends::build connects everything.
    let t = TestDb::new(&p.mysql).await;
    let (_, bucket) = new_bucket(&p.moto).await;
    let (q, dlq) = new_queues(&aws_sdk_sqs::Client::new(&conf), 30).await;
    let good = format!("clipcontest/{}", unique("good"));
    let doc = serde_json::json!({
        "database_url": t.url, "s3_bucket": bucket, "s3_prefix": "test", "sqs_queue_url": q, "sqs_dlq_url": dlq,
        "ses_from": "Clipcontest <no-reply@example.org>", "base_url": "https://contests.example.org",
        "cdn_base_url": "https://cdn.example.org", "session_key": "k".repeat(64),
    });
    sm.create_secret()
        .name(&good)
        .secret_string(doc.to_string())
        .send()
        .await
        .unwrap();
    let mut settings = load_aws_settings(&p.moto, &good).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    settings.data_dir = dir.path().to_path_buf();
    assert_eq!(settings.base_url(), "https://contests.example.org");
    let b = shared::backends::Backends::build(&settings).await.unwrap();
    b.db.ping().await.unwrap();
    b.storage.check().await.unwrap();
    assert_eq!(
        b.storage.public_url("media/v/video.mp4").await.unwrap(),
        "https://cdn.example.org/test/media/v/video.mp4"
    );
    assert_eq!(b.queue.depth().await.unwrap(), 0);
    // The relay started by build() delivers what the web tier commits.
    let video_id = VideoId::new();
    t.db.enqueue_job(&Job::Transcode { video_id })
        .await
        .unwrap();
    b.queue.wake();
    let d = b
        .queue
        .receive(Duration::from_secs(5))
        .await
        .unwrap()
        .expect("relayed by the built backends");
    assert_eq!(d.job, Job::Transcode { video_id });
    b.queue.ack(&d).await.unwrap();
    drop(b);

    t.drop_db().await;
}

/// Peak memory of a large streamed upload. Ignored by default because peak RSS is per process
/// (other tests' buffers would count): `cargo test -p shared --test aws_backends -- --ignored s3_upload_memory`.
#[tokio::test]
#[ignore]
async fn s3_upload_memory_stays_bounded_by_the_part_size() {
    let Some(p) = peers("s3_upload_memory_stays_bounded_by_the_part_size") else {
        return;
    };
    fn peak_rss_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
    let (s3, bucket) = new_bucket(&p.moto).await;
    let storage = S3Storage::new(s3.clone(), &bucket, None, None);
    let mib: usize = std::env::var("CLIPCONTEST_TEST_UPLOAD_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let before = peak_rss_kib();
    // Generated on the fly: the test itself never holds more than one 64 KiB chunk.
    let chunk = Bytes::from(data(64 * 1024, 11));
    let body = futures::stream::iter((0..mib * 16).map(move |_| Ok(chunk.clone()))).boxed();
    let started = std::time::Instant::now();
    let n = storage
        .put_stream("originals/mem/original", "video/mp4", body, u64::MAX)
        .await
        .unwrap();
    let grew = peak_rss_kib().saturating_sub(before);
    eprintln!(
        "uploaded {} MiB in {:.1?}; peak RSS grew by {} MiB (part size {} MiB)",
        n >> 20,
        started.elapsed(),
        grew >> 10,
        shared::storage::PART_SIZE >> 20
    );
    assert_eq!(n, (mib as u64) << 20);
    assert!(grew < 64 * 1024, "peak RSS grew by {grew} KiB");
}
